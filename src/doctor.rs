//! What this machine allows grade, for `grade doctor`, `grade --version` and `--verbose`: the
//! toolchain builds are made with, how probe runs and compiles are isolated and what that leaves
//! out, and the cache. Read-only: it builds nothing.

use crate::build::Toolchain;
use crate::cache::{human, Cache};
use crate::sandbox::{self, Guarantee, Isolation};
use crate::tr;
use std::fmt::Write as _;
use std::path::Path;

/// `grade --version`: grade's version, and the compiler it would build with (or why there is none).
pub fn version() -> String {
    let compiler = match Toolchain::detect() {
        Ok(toolchain) => tr!(
            "version-compiles-with",
            version = first_line(&toolchain.version),
            rustc = toolchain.rustc.display().to_string()
        ),
        Err(error) => tr!("version-no-toolchain", error = error.to_string()),
    };
    format!("{}\n{compiler}", env!("CARGO_PKG_VERSION"))
}

/// The labels of `grade doctor`'s lines, padded to the longest in the language of the run.
struct Labels {
    /// The width of the label column, two spaces included.
    width: usize,
}

impl Labels {
    fn new() -> Labels {
        let width = [
            "doctor-label-toolchain",
            "doctor-label-probe",
            "doctor-label-build",
            "doctor-label-note",
            "doctor-label-cache",
        ]
        .into_iter()
        .map(|key| crate::i18n::tr(key, &[]).chars().count())
        .max()
        .unwrap_or(0)
            + 2;
        Labels { width }
    }

    /// `label` padded to the column.
    fn pad(&self, label: &str) -> String {
        format!("{label:<width$}", width = self.width)
    }

    /// The indent of a line that continues the one above.
    fn indent(&self) -> String {
        " ".repeat(self.width)
    }
}

/// `grade doctor`: what this machine allows, and whether grade can grade here (exit 0) or not (2).
pub fn run(cache_dir: Option<&Path>, cache_max: Option<u64>) -> crate::Result<u8> {
    let labels = Labels::new();
    let mut text = tr!(
        "doctor-header",
        version = env!("CARGO_PKG_VERSION"),
        os = std::env::consts::OS,
        arch = std::env::consts::ARCH
    );
    text.push('\n');
    let mut missing = Vec::new();
    let toolchain_label = labels.pad(&tr!("doctor-label-toolchain"));
    match Toolchain::detect() {
        Ok(toolchain) => {
            let _ = writeln!(text, "{toolchain_label}{}", first_line(&toolchain.version));
            let paths = tr!(
                "doctor-toolchain-paths",
                rustc = toolchain.rustc.display().to_string(),
                cargo = toolchain.cargo.display().to_string()
            );
            let _ = writeln!(text, "{}{paths}", labels.indent());
        }
        Err(error) => {
            let none = tr!("doctor-toolchain-none", error = error.to_string());
            let _ = writeln!(text, "{toolchain_label}{none}");
            missing.push(tr!("doctor-need-toolchain"));
        }
    }
    let trials = tempfile::tempdir().map_err(|e| crate::Error::io("making a trial folder", e))?;
    let (probe, build) = sandbox::isolation(trials.path());
    describe(&mut text, &labels, &tr!("doctor-label-probe"), &probe, true);
    describe(
        &mut text,
        &labels,
        &tr!("doctor-label-build"),
        &build,
        false,
    );
    let _ = writeln!(text, "{}{}", labels.indent(), tr!("doctor-bounds"));
    let note_label = labels.pad(&tr!("doctor-label-note"));
    for note in sandbox::notes() {
        let _ = writeln!(text, "{note_label}{note}");
    }
    cache_lines(&mut text, &labels, &mut missing, cache_dir, cache_max);
    if missing.is_empty() {
        let _ = writeln!(text, "{}", tr!("doctor-ready"));
        print!("{text}");
        Ok(crate::app::EXIT_PASSED)
    } else {
        let and = format!(" {} ", tr!("doctor-and"));
        let _ = writeln!(
            text,
            "{}",
            tr!("doctor-not-ready", missing = missing.join(&and))
        );
        print!("{text}");
        Ok(crate::app::EXIT_ERROR)
    }
}

/// The cache's line: where it is, how full, how much room its disk has; or why it cannot be used.
fn cache_lines(
    text: &mut String,
    labels: &Labels,
    missing: &mut Vec<String>,
    cache_dir: Option<&Path>,
    cache_max: Option<u64>,
) {
    let label = labels.pad(&tr!("doctor-label-cache"));
    match Cache::locate(cache_dir, cache_max) {
        Ok(cache) => {
            let mut line = tr!(
                "doctor-cache",
                path = cache.root.display().to_string(),
                size = human(cache.size().total),
                cap = human(cache.max)
            );
            if let Some(free) = cache.free_space() {
                line.push_str(&tr!("doctor-cache-free", free = human(free)));
            }
            let _ = writeln!(text, "{label}{line}");
        }
        Err(error) => {
            let unusable = tr!("doctor-cache-unusable", error = error.to_string());
            let _ = writeln!(text, "{label}{unusable}");
            missing.push(tr!("doctor-need-cache"));
        }
    }
}

/// How `isolation` works, and for probe runs a line for each of the guarantees: given or not.
fn describe(
    text: &mut String,
    labels: &Labels,
    what: &str,
    isolation: &Isolation,
    guarantees: bool,
) {
    let _ = writeln!(text, "{}{}", labels.pad(what), isolation.how);
    if guarantees {
        let (yes, no) = (tr!("doctor-yes"), tr!("doctor-no"));
        let width = yes.chars().count().max(no.chars().count());
        for guarantee in Guarantee::ALL {
            let given = if isolation.guarantees.contains(&guarantee) {
                &yes
            } else {
                &no
            };
            let _ = writeln!(text, "{}{given:<width$}  {guarantee}", labels.indent());
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
        tr!("doctor-isolation-probe", how = probe.how),
        tr!("doctor-isolation-build", how = build.how),
    ]
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
