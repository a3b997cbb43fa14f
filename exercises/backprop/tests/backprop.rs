//! Plain `cargo test` checks of your `backward` and `fit`, for when you want them without `grade`
//! (`cargo test` in this folder). They cover what plain tests can: gradients against finite
//! differences, the update rule, the losses of the course's model. `grade` checks more (known
//! mistakes, what is printed, hidden scenarios) and explains each lost point.

use backprop::model::{Layer, Perceptron};
use backprop::utils::{parse_dataset, Activation, Rng};
use ndarray::Array2;

const DATA: &str = include_str!("../data/train.csv");

/// A fresh non-square layer after a forward pass, with the `da` it will receive.
fn layer(activation: Activation, seed: u64) -> (Layer, Array2<f64>, Array2<f64>) {
    let mut rng = Rng::new(seed);
    let mut layer = Layer::new(4, 3, activation, &mut rng);
    let x = rng.uniform_array(4, 1, -1.0, 1.0);
    let da = rng.uniform_array(3, 1, -1.0, 1.0);
    layer.forward(&x);
    (layer, x, da)
}

/// Central differences of the layer's local loss ⟨da, f(W·x + b)⟩: its gradients with respect to
/// W, b and x are exactly dW, db and da_prev.
fn numeric(layer: &Layer, x: &Array2<f64>, da: &Array2<f64>) -> [Array2<f64>; 3] {
    let h = 1e-6;
    let loss = |w: &Array2<f64>, b: &Array2<f64>, x: &Array2<f64>| {
        let mut l = Layer::from_parameters(w.clone(), b.clone(), layer.activation);
        (&l.forward(x) * da).sum()
    };
    let mut grads = [layer.weights.clone(), layer.biases.clone(), x.clone()];
    for (which, grad) in grads.iter_mut().enumerate() {
        for position in ndarray::indices(grad.raw_dim()) {
            let mut parts = [
                [layer.weights.clone(), layer.biases.clone(), x.clone()],
                [layer.weights.clone(), layer.biases.clone(), x.clone()],
            ];
            parts[0][which][position] += h;
            parts[1][which][position] -= h;
            let [plus, minus] = &parts;
            grad[position] = (loss(&plus[0], &plus[1], &plus[2])
                - loss(&minus[0], &minus[1], &minus[2]))
                / (2.0 * h);
        }
    }
    grads
}

fn assert_close(name: &str, got: &Array2<f64>, expected: &Array2<f64>, tolerance: f64) {
    assert_eq!(got.dim(), expected.dim(), "{name} has the wrong shape");
    for ((position, g), e) in got.indexed_iter().zip(expected.iter()) {
        assert!(
            (g - e).abs() <= tolerance * (1.0 + e.abs()),
            "{name}{position:?}: expected {e}, got {g}"
        );
    }
}

#[test]
fn backward_gradients_match_finite_differences() {
    for (activation, seed) in [(Activation::Relu, 1), (Activation::Sigmoid, 2)] {
        let (mut layer, x, da) = layer(activation, seed);
        let [d_weights, d_biases, da_prev] = numeric(&layer, &x, &da);
        let (w0, b0) = (layer.weights.clone(), layer.biases.clone());
        let lr = 0.05;
        let returned = layer.backward(&da, lr);
        assert_close(
            "dW (the weight step ÷ lr)",
            &((&w0 - &layer.weights) / lr),
            &d_weights,
            1e-6,
        );
        assert_close(
            "db (the bias step ÷ lr)",
            &((&b0 - &layer.biases) / lr),
            &d_biases,
            1e-6,
        );
        assert_close("da_prev (returned)", &returned, &da_prev, 1e-6);
    }
}

#[test]
fn the_step_is_proportional_to_the_learning_rate() {
    let (first, _, da) = layer(Activation::Sigmoid, 3);
    let mut steps = Vec::new();
    for lr in [0.1, 0.01] {
        let mut layer = first.clone();
        layer.backward(&da, lr);
        steps.push((&first.weights - &layer.weights) / lr);
    }
    assert_close(
        "the weight step ÷ lr at two learning rates",
        &steps[1],
        &steps[0],
        1e-8,
    );
}

#[test]
fn fit_returns_the_course_models_losses() {
    let (x, y) = parse_dataset(DATA).unwrap();
    let mut model = Perceptron::with_seed(
        &[2, 6, 6, 1],
        &[Activation::Relu, Activation::Relu, Activation::Sigmoid],
        42,
    );
    let losses = model.fit(&x, &y, 2, 0.01);
    let expected = [0.5619188491, 0.2927813256];
    assert_eq!(losses.len(), 2, "one average loss per epoch");
    for (epoch, (got, want)) in losses.iter().zip(expected).enumerate() {
        assert!(
            (got - want).abs() < 1e-9,
            "epoch {}: expected {want}, got {got}",
            epoch + 1
        );
    }
}

#[test]
fn the_loss_falls_every_epoch_at_learning_rate_0_01() {
    let (x, y) = parse_dataset(DATA).unwrap();
    let mut model = Perceptron::with_seed(
        &[2, 6, 6, 1],
        &[Activation::Relu, Activation::Relu, Activation::Sigmoid],
        42,
    );
    let losses = model.fit(&x, &y, 10, 0.01);
    assert_eq!(losses.len(), 10);
    for (epoch, pair) in losses.windows(2).enumerate() {
        assert!(
            pair[1] < pair[0],
            "the loss rose at epoch {}: {} → {}",
            epoch + 2,
            pair[0],
            pair[1]
        );
    }
}
