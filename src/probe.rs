//! The probe stage: runs a built probe binary once per scenario, in the sandbox, and turns what
//! came
//! back into plain observations. It decides nothing about correctness; it only says what happened:
//! the values the probe reported, or the panic, the crash or the timeout that prevented it, as a
//! typed [`Failure`] read from how the run ended and what the kernel counted of it. A run grade
//! could not start is an error, never an outcome.

use crate::cache::{Cache, InCache, Key};
use crate::error::{Error, IoContext, Result};
use crate::sandbox::{self, Exit, Finished, Job, Limits};
use crate::spec::Scenario;
use crate::text::clip;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// One observed value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A number, or an array of numbers of any shape, flattened in row-major order.
    Array {
        shape: Vec<usize>,
        #[serde(with = "finite_or_text")]
        data: Vec<f64>,
    },
    /// Text.
    Text(String),
}

impl Value {
    /// The numbers, flattened.
    pub fn numbers(&self) -> &[f64] {
        match self {
            Value::Array { data, .. } => data,
            Value::Text(_) => &[],
        }
    }

    pub fn shape(&self) -> &[usize] {
        match self {
            Value::Array { shape, .. } => shape,
            Value::Text(_) => &[],
        }
    }
}

/// What the submission printed during a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Printed {
    /// stdout as captured (head and tail when it was too long).
    pub stdout: String,
    /// stderr as captured.
    pub stderr: String,
    /// Nothing was elided from stdout, so its lines can be checked.
    pub stdout_complete: bool,
}

/// How a scenario run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The probe reported its observations.
    Observed {
        values: BTreeMap<String, Value>,
        printed: Printed,
    },
    /// The submission panicked (e.g. `todo!()`).
    Panicked {
        message: String,
        /// Where the panic was raised: in the submission, or inside a library it called.
        location: String,
        /// The places in the submitted files on the way to the panic, innermost first (from the
        /// probe's backtrace), when the panic was raised elsewhere.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        frames: Vec<String>,
        /// What the innermost of `frames` called, in the exercise's words (e.g. "the element-wise
        /// product `*`").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        operation: Option<String>,
        /// What the probe was doing, in the exercise's words (e.g. the shapes of the arrays the
        /// submission was given).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        printed: Printed,
    },
    /// It never reported: it crashed, was killed by a limit, exited early or timed out.
    Failed { reason: Failure, printed: Printed },
    /// The build it needs does not exist.
    NotBuilt { reason: String },
}

impl Outcome {
    pub fn values(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Outcome::Observed { values, .. } => Some(values),
            _ => None,
        }
    }
}

/// Why a run made no report: what the submission's code did. Grade's own trouble running it is an
/// [`Error`], never one of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "failure", rename_all = "snake_case")]
pub enum Failure {
    /// It outlived its wall-clock bound.
    TimedOut { seconds: f64 },
    /// It used up its CPU time.
    CpuLimit { seconds: u64 },
    /// An allocation went past its memory limit.
    MemoryLimit { mib: u64 },
    /// Its stack overflowed.
    StackOverflow,
    /// It wrote a file larger than its limit.
    FileTooLarge,
    /// A signal ended it (`6` is an abort).
    Signal { signal: i32 },
    /// It exited without reporting.
    ExitedEarly { code: i32 },
    /// It reported more than the channel takes.
    TooMuchReported { mib: u64 },
    /// It reported an observation with a name longer than this.
    LongName { cap: usize },
    /// The probe said the scenario was not one it knows (a submission may write this too).
    Rejected { scenario: String, message: String },
    /// It reported something that is not observations.
    NotObservations,
}

impl Failure {
    /// Whether the same build may behave otherwise next time (a busy machine slows it): such an
    /// outcome is not cached.
    pub fn transient(&self) -> bool {
        matches!(self, Failure::TimedOut { .. } | Failure::CpuLimit { .. })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Failure::TimedOut { seconds } => {
                crate::tr!("failure-timed-out", seconds = format_seconds(*seconds))
            }
            Failure::CpuLimit { seconds } => crate::tr!("failure-cpu-limit", seconds = *seconds),
            Failure::MemoryLimit { mib } => crate::tr!("failure-memory-limit", mib = *mib),
            Failure::StackOverflow => crate::tr!("failure-stack-overflow"),
            Failure::FileTooLarge => crate::tr!("failure-file-too-large"),
            Failure::Signal { signal: 9 } => crate::tr!("failure-sigkill"),
            Failure::Signal { signal: 6 } => crate::tr!("failure-sigabrt"),
            Failure::Signal { signal: 11 } => crate::tr!("failure-sigsegv"),
            Failure::Signal { signal } => crate::tr!("failure-signal", signal = signal.to_string()),
            Failure::ExitedEarly { code } => {
                crate::tr!("failure-exited-early", code = code.to_string())
            }
            Failure::TooMuchReported { mib } => crate::tr!("failure-too-much", mib = *mib),
            Failure::LongName { cap } => crate::tr!("failure-long-name", cap = *cap),
            Failure::Rejected { scenario, message } => {
                crate::tr!("failure-rejected", scenario = scenario, message = message)
            }
            Failure::NotObservations => crate::tr!("failure-not-observations"),
        };
        f.write_str(&text)
    }
}

/// How probe runs are bounded, and what they must not see.
#[derive(Debug, Clone)]
pub struct RunLimits {
    pub memory_mib: u64,
    pub cpu_seconds: u64,
    pub output_kib: u64,
    /// Folders hidden from the run (see [`sandbox::Job::hide`]): what a submission could read to
    /// cheat or to copy, the reference's source, observations and binaries, other builds' sources.
    pub hide: Vec<std::path::PathBuf>,
    /// The submitted files' paths in the crate, told to the probe (`GRADE_SUBMISSION_FILES`) so
    /// that it can locate a panic at the submission's own line.
    pub submission_files: Vec<String>,
}

/// Runs `binary`, built from a submission, on `scenario` with `seed`; `unit` is the build to run
/// when the binary is a bundle's. Whatever the submission does is an outcome: `Err` only when grade
/// itself cannot run it.
pub fn run(
    binary: &Path,
    unit: Option<&str>,
    scenario: &Scenario,
    seed: u64,
    limits: &RunLimits,
    cache: &Cache,
) -> Result<Outcome> {
    probe(binary, unit, scenario, seed, limits, cache, false)
}

/// Like [`run`], for a trusted build (the reference, a known mistake): a scenario its probe
/// rejects is the exercise's fault, an error.
pub fn run_trusted(
    binary: &Path,
    unit: Option<&str>,
    scenario: &Scenario,
    seed: u64,
    limits: &RunLimits,
    cache: &Cache,
) -> Result<Outcome> {
    probe(binary, unit, scenario, seed, limits, cache, true)
}

/// Runs `binary` on `scenario`. A submission runs in the probe's process and can write on its
/// channel too; only a `trusted` build's report of a rejected scenario is the exercise's fault.
fn probe(
    binary: &Path,
    unit: Option<&str>,
    scenario: &Scenario,
    seed: u64,
    limits: &RunLimits,
    cache: &Cache,
    trusted: bool,
) -> Result<Outcome> {
    let scratch = sandbox::scratch().at(|| {
        format!(
            "creating a working folder in {}",
            std::env::temp_dir().display()
        )
    })?;
    let home = scratch.path().to_string_lossy().to_string();
    let mut env = vec![
        ("HOME".into(), home.clone()),
        ("TMPDIR".into(), home),
        ("RUST_BACKTRACE".into(), "0".into()),
        (
            "GRADE_SUBMISSION_FILES".into(),
            limits.submission_files.join(","),
        ),
    ];
    if let Some(unit) = unit {
        env.push((crate::bundle::UNIT_ENV.into(), unit.into()));
    }
    let job = Job {
        program: binary.to_path_buf(),
        args: scenario.argv(seed),
        cwd: scratch.path().to_path_buf(),
        env,
        clear_env: true,
        channel: true,
        isolate: true,
        writable: None,
        hide: limits.hide.clone(),
        limits: Limits {
            wall: scenario.timeout,
            grace: Duration::from_millis(300),
            address_space: Some(limits.memory_mib << 20),
            resident: sandbox::WATCHES_RESIDENT.then_some(limits.memory_mib << 20),
            cpu_seconds: Some(limits.cpu_seconds),
            file_size: Some(16 << 20),
            open_files: Some(256),
            // A probe needs one process; a submission that forks soon runs out.
            processes: Some(64),
            output_cap: (limits.output_kib as usize) << 10,
            channel_cap: 16 << 20,
        },
    };
    let finished = sandbox::run(&job)
        .at(|| format!("starting a sandboxed run of {}", binary.display()))
        .in_cache(cache)?;
    interpret(&finished, scenario, limits, trusted)
}

/// Like [`run`], for trusted builds (the reference, known mistakes): the outcome is cached under
/// the build's key and the scenario, so they are probed once.
pub fn run_cached(
    binary: &Path,
    unit: Option<&str>,
    build_key: &str,
    scenario: &Scenario,
    seed: u64,
    limits: &RunLimits,
    cache: &Cache,
) -> Result<Outcome> {
    // v3: sealed entries, typed failures; probe runs are told the submitted files and can read
    // their own binary (panic frames).
    let mut key = Key::new("outcome-v3");
    key.add(build_key.as_bytes());
    key.add(limits.submission_files.join(",").as_bytes());
    // Under other limits the same build may behave otherwise (a lower memory limit can kill it).
    key.add(
        format!(
            "{} {} {} {:?}",
            limits.memory_mib, limits.cpu_seconds, limits.output_kib, scenario.timeout
        )
        .as_bytes(),
    );
    for arg in scenario.argv(seed) {
        key.add(arg.as_bytes());
    }
    let path = cache
        .root
        .join(crate::cache::OUTCOMES)
        .join(format!("{}.json", key.finish()));
    match crate::cache::read_sealed(&path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(outcome) => {
                crate::cache::touch(&path);
                return Ok(outcome);
            }
            Err(e) => cache.discard(&path, &format!("not an outcome of this version: {e}")),
        },
        Err(crate::cache::Unusable::Missing) => {}
        Err(crate::cache::Unusable::Damaged(why)) => cache.discard(&path, &why),
    }
    let outcome = probe(binary, unit, scenario, seed, limits, cache, true)?;
    if !matches!(&outcome, Outcome::Failed { reason, .. } if reason.transient()) {
        crate::cache::write_sealed(&path, &serde_json::to_vec(&outcome).expect("serialises"))?;
    }
    Ok(outcome)
}

/// Bytes kept of a text a report carries (a panic message, a reason), and of a name (a panic's
/// location, an observation's key): the harness keeps to these, and a submission that writes its
/// own
/// report must not flood grade's.
const TEXT_CAP: usize = 2000;
const NAME_CAP: usize = 200;
/// Frames kept of a panic's way through the submission.
const MAX_FRAMES: usize = 8;

/// What a probe writes on its channel: exactly one of these, as one JSON object with one key
/// (the harness of each exercise writes them; a submission may forge one, for its own checks).
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Report {
    /// The values observed, by key.
    Observations(BTreeMap<String, serde_json::Value>),
    /// The submission panicked.
    Panic(PanicReport),
    /// The probe refused the scenario's arguments.
    Error(String),
    /// An allocation was refused (the harness's allocator says so before the runtime aborts).
    OutOfMemory {},
}

/// A panic as the harness reports it.
#[derive(Deserialize)]
struct PanicReport {
    message: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    frames: Vec<String>,
    operation: Option<String>,
    context: Option<String>,
}

fn interpret(
    finished: &Finished,
    scenario: &Scenario,
    limits: &RunLimits,
    trusted: bool,
) -> Result<Outcome> {
    let printed = Printed {
        stdout: finished.stdout.text(),
        stderr: finished.stderr.text(),
        stdout_complete: finished.stdout.is_complete(),
    };
    let report = finished
        .channel
        .as_deref()
        .and_then(|bytes| serde_json::from_slice::<Report>(bytes).ok());
    let failure = match finished.exit {
        Exit::TimedOut => Failure::TimedOut {
            seconds: scenario.timeout.as_secs_f64(),
        },
        Exit::Signal(signal) => signalled(signal, report.as_ref(), finished, limits),
        Exit::MemoryLimit => Failure::MemoryLimit {
            mib: limits.memory_mib,
        },
        Exit::Code(_) if finished.channel_overflow => Failure::TooMuchReported { mib: 16 },
        Exit::Code(code) => match report {
            None | Some(Report::OutOfMemory {}) => Failure::ExitedEarly { code },
            Some(report) => return from_report(report, printed, scenario, trusted),
        },
    };
    Ok(Outcome::Failed {
        reason: failure,
        printed,
    })
}

/// Why a run that a signal ended failed: its limits, by the signal the kernel sends for each and
/// what the kernel counted, or the harness's word that an allocation was refused.
fn signalled(
    signal: i32,
    report: Option<&Report>,
    finished: &Finished,
    limits: &RunLimits,
) -> Failure {
    let usage = finished.usage;
    match signal {
        libc::SIGXCPU => Failure::CpuLimit {
            seconds: limits.cpu_seconds,
        },
        // The hard limit, a second after the soft one.
        libc::SIGKILL if usage.cpu.as_secs() >= limits.cpu_seconds => Failure::CpuLimit {
            seconds: limits.cpu_seconds,
        },
        libc::SIGXFSZ => Failure::FileTooLarge,
        // Rust aborts when an allocation fails.
        libc::SIGABRT
            if matches!(report, Some(Report::OutOfMemory {}))
                || usage.max_rss >= (limits.memory_mib << 20) / 2 =>
        {
            Failure::MemoryLimit {
                mib: limits.memory_mib,
            }
        }
        libc::SIGABRT => runtime_abort(&finished.stderr.text()),
        signal => Failure::Signal { signal },
    }
}

/// The outcome of a run that exited after reporting `report`.
fn from_report(
    report: Report,
    printed: Printed,
    scenario: &Scenario,
    trusted: bool,
) -> Result<Outcome> {
    let failed = |reason| {
        Ok(Outcome::Failed {
            reason,
            printed: printed.clone(),
        })
    };
    match report {
        Report::Observations(values) => {
            if values.keys().any(|key| key.len() > NAME_CAP) {
                return failed(Failure::LongName { cap: NAME_CAP });
            }
            let values = values
                .iter()
                .map(|(k, v)| (k.clone(), value_from_json(v)))
                .collect();
            Ok(Outcome::Observed { values, printed })
        }
        Report::Panic(panic) => {
            let optional =
                |text: Option<String>| text.map(|t| clip(&t, TEXT_CAP)).filter(|t| !t.is_empty());
            Ok(Outcome::Panicked {
                message: clip(&panic.message, TEXT_CAP),
                location: without_machine_path(&clip(&panic.location, NAME_CAP)).to_string(),
                frames: panic
                    .frames
                    .iter()
                    .take(MAX_FRAMES)
                    .map(|f| clip(f, NAME_CAP))
                    .collect(),
                operation: optional(panic.operation),
                context: optional(panic.context),
                printed,
            })
        }
        Report::Error(message) => {
            let message = clip(&message, TEXT_CAP);
            if trusted {
                return Err(Error::Probe {
                    message: crate::tr!(
                        "probe-rejected",
                        scenario = &scenario.id,
                        message = message
                    ),
                });
            }
            // The submission may have written it: a reason for its checks, not grade's failure.
            failed(Failure::Rejected {
                scenario: scenario.id.clone(),
                message,
            })
        }
        Report::OutOfMemory {} => failed(Failure::NotObservations),
    }
}

/// An abort that is no refused allocation: a stack overflow, as the Rust runtime names it on
/// stderr before aborting (it has no other way to say it), or any other abort. The words only
/// choose between two of the submission's own failures; whose failure it is never depends on text.
fn runtime_abort(stderr: &str) -> Failure {
    if stderr.contains("has overflowed its stack") {
        Failure::StackOverflow
    } else {
        Failure::Signal {
            signal: libc::SIGABRT,
        }
    }
}

/// A library's source path without the machine's part: `ndarray-0.17.2/src/impl_ops.rs:1:2`
/// rather than the cargo registry's full path, `core/src/…` rather than `/rustc/<hash>/library/…`.
/// Observations are compared across machines (`expected.json`): they must not hold a home folder.
fn without_machine_path(location: &str) -> &str {
    if let Some((_, rest)) = location.split_once("/registry/src/") {
        return rest.split_once('/').map_or(rest, |(_, in_crate)| in_crate);
    }
    if let Some((_, rest)) = location.split_once("/library/") {
        return rest;
    }
    location
}

fn format_seconds(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

/// Numbers and (nested, rectangular) arrays of numbers become arrays; the probe sends non-finite
/// numbers as the strings "NaN", "inf" and "-inf".
fn value_from_json(json: &serde_json::Value) -> Value {
    fn number(json: &serde_json::Value) -> Option<f64> {
        match json {
            serde_json::Value::Number(n) => n.as_f64(),
            serde_json::Value::String(s) => match s.as_str() {
                "NaN" => Some(f64::NAN),
                "inf" => Some(f64::INFINITY),
                "-inf" => Some(f64::NEG_INFINITY),
                _ => None,
            },
            _ => None,
        }
    }
    fn flatten(
        json: &serde_json::Value,
        depth: usize,
        shape: &mut Vec<usize>,
        data: &mut Vec<f64>,
    ) -> bool {
        match json {
            serde_json::Value::Array(items) => {
                if shape.len() == depth {
                    shape.push(items.len());
                } else if shape[depth] != items.len() {
                    return false;
                }
                items
                    .iter()
                    .all(|item| flatten(item, depth + 1, shape, data))
            }
            other => match number(other) {
                Some(v) if shape.len() == depth => {
                    data.push(v);
                    true
                }
                _ => false,
            },
        }
    }
    let (mut shape, mut data) = (Vec::new(), Vec::new());
    if flatten(json, 0, &mut shape, &mut data) && data.len() == shape.iter().product::<usize>() {
        Value::Array { shape, data }
    } else {
        Value::Text(
            json.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| json.to_string()),
        )
    }
}

/// Serialises numbers as JSON numbers, and the non-finite ones as "NaN", "inf", "-inf".
mod finite_or_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Number {
        Finite(f64),
        Text(String),
    }

    pub fn serialize<S: Serializer>(data: &[f64], serializer: S) -> Result<S::Ok, S::Error> {
        let items: Vec<Number> = data
            .iter()
            .map(|&v| match v {
                v if v.is_finite() => Number::Finite(v),
                v if v.is_nan() => Number::Text("NaN".into()),
                v if v > 0.0 => Number::Text("inf".into()),
                _ => Number::Text("-inf".into()),
            })
            .collect();
        items.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
        let items = Vec::<Number>::deserialize(deserializer)?;
        Ok(items
            .into_iter()
            .map(|n| match n {
                Number::Finite(v) => v,
                Number::Text(t) if t == "inf" => f64::INFINITY,
                Number::Text(t) if t == "-inf" => f64::NEG_INFINITY,
                Number::Text(_) => f64::NAN,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What interpreting a run that exited 0 after writing `channel` gives.
    fn reported(channel: &str, trusted: bool) -> Result<Outcome> {
        ended(Exit::Code(0), channel, trusted)
    }

    /// What interpreting a run that ended by `exit` after writing `channel` gives.
    fn ended(exit: Exit, channel: &str, trusted: bool) -> Result<Outcome> {
        let finished = Finished {
            exit,
            stdout: Default::default(),
            stderr: Default::default(),
            channel: Some(channel.as_bytes().to_vec()),
            channel_overflow: false,
            usage: Default::default(),
        };
        let scenario = Scenario {
            id: "layer-1".into(),
            probe: "layer".into(),
            seed: 1,
            fixed_seed: false,
            build: crate::spec::MAIN_BUILD.into(),
            args: BTreeMap::new(),
            timeout: Duration::from_secs(1),
        };
        let limits = RunLimits {
            memory_mib: 64,
            cpu_seconds: 1,
            output_kib: 1,
            hide: Vec::new(),
            submission_files: Vec::new(),
        };
        interpret(&finished, &scenario, &limits, trusted)
    }

    #[test]
    fn an_abort_after_the_allocator_said_so_is_the_memory_limit() {
        let out_of_memory = r#"{"out_of_memory":{"bytes":1099511627776}}"#;
        let Ok(Outcome::Failed { reason, .. }) = ended(Exit::Signal(6), out_of_memory, false)
        else {
            panic!("not a failure")
        };
        assert_eq!(reason, Failure::MemoryLimit { mib: 64 });
        let Ok(Outcome::Failed { reason, .. }) = ended(Exit::Signal(6), "", false) else {
            panic!("not a failure")
        };
        assert_eq!(reason, Failure::Signal { signal: 6 });
    }

    #[test]
    fn a_rejected_scenario_is_the_exercises_fault_only_from_a_trusted_build() {
        let report = r#"{"error": "missing parameter `lr`"}"#;
        assert!(matches!(reported(report, true), Err(Error::Probe { .. })));
        let Ok(Outcome::Failed { reason, .. }) = reported(report, false) else {
            panic!("not a failure")
        };
        assert_eq!(
            reason.to_string(),
            "the probe rejected scenario `layer-1`: missing parameter `lr`"
        );
    }

    #[test]
    fn library_locations_lose_the_machines_path() {
        assert_eq!(
            without_machine_path(concat!(
                "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/",
                "ndarray-0.17.2/src/impl_ops.rs:12:5"
            )),
            "ndarray-0.17.2/src/impl_ops.rs:12:5"
        );
        assert_eq!(
            without_machine_path(concat!(
                "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/",
                "library/core/src/slice/index.rs:272:10"
            )),
            "core/src/slice/index.rs:272:10"
        );
        assert_eq!(
            without_machine_path("src/backprop.rs:3:9"),
            "src/backprop.rs:3:9"
        );
    }

    #[test]
    fn what_a_report_says_is_cut_to_a_readable_size() {
        let long = "é".repeat(5000);
        let report = format!(r#"{{"panic": {{"message": "{long}", "location": "{long}"}}}}"#);
        let Ok(Outcome::Panicked {
            message, location, ..
        }) = reported(&report, false)
        else {
            panic!("not a panic")
        };
        assert!(
            message.len() < TEXT_CAP + 40 && message.ends_with(" more bytes)"),
            "{message}"
        );
        assert!(location.len() < NAME_CAP + 40, "{location}");
        let report = format!(
            r#"{{"observations": {{"{}": 1.0}}}}"#,
            "k".repeat(NAME_CAP + 1)
        );
        assert!(matches!(
            reported(&report, false),
            Ok(Outcome::Failed { .. })
        ));
        assert_eq!(clip("ééé", 3), "é… (4 more bytes)");
    }

    #[test]
    fn nested_arrays_flatten_with_their_shape() {
        let v = value_from_json(&serde_json::json!([[1.0, 2.0, 3.0], [4.0, "NaN", 6.0]]));
        let Value::Array { shape, data } = v else {
            panic!("not an array")
        };
        assert_eq!(shape, vec![2, 3]);
        assert!(data[4].is_nan());
        assert_eq!(
            value_from_json(&serde_json::json!(2.5)),
            Value::Array {
                shape: vec![],
                data: vec![2.5]
            }
        );
    }

    #[test]
    fn ragged_arrays_are_not_arrays() {
        assert!(matches!(
            value_from_json(&serde_json::json!([[1.0], [2.0, 3.0]])),
            Value::Text(_)
        ));
    }

    #[test]
    fn non_finite_values_survive_a_round_trip() {
        let v = Value::Array {
            shape: vec![3],
            data: vec![f64::NAN, f64::INFINITY, 1.0],
        };
        let back: Value = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
        assert!(back.numbers()[0].is_nan());
        assert_eq!(back.numbers()[1], f64::INFINITY);
    }
}
