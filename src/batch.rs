//! `grade batch`: grades a whole class. Every entry of the submissions folder (a `.rs` file, or a
//! folder laid out like the exercise) is graded by one shared `Grader` — the built dependencies
//! and the reference's observations are made once — in chunks of a few submissions whose builds
//! are compiled as one bundle (see `bundle`), a chunk per core, into `grades.csv`, each
//! submission's own reports, the class report (`report.html`, `summary.md`) and `results.json`
//! (what `grade merge` combines when the folder was split with `--shard`). A submission that
//! hangs, crashes or does not compile is graded like any other (its checks say why); one that
//! cannot be graded at all costs only its own row.

use crate::app::{self, Announcer, Common, EXIT_ERROR, EXIT_PASSED};
use crate::bundle;
use crate::class::{self, Outcome, Results, Submission};
use crate::error::{Error, IoContext, Result};
use crate::grader::{Grader, Origin};
use crate::report::{self, class_html, class_markdown, grades_csv};
use crate::score::Report;
use crate::shard::ShardSpec;
use crate::stage::Source;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// `grade batch <EXERCISE_DIR> <SUBMISSIONS_DIR>`.
pub struct BatchRequest {
    /// The trusted exercise folder.
    pub exercise: PathBuf,
    /// One entry per submission.
    pub submissions: PathBuf,
    /// Where `grades.csv` and the reports go; see [`default_out`] when absent.
    pub out: Option<PathBuf>,
    /// Derive every scenario's seed from this (`--seed`).
    pub seed: Option<u64>,
    /// Compiles and probe runs one chunk of submissions starts at once; `common.jobs` divided by
    /// this many chunks are graded at once.
    pub jobs_per_submission: usize,
    /// Compile a chunk's builds as one bundle; else each submission alone, in chunks of one.
    pub bundle: bool,
    /// Grade only this share of the folder (`--shard`).
    pub shard: Option<ShardSpec>,
    pub common: Common,
}

/// One entry of the submissions folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// How the gradebook names it: the file name without `.rs`, or the folder's name.
    pub name: String,
    pub path: PathBuf,
    /// The bytes of its files, which shards are balanced by.
    pub bytes: u64,
}

/// What became of one entry.
pub struct Graded {
    pub entry: Entry,
    /// The report, or why there is none.
    pub result: Result<Report>,
}

/// Grades every submission, writes the gradebook and the reports, and prints a summary; exit 0
/// when every submission was graded (whatever its score), 2 otherwise.
pub fn run(request: BatchRequest) -> Result<u8> {
    let started = Instant::now();
    let shard = match &request.shard {
        Some(spec) => Some(spec.resolve(&|name| std::env::var(name).ok())?),
        None => None,
    };
    let (all, out) = gather(&request, shard)?;
    let folder = folder_of(&all);
    let entries = share(all, shard);
    if let Some(shard) = shard {
        let line = crate::tr!(
            "batch-shard",
            k = (shard.index + 1).to_string(),
            n = shard.count.to_string(),
            count = entries.len(),
            total = folder.entries.to_string()
        );
        eprintln!("grade: {line}");
    }
    let jobs = Jobs::of(&request);
    let bar = progress_bar(entries.len() as u64);
    let grader = warm_grader(&request, jobs, &bar)?;
    let graded = grade_all(&request, &grader, &entries, jobs.at_once, &bar);
    bar.finish_and_clear();
    let results = results(&grader, request.seed, folder, shard, graded)?;
    write_outputs(&out, &results)?;
    app::print(&summary(&results, &out, started.elapsed()));
    Ok(
        if results.submissions.iter().all(|s| s.report().is_some()) {
            EXIT_PASSED
        } else {
            EXIT_ERROR
        },
    )
}

/// The whole folder as every shard sees it: its count and a fingerprint of names and sizes.
fn folder_of(entries: &[Entry]) -> class::Folder {
    let mut key = crate::cache::Key::new("grade-folder");
    for entry in entries {
        key.add(entry.name.as_bytes())
            .add(&entry.bytes.to_le_bytes());
    }
    class::Folder {
        entries: entries.len(),
        fingerprint: key.finish(),
    }
}

/// The entries this shard grades; all of them without one.
fn share(entries: Vec<Entry>, shard: Option<class::Shard>) -> Vec<Entry> {
    let Some(shard) = shard else {
        return entries;
    };
    let weights: Vec<(&str, u64)> = entries.iter().map(|e| (e.name.as_str(), e.bytes)).collect();
    let assigned = crate::shard::assign(&weights, shard.count);
    entries
        .into_iter()
        .zip(assigned)
        .filter(|(_, s)| *s == shard.index)
        .map(|(e, _)| e)
        .collect()
}

/// What the batch found, with what the class report needs to name checks and mistakes.
fn results(
    grader: &Grader,
    seed: Option<u64>,
    folder: class::Folder,
    shard: Option<class::Shard>,
    graded: Vec<Graded>,
) -> Result<Results> {
    let known = grader.known(Origin::Expected)?;
    let spec = &grader.spec;
    Ok(Results {
        version: class::RESULTS_VERSION,
        exercise: spec.name.clone(),
        title: spec.title.get().to_string(),
        seed,
        checks: spec
            .checks
            .iter()
            .map(|c| class::CheckInfo {
                id: c.id.clone(),
                title: c.title.get().to_string(),
                points: c.points,
            })
            .collect(),
        mistakes: known
            .mistakes
            .iter()
            .map(|m| class::MistakeInfo {
                id: m.id.clone(),
                title: m.title.get().to_string(),
                hint: m.hint.get().to_string(),
            })
            .collect(),
        folder,
        shard,
        submissions: graded
            .into_iter()
            .map(|g| Submission {
                name: g.entry.name,
                bytes: g.entry.bytes,
                outcome: match g.result {
                    Ok(report) => Outcome::Graded(Box::new(report)),
                    Err(error) => Outcome::NotGraded(error.to_string()),
                },
            })
            .collect(),
    })
}

/// The submissions to grade, and the folder (made) where their grades go: by default, a shard's
/// in a folder of its own (`grades/shard-K`), so that shards sharing a disk do not write over
/// each other.
fn gather(request: &BatchRequest, shard: Option<class::Shard>) -> Result<(Vec<Entry>, PathBuf)> {
    if !request.submissions.is_dir() {
        return Err(Error::Usage(crate::tr!(
            "batch-no-folder",
            path = request.submissions.display().to_string()
        )));
    }
    let out = match (request.out.clone(), shard) {
        (Some(out), _) => out,
        (None, None) => default_out(&request.submissions)?,
        (None, Some(shard)) => {
            default_out(&request.submissions)?.join(format!("shard-{}", shard.index + 1))
        }
    };
    let entries = entries(&request.submissions, &out)?;
    if entries.is_empty() {
        return Err(Error::Usage(crate::tr!(
            "batch-empty",
            path = request.submissions.display().to_string()
        )));
    }
    std::fs::create_dir_all(&out).at(|| format!("creating {}", out.display()))?;
    Ok((entries, out))
}

/// How the jobs are shared out.
#[derive(Clone, Copy)]
struct Jobs {
    /// Compiles and probe runs at once, in all.
    total: usize,
    /// Those one chunk of submissions starts.
    per_submission: usize,
    /// Chunks graded at once.
    at_once: usize,
}

impl Jobs {
    fn of(request: &BatchRequest) -> Jobs {
        let total = request.common.jobs.max(1);
        let per_submission = request.jobs_per_submission.clamp(1, total);
        Jobs {
            total,
            per_submission,
            at_once: (total / per_submission).max(1),
        }
    }
}

/// The grader that grades, with each chunk's share of the jobs. The reference's observations
/// (and on a cold cache, its builds) are made first, once, with every job, before submissions
/// start; the grader that grades, made with the smaller share, then finds all of that in the
/// cache.
fn warm_grader(request: &BatchRequest, jobs: Jobs, bar: &ProgressBar) -> Result<Grader> {
    let announcer = Announcer::Above(bar.clone());
    let grader = |jobs| {
        app::announced_grader(
            &request.exercise,
            request.seed,
            &request.common,
            jobs,
            &announcer,
        )
    };
    let warm = grader(jobs.total)?;
    warm.known(Origin::Expected)?;
    if jobs.per_submission == jobs.total {
        return Ok(warm);
    }
    drop(warm);
    let grader = grader(jobs.per_submission)?;
    grader.known(Origin::Expected)?;
    Ok(grader)
}

/// Grades every entry, `at_once` chunks at a time, each chunk's builds compiled as one bundle
/// when the request says so; `bar` follows.
fn grade_all(
    request: &BatchRequest,
    grader: &Grader,
    entries: &[Entry],
    at_once: usize,
    bar: &ProgressBar,
) -> Vec<Graded> {
    let builds_each = grader.spec.build_ids().len().max(1);
    let chunk = if request.bundle {
        chunk_size(entries.len(), at_once, builds_each)
    } else {
        1
    };
    bar.reset_elapsed();
    bar.set_message(if chunk > 1 {
        crate::tr!(
            "batch-bundles",
            chunk = chunk,
            at_once = at_once.to_string()
        )
    } else {
        crate::tr!("batch-at-once", at_once = at_once.to_string())
    });
    let done = AtomicUsize::new(0);
    let chunks: Vec<&[Entry]> = entries.chunks(chunk).collect();
    crate::parallel::map(&chunks, at_once, |chunk_entries| {
        // The cache is kept under its cap as the batch goes: room is made before a chunk's
        // compiles (whose objects and incremental state pass through it) and after, when its
        // builds are in it.
        grader.prune_cache();
        let graded = if request.bundle {
            grade_chunk(grader, chunk_entries, chunk * builds_each)
        } else {
            grade_each(grader, chunk_entries)
        };
        grader.prune_cache();
        for g in &graded {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            tell(bar, n, entries.len(), g);
        }
        graded
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Says what became of the `n`th of `total` entries: on the bar, or as a line of its own when
/// the bar is hidden (a CI log keeps it).
fn tell(bar: &ProgressBar, n: usize, total: usize, g: &Graded) {
    let line = match &g.result {
        Ok(r) => format!("{}: {}/{}", g.entry.name, r.score, r.max_score),
        Err(e) => crate::tr!(
            "batch-not-graded",
            name = &g.entry.name,
            error = first_line(e)
        ),
    };
    if bar.is_hidden() {
        eprintln!("[{n}/{total}] {line}");
    } else {
        bar.set_message(line);
        bar.inc(1);
    }
}

/// How many submissions are graded together, their builds compiled as one bundle: enough to share
/// the compiler's fixed costs, few enough that every worker gets several chunks (for an even finish
/// and a moving progress bar) and that a bundle stays within [`bundle::MAX_UNITS`].
fn chunk_size(entries: usize, workers: usize, builds_each: usize) -> usize {
    let most = (bundle::MAX_UNITS / builds_each).max(1);
    entries.div_ceil(workers.max(1) * 3).clamp(1, most)
}

/// Grades a chunk of entries together (see [`Grader::grade_many`]). An entry that cannot be read,
/// or whose grading meets a fault of grade's own, costs its own row (its `error`); if the chunk as
/// a whole fails, its entries are graded one by one, so that whatever went wrong costs only the
/// rows it belongs to.
fn grade_chunk(grader: &Grader, chunk: &[Entry], bundle_units: usize) -> Vec<Graded> {
    let read: Vec<_> = chunk
        .iter()
        .map(|entry| Source::read(&grader.spec, &entry.path))
        .collect();
    let sources: Vec<&Source> = read.iter().filter_map(|r| r.as_ref().ok()).collect();
    let together = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        grader.grade_many(&sources, bundle_units)
    }));
    let Ok(Ok(reports)) = together else {
        return grade_each(grader, chunk);
    };
    let mut reports = reports.into_iter();
    chunk
        .iter()
        .zip(read)
        .map(|(entry, source)| {
            let result = match source {
                Ok(_) => match reports.next().expect("one report per source") {
                    Ok(mut report) => {
                        // The gradebook names submissions by entry; the report says which.
                        report.submission = entry.name.clone();
                        Ok(report)
                    }
                    Err(error) => Err(error),
                },
                Err(error) => Err(error),
            };
            Graded {
                entry: entry.clone(),
                result,
            }
        })
        .collect()
}

/// Grades entries one by one, each compiled alone.
fn grade_each(grader: &Grader, entries: &[Entry]) -> Vec<Graded> {
    entries
        .iter()
        .map(|entry| Graded {
            entry: entry.clone(),
            result: grade_one(grader, entry),
        })
        .collect()
}

/// Grades one entry; a panic in the grader is that entry's error, not the batch's end.
fn grade_one(grader: &Grader, entry: &Entry) -> Result<Report> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        grader.grade_path(&entry.path)
    }));
    match outcome {
        Ok(Ok(mut report)) => {
            // The gradebook names submissions by entry; the report says which.
            report.submission = entry.name.clone();
            Ok(report)
        }
        Ok(Err(error)) => Err(error),
        Err(panic) => Err(Error::Panicked {
            message: panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic")
                .to_string(),
        }),
    }
}

/// A bar with an ETA on a terminal; hidden otherwise (then each submission is one plain line on
/// stderr, which a CI log keeps).
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {pos}/{len} · ETA {eta} · {wide_msg}",
        )
        .expect("a valid template")
        .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// `grades` beside the submissions folder; `./grades` when it has no parent.
pub fn default_out(submissions: &Path) -> Result<PathBuf> {
    let absolute =
        std::path::absolute(submissions).at(|| format!("resolving {}", submissions.display()))?;
    let out = match absolute.parent() {
        Some(parent) => parent.join("grades"),
        None => PathBuf::from("grades"),
    };
    if out == absolute {
        return Err(Error::Usage(
            "the submissions folder is itself named `grades`: say where the grades go with --out"
                .into(),
        ));
    }
    Ok(out)
}

/// The submissions under `folder`, sorted by name: every `.rs` file and every folder, except
/// hidden ones, build output (`target`) and the output folder. Two entries with one name (`alice`
/// and `alice.rs`) keep their full file names, so that no report overwrites another.
pub fn entries(folder: &Path, out: &Path) -> Result<Vec<Entry>> {
    let reading = || format!("reading {}", folder.display());
    let out = std::path::absolute(out).ok();
    let mut found = Vec::new();
    for item in std::fs::read_dir(folder).at(reading)? {
        let item = item.at(reading)?;
        let path = item.path();
        let file_name = item.file_name().to_string_lossy().into_owned();
        if file_name.starts_with('.') || file_name == "target" {
            continue;
        }
        if out.is_some() && std::path::absolute(&path).ok() == out {
            continue;
        }
        if path.is_dir() {
            found.push((file_name.clone(), file_name, path));
        } else if let Some(stem) = file_name.strip_suffix(".rs") {
            found.push((stem.to_string(), file_name, path));
        }
    }
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for (name, _, _) in &found {
        *count.entry(name.clone()).or_default() += 1;
    }
    let mut entries: Vec<Entry> = found
        .into_iter()
        .map(|(name, file_name, path)| Entry {
            name: if count[&name] > 1 { file_name } else { name },
            bytes: bytes_under(&path, 0),
            path,
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// The bytes of the files at `path` (a file, or a folder's files but hidden ones and `target`),
/// not following links: what a shard's share is balanced by.
fn bytes_under(path: &Path, depth: usize) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    if !meta.is_dir() || depth > 8 {
        return 0;
    }
    let Ok(items) = std::fs::read_dir(path) else {
        return 0;
    };
    items
        .flatten()
        .filter(|i| {
            let name = i.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && name != "target"
        })
        .map(|i| bytes_under(&i.path(), depth + 1))
        .sum()
}

/// Everything a batch writes into `out`: each graded submission's reports
/// (`reports/<name>.json` and `.md`), `grades.csv`, `results.json`, and the class report
/// (`report.html`, `summary.md`). A submission that could not be graded has no report: an old one
/// of the same name is removed, so none is mistaken for this run's. `grade merge` writes the same.
pub(crate) fn write_outputs(out: &Path, results: &Results) -> Result<()> {
    for s in &results.submissions {
        for (extension, render) in [
            ("json", report::json::render as fn(&Report) -> String),
            ("md", report::markdown::render),
        ] {
            let path = out.join(class::report_path(&s.name, extension));
            match s.report() {
                Some(report) => app::write_file(&path, &render(report))?,
                None if path.exists() => {
                    std::fs::remove_file(&path).at(|| format!("removing {}", path.display()))?
                }
                None => {}
            }
        }
    }
    let checks: Vec<String> = results.checks.iter().map(|c| c.id.clone()).collect();
    let rows: Vec<grades_csv::Row> = results
        .submissions
        .iter()
        .map(|s| grades_csv::Row {
            name: &s.name,
            graded: match &s.outcome {
                Outcome::Graded(report) => Ok(report),
                Outcome::NotGraded(error) => Err(error),
            },
        })
        .collect();
    app::write_file(&out.join("grades.csv"), &grades_csv::render(&checks, &rows))?;
    let mut json = serde_json::to_string_pretty(results).expect("results always serialise");
    json.push('\n');
    app::write_file(&out.join("results.json"), &json)?;
    let summary = class::summarise(results);
    app::write_file(&out.join("report.html"), &class_html::render(&summary))?;
    app::write_file(&out.join("summary.md"), &class_markdown::render(&summary))
}

/// What the batch came to, for the terminal: counts, the mean, and every submission that could not
/// be graded with the reason.
pub(crate) fn summary(results: &Results, out: &Path, elapsed: Duration) -> String {
    let reports: Vec<&Report> = results
        .submissions
        .iter()
        .filter_map(|s| s.report())
        .collect();
    let mut text = crate::tr!(
        "batch-graded",
        graded = reports.len(),
        total = results.submissions.len(),
        seconds = format!("{:.1}", elapsed.as_secs_f64())
    );
    if let Some(first) = reports.first() {
        let mean = reports.iter().map(|r| f64::from(r.score)).sum::<f64>() / reports.len() as f64;
        let full = reports.iter().filter(|r| r.all_passed()).count();
        let broken = reports.iter().filter(|r| !r.build.ok).count();
        text.push_str(&crate::tr!(
            "batch-mean",
            mean = format!("{mean:.1}"),
            max = first.max_score,
            full = full,
            broken = broken
        ));
    }
    text.push('\n');
    for s in &results.submissions {
        if let Outcome::NotGraded(error) = &s.outcome {
            let line = crate::tr!(
                "batch-not-graded",
                name = &s.name,
                error = error.lines().next().unwrap_or_default()
            );
            text.push_str(&format!("{line}\n"));
        }
    }
    let wrote = crate::tr!(
        "batch-wrote",
        csv = out.join("grades.csv").display().to_string(),
        page = out.join("report.html").display().to_string(),
        count = reports.len(),
        reports = out.join("reports").display().to_string()
    );
    text.push_str(&format!("{wrote}\n"));
    text
}

/// The first line of what `error` says, for a line of a summary.
fn first_line(error: &Error) -> String {
    let text = error.to_string();
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_rs_files_and_folders_named_without_rs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in ["bob.rs", "alice.rs", "notes.txt", ".hidden.rs", "carol.rs"] {
            std::fs::write(root.join(file), "").unwrap();
        }
        for folder in ["carol", "dave", "target", ".git", "grades"] {
            std::fs::create_dir(root.join(folder)).unwrap();
        }
        let names: Vec<String> = entries(root, &root.join("grades"))
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["alice", "bob", "carol", "carol.rs", "dave"]);
    }

    #[test]
    fn the_default_output_is_beside_the_submissions() {
        let dir = tempfile::tempdir().unwrap();
        let subs = dir.path().join("subs");
        assert_eq!(default_out(&subs).unwrap(), dir.path().join("grades"));
        assert!(default_out(&dir.path().join("grades")).is_err());
    }
}
