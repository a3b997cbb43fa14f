//! The build stage: finds the toolchain, builds the exercise's dependencies once per toolchain (with
//! cargo, in the cache), and compiles each staged crate with a direct `rustc` call against those
//! prebuilt libraries: no cargo lock, no dependency rebuilt because a path or flag changed. Each
//! compile is cached by the hash of its inputs, failures included, with rustc's own diagnostics.

use crate::cache::{write_atomic, Cache, Key, BUILDS};
use crate::error::{Error, Result};
use crate::sandbox::{self, Exit, Job, Limits};
use crate::stage::Staged;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

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

/// The exercise's dependencies and library, built once and reused by every compile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deps {
    /// `--extern name=path` for each direct dependency the exercise's `Cargo.toml` lists.
    pub externs: BTreeMap<String, PathBuf>,
    /// The exercise's own library (`[build] library`), linked into every build too.
    pub library: Option<Library>,
    /// Where their own dependencies are (`-L dependency=`).
    pub search: PathBuf,
    /// The exercise crate's edition.
    pub edition: String,
    /// A hash of everything above: part of every build's key.
    pub fingerprint: String,
}

/// The exercise's library, compiled with the dependencies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Library {
    /// Its crate name: the file's stem.
    pub name: String,
    /// The compiled rlib.
    pub rlib: PathBuf,
    /// A hash of its source.
    pub source: String,
}

/// Builds (or finds in the cache) the dependencies listed in the exercise's `Cargo.toml`, and the
/// exercise's `library` file as the lib target of the same cargo project, so that cargo overlaps
/// its compile with the dependencies'. rustc shares generic instances between crates built at
/// opt-levels 0 and 1, so the ndarray code the library instantiates is compiled once instead of in
/// every build. Everything is compiled at opt-level 0 but the few dependencies `optimize` names,
/// whose own code runs hot (matrixmultiply's products, here): at opt-level 1 they cost the first
/// grade almost nothing, where the library at opt-level 1 cost it seconds. `progress` is told when
/// a real build starts, since it takes seconds.
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
    let mut key = Key::new("deps-v3");
    key.add(toolchain.version.as_bytes())
        .add(dependencies_text.as_bytes())
        .add(&lock)
        .add(edition.as_bytes())
        .add(optimized.as_bytes());
    let project = key.finish();
    let dir = cache.dir(&[crate::cache::DEPS, &project])?;
    let record = dir.join("deps.json");
    if let Ok(text) = std::fs::read_to_string(&record) {
        if let Ok(deps) = serde_json::from_str::<Deps>(&text) {
            let same_library = deps.library.as_ref().map(|l| &l.source) == library_hash.as_ref();
            let present = deps
                .externs
                .values()
                .chain(deps.library.iter().map(|l| &l.rlib))
                .all(|p| p.is_file());
            if same_library && present {
                return Ok(deps);
            }
        }
    }

    let names: Vec<&String> = dependencies.keys().collect();
    progress(Progress::Begin(&format!(
        "compiling the exercise's dependencies ({}) once for this toolchain; later grades reuse them",
        names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    )));
    let lib_name = library_source
        .as_ref()
        .map_or("grade_deps".to_string(), |(name, _)| name.clone());
    let cargo_toml = format!(
        "[package]\nname = \"grade-deps\"\nversion = \"0.0.0\"\nedition = \"{edition}\"\npublish = false\n\n\
         [workspace]\n\n[lib]\nname = \"{lib_name}\"\npath = \"lib.rs\"\n\n[profile.dev]\ndebug = false\n\n{optimized}[dependencies]\n{dependencies_text}"
    );
    write_if_changed(&dir.join("Cargo.toml"), cargo_toml.as_bytes())?;
    write_if_changed(
        &dir.join("lib.rs"),
        library_source.as_ref().map_or(&[][..], |(_, text)| text),
    )?;
    if !lock.is_empty() && !dir.join("Cargo.lock").exists() {
        write_atomic(&dir.join("Cargo.lock"), &lock)?;
    }
    // Cargo's messages are read as they come, so a first-time user sees each crate done.
    let mut child = Command::new(&toolchain.cargo)
        .args(["build", "--lib", "--message-format=json"])
        .current_dir(&dir)
        .env("RUSTC", &toolchain.rustc)
        .env("CARGO_TARGET_DIR", dir.join("target"))
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
        let package = package_name(&message.package_id);
        if package == "grade-deps" {
            library_rlib = Some(rlib.clone());
        } else if names.iter().any(|n| n.as_str() == package) {
            externs.insert(message.target.name.replace('-', "_"), rlib.clone());
        }
    }
    if externs.len() != names.len() {
        return Err(Error::Dependencies {
            log: format!("cargo built {externs:?} but the exercise needs {names:?}"),
            offline: false,
        });
    }
    let library = match (library_source, library_hash, library_rlib) {
        (Some((name, _)), Some(source), Some(rlib)) => Some(Library { name, rlib, source }),
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
    let deps = Deps {
        externs,
        library,
        search: dir.join("target").join("debug").join("deps"),
        edition,
        fingerprint: key.finish(),
    };
    write_atomic(
        &record,
        serde_json::to_string_pretty(&deps)
            .expect("serialises")
            .as_bytes(),
    )?;
    Ok(deps)
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
    _lock: std::fs::File,
}

impl Workspace {
    pub(crate) fn claim(cache: &Cache, deps: &str, build: &str) -> Result<Workspace> {
        let base = cache.dir(&[crate::cache::WORK, deps, build])?;
        for slot in 0.. {
            let dir = base.join(slot.to_string());
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
            let path = dir.join("lock");
            let lock = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
            if rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive)
                .is_ok()
            {
                return Ok(Workspace { dir, _lock: lock });
            }
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

    /// Writes the staged files (only those that changed) and removes any file not staged.
    pub(crate) fn lay_out(&self, staged: &Staged) -> Result<()> {
        let root = self.crate_dir();
        let _ = std::fs::remove_file(root.join("probe"));
        remove_unstaged(&root, &root, staged)?;
        for (relative, bytes) in &staged.files {
            let path = root.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
            }
            if std::fs::read(&path).is_ok_and(|old| old == *bytes) {
                continue;
            }
            std::fs::write(&path, bytes)
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        }
        Ok(())
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

/// A compiled build, or why there is none.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Built {
    /// The probe binary, when the compile succeeded.
    pub binary: Option<PathBuf>,
    /// Which build of a bundle the binary runs (see [`crate::bundle`]); none when it was
    /// compiled alone.
    #[serde(default)]
    pub unit: Option<String>,
    /// rustc's errors as it printed them (empty on success).
    pub diagnostics: String,
    /// The build's cache key.
    pub key: String,
}

impl Built {
    pub fn ok(&self) -> bool {
        self.binary.is_some()
    }
}

/// Everything a compile needs besides the crate.
#[derive(Debug, Clone)]
pub struct Compiler {
    pub toolchain: Toolchain,
    pub deps: Deps,
    pub cache: Cache,
    /// Wall-clock bound on one compile.
    pub timeout: Duration,
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

/// The variables a compile keeps: where to find the linker and temporary space, the locale of
/// its messages, and where a toolchain installed outside the system's paths finds its libraries.
const COMPILER_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "TMPDIR",
    "LANG",
    "LC_ALL",
    "LD_LIBRARY_PATH",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
];

impl Compiler {
    /// Compiles `staged`, or returns the cached result of an identical compile.
    pub fn compile(&self, staged: &Staged) -> Result<Built> {
        let key = self.key(staged);
        if let Some(built) = self.cached(&key) {
            return Ok(built);
        }
        let workspace = Workspace::claim(&self.cache, &self.deps.fingerprint, &staged.build)?;
        workspace.lay_out(staged)?;
        let finished = self.rustc(&workspace, crate::stage::ROOT, &[], self.timeout)?;
        let mut diagnostics = finished.stderr.text();
        let built = match finished.exit {
            Exit::Code(0) => Built {
                binary: Some(self.keep_binary(&workspace, &key)?),
                unit: None,
                diagnostics: String::new(),
                key,
            },
            Exit::TimedOut => {
                diagnostics.push_str(&format!(
                    "\nerror: the compiler did not finish within {} s",
                    self.timeout.as_secs_f64()
                ));
                // A timeout may be the machine's fault: not cached.
                return Ok(Built {
                    binary: None,
                    unit: None,
                    diagnostics,
                    key,
                });
            }
            _ => Built {
                binary: None,
                unit: None,
                diagnostics: self.explain(&diagnostics),
                key,
            },
        };
        self.record(&built)?;
        Ok(built)
    }

    /// The cache key of a compile of `staged`: everything that decides what rustc makes of it.
    pub(crate) fn key(&self, staged: &Staged) -> String {
        // A bundled build records under the same key as alone: bundling must never change a result.
        let mut key = Key::new("build-v3");
        key.add(self.toolchain.version.as_bytes())
            .add(self.deps.fingerprint.as_bytes());
        for flag in RUSTC_FLAGS {
            key.add(flag.as_bytes());
        }
        for (path, bytes) in &staged.files {
            key.add(path.as_bytes()).add(bytes);
        }
        key.finish()
    }

    /// The recorded result of the compile `key`, unless its binary has gone since.
    pub(crate) fn cached(&self, key: &str) -> Option<Built> {
        let text = std::fs::read_to_string(self.record_path(key)).ok()?;
        let built = serde_json::from_str::<Built>(&text).ok()?;
        built
            .binary
            .as_ref()
            .is_none_or(|b| b.is_file())
            .then_some(built)
    }

    /// Records `built` under its key, for the next compile of the same inputs.
    pub(crate) fn record(&self, built: &Built) -> Result<()> {
        write_atomic(
            &self.record_path(&built.key),
            serde_json::to_string(built).expect("serialises").as_bytes(),
        )
    }

    fn record_path(&self, key: &str) -> PathBuf {
        self.cache.root.join(BUILDS).join(key).join("build.json")
    }

    /// Moves the binary rustc just made in `workspace` to the cache, under `key`.
    pub(crate) fn keep_binary(&self, workspace: &Workspace, key: &str) -> Result<PathBuf> {
        let binary = workspace.crate_dir().join("probe");
        let dir = self.cache.root.join(BUILDS).join(key);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let target = dir.join("probe");
        std::fs::rename(&binary, &target)
            .map_err(|e| Error::io(format!("moving {}", target.display()), e))?;
        Ok(target)
    }

    /// Runs rustc on the crate laid out in `workspace`, whose root is `root`, with the flags of
    /// every build and `extra`; the binary is `probe` beside the root's folder.
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
        ];
        args.extend(RUSTC_FLAGS.iter().map(|s| s.to_string()));
        args.extend(self.deps.extern_args());
        args.push("-C".into());
        args.push(format!("incremental={}", workspace.incremental().display()));
        args.extend(extra.iter().cloned());
        args.extend(["-o".into(), "probe".into(), root.into()]);
        // A submission reads the compiler's environment with `env!`: it gets only what rustc and
        // its linker need, never the grader's own variables (`GRADE_SEED`, a CI's secrets).
        let env = COMPILER_ENV
            .iter()
            .filter_map(|name| Some((name.to_string(), std::env::var(name).ok()?)))
            .collect();
        let job = Job {
            program: self.toolchain.rustc.clone(),
            args,
            cwd: workspace.crate_dir(),
            env,
            clear_env: true,
            channel: false,
            isolate: false,
            hide: Vec::new(),
            limits: Limits {
                wall: timeout,
                grace: Duration::from_millis(500),
                address_space: None,
                cpu_seconds: None,
                file_size: Some(1 << 30),
                open_files: None,
                processes: None,
                output_cap: 64 * 1024,
                channel_cap: 0,
            },
        };
        sandbox::run(&job).map_err(|e| Error::Toolchain {
            program: self.toolchain.rustc.display().to_string(),
            message: e.to_string(),
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
