//! The spec stage: reads `exercise.toml` into plain structs and checks that it makes sense (ids
//! unique, every scenario pattern matches, every file exists), naming the file, line and column of
//! anything wrong. Nothing else in `grade` reads the exercise's configuration.

use crate::bilingual::{Survey, Text, Untranslated};
use crate::error::{Error, IoContext, Result};
use crate::i18n::Lang;
use crate::judge::rules::Expectation;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// The name of the spec file inside an exercise folder.
pub const SPEC_FILE: &str = "exercise.toml";

/// The id of the build of the submission as written (variants have ids of their own).
pub const MAIN_BUILD: &str = "main";

/// A loaded, validated exercise.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The exercise folder (trusted: everything but the submission comes from here).
    pub dir: PathBuf,
    /// Short name, e.g. `backprop`.
    pub name: String,
    /// One-line title for reports.
    pub title: Text,
    /// Paths, relative to a crate root, of the files taken from the student.
    pub submission: Vec<String>,
    /// Paths of the exercise's files compiled with the submission, at the same relative paths.
    pub given: Vec<String>,
    /// The harness, compiled as the crate root `src/main.rs`.
    pub probe: String,
    /// The reference solution's file, when this copy of the exercise has it.
    pub reference: Option<PathBuf>,
    /// The catalog of known mistakes (`mistakes.toml`), when this copy has it.
    pub mistakes: Option<PathBuf>,
    /// Where `grade bless` writes the reference's observations for copies without solutions.
    pub expected: PathBuf,
    /// Time, memory and output bounds.
    pub limits: Limits,
    /// A library of the exercise's, compiled once with the dependencies and linked into every
    /// build (its crate name is the file's stem): code every build needs, compiled once.
    pub library: Option<String>,
    /// Dependencies (any depth) to compile at opt-level 1: the few whose code the probe runs hot.
    pub optimize: Vec<String>,
    /// The optional features of the shared probe harness the probe uses (`ndarray`).
    pub harness_features: Vec<String>,
    /// Builds other than the submission as written, e.g. its `fit` with a correct `backward`.
    pub variants: Vec<Variant>,
    /// Every probe run, in declaration order.
    pub scenarios: Vec<Scenario>,
    /// Every check, in report order.
    pub checks: Vec<Check>,
    /// The languages every sentence of the exercise is written in (`languages`, English alone
    /// when not given): `grade validate` fails on a sentence that lacks one of them.
    pub languages: Vec<Lang>,
    /// The sentences of `exercise.toml` that lack one of `languages`.
    pub untranslated: Vec<Untranslated>,
}

/// Bounds on what a submission may use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Wall-clock seconds for one probe run, unless a check says otherwise.
    pub timeout: f64,
    /// Wall-clock seconds for one compile.
    pub build_timeout: f64,
    /// Address-space limit of a probe run, in MiB.
    pub memory_mib: u64,
    /// CPU seconds of a probe run.
    pub cpu_seconds: u64,
    /// Bytes kept of each of a probe's stdout and stderr (head and tail).
    pub output_kib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: 10.0,
            build_timeout: 120.0,
            memory_mib: 1024,
            cpu_seconds: 60,
            output_kib: 256,
        }
    }
}

/// A build of the submission with some of its items replaced by the exercise's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Referenced by scenarios' `build`.
    pub id: String,
    /// Said in reports, e.g. "your fit with a correct backward".
    pub title: Text,
    /// The submission file whose items are replaced.
    pub file: String,
    /// Items to replace, as `Type::method`.
    pub replace: Vec<String>,
    /// The exercise file holding the replacements, inside `impl Type` blocks.
    pub from: String,
}

/// The value of a scenario parameter, passed to the probe as `key=value` (lists joined by commas).
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(untagged)]
pub enum Arg {
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Arg>),
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Int(v) => write!(f, "{v}"),
            Arg::Float(v) => write!(f, "{v:?}"),
            Arg::Text(v) => write!(f, "{v}"),
            Arg::List(items) => {
                let items: Vec<String> = items.iter().map(ToString::to_string).collect();
                write!(f, "{}", items.join(","))
            }
        }
    }
}

/// One probe run: a kind, a seed and parameters, on one build.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Unique; checks select scenarios by id pattern.
    pub id: String,
    /// The probe's first argument.
    pub probe: String,
    /// The shipped seed; `--seed` derives another from it, unless `fixed_seed`.
    pub seed: u64,
    /// Keeps `seed` under `--seed`: for a scenario that replays the course's own run, whose
    /// values a student cannot fit (its check measures the model), and whose verdict on a wrong
    /// submission must not depend on a hidden seed.
    pub fixed_seed: bool,
    /// `main` (the submission as written) or a variant's id.
    pub build: String,
    /// Further parameters.
    pub args: BTreeMap<String, Arg>,
    /// Wall-clock bound: the largest of the checks that use it.
    pub timeout: Duration,
}

impl Scenario {
    /// The probe's command line for this scenario with the given seed.
    pub fn argv(&self, seed: u64) -> Vec<String> {
        let mut argv = vec![self.probe.clone(), format!("seed={seed}")];
        argv.extend(
            self.args
                .iter()
                .map(|(key, value)| format!("{key}={value}")),
        );
        argv
    }
}

/// A check: points earned when every expectation holds on every selected scenario.
#[derive(Debug, Clone)]
pub struct Check {
    /// Public id, e.g. `backward.d_biases`.
    pub id: String,
    /// What passes, in a line.
    pub title: Text,
    /// Points when it passes.
    pub points: u32,
    /// Ids of the scenarios it judges.
    pub scenarios: Vec<String>,
    /// What must hold.
    pub expect: Vec<Expectation>,
    /// An observation to draw beside the reference's in the human report.
    pub chart: Option<ChartSpec>,
}

/// A series drawn in the human report, the submission's beside the reference's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    /// The observation, one point per element (of the check's first scenario).
    pub key: String,
    /// What is drawn, e.g. "average loss per epoch".
    pub title: Text,
}

// ---- the file as written ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    exercise: Spanned<RawExercise>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    variant: Vec<Spanned<Variant>>,
    #[serde(default)]
    scenario: Vec<Spanned<RawScenario>>,
    #[serde(default)]
    check: Vec<Spanned<RawCheck>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    name: String,
    title: Text,
    #[serde(default = "default_languages")]
    languages: Vec<Lang>,
    submission: Vec<String>,
    #[serde(default)]
    given: Vec<String>,
    probe: String,
    reference: Option<String>,
    mistakes: Option<String>,
    #[serde(default = "default_expected")]
    expected: String,
}

/// An exercise that does not say is written in English only (as before French was added).
fn default_languages() -> Vec<Lang> {
    vec![Lang::En]
}

fn default_expected() -> String {
    "expected.json".to_string()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    library: Option<String>,
    #[serde(default)]
    optimize: Vec<String>,
    harness: Option<Spanned<RawHarness>>,
}

/// `[build] harness = { features = [...] }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHarness {
    #[serde(default)]
    features: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: String,
    probe: String,
    seed: u64,
    #[serde(default)]
    fixed_seed: bool,
    #[serde(default = "default_build")]
    build: String,
    #[serde(default)]
    args: BTreeMap<String, Arg>,
}

fn default_build() -> String {
    MAIN_BUILD.to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: String,
    title: Text,
    points: u32,
    scenarios: Vec<String>,
    expect: Vec<Expectation>,
    timeout: Option<f64>,
    chart: Option<ChartSpec>,
}

/// Reads and validates `<dir>/exercise.toml`.
pub fn load(dir: &Path) -> Result<Spec> {
    if !dir.join(SPEC_FILE).is_file() {
        return Err(Error::MissingExercise {
            path: dir.to_path_buf(),
        });
    }
    let path = dir.join(SPEC_FILE);
    let text = std::fs::read_to_string(&path).at(|| format!("reading {}", path.display()))?;
    parse(dir, &path, &text)
}

/// Validates spec text; `path` is only used in messages. One function per section of the file,
/// each saying what is wrong where it is.
pub fn parse(dir: &Path, path: &Path, text: &str) -> Result<Spec> {
    let reader = Reader { dir, path, text };
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        // Serde names Rust types; an instructor reads numbers.
        let whole = crate::tr!("spec-expected-whole");
        let message = e
            .message()
            .trim()
            .replace("expected u32", &whole)
            .replace("expected u64", &whole);
        reader.at(e.span().unwrap_or(0..0), message)
    })?;
    let untranslated = untranslated(path, text, &raw);
    let exercise = raw.exercise.into_inner();
    reader.files(&exercise, &raw.build)?;
    let default_timeout = reader.limits(&raw.limits)?;
    let variants = reader.variants(raw.variant, &exercise.submission)?;
    let mut build_ids: BTreeSet<String> = BTreeSet::from([MAIN_BUILD.to_string()]);
    build_ids.extend(variants.iter().map(|v| v.id.clone()));
    let mut scenarios = reader.scenarios(raw.scenario, &build_ids)?;
    let checks = reader.checks(raw.check, &mut scenarios, default_timeout)?;
    for scenario in &mut scenarios {
        if scenario.timeout.is_zero() {
            scenario.timeout = default_timeout;
        }
    }
    let beside = |relative: Option<String>| relative.map(|r| dir.join(r));
    Ok(Spec {
        dir: dir.to_path_buf(),
        name: exercise.name,
        title: exercise.title,
        submission: exercise.submission,
        given: exercise.given,
        probe: exercise.probe,
        reference: beside(exercise.reference).filter(|p| p.is_file()),
        mistakes: beside(exercise.mistakes).filter(|p| p.is_file()),
        expected: dir.join(exercise.expected),
        limits: raw.limits,
        library: raw.build.library,
        optimize: raw.build.optimize,
        harness_features: raw
            .build
            .harness
            .map(|h| h.into_inner().features)
            .unwrap_or_default(),
        variants,
        scenarios,
        checks,
        languages: exercise.languages,
        untranslated,
    })
}

/// Every sentence of the spec that lacks a language, with the line of the table it is in.
fn untranslated(path: &Path, text: &str, raw: &RawSpec) -> Vec<Untranslated> {
    let mut survey = Survey {
        file: path,
        text,
        languages: &raw.exercise.get_ref().languages,
        found: Vec::new(),
    };
    let exercise = &raw.exercise;
    let title = &exercise.get_ref().title;
    survey.note(exercise.span().start, || "[exercise] title".into(), title);
    for variant in &raw.variant {
        let (at, v) = (variant.span().start, variant.get_ref());
        survey.note(at, || format!("variant `{}`: title", v.id), &v.title);
    }
    for check in &raw.check {
        let (at, c) = (check.span().start, check.get_ref());
        survey.note(at, || format!("check `{}`: title", c.id), &c.title);
        if let Some(chart) = &c.chart {
            survey.note(
                at,
                || format!("check `{}`: chart.title", c.id),
                &chart.title,
            );
        }
        for (i, rule) in c.expect.iter().enumerate() {
            for (field, words) in rule.rule().texts() {
                let key = || format!("check `{}`: expect[{i}].{field}", c.id);
                survey.note(at, key, words);
            }
        }
    }
    survey.found
}

/// The spec being read, for errors that name the file, and the line and column when they can.
struct Reader<'a> {
    dir: &'a Path,
    path: &'a Path,
    text: &'a str,
}

impl Reader<'_> {
    /// An error at the byte range `span` of the file.
    fn at(&self, span: std::ops::Range<usize>, message: String) -> Error {
        let (line, column) = crate::text::line_column(self.text, span.start);
        Error::Spec {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        }
    }

    /// An error about the file as a whole.
    fn whole(&self, message: String) -> Error {
        Error::SpecFile {
            path: self.path.to_path_buf(),
            message,
        }
    }

    /// `[exercise]` and `[build]`: the files they name exist, and something is submitted.
    fn files(&self, exercise: &RawExercise, build: &RawBuild) -> Result<()> {
        let named = exercise.given.iter().chain([&exercise.probe]);
        for file in named.chain(build.library.iter()) {
            if !self.dir.join(file).is_file() {
                return Err(self.whole(crate::tr!(
                    "spec-no-file",
                    file = file,
                    dir = self.dir.display().to_string()
                )));
            }
        }
        if exercise.submission.is_empty() {
            return Err(self.whole(crate::tr!("spec-no-submission")));
        }
        if exercise.languages.is_empty() {
            return Err(self.whole(crate::tr!("spec-no-language")));
        }
        self.build(build)
    }

    /// `[build]`: a library that does not take the harness's name, harness features it offers.
    fn build(&self, build: &RawBuild) -> Result<()> {
        let harness = crate::build::harness::NAME;
        if let Some(library) = &build.library {
            let stem = Path::new(library).file_stem().and_then(|s| s.to_str());
            if stem.map(|s| s.replace('-', "_")).as_deref() == Some(harness) {
                return Err(self.whole(format!(
                    "`build.library` `{library}` would be a crate named `{harness}`, the name of \
                     grade's shared probe harness: rename the file"
                )));
            }
        }
        let offered = crate::build::harness::features();
        let Some(asked) = &build.harness else {
            return Ok(());
        };
        for feature in &asked.get_ref().features {
            if !offered.contains(feature) {
                return Err(self.at(
                    asked.span(),
                    format!(
                        "the probe harness has no feature `{feature}` (it offers: {})",
                        offered.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `[limits]`: each within its range; the default timeout of a probe run.
    fn limits(&self, limits: &Limits) -> Result<Duration> {
        let seconds = |name: &str, value: f64| {
            positive_seconds(value).ok_or_else(|| {
                self.whole(crate::tr!(
                    "spec-limit-seconds",
                    name = name,
                    max = MAX_SECONDS.to_string()
                ))
            })
        };
        let default_timeout = seconds("timeout", limits.timeout)?;
        seconds("build_timeout", limits.build_timeout)?;
        let bounds = [
            ("memory_mib", limits.memory_mib, 1 << 24),
            ("cpu_seconds", limits.cpu_seconds, MAX_SECONDS as u64),
            ("output_kib", limits.output_kib, 1 << 20),
        ];
        for (name, value, max) in bounds {
            if !(1..=max).contains(&value) {
                return Err(self.whole(crate::tr!("spec-limit-range", name = name, max = max)));
            }
        }
        Ok(default_timeout)
    }

    /// `[[variant]]`: unique ids, a submitted file to splice into, a replacement file that exists,
    /// items of the form `Type::method`.
    fn variants(&self, raw: Vec<Spanned<Variant>>, submission: &[String]) -> Result<Vec<Variant>> {
        let mut variants: Vec<Variant> = Vec::new();
        for spanned in raw {
            let span = spanned.span();
            let v = spanned.into_inner();
            let problem = if v.id == MAIN_BUILD || variants.iter().any(|o| o.id == v.id) {
                Some(crate::tr!("spec-duplicate-build", id = &v.id))
            } else if !submission.contains(&v.file) {
                Some(crate::tr!("spec-variant-file", id = &v.id, file = &v.file))
            } else if !self.dir.join(&v.from).is_file() {
                Some(crate::tr!("spec-variant-from", id = &v.id, file = &v.from))
            } else {
                v.replace
                    .iter()
                    .find(|item| item.split_once("::").is_none())
                    .map(|bad| crate::tr!("spec-variant-item", id = &v.id, item = bad))
            };
            if let Some(problem) = problem {
                return Err(self.at(span, problem));
            }
            variants.push(v);
        }
        Ok(variants)
    }

    /// `[[scenario]]`: unique ids, a build that exists, the seed given apart from the arguments.
    fn scenarios(
        &self,
        raw: Vec<Spanned<RawScenario>>,
        build_ids: &BTreeSet<String>,
    ) -> Result<Vec<Scenario>> {
        let mut scenarios: Vec<Scenario> = Vec::new();
        for spanned in raw {
            let span = spanned.span();
            let s = spanned.into_inner();
            let problem = if scenarios.iter().any(|o| o.id == s.id) {
                Some(crate::tr!("spec-duplicate-scenario", id = &s.id))
            } else if !build_ids.contains(&s.build) {
                Some(crate::tr!(
                    "spec-scenario-build",
                    id = &s.id,
                    build = &s.build
                ))
            } else if s.args.contains_key("seed") {
                Some(crate::tr!("spec-scenario-seed", id = &s.id))
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(self.at(span, problem));
            }
            scenarios.push(Scenario {
                id: s.id,
                probe: s.probe,
                seed: s.seed,
                fixed_seed: s.fixed_seed,
                build: s.build,
                args: s.args,
                timeout: Duration::ZERO,
            });
        }
        Ok(scenarios)
    }

    /// `[[check]]`: at least one; each valid (see [`Reader::check`]), their points adding up.
    /// Each scenario's timeout becomes the largest of the checks that select it.
    fn checks(
        &self,
        raw: Vec<Spanned<RawCheck>>,
        scenarios: &mut [Scenario],
        default_timeout: Duration,
    ) -> Result<Vec<Check>> {
        let mut checks: Vec<Check> = Vec::new();
        let mut total_points: u32 = 0;
        for spanned in raw {
            let span = spanned.span();
            let raw = spanned.into_inner();
            if checks.iter().any(|c| c.id == raw.id) {
                return Err(self.at(span, crate::tr!("spec-duplicate-check", id = &raw.id)));
            }
            let check = self.check(raw, span.clone(), scenarios, default_timeout)?;
            total_points = total_points.checked_add(check.points).ok_or_else(|| {
                let most = u32::MAX;
                let id = &check.id;
                self.at(
                    span,
                    crate::tr!("spec-points-overflow", id = id, most = most),
                )
            })?;
            checks.push(check);
        }
        if checks.is_empty() {
            return Err(self.whole(crate::tr!("spec-no-check")));
        }
        Ok(checks)
    }

    /// One `[[check]]`: scenarios it selects, rules it expects, each rule valid for them.
    fn check(
        &self,
        c: RawCheck,
        span: std::ops::Range<usize>,
        scenarios: &mut [Scenario],
        default_timeout: Duration,
    ) -> Result<Check> {
        let at = |message: String| {
            let message = crate::tr!("spec-check", id = &c.id, message = message);
            self.at(span.clone(), message)
        };
        if c.scenarios.is_empty() {
            return Err(at(crate::tr!("spec-check-no-scenario")));
        }
        if c.expect.is_empty() {
            return Err(at(crate::tr!("spec-check-no-rule")));
        }
        let timeout = match c.timeout {
            Some(t) => positive_seconds(t).ok_or_else(|| {
                at(crate::tr!(
                    "spec-check-timeout",
                    max = MAX_SECONDS.to_string()
                ))
            })?,
            None => default_timeout,
        };
        let mut selected = Vec::new();
        for pattern in &c.scenarios {
            let before = selected.len();
            for scenario in scenarios
                .iter_mut()
                .filter(|s| matches_pattern(pattern, &s.id))
            {
                scenario.timeout = scenario.timeout.max(timeout);
                if !selected.contains(&scenario.id) {
                    selected.push(scenario.id.clone());
                }
            }
            if selected.len() == before {
                return Err(at(crate::tr!("spec-check-no-match", pattern = pattern)));
            }
        }
        for rule in &c.expect {
            if let Some(problem) = crate::judge::rules::problem(rule, &selected, scenarios) {
                return Err(at(crate::tr!("spec-check-problem", problem = problem)));
            }
        }
        Ok(Check {
            id: c.id,
            title: c.title,
            points: c.points,
            scenarios: selected,
            expect: c.expect,
            chart: c.chart,
        })
    }
}

impl Spec {
    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// The ids of every build a grade needs: `main` and the variants, in declaration order.
    pub fn build_ids(&self) -> Vec<String> {
        std::iter::once(MAIN_BUILD.to_string())
            .chain(self.variants.iter().map(|v| v.id.clone()))
            .collect()
    }
}

/// `*` at the end of a pattern matches any rest; otherwise ids must be equal.
pub fn matches_pattern(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => pattern == id,
    }
}

/// The longest time limit, a day: a deadline must stay a representable instant.
const MAX_SECONDS: f64 = 86_400.0;

fn positive_seconds(seconds: f64) -> Option<Duration> {
    (seconds.is_finite() && seconds > 0.0 && seconds <= MAX_SECONDS)
        .then(|| Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_prefixes_only_with_a_star() {
        assert!(matches_pattern("layer-*", "layer-relu"));
        assert!(!matches_pattern("layer-", "layer-relu"));
        assert!(matches_pattern("train", "train"));
    }
}
