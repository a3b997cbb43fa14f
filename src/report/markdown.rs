//! The Markdown report, for a pull-request comment or `$GITHUB_STEP_SUMMARY`: a heading with the
//! score, rustc's messages when the submission does not compile, and one table row per check with
//! ✓/✗, the points, and for a lost check why and the hint. This is the one place Markdown reports
//! are written.

use crate::judge::Status;
use crate::score::{CheckResult, Report};
use std::fmt::Write as _;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mark = if report.all_passed() { "✓" } else { "✗" };
    let _ = writeln!(
        out,
        "### {mark} {}: {}/{}\n",
        cell(&report.exercise),
        report.score,
        report.max_score
    );
    let graded = crate::tr!(
        "report-graded",
        submission = format!("`{}`", report.submission.replace('`', "'"))
    );
    let _ = write!(out, "{} · {graded}", cell(&report.title));
    if let Some(note) = super::seed_note(report) {
        let _ = write!(out, " · {note}");
    }
    out.push_str("\n\n");
    if !report.build.ok {
        let fence = fence_for(&report.build.diagnostics);
        let _ = writeln!(
            out,
            "{}\n\n{fence}text\n{}\n{fence}\n",
            crate::tr!("markdown-does-not-compile"),
            report.build.diagnostics.trim_end()
        );
    }
    let _ = writeln!(
        out,
        "| | {} | {} | |\n| :-: | --- | --: | --- |",
        crate::tr!("markdown-check"),
        crate::tr!("markdown-points")
    );
    for check in &report.checks {
        let mark = if check.status == Status::Pass {
            "✓"
        } else {
            "✗"
        };
        let _ = writeln!(
            out,
            "| {mark} | `{}` | {}/{} | {} |",
            check.id.replace('`', "'"),
            check.score,
            check.max_score,
            what(check)
        );
    }
    let _ = writeln!(
        out,
        "| | **{}** | **{}/{}** | |",
        crate::tr!("markdown-total"),
        report.score,
        report.max_score
    );
    out
}

/// The title for a passed check; for a lost one, why, and the hint when the mistake is known.
fn what(check: &CheckResult) -> String {
    if check.status == Status::Pass {
        return cell(&check.title);
    }
    let mut text = cell(&check.message);
    if let (Some(mistake), Some(hint)) = (&check.diagnosis, &check.hint) {
        let lead = crate::tr!("markdown-hint", mistake = mistake);
        let _ = write!(text, "<br>{lead} {}", cell(hint));
    }
    text
}

/// Text that stays inside one table cell: no raw pipes, no HTML, no line breaks.
fn cell(text: &str) -> String {
    text.trim_end()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', "<br>")
}

/// A code fence longer than any run of backticks in `text`, so rustc's messages cannot close it.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn a_table_with_marks_points_messages_hints_and_the_total() {
        let md = render(&sample::mixed());
        assert!(md.starts_with("### ✗ backprop: 10/35"), "{md}");
        assert!(md.contains("| :-: | --- | --: | --- |"), "{md}");
        assert!(md.contains("| ✓ | `backward.d_biases` | 10/10 |"), "{md}");
        assert!(
            md.contains(
                "| ✗ | `backward.update` | 0/10 | expected 1 &amp; got 2 \\| off<br>**hint** \
                 (`sign_flipped_update`): Gradient descent subtracts. |"
            ),
            "{md}"
        );
        assert!(md.contains("&lt;its&gt;"), "{md}");
        assert!(md.contains("| | **total** | **10/35** | |"), "{md}");
        // Every table row has the same number of cells.
        for line in md.lines().filter(|l| l.starts_with('|')) {
            assert_eq!(line.replace("\\|", "").matches('|').count(), 5, "{line}");
        }
    }

    #[test]
    fn a_compile_error_shows_rustcs_words_in_a_fence_they_cannot_close() {
        let mut report = sample::not_compiling();
        report.build.diagnostics.push_str("\n```\nnot the end");
        let md = render(&report);
        assert!(md.contains("**Your code does not compile.**"), "{md}");
        assert!(md.contains("````text\nerror: expected `;`"), "{md}");
    }
}
