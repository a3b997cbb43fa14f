//! The build stage: finds the toolchain, builds the exercise's dependencies once per toolchain
//! (with cargo, in the cache), and compiles each staged crate with a direct `rustc` call against
//! those prebuilt libraries: no cargo lock, no dependency rebuilt because a path or flag changed.
//!
//! It decides whose a failed compile is, by what rustc and the kernel report, never by matching
//! words: the submission's when rustc's errors point into the crate's files or its code went past
//! a limit of the compile (memory, CPU time, file size), graded and cached; grade's own otherwise
//! (a crash, an internal compiler error, a link that fails for no reason in the code, a full
//! disk), retried once from scratch and then an [`Error`], never cached. rustc runs confined, like
//! probe runs (see [`crate::sandbox`]).
//!
//! This module holds what the rest of grade sees ([`Compiler`], [`Built`]); each step has a module
//! of its own, so that a change to one (a new limit, a new hint) is read and made in one place.

mod cargo;
mod classify;
mod deps;
pub(crate) mod harness;
mod hints;
mod invoke;
mod records;
mod toolchain;
mod workspace;

pub(crate) use deps::prepare_deps;
pub use deps::Deps;
pub(crate) use deps::{DEPS_BUILDING, DEPS_IN_USE, DEPS_RECORD};
pub use toolchain::Toolchain;
pub(crate) use workspace::Workspace;

use crate::cache::{Cache, Digest, Held};
use crate::error::{Error, Result};
use crate::rustc::Messages;
use crate::stage::{Staged, ROOT};
use classify::{Compile, Ending};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A compiled build, or why the submission's code made none.
#[derive(Debug, Clone)]
pub struct Built {
    /// The build's cache key (empty for a build that could not be staged).
    pub key: String,
    /// Its binary, or the submission's failure.
    pub result: std::result::Result<Binary, Rejection>,
    /// Held while this build may still run: the prune leaves its binary alone.
    _in_use: Option<Arc<Held>>,
}

/// A probe binary in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    pub path: PathBuf,
    /// Which build of a bundle the binary runs (see [`crate::bundle`]); none when it was compiled
    /// alone.
    pub unit: Option<String>,
    /// Its length and hash when it was made.
    pub digest: Digest,
}

/// Why the submission's code made no binary: the submission's own failure, graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rejected", rename_all = "snake_case")]
pub enum Rejection {
    /// Its files could not be staged (a file-reading macro, a variant that cannot be spliced
    /// in): said as a compiler message.
    Unstaged { reason: String },
    /// rustc's errors, pointing into the crate's files, as it printed them.
    Errors { diagnostics: String },
    /// Its code exceeded a limit while compiling; what rustc said before it stopped.
    Limit {
        limit: BuildLimit,
        diagnostics: String,
    },
}

/// A bound on a compile that the submission's code went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "limit", rename_all = "snake_case")]
pub enum BuildLimit {
    /// Address space, in MiB.
    Memory { mib: u64 },
    /// CPU time, in seconds.
    CpuTime { seconds: u64 },
    /// The largest file a compile may write, in MiB.
    FileSize { mib: u64 },
    /// Wall-clock time, in seconds, while the compiler was working.
    WallTime { seconds: u64 },
}

impl std::fmt::Display for BuildLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            BuildLimit::Memory { mib } => {
                crate::tr!("limit-memory", size = crate::cache::human(mib << 20))
            }
            BuildLimit::CpuTime { seconds } => crate::tr!("limit-cpu", seconds = *seconds),
            BuildLimit::FileSize { mib } => {
                crate::tr!("limit-file-size", size = crate::cache::human(mib << 20))
            }
            BuildLimit::WallTime { seconds } => crate::tr!("limit-wall", seconds = *seconds),
        };
        f.write_str(&text)
    }
}

impl Rejection {
    /// What the report shows: rustc's messages, or the reason in their words.
    pub(crate) fn diagnostics(&self) -> String {
        match self {
            Rejection::Unstaged { reason } => reason.clone(),
            Rejection::Errors { diagnostics } => diagnostics.clone(),
            Rejection::Limit { limit, diagnostics } => {
                let mut text = diagnostics.trim_end().to_string();
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(&crate::tr!("limit-error", limit = limit.to_string()));
                text
            }
        }
    }
}

impl Built {
    /// A build whose files could not be staged, for the reason the report shows.
    pub(crate) fn unstaged(reason: crate::stage::Unstageable) -> Built {
        Built {
            key: String::new(),
            result: Err(Rejection::Unstaged {
                reason: reason.to_string(),
            }),
            _in_use: None,
        }
    }

    /// A unit of a bundle's binary (see [`crate::bundle`]).
    pub(crate) fn bundled(
        key: String,
        binary: &(PathBuf, Digest),
        unit: String,
        lock: &Arc<Held>,
    ) -> Built {
        Built {
            key,
            result: Ok(Binary {
                path: binary.0.clone(),
                unit: Some(unit),
                digest: binary.1.clone(),
            }),
            _in_use: Some(lock.clone()),
        }
    }

    pub(crate) fn ok(&self) -> bool {
        self.result.is_ok()
    }

    /// What the report shows of the compile: nothing when it built.
    pub(crate) fn diagnostics(&self) -> String {
        match &self.result {
            Ok(_) => String::new(),
            Err(rejection) => rejection.diagnostics(),
        }
    }
}

/// Everything a compile needs besides the crate.
#[derive(Debug, Clone)]
pub struct Compiler {
    pub(crate) toolchain: Toolchain,
    pub(crate) deps: Deps,
    pub(crate) cache: Cache,
    /// Wall-clock bound on one compile.
    pub(crate) timeout: Duration,
    /// Folders a compile must not see (the trusted exercise, the solutions, the cache's builds
    /// and observations; see [`crate::sandbox::Job::hide`]).
    hide: Vec<PathBuf>,
    /// Binaries already checked against their digest by this process.
    checked: Arc<Mutex<HashSet<PathBuf>>>,
}

impl Compiler {
    pub(crate) fn new(
        toolchain: Toolchain,
        deps: Deps,
        cache: Cache,
        timeout: Duration,
        hide: Vec<PathBuf>,
    ) -> Compiler {
        Compiler {
            toolchain,
            deps,
            cache,
            timeout,
            hide,
            checked: Arc::default(),
        }
    }

    /// Compiles `staged`, or returns the cached result of an identical compile. The submission's
    /// failures are a [`Rejection`]; grade's own (a crash, a full disk) are an error, never cached.
    pub(crate) fn compile(&self, staged: &Staged) -> Result<Built> {
        let key = self.key(staged);
        if let Some(built) = self.cached(&key) {
            return Ok(built);
        }
        let workspace = Workspace::claim(&self.cache, &self.deps.fingerprint, &staged.build)?;
        workspace.lay_out(staged, &self.cache)?;
        let mut retried = false;
        loop {
            let finished = self.rustc(&workspace, ROOT, &[], self.timeout)?;
            let messages = Messages::parse(&finished.stderr.text());
            let compile = Compile {
                finished: &finished,
                messages: &messages,
                workspace: &workspace,
                staged,
            };
            match self.judge(&compile) {
                Ending::Built => return self.built(&workspace, key),
                Ending::Rejected {
                    rejection,
                    keep,
                    wipe,
                } => return self.rejected(&workspace, key, rejection, keep, wipe),
                // A crash may come of a damaged incremental state: once more, from scratch.
                Ending::Fault { error, retry } if retry && !retried => {
                    self.cache.note(format!(
                        "the compile of the build `{}` failed, not because of the code ({}): its \
                         incremental state was wiped and it was compiled again from scratch",
                        staged.build,
                        match &error {
                            Error::Compiler(fault) => fault.cause(),
                            other => other.to_string(),
                        }
                    ));
                    retried = true;
                    workspace.wipe();
                    workspace.lay_out(staged, &self.cache)?;
                }
                Ending::Fault { error, .. } => {
                    workspace.wipe();
                    return Err(error);
                }
            }
        }
    }

    /// The binary rustc just made in `workspace`, kept in the cache and recorded under `key`.
    fn built(&self, workspace: &Workspace, key: String) -> Result<Built> {
        let (binary, lock) = self.keep_binary(workspace, &key)?;
        let built = Built {
            key,
            result: Ok(Binary {
                path: binary.0,
                unit: None,
                digest: binary.1,
            }),
            _in_use: Some(lock),
        };
        self.record(&built)?;
        Ok(built)
    }

    /// The submission's failure, recorded under `key` when `keep`; `wipe`: what the compile left
    /// is of no use.
    fn rejected(
        &self,
        workspace: &Workspace,
        key: String,
        rejection: Rejection,
        keep: bool,
        wipe: bool,
    ) -> Result<Built> {
        if wipe {
            workspace.wipe();
        }
        let built = Built {
            key,
            result: Err(rejection),
            _in_use: None,
        };
        if keep {
            self.record(&built)?;
        }
        Ok(built)
    }
}
