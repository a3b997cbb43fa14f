//! What each command of the `grade` binary does, given its already-parsed arguments: build a
//! grader, run it, render the report, and say which exit code that deserves.

use crate::error::Result;
use crate::grader::{Grader, Options};
use crate::report;
use crate::score::Report;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit codes (DESIGN.md): every check passed; graded with some check not passing; not graded.
pub const EXIT_PASSED: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// How to print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// `grade <EXERCISE_DIR>`.
pub struct GradeRequest {
    pub exercise: PathBuf,
    /// The submission; the exercise folder's own `src/...` when absent.
    pub submission: Option<PathBuf>,
    pub format: Format,
    pub seed: Option<u64>,
    pub cache_dir: Option<PathBuf>,
    pub jobs: usize,
}

/// Grades one submission and prints the report on stdout; returns the exit code.
pub fn grade(request: GradeRequest) -> Result<u8> {
    let interactive = std::io::stderr().is_terminal();
    let grader = Grader::new(Options {
        exercise: request.exercise.clone(),
        seed: request.seed,
        cache_dir: request.cache_dir,
        jobs: request.jobs,
        progress: Box::new(move |message| {
            if interactive {
                eprintln!("grade: {message}…");
            }
        }),
    })?;
    let submission = request.submission.unwrap_or_else(|| request.exercise.clone());
    let report = grader.grade_path(&submission)?;
    print(&report, request.format);
    Ok(if report.all_passed() { EXIT_PASSED } else { EXIT_FAILED })
}

fn print(report: &Report, format: Format) {
    let text = match format {
        Format::Human => report::human::render(report, use_color()),
        Format::Json => report::json::render(report),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`grade … | head`) is not worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Colors on a terminal, unless `NO_COLOR` is set to anything non-empty.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
