//! `aligned`: `a` points the way of `b`, a positive dot product: for "is the step downhill".

use super::compare::shape_mismatch;
use super::{pairs, starred, Rule, Seen};
use crate::judge::{error, fail, number, Verdict};
use serde::Deserialize;

/// The `aligned` self.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlignedRule {
    pub a: String,
    pub b: String,
    /// Says what pointing the other way means, e.g. "the weights move uphill".
    pub meaning: Option<String>,
    /// Says what an `a` of zeros means, e.g. "the biases do not move".
    pub zero: Option<String>,
}

impl Rule for AlignedRule {
    fn keys(&self) -> Vec<&str> {
        vec![&self.a, &self.b]
    }

    fn problem(&self) -> Option<String> {
        starred(&self.a, &self.b)
    }

    /// `aligned`: `a` points the way of `b` (a positive dot product). A zero `b` gives no direction
    /// to judge by, and a zero `a` did not move at all: neither passes.
    fn holds(&self, seen: &Seen) -> Result<(), Verdict> {
        let (mut dot, mut norm_a, mut norm_b, mut compared) = (0.0, 0.0, 0.0, 0);
        for (_, have, direction) in
            pairs(seen.values, &self.a, &self.b).map_err(|k| seen.missing(&k))?
        {
            if have.shape() != direction.shape() {
                return Err(shape_mismatch(seen.id(), &self.a, have, direction));
            }
            for (x, y) in have.numbers().iter().zip(direction.numbers()) {
                dot += x * y;
                norm_a += x * x;
                norm_b += y * y;
                compared += 1;
            }
        }
        if compared == 0 || norm_b == 0.0 {
            return Err(error(format!(
                "nothing to judge the direction by: `{}` is {} (scenario {})",
                self.b,
                if compared == 0 { "empty" } else { "zero" },
                seen.id()
            )));
        }
        if norm_a == 0.0 {
            let what = self
                .zero
                .clone()
                .unwrap_or_else(|| format!("`{}` is zero: it does not move", self.a));
            return Err(fail(format!("{what} (scenario {})", seen.id()), None));
        }
        if dot > 0.0 {
            return Ok(());
        }
        let what = self
            .meaning
            .clone()
            .unwrap_or_else(|| format!("`{}` does not point the way of `{}`", self.a, self.b));
        Err(fail(
            format!(
                "{what} (scenario {}: the dot product is {})",
                seen.id(),
                number(dot)
            ),
            None,
        ))
    }
}
