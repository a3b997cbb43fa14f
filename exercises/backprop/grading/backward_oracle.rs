//! The `backward` that `fit.*` checks put in place of the student's, so that a mistake in `backward`
//! is not charged twice. It is deliberately NOT the backprop formulas: it differentiates the layer's
//! local loss ⟨da, f(W·x + b)⟩ by forward-mode automatic differentiation (dual numbers), one input or
//! parameter at a time, so the students' copy of the exercise can grade `fit` without shipping a
//! solution. It agrees with the formulas to rounding.
//!
//! `grade` splices the method below into the student's `impl Layer` (see `exercise.toml`), on one
//! line, so the line numbers of the student's own code stay as they wrote them.

impl crate::model::Layer {
    pub fn backward(
        &mut self,
        da: &::ndarray::Array2<f64>,
        learning_rate: f64,
    ) -> ::ndarray::Array2<f64> {
        /// a + b·ε with ε² = 0: evaluating f on it yields f(a) and b·f'(a).
        #[derive(Clone, Copy)]
        struct Dual {
            value: f64,
            slope: f64,
        }
        impl Dual {
            fn add(self, other: Dual) -> Dual {
                Dual {
                    value: self.value + other.value,
                    slope: self.slope + other.slope,
                }
            }
            fn exp(self) -> Dual {
                let e = self.value.exp();
                Dual {
                    value: e,
                    slope: self.slope * e,
                }
            }
            fn recip(self) -> Dual {
                Dual {
                    value: 1.0 / self.value,
                    slope: -self.slope / (self.value * self.value),
                }
            }
            fn neg(self) -> Dual {
                Dual {
                    value: -self.value,
                    slope: -self.slope,
                }
            }
        }
        let activate = |z: Dual| -> Dual {
            match self.activation {
                crate::utils::Activation::Relu => {
                    if z.value > 0.0 {
                        z
                    } else {
                        Dual {
                            value: 0.0,
                            slope: 0.0,
                        }
                    }
                }
                crate::utils::Activation::Sigmoid => Dual {
                    value: 1.0,
                    slope: 0.0,
                }
                .add(z.neg().exp())
                .recip(),
            }
        };
        let (n_neurons, n_inputs) = self.weights.dim();
        // z_i as a dual number whose slope is ∂z_i/∂(the seeded quantity).
        let z = |i: usize, dz: f64| Dual {
            value: self.outputs[[i, 0]],
            slope: dz,
        };
        // ∂⟨da, f(z)⟩/∂θ where θ moves z_i at rate dz_i.
        let directional = |slopes: &dyn Fn(usize) -> f64| -> f64 {
            (0..n_neurons)
                .map(|i| da[[i, 0]] * activate(z(i, slopes(i))).slope)
                .sum()
        };
        let mut d_weights = ::ndarray::Array2::<f64>::zeros((n_neurons, n_inputs));
        let mut d_biases = ::ndarray::Array2::<f64>::zeros((n_neurons, 1));
        let mut da_prev = ::ndarray::Array2::<f64>::zeros((n_inputs, 1));
        for i in 0..n_neurons {
            for j in 0..n_inputs {
                let x_j = self.inputs[[j, 0]];
                d_weights[[i, j]] = directional(&|k| if k == i { x_j } else { 0.0 });
            }
            d_biases[[i, 0]] = directional(&|k| if k == i { 1.0 } else { 0.0 });
        }
        for j in 0..n_inputs {
            da_prev[[j, 0]] = directional(&|k| self.weights[[k, j]]);
        }
        self.weights.scaled_add(-learning_rate, &d_weights);
        self.biases.scaled_add(-learning_rate, &d_biases);
        da_prev
    }
}
