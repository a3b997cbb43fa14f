//! `decreasing`: a series with the number of values the scenario asked for, each finite and
//! below the one before.

use super::{Count, Rule, Seen};
use crate::judge::{fail, number, plural, Verdict};
use serde::Deserialize;

/// The `decreasing` self.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecreasingRule {
    pub key: String,
    /// How many elements the series must have (e.g. `"epochs + 1"`); at least two when absent.
    pub count: Option<Count>,
    /// Says a wrong count, with `{got}` and `{expected}`.
    pub count_meaning: Option<String>,
    /// What the series is, e.g. "the loss of the trained model": "… does not fall".
    pub meaning: Option<String>,
    /// What one step of the series is called, e.g. "epoch": "does not fall in epoch 3 of 10".
    pub step: Option<String>,
}

impl Rule for DecreasingRule {
    fn keys(&self) -> Vec<&str> {
        vec![&self.key]
    }

    fn count(&self) -> Option<&Count> {
        self.count.as_ref()
    }

    /// `decreasing`: the series has the length the scenario asked for, and falls at every step.
    fn holds(&self, seen: &Seen) -> Result<(), Verdict> {
        let value = seen.get(&self.key)?;
        let series = value.numbers();
        let what = self
            .meaning
            .clone()
            .unwrap_or_else(|| format!("`{}`", self.key));
        seen.counted(
            &self.key,
            value,
            self.count.as_ref(),
            self.count_meaning.as_deref(),
        )?;
        if series.len() < 2 {
            return Err(fail(
                format!(
                    "{what} has {} value{}: at least two are needed to see it fall (scenario {})",
                    series.len(),
                    plural(series.len()),
                    seen.id()
                ),
                None,
            ));
        }
        let steps = series.len() - 1;
        let step = |k: usize| match &self.step {
            Some(noun) => format!("in {noun} {k} of {steps}"),
            None => format!("at step {k} of {steps}"),
        };
        if let Some(i) = series.iter().position(|v| !v.is_finite()) {
            return Err(fail(
                format!(
                    "{what} is {} (value {} of {}; scenario {})",
                    number(series[i]),
                    i + 1,
                    series.len(),
                    seen.id()
                ),
                None,
            ));
        }
        for (i, pair) in series.windows(2).enumerate() {
            if pair[1] < pair[0] {
                continue;
            }
            let how = if pair[1] == pair[0] {
                "stays at"
            } else {
                "rises to"
            };
            return Err(fail(
                format!(
                    "{what} does not fall {}: {} {how} {} (scenario {})",
                    step(i + 1),
                    number(pair[0]),
                    number(pair[1]),
                    seen.id()
                ),
                None,
            ));
        }
        Ok(())
    }
}
