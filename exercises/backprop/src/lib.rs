//! The backprop exercise: a small multilayer perceptron trained with backpropagation.
//!
//! - [`utils`] (given): the activation functions, a seeded random number generator, the data
//!   loader;
//! - [`model`] (given): `Layer`, `Perceptron` and their forward passes;
//! - [`backprop`] (yours): `Layer::backward` and `Perceptron::fit`.

pub mod backprop;
pub mod model;
pub mod utils;
