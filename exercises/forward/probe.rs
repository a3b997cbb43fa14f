//! The probe of the forward exercise. `grade` compiles it as the crate root (`src/main.rs`)
//! beside the given `utils.rs` and `model.rs` and a submitted `forward.rs`, links the shared
//! `harness` crate, and runs it once per scenario of exercise.toml:
//!
//!     probe <kind> seed=<n> key=value ...
//!
//! It drives the submission on the scenario and reports what it observed, by key, never a
//! verdict. Every array the probe hands over is drawn from the scenario's seed with the harness's
//! generator, never made by the submission, so that each function is judged on its own. Kinds:
//!
//! - `activation`: `function` (`apply` or `derivative`: one per run, so that a panic in one does
//!   not hide the other) on a (rows, cols) array drawn from [−range, range), with `zeros` of its
//!   entries exactly 0 (where ReLU′ is decided by convention). Key: the function's name.
//! - `new`: `Layer::new(inputs, neurons, activation, &mut rng)` with the exercise's `Rng` seeded
//!   with the seed. Keys: `weights`, `biases`, `initial/inputs`, `initial/outputs` (the columns a
//!   new layer starts with), `activation` (0 for ReLU, 1 for sigmoid), and `rng_next`: the
//!   generator's next number after `new`, which shows how many numbers `new` drew.
//! - `layer`: `Layer::forward` of a drawn column on a layer made with `Layer::from_parameters`
//!   from drawn parameters. Keys: `output` (returned), `stored/inputs`, `stored/z` (the layer's
//!   `inputs` and `outputs` after the call).
//! - `perceptron`: `Perceptron::forward` on a network of drawn layers, and the same network's
//!   layers chained by hand with the submission's own `Layer::forward`. Keys: `yours/output`,
//!   `yours/layer<k>.inputs`, `yours/layer<k>.z`, and the same under `chained/`: the two must
//!   agree, so a mistake in `Layer::forward` is not charged to `Perceptron::forward` again.
//!
//! Coverage, whatever the seed: `kink = m` keeps every pre-activation of a ReLU layer at least m
//! away from 0, with neurons on both sides (a bias added after the activation shows only on a
//! neuron that ReLU cuts); an `activation` scenario's range reaches where σ saturates.

mod forward;
mod model;
mod utils;

use harness::{Json, Observations, Params, Rng};
use model::{Activation, Layer, Perceptron};
use ndarray::Array2;

/// At most this many draws to meet a scenario's coverage conditions.
const MAX_DRAWS: usize = 100_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    harness::report(&args, run);
}

/// Runs the scenario `params` names.
fn run(params: &Params) -> Result<Observations, String> {
    match params.kind.as_str() {
        "activation" => activation(params),
        "new" => new(params),
        "layer" => layer(params),
        "perceptron" => perceptron(params),
        other => Err(format!(
            "unknown scenario kind `{other}` (known: activation, new, layer, perceptron)"
        )),
    }
}

/// `apply` or `derivative` on one drawn array, some of its entries exactly 0.
fn activation(params: &Params) -> Result<Observations, String> {
    let act = activation_named(&params.get::<String>("activation")?)?;
    let (rows, cols): (usize, usize) = (params.get("rows")?, params.get("cols")?);
    let range: f64 = params.get("range")?;
    let zeros: usize = params.get_or("zeros", 0)?;
    if zeros > rows * cols {
        return Err(format!("{zeros} zeros do not fit in a ({rows}, {cols}) array"));
    }
    let mut rng = Rng::new(params.get("seed")?);
    let mut z = rng.uniform_array(rows, cols, -range, range);
    // Zeros spread over the array, the first at a drawn place.
    let start = (rng.next_u64() % (rows * cols) as u64) as usize;
    for k in 0..zeros {
        let at = (start + k * (rows * cols) / zeros.max(1)) % (rows * cols);
        z[[at / cols, at % cols]] = 0.0;
    }
    let function: String = params.get("function")?;
    harness::context(format!("{function} was given z {}", shape(&z)));
    let value = match function.as_str() {
        "apply" => act.apply(&z),
        "derivative" => act.derivative(&z),
        other => return Err(format!("unknown function `{other}` (known: apply, derivative)")),
    };
    let mut obs = Observations::new();
    obs.insert(function, value.into());
    Ok(obs)
}

/// `Layer::new` from the exercise's generator, and what it left of the generator.
fn new(params: &Params) -> Result<Observations, String> {
    let act = activation_named(&params.get::<String>("activation")?)?;
    let (n_inputs, n_neurons): (usize, usize) = (params.get("inputs")?, params.get("neurons")?);
    let mut rng = utils::Rng::new(params.get("seed")?);
    harness::context(format!(
        "new was given n_inputs {n_inputs}, n_neurons {n_neurons}, activation {act:?}"
    ));
    let layer = Layer::new(n_inputs, n_neurons, act, &mut rng);
    let mut obs = Observations::new();
    obs.insert("weights".into(), layer.weights.into());
    obs.insert("biases".into(), layer.biases.into());
    obs.insert("initial/inputs".into(), layer.inputs.into());
    obs.insert("initial/outputs".into(), layer.outputs.into());
    let code = match layer.activation {
        Activation::Relu => 0.0,
        Activation::Sigmoid => 1.0,
    };
    obs.insert("activation".into(), Json::Num(code));
    obs.insert("rng_next".into(), Json::Num(rng.uniform(0.0, 1.0)));
    Ok(obs)
}

/// One `Layer::forward` on a layer of drawn parameters.
fn layer(params: &Params) -> Result<Observations, String> {
    let act = activation_named(&params.get::<String>("activation")?)?;
    let (n_inputs, n_neurons): (usize, usize) = (params.get("inputs")?, params.get("neurons")?);
    let kink: f64 = params.get_or("kink", 0.0)?;
    let mut rng = Rng::new(params.get("seed")?);
    let (fresh, x) = harness::draw_until(
        MAX_DRAWS,
        || {
            let layer = drawn_layer(&mut rng, n_inputs, n_neurons, act);
            let x = rng.uniform_array(n_inputs, 1, -1.0, 1.0);
            (layer, x)
        },
        |(layer, x)| clear_of_kink(&pre_activation(layer, x), act, kink),
    )?;
    let mut layer = fresh.clone();
    harness::context(format!(
        "forward was given inputs {} on a layer with weights {}, biases {}",
        shape(&x),
        shape(&fresh.weights),
        shape(&fresh.biases)
    ));
    let output = layer.forward(&x);
    let mut obs = Observations::new();
    obs.insert("output".into(), output.into());
    obs.insert("stored/inputs".into(), layer.inputs.into());
    obs.insert("stored/z".into(), layer.outputs.into());
    Ok(obs)
}

/// `Perceptron::forward`, and the same layers chained by hand with the submission's own
/// `Layer::forward`.
fn perceptron(params: &Params) -> Result<Observations, String> {
    let sizes: Vec<usize> = params.list("sizes")?;
    let activations: Vec<Activation> = params
        .list::<String>("activations")?
        .iter()
        .map(|name| activation_named(name))
        .collect::<Result<_, _>>()?;
    if sizes.len() < 2 || sizes.len() != activations.len() + 1 {
        return Err(format!(
            "{} sizes need {} activations",
            sizes.len(),
            sizes.len().saturating_sub(1)
        ));
    }
    let mut rng = Rng::new(params.get("seed")?);
    let layers: Vec<Layer> = sizes
        .windows(2)
        .zip(&activations)
        .map(|(pair, &act)| drawn_layer(&mut rng, pair[0], pair[1], act))
        .collect();
    let x = rng.uniform_array(sizes[0], 1, -1.0, 1.0);
    let described: Vec<String> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| format!("layer {}: weights {}", i + 1, shape(&l.weights)))
        .collect();
    harness::context(format!(
        "Perceptron::forward was given inputs {}; {}",
        shape(&x),
        described.join("; ")
    ));
    let mut network = Perceptron::new(layers.clone());
    let output = network.forward(&x);
    let mut obs = Observations::new();
    record(&mut obs, "yours", output, &network.layers);

    harness::context(format!(
        "the layers' own forward, chained by hand, was given inputs {}",
        shape(&x)
    ));
    let mut chained = layers;
    let mut a = x;
    for layer in &mut chained {
        a = layer.forward(&a);
    }
    record(&mut obs, "chained", a, &chained);
    Ok(obs)
}

/// A network's output and what each of its layers stored, under `prefix/`.
fn record(obs: &mut Observations, prefix: &str, output: Array2<f64>, layers: &[Layer]) {
    obs.insert(format!("{prefix}/output"), output.into());
    for (index, layer) in layers.iter().enumerate() {
        let k = index + 1;
        obs.insert(format!("{prefix}/layer{k}.inputs"), (&layer.inputs).into());
        obs.insert(format!("{prefix}/layer{k}.z"), (&layer.outputs).into());
    }
}

/// A layer whose weights and biases are drawn from [−1, 1) by the probe, not by the submission.
fn drawn_layer(rng: &mut Rng, n_inputs: usize, n_neurons: usize, act: Activation) -> Layer {
    let weights = rng.uniform_array(n_neurons, n_inputs, -1.0, 1.0);
    let biases = rng.uniform_array(n_neurons, 1, -1.0, 1.0);
    Layer::from_parameters(weights, biases, act)
}

/// z = W·x + b, computed by the probe for its coverage conditions only (never observed).
fn pre_activation(layer: &Layer, x: &Array2<f64>) -> Array2<f64> {
    layer.weights.dot(x) + &layer.biases
}

/// For a ReLU layer with `kink` > 0: every z at least `kink` from 0, some on each side.
fn clear_of_kink(z: &Array2<f64>, act: Activation, kink: f64) -> bool {
    act != Activation::Relu
        || kink == 0.0
        || (z.iter().all(|v| v.abs() >= kink)
            && z.iter().any(|&v| v > 0.0)
            && z.iter().any(|&v| v < 0.0))
}

/// `(3, 1)`.
fn shape(array: &Array2<f64>) -> String {
    let (rows, cols) = array.dim();
    format!("({rows}, {cols})")
}

fn activation_named(name: &str) -> Result<Activation, String> {
    match name {
        "relu" => Ok(Activation::Relu),
        "sigmoid" => Ok(Activation::Sigmoid),
        other => Err(format!("unknown activation `{other}` (known: relu, sigmoid)")),
    }
}
