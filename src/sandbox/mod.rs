//! Running untrusted children: the one place where a child is spawned, bounded, watched and killed.
//!
//! Each child gets its own process group, stdin from the null device, rlimits set before exec, and
//! a wall-clock deadline after which the whole group gets SIGTERM, then SIGKILL after a grace
//! period (`supervise`). Its stdout and stderr are captured up to a cap, head and tail kept
//! (`capture`), and an optional extra pipe (the observation channel) is handed to it as a
//! numbered descriptor. Reading stops when the child exits: whatever it left behind in its group
//! is killed, and no one waits on a pipe an escaped grandchild still holds open.
//!
//! An [`isolated`](Job::isolate) child (a probe run: the student's code; a compile: rustc, which
//! runs a student's macros and constants) is also shut in as far as the platform allows, by the
//! platform's own module behind one small interface (`launch`, `exit_watch`, `resident_bytes`,
//! `notes`, `prepare`, `isolation`), chosen at compile time: on Linux, namespaces (`linux`);
//! elsewhere, and on Linux built with the `portable` feature, POSIX calls only (`portable`, with
//! `macos` for what only macOS has). [`notes`] says what the machine would not allow, and
//! [`isolation`] what each kind of child is guaranteed.

mod capture;
#[cfg(all(target_os = "linux", not(feature = "portable")))]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
// On Linux with namespaces, only its `launch` and `isolation` serve: where the kernel refuses
// namespaces, and for children that are not isolated.
#[cfg_attr(all(target_os = "linux", not(feature = "portable")), allow(dead_code))]
mod portable;
mod rlimits;
mod supervise;

#[cfg(all(target_os = "linux", not(feature = "portable")))]
use linux as platform;
#[cfg(any(not(target_os = "linux"), feature = "portable"))]
use portable as platform;

pub use capture::Captured;

use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The variable that tells a child which descriptor is its observation channel.
pub const CHANNEL_ENV: &str = "GRADE_OBS_FD";

/// Bounds on one child.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock time before the group is terminated.
    pub wall: Duration,
    /// Time between SIGTERM and SIGKILL.
    pub grace: Duration,
    /// RLIMIT_AS in bytes.
    pub address_space: Option<u64>,
    /// The largest resident memory in bytes, watched by grade where the system does not enforce
    /// RLIMIT_AS (macOS: see [`WATCHES_RESIDENT`]); ignored elsewhere.
    pub resident: Option<u64>,
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
    /// Shut the child in (namespaces, read-only file systems, `nobody`), as far as the system
    /// allows.
    pub isolate: bool,
    /// For an isolated child: a folder holding `cwd` that stays writable, files and all
    /// (bind-mounted
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
    /// It went past [`Limits::resident`] and was killed.
    MemoryLimit,
}

/// Whether grade itself must watch a child's resident memory ([`Limits::resident`]) because the
/// system does not enforce the address-space limit: on macOS.
pub const WATCHES_RESIDENT: bool = cfg!(target_os = "macos");

/// One thing that the isolation of probe runs may guarantee, or not, on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// A run reaches no network.
    NoNetwork,
    /// A run writes nowhere but in its scratch folder.
    WritesOnlyScratch,
    /// A run sees none of the folders hidden from it (see [`Job::hide`]).
    HiddenFolders,
    /// A run cannot signal grade nor the user's other processes.
    CannotSignalGrade,
    /// No process a run starts outlives it, even one that left its process group.
    NothingOutlives,
}

impl Guarantee {
    /// Every guarantee, in the order they are listed.
    pub const ALL: [Guarantee; 5] = [
        Guarantee::NoNetwork,
        Guarantee::WritesOnlyScratch,
        Guarantee::HiddenFolders,
        Guarantee::CannotSignalGrade,
        Guarantee::NothingOutlives,
    ];
}

impl std::fmt::Display for Guarantee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            Guarantee::NoNetwork => crate::tr!("guarantee-no-network"),
            Guarantee::WritesOnlyScratch => crate::tr!("guarantee-writes-only-scratch"),
            Guarantee::HiddenFolders => crate::tr!("guarantee-hidden-folders"),
            Guarantee::CannotSignalGrade => crate::tr!("guarantee-cannot-signal-grade"),
            Guarantee::NothingOutlives => crate::tr!("guarantee-nothing-outlives"),
        })
    }
}

/// How one kind of isolated child is shut in on this machine.
#[derive(Debug, Clone)]
pub struct Isolation {
    /// The mechanism, in a few words, for `--verbose` and `grade doctor`.
    pub how: String,
    /// What it guarantees of [`Guarantee`]'s list. Whatever the platform, every child is bounded
    /// in time, memory, CPU time, file size and output, and its process group is killed at its
    /// end.
    pub guarantees: Vec<Guarantee>,
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

/// How the platform starts one job: what to exec, and what to do in the child before the exec.
struct Launch {
    /// The path to exec.
    program: PathBuf,
    /// Its arguments (the job's, unless the platform execs through a wrapper).
    args: Vec<String>,
    /// The name the child sees as its `argv[0]`, when it is not `program`.
    arg0: Option<PathBuf>,
    /// Runs in the forked child before exec: only system calls, no allocation.
    pre_exec: Box<dyn FnMut() -> io::Result<()> + Send + Sync>,
    /// Held until the child has ended (a descriptor of the program, a copy of it).
    _hold: Option<Box<dyn std::any::Any + Send>>,
}

/// Runs `job` to the end within its bounds.
pub fn run(job: &Job) -> io::Result<Finished> {
    let channel = if job.channel { Some(pipe()?) } else { None };
    let launch = platform::launch(job, channel.as_ref().map(|(_, write)| write.as_raw_fd()))?;
    let mut command = Command::new(&launch.program);
    if let Some(arg0) = &launch.arg0 {
        command.arg0(arg0);
    }
    command
        .args(&launch.args)
        .current_dir(&job.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if job.clear_env {
        command.env_clear();
    }
    command.envs(job.env.iter().map(|(k, v)| (k, v)));
    if let Some((_, write)) = &channel {
        command.env(CHANNEL_ENV, write.as_raw_fd().to_string());
    }
    let Launch {
        pre_exec, _hold, ..
    } = launch;
    // SAFETY: the closure runs in the forked child before exec; each platform's makes only system
    // calls (async-signal-safe) and allocates nothing.
    unsafe {
        command.pre_exec(pre_exec);
    }
    let start = Instant::now();
    let child = spawn(&mut command)?;
    // The parent's copy of the write end must go, or the channel never reads as closed.
    let channel = channel.map(|(read, write)| {
        drop(write);
        read
    });
    supervise::watch(child, channel, &job.limits, start)
}

/// Spawns `command`, again while the program is "busy": a file just written (the portable
/// isolation's copy of a probe) stays open for writing in every child another thread forked in
/// the meantime, until that child's exec closes it, and exec(2) refuses it until then.
fn spawn(command: &mut Command) -> io::Result<std::process::Child> {
    let mut tries = 0;
    loop {
        match command.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
            spawned => return spawned,
        }
    }
}

/// A pipe whose ends are closed on exec. Where there is no pipe2(2) (macOS), a child spawned by
/// another thread between the two calls may inherit an end: the code that reads one never waits
/// for the other end to close.
fn pipe() -> io::Result<(std::os::fd::OwnedFd, std::os::fd::OwnedFd)> {
    #[cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    ))]
    return Ok(rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?);
    #[cfg(not(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    )))]
    {
        let (read, write) = rustix::pipe::pipe()?;
        for end in [&read, &write] {
            rustix::io::fcntl_setfd(end, rustix::io::FdFlags::CLOEXEC)?;
        }
        Ok((read, write))
    }
}

/// What the system would not allow of the isolation of probe runs and compiles, one sentence each,
/// for a verbose mode to print once. Empty when both are fully isolated, and before the first of
/// each.
pub fn notes() -> Vec<String> {
    platform::notes()
}

/// A fresh working folder for a probe run, in the system's temporary folder: every user may pass
/// through it, so a run that becomes `nobody` reaches its folder and its own binary (mounted or
/// copied there) by path, which it needs to read its line tables for a panic's location; the
/// cache is often under root's 0700 home.
pub fn scratch() -> io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("grade-run-").tempdir()
}

/// How probe runs and compiles are shut in on this machine, after the trials of [`prepare`] in
/// `folder`.
pub fn isolation(folder: &Path) -> (Isolation, Isolation) {
    prepare(folder);
    platform::isolation()
}

/// Finds what isolation this machine allows probe runs and compiles, ahead of the first of each,
/// trying it in `folder` (any folder grade may write in): a grader calls it on a thread of its
/// own while it does other things, so that no compile or run waits for the trials.
pub fn prepare(folder: &Path) {
    platform::prepare(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

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
                resident: None,
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
                resident: None,
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
    #[cfg(all(target_os = "linux", not(feature = "portable")))]
    fn a_compile_writes_in_its_folder_only_keeps_its_files_and_has_no_network_nor_capability() {
        let parent = tempfile::tempdir().unwrap();
        let folder = parent.path().join("work");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("source"), "kept\n").unwrap();
        // Asked first: unconfined, the escapes below would succeed and stay for the next run.
        let (_, build) = isolation(parent.path());
        if !build.how.starts_with("Linux namespaces") {
            eprintln!(
                "NOT CHECKED: compiles here ({}) are not in namespaces",
                build.how
            );
            return;
        }
        let finished = build_shell(
            "cat source; echo made > output; echo x > ../escape && echo wrote ../escape; \
             echo x > /var/tmp/grade-build-escape && echo wrote /var/tmp; \
             tail -n +3 /proc/net/dev | cut -d: -f1; grep CapEff /proc/self/status",
            &folder,
            Duration::from_secs(5),
        );
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

    /// A kernel that allows namespaces gets them: a trial that fails for a reason of grade's own
    /// (a mount it gets wrong) would otherwise drop every run to a weaker level with one note, and
    /// the tests that need namespaces would only say NOT CHECKED.
    #[test]
    #[cfg(all(target_os = "linux", not(feature = "portable")))]
    fn namespaces_are_used_wherever_the_kernel_allows_them() {
        let mut unshare = Command::new("unshare");
        unshare.args(["--mount", "--pid", "--net", "--ipc", "--uts", "--fork"]);
        if !rustix::process::geteuid().is_root() {
            unshare.arg("--map-current-user");
        }
        let allowed = unshare
            .arg("true")
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !allowed {
            eprintln!("NOT CHECKED: this kernel (or unshare(1)'s absence) refuses namespaces here");
            return;
        }
        if std::env::var_os(linux::ISOLATION_ENV).is_some() {
            eprintln!(
                "NOT CHECKED: {} asks for other isolation",
                linux::ISOLATION_ENV
            );
            return;
        }
        let folder = tempfile::tempdir().unwrap();
        let (probe, build) = isolation(folder.path());
        for isolation in [&probe, &build] {
            assert!(
                isolation.how.starts_with("Linux namespaces"),
                "{}: {:?}",
                isolation.how,
                notes()
            );
        }
        for guarantee in [
            Guarantee::NoNetwork,
            Guarantee::HiddenFolders,
            Guarantee::CannotSignalGrade,
            Guarantee::NothingOutlives,
        ] {
            assert!(probe.guarantees.contains(&guarantee), "{guarantee:?}");
        }
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
    #[cfg(all(target_os = "linux", not(feature = "portable")))]
    fn isolated() -> bool {
        shell("true", Duration::from_secs(5));
        let notes = notes();
        if !notes.is_empty() {
            eprintln!("NOT CHECKED: probe runs are not fully isolated here: {notes:?}");
        }
        notes.is_empty()
    }

    /// Processes whose command line is exactly `sleep <seconds>`, as ps(1) lists them.
    fn sleeping(seconds: &str) -> usize {
        let listed = Command::new("ps")
            .args(["-A", "-o", "args="])
            .output()
            .expect("ps lists the processes");
        let wanted = format!("sleep {seconds}");
        String::from_utf8_lossy(&listed.stdout)
            .lines()
            .filter(|line| line.trim() == wanted)
            .count()
    }

    #[test]
    #[cfg(all(target_os = "linux", not(feature = "portable")))]
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
    #[cfg(all(target_os = "linux", not(feature = "portable")))]
    fn an_isolated_child_writes_only_in_its_scratch_tmpfs() {
        if !isolated() {
            return;
        }
        let (finished, scratch) = shell(
            concat!(
                "echo kept > here && cat here; for f in ../grade-sandbox-escape ",
                "/tmp/grade-sandbox-escape /var/tmp/grade-sandbox-escape; ",
                "do echo x > $f && echo wrote $f; done; true"
            ),
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
        let folder = tempfile::tempdir().unwrap();
        let (probe, _) = isolation(folder.path());
        if !probe.guarantees.contains(&Guarantee::NothingOutlives) {
            eprintln!(
                "NOT CHECKED: probe runs here ({}) may leave processes",
                probe.how
            );
            return;
        }
        // Without a PID namespace the shell may start nothing: its first fork fails, and it exits.
        let (finished, _) = shell(
            "sleep 641 & setsid sleep 641 & (setsid sleep 641 &); sleep 0.2",
            Duration::from_secs(5),
        );
        assert!(
            matches!(finished.exit, Exit::Code(_)),
            "{:?}: {}",
            finished.exit,
            finished.stderr.text()
        );
        assert_eq!(
            sleeping("641"),
            0,
            "every process the run started is gone when run returns"
        );
        let start = Instant::now();
        // A shell that cannot fork exits: without namespaces, only the loop that ignores SIGTERM.
        let spawn = if probe.guarantees.contains(&Guarantee::HiddenFolders) {
            "setsid sleep 642 & "
        } else {
            ""
        };
        let (finished, _) = shell(
            &format!("{spawn}trap '' TERM; while :; do :; done"),
            Duration::from_millis(500),
        );
        assert_eq!(finished.exit, Exit::TimedOut, "{}", finished.stderr.text());
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(sleeping("642"), 0, "a timed-out run leaves nothing behind");
    }

    #[test]
    #[cfg(any(not(target_os = "linux"), feature = "portable"))]
    fn a_portable_probe_run_can_start_no_process() {
        let (finished, _) = shell("sleep 0 && echo started", Duration::from_secs(5));
        assert_ne!(finished.stdout.text(), "started\n", "the fork was refused");
        assert!(
            !finished.stderr.text().is_empty(),
            "the shell says it could not fork"
        );
    }

    #[test]
    #[cfg(target_os = "macos")]
    fn a_run_past_its_resident_memory_is_killed_on_macos() {
        let scratch = tempfile::tempdir().unwrap();
        let mut job = Job {
            program: "/usr/bin/perl".into(),
            args: vec!["-e".into(), "$x = 'x' x (512 << 20); sleep 10".into()],
            cwd: scratch.path().to_path_buf(),
            env: Vec::new(),
            clear_env: true,
            channel: false,
            isolate: true,
            writable: None,
            hide: Vec::new(),
            limits: Limits {
                wall: Duration::from_secs(8),
                grace: Duration::from_millis(300),
                address_space: None,
                resident: Some(64 << 20),
                cpu_seconds: Some(10),
                file_size: None,
                open_files: None,
                processes: None,
                output_cap: 1 << 16,
                channel_cap: 0,
            },
        };
        let finished = run(&job).expect("perl runs");
        assert_eq!(
            finished.exit,
            Exit::MemoryLimit,
            "{}",
            finished.stderr.text()
        );
        job.limits.resident = None;
        job.args = vec!["-e".into(), "1".into()];
        assert_eq!(run(&job).expect("perl runs").exit, Exit::Code(0));
    }
}
