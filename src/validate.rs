//! `grade validate`: the instructor's safety net. It proves, from the sources under `solutions/`,
//! that the reference scores full marks, the stub scores nothing, every known mistake loses points
//! and is diagnosed as itself on every check it fails, and that `expected.json` is current.

use crate::error::Result;
use crate::grader::{Grader, Origin};
use crate::judge::Status;
use crate::known;
use crate::score::{BuildSummary, Report};
use crate::stage::Source;
use std::collections::BTreeMap;

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
        self.rows.iter().all(|r| r.problems.is_empty()) && self.expected_current != Some(false)
    }
}

pub fn validate(grader: &Grader) -> Result<Validation> {
    let known = grader.known(Origin::Sources)?;
    let spec = &grader.spec;
    let built = BuildSummary {
        ok: true,
        diagnostics: String::new(),
    };
    let mut rows = Vec::new();

    let reference = grader.report("reference", built.clone(), &known.reference, &known);
    let mut row = row_of("reference", RowKind::Reference, &reference);
    if reference.score != reference.max_score {
        let lost: Vec<String> = reference
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .map(|c| format!("{} ({})", c.id, c.message))
            .collect();
        row.problems.push(format!(
            "the reference does not score full marks: {}",
            lost.join("; ")
        ));
    }
    rows.push(row);

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
        row.problems
            .push(format!("the stub passes {}", passed.join(", ")));
    }
    rows.push(row);

    for mistake in &known.mistakes {
        let report = grader.report(&mistake.id, built.clone(), &mistake.outcomes, &known);
        let mut row = row_of(&mistake.id, RowKind::Mistake, &report);
        if report.score == report.max_score {
            row.problems.push(format!(
                "loses no points: no check catches `{}` ({})",
                mistake.id, mistake.title
            ));
        }
        for check in report.checks.iter().filter(|c| c.status != Status::Pass) {
            match &check.diagnosis {
                Some(d) if *d == mistake.id => {}
                Some(other) => row
                    .problems
                    .push(format!("on {} it is diagnosed as `{other}`", check.id)),
                None => row.problems.push(format!(
                    "on {} it is not diagnosed ({})",
                    check.id,
                    check.message.lines().next().unwrap_or("")
                )),
            }
        }
        rows.push(row);
    }

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
    })
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
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The check ids, the table's columns.
    pub checks: Vec<String>,
    /// The seeds swept.
    pub seeds: Vec<u64>,
    /// The reference, then each known mistake.
    pub rows: Vec<SweepRow>,
    /// Per check, how many known mistakes it caught.
    pub caught: Vec<Caught>,
    /// Seeds whose scenarios the reference or the probe could not get through, with the reason.
    pub failed_seeds: Vec<(u64, String)>,
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
    let spec = &grader.spec;
    let baseline: Vec<&Row> = shipped
        .rows
        .iter()
        .filter(|r| r.kind != RowKind::Stub)
        .collect();
    let lost = |cells: &[Cell]| -> Vec<bool> { cells.iter().map(|c| *c != Cell::Pass).collect() };
    let mut rows: Vec<SweepRow> = baseline
        .iter()
        .map(|r| SweepRow {
            name: r.name.clone(),
            kind: r.kind,
            shipped: lost(&r.cells),
            lost: vec![0; spec.checks.len()],
            problems: Vec::new(),
        })
        .collect();
    // Per row, per kind of problem: the seeds where it happened.
    let mut differs: Vec<BTreeMap<String, Vec<u64>>> = vec![BTreeMap::new(); rows.len()];
    let mut caught: Vec<Caught> = (0..spec.checks.len())
        .map(|c| {
            let shipped = baseline
                .iter()
                .filter(|r| r.kind == RowKind::Mistake && r.cells[c] != Cell::Pass)
                .count();
            Caught {
                shipped,
                fewest: usize::MAX,
                fewest_seed: None,
            }
        })
        .collect();
    let mut failed_seeds = Vec::new();
    let quiet: std::sync::Arc<dyn Fn(crate::progress::Progress) + Sync + Send> =
        std::sync::Arc::new(|_| {});
    for (n, &seed) in seeds.iter().enumerate() {
        progress(n, seed);
        let graded = grader.reseeded(seed, quiet.clone());
        let known = match graded.known(Origin::Sources) {
            Ok(known) => known,
            // The reference failing, or the probe refusing a scenario, is a finding of the sweep.
            Err(e @ (crate::Error::Reference { .. } | crate::Error::Probe { .. })) => {
                failed_seeds.push((seed, e.to_string()));
                continue;
            }
            Err(e) => return Err(e),
        };
        let built = BuildSummary {
            ok: true,
            diagnostics: String::new(),
        };
        let mut reports = vec![graded.report("reference", built.clone(), &known.reference, &known)];
        reports.extend(
            known
                .mistakes
                .iter()
                .map(|m| graded.report(&m.id, built.clone(), &m.outcomes, &known)),
        );
        let mut caught_now = vec![0; spec.checks.len()];
        for ((row, problems), report) in rows.iter_mut().zip(&mut differs).zip(&reports) {
            for (c, check) in report.checks.iter().enumerate() {
                let lost = check.status != Status::Pass;
                row.lost[c] += usize::from(lost);
                if lost && row.kind == RowKind::Mistake {
                    caught_now[c] += 1;
                }
                if lost != row.shipped[c] {
                    let change = if lost { "loses" } else { "passes" };
                    problems
                        .entry(format!("{change} {}", check.id))
                        .or_default()
                        .push(seed);
                }
                if lost
                    && row.kind == RowKind::Mistake
                    && check.diagnosis.as_deref() != Some(&row.name)
                {
                    let as_what = match &check.diagnosis {
                        Some(other) => format!("is diagnosed as `{other}` on {}", check.id),
                        None => format!("is not diagnosed on {}", check.id),
                    };
                    problems.entry(as_what).or_default().push(seed);
                }
            }
        }
        for (c, count) in caught_now.into_iter().enumerate() {
            if count < caught[c].fewest {
                caught[c].fewest = count;
                caught[c].fewest_seed = Some(seed);
            }
        }
    }
    for (row, problems) in rows.iter_mut().zip(differs) {
        for (what, seeds_seen) in problems {
            let named: Vec<String> = seeds_seen
                .iter()
                .take(SEEDS_NAMED)
                .map(u64::to_string)
                .collect();
            let more = seeds_seen.len().saturating_sub(SEEDS_NAMED);
            let and_more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            row.problems.push(format!(
                "{what} under {} of {} seeds (seed {}{and_more})",
                seeds_seen.len(),
                seeds.len(),
                named.join(", ")
            ));
        }
    }
    for c in &mut caught {
        if c.fewest == usize::MAX {
            c.fewest = 0;
        }
    }
    Ok(Sweep {
        checks: spec.checks.iter().map(|c| c.id.clone()).collect(),
        seeds: seeds.to_vec(),
        rows,
        caught,
        failed_seeds,
    })
}
