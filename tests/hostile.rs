//! Hostile submissions: whatever a submission does, `grade` finishes in bounded time, loses no
//! result, and changes nothing outside its scratch space. Each fixture of tests/fixtures/hostile is
//! compiled for real and graded against a copy of the exercise with short limits; each case checks
//! the status of every check and why, that grade returned within its bound, printed one small JSON
//! report untouched by the submission's output, left no process behind, and left the exercise copy,
//! the repository's exercises/ and solutions/, and /tmp as they were.
#![cfg(unix)]

mod common;

use common::*;
use grade::sandbox::Guarantee;
use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

/// The copy's wall-clock limits, in seconds: a probe run, the train scenario's run, a compile.
const TIMEOUT: f64 = 3.0;
const TRAIN_TIMEOUT: f64 = 4.0;
const BUILD_TIMEOUT: f64 = 20.0;

/// Probe runs (and compiles) at once: it sets how many waves of hanging runs follow each other.
const JOBS: usize = 2;

/// What a grade takes besides waiting out hanging runs: compiling the submission's two builds (the
/// dependencies, the reference and the known mistakes are built before any case is timed), the
/// runs that end at once, and a loaded machine, since the cases run in parallel.
const SLACK: f64 = 15.0;

/// A report larger than this is no longer small.
const REPORT_CAP: usize = 64 << 10;

const BACKWARD: &[&str] = &[
    "backward.d_biases",
    "backward.d_weights",
    "backward.da_prev",
    "backward.update",
    "backward.gradcheck",
];
const FIT: &[&str] = &["fit.loss_values", "fit.weights", "fit.prints_loss"];
const TRAIN: &[&str] = &["train.loss_decreases"];
const ALL: &[&str] = &[
    "backward.d_biases",
    "backward.d_weights",
    "backward.da_prev",
    "backward.update",
    "backward.gradcheck",
    "fit.loss_values",
    "fit.weights",
    "fit.prints_loss",
    "train.loss_decreases",
];

/// What hostile fixtures print or write; none of it may reach grade's stdout. (A printed line
/// raw on stdout would also break the JSON; a message may quote a loss line, cut short.)
const PRINTED: &[&str] = &[
    "hostile:",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "written by a hostile submission",
    "Score: 100/100",
    "\"passed\":true",
];

/// The file `write_files` tries to leave in /tmp, its working directory's parent and grandparent.
const MARKER: &str = "grade-hostile-marker";

/// Seconds spent waiting out `runs` hanging runs of `timeout` seconds each, `JOBS` at a time.
fn waves(runs: usize, timeout: f64) -> f64 {
    runs.div_ceil(JOBS) as f64 * timeout
}

/// A copy of the exercise with short limits, its reference and known mistakes named by absolute
/// path (the relative ones lead nowhere from a temporary folder).
fn short_exercise() -> tempfile::TempDir {
    let copy = copy_exercise();
    let path = copy.path().join("backprop/exercise.toml");
    let mut spec: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let solutions = root().join("solutions/backprop");
    let exercise = spec["exercise"].as_table_mut().unwrap();
    exercise.insert(
        "reference".into(),
        solutions.join("backprop.rs").display().to_string().into(),
    );
    exercise.insert(
        "mistakes".into(),
        solutions
            .join("mistakes/mistakes.toml")
            .display()
            .to_string()
            .into(),
    );
    let limits = spec["limits"].as_table_mut().unwrap();
    limits.insert("timeout".into(), TIMEOUT.into());
    limits.insert("build_timeout".into(), BUILD_TIMEOUT.into());
    for check in spec["check"].as_array_mut().unwrap() {
        let check = check.as_table_mut().unwrap();
        if check.contains_key("timeout") {
            assert_eq!(
                check["id"].as_str(),
                Some(TRAIN[0]),
                "only the train check has its own timeout"
            );
            check.insert("timeout".into(), TRAIN_TIMEOUT.into());
        }
    }
    std::fs::write(&path, toml::to_string(&spec).unwrap()).unwrap();
    copy
}

/// Builds the dependencies, the reference and the known mistakes into the shared cache once,
/// before any case is timed.
fn warm() {
    static WARM: Once = Once::new();
    WARM.call_once(|| {
        let copy = short_exercise();
        let (code, report) = grade_json(&copy.path().join("backprop"), &reference());
        assert_eq!(
            code, 0,
            "the reference scores full marks on the short copy: {report:#}"
        );
    });
}

/// Whether probe runs on this machine are guaranteed `what` (namespaces give every guarantee; the
/// portable isolation, built with `--features portable` or where namespaces are refused, fewer);
/// when they are not, says which `case` goes unchecked. Only where the kernel refuses or the build
/// is portable: as root here with namespaces, everything is checked.
fn guaranteed(case: &str, what: Guarantee) -> bool {
    static GUARANTEES: OnceLock<(String, Vec<Guarantee>)> = OnceLock::new();
    let (how, guarantees) = GUARANTEES.get_or_init(|| {
        let folder = tempfile::tempdir().unwrap();
        let (probe, _) = grade::sandbox::isolation(folder.path());
        (probe.how, probe.guarantees)
    });
    let given = guarantees.contains(&what);
    if !given {
        eprintln!("NOT CHECKED: {case}: probe runs here ({how}) are not guaranteed {what:?}");
    }
    given
}

/// Every file under `dir` (but build output), by path, with a hash of its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let digest = Sha256::digest(std::fs::read(&path).unwrap());
                files.insert(path, digest.iter().map(|b| format!("{b:02x}")).collect());
            }
        }
    }
    files
}

/// Command lines (arguments joined by spaces) of the processes for which `keep` holds, given the
/// fields of /proc/<pid>/stat after the command name, and the arguments.
fn processes(keep: impl Fn(&[&str], &[String]) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let (Ok(stat), Ok(cmdline)) = (
            std::fs::read_to_string(entry.path().join("stat")),
            std::fs::read(entry.path().join("cmdline")),
        ) else {
            continue;
        };
        let Some((_, after_name)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let args: Vec<String> = cmdline
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if keep(&fields, &args) {
            found.push(format!(
                "{}: {}",
                entry.file_name().to_string_lossy(),
                args.join(" ")
            ));
        }
    }
    found
}

/// Whether some argument, with those after it, starts with the words of `mark`: `sleep 611` is
/// found in `sleep 611` and in `sh -c 'sleep 611 &'`, not in a `grep 'sleep 611'` of a bystander.
fn marked(args: &[String], mark: &str) -> bool {
    (0..args.len()).any(|i| {
        let rest = args[i..].join(" ");
        rest == mark || rest.starts_with(&format!("{mark} "))
    })
}

/// What grading one fixture gave.
struct Graded {
    code: i32,
    report: Value,
}

/// Grades `fixture` with `--format json` and checks what holds for every hostile submission.
/// `waiting` is the seconds grade must spend waiting out hanging runs or compiles; `marks` are
/// command-line fragments that name the processes the fixture starts.
fn grade_hostile(name: &str, waiting: f64, marks: &[&str]) -> Graded {
    warm();
    let copy = short_exercise();
    let exercise = copy.path().join("backprop");
    let trees = [
        exercise.clone(),
        root().join("exercises"),
        root().join("solutions"),
    ];
    let before: Vec<_> = trees.iter().map(|t| snapshot(t)).collect();
    let strays = [
        std::env::temp_dir().join(MARKER),
        cache().join(MARKER),
        cache().join("tmp").join(MARKER),
    ];
    for stray in &strays {
        assert!(
            !stray.exists(),
            "{} is left from an earlier run: remove it",
            stray.display()
        );
    }

    let mut command = Command::new(env!("CARGO_BIN_EXE_grade"));
    command
        .arg(&exercise)
        .arg("--submission")
        .arg(fixture(&format!("hostile/{name}.rs")))
        .args(["--format", "json", "--jobs", &JOBS.to_string()])
        .env("GRADE_CACHE_DIR", cache())
        .env("NO_COLOR", "1")
        .env_remove("GRADE_SEED")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own session: whatever grade starts, and does not move to another session, is found by it.
    // SAFETY: setsid(2) is async-signal-safe.
    unsafe {
        command.pre_exec(|| rustix::process::setsid().map(drop).map_err(Into::into));
    }
    let start = Instant::now();
    let child = command.spawn().expect("grade starts");
    let session = child.id().to_string();
    let output = child.wait_with_output().expect("grade runs");
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);

    let bound = Duration::from_secs_f64(waiting + SLACK);
    assert!(
        elapsed < bound,
        "{name}: grade took {elapsed:?}, more than {bound:?}; stderr:\n{stderr}"
    );
    assert!(
        output.stdout.len() < REPORT_CAP,
        "{name}: a report of {} bytes",
        output.stdout.len()
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: stdout is not one JSON report ({e}):\n{}\nstderr:\n{stderr}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let text = String::from_utf8_lossy(&output.stdout);
    for printed in PRINTED {
        assert!(
            predicate::str::contains(*printed).not().eval(&text),
            "{name}: the report holds `{printed}`:\n{text}"
        );
    }
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ALL, "{name}: every check is in the report");
    assert!(report["submission"]
        .as_str()
        .unwrap()
        .ends_with(&format!("{name}.rs")));

    // Fields of stat: the state (a zombie is dead, waiting for its reaper), then the session.
    let left = processes(|fields, args| {
        let alive = fields.first() != Some(&"Z");
        alive && (fields.get(3) == Some(&session.as_str()) || marks.iter().any(|m| marked(args, m)))
    });
    assert!(
        left.is_empty(),
        "{name}: processes outlived grade: {left:#?}"
    );
    for (tree, before) in trees.iter().zip(&before) {
        assert_eq!(
            &snapshot(tree),
            before,
            "{name}: {} changed",
            tree.display()
        );
    }
    for stray in &strays {
        assert!(!stray.exists(), "{name}: wrote {}", stray.display());
    }
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("{name}: grade was killed: {:?}", output.status));
    Graded { code, report }
}

/// Asserts the status of each check in `ids` and that its message contains `because`.
fn assert_checks(graded: &Graded, ids: &[&str], status: &str, because: &str) {
    for id in ids {
        let check = check(&graded.report, id);
        let message = check["message"].as_str().unwrap();
        assert_eq!(check["status"], status, "{id}: {message}");
        assert!(
            message.contains(because),
            "{id}: `{message}` does not say `{because}`"
        );
    }
}

/// A submission that misbehaves only at run time, and is otherwise correct, loses the checks that
/// run its code that way, with `because`, and keeps the others.
fn assert_errors_only(graded: &Graded, failing: &[&str], because: &str) {
    assert_eq!(graded.code, 1);
    assert_checks(graded, failing, "error", because);
    let passing: Vec<&str> = ALL
        .iter()
        .copied()
        .filter(|id| !failing.contains(id))
        .collect();
    assert_checks(graded, &passing, "pass", "");
    let points = graded.report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "pass")
        .map(|c| c["max_score"].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(
        graded.report["score"].as_u64(),
        Some(points),
        "every other check is still graded"
    );
}

/// Messages of `ids` that quote what a submission wrote are cut short, and say so.
fn assert_short_messages(graded: &Graded, ids: &[&str]) {
    for id in ids {
        let message = check(&graded.report, id)["message"].as_str().unwrap();
        assert!(
            message.len() < 4096 && message.contains("more bytes)"),
            "{id}: a message of {} bytes",
            message.len()
        );
    }
}

fn assert_full_marks(graded: &Graded) {
    assert_eq!(
        (graded.code, graded.report["score"].as_u64()),
        (0, Some(100)),
        "{:#}",
        graded.report
    );
    assert_checks(graded, ALL, "pass", "");
}

#[test]
fn an_infinite_loop_in_backward_times_out_and_fit_is_still_graded() {
    // Four layer and two gradcheck runs hang three seconds each, then the train run four.
    let graded = grade_hostile(
        "infinite_loop",
        waves(6, TIMEOUT) + waves(1, TRAIN_TIMEOUT),
        &[],
    );
    assert_errors_only(&graded, &[BACKWARD, TRAIN].concat(), "timed out after");
    assert_checks(&graded, BACKWARD, "error", "timed out after 3 s");
    assert_checks(&graded, TRAIN, "error", "timed out after 4 s");
}

#[test]
fn an_hour_of_sleep_in_fit_costs_only_the_timeouts() {
    let graded = grade_hostile(
        "sleep_hour",
        waves(2, TIMEOUT) + waves(1, TRAIN_TIMEOUT),
        &[],
    );
    assert_errors_only(&graded, &[FIT, TRAIN].concat(), "timed out after");
    assert_checks(&graded, FIT, "error", "timed out after 3 s");
    assert_checks(&graded, TRAIN, "error", "timed out after 4 s");
}

#[test]
fn unbounded_recursion_is_a_stack_overflow() {
    let graded = grade_hostile("recursion", 0.0, &[]);
    assert_errors_only(&graded, &[BACKWARD, TRAIN].concat(), "stack overflow");
}

#[test]
fn allocating_gigabytes_hits_the_memory_limit() {
    let graded = grade_hostile("alloc_gigabytes", 0.0, &[]);
    assert_errors_only(
        &graded,
        &[BACKWARD, TRAIN].concat(),
        "killed: memory limit 1024 MiB",
    );
}

#[test]
fn exiting_with_success_midway_is_not_a_report() {
    let graded = grade_hostile("exit_zero", 0.0, &[]);
    assert_errors_only(
        &graded,
        &[BACKWARD, TRAIN].concat(),
        "exited with code 0 before reporting",
    );
}

#[test]
fn a_huge_panic_message_is_cut_short() {
    let graded = grade_hostile("huge_panic", 0.0, &[]);
    assert_errors_only(
        &graded,
        &[BACKWARD, TRAIN].concat(),
        "panicked at src/backprop.rs:",
    );
    assert_short_messages(&graded, BACKWARD);
}

#[test]
fn a_fake_report_on_stdout_does_not_reach_grades_stdout() {
    let graded = grade_hostile("fake_report_stdout", 0.0, &[]);
    assert_full_marks(&graded);
}

#[test]
fn hundreds_of_megabytes_of_output_are_read_and_dropped() {
    let graded = grade_hostile("huge_output", 0.0, &[]);
    assert_full_marks(&graded);
}

#[test]
fn reading_stdin_finds_it_empty() {
    let graded = grade_hostile("read_stdin", 0.0, &[]);
    assert_full_marks(&graded);
}

#[test]
fn files_written_outside_the_scratch_folder_go_nowhere() {
    // The copy, the repository, /tmp and the cache are checked by `grade_hostile`.
    if !guaranteed("write_files", Guarantee::WritesOnlyScratch) {
        return;
    }
    let graded = grade_hostile("write_files", 0.0, &[]);
    assert_full_marks(&graded);
}

#[test]
fn killing_its_parent_cannot_stop_grade_from_reporting() {
    if !guaranteed("kill_parent", Guarantee::CannotSignalGrade) {
        return;
    }
    let graded = grade_hostile("kill_parent", 0.0, &["kill -9"]);
    assert_full_marks(&graded);
}

#[test]
fn background_processes_die_with_the_probe() {
    if !guaranteed("background_process", Guarantee::NothingOutlives) {
        return;
    }
    let graded = grade_hostile(
        "background_process",
        0.0,
        &["sleep 611", "sleep 612", "sleep 613", "sleep 614"],
    );
    assert_full_marks(&graded);
}

#[test]
fn a_light_fork_bomb_is_contained() {
    let graded = grade_hostile("fork_bomb_light", 0.0, &["sleep 621"]);
    assert_full_marks(&graded);
}

#[test]
fn the_network_is_out_of_reach() {
    // The fixture panics with "network reachable" if a connection succeeds.
    if !guaranteed("network", Guarantee::NoNetwork) {
        return;
    }
    let graded = grade_hostile("network", 0.0, &[]);
    assert_full_marks(&graded);
}

#[test]
fn a_crate_the_exercise_lacks_is_a_compile_error_that_names_the_available_ones() {
    let graded = grade_hostile("missing_crate", 0.0, &[]);
    assert_eq!((graded.code, graded.report["score"].as_u64()), (1, Some(0)));
    assert_eq!(graded.report["build"]["ok"], false);
    let diagnostics = graded.report["build"]["diagnostics"].as_str().unwrap();
    assert!(
        diagnostics.contains("`rand` is not a crate this exercise provides; you can use `ndarray`"),
        "{diagnostics}"
    );
    assert_checks(&graded, ALL, "error", "the submission does not compile");
}

#[test]
fn a_compiler_that_never_finishes_is_stopped_by_the_build_timeout() {
    // Both builds (the submission, and its fit with a correct backward) hang, side by side.
    let graded = grade_hostile("compile_time_loop", BUILD_TIMEOUT, &[]);
    assert_eq!((graded.code, graded.report["score"].as_u64()), (1, Some(0)));
    assert_eq!(graded.report["build"]["ok"], false);
    let diagnostics = graded.report["build"]["diagnostics"].as_str().unwrap();
    assert!(
        diagnostics.contains("the compiler did not finish within 20 s"),
        "{diagnostics}"
    );
    assert_checks(&graded, ALL, "error", "the submission does not compile");
}

#[test]
fn a_forged_error_report_is_the_submissions_failure_not_grades() {
    // The harness reports an invalid scenario this way; from a submission it must not stop grade.
    let graded = grade_hostile("forged_error_report", 0.0, &[]);
    assert_errors_only(
        &graded,
        &[BACKWARD, TRAIN].concat(),
        "the probe rejected scenario `",
    );
    assert_short_messages(&graded, &[BACKWARD, TRAIN].concat());
}

#[test]
fn a_forged_panic_report_is_cut_short() {
    let graded = grade_hostile("forged_panic_report", 0.0, &[]);
    assert_errors_only(&graded, &[BACKWARD, TRAIN].concat(), "panicked at LLL");
    assert_short_messages(&graded, &[BACKWARD, TRAIN].concat());
}

#[test]
fn a_loss_line_as_long_as_the_output_cap_is_quoted_short() {
    let graded = grade_hostile("long_loss_line", 0.0, &[]);
    assert_eq!(graded.code, 1);
    assert_checks(
        &graded,
        &["fit.prints_loss"],
        "fail",
        "printed line 1 is `Loss at epoch 1: 0.7",
    );
    let passing: Vec<&str> = ALL
        .iter()
        .copied()
        .filter(|id| *id != "fit.prints_loss")
        .collect();
    assert_checks(&graded, &passing, "pass", "");
    assert_short_messages(&graded, &["fit.prints_loss"]);
}

/// Submissions that reach for the grader's own files at compile time: in CI the trusted exercise
/// folder, with the reference solution, is on the same disk at a path a student can guess.
fn reaching_for(solution: &Path) -> Vec<(&'static str, String)> {
    let path = solution.display();
    let reference = std::fs::read_to_string(solution).unwrap();
    vec![
        ("#[path]", format!("#[path = \"{path}\"]\nmod reference;\n")),
        ("include!", format!("include!(\"{path}\");\n")),
        (
            "include_str!",
            format!("{reference}\nconst STOLEN: &str = include_str!(\"{path}\");\n"),
        ),
        (
            "include_bytes!",
            format!("{reference}\nconst STOLEN: &[u8] = include_bytes!(\"{path}\");\n"),
        ),
    ]
}

#[test]
fn a_submission_cannot_compile_or_read_files_of_the_grading_machine() {
    let work = tempfile::tempdir().unwrap();
    for (how, text) in reaching_for(&reference()) {
        let submission = work.path().join("backprop.rs");
        std::fs::write(&submission, &text).unwrap();
        let (code, report) = grade_json(&exercise(), &submission);
        assert_eq!(
            (code, report["score"].as_u64()),
            (1, Some(0)),
            "{how}: {report:#}"
        );
        assert_eq!(report["build"]["ok"], false, "{how}");
        let diagnostics = report["build"]["diagnostics"].as_str().unwrap();
        assert!(
            diagnostics.contains(how) && diagnostics.contains("files of the grading machine"),
            "{how}: {diagnostics}"
        );
        assert!(
            diagnostics.contains(&format!("--> {}:", submission.display())),
            "{how}: where it is, named as the student gave the file: {diagnostics}"
        );
    }
}

#[test]
fn a_probe_run_sees_neither_the_solutions_nor_the_graders_cache() {
    // The reference, but its `backward` first looks around the machine for the grader's files.
    let reference_path = reference();
    let text = std::fs::read_to_string(&reference_path).unwrap();
    let marker =
        "pub fn backward(&mut self, da: &Array2<f64>, learning_rate: f64) -> Array2<f64> {";
    let look = format!(
        "{marker}\n        for place in [{:?}, {:?}, {:?}] {{ \
         if let Ok(found) = std::fs::read_to_string(place) {{ panic!(\"read {{place}}: {{}}\", found.lines().next().unwrap_or(\"\")) }} \
         if let Ok(entries) = std::fs::read_dir(place) {{ if entries.count() > 0 {{ panic!(\"listed {{place}}\") }} }} }}",
        reference_path.display(),
        cache().join("work").display(),
        exercise().join("expected.json").display(),
    );
    let spy = text.replacen(marker, &look, 1);
    assert_ne!(
        spy, text,
        "the reference's backward is where this test expects it"
    );
    let dir = tempfile::tempdir().unwrap();
    let submission = dir.path().join("backprop.rs");
    std::fs::write(&submission, spy).unwrap();
    let (code, report) = grade_json(&exercise(), &submission);
    if !guaranteed("hidden folders", Guarantee::HiddenFolders) {
        return;
    }
    let shown = report.to_string();
    assert!(
        !shown.contains("read /") && !shown.contains("listed /"),
        "{report:#}"
    );
    assert_eq!(
        (code, report["score"].as_u64()),
        (0, Some(100)),
        "{report:#}"
    );
}
