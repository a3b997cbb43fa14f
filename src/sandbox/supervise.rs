//! Watching a spawned child to its end: reading its pipes as they fill, the wall-clock deadline,
//! then SIGTERM to its whole group and SIGKILL after the grace period, the resident-memory
//! watchdog where the system has no address-space limit, and the reaping that says how it ended
//! and what it used. Timeouts and signals are handled here and nowhere else.

use super::capture::{Captured, Stream};
use super::{platform, Exit, Finished, Limits, Usage};
use rustix::event::{PollFd, PollFlags};
use rustix::process::{Pid, Signal};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::process::ExitStatusExt;
use std::process::Child;
use std::time::{Duration, Instant};

/// Reads `child`'s stdout, stderr and `channel` until it exits or outlives `limits.wall`, kills
/// what is left of its group, and reaps it.
pub(super) fn watch(
    mut child: Child,
    channel: Option<OwnedFd>,
    limits: &Limits,
    start: Instant,
) -> io::Result<Finished> {
    let group = Pid::from_child(&child);
    let exit_watch = platform::exit_watch(group)?;
    let stdout: OwnedFd = child.stdout.take().expect("piped").into();
    let stderr: OwnedFd = child.stderr.take().expect("piped").into();
    let mut streams = vec![
        Stream::new(stdout, limits.output_cap),
        Stream::new(stderr, limits.output_cap),
    ];
    if let Some(read) = channel {
        streams.push(Stream::new(read, limits.channel_cap));
    }
    for stream in &streams {
        rustix::io::ioctl_fionbio(&stream.fd, true)?;
    }
    let stopped = wait_for_exit(&mut streams, &exit_watch, group, limits, start)?;
    // The child is a zombie: its pid, hence the group id, cannot be reused until it is reaped.
    let _ = rustix::process::kill_process_group(group, Signal::KILL);
    for stream in &mut streams {
        stream.drain(16);
    }
    let (status, usage) = wait_with_usage(&child)?;
    let exit = if let Some(stopped) = stopped {
        stopped
    } else if let Some(signal) = status.signal() {
        Exit::Signal(signal)
    } else {
        Exit::Code(status.code().unwrap_or(-1))
    };
    let mut streams = streams.into_iter().map(|s| s.captured);
    let stdout = streams.next().expect("stdout");
    let stderr = streams.next().expect("stderr");
    let (channel, channel_overflow) = channel_bytes(streams.next());
    Ok(Finished {
        exit,
        stdout,
        stderr,
        channel,
        channel_overflow,
        usage,
    })
}

/// What the channel held, or that it overflowed its cap.
fn channel_bytes(captured: Option<Captured>) -> (Option<Vec<u8>>, bool) {
    match captured {
        Some(c) if c.is_complete() => (Some(c.bytes()), false),
        Some(_) => (None, true),
        None => (None, false),
    }
}

/// How often the resident memory of a child is looked at, where grade watches it.
const RESIDENT_EVERY: Duration = Duration::from_millis(50);

/// Drains the streams until the child has exited (its exit watch is readable); past the deadline
/// terminates its group, and past the grace period kills it; past its resident-memory bound kills
/// it at once. Why grade stopped it, if it did.
fn wait_for_exit(
    streams: &mut [Stream],
    exit_watch: &OwnedFd,
    group: Pid,
    limits: &Limits,
    start: Instant,
) -> io::Result<Option<Exit>> {
    let deadline = start + limits.wall;
    let mut terminated_at: Option<Instant> = None;
    let mut stopped = None;
    loop {
        let now = Instant::now();
        let wake = match terminated_at {
            None => deadline,
            Some(at) => at + limits.grace,
        };
        if now >= wake {
            let signal = if terminated_at.is_none() {
                Signal::TERM
            } else {
                Signal::KILL
            };
            let _ = rustix::process::kill_process_group(group, signal);
            stopped = stopped.or(Some(Exit::TimedOut));
            terminated_at = Some(match terminated_at {
                None => now,
                // Once killed it exits promptly; wait for that without a deadline.
                Some(_) => now + Duration::from_secs(3600),
            });
            continue;
        }
        let watched = limits.resident.filter(|_| stopped.is_none());
        let timeout = match watched {
            Some(_) => (wake - now).min(RESIDENT_EVERY),
            None => wake - now,
        };
        if poll(streams, exit_watch, timeout)? {
            return Ok(stopped);
        }
        if watched.is_some_and(|max| platform::resident_bytes(group).is_some_and(|rss| rss > max)) {
            let _ = rustix::process::kill_process_group(group, Signal::KILL);
            stopped = Some(Exit::MemoryLimit);
            terminated_at = Some(now + Duration::from_secs(3600));
        }
    }
}

/// Waits up to `timeout` for output or the child's exit, reads what came; whether it exited.
fn poll(streams: &mut [Stream], exit_watch: &OwnedFd, timeout: Duration) -> io::Result<bool> {
    let mut fds: Vec<PollFd> = streams
        .iter()
        .filter(|s| s.open)
        .map(|s| PollFd::new(&s.fd, PollFlags::IN))
        .collect();
    fds.push(PollFd::new(exit_watch, PollFlags::IN));
    let timeout = rustix::event::Timespec::try_from(timeout).unwrap_or(rustix::event::Timespec {
        tv_sec: 1,
        tv_nsec: 0,
    });
    match rustix::event::poll(&mut fds, Some(&timeout)) {
        Ok(_) | Err(rustix::io::Errno::INTR) => {}
        Err(e) => return Err(e.into()),
    }
    let exited = fds.last().is_some_and(|fd| !fd.revents().is_empty());
    drop(fds);
    for stream in streams {
        stream.drain(64);
    }
    Ok(exited)
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
