//! `grade validate`: the instructor's safety net. It proves, from the sources under `solutions/`,
//! that the reference scores full marks, the stub scores nothing, every known mistake loses points
//! and is diagnosed as itself on every check it fails, and that `expected.json` is current.

use crate::error::Result;
use crate::grader::{Grader, Origin};
use crate::judge::Status;
use crate::known;
use crate::score::{BuildSummary, Report};
use crate::stage::Source;

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
