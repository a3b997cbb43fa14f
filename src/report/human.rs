//! The terminal report: one line per check with ✓/✗ and points, why each lost point was lost, the
//! total, and the submission's series drawn beside the reference's.

use crate::judge::{number, Status};
use crate::score::{Chart, Report};
use colored::Colorize;
use std::fmt::Write as _;

/// Renders `report`; colors only when `color` (callers decide from the terminal and `NO_COLOR`).
pub fn render(report: &Report, color: bool) -> String {
    colored::control::set_override(color);
    let mut out = String::new();
    let _ = writeln!(out, "{} · {}", report.exercise.bold(), report.title);
    let _ = writeln!(out, "graded: {}", report.submission);
    if let Some(seed) = report.seed {
        let _ = writeln!(out, "scenarios derived from seed {seed}");
    }
    out.push('\n');
    if !report.build.ok {
        let _ = writeln!(
            out,
            "{}",
            "Your code does not compile. The compiler says:"
                .red()
                .bold()
        );
        for line in report.build.diagnostics.lines() {
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }
    let id_width = report
        .checks
        .iter()
        .map(|c| c.id.chars().count())
        .max()
        .unwrap_or(0);
    let points_width = report
        .checks
        .iter()
        .map(|c| format!("{}/{}", c.score, c.max_score).len())
        .max()
        .unwrap_or(0);
    for check in &report.checks {
        let mark = match check.status {
            Status::Pass => "✓".green().bold(),
            Status::Fail => "✗".red().bold(),
            Status::Error => "✗".yellow().bold(),
        };
        let points = format!("{}/{}", check.score, check.max_score);
        let _ = writeln!(
            out,
            "  {mark} {:<id_width$}  {points:>points_width$}  {}",
            check.id,
            check.title.dimmed()
        );
        for line in check.message.lines() {
            let _ = writeln!(out, "      {line}");
        }
        if let (Some(mistake), Some(hint)) = (&check.diagnosis, &check.hint) {
            let _ = writeln!(
                out,
                "      {} {}",
                format!("hint ({mistake}):").cyan().bold(),
                hint
            );
        }
    }
    let total = format!("{}/{}", report.score, report.max_score);
    let total = if report.all_passed() {
        total.green().bold()
    } else {
        total.bold()
    };
    let _ = writeln!(out, "\n  score {total}");
    for chart in &report.charts {
        out.push('\n');
        draw(&mut out, chart);
    }
    out
}

const HEIGHT: usize = 8;
const STEP: usize = 3;

/// Draws both series on one grid: ● the submission, ○ the reference, ◉ where they meet.
fn draw(out: &mut String, chart: &Chart) {
    let mine = chart.submission.clone().unwrap_or_default();
    let theirs = chart.reference.clone().unwrap_or_default();
    let finite: Vec<f64> = mine
        .iter()
        .chain(&theirs)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if finite.is_empty() {
        return;
    }
    let (low, high) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let span = if high > low { high - low } else { 1.0 };
    let width = mine.len().max(theirs.len());
    let mut grid = vec![vec![' '; width * STEP]; HEIGHT];
    let row_of = |v: f64| ((high - v) / span * (HEIGHT - 1) as f64).round() as usize;
    for (series, glyph) in [(&theirs, '○'), (&mine, '●')] {
        for (i, &v) in series.iter().enumerate().filter(|(_, v)| v.is_finite()) {
            let cell = &mut grid[row_of(v).min(HEIGHT - 1)][i * STEP + 1];
            *cell = if *cell == '○' && glyph == '●' {
                '◉'
            } else {
                glyph
            };
        }
    }
    let legend = match (chart.submission.is_some(), chart.reference.is_some()) {
        (true, true) => format!("{} yours  {} reference", "●".cyan(), "○"),
        (true, false) => format!("{} yours", "●".cyan()),
        _ => format!("{} reference (yours did not run)", "○"),
    };
    let _ = writeln!(out, "  {} ({}): {legend}", chart.title.bold(), chart.check);
    let label_width = number(high).len().max(number(low).len());
    for (r, row) in grid.iter().enumerate() {
        let label = match r {
            0 => number(high),
            r if r == HEIGHT - 1 => number(low),
            _ => String::new(),
        };
        let line: String = row.iter().collect();
        let line = line
            .replace('●', &"●".cyan().to_string())
            .replace('◉', &"◉".cyan().to_string());
        let _ = writeln!(out, "  {label:>label_width$} ┤{}", line.trim_end());
    }
    let axis: String = (1..=width).map(|i| format!("{i:^STEP$}")).collect();
    let _ = writeln!(out, "  {:>label_width$} └{}", "", "─".repeat(width * STEP));
    let _ = writeln!(out, "  {:>label_width$}  {}", "", axis.trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{BuildSummary, CheckResult};

    fn report() -> Report {
        let check = |id: &str, status, score| CheckResult {
            id: id.into(),
            title: "t".into(),
            status,
            score,
            max_score: 10,
            message: if status == Status::Pass {
                String::new()
            } else {
                "expected 1, got 2".into()
            },
            worst: None,
            diagnosis: None,
            hint: None,
        };
        Report::new(
            "ex".into(),
            "Title".into(),
            "sub.rs".into(),
            None,
            BuildSummary {
                ok: true,
                diagnostics: String::new(),
            },
            vec![
                check("a.one", Status::Pass, 10),
                check("b.two", Status::Fail, 0),
            ],
            vec![Chart {
                check: "b.two".into(),
                title: "loss".into(),
                key: "losses".into(),
                submission: Some(vec![0.7, 0.6, 0.5]),
                reference: Some(vec![0.7, 0.65, 0.6]),
            }],
        )
    }

    #[test]
    fn plain_report_has_marks_points_messages_and_total() {
        let text = render(&report(), false);
        assert!(text.contains("✓ a.one"));
        assert!(text.contains("✗ b.two"));
        assert!(text.contains("0/10"));
        assert!(text.contains("expected 1, got 2"));
        assert!(text.contains("score 10/20"));
        assert!(!text.contains('\u{1b}'), "no escape codes without color");
    }

    #[test]
    fn chart_marks_where_the_series_meet() {
        let text = render(&report(), false);
        assert!(text.contains('◉'), "{text}");
        assert!(text.contains('●'));
        assert!(text.contains('○'));
    }
}
