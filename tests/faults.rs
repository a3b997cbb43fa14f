//! Grade's own faults are never a student's grade: a full disk, a damaged cache, a grader killed
//! in the middle of its first build, graders racing on a cold cache, damaged incremental state, a
//! compiler that crashes. Each case grades real submissions with real compiles, asserts that a
//! correct submission ends with full marks or exit 2 with the cause named (never exit 1 with a low
//! score), and that the next grade after the fault is right: full marks for the correct one, its
//! usual score for a known mistake, with and without `--seed`.
//!
//! Each case has a cache of its own, a copy of one warmed once per run (the dependencies, the
//! submission's builds, and with `--seed` the reference's and the known mistakes').
#![cfg(unix)]

mod common;

use common::*;
use serde_json::Value;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The seed the warm cache holds the reference's builds and observations for.
const SEED: &str = "7";

/// The known mistake graded beside the correct submission.
const MISTAKE: &str = "layers_not_reversed";

fn mistake() -> PathBuf {
    root().join(format!("solutions/backprop/mistakes/{MISTAKE}.rs"))
}

/// A grade's result: its exit code, its JSON report if it printed one, its stderr.
#[derive(Debug)]
struct Graded {
    code: i32,
    report: Option<Value>,
    stderr: String,
}

impl Graded {
    fn of(output: Output) -> Graded {
        Graded {
            code: output.status.code().expect("grade exits by itself"),
            report: serde_json::from_slice(&output.stdout).ok(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn score(&self) -> Option<u64> {
        self.report.as_ref().and_then(|r| r["score"].as_u64())
    }
}

/// `grade` on `cache`, verbose, with a JSON report.
fn grade_on(cache: &Path, submission: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_grade"));
    command
        .env("GRADE_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .env_remove("GRADE_SEED")
        .env_remove("GRADE_CACHE_MAX")
        .arg(exercise())
        .arg("--submission")
        .arg(submission)
        .args(["--format", "json", "--verbose"])
        .args(args)
        .stdin(Stdio::null());
    command
}

fn grade_with(cache: &Path, submission: &Path, args: &[&str]) -> Graded {
    Graded::of(
        grade_on(cache, submission, args)
            .output()
            .expect("grade runs"),
    )
}

/// What the known mistake usually scores, with and without `--seed`.
struct Usual {
    plain: u64,
    seeded: u64,
}

/// The warm cache every case copies, and the mistake's usual scores (graded on it, intact).
fn warm() -> &'static (PathBuf, Usual) {
    static WARM: OnceLock<(PathBuf, Usual)> = OnceLock::new();
    WARM.get_or_init(|| {
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("faults-warm-cache");
        let _ = std::fs::remove_dir_all(&cache);
        for args in [&[][..], &["--seed", SEED]] {
            let graded = grade_with(&cache, &reference(), args);
            assert_eq!(graded.code, 0, "{graded:?}");
        }
        let plain = grade_with(&cache, &mistake(), &[]);
        let seeded = grade_with(&cache, &mistake(), &["--seed", SEED]);
        assert_eq!(plain.code, 1, "{plain:?}");
        assert_eq!(seeded.code, 1, "{seeded:?}");
        let usual = Usual {
            plain: plain.score().unwrap(),
            seeded: seeded.score().unwrap(),
        };
        assert!(usual.plain < 100 && usual.seeded < 100);
        (cache, usual)
    })
}

/// A copy of the warm cache in a folder of its own.
fn warm_copy(into: &Path) -> PathBuf {
    let cache = into.join("cache");
    let status = Command::new("cp")
        .arg("-a")
        .arg(&warm().0)
        .arg(&cache)
        .status()
        .expect("cp runs");
    assert!(status.success());
    cache
}

/// The reference with a comment of its own: a correct submission no cache has seen.
fn fresh_correct(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.rs"));
    let mut text = std::fs::read_to_string(reference()).unwrap();
    text.push_str(&format!("\n// {name}\n"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Asserts that the correct `submission` and the known mistake grade as they should on `cache`,
/// without `--seed`, and with it when `seeded` (which costs building the reference and the known
/// mistakes, where they were damaged).
fn next_grades_are_right(cache: &Path, submission: &Path, seeded: bool) {
    let usual = &warm().1;
    let plain = (&[][..], usual.plain);
    let with_seed = (&["--seed", SEED][..], usual.seeded);
    let cases = if seeded {
        vec![plain, with_seed]
    } else {
        vec![plain]
    };
    for (args, mistake_score) in cases {
        let correct = grade_with(cache, submission, args);
        assert_eq!(
            (correct.code, correct.score()),
            (0, Some(100)),
            "{args:?}: {correct:?}"
        );
        let wrong = grade_with(cache, &mistake(), args);
        assert_eq!(
            (wrong.code, wrong.score()),
            (1, Some(mistake_score)),
            "{args:?}: {wrong:?}"
        );
    }
}

/// A correct submission's grade during a fault: full marks, or exit 2 with one line that names
/// the cause and no report; never a score below 100.
fn full_marks_or_could_not_grade(graded: &Graded) {
    match graded.code {
        0 => assert_eq!(graded.score(), Some(100), "{graded:?}"),
        2 => {
            assert!(graded.report.is_none(), "{graded:?}");
            assert!(graded.stderr.contains("error: "), "{graded:?}");
        }
        _ => panic!("a correct submission was graded wrong: {graded:?}"),
    }
}

/// Every regular file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                folders.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    found
}

fn cut_to(path: &Path, length: u64) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(length)
        .unwrap();
}

/// The probe binaries a cache holds.
fn binaries(cache: &Path) -> Vec<PathBuf> {
    files(&cache.join("builds"))
        .into_iter()
        .filter(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("probe-")
        })
        .collect()
}

#[test]
fn emptied_binaries_are_found_and_built_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = warm_copy(dir.path());
    let emptied = binaries(&cache);
    assert!(
        emptied.len() > 3,
        "the warm cache holds binaries: {emptied:?}"
    );
    for binary in &emptied {
        cut_to(binary, 0);
    }
    let graded = grade_with(&cache, &reference(), &[]);
    assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
    assert!(
        graded.stderr.contains("discarded a damaged cache entry"),
        "--verbose says so: {}",
        graded.stderr
    );
    next_grades_are_right(&cache, &reference(), true);
}

#[test]
fn every_cache_file_cut_short_is_found_and_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = warm_copy(dir.path());
    let all = files(&cache);
    assert!(all.len() > 100, "{}", all.len());
    for file in &all {
        let length = std::fs::metadata(file).unwrap().len();
        cut_to(file, length / 2);
    }
    let graded = grade_with(&cache, &reference(), &["--seed", SEED]);
    full_marks_or_could_not_grade(&graded);
    assert!(
        graded.stderr.contains("damaged"),
        "--verbose says so: {}",
        graded.stderr
    );
    next_grades_are_right(&cache, &reference(), true);
}

#[test]
fn a_damaged_incremental_folder_is_wiped_and_the_build_retried() {
    let dir = tempfile::tempdir().unwrap();
    let cache = warm_copy(dir.path());
    // rustc's incremental state made here (a copied cache's is of other paths, and not reused).
    let here = fresh_correct(dir.path(), "here");
    let graded = grade_with(&cache, &here, &[]);
    assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
    // Objects cut short in rustc's incremental state (its own records intact) make the link fail.
    let objects: Vec<PathBuf> = files(&cache.join("work"))
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "o"))
        .collect();
    assert!(
        !objects.is_empty(),
        "the warm cache holds incremental state"
    );
    for object in &objects {
        let length = std::fs::metadata(object).unwrap().len();
        cut_to(object, length / 2);
    }
    // An edit, so that the build is compiled again on that state.
    let edited = fresh_correct(dir.path(), "edited");
    let graded = grade_with(&cache, &edited, &[]);
    assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
    assert!(
        graded.stderr.contains("compiled again from scratch"),
        "the link failed and the build was retried: {}",
        graded.stderr
    );
    next_grades_are_right(&cache, &edited, false);
}

/// Waits (at most two minutes) until `ready` holds; false if `child` ended first.
fn wait_for(child: &mut std::process::Child, ready: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Kills `child` and everything it started (its process group) with SIGKILL, as a cancelled CI
/// job or a closed laptop lid would.
fn kill_group(child: &mut std::process::Child) {
    // SAFETY: kill(2) on the child's process group.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
    let _ = child.wait();
}

#[test]
fn a_grade_killed_in_its_first_build_leaves_nothing_that_misleads_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    // Killed while cargo builds the dependencies: once it has written its first library.
    let mut first = grade_on(&cache, &reference(), &[])
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deps = cache.join("deps");
    let killed = wait_for(&mut first, || {
        files(&deps)
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "rlib"))
    });
    kill_group(&mut first);
    if !killed {
        eprintln!("note: the first grade ended before it could be killed in its dependencies");
    }
    // Killed while rustc compiles the submission: once its incremental state exists.
    let submission = fresh_correct(dir.path(), "killed");
    let mut second = grade_on(&cache, &submission, &[])
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let work = cache.join("work");
    let killed = wait_for(&mut second, || {
        files(&work)
            .iter()
            .any(|f| f.to_string_lossy().contains("/incremental/"))
    });
    kill_group(&mut second);
    if !killed {
        eprintln!("note: the second grade ended before it could be killed in its compile");
    }
    let graded = grade_with(&cache, &submission, &[]);
    assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
    next_grades_are_right(&cache, &submission, false);
}

#[test]
fn four_graders_at_once_on_a_cold_cache_each_grade_right() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let a = fresh_correct(dir.path(), "alice");
    let b = fresh_correct(dir.path(), "bob");
    let runs: Vec<(PathBuf, Vec<&str>)> = vec![
        (a.clone(), vec![]),
        (b.clone(), vec!["--seed", SEED]),
        (mistake(), vec![]),
        (a.clone(), vec!["--seed", SEED]),
    ];
    let children: Vec<_> = runs
        .iter()
        .map(|(submission, args)| {
            grade_on(&cache, submission, args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let graded: Vec<Graded> = children
        .into_iter()
        .map(|c| Graded::of(c.wait_with_output().unwrap()))
        .collect();
    for (i, g) in graded.iter().enumerate() {
        if runs[i].0 == mistake() {
            assert_eq!((g.code, g.score()), (1, Some(warm().1.plain)), "{g:?}");
        } else {
            assert_eq!((g.code, g.score()), (0, Some(100)), "{:?}: {g:?}", runs[i]);
        }
    }
    next_grades_are_right(&cache, &a, true);
}

// ---- a full disk: a small tmpfs as the cache, where mounting is allowed ----

/// A tmpfs mounted at `at` for the length of a test, if this machine lets the test mount one.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str, case: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("NOT CHECKED: {case}: this machine does not let the test mount a tmpfs (it needs root)");
            return None;
        }
        Some(Tmpfs(at.to_path_buf()))
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "resizing the tmpfs to {size}");
    }

    /// Leaves it 2 MiB of room: less than any build needs.
    fn fill(&self) {
        self.resize(&format!("{}", self.used() + (2 << 20)));
    }

    /// Bytes used on it.
    fn used(&self) -> u64 {
        let output = Command::new("df")
            .args(["--output=used", "-B1"])
            .arg(&self.0)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A grade that could not be done for lack of space: exit 2 naming the cause and the cache.
fn says_no_space(graded: &Graded, cache: &Path) {
    assert_eq!(graded.code, 2, "{graded:?}");
    assert!(graded.report.is_none(), "{graded:?}");
    assert!(
        graded.stderr.contains(&format!(
            "no space left on device under {}",
            cache.display()
        )),
        "{graded:?}"
    );
    assert!(graded.stderr.contains("--cache-dir"), "{graded:?}");
}

#[test]
fn a_full_disk_is_exit_2_naming_it_and_full_marks_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("disk");
    let Some(disk) = Tmpfs::mount(&mount, "20m", "a full disk") else {
        return;
    };
    let cache = mount.join("cache");
    // Too small for the dependencies: the first grade cannot build them.
    let graded = grade_with(&cache, &reference(), &[]);
    says_no_space(&graded, &cache);
    // Room for the dependencies and one grade, then just full: the next build does not fit.
    disk.resize("400m");
    let graded = grade_with(&cache, &reference(), &[]);
    assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
    let correct = fresh_correct(dir.path(), "on_a_full_disk");
    disk.fill();
    let graded = grade_with(&cache, &correct, &[]);
    says_no_space(&graded, &cache);
    disk.fill();
    let graded = grade_with(&cache, &mistake(), &[]);
    full_marks_or_could_not_grade_mistake(&graded, &cache);
    disk.fill();
    // A whole class on the full disk: the error column, not a 0.
    let subs = dir.path().join("subs");
    std::fs::create_dir(&subs).unwrap();
    std::fs::copy(&correct, subs.join("ada.rs")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_grade"))
        .env("GRADE_CACHE_DIR", &cache)
        .args(["batch"])
        .arg(exercise())
        .arg(&subs)
        .arg("--out")
        .arg(dir.path().join("grades"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let csv = std::fs::read_to_string(dir.path().join("grades/grades.csv")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("ada,")).unwrap();
    assert!(row.contains("no space left on device"), "{csv}");
    assert!(row.starts_with("ada,,"), "no score: {csv}");
    // Room again: right at once, nothing cached from the fault, no cleaning by hand.
    disk.resize("400m");
    next_grades_are_right(&cache, &correct, false);
}

/// The known mistake on a full disk: its usual score (it may need no new build) or exit 2.
fn full_marks_or_could_not_grade_mistake(graded: &Graded, cache: &Path) {
    match graded.code {
        1 => assert_eq!(graded.score(), Some(warm().1.plain), "{graded:?}"),
        _ => says_no_space(graded, cache),
    }
}

// ---- a compiler that fails for reasons that are not the submission's ----

/// A toolchain whose rustc is a script in front of the real one: it crashes (SIGSEGV) when the
/// submission holds `CRASH`, crashes only when rustc's incremental state exists for `CRASH_ONCE`,
/// reports an internal compiler error for `ICE`, and fails to link without a word about the code
/// for `LINK`; otherwise it is the real rustc.
fn faulty_toolchain(dir: &Path) -> PathBuf {
    let sysroot_output = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    let sysroot = String::from_utf8(sysroot_output.stdout).unwrap();
    let real = Path::new(sysroot.trim()).join("bin/rustc");
    let fake = dir.join("fake-sysroot");
    std::fs::create_dir_all(fake.join("bin")).unwrap();
    let script = fake.join("bin/rustc");
    std::fs::write(
        &script,
        format!(
            r#"#!/bin/sh
real="{real}"
case " $* " in
  *" --print sysroot "*) echo "{fake}"; exit 0 ;;
esac
marked() {{ grep -rqs --include=backprop.rs "GRADE_FAULT: $1\$" .; }}
if [ -d src ] || [ -d u0 ]; then
  if marked CRASH_ONCE; then
    if [ -n "$(ls -A ../incremental 2>/dev/null)" ]; then kill -SEGV $$; fi
  elif marked CRASH; then
    kill -SEGV $$
  elif marked ICE; then
    printf '%s\n' '{{"message":"unexpected panic","code":null,"level":"error: internal compiler error","spans":[],"children":[],"rendered":"error: internal compiler error: unexpected panic\n"}}' >&2
    exit 101
  elif marked LINK; then
    printf '%s\n' '{{"message":"linking with `cc` failed: exit status: 1","code":null,"level":"error","spans":[],"children":[],"rendered":"error: linking with `cc` failed: exit status: 1\n"}}' >&2
    exit 1
  fi
fi
exec "$real" "$@"
"#,
            real = real.display(),
            fake = fake.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// The reference with a marker for the faulty toolchain (and a name, which makes it unique).
fn marked(dir: &Path, marker: &str, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.rs"));
    let mut text = std::fs::read_to_string(reference()).unwrap();
    text.push_str(&format!("\n// {name}\n// GRADE_FAULT: {marker}\n"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_compiler_that_crashes_is_exit_2_never_cached_and_the_batch_error_column() {
    let dir = tempfile::tempdir().unwrap();
    let cache = warm_copy(dir.path());
    let rustc = faulty_toolchain(dir.path());
    let faulty = |submission: &Path, args: &[&str]| {
        Graded::of(
            grade_on(&cache, submission, args)
                .env("RUSTC", &rustc)
                .output()
                .unwrap(),
        )
    };
    let crash = marked(dir.path(), "CRASH", "crash");
    let graded = faulty(&crash, &[]);
    assert_eq!(graded.code, 2, "{graded:?}");
    assert!(
        graded.stderr.contains("rustc crashed (killed by SIGSEGV)")
            && graded.stderr.contains("not the submission's fault"),
        "{}",
        graded.stderr
    );
    let ice = marked(dir.path(), "ICE", "ice");
    let graded = faulty(&ice, &[]);
    assert_eq!(graded.code, 2, "{graded:?}");
    assert!(
        graded.stderr.contains("internal compiler error")
            && graded.stderr.contains("(it said: unexpected panic)"),
        "{}",
        graded.stderr
    );
    let link = marked(dir.path(), "LINK", "link");
    let graded = faulty(&link, &[]);
    assert_eq!(graded.code, 2, "{graded:?}");
    assert!(
        graded
            .stderr
            .contains("without pointing at the code (linking with `cc` failed: exit status: 1)"),
        "{}",
        graded.stderr
    );
    // Nothing was cached: the real compiler grades the same files right.
    for submission in [&crash, &ice, &link] {
        let graded = grade_with(&cache, submission, &[]);
        assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
    }
    // A crash once, on the incremental state of an earlier compile: wiped, retried, right.
    let once = marked(dir.path(), "CRASH_ONCE", "once");
    let graded = faulty(&once, &[]);
    assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
    assert!(
        graded.stderr.contains("compiled again from scratch"),
        "{}",
        graded.stderr
    );
    // In a class: the crash is its row's error, the others are graded.
    let subs = dir.path().join("subs");
    std::fs::create_dir(&subs).unwrap();
    std::fs::copy(
        marked(dir.path(), "CRASH", "in_a_class"),
        subs.join("crash.rs"),
    )
    .unwrap();
    std::fs::copy(fresh_correct(dir.path(), "ada"), subs.join("ada.rs")).unwrap();
    std::fs::copy(mistake(), subs.join("bob.rs")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_grade"))
        .env("GRADE_CACHE_DIR", &cache)
        .env("RUSTC", &rustc)
        .args(["batch"])
        .arg(exercise())
        .arg(&subs)
        .arg("--out")
        .arg(dir.path().join("grades"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let csv = std::fs::read_to_string(dir.path().join("grades/grades.csv")).unwrap();
    let row = |name: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{name},")))
            .unwrap()
            .to_string()
    };
    assert!(row("crash").starts_with("crash,,"), "{csv}");
    assert!(row("crash").contains("rustc crashed"), "{csv}");
    assert!(row("ada").starts_with("ada,100,100,"), "{csv}");
    assert!(
        row("bob").starts_with(&format!("bob,{},100,", warm().1.plain)),
        "{csv}"
    );
}

// ---- limits of a compile: code that expands to gigabytes ----

#[test]
fn a_static_of_a_gigabyte_stops_at_the_memory_limit_and_leaves_the_cache_small() {
    let dir = tempfile::tempdir().unwrap();
    let cache = warm_copy(dir.path());
    let before = cache_size(&cache);
    let path = dir.path().join("big_static.rs");
    let mut text = std::fs::read_to_string(reference()).unwrap();
    text.push_str("\n#[used]\nstatic BIG: [u8; 1 << 30] = [1u8; 1 << 30];\n");
    std::fs::write(&path, text).unwrap();
    let graded = grade_with(&cache, &path, &[]);
    assert_eq!((graded.code, graded.score()), (1, Some(0)), "{graded:?}");
    let report = graded.report.unwrap();
    assert_eq!(report["build"]["ok"], false);
    let diagnostics = report["build"]["diagnostics"].as_str().unwrap();
    assert!(
        diagnostics.contains("compiling your code needed more than 2.0 GiB of memory"),
        "{diagnostics}"
    );
    let grown = cache_size(&cache).saturating_sub(before);
    assert!(grown < 5 << 20, "the cache grew by {grown} bytes");
}

#[test]
fn a_static_too_large_to_write_stops_at_the_file_size_limit_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let cache = warm_copy(dir.path());
    let path = dir.path().join("large_static.rs");
    let mut text = std::fs::read_to_string(reference()).unwrap();
    text.push_str("\n#[used]\nstatic LARGE: [u8; 1 << 28] = [1u8; 1 << 28];\n");
    std::fs::write(&path, text).unwrap();
    let graded = grade_with(&cache, &path, &[]);
    assert_eq!((graded.code, graded.score()), (1, Some(0)), "{graded:?}");
    let report = graded.report.unwrap();
    let diagnostics = report["build"]["diagnostics"].as_str().unwrap();
    assert!(
        diagnostics.contains("compiling your code wrote a file larger than 128.0 MiB")
            || diagnostics.contains("more than 2.0 GiB of memory"),
        "{diagnostics}"
    );
    let largest = files(&cache)
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .max()
        .unwrap();
    assert!(largest < 64 << 20, "a file of {largest} bytes was left");
}

/// Bytes on disk under `cache`.
fn cache_size(cache: &Path) -> u64 {
    let output = Command::new("du")
        .args(["-sb"])
        .arg(cache)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

// ---- a bounded cache ----

/// `grade cache …` on `cache`.
fn grade_cache(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grade"))
        .env("GRADE_CACHE_DIR", cache)
        .env_remove("GRADE_CACHE_MAX")
        .arg("cache")
        .args(args)
        .output()
        .unwrap()
}

/// Bytes on disk under `path`, as `du` counts them (blocks; a file with several links once).
fn disk_usage(path: &Path) -> u64 {
    let output = Command::new("du").arg("-sB1").arg(path).output().unwrap();
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_cache_says_what_it_holds_stays_under_its_cap_and_cleans() {
    let dir = tempfile::tempdir().unwrap();
    let cache = warm_copy(dir.path());
    let shown = grade_cache(&cache, &[]);
    assert_eq!(shown.status.code(), Some(0), "{shown:?}");
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.contains(&format!(
            "cache: {}",
            cache.canonicalize().unwrap().display()
        )),
        "{text}"
    );
    assert!(text.contains("of a 1.0 GiB cap"), "{text}");
    for kind in ["dependencies", "working folders", "builds", "observations"] {
        assert!(text.contains(kind), "{kind}: {text}");
    }
    // A cap under what the cache holds, above its dependencies: each grade prunes down to it.
    let deps = disk_usage(&cache.join("deps"));
    let cap = deps + (24 << 20);
    assert!(disk_usage(&cache) > cap, "the warm cache is over the cap");
    for name in ["one", "two", "three"] {
        let submission = fresh_correct(dir.path(), name);
        let graded = grade_with(&cache, &submission, &["--cache-max", &cap.to_string()]);
        assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
        let size = disk_usage(&cache);
        assert!(size <= cap, "{name}: {size} bytes over a cap of {cap}");
    }
    let graded = Graded::of(
        grade_on(&cache, &reference(), &[])
            .env("GRADE_CACHE_MAX", "12 parsecs")
            .output()
            .unwrap(),
    );
    assert_eq!(graded.code, 2, "{graded:?}");
    assert!(graded.stderr.contains("is not a size"), "{graded:?}");
    // Clean: nothing left that anyone uses.
    let cleaned = grade_cache(&cache, &["clean"]);
    assert_eq!(cleaned.status.code(), Some(0), "{cleaned:?}");
    assert!(
        String::from_utf8_lossy(&cleaned.stdout).starts_with("removed "),
        "{cleaned:?}"
    );
    assert!(disk_usage(&cache) < 1 << 20, "{}", disk_usage(&cache));
    let graded = grade_with(&cache, &reference(), &[]);
    assert_eq!((graded.code, graded.score()), (0, Some(100)), "{graded:?}");
}
