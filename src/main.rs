//! The `grade` binary: parses arguments and hands them to the library.

use clap::{Parser, ValueEnum};
use grade::app::{self, Format, GradeRequest};
use std::path::PathBuf;
use std::process::ExitCode;

/// Grades a student's backpropagation exercise: compiles their module, runs it beside the reference
/// on fixed seeds, checks the gradients and the training, and prints a scored report.
///
/// Exit codes: 0 every check passed; 1 graded, some check did not pass (a submission that does not
/// compile is graded); 2 could not grade (bad arguments, a bad exercise.toml, a missing file, no
/// toolchain).
#[derive(Parser)]
#[command(name = "grade", version, about, long_about)]
struct Cli {
    /// The exercise folder (holding exercise.toml), e.g. exercises/backprop.
    exercise: PathBuf,

    /// Grade this submission instead of the one inside the exercise folder: a .rs file, or a folder
    /// laid out like the exercise (src/backprop.rs). Everything else comes from EXERCISE.
    #[arg(long, short, value_name = "PATH")]
    submission: Option<PathBuf>,

    /// How to print the report on stdout.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,

    /// Derive every scenario's seed from N instead of the shipped seeds (needs the reference source).
    #[arg(long, value_name = "N", env = "GRADE_SEED")]
    seed: Option<u64>,

    /// Where built dependencies, builds and the reference's observations are kept
    /// [default: $XDG_CACHE_HOME/grade or ~/.cache/grade].
    #[arg(long, value_name = "DIR", env = "GRADE_CACHE_DIR")]
    cache_dir: Option<PathBuf>,

    /// Compiles and probe runs at once [default: the number of cores].
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// A colored report for people (plain when stdout is not a terminal or NO_COLOR is set).
    Human,
    /// One JSON object: {exercise, score, max_score, build, checks: [...]}.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let request = GradeRequest {
        exercise: cli.exercise,
        submission: cli.submission,
        format: match cli.format {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
        },
        seed: cli.seed,
        cache_dir: cli.cache_dir,
        jobs: cli.jobs.unwrap_or_else(grade::parallel::cores),
    };
    match app::grade(request) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(app::EXIT_ERROR)
        }
    }
}
