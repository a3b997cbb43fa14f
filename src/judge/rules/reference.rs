//! `reference`: the submission's values equal the reference's, element by element, within
//! `atol + rtol·|expected|`; with `count`, the submission has the number of values the scenario
//! asked for first.

use super::compare::{compare, Comparison, Tolerance};
use super::{default_atol, default_rtol, select, Count, Metric, Rule, Seen};
use crate::bilingual::Text;
use crate::judge::{error, problem, Verdict};
use crate::probe::{Outcome, Value};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The `reference` self.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRule {
    /// The observation (or, ending in `*`, observations) compared.
    pub key: String,
    #[serde(default = "default_rtol")]
    pub rtol: f64,
    #[serde(default = "default_atol")]
    pub atol: f64,
    /// How many elements the submission's `key` must have (e.g. `"epochs"`), checked first.
    pub count: Option<Count>,
    /// Says a wrong count in the exercise's words, with `{got}` and `{expected}`: e.g. "fit
    /// returned {got} losses for {expected} epochs".
    pub count_meaning: Option<Text>,
}

impl Rule for ReferenceRule {
    fn keys(&self) -> Vec<&str> {
        vec![&self.key]
    }

    fn tolerance(&self) -> (f64, f64) {
        (self.rtol, self.atol)
    }

    fn texts(&self) -> Vec<(&'static str, &Text)> {
        self.count_meaning
            .iter()
            .map(|t| ("count_meaning", t))
            .collect()
    }

    fn count(&self) -> Option<&Count> {
        self.count.as_ref()
    }

    /// `reference`: the submission's values equal the reference's, element by element.
    fn holds(&self, seen: &Seen) -> Result<(), Verdict> {
        let reference = match seen.reference {
            Some(Outcome::Observed { values, .. }) => values,
            Some(other) => {
                return Err(error(crate::tr!(
                    "judge-reference-unusable",
                    scenario = seen.id(),
                    problem = problem(other).unwrap_or_default()
                )))
            }
            None => {
                return Err(error(crate::tr!(
                    "judge-no-reference",
                    scenario = seen.id()
                )))
            }
        };
        let expected = select(reference, &self.key);
        if expected.is_empty() {
            return Err(error(crate::tr!(
                "judge-reference-missing-key",
                key = &self.key,
                scenario = seen.id()
            )));
        }
        let got: BTreeMap<String, &Value> = select(seen.values, &self.key).into_iter().collect();
        let tolerance = Tolerance {
            metric: Metric::Close,
            rtol: self.rtol,
            atol: self.atol,
        };
        for (name, want) in expected {
            let have = got.get(&name).ok_or_else(|| seen.missing(&name))?;
            seen.counted(
                &name,
                have,
                self.count.as_ref(),
                self.count_meaning.as_ref(),
            )?;
            compare(&Comparison {
                scenario: seen.id(),
                name: &name,
                got: have,
                want,
                tolerance,
                skip: None,
                meaning: None,
            })?;
        }
        Ok(())
    }
}
