//! Given code: the activation functions, a small seeded random number generator, and the loader of
//! the training data. You do not need to change anything here (and changes here are not graded).

use ndarray::{Array2, ArrayView1};
use std::path::Path;

/// The activation function of a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// ReLU(z) = max(0, z); its derivative is 1 for z > 0 and 0 otherwise (so ReLU'(0) = 0).
    Relu,
    /// σ(z) = 1 / (1 + e^(−z)); its derivative is σ(z)·(1 − σ(z)).
    Sigmoid,
}

impl Activation {
    /// f(z), element-wise.
    pub fn apply(&self, z: &Array2<f64>) -> Array2<f64> {
        match self {
            Activation::Relu => z.mapv(|v| if v > 0.0 { v } else { 0.0 }),
            Activation::Sigmoid => z.mapv(|v| 1.0 / (1.0 + (-v).exp())),
        }
    }

    /// f'(z), element-wise, at the PRE-activation z (not at f(z)).
    pub fn derivative(&self, z: &Array2<f64>) -> Array2<f64> {
        match self {
            Activation::Relu => z.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 }),
            Activation::Sigmoid => z.mapv(|v| {
                let s = 1.0 / (1.0 + (-v).exp());
                s * (1.0 - s)
            }),
        }
    }
}

/// A small seeded random number generator (SplitMix64), so that every run of the exercise starts
/// from the same weights, like `np.random.seed` in the course.
#[derive(Clone, Debug)]
pub struct Rng {
    /// The generator's whole state: the next output is a function of it alone.
    state: u64,
}

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number drawn uniformly from [low, high).
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + (high - low) * unit
    }

    /// A (rows, cols) array of numbers drawn uniformly from [low, high), filled row by row.
    pub fn uniform_array(&mut self, rows: usize, cols: usize, low: f64, high: f64) -> Array2<f64> {
        Array2::from_shape_simple_fn((rows, cols), || self.uniform(low, high))
    }
}

/// Row `row` of a data set as an (n, 1) column, the shape `Perceptron::forward` takes.
pub fn as_column(row: ArrayView1<f64>) -> Array2<f64> {
    row.to_owned().insert_axis(ndarray::Axis(1))
}

/// Reads a data set from CSV text: a header line, then one sample per line, the features first and
/// the 0/1 label last. Returns (features (n_samples, n_features), labels (n_samples, 1)).
pub fn parse_dataset(text: &str) -> Result<(Array2<f64>, Array2<f64>), String> {
    let mut features = Vec::new();
    let mut labels = Vec::new();
    let mut width = None;
    for (number, line) in text.lines().enumerate().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let values = line
            .split(',')
            .map(|field| field.trim().parse::<f64>())
            .collect::<Result<Vec<f64>, _>>()
            .map_err(|e| format!("line {}: {e}", number + 1))?;
        if values.len() < 2 || width.is_some_and(|w| w != values.len()) {
            return Err(format!(
                "line {}: expected the same number of columns (at least 2) on every line",
                number + 1
            ));
        }
        width = Some(values.len());
        let (label, row) = values.split_last().expect("at least two columns");
        features.extend_from_slice(row);
        labels.push(*label);
    }
    let n_features = width.ok_or("the data set has no samples")? - 1;
    let n_samples = labels.len();
    let features =
        Array2::from_shape_vec((n_samples, n_features), features).map_err(|e| e.to_string())?;
    let labels = Array2::from_shape_vec((n_samples, 1), labels).map_err(|e| e.to_string())?;
    Ok((features, labels))
}

/// Reads a data set from a CSV file (see [`parse_dataset`]).
pub fn load_dataset(path: impl AsRef<Path>) -> Result<(Array2<f64>, Array2<f64>), String> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_dataset(&text).map_err(|e| format!("{}: {e}", path.display()))
}
