//! What a run's child does between fork and exec, planned before the fork (after it, the child
//! may not allocate), and the steps it takes, to say which one the system refused.

use super::{Level, NOBODY, TMPFS_SIZE};
use crate::sandbox::Limits;
use rustix::io::Errno;
use rustix::process::Pid;
use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Everything the child needs, made before the fork: after it, the child may not allocate.
pub(super) struct Plan {
    pub(super) level: Level,
    /// grade itself: a child whose parent is already gone does not run on.
    pub(super) parent: Pid,
    /// The working directory, where the scratch tmpfs goes (unless `writable`).
    pub(super) scratch: CString,
    /// A folder holding the working directory to bind-mount writable, instead of a scratch tmpfs.
    pub(super) writable: Option<CString>,
    /// Mount options of the scratch tmpfs (owned by whoever the probe runs as).
    pub(super) scratch_options: CString,
    /// Mount options of the /tmp tmpfs.
    pub(super) tmp_options: CString,
    /// The working folder is under /tmp, which then stays as it is (read-only) rather than hide it.
    pub(super) scratch_in_tmp: bool,
    /// The `uid_map` and `gid_map` of a user namespace: the user, and no one else.
    pub(super) uid_map: Vec<u8>,
    pub(super) gid_map: Vec<u8>,
    /// The rlimits to set.
    pub(super) limits: Vec<crate::sandbox::rlimits::Bound>,
    /// The observation channel, to be kept across exec.
    pub(super) channel: Option<RawFd>,
    /// Folders to cover with an empty read-only tmpfs.
    pub(super) hide: Vec<CString>,
    /// The program to bind-mount read-only in the scratch tmpfs, and where: its absolute path, and
    /// a path inside the scratch folder.
    pub(super) program: Option<(CString, CString)>,
}

impl Plan {
    pub(super) fn new(
        level: Level,
        scratch: &Path,
        writable: Option<&Path>,
        limits: Option<&Limits>,
        channel: Option<RawFd>,
    ) -> io::Result<Plan> {
        let owner = if level.nobody() {
            format!(",uid={NOBODY},gid={NOBODY}")
        } else {
            String::new()
        };
        let (uid, gid) = (
            rustix::process::geteuid().as_raw(),
            rustix::process::getegid().as_raw(),
        );
        Ok(Plan {
            level,
            parent: rustix::process::getpid(),
            scratch: CString::new(scratch.as_os_str().as_bytes())?,
            writable: writable
                .map(|w| CString::new(w.as_os_str().as_bytes()))
                .transpose()?,
            scratch_in_tmp: scratch.starts_with("/tmp")
                || writable.is_some_and(|w| w.starts_with("/tmp")),
            scratch_options: CString::new(format!(
                "size={TMPFS_SIZE},nr_inodes=4096,mode=0700{owner}"
            ))?,
            tmp_options: CString::new(format!("size={TMPFS_SIZE},nr_inodes=4096,mode=1777"))?,
            uid_map: format!("{uid} {uid} 1\n").into_bytes(),
            gid_map: format!("{gid} {gid} 1\n").into_bytes(),
            limits: crate::sandbox::rlimits::bounds(limits),
            channel,
            hide: Vec::new(),
            program: None,
        })
    }
}

/// Declares [`Step`] from one list, so that the steps, their words and their numbering on the
/// trial's pipe cannot drift apart.
macro_rules! steps {
    ($($step:ident => $what:expr,)*) => {
        /// A step of [`enter`](super::enter::enter), to say which one the system refused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) enum Step {
            $($step,)*
        }

        impl Step {
            /// Every step, in the order of their numbers.
            const ALL: &[Step] = &[$(Step::$step,)*];

            fn what(self) -> &'static str {
                match self {
                    $(Step::$step => $what,)*
                }
            }
        }
    };
}

steps! {
    Plan => "preparing the run",
    DeathSignal => "setting the parent-death signal",
    Unshare => "unshare(2) of the PID, network, mount, IPC and UTS namespaces",
    UserMap => "mapping the user into a user namespace",
    Pipe => "creating a pipe",
    Fork => "fork(2)",
    Propagation => "making the mounts private",
    ReadOnly => "remounting the file systems read-only",
    Scratch => "mounting a tmpfs on the scratch folder",
    Tmp => "mounting a tmpfs on /tmp",
    Hide => "covering a hidden folder with an empty tmpfs",
    Program => "mounting the probe's binary in the scratch folder",
    Chdir => "entering the scratch folder",
    Groups => "becoming the user nobody",
    Gid => "becoming the user nobody",
    Uid => "becoming the user nobody",
    Limits => "setting rlimits",
    NoNewPrivs => "setting no_new_privs",
    Channel => "keeping the observation channel open",
    Unknown => "the trial run ended unexpectedly",
    Bind => "bind-mounting the working folder writable",
    Capabilities => "dropping root's capabilities",
}

/// A step the system refused, and its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Failure {
    pub(super) step: Step,
    pub(super) errno: Errno,
}

impl Failure {
    pub(super) fn at(step: Step) -> impl Fn(Errno) -> Failure {
        move |errno| Failure { step, errno }
    }

    pub(super) fn encode(self) -> [u8; 5] {
        let [a, b, c, d] = self.errno.raw_os_error().to_le_bytes();
        [self.step as u8, a, b, c, d]
    }

    pub(super) fn decode(record: [u8; 5]) -> Failure {
        let step = Step::ALL
            .get(usize::from(record[0]))
            .copied()
            .unwrap_or(Step::Unknown);
        let errno = Errno::from_raw_os_error(i32::from_le_bytes([
            record[1], record[2], record[3], record[4],
        ]));
        Failure { step, errno }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.step.what(), io::Error::from(self.errno))
    }
}

pub(super) fn errno_of(error: &io::Error) -> Errno {
    Errno::from_io_error(error).unwrap_or(Errno::INVAL)
}
