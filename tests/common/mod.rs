//! Shared by the CLI tests: the `grade` command with a cache shared by every test of a run, paths
//! of the repository, and the JSON report read back.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn exercise() -> PathBuf {
    root().join("exercises/backprop")
}

pub fn fixture(relative: &str) -> PathBuf {
    root().join("tests/fixtures").join(relative)
}

pub fn reference() -> PathBuf {
    root().join("solutions/backprop/backprop.rs")
}

/// The dependencies are built once per test run into this cache, then shared by every test. Its
/// folder is closed to other users (0700), as a home folder is: a probe run that becomes `nobody`
/// must never need to pass through the cache.
pub fn cache() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let private = Path::new(env!("CARGO_TARGET_TMPDIR")).join("private");
    let _ = std::fs::create_dir_all(&private);
    let _ = std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700));
    private.join("grade-cache")
}

/// `grade` with the shared cache, no color, in English whatever the machine's locale.
pub fn grade() -> Command {
    let mut command = Command::cargo_bin("grade").expect("the grade binary is built");
    command
        .env("GRADE_CACHE_DIR", cache())
        .env("NO_COLOR", "1")
        .env("GRADE_LANG", "en")
        .env_remove("GRADE_SEED");
    command
}

/// Grades `submission` with `--format json`; returns the exit code and the parsed report.
pub fn grade_json(exercise: &Path, submission: &Path) -> (i32, Value) {
    let output = grade()
        .arg(exercise)
        .arg("--submission")
        .arg(submission)
        .args(["--format", "json"])
        .output()
        .expect("grade runs");
    let code = output.status.code().expect("grade exits by itself");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON report ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, report)
}

/// The check with `id` in a JSON report.
pub fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .expect("checks is an array")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report:#}"))
}

pub fn status<'a>(report: &'a Value, id: &str) -> &'a str {
    check(report, id)["status"]
        .as_str()
        .expect("status is a string")
}

/// The ids of the checks that did not pass.
pub fn lost(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .expect("checks is an array")
        .iter()
        .filter(|c| c["status"] != "pass")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// A copy of the exercise folder in a temporary folder (without the solutions beside it).
pub fn copy_exercise() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&exercise(), &dir.path().join("backprop"));
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// The known mistakes' ids, in catalog order, from `mistakes.toml`.
pub fn mistake_ids() -> Vec<String> {
    let text =
        std::fs::read_to_string(root().join("solutions/backprop/mistakes/mistakes.toml")).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .map(|l| l.trim_end_matches('"').to_string())
        .collect()
}

/// A copy of the exercise whose spec still points at the repository's solutions (by absolute
/// path), so it can be edited and validated.
pub fn copy_exercise_with_solutions() -> tempfile::TempDir {
    let dir = copy_exercise();
    let spec = dir.path().join("backprop/exercise.toml");
    let solutions = root().join("solutions/backprop");
    let text = std::fs::read_to_string(&spec).unwrap().replace(
        "\"../../solutions/backprop",
        &format!("\"{}", solutions.display()),
    );
    std::fs::write(&spec, text).unwrap();
    dir
}

/// Each check's (status, diagnosis) in a JSON report.
pub fn diagnoses(report: &Value) -> Vec<(String, String, Option<String>)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
                c["diagnosis"].as_str().map(str::to_string),
            )
        })
        .collect()
}
