//! Panics turned into reports: the message, the place, the submission's own lines on the way to
//! it and what the innermost of them called, and what the probe was doing (its context).

use crate::json::{Json, Observations};
use std::collections::BTreeMap;
use std::panic;
use std::sync::Mutex;

/// What the probe is doing, said with a panic: set before calling the submission.
static CONTEXT: Mutex<String> = Mutex::new(String::new());

/// Says what the probe is about to ask of the submission (e.g. the shapes of the arrays it hands
/// over), so that a panic's report can say it: a shape error from ndarray names no shapes.
pub fn context(text: impl Into<String>) {
    if let Ok(mut context) = CONTEXT.lock() {
        *context = text.into();
    }
}

/// A panic, as the hook saw it.
struct PanicRecord {
    message: String,
    /// `file:line:column` of the panic itself.
    location: String,
    /// The submission's own lines on the way to it, innermost first, when it was raised elsewhere.
    frames: Vec<String>,
    /// What the innermost of those lines called.
    operation: Option<String>,
}

/// The last panic, recorded by the hook so it can be reported.
static LAST_PANIC: Mutex<Option<PanicRecord>> = Mutex::new(None);

/// Runs `scenario`, turning what it returns or the panic that stopped it into the report's one
/// JSON object: `{"observations": ...}`, `{"error": ...}` or `{"panic": ...}`.
pub(crate) fn run_catching_panics(
    scenario: impl FnOnce() -> Result<Observations, String> + panic::UnwindSafe,
) -> Json {
    panic::set_hook(Box::new(|info| {
        let message = if let Some(text) = info.payload().downcast_ref::<&str>() {
            (*text).to_string()
        } else if let Some(text) = info.payload().downcast_ref::<String>() {
            text.clone()
        } else {
            "panicked with a value that is not a string".to_string()
        };
        // A huge message must not flood the report: the head says what went wrong.
        let message = truncate(message, 2000);
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let submitted = submission_files();
        // Resolving a backtrace costs tens of milliseconds: not for `todo!()`, which every
        // scenario of the stub raises at the student's own line, and says all there is to say.
        let unwritten = ["not yet implemented", "not implemented"]
            .iter()
            .any(|m| message.starts_with(m));
        let (frames, operation) = if unwritten || submitted.is_empty() {
            (Vec::new(), None)
        } else {
            trace(&submitted)
        };
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(PanicRecord {
                message,
                location,
                frames,
                operation,
            });
        }
    }));
    match panic::catch_unwind(scenario) {
        Ok(Ok(observations)) => Json::object([("observations", Json::Object(observations))]),
        Ok(Err(message)) => Json::object([("error", Json::Str(message))]),
        Err(_) => {
            let record = LAST_PANIC.lock().ok().and_then(|mut last| last.take());
            let record = record.unwrap_or_else(|| PanicRecord {
                message: "panicked".to_string(),
                location: String::new(),
                frames: Vec::new(),
                operation: None,
            });
            let mut panic = BTreeMap::from([
                ("message".to_string(), Json::Str(record.message)),
                ("location".to_string(), Json::Str(record.location)),
                (
                    "frames".to_string(),
                    Json::Array(record.frames.into_iter().map(Json::Str).collect()),
                ),
            ]);
            if let Some(operation) = record.operation {
                panic.insert("operation".to_string(), Json::Str(operation));
            }
            let context = CONTEXT.lock().map(|c| c.clone()).unwrap_or_default();
            if !context.is_empty() {
                panic.insert("context".to_string(), Json::Str(context));
            }
            Json::object([("panic", Json::Object(panic))])
        }
    }
}

/// The submitted files' paths in the crate, as the grader names them in `GRADE_SUBMISSION_FILES`.
fn submission_files() -> Vec<String> {
    std::env::var("GRADE_SUBMISSION_FILES")
        .unwrap_or_default()
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

/// A path from a panic location or a backtrace (relative, `./`-prefixed or absolute, depending on
/// where the binary was compiled and runs) names the crate file `relative`.
fn same_file(path: &str, relative: &str) -> bool {
    path == relative || path.ends_with(&format!("/{relative}"))
}

/// The submission's lines on the current stack, innermost first, as `file:line:column` with the
/// crate's relative path, and what the innermost of them called, in words.
fn trace(submitted: &[String]) -> (Vec<String>, Option<String>) {
    // std formats a backtrace as numbered symbol lines, each followed by an `at file:line:column`
    // line when the binary has line tables (grade compiles probes with them).
    let text = std::backtrace::Backtrace::force_capture().to_string();
    let mut stack: Vec<(String, Option<String>)> = Vec::new();
    for line in text.lines().map(str::trim_start) {
        if let Some(place) = line.strip_prefix("at ") {
            if let Some((_, location @ None)) = stack.last_mut() {
                *location = Some(place.to_string());
            }
        } else if let Some((number, symbol)) = line.split_once(": ") {
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                stack.push((symbol.to_string(), None));
            }
        }
    }
    let own = |place: &str| {
        let (path, position) = split_location(place)?;
        let file = submitted.iter().find(|f| same_file(path, f))?;
        Some(format!("{file}:{position}"))
    };
    let mut frames = Vec::new();
    let mut operation = None;
    for (i, (_, place)) in stack.iter().enumerate() {
        let Some(frame) = place.as_deref().and_then(own) else {
            continue;
        };
        if frames.is_empty() && i > 0 {
            operation = Some(operation_name(&stack[i - 1].0));
        }
        frames.push(frame);
    }
    (frames, operation)
}

/// `path:line:column` → (`path`, `line:column`).
fn split_location(place: &str) -> Option<(&str, &str)> {
    let (rest, column) = place.rsplit_once(':')?;
    let (path, line) = rest.rsplit_once(':')?;
    let position = &place[path.len() + 1..];
    (line.bytes().all(|b| b.is_ascii_digit()) && column.bytes().all(|b| b.is_ascii_digit()))
        .then_some((path, position))
}

/// A function's symbol as a student knows it: `&a * &b` for ndarray's `Mul`, `dot` for
/// `ArrayBase::dot`.
fn operation_name(symbol: &str) -> String {
    const OPERATORS: [(&str, &str); 10] = [
        ("AddAssign", "+="),
        ("SubAssign", "-="),
        ("MulAssign", "*="),
        ("DivAssign", "/="),
        ("Add", "+"),
        ("Sub", "-"),
        ("Mul", "*"),
        ("Div", "/"),
        ("Neg", "unary -"),
        ("Index", "indexing [...]"),
    ];
    let arrays = symbol.contains("ndarray");
    for (name, operator) in OPERATORS {
        // `<A as core::ops::arith::Mul<B>>::mul` or `<impl core::ops::arith::Mul<B> for A>::mul`.
        let implements = ["arith", "index"].iter().any(|module| {
            let path = format!("core::ops::{module}::{name}");
            symbol.contains(&format!("{path}<")) || symbol.contains(&format!("{path} "))
        });
        if implements {
            return if arrays {
                format!("`{operator}` on arrays (element by element, with broadcasting)")
            } else {
                format!("`{operator}`")
            };
        }
    }
    // `ndarray::linalg::impl_linalg::<impl ndarray::ArrayBase<S, D>>::dot` → `dot`.
    let name = symbol
        .rsplit("::")
        .find(|part| !part.is_empty() && !part.contains(['<', '>', '{']))
        .unwrap_or(symbol);
    if arrays {
        format!("ndarray's `{name}`")
    } else {
        format!("`{name}`")
    }
}

fn truncate(mut text: String, limit: usize) -> String {
    if text.len() > limit {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let elided = text.len() - cut;
        text.truncate(cut);
        text.push_str(&format!("… ({elided} more bytes)"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_split_at_the_last_two_colons() {
        assert_eq!(
            split_location("/a/b:c/src/x.rs:14:40"),
            Some(("/a/b:c/src/x.rs", "14:40"))
        );
        assert_eq!(split_location("src/x.rs:14"), None);
        assert_eq!(split_location("src/x.rs:a:1"), None);
        assert!(same_file("./src/x.rs", "src/x.rs"));
        assert!(!same_file("src/xx.rs", "x.rs"));
    }

    #[test]
    fn operations_are_named_as_a_student_writes_them() {
        let mul =
            "<&ndarray::ArrayBase<S, D> as core::ops::arith::Mul<&ndarray::ArrayBase<S2, E>>>::mul";
        assert!(operation_name(mul).starts_with("`*` on arrays"));
        let dot = "ndarray::linalg::impl_linalg::<impl ndarray::ArrayBase<S, D>>::dot";
        assert_eq!(operation_name(dot), "ndarray's `dot`");
        assert_eq!(operation_name("std::vec::Vec<T>::push"), "`push`");
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let cut = truncate("é".repeat(10), 5);
        assert_eq!(cut, "éé… (16 more bytes)");
        assert_eq!(truncate(String::new(), 0), "");
    }
}
