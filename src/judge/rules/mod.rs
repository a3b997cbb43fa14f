//! The rules a check's expectations are made of, one file each: what the spec declares of it
//! (its fields, what is wrong with them) and how it is judged on one scenario's evidence, behind
//! the [`Rule`] trait. A new rule is one new file and one line in the list of [`rules!`].
//!
//! Every rule needs evidence: it fails, saying what was missing, when a scenario gives it nothing
//! to judge (no key, no element compared, every element skipped, fewer values than the scenario
//! asked for). A rule never passes on an empty series.

mod agree;
mod aligned;
mod compare;
mod decreasing;
mod reference;
mod stdout;

pub use agree::AgreeRule;
pub use aligned::AlignedRule;
pub use decreasing::DecreasingRule;
pub use reference::ReferenceRule;
pub use stdout::StdoutRule;

use crate::bilingual::Text;
use crate::judge::{fail, Evidence, Verdict};
use crate::probe::{Outcome, Printed, Value};
use crate::spec::{matches_pattern, Arg, Scenario};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What every rule is: read from the spec, checked there, judged here.
pub trait Rule {
    /// Every observation key it reads (with its `*`).
    fn keys(&self) -> Vec<&str>;

    /// The tolerances it compares with, for matching known mistakes as loosely as it judges.
    fn tolerance(&self) -> (f64, f64) {
        (default_rtol(), default_atol())
    }

    /// The number of elements it requires of each scenario, if it says.
    fn count(&self) -> Option<&Count> {
        None
    }

    /// Its sentences for people, by field name (`meaning`…), each in both languages.
    fn texts(&self) -> Vec<(&'static str, &Text)> {
        Vec::new()
    }

    /// What is wrong with it as written, if anything (the spec's loader says it at its check).
    fn problem(&self) -> Option<String> {
        None
    }

    /// Whether two runs printed alike, as far as this rule can see (for diagnosis).
    fn printed_alike(&self, _a: &Printed, _b: &Printed) -> bool {
        true
    }

    /// Whether it holds on one scenario's evidence; the verdict that says why not otherwise.
    fn holds(&self, seen: &Seen) -> Result<(), Verdict>;
}

/// Declares [`Expectation`], the rules a check may use, from one list: the name it has in
/// `exercise.toml` (`rule = "…"`, the variant in snake case) and the type that implements it.
macro_rules! rules {
    ($($variant:ident($rule:ty),)*) => {
        /// One thing a check requires of a scenario's observations. Keys ending in `*` match every
        /// key with that prefix; the rest of the key names the element in messages.
        #[derive(Debug, Clone, Deserialize)]
        #[serde(tag = "rule", rename_all = "snake_case")]
        pub enum Expectation {
            $($variant($rule),)*
        }

        impl Expectation {
            /// The rule itself.
            pub fn rule(&self) -> &dyn Rule {
                match self {
                    $(Expectation::$variant(rule) => rule,)*
                }
            }
        }
    };
}

rules! {
    Reference(ReferenceRule),
    Agree(AgreeRule),
    Aligned(AlignedRule),
    Decreasing(DecreasingRule),
    Stdout(StdoutRule),
}

/// Whether `rule` holds on one scenario's evidence, whose submission's outcome was observed.
pub(crate) fn holds(rule: &Expectation, e: &Evidence) -> Result<(), Verdict> {
    let Outcome::Observed { values, printed } = e.submission else {
        unreachable!("judge sets unusable outcomes aside first")
    };
    let seen = Seen {
        scenario: e.scenario,
        values,
        printed,
        reference: e.reference,
    };
    rule.rule().holds(&seen)
}

/// What is wrong with `rule` of a check that selects `selected` of `scenarios`, if anything.
pub(crate) fn problem(
    rule: &Expectation,
    selected: &[String],
    scenarios: &[Scenario],
) -> Option<String> {
    let rule = rule.rule();
    if let Some(problem) = rule.problem() {
        return Some(problem);
    }
    let count = rule.count()?;
    scenarios
        .iter()
        .filter(|s| selected.contains(&s.id))
        .find(|s| count.resolve(&s.args).is_none())
        .map(|s| match &count.arg {
            Some(arg) if !matches!(s.args.get(arg), Some(Arg::Int(_))) => crate::tr!(
                "spec-count-not-whole",
                count = count.to_string(),
                arg = arg,
                scenario = &s.id
            ),
            _ => crate::tr!(
                "spec-count-negative",
                count = count.to_string(),
                scenario = &s.id
            ),
        })
}

/// `a` and `b` must both end in `*` or neither: they are matched by what it stands for.
fn starred(a: &str, b: &str) -> Option<String> {
    (a.ends_with('*') != b.ends_with('*')).then(|| crate::tr!("spec-starred", a = a, b = b))
}

/// How many elements a scenario asks for: a number, or a scenario argument's name with an
/// optional `+ N` or `- N` (`"epochs"`, `"epochs + 1"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The scenario argument, when the count is not a plain number.
    pub arg: Option<String>,
    /// Added to the argument's value (the whole count when there is no argument).
    pub plus: i64,
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Count, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(n) => Ok(Count {
                arg: None,
                plus: i64::try_from(n).map_err(serde::de::Error::custom)?,
            }),
            Raw::Text(text) => Count::parse(&text).ok_or_else(|| {
                serde::de::Error::custom(crate::tr!("spec-not-a-count", text = &text))
            }),
        }
    }
}

impl Count {
    fn parse(text: &str) -> Option<Count> {
        let (name, plus) = match text.find(['+', '-']) {
            Some(at) => {
                let number: i64 = text[at + 1..].trim().parse().ok()?;
                let sign = if text[at..].starts_with('-') { -1 } else { 1 };
                (text[..at].trim(), sign * number)
            }
            None => (text.trim(), 0),
        };
        let is_name = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        is_name.then(|| Count {
            arg: Some(name.to_string()),
            plus,
        })
    }

    /// The count for a scenario with these arguments; `None` when the argument is missing or not
    /// a whole number, or the count would be negative (the spec's loader rejects such checks).
    pub fn resolve(&self, args: &BTreeMap<String, Arg>) -> Option<usize> {
        let base = match &self.arg {
            None => 0,
            Some(name) => match args.get(name)? {
                Arg::Int(v) => *v,
                _ => return None,
            },
        };
        usize::try_from(base.checked_add(self.plus)?).ok()
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.arg, self.plus) {
            (None, n) => write!(f, "{n}"),
            (Some(arg), 0) => write!(f, "{arg}"),
            (Some(arg), n) if n > 0 => write!(f, "{arg} + {n}"),
            (Some(arg), n) => write!(f, "{arg} - {}", -n),
        }
    }
}

/// How two numbers are compared.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// |a − b| ≤ atol + rtol·|b|.
    #[default]
    Close,
    /// |a − b| / max(|a|, |b|) ≤ rtol (both zero passes), or |a − b| ≤ atol: for finite
    /// differences.
    Relative,
}

fn default_rtol() -> f64 {
    1e-7
}

fn default_atol() -> f64 {
    1e-9
}

/// The observations whose key matches `pattern`, by the part of the key the `*` stood for (the
/// whole key when there is no `*`).
pub fn select<'v>(values: &'v BTreeMap<String, Value>, pattern: &str) -> Vec<(String, &'v Value)> {
    let prefix = pattern.strip_suffix('*');
    values
        .iter()
        .filter(|(key, _)| matches_pattern(pattern, key))
        .map(|(key, value)| {
            (
                prefix.map_or(key.clone(), |p| key[p.len()..].to_string()),
                value,
            )
        })
        .collect()
}

/// The observations `a` and `b` side by side: matched by what their `*` stands for, or the two
/// single keys when neither has one. `Err` names a missing key.
fn pairs<'v>(
    values: &'v BTreeMap<String, Value>,
    a: &str,
    b: &str,
) -> Result<Vec<(String, &'v Value, &'v Value)>, String> {
    if !a.ends_with('*') {
        let have = values.get(a).ok_or_else(|| a.to_string())?;
        let want = values.get(b).ok_or_else(|| b.to_string())?;
        return Ok(vec![(a.to_string(), have, want)]);
    }
    let lhs: BTreeMap<String, &Value> = select(values, a).into_iter().collect();
    let rhs = select(values, b);
    if rhs.is_empty() {
        return Err(b.to_string());
    }
    rhs.into_iter()
        .map(|(name, want)| match lhs.get(&name) {
            Some(have) => Ok((name, *have, want)),
            None => Err(format!("{}{name}", a.trim_end_matches('*'))),
        })
        .collect()
}

/// One scenario's evidence, as every rule reads it.
pub struct Seen<'a> {
    scenario: &'a Scenario,
    values: &'a BTreeMap<String, Value>,
    printed: &'a Printed,
    reference: Option<&'a Outcome>,
}

impl Seen<'_> {
    fn id(&self) -> &str {
        &self.scenario.id
    }

    /// The verdict for a key the probe did not report.
    fn missing(&self, key: &str) -> Verdict {
        fail(
            crate::tr!("judge-no-key", key = key, scenario = self.id()),
            None,
        )
    }

    fn get(&self, key: &str) -> Result<&Value, Verdict> {
        self.values.get(key).ok_or_else(|| self.missing(key))
    }

    /// The number of elements `count` asks of this scenario (the spec's loader made sure it
    /// resolves).
    fn count(&self, count: &Count) -> usize {
        count.resolve(&self.scenario.args).unwrap_or(0)
    }

    /// Fails when `value` does not have the `count` elements the scenario asked for.
    fn counted(
        &self,
        key: &str,
        value: &Value,
        count: Option<&Count>,
        meaning: Option<&Text>,
    ) -> Result<(), Verdict> {
        let Some(count) = count else { return Ok(()) };
        let (got, expected) = (value.numbers().len(), self.count(count));
        if got == expected {
            return Ok(());
        }
        let said = match meaning {
            Some(template) => template
                .get()
                .replace("{got}", &got.to_string())
                .replace("{expected}", &expected.to_string()),
            None => crate::tr!(
                "judge-wrong-count",
                key = key,
                got = got,
                expected = expected,
                count = count.to_string()
            ),
        };
        let message = crate::tr!("judge-in-scenario", what = said, scenario = self.id());
        Err(fail(message, None))
    }
}

#[cfg(test)]
mod tests;
