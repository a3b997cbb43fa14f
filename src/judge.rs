//! The judge stage: decides each check from observations alone. For every scenario a check
//! selects, every expectation must hold; the first that does not becomes the check's message, with
//! the worst element, where it is, what was expected and what came. This is the only place where a
//! check is judged.

use crate::probe::{Outcome, Value};
use crate::spec::{matches_pattern, template_prefix, Check, Expectation, Metric};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A check's result before scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Error,
}

/// Why a check did not pass, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: Status,
    /// One or two sentences for the student; empty when it passed.
    pub message: String,
    /// The worst element, for a comparison of numbers.
    pub worst: Option<Worst>,
}

/// The element that missed by the most.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Worst {
    /// The scenario it was seen in.
    pub scenario: String,
    /// The observation, e.g. `d_weights` or `layer2.weights`.
    pub key: String,
    /// Its index in the observation.
    pub index: Vec<usize>,
    pub expected: f64,
    pub got: f64,
}

/// What one scenario gave, for the submission and for the reference.
pub struct Evidence<'a> {
    pub scenario: &'a str,
    pub submission: &'a Outcome,
    pub reference: Option<&'a Outcome>,
}

/// Judges `check` on its scenarios' evidence (in the check's scenario order).
pub fn judge(check: &Check, evidence: &[Evidence]) -> Verdict {
    for e in evidence {
        if let Some(verdict) = unusable(e.submission) {
            return verdict;
        }
    }
    for e in evidence {
        for rule in &check.expect {
            if let Err(verdict) = holds(rule, e) {
                return verdict;
            }
        }
    }
    Verdict {
        status: Status::Pass,
        message: String::new(),
        worst: None,
    }
}

/// An outcome with no observations makes the check an error, with the reason in words.
fn unusable(outcome: &Outcome) -> Option<Verdict> {
    problem(outcome).map(|message| Verdict {
        status: Status::Error,
        message,
        worst: None,
    })
}

/// Why an outcome has no observations, in words; `None` when it has them.
pub fn problem(outcome: &Outcome) -> Option<String> {
    Some(match outcome {
        Outcome::Observed { .. } => return None,
        Outcome::Panicked {
            message, location, ..
        } => describe_panic(message, location),
        Outcome::Failed { reason, .. } => reason.to_string(),
        Outcome::NotBuilt { reason } => reason.clone(),
    })
}

/// `todo!()` is the stub's way of saying "not done yet": say so in those words.
pub fn describe_panic(message: &str, location: &str) -> String {
    let at = if location.is_empty() {
        String::new()
    } else {
        format!(" at {location}")
    };
    if let Some(rest) = message.strip_prefix("not yet implemented") {
        let rest = rest.trim_start_matches(':').trim();
        let detail = if rest.is_empty() {
            String::new()
        } else {
            format!(": {rest}")
        };
        return format!("not implemented yet (todo!(){at}){detail}");
    }
    format!("panicked{at}: {message}")
}

fn fail(message: String, worst: Option<Worst>) -> Verdict {
    Verdict {
        status: Status::Fail,
        message,
        worst,
    }
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

fn holds(rule: &Expectation, e: &Evidence) -> Result<(), Verdict> {
    let values = e.submission.values().expect("checked by unusable");
    let missing = |key: &str| {
        fail(
            format!("the probe reported no `{key}` (scenario {})", e.scenario),
            None,
        )
    };
    match rule {
        Expectation::Reference { key, rtol, atol } => {
            let reference = match e.reference {
                Some(Outcome::Observed { values, .. }) => values,
                Some(other) => {
                    let why = problem(other).unwrap_or_default();
                    return Err(Verdict {
                        status: Status::Error,
                        message: format!(
                            "the reference gave no observations on scenario {}: {why}",
                            e.scenario
                        ),
                        worst: None,
                    });
                }
                None => {
                    return Err(Verdict {
                        status: Status::Error,
                        message: format!("no reference observations for scenario {}", e.scenario),
                        worst: None,
                    })
                }
            };
            let expected = select(reference, key);
            if expected.is_empty() {
                return Err(missing(key));
            }
            let got: BTreeMap<String, &Value> = select(values, key).into_iter().collect();
            for (name, want) in expected {
                let have = got.get(&name).ok_or_else(|| missing(&name))?;
                compare(
                    e.scenario,
                    &name,
                    have,
                    want,
                    Metric::Close,
                    *rtol,
                    *atol,
                    None,
                    None,
                )?;
            }
            Ok(())
        }
        Expectation::Agree {
            a,
            b,
            metric,
            rtol,
            atol,
            skip,
            meaning,
        } => {
            let skips: BTreeMap<String, &Value> = skip
                .as_ref()
                .map(|s| select(values, s).into_iter().collect())
                .unwrap_or_default();
            let pairs = pairs(values, a, b).map_err(|key| missing(&key))?;
            for (name, have, want) in pairs {
                let skip = skips
                    .get(&name)
                    .or_else(|| skips.values().next().filter(|_| skips.len() == 1))
                    .copied();
                compare(
                    e.scenario,
                    &name,
                    have,
                    want,
                    *metric,
                    *rtol,
                    *atol,
                    skip,
                    meaning.as_deref(),
                )?;
            }
            Ok(())
        }
        Expectation::Aligned { a, b, meaning } => {
            let (mut dot, mut norm_b) = (0.0, 0.0);
            for (_, have, direction) in pairs(values, a, b).map_err(|key| missing(&key))? {
                for (x, y) in have.numbers().iter().zip(direction.numbers()) {
                    dot += x * y;
                    norm_b += y * y;
                }
            }
            // A zero reference direction says nothing; a zero or opposite step is not descent.
            if norm_b == 0.0 || dot > 0.0 {
                return Ok(());
            }
            let what = meaning
                .clone()
                .unwrap_or_else(|| format!("`{a}` does not point the way of `{b}`"));
            Err(fail(
                format!(
                    "{what} (scenario {}: the dot product is {})",
                    e.scenario,
                    number(dot)
                ),
                None,
            ))
        }
        Expectation::Decreasing { key } => {
            let series = values.get(key).ok_or_else(|| missing(key))?.numbers();
            if let Some(i) = series.iter().position(|v| !v.is_finite()) {
                return Err(fail(
                    format!(
                        "`{key}` is {} at step {} of {} (scenario {})",
                        number(series[i]),
                        i + 1,
                        series.len(),
                        e.scenario
                    ),
                    None,
                ));
            }
            for (i, pair) in series.windows(2).enumerate() {
                if pair[1] >= pair[0] {
                    let how = if pair[1] == pair[0] {
                        "stays at"
                    } else {
                        "rises to"
                    };
                    return Err(fail(
                        format!(
                            "`{key}` does not fall at step {} of {}: {} {how} {} (scenario {})",
                            i + 2,
                            series.len(),
                            number(pair[0]),
                            number(pair[1]),
                            e.scenario
                        ),
                        None,
                    ));
                }
            }
            Ok(())
        }
        Expectation::Stdout { template, key } => {
            let printed = e
                .submission
                .printed()
                .expect("observed outcomes have output");
            if !printed.stdout_complete {
                return Err(fail(
                    format!(
                        "printed too much to check the `{}…` lines (scenario {})",
                        template_prefix(template),
                        e.scenario
                    ),
                    None,
                ));
            }
            let series = values.get(key).ok_or_else(|| missing(key))?.numbers();
            let expected: Vec<String> = series
                .iter()
                .enumerate()
                .map(|(i, v)| render(template, i + 1, *v))
                .collect();
            let prefix = template_prefix(template);
            let got: Vec<&str> = printed
                .stdout
                .lines()
                .filter(|l| l.trim_start().starts_with(prefix.trim_start()))
                .collect();
            for (i, want) in expected.iter().enumerate() {
                match got.get(i) {
                    Some(line) if line.trim_end() == want => {}
                    Some(line) => {
                        return Err(fail(
                            format!(
                                "printed line {} is `{}`, expected `{want}` (scenario {})",
                                i + 1,
                                quoted(line.trim_end()),
                                e.scenario
                            ),
                            None,
                        ));
                    }
                    None => {
                        return Err(fail(
                            format!("printed {} line(s) starting with `{}`, expected {} (scenario {}); next expected: `{want}`", got.len(), prefix.trim_end(), expected.len(), e.scenario),
                            None,
                        ));
                    }
                }
            }
            if got.len() > expected.len() {
                return Err(fail(format!("printed {} lines starting with `{}`, expected {}; first extra: `{}` (scenario {})", got.len(), prefix.trim_end(), expected.len(), quoted(got[expected.len()]), e.scenario), None));
            }
            Ok(())
        }
    }
}

/// A printed line as a message quotes it: a line can be as long as the output cap, a message not.
fn quoted(line: &str) -> String {
    const CAP: usize = 200;
    match line.char_indices().nth(CAP) {
        Some((end, _)) => format!("{}… ({} more bytes)", &line[..end], line.len() - end),
        None => line.to_string(),
    }
}

/// Compares `got` with `want` element by element; the error names the worst element.
#[allow(clippy::too_many_arguments)]
fn compare(
    scenario: &str,
    name: &str,
    got: &Value,
    want: &Value,
    metric: Metric,
    rtol: f64,
    atol: f64,
    skip: Option<&Value>,
    meaning: Option<&str>,
) -> Result<(), Verdict> {
    if got.shape() != want.shape() {
        return Err(fail(
            format!(
                "`{name}` has shape {}, expected {} (scenario {scenario})",
                shape(got.shape()),
                shape(want.shape())
            ),
            None,
        ));
    }
    let skipped = |i: usize| skip.is_some_and(|s| s.numbers().get(i).is_some_and(|&v| v != 0.0));
    let mut worst: Option<(usize, f64)> = None;
    let mut failures = 0;
    for (i, (&a, &b)) in got.numbers().iter().zip(want.numbers()).enumerate() {
        if skipped(i) || (a == b) {
            continue;
        }
        let diff = (a - b).abs();
        let badness = match metric {
            Metric::Close => diff / (atol + rtol * b.abs()),
            Metric::Relative if diff <= atol => 0.0,
            Metric::Relative => diff / a.abs().max(b.abs()) / rtol,
        };
        let badness = if badness.is_nan() {
            f64::INFINITY
        } else {
            badness
        };
        if badness > 1.0 {
            failures += 1;
            if worst.is_none_or(|(_, w)| badness > w) {
                worst = Some((i, badness));
            }
        }
    }
    let Some((i, _)) = worst else { return Ok(()) };
    let index = unravel(i, got.shape());
    let (a, b) = (got.numbers()[i], want.numbers()[i]);
    let tolerance = match metric {
        Metric::Close => format!("tolerance {atol:e} + {rtol:e}·|expected|"),
        Metric::Relative => format!("relative tolerance {rtol:e}"),
    };
    let count = got.numbers().len();
    let spread = if count > 1 {
        format!("{failures} of {count} elements differ; worst ")
    } else {
        String::new()
    };
    let lead = meaning.map(|m| format!("{m}: ")).unwrap_or_default();
    Err(fail(
        format!(
            "{lead}{spread}`{name}{}`: expected {}, got {} ({tolerance}; scenario {scenario})",
            index_text(&index),
            number(b),
            number(a)
        ),
        Some(Worst {
            scenario: scenario.to_string(),
            key: name.to_string(),
            index,
            expected: b,
            got: a,
        }),
    ))
}

fn unravel(mut i: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (slot, &extent) in index.iter_mut().zip(shape).rev() {
        if extent > 0 {
            *slot = i % extent;
            i /= extent;
        }
    }
    index
}

fn index_text(index: &[usize]) -> String {
    if index.is_empty() {
        String::new()
    } else {
        format!(
            "[{}]",
            index
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn shape(shape: &[usize]) -> String {
    format!(
        "({})",
        shape
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A number short enough to read and precise enough to see the difference.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 || (1e-4..1e6).contains(&v.abs()) {
        let text = format!("{v:.6}");
        let text = text.trim_end_matches('0');
        text.strip_suffix('.')
            .map(|t| format!("{t}.0"))
            .unwrap_or_else(|| text.to_string())
    } else {
        format!("{v:.4e}")
    }
}

/// Renders a stdout template: `{n}` is the 1-based index, `{value}` or `{value:.N}` the value.
pub fn render(template: &str, n: usize, value: f64) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let field = &rest[open + 1..open + close];
        match field.split_once(':') {
            _ if field == "n" => out.push_str(&n.to_string()),
            None if field == "value" => out.push_str(&value.to_string()),
            Some(("value", format)) => {
                let decimals = format.trim_start_matches('.').parse::<usize>().unwrap_or(3);
                out.push_str(&format!("{value:.decimals$}"));
            }
            _ => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_line_is_cut_short() {
        assert_eq!(quoted("Loss at epoch 1: 0.693"), "Loss at epoch 1: 0.693");
        let long = format!("Loss at epoch 1: {}", "9".repeat(1000));
        assert!(
            quoted(&long).ends_with("9… (817 more bytes)"),
            "{}",
            quoted(&long)
        );
    }

    #[test]
    fn templates_render_like_the_course() {
        assert_eq!(
            render("Loss at epoch {n}: {value:.3}", 2, 0.51234),
            "Loss at epoch 2: 0.512"
        );
    }

    #[test]
    fn indices_unravel_row_major() {
        assert_eq!(unravel(5, &[2, 3]), vec![1, 2]);
        assert_eq!(unravel(0, &[]), Vec::<usize>::new());
    }

    #[test]
    fn todo_panics_read_as_not_implemented() {
        assert_eq!(
            describe_panic("not yet implemented", "src/backprop.rs:3:9"),
            "not implemented yet (todo!() at src/backprop.rs:3:9)"
        );
        assert!(describe_panic("boom", "").starts_with("panicked: boom"));
    }

    #[test]
    fn comparison_names_the_worst_element() {
        let got = Value::Array {
            shape: vec![2, 2],
            data: vec![1.0, 2.0, 3.0, 5.0],
        };
        let want = Value::Array {
            shape: vec![2, 2],
            data: vec![1.0, 2.0, 3.0, 4.0],
        };
        let err =
            compare("s", "w", &got, &want, Metric::Close, 1e-7, 1e-9, None, None).unwrap_err();
        assert_eq!(err.worst.unwrap().index, vec![1, 1]);
        assert!(compare(
            "s",
            "w",
            &want,
            &want,
            Metric::Close,
            1e-7,
            1e-9,
            None,
            None
        )
        .is_ok());
    }

    #[test]
    fn relative_metric_passes_both_zero_and_tiny_absolute_differences() {
        let a = Value::Array {
            shape: vec![3],
            data: vec![0.0, 1e-12, 1.0],
        };
        let b = Value::Array {
            shape: vec![3],
            data: vec![0.0, 2e-12, 1.0 + 1e-9],
        };
        assert!(compare("s", "g", &a, &b, Metric::Relative, 1e-5, 1e-10, None, None).is_ok());
        let c = Value::Array {
            shape: vec![3],
            data: vec![0.0, 0.0, 1.1],
        };
        assert!(compare("s", "g", &c, &b, Metric::Relative, 1e-5, 1e-10, None, None).is_err());
    }
}
