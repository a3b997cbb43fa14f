//! `grade <EXERCISE_DIR> --watch`: re-grades each time the student saves, the way rustlings does.
//! The folders holding the submitted files are watched (not the files: editors that save by
//! writing a new file and renaming it over the old one would end a watch on the file), and only
//! events on the submitted files count, so builds, `target/` and editor swap files never trigger a
//! grade. One save is often several events; they are debounced into one grade. A compile error is
//! a report like any other: the watch goes on.

use crate::app::{self, Common, EXIT_PASSED};
use crate::error::{Error, IoContext, Result};
use crate::report;
use crate::score::Report;
use crate::stage::Source;
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How long the files must be quiet after an event before grading: long enough to gather one
/// save's events, short enough not to be noticed.
pub const QUIET: Duration = Duration::from_millis(250);

/// `grade <EXERCISE_DIR> --watch`.
pub struct WatchRequest {
    /// The trusted exercise folder.
    pub exercise: PathBuf,
    /// The submission; the exercise folder's own files when absent.
    pub submission: Option<PathBuf>,
    /// Derive every scenario's seed from this (`--seed`).
    pub seed: Option<u64>,
    pub common: Common,
}

/// What the watch loop is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A submitted file changed, or the student asked for a grade (Enter).
    Changed,
    /// `q`, or nothing left to listen to.
    Quit,
}

/// Grades, then re-grades on every save until `q`. Errors only when watching cannot start (a bad
/// exercise, a missing submission): those are exit 2.
pub fn run(request: WatchRequest) -> Result<u8> {
    let verbose = request.common.verbose;
    let (grader, announcer) = app::grader(&request.exercise, request.seed, request.common)?;
    let path = request
        .submission
        .unwrap_or_else(|| request.exercise.clone());
    let source = Source::read(&grader.spec, &path)?;
    let files: Vec<PathBuf> = source
        .origins
        .values()
        .map(|file| absolute_file(file))
        .collect::<Result<_>>()?;

    let (tx, rx) = mpsc::channel();
    let _watcher = watch(&files, tx.clone())?;
    listen_to_keys(tx);

    let shown: Vec<String> = source
        .origins
        .values()
        .map(|p| p.display().to_string())
        .collect();
    let footer = crate::tr!("watch-footer", files = shown.join(", "));
    let mut previous: Option<u32> = None;
    loop {
        let mut screen = String::new();
        if std::io::stdout().is_terminal() {
            // Clear the screen and the scrollback, home the cursor.
            screen.push_str("\x1b[2J\x1b[3J\x1b[H");
        }
        let graded = grader.grade_path(&path);
        announcer.done();
        match graded {
            Ok(report) => {
                screen.push_str(&report::human::render(
                    &report,
                    app::use_color(),
                    app::width(),
                ));
                screen.push_str(&format!(
                    "\n── {} · {footer}\n",
                    score_line(&report, previous)
                ));
                previous = Some(report.score);
            }
            // Between an editor's delete and its write the file may be missing: say so and wait.
            Err(error) => {
                let error = crate::tr!("error-prefix", error = error.to_string());
                screen.push_str(&format!("{error}\n\n── {footer}\n"));
            }
        }
        app::print(&screen);
        grader.prune_cache();
        app::say_notes(verbose, &grader);
        if next(&rx, QUIET) == Signal::Quit {
            return Ok(EXIT_PASSED);
        }
    }
}

/// "score 45/100 (+15)": the score and its change since the last grade (none on the first).
pub fn score_line(report: &Report, previous: Option<u32>) -> String {
    let score = crate::tr!(
        "report-score",
        total = format!("{}/{}", report.score, report.max_score)
    );
    match previous {
        None => score,
        Some(before) => {
            let change = i64::from(report.score) - i64::from(before);
            match change {
                0 => format!("{score} (±0)"),
                c if c > 0 => format!("{score} (+{c})"),
                c => format!("{score} ({c})"),
            }
        }
    }
}

/// Waits for the next thing to do. After a change, waits on until nothing has happened for
/// `quiet`, so that one save — often a write, a rename and a chmod — is one grade.
pub fn next(rx: &Receiver<Signal>, quiet: Duration) -> Signal {
    match rx.recv() {
        Ok(Signal::Changed) => loop {
            match rx.recv_timeout(quiet) {
                Ok(Signal::Changed) => continue,
                Ok(Signal::Quit) => return Signal::Quit,
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return Signal::Changed
                }
            }
        },
        Ok(Signal::Quit) | Err(_) => Signal::Quit,
    }
}

/// Whether `event` is a change to one of the submitted `files`. Reads (the grader's own among
/// them) are not changes; a file closed after writing is.
pub fn concerns(event: &Event, files: &[PathBuf]) -> bool {
    let change = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    };
    change && event.paths.iter().any(|p| files.contains(p))
}

/// `file` with its folder made canonical, as the watcher names what happens in that folder; the
/// file itself may come and go.
fn absolute_file(file: &Path) -> Result<PathBuf> {
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder = folder
        .canonicalize()
        .at(|| format!("finding {}", folder.display()))?;
    Ok(folder.join(file.file_name().unwrap_or_default()))
}

/// Watches the folders of `files`, sending [`Signal::Changed`] for every event on one of them.
fn watch(files: &[PathBuf], tx: Sender<Signal>) -> Result<notify::RecommendedWatcher> {
    let wanted = files.to_vec();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<Event>| match event {
            Ok(event) if concerns(&event, &wanted) => {
                let _ = tx.send(Signal::Changed);
            }
            // An event elsewhere, or a watcher hiccup: the next save is still seen.
            _ => {}
        })
        .map_err(Error::Watch)?;
    let mut folders: Vec<&Path> = files.iter().filter_map(|f| f.parent()).collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        watcher
            .watch(folder, RecursiveMode::NonRecursive)
            .map_err(Error::Watch)?;
    }
    Ok(watcher)
}

/// Reads lines from stdin: `q` quits, an empty line re-grades. At the end of stdin (not a
/// terminal, or closed) the keys stop and the watch goes on: Ctrl-C still ends it.
fn listen_to_keys(tx: Sender<Signal>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { return };
            let signal = match line.trim() {
                "q" | "Q" | "quit" | "exit" => Signal::Quit,
                "" => Signal::Changed,
                _ => continue,
            };
            if tx.send(signal).is_err() || signal == Signal::Quit {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;
    use notify::event::{CreateKind, DataChange, ModifyKind, RenameMode};
    use std::time::Instant;

    #[test]
    fn the_score_line_shows_the_change_since_the_last_grade() {
        let report = sample::mixed();
        assert_eq!(score_line(&report, None), "score 10/35");
        assert_eq!(score_line(&report, Some(0)), "score 10/35 (+10)");
        assert_eq!(score_line(&report, Some(25)), "score 10/35 (-15)");
        assert_eq!(score_line(&report, Some(10)), "score 10/35 (±0)");
    }

    #[test]
    fn a_burst_of_changes_is_one_grade() {
        let (tx, rx) = mpsc::channel();
        let quiet = Duration::from_millis(100);
        let sender = std::thread::spawn(move || {
            for _ in 0..5 {
                tx.send(Signal::Changed).unwrap();
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(400));
            tx.send(Signal::Quit).unwrap();
        });
        let started = Instant::now();
        assert_eq!(next(&rx, quiet), Signal::Changed);
        let waited = started.elapsed();
        // The last change came about 80 ms in; the grade waits for 100 ms of quiet after it.
        assert!(waited >= Duration::from_millis(170), "{waited:?}");
        assert!(waited < Duration::from_millis(400), "{waited:?}");
        // Every change of the burst was consumed: what comes next is the quit.
        assert_eq!(next(&rx, quiet), Signal::Quit);
        sender.join().unwrap();
    }

    #[test]
    fn quit_during_a_burst_quits_and_a_closed_channel_quits() {
        let (tx, rx) = mpsc::channel();
        tx.send(Signal::Changed).unwrap();
        tx.send(Signal::Quit).unwrap();
        assert_eq!(next(&rx, Duration::from_secs(5)), Signal::Quit);
        drop(tx);
        assert_eq!(next(&rx, Duration::from_secs(5)), Signal::Quit);
    }

    #[test]
    fn only_changes_to_the_submitted_files_count() {
        let file = PathBuf::from("/ex/src/backprop.rs");
        let files = vec![file.clone()];
        let event = |kind, path: &str| Event::new(kind).add_path(PathBuf::from(path));
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(concerns(&event(write, "/ex/src/backprop.rs"), &files));
        assert!(concerns(
            &event(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "/ex/src/backprop.rs"
            ),
            &files
        ));
        assert!(concerns(
            &event(EventKind::Create(CreateKind::File), "/ex/src/backprop.rs"),
            &files
        ));
        assert!(concerns(
            &event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                "/ex/src/backprop.rs"
            ),
            &files
        ));
        // The grader reading the file, an editor's swap file, build output.
        assert!(!concerns(
            &event(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                "/ex/src/backprop.rs"
            ),
            &files
        ));
        assert!(!concerns(&event(write, "/ex/src/.backprop.rs.swp"), &files));
        assert!(!concerns(&event(write, "/ex/target/debug/probe"), &files));
    }
}
