//! `agree`: two of the submission's own observations agree (`b` is the expected side), the
//! elements `skip` marks aside; nothing left to compare fails.

use super::compare::{compare, Comparison, Tolerance};
use super::{default_atol, default_rtol, pairs, select, starred, Metric, Rule, Seen};
use crate::bilingual::Text;
use crate::judge::Verdict;
use crate::probe::Value;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The `agree` self.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreeRule {
    pub a: String,
    pub b: String,
    #[serde(default)]
    pub metric: Metric,
    #[serde(default = "default_rtol")]
    pub rtol: f64,
    #[serde(default = "default_atol")]
    pub atol: f64,
    /// Elements where this observation is non-zero are not compared; when that leaves nothing
    /// to compare, the rule fails.
    pub skip: Option<String>,
    /// Says what a disagreement means, e.g. "the step is not proportional to lr".
    pub meaning: Option<Text>,
}

impl Rule for AgreeRule {
    fn keys(&self) -> Vec<&str> {
        let mut keys = vec![self.a.as_str(), self.b.as_str()];
        keys.extend(self.skip.as_deref());
        keys
    }

    fn tolerance(&self) -> (f64, f64) {
        (self.rtol, self.atol)
    }

    fn texts(&self) -> Vec<(&'static str, &Text)> {
        self.meaning.iter().map(|t| ("meaning", t)).collect()
    }

    fn problem(&self) -> Option<String> {
        starred(&self.a, &self.b)
    }

    /// `agree`: two of the submission's own observations agree, elements marked in `skip` aside.
    fn holds(&self, seen: &Seen) -> Result<(), Verdict> {
        let skips: BTreeMap<String, &Value> = self
            .skip
            .as_ref()
            .map(|s| select(seen.values, s).into_iter().collect())
            .unwrap_or_default();
        let pairs = pairs(seen.values, &self.a, &self.b).map_err(|key| seen.missing(&key))?;
        let tolerance = Tolerance {
            metric: self.metric,
            rtol: self.rtol,
            atol: self.atol,
        };
        for (name, have, want) in pairs {
            let skip = skips
                .get(&name)
                .or_else(|| skips.values().next().filter(|_| skips.len() == 1))
                .copied();
            compare(&Comparison {
                scenario: seen.id(),
                name: &name,
                got: have,
                want,
                tolerance,
                skip,
                meaning: self.meaning.as_ref(),
            })?;
        }
        Ok(())
    }
}
