//! Given: trains the course's 2-6-6-1 perceptron on `data/train.csv` with your `backward` and
//! `fit`, for 10 epochs at learning rate 0.01, then prints its accuracy on the training set.
//! Run it with `cargo run` in the exercise folder.

use backprop::model::Perceptron;
use backprop::utils::{as_column, load_dataset, Activation};
use std::process::ExitCode;

/// The seed of the initial weights, so that every run starts from the same network.
const SEED: u64 = 42;
const EPOCHS: usize = 10;
const LEARNING_RATE: f64 = 0.01;

fn main() -> ExitCode {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/train.csv");
    let (training_data, labels) = match load_dataset(path) {
        Ok(data) => data,
        Err(error) => {
            eprintln!("error: could not load the training data: {error}");
            return ExitCode::FAILURE;
        }
    };

    // 2 inputs, two hidden layers of 6 ReLU neurons, 1 sigmoid output: the course's model.
    let mut model = Perceptron::with_seed(
        &[2, 6, 6, 1],
        &[Activation::Relu, Activation::Relu, Activation::Sigmoid],
        SEED,
    );
    model.fit(&training_data, &labels, EPOCHS, LEARNING_RATE);

    let n_samples = training_data.nrows();
    let correct = (0..n_samples)
        .filter(|&i| {
            let output = model.forward(&as_column(training_data.row(i)))[[0, 0]];
            let predicted = if output >= 0.5 { 1.0 } else { 0.0 };
            predicted == labels[[i, 0]]
        })
        .count();
    println!(
        "Accuracy on the training set: {:.1}% ({correct}/{n_samples})",
        100.0 * correct as f64 / n_samples as f64
    );
    ExitCode::SUCCESS
}
