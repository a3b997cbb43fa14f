//! Known mistake `fit_not_started`: `fit` is left as a placeholder that trains nothing, prints nothing and returns an empty history.
//! Otherwise identical to the reference solution.

use crate::model::{Layer, Perceptron};
use crate::utils::as_column;
use ndarray::Array2;

impl Layer {
    /// dz = da ⊙ f'(z); dW = dz·inputsᵀ; db = dz; da_prev = Wᵀ·dz with W from before the update;
    /// then W -= lr·dW, b -= lr·db. Returns da_prev.
    pub fn backward(&mut self, da: &Array2<f64>, learning_rate: f64) -> Array2<f64> {
        let dz = da * &self.activation.derivative(&self.outputs);
        let d_weights = dz.dot(&self.inputs.t());
        let d_biases = dz.clone();
        let da_prev = self.weights.t().dot(&dz);
        self.weights -= &(learning_rate * &d_weights);
        self.biases -= &(learning_rate * &d_biases);
        da_prev
    }
}

impl Perceptron {
    /// Per-sample SGD over the rows in order: forward, add the binary cross-entropy,
    /// da = (ŷ - y) / (ŷ(1 - ŷ)), backward through the layers in reverse. Prints and returns the
    /// average loss of each epoch.
    pub fn fit(
        &mut self,
        training_data: &Array2<f64>,
        labels: &Array2<f64>,
        epochs: usize,
        learning_rate: f64,
    ) -> Vec<f64> {
        // MISTAKE: not written yet; the placeholder returns an empty history.
        return Vec::new();
        let n_samples = training_data.nrows();
        let mut averages = Vec::with_capacity(epochs);
        for epoch in 0..epochs {
            let mut loss = 0.0;
            for i in 0..n_samples {
                let inputs = as_column(training_data.row(i));
                let target = labels[[i, 0]];
                let output = self.forward(&inputs)[[0, 0]];
                loss += -(target * output.ln() + (1.0 - target) * (1.0 - output).ln());
                let mut da = Array2::from_elem((1, 1), (output - target) / (output * (1.0 - output)));
                for layer in self.layers.iter_mut().rev() {
                    da = layer.backward(&da, learning_rate);
                }
            }
            let average_loss = loss / n_samples as f64;
            println!("Loss at epoch {}: {:.3}", epoch + 1, average_loss);
            averages.push(average_loss);
        }
        averages
    }
}
