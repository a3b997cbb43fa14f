//! What rustc cannot know about a failed compile, added to its messages: a student who reaches for
//! a crate the exercise does not provide is told which crates there are, where rustc would only
//! suggest adding it to a `Cargo.toml` the student does not control; one who declares `mod
//! helpers;` is told that only the submitted file is graded, where rustc would only ask for a file
//! that the student may well have.

use super::Deps;
use crate::rustc::Messages;

/// Words of rustc's messages that name a crate it could not find.
const MISSING_CRATE: &[&str] = &[
    "unlinked crate `",
    "can't find crate for `",
    "unresolved import `",
    "undeclared crate or module `",
];

/// Names a path may start with that are not crates to provide.
const NOT_CRATES: &[&str] = &["crate", "self", "super", "std", "core", "alloc"];

/// rustc's `messages` rendered, with a note for each crate they name that `deps` does not provide,
/// and for each module declared without its body.
pub(super) fn explain(messages: &Messages, deps: &Deps) -> String {
    let mut text = missing_crates(&messages.rendered(), deps);
    for name in messages.modules_without_file() {
        text.push_str(&format!(
            "\n\nnote: only the submitted file is graded: `mod {name};` asks for a file of its own \
             ({name}.rs), which is never taken with it, even where you have one. Put the module \
             inside the submitted file: `mod {name} {{ … }}`."
        ));
    }
    text
}

/// `diagnostics`, with a note for each crate they name that `deps` does not provide.
fn missing_crates(diagnostics: &str, deps: &Deps) -> String {
    let mut available: Vec<&str> = deps.externs.keys().map(String::as_str).collect();
    let mut missing: Vec<String> = Vec::new();
    for line in diagnostics.lines() {
        for marker in MISSING_CRATE {
            let Some(rest) = line.split(marker).nth(1) else {
                continue;
            };
            let name = rest.split(['`', ':']).next().unwrap_or("").to_string();
            let known = available.contains(&name.as_str()) || NOT_CRATES.contains(&name.as_str());
            if !name.is_empty() && !known && !missing.contains(&name) && line.contains("crate") {
                missing.push(name);
            }
        }
    }
    // The harness is the probe's, not a crate students are offered.
    available.retain(|name| *name != super::harness::NAME);
    let mut text = diagnostics.trim_end().to_string();
    for name in missing {
        text.push_str(&format!(
            "\n\nnote: `{name}` is not a crate this exercise provides; you can use {} and the \
             standard library.",
            available
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text
}
