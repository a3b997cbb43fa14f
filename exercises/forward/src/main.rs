//! Given: builds the course's 2-6-6-1 perceptron with your `Layer::new` (seed 42), and prints
//! its output, with your `forward`, for the four corners of the square [−1, 1]². Run it with
//! `cargo run` in the exercise folder.

use forward::model::{Activation, Perceptron};
use ndarray::Array2;

/// The seed of the initial weights, so that every run starts from the same network.
const SEED: u64 = 42;

fn main() {
    // 2 inputs, two hidden layers of 6 ReLU neurons, 1 sigmoid output: the course's model.
    let mut model = Perceptron::with_seed(
        &[2, 6, 6, 1],
        &[Activation::Relu, Activation::Relu, Activation::Sigmoid],
        SEED,
    );
    for (x1, x2) in [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)] {
        let x = Array2::from_shape_vec((2, 1), vec![x1, x2]).expect("a (2, 1) column");
        let y = model.forward(&x);
        println!("output for ({x1:+.1}, {x2:+.1}): {:.6}", y[[0, 0]]);
    }
}
