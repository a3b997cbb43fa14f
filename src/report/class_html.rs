//! The class report, `report.html`: one self-contained page (inline style and SVG, no script, no
//! outside resource) from a [`ClassSummary`]: the counts, the score histogram, each check's pass
//! rate, the recognised mistakes ranked, the failures no known mistake explains by check, what did
//! not compile or could not be graded, and every submission linking its own report. Everything
//! that comes from a submission or its file name is escaped here. This is the one place the page
//! is written.

use super::class_charts::{self, percent};
use crate::class::{ClassSummary, Named, Row};
use std::fmt::Write as _;

/// The words of the class report (page and summary), from the catalogues in the language of the
/// run.
pub(super) mod words {
    /// The page's `lang` attribute.
    pub fn lang() -> &'static str {
        crate::i18n::current().code()
    }
    /// "Class report: <the exercise's title>".
    pub fn heading(title: &str) -> String {
        crate::tr!("class-heading", title = title)
    }
    pub fn submitted() -> String {
        crate::tr!("class-submitted")
    }
    pub fn graded() -> String {
        crate::tr!("class-graded")
    }
    pub fn mean() -> String {
        crate::tr!("class-mean")
    }
    pub fn median() -> String {
        crate::tr!("class-median")
    }
    pub fn full_marks() -> String {
        crate::tr!("class-full-marks")
    }
    pub fn not_compiling() -> String {
        crate::tr!("class-not-compiling")
    }
    pub fn not_graded() -> String {
        crate::tr!("class-not-graded")
    }
    pub fn hidden_seed() -> String {
        crate::tr!("class-hidden-seed")
    }
    pub fn distribution() -> String {
        crate::tr!("class-distribution")
    }
    pub fn checks() -> String {
        crate::tr!("class-checks")
    }
    pub fn check() -> String {
        crate::tr!("class-check")
    }
    pub fn what_passes() -> String {
        crate::tr!("class-what-passes")
    }
    pub fn points() -> String {
        crate::tr!("class-points")
    }
    pub fn passed() -> String {
        crate::tr!("class-passed")
    }
    pub fn mistakes() -> String {
        crate::tr!("class-mistakes")
    }
    pub fn mistakes_column() -> String {
        crate::tr!("class-mistakes-column")
    }
    pub fn no_mistakes() -> String {
        crate::tr!("class-no-mistakes")
    }
    pub fn mistake() -> String {
        crate::tr!("class-mistake")
    }
    pub fn hint() -> String {
        crate::tr!("class-hint")
    }
    pub fn on_checks() -> String {
        crate::tr!("class-on-checks")
    }
    pub fn unexplained() -> String {
        crate::tr!("class-unexplained")
    }
    pub fn unexplained_note() -> String {
        crate::tr!("class-unexplained-note")
    }
    pub fn none_unexplained() -> String {
        crate::tr!("class-none-unexplained")
    }
    pub fn did_not_compile() -> String {
        crate::tr!("class-did-not-compile")
    }
    pub fn were_not_graded() -> String {
        crate::tr!("class-were-not-graded")
    }
    pub fn every_submission() -> String {
        crate::tr!("class-every-submission")
    }
    pub fn submission() -> String {
        crate::tr!("class-submission")
    }
    pub fn score() -> String {
        crate::tr!("class-score")
    }
    pub fn compiles() -> String {
        crate::tr!("class-compiles")
    }
    pub fn error() -> String {
        crate::tr!("class-error")
    }
    pub fn yes() -> String {
        crate::tr!("class-yes")
    }
    pub fn no() -> String {
        crate::tr!("class-no")
    }
    pub fn nothing() -> String {
        crate::tr!("class-nothing")
    }
    pub fn chart_failed() -> String {
        crate::tr!("class-chart-failed")
    }
    pub fn chart_panicked() -> String {
        crate::tr!("class-chart-panicked")
    }

    /// "3 submissions", "1 submission".
    pub fn submissions(n: usize) -> String {
        crate::tr!("class-submissions-count", count = n)
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;\
padding:0 1em;color:#222}h1{margin-bottom:.2em}table{border-collapse:collapse;margin:1em 0}\
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\
td.err{overflow-wrap:anywhere}\
td.n{text-align:right;white-space:nowrap}dl.counts{display:flex;flex-wrap:wrap;gap:1.5em}dl.counts dt{color:#666}\
dl.counts dd{margin:0;font-size:1.6em}code{background:#f3f3f3;padding:0 .2em}\
figure{margin:1em 0}details{margin:.5em 0}.err{color:#a00}";

/// The page.
pub fn render(summary: &ClassSummary) -> String {
    let mut html = String::new();
    let title = words::heading(&summary.title);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        words::lang(),
        esc(&title),
        esc(&title)
    );
    counts(&mut html, summary);
    charts(&mut html, summary);
    mistakes(&mut html, summary);
    unexplained(&mut html, summary);
    named_list(
        &mut html,
        "not-compiling",
        &words::did_not_compile(),
        &summary.not_compiling,
        true,
    );
    named_list(
        &mut html,
        "not-graded",
        &words::were_not_graded(),
        &summary.not_graded,
        false,
    );
    every_submission(&mut html, summary);
    html.push_str("</body>\n</html>\n");
    html
}

fn counts(html: &mut String, s: &ClassSummary) {
    let score = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1}/{}", s.max_score));
    let items = [
        (words::submitted(), s.submitted.to_string()),
        (words::graded(), s.graded().to_string()),
        (words::mean(), score(s.mean())),
        (words::median(), score(s.median())),
        (words::full_marks(), s.full_marks.to_string()),
        (words::not_compiling(), s.not_compiling.len().to_string()),
        (words::not_graded(), s.not_graded.len().to_string()),
    ];
    let _ = writeln!(html, "<p><code>{}</code></p>", esc(&s.exercise));
    html.push_str("<dl class=\"counts\" id=\"counts\">\n");
    for (term, value) in items {
        let _ = writeln!(
            html,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            esc(&term),
            esc(&value)
        );
    }
    html.push_str("</dl>\n");
    if s.hidden_seed {
        let _ = writeln!(html, "<p>{}</p>", esc(&words::hidden_seed()));
    }
}

fn charts(html: &mut String, s: &ClassSummary) {
    let _ = writeln!(
        html,
        "<h2 id=\"distribution\">{}</h2>",
        esc(&words::distribution())
    );
    figure(html, "histogram", || class_charts::histogram(s));
    let _ = writeln!(html, "<h2 id=\"checks\">{}</h2>", esc(&words::checks()));
    figure(html, "pass-rates", || class_charts::pass_rates(s));
    let _ = writeln!(
        html,
        "<table id=\"check-table\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&words::check()),
        esc(&words::what_passes()),
        esc(&words::points()),
        esc(&words::passed())
    );
    for c in &s.checks {
        let _ = writeln!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}/{} ({:.0} %)</td></tr>",
            esc(&c.id),
            esc(&c.title),
            c.points,
            c.passed,
            c.graded,
            percent(c.passed, c.graded)
        );
    }
    html.push_str("</table>\n");
}

/// A chart, or a line saying why it is missing: a chart that cannot be drawn (plotters panics on
/// some ranges in debug builds) costs the page that chart, never the batch its output.
fn figure(html: &mut String, id: &str, draw: impl FnOnce() -> Result<String, String>) {
    let svg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(draw))
        .unwrap_or_else(|_| Err(words::chart_panicked()));
    match svg {
        Ok(svg) => {
            let _ = writeln!(html, "<figure id=\"{id}\">\n{svg}\n</figure>");
        }
        Err(why) => {
            let _ = writeln!(
                html,
                "<p class=\"err\">{}: {}</p>",
                esc(&words::chart_failed()),
                esc(&why)
            );
        }
    }
}

fn mistakes(html: &mut String, s: &ClassSummary) {
    let _ = writeln!(html, "<h2 id=\"mistakes\">{}</h2>", esc(&words::mistakes()));
    if s.mistakes.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", esc(&words::no_mistakes()));
        return;
    }
    let _ = writeln!(
        html,
        "<table id=\"mistake-table\">\n<tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&words::mistake()),
        esc(&words::hint()),
        esc(&words::on_checks()),
        esc(&words::submitted())
    );
    for (rank, m) in s.mistakes.iter().enumerate() {
        let checks: Vec<String> = m
            .checks
            .iter()
            .map(|c| format!("<code>{}</code>", esc(c)))
            .collect();
        let who: Vec<String> = m.submissions.iter().map(|n| link(s, n)).collect();
        let _ = writeln!(
            html,
            "<tr><td class=\"n\">{}</td><td>{}<br><code>{}</code></td><td>{}</td><td>{}</td>\
             <td><details><summary>{}</summary>{}</details></td></tr>",
            rank + 1,
            esc(&m.title),
            esc(&m.id),
            esc(&m.hint),
            checks.join(" "),
            esc(&words::submissions(m.submissions.len())),
            who.join(", ")
        );
    }
    html.push_str("</table>\n");
}

fn unexplained(html: &mut String, s: &ClassSummary) {
    let _ = writeln!(
        html,
        "<h2 id=\"unexplained\">{}</h2>\n<p>{}</p>",
        esc(&words::unexplained()),
        esc(&if s.unexplained.is_empty() {
            words::none_unexplained()
        } else {
            words::unexplained_note()
        })
    );
    for group in &s.unexplained {
        let _ = writeln!(
            html,
            "<details class=\"check\"><summary><code>{}</code> ({}): {}</summary>\n<ul>",
            esc(&group.check),
            esc(&group.title),
            esc(&words::submissions(group.failures.len()))
        );
        for f in &group.failures {
            let _ = writeln!(html, "<li>{}: {}</li>", link(s, &f.name), esc(&f.text));
        }
        html.push_str("</ul></details>\n");
    }
}

/// A section listing submissions with a line each; `linked` when they have reports.
fn named_list(html: &mut String, id: &str, heading: &str, items: &[Named], linked: bool) {
    let _ = writeln!(html, "<h2 id=\"{id}\">{}</h2>", esc(heading));
    if items.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", esc(&words::nothing()));
        return;
    }
    html.push_str("<ul>\n");
    for item in items {
        let name = if linked {
            format!(
                "<a href=\"{}\">{}</a>",
                href(&crate::class::report_path(&item.name, "md")),
                esc(&item.name)
            )
        } else {
            esc(&item.name)
        };
        let _ = writeln!(html, "<li>{name}: <code>{}</code></li>", esc(&item.text));
    }
    html.push_str("</ul>\n");
}

fn every_submission(html: &mut String, s: &ClassSummary) {
    let _ = writeln!(
        html,
        "<h2 id=\"submissions\">{}</h2>\n<table id=\"submission-table\">\n\
         <tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&words::every_submission()),
        esc(&words::submission()),
        esc(&words::score()),
        esc(&words::compiles()),
        esc(&words::mistakes_column()),
        esc(&words::error())
    );
    for row in &s.rows {
        let name = match &row.report {
            Some(path) => format!("<a href=\"{}\">{}</a>", href(path), esc(&row.name)),
            None => esc(&row.name),
        };
        let (score, compiles) = (score_cell(row, s.max_score), compiles_cell(row));
        let mistakes: Vec<String> = row
            .mistakes
            .iter()
            .map(|m| format!("<code>{}</code>", esc(m)))
            .collect();
        let _ = writeln!(
            html,
            "<tr><td>{name}</td><td class=\"n\">{score}</td><td>{}</td><td>{}</td><td class=\"err\">{}</td></tr>",
            esc(&compiles),
            mistakes.join(" "),
            esc(row.error.as_deref().unwrap_or(""))
        );
    }
    html.push_str("</table>\n");
}

/// A submission's name, linking its report when it has one.
/// A submission's score in the table of every submission (empty when it was not graded), for the
/// page and for summary.md.
pub(super) fn score_cell(row: &Row, max_score: u32) -> String {
    row.score
        .map_or(String::new(), |v| format!("{v}/{max_score}"))
}

/// Whether a submission compiled, in words (empty when it was not built).
pub(super) fn compiles_cell(row: &Row) -> String {
    row.compiles.map_or(
        String::new(),
        |c| if c { words::yes() } else { words::no() },
    )
}

fn link(s: &ClassSummary, name: &str) -> String {
    match s
        .rows
        .iter()
        .find(|r| r.name == name)
        .and_then(|r| r.report.as_ref())
    {
        Some(path) => format!("<a href=\"{}\">{}</a>", href(path), esc(name)),
        None => esc(name),
    }
}

/// Text for HTML, in an element or a quoted attribute.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a link target: every byte but unreserved ones and `/` percent-encoded, so a
/// name cannot end the attribute, start a scheme (`javascript:`) or a fragment.
pub(crate) fn href(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{summarise, tests::class};

    #[test]
    fn hostile_names_are_escaped_in_text_and_links() {
        let html = render(&summarise(&class()));
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;"),
            "{html}"
        );
        assert!(
            html.contains("href=\"reports/%3Cscript%3Ealert%28%22x%22%29%3C/script%3E%27.md\""),
            "{html}"
        );
        assert!(html.contains("the update &lt;goes&gt; uphill"), "{html}");
    }

    #[test]
    fn href_keeps_plain_names_and_encodes_the_rest() {
        assert_eq!(href("reports/alice_b-2.md"), "reports/alice_b-2.md");
        assert_eq!(href("reports/a b:c#d.md"), "reports/a%20b%3Ac%23d.md");
        assert_eq!(href("reports/é.md"), "reports/%C3%A9.md");
    }
}
