//! The probe harness of `grade`'s exercises: the plumbing every exercise's probe shares, so that a
//! probe is only the code that drives the student's functions on a scenario.
//!
//! `grade` compiles an exercise's probe (`probe = "probe.rs"` in `exercise.toml`) as the root
//! `src/main.rs` of a crate holding the given files and the submission, linked against this crate
//! (built once per toolchain with the exercise's dependencies), and runs it once per scenario.
//!
//! # The probe protocol
//!
//! - **In**: the command line is `probe <kind> seed=<n> key=value ...`: the scenario's `probe`,
//!   its seed (the shipped one, or one derived from `--seed`) and its `args`, lists joined by
//!   commas. [`Params`] reads them.
//! - **Out**: exactly one JSON object on one line, written on the descriptor named by the
//!   environment variable `GRADE_OBS_FD` (on stdout when it is unset, for a run by hand), never
//!   on the student's stdout, which the grader captures apart: `{"observations": {key: value}}`,
//!   `{"error": "..."}` (the scenario cannot run: a bad parameter; the exercise's fault, exit 2),
//!   or `{"panic": {"message", "location", "frames", "operation"?, "context"?}}` (the
//!   submission panicked; graded). [`report`] writes it.
//! - **Observations**, never verdicts: a value is a number, or an array of numbers or of arrays
//!   (a matrix, row by row); non-finite numbers travel as `"NaN"`, `"inf"`, `"-inf"`. Keys are
//!   free-form; a `/` groups them (`numeric/d_weights`), and rules select them by name or by a
//!   pattern ending in `*`.
//! - **Out of memory**: the harness's global allocator writes `{"out_of_memory": {"bytes": n}}`
//!   on the channel when the probe's memory limit refuses an allocation, so the grader knows the
//!   run hit its limit.
//! - `GRADE_SUBMISSION_FILES` (comma-separated crate paths, e.g. `src/backprop.rs`) says which
//!   files are the student's, so that a panic's report starts at the student's own line.
//!
//! # A probe
//!
//! ```no_run
//! use harness::{Json, Observations, Params};
//!
//! fn main() {
//!     let args: Vec<String> = std::env::args().skip(1).collect();
//!     harness::report(&args, |params| run(params));
//! }
//!
//! fn run(params: &Params) -> Result<Observations, String> {
//!     match params.kind.as_str() {
//!         "square" => {
//!             let mut rng = harness::Rng::new(params.get("seed")?);
//!             let x = rng.uniform(-1.0, 1.0);
//!             harness::context(format!("square was given {x}"));
//!             let mut obs = Observations::new();
//!             obs.insert("value".into(), Json::Num(x * x)); // the student's function here
//!             Ok(obs)
//!         }
//!         other => Err(format!("unknown scenario kind `{other}`")),
//!     }
//! }
//! ```
//!
//! # Features
//!
//! - `ndarray`: `From<Array2<f64>>` for [`Json`], [`Rng::uniform_array`], and the ndarray
//!   operations on `f64` arrays instantiated once here so that every build reuses them.
//!
//! Nothing here knows any exercise's solution, so a student's code may link it without harm.

#![warn(missing_docs)]

#[cfg(feature = "ndarray")]
mod arrays;
mod channel;
mod json;
mod panics;
mod params;
mod rng;

#[cfg(feature = "ndarray")]
pub use arrays::instantiate;
pub use json::{Json, Observations};
pub use panics::context;
pub use params::Params;
pub use rng::{draw_until, Rng};

/// Runs one scenario and reports, on the grader's channel, its observations, its error (the
/// exercise's fault: a bad parameter) or the panic that stopped it (message and location, the
/// submission's lines on the way, what the probe was doing: see [`context`]).
///
/// `args` are the command line's arguments after the program's name.
pub fn report(
    args: &[String],
    scenario: impl FnOnce(&Params) -> Result<Observations, String> + std::panic::UnwindSafe,
) {
    channel::open();
    let output = match Params::from_args(args) {
        Err(message) => Json::object([("error", Json::Str(message))]),
        Ok(params) => panics::run_catching_panics(move || scenario(&params)),
    };
    channel::emit(&output);
}
