//! Whose a failed compile is: the submission's, graded (and cached when the same code would fail
//! the same way), or grade's own, retried or reported and never cached. It is decided by what
//! rustc and the kernel report (where errors point, exit codes, signals, the CPU and memory the
//! compile used, what it left on disk), so that no submission can pass its failure off as grade's,
//! nor grade's be charged to the student.

use super::invoke::{BUILD_FILE_SIZE, BUILD_MEMORY_MIB};
use super::{hints, BuildLimit, Compiler, Rejection, Workspace};
use crate::error::{CompilerFault, Error};
use crate::rustc::Messages;
use crate::sandbox::{self, Exit};
use crate::stage::Staged;

/// A compile that timed out having used less CPU than this share of its wall-clock time was
/// starved by a busy machine, not kept busy by the code.
const BUSY_SHARE: f64 = 0.1;

/// A finished compile and what it left, to be judged.
pub(super) struct Compile<'a> {
    pub(super) finished: &'a sandbox::Finished,
    pub(super) messages: &'a Messages,
    pub(super) workspace: &'a Workspace,
    pub(super) staged: &'a Staged,
}

impl Compile<'_> {
    /// The build, for a message.
    fn what(&self) -> String {
        format!("the build `{}`", self.staged.build)
    }
}

/// How a compile ended, for grading.
pub(super) enum Ending {
    /// rustc made the binary.
    Built,
    /// The submission's failure; `keep`: worth caching (the same code fails the same way);
    /// `wipe`: the compile was stopped by a limit, and what it left is of no use (and may be
    /// large).
    Rejected {
        rejection: Rejection,
        keep: bool,
        wipe: bool,
    },
    /// Not the submission's: tried once more from scratch when `retry`, else an error.
    Fault { error: Error, retry: bool },
}

fn fault(error: impl Into<Error>, retry: bool) -> Ending {
    Ending::Fault {
        error: error.into(),
        retry,
    }
}

impl Compiler {
    /// Whose a finished compile's failure is, if it failed. The submission's: errors that point
    /// into the crate's files, a limit its code went past (rlimit signals, the kernel's count of
    /// the memory and CPU it used, a file as large as the limit). Grade's own: anything else (a
    /// crash, an internal compiler error, a failure without a word about the code, a full disk, a
    /// compiler starved by a busy machine). The questions are asked in this order: the first
    /// that recognises the ending decides.
    pub(super) fn judge(&self, compile: &Compile) -> Ending {
        self.finished_or_timed_out(compile)
            .or_else(|| self.errors_in_code(compile))
            .or_else(|| self.past_a_limit(compile))
            .unwrap_or_else(|| self.not_the_code(compile))
    }

    /// A compile that ended well, or ran out of time: the code's when the compiler was busy with
    /// it, the machine's when the compiler hardly ran.
    fn finished_or_timed_out(&self, compile: &Compile) -> Option<Ending> {
        let what = compile.what();
        match compile.finished.exit {
            Exit::Code(0) if compile.workspace.crate_dir().join("probe").is_file() => {
                Some(Ending::Built)
            }
            Exit::Code(0) => Some(fault(
                CompilerFault::Unexplained {
                    what,
                    message: "it reported success but made no binary".into(),
                },
                true,
            )),
            Exit::TimedOut => {
                let wall = self.timeout.as_secs_f64();
                let cpu = compile.finished.usage.cpu.as_secs_f64();
                if cpu >= wall * BUSY_SHARE {
                    let seconds = wall.round() as u64;
                    return Some(self.limit(compile, BuildLimit::WallTime { seconds }, false));
                }
                Some(fault(CompilerFault::Starved { what, cpu, wall }, false))
            }
            _ => None,
        }
    }

    /// rustc's errors about the code: they point into the crate's files and are not a bug of
    /// rustc. A crate rustc cannot load is still the cache's fault when the exercise provides it.
    fn errors_in_code(&self, compile: &Compile) -> Option<Ending> {
        let messages = compile.messages;
        let in_crate = messages
            .error_files()
            .iter()
            .any(|file| compile.staged.files.contains_key(file));
        if !in_crate || messages.internal_error() {
            return None;
        }
        if let Some(damaged) = self.damaged_deps(messages) {
            return Some(damaged);
        }
        let diagnostics = hints::explain(messages, &self.deps);
        let rejection = if messages.out_of_memory() {
            Rejection::Limit {
                limit: BuildLimit::Memory {
                    mib: BUILD_MEMORY_MIB,
                },
                diagnostics,
            }
        } else {
            Rejection::Errors { diagnostics }
        };
        Some(Ending::Rejected {
            rejection,
            keep: true,
            wipe: false,
        })
    }

    /// When rustc could not load a crate and the built dependencies are not what was built: the
    /// cache's fault, and the dependencies are built anew by the next grade.
    fn damaged_deps(&self, messages: &Messages) -> Option<Ending> {
        let loading = messages
            .error_codes()
            .iter()
            .any(|code| crate::rustc::CRATE_LOADING.contains(code));
        if !loading {
            return None;
        }
        let damaged = self.deps.intact().err()?;
        self.deps.forget();
        Some(fault(
            Error::DamagedCache {
                what: format!("the built dependencies: {damaged}"),
            },
            false,
        ))
    }

    /// A limit the code went past without rustc saying so: the rlimits' signals, a file as large
    /// as the limit, the kernel's count of the memory it had.
    fn past_a_limit(&self, compile: &Compile) -> Option<Ending> {
        let cpu_limit = self.cpu_seconds();
        let cpu = BuildLimit::CpuTime { seconds: cpu_limit };
        let file_size = BuildLimit::FileSize {
            mib: BUILD_FILE_SIZE >> 20,
        };
        let usage = compile.finished.usage;
        match compile.finished.exit {
            Exit::Signal(libc::SIGXCPU) => return Some(self.limit(compile, cpu, false)),
            Exit::Signal(libc::SIGKILL) if usage.cpu.as_secs() >= cpu_limit => {
                return Some(self.limit(compile, cpu, false))
            }
            Exit::Signal(libc::SIGXFSZ) => return Some(self.limit(compile, file_size, true)),
            Exit::MemoryLimit => {
                let memory = BuildLimit::Memory {
                    mib: BUILD_MEMORY_MIB,
                };
                return Some(self.limit(compile, memory, true));
            }
            _ => {}
        }
        // The linker, stopped by the file-size limit, leaves a file of that size.
        if compile.workspace.has_file_at_least(BUILD_FILE_SIZE) {
            return Some(self.limit(compile, file_size, true));
        }
        // An allocation refused by the memory limit ends rustc (or LLVM, or the linker): the
        // kernel's count of what it had in memory says it was near the limit.
        if usage.max_rss >= (BUILD_MEMORY_MIB << 20) / 2 {
            let memory = BuildLimit::Memory {
                mib: BUILD_MEMORY_MIB,
            };
            return Some(self.limit(compile, memory, true));
        }
        None
    }

    /// A failure that is not the code's, unless the code gave the linker work of its own: a full
    /// disk, an internal compiler error, a crash, a failure that says nothing about the code.
    fn not_the_code(&self, compile: &Compile) -> Ending {
        let what = compile.what();
        let message = compile.messages.first_error();
        if self.cache.is_nearly_full(BUILD_FILE_SIZE) {
            let context = format!("compiling {what}: {message}");
            return fault(self.cache.no_space(context), false);
        }
        match compile.finished.exit {
            Exit::Code(code) if code == 101 || compile.messages.internal_error() => {
                fault(CompilerFault::Internal { what, message }, true)
            }
            Exit::Code(_) if crate::bundle::reaches_the_linker(compile.staged) => {
                Ending::Rejected {
                    // What the code asks of the linker (a foreign function, a symbol) failed: its
                    // own.
                    rejection: Rejection::Errors {
                        diagnostics: hints::explain(compile.messages, &self.deps),
                    },
                    keep: false,
                    wipe: false,
                }
            }
            Exit::Code(_) => fault(CompilerFault::Unexplained { what, message }, true),
            Exit::Signal(signal) => fault(
                CompilerFault::Crashed {
                    what,
                    how: signal_name(signal),
                    message,
                },
                true,
            ),
            Exit::TimedOut | Exit::MemoryLimit => unreachable!("judged first"),
        }
    }

    /// The code went past `limit`; `keep`: the same code would again (a time limit depends on the
    /// machine).
    fn limit(&self, compile: &Compile, limit: BuildLimit, keep: bool) -> Ending {
        Ending::Rejected {
            rejection: Rejection::Limit {
                limit,
                diagnostics: hints::explain(compile.messages, &self.deps),
            },
            keep,
            wipe: true,
        }
    }
}

/// A signal's name, for a message.
fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGILL => "SIGILL",
        libc::SIGTERM => "SIGTERM",
        _ => return format!("killed by signal {signal}"),
    };
    format!("killed by {name}")
}
