//! The cache folder: built dependencies, each build's working folder, built probes and the trusted
//! builds' observations, each under a key that is a hash of everything it was made from.
//!
//! The cache owns three promises:
//!
//! - **Nothing half-written is ever read.** Entries are written to a temporary name and renamed
//!   into place, so concurrent graders share the cache without locks on reads; a binary's name
//!   holds its hash, so two graders that make the same build never overwrite each other's file.
//! - **Nothing damaged is trusted.** Every entry is verified when read: records and observations
//!   are sealed (`write_sealed`) with their length and SHA-256, binaries and built dependencies
//!   checked against the [`Digest`] recorded when they were written. A damaged or partial entry (a
//!   crash between creating and writing, a full disk, a partial restore of a CI cache) is
//!   discarded and made again, and `Cache::take_notes` says so for `--verbose`.
//! - **It stays under a cap.** `Cache::prune` removes the least recently used builds,
//!   observations, working folders and dependencies until the cache is under [`Cache::max`], never
//!   what a running grader is using: working folders are locked (flock) while a compile uses them,
//!   binaries while their runs use them, dependencies while a grader holds them.

use crate::error::{Error, IoContext, Result};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The cache's folders: the dependencies built by cargo, each build's working folder (its sources
/// and rustc's incremental state), the builds' records and binaries, the trusted builds'
/// observations, and temporary folders (probe runs' scratch space among them).
pub(crate) const DEPS: &str = "deps";
pub(crate) const WORK: &str = "work";
pub(crate) const BUILDS: &str = "builds";
pub(crate) const OUTCOMES: &str = "outcomes";
const TMP: &str = "tmp";

/// The cap when none is given: room for the dependencies of a few toolchains, a student's working
/// folders and a few hundred builds, and a small part of a CI cache or a laptop's disk.
pub(crate) const DEFAULT_MAX: u64 = 1 << 30;

/// A prune starts when the cache holds this share of its cap, and brings it down to the second:
/// so that what compiles in flight pass through it (their objects, rustc's new incremental state
/// beside the old) stays under the cap, and the next grades do not all prune.
const PRUNE_AT: f64 = 0.9;
const PRUNE_TO: f64 = 0.75;

/// A temporary entry this old belongs to no running grade (a probe run lasts seconds).
const TMP_AGE: Duration = Duration::from_secs(3600);

/// The cache root.
#[derive(Debug, Clone)]
pub struct Cache {
    /// The folder everything lives under.
    pub root: PathBuf,
    /// The most the cache may hold, in bytes; `Cache::prune` keeps it under.
    pub max: u64,
    /// What was found damaged and discarded, or could not be pruned, for `--verbose`.
    notes: Arc<Mutex<Vec<String>>>,
    /// One prune at a time in this process.
    pruning: Arc<Mutex<()>>,
}

impl Cache {
    /// `explicit`, else `$GRADE_CACHE_DIR`, else `$XDG_CACHE_HOME/grade`, else `~/.cache/grade`;
    /// capped at `max` (else [`DEFAULT_MAX`]).
    pub(crate) fn locate(explicit: Option<&Path>, max: Option<u64>) -> Result<Cache> {
        let root = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("GRADE_CACHE_DIR").map(PathBuf::from))
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("grade")))
            .or_else(|| {
                std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache").join("grade"))
            })
            .unwrap_or_else(|| std::env::temp_dir().join("grade-cache"));
        std::fs::create_dir_all(&root)
            .at(|| format!("creating the cache folder {}", root.display()))
            .map_err(|e| e.in_cache(&root))?;
        let root = root
            .canonicalize()
            .at(|| format!("opening the cache folder {}", root.display()))?;
        Ok(Cache {
            root,
            max: max.unwrap_or(DEFAULT_MAX),
            notes: Arc::default(),
            pruning: Arc::default(),
        })
    }

    /// A folder of the cache, created if needed.
    pub(crate) fn dir(&self, parts: &[&str]) -> Result<PathBuf> {
        let dir = parts.iter().fold(self.root.clone(), |d, p| d.join(p));
        std::fs::create_dir_all(&dir)
            .at(|| format!("creating {}", dir.display()))
            .in_cache(self)?;
        Ok(dir)
    }

    /// A fresh temporary folder inside the cache (same file system, so renames out of it are
    /// atomic).
    pub(crate) fn scratch(&self, prefix: &str) -> Result<tempfile::TempDir> {
        let tmp = self.dir(&[TMP])?;
        tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(&tmp)
            .at(|| format!("creating a folder in {}", tmp.display()))
            .in_cache(self)
    }

    /// The folders a probe run must not see: other builds' sources and binaries (the reference's
    /// among them) and the trusted builds' observations. Not the dependencies, which hold nothing
    /// of anyone's, nor the scratch folders, one of which is the run's own.
    pub(crate) fn private_folders(&self) -> Vec<PathBuf> {
        [WORK, BUILDS, OUTCOMES]
            .iter()
            .map(|name| self.root.join(name))
            .collect()
    }

    /// Says something for `--verbose` (a damaged entry discarded, a cap that cannot be kept).
    pub(crate) fn note(&self, note: String) {
        let mut notes = self.notes.lock().expect("not poisoned");
        if !notes.contains(&note) {
            notes.push(note);
        }
    }

    /// What was noted since the last call.
    pub(crate) fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.lock().expect("not poisoned"))
    }

    /// Removes the damaged entry at `path` (a file or a folder), noting why.
    pub(crate) fn discard(&self, path: &Path, why: &str) {
        let shown = path.strip_prefix(&self.root).unwrap_or(path).display();
        self.note(format!(
            "discarded a damaged cache entry, {shown} ({why}): it is made again"
        ));
        remove(path);
    }

    /// The sealed JSON entry at `path`, if it is whole and of this version of grade; a damaged
    /// one is discarded, saying why, to be made again.
    pub(crate) fn read_entry<T: serde::de::DeserializeOwned>(&self, path: &Path) -> Option<T> {
        match read_sealed(path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(entry) => Some(entry),
                Err(e) => {
                    self.discard(path, &format!("not a record of this version: {e}"));
                    None
                }
            },
            Err(Unusable::Missing) => None,
            Err(Unusable::Damaged(why)) => {
                self.discard(path, &why);
                None
            }
        }
    }

    /// Space left for grade on the cache's file system, in bytes, when it can be known.
    pub(crate) fn free_space(&self) -> Option<u64> {
        free_space(&self.root)
    }

    /// Whether the cache's file system is too full for a compile to be sure to fit: less free
    /// than the largest file a compile may write, or no inode left. A compile that failed without
    /// pointing at the code failed for lack of space then.
    pub(crate) fn is_nearly_full(&self, room_needed: u64) -> bool {
        match rustix::fs::statvfs(&self.root) {
            Ok(stat) => {
                stat.f_bavail.saturating_mul(stat.f_frsize) < room_needed
                    || (stat.f_files > 0 && stat.f_favail == 0)
            }
            Err(_) => false,
        }
    }

    /// "No space left under the cache", with what is free.
    pub(crate) fn no_space(&self, context: impl Into<String>) -> Error {
        Error::NoSpace {
            path: self.root.clone(),
            free: self.free_space().map(human),
            context: context.into(),
        }
    }
}

/// Says an error about a file of the cache as "no space under the cache" when it is an I/O error
/// of a full disk or quota, which the user fixes by giving the cache room, not by looking at the
/// file: `fs::write(&p, b).at(|| ..).in_cache(cache)?`.
pub(crate) trait InCache {
    fn in_cache(self, cache: &Cache) -> Self;
}

impl<T> InCache for Result<T> {
    fn in_cache(self, cache: &Cache) -> Self {
        self.map_err(|e| e.in_cache(&cache.root))
    }
}

/// Space left on the file system of `path`, in bytes (for an unprivileged user).
fn free_space(path: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(path).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// Removes a file or a folder, whichever `path` is; what is already gone is fine.
pub(crate) fn remove(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Marks `path` as used now (its modification time), for the prune's least-recently-used order.
/// A read-only cache cannot be marked: that only costs the order.
pub(crate) fn touch(path: &Path) {
    if let Ok(file) = std::fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Writes `bytes` to `path` atomically: a reader sees the old file, or the whole new one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // A full disk is said of the folder written to, whichever step found it full.
    let failed = |what: &str, e: std::io::Error| {
        if is_no_space(&e) {
            Error::io(format!("writing {}", path.display()), e).in_cache(dir)
        } else {
            Error::io(format!("{what} {}", path.display()), e)
        }
    };
    std::fs::create_dir_all(dir).map_err(|e| failed("creating the folder of", e))?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| failed("writing", e))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| failed("writing", e))?;
    // A temporary file is private; what it becomes (expected.json, cache entries) is not.
    use std::os::unix::fs::PermissionsExt;
    let _ = file
        .as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o644));
    file.persist(path).map_err(|e| failed("writing", e.error))?;
    Ok(())
}

/// Whether an I/O error says the disk (or the user's quota) is full.
pub(crate) fn is_no_space(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || matches!(error.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT))
}

/// The first line of every sealed entry, then its length and hash.
const SEAL: &str = "grade-sealed-v1";

/// Writes `bytes` as a sealed entry, atomically: a first line with their length and SHA-256, then
/// the bytes, so that [`read_sealed`] can tell a whole entry from a cut or altered one.
pub(crate) fn write_sealed(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut sealed = format!("{SEAL} {} {}\n", bytes.len(), sha256_hex(bytes)).into_bytes();
    sealed.extend_from_slice(bytes);
    write_atomic(path, &sealed)
}

/// Why an entry could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// There is none: nothing to say.
    Missing,
    /// There is one, damaged: discard it, saying why.
    Damaged(String),
}

/// The bytes of a sealed entry, if it is whole.
pub(crate) fn read_sealed(path: &Path) -> Result<Vec<u8>, Unusable> {
    let data = match std::fs::read(path) {
        Ok(data) => data,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Damaged(format!("unreadable: {e}"))),
    };
    let damaged = |why: &str| Err(Unusable::Damaged(why.to_string()));
    let Some(end) = data.iter().position(|&b| b == b'\n') else {
        return damaged(if data.is_empty() {
            "empty"
        } else {
            "its header is cut short"
        });
    };
    let header = String::from_utf8_lossy(&data[..end]);
    let mut words = header.split(' ');
    let (Some(SEAL), Some(length), Some(hash), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return damaged("not a sealed entry");
    };
    let body = &data[end + 1..];
    match length.parse::<usize>() {
        Ok(length) if length == body.len() => {}
        Ok(length) => {
            return Err(Unusable::Damaged(format!(
                "cut short: {} of {length} bytes",
                body.len()
            )))
        }
        Err(_) => return damaged("not a sealed entry"),
    }
    if sha256_hex(body) != hash {
        return damaged("its content changed since it was written");
    }
    Ok(body.to_vec())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file's length and SHA-256, recorded when it is written and checked when it is read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Digest {
    pub size: u64,
    pub sha256: String,
}

impl Digest {
    /// The digest of the file at `path`.
    pub(crate) fn of_file(path: &Path) -> std::io::Result<Digest> {
        let mut file = std::fs::File::open(path)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut size = 0u64;
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    hasher.update(&buffer[..n]);
                    size += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Digest {
            size,
            sha256: hex(&hasher.finalize()),
        })
    }

    /// Whether the file at `path` is still what was recorded, and how it is not. Its size is
    /// compared first, which finds a cut file without reading it.
    pub(crate) fn check(&self, path: &Path) -> Result<(), Damage> {
        let size = std::fs::metadata(path).map_err(Damage::from)?.len();
        if size != self.size {
            return Err(Damage::Size {
                found: size,
                written: self.size,
            });
        }
        match Digest::of_file(path) {
            Ok(digest) if digest == *self => Ok(()),
            Ok(_) => Err(Damage::Changed),
            Err(e) => Err(Damage::Unreadable(e)),
        }
    }

    /// Like [`Digest::check`], but reads the file only when its metadata differs from `stamp`,
    /// what it was when its content was last found right; updates `stamp` when it reads it. Any
    /// write, cut or replacement of a file changes its change time (which no one sets back
    /// without root) or its inode, so an unchanged stamp is an unchanged file.
    pub(crate) fn check_stamped(
        &self,
        path: &Path,
        stamp: &mut Option<Stamp>,
    ) -> Result<(), Damage> {
        let now = Stamp::of(path)?;
        if now.size == self.size && stamp.as_ref() == Some(&now) {
            return Ok(());
        }
        self.check(path)?;
        *stamp = Some(now);
        Ok(())
    }

    /// A short name for the content: part of a file name, so that files of different content
    /// never share a name.
    pub(crate) fn short(&self) -> &str {
        &self.sha256[..16.min(self.sha256.len())]
    }
}

/// How a file is not what its [`Digest`] recorded.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    #[error("it is missing")]
    Missing,
    #[error("unreadable: {0}")]
    Unreadable(#[source] std::io::Error),
    #[error("{found} bytes where {written} were written")]
    Size { found: u64, written: u64 },
    #[error("its content changed since it was written")]
    Changed,
}

impl From<std::io::Error> for Damage {
    fn from(error: std::io::Error) -> Damage {
        match error.kind() {
            std::io::ErrorKind::NotFound => Damage::Missing,
            _ => Damage::Unreadable(error),
        }
    }
}

/// A compiled file that is not what was built, and how.
#[derive(Debug, thiserror::Error)]
#[error("{}: {damage}", path.display())]
pub struct DamagedFile {
    pub path: PathBuf,
    #[source]
    pub damage: Damage,
}

/// A file's metadata: what changes when anything writes, cuts or replaces it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    size: u64,
    /// Modification and change times, in nanoseconds.
    modified: i128,
    changed: i128,
    inode: u64,
    device: u64,
}

impl Stamp {
    pub(crate) fn of(path: &Path) -> std::io::Result<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path)?;
        let nanos = |s: i64, ns: i64| i128::from(s) * 1_000_000_000 + i128::from(ns);
        Ok(Stamp {
            size: meta.len(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }
}

/// A running hash of the things a cache entry depends on.
#[derive(Default)]
pub struct Key(Sha256);

impl Key {
    pub(crate) fn new(kind: &str) -> Key {
        let mut key = Key::default();
        key.add(kind.as_bytes());
        key
    }

    /// Adds a length-prefixed part, so ("ab", "c") and ("a", "bc") differ.
    pub(crate) fn add(&mut self, part: &[u8]) -> &mut Key {
        self.0.update((part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    pub(crate) fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

// ---- locks: what a running grader uses is not pruned ----

/// A lock (flock) on a file, held until dropped or the process ends.
#[derive(Debug)]
pub struct Held(#[allow(dead_code)] std::fs::File);

/// Takes a shared lock on `path` (created if needed), waiting for an exclusive holder.
pub(crate) fn lock_shared(path: &Path) -> std::io::Result<Held> {
    let file = open_lock(path)?;
    flock(&file, rustix::fs::FlockOperation::LockShared)?;
    Ok(Held(file))
}

/// Takes an exclusive lock on `path` (created if needed), waiting for the holders.
pub(crate) fn lock_exclusive(path: &Path) -> std::io::Result<Held> {
    let file = open_lock(path)?;
    flock(&file, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(Held(file))
}

/// An exclusive lock on `path` if no one holds one; `None` when someone does.
pub(crate) fn try_lock_exclusive(path: &Path) -> std::io::Result<Option<Held>> {
    let file = open_lock(path)?;
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(Held(file))),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A shared lock on an existing file (a binary while it runs): `None` when it is gone.
pub(crate) fn lock_file_shared(path: &Path) -> Option<Held> {
    let file = std::fs::File::open(path).ok()?;
    // A file system without flock only loses the prune's protection.
    let _ = flock(&file, rustix::fs::FlockOperation::LockShared);
    Some(Held(file))
}

/// Whether someone holds a lock on the existing file `path`.
fn in_use(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_err()
}

fn open_lock(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

fn flock(file: &std::fs::File, operation: rustix::fs::FlockOperation) -> std::io::Result<()> {
    loop {
        match rustix::fs::flock(file, operation) {
            Err(rustix::io::Errno::INTR) => continue,
            other => return other.map_err(Into::into),
        }
    }
}

// ---- size, prune, clean ----

/// What the cache holds, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Deps,
    Work,
    Builds,
    Outcomes,
    Tmp,
    Other,
}

impl Kind {
    pub(crate) const ALL: [Kind; 6] = [
        Kind::Deps,
        Kind::Work,
        Kind::Builds,
        Kind::Outcomes,
        Kind::Tmp,
        Kind::Other,
    ];

    fn of(name: &str) -> Kind {
        match name {
            DEPS => Kind::Deps,
            WORK => Kind::Work,
            BUILDS => Kind::Builds,
            OUTCOMES => Kind::Outcomes,
            TMP => Kind::Tmp,
            _ => Kind::Other,
        }
    }

    /// What it is, for `grade cache`.
    pub(crate) fn describe(self) -> String {
        match self {
            Kind::Deps => crate::tr!("cache-kind-deps"),
            Kind::Work => crate::tr!("cache-kind-work"),
            Kind::Builds => crate::tr!("cache-kind-builds"),
            Kind::Outcomes => crate::tr!("cache-kind-outcomes"),
            Kind::Tmp => crate::tr!("cache-kind-tmp"),
            Kind::Other => crate::tr!("cache-kind-other"),
        }
    }
}

/// The cache's size, in all and by kind.
#[derive(Debug, Clone, Default)]
pub struct Size {
    pub total: u64,
    pub by_kind: BTreeMap<Kind, u64>,
}

/// One thing a prune may remove as a whole.
#[derive(Debug)]
struct Entry {
    path: PathBuf,
    kind: Kind,
    bytes: u64,
    /// When it was last used.
    used: SystemTime,
}

/// What a prune or a clean did.
#[derive(Debug, Default)]
pub struct Pruned {
    /// Entries removed, and their bytes.
    pub removed: usize,
    pub freed: u64,
    /// Entries left because a running grader uses them.
    pub in_use: usize,
    /// The cache's size after.
    pub size: u64,
}

impl Cache {
    /// The cache's size on disk (blocks, a file with several links counted once).
    pub(crate) fn size(&self) -> Size {
        let mut size = Size::default();
        let mut seen = HashSet::new();
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return size;
        };
        for entry in entries.flatten() {
            let kind = Kind::of(&entry.file_name().to_string_lossy());
            let bytes = disk_usage(&entry.path(), &mut seen);
            *size.by_kind.entry(kind).or_default() += bytes;
            size.total += bytes;
        }
        size
    }

    /// When the cache holds more than 90 % of its cap, removes entries until it holds 75 %: the
    /// least recently used first, finished builds, observations and temporary folders left by a
    /// grade that died before working folders and other dependencies than `keep`, which cost a
    /// cold compile to make again (a working folder's incremental state is what makes the next
    /// compile of its build fast); never what a running grader uses. Says under `--verbose` when
    /// the cap cannot be kept. Another prune of this process running: nothing.
    pub(crate) fn prune(&self, keep: Option<&Path>) -> Pruned {
        let Ok(_one) = self.pruning.try_lock() else {
            return Pruned::default();
        };
        let size = self.size().total;
        if size as f64 <= self.max as f64 * PRUNE_AT {
            return Pruned {
                size,
                ..Pruned::default()
            };
        }
        let target = (self.max as f64 * PRUNE_TO) as u64;
        let mut entries = self.entries(keep);
        entries.sort_by_key(|e| (matches!(e.kind, Kind::Work | Kind::Deps), e.used));
        let mut pruned = self.remove_entries(entries, size, target);
        if pruned.size > self.max {
            self.note(format!(
                "the cache holds {} over its cap of {} (--cache-max, GRADE_CACHE_MAX): what is \
                 left is in use or the dependencies",
                human(pruned.size),
                human(self.max)
            ));
        }
        pruned.size = pruned.size.min(size);
        pruned
    }

    /// Removes everything a running grader does not use.
    pub(crate) fn clean(&self) -> Pruned {
        let _one = self.pruning.lock().expect("not poisoned");
        let size = self.size().total;
        let entries = self.entries(None);
        self.remove_entries(entries, size, 0)
    }

    fn remove_entries(&self, entries: Vec<Entry>, mut size: u64, target: u64) -> Pruned {
        let mut pruned = Pruned::default();
        for entry in entries {
            if size <= target {
                break;
            }
            if self.busy(&entry) {
                pruned.in_use += 1;
                continue;
            }
            remove(&entry.path);
            if entry.kind == Kind::Work {
                // The build's folder (`work/<deps>/<build>`) goes with its last working folder.
                if let Some(parent) = entry.path.parent() {
                    let _ = std::fs::remove_dir(parent);
                }
            }
            size = size.saturating_sub(entry.bytes);
            pruned.removed += 1;
            pruned.freed += entry.bytes;
        }
        pruned.size = size;
        pruned
    }

    /// Everything prunable, each with its size and last use. Temporary entries count only once
    /// they are old (a young one may be a probe run's working folder).
    fn entries(&self, keep: Option<&Path>) -> Vec<Entry> {
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        let children = |dir: &Path| -> Vec<PathBuf> {
            std::fs::read_dir(dir)
                .map(|entries| entries.flatten().map(|e| e.path()).collect())
                .unwrap_or_default()
        };
        let mut add = |path: PathBuf, kind: Kind, marker: &Path| {
            let used = std::fs::metadata(marker)
                .or_else(|_| std::fs::symlink_metadata(&path))
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            let bytes = disk_usage(&path, &mut seen);
            entries.push(Entry {
                path,
                kind,
                bytes,
                used,
            });
        };
        for build in children(&self.root.join(BUILDS)) {
            let record = build.join("build.json");
            add(build, Kind::Builds, &record);
        }
        for outcome in children(&self.root.join(OUTCOMES)) {
            add(outcome.clone(), Kind::Outcomes, &outcome);
        }
        for deps in children(&self.root.join(WORK)) {
            for build in children(&deps) {
                for slot in children(&build) {
                    let lock = slot.join("lock");
                    add(slot, Kind::Work, &lock);
                }
            }
        }
        let now = SystemTime::now();
        for tmp in children(&self.root.join(TMP)) {
            let old = std::fs::symlink_metadata(&tmp)
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > TMP_AGE);
            if old {
                add(tmp.clone(), Kind::Tmp, &tmp);
            }
        }
        for deps in children(&self.root.join(DEPS)) {
            if keep.is_some_and(|keep| keep.starts_with(&deps)) {
                continue;
            }
            let record = deps.join(crate::build::DEPS_RECORD);
            add(deps, Kind::Deps, &record);
        }
        entries
    }

    /// Whether a running grader uses `entry`: a working folder being compiled in, a binary being
    /// run, dependencies held.
    fn busy(&self, entry: &Entry) -> bool {
        let files: Vec<PathBuf> = match entry.kind {
            Kind::Work => vec![entry.path.join("lock")],
            Kind::Builds => std::fs::read_dir(&entry.path)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default(),
            Kind::Deps => std::fs::read_dir(&entry.path)
                .map(|d| {
                    d.flatten()
                        .map(|e| e.path().join(crate::build::DEPS_IN_USE))
                        .chain([entry.path.join(crate::build::DEPS_BUILDING)])
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        files.iter().any(|f| f.is_file() && in_use(f))
    }
}

/// Bytes on disk under `path`, counting each file once (a hard-linked file is one file).
fn disk_usage(path: &Path, seen: &mut HashSet<(u64, u64)>) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.nlink() > 1 && !meta.is_dir() && !seen.insert((meta.dev(), meta.ino())) {
        return 0;
    }
    let mut bytes = meta.blocks() * 512;
    if meta.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                bytes += disk_usage(&entry.path(), seen);
            }
        }
    }
    bytes
}

// ---- sizes in words ----

/// `bytes` for people: `0 B`, `12 KiB`, `312.4 MiB`, `1.0 GiB`.
pub(crate) fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    match unit {
        0 => format!("{bytes} B"),
        1 => format!("{value:.0} {}", UNITS[unit]),
        _ => format!("{value:.1} {}", UNITS[unit]),
    }
}

/// A size as people write it: `500M`, `1.5G`, `200MB`, `2GiB`, `1048576` (bytes). The units are
/// binary (K = 1024), as `du -h` prints them.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad =
        || format!("`{text}` is not a size (a number of bytes, or with a unit: 500M, 1.5G, 2GiB)");
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(bad()),
    };
    let bytes = number * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A check's verdict in the words a note gives it.
    fn said(verdict: Result<(), Damage>) -> Result<(), String> {
        verdict.map_err(|damage| damage.to_string())
    }

    #[test]
    fn sizes_read_and_print_as_people_write_them() {
        assert_eq!(parse_size("200M"), Ok(200 << 20));
        assert_eq!(parse_size("200MB"), Ok(200 << 20));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size(" 10 k "), Ok(10 << 10));
        for bad in ["", "M", "-1G", "1.2.3M", "12 parsecs", "1e999G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(human(0), "0 B");
        assert_eq!(human(1023), "1023 B");
        assert_eq!(human(12 << 10), "12 KiB");
        assert_eq!(human((3124 << 20) / 10), "312.4 MiB");
        assert_eq!(human(1 << 30), "1.0 GiB");
    }

    #[test]
    fn a_sealed_entry_reads_back_whole_and_never_cut_or_altered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entry.json");
        assert_eq!(read_sealed(&path), Err(Unusable::Missing));
        write_sealed(&path, b"{\"a\": 1}").unwrap();
        assert_eq!(read_sealed(&path).unwrap(), b"{\"a\": 1}");
        let whole = std::fs::read(&path).unwrap();
        // Empty, cut anywhere (header or body), or altered at the same length: never trusted.
        for cut in 0..whole.len() {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert!(
                matches!(read_sealed(&path), Err(Unusable::Damaged(_))),
                "cut at {cut}"
            );
        }
        let mut altered = whole.clone();
        *altered.last_mut().unwrap() = b'2';
        std::fs::write(&path, &altered).unwrap();
        assert_eq!(
            read_sealed(&path),
            Err(Unusable::Damaged(
                "its content changed since it was written".into()
            ))
        );
        std::fs::write(&path, b"{\"a\": 1}").unwrap();
        assert_eq!(
            read_sealed(&path),
            Err(Unusable::Damaged("its header is cut short".into()))
        );
    }

    #[test]
    fn a_stamped_check_reads_the_file_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.rlib");
        std::fs::write(&path, vec![3u8; 1 << 20]).unwrap();
        let digest = Digest::of_file(&path).unwrap();
        let mut stamp = None;
        assert_eq!(said(digest.check_stamped(&path, &mut stamp)), Ok(()));
        assert_eq!(stamp, Some(Stamp::of(&path).unwrap()));
        assert_eq!(said(digest.check_stamped(&path, &mut stamp)), Ok(()));
        // Altered at the same length: its change time moved, so it is read, and found out.
        let mut altered = vec![3u8; 1 << 20];
        altered[7] = 4;
        std::fs::write(&path, altered).unwrap();
        assert!(said(digest.check_stamped(&path, &mut stamp)).is_err());
        std::fs::write(&path, b"").unwrap();
        assert!(said(digest.check_stamped(&path, &mut stamp)).is_err());
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            said(digest.check_stamped(&path, &mut stamp)),
            Err("it is missing".into())
        );
    }

    #[test]
    fn a_digest_finds_a_file_emptied_cut_altered_or_gone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("probe");
        std::fs::write(&path, vec![7u8; 3 << 20]).unwrap();
        let digest = Digest::of_file(&path).unwrap();
        assert_eq!(digest.size, 3 << 20);
        assert_eq!(said(digest.check(&path)), Ok(()));
        std::fs::write(&path, b"").unwrap();
        assert_eq!(
            said(digest.check(&path)),
            Err(format!("0 bytes where {} were written", 3 << 20))
        );
        let mut altered = vec![7u8; 3 << 20];
        altered[1 << 20] = 8;
        std::fs::write(&path, altered).unwrap();
        assert!(said(digest.check(&path))
            .unwrap_err()
            .contains("content changed"));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(said(digest.check(&path)), Err("it is missing".into()));
    }

    /// A cache under `dir` with entries of known sizes and ages.
    fn cache_with_entries(dir: &Path, max: u64) -> Cache {
        let cache = Cache::locate(Some(dir), Some(max)).unwrap();
        let at = |path: &Path, age: u64, bytes: usize| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, vec![1u8; bytes]).unwrap();
            let file = std::fs::File::options().append(true).open(path).unwrap();
            file.set_modified(SystemTime::now() - Duration::from_secs(age))
                .unwrap();
        };
        let root = &cache.root;
        at(&root.join("builds/old/build.json"), 500, 1 << 20);
        at(&root.join("builds/old/probe-1"), 500, 4 << 20);
        at(&root.join("builds/new/build.json"), 10, 1 << 20);
        at(&root.join("builds/new/probe-2"), 10, 4 << 20);
        at(&root.join("outcomes/o.json"), 300, 1 << 20);
        at(&root.join("work/d/main/0/lock"), 200, 0);
        at(&root.join("work/d/main/0/crate/x"), 200, 3 << 20);
        at(&root.join("deps/current/deps.json"), 1000, 5 << 20);
        at(&root.join("deps/other/deps.json"), 900, 5 << 20);
        cache
    }

    #[test]
    fn a_prune_removes_the_least_recently_used_first_and_keeps_the_dependencies_in_use() {
        let dir = tempfile::tempdir().unwrap();
        // 24 MiB in all; a cap of 25 MiB prunes (above 22.5 MiB) down to 18.75 MiB.
        let cap = 25 << 20;
        let cache = cache_with_entries(dir.path(), cap);
        let keep = cache.root.join("deps/current");
        let pruned = cache.prune(Some(&keep));
        assert!(pruned.size <= cap, "{pruned:?}");
        let root = &cache.root;
        // Builds and observations first, the oldest first; working folders and other
        // dependencies only when that is not enough.
        assert!(!root.join("builds/old").exists());
        assert!(!root.join("outcomes/o.json").exists());
        assert!(root.join("builds/new/probe-2").exists(), "recently used");
        assert!(
            root.join("work/d/main/0/crate/x").exists(),
            "a working folder"
        );
        assert!(root.join("deps/other").exists());
        assert!(root.join("deps/current/deps.json").exists(), "in use");
        assert!(cache.size().total <= cap);
        // A lower cap takes the working folders and the other dependencies, never those in use.
        let cache = Cache::locate(Some(dir.path()), Some(10 << 20)).unwrap();
        cache.prune(Some(&keep));
        assert!(!root.join("deps/other").exists());
        assert!(root.join("deps/current/deps.json").exists(), "in use");
    }

    #[test]
    fn what_a_running_grader_uses_is_never_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_with_entries(dir.path(), 1);
        let root = cache.root.clone();
        let _compiling = lock_exclusive(&root.join("work/d/main/0/lock")).unwrap();
        let _running = lock_file_shared(&root.join("builds/old/probe-1")).unwrap();
        let pruned = cache.prune(None);
        assert_eq!(pruned.in_use, 2, "{pruned:?}");
        assert!(root.join("work/d/main/0/crate/x").exists());
        assert!(root.join("builds/old/probe-1").exists());
        assert!(!root.join("builds/new").exists());
        assert!(!root.join("outcomes/o.json").exists());
        assert!(!cache.take_notes().is_empty(), "says the cap is not kept");
        drop((_compiling, _running));
        let cleaned = cache.clean();
        assert_eq!(cleaned.in_use, 0);
        assert!(cache.size().total < 256 << 10, "{:?}", cache.size());
    }

    #[test]
    fn a_cache_under_its_cap_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_with_entries(dir.path(), 1 << 30);
        let pruned = cache.prune(None);
        assert_eq!(pruned.removed, 0);
        assert!(cache.root.join("builds/old/probe-1").exists());
    }
}
