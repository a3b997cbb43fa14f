//! `grade`: a grader for Rust exercises. A student completes a module of a small crate; grade
//! compiles it beside the exercise's given files, probes it in a sandbox on fixed seeds beside a
//! reference, judges the observations with the checks `exercise.toml` declares, and reports a score
//! with a hint for each known mistake. Its exercises are `exercises/backprop` (backpropagation and
//! training) and `exercises/forward` (the forward pass); the engine knows nothing of either, and
//! `docs/authoring.md` says how to write another (`grade new` starts one).
//!
//! The pipeline, one module per stage, data flowing one way as plain structs:
//!
//! ```text
//! spec ─► stage ─► build ─► probe ─► judge ─► score ─► report
//! ```
//!
//! `grader` drives it; `bundle` compiles many builds in one rustc call for a class; [`sandbox`]
//! is where children are spawned, bounded and killed; [`app`] holds what each command of the
//! binary does, with [`batch`] (a whole class at once) and [`watch`] (re-grade on save) beside it,
//! and [`doctor`] what this machine allows; `scaffold` makes new exercises. Every probe links the
//! shared `harness` crate (`harness/`), which `build` embeds and builds once per toolchain with the
//! exercise's dependencies.
//! Only what the binary and the tests use is public: the rest warns when it goes unused.
//!
//! Unix only (Linux, macOS): on Windows the crate is empty and the binary points at WSL.
#![cfg(unix)]

pub mod app;
pub mod batch;
mod bilingual;
mod build;
mod bundle;
pub mod cache;
mod class;
mod diagnose;
pub mod doctor;
pub mod error;
mod grader;
pub mod i18n;
mod judge;
mod known;
pub mod merge;
pub mod parallel;
mod probe;
mod progress;
mod report;
mod rustc;
pub mod sandbox;
mod scaffold;
mod score;
pub mod shard;
mod spec;
mod stage;
mod text;
mod tokens;
mod validate;
pub mod watch;

pub use error::{Error, Result};
