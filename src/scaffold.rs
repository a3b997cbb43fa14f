//! `grade new`: scaffolds a working exercise from the templates in `templates/new/` (embedded in
//! the binary): a stub with `todo!()`, a reference, a probe with one scenario, an
//! `exercise.toml` with one check and a catalogue with one known mistake, so that `grade
//! validate` passes on it at once and the instructor edits from there. The instructor's side
//! goes into a `solutions/` folder beside the exercises' folder, never inside the exercise: the
//! exercise folder alone is what students receive.

use crate::error::{Error, IoContext, Result};
use std::path::{Path, PathBuf};

/// Where a template goes: in the exercise folder or the solutions folder.
#[derive(Clone, Copy)]
enum Side {
    Exercise,
    Solutions,
}

/// Each template, where it goes (`{{module}}` in a path is replaced too) and its text.
const TEMPLATES: [(Side, &str, &str); 9] = [
    (
        Side::Exercise,
        "Cargo.toml",
        include_str!("../templates/new/Cargo.toml.tmpl"),
    ),
    (
        Side::Exercise,
        "README.md",
        include_str!("../templates/new/README.md.tmpl"),
    ),
    (
        Side::Exercise,
        "exercise.toml",
        include_str!("../templates/new/exercise.toml.tmpl"),
    ),
    (
        Side::Exercise,
        "probe.rs",
        include_str!("../templates/new/probe.rs.tmpl"),
    ),
    (
        Side::Exercise,
        "src/lib.rs",
        include_str!("../templates/new/lib.rs.tmpl"),
    ),
    (
        Side::Exercise,
        "src/{{module}}.rs",
        include_str!("../templates/new/stub.rs.tmpl"),
    ),
    (
        Side::Solutions,
        "{{module}}.rs",
        include_str!("../templates/new/reference.rs.tmpl"),
    ),
    (
        Side::Solutions,
        "mistakes/mistakes.toml",
        include_str!("../templates/new/mistakes.toml.tmpl"),
    ),
    (
        Side::Solutions,
        "mistakes/sum_not_divided.rs",
        include_str!("../templates/new/mistake.rs.tmpl"),
    ),
];

/// Module names that would collide with the staged crate's own files or with crates every build
/// sees.
const RESERVED: [&str; 8] = [
    "main", "lib", "harness", "std", "core", "alloc", "crate", "self",
];

/// What `grade new` made.
#[derive(Debug, Clone)]
pub struct Scaffold {
    /// The exercise's name (its crate's name).
    pub name: String,
    /// The exercise folder: what students receive.
    pub exercise: PathBuf,
    /// The reference and the known mistakes.
    pub solutions: PathBuf,
    /// Every file written, exercise's first.
    pub files: Vec<PathBuf>,
}

/// Writes a new exercise into `folder` (missing or empty) named `name` (by default the folder's
/// own name), and its solutions beside the exercises' folder: `<parent>/../solutions/<name>` when
/// `folder` is in a folder named `exercises` (this repository's layout), `<parent>/solutions/<name>`
/// otherwise.
pub fn create(folder: &Path, name: Option<&str>) -> Result<Scaffold> {
    let name = match name {
        Some(name) => name.to_string(),
        None => folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let module = check_name(&name)?;
    let parent = folder.parent().unwrap_or(Path::new(""));
    let (solutions, relative) = if parent.file_name().is_some_and(|n| n == "exercises") {
        let root = parent.parent().unwrap_or(Path::new(".."));
        (root.join("solutions").join(&module), "../../solutions")
    } else {
        (parent.join("solutions").join(&module), "../solutions")
    };
    ensure_empty(folder)?;
    ensure_empty(&solutions)?;
    let fill = |text: &str| {
        text.replace("{{name}}", &name)
            .replace("{{module}}", &module)
            .replace("{{title}}", &format!("The {name} exercise"))
            .replace("{{solutions}}", &format!("{relative}/{module}"))
    };
    let mut files = Vec::new();
    for (side, path, text) in TEMPLATES {
        let root = match side {
            Side::Exercise => folder,
            Side::Solutions => &solutions,
        };
        let path = root.join(fill(path));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).at(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, fill(text)).at(|| format!("writing {}", path.display()))?;
        files.push(path);
    }
    Ok(Scaffold {
        name,
        exercise: folder.to_path_buf(),
        solutions,
        files,
    })
}

/// The module name of the exercise `name` (`-` becomes `_`), or why it cannot be one.
fn check_name(name: &str) -> Result<String> {
    let bad = |why: &str| Error::BadName {
        name: name.to_string(),
        why: why.to_string(),
    };
    let module = name.replace('-', "_");
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(bad(&crate::tr!("new-name-first")));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(bad(&crate::tr!("new-name-chars")));
    }
    if RESERVED.contains(&module.as_str()) || syn::parse_str::<syn::Ident>(&module).is_err() {
        return Err(bad(&crate::tr!("new-name-reserved")));
    }
    Ok(module)
}

/// Refuses a path that exists and is not an empty folder.
fn ensure_empty(path: &Path) -> Result<()> {
    match std::fs::read_dir(path).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::NotEmpty {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if path.exists() => Err(Error::NotEmpty {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("forward-pass").unwrap(), "forward_pass");
        for bad in ["", "Forward", "1st", "a b", "main", "harness", "fn", "é"] {
            assert!(check_name(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_file_or_a_full_folder_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ex");
        std::fs::write(&file, "keep").unwrap();
        assert!(matches!(create(&file, None), Err(Error::NotEmpty { .. })));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
        let full = dir.path().join("full");
        std::fs::create_dir(&full).unwrap();
        std::fs::write(full.join("x"), "keep").unwrap();
        assert!(matches!(create(&full, None), Err(Error::NotEmpty { .. })));
        assert_eq!(std::fs::read_dir(&full).unwrap().count(), 1);
        assert!(!dir.path().join("solutions").exists());
    }

    #[test]
    fn solutions_go_beside_the_exercises_folder() {
        let dir = tempfile::tempdir().unwrap();
        let made = create(&dir.path().join("exercises/dot-product"), None).unwrap();
        assert_eq!(made.name, "dot-product");
        assert!(dir
            .path()
            .join("solutions/dot_product/dot_product.rs")
            .is_file());
        let spec = std::fs::read_to_string(made.exercise.join("exercise.toml")).unwrap();
        assert!(spec.contains("reference = \"../../solutions/dot_product/dot_product.rs\""));
        assert!(spec.contains("submission = [\"src/dot_product.rs\"]"));
        assert!(!spec.contains("{{"));
    }
}
