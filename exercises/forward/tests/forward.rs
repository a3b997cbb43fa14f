//! Plain `cargo test` checks of your forward pass, for when you want them without `grade`
//! (`cargo test` in this folder). `grade` checks more (on scenarios drawn from fixed seeds,
//! beside a reference) and explains each lost point.

use forward::model::{Activation, Layer, Perceptron};
use forward::utils::Rng;
use ndarray::{array, Array2};

fn close(got: &Array2<f64>, expected: &Array2<f64>) {
    assert_eq!(got.dim(), expected.dim(), "wrong shape");
    for (g, e) in got.iter().zip(expected) {
        assert!((g - e).abs() < 1e-12, "got {g}, expected {e}");
    }
}

#[test]
fn relu_and_its_derivative_with_relu_prime_of_zero_zero() {
    let z = array![[-2.0], [0.0], [3.0]];
    close(&Activation::Relu.apply(&z), &array![[0.0], [0.0], [3.0]]);
    close(&Activation::Relu.derivative(&z), &array![[0.0], [0.0], [1.0]]);
}

#[test]
fn sigmoid_and_its_derivative_at_the_pre_activation() {
    let z = array![[0.0], [2.0]];
    let s2 = 1.0 / (1.0 + (-2.0f64).exp());
    close(&Activation::Sigmoid.apply(&z), &array![[0.5], [s2]]);
    close(
        &Activation::Sigmoid.derivative(&z),
        &array![[0.25], [s2 * (1.0 - s2)]],
    );
}

#[test]
fn new_draws_the_weights_then_the_biases() {
    let layer = Layer::new(3, 2, Activation::Relu, &mut Rng::new(7));
    let mut rng = Rng::new(7);
    close(&layer.weights, &rng.uniform_array(2, 3, -1.0, 1.0));
    close(&layer.biases, &rng.uniform_array(2, 1, -1.0, 1.0));
    close(&layer.inputs, &Array2::zeros((3, 1)));
    close(&layer.outputs, &Array2::zeros((2, 1)));
}

#[test]
fn forward_returns_f_of_z_and_stores_x_and_z() {
    let weights = array![[1.0, -1.0], [0.5, 2.0], [-1.0, 0.0]];
    let biases = array![[0.5], [-1.0], [0.25]];
    let mut layer = Layer::from_parameters(weights, biases, Activation::Relu);
    let x = array![[1.0], [2.0]];
    let a = layer.forward(&x);
    close(&layer.inputs, &x);
    close(&layer.outputs, &array![[-0.5], [3.5], [-0.75]]);
    close(&a, &array![[0.0], [3.5], [0.0]]);
}

#[test]
fn the_network_chains_its_layers() {
    let mut network = Perceptron::with_seed(
        &[2, 6, 6, 1],
        &[Activation::Relu, Activation::Relu, Activation::Sigmoid],
        42,
    );
    let x = array![[-1.0], [-1.0]];
    let y = network.forward(&x);
    assert_eq!(y.dim(), (1, 1));
    assert!((y[[0, 0]] - 0.810407).abs() < 1e-6, "got {}", y[[0, 0]]);
    close(&network.layers[0].inputs, &x);
}
