//! Comparing two observations element by element, within a tolerance: the one place a number is
//! found close enough or not, and the worst element named when not.

use super::Metric;
use crate::judge::{fail, index_text, number, Verdict, Worst};
use crate::probe::Value;

/// How close two numbers must be.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tolerance {
    pub(super) metric: Metric,
    pub(super) rtol: f64,
    pub(super) atol: f64,
}

impl Tolerance {
    /// How far `got` is from `want`, in units of the tolerance: above 1 is a miss. NaN misses.
    pub(super) fn badness(&self, got: f64, want: f64) -> f64 {
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

    pub(super) fn describe(&self) -> String {
        match self.metric {
            Metric::Close => crate::tr!(
                "judge-tolerance-close",
                atol = format!("{:e}", self.atol),
                rtol = format!("{:e}", self.rtol)
            ),
            Metric::Relative => {
                crate::tr!(
                    "judge-tolerance-relative",
                    rtol = format!("{:e}", self.rtol)
                )
            }
        }
    }
}

/// Two observations compared element by element.
pub(super) struct Comparison<'a> {
    pub(super) scenario: &'a str,
    /// The name messages give the observation.
    pub(super) name: &'a str,
    pub(super) got: &'a Value,
    pub(super) want: &'a Value,
    pub(super) tolerance: Tolerance,
    /// Elements where this is non-zero are not compared.
    pub(super) skip: Option<&'a Value>,
    /// What a difference means, said first.
    pub(super) meaning: Option<&'a crate::bilingual::Text>,
}

pub(super) fn shape_mismatch(scenario: &str, name: &str, got: &Value, want: &Value) -> Verdict {
    let what = |v: &Value| match v {
        Value::Text(_) => crate::tr!("judge-text"),
        Value::Array { shape, .. } => crate::tr!("judge-shape", shape = shape_text(shape)),
    };
    fail(
        crate::tr!(
            "judge-shape-mismatch",
            name = name,
            got = what(got),
            want = what(want),
            scenario = scenario
        ),
        None,
    )
}

/// Compares `got` with `want` element by element; the error names the worst element. Nothing
/// compared (empty arrays, text, every element skipped) is a failure, not a pass.
pub(super) fn compare(c: &Comparison) -> Result<(), Verdict> {
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
    let (mut failures, mut compared) = (0usize, 0usize);
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
            (0, _) if text(want) => crate::tr!("judge-why-text"),
            (0, _) => crate::tr!("judge-why-empty"),
            (n, Some(_)) => crate::tr!("judge-why-skipped", count = n),
            (_, None) => crate::tr!("judge-why-empty"),
        };
        return Err(fail(
            crate::tr!(
                "judge-nothing-to-compare",
                name = c.name,
                why = why,
                scenario = c.scenario
            ),
            None,
        ));
    }
    let Some((i, _)) = worst else { return Ok(()) };
    let index = unravel(i, got.shape());
    let (a, b) = (got.numbers()[i], want.numbers()[i]);
    let message = difference(c, &index, (a, b), failures);
    Err(fail(
        message,
        Some(Worst {
            scenario: c.scenario.to_string(),
            key: c.name.to_string(),
            index,
            expected: b,
            got: a,
        }),
    ))
}

/// "3 of 12 elements differ; worst `d_weights[1, 2]`: expected …, got …", after the meaning when
/// the rule gives one; `(a, b)` is the worst element got and expected.
fn difference(c: &Comparison, index: &[usize], (a, b): (f64, f64), failures: usize) -> String {
    let count = c.got.numbers().len();
    let worst = crate::tr!(
        "judge-worst",
        element = format!("{}{}", c.name, index_text(index)),
        expected = number(b),
        got = number(a),
        tolerance = c.tolerance.describe(),
        scenario = c.scenario
    );
    let detail = if count > 1 {
        crate::tr!(
            "judge-elements-differ",
            count = failures,
            total = count,
            worst = worst
        )
    } else {
        worst
    };
    match c.meaning {
        Some(meaning) => crate::tr!(
            "judge-with-meaning",
            meaning = meaning.get(),
            detail = detail
        ),
        None => detail,
    }
}

pub(super) fn unravel(mut i: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (slot, &extent) in index.iter_mut().zip(shape).rev() {
        if extent > 0 {
            *slot = i % extent;
            i /= extent;
        }
    }
    index
}

pub(super) fn shape_text(shape: &[usize]) -> String {
    format!("({})", crate::judge::join(shape))
}
