//! Just enough JSON to report observations, so that a probe needs no crate beyond the exercise's
//! own and this one.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Observations by key, as a probe reports them: the keys are what `exercise.toml`'s rules name
/// (`key = "d_weights"`, `a = "analytic/*"`), the values numbers or (nested) arrays of numbers.
pub type Observations = BTreeMap<String, Json>;

/// A JSON value. Non-finite numbers travel as the strings `"NaN"`, `"inf"` and `"-inf"`, which
/// the grader reads back as numbers (plain JSON has no such numbers).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// An array: a series, or the rows of a matrix.
    Array(Vec<Json>),
    /// An object, keys in order.
    Object(BTreeMap<String, Json>),
}

impl Json {
    /// An object from a few entries: `Json::object([("error", Json::Str(message))])`.
    pub fn object<const N: usize>(entries: [(&str, Json); N]) -> Json {
        Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// A series of numbers: `Json::numbers(&losses)`.
    pub fn numbers(values: &[f64]) -> Json {
        Json::Array(values.iter().map(|&v| Json::Num(v)).collect())
    }

    /// A matrix, row by row: each row an array of numbers.
    pub fn matrix(rows: impl IntoIterator<Item = Vec<f64>>) -> Json {
        Json::Array(rows.into_iter().map(|row| Json::numbers(&row)).collect())
    }

    /// The value as JSON text, on one line.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        self.write(&mut text);
        text
    }

    /// Appends the value as JSON text to `out`.
    pub(crate) fn write(&self, out: &mut String) {
        match self {
            // Non-finite numbers are not JSON: they travel as strings the grader understands.
            Json::Num(v) if v.is_nan() => out.push_str("\"NaN\""),
            Json::Num(v) if v.is_infinite() => {
                out.push_str(if *v > 0.0 { "\"inf\"" } else { "\"-inf\"" })
            }
            Json::Num(v) => {
                let _ = write!(out, "{v:?}");
            }
            Json::Str(s) => {
                out.push('"');
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => {
                            let _ = write!(out, "\\u{:04x}", c as u32);
                        }
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    Json::Str(key.clone()).write(out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl From<f64> for Json {
    fn from(value: f64) -> Json {
        Json::Num(value)
    }
}

impl From<Vec<f64>> for Json {
    fn from(values: Vec<f64>) -> Json {
        Json::numbers(&values)
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Json {
        Json::Str(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_numbers_and_control_characters_are_written_as_the_grader_reads_them() {
        let value = Json::object([
            (
                "n",
                Json::numbers(&[1.0, f64::NAN, f64::INFINITY, -f64::INFINITY, 0.1]),
            ),
            ("s", Json::Str("a\"b\\c\n".into())),
            ("m", Json::matrix([vec![1.0, 2.0], vec![3.0, 4.0]])),
        ]);
        assert_eq!(
            value.to_text(),
            r#"{"m":[[1.0,2.0],[3.0,4.0]],"n":[1.0,"NaN","inf","-inf",0.1],"s":"a\"b\\c\u000a"}"#
        );
    }

    #[test]
    fn empty_containers_are_written() {
        assert_eq!(Json::numbers(&[]).to_text(), "[]");
        assert_eq!(Json::Object(BTreeMap::new()).to_text(), "{}");
    }
}
