//! The pipeline, end to end: load spec ─► stage ─► build ─► probe ─► judge ─► score. A [`Grader`]
//! is made once per exercise and grades any number of submissions, sharing the toolchain, the
//! prebuilt dependencies and the reference's observations between them.

use crate::build::{self, Built, Compiler, Toolchain};
use crate::cache::{Cache, Key};
use crate::error::{Error, Result};
use crate::judge::{self, Evidence};
use crate::parallel;
use crate::probe::{self, Outcome, RunLimits};
use crate::score::{self, BuildSummary, Chart, Report};
use crate::spec::{self, Scenario, Spec};
use crate::stage::{Kit, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How to grade.
pub struct Options {
    /// The trusted exercise folder.
    pub exercise: PathBuf,
    /// Derive every scenario's seed from this instead of using the shipped seeds.
    pub seed: Option<u64>,
    /// The cache folder (see [`Cache::locate`]).
    pub cache_dir: Option<PathBuf>,
    /// Parallel compiles and probe runs.
    pub jobs: usize,
    /// Told about slow steps (the first build of the dependencies).
    pub progress: Box<dyn Fn(&str) + Sync>,
}

/// Observations of one source, by scenario id.
pub type Outcomes = BTreeMap<String, Outcome>;

pub struct Grader {
    pub spec: Spec,
    kit: Kit,
    compiler: Compiler,
    cache: Cache,
    limits: RunLimits,
    seed: Option<u64>,
    jobs: usize,
    /// The reference's outcomes, computed by the first grade and shared by the rest.
    reference: Mutex<Option<Arc<Outcomes>>>,
}

/// One source's builds, by build id.
type Builds = BTreeMap<String, Result<Built, String>>;

impl Grader {
    pub fn new(options: Options) -> Result<Grader> {
        let spec = spec::load(&options.exercise)?;
        let kit = Kit::load(&spec)?;
        let cache = Cache::locate(options.cache_dir.as_deref())?;
        let toolchain = Toolchain::detect()?;
        let deps = build::prepare_deps(&toolchain, &cache, &spec.dir, &*options.progress)?;
        let compiler = Compiler {
            toolchain,
            deps,
            cache: cache.clone(),
            timeout: Duration::from_secs_f64(spec.limits.build_timeout),
        };
        let limits = RunLimits {
            memory_mib: spec.limits.memory_mib,
            cpu_seconds: spec.limits.cpu_seconds,
            output_kib: spec.limits.output_kib,
        };
        Ok(Grader { spec, kit, compiler, cache, limits, seed: options.seed, jobs: options.jobs.max(1), reference: Mutex::new(None) })
    }

    /// The seed scenario `s` runs with: the shipped one, or one derived from `--seed`.
    pub fn seed_of(&self, s: &Scenario) -> u64 {
        match self.seed {
            None => s.seed,
            Some(seed) => {
                let mut key = Key::new("seed");
                key.add(&seed.to_le_bytes()).add(s.id.as_bytes());
                let hex = key.finish();
                // 53 bits, so the seed survives any JSON reader as an exact integer.
                u64::from_str_radix(&hex[..16], 16).expect("hex") >> 11
            }
        }
    }

    /// Grades the submission at `path` (a file or a folder).
    pub fn grade_path(&self, path: &Path) -> Result<Report> {
        let source = Source::read(&self.spec, path)?;
        self.grade(&source)
    }

    /// Grades one submission.
    pub fn grade(&self, source: &Source) -> Result<Report> {
        // The reference is needed only at judging: make it (at most once) while the submission builds.
        let (submission, reference) = std::thread::scope(|scope| {
            let reference = scope.spawn(|| self.reference());
            let builds = self.build(source, true);
            let outcomes = self.probe(&builds, false);
            ((builds, outcomes), reference.join().expect("the reference thread does not panic"))
        });
        let (builds, outcomes) = submission;
        let (outcomes, reference) = (outcomes?, reference?);
        let main = builds.get("main").expect("every grade has a main build");
        let build = match main {
            Ok(built) => BuildSummary { ok: built.ok(), diagnostics: name_files(&built.diagnostics, source) },
            Err(reason) => BuildSummary { ok: false, diagnostics: reason.clone() },
        };
        Ok(self.report(source, build, &outcomes, &reference))
    }

    /// Judges and scores `outcomes` against the reference's.
    fn report(&self, source: &Source, build: BuildSummary, outcomes: &Outcomes, reference: &Outcomes) -> Report {
        let mut checks = Vec::new();
        let mut charts = Vec::new();
        for check in &self.spec.checks {
            let evidence: Vec<Evidence> = check
                .scenarios
                .iter()
                .map(|id| Evidence { scenario: id, submission: &outcomes[id], reference: reference.get(id) })
                .collect();
            let verdict = judge::judge(check, &evidence);
            checks.push(score::check_result(check, verdict, None));
            if let Some(key) = &check.chart {
                let series = |o: Option<&Outcome>| o.and_then(|o| o.values()).and_then(|v| v.get(key)).map(|v| v.numbers().to_vec());
                let first = &check.scenarios[0];
                charts.push(Chart {
                    check: check.id.clone(),
                    key: key.clone(),
                    submission: series(outcomes.get(first)),
                    reference: series(reference.get(first)),
                });
            }
        }
        Report::new(self.spec.name.clone(), self.spec.title.clone(), source.label.clone(), self.seed, build, checks, charts)
    }

    /// Compiles every build of `source`, in parallel. A build that cannot be staged, or that rustc
    /// rejects, is recorded with the reason; only the machine's faults are errors.
    fn build(&self, source: &Source, is_submission: bool) -> Builds {
        let ids = self.spec.build_ids();
        let results = parallel::map(&ids, self.jobs, |id| -> Result<Built, String> {
            let staged = self.kit.stage(source, id)?;
            let built = self.compiler.compile(&staged).map_err(|e| e.to_string())?;
            if built.ok() {
                return Ok(built);
            }
            if !is_submission {
                return Err(format!("does not compile:\n{}", built.diagnostics));
            }
            Ok(built)
        });
        ids.into_iter().zip(results).collect()
    }

    /// Runs every scenario on the build it names. `trusted` outcomes are cached by build.
    fn probe(&self, builds: &Builds, trusted: bool) -> Result<Outcomes> {
        let scenarios: Vec<&Scenario> = self.spec.scenarios.iter().collect();
        let results = parallel::map(&scenarios, self.jobs, |scenario| -> Result<Outcome> {
            let not_built = |reason: String| Ok(Outcome::NotBuilt { reason });
            match builds.get(&scenario.build) {
                Some(Ok(Built { binary: Some(binary), key, .. })) => {
                    let seed = self.seed_of(scenario);
                    if trusted {
                        probe::run_cached(binary, key, scenario, seed, &self.limits, &self.cache)
                    } else {
                        probe::run(binary, scenario, seed, &self.limits, &self.cache)
                    }
                }
                Some(Ok(_)) if scenario.build == "main" => not_built("the submission does not compile (see the compiler's messages)".into()),
                Some(Ok(built)) => not_built(format!("{} does not compile:\n{}", self.variant_title(&scenario.build), built.diagnostics)),
                Some(Err(reason)) => not_built(reason.clone()),
                None => not_built(format!("no build `{}`", scenario.build)),
            }
        });
        let mut outcomes = Outcomes::new();
        for (scenario, result) in scenarios.iter().zip(results) {
            outcomes.insert(scenario.id.clone(), result?);
        }
        Ok(outcomes)
    }

    fn variant_title(&self, id: &str) -> String {
        self.spec.variants.iter().find(|v| v.id == id).map_or(id.to_string(), |v| v.title.clone())
    }

    /// The reference's outcomes on every scenario, computed once per grader.
    pub fn reference(&self) -> Result<Arc<Outcomes>> {
        if let Some(outcomes) = self.reference.lock().expect("not poisoned").as_ref() {
            return Ok(outcomes.clone());
        }
        let path = self.spec.reference.clone().ok_or_else(|| Error::Reference {
            what: "is missing".into(),
            message: format!("{} names no reference file that exists", self.spec.dir.join(spec::SPEC_FILE).display()),
        })?;
        let mut source = Source::read(&self.spec, &path)?;
        source.label = "reference".into();
        let builds = self.build(&source, false);
        for (id, built) in &builds {
            if let Err(reason) = built {
                return Err(Error::Reference { what: format!("(build `{id}`)"), message: reason.clone() });
            }
        }
        let outcomes = Arc::new(self.probe(&builds, true)?);
        for (id, outcome) in outcomes.iter() {
            if outcome.values().is_none() {
                let why = judge::problem(outcome).unwrap_or_default();
                return Err(Error::Reference { what: format!("fails on scenario `{id}`"), message: why });
            }
        }
        *self.reference.lock().expect("not poisoned") = Some(outcomes.clone());
        Ok(outcomes)
    }
}

/// rustc names files as staged (`src/backprop.rs`); say them as the user gave them.
fn name_files(diagnostics: &str, source: &Source) -> String {
    let mut text = diagnostics.to_string();
    for (relative, origin) in &source.origins {
        text = text.replace(&format!("--> {relative}:"), &format!("--> {}:", origin.display()));
    }
    text
}
