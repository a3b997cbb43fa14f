//! What rustc cannot know about a failed compile, added to its messages: a student who reaches for
//! a crate the exercise does not provide is told which crates there are, where rustc would only
//! suggest adding it to a `Cargo.toml` the student does not control.

use super::Deps;

/// Words of rustc's messages that name a crate it could not find.
const MISSING_CRATE: &[&str] = &[
    "unlinked crate `",
    "can't find crate for `",
    "unresolved import `",
    "undeclared crate or module `",
];

/// Names a path may start with that are not crates to provide.
const NOT_CRATES: &[&str] = &["crate", "self", "super", "std", "core", "alloc"];

/// `diagnostics`, with a note for each crate they name that `deps` does not provide.
pub(super) fn explain(diagnostics: &str, deps: &Deps) -> String {
    let available: Vec<&str> = deps.externs.keys().map(String::as_str).collect();
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
