//! `grade merge`: the shards of one batch (`grade batch --shard K/N`, each in its own output
//! folder) combined into the output of one batch of the whole folder: one `grades.csv`, one class
//! report, every submission's reports. It refuses shards that do not belong together, that
//! overlap, or that leave part of the folder out, and names the missing ones.

use crate::app::{self, EXIT_ERROR, EXIT_PASSED};
use crate::batch;
use crate::class::{Results, RESULTS_VERSION};
use crate::error::{Error, MergeError, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `grade merge <SHARD_DIR>... --out <DIR>`.
pub struct MergeRequest {
    /// The shards' output folders (or their `results.json` files).
    pub shards: Vec<PathBuf>,
    /// Where the merged output goes.
    pub out: PathBuf,
}

/// Merges the shards into `out`; exit 0 when every submission was graded, 2 otherwise (as the
/// batch of the whole folder would).
pub fn run(request: MergeRequest) -> Result<u8> {
    let started = Instant::now();
    let out = std::path::absolute(&request.out).unwrap_or_else(|_| request.out.clone());
    let mut shards = Vec::new();
    for given in &request.shards {
        let path = results_file(given);
        if path
            .parent()
            .and_then(|p| std::path::absolute(p).ok())
            .as_deref()
            == Some(&out)
        {
            return Err(Error::Usage(crate::tr!(
                "merge-out-is-shard",
                out = request.out.display().to_string()
            )));
        }
        let results = read(&path)?;
        shards.push((path, results));
    }
    let merged = merge(shards)?;
    batch::write_outputs(&request.out, &merged)?;
    app::print(&batch::summary(&merged, &request.out, started.elapsed()));
    Ok(if merged.submissions.iter().all(|s| s.report().is_some()) {
        EXIT_PASSED
    } else {
        EXIT_ERROR
    })
}

/// `results.json` in a shard's folder, or the file itself when given.
fn results_file(given: &Path) -> PathBuf {
    if given.is_dir() {
        given.join("results.json")
    } else {
        given.to_path_buf()
    }
}

fn read(path: &Path) -> Result<Results> {
    let unreadable = |message: String| MergeError::Unreadable {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| unreadable(crate::tr!("merge-not-json", error = e.to_string())))?;
    if value.get("version").and_then(|v| v.as_u64()) != Some(u64::from(RESULTS_VERSION)) {
        return Err(unreadable(crate::tr!(
            "merge-other-version",
            version = RESULTS_VERSION.to_string()
        ))
        .into());
    }
    serde_json::from_value(value)
        .map_err(|e| unreadable(crate::tr!("merge-not-results", error = e.to_string())).into())
}

/// The shards as one batch of the whole folder, submissions sorted by name.
pub fn merge(shards: Vec<(PathBuf, Results)>) -> Result<Results, MergeError> {
    let Some((first_path, first)) = shards.first() else {
        return Err(MergeError::Missing {
            missing: Vec::new(),
            count: 0,
        });
    };
    let Some(count) = first.shard.map(|s| s.count) else {
        return Err(MergeError::NotAShard {
            path: first_path.clone(),
        });
    };
    let mut by_index: BTreeMap<usize, &PathBuf> = BTreeMap::new();
    let mut graded_by: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, results) in &shards {
        let shard = results
            .shard
            .ok_or_else(|| MergeError::NotAShard { path: path.clone() })?;
        if let Some(what) = differs(first, results) {
            return Err(MergeError::Mismatch {
                first: first_path.clone(),
                second: path.clone(),
                what,
            });
        }
        if let Some(earlier) = by_index.insert(shard.index, path) {
            return Err(MergeError::DuplicateShard {
                shard: shard.index + 1,
                first: earlier.clone(),
                second: path.clone(),
            });
        }
        for s in &results.submissions {
            if let Some(other) = graded_by.insert(&s.name, shard.index) {
                return Err(MergeError::Overlap {
                    name: s.name.clone(),
                    first: other + 1,
                    second: shard.index + 1,
                });
            }
        }
    }
    let missing: Vec<usize> = (0..count)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| i + 1)
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing, count });
    }
    if graded_by.len() != first.folder.entries {
        return Err(MergeError::Incomplete {
            merged: graded_by.len(),
            expected: first.folder.entries,
        });
    }
    let mut merged = first.clone();
    merged.shard = None;
    merged.submissions = shards
        .into_iter()
        .flat_map(|(_, r)| r.submissions)
        .collect();
    merged.submissions.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(merged)
}

/// How `b` is not a shard of the batch `a` is one of, in words; `None` when it is.
fn differs(a: &Results, b: &Results) -> Option<String> {
    let (sa, sb) = (a.shard?, b.shard?);
    if a.exercise != b.exercise {
        Some(crate::tr!(
            "merge-differ-exercise",
            a = &a.exercise,
            b = &b.exercise
        ))
    } else if a.checks != b.checks || a.mistakes != b.mistakes {
        Some(crate::tr!("merge-differ-version"))
    } else if a.seed != b.seed {
        Some(crate::tr!("merge-differ-seed"))
    } else if sa.count != sb.count {
        Some(crate::tr!(
            "merge-differ-count",
            a = sa.count.to_string(),
            b = sb.count.to_string()
        ))
    } else if a.folder != b.folder {
        Some(crate::tr!(
            "merge-differ-folder",
            a = a.folder.entries.to_string(),
            b = b.folder.entries.to_string()
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{tests::class, Shard};

    /// The sample class split in two, the second shard given first.
    fn shards() -> Vec<(PathBuf, Results)> {
        let whole = class();
        let mut one = whole.clone();
        let mut two = whole.clone();
        one.shard = Some(Shard { index: 0, count: 2 });
        two.shard = Some(Shard { index: 1, count: 2 });
        one.submissions.truncate(1);
        two.submissions.drain(..1);
        vec![("b".into(), two), ("a".into(), one)]
    }

    #[test]
    fn shards_merge_into_the_whole_batch() {
        let merged = merge(shards()).unwrap();
        assert_eq!(merged, class());
    }

    #[test]
    fn overlaps_duplicates_mismatches_and_missing_shards_are_refused() {
        let mut s = shards();
        s.pop();
        let missing = merge(s).unwrap_err().to_string();
        assert_eq!(missing, "missing shard 1 of 2: grade it and merge again");

        let mut s = shards();
        let name = s[0].1.submissions[0].clone();
        s[1].1.submissions.push(name);
        assert!(matches!(
            merge(s),
            Err(MergeError::Overlap {
                first: 2,
                second: 1,
                ..
            })
        ));

        let mut s = shards();
        s[1].1.shard = Some(Shard { index: 1, count: 2 });
        assert!(matches!(
            merge(s),
            Err(MergeError::DuplicateShard { shard: 2, .. })
        ));

        let mut s = shards();
        s[1].1.seed = Some(4);
        let e = merge(s).unwrap_err().to_string();
        assert!(e.contains("different seeds") && !e.contains('4'), "{e}");

        let mut s = shards();
        s[1].1.folder.fingerprint = "other".into();
        assert!(merge(s)
            .unwrap_err()
            .to_string()
            .contains("different folders"));

        let mut s = shards();
        s[1].1.shard = None;
        assert!(matches!(merge(s), Err(MergeError::NotAShard { .. })));

        let mut s = shards();
        s[1].1.submissions.pop();
        s[1].1.folder.entries = 4;
        s[0].1.folder.entries = 4;
        assert!(matches!(
            merge(s),
            Err(MergeError::Incomplete {
                merged: 3,
                expected: 4
            })
        ));
    }
}
