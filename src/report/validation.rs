//! The table `grade validate` prints: one row per source (reference, stub, each known mistake),
//! one column per check, and every problem in words.

use crate::i18n::Lang;
use crate::tr;
use crate::validate::{Caught, Cell, Row, RowKind, Sweep, SweepRow, Validation};
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
    let head = tr!(
        "validate-head",
        exercise = validation.exercise.bold().to_string(),
        mistakes = mistakes,
        checks = validation.checks.len()
    );
    let _ = writeln!(out, "{head}\n");
    table(&mut out, validation);
    out.push('\n');
    for (i, id) in validation.checks.iter().enumerate() {
        let _ = writeln!(out, "  {:>2} {id}", i + 1);
    }
    let _ = writeln!(out, "\n  {}\n", tr!("validate-legend"));
    let rows = validation.rows.iter().map(|r| (&r.name, &r.problems));
    let problems = named_problems(&mut out, rows)
        + untranslated(&mut out, validation)
        + expected(&mut out, validation);
    if problems == 0 {
        let _ = writeln!(out, "\n  {}", tr!("validate-passed").green().bold());
    } else {
        let failed = tr!("validate-failed", count = problems);
        let _ = writeln!(out, "\n  {}", failed.red().bold());
    }
    out
}

/// Each sentence of the exercise that lacks a language, named by file, line and key; returns
/// how many.
fn untranslated(out: &mut String, validation: &Validation) -> usize {
    for u in &validation.untranslated {
        let language = match u.lang {
            Lang::En => tr!("lang-en"),
            Lang::Fr => tr!("lang-fr"),
        };
        let what = tr!(
            "validate-untranslated",
            file = u.file.display().to_string(),
            line = u.line,
            key = &u.key,
            language = language,
            code = u.lang.code()
        );
        let _ = writeln!(out, "  {} {what}", tr!("validate-problem").red().bold());
    }
    validation.untranslated.len()
}

/// The header of check numbers, then per row a mark per check, the score and the verdict.
fn table(out: &mut String, validation: &Validation) {
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
        let cells: String = row.cells.iter().map(|cell| mark(row, cell)).collect();
        let score = format!("{}/{}", row.score, row.max_score);
        let _ = writeln!(
            out,
            "  {:<name_width$} {cells}  {score:>8}  {}",
            row.name,
            verdict(row.problems.is_empty())
        );
    }
}

/// One cell of the table: ✓ passes, ✗ loses (a mistake: diagnosed as itself), ? a mistake not
/// diagnosed, ≠ diagnosed as another mistake.
fn mark(row: &Row, cell: &Cell) -> String {
    match cell {
        Cell::Pass => format!("  {}", "✓".green()),
        Cell::Lost { diagnosis: Some(d) } if *d == row.name => format!("  {}", "✗".red()),
        Cell::Lost { diagnosis: Some(_) } => format!("  {}", "≠".yellow().bold()),
        Cell::Lost { diagnosis: None } if row.kind == RowKind::Mistake => {
            format!("  {}", "?".yellow().bold())
        }
        Cell::Lost { diagnosis: None } => format!("  {}", "✗".red()),
    }
}

fn verdict(ok: bool) -> String {
    if ok {
        tr!("validate-ok").green().to_string()
    } else {
        tr!("validate-problem-mark").red().bold().to_string()
    }
}

/// Writes the problems of each row, named, one line each; returns how many.
fn named_problems<'a>(
    out: &mut String,
    rows: impl Iterator<Item = (&'a String, &'a Vec<String>)>,
) -> usize {
    let mut problems = 0;
    for (name, row_problems) in rows {
        for problem in row_problems {
            problems += 1;
            let _ = writeln!(
                out,
                "  {} {name}: {problem}",
                tr!("validate-problem").red().bold()
            );
        }
    }
    problems
}

/// Whether `expected.json` is current; returns 1 when that is a problem, else 0.
fn expected(out: &mut String, validation: &Validation) -> usize {
    match validation.expected_current {
        Some(true) => {
            let path = &validation.expected_path;
            let _ = writeln!(out, "  {}", tr!("validate-expected-current", path = path));
            0
        }
        Some(false) => {
            let path = &validation.expected_path;
            let _ = writeln!(
                out,
                "  {} {}",
                tr!("validate-problem").red().bold(),
                tr!("validate-expected-stale", path = path)
            );
            1
        }
        None => {
            let path = &validation.expected_path;
            let _ = writeln!(out, "  {}", tr!("validate-expected-seed", path = path));
            0
        }
    }
}

/// The table `grade validate --seeds N` prints: per source and check, whether it loses the points
/// under every seed as on the shipped ones (or under how many seeds it does), then how many known
/// mistakes each check caught, on the shipped seeds and at the fewest under any seed.
pub fn render_sweep(sweep: &Sweep, color: bool) -> String {
    colored::control::set_override(color);
    let mut out = String::new();
    let n = sweep.seeds.len();
    let mistakes = sweep
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Mistake)
        .count();
    let head = tr!(
        "sweep-head",
        sweep = tr!("sweep-name").bold().to_string(),
        mistakes = mistakes,
        seeds = seeds_in_words(&sweep.seeds)
    );
    let _ = writeln!(out, "\n{head}\n");
    sweep_table(&mut out, sweep);
    out.push('\n');
    for (i, (id, c)) in sweep.checks.iter().zip(&sweep.caught).enumerate() {
        let _ = writeln!(out, "  {:>2} {id}: {}", i + 1, caught_in_words(c));
    }
    let _ = writeln!(out, "\n  {}\n", tr!("sweep-legend", count = n));
    let mut problems = 0;
    for (seed, why) in &sweep.failed_seeds {
        problems += 1;
        let what = tr!(
            "sweep-seed-problem",
            seed = seed.to_string(),
            why = why.to_string()
        );
        let _ = writeln!(out, "  {} {what}", tr!("validate-problem").red().bold());
    }
    problems += named_problems(&mut out, sweep.rows.iter().map(|r| (&r.name, &r.problems)));
    if problems == 0 {
        let _ = writeln!(out, "  {}", tr!("sweep-passed", count = n).green().bold());
    } else {
        let failed = tr!("sweep-failed", count = problems);
        let _ = writeln!(out, "  {}", failed.red().bold());
    }
    out
}

/// "seeds 1 to 200", "seed 7".
fn seeds_in_words(seeds: &[u64]) -> String {
    match (seeds.first(), seeds.last()) {
        (Some(first), Some(last)) if seeds.len() > 1 => tr!(
            "sweep-seeds",
            first = first.to_string(),
            last = last.to_string()
        ),
        (Some(first), _) => tr!("sweep-seed", seed = first.to_string()),
        _ => tr!("sweep-no-seed"),
    }
}

/// The header of check numbers, a row per source, then how many known mistakes each check
/// caught on the shipped seeds and at the fewest.
fn sweep_table(out: &mut String, sweep: &Sweep) {
    let labels = [tr!("sweep-caught-shipped"), tr!("sweep-caught-fewest")];
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
        let cells = sweep_cells(row, sweep.seeds.len());
        let ok = verdict(row.problems.is_empty());
        let _ = writeln!(out, "  {:<name_width$} {cells}  {ok}", row.name);
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
}

/// A row's cells: ✓ passes under every seed as on the shipped ones, ✗ loses under every seed
/// as on the shipped ones, else under how many of the `swept` seeds it loses.
fn sweep_cells(row: &SweepRow, swept: usize) -> String {
    row.shipped
        .iter()
        .zip(&row.lost)
        .map(|(&shipped, &lost)| match (shipped, lost) {
            (false, 0) => format!("    {}", "✓".green()),
            (true, l) if l == swept => format!("    {}", "✗".red()),
            (_, l) => format!("{:>5}", l.to_string().yellow().bold()),
        })
        .collect()
}

/// "3 known mistakes caught on the shipped seeds, 2 at the fewest (seed 17)".
fn caught_in_words(c: &Caught) -> String {
    let at = c
        .fewest_seed
        .map(|s| tr!("sweep-at-seed", seed = s.to_string()))
        .unwrap_or_default();
    tr!(
        "sweep-caught",
        shipped = c.shipped,
        fewest = c.fewest,
        at = at
    )
}
