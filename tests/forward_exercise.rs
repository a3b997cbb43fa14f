//! The second exercise, `exercises/forward`, built from docs/authoring.md and `grade new` alone:
//! it validates (the reference full marks, the stub nothing, every known mistake caught and
//! recognised), its stub is graded "not implemented", and differently written known mistakes are
//! recognised with their hints, in French as in English.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;

fn forward() -> std::path::PathBuf {
    root().join("exercises/forward")
}

#[test]
fn the_forward_exercise_validates() {
    grade()
        .arg("validate")
        .arg(forward())
        .assert()
        .success()
        .stdout(predicate::str::contains("reference"))
        .stdout(predicate::str::contains("validation passed"))
        .stdout(predicate::str::contains("expected.json is current"));
}

#[test]
fn its_stub_is_graded_not_implemented_on_every_check() {
    let (code, report) = grade_json(&forward(), &forward().join("src/forward.rs"));
    assert_eq!(code, 1);
    assert_eq!(report["score"], 0.0);
    assert_eq!(report["max_score"], 100.0);
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 6);
    for check in checks {
        let message = check["message"].as_str().unwrap();
        assert!(
            message.contains("not implemented"),
            "{}: {message}",
            check["id"]
        );
    }
}

#[test]
fn known_mistakes_written_otherwise_are_recognised_with_their_hints() {
    for (file, check_id, mistake) in [
        (
            "forward/relu_prime_zero_rewritten.rs",
            "activation.derivative",
            "relu_derivative_one_at_zero",
        ),
        (
            "forward/bias_after_activation_loops.rs",
            "layer.forward",
            "bias_after_activation",
        ),
    ] {
        let (code, report) = grade_json(&forward(), &fixture(file));
        assert_eq!(code, 1, "{file}");
        let lost = check(&report, check_id);
        assert_eq!(lost["status"], "fail", "{file}: {lost:#}");
        assert_eq!(lost["diagnosis"], mistake, "{file}: {lost:#}");
        assert!(
            lost["hint"].as_str().is_some_and(|h| !h.is_empty()),
            "{file}: {lost:#}"
        );
    }
}

/// The forward exercise promises French (`languages = ["en", "fr"]`): a student working in French
/// reads the exercise's title, every check's title and the known mistake's hint in French, the
/// hint once, and none of the English text it replaces.
#[test]
fn a_french_report_gives_the_french_titles_and_the_french_hint_once() {
    let output = grade()
        .current_dir(root())
        .args([
            "exercises/forward",
            "--submission",
            "tests/fixtures/forward/bias_after_activation_loops.rs",
        ])
        .env("GRADE_LANG", "fr")
        .output()
        .expect("grade runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(output.status.code(), Some(1), "{text}");
    for french in [
        "La propagation avant d'un perceptron multicouche",
        "apply calcule ReLU(z)",
        "(bias_after_activation)",
        "le biais est ajouté après l'activation",
    ] {
        assert!(text.contains(french), "{french:?} missing:\n{text}");
    }
    assert_eq!(
        text.matches("Le biais décale la pré-activation").count(),
        1,
        "{text}"
    );
    for english in ["The forward pass", "computes", "The bias shifts"] {
        assert!(!text.contains(english), "{english:?} in French:\n{text}");
    }
}
