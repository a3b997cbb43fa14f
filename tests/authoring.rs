//! Authoring an exercise: `grade new` scaffolds one that `grade validate` passes at once, refuses
//! to write over anything, and names what is wrong with a name; the shared harness is asked for
//! in exercise.toml, and a students' copy blessed by a grade with another harness says so.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn a_new_exercise_validates_at_once_and_its_stub_is_not_implemented() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("exercises/dot-product");
    grade()
        .arg("new")
        .arg(&folder)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "created the exercise `dot-product`",
        ))
        .stdout(predicate::str::contains("expected.json"));
    // The instructor's side is beside the exercises, not in what students receive.
    assert!(dir
        .path()
        .join("solutions/dot_product/dot_product.rs")
        .is_file());
    assert!(!folder.join("solutions").exists());
    assert!(folder.join("expected.json").is_file());

    grade()
        .arg("validate")
        .arg(&folder)
        .assert()
        .success()
        .stdout(predicate::str::contains("validation passed"));
    grade()
        .arg(&folder)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not implemented yet"))
        .stdout(predicate::str::contains("0/10"));

    // The students' copy: the folder alone grades from expected.json, and is a crate they build.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&folder, &copy.path().join("dot-product"));
    let reference = dir.path().join("solutions/dot_product/dot_product.rs");
    grade()
        .arg(copy.path().join("dot-product"))
        .arg("--submission")
        .arg(&reference)
        .assert()
        .success()
        .stdout(predicate::str::contains("10/10"));
    let built = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(["build", "--quiet", "--offline"])
        .current_dir(copy.path().join("dot-product"))
        .output()
        .expect("cargo runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
}

#[test]
fn new_refuses_a_folder_that_holds_anything_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("ex");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    grade()
        .arg("new")
        .arg(&folder)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "already exists and is not an empty folder",
        ))
        .stderr(predicate::str::contains("panicked").not());
    assert_eq!(
        std::fs::read_to_string(folder.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
    assert!(!dir.path().join("solutions").exists());

    // A file is not a folder to write into either.
    let file = dir.path().join("file");
    std::fs::write(&file, "mine").unwrap();
    grade()
        .arg("new")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an empty folder"));

    // Where the solutions would go is checked before anything is written.
    let taken = dir.path().join("solutions/fresh");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("x.rs"), "mine").unwrap();
    grade()
        .arg("new")
        .arg(dir.path().join("fresh"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("solutions"));
    assert!(!dir.path().join("fresh").exists());
}

#[test]
fn new_names_what_is_wrong_with_a_name() {
    let dir = tempfile::tempdir().unwrap();
    for (name, says) in [
        ("Dot", "lowercase letter"),
        ("dot product", "a-z, 0-9"),
        ("main", "keeps for itself"),
        ("", "lowercase letter"),
    ] {
        grade()
            .arg("new")
            .arg(dir.path().join("ex"))
            .args(["--name", name])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains("--name"));
    }
    assert!(!dir.path().join("ex").exists());
}

#[test]
fn a_harness_feature_that_does_not_exist_is_named_with_its_line() {
    let copy = copy_exercise();
    let spec = copy.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let edited = text.replace(
        "harness = { features = [\"ndarray\"] }",
        "harness = { features = [\"nalgebra\"] }",
    );
    assert_ne!(edited, text);
    std::fs::write(&spec, edited).unwrap();
    grade()
        .arg(copy.path().join("backprop"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no feature `nalgebra` (it offers: ndarray)",
        ))
        .stderr(predicate::str::contains("exercise.toml:"));
}

#[test]
fn a_students_copy_blessed_with_another_harness_says_so() {
    let copy = copy_exercise();
    let expected = copy.path().join("backprop/expected.json");
    let text = std::fs::read_to_string(&expected).unwrap();
    let edited = text.replace("\"harness 0.1.0 [ndarray]\"", "\"harness 0.0.9 [ndarray]\"");
    assert_ne!(edited, text, "expected.json records the harness");
    std::fs::write(&expected, edited).unwrap();
    grade()
        .arg(copy.path().join("backprop"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("another probe harness"));
}
