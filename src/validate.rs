//! `grade validate`: the instructor's safety net. It proves, from the sources under `solutions/`,
//! that the reference scores full marks, the stub scores nothing, every known mistake loses points
//! and is diagnosed as itself on every check it fails, and that `expected.json` is current.

use crate::bilingual::Untranslated;
use crate::error::{Error, Result};
use crate::grader::{Grader, Origin};
use crate::judge::Status;
use crate::known::{self, Known, KnownMistake};
use crate::progress::Progress;
use crate::score::{BuildSummary, CheckResult, Report};
use crate::stage::Source;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What `validate` found.
#[derive(Debug, Clone)]
pub struct Validation {
    pub exercise: String,
    /// The check ids, the table's columns.
    pub checks: Vec<String>,
    /// The reference, the stub, then each known mistake.
    pub rows: Vec<Row>,
    /// Whether `expected.json` holds exactly what the sources give (`None` with `--seed`, where
    /// it does not apply).
    pub expected_current: Option<bool>,
    /// Where `expected.json` is.
    pub expected_path: String,
    /// The exercise's sentences (in `exercise.toml` and `mistakes.toml`) that lack a language.
    pub untranslated: Vec<Untranslated>,
}

/// One graded source.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub kind: RowKind,
    pub score: u32,
    pub max_score: u32,
    /// One per check.
    pub cells: Vec<Cell>,
    /// What is wrong with this row; empty when it behaves as it must.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Reference,
    Stub,
    Mistake,
}

/// How one source did on one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Pass,
    /// Lost the points, and was diagnosed as this mistake (or as none).
    Lost {
        diagnosis: Option<String>,
    },
}

impl Validation {
    /// Every row behaves as it must and `expected.json` is current (when it applies).
    pub fn passed(&self) -> bool {
        self.rows.iter().all(|r| r.problems.is_empty())
            && self.expected_current != Some(false)
            && self.untranslated.is_empty()
    }
}

pub fn validate(grader: &Grader) -> Result<Validation> {
    let known = grader.known(Origin::Sources)?;
    let spec = &grader.spec;
    let mut rows = vec![reference_row(grader, &known)];
    rows.push(stub_row(grader)?);
    rows.extend(
        known
            .mistakes
            .iter()
            .map(|mistake| mistake_row(grader, mistake, &known)),
    );
    let expected_current = if grader.seed().is_some() {
        None
    } else {
        let blessed = known::read_expected(&spec.expected)?;
        Some(blessed.is_some_and(|b| known::same_observations(&b, &known)))
    };
    Ok(Validation {
        exercise: spec.name.clone(),
        checks: spec.checks.iter().map(|c| c.id.clone()).collect(),
        rows,
        expected_current,
        expected_path: spec.expected.display().to_string(),
        untranslated: [
            spec.untranslated.clone(),
            known::untranslated_in_catalog(spec)?,
        ]
        .concat(),
    })
}

/// Known observations are judged as from a build that compiled.
fn compiled() -> BuildSummary {
    BuildSummary {
        ok: true,
        diagnostics: String::new(),
    }
}

/// The reference must score full marks.
fn reference_row(grader: &Grader, known: &Known) -> Row {
    let reference = grader.report("reference", compiled(), &known.reference, known);
    let mut row = row_of("reference", RowKind::Reference, &reference);
    if reference.score != reference.max_score {
        let lost: Vec<String> = reference
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .map(|c| format!("{} ({})", c.id, c.message))
            .collect();
        row.problems.push(crate::tr!(
            "validate-reference-not-full",
            lost = lost.join("; ")
        ));
    }
    row
}

/// The stub, the exercise folder's own files, must pass no check.
fn stub_row(grader: &Grader) -> Result<Row> {
    let spec = &grader.spec;
    let stub = Source::read(spec, &spec.dir)?;
    let stub_report = grader.grade(&stub)?;
    let mut row = row_of("stub", RowKind::Stub, &stub_report);
    let passed: Vec<&str> = stub_report
        .checks
        .iter()
        .filter(|c| c.status == Status::Pass)
        .map(|c| c.id.as_str())
        .collect();
    if !passed.is_empty() {
        row.problems.push(crate::tr!(
            "validate-stub-passes",
            checks = passed.join(", ")
        ));
    }
    Ok(row)
}

/// A known mistake must lose points, and be diagnosed as itself on every check it loses.
fn mistake_row(grader: &Grader, mistake: &KnownMistake, known: &Known) -> Row {
    let report = grader.report(&mistake.id, compiled(), &mistake.outcomes, known);
    let mut row = row_of(&mistake.id, RowKind::Mistake, &report);
    if report.score == report.max_score {
        row.problems.push(crate::tr!(
            "validate-mistake-not-caught",
            id = &mistake.id,
            title = mistake.title.get()
        ));
    }
    for check in report.checks.iter().filter(|c| c.status != Status::Pass) {
        match &check.diagnosis {
            Some(d) if *d == mistake.id => {}
            Some(other) => row.problems.push(crate::tr!(
                "validate-diagnosed-as",
                check = &check.id,
                other = other
            )),
            None => row.problems.push(crate::tr!(
                "validate-not-diagnosed",
                check = &check.id,
                message = check.message.lines().next().unwrap_or("")
            )),
        }
    }
    row
}

fn row_of(name: &str, kind: RowKind, report: &Report) -> Row {
    Row {
        name: name.to_string(),
        kind,
        score: report.score,
        max_score: report.max_score,
        cells: report
            .checks
            .iter()
            .map(|c| {
                if c.status == Status::Pass {
                    Cell::Pass
                } else {
                    Cell::Lost {
                        diagnosis: c.diagnosis.clone(),
                    }
                }
            })
            .collect(),
        problems: Vec::new(),
    }
}

/// What `grade validate --seeds N` found: the reference and every known mistake graded on the
/// scenarios of many seeds, against what they do on the shipped ones.
#[derive(Debug)]
pub struct Sweep {
    /// The check ids, the table's columns.
    pub checks: Vec<String>,
    /// The seeds swept.
    pub seeds: Vec<u64>,
    /// The reference, then each known mistake.
    pub rows: Vec<SweepRow>,
    /// Per check, how many known mistakes it caught.
    pub caught: Vec<Caught>,
    /// Seeds whose scenarios the reference or the probe could not get through, with the error
    /// (an [`Error::Reference`] or an [`Error::Probe`]).
    pub failed_seeds: Vec<(u64, Error)>,
}

/// One source over every seed.
#[derive(Debug, Clone)]
pub struct SweepRow {
    pub name: String,
    pub kind: RowKind,
    /// Per check: whether it loses the points on the shipped seeds.
    pub shipped: Vec<bool>,
    /// Per check: under how many of the swept seeds it loses the points.
    pub lost: Vec<usize>,
    /// What is wrong with this row, with the seeds where it happens; empty when it behaves the
    /// same under every seed.
    pub problems: Vec<String>,
}

/// How many known mistakes one check caught: on the shipped seeds, and the fewest under any
/// swept seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caught {
    pub shipped: usize,
    pub fewest: usize,
    /// A seed where it caught that few.
    pub fewest_seed: Option<u64>,
}

impl Sweep {
    /// The reference passed, and every mistake lost the same checks and was recognised on each,
    /// under every seed.
    pub fn passed(&self) -> bool {
        self.failed_seeds.is_empty() && self.rows.iter().all(|r| r.problems.is_empty())
    }
}

/// At most this many seeds are named in one problem.
const SEEDS_NAMED: usize = 5;

/// Grades the reference and every known mistake on the scenarios of each seed of `seeds`, and
/// compares what each loses with what it loses on the shipped seeds (`shipped`, from
/// [`validate`]). `progress` hears of each seed as it starts.
pub fn sweep(
    grader: &Grader,
    shipped: &Validation,
    seeds: &[u64],
    progress: &(dyn Fn(usize, u64) + Sync),
) -> Result<Sweep> {
    let mut tally = Tally::new(shipped, grader.spec.checks.len());
    // The sweep reports its own progress, a seed at a time.
    let quiet: Arc<dyn Fn(Progress) + Sync + Send> = Arc::new(|_| {});
    for (n, &seed) in seeds.iter().enumerate() {
        progress(n, seed);
        match reports_under(grader, seed, quiet.clone()) {
            Ok(reports) => tally.add(seed, &reports),
            // The reference failing, or the probe refusing a scenario, is a finding of the sweep.
            Err(e @ (Error::Reference { .. } | Error::Probe { .. })) => {
                tally.failed_seeds.push((seed, e))
            }
            Err(e) => return Err(e),
        }
    }
    let checks = grader.spec.checks.iter().map(|c| c.id.clone()).collect();
    Ok(tally.finish(checks, seeds))
}

/// The reference's report, then each known mistake's, on the scenarios of `seed`.
fn reports_under(
    grader: &Grader,
    seed: u64,
    quiet: Arc<dyn Fn(Progress) + Sync + Send>,
) -> Result<Vec<Report>> {
    let graded = grader.reseeded(seed, quiet);
    let known = graded.known(Origin::Sources)?;
    let mut reports = vec![graded.report("reference", compiled(), &known.reference, &known)];
    reports.extend(
        known
            .mistakes
            .iter()
            .map(|m| graded.report(&m.id, compiled(), &m.outcomes, &known)),
    );
    Ok(reports)
}

/// What the sweep has seen so far.
struct Tally {
    /// The reference, then each known mistake.
    rows: Vec<SweepRow>,
    /// Per row, per kind of problem: the seeds where it happened.
    differs: Vec<BTreeMap<String, Vec<u64>>>,
    /// Per check; `fewest` is `usize::MAX` until a seed is swept.
    caught: Vec<Caught>,
    failed_seeds: Vec<(u64, Error)>,
}

impl Tally {
    /// Nothing swept yet: the rows of `shipped` but the stub, each with what it loses on the
    /// shipped seeds.
    fn new(shipped: &Validation, checks: usize) -> Tally {
        let baseline: Vec<&Row> = shipped
            .rows
            .iter()
            .filter(|r| r.kind != RowKind::Stub)
            .collect();
        let rows: Vec<SweepRow> = baseline
            .iter()
            .map(|r| SweepRow {
                name: r.name.clone(),
                kind: r.kind,
                shipped: r.cells.iter().map(|c| *c != Cell::Pass).collect(),
                lost: vec![0; checks],
                problems: Vec::new(),
            })
            .collect();
        let caught = (0..checks)
            .map(|c| Caught {
                shipped: baseline
                    .iter()
                    .filter(|r| r.kind == RowKind::Mistake && r.cells[c] != Cell::Pass)
                    .count(),
                fewest: usize::MAX,
                fewest_seed: None,
            })
            .collect();
        Tally {
            differs: vec![BTreeMap::new(); rows.len()],
            rows,
            caught,
            failed_seeds: Vec::new(),
        }
    }

    /// Counts one seed's `reports`, one per row in order.
    fn add(&mut self, seed: u64, reports: &[Report]) {
        let mut caught_now = vec![0; self.caught.len()];
        for ((row, problems), report) in self.rows.iter_mut().zip(&mut self.differs).zip(reports) {
            for (c, check) in report.checks.iter().enumerate() {
                let lost = check.status != Status::Pass;
                row.lost[c] += usize::from(lost);
                if lost && row.kind == RowKind::Mistake {
                    caught_now[c] += 1;
                }
                for problem in problems_on(row, c, check) {
                    problems.entry(problem).or_default().push(seed);
                }
            }
        }
        for (caught, count) in self.caught.iter_mut().zip(caught_now) {
            if count < caught.fewest {
                caught.fewest = count;
                caught.fewest_seed = Some(seed);
            }
        }
    }

    /// The sweep of `seeds`, each row's problems said with the seeds where they happened.
    fn finish(mut self, checks: Vec<String>, seeds: &[u64]) -> Sweep {
        for (row, problems) in self.rows.iter_mut().zip(self.differs) {
            for (what, seen) in problems {
                row.problems.push(under_seeds(&what, &seen, seeds.len()));
            }
        }
        for c in &mut self.caught {
            if c.fewest == usize::MAX {
                c.fewest = 0;
            }
        }
        Sweep {
            checks,
            seeds: seeds.to_vec(),
            rows: self.rows,
            caught: self.caught,
            failed_seeds: self.failed_seeds,
        }
    }
}

/// What is wrong with `row` on its check `c` under one seed: a result other than on the shipped
/// seeds, and for a mistake that loses the check, a diagnosis other than itself.
fn problems_on(row: &SweepRow, c: usize, check: &CheckResult) -> Vec<String> {
    let lost = check.status != Status::Pass;
    let mut problems = Vec::new();
    if lost != row.shipped[c] {
        let change = if lost { "loses" } else { "passes" };
        problems.push(format!("{change} {}", check.id));
    }
    if lost && row.kind == RowKind::Mistake && check.diagnosis.as_deref() != Some(&row.name) {
        problems.push(match &check.diagnosis {
            Some(other) => format!("is diagnosed as `{other}` on {}", check.id),
            None => format!("is not diagnosed on {}", check.id),
        });
    }
    problems
}

/// "`what` under 7 of 200 seeds (seed 3, 9, 12, 40, 41 and 2 more)".
fn under_seeds(what: &str, seen: &[u64], swept: usize) -> String {
    let named: Vec<String> = seen.iter().take(SEEDS_NAMED).map(u64::to_string).collect();
    let more = seen.len().saturating_sub(SEEDS_NAMED);
    let and_more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "{what} under {} of {swept} seeds (seed {}{and_more})",
        seen.len(),
        named.join(", ")
    )
}
