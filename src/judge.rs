//! The judge stage: decides each check from observations alone. For every scenario a check
//! selects, every expectation must hold; the first that does not becomes the check's message, with
//! the worst element, where it is, what was expected and what came. This is the only place where a
//! check is judged.
//!
//! A pass needs evidence: each rule fails, saying what was missing, when a scenario gives it
//! nothing to judge (no key, an empty series, fewer values than the scenario asked for, every
//! element skipped). One function per rule, below [`holds`].

use crate::probe::{Outcome, Printed, Value};
use crate::spec::{
    matches_pattern, template_prefix, AgreeRule, AlignedRule, Check, Count, DecreasingRule,
    Expectation, Metric, ReferenceRule, Scenario, StdoutRule,
};
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
    /// The scenario, whose arguments say how many values a rule may expect.
    pub scenario: &'a Scenario,
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
            message,
            location,
            frames,
            operation,
            context,
            ..
        } => describe_panic(&Panic {
            message,
            location,
            frames,
            operation: operation.as_deref(),
            context: context.as_deref(),
        }),
        Outcome::Failed { reason, .. } => reason.to_string(),
        Outcome::NotBuilt { reason } => reason.clone(),
    })
}

/// A panic as the probe reported it.
pub struct Panic<'a> {
    pub message: &'a str,
    pub location: &'a str,
    /// Places in the submitted files on the way to it, innermost first.
    pub frames: &'a [String],
    pub operation: Option<&'a str>,
    pub context: Option<&'a str>,
}

/// Says where a panic happened in the student's terms: at the student's own line (the innermost
/// frame in the submitted files), then, when the panic was raised inside a library, what was
/// called and where it gave up. `todo!()` is the stub's way of saying "not done yet": said in
/// those words.
pub fn describe_panic(panic: &Panic) -> String {
    let own = panic.frames.first().map(String::as_str);
    let at = match own.or(Some(panic.location).filter(|l| !l.is_empty())) {
        Some(place) => format!(" at {place}"),
        None => String::new(),
    };
    if let Some(rest) = panic.message.strip_prefix("not yet implemented") {
        let rest = rest.trim_start_matches(':').trim();
        let detail = if rest.is_empty() {
            String::new()
        } else {
            format!(": {rest}")
        };
        return format!("not implemented yet (todo!(){at}){detail}");
    }
    // The library's own place, when the panic was raised there rather than at the student's line.
    let elsewhere = Some(panic.location).filter(|l| !l.is_empty() && own != Some(*l));
    let inside = match (own, panic.operation, elsewhere) {
        (Some(_), Some(operation), Some(place)) => {
            format!(", in {operation} (which gave up at {place})")
        }
        (Some(_), Some(operation), None) => format!(", in {operation}"),
        (Some(_), None, Some(place)) => format!(" (inside {place})"),
        _ => String::new(),
    };
    let context = panic.context.map(|c| format!(" ({c})")).unwrap_or_default();
    format!("panicked{at}{inside}: {}{context}", panic.message)
}

fn fail(message: String, worst: Option<Worst>) -> Verdict {
    Verdict {
        status: Status::Fail,
        message,
        worst,
    }
}

fn error(message: String) -> Verdict {
    Verdict {
        status: Status::Error,
        message,
        worst: None,
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

/// One scenario's evidence, as every rule reads it.
struct Seen<'a> {
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
            format!("the probe reported no `{key}` (scenario {})", self.id()),
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
        meaning: Option<&str>,
    ) -> Result<(), Verdict> {
        let Some(count) = count else { return Ok(()) };
        let (got, expected) = (value.numbers().len(), self.count(count));
        if got == expected {
            return Ok(());
        }
        let said = match meaning {
            Some(template) => template
                .replace("{got}", &got.to_string())
                .replace("{expected}", &expected.to_string()),
            None => format!(
                "`{key}` has {got} value{}, expected {expected} (`{count}`)",
                plural(got)
            ),
        };
        Err(fail(format!("{said} (scenario {})", self.id()), None))
    }
}

/// Whether `rule` holds on one scenario's evidence; the verdict that says why not otherwise.
fn holds(rule: &Expectation, e: &Evidence) -> Result<(), Verdict> {
    let Outcome::Observed { values, printed } = e.submission else {
        unreachable!("judge sets unusable outcomes aside first")
    };
    let seen = Seen {
        scenario: e.scenario,
        values,
        printed,
        reference: e.reference,
    };
    match rule {
        Expectation::Reference(rule) => reference(rule, &seen),
        Expectation::Agree(rule) => agree(rule, &seen),
        Expectation::Aligned(rule) => aligned(rule, &seen),
        Expectation::Decreasing(rule) => decreasing(rule, &seen),
        Expectation::Stdout(rule) => stdout(rule, &seen),
    }
}

/// `reference`: the submission's values equal the reference's, element by element.
fn reference(rule: &ReferenceRule, seen: &Seen) -> Result<(), Verdict> {
    let reference = match seen.reference {
        Some(Outcome::Observed { values, .. }) => values,
        Some(other) => {
            return Err(error(format!(
                "the reference gave no observations on scenario {}: {}",
                seen.id(),
                problem(other).unwrap_or_default()
            )))
        }
        None => {
            return Err(error(format!(
                "no reference observations for scenario {}",
                seen.id()
            )))
        }
    };
    let expected = select(reference, &rule.key);
    if expected.is_empty() {
        return Err(error(format!(
            "the reference reported no `{}` (scenario {})",
            rule.key,
            seen.id()
        )));
    }
    let got: BTreeMap<String, &Value> = select(seen.values, &rule.key).into_iter().collect();
    let tolerance = Tolerance {
        metric: Metric::Close,
        rtol: rule.rtol,
        atol: rule.atol,
    };
    for (name, want) in expected {
        let have = got.get(&name).ok_or_else(|| seen.missing(&name))?;
        seen.counted(
            &name,
            have,
            rule.count.as_ref(),
            rule.count_meaning.as_deref(),
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

/// `agree`: two of the submission's own observations agree, elements marked in `skip` aside.
fn agree(rule: &AgreeRule, seen: &Seen) -> Result<(), Verdict> {
    let skips: BTreeMap<String, &Value> = rule
        .skip
        .as_ref()
        .map(|s| select(seen.values, s).into_iter().collect())
        .unwrap_or_default();
    let pairs = pairs(seen.values, &rule.a, &rule.b).map_err(|key| seen.missing(&key))?;
    let tolerance = Tolerance {
        metric: rule.metric,
        rtol: rule.rtol,
        atol: rule.atol,
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
            meaning: rule.meaning.as_deref(),
        })?;
    }
    Ok(())
}

/// `aligned`: `a` points the way of `b` (a positive dot product). A zero `b` gives no direction
/// to judge by, and a zero `a` did not move at all: neither passes.
fn aligned(rule: &AlignedRule, seen: &Seen) -> Result<(), Verdict> {
    let (mut dot, mut norm_a, mut norm_b, mut compared) = (0.0, 0.0, 0.0, 0);
    for (_, have, direction) in
        pairs(seen.values, &rule.a, &rule.b).map_err(|k| seen.missing(&k))?
    {
        if have.shape() != direction.shape() {
            return Err(shape_mismatch(seen.id(), &rule.a, have, direction));
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
            rule.b,
            if compared == 0 { "empty" } else { "zero" },
            seen.id()
        )));
    }
    if norm_a == 0.0 {
        let what = rule
            .zero
            .clone()
            .unwrap_or_else(|| format!("`{}` is zero: it does not move", rule.a));
        return Err(fail(format!("{what} (scenario {})", seen.id()), None));
    }
    if dot > 0.0 {
        return Ok(());
    }
    let what = rule
        .meaning
        .clone()
        .unwrap_or_else(|| format!("`{}` does not point the way of `{}`", rule.a, rule.b));
    Err(fail(
        format!(
            "{what} (scenario {}: the dot product is {})",
            seen.id(),
            number(dot)
        ),
        None,
    ))
}

/// `decreasing`: the series has the length the scenario asked for, and falls at every step.
fn decreasing(rule: &DecreasingRule, seen: &Seen) -> Result<(), Verdict> {
    let value = seen.get(&rule.key)?;
    let series = value.numbers();
    let what = rule
        .meaning
        .clone()
        .unwrap_or_else(|| format!("`{}`", rule.key));
    seen.counted(
        &rule.key,
        value,
        rule.count.as_ref(),
        rule.count_meaning.as_deref(),
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
    let step = |k: usize| match &rule.step {
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

/// `stdout`: one line per value asked for, each exactly the template rendered for its value.
fn stdout(rule: &StdoutRule, seen: &Seen) -> Result<(), Verdict> {
    let prefix = template_prefix(&rule.template);
    if !seen.printed.stdout_complete {
        return Err(fail(
            format!(
                "printed too much to check the `{prefix}…` lines (scenario {})",
                seen.id()
            ),
            None,
        ));
    }
    let values = seen.get(&rule.key)?.numbers();
    let wanted = match &rule.count {
        Some(count) => seen.count(count),
        None => values.len(),
    };
    let got = printed_lines(&seen.printed.stdout, prefix);
    let prefix = prefix.trim_end();
    if wanted == 0 {
        return Err(fail(
            format!(
                "no `{prefix}…` line was expected, so nothing could be checked (scenario {})",
                seen.id()
            ),
            None,
        ));
    }
    if got.len() != wanted {
        let first_extra = got
            .get(wanted)
            .map(|line| format!("; first extra: `{}`", quoted(line)))
            .unwrap_or_default();
        let per = rule
            .count
            .as_ref()
            .map(|c| format!(", one per `{c}`"))
            .unwrap_or_default();
        return Err(fail(
            format!(
                "printed {} line{} starting with `{prefix}`, expected {wanted}{per}{first_extra} (scenario {})",
                got.len(),
                plural(got.len()),
                seen.id()
            ),
            None,
        ));
    }
    for (i, line) in got.iter().enumerate() {
        let Some(&value) = values.get(i) else {
            return Err(fail(
                format!(
                    "printed line {} is `{}`, but `{}` has only {} value{} to compare it with (scenario {})",
                    i + 1,
                    quoted(line),
                    rule.key,
                    values.len(),
                    plural(values.len()),
                    seen.id()
                ),
                None,
            ));
        };
        let want = render(&rule.template, i + 1, value);
        if *line != want {
            return Err(fail(
                format!(
                    "printed line {} is `{}`, expected `{want}` (scenario {})",
                    i + 1,
                    quoted(line),
                    seen.id()
                ),
                None,
            ));
        }
    }
    Ok(())
}

/// The lines of `stdout` that start (after indentation) like a template's literal `prefix`, with
/// trailing space removed: what a `stdout` rule judges, and what diagnosis compares.
pub fn printed_lines<'s>(stdout: &'s str, prefix: &str) -> Vec<&'s str> {
    let prefix = prefix.trim_start();
    stdout
        .lines()
        .filter(|l| l.trim_start().starts_with(prefix))
        .map(str::trim_end)
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
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

/// How close two numbers must be.
#[derive(Debug, Clone, Copy)]
struct Tolerance {
    metric: Metric,
    rtol: f64,
    atol: f64,
}

impl Tolerance {
    /// How far `got` is from `want`, in units of the tolerance: above 1 is a miss. NaN misses.
    fn badness(&self, got: f64, want: f64) -> f64 {
        if got == want {
            return 0.0;
        }
        let diff = (got - want).abs();
        let badness = match self.metric {
            Metric::Close => diff / (self.atol + self.rtol * want.abs()),
            Metric::Relative if diff <= self.atol => 0.0,
            Metric::Relative => diff / got.abs().max(want.abs()) / self.rtol,
        };
        if badness.is_nan() {
            f64::INFINITY
        } else {
            badness
        }
    }

    fn describe(&self) -> String {
        match self.metric {
            Metric::Close => format!("tolerance {:e} + {:e}·|expected|", self.atol, self.rtol),
            Metric::Relative => format!("relative tolerance {:e}", self.rtol),
        }
    }
}

/// Two observations compared element by element.
struct Comparison<'a> {
    scenario: &'a str,
    /// The name messages give the observation.
    name: &'a str,
    got: &'a Value,
    want: &'a Value,
    tolerance: Tolerance,
    /// Elements where this is non-zero are not compared.
    skip: Option<&'a Value>,
    /// What a difference means, said first.
    meaning: Option<&'a str>,
}

fn shape_mismatch(scenario: &str, name: &str, got: &Value, want: &Value) -> Verdict {
    let what = |v: &Value| match v {
        Value::Text(_) => "text".to_string(),
        Value::Array { shape, .. } => format!("shape {}", shape_text(shape)),
    };
    fail(
        format!(
            "`{name}` has {}, expected {} (scenario {scenario})",
            what(got),
            what(want)
        ),
        None,
    )
}

/// Compares `got` with `want` element by element; the error names the worst element. Nothing
/// compared (empty arrays, text, every element skipped) is a failure, not a pass.
fn compare(c: &Comparison) -> Result<(), Verdict> {
    let (got, want) = (c.got, c.want);
    let text = |v: &Value| matches!(v, Value::Text(_));
    if got.shape() != want.shape() || text(got) != text(want) {
        return Err(shape_mismatch(c.scenario, c.name, got, want));
    }
    let skipped = |i: usize| {
        c.skip
            .is_some_and(|s| s.numbers().get(i).is_some_and(|&v| v != 0.0))
    };
    let mut worst: Option<(usize, f64)> = None;
    let (mut failures, mut compared) = (0, 0);
    for (i, (&a, &b)) in got.numbers().iter().zip(want.numbers()).enumerate() {
        if skipped(i) {
            continue;
        }
        compared += 1;
        let badness = c.tolerance.badness(a, b);
        if badness > 1.0 {
            failures += 1;
            if worst.is_none_or(|(_, w)| badness > w) {
                worst = Some((i, badness));
            }
        }
    }
    if compared == 0 {
        let why = match (want.numbers().len(), c.skip) {
            (0, _) if text(want) => "it is text, not numbers".to_string(),
            (0, _) => "it has no elements".to_string(),
            (n, Some(_)) => format!("all {n} elements were skipped"),
            (_, None) => "it has no elements".to_string(),
        };
        return Err(fail(
            format!(
                "nothing to compare in `{}`: {why} (scenario {})",
                c.name, c.scenario
            ),
            None,
        ));
    }
    let Some((i, _)) = worst else { return Ok(()) };
    let index = unravel(i, got.shape());
    let (a, b) = (got.numbers()[i], want.numbers()[i]);
    let count = got.numbers().len();
    let spread = if count > 1 {
        format!("{failures} of {count} elements differ; worst ")
    } else {
        String::new()
    };
    let lead = c.meaning.map(|m| format!("{m}: ")).unwrap_or_default();
    Err(fail(
        format!(
            "{lead}{spread}`{}{}`: expected {}, got {} ({}; scenario {})",
            c.name,
            index_text(&index),
            number(b),
            number(a),
            c.tolerance.describe(),
            c.scenario
        ),
        Some(Worst {
            scenario: c.scenario.to_string(),
            key: c.name.to_string(),
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

/// `[1, 2]` for an index, nothing for a scalar's.
pub fn index_text(index: &[usize]) -> String {
    if index.is_empty() {
        String::new()
    } else {
        format!("[{}]", join(index))
    }
}

fn shape_text(shape: &[usize]) -> String {
    format!("({})", join(shape))
}

fn join(items: &[usize]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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
    use crate::spec::Arg;
    use std::time::Duration;

    fn array(shape: &[usize], data: &[f64]) -> Value {
        Value::Array {
            shape: shape.to_vec(),
            data: data.to_vec(),
        }
    }

    fn scenario(args: &[(&str, i64)]) -> Scenario {
        Scenario {
            id: "s".into(),
            probe: "p".into(),
            seed: 1,
            fixed_seed: false,
            build: crate::spec::MAIN_BUILD.into(),
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), Arg::Int(*v)))
                .collect(),
            timeout: Duration::from_secs(1),
        }
    }

    fn observed(values: &[(&str, Value)], stdout: &str) -> Outcome {
        Outcome::Observed {
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            printed: Printed {
                stdout: stdout.into(),
                stderr: String::new(),
                stdout_complete: true,
            },
        }
    }

    /// The verdict of one rule, written as in exercise.toml, on one scenario.
    fn verdict(rule: &str, scenario: &Scenario, got: &Outcome, reference: &Outcome) -> Verdict {
        let rule: Expectation = toml::from_str(rule).expect("a rule");
        let check = Check {
            id: "c".into(),
            title: "c".into(),
            points: 1,
            scenarios: vec![scenario.id.clone()],
            expect: vec![rule],
            chart: None,
        };
        judge(
            &check,
            &[Evidence {
                scenario,
                submission: got,
                reference: Some(reference),
            }],
        )
    }

    fn compare_close(got: &Value, want: &Value, skip: Option<&Value>) -> Result<(), Verdict> {
        compare(&Comparison {
            scenario: "s",
            name: "w",
            got,
            want,
            tolerance: Tolerance {
                metric: Metric::Close,
                rtol: 1e-7,
                atol: 1e-9,
            },
            skip,
            meaning: None,
        })
    }

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

    fn panic_at<'a>(message: &'a str, location: &'a str, frames: &'a [String]) -> Panic<'a> {
        Panic {
            message,
            location,
            frames,
            operation: None,
            context: None,
        }
    }

    #[test]
    fn todo_panics_read_as_not_implemented() {
        assert_eq!(
            describe_panic(&panic_at("not yet implemented", "src/backprop.rs:3:9", &[])),
            "not implemented yet (todo!() at src/backprop.rs:3:9)"
        );
        assert!(describe_panic(&panic_at("boom", "", &[])).starts_with("panicked: boom"));
    }

    #[test]
    fn a_panic_inside_a_library_is_located_at_the_students_line_first() {
        let frames = ["src/backprop.rs:8:18".to_string()];
        let panic = Panic {
            message: "ShapeError/IncompatibleShape: incompatible shapes",
            location: "ndarray-0.17.2/src/impl_ops.rs:12:5",
            frames: &frames,
            operation: Some("the element-wise product `*`"),
            context: Some("da (3, 1); inputs (4, 1)"),
        };
        assert_eq!(
            describe_panic(&panic),
            "panicked at src/backprop.rs:8:18, in the element-wise product `*` (which gave up at \
             ndarray-0.17.2/src/impl_ops.rs:12:5): ShapeError/IncompatibleShape: incompatible \
             shapes (da (3, 1); inputs (4, 1))"
        );
    }

    #[test]
    fn comparison_names_the_worst_element() {
        let got = array(&[2, 2], &[1.0, 2.0, 3.0, 5.0]);
        let want = array(&[2, 2], &[1.0, 2.0, 3.0, 4.0]);
        let err = compare_close(&got, &want, None).unwrap_err();
        assert_eq!(err.worst.unwrap().index, vec![1, 1]);
        assert!(compare_close(&want, &want, None).is_ok());
        let nan = array(&[2, 2], &[1.0, 2.0, 3.0, f64::NAN]);
        assert!(
            compare_close(&nan, &want, None).is_err(),
            "NaN never passes"
        );
    }

    #[test]
    fn nothing_compared_is_a_failure() {
        let empty = array(&[0], &[]);
        let err = compare_close(&empty, &empty, None).unwrap_err();
        assert!(err.message.contains("no elements"), "{}", err.message);
        let two = array(&[2], &[1.0, 2.0]);
        let all = array(&[2], &[1.0, 1.0]);
        let err = compare_close(&two, &two, Some(&all)).unwrap_err();
        assert!(
            err.message.contains("all 2 elements were skipped"),
            "{}",
            err.message
        );
        let some = array(&[2], &[1.0, 0.0]);
        assert!(compare_close(&two, &two, Some(&some)).is_ok());
        let text = Value::Text("hello".into());
        assert!(compare_close(&text, &text, None).is_err());
        assert!(compare_close(&array(&[], &[1.0]), &text, None).is_err());
    }

    #[test]
    fn relative_metric_passes_both_zero_and_tiny_absolute_differences() {
        let relative = |got: &Value, want: &Value| {
            compare(&Comparison {
                scenario: "s",
                name: "g",
                got,
                want,
                tolerance: Tolerance {
                    metric: Metric::Relative,
                    rtol: 1e-5,
                    atol: 1e-10,
                },
                skip: None,
                meaning: None,
            })
        };
        let a = array(&[3], &[0.0, 1e-12, 1.0]);
        let b = array(&[3], &[0.0, 2e-12, 1.0 + 1e-9]);
        assert!(relative(&a, &b).is_ok());
        assert!(relative(&array(&[3], &[0.0, 0.0, 1.1]), &b).is_err());
    }

    const DECREASING: &str = r#"rule = "decreasing"
key = "losses"
count = "epochs + 1"
meaning = "the loss"
step = "epoch""#;

    #[test]
    fn decreasing_needs_the_values_the_scenario_asked_for() {
        let s = scenario(&[("epochs", 2)]);
        let none = observed(&[], "");
        let with = |data: &[f64]| observed(&[("losses", array(&[data.len()], data))], "");
        assert_eq!(
            verdict(DECREASING, &s, &with(&[0.7, 0.6, 0.5]), &none).status,
            Status::Pass
        );
        for short in [&[][..], &[0.7], &[0.7, 0.6]] {
            let v = verdict(DECREASING, &s, &with(short), &none);
            assert_eq!(v.status, Status::Fail, "{short:?}");
            assert!(v.message.contains("expected 3"), "{}", v.message);
        }
        let v = verdict(DECREASING, &s, &with(&[0.7, 0.7, 0.5]), &none);
        assert!(
            v.message
                .starts_with("the loss does not fall in epoch 1 of 2: 0.7 stays at 0.7"),
            "{}",
            v.message
        );
        let v = verdict(DECREASING, &s, &with(&[0.7, f64::NAN, 0.5]), &none);
        assert!(v.message.contains("NaN"), "{}", v.message);
        assert_eq!(v.status, Status::Fail);
        let v = verdict(DECREASING, &s, &none, &none);
        assert!(v.message.contains("reported no `losses`"), "{}", v.message);
        let uncounted = r#"rule = "decreasing"
key = "losses""#;
        let v = verdict(uncounted, &s, &with(&[0.7]), &none);
        assert!(v.message.contains("at least two"), "{}", v.message);
    }

    const STDOUT: &str = r#"rule = "stdout"
template = "Loss at epoch {n}: {value:.3}"
key = "losses"
count = "epochs""#;

    #[test]
    fn stdout_expects_one_line_per_epoch_asked() {
        let s = scenario(&[("epochs", 2)]);
        let none = observed(&[], "");
        let with =
            |data: &[f64], out: &str| observed(&[("losses", array(&[data.len()], data))], out);
        let lines = "Loss at epoch 1: 0.700\nLoss at epoch 2: 0.600\n";
        assert_eq!(
            verdict(STDOUT, &s, &with(&[0.7, 0.6], lines), &none).status,
            Status::Pass
        );
        let v = verdict(STDOUT, &s, &with(&[], ""), &none);
        assert!(
            v.message.starts_with(
                "printed 0 lines starting with `Loss at epoch`, expected 2, one per `epochs`"
            ),
            "{}",
            v.message
        );
        let v = verdict(STDOUT, &s, &with(&[], lines), &none);
        assert!(
            v.message.contains("has only 0 values to compare it with"),
            "{}",
            v.message
        );
        let v = verdict(STDOUT, &s, &with(&[0.7, 0.5], lines), &none);
        assert!(
            v.message.contains("expected `Loss at epoch 2: 0.500`"),
            "{}",
            v.message
        );
        let zero = scenario(&[("epochs", 0)]);
        assert_eq!(
            verdict(STDOUT, &zero, &with(&[], ""), &none).status,
            Status::Fail
        );
    }

    #[test]
    fn reference_counts_say_the_exercises_words() {
        let rule = r#"rule = "reference"
key = "losses"
count = "epochs"
count_meaning = "fit returned {got} losses for {expected} epochs""#;
        let s = scenario(&[("epochs", 3)]);
        let reference = observed(&[("losses", array(&[3], &[0.7, 0.6, 0.5]))], "");
        let got = observed(&[("losses", array(&[2], &[0.7, 0.6]))], "");
        let v = verdict(rule, &s, &got, &reference);
        assert_eq!(v.message, "fit returned 2 losses for 3 epochs (scenario s)");
        let empty = observed(&[("losses", array(&[0], &[]))], "");
        let v = verdict(rule, &s, &empty, &reference);
        assert_eq!(v.message, "fit returned 0 losses for 3 epochs (scenario s)");
        assert_eq!(
            verdict(rule, &s, &reference, &reference).status,
            Status::Pass
        );
    }

    #[test]
    fn aligned_says_a_step_of_zero_does_not_move() {
        let rule = r#"rule = "aligned"
a = "step"
b = "gradient"
meaning = "the biases move uphill"
zero = "the biases do not move""#;
        let s = scenario(&[]);
        let none = observed(&[], "");
        let with = |step: &[f64], gradient: &[f64]| {
            observed(
                &[
                    ("step", array(&[2], step)),
                    ("gradient", array(&[2], gradient)),
                ],
                "",
            )
        };
        assert_eq!(
            verdict(rule, &s, &with(&[1.0, 2.0], &[1.0, 1.0]), &none).status,
            Status::Pass
        );
        let v = verdict(rule, &s, &with(&[0.0, 0.0], &[1.0, 1.0]), &none);
        assert_eq!(v.message, "the biases do not move (scenario s)");
        let v = verdict(rule, &s, &with(&[-1.0, -2.0], &[1.0, 1.0]), &none);
        assert!(
            v.message.starts_with("the biases move uphill"),
            "{}",
            v.message
        );
        let v = verdict(rule, &s, &with(&[1.0, 2.0], &[0.0, 0.0]), &none);
        assert_ne!(v.status, Status::Pass, "no direction is no evidence");
        let v = verdict(rule, &s, &with(&[f64::NAN, 1.0], &[1.0, 1.0]), &none);
        assert_ne!(v.status, Status::Pass, "NaN is no step");
    }
}
