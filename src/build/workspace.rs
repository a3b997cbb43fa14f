//! The folders builds are compiled in. A build is compiled in the same folder each time, so that
//! rustc finds its incremental state of the last compile; what a compile leaves there is also the
//! evidence of how it ended (a file as large as the limit), and a bundle's padding is read back
//! from it.

use crate::cache::{Cache, Held, InCache};
use crate::error::{IoContext, Result};
use crate::stage::Staged;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A folder where one build is compiled, held for the length of a compile. Each build (`main`,
/// each variant) has a few, one per compile running at once: the next compile of that build in
/// the same folder finds rustc's incremental state of the last one (the same paths, most of the
/// same code: the given files, the probe, the untouched functions of the submission), and
/// recompiles only what changed. A student's one-line edit then costs about half a full compile.
pub(crate) struct Workspace {
    dir: PathBuf,
    /// Held (flock) while this process compiles here; released when dropped or if it dies.
    _lock: Held,
}

impl Workspace {
    /// The first folder of `build` no other compile holds, for the dependencies `deps`.
    pub(crate) fn claim(cache: &Cache, deps: &str, build: &str) -> Result<Workspace> {
        let base = cache.dir(&[crate::cache::WORK, deps, build])?;
        for slot in 0.. {
            let dir = base.join(slot.to_string());
            std::fs::create_dir_all(&dir)
                .at(|| format!("creating {}", dir.display()))
                .in_cache(cache)?;
            let path = dir.join("lock");
            let Some(lock) = crate::cache::try_lock_exclusive(&path)
                .at(|| format!("opening {}", path.display()))
                .in_cache(cache)?
            else {
                continue;
            };
            // A prune may have removed the folder between the open and the lock: then the lock
            // is on a file that is gone, and the folder is claimed again.
            if !path.is_file() {
                continue;
            }
            crate::cache::touch(&path);
            return Ok(Workspace { dir, _lock: lock });
        }
        unreachable!("slots are unbounded")
    }

    /// The folder itself, beside the crate: for the compiler's own notes.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn crate_dir(&self) -> PathBuf {
        self.dir.join("crate")
    }

    pub(super) fn incremental(&self) -> PathBuf {
        self.dir.join("incremental")
    }

    /// The compiler's temporary folder (`TMPDIR`): inside the folder it may write to.
    pub(super) fn tmp(&self) -> PathBuf {
        self.dir.join("tmp")
    }

    /// Empties the folder but its lock: rustc's incremental state, whatever a compile left (the
    /// objects of a compile that blew a limit), the crate's files.
    pub(crate) fn wipe(&self) {
        for path in [self.incremental(), self.crate_dir(), self.tmp()] {
            crate::cache::remove(&path);
        }
    }

    /// Writes the staged files (only those that changed) and removes any file not staged.
    pub(crate) fn lay_out(&self, staged: &Staged, cache: &Cache) -> Result<()> {
        let root = self.crate_dir();
        let _ = std::fs::remove_file(root.join("probe"));
        self.remove_unstaged(staged).in_cache(cache)?;
        for (relative, bytes) in &staged.files {
            let path = root.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .at(|| format!("creating {}", parent.display()))
                    .in_cache(cache)?;
            }
            if std::fs::read(&path).is_ok_and(|old| old == *bytes) {
                continue;
            }
            std::fs::write(&path, bytes)
                .at(|| format!("writing {}", path.display()))
                .in_cache(cache)?;
        }
        let tmp = self.tmp();
        std::fs::create_dir_all(&tmp)
            .at(|| format!("creating {}", tmp.display()))
            .in_cache(cache)?;
        Ok(())
    }

    /// Removes the crate's files that are not part of `staged`, so a file of an earlier build
    /// cannot be picked up by this one (`mod` finds files by name).
    fn remove_unstaged(&self, staged: &Staged) -> Result<()> {
        let root = self.crate_dir();
        let files: Vec<PathBuf> = files_under(&root).map(|(path, _)| path).collect();
        for path in files {
            let relative = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy();
            if !staged.files.contains_key(relative.as_ref()) {
                std::fs::remove_file(&path).at(|| format!("removing {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// Whether a file of the folder is at least `limit` bytes long: what a compile stopped by the
    /// file-size limit was writing (rustc, or the linker it ran).
    pub(super) fn has_file_at_least(&self, limit: u64) -> bool {
        files_under(&self.dir).any(|(_, meta)| meta.len() >= limit)
    }

    /// The crate's files under its folder `sub`, by their path in the crate, as the last compile
    /// here left them.
    pub(crate) fn files_of(&self, sub: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.crate_dir();
        files_under(&root.join(sub))
            .filter_map(|(path, _)| {
                let bytes = std::fs::read(&path).ok()?;
                let relative = path.strip_prefix(&root).ok()?;
                Some((relative.to_string_lossy().into_owned(), bytes))
            })
            .collect()
    }
}

/// Every file under `dir` (not the folders), with its metadata; what cannot be read is left out,
/// and symbolic links are not followed: a compile writes only inside the folder.
fn files_under(dir: &Path) -> impl Iterator<Item = (PathBuf, std::fs::Metadata)> {
    let mut folders: Vec<std::fs::ReadDir> = std::fs::read_dir(dir).into_iter().collect();
    std::iter::from_fn(move || loop {
        let entry = match folders.last_mut()?.next() {
            None => {
                folders.pop();
                continue;
            }
            Some(Err(_)) => continue,
            Some(Ok(entry)) => entry,
        };
        match entry.metadata() {
            Ok(meta) if meta.is_dir() => folders.extend(std::fs::read_dir(entry.path())),
            Ok(meta) => return Some((entry.path(), meta)),
            Err(_) => {}
        }
    })
}
