//! The judge stage: decides each check from observations alone. For every scenario a check
//! selects, every expectation must hold; the first that does not becomes the check's message, with
//! the worst element, where it is, what was expected and what came. This is the only place where a
//! check is judged.
//!
//! A pass needs evidence: each rule fails, saying what was missing, when a scenario gives it
//! nothing to judge (no key, an empty series, fewer values than the scenario asked for, every
//! element skipped). Each rule is judged in its own file of [`rules`].

pub mod rules;

use crate::probe::Outcome;
use crate::spec::{Check, Scenario};
use rules::holds;
use serde::{Deserialize, Serialize};

/// A check's result before scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Error,
}

/// Why a check did not pass, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: Status,
    /// One or two sentences for the student; empty when it passed.
    pub message: String,
    /// The worst element, for a comparison of numbers.
    pub worst: Option<Worst>,
    /// The code it runs is not written yet (it reached a `todo!()`).
    #[serde(default)]
    pub unwritten: bool,
}

/// The element that missed by the most.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Worst {
    /// The scenario it was seen in.
    pub scenario: String,
    /// The observation, e.g. `d_weights` or `layer2.weights`.
    pub key: String,
    /// Its index in the observation.
    pub index: Vec<usize>,
    #[serde(deserialize_with = "crate::score::number_or_nan")]
    pub expected: f64,
    #[serde(deserialize_with = "crate::score::number_or_nan")]
    pub got: f64,
}

/// What one scenario gave, for the submission and for the reference.
pub struct Evidence<'a> {
    /// The scenario, whose arguments say how many values a rule may expect.
    pub scenario: &'a Scenario,
    pub submission: &'a Outcome,
    pub reference: Option<&'a Outcome>,
}

/// Judges `check` on its scenarios' evidence (in the check's scenario order).
pub fn judge(check: &Check, evidence: &[Evidence]) -> Verdict {
    for e in evidence {
        if let Some(verdict) = unusable(e.submission) {
            return verdict;
        }
    }
    for e in evidence {
        for rule in &check.expect {
            if let Err(verdict) = holds(rule, e) {
                return verdict;
            }
        }
    }
    Verdict {
        status: Status::Pass,
        message: String::new(),
        worst: None,
        unwritten: false,
    }
}

/// An outcome with no observations makes the check an error, with the reason in words.
fn unusable(outcome: &Outcome) -> Option<Verdict> {
    let unwritten = matches!(outcome, Outcome::Panicked { message, .. }
        if message.starts_with(TODO_MESSAGE));
    problem(outcome).map(|message| Verdict {
        status: Status::Error,
        message,
        worst: None,
        unwritten,
    })
}

/// Why an outcome has no observations, in words; `None` when it has them.
pub fn problem(outcome: &Outcome) -> Option<String> {
    Some(match outcome {
        Outcome::Observed { .. } => return None,
        Outcome::Panicked {
            message,
            location,
            frames,
            operation,
            context,
            ..
        } => describe_panic(&Panic {
            message,
            location,
            frames,
            operation: operation.as_deref(),
            context: context.as_deref(),
        }),
        Outcome::Failed { reason, .. } => reason.to_string(),
        Outcome::NotBuilt { reason } => reason.clone(),
    })
}

/// A panic as the probe reported it.
pub struct Panic<'a> {
    pub message: &'a str,
    pub location: &'a str,
    /// Places in the submitted files on the way to it, innermost first.
    pub frames: &'a [String],
    pub operation: Option<&'a str>,
    pub context: Option<&'a str>,
}

/// Says where a panic happened in the student's terms: at the student's own line (the innermost
/// frame in the submitted files), then, when the panic was raised inside a library, what was
/// called and where it gave up. `todo!()` is the stub's way of saying "not done yet": said in
/// those words.
pub fn describe_panic(panic: &Panic) -> String {
    let own = panic.frames.first().map(String::as_str);
    let at = match own.or(Some(panic.location).filter(|l| !l.is_empty())) {
        Some(place) => crate::tr!("panic-at", place = place),
        None => String::new(),
    };
    if let Some(rest) = panic.message.strip_prefix(TODO_MESSAGE) {
        let rest = rest.trim_start_matches(':').trim();
        let detail = if rest.is_empty() {
            String::new()
        } else {
            format!(": {rest}")
        };
        return crate::tr!("panic-todo", at = at, detail = detail);
    }
    // The library's own place, when the panic was raised there rather than at the student's line.
    let elsewhere = Some(panic.location).filter(|l| !l.is_empty() && own != Some(*l));
    let inside = match (own, panic.operation, elsewhere) {
        (Some(_), Some(operation), Some(place)) => {
            crate::tr!("panic-in-gave-up", operation = operation, place = place)
        }
        (Some(_), Some(operation), None) => crate::tr!("panic-in", operation = operation),
        (Some(_), None, Some(place)) => crate::tr!("panic-inside", place = place),
        _ => String::new(),
    };
    let context = panic.context.map(|c| format!(" ({c})")).unwrap_or_default();
    crate::tr!(
        "panic-panicked",
        at = at,
        inside = inside,
        message = panic.message,
        context = context
    )
}

pub(crate) fn fail(message: String, worst: Option<Worst>) -> Verdict {
    Verdict {
        status: Status::Fail,
        message,
        worst,
        unwritten: false,
    }
}

pub(crate) fn error(message: String) -> Verdict {
    Verdict {
        status: Status::Error,
        message,
        worst: None,
        unwritten: false,
    }
}

/// A number short enough to read and precise enough to see the difference.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 || (1e-4..1e6).contains(&v.abs()) {
        let text = format!("{v:.6}");
        let text = text.trim_end_matches('0');
        text.strip_suffix('.')
            .map(|t| format!("{t}.0"))
            .unwrap_or_else(|| text.to_string())
    } else {
        format!("{v:.4e}")
    }
}

/// What `todo!()` panics with: the stub's way of saying "not written yet".
pub(crate) const TODO_MESSAGE: &str = "not yet implemented";

/// `[1, 2]` for an index, nothing for a scalar's.
pub fn index_text(index: &[usize]) -> String {
    if index.is_empty() {
        String::new()
    } else {
        format!("[{}]", join(index))
    }
}

/// `1, 2`.
pub(crate) fn join(items: &[usize]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
