//! Isolation on Linux, with namespaces: chosen once per process by trying, for probe runs and for
//! compiles apart, from the strongest level this process may have down to a bare process group.
//!
//! ```text
//! grade ─► A  the spawned child, in grade's namespaces: unshares, forks B, waits,
//!          │  dies as the probe died
//!          └► B  PID 1 of a new PID namespace, with new network, mount, IPC and UTS
//!             │  namespaces: mounts, forks C, reaps, hands C's end to A; when B exits
//!             │  the kernel kills the namespace
//!             └► C  drops to `nobody` (when grade is root), sets the rlimits, execs
//!                   the probe
//! ```
//!
//! In C's mount namespace every file system is read-only except two private tmpfs: one over the
//! scratch folder (its working directory) and one on /tmp (unless the scratch folder is under /tmp,
//! which then stays read-only); /proc is the namespace's own. A [`writable`](super::Job::writable)
//! child (a compile: rustc and its linker, which must read the user's toolchain and write their
//! output) gets the same namespaces, with its working folder bind-mounted writable instead of the
//! scratch tmpfs; it keeps grade's user, without any capability when that is root. So the probe
//! sees no network, no process but its own, cannot signal grade, writes nothing that outlives it,
//! and every process it starts, even one that called setsid, dies with it. Without root, the same
//! is done inside a user namespace (the probe keeps the user's id, without capabilities). Where the
//! kernel refuses, the child runs with less and [`notes`] says what is missing.

mod enter;
mod mount;
mod plan;
mod protocol;

use super::{Guarantee, Isolation, Job, Launch};
use enter::{enter, fork};
use plan::{errno_of, Failure, Plan, Step};
use rustix::io::Errno;
use rustix::process::{Gid, Pid, Uid, WaitOptions};
use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::OnceLock;

/// How `job` is started on Linux: at the isolation level this process found for its kind, with
/// the program reachable from inside, and `enter` (namespaces, mounts, the change of user,
/// rlimits) before the exec. `channel` is the write end of the observation channel, if any.
pub(super) fn launch(job: &Job, channel: Option<RawFd>) -> io::Result<Launch> {
    let level = if job.isolate {
        chosen(job).level
    } else {
        Level::Portable
    };
    if level == Level::Portable {
        return without_namespaces(job, channel);
    }
    let binary = program_descriptor(job, level)?;
    // In its own mount namespace the probe is exec'd from a bind mount of its binary inside the
    // scratch folder: the binary's own folder may be hidden, and the probe must be able to read
    // its binary (a panic's backtrace is resolved from the line tables in it).
    let in_scratch = job.cwd.join(PROGRAM_IN_SCRATCH);
    let mounted =
        binary.is_some() && job.writable.is_none() && matches!(level, Level::Namespaces { .. });
    let (program, arg0) = match &binary {
        Some(_) if mounted => (in_scratch.clone(), Some(job.program.clone())),
        Some(fd) => (
            format!("/proc/self/fd/{}", fd.as_raw_fd()).into(),
            Some(job.program.clone()),
        ),
        None => (job.program.clone(), None),
    };
    if level.nobody() {
        rustix::fs::chown(
            &job.cwd,
            Some(Uid::from_raw(NOBODY)),
            Some(Gid::from_raw(NOBODY)),
        )?;
    }
    let mut plan = Plan::new(
        level,
        &job.cwd,
        job.writable.as_deref(),
        Some(&job.limits),
        channel,
    )?;
    if mounted {
        // By path, not through the descriptor: a bind mount's source must be a mount of the new
        // namespace (EINVAL otherwise), and /proc/self/fd/N leads to grade's. The mount comes
        // before the hidden folders are covered, so the path still leads to the binary.
        plan.program = Some((
            CString::new(std::path::absolute(&job.program)?.as_os_str().as_bytes())?,
            CString::new(in_scratch.as_os_str().as_bytes())?,
        ));
    }
    plan.hide = hidden(job)?;
    Ok(Launch {
        program,
        arg0,
        args: job.args.clone(),
        pre_exec: Box::new(move || {
            enter(&plan)
                .map(drop)
                .map_err(|failure| io::Error::from(failure.errno))
        }),
        _hold: binary.map(|fd| Box::new(fd) as Box<dyn std::any::Any + Send>),
    })
}

/// Where the kernel refuses namespaces, and for a child that is not isolated: the portable
/// isolation (the same code that macOS runs, so that this path is the one `--features portable`
/// tests), with what Linux adds for nothing: the child dies with grade, and no set-user-ID
/// program gives it back a privilege. Both after the portable steps: a change of user clears the
/// parent-death signal.
fn without_namespaces(job: &Job, channel: Option<RawFd>) -> io::Result<Launch> {
    let mut launch = super::portable::launch(job, channel)?;
    let parent = rustix::process::getpid();
    let mut portable = launch.pre_exec;
    launch.pre_exec = Box::new(move || {
        portable()?;
        rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
        if rustix::process::getppid() != Some(parent) {
            // SAFETY: _exit is async-signal-safe; grade is gone, there is no one to run for.
            unsafe { libc::_exit(1) };
        }
        rustix::thread::set_no_new_privs(true)?;
        Ok(())
    });
    Ok(launch)
}

/// A descriptor of the program, when it must be exec'd through one: as `nobody` the probe may be
/// unable to reach its own binary (the cache is often under root's 0700 home), and it may lie in a
/// folder hidden from it. (Not a script: its interpreter could not open the descriptor.)
fn program_descriptor(job: &Job, level: Level) -> io::Result<Option<OwnedFd>> {
    let hidden = matches!(level, Level::Namespaces { .. })
        && job
            .hide
            .iter()
            .any(|folder| job.program.starts_with(folder));
    if (level.nobody() || hidden) && Path::new("/proc/self/fd").is_dir() {
        Ok(Some(rustix::fs::open(
            &job.program,
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?))
    } else {
        Ok(None)
    }
}

/// The folders to cover, as C strings: those of `job.hide` that exist, but a folder that holds the
/// scratch folder (or the writable one), which the run needs as its working directory.
fn hidden(job: &Job) -> io::Result<Vec<CString>> {
    let mut folders = Vec::new();
    for folder in &job.hide {
        let needed = job.cwd.starts_with(folder)
            || job.writable.as_ref().is_some_and(|w| w.starts_with(folder));
        if folder.is_dir() && !needed {
            folders.push(CString::new(folder.as_os_str().as_bytes())?);
        }
    }
    Ok(folders)
}

/// Where the child's exit shows, for [`super::supervise`] to poll: a pidfd.
pub(super) fn exit_watch(child: Pid) -> io::Result<OwnedFd> {
    Ok(rustix::process::pidfd_open(
        child,
        rustix::process::PidfdFlags::empty(),
    )?)
}

/// Namespaces leave the address-space limit to the kernel, which enforces it: no watchdog.
pub(super) fn resident_bytes(_child: Pid) -> Option<u64> {
    None
}

/// How probe runs and compiles are shut in, as [`prepare`] found.
pub(super) fn isolation() -> (Isolation, Isolation) {
    let describe = |kind, chosen: Option<&Chosen>| {
        let (level, partial) = chosen.map_or((Level::Portable, 0), |c| (c.level, c.partial));
        Isolation {
            how: level.how(kind, partial),
            guarantees: level.guarantees(kind, partial),
        }
    };
    (
        describe(Kind::Probe, PROBE_ISOLATION.get()),
        describe(Kind::Build, BUILD_ISOLATION.get()),
    )
}

/// What the system would not allow of the isolation of probe runs and compiles.
pub(super) fn notes() -> Vec<String> {
    [&PROBE_ISOLATION, &BUILD_ISOLATION]
        .iter()
        .filter_map(|isolation| isolation.get())
        .flat_map(|isolation| isolation.notes.clone())
        .collect()
}

/// Runs the isolation trials for probe runs and compiles, in `folder`.
pub(super) fn prepare(folder: &Path) {
    // A probe's trial where its runs are: in a scratch folder of the temporary folder.
    PROBE_ISOLATION.get_or_init(|| match super::scratch() {
        Ok(scratch) => choose(Kind::Probe, scratch.path(), None),
        Err(_) => choose(Kind::Probe, folder, None),
    });
    BUILD_ISOLATION.get_or_init(|| choose(Kind::Build, folder, Some(folder)));
}

/// The variable that makes isolated children skip the namespaces for the portable isolation
/// (`portable`): what a machine that refuses namespaces runs, tried on one that allows them.
pub(super) const ISOLATION_ENV: &str = "GRADE_ISOLATION";

/// The user an isolated child becomes when grade runs as root.
const NOBODY: u32 = 65534;

/// Size of each private tmpfs (the scratch folder, /tmp): their pages are memory, not disk.
const TMPFS_SIZE: &str = "32m";

/// The name the probe's binary is mounted at in its scratch folder, in a namespace.
const PROGRAM_IN_SCRATCH: &str = ".probe";

/// How far an isolated child is shut in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// New PID, network, mount, IPC and UTS namespaces, read-only file systems, as `user`.
    Namespaces { user: User },
    /// The kernel refused namespaces: the portable isolation (`super::portable`).
    Portable,
}

/// Who an isolated child runs as, in its namespaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum User {
    /// `nobody`: grade is root, and the child is a probe run.
    Nobody,
    /// The user, mapped into a user namespace of its own, without capabilities: grade is not root.
    Mapped,
    /// root, without any capability (its bounding set emptied, so an exec gives none back): grade
    /// is root, and the child is a compile, which must read root's toolchain and cache.
    Root,
}

impl Level {
    fn nobody(self) -> bool {
        self == Level::Namespaces { user: User::Nobody }
    }

    /// The mechanism, in a few words.
    fn how(self, kind: Kind, partial: u8) -> String {
        match self {
            Level::Namespaces { user } => crate::tr!(
                "isolation-namespaces",
                files = if partial & PARTIAL_READ_ONLY != 0 {
                    crate::tr!("isolation-only-root-read-only")
                } else {
                    crate::tr!("isolation-read-only")
                },
                user = match user {
                    User::Nobody => crate::tr!("isolation-user-nobody"),
                    User::Mapped => crate::tr!("isolation-user-mapped"),
                    User::Root => crate::tr!("isolation-user-root"),
                }
            ),
            Level::Portable => {
                crate::tr!("isolation-no-namespaces", how = portable(kind).how)
            }
        }
    }

    /// What a child of `kind` is guaranteed at this level.
    fn guarantees(self, kind: Kind, partial: u8) -> Vec<Guarantee> {
        match self {
            Level::Namespaces { .. } => {
                let mut guarantees = vec![
                    Guarantee::NoNetwork,
                    Guarantee::HiddenFolders,
                    Guarantee::CannotSignalGrade,
                    Guarantee::NothingOutlives,
                ];
                if partial & PARTIAL_READ_ONLY == 0 {
                    guarantees.push(Guarantee::WritesOnlyScratch);
                }
                guarantees
            }
            Level::Portable => portable(kind).guarantees,
        }
    }
}

/// The portable isolation of a child of `kind`.
fn portable(kind: Kind) -> Isolation {
    let (probe, build) = super::portable::isolation();
    match kind {
        Kind::Probe => probe,
        Kind::Build => build,
    }
}

/// What an isolated child is: the two are rehearsed and described apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A probe run: the submission's code, under a private tmpfs.
    Probe,
    /// A compile: rustc and its linker, writing in their working folder.
    Build,
}

/// The level isolated children get, and what it lacks, in words.
struct Chosen {
    level: Level,
    /// What [`enter`] did less well than intended ([`PARTIAL_READ_ONLY`], [`HOST_PROC`]).
    partial: u8,
    notes: Vec<String>,
}

static PROBE_ISOLATION: OnceLock<Chosen> = OnceLock::new();
static BUILD_ISOLATION: OnceLock<Chosen> = OnceLock::new();

fn chosen(job: &Job) -> &'static Chosen {
    match &job.writable {
        None => PROBE_ISOLATION.get_or_init(|| choose(Kind::Probe, &job.cwd, None)),
        Some(writable) => {
            BUILD_ISOLATION.get_or_init(|| choose(Kind::Build, &job.cwd, Some(writable)))
        }
    }
}

/// Tries the strongest level this process may have, then the weaker ones, each in a throwaway child
/// that runs the same code as a real run, up to the exec.
fn choose(kind: Kind, cwd: &Path, writable: Option<&Path>) -> Chosen {
    if std::env::var_os(ISOLATION_ENV).is_some_and(|v| v == "portable") {
        return Chosen {
            level: Level::Portable,
            partial: 0,
            notes: describe(
                kind,
                Level::Portable,
                format!(" ({ISOLATION_ENV}=portable asks for it)"),
                0,
            ),
        };
    }
    let root = rustix::process::geteuid().is_root();
    let candidates: &[Level] = match (kind, root) {
        (Kind::Probe, true) => &[Level::Namespaces { user: User::Nobody }],
        (Kind::Build, true) => &[Level::Namespaces { user: User::Root }],
        (_, false) => &[Level::Namespaces { user: User::Mapped }],
    };
    let mut refused: Option<Failure> = None;
    for &level in candidates {
        match rehearse(level, cwd, writable) {
            Ok(partial) => {
                return Chosen {
                    level,
                    partial,
                    notes: describe(kind, level, why(refused), partial),
                }
            }
            Err(failure) => refused = refused.or(Some(failure)),
        }
    }
    Chosen {
        level: Level::Portable,
        partial: 0,
        notes: describe(kind, Level::Portable, why(refused), 0),
    }
}

/// Bits of [`enter`]'s result: what was done less well than intended.
const PARTIAL_READ_ONLY: u8 = 1;
const HOST_PROC: u8 = 2;

/// Why namespaces are not used, in words for a note: the step the kernel refused.
fn why(refused: Option<Failure>) -> String {
    refused.map_or(String::new(), |failure| format!(" ({failure})"))
}

fn describe(kind: Kind, level: Level, why: String, partial: u8) -> Vec<String> {
    let mut notes = Vec::new();
    let runs = match kind {
        Kind::Probe => crate::tr!("note-probe-runs"),
        Kind::Build => crate::tr!("note-compiles"),
    };
    match (kind, level) {
        (_, Level::Namespaces { .. }) => {}
        (Kind::Probe, Level::Portable) => {
            notes.push(crate::tr!("note-linux-probe-portable", why = &why));
            notes.extend(super::portable::user_notes());
        }
        (Kind::Build, Level::Portable) => {
            notes.push(crate::tr!("note-linux-build-portable", why = &why))
        }
    }
    if partial & PARTIAL_READ_ONLY != 0 {
        notes.push(crate::tr!("note-only-root-read-only", runs = &runs));
    }
    if partial & HOST_PROC != 0 {
        notes.push(crate::tr!("note-host-proc", runs = &runs));
    }
    notes
}

/// Runs the child's side of a run at `level` in a forked copy of grade, stopping where the probe
/// would be exec'd: whether it gets there, and how well.
fn rehearse(level: Level, cwd: &Path, writable: Option<&Path>) -> Result<u8, Failure> {
    let plan_failed = |e: io::Error| Failure {
        step: Step::Plan,
        errno: errno_of(&e),
    };
    let mut plan = Plan::new(level, cwd, writable, None, None).map_err(plan_failed)?;
    // grade's own binary stands in for the probe's, mounted as a real run mounts it (by path).
    let program = std::env::current_exe()
        .ok()
        .filter(|_| matches!(level, Level::Namespaces { .. }) && writable.is_none());
    if let Some(exe) = &program {
        plan.program = Some((
            CString::new(exe.as_os_str().as_bytes()).map_err(|e| plan_failed(e.into()))?,
            CString::new(cwd.join(PROGRAM_IN_SCRATCH).as_os_str().as_bytes())
                .map_err(|e| plan_failed(e.into()))?,
        ));
    }
    let (report_read, report_write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)
        .map_err(Failure::at(Step::Pipe))?;
    // A fork of multi-threaded grade, as std's spawn is: the child only makes system calls until it
    // exits.
    let Some(child) = fork().map_err(Failure::at(Step::Fork))? else {
        let code = match enter(&plan) {
            Ok(partial) => i32::from(partial),
            Err(failure) => {
                let _ = rustix::io::write(&report_write, &failure.encode());
                255
            }
        };
        // SAFETY: _exit is async-signal-safe, and skips the exit handlers that belong to grade.
        unsafe { libc::_exit(code) }
    };
    drop(report_write);
    let status = loop {
        match rustix::process::waitpid(Some(child), WaitOptions::empty()) {
            Ok(Some((_, status))) => break Some(status),
            Err(Errno::INTR) => continue,
            _ => break None,
        }
    };
    let mut record = [0u8; 5];
    if rustix::io::read(&report_read, &mut record) == Ok(record.len()) {
        return Err(Failure::decode(record));
    }
    match status.and_then(|s| s.exit_status()) {
        Some(partial) if partial < 255 => Ok(partial as u8),
        _ => Err(Failure {
            step: Step::Unknown,
            errno: Errno::NOSYS,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::plan::*;
    use super::protocol::Ended;
    use rustix::io::Errno;

    #[test]
    fn failures_and_outcomes_survive_their_encodings() {
        let failure = Failure {
            step: Step::Tmp,
            errno: Errno::PERM,
        };
        assert_eq!(Failure::decode(failure.encode()), failure);
        for ended in [Ended::Code(0), Ended::Code(255), Ended::Signal(9)] {
            assert_eq!(Ended::decode(ended.encode()), Some(ended));
        }
        assert!(
            failure
                .to_string()
                .starts_with("mounting a tmpfs on /tmp: "),
            "{failure}"
        );
    }
}
