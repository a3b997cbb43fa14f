//! CI and instructors at scale: the report formats parsed back, `--output`, `--min-score`, hidden
//! seeds, the trusted-spec recipe of the README, `grade batch` on a mixed class, and watch mode. All
//! on real compiles of real submissions.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// One seed for every test here, so the reference's observations on it are probed once per run.
const SECRET_SEED: &str = "20240917";

const CHECKS: usize = 9;

fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let output = grade().args(args).output().expect("grade runs");
    (
        output.status.code().expect("grade exits by itself"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `grade exercises/backprop --submission FILE --format FORMAT`: exit code and stdout.
fn report_in(format: &str, submission: &Path) -> (i32, String) {
    let (code, stdout, stderr) = run(&[
        exercise().as_os_str(),
        "--submission".as_ref(),
        submission.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
    ]);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    (code, stdout)
}

/// The counts a JUnit reader takes from the document itself, beside what the attributes claim.
struct Junit {
    suites: usize,
    cases: Vec<String>,
    failures: Vec<String>,
    errors: Vec<String>,
    failure_texts: Vec<String>,
}

fn parse_junit(xml: &str) -> Junit {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}):\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let mut junit = Junit {
        suites: suites.len(),
        cases: Vec::new(),
        failures: Vec::new(),
        errors: Vec::new(),
        failure_texts: Vec::new(),
    };
    for suite in &suites {
        let attr = |name: &str| -> usize { suite.attribute(name).unwrap().parse().unwrap() };
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(attr("tests"), cases.len(), "tests= agrees with the cases");
        for case in cases {
            let name = case
                .attribute("name")
                .expect("every case is named")
                .to_string();
            assert!(
                case.attribute("classname").is_some(),
                "{name} has a classname"
            );
            for child in case.children().filter(|n| n.is_element()) {
                // The element order and names of the JUnit schema CI servers read.
                assert!(
                    ["failure", "error", "skipped", "system-out", "system-err"]
                        .contains(&child.tag_name().name()),
                    "{name}: unexpected <{}>",
                    child.tag_name().name()
                );
                if child.has_tag_name("failure") || child.has_tag_name("error") {
                    assert!(child.attribute("message").is_some(), "{name}: a message");
                    assert!(child.attribute("type").is_some(), "{name}: a type");
                }
            }
            if let Some(failure) = case.children().find(|n| n.has_tag_name("failure")) {
                junit.failures.push(name.clone());
                junit
                    .failure_texts
                    .push(failure.text().unwrap_or_default().to_string());
            }
            if case.children().any(|n| n.has_tag_name("error")) {
                junit.errors.push(name.clone());
            }
            junit.cases.push(name);
        }
        assert_eq!(attr("failures"), junit.failures.len());
        assert_eq!(attr("errors"), junit.errors.len());
    }
    junit
}

#[test]
fn junit_has_a_build_case_and_one_case_per_check_with_failures_and_their_details() {
    let (code, xml) = report_in("junit", &fixture("wrong/sign_error.rs"));
    assert_eq!(code, 1);
    let junit = parse_junit(&xml);
    assert_eq!(junit.suites, 1);
    assert_eq!(junit.cases.len(), 1 + CHECKS);
    assert_eq!(junit.cases[0], "build");
    assert_eq!(junit.cases[1], "backward.d_biases");
    assert_eq!(
        junit.failures,
        [
            "backward.d_biases",
            "backward.d_weights",
            "backward.update",
            "backward.gradcheck",
            "train.loss_decreases"
        ]
    );
    assert!(junit.errors.is_empty());
    let details = &junit.failure_texts[1];
    assert!(details.contains("worst element: `d_weights["), "{details}");
    assert!(
        details.contains("diagnosis: sign_flipped_update"),
        "{details}"
    );
    assert!(
        details.contains("hint: Gradient descent subtracts"),
        "{details}"
    );
}

#[test]
fn junit_shows_a_compile_error_as_the_failed_build_and_the_checks_as_errors() {
    let (code, xml) = report_in("junit", &fixture("wrong/syntax_error.rs"));
    assert_eq!(code, 1);
    let junit = parse_junit(&xml);
    assert_eq!(junit.failures, ["build"]);
    assert!(junit.failure_texts[0].contains("error"), "rustc's words");
    assert_eq!(junit.errors.len(), CHECKS);
}

#[test]
fn junit_of_the_reference_has_no_failures() {
    let (code, xml) = report_in("junit", &reference());
    assert_eq!(code, 0);
    let junit = parse_junit(&xml);
    assert_eq!(junit.cases.len(), 1 + CHECKS);
    assert!(junit.failures.is_empty() && junit.errors.is_empty());
}

/// Checks `results` against the fields of Gradescope's autograder specification.
fn assert_gradescope_results(results: &Value) {
    const TOP: [&str; 13] = [
        "score",
        "execution_time",
        "output",
        "output_format",
        "test_output_format",
        "test_name_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
        "leaderboard",
        "max_score",
        "status",
    ];
    const TEST: [&str; 11] = [
        "score",
        "max_score",
        "status",
        "name",
        "name_format",
        "number",
        "output",
        "output_format",
        "tags",
        "visibility",
        "extra_data",
    ];
    const VISIBILITY: [&str; 4] = ["hidden", "after_due_date", "after_published", "visible"];
    const FORMATS: [&str; 5] = ["text", "html", "simple_format", "md", "ansi"];
    let top = results.as_object().expect("an object");
    for key in top.keys() {
        assert!(TOP.contains(&key.as_str()), "unknown top-level field {key}");
    }
    assert!(results["score"].is_number());
    assert!(results["output"].is_string());
    assert!(VISIBILITY.contains(&results["visibility"].as_str().unwrap()));
    assert!(VISIBILITY.contains(&results["stdout_visibility"].as_str().unwrap()));
    for key in ["output_format", "test_output_format", "test_name_format"] {
        assert!(FORMATS.contains(&results[key].as_str().unwrap()), "{key}");
    }
    let mut total = 0.0;
    for test in results["tests"].as_array().expect("tests") {
        for key in test.as_object().unwrap().keys() {
            assert!(TEST.contains(&key.as_str()), "unknown test field {key}");
        }
        assert!(test["name"].is_string());
        assert!(test["output"].is_string());
        assert!(["passed", "failed"].contains(&test["status"].as_str().unwrap()));
        assert!(VISIBILITY.contains(&test["visibility"].as_str().unwrap()));
        if let Some(score) = test.get("score") {
            let (score, max) = (score.as_f64().unwrap(), test["max_score"].as_f64().unwrap());
            assert!(score <= max);
            assert_eq!(test["status"] == "passed", score == max, "{test}");
            total += score;
        }
    }
    assert_eq!(results["score"].as_f64().unwrap(), total);
}

#[test]
fn gradescope_results_follow_the_specification() {
    let (code, text) = report_in("gradescope", &fixture("wrong/sign_error.rs"));
    assert_eq!(code, 1);
    let results: Value = serde_json::from_str(&text).expect("one JSON object");
    assert_gradescope_results(&results);
    assert_eq!(results["score"], 40);
    let tests = results["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 1 + CHECKS);
    let update = tests
        .iter()
        .find(|t| t["name"].as_str().unwrap().starts_with("backward.update:"))
        .unwrap();
    assert_eq!(update["status"], "failed");
    assert_eq!(update["max_score"], 10);
    let output = update["output"].as_str().unwrap();
    assert!(output.contains("uphill"), "{output}");
    assert!(output.contains("Hint (sign_flipped_update)"), "{output}");

    let (_, text) = report_in("gradescope", &fixture("wrong/syntax_error.rs"));
    let results: Value = serde_json::from_str(&text).unwrap();
    assert_gradescope_results(&results);
    assert_eq!(results["tests"][0]["status"], "failed");
    assert!(results["tests"][0]["output"]
        .as_str()
        .unwrap()
        .contains("does not compile"));
}

#[test]
fn markdown_is_a_table_with_marks_points_hints_and_the_total() {
    let (code, md) = report_in("markdown", &fixture("wrong/sign_error.rs"));
    assert_eq!(code, 1);
    assert!(md.starts_with("### ✗ backprop: 40/100"), "{md}");
    assert!(
        md.contains("| | check | points | |\n| :-: | --- | --: | --- |"),
        "{md}"
    );
    assert!(md.contains("| ✓ | `backward.da_prev` | 15/15 |"), "{md}");
    assert!(
        md.contains("| ✗ | `backward.update` | 0/10 | the weights move uphill"),
        "{md}"
    );
    assert!(md.contains("**hint** (`sign_flipped_update`)"), "{md}");
    assert!(md.contains("| | **total** | **40/100** | |"), "{md}");
    let rows = md.lines().filter(|l| l.starts_with('|')).count();
    assert_eq!(
        rows,
        2 + CHECKS + 1,
        "header, alignment, checks, total:\n{md}"
    );
}

#[test]
fn output_writes_the_format_to_the_file_and_the_human_report_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("results/report.json");
    grade()
        .arg(exercise())
        .arg("--submission")
        .arg(fixture("wrong/sign_error.rs"))
        .args(["--format", "json", "--output"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ backward.d_biases"))
        .stdout(predicate::str::contains("score 40/100"))
        .stdout(predicate::str::contains("{").not());
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(report["score"], 40);
}

#[test]
fn min_score_passes_a_score_that_reaches_it_and_never_hides_a_failure_to_grade() {
    let sign_error = fixture("wrong/sign_error.rs");
    let with_min = |submission: &Path, min: &str| {
        grade()
            .arg(exercise())
            .arg("--submission")
            .arg(submission)
            .args(["--min-score", min])
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
    };
    assert_eq!(with_min(&sign_error, "40"), 0, "40 reaches 40");
    assert_eq!(with_min(&sign_error, "39.5"), 0);
    assert_eq!(with_min(&sign_error, "41"), 1, "40 does not reach 41");
    assert_eq!(with_min(&reference(), "100"), 0);
    assert_eq!(
        with_min(&fixture("wrong/syntax_error.rs"), "0"),
        0,
        "graded, 0 ≥ 0"
    );
    assert_eq!(with_min(Path::new("no/such/file.rs"), "0"), 2);
    grade()
        .arg(exercise())
        .arg("--min-score=-3")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a score"));
}

#[test]
fn a_hidden_seed_changes_the_scenarios_and_the_reference_still_scores_full_marks() {
    let with_seed = |submission: &Path| {
        let output = grade()
            .arg(exercise())
            .arg("--submission")
            .arg(submission)
            .args(["--format", "json"])
            .env("GRADE_SEED", SECRET_SEED)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
            panic!("{}", String::from_utf8_lossy(&output.stderr));
        });
        (output.status.code().unwrap(), report)
    };
    let (code, report) = with_seed(&reference());
    assert_eq!(
        (code, report["score"].as_u64()),
        (0, Some(100)),
        "{report:#}"
    );
    assert_eq!(report["seed"].as_u64(), Some(SECRET_SEED.parse().unwrap()));

    let (_, shipped) = grade_json(&exercise(), &fixture("wrong/sign_error.rs"));
    let (code, hidden) = with_seed(&fixture("wrong/sign_error.rs"));
    assert_eq!(code, 1);
    assert_eq!(lost(&hidden), lost(&shipped), "the same checks fail");
    let worst = |r: &Value| check(r, "backward.d_weights")["worst"]["expected"].clone();
    assert_ne!(
        worst(&hidden),
        worst(&shipped),
        "other scenarios, other numbers"
    );
    assert!(shipped["seed"].is_null());
}

#[test]
fn a_hidden_seed_is_not_written_into_the_reports_students_read() {
    for format in ["junit", "gradescope", "markdown"] {
        let output = grade()
            .arg(exercise())
            .arg("--submission")
            .arg(reference())
            .args(["--format", format, "--seed", SECRET_SEED])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{format}");
        assert!(!text.contains(SECRET_SEED), "{format}: {text}");
        assert!(text.contains("hidden seed"), "{format}: {text}");
    }
}

#[test]
fn a_hidden_seed_in_the_environment_is_out_of_reach_of_the_submissions_compile() {
    // The reference, but its `backward` tells whatever the compiler's environment says.
    let reference = std::fs::read_to_string(reference()).unwrap();
    let marker =
        "pub fn backward(&mut self, da: &Array2<f64>, learning_rate: f64) -> Array2<f64> {";
    assert!(
        reference.contains(marker),
        "the reference's backward is where this test expects it"
    );
    let spy = reference.replacen(
        marker,
        &format!(
            "{marker}\n        if let Some(seed) = option_env!(\"GRADE_SEED\") {{ panic!(\"the seed is {{seed}}\") }}"
        ),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let submission = dir.path().join("backprop.rs");
    std::fs::write(&submission, spy).unwrap();
    let output = grade()
        .arg(exercise())
        .arg("--submission")
        .arg(&submission)
        .args(["--format", "json"])
        .env("GRADE_SEED", SECRET_SEED)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("the seed is"), "{text}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["score"].as_u64(), Some(100), "{report:#}");
}

/// A student's repository that tries to cheat: an edited exercise.toml that takes the given files
/// from the student and gives every check away, and a model.rs that is not even Rust.
fn cheating_student_repo(backprop: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::copy(backprop, repo.join("src/backprop.rs")).unwrap();
    std::fs::write(repo.join("src/model.rs"), "this is not rust").unwrap();
    let spec = std::fs::read_to_string(exercise().join("exercise.toml"))
        .unwrap()
        .replace(
            "submission = [\"src/backprop.rs\"]",
            "submission = [\"src/backprop.rs\", \"src/model.rs\"]",
        )
        .replace("rtol = 1e-7", "rtol = 1e9")
        .replace("rtol = 1e-6", "rtol = 1e9");
    std::fs::write(repo.join("exercise.toml"), spec).unwrap();
    dir
}

#[test]
fn the_readme_ci_recipe_grades_with_the_trusted_spec_and_a_hidden_seed() {
    // As in the README: run from the student's checkout, the trusted exercise elsewhere.
    let recipe = |student: &Path| {
        grade()
            .current_dir(student)
            .arg(exercise())
            .args(["--submission", ".", "--seed", SECRET_SEED])
            .args([
                "--format",
                "junit",
                "--output",
                "report.xml",
                "--min-score",
                "60",
            ])
            .assert()
    };
    let student = cheating_student_repo(&fixture("wrong/sign_error.rs"));
    recipe(student.path())
        .code(1)
        .stdout(predicate::str::contains("score 40/100"))
        .stdout(predicate::str::contains("✗ backward.update"));
    let junit = parse_junit(&std::fs::read_to_string(student.path().join("report.xml")).unwrap());
    assert_eq!(junit.failures.len(), 5, "the trusted tolerances judged it");

    let student = cheating_student_repo(&reference());
    recipe(student.path())
        .code(0)
        .stdout(predicate::str::contains("score 100/100"));
}

/// A copy of the exercise (solutions by absolute path) whose probes time out after 2 s (3 s for
/// training), so that a hanging submission costs seconds, not the shipped 10–20.
fn short_timeout_exercise() -> (tempfile::TempDir, PathBuf) {
    let dir = copy_exercise_with_solutions();
    let spec = dir.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let shorter = text
        .replace("timeout = 10.0 ", "timeout = 2.0 ")
        .replace("timeout = 20.0", "timeout = 3.0");
    assert_ne!(
        text, shorter,
        "the timeouts are where this test expects them"
    );
    std::fs::write(&spec, shorter).unwrap();
    let path = dir.path().join("backprop");
    (dir, path)
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn batch_grades_a_mixed_class_into_one_csv_row_and_one_report_each() {
    let (_exercise_dir, short) = short_timeout_exercise();
    let class = tempfile::tempdir().unwrap();
    let subs = class.path().join("submissions");
    std::fs::create_dir(&subs).unwrap();
    std::fs::copy(reference(), subs.join("ada.rs")).unwrap();
    std::fs::copy(fixture("wrong/sign_error.rs"), subs.join("bob.rs")).unwrap();
    std::fs::copy(fixture("wrong/syntax_error.rs"), subs.join("cyd.rs")).unwrap();
    std::fs::copy(exercise().join("src/backprop.rs"), subs.join("dee.rs")).unwrap();
    std::fs::copy(fixture("hostile/infinite_loop.rs"), subs.join("eve.rs")).unwrap();
    // A folder laid out like the exercise.
    std::fs::create_dir_all(subs.join("fay/src")).unwrap();
    std::fs::copy(reference(), subs.join("fay/src/backprop.rs")).unwrap();
    std::fs::write(subs.join("notes.txt"), "not a submission").unwrap();

    grade()
        .arg("batch")
        .arg(&short)
        .arg(&subs)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("graded 6 of 6 submissions"))
        // Not a terminal: one plain line per submission.
        .stderr(predicate::str::contains("[6/6]"));

    let out = class.path().join("grades");
    let (header, rows) = read_csv(&out.join("grades.csv"));
    assert_eq!(
        header[..4],
        ["submission", "score", "max_score", "compiles"].map(String::from)
    );
    assert_eq!(header.len(), 4 + CHECKS + 2);
    assert_eq!(header[4], "backward.d_biases");
    assert_eq!(header[4 + CHECKS - 1], "train.loss_decreases");
    assert_eq!(
        header[4 + CHECKS..],
        ["diagnoses", "error"].map(String::from)
    );
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["ada", "bob", "cyd", "dee", "eve", "fay"]);
    let row = |name: &str| rows.iter().find(|r| r[0] == name).unwrap();
    let points = |name: &str| row(name)[4..4 + CHECKS].join(",");

    assert_eq!(row("ada")[1..4], ["100", "100", "true"].map(String::from));
    assert_eq!(points("ada"), "10,15,15,10,10,10,10,5,15");
    assert_eq!(row("fay")[1], "100");

    assert_eq!(row("bob")[1], "40");
    assert_eq!(points("bob"), "0,0,15,0,0,10,10,5,0");
    assert_eq!(
        row("bob")[4 + CHECKS],
        "backward.d_biases:sign_flipped_update;backward.d_weights:sign_flipped_update;\
         backward.update:sign_flipped_update;backward.gradcheck:sign_flipped_update;\
         train.loss_decreases:sign_flipped_update"
    );

    assert_eq!(row("cyd")[1..4], ["0", "100", "false"].map(String::from));
    assert_eq!(row("dee")[1..4], ["0", "100", "true"].map(String::from));
    // Hangs in backward: those checks time out; fit runs with a correct backward and passes.
    assert_eq!(points("eve"), "0,0,0,0,0,10,10,5,0");
    for name in names {
        assert_eq!(row(name)[4 + CHECKS + 1], "", "{name} was graded");
        let report: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("reports/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(report["score"].as_str(), None);
        assert_eq!(report["score"].to_string(), row(name)[1], "{name}");
        assert_eq!(report["submission"], name);
    }
    let eve: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("reports/eve.json")).unwrap())
            .unwrap();
    let message = check(&eve, "backward.update")["message"].as_str().unwrap();
    assert!(message.contains("time"), "a timeout, said so: {message}");
}

#[test]
fn batch_gives_an_ungradable_submission_a_row_with_the_error_and_exits_2() {
    let class = tempfile::tempdir().unwrap();
    let subs = class.path().join("submissions");
    std::fs::create_dir_all(subs.join("gil")).unwrap();
    std::fs::write(subs.join("gil/README.md"), "I forgot my code").unwrap();
    std::fs::copy(reference(), subs.join("hal.rs")).unwrap();
    let out = class.path().join("elsewhere");
    std::fs::create_dir_all(out.join("reports")).unwrap();
    std::fs::write(out.join("reports/gil.json"), "a report from an older run").unwrap();
    std::fs::write(out.join("reports/gil.md"), "a report from an older run").unwrap();
    grade()
        .arg("batch")
        .arg(exercise())
        .arg(&subs)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("graded 1 of 2 submissions"))
        .stdout(predicate::str::contains("not graded: gil"));
    let (_, rows) = read_csv(&out.join("grades.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "gil");
    assert_eq!(rows[0][1], "");
    assert!(
        rows[0].last().unwrap().contains("no `src/backprop.rs`"),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[1][..2], ["hal", "100"].map(String::from));
    assert!(
        !out.join("reports/gil.json").exists(),
        "no stale report is left"
    );
    assert!(
        !out.join("reports/gil.md").exists(),
        "no stale report is left"
    );
    assert!(out.join("reports/hal.json").exists());
    assert!(out.join("reports/hal.md").exists());
}

#[test]
fn batch_with_a_seed_needs_the_reference_and_says_so_before_grading() {
    let copy = copy_exercise();
    let subs = tempfile::tempdir().unwrap();
    std::fs::copy(reference(), subs.path().join("a.rs")).unwrap();
    grade()
        .arg("batch")
        .arg(copy.path().join("backprop"))
        .arg(subs.path())
        .args(["--seed", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--seed needs the reference's source",
        ));
}

/// Lines of a child's stdout, as they come.
fn lines_of(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Reads lines until one contains `wanted`; panics with what came after `timeout`.
fn wait_for(lines: &mpsc::Receiver<String>, wanted: &str, timeout: Duration) -> String {
    let deadline = std::time::Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(wanted) => return line,
            Ok(line) => seen.push(line),
            Err(_) => panic!(
                "no `{wanted}` within {timeout:?}; got:\n{}",
                seen.join("\n")
            ),
        }
    }
}

#[test]
fn watch_regrades_on_save_shows_the_change_and_quits_on_q() {
    let copy = copy_exercise();
    let exercise_copy = copy.path().join("backprop");
    let submission = exercise_copy.join("src/backprop.rs");
    let mut child = Process::new(env!("CARGO_BIN_EXE_grade"))
        .arg(&exercise_copy)
        .arg("--watch")
        .env("GRADE_CACHE_DIR", cache())
        .env("NO_COLOR", "1")
        .env_remove("GRADE_SEED")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = lines_of(child.stdout.take().unwrap());
    let first = wait_for(&lines, "── score", Duration::from_secs(120));
    assert!(first.contains("score 0/100"), "the stub: {first}");
    assert!(first.contains("q then Enter quits"), "{first}");

    // An editor's save: write a new file and rename it over the submission.
    let saved = exercise_copy.join("src/.backprop.rs.new");
    std::fs::copy(fixture("wrong/sign_error.rs"), &saved).unwrap();
    std::fs::rename(&saved, &submission).unwrap();
    let second = wait_for(&lines, "── score", Duration::from_secs(120));
    assert!(second.contains("score 40/100 (+40)"), "{second}");

    // A compile error does not end the watch.
    std::fs::copy(fixture("wrong/syntax_error.rs"), &submission).unwrap();
    let third = wait_for(&lines, "── score", Duration::from_secs(120));
    assert!(third.contains("score 0/100 (-40)"), "{third}");

    child.stdin.as_mut().unwrap().write_all(b"q\n").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("`q` did not end the watch");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn watch_on_a_bad_exercise_toml_exits_2_at_once() {
    let copy = copy_exercise();
    let spec = copy.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, text.replacen("points = 15", "points = = 15", 1)).unwrap();
    grade()
        .arg(copy.path().join("backprop"))
        .arg("--watch")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exercise.toml:"));
    grade()
        .arg(exercise())
        .args(["--watch", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}
