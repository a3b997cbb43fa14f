//! How rustc is run for a build: its arguments, the environment it may see, and the bounds on it.
//! A submission's code runs inside the compiler (constant evaluation, macros, the linker's
//! inputs), so the compiler is confined and bounded like any run of that code.

use super::{Compiler, Workspace};
use crate::error::{Error, IoContext, Result};
use crate::sandbox::{self, Job, Limits};
use std::time::Duration;

/// Flags of every probe build: opt-level 0 keeps the compile short, which dominates a regrade.
/// Line tables (no other debug information) let a panic inside a library be traced back to the
/// submission's own line; they cost nothing on an incremental recompile and about 0.05 s on a
/// compile from scratch.
// `-A warnings` rather than `--cap-lints allow`: deny-by-default lints such as
// `long_running_const_eval` must still stop a compile-time infinite loop with a message.
pub(super) const RUSTC_FLAGS: &[&str] = &[
    "-C",
    "opt-level=0",
    "-C",
    "debuginfo=line-tables-only",
    "-A",
    "warnings",
    "--color",
    "never",
];

/// The address space a compile may take. A build of this exercise needs at least 526 MiB
/// (rustc 1.95), a bundle of 16 builds 646 MiB; 2 GiB leaves room for other toolchains and larger
/// exercises, and keeps a compile to a small part of a CI runner's memory. A constant that
/// expands to gigabytes stops here.
pub(super) const BUILD_MEMORY_MIB: u64 = 2048;

/// The largest file a compile may write. A build's binary is about 6 MB, a bundle's 8 MB; a
/// static of more than about 100 MB stops here, before it fills the disk.
pub(super) const BUILD_FILE_SIZE: u64 = 128 << 20;

/// The variables a compile keeps: where to find the linker, the locale of its messages, and where
/// a toolchain installed outside the system's paths finds its libraries (`TMPDIR` is set to the
/// working folder's own).
const COMPILER_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LD_LIBRARY_PATH",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
];

impl Compiler {
    /// Runs rustc on the crate laid out in `workspace`, whose root is `root`, with the flags of
    /// every build and `extra`; the binary is `probe` beside the root's folder. rustc and its
    /// linker run confined (see [`sandbox`]): no network, nothing writable but the workspace,
    /// bounded in memory, CPU time and file size.
    pub(crate) fn rustc(
        &self,
        workspace: &Workspace,
        root: &str,
        extra: &[String],
        timeout: Duration,
    ) -> Result<sandbox::Finished> {
        let job = Job {
            program: self.toolchain.rustc.clone(),
            args: self.rustc_args(workspace, root, extra),
            cwd: workspace.crate_dir(),
            env: compiler_env(workspace),
            clear_env: true,
            channel: false,
            isolate: true,
            writable: Some(workspace.dir().to_path_buf()),
            hide: self.hide.clone(),
            limits: Limits {
                wall: timeout,
                grace: Duration::from_millis(500),
                address_space: Some(BUILD_MEMORY_MIB << 20),
                resident: sandbox::WATCHES_RESIDENT.then_some(BUILD_MEMORY_MIB << 20),
                cpu_seconds: Some(self.cpu_seconds()),
                file_size: Some(BUILD_FILE_SIZE),
                open_files: None,
                processes: None,
                // JSON diagnostics are several times the size of the rendered ones.
                output_cap: 1 << 20,
                channel_cap: 0,
            },
        };
        sandbox::run(&job).or_else(|e| {
            let rustc = self.toolchain.rustc.display();
            if crate::cache::is_no_space(&e) {
                Err(self.cache.no_space("starting the compiler"))
            } else if e.kind() == std::io::ErrorKind::NotFound {
                Err(Error::ToolchainUnavailable {
                    program: rustc.to_string(),
                    source: e,
                })
            } else {
                Err(e).at(|| format!("starting a sandboxed compile with {rustc}"))
            }
        })
    }

    fn rustc_args(&self, workspace: &Workspace, root: &str, extra: &[String]) -> Vec<String> {
        let mut args: Vec<String> = vec![
            "--crate-name".into(),
            "probe".into(),
            "--crate-type".into(),
            "bin".into(),
            "--edition".into(),
            self.deps.edition.clone(),
            "--error-format=json".into(),
        ];
        args.extend(RUSTC_FLAGS.iter().map(|s| s.to_string()));
        args.extend(self.deps.extern_args());
        args.push("-C".into());
        args.push(format!("incremental={}", workspace.incremental().display()));
        args.extend(extra.iter().cloned());
        args.extend(["-o".into(), "probe".into(), root.into()]);
        args
    }

    /// The CPU time a compile may take: its wall-clock bound, in seconds.
    pub(super) fn cpu_seconds(&self) -> u64 {
        self.timeout.as_secs_f64().ceil().max(1.0) as u64
    }
}

/// A submission reads the compiler's environment with `env!`: it gets only what rustc and its
/// linker need, never the grader's own variables (`GRADE_SEED`, a CI's secrets).
fn compiler_env(workspace: &Workspace) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = COMPILER_ENV
        .iter()
        .filter_map(|name| Some((name.to_string(), std::env::var(name).ok()?)))
        .collect();
    env.push((
        "TMPDIR".into(),
        workspace.tmp().to_string_lossy().into_owned(),
    ));
    env
}
