//! The class report in Markdown, `summary.md`, for a CI step summary (`$GITHUB_STEP_SUMMARY`) or
//! a pull-request comment: what `report.html` shows, as tables, from a [`ClassSummary`]. Names
//! and messages from submissions are escaped so that they stay text inside one table cell. This
//! is the one place the Markdown class report is written.

use super::class_charts::percent;
use super::class_html::{compiles_cell, href, score_cell, words};
use crate::class::{ClassSummary, Named};
use std::fmt::Write as _;

/// A table's header row: `| a | b |`.
fn header(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

pub fn render(s: &ClassSummary) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## {}\n", words::heading(&text(&s.title)));
    let score = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1}/{}", s.max_score));
    let _ = writeln!(
        md,
        "{}\n|--:|--:|--:|--:|--:|--:|--:|\n| {} | {} | {} | {} | {} | {} | {} |\n",
        header(&[
            words::submitted(),
            words::graded(),
            words::mean(),
            words::median(),
            words::full_marks(),
            words::not_compiling(),
            words::not_graded(),
        ]),
        s.submitted,
        s.graded(),
        score(s.mean()),
        score(s.median()),
        s.full_marks,
        s.not_compiling.len(),
        s.not_graded.len()
    );
    if s.hidden_seed {
        let _ = writeln!(md, "{}\n", words::hidden_seed());
    }
    distribution(&mut md, s);
    checks(&mut md, s);
    mistakes(&mut md, s);
    unexplained(&mut md, s);
    named(&mut md, &words::did_not_compile(), &s.not_compiling, s);
    named(&mut md, &words::were_not_graded(), &s.not_graded, s);
    every_submission(&mut md, s);
    md
}

/// The histogram as a table with a bar of blocks per bin.
fn distribution(md: &mut String, s: &ClassSummary) {
    let bins = s.bins();
    let tallest = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1);
    let _ = writeln!(
        md,
        "### {}\n\n| {} | {} | |\n|--:|--:|---|",
        words::distribution(),
        words::score(),
        words::submitted()
    );
    for (low, high, count) in bins {
        let range = if low == high {
            low.to_string()
        } else {
            format!("{low}–{high}")
        };
        let bar = "█".repeat((count * 20).div_ceil(tallest));
        let _ = writeln!(md, "| {range} | {count} | {bar} |");
    }
    md.push('\n');
}

fn checks(md: &mut String, s: &ClassSummary) {
    let _ = writeln!(
        md,
        "### {}\n\n{}\n|---|---|--:|--:|",
        words::checks(),
        header(&[
            words::check(),
            words::what_passes(),
            words::points(),
            words::passed()
        ])
    );
    for c in &s.checks {
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {}/{} ({:.0} %) |",
            code(&c.id),
            text(&c.title),
            c.points,
            c.passed,
            c.graded,
            percent(c.passed, c.graded)
        );
    }
    md.push('\n');
}

fn mistakes(md: &mut String, s: &ClassSummary) {
    let _ = writeln!(md, "### {}\n", words::mistakes());
    if s.mistakes.is_empty() {
        let _ = writeln!(md, "{}\n", words::no_mistakes());
        return;
    }
    let _ = writeln!(
        md,
        "{}\n|--:|---|---|---|---|",
        header(&[
            "#".into(),
            words::mistake(),
            words::hint(),
            words::on_checks(),
            words::submitted()
        ])
    );
    for (rank, m) in s.mistakes.iter().enumerate() {
        let checks: Vec<String> = m.checks.iter().map(|c| format!("`{}`", code(c))).collect();
        let who: Vec<String> = m.submissions.iter().map(|n| link(s, n)).collect();
        let _ = writeln!(
            md,
            "| {} | {} (`{}`) | {} | {} | **{}**: {} |",
            rank + 1,
            text(&m.title),
            code(&m.id),
            text(&m.hint),
            checks.join(" "),
            m.submissions.len(),
            who.join(", ")
        );
    }
    md.push('\n');
}

fn unexplained(md: &mut String, s: &ClassSummary) {
    let _ = writeln!(md, "### {}\n", words::unexplained());
    if s.unexplained.is_empty() {
        let _ = writeln!(md, "{}\n", words::none_unexplained());
    }
    for group in &s.unexplained {
        let _ = writeln!(
            md,
            "#### `{}` ({}): {}\n",
            code(&group.check),
            text(&group.title),
            words::submissions(group.failures.len())
        );
        for f in &group.failures {
            let _ = writeln!(md, "- {}: {}", link(s, &f.name), text(&f.text));
        }
        md.push('\n');
    }
}

fn named(md: &mut String, heading: &str, items: &[Named], s: &ClassSummary) {
    let _ = writeln!(md, "### {heading}\n");
    if items.is_empty() {
        let _ = writeln!(md, "{}\n", words::nothing());
        return;
    }
    for item in items {
        let _ = writeln!(md, "- {}: {}", link(s, &item.name), text(&item.text));
    }
    md.push('\n');
}

fn every_submission(md: &mut String, s: &ClassSummary) {
    let _ = writeln!(
        md,
        "### {}\n\n{}\n|---|--:|---|---|---|",
        words::every_submission(),
        header(&[
            words::submission(),
            words::score(),
            words::compiles(),
            words::mistakes_column(),
            words::error()
        ])
    );
    for row in &s.rows {
        let (score, compiles) = (score_cell(row, s.max_score), compiles_cell(row));
        let mistakes: Vec<String> = row
            .mistakes
            .iter()
            .map(|m| format!("`{}`", code(m)))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {score} | {compiles} | {} | {} |",
            link(s, &row.name),
            mistakes.join(" "),
            text(row.error.as_deref().unwrap_or(""))
        );
    }
}

/// A submission's name, as a link to its report when it has one.
fn link(s: &ClassSummary, name: &str) -> String {
    match s
        .rows
        .iter()
        .find(|r| r.name == name)
        .and_then(|r| r.report.as_ref())
    {
        Some(path) => format!("[{}]({})", text(name), href(path)),
        None => text(name),
    }
}

/// Text that stays plain text in one table cell: no HTML, no pipes, no line breaks, and no
/// Markdown syntax (emphasis, code, links).
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.trim_end().chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            // `(` and `!` need no escape: with `[` escaped they cannot start a link or an image.
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside a code span: no backticks or pipes to end it or the cell.
fn code(raw: &str) -> String {
    raw.replace('`', "'").replace('|', "¦").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{summarise, tests::class};

    #[test]
    fn the_same_sections_as_the_page_with_names_escaped() {
        let md = render(&summarise(&class()));
        assert!(md.starts_with("## Class report: Backpropagation"), "{md}");
        for heading in [
            words::distribution(),
            words::checks(),
            words::mistakes(),
            words::unexplained(),
            words::did_not_compile(),
            words::were_not_graded(),
            words::every_submission(),
        ] {
            assert!(md.contains(&format!("### {heading}")), "{heading}: {md}");
        }
        assert!(!md.contains("<script"), "{md}");
        assert!(
            md.contains("[&lt;script&gt;alert(\"x\")&lt;/script&gt;'](reports/%3Cscript"),
            "{md}"
        );
        assert!(
            md.contains("| [alice](reports/alice.md) | 10/35 | yes |"),
            "{md}"
        );
        assert!(
            md.contains("| carol |  |  |  | no \\`src/backprop.rs\\` in carol |"),
            "{md}"
        );
        // Every row of a table has its header's number of cells.
        for table in md.split("\n\n").filter(|t| t.starts_with('|')) {
            let cells = |l: &str| l.replace("\\|", "").matches('|').count();
            let first = cells(table.lines().next().unwrap());
            for line in table.lines() {
                assert_eq!(cells(line), first, "{line}");
            }
        }
    }
}
