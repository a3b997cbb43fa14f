//! The exercise's dependencies and library, built once per toolchain and shared by every compile
//! of every grader. A set is built in a folder of its own, a *generation*, so that no grader ever
//! has a set rebuilt or pruned under it; which generation holds the set, and the digest of every
//! file of it, is in a sealed record, so that a damaged or partial set (a crash, a full disk, a
//! CI cache restored in part) is found out and built again rather than trusted.

use super::cargo::{self, Project};
use super::Toolchain;
use crate::cache::{Cache, DamagedFile, Digest, Held, InCache, Key, Stamp};
use crate::error::{Error, IoContext, Result};
use crate::progress::Progress;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// The files of a set of built dependencies (see [`prepare_deps`]): the record of what was built
/// (sealed), the lock held by whoever builds them, and, in each generation, the lock every grader
/// using that generation holds (shared) so that it is neither pruned nor rebuilt under its feet.
pub(crate) const DEPS_RECORD: &str = "deps.json";
pub(crate) const DEPS_BUILDING: &str = "building.lock";
pub(crate) const DEPS_IN_USE: &str = "in-use.lock";
/// Beside a generation's files: their metadata when they were last hashed and found whole.
const DEPS_CHECKED: &str = "checked.json";

/// The exercise's dependencies and library, built once and reused by every compile.
#[derive(Debug, Clone)]
pub struct Deps {
    /// `--extern name=path` for each direct dependency the exercise's `Cargo.toml` lists.
    pub(super) externs: BTreeMap<String, PathBuf>,
    /// The exercise's own library (`[build] library`), linked into every build too.
    library: Option<Library>,
    /// Where their own dependencies are (`-L dependency=`).
    search: PathBuf,
    /// The exercise crate's edition.
    pub(super) edition: String,
    /// A hash of the toolchain, the dependencies and the library: part of every build's key.
    pub(crate) fingerprint: String,
    /// The generation's folder (the cargo project), which the prune leaves alone.
    pub(crate) dir: PathBuf,
    /// Every compiled file rustc may read of them, with its digest when it was built.
    files: BTreeMap<PathBuf, Digest>,
    /// Held while this grader may compile against them.
    _in_use: Arc<Held>,
}

/// The exercise's library, compiled with the dependencies.
#[derive(Debug, Clone)]
struct Library {
    /// Its crate name: the file's stem.
    name: String,
    /// The compiled rlib.
    rlib: PathBuf,
}

/// What `deps.json` records: paths relative to the generation's folder, so that a cache can be
/// moved (a CI cache restored elsewhere).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DepsRecord {
    /// The folder, beside the record, of the cargo project that built them.
    generation: String,
    externs: BTreeMap<String, PathBuf>,
    library: Option<LibraryRecord>,
    search: PathBuf,
    edition: String,
    fingerprint: String,
    files: BTreeMap<PathBuf, Digest>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LibraryRecord {
    name: String,
    rlib: PathBuf,
    /// A hash of its source: which library the set holds.
    source: String,
}

impl Deps {
    /// Whether every compiled file is still what was built; which one is not, and how.
    pub(super) fn intact(&self) -> std::result::Result<(), DamagedFile> {
        for (path, digest) in &self.files {
            digest.check(path).map_err(|damage| DamagedFile {
                path: path.clone(),
                damage,
            })?;
        }
        Ok(())
    }

    /// Forgets the set, so that the next grade builds it again (it was found damaged).
    pub(super) fn forget(&self) {
        let parent = self.dir.parent().unwrap_or(&self.dir);
        let _ = std::fs::remove_file(parent.join(DEPS_RECORD));
    }

    /// `--extern` and `-L` arguments that make the dependencies available to rustc.
    pub(super) fn extern_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for (name, path) in &self.externs {
            args.push("--extern".into());
            args.push(format!("{name}={}", path.display()));
        }
        if let Some(library) = &self.library {
            args.push("--extern".into());
            args.push(format!("{}={}", library.name, library.rlib.display()));
        }
        args.push("-L".into());
        args.push(format!("dependency={}", self.search.display()));
        args
    }
}

/// Builds (or finds in the cache) the dependencies listed in the exercise's `Cargo.toml`, the
/// shared probe harness with `harness_features`, and the exercise's `library` file as the lib target of the same cargo project, so that cargo overlaps
/// its compile with the dependencies'. rustc shares generic instances between crates built at
/// opt-levels 0 and 1, so the ndarray code the library instantiates is compiled once instead of in
/// every build. Everything is compiled at opt-level 0 but the few dependencies `optimize` names,
/// whose own code runs hot (matrixmultiply's products, here): at opt-level 1 they cost the first
/// grade almost nothing, where the library at opt-level 1 would cost it seconds. `progress` is
/// told when a real build starts, since it takes seconds.
///
/// Each set is built in a folder of its own, a *generation*, which `deps.json` names with the
/// digest of every compiled file. Found in the cache, the files are checked against those digests;
/// a damaged or partial set (cargo does not rebuild a cut rlib by itself: its fingerprints look at
/// the sources) is built again in a new generation, never under a grader that uses the old one.
/// One grader builds at a time; the others wait, then find the set built.
pub(crate) fn prepare_deps(
    toolchain: &Toolchain,
    cache: &Cache,
    exercise: &Path,
    library: Option<&str>,
    optimize: &[String],
    harness_features: &[String],
    progress: &dyn Fn(Progress),
) -> Result<Deps> {
    let project = Project::read(exercise, library, optimize, harness_features)?;
    let key = project.key(toolchain);
    let library = project.library.as_ref().map(|l| l.hash.as_str());
    let dir = cache.dir(&[crate::cache::DEPS, &key])?;
    if let Some(deps) = load_deps(cache, &dir, library) {
        return Ok(deps);
    }
    // One builder at a time: a grader that waited here finds what the other one built.
    let building = dir.join(DEPS_BUILDING);
    let _building = crate::cache::lock_exclusive(&building)
        .at(|| format!("locking {}", building.display()))
        .in_cache(cache)?;
    if let Some(deps) = load_deps(cache, &dir, library) {
        return Ok(deps);
    }
    let previous = read_deps_record(cache, &dir);
    let (generation, in_use) = claim_generation(cache, &dir, previous.as_ref())?;
    progress(Progress::Begin(&announcement(
        &project,
        previous.as_ref(),
        &generation,
    )));
    let gen_dir = dir.join(&generation);
    let outputs = cargo::build(&project, toolchain, cache, &gen_dir, progress)?;
    let record = record(cache, &key, project, outputs, generation, &gen_dir)?;
    crate::cache::write_sealed(
        &dir.join(DEPS_RECORD),
        serde_json::to_string_pretty(&record)
            .expect("serialises")
            .as_bytes(),
    )?;
    remove_unused_generations(&dir, &gen_dir);
    // Keep using what was just built: exclusive (for the build) becomes shared (for use).
    drop(in_use);
    let in_use = crate::cache::lock_shared(&gen_dir.join(DEPS_IN_USE))
        .at(|| format!("locking {}", gen_dir.display()))
        .in_cache(cache)?;
    Ok(deps_from(&dir, record, in_use))
}

/// The generation to build in, held exclusively. A set whose only change is the library is
/// rebuilt in place (cargo recompiles the library alone), unless a grader uses it; anything else,
/// in a new generation.
fn claim_generation(
    cache: &Cache,
    dir: &Path,
    previous: Option<&DepsRecord>,
) -> Result<(String, Held)> {
    let reusable = previous.and_then(|record| {
        let generation = dir.join(&record.generation);
        let intact = record
            .files
            .iter()
            .filter(|(path, _)| {
                record
                    .library
                    .as_ref()
                    .is_none_or(|l| !same_crate(path, &l.rlib, &l.name))
            })
            .all(|(path, digest)| digest.check(&generation.join(path)).is_ok());
        let lock = crate::cache::try_lock_exclusive(&generation.join(DEPS_IN_USE)).ok()??;
        intact.then_some((record.generation.clone(), lock))
    });
    if let Some(reused) = reusable {
        return Ok(reused);
    }
    let generation = format!("g-{}", unique());
    let path = dir.join(&generation);
    std::fs::create_dir_all(&path)
        .at(|| format!("creating {}", path.display()))
        .in_cache(cache)?;
    let lock = crate::cache::try_lock_exclusive(&path.join(DEPS_IN_USE))
        .at(|| format!("locking {}", path.display()))
        .in_cache(cache)?
        .expect("a new generation is nobody's yet");
    Ok((generation, lock))
}

/// What the user is told when a build of the dependencies starts, and why it does.
fn announcement(project: &Project, previous: Option<&DepsRecord>, generation: &str) -> String {
    let why = match previous {
        None => crate::tr!("progress-deps-once"),
        Some(previous) if previous.generation == generation => crate::tr!("progress-deps-library"),
        Some(_) => crate::tr!("progress-deps-damaged"),
    };
    crate::tr!("progress-deps", names = project.names.join(", "), why = why)
}

/// The record of what cargo built in `generation` (at `gen_dir`), with the digest of every
/// compiled file rustc may read: the libraries' rlibs and metadata, the direct ones and those it
/// finds with `-L dependency=`.
fn record(
    cache: &Cache,
    key: &str,
    project: Project,
    outputs: cargo::Outputs,
    generation: String,
    gen_dir: &Path,
) -> Result<DepsRecord> {
    let library = match (project.library, outputs.library) {
        (Some(source), Some(rlib)) => Some(LibraryRecord {
            name: source.name,
            rlib,
            source: source.hash,
        }),
        (Some(_), None) => {
            return Err(Error::Dependencies {
                log: "cargo did not report the exercise's library".into(),
                offline: false,
            })
        }
        (None, _) => None,
    };
    let mut fingerprint = Key::new("deps-fingerprint");
    fingerprint
        .add(key.as_bytes())
        .add(library.as_ref().map_or("", |l| &l.source).as_bytes());
    let search = PathBuf::from("target").join("debug").join("deps");
    let mut compiled: Vec<PathBuf> = std::fs::read_dir(gen_dir.join(&search))
        .at(|| format!("reading {}", gen_dir.join(&search).display()))
        .in_cache(cache)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rlib" || e == "rmeta"))
        .filter_map(|p| p.strip_prefix(gen_dir).ok().map(Path::to_path_buf))
        .collect();
    compiled.extend(outputs.externs.values().cloned());
    compiled.extend(library.iter().map(|l| l.rlib.clone()));
    let mut files = BTreeMap::new();
    for file in compiled {
        let path = gen_dir.join(&file);
        let digest = Digest::of_file(&path)
            .at(|| format!("reading {}", path.display()))
            .in_cache(cache)?;
        files.insert(file, digest);
    }
    Ok(DepsRecord {
        generation,
        externs: outputs.externs,
        library,
        search,
        edition: project.edition,
        fingerprint: fingerprint.finish(),
        files,
    })
}

/// Removes the generations of `dir` but `current` that no grader uses: they are of no use to
/// anyone.
fn remove_unused_generations(dir: &Path, current: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && path != current {
            if let Ok(Some(_unused)) = crate::cache::try_lock_exclusive(&path.join(DEPS_IN_USE)) {
                crate::cache::remove(&path);
            }
        }
    }
}

/// The set of dependencies `deps.json` names, if it holds the library `library` and every
/// compiled file is whole; held for this grader when it is.
fn load_deps(cache: &Cache, dir: &Path, library: Option<&str>) -> Option<Deps> {
    let record = read_deps_record(cache, dir)?;
    if record.library.as_ref().map(|l| l.source.as_str()) != library {
        return None;
    }
    let generation = dir.join(&record.generation);
    if !generation.is_dir() {
        return None;
    }
    // Held before checking, so that no prune removes what was checked.
    let in_use = crate::cache::lock_shared(&generation.join(DEPS_IN_USE)).ok()?;
    if let Err(damaged) = check_files(&generation, &record.files) {
        cache.note(format!(
            "the cached dependencies are damaged ({damaged}): they are compiled again"
        ));
        return None;
    }
    crate::cache::touch(&dir.join(DEPS_RECORD));
    Some(deps_from(dir, record, in_use))
}

/// Checks the files of `generation` against their digests. Their 20 MB are hashed only when a
/// file's metadata changed since it was last hashed: a warm grade reads their metadata alone.
fn check_files(
    generation: &Path,
    files: &BTreeMap<PathBuf, Digest>,
) -> std::result::Result<(), DamagedFile> {
    let stamps_path = generation.join(DEPS_CHECKED);
    let mut stamps: BTreeMap<PathBuf, Stamp> = crate::cache::read_sealed(&stamps_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let mut restamped = false;
    for (file, digest) in files {
        let path = generation.join(file);
        let mut stamp = stamps.get(file).cloned();
        let before = stamp.clone();
        digest
            .check_stamped(&path, &mut stamp)
            .map_err(|damage| DamagedFile { path, damage })?;
        if stamp != before {
            restamped = true;
            stamps.insert(file.clone(), stamp.expect("set when checked"));
        }
    }
    if restamped {
        // A cache that cannot be written is still checked, by reading the files each time.
        let _ = crate::cache::write_sealed(
            &stamps_path,
            serde_json::to_string(&stamps)
                .expect("serialises")
                .as_bytes(),
        );
    }
    Ok(())
}

fn read_deps_record(cache: &Cache, dir: &Path) -> Option<DepsRecord> {
    cache.read_entry(&dir.join(DEPS_RECORD))
}

fn deps_from(dir: &Path, record: DepsRecord, in_use: Held) -> Deps {
    let generation = dir.join(&record.generation);
    let at = |p: &Path| generation.join(p);
    Deps {
        externs: record
            .externs
            .iter()
            .map(|(name, rlib)| (name.clone(), at(rlib)))
            .collect(),
        library: record.library.as_ref().map(|l| Library {
            name: l.name.clone(),
            rlib: at(&l.rlib),
        }),
        search: at(&record.search),
        edition: record.edition,
        fingerprint: record.fingerprint,
        files: record
            .files
            .into_iter()
            .map(|(file, digest)| (at(&file), digest))
            .collect(),
        dir: generation,
        _in_use: Arc::new(in_use),
    }
}

/// Whether `path` is a compiled file of the crate `name` built as `rlib` (its rlib or metadata).
fn same_crate(path: &Path, rlib: &Path, name: &str) -> bool {
    path == rlib
        || path
            .file_name()
            .and_then(|f| f.to_str())
            .is_some_and(|f| f.starts_with(&format!("lib{name}-")))
}

/// A name no other grader picks at the same time.
fn unique() -> String {
    let mut key = Key::new("unique");
    key.add(&std::process::id().to_le_bytes()).add(
        &SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
            .to_le_bytes(),
    );
    key.finish()[..12].to_string()
}
