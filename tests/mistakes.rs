//! Known mistakes: every catalogued mistake is recognised as itself, students' rewrites of them too,
//! correct code never is, `grade validate` proves it, and a copy without solutions grades the same.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;

/// Every check a submission fails names `id`, and it fails at least one.
fn assert_diagnosed_as(report: &serde_json::Value, id: &str, what: &str) {
    let failed: Vec<_> = diagnoses(report)
        .into_iter()
        .filter(|(_, status, _)| status != "pass")
        .collect();
    assert!(!failed.is_empty(), "{what} loses no points: {report:#}");
    for (check, _, diagnosis) in failed {
        assert_eq!(
            diagnosis.as_deref(),
            Some(id),
            "{what}, check {check}: {report:#}"
        );
        let hint = common::check(report, &check)["hint"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!hint.is_empty(), "{what}, check {check} has no hint");
    }
}

#[test]
fn every_catalogued_mistake_is_diagnosed_as_itself() {
    let ids = mistake_ids();
    assert!(ids.len() >= 15, "{ids:?}");
    for id in ids {
        let file = root().join(format!("solutions/backprop/mistakes/{id}.rs"));
        let (code, report) = grade_json(&exercise(), &file);
        assert_eq!(code, 1, "{id}");
        assert_diagnosed_as(&report, &id, &id);
    }
}

#[test]
fn rewrites_of_mistakes_are_diagnosed_by_behaviour() {
    let dir = fixture("rewrites");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    for file in files {
        let id = file.file_stem().unwrap().to_str().unwrap().to_string();
        let catalogued =
            std::fs::read_to_string(root().join(format!("solutions/backprop/mistakes/{id}.rs")))
                .unwrap();
        assert_ne!(
            std::fs::read_to_string(&file).unwrap(),
            catalogued,
            "{id}: a rewrite, not a copy"
        );
        let (_, report) = grade_json(&exercise(), &file);
        assert_diagnosed_as(&report, &id, &format!("rewrite {id}"));
    }
}

#[test]
fn the_hint_is_shown_once_in_the_mistakes_block() {
    let output = grade()
        .arg(exercise())
        .arg("--submission")
        .arg(fixture("rewrites/sign_flipped_update.rs"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Known mistake 1 (sign_flipped_update):"),
        "{text}"
    );
    assert!(text.contains("hint: Gradient descent subtracts"), "{text}");
    assert_eq!(
        text.matches("Gradient descent subtracts").count(),
        1,
        "{text}"
    );
}

#[test]
fn correct_code_is_never_diagnosed() {
    let (_, report) = grade_json(&exercise(), &reference());
    assert!(diagnoses(&report).iter().all(|(_, _, d)| d.is_none()));
    // A partly correct submission: its passing checks carry no diagnosis, and JSON has the fields.
    let (_, report) = grade_json(&exercise(), &fixture("wrong/sign_error.rs"));
    for c in report["checks"].as_array().unwrap() {
        assert!(
            c.get("diagnosis").is_some() && c.get("hint").is_some(),
            "{c}"
        );
        if c["status"] == "pass" {
            assert!(c["diagnosis"].is_null() && c["hint"].is_null(), "{c}");
        }
    }
}

#[test]
fn validate_passes_on_the_shipped_exercise() {
    grade()
        .args(["validate"])
        .arg(exercise())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("reference"))
        .stdout(predicate::str::contains("sign_flipped_update"))
        .stdout(predicate::str::contains("expected.json is current"))
        .stdout(predicate::str::contains("validation passed"));
}

#[test]
fn validate_fails_when_a_weakened_tolerance_lets_a_mistake_through() {
    let copy = copy_exercise_with_solutions();
    let spec = copy.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let weakened = text.replace(
        r#"rule = "reference", key = "losses", rtol = 1e-7,"#,
        r#"rule = "reference", key = "losses", rtol = 100.0,"#,
    );
    assert_ne!(text, weakened, "the tolerance to weaken is in the spec");
    std::fs::write(&spec, weakened).unwrap();
    grade()
        .args(["validate"])
        .arg(copy.path().join("backprop"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "loss_not_averaged: loses no points",
        ))
        .stdout(predicate::str::contains("validation failed"));
}

#[test]
fn validate_notices_a_stale_expected_json() {
    let copy = copy_exercise_with_solutions();
    let expected = copy.path().join("backprop/expected.json");
    let text = std::fs::read_to_string(&expected).unwrap();
    let stale = text.replacen("\"losses\"", "\"losses_renamed\"", 1);
    assert_ne!(text, stale);
    std::fs::write(&expected, stale).unwrap();
    grade()
        .args(["validate"])
        .arg(copy.path().join("backprop"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("is not current"));
}

#[test]
fn bless_writes_an_expected_json_that_validates() {
    let copy = copy_exercise_with_solutions();
    let dir = copy.path().join("backprop");
    std::fs::remove_file(dir.join("expected.json")).unwrap();
    grade()
        .arg("bless")
        .arg(&dir)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("wrote"));
    assert!(dir.join("expected.json").is_file());
    grade().arg("validate").arg(&dir).assert().code(0);
}

#[test]
fn a_copy_without_solutions_grades_and_diagnoses_the_same() {
    let copy = copy_exercise();
    let alone = copy.path().join("backprop");
    let mut submissions = vec![reference(), exercise(), fixture("wrong/sign_error.rs")];
    submissions.extend(
        [
            "loss_not_averaged",
            "da_prev_after_update",
            "epoch_numbered_from_zero",
        ]
        .map(|id| fixture(&format!("rewrites/{id}.rs"))),
    );
    for submission in submissions {
        let (code_repo, in_repo) = grade_json(&exercise(), &submission);
        let (code_copy, in_copy) = grade_json(&alone, &submission);
        assert_eq!(code_repo, code_copy, "{}", submission.display());
        assert_eq!(
            in_repo["score"],
            in_copy["score"],
            "{}",
            submission.display()
        );
        assert_eq!(
            diagnoses(&in_repo),
            diagnoses(&in_copy),
            "{}",
            submission.display()
        );
    }
}

#[test]
fn a_copy_without_solutions_cannot_derive_fresh_seeds() {
    let copy = copy_exercise();
    grade()
        .arg(copy.path().join("backprop"))
        .args(["--seed", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--seed needs the reference's source",
        ));
}

#[test]
fn a_copy_with_an_edited_given_file_says_which() {
    let copy = copy_exercise();
    let model = copy.path().join("backprop/src/model.rs");
    let text = std::fs::read_to_string(&model).unwrap();
    std::fs::write(
        &model,
        text.replace(
            "self.weights.dot(inputs) + &self.biases",
            "self.weights.dot(inputs) - &self.biases",
        ),
    )
    .unwrap();
    grade()
        .arg(copy.path().join("backprop"))
        .arg("--submission")
        .arg(reference())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("src/model.rs"));
}
