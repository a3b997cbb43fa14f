//! What this machine allows grade, for `grade doctor`, `grade --version` and `--verbose`: the
//! toolchain builds are made with, how probe runs and compiles are isolated and what that leaves
//! out, and the cache. Read-only: it builds nothing.

use crate::build::Toolchain;
use crate::cache::{human, Cache};
use crate::sandbox::{self, Guarantee, Isolation};
use std::fmt::Write as _;
use std::path::Path;

/// `grade --version`: grade's version, and the compiler it would build with (or why there is none).
pub fn version() -> String {
    let compiler = match Toolchain::detect() {
        Ok(toolchain) => format!(
            "compiles with {} ({})",
            first_line(&toolchain.version),
            toolchain.rustc.display()
        ),
        Err(error) => format!("no Rust toolchain: {error}"),
    };
    format!("{}\n{compiler}", env!("CARGO_PKG_VERSION"))
}

/// `grade doctor`: what this machine allows, and whether grade can grade here (exit 0) or not (2).
pub fn run(cache_dir: Option<&Path>, cache_max: Option<u64>) -> crate::Result<u8> {
    let mut text = format!(
        "grade {} on {} ({})\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let mut missing = Vec::new();
    match Toolchain::detect() {
        Ok(toolchain) => {
            let _ = writeln!(text, "toolchain   {}", first_line(&toolchain.version));
            let _ = writeln!(
                text,
                "            {}, with {}",
                toolchain.rustc.display(),
                toolchain.cargo.display()
            );
        }
        Err(error) => {
            let _ = writeln!(text, "toolchain   none: {error}");
            missing.push("a Rust toolchain (https://rustup.rs)");
        }
    }
    let trials = tempfile::tempdir().map_err(|e| crate::Error::io("making a trial folder", e))?;
    let (probe, build) = sandbox::isolation(trials.path());
    describe(&mut text, "probe runs", &probe, true);
    describe(&mut text, "compiles", &build, false);
    text.push_str(
        "            (every child: bounded in time, memory, CPU time, file size and output; its \
         process group killed when it ends)\n",
    );
    for note in sandbox::notes() {
        let _ = writeln!(text, "note        {note}");
    }
    match Cache::locate(cache_dir, cache_max) {
        Ok(cache) => {
            let _ = write!(
                text,
                "cache       {}: {} of a {} cap",
                cache.root.display(),
                human(cache.size().total),
                human(cache.max)
            );
            if let Some(free) = cache.free_space() {
                let _ = write!(text, ", {} free on its disk", human(free));
            }
            text.push('\n');
        }
        Err(error) => {
            let _ = writeln!(text, "cache       unusable: {error}");
            missing.push("a cache folder grade may write in (--cache-dir or GRADE_CACHE_DIR)");
        }
    }
    if missing.is_empty() {
        text.push_str("ready: grade can grade on this machine\n");
        print!("{text}");
        Ok(crate::app::EXIT_PASSED)
    } else {
        let _ = writeln!(text, "not ready: grade needs {}", missing.join(" and "));
        print!("{text}");
        Ok(crate::app::EXIT_ERROR)
    }
}

/// How `isolation` works, and for probe runs a line for each of the guarantees: given or not.
fn describe(text: &mut String, what: &str, isolation: &Isolation, guarantees: bool) {
    let _ = writeln!(text, "{what:<11} {}", isolation.how);
    if guarantees {
        for guarantee in Guarantee::ALL {
            let given = if isolation.guarantees.contains(&guarantee) {
                "yes"
            } else {
                "no "
            };
            let _ = writeln!(text, "            {given}  {guarantee}");
        }
    }
}

/// The isolation each kind of child had, in two lines for `--verbose`.
pub(crate) fn isolation_lines() -> Vec<String> {
    let Ok(trials) = tempfile::tempdir() else {
        return Vec::new();
    };
    let (probe, build) = sandbox::isolation(trials.path());
    vec![
        format!("isolation of probe runs: {}", probe.how),
        format!("isolation of compiles: {}", build.how),
    ]
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
