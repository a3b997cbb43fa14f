//! `grade batch` compiles a class's builds in bundles (several builds in one rustc call); these
//! tests hold it to its promise: every report is the one grading the submission alone gives, for
//! submissions that pass, fail, panic (locations and all), overflow the stack, forge reports, do
//! not parse, do not type-check inside a bundle, or must not share a binary with others.
#![cfg(unix)]

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A fresh cache that shares the test run's built dependencies (building them again would cost
/// ten seconds) but no build: what one cache compiled cannot leak into the other's reports.
fn fresh_cache(dir: &Path) -> PathBuf {
    // Whatever test runs first builds the shared dependencies.
    grade()
        .arg(exercise())
        .arg("--submission")
        .arg(reference())
        .assert()
        .code(0);
    let cache = dir.to_path_buf();
    std::fs::create_dir_all(&cache).unwrap();
    std::os::unix::fs::symlink(common::cache().join("deps"), cache.join("deps")).unwrap();
    cache
}

/// The reference with `line` added after its `use` lines.
fn reference_with(line: &str) -> String {
    let text = std::fs::read_to_string(reference()).unwrap();
    let (head, tail) = text.split_once("\n\n").unwrap();
    format!("{head}\n{line}\n\n{tail}")
}

/// The class: named so that, three to a chunk with `--jobs 1`, every bundle mixes builds that
/// bundle well with builds that must come out of it.
fn class(dir: &Path) {
    let mistake = |id: &str| root().join(format!("solutions/backprop/mistakes/{id}.rs"));
    let copy = |from: PathBuf, name: &str| {
        std::fs::copy(from, dir.join(name)).unwrap();
    };
    copy(reference(), "a_reference.rs");
    // Type-checks alone as badly as in a bundle: the bundle says which unit broke it.
    std::fs::write(
        dir.join("b_type_error.rs"),
        reference_with("const WRONG: u32 = \"not a number\";"),
    )
    .unwrap();
    copy(exercise().join("src/backprop.rs"), "c_stub.rs");
    // Panics in `fit`, whose column is the same whether the file is bundled or not.
    copy(mistake("layers_not_reversed"), "d_layers_not_reversed.rs");
    std::fs::write(
        dir.join("e_no_mangle.rs"),
        reference_with("#[no_mangle]\npub extern \"C\" fn student_marker() {}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("f_nested_crate_path.rs"),
        reference_with("mod helpers {\n    pub use crate::model::Layer as L;\n}"),
    )
    .unwrap();
    copy(fixture("wrong/syntax_error.rs"), "g_syntax_error.rs");
    copy(fixture("hostile/recursion.rs"), "h_recursion.rs");
    copy(
        fixture("hostile/forged_panic_report.rs"),
        "i_forged_panic_report.rs",
    );
    copy(mistake("da_prev_after_update"), "j_da_prev_after_update.rs");
}

/// Every report of a batch, by submission, without the name (which says the entry).
fn batch_reports(out: &Path) -> BTreeMap<String, Value> {
    std::fs::read_dir(out.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let mut report: Value =
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            report.as_object_mut().unwrap().remove("submission");
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                report,
            )
        })
        .collect()
}

/// A folder of submissions in a temporary folder, whose `grades` is where a batch writes.
fn submissions() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    std::fs::create_dir(&subs).unwrap();
    (work, subs)
}

/// `grade batch` of `subs` with `cache` and `args`; every one of them graded.
fn run_batch(cache: &Path, subs: &Path, args: &[&str]) {
    let count = std::fs::read_dir(subs).unwrap().count();
    grade()
        .env("GRADE_CACHE_DIR", cache)
        .arg("batch")
        .arg(exercise())
        .arg(subs)
        .args(args)
        .assert()
        .code(0)
        .stdout(predicates::str::contains(format!(
            "graded {count} of {count} submissions"
        )));
}

#[test]
fn a_class_graded_in_bundles_gets_the_reports_each_alone_gets() {
    let (work, subs) = submissions();
    class(&subs);

    let batch_cache = fresh_cache(&work.path().join("batch-cache"));
    run_batch(&batch_cache, &subs, &["--jobs", "1"]);
    let batch = batch_reports(&work.path().join("grades"));
    assert_eq!(batch.len(), 10);

    // The batch did bundle: builds recorded as a unit of a bundle's binary. Without this, the
    // comparison below would hold just as well for a batch that compiled everything alone.
    let records = build_records(&batch_cache);
    let bundled = records.iter().filter(|r| r["unit"].is_string()).count();
    assert!(
        bundled >= 10,
        "{bundled} of {} builds came from bundles",
        records.len()
    );

    let alone_cache = fresh_cache(&work.path().join("alone-cache"));
    for (name, from_batch) in &batch {
        let output = grade()
            .env("GRADE_CACHE_DIR", &alone_cache)
            .arg(exercise())
            .arg("--submission")
            .arg(subs.join(format!("{name}.rs")))
            .args(["--format", "json"])
            .output()
            .unwrap();
        let mut alone: Value = serde_json::from_slice(&output.stdout).unwrap();
        alone.as_object_mut().unwrap().remove("submission");
        assert_eq!(
            &alone, from_batch,
            "{name}: graded alone (left) and in a batch (right) differ"
        );
    }

    // And the reports say what these submissions are, so that the comparison is not vacuous.
    let score = |name: &str| batch[name]["score"].as_u64().unwrap();
    assert_eq!(score("a_reference"), 100);
    assert_eq!(score("e_no_mangle"), 100);
    assert_eq!(score("f_nested_crate_path"), 100);
    assert_eq!(score("b_type_error"), 0);
    assert!(batch["b_type_error"]["build"]["diagnostics"]
        .as_str()
        .unwrap()
        .contains("--> "));
    assert_eq!(batch["g_syntax_error"]["build"]["ok"], false);
    let stub = check(&batch["c_stub"], "backward.d_biases")["message"]
        .as_str()
        .unwrap();
    assert!(stub.contains("src/backprop.rs:"), "{stub}");
    let panicked = check(&batch["d_layers_not_reversed"], "fit.loss_values")["message"]
        .as_str()
        .unwrap();
    assert!(panicked.contains("src/backprop.rs:"), "{panicked}");
}

/// The builds a cache recorded, as `build.json` has them (after its sealing line).
fn build_records(cache: &Path) -> Vec<Value> {
    std::fs::read_dir(cache.join("builds"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path().join("build.json")).ok())
        .map(|text| serde_json::from_str(text.split_once('\n').unwrap().1).unwrap())
        .collect()
}

#[test]
fn no_bundle_compiles_each_submission_alone() {
    let (work, subs) = submissions();
    std::fs::copy(reference(), subs.join("ada.rs")).unwrap();
    std::fs::copy(
        root().join("solutions/backprop/mistakes/layers_not_reversed.rs"),
        subs.join("bob.rs"),
    )
    .unwrap();
    let cache = fresh_cache(&work.path().join("cache"));
    run_batch(&cache, &subs, &["--no-bundle"]);
    let records = build_records(&cache);
    assert_eq!(records.len(), 4, "two builds each: {records:?}");
    assert!(records.iter().all(|r| r["unit"].is_null()), "{records:?}");
    let reports = batch_reports(&work.path().join("grades"));
    assert_eq!(reports["ada"]["score"], 100);
    assert_eq!(
        check(&reports["bob"], "fit.loss_values")["diagnosis"],
        "layers_not_reversed"
    );
}
