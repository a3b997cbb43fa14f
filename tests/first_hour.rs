//! A student's first hour on their own machine: what `grade --version` and `grade doctor` say
//! the machine allows, which isolation `--verbose` names, and a submission that declares
//! `mod helpers;` with the file beside it. Real compiles; the isolation named is whichever this
//! build has (namespaces, or the portable one under `--features portable`).
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;

/// The isolation this build of grade uses for probe runs, as `doctor` and `--verbose` word it.
fn isolation_words() -> &'static str {
    if !cfg!(all(target_os = "linux", not(feature = "portable"))) {
        "portable"
    } else if std::env::var_os("GRADE_ISOLATION").is_some_and(|v| v == "portable") {
        "no namespaces, portable"
    } else {
        "Linux namespaces"
    }
}

#[test]
fn version_names_the_compiler_builds_are_made_with() {
    let rustc = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .expect("rustc runs");
    let rustc = String::from_utf8_lossy(&rustc.stdout).trim().to_string();
    grade()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "grade {}\n",
            env!("CARGO_PKG_VERSION")
        )))
        .stdout(predicate::str::contains(format!("compiles with {rustc}")));
}

#[test]
fn version_without_a_toolchain_says_so_and_how_to_get_one() {
    grade()
        .arg("--version")
        .env("RUSTC", "/nonexistent/rustc")
        .assert()
        .success()
        .stdout(predicate::str::contains("no Rust toolchain"))
        .stdout(predicate::str::contains("https://rustup.rs"));
}

#[test]
fn doctor_says_what_this_machine_allows() {
    let cache = tempfile::tempdir().unwrap();
    let output = grade()
        .arg("doctor")
        .arg("--cache-dir")
        .arg(cache.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    for wanted in [
        "toolchain   rustc ",
        &format!("probe runs  {}", isolation_words()),
        "compiles    ",
        "no process it starts outlives it",
        &format!("cache       {}", cache.path().display()),
        "ready: grade can grade on this machine",
    ] {
        assert!(text.contains(wanted), "`{wanted}` in:\n{text}");
    }
    // Each guarantee is said to be given or not, once.
    let said = text
        .lines()
        .filter(|l| l.trim_start().starts_with("yes  ") || l.trim_start().starts_with("no   "))
        .count();
    assert_eq!(said, 5, "{text}");
}

#[test]
fn doctor_without_a_toolchain_is_not_ready_and_says_what_is_missing() {
    let cache = tempfile::tempdir().unwrap();
    grade()
        .arg("doctor")
        .arg("--cache-dir")
        .arg(cache.path())
        .env("RUSTC", "/nonexistent/rustc")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "toolchain   none: cannot run `/nonexistent/rustc`",
        ))
        .stdout(predicate::str::contains(
            "not ready: grade needs a Rust toolchain (https://rustup.rs)",
        ));
}

#[test]
fn verbose_names_the_isolation_that_ran() {
    grade()
        .arg(exercise())
        .arg("--submission")
        .arg(reference())
        .arg("--verbose")
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "grade: isolation of probe runs: {}",
            isolation_words()
        )))
        .stderr(predicate::str::contains("grade: isolation of compiles: "));
}

#[test]
fn a_module_in_a_file_of_its_own_is_explained() {
    // The student's folder: a correct backprop.rs that puts a helper in src/backprop/helpers.rs.
    let folder = tempfile::tempdir().unwrap();
    let src = folder.path().join("src");
    std::fs::create_dir_all(src.join("backprop")).unwrap();
    let reference = std::fs::read_to_string(reference()).unwrap();
    std::fs::write(
        src.join("backprop.rs"),
        format!("mod helpers;\n{reference}"),
    )
    .unwrap();
    std::fs::write(
        src.join("backprop").join("helpers.rs"),
        "pub fn unused() {}\n",
    )
    .unwrap();
    let (code, report) = grade_json(&exercise(), folder.path());
    assert_eq!((code, report["score"].as_u64()), (1, Some(0)), "{report:#}");
    let diagnostics = report["build"]["diagnostics"].as_str().unwrap();
    for wanted in [
        "E0583",
        "only the submitted file is graded: `mod helpers;`",
        "`mod helpers { … }`",
    ] {
        assert!(
            diagnostics.contains(wanted),
            "`{wanted}` in:\n{diagnostics}"
        );
    }
}
