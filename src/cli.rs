//! The binary's arguments (clap's derive) and the command each runs in the library; not part of
//! the library. Help texts here are `grade --help`.

use clap::{Args, Parser, Subcommand};
use grade::app::{self, Common, Format, GradeRequest};
use grade::batch::BatchRequest;
use grade::i18n::{self, Lang};
use grade::merge::MergeRequest;
use grade::shard::ShardSpec;
use grade::watch::WatchRequest;
use std::path::PathBuf;
use std::process::ExitCode;

/// A grader for Rust exercises (exercises/backprop, exercises/forward): compiles the student's
/// module, runs it in a sandbox beside the reference on fixed seeds, judges it with the checks of the
/// exercise's exercise.toml, and prints a scored report with a hint for each known mistake.
/// Instructors: `grade new` starts an exercise (see docs/authoring.md).
///
/// Exit codes: 0 every check passed; 1 graded, some check did not pass (a submission that does not
/// compile is graded); 2 could not grade (bad arguments, a bad exercise.toml, a missing file, no
/// toolchain, or a fault of grade's own: a full disk, a crashed compiler, a damaged cache).
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

    /// The language of reports, messages and help [default: from GRADE_LANG, else the locale
    /// (LC_ALL, LC_MESSAGES, LANG: fr_* is French), else English].
    #[arg(long, value_enum, global = true, value_name = "LANG")]
    lang: Option<Lang>,
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
        /// Also prove the checks over many seeds: N is seeds 1 to N, A..=B (or A..B, without B)
        /// a range. The reference must score full marks, and every known mistake lose the same
        /// checks as on the shipped seeds and be recognised on each, under every one of them; a
        /// table says where one does not (about 3 s per seed on 2 cores).
        #[arg(long, value_name = "N|A..=B", conflicts_with = "seed", value_parser = parse_seeds)]
        seeds: Option<std::ops::RangeInclusive<u64>>,
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
    /// For instructors: scaffold a new exercise in FOLDER (new or empty): a stub with todo!(), a
    /// reference, a probe with one scenario, an exercise.toml with one check, a catalogue with one
    /// known mistake, and its expected.json, so that `grade validate FOLDER` passes at once. The
    /// reference and mistakes go to a solutions/ folder beside the exercises' folder (see
    /// docs/authoring.md).
    New {
        /// The folder to create (or an empty one), e.g. exercises/dot-product.
        folder: PathBuf,
        /// The exercise's name [default: FOLDER's own name].
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// For instructors: grade every submission in a folder, several at once, into grades.csv (one
    /// row each: score, each check's points, the diagnosed mistakes, an error column), the class
    /// report (report.html, summary.md), results.json and each submission's reports
    /// (reports/NAME.json, reports/NAME.md). Exits 0 when every submission was graded (even
    /// failing ones), 2 otherwise.
    Batch {
        /// The trusted exercise folder (holding exercise.toml).
        exercise: PathBuf,
        /// A folder with one entry per submission: a .rs file, or a folder laid out like the
        /// exercise (named after the student).
        submissions: PathBuf,
        /// Where grades.csv, the class report and the reports go [default: `grades` beside
        /// SUBMISSIONS, i.e. SUBMISSIONS/../grades (./grades when SUBMISSIONS has no parent);
        /// with --shard K/N, its folder shard-K].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Derive every scenario's seed from N instead of the shipped seeds (needs the reference
        /// source).
        #[arg(long, value_name = "N", env = "GRADE_SEED")]
        seed: Option<u64>,
        /// Compiles and probe runs each chunk of submissions starts at once (a chunk's builds are
        /// compiled as one bundle); JOBS / this many chunks are graded at once. One is usually
        /// fastest.
        #[arg(long, value_name = "N", default_value_t = 1)]
        jobs_per_submission: usize,
        /// Compile each submission alone instead of in bundles: about half as fast, but no probe
        /// binary holds the compiled code of more than one submission.
        #[arg(long)]
        no_bundle: bool,
        /// Grade only shard K of N (a deterministic share of SUBMISSIONS, balanced by size; the
        /// same on every re-run); `grade merge` combines the shards' output folders. K/N counts
        /// from 1 (1/3, 2/3, 3/3); K may instead come from a job engine: slurm/N
        /// (SLURM_ARRAY_TASK_ID counted from SLURM_ARRAY_TASK_MIN, so --array=0-2 and 1-3 both
        /// work), k8s/N (an Indexed Job's JOB_COMPLETION_INDEX, from 0) or env:VAR/N (VAR counts
        /// from 1, e.g. a GitHub Actions matrix value).
        #[arg(long, value_name = "K/N", value_parser = grade::shard::parse)]
        shard: Option<ShardSpec>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// For instructors: combine the output folders of `grade batch --shard K/N` (one per shard)
    /// into one grades.csv, class report and set of reports, as one batch of the whole folder
    /// would have written. Refuses shards of different batches, shards that overlap, and names
    /// the shards that are missing. Exits 0 when every submission was graded, 2 otherwise.
    Merge {
        /// The shards' output folders (each holding results.json).
        #[arg(required = true, value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
        /// Where the merged grades.csv, report.html, summary.md and reports go.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// What this machine allows grade: the Rust toolchain it compiles with, how probe runs and
    /// compiles are isolated here and what that leaves out, and the cache. Exits 0 when grade can
    /// grade here, 2 when something it needs is missing (and says what).
    Doctor {
        /// The cache folder [default: $XDG_CACHE_HOME/grade or ~/.cache/grade].
        #[arg(long, value_name = "DIR", env = "GRADE_CACHE_DIR")]
        cache_dir: Option<PathBuf>,
        /// The cache's cap, e.g. 500M or 2G [default: 1G].
        #[arg(long, value_name = "SIZE", env = "GRADE_CACHE_MAX", value_parser = parse_size)]
        cache_max: Option<u64>,
    },
    /// Where the cache is, how much it holds of each kind, and its cap. Above the cap, every grade
    /// prunes the least recently used builds, observations and working folders (never what a
    /// running grade uses); `grade cache clean` empties it.
    Cache {
        #[command(subcommand)]
        action: Option<CacheAction>,
        /// The cache folder [default: $XDG_CACHE_HOME/grade or ~/.cache/grade].
        #[arg(long, value_name = "DIR", env = "GRADE_CACHE_DIR", global = true)]
        cache_dir: Option<PathBuf>,
        /// The cache's cap, e.g. 500M or 2G [default: 1G].
        #[arg(
            long,
            value_name = "SIZE",
            env = "GRADE_CACHE_MAX",
            value_parser = parse_size,
            global = true
        )]
        cache_max: Option<u64>,
    },
}

#[derive(Subcommand)]
enum CacheAction {
    /// Removes everything in the cache that no running grade uses (the next grade builds the
    /// dependencies again).
    Clean,
}

#[derive(Args)]
struct GradeArgs {
    /// The exercise folder (holding exercise.toml), e.g. exercises/backprop or exercises/forward.
    #[arg(required = true)]
    exercise: Option<PathBuf>,

    /// Grade this submission instead of the one inside the exercise folder: a .rs file, or a folder
    /// laid out like the exercise (e.g. src/backprop.rs). Everything else comes from EXERCISE.
    #[arg(long, short, value_name = "PATH")]
    submission: Option<PathBuf>,

    /// The report's format: on stdout, or in the --output file.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Write the report in --format to FILE; the human report still goes to stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Also write the report in FORMAT to PATH, e.g. --report junit=report.xml --report
    /// markdown=summary.md --report json=grade.json: one grade, several reports. Repeatable.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = app::parse_target)]
    report: Vec<app::ReportTarget>,

    /// Exit 0 when the score reaches S, even if some checks did not pass (a CI gate). A submission
    /// that could not be graded still exits 2.
    #[arg(long, value_name = "S", value_parser = parse_score)]
    min_score: Option<f64>,

    /// Re-grade each time the submission is saved, showing the change in score; `q` then Enter
    /// (or Ctrl-C) quits.
    #[arg(long, short, conflicts_with_all = ["format", "output", "report", "min_score"])]
    watch: bool,

    /// Derive every scenario's seed from N instead of the shipped seeds (needs the reference
    /// source).
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

    /// The cache's cap, e.g. 500M or 2G: above it, the least recently used builds, observations
    /// and working folders are pruned after each grade [default: 1G].
    #[arg(long, value_name = "SIZE", env = "GRADE_CACHE_MAX", value_parser = parse_size)]
    cache_max: Option<u64>,

    /// Compiles and probe runs at once [default: the number of cores].
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,

    /// Also say on stderr how probe runs and compiles were isolated, what this machine would not
    /// let the sandbox do, and what the cache found damaged and made again.
    #[arg(long, short)]
    verbose: bool,
}

/// The arguments; with `--version`, which also names the compiler builds are made with (asked of
/// the toolchain only then: it takes tens of milliseconds).
fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let asks_version = std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V");
    let mut command = i18n::localize_help(Cli::command());
    if asks_version {
        command = command.version(grade::doctor::version());
    }
    let matches = command.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// `N` (seeds 1 to N), `A..=B` or `A..B`: a non-empty range of at most a million seeds.
fn parse_seeds(text: &str) -> Result<std::ops::RangeInclusive<u64>, String> {
    let bad = || format!("`{text}` is not a number of seeds (N) or a range of seeds (A..=B, A..B)");
    let number = |t: &str| t.trim().parse::<u64>().map_err(|_| bad());
    let range = if let Some((a, b)) = text.split_once("..=") {
        number(a)?..=number(b)?
    } else if let Some((a, b)) = text.split_once("..") {
        number(a)?..=number(b)?.checked_sub(1).ok_or_else(bad)?
    } else {
        1..=number(text)?
    };
    if range.is_empty() || range.end() - range.start() >= 1_000_000 {
        return Err(format!("`{text}`: give between 1 and a million seeds"));
    }
    Ok(range)
}

fn parse_size(text: &str) -> Result<u64, String> {
    grade::cache::parse_size(text)
}

fn parse_score(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(score) if score.is_finite() && score >= 0.0 => Ok(score),
        _ => Err(format!("`{text}` is not a score (a number ≥ 0)")),
    }
}

impl From<CommonArgs> for Common {
    fn from(args: CommonArgs) -> Common {
        Common {
            cache_dir: args.cache_dir,
            cache_max: args.cache_max,
            jobs: args.jobs.unwrap_or_else(grade::parallel::cores),
            verbose: args.verbose,
        }
    }
}

/// The language asked for before clap parses (so that `--help` is in it): `--lang X` or
/// `--lang=X` on the command line, else the environment.
fn language() -> Result<Lang, String> {
    let args: Vec<String> = std::env::args().collect();
    let asked = args
        .iter()
        .enumerate()
        .find_map(|(i, arg)| match arg.as_str() {
            "--" => Some(None),
            "--lang" => Some(args.get(i + 1).cloned()),
            _ => arg.strip_prefix("--lang=").map(|v| Some(v.to_string())),
        });
    match asked.flatten() {
        // A bad value is clap's to refuse, with the valid ones listed.
        Some(code) => Ok(Lang::from_code(&code).unwrap_or(Lang::En)),
        None => i18n::from_env(|name| std::env::var(name).ok())
            .map_err(|bad| i18n::tr_in(Lang::En, "error-grade-lang", &[("value", bad.0.into())])),
    }
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    if let Err(message) = language().map(i18n::set) {
        eprintln!("{message}");
        return ExitCode::from(app::EXIT_ERROR);
    }
    let cli = parse();
    if let Some(lang) = cli.lang {
        i18n::set(lang);
    }
    let result = match cli.command {
        Some(Command::Validate {
            exercise,
            seed,
            seeds,
            common,
        }) => app::validate(&exercise, seed, seeds, common.into()),
        Some(Command::Bless { exercise, common }) => app::bless(&exercise, common.into()),
        Some(Command::New {
            folder,
            name,
            common,
        }) => app::new(&folder, name.as_deref(), common.into()),
        Some(Command::Doctor {
            cache_dir,
            cache_max,
        }) => grade::doctor::run(cache_dir.as_deref(), cache_max),
        Some(Command::Cache {
            action,
            cache_dir,
            cache_max,
        }) => match action {
            None => app::cache(cache_dir.as_deref(), cache_max),
            Some(CacheAction::Clean) => app::cache_clean(cache_dir.as_deref()),
        },
        Some(Command::Batch {
            exercise,
            submissions,
            out,
            seed,
            jobs_per_submission,
            no_bundle,
            shard,
            common,
        }) => grade::batch::run(BatchRequest {
            exercise,
            submissions,
            out,
            seed,
            jobs_per_submission,
            bundle: !no_bundle,
            shard,
            common: common.into(),
        }),
        Some(Command::Merge { shards, out }) => grade::merge::run(MergeRequest { shards, out }),
        None if cli.grade.watch => {
            let args = cli.grade;
            grade::watch::run(WatchRequest {
                exercise: args.exercise.expect("clap requires it"),
                submission: args.submission,
                seed: args.seed,
                common: args.common.into(),
            })
        }
        None => {
            let args = cli.grade;
            app::grade(GradeRequest {
                exercise: args.exercise.expect("clap requires it"),
                submission: args.submission,
                format: args.format,
                output: args.output,
                reports: args.report,
                min_score: args.min_score,
                seed: args.seed,
                common: args.common.into(),
            })
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!(
                "{}",
                i18n::tr("error-prefix", &[("error", error.to_string().into())])
            );
            ExitCode::from(app::EXIT_ERROR)
        }
    }
}
