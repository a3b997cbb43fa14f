//! What each command of the `grade` binary does, given its already-parsed arguments: build a
//! grader, run it, render the result, and say which exit code that deserves.

use crate::error::{Error, IoContext, Result};
use crate::grader::{Grader, Options, Origin};
use crate::known;
use crate::progress::Progress;
use crate::report;
use crate::score::Report;
use crate::validate;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use crate::report::{parse_target, Format, Target as ReportTarget};

/// Exit codes, as the README gives them: every check passed; graded with some check not
/// passing; not graded.
pub const EXIT_PASSED: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Options every command takes.
pub struct Common {
    /// Where builds and observations are cached; the default place when absent.
    pub cache_dir: Option<PathBuf>,
    /// The cache's cap in bytes; the default cap when absent.
    pub cache_max: Option<u64>,
    /// Compiles and probe runs at once.
    pub jobs: usize,
    /// Also say on stderr what this machine would not let the sandbox do.
    pub verbose: bool,
}

/// `grade <EXERCISE_DIR>`.
pub struct GradeRequest {
    pub exercise: PathBuf,
    /// The submission; the exercise folder's own files when absent.
    pub submission: Option<PathBuf>,
    /// The format of the report on stdout, or in `output` when that is given.
    pub format: Format,
    /// Write the report in `format` to this file, and the human report to stdout.
    pub output: Option<PathBuf>,
    /// More reports to write, each in its format (`--report FORMAT=PATH`).
    pub reports: Vec<report::Target>,
    /// Exit 0 when the score reaches this, even if some checks did not pass.
    pub min_score: Option<f64>,
    /// Derive every scenario's seed from this (`--seed`).
    pub seed: Option<u64>,
    pub common: Common,
}

/// Grades one submission and prints the report on stdout (and writes it to `output`); returns the
/// exit code.
pub fn grade(request: GradeRequest) -> Result<u8> {
    let verbose = request.common.verbose;
    let targets = targets(&request)?;
    let (grader, announcer) = grader(&request.exercise, request.seed, request.common)?;
    let submission = request
        .submission
        .unwrap_or_else(|| request.exercise.clone());
    let report = grader.grade_path(&submission);
    announcer.done();
    let report = report.inspect_err(|_| say_notes(verbose, &grader))?;
    // Files are for machines (or a page): never colored, and not read on this terminal (the
    // width of a terminal that is not one).
    for target in &targets {
        let text = report::render(&report, target.format, false, DEFAULT_WIDTH);
        write_file(&target.path, &text)?;
    }
    match &request.output {
        Some(_) => print(&report::human::render(&report, use_color(), width())),
        None => print(&report::render(
            &report,
            request.format,
            use_color(),
            width(),
        )),
    }
    // After the report: the student does not wait for it.
    grader.prune_cache();
    say_notes(verbose, &grader);
    Ok(exit_code_with(&report, request.min_score))
}

/// The files to write: `--output` in `--format`, then each `--report`; two to one file is a
/// mistake said before grading.
fn targets(request: &GradeRequest) -> Result<Vec<report::Target>> {
    let mut targets: Vec<report::Target> = request
        .output
        .iter()
        .map(|path| report::Target {
            format: request.format,
            path: path.clone(),
        })
        .collect();
    for target in &request.reports {
        let same = |t: &report::Target| {
            t.path == target.path
                || std::path::absolute(&t.path).ok() == std::path::absolute(&target.path).ok()
        };
        if targets.iter().any(same) {
            return Err(Error::Usage(format!(
                "{} is given for two reports (--output and --report, or two --report): give each \
                 its own file",
                target.path.display()
            )));
        }
        targets.push(target.clone());
    }
    Ok(targets)
}

/// `grade validate`: prints the table; exit 0 only when everything holds. With `sweep`, also
/// grades the reference and every known mistake under each of those seeds and prints that table.
pub fn validate(
    exercise: &Path,
    seed: Option<u64>,
    sweep: Option<std::ops::RangeInclusive<u64>>,
    common: Common,
) -> Result<u8> {
    let verbose = common.verbose;
    let (grader, announcer) = grader(exercise, seed, common)?;
    if sweep.is_some() && grader.spec.reference.is_none() {
        announcer.done();
        return Err(Error::Usage(crate::tr!(
            "error-no-reference-seeds",
            exercise = exercise.display().to_string()
        )));
    }
    let validation = validate::validate(&grader);
    announcer.done();
    let validation = validation.inspect_err(|_| say_notes(verbose, &grader))?;
    print(&report::validation::render(&validation, use_color()));
    let mut passed = validation.passed();
    if let Some(range) = sweep {
        let seeds: Vec<u64> = range.collect();
        let started = std::time::Instant::now();
        let say = |done: usize, seed: u64| {
            let eta = match done {
                0 => String::new(),
                _ => {
                    let left =
                        started.elapsed().as_secs_f64() / done as f64 * (seeds.len() - done) as f64;
                    crate::tr!("progress-sweep-left", seconds = format!("{left:.0}"))
                }
            };
            announcer.say(Progress::Begin(&crate::tr!(
                "progress-sweep",
                seed = seed.to_string(),
                n = done + 1,
                total = seeds.len(),
                eta = eta
            )));
        };
        let result = validate::sweep(&grader, &validation, &seeds, &say);
        announcer.done();
        let result = result?;
        print(&report::validation::render_sweep(&result, use_color()));
        passed &= result.passed();
    }
    grader.prune_cache();
    say_notes(verbose, &grader);
    Ok(if passed { EXIT_PASSED } else { EXIT_FAILED })
}

/// `grade bless`: writes `expected.json` from the sources.
pub fn bless(exercise: &Path, common: Common) -> Result<u8> {
    let verbose = common.verbose;
    let (grader, announcer) = grader(exercise, None, common)?;
    if grader.spec.reference.is_none() {
        return Err(Error::Usage(crate::tr!(
            "error-no-reference-bless",
            exercise = exercise.display().to_string()
        )));
    }
    let known = grader.known(Origin::Sources);
    announcer.done();
    let known = known.inspect_err(|_| say_notes(verbose, &grader))?;
    grader.prune_cache();
    say_notes(verbose, &grader);
    known::write_expected(&grader.spec.expected, &known)?;
    let wrote = crate::tr!(
        "bless-wrote",
        path = grader.spec.expected.display().to_string(),
        mistakes = known.mistakes.len(),
        scenarios = known.reference.len()
    );
    print(&format!("{wrote}\n"));
    Ok(EXIT_PASSED)
}

/// `grade new`: scaffolds an exercise, then blesses it (its `expected.json`), so that `grade
/// validate` passes on it at once. The files stay when blessing fails (no toolchain, say), and
/// the error says so.
pub fn new(folder: &Path, name: Option<&str>, common: Common) -> Result<u8> {
    let made = crate::scaffold::create(folder, name)?;
    let mut listing = crate::tr!("new-created", name = &made.name);
    listing.push('\n');
    for file in &made.files {
        listing.push_str(&format!("  {}\n", file.display()));
    }
    print(&listing);
    bless(folder, common)?;
    let next = crate::tr!(
        "new-next",
        exercise = made.exercise.display().to_string(),
        solutions = made.solutions.display().to_string()
    );
    print(&format!("{next}\n"));
    Ok(EXIT_PASSED)
}

/// A grader whose slow steps (the dependencies, the reference) are announced: on a terminal as a
/// live line that disappears when done, in a log as one line per step.
pub(crate) fn grader(
    exercise: &Path,
    seed: Option<u64>,
    common: Common,
) -> Result<(Grader, Announcer)> {
    let announcer = Announcer::default();
    let grader = announced_grader(exercise, seed, &common, common.jobs, &announcer);
    if grader.is_err() {
        announcer.done();
    }
    Ok((grader?, announcer))
}

/// The one place a [`Grader`] is made for a command: with `jobs` compiles and probe runs at once,
/// its slow steps told to `announcer`.
pub(crate) fn announced_grader(
    exercise: &Path,
    seed: Option<u64>,
    common: &Common,
    jobs: usize,
    announcer: &Announcer,
) -> Result<Grader> {
    let announcer = announcer.clone();
    Grader::new(Options {
        exercise: exercise.to_path_buf(),
        seed,
        cache_dir: common.cache_dir.clone(),
        cache_max: common.cache_max,
        jobs,
        progress: Box::new(move |progress| announcer.say(progress)),
    })
}

/// Says what the grader is doing that takes seconds: as `grade: {step}…` on stderr in a log, and
/// on a terminal in a live line.
#[derive(Clone)]
pub(crate) enum Announcer {
    /// A line of its own, made at the first announcement on a terminal: each step replaces its
    /// message.
    Line(Arc<OnceLock<ProgressBar>>),
    /// A progress bar that shows something else (a batch's): steps are printed above it, so its
    /// message stays the batch's, and only details replace that message.
    Above(ProgressBar),
}

impl Default for Announcer {
    fn default() -> Announcer {
        Announcer::Line(Arc::default())
    }
}

impl Announcer {
    fn say(&self, progress: Progress) {
        match (self, progress) {
            (Announcer::Line(_), Progress::Begin(message)) if self.interactive() => {
                self.line().set_message(format!("{message}…"))
            }
            (Announcer::Above(bar), Progress::Begin(message)) if self.interactive() => {
                bar.println(format!("grade: {message}…"))
            }
            (_, Progress::Begin(message)) => eprintln!("grade: {message}…"),
            (_, Progress::Step(detail)) if self.interactive() => {
                self.line().set_message(detail.to_string())
            }
            (_, Progress::Step(_)) => {}
        }
    }

    /// Whether there is a live line to show steps in: stderr is a terminal.
    fn interactive(&self) -> bool {
        match self {
            Announcer::Line(_) => std::io::stderr().is_terminal(),
            Announcer::Above(bar) => !bar.is_hidden(),
        }
    }

    fn line(&self) -> &ProgressBar {
        match self {
            Announcer::Line(line) => line.get_or_init(|| {
                let line = ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template("{spinner} grade: {wide_msg} {elapsed:>3}")
                        .expect("a valid template"),
                );
                line.enable_steady_tick(Duration::from_millis(120));
                line
            }),
            Announcer::Above(bar) => bar,
        }
    }

    /// Clears the live line before the report is printed.
    pub(crate) fn done(&self) {
        match self {
            Announcer::Line(line) => {
                if let Some(line) = line.get() {
                    line.finish_and_clear();
                }
            }
            Announcer::Above(bar) => bar.finish_and_clear(),
        }
    }
}

/// With `--verbose`, on stderr: what the sandbox could not do on this machine (known once a
/// probe has run and a build compiled), and what the cache found damaged and made again since
/// the last call.
pub(crate) fn say_notes(verbose: bool, grader: &Grader) {
    let cache = grader.cache().take_notes();
    if verbose {
        let isolation = crate::doctor::isolation_lines();
        for line in isolation {
            eprintln!("grade: {line}");
        }
        for note in crate::sandbox::notes().into_iter().chain(cache) {
            eprintln!("grade: note: {note}");
        }
    }
}

/// `grade cache`: where the cache is, its size by kind, and its cap.
pub fn cache(cache_dir: Option<&Path>, cache_max: Option<u64>) -> Result<u8> {
    use crate::cache::{human, Kind};
    let cache = crate::cache::Cache::locate(cache_dir, cache_max)?;
    let size = cache.size();
    let mut text = crate::tr!(
        "cache-summary",
        path = cache.root.display().to_string(),
        size = human(size.total),
        max = human(cache.max)
    );
    text.push('\n');
    for kind in Kind::ALL {
        let bytes = size.by_kind.get(&kind).copied().unwrap_or(0);
        if kind == Kind::Other && bytes == 0 {
            continue;
        }
        text.push_str(&format!("  {:>10}  {}\n", human(bytes), kind.describe()));
    }
    if let Some(free) = cache.free_space() {
        let free = crate::tr!("cache-free", free = human(free));
        text.push_str(&format!("{free}\n"));
    }
    print(&text);
    Ok(EXIT_PASSED)
}

/// `grade cache clean`: removes everything no running grade uses.
pub fn cache_clean(cache_dir: Option<&Path>) -> Result<u8> {
    let cache = crate::cache::Cache::locate(cache_dir, None)?;
    let cleaned = cache.clean();
    let mut text = crate::tr!(
        "cache-removed",
        count = cleaned.removed,
        freed = crate::cache::human(cleaned.freed),
        path = cache.root.display().to_string()
    );
    text.push('\n');
    if cleaned.in_use > 0 {
        let left = crate::tr!(
            "cache-left",
            count = cleaned.in_use,
            size = crate::cache::human(cleaned.size)
        );
        text.push_str(&format!("{left}\n"));
    }
    print(&text);
    Ok(EXIT_PASSED)
}

/// 0 when every check passed, 1 otherwise.
pub fn exit_code(report: &Report) -> u8 {
    if report.all_passed() {
        EXIT_PASSED
    } else {
        EXIT_FAILED
    }
}

/// 0 when every check passed or the score reaches `min_score`, 1 otherwise. A CI gate asks for a
/// score, not perfection; a submission that could not be graded never gets here (exit 2).
pub fn exit_code_with(report: &Report, min_score: Option<f64>) -> u8 {
    match min_score {
        Some(min) if f64::from(report.score) >= min => EXIT_PASSED,
        _ => exit_code(report),
    }
}

/// Writes a report to `path`, making its folder (e.g. `/autograder/results`) when needed.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).at(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, text).at(|| format!("writing {}", path.display()))
}

pub(crate) fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`grade … | head`) is not worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// The width a report is wrapped to when stdout is not a terminal.
pub const DEFAULT_WIDTH: usize = 80;

/// The width of the terminal stdout is, or [`DEFAULT_WIDTH`] when it is not one.
pub fn width() -> usize {
    match terminal_size::terminal_size_of(std::io::stdout()) {
        Some((terminal_size::Width(w), _)) if w > 0 => usize::from(w),
        _ => DEFAULT_WIDTH,
    }
}

/// Colors on a terminal, unless `NO_COLOR` is set to anything non-empty.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
