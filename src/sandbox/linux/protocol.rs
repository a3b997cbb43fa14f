//! How the three processes of a run tell each other how it ended: B reaps the probe and writes its
//! end in two bytes to A, which ends the same way, so grade reads the probe's own exit code or
//! signal; SIGTERM at the deadline is passed from A to B, which kills the namespace.

use rustix::io::Errno;
use rustix::process::{Pid, Resource, Rlimit, WaitOptions, WaitStatus};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicI32, Ordering};

/// B's pid, in A. When grade sends SIGTERM at the deadline, A passes it on to B, which kills every
/// process of the namespace, reaps the probe (so that the kernel counts what it used in B's, then
/// A's, then grade's wait) and exits; B's exit takes the namespace with it before A's own exit
/// tells grade that the run is over, so nothing outlives the run. A B that does not end is killed
/// with the whole group after the grace period.
pub(super) static NAMESPACE_INIT: AtomicI32 = AtomicI32::new(0);

pub(super) extern "C" fn end_namespace(_signal: libc::c_int) {
    let pid = NAMESPACE_INIT.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill(2) is async-signal-safe.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
}

/// B's SIGTERM handler: every process of the namespace but B is killed (B, its PID 1, goes on to
/// reap the probe).
pub(super) extern "C" fn kill_namespace(_signal: libc::c_int) {
    // SAFETY: kill(2) is async-signal-safe.
    unsafe { libc::kill(-1, libc::SIGKILL) };
}

/// How a process ended, as B tells A in two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ended {
    Code(u8),
    Signal(u8),
}

impl Ended {
    pub(super) fn of(status: WaitStatus) -> Ended {
        match (status.exit_status(), status.terminating_signal()) {
            (Some(code), _) => Ended::Code(code as u8),
            (_, Some(signal)) => Ended::Signal(signal as u8),
            _ => Ended::Code(127),
        }
    }

    pub(super) fn encode(self) -> [u8; 2] {
        match self {
            Ended::Code(code) => [0, code],
            Ended::Signal(signal) => [1, signal],
        }
    }

    pub(super) fn decode(message: [u8; 2]) -> Option<Ended> {
        match message {
            [0, code] => Some(Ended::Code(code)),
            [1, signal] => Some(Ended::Signal(signal)),
            _ => None,
        }
    }

    /// Ends this process the same way, so grade reads the probe's own exit code or signal.
    fn reproduce(self) -> ! {
        // SAFETY: signal(2), kill(2) and _exit(2) are async-signal-safe.
        unsafe {
            if let Ended::Signal(signal) = self {
                let _ = rustix::process::setrlimit(
                    Resource::Core,
                    Rlimit {
                        current: Some(0),
                        maximum: Some(0),
                    },
                );
                let signal = libc::c_int::from(signal);
                libc::signal(signal, libc::SIG_DFL);
                libc::kill(libc::getpid(), signal);
            }
            libc::_exit(match self {
                Ended::Code(code) => libc::c_int::from(code),
                Ended::Signal(signal) => 128 + libc::c_int::from(signal),
            })
        }
    }
}

/// In A: waits for B, then ends as the probe did (or as B did, when B was killed first).
pub(super) fn follow(init: Pid, status: &OwnedFd) -> ! {
    let waited = loop {
        match rustix::process::waitpid(Some(init), WaitOptions::empty()) {
            Ok(Some((_, status))) => break Some(status),
            Err(Errno::INTR) => continue,
            _ => break None,
        }
    };
    let mut message = [0u8; 2];
    let ended = match rustix::io::read(status, &mut message) {
        Ok(2) => Ended::decode(message),
        _ => None,
    };
    ended
        .or(waited.map(Ended::of))
        .unwrap_or(Ended::Code(127))
        .reproduce()
}

/// In B, the namespace's init: reaps whatever is orphaned to it until the probe ends, tells A how,
/// and exits, which kills what is left.
pub(super) fn reap(probe: Pid, status: &OwnedFd) -> ! {
    loop {
        match rustix::process::wait(WaitOptions::empty()) {
            Ok(Some((pid, ended))) if pid == probe => {
                let _ = rustix::io::write(status, &Ended::of(ended).encode());
                // SAFETY: _exit is async-signal-safe.
                unsafe { libc::_exit(0) }
            }
            Ok(_) | Err(Errno::INTR) => {}
            // SAFETY: as above.
            Err(_) => unsafe { libc::_exit(127) },
        }
    }
}
