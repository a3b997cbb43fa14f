//! Isolation without namespaces, with POSIX calls only: macOS and the other Unixes, and Linux when
//! grade is built with the `portable` feature (so that this path is tested where namespaces exist).
//!
//! A child gets its own process group, rlimits, stdin from the null device and the minimal
//! environment (see [`super`]). A probe run also:
//! - may start no process at all (RLIMIT_NPROC of 1, set after any change of user): without a PID
//!   namespace nothing else makes sure that no process it started outlives it, since one that
//!   called setsid(2) has left its group;
//! - runs as `nobody` when grade is root, from a copy of its binary that `nobody` can read, so
//!   that it cannot signal grade nor write where root may;
//! - on macOS, reaches no network and writes only in its scratch folder, under a Seatbelt profile
//!   ([`macos`](super::macos)), when the system's `sandbox-exec` accepts it;
//! - on macOS, where RLIMIT_AS is not enforced, is watched for its resident memory instead
//!   ([`resident_bytes`]).
//!
//! What it cannot have is listed by [`notes`] and left out of [`isolation`]'s guarantees: the
//! network and the file system (but on macOS), the hidden folders.

use super::{Guarantee, Isolation, Job, Launch};
use rustix::process::Pid;
use std::ffi::CString;
use std::io;
use std::os::fd::{OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// How `job` is started: its rlimits, and for a probe run the change of user and no process of
/// its own, all between fork and exec. `channel` is the write end of the observation channel.
pub(super) fn launch(job: &Job, channel: Option<RawFd>) -> io::Result<Launch> {
    let probe = job.isolate && job.writable.is_none();
    let nobody = if probe { nobody() } else { None };
    let limits = if probe {
        super::rlimits::alone(&job.limits)
    } else {
        job.limits.clone()
    };
    let bounds = super::rlimits::bounds(Some(&limits));
    let program = match nobody {
        Some(user) => {
            let copy = readable_copy(&job.program, &job.cwd)?;
            rustix::fs::chown(&job.cwd, Some(user.uid), Some(user.gid))?;
            copy
        }
        None => job.program.clone(),
    };
    // The probe sees its own name, not its copy's.
    let arg0 = (program != job.program).then(|| job.program.clone());
    #[cfg(target_os = "macos")]
    let (program, args, arg0) = match (probe, super::macos::confined(&job.cwd)) {
        (true, Some(scratch)) => {
            let (program, args) = super::macos::wrap(scratch, program, &job.args);
            (program, args, None)
        }
        _ => (program, job.args.clone(), arg0),
    };
    #[cfg(not(target_os = "macos"))]
    let args = job.args.clone();
    Ok(Launch {
        arg0,
        program,
        args,
        pre_exec: Box::new(move || {
            if let Some(user) = nobody {
                become_user(user)?;
            }
            super::rlimits::apply(&bounds)?;
            keep_channel(channel)?;
            Ok(())
        }),
        _hold: None,
    })
}

/// Where the child's exit shows, for [`super::supervise`] to poll: the read end of a pipe that a
/// thread writes to when waitid(2) sees the child exit (without reaping it: the supervisor reaps,
/// with the child's resource usage). A byte, not the close: another child may hold a copy of the
/// write end (see [`super::pipe`]).
pub(super) fn exit_watch(child: Pid) -> io::Result<OwnedFd> {
    use rustix::process::{WaitId, WaitIdOptions};
    let (read, write) = super::pipe()?;
    std::thread::Builder::new()
        .name("grade-exit-watch".into())
        .spawn(move || {
            let options = WaitIdOptions::EXITED | WaitIdOptions::NOWAIT;
            while let Err(rustix::io::Errno::INTR) =
                rustix::process::waitid(WaitId::Pid(child), options)
            {}
            let _ = rustix::io::write(&write, b"x");
        })?;
    Ok(read)
}

/// What this machine does not give probe runs and compiles, one sentence each.
pub(super) fn notes() -> Vec<String> {
    let probe = isolation_of_probes();
    let mut notes = Vec::new();
    let lacks = |g| !probe.guarantees.contains(&g);
    if lacks(Guarantee::NoNetwork) || lacks(Guarantee::WritesOnlyScratch) {
        notes.push(crate::tr!("note-portable-probe"));
    }
    notes.extend(user_notes());
    notes.push(crate::tr!("note-portable-build"));
    #[cfg(target_os = "macos")]
    notes.extend(super::macos::notes());
    notes
}

/// What the user probe runs run as leaves open: shared by Linux's fallback, which words the rest
/// of its notes itself.
pub(super) fn user_notes() -> Vec<String> {
    let guarantees = isolation_of_probes().guarantees;
    let mut notes = Vec::new();
    if !guarantees.contains(&Guarantee::CannotSignalGrade) {
        notes.push(crate::tr!("note-portable-same-user"));
    }
    if !guarantees.contains(&Guarantee::NothingOutlives) {
        notes.push(crate::tr!("note-portable-root"));
    }
    notes
}

/// Finds, ahead of the first probe run, whether the system's sandbox profile can be used here.
pub(super) fn prepare(folder: &Path) {
    #[cfg(target_os = "macos")]
    super::macos::prepare(folder);
    #[cfg(not(target_os = "macos"))]
    let _ = folder;
}

/// How probe runs and compiles are shut in here.
pub(super) fn isolation() -> (Isolation, Isolation) {
    let build = Isolation {
        how: crate::tr!("isolation-portable-build"),
        guarantees: Vec::new(),
    };
    (isolation_of_probes(), build)
}

fn isolation_of_probes() -> Isolation {
    let mut how = crate::tr!("isolation-portable-probe");
    let mut guarantees = Vec::new();
    match nobody() {
        Some(_) => {
            how.push_str(&crate::tr!("isolation-as-nobody"));
            guarantees.extend([Guarantee::CannotSignalGrade, Guarantee::NothingOutlives]);
        }
        None if !rustix::process::geteuid().is_root() => {
            guarantees.push(Guarantee::NothingOutlives)
        }
        None => {}
    }
    #[cfg(target_os = "macos")]
    if let Some(confined) = super::macos::described() {
        how.push_str(confined);
        guarantees.extend([Guarantee::NoNetwork, Guarantee::WritesOnlyScratch]);
    }
    if cfg!(target_os = "macos") {
        how.push_str(", resident memory watched");
    }
    Isolation { how, guarantees }
}

/// The resident memory of process `pid`, where the system's address-space limit is not enforced
/// and grade watches it instead (macOS); `None` where RLIMIT_AS does the work, or it is unknown.
pub(super) fn resident_bytes(pid: Pid) -> Option<u64> {
    #[cfg(target_os = "macos")]
    return super::macos::resident_bytes(pid);
    #[cfg(not(target_os = "macos"))]
    {
        let _ = pid;
        None
    }
}

/// A user and its group, by number.
#[derive(Debug, Clone, Copy)]
struct User {
    uid: rustix::process::Uid,
    gid: rustix::process::Gid,
}

/// `nobody`, when grade is root, the system has that user, and a trial child could become it (a
/// container's root may not): whom probe runs become.
fn nobody() -> Option<User> {
    static NOBODY: OnceLock<Option<User>> = OnceLock::new();
    *NOBODY.get_or_init(|| {
        if !rustix::process::geteuid().is_root() {
            return None;
        }
        let user = look_up("nobody")?;
        can_become(user).then_some(user)
    })
}

/// The user named `name`, if the system has one that is not root.
fn look_up(name: &str) -> Option<User> {
    let name = CString::new(name).ok()?;
    // SAFETY: a zeroed passwd is a valid value of the plain C struct getpwnam_r fills in; the
    // buffer outlives the call, and only the numbers are read from the result.
    unsafe {
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let mut buffer = vec![0 as libc::c_char; 4096];
        let status = libc::getpwnam_r(
            name.as_ptr(),
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        );
        (status == 0 && !found.is_null() && entry.pw_uid != 0).then(|| User {
            uid: rustix::process::Uid::from_raw(entry.pw_uid),
            gid: rustix::process::Gid::from_raw(entry.pw_gid),
        })
    }
}

/// Whether a forked child of grade can become `user`.
fn can_become(user: User) -> bool {
    // SAFETY: the child only makes system calls (async-signal-safe) and exits.
    match unsafe { libc::fork() } {
        -1 => false,
        0 => {
            let code = if become_user(user).is_ok() { 0 } else { 1 };
            // SAFETY: _exit skips the exit handlers, which belong to grade.
            unsafe { libc::_exit(code) }
        }
        child => {
            let child = rustix::process::Pid::from_raw(child);
            loop {
                match rustix::process::waitpid(child, rustix::process::WaitOptions::empty()) {
                    Err(rustix::io::Errno::INTR) => continue,
                    Ok(Some((_, status))) => return status.exit_status() == Some(0),
                    _ => return false,
                }
            }
        }
    }
}

/// Drops every supplementary group and becomes `user`: system calls only, for between fork and
/// exec.
fn become_user(user: User) -> io::Result<()> {
    // SAFETY: setgroups, setgid and setuid are async-signal-safe and take plain numbers.
    let failed = unsafe {
        libc::setgroups(0, std::ptr::null()) != 0
            || libc::setgid(user.gid.as_raw()) != 0
            || libc::setuid(user.uid.as_raw()) != 0
    };
    if failed {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Lets the child keep the observation channel across exec: only it inherits the descriptor,
/// which was made close-on-exec for every other child.
fn keep_channel(channel: Option<RawFd>) -> io::Result<()> {
    if let Some(fd) = channel {
        // SAFETY: the descriptor is open: grade keeps its write end until the child is spawned.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty())?;
    }
    Ok(())
}

/// A copy of `program` that `nobody` can reach and run, in the run's scratch folder `folder` (see
/// [`super::scratch`]; the cache is often under root's 0700 home). Without namespaces there is no
/// descriptor to exec from that works on every Unix, nor a mount.
fn readable_copy(program: &Path, folder: &Path) -> io::Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let copy = folder.join(".probe");
    std::fs::copy(program, &copy)?;
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755))?;
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_run_is_described_by_what_it_guarantees() {
        let (probe, build) = isolation();
        assert!(probe.how.starts_with("portable"), "{}", probe.how);
        assert!(build.guarantees.is_empty());
        let root = rustix::process::geteuid().is_root();
        assert_eq!(
            probe.guarantees.contains(&Guarantee::CannotSignalGrade),
            root && nobody().is_some()
        );
        assert!(!notes().is_empty());
    }
}
