//! Gradescope's `results.json`, as its autograder specification defines it
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>): a top-level `score`, an
//! `output` for the whole submission, and one test per check with `name`, `number`, `score`,
//! `max_score`, `status` ("passed"/"failed") and `output`. A first, unscored test says whether the
//! submission compiles, as the specification's own "Compilation check" example does. This is the
//! one place Gradescope reports are written.

use crate::judge::Status;
use crate::score::{CheckResult, Report};
use serde::Serialize;

/// The top level of `results.json`.
#[derive(Serialize)]
struct Results {
    /// The total; Gradescope takes it over the sum of the tests' scores.
    score: u32,
    /// Shown above the tests.
    output: String,
    /// Plain text: rustc's messages and the hints hold `<`, `*` and `_` that must not be rendered.
    output_format: &'static str,
    test_output_format: &'static str,
    test_name_format: &'static str,
    /// Every test is shown to the student; a course can hide them in Gradescope's settings.
    visibility: &'static str,
    /// `grade`'s stdout is for the instructor's debugging only (the default, said explicitly).
    stdout_visibility: &'static str,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    /// Gradescope numbers tests by this; the checks keep the exercise's order.
    number: String,
    /// Absent on the informational build test.
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_score: Option<u32>,
    status: &'static str,
    output: String,
    visibility: &'static str,
}

pub fn render(report: &Report) -> String {
    let mut tests = vec![Test {
        name: crate::tr!("gradescope-build"),
        number: "0".into(),
        score: None,
        max_score: None,
        status: if report.build.ok { "passed" } else { "failed" },
        output: if report.build.ok {
            String::new()
        } else {
            format!(
                "{}\n\n{}",
                crate::tr!("report-does-not-compile"),
                report.build.diagnostics
            )
        },
        visibility: "visible",
    }];
    tests.extend(
        report
            .checks
            .iter()
            .enumerate()
            .map(|(i, check)| test(i + 1, check)),
    );
    let results = Results {
        score: report.score,
        output: output(report),
        output_format: "text",
        test_output_format: "text",
        test_name_format: "text",
        visibility: "visible",
        stdout_visibility: "hidden",
        tests,
    };
    let mut text = serde_json::to_string_pretty(&results).expect("results always serialise");
    text.push('\n');
    text
}

fn output(report: &Report) -> String {
    let points = crate::tr!(
        "report-points",
        score = report.score,
        max = report.max_score
    );
    let mut text = format!("{}: {points}", report.title);
    if let Some(note) = super::seed_note(report) {
        text.push_str(&format!(" ({note})"));
    }
    if !report.build.ok {
        text.push_str(&format!("\n\n{}", crate::tr!("gradescope-see-build")));
    }
    text
}

fn test(number: usize, check: &CheckResult) -> Test {
    let mut output = String::new();
    if check.status != Status::Pass {
        output.push_str(&check.message);
        if let Some(worst) = &check.worst {
            let worst = super::worst_in_words(worst);
            let line = crate::tr!("gradescope-worst", worst = worst);
            output.push_str(&format!("\n\n{line}"));
        }
        if let (Some(mistake), Some(hint)) = (&check.diagnosis, &check.hint) {
            let lead = crate::tr!("gradescope-hint", mistake = mistake);
            output.push_str(&format!("\n\n{lead} {hint}"));
        }
    }
    Test {
        name: format!("{}: {}", check.id, check.title),
        number: number.to_string(),
        score: Some(check.score),
        max_score: Some(check.max_score),
        status: if check.status == Status::Pass {
            "passed"
        } else {
            "failed"
        },
        output,
        visibility: "visible",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;
    use serde_json::Value;

    #[test]
    fn tests_carry_the_specifications_fields() {
        let results: Value = serde_json::from_str(&render(&sample::mixed())).unwrap();
        assert_eq!(results["score"], 10);
        let tests = results["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 4);
        assert_eq!(tests[0]["status"], "passed");
        assert!(
            tests[0].get("score").is_none(),
            "the build test is unscored"
        );
        assert_eq!(tests[1]["status"], "passed");
        assert_eq!(tests[1]["max_score"], 10);
        assert_eq!(tests[2]["status"], "failed");
        let output = tests[2]["output"].as_str().unwrap();
        assert!(output.contains("Hint (sign_flipped_update)"), "{output}");
        assert!(output.contains("`d_weights[1, 2]`"), "{output}");
        assert_eq!(tests[3]["status"], "failed");
    }

    #[test]
    fn a_compile_error_fails_the_build_test_with_rustcs_words() {
        let results: Value = serde_json::from_str(&render(&sample::not_compiling())).unwrap();
        let build = &results["tests"][0];
        assert_eq!(build["status"], "failed");
        assert!(build["output"].as_str().unwrap().contains("expected `;`"));
        assert_eq!(results["score"], 0);
    }
}
