//! YOUR PART: backpropagation and training. This is the only file that is graded.
//!
//! Replace each `todo!()` with your implementation, keeping the signatures as they are. Run
//! `cargo run` in the exercise folder to train the course's 2-6-6-1 network with your code, and
//! `grade exercises/backprop` from the repository root to get your score.
//!
//! Shapes to keep in mind (everything is an `Array2<f64>`, columns are `(n, 1)` arrays):
//!
//! | field / value   | shape                   | meaning                                        |
//! | --------------- | ----------------------- | ---------------------------------------------- |
//! | `self.inputs`   | `(n_inputs, 1)`         | aˡ⁻¹, the column given to the last `forward`   |
//! | `self.outputs`  | `(n_neurons, 1)`        | zˡ = W·aˡ⁻¹ + b, the PRE-activation            |
//! | `self.weights`  | `(n_neurons, n_inputs)` | Wˡ                                             |
//! | `self.biases`   | `(n_neurons, 1)`        | bˡ                                             |
//! | `da`            | `(n_neurons, 1)`        | daˡ = ∂L/∂aˡ, handed down by the next layer    |
//! | returned value  | `(n_inputs, 1)`         | daˡ⁻¹ = ∂L/∂aˡ⁻¹, handed to the layer before   |
//!
//! Useful ndarray operations:
//!
//! - `a.dot(&b)`: the matrix product a·b;
//! - `a.t()`: a view of the transpose aᵀ (no copy), e.g. `self.inputs.t()`;
//! - `&a * &b`: the element-wise product a ⊙ b of two arrays of the same shape (references in,
//!   a new array out); `learning_rate * &a` multiplies every element by a number;
//! - `a -= &b`: subtracts b from a in place, element by element;
//! - `self.activation.derivative(&z)`: f'(z), element-wise, at the pre-activation z;
//! - `crate::utils::as_column(training_data.row(i))`: row i of the data as an `(n, 1)` column;
//! - `Array2::from_elem((1, 1), value)`: a `(1, 1)` array holding `value`.

use crate::model::{Layer, Perceptron};
#[allow(unused_imports)]
use crate::utils::as_column;
use ndarray::Array2;

impl Layer {
    /// Backpropagates through this layer and takes one gradient-descent step on its parameters.
    ///
    /// `da` is ∂L/∂a for this layer's activated output a = f(z), an `(n_neurons, 1)` column.
    /// The values of the last `forward` are still in `self.inputs` (aˡ⁻¹) and `self.outputs` (zˡ,
    /// the pre-activation, NOT f(z)).
    ///
    /// Steps:
    ///
    /// 1. dz = da ⊙ f'(z), with z = `self.outputs`: an element-wise product, `(n_neurons, 1)`.
    /// 2. dW = dz · inputsᵀ: `(n_neurons, 1)` · `(1, n_inputs)` = `(n_neurons, n_inputs)`, the
    ///    shape of the weights.
    /// 3. db = dz: `(n_neurons, 1)`, the shape of the biases.
    /// 4. da_prev = Wᵀ · dz: `(n_inputs, n_neurons)` · `(n_neurons, 1)` = `(n_inputs, 1)`.
    ///    Compute it with the weights from BEFORE the update of step 5.
    /// 5. Update the parameters: W -= learning_rate · dW, then b -= learning_rate · db.
    /// 6. Return da_prev: the previous layer's `da`.
    #[allow(unused_variables)]
    pub fn backward(&mut self, da: &Array2<f64>, learning_rate: f64) -> Array2<f64> {
        todo!()
    }
}

impl Perceptron {
    /// Trains the network with per-sample stochastic gradient descent on the binary cross-entropy.
    ///
    /// `training_data` is `(n_samples, n_features)`, one sample per row; `labels` is
    /// `(n_samples, 1)`, each 0.0 or 1.0.
    ///
    /// For each epoch k = 1, 2, …, `epochs`:
    ///
    /// 1. Start a running loss at 0.
    /// 2. For each row i, in order (no shuffling):
    ///    - x = `as_column(training_data.row(i))`, an `(n_features, 1)` column, and
    ///      y = `labels[[i, 0]]`;
    ///    - ŷ = the single element of `self.forward(&x)` (a `(1, 1)` array);
    ///    - add the binary cross-entropy −(y·ln ŷ + (1 − y)·ln(1 − ŷ)) to the running loss
    ///      (`f64::ln`);
    ///    - daⁿ = (ŷ − y) / (ŷ(1 − ŷ)), the derivative of that loss with respect to ŷ, as a
    ///      `(1, 1)` array;
    ///    - backpropagate: go through `self.layers` in REVERSE order (from the output layer to the
    ///      first), calling `backward(&da, learning_rate)` on each and feeding the returned da_prev
    ///      to the next call (`iter_mut().rev()` is handy).
    /// 3. The epoch's average loss is the running loss divided by the number of samples. Print it
    ///    with exactly `println!("Loss at epoch {}: {:.3}", k, average)` (k counts from 1), and
    ///    push it into the vector you return.
    ///
    /// Returns the `epochs` average losses, in order. If everything is right, at learning rate
    /// 0.01 the loss falls at every epoch.
    #[allow(unused_variables)]
    pub fn fit(
        &mut self,
        training_data: &Array2<f64>,
        labels: &Array2<f64>,
        epochs: usize,
        learning_rate: f64,
    ) -> Vec<f64> {
        todo!()
    }
}
