//! `grade`: an auto-grader for a backpropagation exercise.
//!
//! The pipeline, one module per stage, data flowing one way as plain structs:
//!
//! ```text
//! spec ─► stage ─► build ─► probe ─► judge ─► score ─► report
//! ```
//!
//! [`grader`] drives it; [`bundle`] compiles many builds in one rustc call for a class; [`sandbox`]
//! is where children are spawned, bounded and killed; [`app`] holds what each command of the
//! binary does, with [`batch`] (a whole class at once) and [`watch`] (re-grade on save) beside it.

pub mod app;
pub mod batch;
pub mod build;
pub mod bundle;
pub mod cache;
pub mod diagnose;
pub mod error;
pub mod grader;
pub mod judge;
pub mod known;
pub mod parallel;
pub mod probe;
pub mod progress;
pub mod report;
pub mod rustc;
pub mod sandbox;
pub mod score;
pub mod spec;
pub mod stage;
mod text;
mod tokens;
pub mod validate;
pub mod watch;

pub use error::{Error, Result};
