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
        title: check.title.clone(),
        status: verdict.status,
        score,
        max_score: check.points,
        message: verdict.message,
        worst: verdict.worst,
        diagnosis: diagnosis.as_ref().map(|d| d.mistake.clone()),
        hint: diagnosis.map(|d| d.hint),
    }
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
        }
    }

    /// Every check passed.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.status == Status::Pass)
    }
}
