//! Every passed check rests on evidence: submissions that used to score on empty series or on
//! their own word lose the checks they have not earned, hidden seeds are as strong as the shipped
//! ones, and messages point at the student's own line.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

/// Grades `submission` with `--seed seed` (the shipped seeds when `None`).
fn graded(submission: &std::path::Path, seed: Option<u64>) -> (i32, Value) {
    let mut command = grade();
    command
        .arg(exercise())
        .arg("--submission")
        .arg(submission)
        .args(["--format", "json"]);
    if let Some(seed) = seed {
        command.args(["--seed", &seed.to_string()]);
    }
    let output = command.output().expect("grade runs");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("an exit code"), report)
}

fn message<'a>(report: &'a Value, id: &str) -> &'a str {
    check(report, id)["message"].as_str().unwrap_or_default()
}

#[test]
fn fit_returning_an_empty_history_earns_nothing_from_fit_or_training() {
    let (code, report) = graded(&fixture("vacuous/fit_returns_nothing.rs"), None);
    assert_eq!(code, 1);
    assert_eq!(
        lost(&report),
        [
            "fit.loss_values",
            "fit.weights",
            "fit.prints_loss",
            "train.loss_decreases"
        ],
        "{report:#}"
    );
    assert_eq!(report["score"], 60);
    assert!(
        message(&report, "fit.loss_values").starts_with("fit returned 0 losses for 3 epochs"),
        "{}",
        message(&report, "fit.loss_values")
    );
    assert!(
        message(&report, "fit.prints_loss").starts_with(
            "printed 0 lines starting with `Loss at epoch`, expected 3, one per `epochs`"
        ),
        "{}",
        message(&report, "fit.prints_loss")
    );
    assert!(
        message(&report, "train.loss_decreases").starts_with(
            "the loss of your model (measured with forward over the data) does not fall in epoch 1 of 10"
        ),
        "{}",
        message(&report, "train.loss_decreases")
    );
}

#[test]
fn made_up_falling_losses_do_not_pass_the_training_check() {
    let (code, report) = graded(&fixture("vacuous/invented_losses.rs"), None);
    assert_eq!(code, 1);
    let lost = lost(&report);
    assert!(
        lost.contains(&"train.loss_decreases".to_string()),
        "{report:#}"
    );
    assert!(lost.contains(&"fit.loss_values".to_string()), "{report:#}");
    assert!(lost.contains(&"fit.weights".to_string()), "{report:#}");
    // What it prints is what it returns: that check alone it does pass.
    assert_eq!(status(&report, "fit.prints_loss"), "pass");
    assert!(
        message(&report, "train.loss_decreases").contains("stays at"),
        "{}",
        message(&report, "train.loss_decreases")
    );
}

#[test]
fn the_new_known_mistakes_are_said_in_the_exercises_words() {
    let mistake = |id: &str| root().join(format!("solutions/backprop/mistakes/{id}.rs"));
    let (_, report) = graded(&mistake("one_epoch_too_few"), None);
    assert!(
        message(&report, "fit.loss_values").starts_with("fit returned 2 losses for 3 epochs"),
        "{}",
        message(&report, "fit.loss_values")
    );
    let (_, report) = graded(&mistake("history_not_recorded"), None);
    assert!(
        message(&report, "fit.prints_loss")
            .contains("`losses` has only 0 values to compare it with"),
        "{}",
        message(&report, "fit.prints_loss")
    );
    let (_, report) = graded(&fixture("rewrites/biases_not_updated.rs"), None);
    assert!(
        message(&report, "backward.update")
            .starts_with("the biases do not move: backward leaves them as they were"),
        "{}",
        message(&report, "backward.update")
    );
}

#[test]
fn a_panic_inside_ndarray_is_placed_at_the_students_line_with_the_shapes() {
    let (_, report) = graded(&fixture("wrong/derivative_of_inputs.rs"), None);
    for id in ["backward.gradcheck", "train.loss_decreases"] {
        let said = message(&report, id);
        assert!(
            said.starts_with("panicked at src/backprop.rs:15:40, "),
            "{id}: {said}"
        );
        assert!(said.contains("in ndarray's `dot`"), "{id}: {said}");
        assert!(
            said.contains("which gave up at ndarray-") && !said.contains("/registry/"),
            "{id}: the library's place comes after, without the machine's path: {said}"
        );
    }
    let said = message(&report, "backward.d_biases");
    assert!(
        said.starts_with("panicked at src/backprop.rs:12:18, in `*` on arrays"),
        "the operation is named: {said}"
    );
    assert!(
        said.contains("backward was given da (3, 1), on a layer with inputs (4, 1)"),
        "a shape error comes with the shapes: {said}"
    );
}

#[test]
fn gradient_clipping_is_caught_under_every_seed_of_a_handful() {
    let clipped = root().join("solutions/backprop/mistakes/gradient_clipped.rs");
    let must_lose = [
        "backward.d_biases",
        "backward.d_weights",
        "backward.da_prev",
        "backward.gradcheck",
    ];
    for seed in [None, Some(1234), Some(31337), Some(7)] {
        let (_, report) = graded(&clipped, seed);
        let lost = lost(&report);
        for id in must_lose {
            assert!(lost.contains(&id.to_string()), "seed {seed:?}: {report:#}");
            assert_eq!(
                check(&report, id)["diagnosis"],
                "gradient_clipped",
                "seed {seed:?}, {id}"
            );
        }
    }
}

#[test]
fn the_training_check_replays_the_courses_run_under_any_seed() {
    // Under a seed derived from 14, the 2-6-6-1 model started from other weights, and a backward
    // that ignores the learning rate still lowered its loss every epoch.
    let ignored = root().join("solutions/backprop/mistakes/learning_rate_ignored.rs");
    for seed in [None, Some(14)] {
        let (_, report) = graded(&ignored, seed);
        assert_eq!(
            status(&report, "train.loss_decreases"),
            "fail",
            "seed {seed:?}: {report:#}"
        );
    }
}

#[test]
fn correct_submissions_score_full_marks_under_hidden_seeds() {
    let mut files: Vec<_> = std::fs::read_dir(fixture("correct"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(reference());
    for seed in [3, 1234] {
        for file in &files {
            let (code, report) = graded(file, Some(seed));
            assert_eq!(code, 0, "{} under seed {seed}: {report:#}", file.display());
            assert_eq!(report["score"], 100);
        }
    }
}

#[test]
fn validate_proves_the_checks_over_a_few_seeds() {
    grade()
        .args(["validate", "--seeds", "3"])
        .arg(exercise())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "seed sweep: the reference and 26 known mistakes under seeds 1 to 3",
        ))
        .stdout(predicate::str::contains(
            "every known mistake loses the same checks under all 3 seeds",
        ));
}

#[test]
fn validate_says_where_a_weakened_scenario_lets_a_mistake_through() {
    // Without its coverage conditions (da from [-1, 1), no |dz| required above 1.5) a layer
    // scenario's |dz| stays below 0.5 under some seeds (7 and 9 among them, found by a sweep of
    // 20), and clipped gradients go unseen there.
    let copy = copy_exercise_with_solutions();
    let spec = copy.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let weakened = text
        .replace("da_range = 8.0", "da_range = 1.0")
        .replace("big_dz = 1.5", "big_dz = 0.0");
    assert_ne!(text, weakened);
    std::fs::write(&spec, weakened).unwrap();
    let dir = copy.path().join("backprop");
    grade().arg("bless").arg(&dir).assert().code(0);
    grade()
        .args(["validate", "--seeds", "7..=9"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("under seeds 7 to 9"))
        .stdout(predicate::str::contains(
            "gradient_clipped: passes backward.d_biases under 2 of 3 seeds (seed 7, 9)",
        ))
        .stdout(predicate::str::contains("seed sweep failed"));
}

#[test]
fn seeds_needs_a_number_and_no_seed() {
    for bad in ["0", "5..5", "9..=3", "x", "1..=2000000"] {
        grade()
            .args(["validate", "--seeds", bad])
            .arg(exercise())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(bad));
    }
    grade()
        .args(["validate", "--seeds", "3", "--seed", "4"])
        .arg(exercise())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}
