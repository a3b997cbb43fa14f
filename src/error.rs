//! Every way `grade` can fail to produce a grade, in one typed enum. Each is exit code 2, and each
//! message says what to do next. A submission that misbehaves is not an error: it is graded.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: no such exercise folder (expected a folder holding exercise.toml)", path.display())]
    MissingExercise { path: PathBuf },

    #[error("{}:{line}:{column}: {message}", path.display())]
    Spec {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}: {message}", path.display())]
    SpecFile { path: PathBuf, message: String },

    #[error("{}: {message}", path.display())]
    Submission { path: PathBuf, message: String },

    #[error("cannot run `{program}`: {message} (install a Rust toolchain from https://rustup.rs, or point the RUSTC and CARGO variables at one)")]
    Toolchain { program: String, message: String },

    #[error("building the exercise's dependencies failed{}:\n{log}", if *.offline { " (is crates.io reachable?)" } else { "" })]
    Dependencies { log: String, offline: bool },

    #[error("the reference solution {what}: {message}")]
    Reference { what: String, message: String },

    #[error("the exercise's probe {message}")]
    Probe { message: String },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot watch the submission for changes: {message}")]
    Watch { message: String },

    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
