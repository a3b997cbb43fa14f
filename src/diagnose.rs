//! Diagnosis by behaviour: when a check fails, which known mistake does the submission behave like
//! on that check's scenarios? Matching compares what the code did (the observations the check
//! reads, the lines it printed, the panic it raised), never its text, so a student's differently
//! written version of a catalogued mistake is recognised.

use crate::judge::rules::{select, Expectation};
use crate::judge::{self, Evidence, Status};
use crate::known::{Known, KnownMistake, Outcomes};
use crate::probe::{Outcome, Value};
use crate::spec::{Check, Spec};

/// A diagnosis attached to a failed check: the mistake the submission behaves like, and its hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    /// The mistake's id.
    pub mistake: String,
    /// What it does wrong, in the language in force.
    pub title: String,
    /// What to do about it, in the language in force.
    pub hint: String,
}

/// For each check of `spec` (in order), the mistake the submission behaves like, if it failed it.
/// When several mistakes behave alike on a check, the one that is like the submission on more of
/// its failed checks wins (two mistakes can agree on one check and differ elsewhere).
pub fn diagnose(
    spec: &Spec,
    statuses: &[Status],
    submission: &Outcomes,
    known: &Known,
) -> Vec<Option<Diagnosis>> {
    // alike[m][c]: mistake m fails check c and the submission behaves like it there.
    let alike: Vec<Vec<bool>> = known
        .mistakes
        .iter()
        .map(|mistake| {
            spec.checks
                .iter()
                .zip(statuses)
                .map(|(check, status)| {
                    *status != Status::Pass
                        && fails(spec, check, mistake, known)
                        && behaves_alike(check, submission, &mistake.outcomes)
                })
                .collect()
        })
        .collect();
    let support: Vec<usize> = alike
        .iter()
        .map(|row| row.iter().filter(|&&b| b).count())
        .collect();
    (0..spec.checks.len())
        .map(|c| {
            let best = (0..known.mistakes.len())
                .filter(|&m| alike[m][c])
                .max_by_key(|&m| (support[m], std::cmp::Reverse(m)))?;
            let mistake = &known.mistakes[best];
            Some(Diagnosis {
                mistake: mistake.id.clone(),
                title: mistake.title.get().to_string(),
                hint: mistake.hint.get().to_string(),
            })
        })
        .collect()
}

/// Whether the mistake itself fails `check`: a mistake is only ever named where it loses points.
fn fails(spec: &Spec, check: &Check, mistake: &KnownMistake, known: &Known) -> bool {
    let evidence: Vec<Evidence> = check
        .scenarios
        .iter()
        .filter_map(|id| {
            Some(Evidence {
                scenario: spec.scenario(id)?,
                submission: mistake.outcomes.get(id)?,
                reference: known.reference.get(id),
            })
        })
        .collect();
    evidence.len() == check.scenarios.len() && judge::judge(check, &evidence).status != Status::Pass
}

/// The submission and the mistake did the same on every scenario of `check`, as far as the check
/// can see, within the check's own tolerances.
fn behaves_alike(check: &Check, submission: &Outcomes, mistake: &Outcomes) -> bool {
    check
        .scenarios
        .iter()
        .all(|id| match (submission.get(id), mistake.get(id)) {
            (
                Some(Outcome::Observed {
                    values: a,
                    printed: pa,
                }),
                Some(Outcome::Observed {
                    values: b,
                    printed: pb,
                }),
            ) => check.expect.iter().map(Expectation::rule).all(|rule| {
                let (rtol, atol) = rule.tolerance();
                let values_alike = rule.keys().into_iter().all(|key| {
                    let (left, right) = (select(a, key), select(b, key));
                    left.len() == right.len()
                        && left
                            .iter()
                            .zip(&right)
                            .all(|((n1, v1), (n2, v2))| n1 == n2 && same(v1, v2, rtol, atol))
                });
                values_alike && rule.printed_alike(pa, pb)
            }),
            (
                Some(Outcome::Panicked { message: a, .. }),
                Some(Outcome::Panicked { message: b, .. }),
            ) => a == b,
            _ => false,
        })
}

/// Equal within tolerance, where NaN equals NaN and infinities equal themselves: a mistake that
/// blows up blows up the same way however it is written. Unlike the judge's `atol + rtol·|expected|`
/// (see `judge::rules::compare`), the scale is `max(|a|, |b|)`: neither side is the expected one
/// here (two wrong programs are compared), so the test must not depend on their order.
fn same(a: &Value, b: &Value, rtol: f64, atol: f64) -> bool {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => x == y,
        (
            Value::Array {
                shape: sa,
                data: da,
            },
            Value::Array {
                shape: sb,
                data: db,
            },
        ) => {
            sa == sb
                && da.iter().zip(db).all(|(&x, &y)| {
                    x == y
                        || (x.is_nan() && y.is_nan())
                        || (x - y).abs() <= atol + rtol * x.abs().max(y.abs())
                })
        }
        _ => false,
    }
}
