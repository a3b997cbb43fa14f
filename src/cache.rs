//! The cache folder: built dependencies, built probes and the trusted builds' observations, each
//! under a key that is a hash of everything it was made from. Entries are written to a temporary
//! name and renamed into place, so concurrent graders share the cache without locks and never read
//! half an entry.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The cache's folders: the dependencies built by cargo, each build's working folder (its sources
/// and rustc's incremental state), the builds' records and binaries, the trusted builds'
/// observations, and temporary folders (probe runs' scratch space among them).
pub const DEPS: &str = "deps";
pub const WORK: &str = "work";
pub const BUILDS: &str = "builds";
pub const OUTCOMES: &str = "outcomes";
const TMP: &str = "tmp";

/// The cache root.
#[derive(Debug, Clone)]
pub struct Cache {
    /// The folder everything lives under.
    pub root: PathBuf,
}

impl Cache {
    /// `explicit`, else `$GRADE_CACHE_DIR`, else `$XDG_CACHE_HOME/grade`, else `~/.cache/grade`.
    pub fn locate(explicit: Option<&Path>) -> Result<Cache> {
        let root = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("GRADE_CACHE_DIR").map(PathBuf::from))
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("grade")))
            .or_else(|| {
                std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache").join("grade"))
            })
            .unwrap_or_else(|| std::env::temp_dir().join("grade-cache"));
        std::fs::create_dir_all(&root)
            .map_err(|e| Error::io(format!("creating the cache folder {}", root.display()), e))?;
        let root = root
            .canonicalize()
            .map_err(|e| Error::io(format!("opening the cache folder {}", root.display()), e))?;
        Ok(Cache { root })
    }

    /// A folder of the cache, created if needed.
    pub fn dir(&self, parts: &[&str]) -> Result<PathBuf> {
        let dir = parts.iter().fold(self.root.clone(), |d, p| d.join(p));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        Ok(dir)
    }

    /// A fresh temporary folder inside the cache (same file system, so renames out of it are atomic).
    pub fn scratch(&self, prefix: &str) -> Result<tempfile::TempDir> {
        let tmp = self.dir(&[TMP])?;
        tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(&tmp)
            .map_err(|e| Error::io(format!("creating a folder in {}", tmp.display()), e))
    }

    /// The folders a probe run must not see: other builds' sources and binaries (the reference's
    /// among them) and the trusted builds' observations. Not the dependencies, which hold nothing
    /// of anyone's, nor the scratch folders, one of which is the run's own.
    pub fn private_folders(&self) -> Vec<PathBuf> {
        [WORK, BUILDS, OUTCOMES]
            .iter()
            .map(|name| self.root.join(name))
            .collect()
    }
}

/// Writes `bytes` to `path` atomically: a reader sees the old file, or the whole new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| Error::io(format!("writing in {}", dir.display()), e))?;
    std::io::Write::write_all(&mut file, bytes)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    // A temporary file is private; what it becomes (expected.json, cache entries) is not.
    use std::os::unix::fs::PermissionsExt;
    let _ = file
        .as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o644));
    file.persist(path)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e.error))?;
    Ok(())
}

/// A running hash of the things a cache entry depends on.
#[derive(Default)]
pub struct Key(Sha256);

impl Key {
    pub fn new(kind: &str) -> Key {
        let mut key = Key::default();
        key.add(kind.as_bytes());
        key
    }

    /// Adds a length-prefixed part, so ("ab", "c") and ("a", "bc") differ.
    pub fn add(&mut self, part: &[u8]) -> &mut Key {
        self.0.update((part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    pub fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
