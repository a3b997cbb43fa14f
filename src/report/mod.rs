//! The report stage: renders a [`Report`](crate::score::Report) for people or machines. Renderers
//! take the finished report and nothing else; each format is written in its own module and nowhere
//! else.

mod class_charts;
pub mod class_html;
pub mod class_markdown;
pub mod grades_csv;
pub mod gradescope;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod validation;

use crate::score::Report;

/// The formats one report can be rendered in. The variants' comments are `--format`'s help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A colored report for people (plain when stdout is not a terminal or NO_COLOR is set).
    Human,
    /// One JSON object: {exercise, score, max_score, build, checks: [...]}.
    Json,
    /// JUnit XML for CI servers: a `build` test case, then one test case per check.
    Junit,
    /// Gradescope's results.json.
    Gradescope,
    /// A Markdown table for a pull-request comment or $GITHUB_STEP_SUMMARY.
    Markdown,
}

/// One report to write, from `--report FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The report's format.
    pub format: Format,
    /// The file it goes to.
    pub path: std::path::PathBuf,
}

/// Parses `FORMAT=PATH`, e.g. `junit=report.xml` (clap's value parser: the message follows
/// "invalid value … for --report").
pub fn parse_target(text: &str) -> Result<Target, String> {
    use clap::ValueEnum as _;
    let names: Vec<String> = Format::value_variants()
        .iter()
        .filter_map(|f| Some(f.to_possible_value()?.get_name().to_string()))
        .collect();
    let usage = format!(
        "expected FORMAT=PATH with FORMAT one of {}, e.g. junit=report.xml",
        names.join(", ")
    );
    let (format, path) = text.split_once('=').ok_or_else(|| usage.clone())?;
    let format = Format::from_str(format.trim(), true)
        .map_err(|_| format!("`{format}` is not a report format: {usage}"))?;
    if path.is_empty() {
        return Err(format!("no file after `=`: {usage}"));
    }
    Ok(Target {
        format,
        path: path.into(),
    })
}

/// Renders `report` in `format`; `color` and `width` (in columns) only matter to the human report.
pub fn render(report: &Report, format: Format, color: bool, width: usize) -> String {
    match format {
        Format::Human => human::render(report, color, width),
        Format::Json => json::render(report),
        Format::Junit => junit::render(report),
        Format::Gradescope => gradescope::render(report),
        Format::Markdown => markdown::render(report),
    }
}

/// The worst element of a failed comparison, in words, e.g. "`d_weights[1, 2]` in scenario
/// layer-relu-4x3: expected -0.53, got 0.53". Shared by the formats that show details apart from
/// the message.
pub(crate) fn worst_in_words(worst: &crate::judge::Worst) -> String {
    use crate::judge::{index_text, number};
    crate::tr!(
        "report-worst-in-words",
        element = format!("{}{}", worst.key, index_text(&worst.index)),
        scenario = &worst.scenario,
        expected = number(worst.expected),
        got = number(worst.got)
    )
}

/// What a formatter that is not the terminal says about the seed: `--seed` is a secret in CI, so
/// its value is never written into a report a student may read.
pub(crate) fn seed_note(report: &Report) -> Option<String> {
    report.seed.map(|_| crate::tr!("report-hidden-seed"))
}

#[cfg(test)]
pub(crate) mod sample {
    //! Reports to render in the renderers' unit tests.

    use crate::judge::{Status, Worst};
    use crate::score::{BuildSummary, CheckResult, Report};

    fn check(id: &str, status: Status, score: u32, max_score: u32) -> CheckResult {
        let passed = status == Status::Pass;
        CheckResult {
            id: id.into(),
            title: format!("{id} | does <its> thing"),
            status,
            score,
            max_score,
            message: if passed {
                String::new()
            } else {
                "expected 1 & got 2 | off".into()
            },
            worst: (status == Status::Fail).then(|| Worst {
                scenario: "layer-relu-4x3".into(),
                key: "d_weights".into(),
                index: vec![1, 2],
                expected: 1.0,
                got: 2.0,
            }),
            diagnosis: (status == Status::Fail).then(|| "sign_flipped_update".into()),
            hint: (status == Status::Fail).then(|| "Gradient descent subtracts.".into()),
            unwritten: false,
        }
    }

    /// Three checks: one passed, one failed with a diagnosis, one in error.
    pub fn mixed() -> Report {
        Report::new(
            "backprop".into(),
            "Backpropagation".into(),
            "alice.rs".into(),
            None,
            BuildSummary {
                ok: true,
                diagnostics: String::new(),
            },
            vec![
                check("backward.d_biases", Status::Pass, 10, 10),
                check("backward.update", Status::Fail, 0, 10),
                check("train.loss_decreases", Status::Error, 0, 15),
            ],
            Vec::new(),
        )
    }

    /// A submission that does not compile: every check in error.
    pub fn not_compiling() -> Report {
        let mut report = mixed();
        report.build = BuildSummary {
            ok: false,
            diagnostics: "error: expected `;`, found `}`\n --> alice.rs:3:5".into(),
        };
        for c in &mut report.checks {
            *c = check(&c.id, Status::Error, 0, c.max_score);
            c.message = "the submission does not compile (see the compiler's messages)".into();
        }
        report.score = 0;
        report
    }
}
