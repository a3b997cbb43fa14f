//! The score stage: points per check and the total, gathered into the [`Report`] that every
//! renderer takes. A report is plain data: renderers know nothing of how it was computed.

use crate::diagnose::Diagnosis;
use crate::judge::{Status, Verdict, Worst};
use crate::spec::Check;
use serde::{Deserialize, Serialize};

/// One grade, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The exercise's short name.
    pub exercise: String,
    /// The exercise's title.
    pub title: String,
    /// What was graded, as the user named it.
    pub submission: String,
    pub score: u32,
    pub max_score: u32,
    /// The `--seed` the scenarios were derived from; `null` for the shipped seeds.
    pub seed: Option<u64>,
    /// Whether the submission compiled, and rustc's messages when it did not.
    pub build: BuildSummary,
    /// One per check, in the exercise's order.
    pub checks: Vec<CheckResult>,
    /// Series to draw beside the reference's.
    pub charts: Vec<Chart>,
    /// The known mistakes the submission behaves like, each once, with the checks it explains
    /// (in the order of their first check).
    #[serde(default)]
    pub mistakes: Vec<MistakeNote>,
    /// Where to start fixing; `null` when every check passed.
    #[serde(default)]
    pub start: Option<Start>,
}

/// A known mistake the submission behaves like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MistakeNote {
    /// The mistake's id.
    pub id: String,
    /// What it does wrong, in a line.
    pub title: String,
    /// What to do about it.
    pub hint: String,
    /// The ids of the failed checks it explains, in the exercise's order.
    pub checks: Vec<String>,
}

/// The one thing to fix first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Start {
    /// The check to look at; `null` when the code does not compile (no check could run).
    pub check: Option<String>,
    /// Why there.
    pub reason: StartReason,
}

/// Why a place is the one to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartReason {
    /// The submission does not compile: nothing else can be judged before it does.
    Compile,
    /// The code the check runs is still `todo!()`.
    Unwritten,
    /// The first failing check in the exercise's order, explained by a known mistake.
    Mistake,
    /// The first failing check in the exercise's order.
    FirstFailing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildSummary {
    pub ok: bool,
    /// rustc's errors, as rustc printed them, naming the submitted file.
    pub diagnostics: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub score: u32,
    pub max_score: u32,
    /// Why it did not pass; empty when it did.
    pub message: String,
    /// The element that missed by the most, when numbers were compared.
    pub worst: Option<Worst>,
    /// The known mistake the submission behaves like on this check.
    pub diagnosis: Option<String>,
    /// What to do about that mistake.
    pub hint: Option<String>,
    /// The code it runs is not written yet (a `todo!()`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unwritten: bool,
}

/// A series of the submission beside the reference's, e.g. the loss per epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    /// The check it illustrates.
    pub check: String,
    /// What is drawn.
    pub title: String,
    /// The observation drawn.
    pub key: String,
    #[serde(deserialize_with = "numbers_or_nan")]
    pub submission: Option<Vec<f64>>,
    #[serde(deserialize_with = "numbers_or_nan")]
    pub reference: Option<Vec<f64>>,
}

/// JSON has no NaN or infinity (serde_json writes them as `null`): read back, as `grade merge`
/// reads the shards' reports, a `null` number is NaN, so the report renders as it was written.
pub(crate) fn number_or_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// [`number_or_nan`] for a series.
fn numbers_or_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
    Ok(Option::<Vec<Option<f64>>>::deserialize(d)?
        .map(|v| v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()))
}

/// Scores each check all-or-nothing and sums.
pub fn check_result(check: &Check, verdict: Verdict, diagnosis: Option<Diagnosis>) -> CheckResult {
    let score = if verdict.status == Status::Pass {
        check.points
    } else {
        0
    };
    CheckResult {
        id: check.id.clone(),
        title: check.title.get().to_string(),
        status: verdict.status,
        score,
        max_score: check.points,
        message: verdict.message,
        worst: verdict.worst,
        diagnosis: diagnosis.as_ref().map(|d| d.mistake.clone()),
        hint: diagnosis.map(|d| d.hint),
        unwritten: verdict.unwritten,
    }
}

/// Each diagnosed mistake once, with the checks it explains, from the checks' diagnoses and
/// `titles` (the mistakes' titles by id).
pub fn mistake_notes(checks: &[CheckResult], titles: &[(String, String)]) -> Vec<MistakeNote> {
    let mut notes: Vec<MistakeNote> = Vec::new();
    for check in checks {
        let (Some(id), Some(hint)) = (&check.diagnosis, &check.hint) else {
            continue;
        };
        match notes.iter_mut().find(|n| &n.id == id) {
            Some(note) => note.checks.push(check.id.clone()),
            None => notes.push(MistakeNote {
                id: id.clone(),
                title: titles
                    .iter()
                    .find(|(m, _)| m == id)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default(),
                hint: hint.clone(),
                checks: vec![check.id.clone()],
            }),
        }
    }
    notes
}

/// Where to start: a compile error first of all, then the first check (in the exercise's order)
/// whose code is still `todo!()`, then the first check that did not pass.
pub fn start(build: &BuildSummary, checks: &[CheckResult]) -> Option<Start> {
    if !build.ok {
        return Some(Start {
            check: None,
            reason: StartReason::Compile,
        });
    }
    let failing = |c: &&CheckResult| c.status != Status::Pass;
    if let Some(check) = checks.iter().filter(failing).find(|c| c.unwritten) {
        return Some(Start {
            check: Some(check.id.clone()),
            reason: StartReason::Unwritten,
        });
    }
    let check = checks.iter().find(failing)?;
    Some(Start {
        check: Some(check.id.clone()),
        reason: if check.diagnosis.is_some() {
            StartReason::Mistake
        } else {
            StartReason::FirstFailing
        },
    })
}

impl Report {
    pub fn new(
        exercise: String,
        title: String,
        submission: String,
        seed: Option<u64>,
        build: BuildSummary,
        checks: Vec<CheckResult>,
        charts: Vec<Chart>,
    ) -> Report {
        let score = checks.iter().map(|c| c.score).sum();
        let max_score = checks.iter().map(|c| c.max_score).sum();
        let start = start(&build, &checks);
        Report {
            exercise,
            title,
            submission,
            score,
            max_score,
            seed,
            build,
            checks,
            charts,
            mistakes: Vec::new(),
            start,
        }
    }

    /// Every check passed.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.status == Status::Pass)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(id: &str, status: Status, diagnosis: Option<&str>, unwritten: bool) -> CheckResult {
        CheckResult {
            id: id.into(),
            title: String::new(),
            status,
            score: 0,
            max_score: 10,
            message: String::new(),
            worst: None,
            diagnosis: diagnosis.map(Into::into),
            hint: diagnosis.map(|d| format!("hint of {d}")),
            unwritten,
        }
    }

    fn compiled(ok: bool) -> BuildSummary {
        BuildSummary {
            ok,
            diagnostics: String::new(),
        }
    }

    #[test]
    fn start_at_a_compile_error_then_todo_then_the_first_failing_check() {
        let checks = vec![
            check("backward.a", Status::Pass, None, false),
            check("backward.b", Status::Fail, Some("m"), false),
            check("fit.c", Status::Error, None, true),
        ];
        let at = |build: bool, checks: &[CheckResult]| start(&compiled(build), checks);
        assert_eq!(at(false, &checks).unwrap().reason, StartReason::Compile);
        assert_eq!(at(false, &checks).unwrap().check, None);
        let todo = at(true, &checks).unwrap();
        assert_eq!(
            (todo.check.as_deref(), todo.reason),
            (Some("fit.c"), StartReason::Unwritten)
        );
        let first = at(true, &checks[..2]).unwrap();
        assert_eq!(
            (first.check.as_deref(), first.reason),
            (Some("backward.b"), StartReason::Mistake)
        );
        let plain = vec![
            check("a", Status::Fail, None, false),
            check("b", Status::Fail, Some("m"), false),
        ];
        assert_eq!(at(true, &plain).unwrap().reason, StartReason::FirstFailing);
        assert_eq!(at(true, &checks[..1]), None, "nothing to fix");
        assert_eq!(at(true, &[]), None, "no check, nothing to start at");
    }

    #[test]
    fn each_mistake_is_noted_once_with_every_check_it_explains() {
        let checks = vec![
            check("a", Status::Fail, Some("m1"), false),
            check("b", Status::Pass, None, false),
            check("c", Status::Fail, Some("m2"), false),
            check("d", Status::Fail, Some("m1"), false),
            check("e", Status::Fail, None, false),
        ];
        let titles = vec![("m1".to_string(), "title one".to_string())];
        let notes = mistake_notes(&checks, &titles);
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].id, "m1");
        assert_eq!(notes[0].checks, vec!["a", "d"]);
        assert_eq!(notes[0].title, "title one");
        assert_eq!(notes[0].hint, "hint of m1");
        assert_eq!(notes[1].checks, vec!["c"]);
        assert!(mistake_notes(&[], &titles).is_empty());
    }
}
