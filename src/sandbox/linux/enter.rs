//! The child's side between fork and exec: namespaces, the change of user, rlimits, capabilities,
//! and the system calls rustix lacks to do them without allocating.

use super::mount::mount_file_systems;
use super::plan::{errno_of, Failure, Plan, Step};
use super::protocol::{end_namespace, follow, kill_namespace, reap, NAMESPACE_INIT};
use super::{Level, User, NOBODY};
use rustix::io::Errno;
use rustix::process::{Gid, Pid, Signal, Uid};
use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::Ordering;

/// The child's side, between fork and exec: everything here is a system call, nothing allocates.
/// Returns in the process that is to exec the probe, with the [`PARTIAL_READ_ONLY`] and
/// [`HOST_PROC`] bits; the intermediate processes it forks exit here instead.
pub(super) fn enter(plan: &Plan) -> Result<u8, Failure> {
    // If grade dies, its children go too; if it already died, there is no one to run for.
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
        .map_err(Failure::at(Step::DeathSignal))?;
    if rustix::process::getppid() != Some(plan.parent) {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(1) };
    }
    let partial = match plan.level {
        Level::Namespaces { user } => enter_namespaces(plan, user)?,
        // Started by the portable isolation, never through here.
        Level::Portable => 0,
    };
    if plan.level.nobody() {
        become_nobody()?;
    }
    // After the change of user: RLIMIT_NPROC checked at setuid would make the exec itself fail.
    crate::sandbox::rlimits::apply(&plan.limits).map_err(Failure::at(Step::Limits))?;
    if plan.level == (Level::Namespaces { user: User::Root }) {
        drop_capabilities().map_err(Failure::at(Step::Capabilities))?;
    }
    // No set-user-ID program gives back what was dropped.
    rustix::thread::set_no_new_privs(true).map_err(Failure::at(Step::NoNewPrivs))?;
    if let Some(fd) = plan.channel {
        // Only this child inherits the channel: it was created close-on-exec for the others.
        // SAFETY: the descriptor is open: grade keeps its write end until the child is spawned.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty())
            .map_err(Failure::at(Step::Channel))?;
    }
    Ok(partial)
}

/// Makes the namespaces and the processes A, B and C (see the module's comment of `linux`);
/// returns in C, with what [`mount_file_systems`] could not do. A and B never return.
fn enter_namespaces(plan: &Plan, user: User) -> Result<u8, Failure> {
    unshare(plan, user == User::Mapped)?;
    let (status_read, status_write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)
        .map_err(Failure::at(Step::Pipe))?;
    if let Some(init) = fork().map_err(Failure::at(Step::Fork))? {
        // A: grade's child, outside. It must hold no end of grade's pipes (std's exec-error pipe
        // included, or `spawn` would wait for the whole run).
        drop(status_write);
        close_all_except(status_read.as_raw_fd());
        NAMESPACE_INIT.store(init.as_raw_nonzero().get(), Ordering::Relaxed);
        on_sigterm(end_namespace);
        follow(init, &status_read);
    }
    // B: PID 1 of the new PID namespace. Its death kills everything in the namespace.
    drop(status_read);
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
        .map_err(Failure::at(Step::DeathSignal))?;
    let partial = mount_file_systems(plan)?;
    on_sigterm(kill_namespace);
    if let Some(probe) = fork().map_err(Failure::at(Step::Fork))? {
        close_all_except(status_write.as_raw_fd());
        reap(probe, &status_write);
    }
    // C: the probe, PID 2: a PID 1 would ignore its own SIGABRT and SIGXCPU. It gets SIGTERM's
    // default action, as it would after exec.
    // SAFETY: signal(2) is async-signal-safe.
    unsafe { libc::signal(libc::SIGTERM, libc::SIG_DFL) };
    drop(status_write);
    Ok(partial)
}

/// New PID, network, mount, IPC and UTS namespaces, and a user namespace mapping the user alone
/// when `mapped`.
fn unshare(plan: &Plan, mapped: bool) -> Result<(), Failure> {
    use rustix::thread::UnshareFlags;
    let mut flags = UnshareFlags::NEWPID
        | UnshareFlags::NEWNET
        | UnshareFlags::NEWNS
        | UnshareFlags::NEWIPC
        | UnshareFlags::NEWUTS;
    if mapped {
        flags |= UnshareFlags::NEWUSER;
    }
    // SAFETY: no FILES flag: the descriptor table stays as it is.
    unsafe { rustix::thread::unshare_unsafe(flags) }.map_err(Failure::at(Step::Unshare))?;
    if mapped {
        write_file(c"/proc/self/uid_map", &plan.uid_map).map_err(Failure::at(Step::UserMap))?;
        write_file(c"/proc/self/setgroups", b"deny").map_err(Failure::at(Step::UserMap))?;
        write_file(c"/proc/self/gid_map", &plan.gid_map).map_err(Failure::at(Step::UserMap))?;
    }
    Ok(())
}

/// Installs `handler` for SIGTERM.
fn on_sigterm(handler: extern "C" fn(libc::c_int)) {
    // SAFETY: signal(2) is async-signal-safe; each handler only makes a system call.
    unsafe { libc::signal(libc::SIGTERM, handler as *const () as libc::sighandler_t) };
}

/// Drops every group and becomes `nobody` (in the namespaces, whose init dies with grade: the
/// parent-death signal a change of user clears is not needed there).
fn become_nobody() -> Result<(), Failure> {
    let (uid, gid) = (Uid::from_raw(NOBODY), Gid::from_raw(NOBODY));
    rustix::thread::set_thread_groups(&[]).map_err(Failure::at(Step::Groups))?;
    rustix::thread::set_thread_res_gid(gid, gid, gid).map_err(Failure::at(Step::Gid))?;
    rustix::thread::set_thread_res_uid(uid, uid, uid).map_err(Failure::at(Step::Uid))?;
    Ok(())
}

/// Empties root's capability bounding set, then its own sets, so that the program it execs (as
/// root) gets no capability back: it cannot remount what was made read-only, nor leave the
/// namespaces.
pub(super) fn drop_capabilities() -> Result<(), Errno> {
    use rustix::thread::{CapabilitySet, CapabilitySets};
    for bit in 0..64u32 {
        match rustix::thread::remove_capability_from_bounding_set(CapabilitySet::from_bits_retain(
            1 << bit,
        )) {
            // Past the last capability this kernel knows.
            Ok(()) | Err(Errno::INVAL) => {}
            Err(errno) => return Err(errno),
        }
    }
    rustix::thread::set_capabilities(
        None,
        CapabilitySets {
            effective: CapabilitySet::empty(),
            permitted: CapabilitySet::empty(),
            inheritable: CapabilitySet::empty(),
        },
    )
}

/// Writes `bytes` to a file that exists (a /proc control file) in one write(2).
pub(super) fn write_file(path: &CStr, bytes: &[u8]) -> Result<(), Errno> {
    let fd = rustix::fs::open(
        path,
        rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?;
    rustix::io::write(&fd, bytes)?;
    Ok(())
}

/// fork(2), which rustix has no stable call for; `None` in the new process.
pub(super) fn fork() -> Result<Option<Pid>, Errno> {
    // SAFETY: called by a single-threaded child of grade (a fork of a fork, as std's spawn is) or
    // by
    // `rehearse`; the new process makes only system calls until it execs or exits.
    match unsafe { libc::fork() } {
        -1 => Err(last_errno()),
        0 => Ok(None),
        pid => Ok(Pid::from_raw(pid)),
    }
}

pub(super) fn last_errno() -> Errno {
    errno_of(&io::Error::last_os_error())
}

/// Closes every descriptor but `keep`.
pub(super) fn close_all_except(keep: RawFd) {
    let close_range = |first: libc::c_long, last: libc::c_long| {
        // SAFETY: close_range(2) only closes descriptors; this process uses none of them again.
        unsafe { libc::syscall(libc::SYS_close_range, first, last, 0 as libc::c_long) == 0 }
    };
    let keep = libc::c_long::from(keep);
    let closed = (keep == 0 || close_range(0, keep - 1))
        && close_range(keep + 1, libc::c_long::from(u32::MAX));
    if !closed {
        // Kernels before 5.9.
        for fd in (0..4096).filter(|&fd| libc::c_long::from(fd) != keep) {
            // SAFETY: as above.
            unsafe { libc::close(fd) };
        }
    }
}
