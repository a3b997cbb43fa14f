//! The scenario's parameters, as the grader passes them on the probe's command line.

use std::collections::BTreeMap;
use std::str::FromStr;

/// A scenario's kind and its `key=value` parameters, from the command line
/// (`probe <kind> seed=11 activation=relu sizes=2,6,1 ...`).
///
/// Every getter returns `Err` with a sentence naming the parameter when it is missing or does not
/// parse: the probe returns it, and the grader reports it as a fault of the exercise (exit 2),
/// never as the student's.
#[derive(Debug, Clone)]
pub struct Params {
    /// The scenario's kind: the first argument, `probe = "..."` in exercise.toml.
    pub kind: String,
    /// The `key=value` arguments, by key.
    values: BTreeMap<String, String>,
}

impl Params {
    /// Reads `<kind> key=value ...` (the arguments after the program's name).
    ///
    /// ```
    /// let args = ["layer".to_string(), "seed=11".to_string(), "sizes=2,6,1".to_string()];
    /// let params = harness::Params::from_args(&args).unwrap();
    /// assert_eq!(params.kind, "layer");
    /// assert_eq!(params.get::<u64>("seed"), Ok(11));
    /// assert_eq!(params.list::<usize>("sizes"), Ok(vec![2, 6, 1]));
    /// ```
    pub fn from_args(args: &[String]) -> Result<Params, String> {
        let (kind, rest) = args
            .split_first()
            .ok_or("usage: probe <kind> key=value ...")?;
        let mut values = BTreeMap::new();
        for arg in rest {
            let (key, value) = arg
                .split_once('=')
                .ok_or_else(|| format!("argument `{arg}` is not key=value"))?;
            values.insert(key.to_string(), value.to_string());
        }
        Ok(Params {
            kind: kind.clone(),
            values,
        })
    }

    /// The parameter `key`, parsed; an error when it is missing or does not parse.
    pub fn get<T: FromStr>(&self, key: &str) -> Result<T, String> {
        let text = self
            .values
            .get(key)
            .ok_or_else(|| format!("missing parameter `{key}`"))?;
        text.parse()
            .map_err(|_| format!("parameter `{key}` has a bad value `{text}`"))
    }

    /// The parameter `key`, parsed, or `default` when the scenario does not give it.
    pub fn get_or<T: FromStr>(&self, key: &str, default: T) -> Result<T, String> {
        if self.values.contains_key(key) {
            self.get(key)
        } else {
            Ok(default)
        }
    }

    /// A list parameter (`sizes = [2, 6, 1]` in exercise.toml arrives as `sizes=2,6,1`), each item
    /// parsed.
    pub fn list<T: FromStr>(&self, key: &str) -> Result<Vec<T>, String> {
        let text = self
            .values
            .get(key)
            .ok_or_else(|| format!("missing parameter `{key}`"))?;
        text.split(',')
            .map(|item| {
                item.trim()
                    .parse()
                    .map_err(|_| format!("parameter `{key}` has a bad item `{item}`"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(args: &[&str]) -> Result<Params, String> {
        Params::from_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn missing_and_bad_parameters_are_named() {
        let p = params(&["k", "n=3", "x=abc", "l=1,,2"]).unwrap();
        assert_eq!(p.get::<u32>("n"), Ok(3));
        assert_eq!(p.get::<u32>("m"), Err("missing parameter `m`".into()));
        assert_eq!(
            p.get::<f64>("x"),
            Err("parameter `x` has a bad value `abc`".into())
        );
        assert_eq!(p.get_or("m", 7u32), Ok(7));
        assert!(p.list::<u32>("l").unwrap_err().contains("bad item"));
    }

    #[test]
    fn no_kind_or_no_equals_is_an_error() {
        assert!(params(&[]).is_err());
        assert!(params(&["k", "novalue"])
            .unwrap_err()
            .contains("not key=value"));
    }
}
