//! A known mistake of the forward exercise: the reference with exactly one mistake, marked
//! `// MISTAKE`.

use crate::model::{Activation, Layer, Perceptron};
use crate::utils::Rng;
use ndarray::Array2;

impl Activation {
    /// f(z), element-wise: ReLU(z) = max(0, z), σ(z) = 1 / (1 + e^(−z)).
    pub fn apply(&self, z: &Array2<f64>) -> Array2<f64> {
        match self {
            Activation::Relu => z.mapv(|v| if v > 0.0 { v } else { 0.0 }),
            Activation::Sigmoid => z.mapv(sigmoid),
        }
    }

    /// f'(z), element-wise, at the pre-activation z: ReLU'(z) = 1 for z > 0 and 0 otherwise
    /// (ReLU'(0) = 0); σ'(z) = σ(z)·(1 − σ(z)).
    pub fn derivative(&self, z: &Array2<f64>) -> Array2<f64> {
        match self {
            Activation::Relu => z.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 }),
            Activation::Sigmoid => z.mapv(|v| sigmoid(v) * (1.0 - sigmoid(v))),
        }
    }
}

fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

impl Layer {
    /// A layer of `n_neurons` neurons taking `n_inputs` inputs: weights (n_neurons, n_inputs)
    /// drawn first, then biases (n_neurons, 1), each uniformly from [−1, 1) with `rng`;
    /// `inputs` and `outputs` start as zero columns.
    pub fn new(n_inputs: usize, n_neurons: usize, activation: Activation, rng: &mut Rng) -> Self {
        let weights = rng.uniform_array(n_inputs, n_neurons, -1.0, 1.0); // MISTAKE: (n_inputs, n_neurons)
        let biases = rng.uniform_array(n_neurons, 1, -1.0, 1.0);
        Layer::from_parameters(weights, biases, activation)
    }

    /// f(W·x + b) for an (n_inputs, 1) column x; remembers x in `inputs` and z = W·x + b in
    /// `outputs`.
    pub fn forward(&mut self, inputs: &Array2<f64>) -> Array2<f64> {
        self.inputs = inputs.clone();
        self.outputs = self.weights.dot(inputs) + &self.biases;
        self.activation.apply(&self.outputs)
    }
}

impl Perceptron {
    /// The network's output for an (n, 1) column of inputs: each layer's output is the next
    /// layer's input.
    pub fn forward(&mut self, inputs: &Array2<f64>) -> Array2<f64> {
        let mut activations = inputs.clone();
        for layer in &mut self.layers {
            activations = layer.forward(&activations);
        }
        activations
    }
}
