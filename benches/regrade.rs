//! `cargo bench --bench regrade`: what a student waits for, measured side by side in one run.
//!
//! After a warm-up, alternating rounds time (a) `grade` after a one-line code edit of
//! `backprop.rs` with the reference cached, (b) `cargo test` in the exercise crate after the same
//! kind of edit, (c) the bare `rustc` compile of the module against the prebuilt dependencies (the
//! floor); then (d) the first `grade` on a fresh cache beside a plain `cargo build` of the same
//! dependencies, and (e) 40 submissions graded one after another by 40 `grade` runs, then by one
//! `grade batch` (its first on this cache: its working folders start cold). It prints
//! medians, the ratios, and the peak memory of `grade` itself (VmHWM, not its compilers').
//!
//! `ROUNDS` (default 7) and `COLD_ROUNDS` (default 3) set the repetitions; `BATCH=0` skips (e).
//! The machine is noisy: compare the ratios, measured in the same run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GRADE: &str = env!("CARGO_BIN_EXE_grade");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn main() {
    let rounds = env_number("ROUNDS", 7);
    let cold_rounds = env_number("COLD_ROUNDS", 3);
    let work = std::env::temp_dir().join(format!("grade-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let exercise = work.join("backprop");
    copy_dir(&Path::new(ROOT).join("exercises/backprop"), &exercise);
    let submission = exercise.join("src/backprop.rs");
    let reference =
        std::fs::read_to_string(Path::new(ROOT).join("solutions/backprop/backprop.rs")).unwrap();
    let cache = work.join("cache");
    let mut edits = 0u32;
    // A real code change each time (a new term in an expression), so no build is ever a cache hit.
    let mut edit = || {
        edits += 1;
        let line = format!("let d_biases = dz.clone() + {edits}.0 * 0.0;");
        let text = reference.replace("let d_biases = dz.clone();", &line);
        assert_ne!(text, reference, "the line to edit is in the reference");
        std::fs::write(&submission, text).unwrap();
    };

    eprintln!(
        "warming up (builds the dependencies into {})…",
        cache.display()
    );
    edit();
    run_grade(&exercise, &cache, &[]);
    run(Command::new("cargo")
        .args(["test", "--quiet", "--no-run"])
        .current_dir(&exercise));
    let floor = floor_command(&cache, &exercise);

    let (mut a, mut b, mut c, mut peak) = (Vec::new(), Vec::new(), Vec::new(), 0u64);
    for round in 1..=rounds {
        edit();
        let (time, memory) = run_grade(&exercise, &cache, &[]);
        a.push(time);
        peak = peak.max(memory);
        edit();
        b.push(run(Command::new("cargo")
            .args(["test", "--quiet"])
            .current_dir(&exercise)));
        edit();
        c.push(run(&mut floor()));
        eprintln!(
            "round {round}/{rounds}: grade {:.3} s, cargo test {:.3} s, rustc {:.3} s",
            secs(a[a.len() - 1]),
            secs(b[b.len() - 1]),
            secs(c[c.len() - 1])
        );
    }

    let (mut d, mut cargo_build) = (Vec::new(), Vec::new());
    for round in 1..=cold_rounds {
        let fresh = work.join(format!("cold-cache-{round}"));
        let (time, memory) = run_grade(&exercise, &fresh, &[]);
        d.push(time);
        peak = peak.max(memory);
        let target = work.join(format!("cold-target-{round}"));
        cargo_build.push(run(Command::new("cargo")
            .args(["build", "--quiet"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&exercise)));
        eprintln!(
            "cold {round}/{cold_rounds}: first grade {:.2} s, cargo build {:.2} s",
            secs(d[d.len() - 1]),
            secs(cargo_build[cargo_build.len() - 1])
        );
        let _ = std::fs::remove_dir_all(&fresh);
        let _ = std::fs::remove_dir_all(&target);
    }

    let batch = if env_number("BATCH", 1) > 0 {
        Some(batch(&work, &cache, &mut peak))
    } else {
        None
    };

    println!("\nmedian wall time over {rounds} alternating rounds (cold: {cold_rounds})");
    println!(
        "  (a) grade after a one-line edit         {:>7.3} s",
        secs(median(&a))
    );
    println!(
        "  (b) cargo test after a one-line edit    {:>7.3} s",
        secs(median(&b))
    );
    println!(
        "  (c) rustc of the module (the floor)     {:>7.3} s",
        secs(median(&c))
    );
    println!(
        "  (d) first grade, fresh cache            {:>7.3} s",
        secs(median(&d))
    );
    println!(
        "      plain cargo build of the same deps  {:>7.3} s",
        secs(median(&cargo_build))
    );
    if let Some((one_by_one, batch)) = batch {
        println!(
            "  (e) 40 grades, one after another        {:>7.3} s",
            secs(one_by_one)
        );
        println!(
            "      grade batch of the same 40          {:>7.3} s",
            secs(batch)
        );
        println!(
            "      one after another / batch           {:>7.2}",
            secs(one_by_one) / secs(batch)
        );
    }
    println!(
        "  a/b {:.2}   a/c {:.2}   d/cargo build {:.2}",
        ratio(&a, &b),
        ratio(&a, &c),
        ratio(&d, &cargo_build)
    );
    println!("  peak memory of grade: {:.1} MB", peak as f64 / 1024.0);
    let _ = std::fs::remove_dir_all(&work);
}

/// (e): 40 distinct submissions (the repository's correct, rewritten and wrong ones, each made a
/// distinct build by a comment), graded by one `grade` each, one after another, then (other
/// comments, so other builds) by one `grade batch`.
fn batch(work: &Path, cache: &Path, peak: &mut u64) -> (Duration, Duration) {
    let fixtures = Path::new(ROOT).join("tests/fixtures");
    let mut sources: Vec<PathBuf> = ["correct", "rewrites", "wrong"]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(fixtures.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
        })
        .chain(
            std::fs::read_dir(Path::new(ROOT).join("solutions/backprop/mistakes"))
                .unwrap()
                .map(|e| e.unwrap().path()),
        )
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    sources.sort();
    let class = |mode: &str| {
        let folder = work.join(format!("submissions-{mode}"));
        std::fs::create_dir_all(&folder).unwrap();
        for i in 0..40 {
            let text = std::fs::read_to_string(&sources[i % sources.len()]).unwrap();
            std::fs::write(
                folder.join(format!("student{i:02}.rs")),
                format!("{text}\n// student {i}, {mode}\n"),
            )
            .unwrap();
        }
        folder
    };

    let folder = class("one after another");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let start = Instant::now();
    for file in &files {
        let (_, memory) = run_grade(
            &work.join("backprop"),
            cache,
            &[
                "--submission",
                &file.display().to_string(),
                "--format",
                "json",
            ],
        );
        *peak = (*peak).max(memory);
    }
    let one_by_one = start.elapsed();
    eprintln!("40 grades, one after another: {:.2} s", secs(one_by_one));

    let folder = class("batch");
    let start = Instant::now();
    let mut command = Command::new(GRADE);
    command
        .arg("batch")
        .arg(work.join("backprop"))
        .arg(&folder)
        .arg("--out")
        .arg(work.join("grades"))
        .env("GRADE_CACHE_DIR", cache);
    let memory = watch_peak(&mut command);
    *peak = (*peak).max(memory);
    let batch = start.elapsed();
    eprintln!("batch of 40: {:.2} s", secs(batch));
    (one_by_one, batch)
}

/// Runs `grade` on the exercise; returns its wall time and its own peak memory in KiB.
fn run_grade(exercise: &Path, cache: &Path, extra: &[&str]) -> (Duration, u64) {
    let start = Instant::now();
    let mut command = Command::new(GRADE);
    command
        .arg(exercise)
        .args(extra)
        .env("GRADE_CACHE_DIR", cache);
    let peak = watch_peak(&mut command);
    (start.elapsed(), peak)
}

/// Runs a command to the end, sampling its VmHWM (the kernel's high-water mark of its resident
/// memory) until it exits. Exit codes 0 and 1 (graded) are both fine.
fn watch_peak(command: &mut Command) -> u64 {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("grade starts");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(
                matches!(status.code(), Some(0 | 1)),
                "{command:?} failed: {status}"
            );
            return peak;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The floor: one `rustc` of the exercise's library crate (the given files and the submission)
/// against the dependencies `grade` built, at the grader's opt-level.
fn floor_command(cache: &Path, exercise: &Path) -> impl Fn() -> Command {
    let deps_dir = std::fs::read_dir(cache.join("deps"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // A sealed record: a line with its length and hash, then the JSON, whose paths are relative
    // to the folder of the generation that built them.
    let record = std::fs::read_to_string(deps_dir.join("deps.json")).unwrap();
    let deps: serde_json::Value = serde_json::from_str(record.split_once('\n').unwrap().1).unwrap();
    let generation = deps_dir.join(deps["generation"].as_str().unwrap());
    let at = |key: &serde_json::Value| generation.join(key.as_str().unwrap()).display().to_string();
    let ndarray = at(&deps["externs"]["ndarray"]);
    let search = at(&deps["search"]);
    let out = exercise.join("target").join("floor");
    std::fs::create_dir_all(&out).unwrap();
    let exercise = exercise.to_path_buf();
    move || {
        let mut command = Command::new("rustc");
        command
            .args([
                "--edition",
                "2021",
                "--crate-type",
                "rlib",
                "--crate-name",
                "backprop",
                "-C",
                "opt-level=0",
                "-C",
                "debuginfo=0",
                "-A",
                "warnings",
            ])
            .arg("--extern")
            .arg(format!("ndarray={ndarray}"))
            .arg("-L")
            .arg(format!("dependency={search}"))
            .arg("--out-dir")
            .arg(&out)
            .arg("src/lib.rs")
            .current_dir(&exercise);
        command
    }
}

fn run(command: &mut Command) -> Duration {
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the command starts");
    assert!(status.success(), "{command:?} failed: {status}");
    start.elapsed()
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn ratio(a: &[Duration], b: &[Duration]) -> f64 {
    secs(median(a)) / secs(median(b))
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}
