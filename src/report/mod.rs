//! The report stage: renders a [`Report`](crate::score::Report) for people or machines. Renderers
//! take the finished report and nothing else.

pub mod human;
pub mod json;
pub mod validation;
