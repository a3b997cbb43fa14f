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
//! - `gradcheck`: the submission's `backward` chained through a whole network on one input, once
//!   for each label (y = 0 and y = 1), versus central differences of the binary cross-entropy.
//! - `fit`: `Perceptron::fit` on a data set; observes the returned losses and the final parameters.
//! - `train`: the same training, one epoch per call of `fit`, and the loss of the model measured
//!   with the given `forward` before training and after each epoch (`model/losses`): the course's
//!   criterion judged on the model itself, not on the numbers `fit` returns.
//!
//! Coverage: whatever the seed, a scenario must reach the regimes where mistakes show. The
//! scenario's arguments state the conditions, and the probe redraws from the seed's generator
//! until they hold (deterministically, so every build sees the same scenario):
//! - `da_range = r`: da drawn from [−r, r) (a sigmoid layer needs |da| > 4 for |dz| > 1);
//! - `big_dz = m`: some |dz| ≥ m; `small_dz = m`: some non-zero |dz| ≤ m;
//! - `kink = m`: every pre-activation of a ReLU layer at least m away from 0 (where finite
//!   differences and ReLU'(0) are ambiguous), and each ReLU layer with neurons on both sides;
//! - `margin = m` (gradcheck): the network's output at least m away from ½, so that one label's
//!   output gradient |ŷ − y| is above ½ + m and the other's below ½ − m;
//! - random data sets always hold both labels.

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

/// At most this many draws to meet a scenario's coverage conditions: beyond, the conditions are
/// not reachable with these shapes and the scenario is rejected (the exercise's fault).
const MAX_DRAWS: usize = 100_000;

impl Scenario<'_> {
    fn run(&self) -> Result<Observations, String> {
        match self.params.kind.as_str() {
            "layer" => self.layer(),
            "gradcheck" => self.gradcheck(),
            "fit" => self.fit(),
            "train" => self.train(),
            other => Err(format!(
                "unknown scenario kind `{other}` (known: layer, gradcheck, fit, train)"
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

    /// The coverage conditions the scenario states (none when it states none).
    fn coverage(&self) -> Result<Coverage, String> {
        Ok(Coverage {
            big_dz: self.params.get_or("big_dz", 0.0)?,
            small_dz: self.params.get_or("small_dz", f64::INFINITY)?,
            kink: self.params.get_or("kink", 0.0)?,
            margin: self.params.get_or("margin", 0.0)?,
        })
    }

    /// One backward step on a fresh layer, twice (at `lr` and at `lr2`), from the same state.
    fn layer(&self) -> Result<Observations, String> {
        let mut rng = Rng::new(self.get("seed")?);
        let act = activation(&self.get::<String>("activation")?)?;
        let (n_inputs, n_neurons) = (self.get("inputs")?, self.get("neurons")?);
        let (lr, lr2): (f64, f64) = (self.get("lr")?, self.get("lr2")?);
        let da_range: f64 = self.params.get_or("da_range", 1.0)?;
        let coverage = self.coverage()?;
        let (fresh, x, da) = draw_until(
            || {
                let layer = Layer::new(n_inputs, n_neurons, act, &mut rng);
                let x = rng.uniform_array(n_inputs, 1, -1.0, 1.0);
                let da = rng.uniform_array(n_neurons, 1, -da_range, da_range);
                (layer, x, da)
            },
            |(layer, x, da)| {
                let mut probe = layer.clone();
                probe.forward(x);
                let dz = da * &act.derivative(&probe.outputs);
                coverage.reaches_dz(&dz) && coverage.clear_of_kinks(&probe)
            },
        )?;
        harness::context(format!(
            "backward was given da {}, on a layer with inputs {}, outputs {}, weights {}, biases {}",
            shape(&da),
            shape(&x),
            shape(&fresh.outputs),
            shape(&fresh.weights),
            shape(&fresh.biases)
        ));

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

    /// The submission's backward chained through a network, for each label, versus central
    /// differences of the loss. Keys: `analytic/y<label>.layer<k>.<weights|biases>`, and the same
    /// under `numeric/` and `skip/`.
    fn gradcheck(&self) -> Result<Observations, String> {
        let sizes: Vec<usize> = self.list("sizes")?;
        let activations = self.activations("activations")?;
        check_shape(&sizes, &activations)?;
        let lr: f64 = self.get("lr")?;
        let h: f64 = self.get("h")?;
        let coverage = self.coverage()?;
        let mut rng = Rng::new(self.get::<u64>("seed")? ^ 0x5EED);
        let (original, x) = draw_until(
            || {
                let network = Perceptron::with_seed(&sizes, &activations, rng.next_u64());
                let x = rng.uniform_array(sizes[0], 1, -1.0, 1.0);
                (network, x)
            },
            |(network, x)| {
                let mut probe = network.clone();
                let y_hat = probe.forward(x)[[0, 0]];
                (y_hat - 0.5).abs() >= coverage.margin
                    && probe.layers.iter().all(|l| coverage.clear_of_kinks(l))
            },
        )?;

        let mut obs = Observations::new();
        for y in [0.0, 1.0] {
            let label = format!("y{y}");
            let mut network = original.clone();
            let y_hat = network.forward(&x)[[0, 0]];
            let mut da = Array2::from_elem((1, 1), (y_hat - y) / (y_hat * (1.0 - y_hat)));
            for (index, layer) in network.layers.iter_mut().enumerate().rev() {
                harness::context(format!(
                    "backward was given da {} on layer {} of {} (label {y}), with inputs {}, outputs {}, weights {}, biases {}",
                    shape(&da),
                    index + 1,
                    sizes.len() - 1,
                    shape(&layer.inputs),
                    shape(&layer.outputs),
                    shape(&layer.weights),
                    shape(&layer.biases)
                ));
                let (w0, b0) = (layer.weights.clone(), layer.biases.clone());
                da = layer.backward(&da, lr);
                let name = format!("{label}.layer{}", index + 1);
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
                let name = format!("{label}.layer{}", index + 1);
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
        }
        Ok(obs)
    }

    /// The data set of a `fit` or `train` scenario: random (`data=random`, with both labels) or
    /// the exercise's (`data=exercise`).
    fn dataset(&self, sizes: &[usize]) -> Result<(Array2<f64>, Array2<f64>), String> {
        let (features, labels) = match self.get::<String>("data")?.as_str() {
            "exercise" => utils::parse_dataset(TRAINING_DATA)?,
            "random" => {
                let mut rng = Rng::new(self.get::<u64>("seed")? ^ 0xDA7A);
                let rows: usize = self.get("rows")?;
                draw_until(
                    || random_dataset(&mut rng, rows, sizes[0]),
                    |(_, labels)| labels.iter().any(|&y| y == 0.0) && labels.iter().any(|&y| y == 1.0),
                )?
            }
            other => return Err(format!("unknown data `{other}` (known: exercise, random)")),
        };
        if features.ncols() != sizes[0] {
            return Err(format!(
                "the data has {} features but the network {} inputs",
                features.ncols(),
                sizes[0]
            ));
        }
        Ok((features, labels))
    }

    /// What a `fit` or `train` scenario trains: a fresh network, the data, epochs and lr.
    fn training(&self) -> Result<Training, String> {
        let sizes: Vec<usize> = self.list("sizes")?;
        let activations = self.activations("activations")?;
        check_shape(&sizes, &activations)?;
        let (features, labels) = self.dataset(&sizes)?;
        Ok(Training {
            network: Perceptron::with_seed(&sizes, &activations, self.get("seed")?),
            features,
            labels,
            epochs: self.get("epochs")?,
            lr: self.get("lr")?,
        })
    }

    /// `Perceptron::fit` once, for `epochs` epochs.
    fn fit(&self) -> Result<Observations, String> {
        let Training {
            mut network,
            features,
            labels,
            epochs,
            lr,
        } = self.training()?;
        harness::context(fit_context(&network, &features, &labels, epochs));
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

    /// The same training as `fit`, one epoch per call (per-sample SGD without shuffling makes
    /// that the same training), with the model's average binary cross-entropy over the data
    /// measured by the given `forward` before training and after each epoch.
    fn train(&self) -> Result<Observations, String> {
        let Training {
            mut network,
            features,
            labels,
            epochs,
            lr,
        } = self.training()?;
        let mut measured = vec![average_loss(&network, &features, &labels)];
        for _ in 0..epochs {
            harness::context(fit_context(&network, &features, &labels, 1));
            network.fit(&features, &labels, 1, lr);
            measured.push(average_loss(&network, &features, &labels));
        }
        let mut obs = Observations::new();
        obs.insert("model/losses".into(), Json::numbers(&measured));
        Ok(obs)
    }
}

/// A network to train and what to train it on.
struct Training {
    network: Perceptron,
    features: Array2<f64>,
    labels: Array2<f64>,
    epochs: usize,
    lr: f64,
}

/// A scenario's coverage conditions (see the module's comment).
struct Coverage {
    big_dz: f64,
    small_dz: f64,
    kink: f64,
    margin: f64,
}

impl Coverage {
    /// Some |dz| reaches `big_dz`, and some non-zero |dz| is at most `small_dz`.
    fn reaches_dz(&self, dz: &Array2<f64>) -> bool {
        dz.iter().any(|v| v.abs() >= self.big_dz)
            && dz.iter().any(|v| *v != 0.0 && v.abs() <= self.small_dz)
    }

    /// A ReLU layer's pre-activations (of its last forward) keep `kink` away from 0, on both
    /// sides; other layers always pass.
    fn clear_of_kinks(&self, layer: &Layer) -> bool {
        if layer.activation != Activation::Relu || self.kink == 0.0 {
            return true;
        }
        let z = &layer.outputs;
        z.iter().all(|v| v.abs() >= self.kink)
            && z.iter().any(|&v| v > 0.0)
            && z.iter().any(|&v| v < 0.0)
    }
}

/// Draws until `good` holds, at most [`MAX_DRAWS`] times.
fn draw_until<T>(mut draw: impl FnMut() -> T, good: impl Fn(&T) -> bool) -> Result<T, String> {
    for _ in 0..MAX_DRAWS {
        let candidate = draw();
        if good(&candidate) {
            return Ok(candidate);
        }
    }
    Err(format!(
        "no draw in {MAX_DRAWS} met the scenario's coverage conditions: relax them"
    ))
}

/// `(3, 1)`.
fn shape(array: &Array2<f64>) -> String {
    let (rows, cols) = array.dim();
    format!("({rows}, {cols})")
}

/// What `fit` is handed, for a panic's report.
fn fit_context(network: &Perceptron, features: &Array2<f64>, labels: &Array2<f64>, epochs: usize) -> String {
    let layers: Vec<String> = network
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| format!("layer {}: weights {}, biases {}", i + 1, shape(&l.weights), shape(&l.biases)))
        .collect();
    format!(
        "fit was given training_data {}, labels {}, epochs {epochs}; {}",
        shape(features),
        shape(labels),
        layers.join("; ")
    )
}

/// The network's average binary cross-entropy over a data set, from the given `forward` alone.
fn average_loss(network: &Perceptron, features: &Array2<f64>, labels: &Array2<f64>) -> f64 {
    let total: f64 = (0..features.nrows())
        .map(|i| bce(network, &utils::as_column(features.row(i)), labels[[i, 0]]))
        .sum();
    total / features.nrows() as f64
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

fn random_dataset(rng: &mut Rng, rows: usize, n_features: usize) -> (Array2<f64>, Array2<f64>) {
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
