//! `stdout`: the printed lines that start like a template are exactly the template rendered for
//! each value, one line per value the scenario asked for (`count`), in order.

use super::{Count, Rule, Seen};
use crate::judge::{fail, Verdict};
use crate::probe::Printed;
use serde::Deserialize;

/// The `stdout` self.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StdoutRule {
    pub template: String,
    pub key: String,
    /// How many lines must be printed (e.g. `"epochs"`); one per element of `key`, and at least
    /// one, when absent.
    pub count: Option<Count>,
}

impl Rule for StdoutRule {
    fn keys(&self) -> Vec<&str> {
        vec![&self.key]
    }

    fn count(&self) -> Option<&Count> {
        self.count.as_ref()
    }

    fn problem(&self) -> Option<String> {
        template_prefix(&self.template)
            .is_empty()
            .then(|| crate::tr!("spec-stdout-template"))
    }

    fn printed_alike(&self, a: &Printed, b: &Printed) -> bool {
        let prefix = template_prefix(&self.template);
        printed_lines(&a.stdout, prefix) == printed_lines(&b.stdout, prefix)
    }

    /// `stdout`: one line per value asked for, each exactly the template rendered for its value.
    fn holds(&self, seen: &Seen) -> Result<(), Verdict> {
        let prefix = template_prefix(&self.template);
        if !seen.printed.stdout_complete {
            return Err(fail(
                crate::tr!(
                    "judge-printed-too-much",
                    prefix = prefix,
                    scenario = seen.id()
                ),
                None,
            ));
        }
        let values = seen.get(&self.key)?.numbers();
        let wanted = match &self.count {
            Some(count) => seen.count(count),
            None => values.len(),
        };
        let got = printed_lines(&seen.printed.stdout, prefix);
        let prefix = prefix.trim_end();
        if wanted == 0 {
            return Err(fail(
                crate::tr!(
                    "judge-no-line-expected",
                    prefix = prefix,
                    scenario = seen.id()
                ),
                None,
            ));
        }
        if got.len() != wanted {
            return Err(self.wrong_count(&got, wanted, prefix, seen.id()));
        }
        for (i, line) in got.iter().enumerate() {
            let Some(&value) = values.get(i) else {
                return Err(fail(
                    crate::tr!(
                        "judge-line-without-value",
                        n = i + 1,
                        line = quoted(line),
                        key = &self.key,
                        count = values.len(),
                        scenario = seen.id()
                    ),
                    None,
                ));
            };
            let want = render(&self.template, i + 1, value);
            if *line != want {
                return Err(fail(
                    crate::tr!(
                        "judge-wrong-line",
                        n = i + 1,
                        line = quoted(line),
                        want = want,
                        scenario = seen.id()
                    ),
                    None,
                ));
            }
        }
        Ok(())
    }
}

impl StdoutRule {
    /// `got` has not the `wanted` lines starting with `prefix`.
    fn wrong_count(&self, got: &[&str], wanted: usize, prefix: &str, scenario: &str) -> Verdict {
        let first_extra = got
            .get(wanted)
            .map(|line| crate::tr!("judge-first-extra", line = quoted(line)))
            .unwrap_or_default();
        let per = self
            .count
            .as_ref()
            .map(|c| crate::tr!("judge-one-per", count = c.to_string()))
            .unwrap_or_default();
        fail(
            crate::tr!(
                "judge-wrong-line-count",
                count = got.len(),
                prefix = prefix,
                wanted = wanted,
                per = per,
                extra = first_extra,
                scenario = scenario
            ),
            None,
        )
    }
}

/// The literal text before a template's first placeholder.
pub fn template_prefix(template: &str) -> &str {
    &template[..template.find('{').unwrap_or(template.len())]
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

/// A printed line as a message quotes it: a line can be as long as the output cap, a message not.
pub(super) fn quoted(line: &str) -> String {
    crate::text::clip(line, 200)
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
