//! Given code: the types of a multilayer perceptron. Their methods that you write live in
//! `forward.rs`; here are only the fields and a few constructors.

use crate::utils::Rng;
use ndarray::Array2;

/// The activation function of a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// ReLU(z) = max(0, z); its derivative is 1 for z > 0 and 0 otherwise (so ReLU'(0) = 0).
    Relu,
    /// σ(z) = 1 / (1 + e^(−z)); its derivative is σ(z)·(1 − σ(z)).
    Sigmoid,
}

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
    /// A layer with the given parameters: weights (n_neurons, n_inputs), biases (n_neurons, 1);
    /// `inputs` and `outputs` start as zero columns.
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
}

/// A multilayer perceptron: layers applied one after the other.
#[derive(Clone, Debug)]
pub struct Perceptron {
    /// The layers, from the input to the output.
    pub layers: Vec<Layer>,
}

impl Perceptron {
    /// A perceptron of the given layers.
    pub fn new(layers: Vec<Layer>) -> Self {
        Perceptron { layers }
    }

    /// A perceptron of `sizes.len() - 1` layers (`sizes[0]` inputs, `sizes[k]` neurons in layer
    /// k), with `activations[k - 1]` in layer k, each made by your `Layer::new` from one
    /// generator seeded with `seed`, layer after layer.
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
}
