//! Bad instructor input: a missing exercise folder, a malformed or incomplete exercise.toml, a
//! missing submission, a missing compiler or cargo. Each is exit code 2 with one clear line on
//! stderr, naming the file, line and column where there is one, and never a panic.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;
use std::path::Path;

/// A copy of the exercise whose exercise.toml is `edit`ed; the edit must change something.
fn broken(edit: impl FnOnce(&str) -> String) -> tempfile::TempDir {
    let copy = copy_exercise();
    let spec = copy.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit applies to this exercise.toml");
    std::fs::write(&spec, edited).unwrap();
    copy
}

/// The 1-based line of the first line of the copy's exercise.toml that contains `text`, searching
/// back from there to the first line that starts with `header` when one is given.
fn line_of(copy: &Path, text: &str, header: Option<&str>) -> usize {
    nth_line_of(copy, text, 0, header)
}

/// [`line_of`] the `nth` (from 0) line that contains `text`.
fn nth_line_of(copy: &Path, text: &str, nth: usize, header: Option<&str>) -> usize {
    let spec = std::fs::read_to_string(copy.join("backprop/exercise.toml")).unwrap();
    let lines: Vec<&str> = spec.lines().collect();
    let at = (0..lines.len())
        .filter(|&i| lines[i].contains(text))
        .nth(nth)
        .unwrap_or_else(|| panic!("no `{text}` number {nth}"));
    let at = match header {
        Some(header) => (0..=at)
            .rev()
            .find(|&i| lines[i].starts_with(header))
            .unwrap(),
        None => at,
    };
    at + 1
}

/// Asserts that `command` could not grade: exit code 2, nothing on stdout, one line on stderr that
/// contains `says` (besides `grade: …` lines saying what slow step began), and no panic. Returns
/// that line.
fn assert_cannot_grade(command: &mut assert_cmd::Command, says: &str) -> String {
    let output = command.output().expect("grade runs");
    let stderr: String = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| !line.starts_with("grade: "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        predicate::str::starts_with("error: ").eval(&stderr),
        "{stderr}"
    );
    assert!(
        predicate::str::contains(says).eval(&stderr),
        "`{stderr}` does not say `{says}`"
    );
    assert!(
        predicate::str::contains("panicked").not().eval(&stderr),
        "{stderr}"
    );
    stderr
}

/// Asserts that the copy's exercise.toml is rejected at `line` (any column) with `says`.
fn assert_spec_error(copy: &tempfile::TempDir, line: usize, says: &str) {
    let stderr = assert_cannot_grade(grade().arg(copy.path().join("backprop")), says);
    let located = predicate::str::is_match(format!(r"exercise\.toml:{line}:\d+: ")).unwrap();
    assert!(
        located.eval(&stderr),
        "`{stderr}` is not located at line {line}"
    );
}

#[test]
fn an_unknown_check_rule_is_located() {
    let copy = broken(|t| t.replacen(r#"rule = "decreasing""#, r#"rule = "increasing""#, 1));
    let line = line_of(copy.path(), r#"rule = "increasing""#, None);
    assert_spec_error(
        &copy,
        line,
        "unknown variant `increasing`, expected one of `reference`",
    );
}

#[test]
fn a_count_naming_a_missing_argument_is_located_at_its_check() {
    let copy = broken(|t| t.replacen(r#"count = "epochs + 1""#, r#"count = "rounds + 1""#, 1));
    let header = line_of(copy.path(), r#"count = "rounds + 1""#, Some("[[check]]"));
    assert_spec_error(
        &copy,
        header,
        "check `train.loss_decreases`: `count = \"rounds + 1\"` names `rounds`, which scenario `train` does not give as a whole number",
    );
}

#[test]
fn a_count_that_is_not_a_count_is_located() {
    let copy = broken(|t| t.replacen(r#"count = "epochs + 1""#, r#"count = "epochs * 2""#, 1));
    let line = line_of(copy.path(), r#"count = "epochs * 2""#, None);
    assert_spec_error(&copy, line, "`epochs * 2` is not a count");
}

#[test]
fn a_duplicate_check_id_is_located_at_its_check() {
    let copy = broken(|t| t.replacen(r#"id = "fit.weights""#, r#"id = "fit.loss_values""#, 1));
    // The second of the two, at its `[[check]]`.
    let header = nth_line_of(
        copy.path(),
        r#"id = "fit.loss_values""#,
        1,
        Some("[[check]]"),
    );
    assert_spec_error(&copy, header, "duplicate check id `fit.loss_values`");
}

#[test]
fn a_duplicate_scenario_id_is_located() {
    let copy = broken(|t| t.replacen(r#"id = "layer-sigmoid-4x3""#, r#"id = "layer-relu-4x3""#, 1));
    let header = nth_line_of(
        copy.path(),
        r#"id = "layer-relu-4x3""#,
        1,
        Some("[[scenario]]"),
    );
    assert_spec_error(&copy, header, "duplicate scenario id `layer-relu-4x3`");
}

#[test]
fn negative_points_are_located_and_said_in_words() {
    let copy = broken(|t| t.replacen("points = 15", "points = -15", 1));
    let line = line_of(copy.path(), "points = -15", None);
    assert_spec_error(
        &copy,
        line,
        "invalid value: integer `-15`, expected a whole number, 0 or more",
    );
}

#[test]
fn a_missing_field_is_located_at_its_table() {
    let copy = broken(|t| t.replacen("points = 5\n", "", 1));
    let line = line_of(copy.path(), r#"id = "fit.prints_loss""#, Some("[[check]]"));
    assert_spec_error(&copy, line, "missing field `points`");
}

#[test]
fn a_missing_exercise_field_is_located_at_the_exercise_table() {
    let copy = broken(|t| t.replacen("probe = \"probe.rs\"\n", "", 1));
    let line = line_of(copy.path(), "[exercise]", None);
    assert_spec_error(&copy, line, "missing field `probe`");
}

#[test]
fn an_unknown_limit_is_located() {
    let copy = broken(|t| t.replacen("memory_mib = 1024", "memory_mb = 1024", 1));
    let line = line_of(copy.path(), "memory_mb", None);
    assert_spec_error(&copy, line, "unknown field `memory_mb`, expected one of");
}

#[test]
fn a_check_without_scenarios_is_located() {
    let copy = broken(|t| t.replacen(r#"scenarios = ["train"]"#, "scenarios = []", 1));
    let line = line_of(
        copy.path(),
        r#"id = "train.loss_decreases""#,
        Some("[[check]]"),
    );
    assert_spec_error(
        &copy,
        line,
        "check `train.loss_decreases` selects no scenario",
    );
}

#[test]
fn syntax_errors_are_located() {
    let copy = broken(|t| t.replacen("[[check]]", "[[check]", 1));
    let line = line_of(copy.path(), "[[check]", None);
    assert_spec_error(&copy, line, "unclosed array table");
}

#[test]
fn limits_out_of_range_are_errors_not_panics() {
    for (from, to, says) in [
        (
            "build_timeout = 120.0",
            "build_timeout = -1.0",
            "`limits.build_timeout` must be a positive number of seconds",
        ),
        (
            "timeout = 10.0",
            "timeout = 1e300",
            "`limits.timeout` must be a positive number of seconds, at most 86400",
        ),
        (
            "timeout = 20.0",
            "timeout = 0.0",
            "check `train.loss_decreases`: timeout must be a positive number",
        ),
        (
            "memory_mib = 1024",
            "memory_mib = 0",
            "`limits.memory_mib` must be a whole number from 1 to",
        ),
        (
            "output_kib = 256",
            "output_kib = 18446744073709551615",
            "`limits.output_kib` must be a whole number from 1 to",
        ),
        (
            "points = 15",
            "points = 4294967295",
            "the points of all checks add up to more than 4294967295",
        ),
    ] {
        let copy = broken(|t| t.replacen(from, to, 1));
        assert_cannot_grade(grade().arg(copy.path().join("backprop")), says);
    }
}

#[test]
fn an_empty_exercise_toml_says_what_is_missing() {
    let copy = broken(|_| String::new());
    assert_spec_error(&copy, 1, "missing field `exercise`");
}

#[test]
fn a_missing_exercise_folder_is_an_error() {
    assert_cannot_grade(
        grade().arg("no/such/exercise"),
        "no/such/exercise: no such exercise folder",
    );
    // A file is not a folder.
    assert_cannot_grade(
        grade().arg(exercise().join("exercise.toml")),
        "no such exercise folder",
    );
}

#[test]
fn a_missing_submission_is_an_error() {
    assert_cannot_grade(
        grade()
            .arg(exercise())
            .args(["--submission", "no/such/backprop.rs"]),
        "no/such/backprop.rs: no such file or folder",
    );
}

#[test]
fn a_missing_compiler_is_an_error() {
    assert_cannot_grade(
        grade().arg(exercise()).env("RUSTC", "/nonexistent/rustc"),
        "cannot run `/nonexistent/rustc`: No such file",
    );
    // A compiler that fails without a word still gets a reason.
    assert_cannot_grade(
        grade().arg(exercise()).env("RUSTC", "/bin/false"),
        "cannot run `/bin/false`: `",
    );
}

#[test]
fn a_missing_cargo_is_an_error_when_the_dependencies_need_building() {
    let fresh = tempfile::tempdir().unwrap();
    assert_cannot_grade(
        grade()
            .arg(exercise())
            .env("GRADE_CACHE_DIR", fresh.path())
            .env("CARGO", "/nonexistent/cargo"),
        "cannot run `/nonexistent/cargo`: No such file",
    );
}
