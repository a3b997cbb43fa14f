//! Your part: the forward pass. Replace each `todo!()` with your implementation, keeping the
//! signatures as they are. Only this file is graded; `grade .` in this folder grades it, and
//! `cargo run` prints what your network computes.

use crate::model::{Activation, Layer, Perceptron};
use crate::utils::Rng;
use ndarray::Array2;

impl Activation {
    /// f(z), element-wise, for a column z of any length:
    ///
    /// - ReLU(z) = max(0, z);
    /// - σ(z) = 1 / (1 + e^(−z)).
    ///
    /// `z.mapv(|v| ...)` applies a function to each element.
    #[allow(unused_variables)]
    pub fn apply(&self, z: &Array2<f64>) -> Array2<f64> {
        todo!()
    }

    /// f'(z), element-wise, at the PRE-activation z (not at f(z)):
    ///
    /// - ReLU'(z) = 1 for z > 0, and 0 otherwise: ReLU'(0) = 0;
    /// - σ'(z) = σ(z)·(1 − σ(z)).
    #[allow(unused_variables)]
    pub fn derivative(&self, z: &Array2<f64>) -> Array2<f64> {
        todo!()
    }
}

impl Layer {
    /// A layer of `n_neurons` neurons taking `n_inputs` inputs, as the course makes it:
    ///
    /// 1. the weights, an `(n_neurons, n_inputs)` array drawn uniformly from [−1, 1) with `rng`
    ///    (`rng.uniform_array(rows, cols, low, high)` fills row by row);
    /// 2. then the biases, an `(n_neurons, 1)` column drawn the same way, from the same `rng`;
    /// 3. `Layer::from_parameters` makes the layer (its `inputs` and `outputs` start at zero).
    ///
    /// Draw nothing else from `rng`: the next layer's weights come from it.
    #[allow(unused_variables)]
    pub fn new(n_inputs: usize, n_neurons: usize, activation: Activation, rng: &mut Rng) -> Self {
        todo!()
    }

    /// The layer's output f(W·x + b) for an `(n_inputs, 1)` column x:
    ///
    /// 1. remember x in `self.inputs`;
    /// 2. z = W·x + b: `(n_neurons, n_inputs)` · `(n_inputs, 1)` + `(n_neurons, 1)`, remembered
    ///    in `self.outputs` (the PRE-activation: backpropagation needs z, not f(z));
    /// 3. return f(z), with `self.activation`.
    #[allow(unused_variables)]
    pub fn forward(&mut self, inputs: &Array2<f64>) -> Array2<f64> {
        todo!()
    }
}

impl Perceptron {
    /// The network's output for an `(n, 1)` column of inputs: the first layer's `forward` of the
    /// inputs, then each layer's `forward` of the previous layer's output; the last one's output
    /// is the network's.
    #[allow(unused_variables)]
    pub fn forward(&mut self, inputs: &Array2<f64>) -> Array2<f64> {
        todo!()
    }
}
