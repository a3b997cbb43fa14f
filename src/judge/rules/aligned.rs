//! `aligned`: `a` points the way of `b`, a positive dot product: for "is the step downhill".

use super::compare::shape_mismatch;
use super::{pairs, starred, Rule, Seen};
use crate::bilingual::Text;
use crate::judge::{error, fail, number, Verdict};
use serde::Deserialize;

/// The `aligned` self.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlignedRule {
    pub a: String,
    pub b: String,
    /// Says what pointing the other way means, e.g. "the weights move uphill".
    pub meaning: Option<Text>,
    /// Says what an `a` of zeros means, e.g. "the biases do not move".
    pub zero: Option<Text>,
}

impl Rule for AlignedRule {
    fn keys(&self) -> Vec<&str> {
        vec![&self.a, &self.b]
    }

    fn texts(&self) -> Vec<(&'static str, &Text)> {
        let meaning = self.meaning.iter().map(|t| ("meaning", t));
        meaning
            .chain(self.zero.iter().map(|t| ("zero", t)))
            .collect()
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
            let how = if compared == 0 {
                crate::tr!("judge-empty")
            } else {
                crate::tr!("judge-zero")
            };
            return Err(error(crate::tr!(
                "judge-no-direction",
                key = &self.b,
                how = how,
                scenario = seen.id()
            )));
        }
        if norm_a == 0.0 {
            let what = self.zero.as_ref().map_or_else(
                || crate::tr!("judge-does-not-move", key = &self.a),
                |t| t.get().to_string(),
            );
            let message = crate::tr!("judge-in-scenario", what = what, scenario = seen.id());
            return Err(fail(message, None));
        }
        if dot > 0.0 {
            return Ok(());
        }
        let what = self.meaning.as_ref().map_or_else(
            || crate::tr!("judge-not-aligned", a = &self.a, b = &self.b),
            |t| t.get().to_string(),
        );
        Err(fail(
            crate::tr!(
                "judge-dot-product",
                what = what,
                scenario = seen.id(),
                dot = number(dot)
            ),
            None,
        ))
    }
}
