//! A class's results: what one batch (or the merge of its shards) found, submission by
//! submission, as the machine-readable `results.json` a shard hands to `grade merge`; and the
//! [`ClassSummary`] the class report's renderers take, made from those results alone.

use crate::judge::Status;
use crate::score::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The layout version of `results.json`; `grade merge` refuses others.
pub const RESULTS_VERSION: u32 = 1;

/// Everything a batch found, in `results.json`: enough to write the gradebook, every report and
/// the class report again without the exercise or the submissions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// [`RESULTS_VERSION`] when written.
    pub version: u32,
    /// The exercise's short name.
    pub exercise: String,
    /// The exercise's title.
    pub title: String,
    /// The `--seed` every scenario was derived from; `null` for the shipped seeds.
    pub seed: Option<u64>,
    /// The exercise's checks, in its order.
    pub checks: Vec<CheckInfo>,
    /// The known mistakes a diagnosis may name.
    pub mistakes: Vec<MistakeInfo>,
    /// The whole submissions folder, as every shard of it must have seen it.
    pub folder: Folder,
    /// Which share of the folder this is; `null` for the whole folder.
    pub shard: Option<Shard>,
    /// One per submission graded here, sorted by name.
    pub submissions: Vec<Submission>,
}

/// A check of the exercise, as the class report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInfo {
    /// Its id, e.g. `backward.d_biases`.
    pub id: String,
    /// What passes, in words.
    pub title: String,
    /// Its points.
    pub points: u32,
}

/// A known mistake of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MistakeInfo {
    /// Its id, as diagnoses name it.
    pub id: String,
    /// What the mistake is.
    pub title: String,
    /// What to do about it.
    pub hint: String,
}

/// The submissions folder a batch was given, all of it (not only a shard's share).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    /// How many submissions it holds.
    pub entries: usize,
    /// SHA-256 of every entry's name and size: shards that saw different folders differ here.
    pub fingerprint: String,
}

/// One share of a folder split for several machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// From 0 to `count - 1`.
    pub index: usize,
    /// How many shards the folder was split into.
    pub count: usize,
}

/// What became of one submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Its name in the gradebook.
    pub name: String,
    /// The bytes of its graded files, which shards are balanced by.
    pub bytes: u64,
    /// Its report, or why it could not be graded.
    pub outcome: Outcome,
}

/// A submission's report, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Graded (whatever the score).
    Graded(Box<Report>),
    /// Could not be graded: the error's message.
    NotGraded(String),
}

impl Submission {
    pub fn report(&self) -> Option<&Report> {
        match &self.outcome {
            Outcome::Graded(report) => Some(report),
            Outcome::NotGraded(_) => None,
        }
    }
}

/// Where a submission's own report is written, relative to the batch's output folder (a name
/// cannot hold `/`, so no report can land on another or on the class's files).
pub fn report_path(name: &str, extension: &str) -> String {
    format!("reports/{name}.{extension}")
}

/// What the class report shows: made from [`Results`] by [`summarise`], rendered by
/// `report::class_html` and `report::class_markdown`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSummary {
    /// The exercise's short name.
    pub exercise: String,
    /// The exercise's title.
    pub title: String,
    /// The most points a submission can get.
    pub max_score: u32,
    /// Whether the scenarios were derived from a hidden seed (its value is never shown).
    pub hidden_seed: bool,
    /// Submissions in the folder.
    pub submitted: usize,
    /// The score of every graded submission, in name order.
    pub scores: Vec<u32>,
    /// Graded submissions with every check passed.
    pub full_marks: usize,
    /// Each check's pass count, in the exercise's order.
    pub checks: Vec<CheckRate>,
    /// The recognised mistakes, the most common first.
    pub mistakes: Vec<MistakeCount>,
    /// Per check, the failures no known mistake explains (checks without any left out).
    pub unexplained: Vec<Unexplained>,
    /// Graded submissions that did not compile, with the compiler's first error line.
    pub not_compiling: Vec<Named>,
    /// Submissions that could not be graded, with why.
    pub not_graded: Vec<Named>,
    /// Every submission, in name order.
    pub rows: Vec<Row>,
}

/// How many graded submissions passed one check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRate {
    /// The check's id.
    pub id: String,
    /// What passes, in words.
    pub title: String,
    /// Its points.
    pub points: u32,
    /// Graded submissions that passed it.
    pub passed: usize,
    /// Graded submissions (the rate's denominator).
    pub graded: usize,
}

/// A known mistake and who makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct MistakeCount {
    /// The mistake's id.
    pub id: String,
    /// What it is (its id when the catalogue does not know it).
    pub title: String,
    /// What to do about it.
    pub hint: String,
    /// The checks it was recognised on, in the exercise's order.
    pub checks: Vec<String>,
    /// The submissions that make it, in name order.
    pub submissions: Vec<String>,
}

/// The failures of one check that no known mistake explains: what to add to the catalogue next.
#[derive(Debug, Clone, PartialEq)]
pub struct Unexplained {
    /// The check's id.
    pub check: String,
    /// What passes, in words.
    pub title: String,
    /// Each failing submission with the check's message.
    pub failures: Vec<Named>,
}

/// A submission's name with a line about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// The submission's name.
    pub name: String,
    /// What is said of it.
    pub text: String,
}

/// One row of the table of every submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The submission's name.
    pub name: String,
    /// Its score; `None` when it could not be graded.
    pub score: Option<u32>,
    /// Whether it compiled; `None` when it could not be graded.
    pub compiles: Option<bool>,
    /// Its own report, relative to the class report; `None` when it has none.
    pub report: Option<String>,
    /// The known mistakes recognised in it.
    pub mistakes: Vec<String>,
    /// Why it could not be graded.
    pub error: Option<String>,
}

impl ClassSummary {
    /// The graded submissions.
    pub fn graded(&self) -> usize {
        self.scores.len()
    }

    /// The mean score, when anything was graded.
    pub fn mean(&self) -> Option<f64> {
        (!self.scores.is_empty()).then(|| {
            self.scores.iter().map(|&s| f64::from(s)).sum::<f64>() / self.scores.len() as f64
        })
    }

    /// The median score, when anything was graded.
    pub fn median(&self) -> Option<f64> {
        let mut sorted = self.scores.clone();
        sorted.sort_unstable();
        let n = sorted.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(f64::from(sorted[n / 2])),
            _ => Some((f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0),
        }
    }

    /// The score distribution in ten bins of a tenth of the maximum each (the last one holds the
    /// maximum): each bin's lowest score, highest score and count.
    pub fn bins(&self) -> Vec<(u32, u32, usize)> {
        let max = self.max_score.max(1);
        let bins = max.min(10);
        // The lowest score of bin b is the first whose bin is b: ⌈max·b / bins⌉.
        let low = |b: u32| (max * b).div_ceil(bins);
        (0..bins)
            .map(|b| {
                let high = if b + 1 == bins { max } else { low(b + 1) - 1 };
                let count = self
                    .scores
                    .iter()
                    .filter(|&&s| bin_of(s, max, bins) == b)
                    .count();
                (low(b), high, count)
            })
            .collect()
    }
}

/// The bin of `score` among `bins` equal bins of `0..=max`.
fn bin_of(score: u32, max: u32, bins: u32) -> u32 {
    (u64::from(score.min(max)) * u64::from(bins) / u64::from(max)).min(u64::from(bins - 1)) as u32
}

/// The class summary of `results`: counts, rates, mistakes ranked, the unexplained, the rest.
pub fn summarise(results: &Results) -> ClassSummary {
    let reports: Vec<(&str, &Report)> = results
        .submissions
        .iter()
        .filter_map(|s| Some((s.name.as_str(), s.report()?)))
        .collect();
    ClassSummary {
        exercise: results.exercise.clone(),
        title: results.title.clone(),
        max_score: results.checks.iter().map(|c| c.points).sum(),
        hidden_seed: results.seed.is_some(),
        submitted: results.submissions.len(),
        scores: reports.iter().map(|(_, r)| r.score).collect(),
        full_marks: reports.iter().filter(|(_, r)| r.all_passed()).count(),
        checks: check_rates(&results.checks, &reports),
        mistakes: mistake_counts(results, &reports),
        unexplained: unexplained(&results.checks, &reports),
        not_compiling: reports
            .iter()
            .filter(|(_, r)| !r.build.ok)
            .map(|(name, r)| Named {
                name: name.to_string(),
                text: first_error(&r.build.diagnostics),
            })
            .collect(),
        not_graded: results
            .submissions
            .iter()
            .filter_map(|s| match &s.outcome {
                Outcome::NotGraded(error) => Some(Named {
                    name: s.name.clone(),
                    text: error.clone(),
                }),
                Outcome::Graded(_) => None,
            })
            .collect(),
        rows: results.submissions.iter().map(row).collect(),
    }
}

fn check_rates(checks: &[CheckInfo], reports: &[(&str, &Report)]) -> Vec<CheckRate> {
    checks
        .iter()
        .map(|check| CheckRate {
            id: check.id.clone(),
            title: check.title.clone(),
            points: check.points,
            passed: reports
                .iter()
                .filter(|(_, r)| {
                    r.checks
                        .iter()
                        .any(|c| c.id == check.id && c.status == Status::Pass)
                })
                .count(),
            graded: reports.len(),
        })
        .collect()
}

/// Each recognised mistake with its submissions (each once, however many checks it shows on),
/// the most common first, then by id.
fn mistake_counts(results: &Results, reports: &[(&str, &Report)]) -> Vec<MistakeCount> {
    let mut found: BTreeMap<&str, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for (name, report) in reports {
        for check in &report.checks {
            let Some(mistake) = &check.diagnosis else {
                continue;
            };
            let (checks, names) = found.entry(mistake).or_default();
            if !checks.contains(&check.id) {
                checks.push(check.id.clone());
            }
            if names.last().map(String::as_str) != Some(name) {
                names.push(name.to_string());
            }
        }
    }
    let order = |id: &str| results.checks.iter().position(|c| c.id == id);
    let mut counts: Vec<MistakeCount> = found
        .into_iter()
        .map(|(id, (mut checks, submissions))| {
            checks.sort_by_key(|c| order(c));
            let known = results.mistakes.iter().find(|m| m.id == id);
            MistakeCount {
                id: id.to_string(),
                title: known.map_or_else(|| id.to_string(), |m| m.title.clone()),
                hint: known.map(|m| m.hint.clone()).unwrap_or_default(),
                checks,
                submissions,
            }
        })
        .collect();
    counts.sort_by(|a, b| {
        b.submissions
            .len()
            .cmp(&a.submissions.len())
            .then_with(|| a.id.cmp(&b.id))
    });
    counts
}

/// Per check, the compiled submissions that did not pass it and whose failure no known mistake
/// explains (a submission that does not compile fails every check for that one reason, said
/// apart).
fn unexplained(checks: &[CheckInfo], reports: &[(&str, &Report)]) -> Vec<Unexplained> {
    checks
        .iter()
        .filter_map(|check| {
            let failures: Vec<Named> = reports
                .iter()
                .filter(|(_, r)| r.build.ok)
                .filter_map(|(name, r)| {
                    let c = r.checks.iter().find(|c| c.id == check.id)?;
                    (c.status != Status::Pass && c.diagnosis.is_none()).then(|| Named {
                        name: name.to_string(),
                        text: c.message.clone(),
                    })
                })
                .collect();
            (!failures.is_empty()).then(|| Unexplained {
                check: check.id.clone(),
                title: check.title.clone(),
                failures,
            })
        })
        .collect()
}

fn row(submission: &Submission) -> Row {
    match &submission.outcome {
        Outcome::Graded(report) => {
            let mut mistakes: Vec<String> = Vec::new();
            for m in report.checks.iter().filter_map(|c| c.diagnosis.as_ref()) {
                if !mistakes.contains(m) {
                    mistakes.push(m.clone());
                }
            }
            Row {
                name: submission.name.clone(),
                score: Some(report.score),
                compiles: Some(report.build.ok),
                report: Some(report_path(&submission.name, "md")),
                mistakes,
                error: None,
            }
        }
        Outcome::NotGraded(error) => Row {
            name: submission.name.clone(),
            score: None,
            compiles: None,
            report: None,
            mistakes: Vec::new(),
            error: Some(error.clone()),
        },
    }
}

/// The compiler's first error line, e.g. "error[E0425]: cannot find value `x` in this scope".
fn first_error(diagnostics: &str) -> String {
    diagnostics
        .lines()
        .find(|l| l.starts_with("error"))
        .or_else(|| diagnostics.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::sample;

    /// A class of four: a mixed report, one that does not compile, one that could not be graded,
    /// and a hostile name.
    pub fn class() -> Results {
        let mixed = sample::mixed();
        let mut hostile = sample::mixed();
        hostile.submission = "<script>alert(\"x\")</script>'".into();
        let broken = sample::not_compiling();
        let graded = |name: &str, report: &Report| Submission {
            name: name.into(),
            bytes: 100,
            outcome: Outcome::Graded(Box::new(report.clone())),
        };
        Results {
            version: RESULTS_VERSION,
            exercise: mixed.exercise.clone(),
            title: mixed.title.clone(),
            seed: None,
            checks: mixed
                .checks
                .iter()
                .map(|c| CheckInfo {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    points: c.max_score,
                })
                .collect(),
            mistakes: vec![MistakeInfo {
                id: "sign_flipped_update".into(),
                title: "the update <goes> uphill".into(),
                hint: "Gradient descent subtracts.".into(),
            }],
            folder: Folder {
                entries: 4,
                fingerprint: "f".into(),
            },
            shard: None,
            submissions: vec![
                graded("<script>alert(\"x\")</script>'", &hostile),
                graded("alice", &mixed),
                graded("bob", &broken),
                Submission {
                    name: "carol".into(),
                    bytes: 0,
                    outcome: Outcome::NotGraded("no `src/backprop.rs` in carol".into()),
                },
            ],
        }
    }

    #[test]
    fn the_summary_counts_rates_mistakes_and_what_is_unexplained() {
        let summary = summarise(&class());
        assert_eq!(summary.submitted, 4);
        assert_eq!(summary.scores, [10, 10, 0]);
        assert_eq!(summary.max_score, 35);
        assert_eq!(summary.checks[0].passed, 2);
        assert_eq!(summary.checks[0].graded, 3);
        assert_eq!(summary.mistakes.len(), 1);
        assert_eq!(summary.mistakes[0].title, "the update <goes> uphill");
        assert_eq!(summary.mistakes[0].checks, ["backward.update"]);
        assert_eq!(summary.mistakes[0].submissions.len(), 2);
        // The error of train.loss_decreases is not explained; the one that does not compile is
        // said apart, not among them.
        assert_eq!(summary.unexplained.len(), 1);
        assert_eq!(summary.unexplained[0].check, "train.loss_decreases");
        assert_eq!(summary.unexplained[0].failures.len(), 2);
        assert_eq!(summary.not_compiling[0].name, "bob");
        assert_eq!(
            summary.not_compiling[0].text,
            "error: expected `;`, found `}`"
        );
        assert_eq!(summary.not_graded[0].name, "carol");
        assert_eq!(summary.rows[3].report, None);
        assert_eq!(summary.rows[1].report.as_deref(), Some("reports/alice.md"));
        assert_eq!(summary.median(), Some(10.0));
    }

    #[test]
    fn results_with_nan_read_back_as_they_were_written() {
        // JSON has no NaN: serde_json writes null, which must read back (as `grade merge` reads a
        // shard's results) rather than refuse the shard.
        let mut results = class();
        let Outcome::Graded(report) = &mut results.submissions[1].outcome else {
            unreachable!()
        };
        let worst = report.checks[1].worst.as_mut().unwrap();
        worst.expected = f64::NAN;
        worst.got = f64::INFINITY;
        report.charts.push(crate::score::Chart {
            check: "fit.loss_values".into(),
            title: "loss".into(),
            key: "losses".into(),
            submission: Some(vec![0.5, f64::NAN]),
            reference: None,
        });
        let text = serde_json::to_string(&results).unwrap();
        let back: Results = serde_json::from_str(&text).unwrap();
        let report = back.submissions[1].report().unwrap();
        let worst = report.checks[1].worst.as_ref().unwrap();
        assert!(worst.expected.is_nan() && worst.got.is_nan(), "{worst:?}");
        let series = report.charts[0].submission.as_ref().unwrap();
        assert_eq!(series[0], 0.5);
        assert!(series[1].is_nan());
        assert_eq!(report.charts[0].reference, None);
        // Written again, it is the same text.
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn bins_cover_every_score_once_and_the_maximum_is_in_the_last() {
        let mut summary = summarise(&class());
        summary.max_score = 100;
        summary.scores = vec![0, 9, 10, 55, 99, 100, 100];
        let bins = summary.bins();
        assert_eq!(bins.len(), 10);
        assert_eq!(bins[0], (0, 9, 2));
        assert_eq!(bins[1], (10, 19, 1));
        assert_eq!(bins[9], (90, 100, 3));
        assert_eq!(bins.iter().map(|b| b.2).sum::<usize>(), 7);
        // A tiny maximum: one bin per point.
        summary.max_score = 3;
        summary.scores = vec![0, 3];
        assert_eq!(summary.bins(), [(0, 0, 1), (1, 1, 0), (2, 3, 1)]);
    }

    #[test]
    fn an_empty_class_has_no_mean_and_empty_bins() {
        let mut results = class();
        results.submissions.clear();
        let summary = summarise(&results);
        assert_eq!(summary.mean(), None);
        assert_eq!(summary.median(), None);
        assert!(summary.bins().iter().all(|b| b.2 == 0));
        assert!(summary.mistakes.is_empty() && summary.rows.is_empty());
    }
}
