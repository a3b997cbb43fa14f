//! Compiles remembered: a build's result is recorded under a hash of everything that decides what
//! rustc makes of it, so the same code is never compiled twice. A record is trusted only once its
//! binary is checked against the digest it was written with; a damaged one is discarded and the
//! build compiled again.

use super::invoke::{BUILD_FILE_SIZE, BUILD_MEMORY_MIB, RUSTC_FLAGS};
use super::{Binary, Built, Compiler, Rejection, Workspace};
use crate::cache::{Digest, Held, InCache, Key, BUILDS};
use crate::error::{Error, IoContext, Result};
use crate::stage::Staged;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A build's record in the cache, `builds/<key>/build.json` (sealed): the binary's path relative
/// to the cache, so that a cache can be moved.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    key: String,
    #[serde(flatten)]
    result: RecordResult,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "compiled", rename_all = "snake_case")]
enum RecordResult {
    Binary {
        path: PathBuf,
        unit: Option<String>,
        digest: Digest,
    },
    Rejected {
        rejection: Rejection,
    },
}

impl Compiler {
    /// The cache key of a compile of `staged`: everything that decides what rustc makes of it.
    pub(crate) fn key(&self, staged: &Staged) -> String {
        // A bundled build records under the same key as alone: bundling must never change a
        // result.
        let mut key = Key::new("build-v4");
        key.add(self.toolchain.version.as_bytes())
            .add(self.deps.fingerprint.as_bytes())
            .add(&BUILD_MEMORY_MIB.to_le_bytes())
            .add(&BUILD_FILE_SIZE.to_le_bytes());
        for flag in RUSTC_FLAGS {
            key.add(flag.as_bytes());
        }
        for (path, bytes) in &staged.files {
            key.add(path.as_bytes()).add(bytes);
        }
        key.finish()
    }

    /// The recorded result of the compile `key`, if its record is whole and its binary is what
    /// was built; a damaged entry is discarded (and compiled again by the caller).
    pub(crate) fn cached(&self, key: &str) -> Option<Built> {
        let path = self.record_path(key);
        let record: Record = self.cache.read_entry(&path)?;
        let built = match record.result {
            RecordResult::Rejected { rejection } => Built {
                key: record.key,
                result: Err(rejection),
                _in_use: None,
            },
            RecordResult::Binary {
                path: binary,
                unit,
                digest,
            } => {
                let binary = self.cache.root.join(binary);
                let lock = self.verified(&path, &binary, &digest)?;
                Built {
                    key: record.key,
                    result: Ok(Binary {
                        path: binary,
                        unit,
                        digest,
                    }),
                    _in_use: Some(Arc::new(lock)),
                }
            }
        };
        crate::cache::touch(&path);
        Some(built)
    }

    /// The recorded `binary`, held for this grader, if it is what was built (checked once per
    /// process); else its record at `record` is discarded and the binary removed.
    fn verified(&self, record: &Path, binary: &Path, digest: &Digest) -> Option<Held> {
        // Held before it is checked, so that no prune removes what was checked.
        let lock = crate::cache::lock_file_shared(binary);
        let checked = self.checked.lock().expect("not poisoned").contains(binary);
        let damage = match (&lock, checked) {
            (None, _) => Some("its binary is missing".to_string()),
            (Some(_), true) => None,
            (Some(_), false) => digest
                .check(binary)
                .err()
                .map(|damage| format!("its binary: {damage}")),
        };
        if let Some(why) = damage {
            drop(lock);
            self.cache.discard(record, &why);
            if binary.exists() {
                crate::cache::remove(binary);
            }
            return None;
        }
        self.checked
            .lock()
            .expect("not poisoned")
            .insert(binary.to_path_buf());
        lock
    }

    /// Records `built` under its key, for the next compile of the same inputs.
    pub(crate) fn record(&self, built: &Built) -> Result<()> {
        let result = match &built.result {
            Ok(binary) => RecordResult::Binary {
                path: binary
                    .path
                    .strip_prefix(&self.cache.root)
                    .unwrap_or(&binary.path)
                    .to_path_buf(),
                unit: binary.unit.clone(),
                digest: binary.digest.clone(),
            },
            Err(rejection) => RecordResult::Rejected {
                rejection: rejection.clone(),
            },
        };
        let record = Record {
            key: built.key.clone(),
            result,
        };
        crate::cache::write_sealed(
            &self.record_path(&built.key),
            serde_json::to_string(&record)
                .expect("serialises")
                .as_bytes(),
        )
    }

    fn record_path(&self, key: &str) -> PathBuf {
        self.cache.root.join(BUILDS).join(key).join("build.json")
    }

    /// Moves the binary rustc just made in `workspace` to the cache, under `key`, named by its
    /// content; returns where, its digest, and a lock that keeps it from the prune while it runs.
    pub(crate) fn keep_binary(
        &self,
        workspace: &Workspace,
        key: &str,
    ) -> Result<((PathBuf, Digest), Arc<Held>)> {
        let binary = workspace.crate_dir().join("probe");
        let digest = Digest::of_file(&binary)
            .at(|| format!("reading {}", binary.display()))
            .in_cache(&self.cache)?;
        // Locked before it moves: the lock follows the file.
        let lock = crate::cache::lock_file_shared(&binary).ok_or_else(|| Error::DamagedCache {
            what: format!("{} vanished", binary.display()),
        })?;
        let dir = self.cache.root.join(BUILDS).join(key);
        std::fs::create_dir_all(&dir)
            .at(|| format!("creating {}", dir.display()))
            .in_cache(&self.cache)?;
        let target = dir.join(format!("probe-{}", digest.short()));
        std::fs::rename(&binary, &target)
            .at(|| format!("moving {}", target.display()))
            .in_cache(&self.cache)?;
        self.checked
            .lock()
            .expect("not poisoned")
            .insert(target.clone());
        Ok(((target, digest), Arc::new(lock)))
    }
}
