//! The JUnit XML report, as CI servers (GitHub test reporters, GitLab, Jenkins) read it: one
//! `<testsuite>` for the exercise, a `build` test case that fails with rustc's messages when the
//! submission does not compile, then one `<testcase>` per check. A check that does not pass is a
//! `<failure>`; one that could not be judged (a panic, a timeout, no build) is an `<error>`. This
//! is the one place JUnit reports are written.

use crate::judge::Status;
use crate::score::{CheckResult, Report};
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

pub fn render(report: &Report) -> String {
    let mut suite = TestSuite::new(report.exercise.as_str());
    suite.add_properties([
        Property::new("title", report.title.as_str()),
        Property::new("submission", report.submission.as_str()),
        Property::new("score", report.score.to_string()),
        Property::new("max_score", report.max_score.to_string()),
    ]);
    if let Some(note) = super::seed_note(report) {
        suite.add_property(Property::new("seed", note));
    }
    suite.add_test_case(build_case(report));
    suite.add_test_cases(report.checks.iter().map(|c| check_case(report, c)));
    suite.set_system_out(format!(
        "{}: {}/{}\n",
        report.submission, report.score, report.max_score
    ));

    let mut junit = quick_junit::Report::new("grade");
    junit.add_test_suite(suite);
    junit
        .to_string()
        .expect("a report in memory always serialises")
}

/// Whether the submission compiles: a test case of its own, so a compile error is one visible
/// failure with rustc's own words, rather than nine errors that all say "see the build".
fn build_case(report: &Report) -> TestCase {
    let status = if report.build.ok {
        TestCaseStatus::success()
    } else {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(crate::tr!("junit-does-not-compile"))
            .set_type(crate::tr!("junit-compile-error"))
            .set_description(report.build.diagnostics.as_str());
        status
    };
    let mut case = TestCase::new("build", status);
    case.set_classname(report.exercise.as_str());
    case
}

fn check_case(report: &Report, check: &CheckResult) -> TestCase {
    let status = match check.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail | Status::Error => {
            let (kind, ty) = if check.status == Status::Fail {
                (NonSuccessKind::Failure, crate::tr!("junit-check-failed"))
            } else {
                (NonSuccessKind::Error, crate::tr!("junit-check-not-judged"))
            };
            let mut status = TestCaseStatus::non_success(kind);
            // CI servers show the message on one line; the details hold the rest.
            let first = check.message.lines().next().unwrap_or_default();
            status
                .set_message(first)
                .set_type(ty)
                .set_description(details(check));
            status
        }
    };
    let mut case = TestCase::new(check.id.as_str(), status);
    case.set_classname(report.exercise.as_str());
    let points = crate::tr!("report-points", score = check.score, max = check.max_score);
    case.set_system_out(format!("{points} · {}\n", check.title));
    case
}

/// The message in full, the worst element, and the diagnosis with its hint.
fn details(check: &CheckResult) -> String {
    let mut text = check.message.clone();
    if let Some(worst) = &check.worst {
        let worst = super::worst_in_words(worst);
        text.push_str(&format!("\n{}", crate::tr!("junit-worst", worst = worst)));
    }
    if let Some(mistake) = &check.diagnosis {
        let diagnosis = crate::tr!("junit-diagnosis", mistake = mistake);
        text.push_str(&format!("\n{diagnosis}"));
    }
    if let Some(hint) = &check.hint {
        text.push_str(&format!("\n{} {hint}", crate::tr!("report-hint")));
    }
    let points = crate::tr!("report-points", score = check.score, max = check.max_score);
    text.push_str(&format!("\n{points}"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn one_case_per_check_after_the_build() {
        let xml = render(&sample::mixed());
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 4, "{xml}");
        assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
        assert_eq!(xml.matches("<error ").count(), 1, "{xml}");
        assert!(xml.contains("tests=\"4\""), "{xml}");
        assert!(xml.contains("hint: Gradient descent subtracts."), "{xml}");
        assert!(xml.contains("diagnosis: sign_flipped_update"), "{xml}");
        assert!(xml.contains("worst element: `d_weights[1, 2]`"), "{xml}");
        // Escaped, not raw.
        assert!(
            xml.contains("&lt;its&gt;") && xml.contains("&amp;"),
            "{xml}"
        );
    }

    #[test]
    fn a_compile_error_is_a_failed_build_case_with_rustcs_words() {
        let xml = render(&sample::not_compiling());
        assert!(xml.contains("name=\"build\""), "{xml}");
        assert!(xml.contains("the submission does not compile"), "{xml}");
        assert!(xml.contains("expected `;`, found `}`"), "{xml}");
        assert_eq!(xml.matches("<error ").count(), 3, "{xml}");
    }

    #[test]
    fn the_seed_is_never_written() {
        let mut report = sample::mixed();
        report.seed = Some(987654321);
        let xml = render(&report);
        assert!(!xml.contains("987654321"), "{xml}");
        assert!(xml.contains("hidden seed"), "{xml}");
    }
}
