//! Bundles: many staged builds compiled by one rustc call, for grading many submissions at once.
//!
//! Most of a build's compile is what every build shares: rustc starting, ndarray's generic code
//! instantiated for the crate, the link. A bundle pays for that once: each build becomes a module
//! `u<k>` of one crate (its files under `u<k>/`, its `crate::` paths pointed at that module), and
//! the binary runs the build that the `GRADE_UNIT` variable names (and removes it). Nothing else
//! tells the builds apart at run time: no line or column moves, panic locations and `file!()` are
//! remapped to the paths the build has when compiled alone, so its observations are the same.
//! Diagnostics keep the real paths, so a bundle that does not compile says which builds broke it;
//! those are compiled alone, which gives each student rustc's messages as they would see them, and
//! the rest are bundled again.
//!
//! A build is compiled alone, never bundled, when it could reach the other builds of its binary
//! (it names what places code in the whole binary: `#[no_mangle]`, link sections, a global
//! allocator, assembly), when it could see that it is bundled (`module_path!`, type names), when
//! it lifts the compiler's limits on compile time (a compile that never ends would hold up the
//! builds bundled with it until the bundle's timeout), or when it does not parse (it would fail
//! the bundle).

use crate::build::{Built, Compiler, Workspace};
use crate::error::Result;
use crate::rustc::Messages;
use crate::sandbox::Exit;
use crate::stage::{Staged, ROOT};
use crate::text::byte_offset;
use crate::tokens::{self, Around};
use proc_macro2::{Group, Ident, TokenStream};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::str::FromStr;
use std::time::Duration;

/// The variable that tells a bundle's binary which of its builds to run.
pub(crate) const UNIT_ENV: &str = "GRADE_UNIT";

/// At most this many builds in one bundle: beyond it, the bundle's single-threaded front end
/// leaves the second core idle longer than a smaller bundle's start costs.
pub(crate) const MAX_UNITS: usize = 16;

/// Identifiers that let code act outside its own module in a linked binary: export a symbol
/// (which may replace `malloc` for every build of the bundle), run before `main`, or replace the
/// allocator or the panic handler. `include` could bring in any of them from another file.
const WHOLE_BINARY: &[&str] = &[
    "no_mangle",
    "export_name",
    "link_section",
    "link",
    "link_name",
    "linkage",
    "used",
    "global_allocator",
    "panic_handler",
    "alloc_error_handler",
    "global_asm",
    "asm",
    "naked",
    "naked_asm",
    "include",
];

/// Identifiers of what tells a module where it is in its crate, which is not where it is alone.
const SEES_ITS_PATH: &[&str] = &["module_path", "type_name", "type_name_of_val"];

/// Identifiers that let a compile run long: the lint that stops an endless constant evaluation,
/// and the limits on recursion in macros and types.
const RUNS_LONG: &[&str] = &[
    "long_running_const_eval",
    "recursion_limit",
    "type_length_limit",
];

/// Compiles every staged build, cached ones excepted, in bundles of at most [`MAX_UNITS`],
/// `jobs` bundles at once. The results are in the order of `staged`, each what
/// [`Compiler::compile`] would give for it alone: bundling changes the time, never the result.
///
/// `capacity` is the size of the bundles to make when this call is one of many (a batch's
/// chunks): a smaller bundle is padded to it, so that it reuses the working folder of the full
/// ones (see [`compile_bundle`]); 0 when this call is all there is.
pub(crate) fn compile_all(
    compiler: &Compiler,
    staged: &[&Staged],
    jobs: usize,
    capacity: usize,
) -> Vec<Result<Built>> {
    let mut results: Vec<Option<Result<Built>>> = staged.iter().map(|_| None).collect();
    let mut units = Vec::new();
    let mut alone = Vec::new();
    for (i, s) in staged.iter().enumerate() {
        let key = compiler.key(s);
        if let Some(built) = compiler.cached(&key) {
            results[i] = Some(Ok(built));
        } else {
            match Unit::new(i, s, key) {
                Some(unit) => units.push(unit),
                None => alone.push(i),
            }
        }
    }
    let jobs = jobs.max(1);
    let size = bundle_size(units.len(), jobs);
    let mut groups: Vec<Vec<Unit>> = Vec::new();
    for (n, unit) in units.into_iter().enumerate() {
        if n % size == 0 {
            groups.push(Vec::new());
        }
        groups.last_mut().expect("just pushed").push(unit);
    }
    let capacity = bundle_size(capacity, jobs).max(size);
    let bundled = crate::parallel::map(&groups, jobs, |group| {
        compile_group(compiler, group, capacity)
    });
    for (i, outcome) in bundled.into_iter().flatten() {
        match outcome {
            Some(built) => results[i] = Some(Ok(built)),
            None => alone.push(i),
        }
    }
    let solo = crate::parallel::map(&alone, jobs, |&i| compiler.compile(staged[i]));
    for (i, built) in alone.into_iter().zip(solo) {
        results[i] = Some(built);
    }
    results
        .into_iter()
        .map(|r| r.expect("every build compiled"))
        .collect()
}

/// The size of bundles for `units` builds: as even as can be, at most [`MAX_UNITS`], and at
/// least one bundle per job, so that the jobs finish together.
fn bundle_size(units: usize, jobs: usize) -> usize {
    let bundles = units.div_ceil(MAX_UNITS).max(jobs.min(units)).max(1);
    units.div_ceil(bundles).max(1)
}

/// One build, ready to be a module of a bundle.
struct Unit {
    /// Its position in the caller's list.
    index: usize,
    /// Its compile's cache key, the same as alone.
    key: String,
    /// Its files, relative to its own crate root.
    files: BTreeMap<String, Vec<u8>>,
    /// Where each Rust file says `crate::`, as byte offsets of `crate`.
    crate_paths: BTreeMap<String, Vec<usize>>,
}

impl Unit {
    /// `staged` as a unit, or `None` when it must be compiled alone.
    fn new(index: usize, staged: &Staged, key: String) -> Option<Unit> {
        if !staged.files.contains_key(ROOT) {
            return None;
        }
        let mut crate_paths = BTreeMap::new();
        for (path, bytes) in &staged.files {
            if !path.ends_with(".rs") {
                continue;
            }
            let text = std::str::from_utf8(bytes).ok()?;
            let tokens = TokenStream::from_str(text).ok()?;
            // A syntax error would fail the whole bundle, at the cost of compiling the rest.
            syn::parse2::<syn::File>(tokens.clone()).ok()?;
            let mut scan = Scan::default();
            let _ = tokens::walk(tokens, &mut scan, false);
            let depth = module_depth(path);
            if scan.alone {
                return None;
            }
            if depth > 1 && !scan.crate_paths.is_empty() {
                return None;
            }
            let offsets = scan
                .crate_paths
                .into_iter()
                .map(|(line, column)| byte_offset(text, line, column))
                .collect();
            crate_paths.insert(path.clone(), offsets);
        }
        Some(Unit {
            index,
            key,
            files: staged.files.clone(),
            crate_paths,
        })
    }

    /// The unit's files as the `slot`-th module of a bundle: under `u<slot>/`, each `crate::` made
    /// a path to the unit's root of the same length (`self ::` in the root, `super::` in its child
    /// modules: no column moves, so a panic's location is the same), and an entry point the
    /// bundle's `main` can call.
    fn place(&self, slot: usize, into: &mut BTreeMap<String, Vec<u8>>) {
        let module = module(slot);
        for (path, bytes) in &self.files {
            let mut bytes = bytes.clone();
            if let Some(offsets) = self.crate_paths.get(path) {
                let root: &[u8; 5] = if module_depth(path) == 0 {
                    b"self "
                } else {
                    b"super"
                };
                for &at in offsets {
                    bytes[at..at + 5].copy_from_slice(root);
                }
            }
            if path == ROOT {
                // Appended, so that no line or column of the file moves. A child module's `fn`
                // may call its parent's private `main`.
                bytes.extend_from_slice(
                    format!(
                        "\n#[doc(hidden)]\npub(crate) fn {ENTRY}() -> impl \
                         std::process::Termination {{\n    main()\n}}\n"
                    )
                    .as_bytes(),
                );
            }
            into.insert(format!("{module}/{path}"), bytes);
        }
    }
}

/// The bundle's crate root: at the top, so that `u<k>/src/...` is what rustc calls each file.
const BUNDLE_ROOT: &str = "bundle.rs";
/// The function each unit's root gets, that runs its `main`.
const ENTRY: &str = "__grade_unit_main";
/// The bundle's `main`, after its `mod` lines; `{arms}` is one `match` arm per unit.
const DISPATCH: &str = r#"
fn main() -> std::process::ExitCode {
    use std::process::Termination;
    let unit = std::env::var("{unit_env}");
    // Gone before the build runs, whose environment is then the one it has alone (`unsafe` from
    // the 2024 edition on; there is one thread yet).
    #[allow(unused_unsafe)]
    unsafe {
        std::env::remove_var("{unit_env}");
    }
    match unit.as_deref() {
{arms}        _ => std::process::ExitCode::from(101),
    }
}
"#;

fn module(slot: usize) -> String {
    format!("u{slot}")
}

/// What a unit's tokens hold that bundling must know. The walk's scope is whether a token is
/// inside an inline `mod` or a `macro_rules!`.
#[derive(Default)]
struct Scan {
    /// Line and column (in characters) of each `crate` that starts a path (`crate::`, not
    /// `$crate::`) at the file's own module level.
    crate_paths: Vec<(usize, usize)>,
    /// The file must be compiled alone: some identifier of [`WHOLE_BINARY`], [`SEES_ITS_PATH`] or
    /// [`RUNS_LONG`] appears, or a `crate::` path inside an inline `mod` or a `macro_rules!`, where
    /// the replacement's meaning would depend on where it ends up.
    alone: bool,
}

impl tokens::Visit for Scan {
    type Scope = bool;

    fn ident(&mut self, ident: &Ident, around: &Around, nested: bool) -> ControlFlow<()> {
        let name = ident.to_string();
        if [WHOLE_BINARY, SEES_ITS_PATH, RUNS_LONG]
            .iter()
            .any(|list| list.contains(&name.as_str()))
        {
            self.alone = true;
        }
        // `$crate` in a macro is the bundle's root, not the unit's: left as it is, it fails to
        // resolve, and the unit is compiled alone.
        let dollar = around.is_punct(-1, '$');
        if name == "crate" && around.is_punct(1, ':') && around.is_punct(2, ':') && !dollar {
            if nested {
                self.alone = true;
            } else {
                let start = ident.span().start();
                self.crate_paths.push((start.line, start.column));
            }
        }
        if self.alone {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    fn enter(&mut self, _: &Group, around: &Around, nested: bool) -> bool {
        // `mod name { .. }` or `macro_rules! name { .. }`.
        let opens_scope = around.is_ident(-2, "mod")
            || (around.is_ident(-3, "macro_rules") && around.is_punct(-2, '!'));
        nested || opens_scope
    }
}

/// How deep `path` is in its crate's module tree: 0 for the root, 1 for `src/model.rs` or
/// `src/model/mod.rs`, and so on.
fn module_depth(path: &str) -> usize {
    let inside = path.strip_prefix("src/").unwrap_or(path);
    let parts = inside.split('/').count();
    if path == ROOT || inside == "lib.rs" {
        0
    } else if inside.ends_with("/mod.rs") {
        parts - 1
    } else {
        parts
    }
}

/// What became of each unit of a group, by its index: built, or `None` to be compiled alone.
type GroupOutcome = Vec<(usize, Option<Built>)>;

/// Compiles `group` as bundles until every unit is built or set aside: a bundle that fails to
/// compile is tried again without the units its errors point into.
fn compile_group(compiler: &Compiler, group: &[Unit], capacity: usize) -> GroupOutcome {
    let mut pending: Vec<&Unit> = group.iter().collect();
    let mut outcome = GroupOutcome::new();
    while pending.len() > 1 {
        match compile_bundle(compiler, &pending, capacity) {
            Ok(Bundle::Built(built)) => {
                outcome.extend(pending.iter().zip(built).map(|(u, b)| (u.index, Some(b))));
                return outcome;
            }
            Ok(Bundle::Broken(slots)) if slots.iter().any(|&slot| slot < pending.len()) => {
                let mut slot = 0;
                pending.retain(|unit| {
                    let broken = slots.contains(&slot);
                    slot += 1;
                    if broken {
                        outcome.push((unit.index, None));
                    }
                    !broken
                });
            }
            // A timeout, errors in no unit (the link), or the machine's fault: each alone, where
            // the limits and the messages are a single build's.
            Ok(Bundle::Broken(_)) | Ok(Bundle::TimedOut) | Err(_) => break,
        }
    }
    outcome.extend(pending.iter().map(|u| (u.index, None)));
    outcome
}

enum Bundle {
    /// Compiled: each unit's build, in order.
    Built(Vec<Built>),
    /// rustc rejected it; the slots of the units its errors point into.
    Broken(BTreeSet<usize>),
    TimedOut,
}

/// One rustc call for `units`, padded to `capacity`, in a working folder kept for bundles of that
/// capacity.
///
/// rustc keeps the incremental state of its last compile in a folder, and reuses it well when the
/// crate's files change (another student's `backprop.rs` in a slot: the slot's given files and
/// probe are reused) but hardly at all when its modules change: a bundle with one unit fewer than
/// the last compiles as if from nothing. So every bundle of a capacity has the same modules: the
/// units fill the first slots, and the rest are padded, with what they held in the folder's last
/// bundle if it compiled (unchanged, so nearly free), else with copies of the first unit.
fn compile_bundle(compiler: &Compiler, units: &[&Unit], capacity: usize) -> Result<Bundle> {
    let capacity = capacity.max(units.len());
    let build = format!("bundle-{capacity}");
    let workspace = Workspace::claim(&compiler.cache, &compiler.deps.fingerprint, &build)?;
    // There when the folder's last bundle compiled: only then are its slots worth keeping.
    let compiled = workspace.dir().join("compiled");
    let files = bundle_files(units, capacity, &workspace, compiled.is_file());
    let staged = Staged { build, files };
    let key = compiler.key(&staged);
    workspace.lay_out(&staged, &compiler.cache)?;
    let _ = std::fs::remove_file(&compiled);
    // A bundle is bounded more tightly than a build: when it runs long, its units are compiled
    // alone, each with the full bound, so a slow machine costs time but never a grade.
    let timeout = compiler
        .timeout
        .min(Duration::from_secs(10) + Duration::from_secs(capacity as u64));
    let finished = compiler.rustc(&workspace, BUNDLE_ROOT, &remaps(capacity), timeout)?;
    match finished.exit {
        Exit::Code(0) if workspace.crate_dir().join("probe").is_file() => {
            let (binary, lock) = compiler.keep_binary(&workspace, &key)?;
            let _ = std::fs::write(&compiled, b"");
            let mut built = Vec::new();
            for (slot, unit) in units.iter().enumerate() {
                let b = Built::bundled(unit.key.clone(), &binary, module(slot), &lock);
                compiler.record(&b)?;
                built.push(b);
            }
            Ok(Bundle::Built(built))
        }
        Exit::TimedOut => Ok(Bundle::TimedOut),
        Exit::Code(1) => {
            let messages = Messages::parse(&finished.stderr.text());
            let slots = broken_slots(&messages.error_files(), capacity);
            if slots.is_empty() {
                // Errors in no unit (a link that failed): the state it left is not reused.
                workspace.wipe();
            }
            Ok(Bundle::Broken(slots))
        }
        // A crash, a limit, an internal compiler error: nothing a unit can be blamed for. Its
        // units are compiled alone, and the state it left is not reused.
        _ => {
            workspace.wipe();
            Ok(Bundle::Broken(BTreeSet::new()))
        }
    }
}

/// The files of a bundle of `capacity` slots: each unit in its slot, the other slots padded (with
/// what `workspace` holds of them when `reuse`, see [`compile_bundle`]), and the crate root that
/// declares every slot's module and runs the one [`UNIT_ENV`] names.
fn bundle_files(
    units: &[&Unit],
    capacity: usize,
    workspace: &Workspace,
    reuse: bool,
) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut root = String::from(
        "// Written by grade: several builds compiled as one crate; GRADE_UNIT says which runs.\n",
    );
    for slot in 0..capacity {
        match units.get(slot) {
            Some(unit) => unit.place(slot, &mut files),
            None => {
                let held = workspace.files_of(&module(slot));
                if reuse && held.contains_key(&format!("{}/{ROOT}", module(slot))) {
                    files.extend(held);
                } else {
                    units[0].place(slot, &mut files);
                }
            }
        }
        root.push_str(&format!(
            "#[path = \"{m}/{ROOT}\"]\nmod {m};\n",
            m = module(slot)
        ));
    }
    let arms: String = (0..capacity)
        .map(|slot| {
            format!(
                "        Ok(\"{m}\") => {m}::{ENTRY}().report(),\n",
                m = module(slot)
            )
        })
        .collect();
    root.push_str(
        &DISPATCH
            .replace("{unit_env}", UNIT_ENV)
            .replace("{arms}", &arms),
    );
    files.insert(BUNDLE_ROOT.to_string(), root.into_bytes());
    files
}

/// rustc's arguments that name each unit's files, in panics and `file!()`, as they are named when
/// the unit is compiled alone; diagnostics keep the slot, to say which unit broke the bundle.
fn remaps(capacity: usize) -> Vec<String> {
    let mut extra = Vec::new();
    for slot in 0..capacity {
        extra.push("--remap-path-prefix".to_string());
        extra.push(format!("{}/=", module(slot)));
    }
    extra.extend(["--remap-path-scope".to_string(), "macro".to_string()]);
    extra
}

/// The units that rustc's errors point into: files under `u<k>/`.
fn broken_slots(files: &BTreeSet<String>, units: usize) -> BTreeSet<usize> {
    files
        .iter()
        .filter_map(|file| file.strip_prefix('u'))
        .filter_map(|rest| rest.split_once('/'))
        .filter_map(|(slot, _)| slot.parse::<usize>().ok())
        .filter(|&slot| slot < units)
        .collect()
}

/// Whether the code of `staged` gives the linker something of its own to do (a foreign function
/// to find, a symbol to export, a section, assembly), so that a failed link may be its fault.
pub(crate) fn reaches_the_linker(staged: &Staged) -> bool {
    staged
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .filter_map(|(_, bytes)| TokenStream::from_str(std::str::from_utf8(bytes).ok()?).ok())
        .any(|tokens| tokens::walk(tokens, &mut Links, ()).is_break())
}

/// Ends the walk at an identifier of [`WHOLE_BINARY`], or at an `extern "ABI" { .. }` block.
struct Links;

impl tokens::Visit for Links {
    type Scope = ();

    fn ident(&mut self, ident: &Ident, around: &Around, _: ()) -> ControlFlow<()> {
        let name = ident.to_string();
        let block = around.is_block(1) || (around.is_literal(1) && around.is_block(2));
        if WHOLE_BINARY.contains(&name.as_str()) || (name == "extern" && block) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    fn enter(&mut self, _: &Group, _: &Around, _: ()) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(files: &[(&str, &str)]) -> Option<Unit> {
        let staged = Staged {
            build: crate::spec::MAIN_BUILD.into(),
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
                .collect(),
        };
        Unit::new(0, &staged, "k".into())
    }

    fn placed(unit: &Unit, slot: usize, path: &str) -> String {
        let mut files = BTreeMap::new();
        unit.place(slot, &mut files);
        String::from_utf8(files.remove(&format!("u{slot}/{path}")).unwrap()).unwrap()
    }

    #[test]
    fn crate_paths_point_at_the_unit_and_nothing_else_moves() {
        let source = "use crate::model::{Layer};\nfn f() { let s = \"crate::x\"; // crate::y\n  \
                      pub(crate) fn g() {} m!(crate::z); }\nmacro_rules! n { () => { \
                      $crate::w } }\n";
        let unit = unit(&[
            (ROOT, "use crate::utils::f;\nfn main() {}\n"),
            ("src/backprop.rs", source),
        ])
        .unwrap();
        assert_eq!(
            placed(&unit, 3, "src/backprop.rs"),
            "use super::model::{Layer};\nfn f() { let s = \"crate::x\"; // crate::y\n  \
             pub(crate) fn g() {} m!(super::z); }\nmacro_rules! n { () => { $crate::w } }\n"
        );
        let root = placed(&unit, 3, ROOT);
        assert!(root.starts_with("use self ::utils::f;\nfn main() {}\n"));
        assert!(root.contains("fn __grade_unit_main()"));
    }

    #[test]
    fn crate_paths_whose_meaning_depends_on_nesting_are_compiled_alone() {
        let main = (ROOT, "fn main() {}");
        assert!(unit(&[main, ("src/a.rs", "mod b { use crate::x; }")]).is_none());
        assert!(unit(&[main, ("src/a.rs", "macro_rules! m { () => { crate::x } }")]).is_none());
        assert!(unit(&[main, ("src/a/b.rs", "use crate::x;")]).is_none());
        assert!(unit(&[main, ("src/a/mod.rs", "use crate::x;")]).is_some());
        assert!(unit(&[main, ("src/a.rs", "mod b { fn f() {} }")]).is_some());
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let unit = unit(&[(ROOT, "fn main() { let é = 1; crate::f(); }\n")]).unwrap();
        assert!(placed(&unit, 0, ROOT).starts_with("fn main() { let é = 1; self ::f(); }"));
    }

    #[test]
    fn code_that_reaches_the_binary_or_sees_its_path_or_runs_long_or_does_not_parse_is_alone() {
        for attribute in [
            "#[no_mangle]",
            "#[unsafe(export_name = \"malloc\")]",
            "#[cfg_attr(all(), link_section = \".init_array\")]",
            "#[used]",
            "#[global_allocator]",
        ] {
            let source = format!("{attribute}\nstatic X: u8 = 0;\nfn main() {{}}\n");
            assert!(unit(&[(ROOT, &source)]).is_none(), "{attribute}");
        }
        assert!(unit(&[(ROOT, "fn main() { core::arch::asm!(\"nop\") }")]).is_none());
        // The probe reads its data file; submitted files cannot (see `stage::screen`).
        let main = (
            ROOT,
            "const DATA: &str = include_str!(\"../data/train.csv\");\nfn main() {}",
        );
        assert!(unit(&[main]).is_some());
        let named = "fn main() { println!(\"{}\", std::any::type_name::<u8>()) }";
        assert!(unit(&[(ROOT, named)]).is_none());
        let endless = "#[allow(long_running_const_eval)]\nconst X: u8 = loop {};\nfn main() {}";
        assert!(unit(&[(ROOT, endless)]).is_none());
        assert!(unit(&[(ROOT, "fn main() { \"unterminated }")]).is_none());
        assert!(unit(&[(ROOT, "fn main() { let x = ; }")]).is_none());
        assert!(unit(&[("src/lib.rs", "fn main() {}")]).is_none());
    }

    #[test]
    fn errors_name_the_units_they_are_in() {
        let files: BTreeSet<String> = [
            "u3/src/backprop.rs",
            "u12/src/main.rs",
            "/root/.cargo/registry/src/ndarray/lib.rs",
            "u40/src/a.rs",
            "src/u5.rs",
        ]
        .iter()
        .map(|f| f.to_string())
        .collect();
        assert_eq!(
            broken_slots(&files, 16).into_iter().collect::<Vec<_>>(),
            [3, 12]
        );
    }

    #[test]
    fn code_that_gives_the_linker_work_is_told_apart() {
        let staged = |text: &str| Staged {
            build: crate::spec::MAIN_BUILD.into(),
            files: [(ROOT.to_string(), text.as_bytes().to_vec())].into(),
        };
        for linking in [
            "extern \"C\" { fn missing(); }\nfn main() { unsafe { missing() } }",
            "extern { fn missing(); }",
            "fn main() { extern \"C\" { fn f(); } }",
            "#[no_mangle]\npub fn f() {}",
            "#[used]\nstatic X: u8 = 0;",
        ] {
            assert!(reaches_the_linker(&staged(linking)), "{linking}");
        }
        for not in [
            "fn main() {}",
            "extern crate std;\nfn main() {}",
            "pub extern \"C\" fn callback() {}",
            "fn main() { let s = \"extern { }\"; }",
        ] {
            assert!(!reaches_the_linker(&staged(not)), "{not}");
        }
    }
}
