//! The cargo project that builds the exercise's dependencies and its library. Cargo is used for
//! this alone, since only it resolves, downloads and builds crates; every build after is a direct
//! rustc call against what it made. The project is generated from the exercise's `Cargo.toml`, and
//! what cargo built is read back from its JSON messages, not guessed from file names. The shared
//! probe harness is one of its dependencies, written into it from the copy in the binary.

use super::harness;
use super::invoke::BUILD_FILE_SIZE;
use super::Toolchain;
use crate::cache::{write_atomic, Cache, Key};
use crate::error::{Error, IoContext, Result};
use crate::progress::Progress;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command, Stdio};

/// The generated project's package: its library is the exercise's.
const PACKAGE: &str = "grade-deps";
/// The harness's folder in the generated project (a path dependency, so a workspace member).
const HARNESS_DIR: &str = "harness";

/// What the exercise asks to be built, read from its folder.
pub(super) struct Project {
    /// The dependencies `Cargo.toml` lists, and the harness.
    pub(super) names: Vec<String>,
    /// Its `[dependencies]` table, as the generated project lists them.
    dependencies: String,
    pub(super) edition: String,
    /// Its `Cargo.lock`, if any: the versions the exercise was made with.
    lock: Vec<u8>,
    /// A `[profile.dev.package]` section for each package to build at opt-level 1.
    optimized: String,
    pub(super) library: Option<LibrarySource>,
    /// The harness's features the exercise asks for.
    harness_features: Vec<String>,
}

/// The exercise's `[build] library` file, the generated project's own library.
pub(super) struct LibrarySource {
    /// Its crate name: the file's stem.
    pub(super) name: String,
    text: Vec<u8>,
    /// A hash of its name and source.
    pub(super) hash: String,
}

impl Project {
    /// The exercise's `Cargo.toml` and `Cargo.lock`, its `library` file, the packages to
    /// `optimize`, and the harness's features it asks for.
    pub(super) fn read(
        exercise: &Path,
        library: Option<&str>,
        optimize: &[String],
        harness_features: &[String],
    ) -> Result<Project> {
        let path = exercise.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).at(|| format!("reading {}", path.display()))?;
        let manifest: toml::Table = toml::from_str(&text).map_err(|e| Error::SpecFile {
            path: path.clone(),
            message: e.message().to_string(),
        })?;
        let dependencies = manifest
            .get("dependencies")
            .and_then(|d| d.as_table())
            .cloned()
            .unwrap_or_default();
        if dependencies.contains_key(harness::NAME) {
            return Err(Error::SpecFile {
                path,
                message: format!(
                    "`{}` is the name of grade's probe harness, which every probe gets: rename \
                     this dependency",
                    harness::NAME
                ),
            });
        }
        let edition = manifest
            .get("package")
            .and_then(|p| p.get("edition"))
            .and_then(|e| e.as_str())
            .unwrap_or("2021")
            .to_string();
        let library = match library {
            Some(file) => Some(LibrarySource::read(exercise, file)?),
            None => None,
        };
        let mut names: Vec<String> = dependencies.keys().cloned().collect();
        names.push(harness::NAME.to_string());
        Ok(Project {
            names,
            dependencies: toml::to_string(&dependencies).expect("a table serialises"),
            edition,
            lock: std::fs::read(exercise.join("Cargo.lock")).unwrap_or_default(),
            optimized: optimized(optimize, library.as_ref()),
            library,
            harness_features: harness_features.to_vec(),
        })
    }

    /// The key of the folder its builds are kept in: all that cargo builds from but the library,
    /// so that editing the library recompiles it alone (the record of what was built says which
    /// library it holds). The harness is in it: a grade with another harness builds its own set.
    pub(super) fn key(&self, toolchain: &Toolchain) -> String {
        let mut key = Key::new("deps-v5");
        key.add(toolchain.version.as_bytes())
            .add(harness::hash(&self.harness_features).as_bytes())
            .add(self.dependencies.as_bytes())
            .add(&self.lock)
            .add(self.edition.as_bytes())
            .add(self.optimized.as_bytes());
        key.finish()
    }

    fn cargo_toml(&self) -> String {
        let lib_name = self
            .library
            .as_ref()
            .map_or("grade_deps", |l| l.name.as_str());
        format!(
            "[package]\nname = \"{PACKAGE}\"\nversion = \"0.0.0\"\nedition = \"{edition}\"\n\
             publish = false\n\n[workspace]\n\n[lib]\nname = \"{lib_name}\"\npath = \"lib.rs\"\n\n\
             [profile.dev]\ndebug = false\n\n{optimized}[dependencies]\n{dependencies}{harness}",
            edition = self.edition,
            optimized = self.optimized,
            dependencies = self.dependencies,
            harness = harness::dependency(HARNESS_DIR, &self.harness_features),
        )
    }

    /// Writes the project into `dir`.
    fn write(&self, dir: &Path) -> Result<()> {
        write_if_changed(&dir.join("Cargo.toml"), self.cargo_toml().as_bytes())?;
        let library = self.library.as_ref().map_or(&[][..], |l| &l.text);
        write_if_changed(&dir.join("lib.rs"), library)?;
        if !self.lock.is_empty() {
            write_if_changed(&dir.join("Cargo.lock"), &self.lock)?;
        }
        for (relative, text) in harness::FILES {
            let path = dir.join(HARNESS_DIR).join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).at(|| format!("creating {}", parent.display()))?;
            }
            write_if_changed(&path, text.as_bytes())?;
        }
        Ok(())
    }
}

impl LibrarySource {
    fn read(exercise: &Path, file: &str) -> Result<LibrarySource> {
        let path = exercise.join(file);
        let text = std::fs::read(&path).at(|| format!("reading {}", path.display()))?;
        let name = Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("library")
            .replace('-', "_");
        let mut key = Key::new("library");
        key.add(name.as_bytes()).add(&text);
        Ok(LibrarySource {
            name,
            text,
            hash: key.finish(),
        })
    }
}

/// The profile sections that build the packages of `optimize` at opt-level 1. The library is the
/// generated project's own package: `optimize` names it by its crate name.
fn optimized(optimize: &[String], library: Option<&LibrarySource>) -> String {
    let library = library.map(|l| l.name.as_str());
    optimize
        .iter()
        .map(|name| {
            if Some(name.as_str()) == library {
                PACKAGE
            } else {
                name
            }
        })
        .map(|package| format!("[profile.dev.package.{package}]\nopt-level = 1\n\n"))
        .collect()
}

/// Rewrites a file only when its content changes: cargo rebuilds what it sees modified.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    write_atomic(path, bytes)
}

/// What cargo built, by path relative to the project's folder.
pub(super) struct Outputs {
    /// Each dependency's rlib, by its crate name.
    pub(super) externs: BTreeMap<String, PathBuf>,
    /// The library's rlib.
    pub(super) library: Option<PathBuf>,
}

/// Builds `project` with cargo in `dir`, telling `progress` of each crate done.
pub(super) fn build(
    project: &Project,
    toolchain: &Toolchain,
    cache: &Cache,
    dir: &Path,
    progress: &dyn Fn(Progress),
) -> Result<Outputs> {
    project.write(dir)?;
    let artifacts = run(toolchain, cache, dir, progress)?;
    let outputs = outputs(&artifacts, dir, &project.names);
    if outputs.externs.len() != project.names.len() {
        return Err(Error::Dependencies {
            log: format!(
                "cargo built {:?} but the exercise needs {:?}",
                outputs.externs, project.names
            ),
            offline: false,
        });
    }
    Ok(outputs)
}

/// Runs `cargo build` in `dir`; the libraries it reported built.
fn run(
    toolchain: &Toolchain,
    cache: &Cache,
    dir: &Path,
    progress: &dyn Fn(Progress),
) -> Result<Vec<Artifact>> {
    let mut child = Command::new(&toolchain.cargo)
        .args(["build", "--lib", "--message-format=json"])
        .current_dir(dir)
        .env("RUSTC", &toolchain.rustc)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| Error::ToolchainUnavailable {
            program: toolchain.cargo.display().to_string(),
            source,
        })?;
    let mut stderr = child.stderr.take().expect("piped");
    let log = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });
    let artifacts = artifacts(child.stdout.take().expect("piped"), progress);
    let status = child.wait().at(|| "waiting for cargo".into())?;
    let log = log.join().unwrap_or_default();
    if !status.success() {
        if cache.is_nearly_full(BUILD_FILE_SIZE) {
            return Err(cache.no_space("building the exercise's dependencies"));
        }
        // Only to add a hint to the message: the failure is reported whatever cargo said.
        let offline = log.contains("failed to download")
            || log.contains("Unable to update")
            || log.contains("failed to get");
        return Err(Error::Dependencies { log, offline });
    }
    Ok(artifacts)
}

/// cargo's messages as they come, so that a first-time user sees each crate done: the artifacts
/// it built.
fn artifacts(stdout: ChildStdout, progress: &dyn Fn(Progress)) -> Vec<Artifact> {
    let mut artifacts = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        if let Ok(Message::CompilerArtifact(artifact)) = serde_json::from_str(&line) {
            progress(Progress::Step(&crate::tr!(
                "progress-deps-step",
                count = artifacts.len() + 1,
                last = package_name(&artifact.package_id)
            )));
            artifacts.push(artifact);
        }
    }
    artifacts
}

/// The rlibs of the libraries among `artifacts`: the dependencies `names` lists, and the
/// project's own library.
fn outputs(artifacts: &[Artifact], dir: &Path, names: &[String]) -> Outputs {
    let mut outputs = Outputs {
        externs: BTreeMap::new(),
        library: None,
    };
    for artifact in artifacts {
        if !artifact
            .target
            .kind
            .iter()
            .any(|k| k == "lib" || k == "rlib")
        {
            continue;
        }
        let Some(rlib) = artifact
            .filenames
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == "rlib"))
        else {
            continue;
        };
        let Ok(rlib) = rlib.strip_prefix(dir) else {
            continue;
        };
        let package = package_name(&artifact.package_id);
        if package == PACKAGE {
            outputs.library = Some(rlib.to_path_buf());
        } else if names.iter().any(|n| n == package) {
            let name = artifact.target.name.replace('-', "_");
            outputs.externs.insert(name, rlib.to_path_buf());
        }
    }
    outputs
}

/// One line of cargo's JSON messages: the artifacts, the rest ignored.
#[derive(Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum Message {
    CompilerArtifact(Artifact),
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct Artifact {
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

/// `registry+https://...#ndarray@0.17.2` or `ndarray 0.17.2 (registry+...)` → `ndarray`; a
/// path package named as its folder is `path+file:///.../harness#0.1.0` → `harness`.
fn package_name(id: &str) -> &str {
    match id.rsplit_once('#') {
        Some((_, tail)) if tail.contains('@') => tail.split('@').next().unwrap_or(tail),
        Some((url, _)) => url.rsplit('/').next().unwrap_or(url),
        None => id.split(' ').next().unwrap_or(id),
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
        assert_eq!(package_name("path+file:///tmp/g/harness#0.1.0"), "harness");
        assert_eq!(
            package_name("path+file:///tmp/g/harness-src#harness@0.1.0"),
            "harness"
        );
    }
}
