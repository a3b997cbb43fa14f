//! The rules judged on small hand-made evidence.

use super::compare::{compare, unravel, Comparison, Tolerance};
use super::stdout::{quoted, render, template_prefix};
use super::*;
use crate::judge::*;
use crate::probe::Value;
use crate::spec::Arg;
use std::time::Duration;

fn array(shape: &[usize], data: &[f64]) -> Value {
    Value::Array {
        shape: shape.to_vec(),
        data: data.to_vec(),
    }
}

fn scenario(args: &[(&str, i64)]) -> Scenario {
    Scenario {
        id: "s".into(),
        probe: "p".into(),
        seed: 1,
        fixed_seed: false,
        build: crate::spec::MAIN_BUILD.into(),
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), Arg::Int(*v)))
            .collect(),
        timeout: Duration::from_secs(1),
    }
}

fn observed(values: &[(&str, Value)], stdout: &str) -> Outcome {
    Outcome::Observed {
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        printed: Printed {
            stdout: stdout.into(),
            stderr: String::new(),
            stdout_complete: true,
        },
    }
}

/// The verdict of one rule, written as in exercise.toml, on one scenario.
fn verdict(rule: &str, scenario: &Scenario, got: &Outcome, reference: &Outcome) -> Verdict {
    let rule: Expectation = toml::from_str(rule).expect("a rule");
    let check = Check {
        id: "c".into(),
        title: crate::bilingual::Text::english("c"),
        points: 1,
        scenarios: vec![scenario.id.clone()],
        expect: vec![rule],
        chart: None,
    };
    judge(
        &check,
        &[Evidence {
            scenario,
            submission: got,
            reference: Some(reference),
        }],
    )
}

fn compare_close(got: &Value, want: &Value, skip: Option<&Value>) -> Result<(), Verdict> {
    compare(&Comparison {
        scenario: "s",
        name: "w",
        got,
        want,
        tolerance: Tolerance {
            metric: Metric::Close,
            rtol: 1e-7,
            atol: 1e-9,
        },
        skip,
        meaning: None,
    })
}

#[test]
fn a_quoted_line_is_cut_short() {
    assert_eq!(quoted("Loss at epoch 1: 0.693"), "Loss at epoch 1: 0.693");
    let long = format!("Loss at epoch 1: {}", "9".repeat(1000));
    assert!(
        quoted(&long).ends_with("9… (817 more bytes)"),
        "{}",
        quoted(&long)
    );
}

#[test]
fn templates_render_like_the_course() {
    assert_eq!(
        render("Loss at epoch {n}: {value:.3}", 2, 0.51234),
        "Loss at epoch 2: 0.512"
    );
}

#[test]
fn indices_unravel_row_major() {
    assert_eq!(unravel(5, &[2, 3]), vec![1, 2]);
    assert_eq!(unravel(0, &[]), Vec::<usize>::new());
}

fn panic_at<'a>(message: &'a str, location: &'a str, frames: &'a [String]) -> Panic<'a> {
    Panic {
        message,
        location,
        frames,
        operation: None,
        context: None,
    }
}

#[test]
fn todo_panics_read_as_not_implemented() {
    assert_eq!(
        describe_panic(&panic_at("not yet implemented", "src/backprop.rs:3:9", &[])),
        "not implemented yet (todo!() at src/backprop.rs:3:9)"
    );
    assert!(describe_panic(&panic_at("boom", "", &[])).starts_with("panicked: boom"));
}

#[test]
fn a_panic_inside_a_library_is_located_at_the_students_line_first() {
    let frames = ["src/backprop.rs:8:18".to_string()];
    let panic = Panic {
        message: "ShapeError/IncompatibleShape: incompatible shapes",
        location: "ndarray-0.17.2/src/impl_ops.rs:12:5",
        frames: &frames,
        operation: Some("the element-wise product `*`"),
        context: Some("da (3, 1); inputs (4, 1)"),
    };
    assert_eq!(
        describe_panic(&panic),
        "panicked at src/backprop.rs:8:18, in the element-wise product `*` (which gave up at \
         ndarray-0.17.2/src/impl_ops.rs:12:5): ShapeError/IncompatibleShape: incompatible \
         shapes (da (3, 1); inputs (4, 1))"
    );
}

#[test]
fn comparison_names_the_worst_element() {
    let got = array(&[2, 2], &[1.0, 2.0, 3.0, 5.0]);
    let want = array(&[2, 2], &[1.0, 2.0, 3.0, 4.0]);
    let err = compare_close(&got, &want, None).unwrap_err();
    assert_eq!(err.worst.unwrap().index, vec![1, 1]);
    assert!(compare_close(&want, &want, None).is_ok());
    let nan = array(&[2, 2], &[1.0, 2.0, 3.0, f64::NAN]);
    assert!(
        compare_close(&nan, &want, None).is_err(),
        "NaN never passes"
    );
}

#[test]
fn nothing_compared_is_a_failure() {
    let empty = array(&[0], &[]);
    let err = compare_close(&empty, &empty, None).unwrap_err();
    assert!(err.message.contains("no elements"), "{}", err.message);
    let two = array(&[2], &[1.0, 2.0]);
    let all = array(&[2], &[1.0, 1.0]);
    let err = compare_close(&two, &two, Some(&all)).unwrap_err();
    assert!(
        err.message.contains("all 2 elements were skipped"),
        "{}",
        err.message
    );
    let some = array(&[2], &[1.0, 0.0]);
    assert!(compare_close(&two, &two, Some(&some)).is_ok());
    let text = Value::Text("hello".into());
    assert!(compare_close(&text, &text, None).is_err());
    assert!(compare_close(&array(&[], &[1.0]), &text, None).is_err());
}

#[test]
fn relative_metric_passes_both_zero_and_tiny_absolute_differences() {
    let relative = |got: &Value, want: &Value| {
        compare(&Comparison {
            scenario: "s",
            name: "g",
            got,
            want,
            tolerance: Tolerance {
                metric: Metric::Relative,
                rtol: 1e-5,
                atol: 1e-10,
            },
            skip: None,
            meaning: None,
        })
    };
    let a = array(&[3], &[0.0, 1e-12, 1.0]);
    let b = array(&[3], &[0.0, 2e-12, 1.0 + 1e-9]);
    assert!(relative(&a, &b).is_ok());
    assert!(relative(&array(&[3], &[0.0, 0.0, 1.1]), &b).is_err());
}

const DECREASING: &str = r#"rule = "decreasing"
key = "losses"
count = "epochs + 1"
meaning = "the loss"
step = "epoch""#;

#[test]
fn decreasing_needs_the_values_the_scenario_asked_for() {
    let s = scenario(&[("epochs", 2)]);
    let none = observed(&[], "");
    let with = |data: &[f64]| observed(&[("losses", array(&[data.len()], data))], "");
    assert_eq!(
        verdict(DECREASING, &s, &with(&[0.7, 0.6, 0.5]), &none).status,
        Status::Pass
    );
    for short in [&[][..], &[0.7], &[0.7, 0.6]] {
        let v = verdict(DECREASING, &s, &with(short), &none);
        assert_eq!(v.status, Status::Fail, "{short:?}");
        assert!(v.message.contains("expected 3"), "{}", v.message);
    }
    let v = verdict(DECREASING, &s, &with(&[0.7, 0.7, 0.5]), &none);
    assert!(
        v.message
            .starts_with("the loss does not fall in epoch 1 of 2: 0.7 stays at 0.7"),
        "{}",
        v.message
    );
    let v = verdict(DECREASING, &s, &with(&[0.7, f64::NAN, 0.5]), &none);
    assert!(v.message.contains("NaN"), "{}", v.message);
    assert_eq!(v.status, Status::Fail);
    let v = verdict(DECREASING, &s, &none, &none);
    assert!(v.message.contains("reported no `losses`"), "{}", v.message);
    let uncounted = r#"rule = "decreasing"
key = "losses""#;
    let v = verdict(uncounted, &s, &with(&[0.7]), &none);
    assert!(v.message.contains("at least two"), "{}", v.message);
}

const STDOUT: &str = r#"rule = "stdout"
template = "Loss at epoch {n}: {value:.3}"
key = "losses"
count = "epochs""#;

#[test]
fn stdout_expects_one_line_per_epoch_asked() {
    let s = scenario(&[("epochs", 2)]);
    let none = observed(&[], "");
    let with = |data: &[f64], out: &str| observed(&[("losses", array(&[data.len()], data))], out);
    let lines = "Loss at epoch 1: 0.700\nLoss at epoch 2: 0.600\n";
    assert_eq!(
        verdict(STDOUT, &s, &with(&[0.7, 0.6], lines), &none).status,
        Status::Pass
    );
    let v = verdict(STDOUT, &s, &with(&[], ""), &none);
    assert!(
        v.message.starts_with(
            "printed 0 lines starting with `Loss at epoch`, expected 2, one per `epochs`"
        ),
        "{}",
        v.message
    );
    let v = verdict(STDOUT, &s, &with(&[], lines), &none);
    assert!(
        v.message.contains("has only 0 values to compare it with"),
        "{}",
        v.message
    );
    let v = verdict(STDOUT, &s, &with(&[0.7, 0.5], lines), &none);
    assert!(
        v.message.contains("expected `Loss at epoch 2: 0.500`"),
        "{}",
        v.message
    );
    let zero = scenario(&[("epochs", 0)]);
    assert_eq!(
        verdict(STDOUT, &zero, &with(&[], ""), &none).status,
        Status::Fail
    );
}

#[test]
fn reference_counts_say_the_exercises_words() {
    let rule = r#"rule = "reference"
key = "losses"
count = "epochs"
count_meaning = "fit returned {got} losses for {expected} epochs""#;
    let s = scenario(&[("epochs", 3)]);
    let reference = observed(&[("losses", array(&[3], &[0.7, 0.6, 0.5]))], "");
    let got = observed(&[("losses", array(&[2], &[0.7, 0.6]))], "");
    let v = verdict(rule, &s, &got, &reference);
    assert_eq!(v.message, "fit returned 2 losses for 3 epochs (scenario s)");
    let empty = observed(&[("losses", array(&[0], &[]))], "");
    let v = verdict(rule, &s, &empty, &reference);
    assert_eq!(v.message, "fit returned 0 losses for 3 epochs (scenario s)");
    assert_eq!(
        verdict(rule, &s, &reference, &reference).status,
        Status::Pass
    );
}

#[test]
fn aligned_says_a_step_of_zero_does_not_move() {
    let rule = r#"rule = "aligned"
a = "step"
b = "gradient"
meaning = "the biases move uphill"
zero = "the biases do not move""#;
    let s = scenario(&[]);
    let none = observed(&[], "");
    let with = |step: &[f64], gradient: &[f64]| {
        observed(
            &[
                ("step", array(&[2], step)),
                ("gradient", array(&[2], gradient)),
            ],
            "",
        )
    };
    assert_eq!(
        verdict(rule, &s, &with(&[1.0, 2.0], &[1.0, 1.0]), &none).status,
        Status::Pass
    );
    let v = verdict(rule, &s, &with(&[0.0, 0.0], &[1.0, 1.0]), &none);
    assert_eq!(v.message, "the biases do not move (scenario s)");
    let v = verdict(rule, &s, &with(&[-1.0, -2.0], &[1.0, 1.0]), &none);
    assert!(
        v.message.starts_with("the biases move uphill"),
        "{}",
        v.message
    );
    let v = verdict(rule, &s, &with(&[1.0, 2.0], &[0.0, 0.0]), &none);
    assert_ne!(v.status, Status::Pass, "no direction is no evidence");
    let v = verdict(rule, &s, &with(&[f64::NAN, 1.0], &[1.0, 1.0]), &none);
    assert_ne!(v.status, Status::Pass, "NaN is no step");
}

#[test]
fn template_prefix_stops_at_the_first_placeholder() {
    assert_eq!(
        template_prefix("Loss at epoch {n}: {value:.3}"),
        "Loss at epoch "
    );
}
