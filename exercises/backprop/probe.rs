//! The grading harness of the backprop exercise. `grade` compiles it as the crate root beside the
//! given `utils.rs` and `model.rs` and a submitted `backprop.rs`, and runs it once per scenario:
//!
//!     probe <kind> key=value ...
//!
//! It drives the submission on the scenario and reports what it observed (arrays, returned values)
//! as one JSON object on the file descriptor named by `GRADE_OBS_FD` (stdout when unset), never on
//! the submission's stdout, and never a verdict: judging is the grader's job.
//!
//! Kinds:
//! - `layer`: one `Layer::backward` on a fresh layer, at two learning rates. Observes the gradients
//!   as the parameter step ÷ lr, the returned da_prev, and the central-difference gradient of the
//!   layer's local loss ⟨da, f(W·x + b)⟩ (for "is the step downhill").
//! - `gradcheck`: the submission's `backward` chained through a whole network on one sample, versus
//!   central differences of the binary cross-entropy.
//! - `fit`: `Perceptron::fit` on a data set; observes the returned losses and the final parameters.

mod backprop;
mod model;
mod utils;

use harness::{Json, Observations, Params};
use model::{Layer, Perceptron};
use ndarray::Array2;
use utils::{Activation, Rng};

/// The exercise's training data, compiled in so that the probe needs no file at run time.
const TRAINING_DATA: &str = include_str!("../data/train.csv");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    harness::report(&args, |params| Scenario { params }.run());
}

/// A scenario: its kind and its `key=value` parameters.
struct Scenario<'a> {
    params: &'a Params,
}

impl Scenario<'_> {
    fn run(&self) -> Result<Observations, String> {
        match self.params.kind.as_str() {
            "layer" => self.layer(),
            "gradcheck" => self.gradcheck(),
            "fit" => self.fit(),
            other => Err(format!(
                "unknown scenario kind `{other}` (known: layer, gradcheck, fit)"
            )),
        }
    }

    fn get<T: std::str::FromStr>(&self, key: &str) -> Result<T, String> {
        self.params.get(key)
    }

    fn list<T: std::str::FromStr>(&self, key: &str) -> Result<Vec<T>, String> {
        self.params.list(key)
    }

    fn activations(&self, key: &str) -> Result<Vec<Activation>, String> {
        self.list::<String>(key)?
            .iter()
            .map(|name| activation(name))
            .collect()
    }

    /// One backward step on a fresh layer, twice (at `lr` and at `lr2`), from the same state.
    fn layer(&self) -> Result<Observations, String> {
        let mut rng = Rng::new(self.get("seed")?);
        let act = activation(&self.get::<String>("activation")?)?;
        let (n_inputs, n_neurons) = (self.get("inputs")?, self.get("neurons")?);
        let (lr, lr2): (f64, f64) = (self.get("lr")?, self.get("lr2")?);
        let fresh = Layer::new(n_inputs, n_neurons, act, &mut rng);
        let x = rng.uniform_array(n_inputs, 1, -1.0, 1.0);
        let da = rng.uniform_array(n_neurons, 1, -1.0, 1.0);

        let mut obs = Observations::new();
        let (d_weights, d_biases, da_prev) = step(&fresh, &x, &da, lr);
        obs.insert("d_weights".into(), d_weights.into());
        obs.insert("d_biases".into(), d_biases.into());
        obs.insert("da_prev".into(), da_prev.into());
        let (d_weights, d_biases, _) = step(&fresh, &x, &da, lr2);
        obs.insert("lr2/d_weights".into(), d_weights.into());
        obs.insert("lr2/d_biases".into(), d_biases.into());

        // The true gradient of the local loss ⟨da, f(W·x + b)⟩, whose W-gradient is exactly dW.
        let h: f64 = self.params.get_or("h", 1e-6)?;
        let local_loss = |layer: &Layer| {
            let mut layer = layer.clone();
            (&layer.forward(&x) * &da).sum()
        };
        let (num_w, num_b) = numeric_gradient(&fresh, h, local_loss);
        obs.insert("numeric/d_weights".into(), num_w.into());
        obs.insert("numeric/d_biases".into(), num_b.into());
        Ok(obs)
    }

    /// The submission's backward chained through a network, versus central differences of the loss.
    fn gradcheck(&self) -> Result<Observations, String> {
        let seed: u64 = self.get("seed")?;
        let sizes: Vec<usize> = self.list("sizes")?;
        let activations = self.activations("activations")?;
        check_shape(&sizes, &activations)?;
        let lr: f64 = self.get("lr")?;
        let h: f64 = self.get("h")?;
        let original = Perceptron::with_seed(&sizes, &activations, seed);
        let mut rng = Rng::new(seed ^ 0x5EED);
        let x = rng.uniform_array(sizes[0], 1, -1.0, 1.0);
        let y = if rng.uniform(0.0, 1.0) < 0.5 {
            0.0
        } else {
            1.0
        };

        let mut network = original.clone();
        let y_hat = network.forward(&x)[[0, 0]];
        let mut da = Array2::from_elem((1, 1), (y_hat - y) / (y_hat * (1.0 - y_hat)));
        let mut obs = Observations::new();
        for (index, layer) in network.layers.iter_mut().enumerate().rev() {
            let (w0, b0) = (layer.weights.clone(), layer.biases.clone());
            da = layer.backward(&da, lr);
            let name = format!("layer{}", index + 1);
            obs.insert(
                format!("analytic/{name}.weights"),
                ((&w0 - &layer.weights) / lr).into(),
            );
            obs.insert(
                format!("analytic/{name}.biases"),
                ((&b0 - &layer.biases) / lr).into(),
            );
        }

        let signs = relu_signs(&original, &x);
        for index in 0..original.layers.len() {
            let name = format!("layer{}", index + 1);
            for (part, is_weights) in [("weights", true), ("biases", false)] {
                let shape = parameter(&original.layers[index], is_weights).raw_dim();
                let mut numeric = Array2::zeros(shape);
                let mut skip = Array2::zeros(shape);
                for position in ndarray::indices(shape) {
                    let perturbed = |delta: f64| {
                        let mut net = original.clone();
                        parameter_mut(&mut net.layers[index], is_weights)[position] += delta;
                        net
                    };
                    let (plus, minus) = (perturbed(h), perturbed(-h));
                    numeric[position] = (bce(&plus, &x, y) - bce(&minus, &x, y)) / (2.0 * h);
                    // A ReLU kink inside ±h makes the central difference meaningless there.
                    if relu_signs(&plus, &x) != signs || relu_signs(&minus, &x) != signs {
                        skip[position] = 1.0;
                    }
                }
                obs.insert(format!("numeric/{name}.{part}"), numeric.into());
                obs.insert(format!("skip/{name}.{part}"), skip.into());
            }
        }
        Ok(obs)
    }

    /// `Perceptron::fit` on random data (`data=random`) or on the exercise's data (`data=exercise`).
    fn fit(&self) -> Result<Observations, String> {
        let seed: u64 = self.get("seed")?;
        let sizes: Vec<usize> = self.list("sizes")?;
        let activations = self.activations("activations")?;
        check_shape(&sizes, &activations)?;
        let (epochs, lr): (usize, f64) = (self.get("epochs")?, self.get("lr")?);
        let (features, labels) = match self.get::<String>("data")?.as_str() {
            "exercise" => utils::parse_dataset(TRAINING_DATA)?,
            "random" => random_dataset(seed, self.get("rows")?, sizes[0]),
            other => return Err(format!("unknown data `{other}` (known: exercise, random)")),
        };
        if features.ncols() != sizes[0] {
            return Err(format!(
                "the data has {} features but the network {} inputs",
                features.ncols(),
                sizes[0]
            ));
        }
        let mut network = Perceptron::with_seed(&sizes, &activations, seed);
        let losses = network.fit(&features, &labels, epochs, lr);
        let mut obs = Observations::new();
        obs.insert("losses".into(), Json::numbers(&losses));
        for (index, layer) in network.layers.iter().enumerate() {
            obs.insert(
                format!("params/layer{}.weights", index + 1),
                layer.weights.clone().into(),
            );
            obs.insert(
                format!("params/layer{}.biases", index + 1),
                layer.biases.clone().into(),
            );
        }
        Ok(obs)
    }
}

/// Runs the submission's backward on a copy of `layer` after a forward of `x`; returns the weight and
/// bias gradients seen as the step ÷ lr (positive for a descent step), and the returned da_prev.
fn step(
    layer: &Layer,
    x: &Array2<f64>,
    da: &Array2<f64>,
    lr: f64,
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let mut layer = layer.clone();
    layer.forward(x);
    let (w0, b0) = (layer.weights.clone(), layer.biases.clone());
    let da_prev = layer.backward(da, lr);
    (
        (&w0 - &layer.weights) / lr,
        (&b0 - &layer.biases) / lr,
        da_prev,
    )
}

fn numeric_gradient(
    layer: &Layer,
    h: f64,
    loss: impl Fn(&Layer) -> f64,
) -> (Array2<f64>, Array2<f64>) {
    let mut gradients = [
        Array2::zeros(layer.weights.raw_dim()),
        Array2::zeros(layer.biases.raw_dim()),
    ];
    for (gradient, is_weights) in gradients.iter_mut().zip([true, false]) {
        for position in ndarray::indices(gradient.raw_dim()) {
            let mut plus = layer.clone();
            parameter_mut(&mut plus, is_weights)[position] += h;
            let mut minus = layer.clone();
            parameter_mut(&mut minus, is_weights)[position] -= h;
            gradient[position] = (loss(&plus) - loss(&minus)) / (2.0 * h);
        }
    }
    let [w, b] = gradients;
    (w, b)
}

fn parameter(layer: &Layer, weights: bool) -> &Array2<f64> {
    if weights {
        &layer.weights
    } else {
        &layer.biases
    }
}

fn parameter_mut(layer: &mut Layer, weights: bool) -> &mut Array2<f64> {
    if weights {
        &mut layer.weights
    } else {
        &mut layer.biases
    }
}

/// The binary cross-entropy of the network's output for one sample.
fn bce(network: &Perceptron, x: &Array2<f64>, y: f64) -> f64 {
    let y_hat = network.clone().forward(x)[[0, 0]];
    -(y * y_hat.ln() + (1.0 - y) * (1.0 - y_hat).ln())
}

/// For every ReLU layer, which pre-activations are positive: a change means a kink was crossed.
fn relu_signs(network: &Perceptron, x: &Array2<f64>) -> Vec<bool> {
    let mut network = network.clone();
    network.forward(x);
    network
        .layers
        .iter()
        .filter(|layer| layer.activation == Activation::Relu)
        .flat_map(|layer| layer.outputs.iter().map(|&z| z > 0.0).collect::<Vec<_>>())
        .collect()
}

fn random_dataset(seed: u64, rows: usize, n_features: usize) -> (Array2<f64>, Array2<f64>) {
    let mut rng = Rng::new(seed ^ 0xDA7A);
    let features = rng.uniform_array(rows, n_features, -1.0, 1.0);
    let direction = rng.uniform_array(n_features, 1, -1.0, 1.0);
    let labels = features
        .dot(&direction)
        .mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
    (features, labels)
}

fn check_shape(sizes: &[usize], activations: &[Activation]) -> Result<(), String> {
    if sizes.len() != activations.len() + 1 || sizes.len() < 2 {
        return Err(format!(
            "{} sizes need {} activations",
            sizes.len(),
            sizes.len().saturating_sub(1)
        ));
    }
    Ok(())
}

fn activation(name: &str) -> Result<Activation, String> {
    match name {
        "relu" => Ok(Activation::Relu),
        "sigmoid" => Ok(Activation::Sigmoid),
        other => Err(format!(
            "unknown activation `{other}` (known: relu, sigmoid)"
        )),
    }
}
