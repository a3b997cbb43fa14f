//! The grader end to end, on real compiles of real submissions.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;

const CHECKS: [&str; 9] = [
    "backward.d_biases",
    "backward.d_weights",
    "backward.da_prev",
    "backward.update",
    "backward.gradcheck",
    "fit.loss_values",
    "fit.weights",
    "fit.prints_loss",
    "train.loss_decreases",
];

#[test]
fn the_stub_scores_nothing_and_says_not_implemented() {
    let (code, report) = grade_json(&exercise(), &exercise());
    assert_eq!(code, 1);
    assert_eq!(report["score"], 0);
    assert_eq!(report["max_score"], 100);
    assert_eq!(report["build"]["ok"], true);
    for id in CHECKS {
        let message = check(&report, id)["message"].as_str().unwrap();
        assert!(message.contains("not implemented yet"), "{id}: {message}");
        assert_ne!(status(&report, id), "pass");
    }
}

#[test]
fn the_stub_in_the_human_report() {
    grade()
        .arg(exercise())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ backward.d_biases"))
        .stdout(predicate::str::contains(
            "not implemented yet (todo!() at src/backprop.rs:",
        ))
        .stdout(predicate::str::contains("score 0/100"))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn the_reference_scores_full_marks() {
    let (code, report) = grade_json(&exercise(), &reference());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["score"], 100);
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, CHECKS, "the check ids are the public interface");
    for id in CHECKS {
        assert_eq!(status(&report, id), "pass");
        assert_eq!(check(&report, id)["message"], "");
    }
}

#[test]
fn the_human_report_of_a_full_grade_draws_the_loss_curve() {
    grade()
        .arg(exercise())
        .arg("--submission")
        .arg(reference())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("score 100/100"))
        .stdout(predicate::str::contains("◉"))
        .stdout(predicate::str::contains("✗").not());
}

#[test]
fn correct_solutions_in_other_styles_score_full_marks() {
    let dir = fixture("correct");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the styles are in {}", dir.display());
    for file in files {
        let (code, report) = grade_json(&exercise(), &file);
        assert_eq!(
            (code, lost(&report)),
            (0, vec![]),
            "{}: {report:#}",
            file.display()
        );
    }
}

#[test]
fn a_syntax_error_is_graded_with_the_compilers_diagnostics() {
    let file = fixture("wrong/syntax_error.rs");
    let (code, report) = grade_json(&exercise(), &file);
    assert_eq!(code, 1);
    assert_eq!(report["score"], 0);
    assert_eq!(report["build"]["ok"], false);
    let diagnostics = report["build"]["diagnostics"].as_str().unwrap();
    assert!(diagnostics.contains("error"), "{diagnostics}");
    assert!(
        diagnostics.contains(&format!("{}:", file.display())),
        "names the student's file: {diagnostics}"
    );
    for id in CHECKS {
        assert_eq!(status(&report, id), "error");
    }
}

#[test]
fn a_sign_error_in_the_update_loses_the_backward_points_but_keeps_fit() {
    let (code, report) = grade_json(&exercise(), &fixture("wrong/sign_error.rs"));
    assert_eq!(code, 1);
    for id in [
        "backward.d_biases",
        "backward.d_weights",
        "backward.update",
        "backward.gradcheck",
        "train.loss_decreases",
    ] {
        assert_eq!(status(&report, id), "fail", "{id}: {report:#}");
    }
    for id in [
        "backward.da_prev",
        "fit.loss_values",
        "fit.weights",
        "fit.prints_loss",
    ] {
        assert_eq!(status(&report, id), "pass", "{id}: {report:#}");
    }
    let message = check(&report, "backward.update")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("uphill"), "{message}");
    let worst = &check(&report, "backward.d_weights")["worst"];
    let (expected, got) = (
        worst["expected"].as_f64().unwrap(),
        worst["got"].as_f64().unwrap(),
    );
    // Equal but for the sign (and the last bits of rounding: dividing the step by lr).
    assert!(
        expected != 0.0 && (expected + got).abs() <= 1e-12 * expected.abs(),
        "the step has the opposite sign: {worst}"
    );
}

#[test]
fn a_malformed_exercise_toml_is_an_error_with_its_line() {
    let copy = copy_exercise();
    let spec = copy.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let broken = text.replacen("points = 15", "points = = 15", 1);
    let line = broken.lines().position(|l| l.contains("= = 15")).unwrap() + 1;
    std::fs::write(&spec, broken).unwrap();
    grade()
        .arg(copy.path().join("backprop"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!("exercise.toml:{line}:")));
}

#[test]
fn a_missing_exercise_folder_or_submission_is_an_error() {
    grade()
        .arg("no/such/exercise")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such exercise folder"));
    grade()
        .arg(exercise())
        .args(["--submission", "no/such/file.rs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file or folder"));
}

#[test]
fn the_submission_can_be_a_folder_laid_out_like_the_exercise() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::copy(reference(), dir.path().join("src/backprop.rs")).unwrap();
    // Edits to given files in the student's folder never reach the grade.
    std::fs::write(dir.path().join("src/model.rs"), "this is not rust").unwrap();
    let (code, report) = grade_json(&exercise(), dir.path());
    assert_eq!((code, report["score"].as_u64()), (0, Some(100)));
}
