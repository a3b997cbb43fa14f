//! What only macOS gives a probe run on top of the portable isolation: the system's Seatbelt
//! sandbox (`sandbox-exec` with a profile that denies the network and every write outside the
//! scratch folder), and the resident-memory watchdog's reading, since macOS does not enforce
//! RLIMIT_AS.
//!
//! Why `sandbox-exec`: it is the system's own mechanism, present on every macOS, and what the
//! build tools that confine untrusted steps on macOS use (Bazel's sandboxed strategy, for one). No
//! maintained crate wraps it better, and `sandbox_init(3)` is a private, deprecated interface in
//! the same library. Apple marks the command deprecated too, so it is tried once ([`prepare`]): a
//! run that it would break runs without it, and `grade --verbose` says so.

use rustix::process::Pid;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The system's sandbox command.
const SANDBOX_EXEC: &str = "/usr/bin/sandbox-exec";

/// The profile: everything is allowed but the network and writes outside `SCRATCH` (and the null
/// device). Writes to descriptors already open (the pipes of stdout, stderr and the channel) are
/// not file writes and stay allowed.
const PROFILE: &str = r#"(version 1)
(allow default)
(deny network*)
(deny file-write*)
(allow file-write* (subpath (param "SCRATCH")) (literal "/dev/null"))
"#;

/// Whether the trial of [`prepare`] found the profile enforced: `None` before it ran.
static USABLE: OnceLock<Result<(), String>> = OnceLock::new();

/// Tries the profile once, in `folder`: a write inside must succeed, one beside it must fail.
pub(super) fn prepare(folder: &Path) {
    USABLE.get_or_init(|| trial(folder));
}

fn trial(folder: &Path) -> Result<(), String> {
    let inside = tempfile::tempdir_in(folder).map_err(|e| e.to_string())?;
    let outside = folder.join(format!("grade-seatbelt-trial-{}", std::process::id()));
    let scratch = real(inside.path());
    let status = Command::new(SANDBOX_EXEC)
        .arg("-D")
        .arg(format!("SCRATCH={}", scratch.display()))
        .args(["-p", PROFILE, "/bin/sh", "-c"])
        .arg(r#"echo ok > "$1/inside" && ! (echo no > "$2") 2>/dev/null"#)
        .arg("sh")
        .arg(&scratch)
        .arg(&outside)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let escaped = outside.exists();
    let _ = std::fs::remove_file(&outside);
    match status {
        Ok(s) if s.success() && !escaped => Ok(()),
        Ok(s) => Err(format!("{SANDBOX_EXEC} did not confine a trial run ({s})")),
        Err(e) => Err(format!("{SANDBOX_EXEC} could not start: {e}")),
    }
}

/// The profile to run a probe under, in scratch folder `cwd`, when the trial found it works.
pub(super) fn confined(cwd: &Path) -> Option<PathBuf> {
    matches!(USABLE.get(), Some(Ok(()))).then(|| real(cwd))
}

/// `program` with `args`, run under the profile with `scratch` writable.
pub(super) fn wrap(scratch: PathBuf, program: PathBuf, args: &[String]) -> (PathBuf, Vec<String>) {
    let mut wrapped = vec![
        "-D".to_string(),
        format!("SCRATCH={}", scratch.display()),
        "-p".to_string(),
        PROFILE.to_string(),
        program.to_string_lossy().into_owned(),
    ];
    wrapped.extend(args.iter().cloned());
    (PathBuf::from(SANDBOX_EXEC), wrapped)
}

/// Words for `--verbose`, when the profile is used.
pub(super) fn described() -> Option<&'static str> {
    matches!(USABLE.get(), Some(Ok(())))
        .then_some(", macOS sandbox profile (no network, writes only in its scratch folder)")
}

/// What the trial found missing, in words.
pub(super) fn notes() -> Vec<String> {
    match USABLE.get() {
        Some(Err(why)) => vec![format!(
            "probe runs are not under the macOS sandbox profile ({why}): a submission can reach \
             the network and write wherever you may"
        )],
        _ => Vec::new(),
    }
}

/// The resident memory of `pid` (its physical footprint, as Activity Monitor counts it).
pub(super) fn resident_bytes(pid: Pid) -> Option<u64> {
    // SAFETY: a zeroed rusage_info_v2 is a valid value of the plain C struct the call fills in,
    // and the pointer is to it, of the flavour asked for.
    unsafe {
        let mut info: libc::rusage_info_v2 = std::mem::zeroed();
        let buffer = (&mut info as *mut libc::rusage_info_v2).cast::<libc::rusage_info_t>();
        let status =
            libc::proc_pid_rusage(pid.as_raw_nonzero().get(), libc::RUSAGE_INFO_V2, buffer);
        (status == 0).then_some(info.ri_phys_footprint)
    }
}

/// `path` with its symbolic links resolved (/var is /private/var): the profile matches real paths.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
