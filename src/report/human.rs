//! The terminal report: one line per check with ✓/✗ and points and the evidence of each lost
//! point, where to start, each known mistake once with its hint and the checks it explains, the
//! total, and the submission's series drawn beside the reference's; wrapped to a width, words
//! never cut, continuation lines indented under their check.

use crate::judge::{number, Status};
use crate::score::{Chart, CheckResult, MistakeNote, Report, Start, StartReason};
use crate::tr;
use colored::Colorize;
use std::fmt::Write as _;

/// The narrowest width wrapped to: below it, lines are left long rather than one word each.
const MIN_WIDTH: usize = 40;
/// The loss chart, its title and legend fit in this many columns.
pub const CHART_WIDTH: usize = 60;
/// Where a check's message starts.
const MESSAGE_INDENT: &str = "      ";

/// Renders `report` for a terminal `width` columns wide; colors only when `color` (callers decide
/// from the terminal and `NO_COLOR`).
pub fn render(report: &Report, color: bool, width: usize) -> String {
    colored::control::set_override(color);
    let width = width.max(MIN_WIDTH);
    let mut out = String::new();
    let title = format!("{} · {}", report.exercise.bold(), report.title);
    push_wrapped(&mut out, &title, width, "", "  ");
    let graded = tr!("report-graded", submission = &report.submission);
    push_wrapped(&mut out, &graded, width, "", "  ");
    if let Some(seed) = report.seed {
        let _ = writeln!(out, "{}", tr!("report-seed", seed = seed.to_string()));
    }
    out.push('\n');
    if !report.build.ok {
        let _ = writeln!(out, "{}", tr!("report-does-not-compile").red().bold());
        for line in report.build.diagnostics.lines() {
            let own = line.len() - line.trim_start().len();
            let indent = format!("  {}", &line[..own]);
            push_wrapped(
                &mut out,
                line.trim_start(),
                width,
                &indent,
                &format!("{indent}    "),
            );
        }
        out.push('\n');
    }
    checks(&mut out, report, width);
    if let Some(start) = &report.start {
        out.push('\n');
        start_here(&mut out, start, report, width);
    }
    for (n, note) in report.mistakes.iter().enumerate() {
        out.push('\n');
        mistake(&mut out, n + 1, note, width);
    }
    let total = format!("{}/{}", report.score, report.max_score);
    let total = if report.all_passed() {
        total.green().bold()
    } else {
        total.bold()
    };
    let _ = writeln!(
        out,
        "\n  {}",
        tr!("report-score", total = total.to_string())
    );
    for chart in &report.charts {
        out.push('\n');
        draw(&mut out, chart, width.min(CHART_WIDTH));
    }
    out
}

/// One line per check (its title wrapped under itself), then its message, indented.
fn checks(out: &mut String, report: &Report, width: usize) {
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
    // The title's column: "  ✓ " + id + "  " + points + "  ".
    let title_indent = " ".repeat(4 + id_width + 2 + points_width + 2);
    for check in &report.checks {
        let points = format!("{}/{}", check.score, check.max_score);
        let head = format!(
            "  {} {:<id_width$}  {points:>points_width$}  {}",
            mark(check),
            check.id,
            check.title.dimmed()
        );
        push_wrapped(out, &head, width, "", &title_indent);
        for line in check.message.lines() {
            push_wrapped(out, line, width, MESSAGE_INDENT, MESSAGE_INDENT);
        }
    }
}

fn mark(check: &CheckResult) -> colored::ColoredString {
    match check.status {
        Status::Pass => "✓".green().bold(),
        Status::Fail => "✗".red().bold(),
        Status::Error => "✗".yellow().bold(),
    }
}

/// The one place to start, and why there.
fn start_here(out: &mut String, start: &Start, report: &Report, width: usize) {
    let check = start.check.clone().unwrap_or_default();
    let why = match start.reason {
        StartReason::Compile => tr!("report-start-compile"),
        StartReason::Unwritten => tr!("report-start-unwritten", check = &check),
        StartReason::Mistake => {
            let mistake = report
                .mistakes
                .iter()
                .position(|m| m.checks.contains(&check))
                .map_or(0, |n| n + 1);
            tr!("report-start-mistake", check = &check, mistake = mistake)
        }
        StartReason::FirstFailing => tr!("report-start-failing", check = &check),
    };
    let lead = format!("  {} ", tr!("report-start-here").bold());
    let indent = " ".repeat(4);
    push_wrapped(out, &format!("{lead}{why}"), width, "", &indent);
}

/// A known mistake, once: its title, the checks it explains, and the hint.
fn mistake(out: &mut String, n: usize, note: &MistakeNote, width: usize) {
    let head = tr!("report-mistake", n = n, id = &note.id);
    push_wrapped(out, &format!("  {}", head.cyan().bold()), width, "", "    ");
    push_wrapped(out, &note.title, width, "    ", "    ");
    let checks = tr!(
        "report-mistake-checks",
        count = note.checks.len(),
        checks = note.checks.join(", ")
    );
    push_wrapped(out, &checks, width, "    ", "      ");
    let hint = format!("{} {}", tr!("report-hint").cyan().bold(), note.hint);
    push_wrapped(out, &hint, width, "    ", "      ");
}

/// Appends `text` wrapped to `width` at spaces only (a word longer than the line stays whole),
/// the first line after `first`, the others after `rest`.
fn push_wrapped(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    for line in textwrap::wrap(text, options) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

const HEIGHT: usize = 8;
/// Columns per epoch when they fit: room for the epoch's number under its point.
const STEP: usize = 3;

/// Draws both series on one grid, `width` columns at most: ● the submission, ○ the reference,
/// ◉ where they meet. A long series is sampled to fit.
fn draw(out: &mut String, chart: &Chart, width: usize) {
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
    let label_width = number(high).len().max(number(low).len());
    let points = mine.len().max(theirs.len());
    // "  " + label + " ┤" + the grid.
    let room = width.saturating_sub(label_width + 4).max(1);
    let step = (room / points.max(1)).clamp(1, STEP);
    let columns = points.min(room / step).max(1);
    let at = |c: usize| match columns {
        1 => 0,
        _ => (c * (points - 1) + (columns - 1) / 2) / (columns - 1),
    };
    let mut grid = vec![vec![' '; columns * step]; HEIGHT];
    let row_of = |v: f64| ((high - v) / span * (HEIGHT - 1) as f64).round() as usize;
    for (series, glyph) in [(&theirs, '○'), (&mine, '●')] {
        for c in 0..columns {
            let Some(&v) = series.get(at(c)).filter(|v| v.is_finite()) else {
                continue;
            };
            let cell = &mut grid[row_of(v).min(HEIGHT - 1)][c * step + step / 2];
            *cell = if *cell == '○' && glyph == '●' {
                '◉'
            } else {
                glyph
            };
        }
    }
    let legend = match (chart.submission.is_some(), chart.reference.is_some()) {
        (true, true) => tr!(
            "chart-legend-both",
            mine = "●".cyan().to_string(),
            theirs = "○"
        ),
        (true, false) => tr!("chart-legend-mine", mine = "●".cyan().to_string()),
        _ => tr!("chart-legend-reference", theirs = "○"),
    };
    let head = tr!(
        "chart-head",
        title = chart.title.bold().to_string(),
        check = &chart.check,
        legend = legend
    );
    let head = format!("  {head}");
    push_wrapped(out, &head, width, "", "    ");
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
    let _ = writeln!(
        out,
        "  {:>label_width$} └{}",
        "",
        "─".repeat(columns * step)
    );
    let _ = writeln!(out, "  {:>label_width$}  {}", "", axis(columns, step, at));
}

/// The x axis: every point's number when each has room, else the first and the last.
fn axis(columns: usize, step: usize, at: impl Fn(usize) -> usize) -> String {
    if step >= STEP {
        let labels: String = (0..columns)
            .map(|c| format!("{:^step$}", at(c) + 1))
            .collect();
        return labels.trim_end().to_string();
    }
    let (first, last) = ((at(0) + 1).to_string(), (at(columns - 1) + 1).to_string());
    let gap = (columns * step)
        .saturating_sub(first.len() + last.len())
        .max(1);
    format!("{first}{}{last}", " ".repeat(gap))
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
            unwritten: false,
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
        let text = render(&report(), false, 80);
        assert!(text.contains("✓ a.one"));
        assert!(text.contains("✗ b.two"));
        assert!(text.contains("0/10"));
        assert!(text.contains("expected 1, got 2"));
        assert!(text.contains("score 10/20"));
        assert!(!text.contains('\u{1b}'), "no escape codes without color");
    }

    #[test]
    fn chart_marks_where_the_series_meet() {
        let text = render(&report(), false, 80);
        assert!(text.contains('◉'), "{text}");
        assert!(text.contains('●'));
        assert!(text.contains('○'));
    }

    fn chart_lines(series: Vec<f64>, width: usize) -> Vec<String> {
        let chart = Chart {
            check: "train.loss_decreases".into(),
            title: "loss of the model, before training and after each epoch".into(),
            key: "losses".into(),
            reference: Some(series.iter().map(|v| v * 0.9).collect()),
            submission: Some(series),
        };
        let mut out = String::new();
        draw(&mut out, &chart, width);
        out.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_long_series_is_sampled_into_60_columns() {
        let series: Vec<f64> = (0..200).map(|i| 1.0 / f64::from(i + 1)).collect();
        let lines = chart_lines(series, CHART_WIDTH);
        assert!(lines.len() >= 10, "{lines:#?}");
        for line in &lines {
            assert!(line.chars().count() <= CHART_WIDTH, "{line:?}");
        }
        let axis = lines.last().unwrap();
        assert!(
            axis.trim_start().starts_with('1') && axis.ends_with("200"),
            "{axis:?}"
        );
    }

    #[test]
    fn a_single_value_or_only_nan_still_draws_or_says_nothing() {
        let one = chart_lines(vec![0.5], CHART_WIDTH);
        assert!(
            one.iter().any(|l| l.contains('◉') || l.contains('●')),
            "{one:#?}"
        );
        assert!(chart_lines(vec![f64::NAN, f64::NAN], CHART_WIDTH).is_empty());
        assert!(chart_lines(Vec::new(), CHART_WIDTH).is_empty());
    }

    #[test]
    fn wrapping_never_cuts_a_word_and_indents_under_the_check() {
        let mut long = report();
        long.checks[1].message = format!(
            "{} `y0.layer1.biases[2, 0]`: scenario gradcheck-2-6-6-1 {}",
            "word ".repeat(30),
            "x".repeat(70)
        );
        let text = render(&long, false, 50);
        let message: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.contains("b.two"))
            .skip(1)
            .take_while(|l| l.starts_with(MESSAGE_INDENT))
            .collect();
        assert!(message.len() > 3, "{text}");
        assert!(
            text.contains("gradcheck-2-6-6-1"),
            "hyphenated ids stay whole: {text}"
        );
        assert!(
            text.contains(&"x".repeat(70)),
            "a word longer than the line stays whole"
        );
        for line in message.iter().filter(|l| !l.contains("xxxx")) {
            assert!(line.chars().count() <= 50, "{line:?}");
        }
    }
}
