//! The forward exercise: the forward pass of a small multilayer perceptron.
//!
//! - [`utils`] (given): a seeded random number generator, and a row as a column;
//! - [`model`] (given): `Activation`, `Layer`, `Perceptron`, the types you implement;
//! - [`forward`] (yours): the activations, `Layer::new`, `Layer::forward`, `Perceptron::forward`.

pub mod forward;
pub mod model;
pub mod utils;
