//! Given code: a small seeded random number generator. You do not need to change anything here
//! (and changes here are not graded).

use ndarray::{Array2, ArrayView1};

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

/// A row of a data set as an (n, 1) column, the shape `Perceptron::forward` takes.
pub fn as_column(row: ArrayView1<f64>) -> Array2<f64> {
    row.to_owned().insert_axis(ndarray::Axis(1))
}
