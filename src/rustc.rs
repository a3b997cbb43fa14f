//! What rustc says, read back: its diagnostics as JSON (`--error-format=json`), rendered for the
//! report as rustc prints them for people, and asked the questions that decide whose failure a
//! compile is: do its errors point into the crate's own files, is one an internal compiler error,
//! which error codes came. Lines that are not diagnostics (a crash's message, LLVM's) are kept too.

use serde::Deserialize;
use std::collections::BTreeSet;

/// The most of rustc's rendered messages a report carries: the first errors and the last.
const RENDERED_CAP: usize = 64 << 10;

/// What rustc says when a constant needs more memory than a compile may take: no error code tells
/// it apart from other failed evaluations of a constant.
const OUT_OF_MEMORY: &str = "more memory than available to compiler";

/// Codes of errors in loading a compiled crate (a missing, cut or foreign rlib): when the crate is
/// one the exercise provides, the cache's dependencies are at fault, not the code.
pub(crate) const CRATE_LOADING: &[&str] = &[
    "E0460", "E0461", "E0462", "E0463", "E0464", "E0514", "E0519", "E0523", "E0786",
];

/// Everything rustc wrote on stderr.
#[derive(Debug, Clone, Default)]
pub struct Messages {
    /// Each diagnostic, in order.
    diagnostics: Vec<Diagnostic>,
    /// The lines that were not diagnostics.
    other: Vec<String>,
}

/// One diagnostic, as rustc's JSON has it (the fields grade reads).
#[derive(Debug, Clone, Default, Deserialize)]
struct Diagnostic {
    message: String,
    #[serde(default)]
    code: Option<Code>,
    level: Level,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    children: Vec<Diagnostic>,
    /// The text rustc prints for people.
    #[serde(default)]
    rendered: Option<String>,
}

/// How grave a diagnostic is, as far as whose failure it is goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
enum Level {
    #[serde(rename = "error")]
    Error,
    /// A bug of rustc, whatever the code.
    #[serde(rename = "error: internal compiler error")]
    InternalError,
    /// `warning`, `note`, `help`, `failure-note`.
    #[default]
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Code {
    code: String,
}

/// Where a diagnostic points.
#[derive(Debug, Clone, Default, Deserialize)]
struct Span {
    /// As rustc names it: relative to its working directory for the crate's own files.
    file_name: String,
    /// The macro call this span came out of, if any.
    #[serde(default)]
    expansion: Option<Box<Expansion>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Expansion {
    span: Span,
}

impl Messages {
    /// Reads rustc's stderr: one JSON diagnostic per line, other lines as they are. A line cut by
    /// the capture's cap is kept as text.
    pub(crate) fn parse(stderr: &str) -> Messages {
        let mut messages = Messages::default();
        for line in stderr.lines() {
            match serde_json::from_str::<Diagnostic>(line) {
                Ok(diagnostic) => messages.diagnostics.push(diagnostic),
                Err(_) if line.trim().is_empty() => {}
                Err(_) => messages.other.push(line.to_string()),
            }
        }
        messages
    }

    /// rustc's messages as it prints them for people, then the lines that were not diagnostics;
    /// the middle of more than [`RENDERED_CAP`] bytes is left out.
    pub(crate) fn rendered(&self) -> String {
        let mut text: String = self
            .diagnostics
            .iter()
            .filter_map(|d| d.rendered.as_deref())
            .collect();
        for line in &self.other {
            text.push_str(line);
            text.push('\n');
        }
        if text.len() <= RENDERED_CAP {
            return text;
        }
        let boundary = |mut at: usize| {
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let head = boundary(RENDERED_CAP / 2);
        let tail = boundary(text.len() - RENDERED_CAP / 2);
        format!(
            "{}\n[… {} bytes of the compiler's messages left out …]\n{}",
            &text[..head],
            tail - head,
            &text[tail..]
        )
    }

    /// The errors (internal compiler errors included).
    fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| matches!(d.level, Level::Error | Level::InternalError))
    }

    /// The files the errors point into, as rustc names them (their macro calls' files too).
    pub(crate) fn error_files(&self) -> BTreeSet<String> {
        let mut files = BTreeSet::new();
        for error in self.errors() {
            error.files(&mut files);
        }
        files
    }

    /// Whether rustc reported an internal compiler error: a bug of rustc.
    pub(crate) fn internal_error(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.level == Level::InternalError)
    }

    /// Whether an error says a constant did not fit in the memory a compile may take.
    pub(crate) fn out_of_memory(&self) -> bool {
        self.errors().any(|e| e.message.contains(OUT_OF_MEMORY))
    }

    /// The codes of the errors (`E0308`).
    pub(crate) fn error_codes(&self) -> BTreeSet<&str> {
        self.errors()
            .filter_map(|d| d.code.as_ref().map(|c| c.code.as_str()))
            .collect()
    }

    /// The modules whose file rustc could not find (E0583, "file not found for module `name`"):
    /// a `mod name;` in a submitted file, whose own file is never taken with it.
    pub(crate) fn modules_without_file(&self) -> Vec<String> {
        self.errors()
            .filter(|d| d.code.as_ref().is_some_and(|c| c.code == "E0583"))
            .map(|d| d.message.split('`').nth(1).unwrap_or("…").to_string())
            .collect()
    }

    /// The first error's message, else the first line that was not a diagnostic: for one line
    /// that says what went wrong.
    pub(crate) fn first_error(&self) -> String {
        self.errors()
            .map(|d| d.message.clone())
            .find(|m| !m.starts_with("aborting due to"))
            .or_else(|| self.other.iter().find(|l| !l.trim().is_empty()).cloned())
            .unwrap_or_default()
    }
}

impl Diagnostic {
    fn files(&self, into: &mut BTreeSet<String>) {
        for span in &self.spans {
            let mut span = Some(span);
            while let Some(s) = span {
                into.insert(s.file_name.clone());
                span = s.expansion.as_deref().map(|e| &e.span);
            }
        }
        for child in &self.children {
            child.files(into);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two lines rustc 1.95 wrote for a type error in src/backprop.rs, then its summary.
    const TYPE_ERROR: &str = concat!(
        r#"{"$message_type":"diagnostic","message":"mismatched types","code":{"code":"E0308","#,
        r#""explanation":"..."},"level":"error","spans":[{"file_name":"src/backprop.rs","#,
        r#""byte_start":1,"byte_end":2,"line_start":3,"line_end":3,"column_start":5,"#,
        r#""column_end":6,"is_primary":true,"text":[],"label":"expected `f64`","#,
        r#""suggested_replacement":null,"suggestion_applicability":null,"expansion":null}],"#,
        r#""children":[],"rendered":"error[E0308]: mismatched types\n --> src/backprop.rs:3:5\n"}"#,
        "\n",
        r#"{"$message_type":"diagnostic","message":"aborting due to 1 previous error","#,
        r#""code":null,"level":"error","spans":[],"children":[],"#,
        r#""rendered":"error: aborting due to 1 previous error\n\n"}"#,
    );

    /// A link failure: an error with no span.
    const LINK_ERROR: &str = concat!(
        r#"{"$message_type":"diagnostic","message":"linking with `cc` failed: exit status: 1","#,
        r#""code":null,"level":"error","spans":[],"children":[{"message":"cc -m64 ...","#,
        r#""code":null,"level":"note","spans":[],"children":[],"rendered":null}],"#,
        r#""rendered":"error: linking with `cc` failed: exit status: 1\n"}"#,
        "\n",
        r#"{"$message_type":"diagnostic","message":"aborting due to 1 previous error","#,
        r#""code":null,"level":"error","spans":[],"children":[],"#,
        r#""rendered":"error: aborting due to 1 previous error\n\n"}"#,
    );

    #[test]
    fn errors_that_point_into_a_file_say_which() {
        let messages = Messages::parse(TYPE_ERROR);
        assert_eq!(
            messages.error_files().into_iter().collect::<Vec<_>>(),
            ["src/backprop.rs"]
        );
        assert_eq!(
            messages.rendered(),
            "error[E0308]: mismatched types\n --> src/backprop.rs:3:5\n\
             error: aborting due to 1 previous error\n\n"
        );
        assert_eq!(
            messages.error_codes().into_iter().collect::<Vec<_>>(),
            ["E0308"]
        );
        assert_eq!(messages.first_error(), "mismatched types");
        assert!(!messages.internal_error());
    }

    #[test]
    fn a_link_failure_points_nowhere() {
        let messages = Messages::parse(LINK_ERROR);
        assert!(messages.error_files().is_empty());
        assert_eq!(
            messages.first_error(),
            "linking with `cc` failed: exit status: 1"
        );
    }

    #[test]
    fn empty_cut_and_foreign_output_is_kept_as_text() {
        assert!(Messages::parse("").diagnostics.is_empty());
        let cut = &TYPE_ERROR[..200];
        let messages = Messages::parse(cut);
        assert!(messages.diagnostics.is_empty());
        assert!(messages.error_files().is_empty());
        assert_eq!(messages.other, [cut]);
        let crash = "rustc-LLVM ERROR: out of memory\nAllocation failed\n";
        let messages = Messages::parse(crash);
        assert_eq!(messages.first_error(), "rustc-LLVM ERROR: out of memory");
        assert_eq!(messages.rendered(), crash);
    }

    #[test]
    fn a_flood_of_messages_is_cut_in_the_middle() {
        let line = concat!(
            r#"{"message":"x","code":null,"level":"error","spans":[],"children":[],"#,
            r#""rendered":"error: é\n"}"#,
        );
        let flood = vec![line; 40_000].join("\n");
        let rendered = Messages::parse(&flood).rendered();
        assert!(rendered.len() < RENDERED_CAP + 200, "{}", rendered.len());
        assert!(rendered.starts_with("error: é\n") && rendered.ends_with("error: é\n"));
        assert!(rendered.contains("bytes of the compiler's messages left out"));
    }

    #[test]
    fn an_internal_compiler_error_is_told_by_its_level() {
        let ice = concat!(
            r#"{"$message_type":"diagnostic","message":"unexpected panic","code":null,"#,
            r#""level":"error: internal compiler error","spans":[],"children":[],"#,
            r#""rendered":"error: internal compiler error: unexpected panic\n"}"#,
        );
        assert!(Messages::parse(ice).internal_error());
    }

    #[test]
    fn a_macro_calls_file_counts() {
        let line = concat!(
            r#"{"message":"x","code":null,"level":"error","#,
            r#""spans":[{"file_name":"/rustc/abc/library/core/src/macros/mod.rs","#,
            r#""expansion":{"span":{"file_name":"u3/src/backprop.rs","expansion":null}}}],"#,
            r#""children":[],"rendered":"x"}"#,
        );
        let files = Messages::parse(line).error_files();
        assert!(files.contains("u3/src/backprop.rs"), "{files:?}");
    }
}
