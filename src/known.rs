//! What a submission is compared with: the reference's observations and the known mistakes'.
//! In the instructor's repository they are made from the sources under `solutions/` (built and
//! probed like any submission, cached); `grade bless` writes them to `expected.json`, from which a
//! students' copy without solutions grades and diagnoses. This module owns that file.

use crate::bilingual::{Survey, Text, Untranslated};
use crate::cache::{write_atomic, Key};
use crate::error::{Error, Result};
use crate::probe::Outcome;
use crate::spec::Spec;
use crate::stage::Source;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Observations of one source, by scenario id.
pub type Outcomes = BTreeMap<String, Outcome>;

/// The reference's and the known mistakes' observations on every scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Known {
    /// A hash, per file, of the trusted inputs that shape observations (scenarios, probe, given
    /// files, variants): a copy whose files differ cannot use these observations.
    pub inputs: BTreeMap<String, String>,
    /// A hash of the reference's and the mistakes' sources, when they were made from them.
    pub sources: String,
    /// The reference's observations.
    pub reference: Outcomes,
    /// Each known mistake's, in catalog order.
    pub mistakes: Vec<KnownMistake>,
}

/// A known mistake and how it behaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownMistake {
    pub id: String,
    /// What the code does wrong, in a line.
    pub title: Text,
    /// What a good teaching assistant would say.
    pub hint: Text,
    pub outcomes: Outcomes,
}

/// An entry of the catalog, with its source.
#[derive(Debug, Clone)]
pub struct Mistake {
    pub id: String,
    pub title: Text,
    pub hint: Text,
    pub source: Source,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    #[serde(default)]
    mistake: Vec<toml::Spanned<CatalogEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogEntry {
    id: String,
    file: String,
    title: Text,
    hint: Text,
}

/// Reads the catalog named by the spec (none when this copy has none).
pub fn read_catalog(spec: &Spec) -> Result<Vec<Mistake>> {
    parse_catalog(spec).map(|(mistakes, _)| mistakes)
}

/// The titles and hints of the catalog that lack a language.
pub fn untranslated_in_catalog(spec: &Spec) -> Result<Vec<Untranslated>> {
    parse_catalog(spec).map(|(_, untranslated)| untranslated)
}

/// The catalog's mistakes, and its sentences that lack a language.
fn parse_catalog(spec: &Spec) -> Result<(Vec<Mistake>, Vec<Untranslated>)> {
    let Some(path) = &spec.mistakes else {
        return Ok((Vec::new(), Vec::new()));
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let at = |offset: usize, message: String| {
        let (line, column) = crate::text::line_column(&text, offset);
        Error::Spec {
            path: path.clone(),
            line,
            column,
            message,
        }
    };
    let catalog: Catalog = toml::from_str(&text).map_err(|e| {
        at(
            e.span().map_or(0, |s| s.start),
            e.message().trim().to_string(),
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut mistakes: Vec<Mistake> = Vec::new();
    let mut survey = Survey {
        file: path,
        text: &text,
        languages: &spec.languages,
        found: Vec::new(),
    };
    for spanned in catalog.mistake {
        let start = spanned.span().start;
        let entry = spanned.into_inner();
        let id = &entry.id;
        survey.note(start, || format!("mistake `{id}`: title"), &entry.title);
        survey.note(start, || format!("mistake `{id}`: hint"), &entry.hint);
        if mistakes.iter().any(|m| m.id == entry.id) {
            return Err(at(
                start,
                crate::tr!("spec-duplicate-mistake", id = &entry.id),
            ));
        }
        let file = dir.join(&entry.file);
        if !file.is_file() {
            return Err(at(
                start,
                crate::tr!(
                    "spec-mistake-no-file",
                    id = &entry.id,
                    file = file.display().to_string()
                ),
            ));
        }
        let mut source = Source::read(spec, &file)?;
        source.label = entry.id.clone();
        mistakes.push(Mistake {
            id: entry.id,
            title: entry.title,
            hint: entry.hint,
            source,
        });
    }
    let untranslated = survey.found;
    Ok((mistakes, untranslated))
}

/// The input that stands for the shared probe harness (of the `grade` that blessed).
pub const HARNESS_INPUT: &str = "grade's probe harness";

/// Hashes, per file, of the trusted inputs that shape observations. `seeds` are the seeds each
/// scenario runs with.
pub fn input_hashes(
    spec: &Spec,
    seeds: &dyn Fn(&crate::spec::Scenario) -> u64,
) -> Result<BTreeMap<String, String>> {
    let mut hashes = BTreeMap::new();
    let mut scenarios = Key::new("scenarios");
    for s in &spec.scenarios {
        scenarios.add(s.id.as_bytes()).add(s.build.as_bytes());
        for arg in s.argv(seeds(s)) {
            scenarios.add(arg.as_bytes());
        }
    }
    hashes.insert("exercise.toml (scenarios)".to_string(), scenarios.finish());
    // The harness carries what every probe reports, and lives in grade's binary, not the folder.
    hashes.insert(
        HARNESS_INPUT.to_string(),
        crate::build::harness::identity(&spec.harness_features),
    );
    let mut files: Vec<(String, String)> =
        spec.given.iter().map(|f| (f.clone(), f.clone())).collect();
    files.push((spec.probe.clone(), spec.probe.clone()));
    files.extend(spec.library.iter().map(|f| (f.clone(), f.clone())));
    for variant in &spec.variants {
        files.push((
            variant.from.clone(),
            format!("{}{}", variant.from, variant.replace.join(",")),
        ));
    }
    for (file, salt) in files {
        let path = spec.dir.join(&file);
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        let mut key = Key::new("file");
        key.add(salt.as_bytes()).add(&bytes);
        hashes.insert(file, key.finish());
    }
    Ok(hashes)
}

/// A hash of the reference's and the mistakes' sources.
pub fn sources_hash(reference: &Source, mistakes: &[Mistake]) -> String {
    let mut key = Key::new("sources");
    for text in reference.files.values() {
        key.add(text.as_bytes());
    }
    for m in mistakes {
        key.add(m.id.as_bytes());
        for text in [&m.title, &m.hint] {
            // English alone hashes as the plain string it was before French was added, so an
            // English-only exercise's expected.json stays current.
            key.add(text.en.as_deref().unwrap_or_default().as_bytes());
            if let Some(fr) = &text.fr {
                key.add(b"\0fr\0").add(fr.as_bytes());
            }
        }
        for text in m.source.files.values() {
            key.add(text.as_bytes());
        }
    }
    key.finish()
}

/// Reads `expected.json`; `None` when there is none.
pub fn read_expected(path: &Path) -> Result<Option<Known>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| Error::SpecFile {
            path: path.to_path_buf(),
            message: crate::tr!("spec-expected-unreadable", error = e.to_string()),
        })
}

/// Writes `expected.json`.
pub fn write_expected(path: &Path, known: &Known) -> Result<()> {
    // Compact: it is generated, and students' copies read it at every grade.
    let mut text = serde_json::to_string(known).expect("observations serialise");
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// The files whose hash differs between two sets of input hashes.
pub fn changed_inputs(
    blessed: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut names: Vec<String> = blessed.keys().chain(now.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| blessed.get(n) != now.get(n))
        .collect()
}

/// Whether two sets of known observations are the same, NaN included (which `==` on floats is not).
pub fn same_observations(a: &Known, b: &Known) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}
