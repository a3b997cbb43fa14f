//! The build stage: finds the toolchain, builds the exercise's dependencies once per toolchain (with
//! cargo, in the cache), and compiles each staged crate with a direct `rustc` call against those
//! prebuilt libraries: no cargo lock, no dependency rebuilt because a path or flag changed.
//!
//! It decides whose a failed compile is, by what rustc and the kernel report, never by matching
//! words: the submission's when rustc's errors point into the crate's files or its code went past
//! a limit of the compile (memory, CPU time, file size), graded and cached; grade's own otherwise
//! (a crash, an internal compiler error, a link that fails for no reason in the code, a full
//! disk), retried once from scratch and then an [`Error`], never cached. rustc runs confined, like
//! probe runs (see [`sandbox`]).

use crate::cache::{write_atomic, Cache, Digest, Held, Key, Unusable, BUILDS};
use crate::error::{CompilerFault, Error, Result};
use crate::rustc::Messages;
use crate::sandbox::{self, Exit, Job, Limits};
use crate::stage::Staged;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// What the grader says about its slow steps, for a progress line.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A slow step begins: worth a line, even in a log.
    Begin(&'a str),
    /// How far it has got, said in full and short enough for one terminal row: worth showing
    /// on a live line only.
    Step(&'a str),
}

/// The compiler and cargo that builds are made with.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The real `rustc` of the toolchain (not a rustup proxy, which costs a few ms per call).
    pub rustc: PathBuf,
    /// `cargo`, used only to build dependencies.
    pub cargo: PathBuf,
    /// `rustc -vV`: part of every cache key.
    pub version: String,
}

impl Toolchain {
    /// `$RUSTC` / `$CARGO`, else `rustc` / `cargo` on the PATH.
    pub fn detect() -> Result<Toolchain> {
        let rustc = std::env::var_os("RUSTC")
            .map(PathBuf::from)
            .unwrap_or_else(|| "rustc".into());
        let cargo = std::env::var_os("CARGO")
            .map(PathBuf::from)
            .unwrap_or_else(|| "cargo".into());
        let run = |program: &Path, args: &[&str]| -> Result<String> {
            let failed = |message: String| Error::Toolchain {
                program: program.display().to_string(),
                message,
            };
            let output = Command::new(program)
                .args(args)
                .output()
                .map_err(|e| failed(e.to_string()))?;
            if !output.status.success() {
                let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
                // A program that fails silently still needs a reason on the one error line.
                return Err(failed(if stderr.is_empty() {
                    format!("`{}` ended with {}", args.join(" "), output.status)
                } else {
                    stderr
                }));
            }
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        };
        // Both questions at once: through a rustup proxy each costs tens of milliseconds.
        let (version, sysroot) = std::thread::scope(|scope| {
            let sysroot = scope.spawn(|| run(&rustc, &["--print", "sysroot"]));
            (
                run(&rustc, &["-vV"]),
                sysroot.join().expect("the thread does not panic"),
            )
        });
        let (version, sysroot) = (version?, sysroot?);
        let real = Path::new(&sysroot).join("bin").join("rustc");
        let rustc = if real.is_file() { real } else { rustc };
        Ok(Toolchain {
            rustc,
            cargo,
            version,
        })
    }
}

/// The files of a set of built dependencies (see [`prepare_deps`]): the record of what was built
/// (sealed), the lock held by whoever builds them, and, in each generation, the lock every grader
/// using that generation holds (shared) so that it is neither pruned nor rebuilt under its feet.
pub const DEPS_RECORD: &str = "deps.json";
pub const DEPS_BUILDING: &str = "building.lock";
pub const DEPS_IN_USE: &str = "in-use.lock";
/// Beside a generation's files: their metadata when they were last hashed and found whole.
const DEPS_CHECKED: &str = "checked.json";

/// The exercise's dependencies and library, built once and reused by every compile.
#[derive(Debug, Clone)]
pub struct Deps {
    /// `--extern name=path` for each direct dependency the exercise's `Cargo.toml` lists.
    pub externs: BTreeMap<String, PathBuf>,
    /// The exercise's own library (`[build] library`), linked into every build too.
    pub library: Option<Library>,
    /// Where their own dependencies are (`-L dependency=`).
    pub search: PathBuf,
    /// The exercise crate's edition.
    pub edition: String,
    /// A hash of the toolchain, the dependencies and the library: part of every build's key.
    pub fingerprint: String,
    /// The generation's folder (the cargo project), which the prune leaves alone.
    pub dir: PathBuf,
    /// Every compiled file rustc may read of them, with its digest when it was built.
    files: BTreeMap<PathBuf, Digest>,
    /// Held while this grader may compile against them.
    _in_use: Arc<Held>,
}

/// The exercise's library, compiled with the dependencies.
#[derive(Debug, Clone)]
pub struct Library {
    /// Its crate name: the file's stem.
    pub name: String,
    /// The compiled rlib.
    pub rlib: PathBuf,
    /// A hash of its source.
    pub source: String,
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
    source: String,
}

impl Deps {
    /// Whether every compiled file is still what was built; which one is not, and why.
    pub fn intact(&self) -> std::result::Result<(), String> {
        for (path, digest) in &self.files {
            if let Err(why) = digest.check(path) {
                return Err(format!("{}: {why}", path.display()));
            }
        }
        Ok(())
    }
}

/// Builds (or finds in the cache) the dependencies listed in the exercise's `Cargo.toml`, and the
/// exercise's `library` file as the lib target of the same cargo project, so that cargo overlaps
/// its compile with the dependencies'. rustc shares generic instances between crates built at
/// opt-levels 0 and 1, so the ndarray code the library instantiates is compiled once instead of in
/// every build. Everything is compiled at opt-level 0 but the few dependencies `optimize` names,
/// whose own code runs hot (matrixmultiply's products, here): at opt-level 1 they cost the first
/// grade almost nothing, where the library at opt-level 1 cost it seconds. `progress` is told when
/// a real build starts, since it takes seconds.
///
/// Each set is built in a folder of its own, a *generation*, which `deps.json` names with the
/// digest of every compiled file. Found in the cache, the files are checked against those digests;
/// a damaged or partial set (cargo does not rebuild a cut rlib by itself: its fingerprints look at
/// the sources) is built again in a new generation, never under a grader that uses the old one.
/// One grader builds at a time; the others wait, then find the set built.
pub fn prepare_deps(
    toolchain: &Toolchain,
    cache: &Cache,
    exercise: &Path,
    library: Option<&str>,
    optimize: &[String],
    progress: &dyn Fn(Progress),
) -> Result<Deps> {
    let manifest_path = exercise.join("Cargo.toml");
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| Error::io(format!("reading {}", manifest_path.display()), e))?;
    let manifest: toml::Table = toml::from_str(&manifest_text).map_err(|e| Error::SpecFile {
        path: manifest_path.clone(),
        message: e.message().to_string(),
    })?;
    let dependencies = manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let edition = manifest
        .get("package")
        .and_then(|p| p.get("edition"))
        .and_then(|e| e.as_str())
        .unwrap_or("2021")
        .to_string();
    let lock = std::fs::read(exercise.join("Cargo.lock")).unwrap_or_default();
    let dependencies_text = toml::to_string(&dependencies).expect("a table serialises");
    let library_source = match library {
        Some(file) => {
            let path = exercise.join(file);
            let text = std::fs::read(&path)
                .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
            let name = Path::new(file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("library")
                .replace('-', "_");
            Some((name, text))
        }
        None => None,
    };
    let library_hash = library_source.as_ref().map(|(name, text)| {
        let mut key = Key::new("library");
        key.add(name.as_bytes()).add(text);
        key.finish()
    });

    // The cargo project is keyed without the library, so that editing the library recompiles it
    // alone; the record of what was built says which library it holds.
    // The library is the cargo project's own package: `optimize` names it by its crate name.
    let library_name = library_source.as_ref().map(|(name, _)| name.as_str());
    let optimized: String = optimize
        .iter()
        .map(|name| {
            if Some(name.as_str()) == library_name {
                "grade-deps"
            } else {
                name
            }
        })
        .map(|package| format!("[profile.dev.package.{package}]\nopt-level = 1\n\n"))
        .collect();
    let mut key = Key::new("deps-v4");
    key.add(toolchain.version.as_bytes())
        .add(dependencies_text.as_bytes())
        .add(&lock)
        .add(edition.as_bytes())
        .add(optimized.as_bytes());
    let project = key.finish();
    let dir = cache.dir(&[crate::cache::DEPS, &project])?;
    if let Some(deps) = load_deps(cache, &dir, library_hash.as_deref()) {
        return Ok(deps);
    }
    // One builder at a time: a grader that waited here finds what the other one built.
    let building = dir.join(DEPS_BUILDING);
    let _building = crate::cache::lock_exclusive(&building)
        .map_err(|e| cache.io(format!("locking {}", building.display()), e))?;
    if let Some(deps) = load_deps(cache, &dir, library_hash.as_deref()) {
        return Ok(deps);
    }
    // A set whose only change is the library is rebuilt in place (cargo recompiles the library
    // alone), unless a grader uses it; anything else, a new generation.
    let previous = read_deps_record(cache, &dir);
    let reusable = previous.as_ref().and_then(|record| {
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
    let (generation, in_use) = match reusable {
        Some(reused) => reused,
        None => {
            let generation = format!("g-{}", unique());
            let path = dir.join(&generation);
            std::fs::create_dir_all(&path)
                .map_err(|e| cache.io(format!("creating {}", path.display()), e))?;
            let lock = crate::cache::try_lock_exclusive(&path.join(DEPS_IN_USE))
                .map_err(|e| cache.io(format!("locking {}", path.display()), e))?
                .expect("a new generation is nobody's yet");
            (generation, lock)
        }
    };
    let gen_dir = dir.join(&generation);

    let names: Vec<&String> = dependencies.keys().collect();
    let what = match (
        &previous,
        gen_dir.ends_with(previous.as_ref().map_or("", |p| p.generation.as_str())),
    ) {
        (None, _) => "once for this toolchain; later grades reuse them",
        (Some(_), true) => "again, for the changed library",
        (Some(_), false) => "again: the cached ones are damaged or in use by another grade",
    };
    progress(Progress::Begin(&format!(
        "compiling the exercise's dependencies ({}) {what}",
        names
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )));
    let lib_name = library_source
        .as_ref()
        .map_or("grade_deps".to_string(), |(name, _)| name.clone());
    let cargo_toml = format!(
        "[package]\nname = \"grade-deps\"\nversion = \"0.0.0\"\nedition = \"{edition}\"\npublish = false\n\n\
         [workspace]\n\n[lib]\nname = \"{lib_name}\"\npath = \"lib.rs\"\n\n[profile.dev]\ndebug = false\n\n{optimized}[dependencies]\n{dependencies_text}"
    );
    write_if_changed(&gen_dir.join("Cargo.toml"), cargo_toml.as_bytes())?;
    write_if_changed(
        &gen_dir.join("lib.rs"),
        library_source.as_ref().map_or(&[][..], |(_, text)| text),
    )?;
    if !lock.is_empty() {
        write_if_changed(&gen_dir.join("Cargo.lock"), &lock)?;
    }
    let target = gen_dir.join("target");
    // Cargo's messages are read as they come, so a first-time user sees each crate done.
    let mut child = Command::new(&toolchain.cargo)
        .args(["build", "--lib", "--message-format=json"])
        .current_dir(&gen_dir)
        .env("RUSTC", &toolchain.rustc)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Toolchain {
            program: toolchain.cargo.display().to_string(),
            message: e.to_string(),
        })?;
    let mut stderr = child.stderr.take().expect("piped");
    let log = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut log);
        log
    });
    let mut messages = String::new();
    let mut done = 0;
    for line in
        std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().expect("piped")))
    {
        let Ok(line) = line else { break };
        if let Ok(artifact) = serde_json::from_str::<Artifact>(&line) {
            if artifact.reason == "compiler-artifact" {
                done += 1;
                progress(Progress::Step(&format!(
                    "compiling the dependencies once: {done} crates done, last {}",
                    package_name(&artifact.package_id)
                )));
            }
        }
        messages.push_str(&line);
        messages.push('\n');
    }
    let status = child
        .wait()
        .map_err(|e| Error::io("waiting for cargo", e))?;
    let log = log.join().unwrap_or_default();
    if !status.success() {
        if cache.is_nearly_full(BUILD_FILE_SIZE) {
            return Err(cache.no_space("building the exercise's dependencies"));
        }
        let offline = log.contains("failed to download")
            || log.contains("Unable to update")
            || log.contains("failed to get");
        return Err(Error::Dependencies { log, offline });
    }
    let mut externs = BTreeMap::new();
    let mut library_rlib = None;
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<Artifact>(line) else {
            continue;
        };
        if message.reason != "compiler-artifact"
            || !message
                .target
                .kind
                .iter()
                .any(|k| k == "lib" || k == "rlib")
        {
            continue;
        }
        let Some(rlib) = message
            .filenames
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == "rlib"))
        else {
            continue;
        };
        let Ok(rlib) = rlib.strip_prefix(&gen_dir) else {
            continue;
        };
        let package = package_name(&message.package_id);
        if package == "grade-deps" {
            library_rlib = Some(rlib.to_path_buf());
        } else if names.iter().any(|n| n.as_str() == package) {
            externs.insert(message.target.name.replace('-', "_"), rlib.to_path_buf());
        }
    }
    if externs.len() != names.len() {
        return Err(Error::Dependencies {
            log: format!("cargo built {externs:?} but the exercise needs {names:?}"),
            offline: false,
        });
    }
    let library = match (library_source, library_hash, library_rlib) {
        (Some((name, _)), Some(source), Some(rlib)) => Some(LibraryRecord { name, rlib, source }),
        (Some(_), _, _) => {
            return Err(Error::Dependencies {
                log: "cargo did not report the exercise's library".into(),
                offline: false,
            })
        }
        _ => None,
    };
    let mut key = Key::new("deps-fingerprint");
    key.add(project.as_bytes())
        .add(library.as_ref().map_or("", |l| &l.source).as_bytes());
    // Every compiled file rustc may read: the libraries' rlibs and metadata, the direct ones and
    // those it finds with `-L dependency=`.
    let search = PathBuf::from("target").join("debug").join("deps");
    let mut compiled: Vec<PathBuf> = std::fs::read_dir(gen_dir.join(&search))
        .map_err(|e| cache.io(format!("reading {}", gen_dir.join(&search).display()), e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rlib" || e == "rmeta"))
        .filter_map(|p| p.strip_prefix(&gen_dir).ok().map(Path::to_path_buf))
        .collect();
    compiled.extend(externs.values().cloned());
    compiled.extend(library.iter().map(|l| l.rlib.clone()));
    let mut files = BTreeMap::new();
    for file in compiled {
        let digest = Digest::of_file(&gen_dir.join(&file))
            .map_err(|e| cache.io(format!("reading {}", gen_dir.join(&file).display()), e))?;
        files.insert(file, digest);
    }
    let record = DepsRecord {
        generation: generation.clone(),
        externs,
        library,
        search,
        edition,
        fingerprint: key.finish(),
        files,
    };
    crate::cache::write_sealed(
        &dir.join(DEPS_RECORD),
        serde_json::to_string_pretty(&record)
            .expect("serialises")
            .as_bytes(),
    )?;
    // Older generations no grader uses are of no use to anyone.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && path != gen_dir {
                if let Ok(Some(_unused)) = crate::cache::try_lock_exclusive(&path.join(DEPS_IN_USE))
                {
                    crate::cache::remove(&path);
                }
            }
        }
    }
    // Keep using what was just built: exclusive (for the build) becomes shared (for use).
    drop(in_use);
    let in_use = crate::cache::lock_shared(&gen_dir.join(DEPS_IN_USE))
        .map_err(|e| cache.io(format!("locking {}", gen_dir.display()), e))?;
    Ok(deps_from(&dir, record, in_use))
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
    // Their 20 MB are hashed only when a file's metadata changed since it was last hashed: a
    // warm grade reads their metadata alone.
    let stamps_path = generation.join(DEPS_CHECKED);
    let mut stamps: BTreeMap<PathBuf, crate::cache::Stamp> =
        crate::cache::read_sealed(&stamps_path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
    let mut restamped = false;
    for (file, digest) in &record.files {
        let mut stamp = stamps.get(file).cloned();
        let before = stamp.clone();
        if let Err(why) = digest.check_stamped(&generation.join(file), &mut stamp) {
            cache.note(format!(
                "the cached dependencies are damaged ({}: {why}): they are compiled again",
                generation.join(file).display()
            ));
            return None;
        }
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
    crate::cache::touch(&dir.join(DEPS_RECORD));
    Some(deps_from(dir, record, in_use))
}

fn read_deps_record(cache: &Cache, dir: &Path) -> Option<DepsRecord> {
    let path = dir.join(DEPS_RECORD);
    match crate::cache::read_sealed(&path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(record) => Some(record),
            Err(e) => {
                cache.discard(&path, &format!("not a record of this version: {e}"));
                None
            }
        },
        Err(Unusable::Missing) => None,
        Err(Unusable::Damaged(why)) => {
            cache.discard(&path, &why);
            None
        }
    }
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
            source: l.source.clone(),
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

/// Rewrites a file only when its content changes: cargo rebuilds what it sees modified.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    write_atomic(path, bytes)
}

#[derive(Deserialize)]
struct Artifact {
    reason: String,
    #[serde(default)]
    package_id: String,
    #[serde(default)]
    target: ArtifactTarget,
    #[serde(default)]
    filenames: Vec<PathBuf>,
}

#[derive(Deserialize, Default)]
struct ArtifactTarget {
    name: String,
    kind: Vec<String>,
}

/// `registry+https://...#ndarray@0.17.2` or `ndarray 0.17.2 (registry+...)` → `ndarray`.
fn package_name(id: &str) -> &str {
    match id.rsplit_once('#') {
        Some((_, tail)) => tail.split('@').next().unwrap_or(tail),
        None => id.split(' ').next().unwrap_or(id),
    }
}

impl Deps {
    /// `--extern` and `-L` arguments that make the dependencies available to rustc.
    pub fn extern_args(&self) -> Vec<String> {
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
    pub(crate) fn claim(cache: &Cache, deps: &str, build: &str) -> Result<Workspace> {
        let base = cache.dir(&[crate::cache::WORK, deps, build])?;
        for slot in 0.. {
            let dir = base.join(slot.to_string());
            std::fs::create_dir_all(&dir)
                .map_err(|e| cache.io(format!("creating {}", dir.display()), e))?;
            let path = dir.join("lock");
            let Some(lock) = crate::cache::try_lock_exclusive(&path)
                .map_err(|e| cache.io(format!("opening {}", path.display()), e))?
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

    fn incremental(&self) -> PathBuf {
        self.dir.join("incremental")
    }

    /// The compiler's temporary folder (`TMPDIR`): inside the folder it may write to.
    fn tmp(&self) -> PathBuf {
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
        remove_unstaged(&root, &root, staged).map_err(|e| e.in_cache(&cache.root))?;
        for (relative, bytes) in &staged.files {
            let path = root.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| cache.io(format!("creating {}", parent.display()), e))?;
            }
            if std::fs::read(&path).is_ok_and(|old| old == *bytes) {
                continue;
            }
            std::fs::write(&path, bytes)
                .map_err(|e| cache.io(format!("writing {}", path.display()), e))?;
        }
        let tmp = self.tmp();
        std::fs::create_dir_all(&tmp)
            .map_err(|e| cache.io(format!("creating {}", tmp.display()), e))?;
        Ok(())
    }

    /// A file of the folder at least `limit` bytes long: what a compile stopped by the file-size
    /// limit was writing (rustc, or the linker it ran).
    fn file_at_least(&self, limit: u64) -> bool {
        fn walk(dir: &Path, limit: u64) -> bool {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return false;
            };
            entries.flatten().any(|entry| match entry.metadata() {
                Ok(meta) if meta.is_dir() => walk(&entry.path(), limit),
                Ok(meta) => meta.len() >= limit,
                Err(_) => false,
            })
        }
        walk(&self.dir, limit)
    }
}

/// Removes files under `dir` that are not part of `staged`, so a file of an earlier build cannot
/// be picked up by this one (`mod` finds files by name).
fn remove_unstaged(root: &Path, dir: &Path, staged: &Staged) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_unstaged(root, &path, staged)?;
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .to_string();
        if !staged.files.contains_key(&relative) {
            std::fs::remove_file(&path)
                .map_err(|e| Error::io(format!("removing {}", path.display()), e))?;
        }
    }
    Ok(())
}

/// A compiled build, or why the submission's code made none.
#[derive(Debug, Clone)]
pub struct Built {
    /// The build's cache key (empty for a build that could not be staged).
    pub key: String,
    /// Its binary, or the submission's failure.
    pub result: std::result::Result<Binary, Rejection>,
    /// Held while this build may still run: the prune leaves its binary alone.
    _in_use: Option<Arc<Held>>,
}

/// A probe binary in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    pub path: PathBuf,
    /// Which build of a bundle the binary runs (see [`crate::bundle`]); none when it was compiled
    /// alone.
    pub unit: Option<String>,
    /// Its length and hash when it was made.
    pub digest: Digest,
}

/// Why the submission's code made no binary: the submission's own failure, graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rejected", rename_all = "snake_case")]
pub enum Rejection {
    /// Its files could not be staged (a file-reading macro, a variant that cannot be spliced
    /// in): said as a compiler message.
    Unstaged { reason: String },
    /// rustc's errors, pointing into the crate's files, as it printed them.
    Errors { diagnostics: String },
    /// Its code exceeded a limit while compiling; what rustc said before it stopped.
    Limit {
        limit: BuildLimit,
        diagnostics: String,
    },
}

/// A bound on a compile that the submission's code went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "limit", rename_all = "snake_case")]
pub enum BuildLimit {
    /// Address space, in MiB.
    Memory { mib: u64 },
    /// CPU time, in seconds.
    CpuTime { seconds: u64 },
    /// The largest file a compile may write, in MiB.
    FileSize { mib: u64 },
    /// Wall-clock time, in seconds, while the compiler was working.
    WallTime { seconds: u64 },
}

impl std::fmt::Display for BuildLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildLimit::Memory { mib } => write!(
                f,
                "compiling your code needed more than {} of memory (grade's limit on a compile)",
                crate::cache::human(mib << 20)
            ),
            BuildLimit::CpuTime { seconds } => write!(
                f,
                "compiling your code needed more than {seconds} s of CPU time (grade's limit on a compile)"
            ),
            BuildLimit::FileSize { mib } => write!(
                f,
                "compiling your code wrote a file larger than {} (grade's limit on a compile): a constant or static that large cannot be graded",
                crate::cache::human(mib << 20)
            ),
            BuildLimit::WallTime { seconds } => {
                write!(f, "the compiler did not finish within {seconds} s")
            }
        }
    }
}

impl Rejection {
    /// What the report shows: rustc's messages, or the reason in their words.
    pub fn diagnostics(&self) -> String {
        match self {
            Rejection::Unstaged { reason } => reason.clone(),
            Rejection::Errors { diagnostics } => diagnostics.clone(),
            Rejection::Limit { limit, diagnostics } => {
                let mut text = diagnostics.trim_end().to_string();
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(&format!("error: {limit}"));
                text
            }
        }
    }
}

impl Built {
    /// A build whose files could not be staged.
    pub fn unstaged(reason: String) -> Built {
        Built {
            key: String::new(),
            result: Err(Rejection::Unstaged { reason }),
            _in_use: None,
        }
    }

    /// A unit of a bundle's binary (see [`crate::bundle`]).
    pub(crate) fn bundled(
        key: String,
        binary: &(PathBuf, Digest),
        unit: String,
        lock: &Arc<Held>,
    ) -> Built {
        Built {
            key,
            result: Ok(Binary {
                path: binary.0.clone(),
                unit: Some(unit),
                digest: binary.1.clone(),
            }),
            _in_use: Some(lock.clone()),
        }
    }

    pub fn ok(&self) -> bool {
        self.result.is_ok()
    }

    pub fn binary(&self) -> Option<&Binary> {
        self.result.as_ref().ok()
    }

    /// What the report shows of the compile: nothing when it built.
    pub fn diagnostics(&self) -> String {
        match &self.result {
            Ok(_) => String::new(),
            Err(rejection) => rejection.diagnostics(),
        }
    }
}

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

/// Everything a compile needs besides the crate.
#[derive(Debug, Clone)]
pub struct Compiler {
    pub toolchain: Toolchain,
    pub deps: Deps,
    pub cache: Cache,
    /// Wall-clock bound on one compile.
    pub timeout: Duration,
    /// Folders a compile must not see (the trusted exercise, the solutions, the cache's builds
    /// and observations; see [`sandbox::Job::hide`]).
    pub hide: Vec<PathBuf>,
    /// Binaries already checked against their digest by this process.
    checked: Arc<Mutex<HashSet<PathBuf>>>,
}

/// Flags of every probe build: opt-level 0 keeps the compile short, which dominates a regrade.
/// Line tables (no other debug information) let a panic inside a library be traced back to the
/// submission's own line; measured, they cost nothing on an incremental recompile and about
/// 0.05 s on a compile from scratch.
// `-A warnings` rather than `--cap-lints allow`: deny-by-default lints such as `long_running_const_eval`
// must still stop a compile-time infinite loop with a message.
const RUSTC_FLAGS: &[&str] = &[
    "-C",
    "opt-level=0",
    "-C",
    "debuginfo=line-tables-only",
    "-A",
    "warnings",
    "--color",
    "never",
];

/// The address space a compile may take. Measured (rustc 1.95, 2 cores): a build of this exercise
/// needs at least 526 MiB, a bundle of 16 builds 646 MiB; 2 GiB leaves room for other toolchains
/// and larger exercises, and keeps a compile to a small part of a CI runner's memory. A constant
/// that expands to gigabytes stops here.
pub const BUILD_MEMORY_MIB: u64 = 2048;

/// The largest file a compile may write. A build's binary is about 6 MB, a bundle's 8 MB; a
/// static of more than about 100 MB stops here, before it fills the disk.
pub const BUILD_FILE_SIZE: u64 = 128 << 20;

/// A compile that timed out having used less CPU than this share of its wall-clock time was
/// starved by a busy machine, not kept busy by the code.
const BUSY_SHARE: f64 = 0.1;

/// The variables a compile keeps: where to find the linker, the locale of its messages, and where
/// a toolchain installed outside the system's paths finds its libraries (`TMPDIR` is set to the
/// working folder's own).
const COMPILER_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LD_LIBRARY_PATH",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
];

/// How a compile ended, for grading.
enum Ending {
    /// rustc made the binary.
    Built,
    /// The submission's failure; `keep`: worth caching (the same code fails the same way);
    /// `wipe`: the compile was stopped by a limit, and what it left is of no use (and may be large).
    Rejected {
        rejection: Rejection,
        keep: bool,
        wipe: bool,
    },
    /// Not the submission's: tried once more from scratch when `retry`, else an error.
    Fault { error: Error, retry: bool },
}

impl Compiler {
    pub fn new(
        toolchain: Toolchain,
        deps: Deps,
        cache: Cache,
        timeout: Duration,
        hide: Vec<PathBuf>,
    ) -> Compiler {
        Compiler {
            toolchain,
            deps,
            cache,
            timeout,
            hide,
            checked: Arc::default(),
        }
    }

    /// Compiles `staged`, or returns the cached result of an identical compile. The submission's
    /// failures are a [`Rejection`]; grade's own (a crash, a full disk) are an error, never cached.
    pub fn compile(&self, staged: &Staged) -> Result<Built> {
        let key = self.key(staged);
        if let Some(built) = self.cached(&key) {
            return Ok(built);
        }
        let workspace = Workspace::claim(&self.cache, &self.deps.fingerprint, &staged.build)?;
        workspace.lay_out(staged, &self.cache)?;
        let mut retried = false;
        loop {
            let finished = self.rustc(&workspace, crate::stage::ROOT, &[], self.timeout)?;
            let messages = Messages::parse(&finished.stderr.text());
            match self.judge(&finished, &messages, &workspace, staged, &staged.build) {
                Ending::Built => {
                    let (binary, lock) = self.keep_binary(&workspace, &key)?;
                    let built = Built {
                        key,
                        result: Ok(Binary {
                            path: binary.0,
                            unit: None,
                            digest: binary.1,
                        }),
                        _in_use: Some(lock),
                    };
                    self.record(&built)?;
                    return Ok(built);
                }
                Ending::Rejected {
                    rejection,
                    keep,
                    wipe,
                } => {
                    if wipe {
                        workspace.wipe();
                    }
                    let built = Built {
                        key,
                        result: Err(rejection),
                        _in_use: None,
                    };
                    if keep {
                        self.record(&built)?;
                    }
                    return Ok(built);
                }
                Ending::Fault { error, retry } if retry && !retried => {
                    let cause = match &error {
                        Error::Compiler(fault) => fault.cause(),
                        other => other.to_string(),
                    };
                    self.cache.note(format!(
                        "the compile of the build `{}` failed, not because of the code ({cause}): its incremental state was wiped and it was compiled again from scratch",
                        staged.build
                    ));
                    retried = true;
                    workspace.wipe();
                    workspace.lay_out(staged, &self.cache)?;
                }
                Ending::Fault { error, .. } => {
                    workspace.wipe();
                    return Err(error);
                }
            }
        }
    }

    /// Whose a finished compile's failure is, if it failed. The submission's: errors that point
    /// into the crate's files, a limit its code went past (rlimit signals, the kernel's count of
    /// the memory and CPU it used, a file as large as the limit). Grade's own: anything else (a
    /// crash, an internal compiler error, a failure without a word about the code, a full disk, a
    /// compiler starved by a busy machine).
    fn judge(
        &self,
        finished: &sandbox::Finished,
        messages: &Messages,
        workspace: &Workspace,
        staged: &Staged,
        what: &str,
    ) -> Ending {
        let fault = |error: Error, retry: bool| Ending::Fault { error, retry };
        let limit = |limit: BuildLimit, keep: bool| Ending::Rejected {
            rejection: Rejection::Limit {
                limit,
                diagnostics: self.explain(&messages.rendered()),
            },
            keep,
            wipe: true,
        };
        let usage = finished.usage;
        let what = format!("the build `{what}`");
        match finished.exit {
            Exit::Code(0) if workspace.crate_dir().join("probe").is_file() => return Ending::Built,
            Exit::Code(0) => {
                return fault(
                    CompilerFault::Unexplained {
                        what,
                        message: "it reported success but made no binary".into(),
                    }
                    .into(),
                    true,
                )
            }
            Exit::TimedOut => {
                let wall = self.timeout.as_secs_f64();
                if usage.cpu.as_secs_f64() >= wall * BUSY_SHARE {
                    return limit(
                        BuildLimit::WallTime {
                            seconds: self.timeout.as_secs_f64().round() as u64,
                        },
                        false,
                    );
                }
                return fault(
                    CompilerFault::Starved {
                        what,
                        cpu: usage.cpu.as_secs_f64(),
                        wall,
                    }
                    .into(),
                    false,
                );
            }
            _ => {}
        }
        let in_crate = messages
            .error_files()
            .iter()
            .any(|file| staged.files.contains_key(file));
        if in_crate && !messages.internal_error() {
            // A crate rustc cannot load is the cache's fault when it is one the exercise provides.
            let loading = messages
                .error_codes()
                .iter()
                .any(|code| crate::rustc::CRATE_LOADING.contains(code));
            if loading {
                if let Err(why) = self.deps.intact() {
                    let _ = std::fs::remove_file(
                        self.deps
                            .dir
                            .parent()
                            .unwrap_or(&self.deps.dir)
                            .join(DEPS_RECORD),
                    );
                    return fault(
                        Error::DamagedCache {
                            what: format!("the built dependencies: {why}"),
                        },
                        false,
                    );
                }
            }
            let diagnostics = self.explain(&messages.rendered());
            // rustc's own words when a constant does not fit in the memory a compile may take.
            if messages
                .errors()
                .any(|e| e.message.contains("more memory than available to compiler"))
            {
                return Ending::Rejected {
                    rejection: Rejection::Limit {
                        limit: BuildLimit::Memory {
                            mib: BUILD_MEMORY_MIB,
                        },
                        diagnostics,
                    },
                    keep: true,
                    wipe: false,
                };
            }
            return Ending::Rejected {
                rejection: Rejection::Errors { diagnostics },
                keep: true,
                wipe: false,
            };
        }
        let cpu_limit = self.cpu_seconds();
        match finished.exit {
            Exit::Signal(libc::SIGXCPU) => {
                return limit(BuildLimit::CpuTime { seconds: cpu_limit }, false)
            }
            Exit::Signal(libc::SIGKILL) if usage.cpu.as_secs() >= cpu_limit => {
                return limit(BuildLimit::CpuTime { seconds: cpu_limit }, false)
            }
            Exit::Signal(libc::SIGXFSZ) => {
                return limit(
                    BuildLimit::FileSize {
                        mib: BUILD_FILE_SIZE >> 20,
                    },
                    true,
                )
            }
            _ => {}
        }
        // The linker, stopped by the file-size limit, leaves a file of that size.
        if workspace.file_at_least(BUILD_FILE_SIZE) {
            return limit(
                BuildLimit::FileSize {
                    mib: BUILD_FILE_SIZE >> 20,
                },
                true,
            );
        }
        // An allocation refused by the memory limit ends rustc (or LLVM, or the linker): the
        // kernel's count of what it had in memory says it was near the limit.
        if usage.max_rss >= (BUILD_MEMORY_MIB << 20) / 2 {
            return limit(
                BuildLimit::Memory {
                    mib: BUILD_MEMORY_MIB,
                },
                true,
            );
        }
        if self.cache.is_nearly_full(BUILD_FILE_SIZE) {
            return fault(
                self.cache
                    .no_space(format!("compiling {what}: {}", messages.first_error())),
                false,
            );
        }
        let message = messages.first_error();
        match finished.exit {
            Exit::Code(code) if code == 101 || messages.internal_error() => {
                fault(CompilerFault::Internal { what, message }.into(), true)
            }
            Exit::Code(_) if crate::bundle::reaches_the_linker(staged) => Ending::Rejected {
                // What the code asks of the linker (a foreign function, a symbol) failed: its own.
                rejection: Rejection::Errors {
                    diagnostics: self.explain(&messages.rendered()),
                },
                keep: false,
                wipe: false,
            },
            Exit::Code(_) => fault(CompilerFault::Unexplained { what, message }.into(), true),
            Exit::Signal(signal) => fault(
                CompilerFault::Crashed {
                    what,
                    how: signal_name(signal),
                    message,
                }
                .into(),
                true,
            ),
            Exit::TimedOut => unreachable!("judged above"),
        }
    }

    /// The CPU time a compile may take: its wall-clock bound, in seconds.
    fn cpu_seconds(&self) -> u64 {
        self.timeout.as_secs_f64().ceil().max(1.0) as u64
    }

    /// The cache key of a compile of `staged`: everything that decides what rustc makes of it.
    pub(crate) fn key(&self, staged: &Staged) -> String {
        // A bundled build records under the same key as alone: bundling must never change a result.
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
        let bytes = match crate::cache::read_sealed(&path) {
            Ok(bytes) => bytes,
            Err(Unusable::Missing) => return None,
            Err(Unusable::Damaged(why)) => {
                self.cache.discard(&path, &why);
                return None;
            }
        };
        let record: Record = match serde_json::from_slice(&bytes) {
            Ok(record) => record,
            Err(e) => {
                self.cache
                    .discard(&path, &format!("not a record of this version: {e}"));
                return None;
            }
        };
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
                // Held before it is checked, so that no prune removes what was checked.
                let lock = crate::cache::lock_file_shared(&binary);
                let checked = self.checked.lock().expect("not poisoned").contains(&binary);
                let verdict = match (&lock, checked) {
                    (None, _) => Err("its binary is missing".to_string()),
                    (Some(_), true) => Ok(()),
                    (Some(_), false) => digest
                        .check(&binary)
                        .map_err(|why| format!("its binary: {why}")),
                };
                if let Err(why) = verdict {
                    drop(lock);
                    self.cache.discard(&path, &why);
                    if binary.exists() {
                        crate::cache::remove(&binary);
                    }
                    return None;
                }
                self.checked
                    .lock()
                    .expect("not poisoned")
                    .insert(binary.clone());
                Built {
                    key: record.key,
                    result: Ok(Binary {
                        path: binary,
                        unit,
                        digest,
                    }),
                    _in_use: lock.map(Arc::new),
                }
            }
        };
        crate::cache::touch(&path);
        Some(built)
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
            .map_err(|e| self.cache.io(format!("reading {}", binary.display()), e))?;
        // Locked before it moves: the lock follows the file.
        let lock = crate::cache::lock_file_shared(&binary).ok_or_else(|| Error::DamagedCache {
            what: format!("{} vanished", binary.display()),
        })?;
        let dir = self.cache.root.join(BUILDS).join(key);
        std::fs::create_dir_all(&dir)
            .map_err(|e| self.cache.io(format!("creating {}", dir.display()), e))?;
        let target = dir.join(format!("probe-{}", digest.short()));
        std::fs::rename(&binary, &target)
            .map_err(|e| self.cache.io(format!("moving {}", target.display()), e))?;
        self.checked
            .lock()
            .expect("not poisoned")
            .insert(target.clone());
        Ok(((target, digest), Arc::new(lock)))
    }

    /// Runs rustc on the crate laid out in `workspace`, whose root is `root`, with the flags of
    /// every build and `extra`; the binary is `probe` beside the root's folder. rustc and its
    /// linker run confined (see [`sandbox`]): no network, nothing writable but the workspace,
    /// bounded in memory, CPU time and file size.
    pub(crate) fn rustc(
        &self,
        workspace: &Workspace,
        root: &str,
        extra: &[String],
        timeout: Duration,
    ) -> Result<sandbox::Finished> {
        let mut args: Vec<String> = vec![
            "--crate-name".into(),
            "probe".into(),
            "--crate-type".into(),
            "bin".into(),
            "--edition".into(),
            self.deps.edition.clone(),
            "--error-format=json".into(),
        ];
        args.extend(RUSTC_FLAGS.iter().map(|s| s.to_string()));
        args.extend(self.deps.extern_args());
        args.push("-C".into());
        args.push(format!("incremental={}", workspace.incremental().display()));
        args.extend(extra.iter().cloned());
        args.extend(["-o".into(), "probe".into(), root.into()]);
        // A submission reads the compiler's environment with `env!`: it gets only what rustc and
        // its linker need, never the grader's own variables (`GRADE_SEED`, a CI's secrets).
        let mut env: Vec<(String, String)> = COMPILER_ENV
            .iter()
            .filter_map(|name| Some((name.to_string(), std::env::var(name).ok()?)))
            .collect();
        env.push((
            "TMPDIR".into(),
            workspace.tmp().to_string_lossy().into_owned(),
        ));
        let job = Job {
            program: self.toolchain.rustc.clone(),
            args,
            cwd: workspace.crate_dir(),
            env,
            clear_env: true,
            channel: false,
            isolate: true,
            writable: Some(workspace.dir().to_path_buf()),
            hide: self.hide.clone(),
            limits: Limits {
                wall: timeout,
                grace: Duration::from_millis(500),
                address_space: Some(BUILD_MEMORY_MIB << 20),
                cpu_seconds: Some(self.cpu_seconds()),
                file_size: Some(BUILD_FILE_SIZE),
                open_files: None,
                processes: None,
                // JSON diagnostics are several times the size of the rendered ones.
                output_cap: 1 << 20,
                channel_cap: 0,
            },
        };
        sandbox::run(&job).map_err(|e| {
            if crate::cache::is_no_space(&e) {
                self.cache.no_space("starting the compiler")
            } else if e.kind() == std::io::ErrorKind::NotFound {
                Error::Toolchain {
                    program: self.toolchain.rustc.display().to_string(),
                    message: e.to_string(),
                }
            } else {
                Error::io(
                    format!(
                        "starting a sandboxed compile with {}",
                        self.toolchain.rustc.display()
                    ),
                    e,
                )
            }
        })
    }

    /// Adds what rustc cannot know: which crates the exercise provides.
    fn explain(&self, diagnostics: &str) -> String {
        let available: Vec<&str> = self.deps.externs.keys().map(String::as_str).collect();
        let mut missing: Vec<String> = Vec::new();
        for line in diagnostics.lines() {
            for marker in [
                "unlinked crate `",
                "can't find crate for `",
                "unresolved import `",
                "undeclared crate or module `",
            ] {
                if let Some(rest) = line.split(marker).nth(1) {
                    let name = rest.split(['`', ':']).next().unwrap_or("").to_string();
                    let known = available.contains(&name.as_str())
                        || ["crate", "self", "super", "std", "core", "alloc"]
                            .contains(&name.as_str());
                    if !name.is_empty()
                        && !known
                        && !missing.contains(&name)
                        && line.contains("crate")
                    {
                        missing.push(name);
                    }
                }
            }
        }
        let mut text = diagnostics.trim_end().to_string();
        for name in missing {
            text.push_str(&format!(
                "\n\nnote: `{name}` is not a crate this exercise provides; you can use {} and the standard library.",
                available.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        text
    }
}

/// A signal's name, for a message.
fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGILL => "SIGILL",
        libc::SIGTERM => "SIGTERM",
        _ => return format!("killed by signal {signal}"),
    };
    format!("killed by {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_both_id_formats() {
        assert_eq!(
            package_name("registry+https://github.com/rust-lang/crates.io-index#ndarray@0.17.2"),
            "ndarray"
        );
        assert_eq!(
            package_name("ndarray 0.17.2 (registry+https://github.com/rust-lang/crates.io-index)"),
            "ndarray"
        );
    }
}
