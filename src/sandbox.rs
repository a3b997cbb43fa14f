//! Running untrusted children: the one place where a child is spawned, bounded, watched and killed.
//!
//! Each child gets its own process group, stdin from /dev/null, rlimits set before exec, and a
//! wall-clock deadline after which the whole group gets SIGTERM, then SIGKILL after a grace period.
//! Its stdout and stderr are captured up to a cap (head and tail kept), and an optional extra pipe
//! (the observation channel) is handed to it as a numbered descriptor. Reading stops when the child
//! exits: whatever it left behind in its group is killed, and no one waits on a pipe an escaped
//! grandchild still holds open.
//!
//! An [`isolated`](Job::isolate) child (a probe run: the student's code) is also shut in, as far as
//! the system allows (found once per process, by trying; see [`notes`]):
//!
//! ```text
//! grade ─► A  the spawned child, in grade's namespaces: unshares, forks B, waits, dies as the probe died
//!          └► B  PID 1 of a new PID namespace, with a new network, mount, IPC and UTS namespace:
//!             │  mounts, forks C, reaps, hands C's end to A; when B exits the kernel kills the namespace
//!             └► C  drops to `nobody` (when grade is root), sets the rlimits, execs the probe
//! ```
//!
//! In C's mount namespace every file system is read-only except two private tmpfs: one over the
//! scratch folder (its working directory) and one on /tmp (unless the scratch folder is under /tmp,
//! which then stays read-only); /proc is the namespace's own. A [`writable`](Job::writable) child (a
//! compile: rustc and its linker, which must read the user's toolchain and write their output) gets
//! the same namespaces, with its working folder bind-mounted writable instead of the scratch tmpfs;
//! it keeps grade's user, without any capability when that is root. So the probe
//! sees no network, no process but its own, cannot signal grade, writes nothing that outlives it, and
//! every process it starts, even one that called setsid, dies with it. Without root, the same is done
//! inside a user namespace (the probe keeps the user's id, without capabilities). Where the kernel
//! refuses, the child runs with less and [`notes`] says what is missing.

use rustix::event::{PollFd, PollFlags};
use rustix::io::Errno;
use rustix::process::{Gid, Pid, Resource, Rlimit, Signal, Uid, WaitOptions, WaitStatus};
use std::collections::VecDeque;
use std::ffi::{CStr, CString};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Bounds on one child.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock time before the group is terminated.
    pub wall: Duration,
    /// Time between SIGTERM and SIGKILL.
    pub grace: Duration,
    /// RLIMIT_AS in bytes.
    pub address_space: Option<u64>,
    /// RLIMIT_CPU in seconds.
    pub cpu_seconds: Option<u64>,
    /// RLIMIT_FSIZE in bytes: the largest file the child may write.
    pub file_size: Option<u64>,
    /// RLIMIT_NOFILE.
    pub open_files: Option<u64>,
    /// RLIMIT_NPROC: processes and threads of the user the child runs as (for an isolated child
    /// that is not in a user namespace, every process of `nobody` on the machine counts).
    pub processes: Option<u64>,
    /// Bytes kept of each of stdout and stderr; the middle of anything longer is elided.
    pub output_cap: usize,
    /// Bytes accepted on the observation channel.
    pub channel_cap: usize,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Its working directory.
    pub cwd: PathBuf,
    /// Its whole environment when `clear_env`, otherwise additions to the grader's.
    pub env: Vec<(String, String)>,
    /// Start from an empty environment.
    pub clear_env: bool,
    /// Hand the child an extra pipe whose number is in `GRADE_OBS_FD`.
    pub channel: bool,
    /// Shut the child in (namespaces, read-only file systems, `nobody`), as far as the system allows.
    pub isolate: bool,
    /// For an isolated child: a folder holding `cwd` that stays writable, files and all (bind-mounted
    /// into the otherwise read-only namespace), instead of a private tmpfs over `cwd`; the child
    /// then keeps grade's user (without capabilities). For compiles, which write their output and
    /// incremental state there.
    pub writable: Option<PathBuf>,
    /// Folders the child must not see, when it is shut in: each is covered by an empty read-only
    /// tmpfs (the grader's cache, the trusted exercise and its solutions). The program may lie in
    /// one of them: it is exec'd through a descriptor opened before.
    pub hide: Vec<PathBuf>,
    /// Bounds.
    pub limits: Limits,
}

/// How the child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it (not ours).
    Signal(i32),
    /// It outlived its wall-clock bound and was killed.
    TimedOut,
}

/// What a finished child left.
#[derive(Debug, Clone)]
pub struct Finished {
    /// How it ended.
    pub exit: Exit,
    /// Its stdout, capped.
    pub stdout: Captured,
    /// Its stderr, capped.
    pub stderr: Captured,
    /// Everything it wrote on the observation channel, if it had one and stayed under the cap.
    pub channel: Option<Vec<u8>>,
    /// It wrote more than `channel_cap` on the channel.
    pub channel_overflow: bool,
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// What it used, its descendants included.
    pub usage: Usage,
}

/// The resources a finished child used, as the kernel counted them (wait4(2)): the child and every
/// descendant it waited for, so a probe's own usage through the namespace's processes, and a
/// linker's through rustc.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// CPU time, user and system.
    pub cpu: Duration,
    /// The largest resident set of any one of those processes, in bytes.
    pub max_rss: u64,
}

/// A capped capture of a stream: the head and the tail, and how much was written in all.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    total: u64,
    cap: usize,
}

impl Captured {
    fn new(cap: usize) -> Captured {
        Captured {
            cap,
            ..Captured::default()
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let head_room = (self.cap / 2).saturating_sub(self.head.len());
        let (to_head, rest) = bytes.split_at(head_room.min(bytes.len()));
        self.head.extend_from_slice(to_head);
        let tail_cap = self.cap - self.cap / 2;
        let rest = &rest[rest.len().saturating_sub(tail_cap)..];
        self.tail.extend(rest);
        let excess = self.tail.len().saturating_sub(tail_cap);
        self.tail.drain(..excess);
    }

    /// Bytes written in all, including any elided.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Bytes elided from the middle.
    pub fn elided(&self) -> u64 {
        self.total - (self.head.len() + self.tail.len()) as u64
    }

    /// The kept text, with a marker where the middle was elided.
    pub fn text(&self) -> String {
        let head = String::from_utf8_lossy(&self.head);
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        let tail = String::from_utf8_lossy(&tail);
        match self.elided() {
            0 => format!("{head}{tail}"),
            n => format!("{head}\n[… {n} bytes elided …]\n{tail}"),
        }
    }

    /// The kept bytes, head then tail.
    fn bytes(&self) -> Vec<u8> {
        self.head.iter().chain(self.tail.iter()).copied().collect()
    }

    /// Nothing was elided.
    pub fn is_complete(&self) -> bool {
        self.elided() == 0
    }
}

/// Runs `job` to the end within its bounds.
pub fn run(job: &Job) -> io::Result<Finished> {
    let level = if job.isolate {
        isolation(job).level
    } else {
        Level::Bare
    };
    // As `nobody` the probe may be unable to reach its own binary (the cache is often under root's
    // 0700 home), and it may lie in a folder hidden from it: it is exec'd through a descriptor
    // that grade opened. (Not a script: its interpreter could not open the descriptor.)
    let hidden = matches!(level, Level::Namespaces { .. })
        && job
            .hide
            .iter()
            .any(|folder| job.program.starts_with(folder));
    let binary = if (level.nobody() || hidden) && Path::new("/proc/self/fd").is_dir() {
        Some(rustix::fs::open(
            &job.program,
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?)
    } else {
        None
    };
    // In its own mount namespace the probe is exec'd from a bind mount of its binary inside the
    // scratch folder: the binary's own folder may be hidden, and the probe must be able to read
    // its binary (a panic's backtrace is resolved from the line tables in it).
    let in_scratch = job.cwd.join(PROGRAM_IN_SCRATCH);
    let mounted =
        binary.is_some() && job.writable.is_none() && matches!(level, Level::Namespaces { .. });
    let mut command = match &binary {
        Some(_) if mounted => {
            let mut command = Command::new(&in_scratch);
            command.arg0(&job.program);
            command
        }
        Some(fd) => {
            let mut command = Command::new(format!("/proc/self/fd/{}", fd.as_raw_fd()));
            command.arg0(&job.program);
            command
        }
        None => Command::new(&job.program),
    };
    command
        .args(&job.args)
        .current_dir(&job.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if job.clear_env {
        command.env_clear();
    }
    command.envs(job.env.iter().map(|(k, v)| (k, v)));

    let channel = if job.channel {
        let (read, write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
        command.env("GRADE_OBS_FD", write.as_raw_fd().to_string());
        Some((read, write))
    } else {
        None
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
        channel.as_ref().map(|(_, write)| write.as_raw_fd()),
    )?;
    if let (true, Some(fd)) = (mounted, &binary) {
        plan.program = Some((
            CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd()))?,
            CString::new(in_scratch.as_os_str().as_bytes())?,
        ));
    }
    // A folder that holds the scratch folder (or the writable one) stays: the run needs its
    // working directory.
    for folder in &job.hide {
        let needed = job.cwd.starts_with(folder)
            || job.writable.as_ref().is_some_and(|w| w.starts_with(folder));
        if folder.is_dir() && !needed {
            plan.hide.push(CString::new(folder.as_os_str().as_bytes())?);
        }
    }
    // SAFETY: the closure runs in the forked child before exec. `enter` only makes system calls
    // (async-signal-safe) and allocates nothing; the intermediate processes it forks return into
    // std only with an error, which std reports on its pipe before it _exits.
    unsafe {
        command.pre_exec(move || {
            enter(&plan)
                .map(drop)
                .map_err(|failure| io::Error::from(failure.errno))
        });
    }

    let start = Instant::now();
    let mut child = command.spawn()?;
    drop(binary);
    let (channel_read, channel_write) = match channel {
        Some((read, write)) => (Some(read), Some(write)),
        None => (None, None),
    };
    // The parent's copy of the write end must go, or the channel never reads as closed.
    drop(channel_write);
    let group = Pid::from_child(&child);
    let pidfd = rustix::process::pidfd_open(group, rustix::process::PidfdFlags::empty())?;

    let stdout: OwnedFd = child.stdout.take().expect("piped").into();
    let stderr: OwnedFd = child.stderr.take().expect("piped").into();
    let mut streams = vec![
        Stream::new(stdout, job.limits.output_cap),
        Stream::new(stderr, job.limits.output_cap),
    ];
    if let Some(read) = channel_read {
        streams.push(Stream::new(read, job.limits.channel_cap));
    }
    for stream in &streams {
        rustix::io::ioctl_fionbio(&stream.fd, true)?;
    }

    let deadline = start + job.limits.wall;
    let mut terminated_at: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let wake = match terminated_at {
            None => deadline,
            Some(at) => at + job.limits.grace,
        };
        if now >= wake {
            match terminated_at {
                None => {
                    let _ = rustix::process::kill_process_group(group, Signal::TERM);
                    terminated_at = Some(now);
                }
                Some(_) => {
                    let _ = rustix::process::kill_process_group(group, Signal::KILL);
                    // Once killed it exits promptly; wait for that below without a deadline.
                    terminated_at = Some(now + Duration::from_secs(3600));
                }
            }
            continue;
        }
        let mut fds: Vec<PollFd> = streams
            .iter()
            .filter(|s| s.open)
            .map(|s| PollFd::new(&s.fd, PollFlags::IN))
            .collect();
        fds.push(PollFd::new(&pidfd, PollFlags::IN));
        let timeout =
            rustix::event::Timespec::try_from(wake - now).unwrap_or(rustix::event::Timespec {
                tv_sec: 1,
                tv_nsec: 0,
            });
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
        let exited = fds.last().is_some_and(|fd| !fd.revents().is_empty());
        drop(fds);
        for stream in &mut streams {
            stream.drain(64);
        }
        if exited {
            break;
        }
    }
    // The child is a zombie: its pid, hence the group id, cannot be reused until it is reaped.
    let _ = rustix::process::kill_process_group(group, Signal::KILL);
    for stream in &mut streams {
        stream.drain(16);
    }
    let (status, usage) = wait_with_usage(&child)?;
    let wall = start.elapsed();
    let exit = if terminated_at.is_some() {
        Exit::TimedOut
    } else if let Some(signal) = status.signal() {
        Exit::Signal(signal)
    } else {
        Exit::Code(status.code().unwrap_or(-1))
    };
    let mut streams = streams.into_iter();
    let stdout = streams.next().expect("stdout").captured;
    let stderr = streams.next().expect("stderr").captured;
    let (channel, channel_overflow) = match streams.next() {
        Some(stream) if stream.captured.is_complete() => (Some(stream.captured.bytes()), false),
        Some(_) => (None, true),
        None => (None, false),
    };
    Ok(Finished {
        exit,
        stdout,
        stderr,
        channel,
        channel_overflow,
        wall,
        usage,
    })
}

/// Reaps `child` (already exited, or about to) with wait4(2), which also says what it used; std's
/// `wait` does not.
fn wait_with_usage(child: &std::process::Child) -> io::Result<(std::process::ExitStatus, Usage)> {
    let pid = libc::pid_t::try_from(child.id())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is a valid value of the plain C struct wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals of the right types.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    Ok((
        std::process::ExitStatus::from_raw(status),
        Usage {
            cpu: time(usage.ru_utime) + time(usage.ru_stime),
            // Kilobytes on Linux.
            max_rss: (usage.ru_maxrss.max(0) as u64) << 10,
        },
    ))
}

/// What the system would not allow of the isolation of probe runs and compiles, one sentence each,
/// for a verbose mode to print once. Empty when both are fully isolated, and before the first of
/// each.
pub fn notes() -> Vec<String> {
    [&PROBE_ISOLATION, &BUILD_ISOLATION]
        .iter()
        .filter_map(|isolation| isolation.get())
        .flat_map(|isolation| isolation.notes.clone())
        .collect()
}

/// Finds what isolation this machine allows probe runs and compiles, ahead of the first of each,
/// trying it in `folder` (any folder grade may write in): a grader calls it on a thread of its
/// own while it does other things, so that no compile or run waits for the trials.
pub fn prepare(folder: &Path) {
    PROBE_ISOLATION.get_or_init(|| choose(Kind::Probe, folder, None));
    BUILD_ISOLATION.get_or_init(|| choose(Kind::Build, folder, Some(folder)));
}

// ---- isolation: chosen once per process, for probe runs and for compiles ----

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
    /// Only as `nobody`: grade is root but may not make namespaces.
    Nobody,
    /// Only a process group and rlimits.
    Bare,
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
        matches!(
            self,
            Level::Namespaces { user: User::Nobody } | Level::Nobody
        )
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
struct Isolation {
    level: Level,
    notes: Vec<String>,
}

static PROBE_ISOLATION: OnceLock<Isolation> = OnceLock::new();
static BUILD_ISOLATION: OnceLock<Isolation> = OnceLock::new();

fn isolation(job: &Job) -> &'static Isolation {
    match &job.writable {
        None => PROBE_ISOLATION.get_or_init(|| choose(Kind::Probe, &job.cwd, None)),
        Some(writable) => {
            BUILD_ISOLATION.get_or_init(|| choose(Kind::Build, &job.cwd, Some(writable)))
        }
    }
}

/// Tries the strongest level this process may have, then the weaker ones, each in a throwaway child
/// that runs the same code as a real run, up to the exec.
fn choose(kind: Kind, cwd: &Path, writable: Option<&Path>) -> Isolation {
    let root = rustix::process::geteuid().is_root();
    let candidates: &[Level] = match (kind, root) {
        (Kind::Probe, true) => &[Level::Namespaces { user: User::Nobody }, Level::Nobody],
        (Kind::Build, true) => &[Level::Namespaces { user: User::Root }],
        (_, false) => &[Level::Namespaces { user: User::Mapped }],
    };
    let mut refused: Option<Failure> = None;
    for &level in candidates {
        match rehearse(level, cwd, writable) {
            Ok(partial) => {
                return Isolation {
                    level,
                    notes: describe(kind, level, refused, partial),
                }
            }
            Err(failure) => refused = refused.or(Some(failure)),
        }
    }
    Isolation {
        level: Level::Bare,
        notes: describe(kind, Level::Bare, refused, 0),
    }
}

/// Bits of [`enter`]'s result: what was done less well than intended.
const PARTIAL_READ_ONLY: u8 = 1;
const HOST_PROC: u8 = 2;

fn describe(kind: Kind, level: Level, refused: Option<Failure>, partial: u8) -> Vec<String> {
    let why = refused.map_or(String::new(), |failure| format!(" ({failure})"));
    let mut notes = Vec::new();
    let who = if rustix::process::geteuid().is_root() {
        "root"
    } else {
        "you"
    };
    let runs = match kind {
        Kind::Probe => "probe runs",
        Kind::Build => "compiles",
    };
    match (kind, level) {
        (_, Level::Namespaces { .. }) => {}
        (_, Level::Nobody) => notes.push(format!(
            "probe runs are not in their own namespaces{why}: a submission can reach the network, leave \
             behind a process that left its process group, and write wherever the user nobody may"
        )),
        (Kind::Probe, Level::Bare) => notes.push(format!(
            "probe runs are not in their own namespaces and run as {who}{why}: a submission can reach the \
             network, leave behind a process that left its process group, signal grade, and write \
             wherever {who} may"
        )),
        (Kind::Build, Level::Bare) => notes.push(format!(
            "compiles are not in their own namespaces and run as {who}{why}: rustc and its linker \
             could reach the network and write wherever {who} may; only their limits on memory, CPU \
             time and file size bound them"
        )),
    }
    if partial & PARTIAL_READ_ONLY != 0 {
        notes.push(format!("only / is read-only in {runs} (mount_setattr is not available): other mounted file systems stay writable"));
    }
    if partial & HOST_PROC != 0 {
        notes.push(format!("{runs} see every process of the machine in /proc (mounting their own /proc was refused)"));
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
    // grade's own binary stands in for the probe's, mounted as a real run mounts it.
    let program = rustix::fs::open(
        c"/proc/self/exe",
        rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .ok()
    .filter(|_| matches!(level, Level::Namespaces { .. }) && writable.is_none());
    if let Some(fd) = &program {
        plan.program = Some((
            CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd()))
                .map_err(|e| plan_failed(e.into()))?,
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

/// Everything the child needs, made before the fork: after it, the child may not allocate.
struct Plan {
    level: Level,
    /// grade itself: a child whose parent is already gone does not run on.
    parent: Pid,
    /// The working directory, where the scratch tmpfs goes (unless `writable`).
    scratch: CString,
    /// A folder holding the working directory to bind-mount writable, instead of a scratch tmpfs.
    writable: Option<CString>,
    /// Mount options of the scratch tmpfs (owned by whoever the probe runs as).
    scratch_options: CString,
    /// Mount options of the /tmp tmpfs.
    tmp_options: CString,
    /// The working folder is under /tmp, which then stays as it is (read-only) rather than hide it.
    scratch_in_tmp: bool,
    /// The `uid_map` and `gid_map` of a user namespace: the user, and no one else.
    uid_map: Vec<u8>,
    gid_map: Vec<u8>,
    /// rlimits: resource, soft and hard limit.
    limits: Vec<(Resource, u64, u64)>,
    /// The observation channel, to be kept across exec.
    channel: Option<RawFd>,
    /// Folders to cover with an empty read-only tmpfs.
    hide: Vec<CString>,
    /// The program to bind-mount read-only in the scratch tmpfs, and where: `/proc/self/fd/N` of
    /// a descriptor opened before the fork, and a path inside the scratch folder.
    program: Option<(CString, CString)>,
}

impl Plan {
    fn new(
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
        let mut rlimits = vec![(Resource::Core, 0, 0)];
        if let Some(limits) = limits {
            let mut add =
                |resource, value: Option<u64>| rlimits.extend(value.map(|v| (resource, v, v)));
            add(Resource::As, limits.address_space);
            add(Resource::Fsize, limits.file_size);
            add(Resource::Nofile, limits.open_files);
            add(Resource::Nproc, limits.processes);
            // One second between the soft and the hard limit: SIGXCPU says why, SIGKILL makes sure.
            rlimits.extend(limits.cpu_seconds.map(|s| (Resource::Cpu, s, s + 1)));
        }
        // Raising a hard limit takes a privilege: a limit above grade's own is grade's own.
        for (resource, soft, hard) in &mut rlimits {
            if let Some(ceiling) = rustix::process::getrlimit(*resource).maximum {
                *soft = (*soft).min(ceiling);
                *hard = (*hard).min(ceiling);
            }
        }
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
            limits: rlimits,
            channel,
            hide: Vec::new(),
            program: None,
        })
    }
}

/// A step of [`enter`], to say which one the system refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Plan,
    DeathSignal,
    Unshare,
    UserMap,
    Pipe,
    Fork,
    Propagation,
    ReadOnly,
    Scratch,
    Tmp,
    Hide,
    Program,
    Chdir,
    Groups,
    Gid,
    Uid,
    Limits,
    NoNewPrivs,
    Channel,
    Unknown,
    Bind,
    Capabilities,
}

impl Step {
    const ALL: [Step; 22] = [
        Step::Plan,
        Step::DeathSignal,
        Step::Unshare,
        Step::UserMap,
        Step::Pipe,
        Step::Fork,
        Step::Propagation,
        Step::ReadOnly,
        Step::Scratch,
        Step::Tmp,
        Step::Hide,
        Step::Program,
        Step::Chdir,
        Step::Groups,
        Step::Gid,
        Step::Uid,
        Step::Limits,
        Step::NoNewPrivs,
        Step::Channel,
        Step::Unknown,
        Step::Bind,
        Step::Capabilities,
    ];

    fn what(self) -> &'static str {
        match self {
            Step::Plan => "preparing the run",
            Step::DeathSignal => "setting the parent-death signal",
            Step::Unshare => "unshare(2) of the PID, network, mount, IPC and UTS namespaces",
            Step::UserMap => "mapping the user into a user namespace",
            Step::Pipe => "creating a pipe",
            Step::Fork => "fork(2)",
            Step::Propagation => "making the mounts private",
            Step::ReadOnly => "remounting the file systems read-only",
            Step::Scratch => "mounting a tmpfs on the scratch folder",
            Step::Tmp => "mounting a tmpfs on /tmp",
            Step::Hide => "covering a hidden folder with an empty tmpfs",
            Step::Program => "mounting the probe's binary in the scratch folder",
            Step::Chdir => "entering the scratch folder",
            Step::Groups | Step::Gid | Step::Uid => "becoming the user nobody",
            Step::Limits => "setting rlimits",
            Step::NoNewPrivs => "setting no_new_privs",
            Step::Channel => "keeping the observation channel open",
            Step::Unknown => "the trial run ended unexpectedly",
            Step::Bind => "bind-mounting the working folder writable",
            Step::Capabilities => "dropping root's capabilities",
        }
    }
}

/// A step the system refused, and its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Failure {
    step: Step,
    errno: Errno,
}

impl Failure {
    fn at(step: Step) -> impl Fn(Errno) -> Failure {
        move |errno| Failure { step, errno }
    }

    fn encode(self) -> [u8; 5] {
        let [a, b, c, d] = self.errno.raw_os_error().to_le_bytes();
        [self.step as u8, a, b, c, d]
    }

    fn decode(record: [u8; 5]) -> Failure {
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

fn errno_of(error: &io::Error) -> Errno {
    Errno::from_io_error(error).unwrap_or(Errno::INVAL)
}

/// The child's side, between fork and exec: everything here is a system call, nothing allocates.
/// Returns in the process that is to exec the probe, with the [`PARTIAL_READ_ONLY`] and
/// [`HOST_PROC`] bits; the intermediate processes it forks exit here instead.
fn enter(plan: &Plan) -> Result<u8, Failure> {
    // If grade dies, its children go too; if it already died, there is no one to run for.
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
        .map_err(Failure::at(Step::DeathSignal))?;
    if rustix::process::getppid() != Some(plan.parent) {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(1) };
    }
    let mut partial = 0;
    let namespaces = matches!(plan.level, Level::Namespaces { .. });
    if let Level::Namespaces { user } = plan.level {
        use rustix::thread::UnshareFlags;
        let mapped = user == User::Mapped;
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
        let (status_read, status_write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)
            .map_err(Failure::at(Step::Pipe))?;
        if let Some(init) = fork().map_err(Failure::at(Step::Fork))? {
            // A: grade's child, outside. It must hold no end of grade's pipes (std's exec-error pipe
            // included, or `spawn` would wait for the whole run).
            drop(status_write);
            close_all_except(status_read.as_raw_fd());
            NAMESPACE_INIT.store(init.as_raw_nonzero().get(), Ordering::Relaxed);
            // SAFETY: the handler only makes a system call.
            unsafe {
                libc::signal(
                    libc::SIGTERM,
                    end_namespace as *const () as libc::sighandler_t,
                )
            };
            follow(init, &status_read);
        }
        // B: PID 1 of the new PID namespace. Its death kills everything in the namespace.
        drop(status_read);
        rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
            .map_err(Failure::at(Step::DeathSignal))?;
        partial = mount_file_systems(plan)?;
        // SAFETY: the handler only makes a system call.
        unsafe {
            libc::signal(
                libc::SIGTERM,
                kill_namespace as *const () as libc::sighandler_t,
            )
        };
        if let Some(probe) = fork().map_err(Failure::at(Step::Fork))? {
            close_all_except(status_write.as_raw_fd());
            reap(probe, &status_write);
        }
        // C: the probe, PID 2: a PID 1 would ignore its own SIGABRT and SIGXCPU.
        // SAFETY: as above; the probe gets SIGTERM's default action, as it would after exec.
        unsafe { libc::signal(libc::SIGTERM, libc::SIG_DFL) };
        drop(status_write);
    }
    if plan.level.nobody() {
        let (uid, gid) = (Uid::from_raw(NOBODY), Gid::from_raw(NOBODY));
        rustix::thread::set_thread_groups(&[]).map_err(Failure::at(Step::Groups))?;
        rustix::thread::set_thread_res_gid(gid, gid, gid).map_err(Failure::at(Step::Gid))?;
        rustix::thread::set_thread_res_uid(uid, uid, uid).map_err(Failure::at(Step::Uid))?;
        if !namespaces {
            // A change of user clears the parent-death signal.
            rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
                .map_err(Failure::at(Step::DeathSignal))?;
        }
    }
    // After the change of user: RLIMIT_NPROC checked at setuid would make the exec itself fail.
    for &(resource, soft, hard) in &plan.limits {
        rustix::process::setrlimit(
            resource,
            Rlimit {
                current: Some(soft),
                maximum: Some(hard),
            },
        )
        .map_err(Failure::at(Step::Limits))?;
    }
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

/// In B: a mount namespace where nothing is writable but a tmpfs over the scratch folder and one on
/// /tmp, both gone with the namespace, and a /proc of the new PID namespace.
fn mount_file_systems(plan: &Plan) -> Result<u8, Failure> {
    use rustix::mount::{MountFlags, MountPropagationFlags};
    let mut partial = 0;
    // Nothing mounted here shows outside.
    rustix::mount::mount_change(
        c"/",
        MountPropagationFlags::REC | MountPropagationFlags::PRIVATE,
    )
    .map_err(Failure::at(Step::Propagation))?;
    if read_only_everywhere().is_err() {
        // Kernels before 5.12: the root file system at least.
        rustix::mount::mount_remount(
            c"/",
            MountFlags::BIND | MountFlags::RDONLY | MountFlags::NOSUID,
            c"",
        )
        .map_err(Failure::at(Step::ReadOnly))?;
        partial |= PARTIAL_READ_ONLY;
    }
    let private = MountFlags::NOSUID | MountFlags::NODEV;
    match &plan.writable {
        None => rustix::mount::mount(
            c"tmpfs",
            plan.scratch.as_c_str(),
            c"tmpfs",
            private,
            Some(plan.scratch_options.as_c_str()),
        )
        .map_err(Failure::at(Step::Scratch))?,
        Some(writable) => {
            // A bind mount takes the read-only flag of the mount it comes from: then lift it, on
            // this mount alone.
            rustix::mount::mount_bind(writable.as_c_str(), writable.as_c_str())
                .map_err(Failure::at(Step::Bind))?;
            if partial & PARTIAL_READ_ONLY == 0 {
                set_read_only(writable.as_c_str(), false, false)
            } else {
                rustix::mount::mount_remount(writable.as_c_str(), MountFlags::BIND | private, c"")
            }
            .map_err(Failure::at(Step::Bind))?;
        }
    }
    if !plan.scratch_in_tmp {
        match rustix::mount::mount(
            c"tmpfs",
            c"/tmp",
            c"tmpfs",
            private,
            Some(plan.tmp_options.as_c_str()),
        ) {
            Ok(()) | Err(Errno::NOENT) => {}
            Err(errno) => {
                return Err(Failure {
                    step: Step::Tmp,
                    errno,
                })
            }
        }
    }
    if let Some((source, target)) = &plan.program {
        let mount_point = rustix::fs::open(
            target.as_c_str(),
            rustix::fs::OFlags::CREATE | rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::from_raw_mode(0o555),
        )
        .map_err(Failure::at(Step::Program))?;
        drop(mount_point);
        rustix::mount::mount_bind(source.as_c_str(), target.as_c_str())
            .map_err(Failure::at(Step::Program))?;
        rustix::mount::mount_remount(
            target.as_c_str(),
            MountFlags::BIND | MountFlags::RDONLY | MountFlags::NOSUID | MountFlags::NODEV,
            c"",
        )
        .map_err(Failure::at(Step::Program))?;
    }
    for folder in &plan.hide {
        match rustix::mount::mount(
            c"tmpfs",
            folder.as_c_str(),
            c"tmpfs",
            private | MountFlags::RDONLY | MountFlags::NOEXEC,
            Some(c"size=4k,nr_inodes=1,mode=0555"),
        ) {
            // Gone since it was planned: nothing to hide.
            Ok(()) | Err(Errno::NOENT) => {}
            Err(errno) => {
                return Err(Failure {
                    step: Step::Hide,
                    errno,
                })
            }
        }
    }
    if rustix::mount::mount(
        c"proc",
        c"/proc",
        c"proc",
        private | MountFlags::NOEXEC,
        None,
    )
    .is_err()
    {
        partial |= HOST_PROC;
    }
    // The working directory std entered is the folder under the tmpfs: enter the tmpfs.
    rustix::process::chdir(plan.scratch.as_c_str()).map_err(Failure::at(Step::Chdir))?;
    Ok(partial)
}

/// mount_setattr(2), which rustix lacks: every mount read-only and without set-user-ID, at once.
fn read_only_everywhere() -> Result<(), Errno> {
    set_read_only(c"/", true, true)
}

/// mount_setattr(2) on the mount at `path` (and those below it when `recursive`): read-only and
/// without set-user-ID, or writable again.
fn set_read_only(path: &CStr, read_only: bool, recursive: bool) -> Result<(), Errno> {
    #[repr(C)]
    struct MountAttr {
        attr_set: u64,
        attr_clr: u64,
        propagation: u64,
        userns_fd: u64,
    }
    const MOUNT_ATTR_RDONLY: u64 = 0x1;
    const MOUNT_ATTR_NOSUID: u64 = 0x2;
    const AT_RECURSIVE: libc::c_long = 0x8000;
    let attr = if read_only {
        MountAttr {
            attr_set: MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID,
            attr_clr: 0,
            propagation: 0,
            userns_fd: 0,
        }
    } else {
        MountAttr {
            attr_set: 0,
            attr_clr: MOUNT_ATTR_RDONLY,
            propagation: 0,
            userns_fd: 0,
        }
    };
    let flags = if recursive { AT_RECURSIVE } else { 0 };
    // SAFETY: the path is a C string and the struct is the kernel's `mount_attr`, with its size.
    let result = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD as libc::c_long,
            path.as_ptr(),
            flags,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(last_errno())
    }
}

/// Empties root's capability bounding set, then its own sets, so that the program it execs (as
/// root) gets no capability back: it cannot remount what was made read-only, nor leave the
/// namespaces.
fn drop_capabilities() -> Result<(), Errno> {
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
fn write_file(path: &CStr, bytes: &[u8]) -> Result<(), Errno> {
    let fd = rustix::fs::open(
        path,
        rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?;
    rustix::io::write(&fd, bytes)?;
    Ok(())
}

/// fork(2), which rustix has no stable call for; `None` in the new process.
fn fork() -> Result<Option<Pid>, Errno> {
    // SAFETY: called by a single-threaded child of grade (a fork of a fork, as std's spawn is) or by
    // `rehearse`; the new process makes only system calls until it execs or exits.
    match unsafe { libc::fork() } {
        -1 => Err(last_errno()),
        0 => Ok(None),
        pid => Ok(Pid::from_raw(pid)),
    }
}

fn last_errno() -> Errno {
    errno_of(&io::Error::last_os_error())
}

/// Closes every descriptor but `keep`.
fn close_all_except(keep: RawFd) {
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

/// B's pid, in A. When grade sends SIGTERM at the deadline, A passes it on to B, which kills every
/// process of the namespace, reaps the probe (so that the kernel counts what it used in B's, then
/// A's, then grade's wait) and exits; B's exit takes the namespace with it before A's own exit
/// tells grade that the run is over, so nothing outlives the run. A B that does not end is killed
/// with the whole group after the grace period.
static NAMESPACE_INIT: AtomicI32 = AtomicI32::new(0);

extern "C" fn end_namespace(_signal: libc::c_int) {
    let pid = NAMESPACE_INIT.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill(2) is async-signal-safe.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
}

/// B's SIGTERM handler: every process of the namespace but B is killed (B, its PID 1, goes on to
/// reap the probe).
extern "C" fn kill_namespace(_signal: libc::c_int) {
    // SAFETY: kill(2) is async-signal-safe.
    unsafe { libc::kill(-1, libc::SIGKILL) };
}

/// How a process ended, as B tells A in two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    Code(u8),
    Signal(u8),
}

impl Ended {
    fn of(status: WaitStatus) -> Ended {
        match (status.exit_status(), status.terminating_signal()) {
            (Some(code), _) => Ended::Code(code as u8),
            (_, Some(signal)) => Ended::Signal(signal as u8),
            _ => Ended::Code(127),
        }
    }

    fn encode(self) -> [u8; 2] {
        match self {
            Ended::Code(code) => [0, code],
            Ended::Signal(signal) => [1, signal],
        }
    }

    fn decode(message: [u8; 2]) -> Option<Ended> {
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
fn follow(init: Pid, status: &OwnedFd) -> ! {
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
fn reap(probe: Pid, status: &OwnedFd) -> ! {
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

/// One pipe being read without blocking.
struct Stream {
    fd: OwnedFd,
    open: bool,
    captured: Captured,
}

impl Stream {
    fn new(fd: OwnedFd, cap: usize) -> Stream {
        // The channel is kept whole (head only) so that it can be parsed; the cap still bounds it.
        Stream {
            fd,
            open: true,
            captured: Captured::new(cap),
        }
    }

    /// Reads what is available now, at most `rounds` buffers, so a writer that never pauses cannot
    /// keep the grader here.
    fn drain(&mut self, rounds: usize) {
        let mut buffer = [0u8; 64 * 1024];
        for _ in 0..rounds {
            if !self.open {
                return;
            }
            match rustix::io::read(&self.fd, &mut buffer) {
                Ok(0) => self.open = false,
                Ok(n) => self.captured.push(&buffer[..n]),
                Err(rustix::io::Errno::AGAIN) => return,
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => self.open = false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_keeps_head_and_tail() {
        let mut c = Captured::new(8);
        c.push(b"0123456789abcdef");
        assert_eq!(c.total(), 16);
        assert_eq!(c.elided(), 8);
        assert!(c.text().starts_with("0123"));
        assert!(c.text().ends_with("cdef"));
        assert!(c.text().contains("8 bytes elided"));
    }

    /// `sh -c script` as an isolated probe run would be, in a fresh scratch folder.
    fn shell(script: &str, wall: Duration) -> (Finished, tempfile::TempDir) {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let job = Job {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            cwd: scratch.path().to_path_buf(),
            env: vec![("PATH".into(), "/usr/bin:/bin".into())],
            clear_env: true,
            channel: true,
            isolate: true,
            writable: None,
            hide: Vec::new(),
            limits: Limits {
                wall,
                grace: Duration::from_millis(300),
                address_space: Some(1 << 30),
                cpu_seconds: Some(10),
                file_size: Some(1 << 20),
                open_files: Some(64),
                processes: Some(64),
                output_cap: 64 << 10,
                channel_cap: 64 << 10,
            },
        };
        (run(&job).expect("the shell runs"), scratch)
    }

    /// `sh -c script` as a compile would be: writable in `folder` (its working directory).
    fn build_shell(script: &str, folder: &Path, wall: Duration) -> Finished {
        let job = Job {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            cwd: folder.to_path_buf(),
            env: vec![("PATH".into(), "/usr/bin:/bin".into())],
            clear_env: true,
            channel: false,
            isolate: true,
            writable: Some(folder.to_path_buf()),
            hide: Vec::new(),
            limits: Limits {
                wall,
                grace: Duration::from_millis(300),
                address_space: Some(1 << 30),
                cpu_seconds: Some(10),
                file_size: Some(1 << 20),
                open_files: None,
                processes: None,
                output_cap: 64 << 10,
                channel_cap: 0,
            },
        };
        run(&job).expect("the shell runs")
    }

    #[test]
    fn a_compile_writes_in_its_folder_only_keeps_its_files_and_has_no_network_nor_capability() {
        let parent = tempfile::tempdir().unwrap();
        let folder = parent.path().join("work");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("source"), "kept\n").unwrap();
        let finished = build_shell(
            "cat source; echo made > output; echo x > ../escape && echo wrote ../escape; \
             echo x > /var/tmp/grade-build-escape && echo wrote /var/tmp; \
             tail -n +3 /proc/net/dev | cut -d: -f1; grep CapEff /proc/self/status",
            &folder,
            Duration::from_secs(5),
        );
        let notes = notes();
        if !notes.is_empty() {
            eprintln!("not checked, compiles are not fully isolated here: {notes:?}");
            return;
        }
        assert_eq!(finished.exit, Exit::Code(0), "{}", finished.stderr.text());
        let lines: Vec<String> = finished
            .stdout
            .text()
            .lines()
            .map(|l| l.trim().to_string())
            .collect();
        assert_eq!(lines[0], "kept", "the folder's own files are there");
        assert_eq!(
            std::fs::read_to_string(folder.join("output")).unwrap(),
            "made\n"
        );
        assert!(!parent.path().join("escape").exists());
        assert!(!Path::new("/var/tmp/grade-build-escape").exists());
        assert_eq!(
            lines[1], "lo",
            "no network interface but a loopback: {lines:?}"
        );
        assert_eq!(
            lines[2].split_whitespace().nth(1),
            Some("0000000000000000"),
            "no capability: {lines:?}"
        );
    }

    #[test]
    fn what_a_timed_out_child_used_is_counted() {
        let (finished, _) = shell("while :; do :; done", Duration::from_millis(1500));
        assert_eq!(finished.exit, Exit::TimedOut);
        assert!(
            finished.usage.cpu >= Duration::from_millis(100),
            "{:?}",
            finished.usage
        );
        let folder = tempfile::tempdir().unwrap();
        let finished = build_shell(
            "while :; do :; done",
            folder.path(),
            Duration::from_millis(1500),
        );
        assert_eq!(finished.exit, Exit::TimedOut);
        assert!(
            finished.usage.cpu >= Duration::from_millis(100),
            "{:?}",
            finished.usage
        );
    }

    #[test]
    fn what_a_child_held_in_memory_is_counted() {
        // 64 MiB written by a shell's string doubling.
        let (finished, _) = shell(
            "x=x; i=0; while [ $i -lt 26 ]; do x=$x$x; i=$((i+1)); done; echo ${#x}",
            Duration::from_secs(20),
        );
        assert_eq!(finished.exit, Exit::Code(0), "{}", finished.stderr.text());
        assert!(finished.usage.max_rss >= 64 << 20, "{:?}", finished.usage);
    }

    /// Whether this machine lets probe runs be fully isolated; says why not otherwise.
    fn isolated() -> bool {
        shell("true", Duration::from_secs(5));
        let notes = notes();
        if !notes.is_empty() {
            eprintln!("not checked, probe runs are not fully isolated here: {notes:?}");
        }
        notes.is_empty()
    }

    /// Processes whose command line is exactly `sleep <seconds>`.
    fn sleeping(seconds: &str) -> usize {
        let wanted = format!("sleep\0{seconds}\0");
        std::fs::read_dir("/proc")
            .expect("/proc")
            .filter_map(|entry| std::fs::read(entry.ok()?.path().join("cmdline")).ok())
            .filter(|cmdline| cmdline == wanted.as_bytes())
            .count()
    }

    #[test]
    fn an_isolated_child_is_pid_2_of_its_own_namespace_without_network() {
        if !isolated() {
            return;
        }
        let (finished, _scratch) = shell(
            "echo $$ $PPID; ls /proc | grep -c '^[0-9]'; tail -n +3 /proc/net/dev | cut -d: -f1",
            Duration::from_secs(5),
        );
        assert_eq!(finished.exit, Exit::Code(0), "{}", finished.stderr.text());
        let lines: Vec<String> = finished
            .stdout
            .text()
            .lines()
            .map(|l| l.trim().to_string())
            .collect();
        assert_eq!(
            lines[0], "2 1",
            "the probe's parent is the namespace's init"
        );
        assert!(
            lines[1].parse::<u32>().unwrap() <= 5,
            "it sees only its namespace's processes: {lines:?}"
        );
        assert_eq!(lines[2..], ["lo"], "no network interface but a loopback");
    }

    #[test]
    fn an_isolated_child_writes_only_in_its_scratch_tmpfs() {
        if !isolated() {
            return;
        }
        let (finished, scratch) = shell(
            "echo kept > here && cat here; for f in ../grade-sandbox-escape /tmp/grade-sandbox-escape /var/tmp/grade-sandbox-escape; do echo x > $f && echo wrote $f; done; true",
            Duration::from_secs(5),
        );
        assert_eq!(finished.exit, Exit::Code(0));
        assert_eq!(
            finished.stdout.text(),
            "kept\n",
            "stderr: {}",
            finished.stderr.text()
        );
        assert_eq!(
            std::fs::read_dir(scratch.path()).unwrap().count(),
            0,
            "the scratch tmpfs goes with the run"
        );
        for path in ["/tmp/grade-sandbox-escape", "/var/tmp/grade-sandbox-escape"] {
            assert!(!Path::new(path).exists(), "{path}");
        }
        assert!(!scratch
            .path()
            .parent()
            .unwrap()
            .join("grade-sandbox-escape")
            .exists());
    }

    #[test]
    fn an_isolated_child_dies_as_its_probe_died() {
        let (finished, _) = shell("exit 7", Duration::from_secs(5));
        assert_eq!(finished.exit, Exit::Code(7));
        let (finished, _) = shell("kill -ABRT $$", Duration::from_secs(5));
        assert_eq!(finished.exit, Exit::Signal(6));
    }

    #[test]
    fn nothing_an_isolated_child_started_outlives_it() {
        if !isolated() {
            return;
        }
        let (finished, _) = shell(
            "sleep 641 & setsid sleep 641 & (setsid sleep 641 &); sleep 0.2",
            Duration::from_secs(5),
        );
        assert_eq!(finished.exit, Exit::Code(0));
        assert_eq!(
            sleeping("641"),
            0,
            "every process of the namespace is gone when run returns"
        );
        let start = Instant::now();
        let (finished, _) = shell(
            "setsid sleep 642 & trap '' TERM; sleep 642",
            Duration::from_millis(500),
        );
        assert_eq!(finished.exit, Exit::TimedOut);
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(sleeping("642"), 0, "a timed-out run leaves nothing behind");
    }

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

    #[test]
    fn captured_small_output_is_whole() {
        let mut c = Captured::new(8);
        c.push(b"abc");
        c.push(b"de");
        assert_eq!(c.text(), "abcde");
        assert!(c.is_complete());
    }
}
