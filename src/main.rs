//! The `grade` binary: parses arguments and hands them to the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use grade::app::{self, Common, Format, GradeRequest};
use std::path::PathBuf;
use std::process::ExitCode;

/// Grades a student's backpropagation exercise: compiles their module, runs it beside the reference
/// on fixed seeds, checks the gradients and the training, and prints a scored report.
///
/// Exit codes: 0 every check passed; 1 graded, some check did not pass (a submission that does not
/// compile is graded); 2 could not grade (bad arguments, a bad exercise.toml, a missing file, no
/// toolchain).
#[derive(Parser)]
#[command(
    name = "grade",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    grade: GradeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// For instructors: prove that the reference scores full marks, the stub nothing, and every
    /// known mistake loses points and is recognised. Exits 0 only when all of that holds.
    Validate {
        /// The exercise folder, with the reference and the known mistakes beside it.
        exercise: PathBuf,
        /// Validate on scenarios derived from N instead of the shipped seeds.
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// For instructors: write expected.json, the reference's and the known mistakes' observations
    /// on the shipped seeds, so that a copy of the exercise without solutions/ can grade.
    Bless {
        /// The exercise folder, with the reference and the known mistakes beside it.
        exercise: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Args)]
struct GradeArgs {
    /// The exercise folder (holding exercise.toml), e.g. exercises/backprop.
    #[arg(required = true)]
    exercise: Option<PathBuf>,

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

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct CommonArgs {
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

impl From<CommonArgs> for Common {
    fn from(args: CommonArgs) -> Common {
        Common {
            cache_dir: args.cache_dir,
            jobs: args.jobs.unwrap_or_else(grade::parallel::cores),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Validate {
            exercise,
            seed,
            common,
        }) => app::validate(&exercise, seed, common.into()),
        Some(Command::Bless { exercise, common }) => app::bless(&exercise, common.into()),
        None => {
            let args = cli.grade;
            app::grade(GradeRequest {
                exercise: args.exercise.expect("clap requires it"),
                submission: args.submission,
                format: match args.format {
                    FormatArg::Human => Format::Human,
                    FormatArg::Json => Format::Json,
                },
                seed: args.seed,
                common: args.common.into(),
            })
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(app::EXIT_ERROR)
        }
    }
}
