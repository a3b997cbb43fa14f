//! Running untrusted children: the one place where a child is spawned, bounded, watched and killed.
//!
//! Each child gets its own process group, stdin from /dev/null, rlimits set before exec, and a
//! wall-clock deadline after which the whole group gets SIGTERM, then SIGKILL after a grace period.
//! Its stdout and stderr are captured up to a cap (head and tail kept), and an optional extra pipe
//! (the observation channel) is handed to it as a numbered descriptor. Reading stops when the child
//! exits: whatever it left behind in its group is killed, and no one waits on a pipe an escaped
//! grandchild still holds open.

use rustix::event::{PollFd, PollFlags};
use rustix::process::{Pid, Resource, Rlimit, Signal};
use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Command, Stdio};
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
    let mut command = Command::new(&job.program);
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
    let inherit = channel.as_ref().map(|(_, write)| write.as_raw_fd());
    let limits = job.limits.clone();
    // SAFETY: the closure runs in the forked child before exec and only makes raw system calls
    // (fcntl, setrlimit), which are async-signal-safe; it allocates nothing.
    unsafe {
        command.pre_exec(move || {
            if let Some(fd) = inherit {
                // Only this child inherits the channel: it was created close-on-exec for the others.
                let fd = std::os::fd::BorrowedFd::borrow_raw(fd);
                rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty())?;
            }
            set_limit(Resource::As, limits.address_space)?;
            set_limit(Resource::Cpu, limits.cpu_seconds)?;
            set_limit(Resource::Fsize, limits.file_size)?;
            set_limit(Resource::Nofile, limits.open_files)?;
            Ok(())
        });
    }

    let start = Instant::now();
    let mut child = command.spawn()?;
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
    let status = child.wait()?;
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
    })
}

fn set_limit(resource: Resource, value: Option<u64>) -> io::Result<()> {
    if let Some(value) = value {
        rustix::process::setrlimit(
            resource,
            Rlimit {
                current: Some(value),
                maximum: Some(value),
            },
        )?;
    }
    Ok(())
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

    #[test]
    fn captured_small_output_is_whole() {
        let mut c = Captured::new(8);
        c.push(b"abc");
        c.push(b"de");
        assert_eq!(c.text(), "abcde");
        assert!(c.is_complete());
    }
}
