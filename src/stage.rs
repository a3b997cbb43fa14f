//! The stage stage: turns a submission (or the reference, or a known mistake) into the complete
//! set of files of a crate to compile: the exercise's pristine given files, its probe as
//! `src/main.rs`, and the submitted files, with a variant's items spliced in when a build asks for
//! one. A student's edits to given files never reach this point: only the files `exercise.toml`
//! lists are taken, and none of them may read other files of the machine when compiled (see
//! `screen`).

use crate::error::{Error, IoContext, Result};
use crate::spec::{Spec, Variant};
use crate::text::byte_offset;
use crate::tokens::{self, Around};
use proc_macro2::{Delimiter, Group, Ident};
use quote::ToTokens;
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;

/// The files of one submission-like source, by their path in the exercise crate.
#[derive(Debug, Clone)]
pub struct Source {
    /// How reports name it: a path the user gave, `reference`, or a mistake's id.
    pub label: String,
    /// Where each file came from, to name it in compiler messages.
    pub origins: BTreeMap<String, PathBuf>,
    /// Contents, by relative path (e.g. `src/backprop.rs`).
    pub files: BTreeMap<String, String>,
}

impl Source {
    /// Reads a submission from `path`: a `.rs` file (when the exercise takes one file), or a folder
    /// laid out like the exercise (each listed file at its path, or at the folder's top level).
    pub(crate) fn read(spec: &Spec, path: &Path) -> Result<Source> {
        let bad = |message: String| Error::Submission {
            path: path.to_path_buf(),
            message,
        };
        let mut origins = BTreeMap::new();
        if path.is_file() {
            if spec.submission.len() != 1 {
                return Err(bad(crate::tr!(
                    "submission-many-files",
                    count = spec.submission.len(),
                    files = spec.submission.join(", ")
                )));
            }
            origins.insert(spec.submission[0].clone(), path.to_path_buf());
        } else if path.is_dir() {
            for relative in &spec.submission {
                let nested = path.join(relative);
                let flat = path.join(Path::new(relative).file_name().unwrap_or_default());
                let found = [nested, flat]
                    .into_iter()
                    .find(|p| p.is_file())
                    .ok_or_else(|| bad(crate::tr!("submission-no-file", file = relative)))?;
                origins.insert(relative.clone(), found);
            }
        } else {
            return Err(bad(crate::tr!("submission-missing")));
        }
        let mut files = BTreeMap::new();
        for (relative, origin) in &origins {
            let bytes = std::fs::read(origin).map_err(|source| Error::SubmissionUnreadable {
                path: origin.clone(),
                source,
            })?;
            files.insert(
                relative.clone(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
        Ok(Source {
            label: path.display().to_string(),
            origins,
            files,
        })
    }
}

/// The crate root of every staged build: the exercise's probe.
pub(crate) const ROOT: &str = "src/main.rs";

/// Everything needed to compile one build: file contents by relative path, `ROOT` the root.
#[derive(Debug, Clone)]
pub struct Staged {
    /// The build it is (`main` or a variant's id): successive compiles of the same build reuse
    /// one working folder, so rustc's incremental state carries over from one edit to the next.
    pub build: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The exercise's trusted files, read once per grade.
#[derive(Debug, Clone)]
pub struct Kit {
    given: BTreeMap<String, Vec<u8>>,
    variants: BTreeMap<String, (Variant, String)>,
}

impl Kit {
    pub(crate) fn load(spec: &Spec) -> Result<Kit> {
        let read = |relative: &str| {
            let path = spec.dir.join(relative);
            std::fs::read(&path).at(|| format!("reading {}", path.display()))
        };
        let mut given = BTreeMap::new();
        for relative in &spec.given {
            given.insert(relative.clone(), read(relative)?);
        }
        given.insert(ROOT.to_string(), read(&spec.probe)?);
        let mut variants = BTreeMap::new();
        for variant in &spec.variants {
            let text = String::from_utf8_lossy(&read(&variant.from)?).into_owned();
            variants.insert(variant.id.clone(), (variant.clone(), text));
        }
        Ok(Kit { given, variants })
    }

    /// The crate for `build` (`main` or a variant id) of `source`, or why the submission's files
    /// cannot make it (a file that reads the machine's files, a variant that cannot be made
    /// because the submission does not parse): its own failure, for the report.
    pub(crate) fn stage(&self, source: &Source, build: &str) -> Result<Staged, Unstageable> {
        let mut files = self.given.clone();
        for (relative, text) in &source.files {
            screen(relative, text)?;
            files.insert(relative.clone(), text.clone().into_bytes());
        }
        if let Some((variant, replacements)) = self.variants.get(build) {
            let original = source
                .files
                .get(&variant.file)
                .map(String::as_str)
                .unwrap_or("");
            let spliced = splice(original, replacements, &variant.replace).map_err(|why| {
                Unstageable::Variant {
                    title: variant.title.get().to_string(),
                    why,
                }
            })?;
            files.insert(variant.file.clone(), spliced.into_bytes());
        }
        Ok(Staged {
            build: build.to_string(),
            files,
        })
    }
}

/// Why a submission's files make no crate to compile: the submission's own failure, graded and
/// shown as a compiler message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unstageable {
    /// A submitted file would read files of the machine that compiles it (see `screen`).
    #[error(
        "{}",
        crate::tr!(
            "stage-reads-files",
            what = what,
            place = format!("{file}:{line}:{column}")
        )
    )]
    ReadsFiles {
        what: String,
        file: String,
        line: usize,
        column: usize,
    },
    /// A variant's methods could not be spliced into the submission.
    #[error("{}", crate::tr!("stage-variant", title = title, why = why.to_string()))]
    Variant {
        /// The variant's title.
        title: String,
        #[source]
        why: SpliceError,
    },
}

/// Why `splice` could not replace the methods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpliceError {
    /// The trusted file the methods come from does not parse (syn's message).
    #[error("{}", crate::tr!("splice-replacements", message = .0))]
    Replacements(String),
    /// The trusted file lacks a method to put in.
    #[error("{}", crate::tr!("splice-missing", item = .0))]
    Missing(String),
    /// The submission does not parse, at a 1-based line and column (syn's message).
    #[error(
        "{}",
        crate::tr!("splice-submission", line = *line, column = *column, message = message)
    )]
    Submission {
        line: usize,
        column: usize,
        message: String,
    },
}

/// Macros that put the contents of any file of the machine into the crate.
const FILE_MACROS: &[&str] = &["include", "include_str", "include_bytes"];

/// Refuses a submitted file that would read other files of the machine that compiles it, which in
/// CI holds the trusted exercise folder and its reference solution at a path a student can guess
/// (`#[path = ".../solutions/backprop.rs"] mod answer;` would compile the reference as the
/// student's own). The refusal is worded and placed as rustc words and places an error, so that
/// the report shows it like any compile error. A file that does not lex is left to rustc.
fn screen(relative: &str, text: &str) -> Result<(), Unstageable> {
    let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
        return Ok(());
    };
    let mut reader = FileReader::default();
    let _ = tokens::walk(tokens, &mut reader, false);
    match reader.found {
        None => Ok(()),
        Some((what, at)) => Err(Unstageable::ReadsFiles {
            what,
            file: relative.to_string(),
            line: at.line,
            column: at.column + 1,
        }),
    }
}

/// Finds the first file-reading macro call or `path` attribute, and where it starts. Its scope is
/// whether a token is inside `#[...]`, where `cfg_attr` may hide a `path`.
#[derive(Default)]
struct FileReader {
    found: Option<(String, proc_macro2::LineColumn)>,
}

impl tokens::Visit for FileReader {
    type Scope = bool;

    fn ident(&mut self, ident: &Ident, around: &Around, in_attribute: bool) -> ControlFlow<()> {
        let name = ident.to_string();
        let what = if FILE_MACROS.contains(&name.as_str()) && around.is_punct(1, '!') {
            format!("{name}!")
        } else if in_attribute && name == "path" && around.is_punct(1, '=') {
            "#[path]".to_string()
        } else if in_attribute && name == "debugger_visualizer" {
            "#[debugger_visualizer]".to_string()
        } else {
            return ControlFlow::Continue(());
        };
        self.found = Some((what, ident.span().start()));
        ControlFlow::Break(())
    }

    fn enter(&mut self, group: &Group, around: &Around, in_attribute: bool) -> bool {
        let attribute = group.delimiter() == Delimiter::Bracket
            && (around.is_punct(-1, '#') || (around.is_punct(-1, '!') && around.is_punct(-2, '#')));
        in_attribute || attribute
    }
}

/// Replaces each `Type::method` of `source` by the same method from `replacements`, keeping every
/// other line of `source` where it was: the new method is written on one line and padded with the
/// lines the old one took, so panics and errors in the student's code keep their line numbers.
/// A method the source lacks is added in a new `impl` block at the end.
fn splice(source: &str, replacements: &str, items: &[String]) -> Result<String, SpliceError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let wanted =
        syn::parse_file(replacements).map_err(|e| SpliceError::Replacements(e.to_string()))?;
    let parsed = syn::parse_file(source).map_err(|e| {
        let at = e.span().start();
        SpliceError::Submission {
            line: at.line,
            column: at.column + 1,
            message: e.to_string(),
        }
    })?;

    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut appended = String::new();
    for item in items {
        let (type_name, method) = item.split_once("::").unwrap_or(("", item));
        let (self_ty, new_fn) = find_method(&wanted.items, type_name, method)
            .ok_or_else(|| SpliceError::Missing(item.clone()))?;
        let one_line = new_fn.to_token_stream().to_string();
        match find_method(&parsed.items, type_name, method) {
            Some((_, old_fn)) => {
                let span = old_fn.span();
                let start = byte_offset(source, span.start().line, span.start().column);
                let end = byte_offset(source, span.end().line, span.end().column);
                let padding = "\n".repeat(span.end().line - span.start().line);
                edits.push((start, end, format!("{one_line}{padding}")));
            }
            None => {
                appended.push_str(&format!(
                    "\nimpl {} {{ {one_line} }}\n",
                    self_ty.to_token_stream()
                ));
            }
        }
    }
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut result = source.to_string();
    for (start, end, text) in edits {
        result.replace_range(start..end, &text);
    }
    result.push_str(&appended);
    Ok(result)
}

/// The first inherent method `method` of a type whose path ends in `type_name`, searching inline
/// modules too; with the impl's self type.
fn find_method<'a>(
    items: &'a [syn::Item],
    type_name: &str,
    method: &str,
) -> Option<(&'a syn::Type, &'a syn::ImplItemFn)> {
    items.iter().find_map(|item| match item {
        syn::Item::Impl(block) if block.trait_.is_none() && type_is(&block.self_ty, type_name) => {
            block.items.iter().find_map(|inner| match inner {
                syn::ImplItem::Fn(f) if f.sig.ident == method => Some((&*block.self_ty, f)),
                _ => None,
            })
        }
        syn::Item::Mod(module) => module
            .content
            .as_ref()
            .and_then(|(_, inner)| find_method(inner, type_name, method)),
        _ => None,
    })
}

fn type_is(ty: &syn::Type, name: &str) -> bool {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().is_some_and(|s| s.ident == name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLACEMENT: &str = "impl crate::m::Layer { pub fn backward(&self) -> u8 { 7 } }";

    #[test]
    fn splice_keeps_the_lines_of_everything_else() {
        let source = "use x;\nimpl Layer {\n    /// doc\n    pub fn backward(&self) -> u8 \
                      {\n        1\n    }\n}\nimpl P { fn fit() { panic!() } }\n";
        let out = splice(source, REPLACEMENT, &["Layer::backward".to_string()]).unwrap();
        assert_eq!(out.lines().count(), source.lines().count());
        assert!(
            out.lines().nth(2).unwrap().contains("{ 7 }"),
            "the new method starts where the old one did (its doc comment)"
        );
        assert_eq!(out.lines().nth(7), source.lines().nth(7));
        assert!(!out.contains("doc"));
    }

    #[test]
    fn splice_adds_a_missing_method() {
        let out = splice("struct A;", REPLACEMENT, &["Layer::backward".to_string()]).unwrap();
        assert!(out.contains("impl crate :: m :: Layer"));
    }

    #[test]
    fn splice_reports_a_syntax_error_with_its_line() {
        let err = splice(
            "fn a() {\n let x = ;\n}",
            REPLACEMENT,
            &["Layer::backward".to_string()],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_submission_may_not_read_files_however_it_hides_it() {
        for (text, what) in [
            ("#[path = \"/x.rs\"] mod m;", "#[path]"),
            ("#[cfg_attr(all(), path = \"/x.rs\")] mod m;", "#[path]"),
            (
                "fn f() { let s = include_str!(\"/etc/passwd\"); }",
                "include_str!",
            ),
            (
                "macro_rules! m { () => { include_bytes!(\"/x\") } }",
                "include_bytes!",
            ),
            ("mod m { include!(\"/x.rs\"); }", "include!"),
            (
                "#[debugger_visualizer(natvis_file = \"x\")] mod m {}",
                "#[debugger_visualizer]",
            ),
        ] {
            let error = screen("src/backprop.rs", text).unwrap_err().to_string();
            assert!(error.contains(&format!("`{what}`")), "{text}: {error}");
            assert!(error.contains(" --> src/backprop.rs:1:"), "{text}: {error}");
        }
        for fine in [
            "fn include() {} fn f() { include(); let path = 1; let x = path; }",
            "use std::path::Path; #[doc = \"include_str!(x)\"] fn f() {}",
            "fn f() { \"unterminated }",
        ] {
            assert_eq!(screen("src/backprop.rs", fine), Ok(()), "{fine}");
        }
    }
}
