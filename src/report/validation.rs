//! The table `grade validate` prints: one row per source (reference, stub, each known mistake),
//! one column per check, and every problem in words.

use crate::validate::{Cell, RowKind, Sweep, Validation};
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

/// The table `grade validate --seeds N` prints: per source and check, whether it loses the points
/// under every seed as on the shipped ones (or under how many seeds it does), then how many known
/// mistakes each check caught, on the shipped seeds and at the fewest under any seed.
pub fn render_sweep(sweep: &Sweep, color: bool) -> String {
    colored::control::set_override(color);
    let mut out = String::new();
    let n = sweep.seeds.len();
    let seeds = match (sweep.seeds.first(), sweep.seeds.last()) {
        (Some(first), Some(last)) if n > 1 => format!("seeds {first} to {last}"),
        (Some(first), _) => format!("seed {first}"),
        _ => "no seed".to_string(),
    };
    let _ = writeln!(
        out,
        "\n{}: the reference and {} known mistakes under {seeds}, against the shipped seeds\n",
        "seed sweep".bold(),
        sweep
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Mistake)
            .count()
    );
    let labels = ["caught on the shipped seeds", "caught at the fewest"];
    let name_width = sweep
        .rows
        .iter()
        .map(|r| r.name.chars().count())
        .chain(labels.iter().map(|l| l.chars().count()))
        .max()
        .unwrap_or(0);
    let header: String = (1..=sweep.checks.len())
        .map(|i| format!("{i:>5}"))
        .collect();
    let _ = writeln!(out, "  {:<name_width$} {header}", "");
    for row in &sweep.rows {
        let cells: String = row
            .shipped
            .iter()
            .zip(&row.lost)
            .map(|(&shipped, &lost)| match (shipped, lost) {
                (false, 0) => format!("    {}", "✓".green()),
                (true, l) if l == n => format!("    {}", "✗".red()),
                (_, l) => format!("{:>5}", l.to_string().yellow().bold()),
            })
            .collect();
        let verdict = if row.problems.is_empty() {
            "ok".green().to_string()
        } else {
            "PROBLEM".red().bold().to_string()
        };
        let _ = writeln!(out, "  {:<name_width$} {cells}  {verdict}", row.name);
    }
    let shipped: String = sweep
        .caught
        .iter()
        .map(|c| format!("{:>5}", c.shipped))
        .collect();
    let fewest: String = sweep
        .caught
        .iter()
        .map(|c| format!("{:>5}", c.fewest))
        .collect();
    let _ = writeln!(out, "  {:<name_width$} {shipped}", labels[0]);
    let _ = writeln!(out, "  {:<name_width$} {fewest}", labels[1]);
    out.push('\n');
    for (i, id) in sweep.checks.iter().enumerate() {
        let c = &sweep.caught[i];
        let at = c
            .fewest_seed
            .map(|s| format!(" (seed {s})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:>2} {id}: {} known mistakes caught on the shipped seeds, {} at the fewest{at}",
            i + 1,
            c.shipped,
            c.fewest
        );
    }
    let _ = writeln!(
        out,
        "\n  ✓ passes under every seed   ✗ loses the points under every seed   N: loses them under N of {n} seeds, unlike on the shipped ones\n"
    );
    let mut problems = 0;
    for (seed, why) in &sweep.failed_seeds {
        problems += 1;
        let _ = writeln!(out, "  {} seed {seed}: {why}", "problem:".red().bold());
    }
    for row in &sweep.rows {
        for problem in &row.problems {
            problems += 1;
            let _ = writeln!(out, "  {} {}: {problem}", "problem:".red().bold(), row.name);
        }
    }
    if problems == 0 {
        let _ = writeln!(
            out,
            "  {}",
            format!("every known mistake loses the same checks under all {n} seeds")
                .green()
                .bold()
        );
    } else {
        let _ = writeln!(
            out,
            "  {}",
            format!("seed sweep failed: {problems} problem(s)")
                .red()
                .bold()
        );
    }
    out
}
