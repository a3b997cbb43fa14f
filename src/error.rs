//! Every way `grade` can fail to produce a grade, in one typed enum. Each is exit code 2, and each
//! message says what to do next. A submission that misbehaves is not an error: it is graded. What
//! happens to grade itself (a full disk, a compiler that crashes, a damaged cache) is one of these,
//! never a grade, and is never cached.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", crate::tr!("error-missing-exercise", path = path.display().to_string()))]
    MissingExercise { path: PathBuf },

    #[error("{}:{line}:{column}: {message}", path.display())]
    Spec {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}", crate::tr!("error-at-path", path = path.display().to_string(), message = message))]
    SpecFile { path: PathBuf, message: String },

    #[error("{}", crate::tr!("error-at-path", path = path.display().to_string(), message = message))]
    Submission { path: PathBuf, message: String },

    #[error("{}: {source}", path.display())]
    SubmissionUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}", crate::tr!("error-toolchain", program = program, message = message))]
    Toolchain { program: String, message: String },

    /// The toolchain's program could not be started at all.
    #[error(
        "{}",
        crate::tr!("error-toolchain", program = program, message = source.to_string())
    )]
    ToolchainUnavailable {
        program: String,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "building the exercise's dependencies failed{}:\n{log}",
        if *.offline { " (is crates.io reachable?)" } else { "" }
    )]
    Dependencies { log: String, offline: bool },

    #[error("{}", crate::tr!("error-reference", what = what, message = message))]
    Reference { what: String, message: String },

    #[error("{}", crate::tr!("error-probe", message = message))]
    Probe { message: String },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot watch the submission for changes: {0}")]
    Watch(#[source] notify::Error),

    /// The file system under `path` is full (or the user's quota is used up).
    #[error(
        "{}",
        crate::tr!(
            "error-no-space",
            path = path.display().to_string(),
            free = free.as_ref().map(|f| crate::tr!("error-free", free = f)).unwrap_or_default(),
            context = context
        )
    )]
    NoSpace {
        path: PathBuf,
        /// What is free, in words, when it can be known.
        free: Option<String>,
        /// What grade was doing.
        context: String,
    },

    /// The compiler or its linker failed for a reason that is not the submission's.
    #[error(transparent)]
    Compiler(#[from] CompilerFault),

    /// A cache entry was damaged while this grade used it (it was verified before).
    #[error("{}", crate::tr!("error-damaged-cache", what = what))]
    DamagedCache { what: String },

    /// grade itself panicked grading one submission of a batch: that submission's row, not the
    /// batch's end.
    #[error("the grader failed on this submission: {message}")]
    Panicked { message: String },

    /// `--shard` could not say which shard this is.
    #[error("{}", crate::tr!("error-shard", spec = spec, message = message))]
    Shard { spec: String, message: String },

    /// `grade merge` refused its shards.
    #[error(transparent)]
    Merge(#[from] MergeError),

    #[error("{0}")]
    Usage(String),

    /// `grade new` was pointed at a folder that already holds something.
    #[error("{}", crate::tr!("new-not-empty", path = path.display().to_string()))]
    NotEmpty { path: PathBuf },

    /// `grade new` cannot name an exercise after this.
    #[error("{}", crate::tr!("new-bad-name", name = name, why = why))]
    BadName { name: String, why: String },
}

/// Why `grade merge` refuses to combine shards: merging them would lose or double a grade.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A folder given has no `results.json`, or one `grade` cannot read.
    #[error(
        "{}",
        crate::tr!("merge-unreadable", path = path.display().to_string(), message = message)
    )]
    Unreadable { path: PathBuf, message: String },
    /// A results file of a whole batch, not of a shard.
    #[error("{}", crate::tr!("merge-not-a-shard", path = path.display().to_string()))]
    NotAShard { path: PathBuf },
    /// Two results files disagree on what they graded.
    #[error(
        "{}",
        crate::tr!(
            "merge-mismatch",
            first = first.display().to_string(),
            second = second.display().to_string(),
            what = what
        )
    )]
    Mismatch {
        first: PathBuf,
        second: PathBuf,
        what: String,
    },
    /// One shard given twice.
    #[error(
        "{}",
        crate::tr!(
            "merge-duplicate",
            shard = shard.to_string(),
            first = first.display().to_string(),
            second = second.display().to_string()
        )
    )]
    DuplicateShard {
        shard: usize,
        first: PathBuf,
        second: PathBuf,
    },
    /// A submission graded by two shards.
    #[error(
        "{}",
        crate::tr!(
            "merge-overlap",
            name = format!("{name:?}"),
            first = first.to_string(),
            second = second.to_string()
        )
    )]
    Overlap {
        name: String,
        first: usize,
        second: usize,
    },
    /// Shards of the split that were not given.
    #[error(
        "{}",
        crate::tr!(
            "merge-missing",
            count = missing.len(),
            list = list(missing),
            total = count.to_string()
        )
    )]
    Missing { missing: Vec<usize>, count: usize },
    /// The shards together hold fewer submissions than the folder they split.
    #[error(
        "{}",
        crate::tr!(
            "merge-incomplete",
            merged = merged.to_string(),
            expected = expected.to_string()
        )
    )]
    Incomplete { merged: usize, expected: usize },
}

/// Shard numbers (from 1) as "1, 3 and 4" ("1, 3 et 4").
fn list(shards: &[usize]) -> String {
    let names: Vec<String> = shards.iter().map(|s| s.to_string()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {} {last}", rest.join(", "), crate::tr!("merge-and"))
        }
        _ => names.join(""),
    }
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// This error, said as "no space under the cache at `root`" when it is an I/O error of a full
    /// disk or quota.
    pub fn in_cache(self, root: &std::path::Path) -> Error {
        match self {
            Error::Io { context, source } if crate::cache::is_no_space(&source) => Error::NoSpace {
                path: root.to_path_buf(),
                free: rustix::fs::statvfs(root)
                    .ok()
                    .map(|s| crate::cache::human(s.f_bavail.saturating_mul(s.f_frsize))),
                context,
            },
            other => other,
        }
    }
}

/// How a compile failed for a reason that is not the submission's: each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CompilerFault {
    /// rustc (or its linker) was killed by a signal grade did not send, or crashed, twice (the
    /// second time from scratch).
    #[error(
        "rustc crashed ({how}) compiling {what}, twice, the second time without its incremental \
         state: not the submission's fault. Grade again; if it goes on, check the toolchain \
         (`rustc -vV`) or point RUSTC at another one{}",
        detail(.message)
    )]
    Crashed {
        what: String,
        how: String,
        message: String,
    },
    /// rustc hit an internal compiler error: a bug of rustc, whatever the code.
    #[error(
        "rustc hit an internal compiler error (a bug of rustc, not of the submission) compiling \
         {what}: try another toolchain (RUSTC), or report it to \
         https://github.com/rust-lang/rust/issues{}",
        detail(.message)
    )]
    Internal { what: String, message: String },
    /// rustc failed without pointing at any file of the crate (the linker, its output), twice.
    #[error(
        "rustc failed compiling {what} without pointing at the code ({message}): check that a \
        C linker (cc) is installed and that the cache folder is writable"
    )]
    Unexplained { what: String, message: String },
    /// The compile ran out of wall-clock time while getting hardly any CPU time.
    #[error(
        "the compiler got only {cpu:.1} s of CPU time in {wall:.0} s compiling {what}: the \
        machine is too busy. Grade again when it is quieter, or with fewer --jobs"
    )]
    Starved { what: String, cpu: f64, wall: f64 },
}

impl CompilerFault {
    /// The cause in a few words, for a note.
    pub fn cause(&self) -> String {
        match self {
            CompilerFault::Crashed { how, .. } => format!("rustc was {how}"),
            CompilerFault::Internal { .. } => "an internal compiler error".into(),
            CompilerFault::Unexplained { message, .. } => message.clone(),
            CompilerFault::Starved { .. } => "the compiler got hardly any CPU time".into(),
        }
    }
}

fn detail(message: &str) -> String {
    match message.lines().find(|l| !l.trim().is_empty()) {
        Some(line) => format!(" (it said: {})", line.trim()),
        None => String::new(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Says what grade was doing when an I/O error came: `fs::read(&path).at(|| format!("reading
/// {}", path.display()))?`, so every [`Error::Io`] names its context where it is raised.
pub trait IoContext<T> {
    fn at(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Io {
            context: context(),
            source,
        })
    }
}
