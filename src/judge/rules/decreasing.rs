//! `decreasing`: a series with the number of values the scenario asked for, each finite and
//! below the one before.

use super::{Count, Rule, Seen};
use crate::bilingual::Text;
use crate::judge::{fail, number, Verdict};
use serde::Deserialize;

/// The `decreasing` self.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecreasingRule {
    pub key: String,
    /// How many elements the series must have (e.g. `"epochs + 1"`); at least two when absent.
    pub count: Option<Count>,
    /// Says a wrong count, with `{got}` and `{expected}`.
    pub count_meaning: Option<Text>,
    /// What the series is, e.g. "the loss of the trained model": "… does not fall".
    pub meaning: Option<Text>,
    /// What one step of the series is called, e.g. "epoch": "does not fall in epoch 3 of 10".
    pub step: Option<Text>,
}

impl Rule for DecreasingRule {
    fn keys(&self) -> Vec<&str> {
        vec![&self.key]
    }

    fn texts(&self) -> Vec<(&'static str, &Text)> {
        [
            ("count_meaning", &self.count_meaning),
            ("meaning", &self.meaning),
            ("step", &self.step),
        ]
        .into_iter()
        .filter_map(|(name, text)| Some((name, text.as_ref()?)))
        .collect()
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
            .as_ref()
            .map_or_else(|| format!("`{}`", self.key), |t| t.get().to_string());
        seen.counted(
            &self.key,
            value,
            self.count.as_ref(),
            self.count_meaning.as_ref(),
        )?;
        if series.len() < 2 {
            return Err(fail(
                crate::tr!(
                    "judge-too-short-to-fall",
                    what = &what,
                    count = series.len(),
                    scenario = seen.id()
                ),
                None,
            ));
        }
        let steps = series.len() - 1;
        let step = |k: usize| match &self.step {
            Some(noun) => crate::tr!("judge-in-step", noun = noun.get(), k = k, steps = steps),
            None => crate::tr!("judge-at-step", k = k, steps = steps),
        };
        if let Some(i) = series.iter().position(|v| !v.is_finite()) {
            return Err(fail(
                crate::tr!(
                    "judge-not-finite",
                    what = &what,
                    value = number(series[i]),
                    index = i + 1,
                    count = series.len(),
                    scenario = seen.id()
                ),
                None,
            ));
        }
        for (i, pair) in series.windows(2).enumerate() {
            if pair[1] < pair[0] {
                continue;
            }
            let key = if pair[1] == pair[0] {
                "judge-stays"
            } else {
                "judge-rises"
            };
            let change = crate::i18n::tr(
                key,
                &[
                    ("from", number(pair[0]).into()),
                    ("to", number(pair[1]).into()),
                ],
            );
            return Err(fail(
                crate::tr!(
                    "judge-does-not-fall",
                    what = &what,
                    step = step(i + 1),
                    change = change,
                    scenario = seen.id()
                ),
                None,
            ));
        }
        Ok(())
    }
}
