//! Shards: a submissions folder split into N shares for the job engines courses already run
//! (Slurm job arrays, Kubernetes Indexed Jobs, a GitHub Actions matrix), each graded by its own
//! `grade batch --shard`. Which share is whose depends only on the folder's names and sizes, so
//! every shard of every re-run computes the same split without talking to the others.
//!
//! How K is numbered follows each engine's own convention:
//!
//! | `--shard`      | K comes from                                    | first shard |
//! | -------------- | ----------------------------------------------- | ----------- |
//! | `K/N`          | the argument                                    | 1           |
//! | `env:VAR/N`    | the variable `VAR` (e.g. a GitHub matrix value) | 1           |
//! | `slurm/N`      | `SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN`    | any (`--array=0-2` or `1-3`) |
//! | `k8s/N`        | `JOB_COMPLETION_INDEX`                          | 0           |

use crate::class::Shard;
use crate::error::{Error, Result};
use std::fmt;

/// What a submission weighs beside its bytes: compiling and running it costs about as much as a
/// typical submission's size (a few KiB) does, so a folder of one huge file and many small ones
/// still splits into shares of similar counts.
const PER_SUBMISSION: u64 = 4096;

/// `--shard`, as given: where K comes from, and N.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardSpec {
    /// Where the shard's index comes from.
    pub index: IndexFrom,
    /// How many shards.
    pub count: usize,
}

/// Where a shard's index comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexFrom {
    /// Given on the command line, from 1.
    Given(usize),
    /// A variable holding the index from 1, e.g. a GitHub Actions matrix value.
    Variable(String),
    /// A Slurm job array: `SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`.
    Slurm,
    /// A Kubernetes Indexed Job: `JOB_COMPLETION_INDEX`, from 0.
    Kubernetes,
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.index {
            IndexFrom::Given(k) => write!(f, "{k}/{}", self.count),
            IndexFrom::Variable(var) => write!(f, "env:{var}/{}", self.count),
            IndexFrom::Slurm => write!(f, "slurm/{}", self.count),
            IndexFrom::Kubernetes => write!(f, "k8s/{}", self.count),
        }
    }
}

/// Parses `K/N`, `slurm/N`, `k8s/N` or `env:VAR/N` (clap's value parser: the message is shown
/// after "invalid value … for --shard").
pub fn parse(text: &str) -> Result<ShardSpec, String> {
    let usage = crate::tr!("shard-usage");
    let (index, count) = text.rsplit_once('/').ok_or_else(|| usage.clone())?;
    let count: usize = count
        .trim()
        .parse()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| crate::tr!("shard-bad-count", count = count, usage = &usage))?;
    let index = match index.trim() {
        "slurm" => IndexFrom::Slurm,
        "k8s" | "kubernetes" => IndexFrom::Kubernetes,
        other => match other.strip_prefix("env:") {
            Some("") => return Err(crate::tr!("shard-env-no-name", usage = &usage)),
            Some(var) => IndexFrom::Variable(var.to_string()),
            None => {
                let k: usize = other
                    .parse()
                    .map_err(|_| crate::tr!("shard-bad-number", value = other, usage = &usage))?;
                if k == 0 || k > count {
                    return Err(crate::tr!(
                        "shard-out-of-range",
                        k = k.to_string(),
                        count = count.to_string()
                    ));
                }
                IndexFrom::Given(k)
            }
        },
    };
    Ok(ShardSpec { index, count })
}

impl ShardSpec {
    /// The shard this process grades, its index read from `var` (the environment) when the spec
    /// says so.
    pub fn resolve(&self, var: &dyn Fn(&str) -> Option<String>) -> Result<Shard> {
        let fail = |message: String| Error::Shard {
            spec: self.to_string(),
            message,
        };
        let number = |name: &str| -> Result<i64> {
            let value = var(name).ok_or_else(|| fail(not_set(name, &self.index)))?;
            value.trim().parse().map_err(|_| {
                fail(crate::tr!(
                    "shard-not-whole",
                    name = name,
                    value = format!("{value:?}")
                ))
            })
        };
        let index: i64 = match &self.index {
            IndexFrom::Given(k) => *k as i64 - 1,
            IndexFrom::Variable(name) => number(name)? - 1,
            IndexFrom::Kubernetes => number("JOB_COMPLETION_INDEX")?,
            IndexFrom::Slurm => {
                if let Some(step) = var("SLURM_ARRAY_TASK_STEP").filter(|s| s.trim() != "1") {
                    return Err(fail(crate::tr!(
                        "shard-slurm-step",
                        step = step,
                        last = (self.count - 1).to_string()
                    )));
                }
                if let Some(total) = var("SLURM_ARRAY_TASK_COUNT") {
                    if total.trim() != self.count.to_string() {
                        return Err(fail(crate::tr!(
                            "shard-slurm-count",
                            total = total,
                            count = self.count.to_string()
                        )));
                    }
                }
                let min = if var("SLURM_ARRAY_TASK_MIN").is_some() {
                    number("SLURM_ARRAY_TASK_MIN")?
                } else {
                    0
                };
                number("SLURM_ARRAY_TASK_ID")? - min
            }
        };
        let count = self.count as i64;
        if !(0..count).contains(&index) {
            let first = match self.index {
                IndexFrom::Kubernetes | IndexFrom::Slurm => 0,
                _ => 1,
            };
            return Err(fail(crate::tr!(
                "shard-index-range",
                index = (index + first).to_string(),
                first = first.to_string(),
                last = (count - 1 + first).to_string()
            )));
        }
        Ok(Shard {
            index: index as usize,
            count: self.count,
        })
    }
}

/// The variable `name` is missing, and where it would come from.
fn not_set(name: &str, index: &IndexFrom) -> String {
    match index {
        IndexFrom::Slurm => crate::tr!("shard-not-set-slurm", name = name),
        IndexFrom::Kubernetes => crate::tr!("shard-not-set-k8s", name = name),
        _ => crate::tr!("shard-not-set", name = name),
    }
}

/// Which shard each submission (name, bytes) goes to: the heaviest first (then by name), each to
/// the shard that weighs least so far (then the lowest index). The same folder always splits the
/// same way, whatever order its entries are listed in.
pub fn assign(entries: &[(&str, u64)], count: usize) -> Vec<usize> {
    let count = count.max(1);
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        entries[b]
            .1
            .cmp(&entries[a].1)
            .then_with(|| entries[a].0.cmp(entries[b].0))
    });
    let mut load = vec![0u64; count];
    let mut shard_of = vec![0; entries.len()];
    for i in order {
        let lightest = (0..count).min_by_key(|&s| (load[s], s)).unwrap_or(0);
        load[lightest] += entries[i].1 + PER_SUBMISSION;
        shard_of[i] = lightest;
    }
    shard_of
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn specs_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!(parse("2/3").unwrap().index, IndexFrom::Given(2));
        assert_eq!(parse("slurm/4").unwrap().index, IndexFrom::Slurm);
        assert_eq!(parse("k8s/4").unwrap().count, 4);
        assert_eq!(
            parse("env:SHARD/3").unwrap().index,
            IndexFrom::Variable("SHARD".into())
        );
        for bad in ["", "3", "0/3", "4/3", "1/0", "x/3", "1/x", "env:/3", "-1/3"] {
            let message = parse(bad).unwrap_err();
            assert!(
                message.contains("K/N") || message.contains("from 1"),
                "{bad}: {message}"
            );
        }
    }

    #[test]
    fn each_engine_counts_from_its_own_first_index() {
        let resolve =
            |spec: &str, pairs: &[(&str, &str)]| parse(spec).unwrap().resolve(&env(pairs));
        assert_eq!(resolve("1/3", &[]).unwrap().index, 0);
        assert_eq!(resolve("env:M/3", &[("M", "3")]).unwrap().index, 2);
        assert_eq!(
            resolve("k8s/3", &[("JOB_COMPLETION_INDEX", "0")])
                .unwrap()
                .index,
            0
        );
        let slurm = |id, min| {
            resolve(
                "slurm/3",
                &[
                    ("SLURM_ARRAY_TASK_ID", id),
                    ("SLURM_ARRAY_TASK_MIN", min),
                    ("SLURM_ARRAY_TASK_COUNT", "3"),
                ],
            )
        };
        assert_eq!(slurm("1", "1").unwrap().index, 0);
        assert_eq!(slurm("2", "0").unwrap().index, 2);
        assert!(slurm("3", "0")
            .unwrap_err()
            .to_string()
            .contains("from 0 to 2"));
        let missing = resolve("k8s/3", &[]).unwrap_err().to_string();
        assert!(
            missing.contains("JOB_COMPLETION_INDEX is not set"),
            "{missing}"
        );
        let bad = resolve("env:M/3", &[("M", "two")]).unwrap_err().to_string();
        assert!(bad.contains("not a whole number"), "{bad}");
        assert!(resolve("env:M/3", &[("M", "0")]).is_err());
        let count = resolve(
            "slurm/3",
            &[
                ("SLURM_ARRAY_TASK_ID", "0"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
            ],
        );
        assert!(count.unwrap_err().to_string().contains("4 tasks"));
    }

    #[test]
    fn the_split_is_balanced_by_size_and_does_not_depend_on_listing_order() {
        let entries = [
            ("a", 9000),
            ("b", 100),
            ("c", 100),
            ("d", 100),
            ("e", 5000),
            ("f", 100),
        ];
        let shards = assign(&entries, 2);
        let load = |s: usize| -> u64 {
            entries
                .iter()
                .zip(&shards)
                .filter(|(_, &x)| x == s)
                .map(|(e, _)| e.1 + PER_SUBMISSION)
                .sum()
        };
        assert_eq!(shards[0], 0, "the heaviest goes first, to shard 0");
        assert!(
            load(0).abs_diff(load(1)) <= 9000 + PER_SUBMISSION,
            "{shards:?}"
        );
        let mut reversed = entries;
        reversed.reverse();
        let mut again = assign(&reversed, 2);
        again.reverse();
        assert_eq!(shards, again);
        // More shards than submissions: some are empty; none gets two.
        let few = assign(&entries[..2], 5);
        assert_eq!(few, [0, 1]);
        assert!(assign(&[], 3).is_empty());
    }
}
