//! The table `grade validate` prints: one row per source (reference, stub, each known mistake),
//! one column per check, and every problem in words.

use crate::validate::{Cell, RowKind, Validation};
use colored::Colorize;
use std::fmt::Write as _;

pub fn render(validation: &Validation, color: bool) -> String {
    colored::control::set_override(color);
    let mut out = String::new();
    let mistakes = validation
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Mistake)
        .count();
    let _ = writeln!(
        out,
        "{}: the reference, the stub and {mistakes} known mistakes on {} checks\n",
        validation.exercise.bold(),
        validation.checks.len()
    );
    let name_width = validation
        .rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let header: String = (1..=validation.checks.len())
        .map(|i| format!("{i:>3}"))
        .collect();
    let _ = writeln!(out, "  {:<name_width$} {header}    score", "");
    for row in &validation.rows {
        let cells: String = row
            .cells
            .iter()
            .map(|cell| match cell {
                Cell::Pass => format!("  {}", "✓".green()),
                Cell::Lost { diagnosis: Some(d) } if *d == row.name => format!("  {}", "✗".red()),
                Cell::Lost { diagnosis: Some(_) } => format!("  {}", "≠".yellow().bold()),
                Cell::Lost { diagnosis: None } if row.kind == RowKind::Mistake => {
                    format!("  {}", "?".yellow().bold())
                }
                Cell::Lost { diagnosis: None } => format!("  {}", "✗".red()),
            })
            .collect();
        let verdict = if row.problems.is_empty() {
            "ok".green().to_string()
        } else {
            "PROBLEM".red().bold().to_string()
        };
        let score = format!("{}/{}", row.score, row.max_score);
        let _ = writeln!(
            out,
            "  {:<name_width$} {cells}  {score:>8}  {verdict}",
            row.name
        );
    }
    out.push('\n');
    for (i, id) in validation.checks.iter().enumerate() {
        let _ = writeln!(out, "  {:>2} {id}", i + 1);
    }
    let _ = writeln!(out, "\n  ✓ passes   ✗ loses the points (a mistake: diagnosed as itself)   ? not diagnosed   ≠ diagnosed as another mistake\n");
    let mut problems = 0;
    for row in &validation.rows {
        for problem in &row.problems {
            problems += 1;
            let _ = writeln!(out, "  {} {}: {problem}", "problem:".red().bold(), row.name);
        }
    }
    match validation.expected_current {
        Some(true) => {
            let _ = writeln!(out, "  {} is current", validation.expected_path);
        }
        Some(false) => {
            problems += 1;
            let _ = writeln!(
                out,
                "  {} {} is not current: run `grade bless` to rewrite it",
                "problem:".red().bold(),
                validation.expected_path
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  {} not compared (scenarios derived from --seed)",
                validation.expected_path
            );
        }
    }
    if problems == 0 {
        let _ = writeln!(out, "\n  {}", "validation passed".green().bold());
    } else {
        let _ = writeln!(
            out,
            "\n  {}",
            format!("validation failed: {problems} problem(s)")
                .red()
                .bold()
        );
    }
    out
}
