//! The shared probe harness (the `harness` crate of this repository), embedded in the binary so
//! that `grade` finds it wherever it runs (a student's copy of an exercise has no repository
//! beside it): its files are written into the generated dependency project and built there once
//! per toolchain, like any dependency.

use crate::cache::Key;

/// The crate name a probe uses (`use harness::...`).
pub(crate) const NAME: &str = "harness";

/// The harness's files, by path in its crate folder. Every file of `harness/src` is here (a unit
/// test says so), so a module added there cannot be forgotten.
pub(crate) const FILES: [(&str, &str); 8] = [
    ("Cargo.toml", include_str!("../../harness/Cargo.toml")),
    ("src/lib.rs", include_str!("../../harness/src/lib.rs")),
    ("src/arrays.rs", include_str!("../../harness/src/arrays.rs")),
    (
        "src/channel.rs",
        include_str!("../../harness/src/channel.rs"),
    ),
    ("src/json.rs", include_str!("../../harness/src/json.rs")),
    ("src/panics.rs", include_str!("../../harness/src/panics.rs")),
    ("src/params.rs", include_str!("../../harness/src/params.rs")),
    ("src/rng.rs", include_str!("../../harness/src/rng.rs")),
];

/// A hash of the harness's source and the features an exercise asks of it: which harness a set
/// of dependencies holds.
pub(crate) fn hash(features: &[String]) -> String {
    let mut key = Key::new("harness");
    for (path, text) in FILES {
        key.add(path.as_bytes()).add(text.as_bytes());
    }
    for feature in features {
        key.add(feature.as_bytes());
    }
    key.finish()
}

/// What an `expected.json` records of the harness it was blessed with: its version and the
/// features asked. Not a hash of its source: an edit that changes no observation (a comment, a
/// new helper) must not make every students' copy of every exercise refuse a newer grade; a
/// change to what probes report bumps the version (and `grade validate` compares observations
/// anew anyway).
pub(crate) fn identity(features: &[String]) -> String {
    let version = manifest()
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .unwrap_or("?")
        .to_string();
    format!("{NAME} {version} [{}]", features.join(", "))
}

fn manifest() -> toml::Table {
    toml::from_str(FILES[0].1).expect("the harness's manifest parses")
}

/// The optional features the harness offers, from its `Cargo.toml`.
pub(crate) fn features() -> Vec<String> {
    manifest()
        .get("features")
        .and_then(|f| f.as_table())
        .map(|table| table.keys().filter(|k| *k != "default").cloned().collect())
        .unwrap_or_default()
}

/// The generated project's dependency line for the harness in `folder`, with `features`.
pub(crate) fn dependency(folder: &str, features: &[String]) -> String {
    let quoted: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    format!(
        "{NAME} = {{ path = {folder:?}, features = [{}] }}\n",
        quoted.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_file_of_the_harness_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("harness");
        let mut on_disk: Vec<String> = std::fs::read_dir(root.join("src"))
            .expect("harness/src")
            .map(|e| format!("src/{}", e.expect("entry").file_name().to_string_lossy()))
            .collect();
        on_disk.push("Cargo.toml".into());
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn features_come_from_the_manifest_and_change_the_hash() {
        assert_eq!(features(), ["ndarray"]);
        assert_ne!(hash(&[]), hash(&["ndarray".to_string()]));
        assert_eq!(
            identity(&["ndarray".to_string()]),
            "harness 0.1.0 [ndarray]"
        );
        assert_eq!(
            dependency("harness", &["ndarray".to_string()]),
            "harness = { path = \"harness\", features = [\"ndarray\"] }\n"
        );
    }
}
