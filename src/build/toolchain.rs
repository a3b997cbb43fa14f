//! Which compiler builds are made with. Every cache key holds its version, so that a new toolchain
//! never reuses what another one built; and the real `rustc` is called, not a rustup proxy, since
//! a proxy costs a few milliseconds on every one of the many compiles.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The compiler and cargo that builds are made with.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The real `rustc` of the toolchain (not a rustup proxy).
    pub rustc: PathBuf,
    /// `cargo`, used only to build dependencies.
    pub cargo: PathBuf,
    /// `rustc -vV`: part of every cache key.
    pub version: String,
}

impl Toolchain {
    /// `$RUSTC` / `$CARGO`, else `rustc` / `cargo` on the PATH.
    pub(crate) fn detect() -> Result<Toolchain> {
        let rustc = std::env::var_os("RUSTC")
            .map(PathBuf::from)
            .unwrap_or_else(|| "rustc".into());
        let cargo = std::env::var_os("CARGO")
            .map(PathBuf::from)
            .unwrap_or_else(|| "cargo".into());
        // Both questions at once: through a rustup proxy each costs tens of milliseconds.
        let (version, sysroot) = std::thread::scope(|scope| {
            let sysroot = scope.spawn(|| ask(&rustc, &["--print", "sysroot"]));
            (
                ask(&rustc, &["-vV"]),
                sysroot.join().expect("the thread does not panic"),
            )
        });
        let (version, sysroot) = (version?, sysroot?);
        let real = Path::new(&sysroot).join("bin").join("rustc");
        let rustc = if real.is_file() { real } else { rustc };
        Ok(Toolchain {
            rustc,
            cargo,
            version,
        })
    }
}

/// What `program` prints when run with `args`, trimmed.
fn ask(program: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|source| Error::ToolchainUnavailable {
            program: program.display().to_string(),
            source,
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(Error::Toolchain {
            program: program.display().to_string(),
            // A program that fails silently still needs a reason on the one error line.
            message: if stderr.is_empty() {
                format!("`{}` ended with {}", args.join(" "), output.status)
            } else {
                stderr
            },
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}
