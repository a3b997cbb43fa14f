//! Given code: a dense layer and a multilayer perceptron, with their forward passes. Your part,
//! `Layer::backward` and `Perceptron::fit`, lives in `backprop.rs`.

use crate::utils::{Activation, Rng};
use ndarray::Array2;

/// One fully connected layer: a = f(W·x + b).
#[derive(Clone, Debug)]
pub struct Layer {
    /// (n_inputs, 1): the column passed to the last `forward`.
    pub inputs: Array2<f64>,
    /// (n_neurons, 1): the PRE-activation z = W·x + b of the last `forward` (the course's name).
    pub outputs: Array2<f64>,
    /// (n_neurons, n_inputs).
    pub weights: Array2<f64>,
    /// (n_neurons, 1).
    pub biases: Array2<f64>,
    /// f, applied element-wise to z.
    pub activation: Activation,
}

impl Layer {
    /// A layer whose weights, then biases, are drawn uniformly from [-1, 1) as in the course.
    pub fn new(n_inputs: usize, n_neurons: usize, activation: Activation, rng: &mut Rng) -> Self {
        let weights = rng.uniform_array(n_neurons, n_inputs, -1.0, 1.0);
        let biases = rng.uniform_array(n_neurons, 1, -1.0, 1.0);
        Layer::from_parameters(weights, biases, activation)
    }

    /// A layer with the given parameters: weights (n_neurons, n_inputs), biases (n_neurons, 1).
    pub fn from_parameters(
        weights: Array2<f64>,
        biases: Array2<f64>,
        activation: Activation,
    ) -> Self {
        let (n_neurons, n_inputs) = weights.dim();
        assert_eq!(
            biases.dim(),
            (n_neurons, 1),
            "biases must be a (n_neurons, 1) column"
        );
        Layer {
            inputs: Array2::zeros((n_inputs, 1)),
            outputs: Array2::zeros((n_neurons, 1)),
            weights,
            biases,
            activation,
        }
    }

    /// Computes f(W·x + b) for an (n_inputs, 1) column x, and remembers x in `inputs` and z in `outputs`.
    pub fn forward(&mut self, inputs: &Array2<f64>) -> Array2<f64> {
        self.inputs = inputs.clone();
        self.outputs = self.weights.dot(inputs) + &self.biases;
        self.activation.apply(&self.outputs)
    }
}

/// A multilayer perceptron: layers applied one after the other.
#[derive(Clone, Debug)]
pub struct Perceptron {
    /// The layers, from the input to the output.
    pub layers: Vec<Layer>,
}

impl Perceptron {
    pub fn new(layers: Vec<Layer>) -> Self {
        Perceptron { layers }
    }

    /// A perceptron of `sizes.len() - 1` layers (`sizes[0]` inputs, `sizes[k]` neurons in layer k), with
    /// `activations[k - 1]` in layer k, whose parameters are drawn from one generator seeded with `seed`.
    pub fn with_seed(sizes: &[usize], activations: &[Activation], seed: u64) -> Self {
        assert_eq!(
            sizes.len(),
            activations.len() + 1,
            "one activation per layer"
        );
        let mut rng = Rng::new(seed);
        let layers = sizes
            .windows(2)
            .zip(activations)
            .map(|(pair, &activation)| Layer::new(pair[0], pair[1], activation, &mut rng))
            .collect();
        Perceptron::new(layers)
    }

    /// The network's output for an (n, 1) column of inputs.
    pub fn forward(&mut self, inputs: &Array2<f64>) -> Array2<f64> {
        let mut activations = inputs.clone();
        for layer in &mut self.layers {
            activations = layer.forward(&activations);
        }
        activations
    }
}
