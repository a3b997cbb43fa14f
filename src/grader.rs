//! The pipeline, end to end: load spec ─► stage ─► build ─► probe ─► judge ─► score. A [`Grader`]
//! is made once per exercise and grades any number of submissions, sharing the toolchain, the
//! prebuilt dependencies and the reference's and known mistakes' observations between them.

use crate::build::{self, Built, Compiler, Rejection, Toolchain};
use crate::bundle;
use crate::cache::{Cache, Key};
use crate::diagnose;
use crate::error::{Error, Result};
use crate::judge::{self, Evidence};
use crate::known::{self, Known, KnownMistake, Outcomes};
use crate::parallel;
use crate::probe::{self, Outcome, RunLimits};
use crate::progress::Progress;
use crate::score::{self, BuildSummary, Chart, Report};
use crate::spec::{self, Scenario, Spec, MAIN_BUILD};
use crate::stage::{Kit, Source, Staged};
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
    /// The cache's cap in bytes ([`crate::cache::DEFAULT_MAX`] when absent).
    pub cache_max: Option<u64>,
    /// Parallel compiles and probe runs.
    pub jobs: usize,
    /// Told about slow steps (building the dependencies, the reference, the known mistakes).
    pub progress: Box<dyn Fn(Progress) + Sync + Send>,
}

pub struct Grader {
    pub spec: Spec,
    kit: Kit,
    compiler: Compiler,
    cache: Cache,
    limits: RunLimits,
    seed: Option<u64>,
    jobs: usize,
    progress: Arc<dyn Fn(Progress) + Sync + Send>,
    /// Whether trusted builds' outcomes are kept in the cache (not for a sweep over many seeds,
    /// whose outcomes are each used once).
    cache_outcomes: bool,
    /// What submissions are compared with, made by the first grade and shared by the rest.
    known: Mutex<Option<Arc<Known>>>,
}

/// One source's builds, by build id: a binary, or the submission's reason for none.
pub type Builds = BTreeMap<String, Built>;

/// Where the known observations come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `expected.json`, when it matches this exercise (and its sources, where they exist).
    Expected,
    /// The sources under `solutions/`, built and probed.
    Sources,
}

impl Grader {
    pub fn new(options: Options) -> Result<Grader> {
        let spec = spec::load(&options.exercise)?;
        let kit = Kit::load(&spec)?;
        let cache = Cache::locate(options.cache_dir.as_deref(), options.cache_max)?;
        // The sandbox's trials (a few milliseconds of forks and mounts) while the toolchain
        // answers.
        let trials = cache.scratch("trial-")?;
        let prepared = std::thread::spawn(move || crate::sandbox::prepare(trials.path()));
        let toolchain = Toolchain::detect();
        let _ = prepared.join();
        let toolchain = toolchain?;
        let deps = build::prepare_deps(
            &toolchain,
            &cache,
            &spec.dir,
            spec.library.as_deref(),
            &spec.optimize,
            &spec.harness_features,
            &*options.progress,
        )
        .map_err(|e| e.in_cache(&cache.root))?;
        let hide = hidden(&spec, &cache);
        let compiler = Compiler::new(
            toolchain,
            deps,
            cache.clone(),
            Duration::from_secs_f64(spec.limits.build_timeout),
            hide.clone(),
        );
        let limits = RunLimits {
            memory_mib: spec.limits.memory_mib,
            cpu_seconds: spec.limits.cpu_seconds,
            output_kib: spec.limits.output_kib,
            hide,
            submission_files: spec.submission.clone(),
        };
        Ok(Grader {
            spec,
            kit,
            compiler,
            cache,
            limits,
            seed: options.seed,
            jobs: options.jobs.max(1),
            progress: options.progress.into(),
            cache_outcomes: true,
            known: Mutex::new(None),
        })
    }

    /// The same grader on scenarios derived from `seed`, telling `progress` of its slow steps,
    /// and keeping its trusted outcomes out of the cache: for a sweep over many seeds.
    pub fn reseeded(&self, seed: u64, progress: Arc<dyn Fn(Progress) + Sync + Send>) -> Grader {
        Grader {
            spec: self.spec.clone(),
            kit: self.kit.clone(),
            compiler: self.compiler.clone(),
            cache: self.cache.clone(),
            limits: self.limits.clone(),
            seed: Some(seed),
            jobs: self.jobs,
            progress,
            cache_outcomes: false,
            known: Mutex::new(None),
        }
    }

    /// The seed scenario `s` runs with: the shipped one, or one derived from `--seed`.
    pub fn seed_of(&self, s: &Scenario) -> u64 {
        match self.seed {
            _ if s.fixed_seed => s.seed,
            None => s.seed,
            Some(seed) => {
                let mut key = Key::new("seed");
                key.add(&seed.to_le_bytes()).add(s.id.as_bytes());
                // 53 bits, so the seed survives any JSON reader as an exact integer.
                u64::from_str_radix(&key.finish()[..16], 16).expect("hex") >> 11
            }
        }
    }

    /// The `--seed` scenarios are derived from, if any.
    pub fn seed(&self) -> Option<u64> {
        self.seed
    }

    /// The cache this grader uses.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// Keeps the cache under its cap (see [`Cache::prune`]), never touching the dependencies
    /// this grader uses.
    pub fn prune_cache(&self) {
        self.cache.prune(Some(&self.compiler.deps.dir));
    }

    /// Grades the submission at `path` (a file or a folder).
    pub fn grade_path(&self, path: &Path) -> Result<Report> {
        let source = Source::read(&self.spec, path)?;
        self.grade(&source)
    }

    /// Grades one submission. Grade's own faults (a full disk, a crashed compiler, a damaged
    /// cache) are an error, never a grade.
    pub fn grade(&self, source: &Source) -> Result<Report> {
        // The known observations are needed only at judging: make them (once) while this builds.
        let (built, known) = std::thread::scope(|scope| {
            let known = scope.spawn(|| self.known(Origin::Expected));
            let built = self.build_and_probe(source);
            (
                built,
                known
                    .join()
                    .expect("the known-observations thread does not panic"),
            )
        });
        let in_cache = |e: Error| e.in_cache(&self.cache.root);
        let (builds, outcomes) = built.map_err(in_cache)?;
        let known = known.map_err(in_cache)?;
        Ok(self.report(&source.label, summary(&builds, source), &outcomes, &known))
    }

    /// Grades many submissions at once, their builds compiled in bundles (padded to
    /// `bundle_units`, when a batch grades chunk after chunk): the same reports as
    /// [`Grader::grade`] gives each, for a fraction of the compiler's work. Grade's own fault
    /// while grading one submission is that submission's error; the others are graded.
    pub fn grade_many(
        &self,
        sources: &[&Source],
        bundle_units: usize,
    ) -> Result<Vec<Result<Report>>> {
        let known = self.known(Origin::Expected)?;
        let builds = self.build_all(sources, bundle_units);
        let ok: Vec<&Builds> = builds.iter().filter_map(|b| b.as_ref().ok()).collect();
        let mut outcomes = self.probe_all(&ok, false).into_iter();
        Ok(sources
            .iter()
            .zip(builds)
            .map(|(source, builds)| {
                let builds = builds?;
                let outcomes = outcomes.next().expect("one per built source")?;
                Ok(self.report(&source.label, summary(&builds, source), &outcomes, &known))
            })
            .map(|r: Result<Report>| r.map_err(|e| e.in_cache(&self.cache.root)))
            .collect())
    }

    /// Judges, diagnoses and scores the `outcomes` of the submission `label` against the known
    /// observations.
    pub fn report(
        &self,
        label: &str,
        build: BuildSummary,
        outcomes: &Outcomes,
        known: &Known,
    ) -> Report {
        let verdicts: Vec<_> = self
            .spec
            .checks
            .iter()
            .map(|check| {
                let evidence: Vec<Evidence> = check
                    .scenarios
                    .iter()
                    .map(|id| Evidence {
                        scenario: self
                            .spec
                            .scenario(id)
                            .expect("checks select declared scenarios"),
                        submission: &outcomes[id],
                        reference: known.reference.get(id),
                    })
                    .collect();
                judge::judge(check, &evidence)
            })
            .collect();
        let statuses: Vec<_> = verdicts.iter().map(|v| v.status).collect();
        let diagnoses = diagnose::diagnose(&self.spec, &statuses, outcomes, known);
        let checks = self
            .spec
            .checks
            .iter()
            .zip(verdicts)
            .zip(diagnoses)
            .map(|((check, verdict), diagnosis)| score::check_result(check, verdict, diagnosis))
            .collect();
        let charts = self
            .spec
            .checks
            .iter()
            .filter_map(|check| {
                let chart = check.chart.as_ref()?;
                let key = &chart.key;
                let first = &check.scenarios[0];
                let series = |o: Option<&Outcome>| {
                    o.and_then(|o| o.values())
                        .and_then(|v| v.get(key))
                        .map(|v| v.numbers().to_vec())
                };
                Some(Chart {
                    check: check.id.clone(),
                    title: chart.title.get().to_string(),
                    key: key.clone(),
                    submission: series(outcomes.get(first)),
                    reference: series(known.reference.get(first)),
                })
            })
            .collect();
        let mut report = Report::new(
            self.spec.name.clone(),
            self.spec.title.get().to_string(),
            label.to_string(),
            self.seed,
            build,
            checks,
            charts,
        );
        let titles: Vec<(String, String)> = known
            .mistakes
            .iter()
            .map(|m| (m.id.clone(), m.title.get().to_string()))
            .collect();
        report.mistakes = score::mistake_notes(&report.checks, &titles);
        report
    }

    /// Compiles every build of every source, in bundles (see [`bundle`]), `jobs` at once; a bundle
    /// smaller than `bundle_units` is padded to it (0: no padding). A build that cannot be staged,
    /// or that rustc rejects, is recorded with the reason; grade's own faults are a source's error.
    pub fn build_all(&self, sources: &[&Source], bundle_units: usize) -> Vec<Result<Builds>> {
        let mut builds: Vec<Result<Builds>> = sources.iter().map(|_| Ok(Builds::new())).collect();
        let mut staged = Vec::new();
        for (s, source) in sources.iter().enumerate() {
            for id in self.spec.build_ids() {
                match self.kit.stage(source, &id) {
                    Ok(build) => staged.push((s, id, build)),
                    Err(reason) => {
                        if let Ok(b) = &mut builds[s] {
                            b.insert(id, Built::unstaged(reason));
                        }
                    }
                }
            }
        }
        let all: Vec<&Staged> = staged.iter().map(|(_, _, build)| build).collect();
        let compiled = bundle::compile_all(&self.compiler, &all, self.jobs, bundle_units);
        for ((s, id, _), built) in staged.into_iter().zip(compiled) {
            match (built, &mut builds[s]) {
                (Ok(built), Ok(b)) => {
                    b.insert(id, built);
                }
                (Err(error), slot @ Ok(_)) => *slot = Err(error),
                (_, Err(_)) => {}
            }
        }
        builds
    }

    /// Runs every scenario of every source on the build it names, all in parallel. `trusted`
    /// outcomes are cached by build, since the same build always behaves the same. Grade's own
    /// fault in running one source's scenarios is that source's error.
    pub fn probe_all(&self, builds: &[&Builds], trusted: bool) -> Vec<Result<Outcomes>> {
        let mut work: Vec<(usize, &Scenario)> = (0..builds.len())
            .flat_map(|b| self.spec.scenarios.iter().map(move |s| (b, s)))
            .collect();
        longest_first(&mut work, |(_, s)| s);
        let results = parallel::map(&work, self.jobs, |&(b, scenario)| {
            self.run_scenario(builds[b], scenario, trusted)
        });
        let mut outcomes: Vec<Result<Outcomes>> =
            builds.iter().map(|_| Ok(Outcomes::new())).collect();
        for ((b, scenario), result) in work.into_iter().zip(results) {
            match (result, &mut outcomes[b]) {
                (Ok(outcome), Ok(all)) => {
                    all.insert(scenario.id.clone(), outcome);
                }
                (Err(error), slot @ Ok(_)) => *slot = Err(error),
                (_, Err(_)) => {}
            }
        }
        outcomes
    }

    /// Stages and compiles one build of `source`: the build, or the submission's reason why there
    /// is none; grade's own faults (a full disk, a crashed compiler) are an error.
    fn compile(&self, source: &Source, build: &str) -> Result<Built> {
        match self.kit.stage(source, build) {
            Ok(staged) => self.compiler.compile(&staged),
            Err(reason) => Ok(Built::unstaged(reason)),
        }
    }

    /// Runs one scenario on the build it names, or says why it cannot run.
    fn run_scenario(&self, builds: &Builds, scenario: &Scenario, trusted: bool) -> Result<Outcome> {
        let not_built = |reason: String| Ok(Outcome::NotBuilt { reason });
        // When the submission itself does not compile, that is the one reason for every check.
        if let Some(Built {
            result: Err(rejection),
            ..
        }) = builds.get(MAIN_BUILD)
        {
            return not_built(match rejection {
                Rejection::Limit { limit, .. } => {
                    crate::tr!("not-built-limit", limit = limit.to_string())
                }
                _ => crate::tr!("not-built"),
            });
        }
        match builds.get(&scenario.build) {
            Some(Built {
                result: Ok(binary),
                key,
                ..
            }) => {
                let (seed, unit) = (self.seed_of(scenario), binary.unit.as_deref());
                if trusted && self.cache_outcomes {
                    probe::run_cached(
                        &binary.path,
                        unit,
                        key,
                        scenario,
                        seed,
                        &self.limits,
                        &self.cache,
                    )
                } else if trusted {
                    probe::run_trusted(
                        &binary.path,
                        unit,
                        scenario,
                        seed,
                        &self.limits,
                        &self.cache,
                    )
                } else {
                    probe::run(
                        &binary.path,
                        unit,
                        scenario,
                        seed,
                        &self.limits,
                        &self.cache,
                    )
                }
            }
            Some(Built {
                result: Err(Rejection::Unstaged { reason }),
                ..
            }) => not_built(reason.clone()),
            Some(built) => not_built(crate::tr!(
                "not-built-variant",
                variant = self.variant_title(&scenario.build),
                diagnostics = built.diagnostics()
            )),
            None => not_built(crate::tr!("not-built-no-build", build = &scenario.build)),
        }
    }

    /// One submission's builds and outcomes, pipelined: the scenarios of `main` (the longest, as
    /// a rule) start as soon as it is built, while the variants still compile.
    fn build_and_probe(&self, source: &Source) -> Result<(Builds, Outcomes)> {
        let compile = |id: &str| self.compile(source, id);
        let run = |builds: &Builds, build: &str| -> Result<Outcomes> {
            let mut scenarios: Vec<&Scenario> = self
                .spec
                .scenarios
                .iter()
                .filter(|s| s.build == build)
                .collect();
            longest_first(&mut scenarios, |s| s);
            let results = parallel::map(&scenarios, self.jobs, |s| {
                self.run_scenario(builds, s, false)
            });
            scenarios
                .iter()
                .zip(results)
                .map(|(s, r)| Ok((s.id.clone(), r?)))
                .collect()
        };
        std::thread::scope(|scope| {
            // With one job, one thing at a time: the variants compile after `main` is probed.
            let variants: Vec<_> = self
                .spec
                .variants
                .iter()
                .filter(|_| self.jobs > 1)
                .map(|v| (v.id.clone(), scope.spawn(move || compile(&v.id))))
                .collect();
            let mut builds = Builds::new();
            let main = compile(MAIN_BUILD);
            let mut outcomes = main.and_then(|main| {
                builds.insert(MAIN_BUILD.to_string(), main);
                run(&builds, MAIN_BUILD)
            });
            // Every compile ends before the first fault is said: none is left running.
            for (id, handle) in variants {
                let built = handle.join().expect("a compile does not panic");
                outcomes = outcomes.and_then(|all| {
                    builds.insert(id, built?);
                    Ok(all)
                });
            }
            for variant in &self.spec.variants {
                outcomes = outcomes.and_then(|mut all| {
                    if !builds.contains_key(&variant.id) {
                        builds.insert(variant.id.clone(), compile(&variant.id)?);
                    }
                    all.extend(run(&builds, &variant.id)?);
                    Ok(all)
                });
            }
            outcomes.map(|outcomes| (builds, outcomes))
        })
    }

    fn variant_title(&self, id: &str) -> String {
        self.spec
            .variants
            .iter()
            .find(|v| v.id == id)
            .map_or(id.to_string(), |v| v.title.get().to_string())
    }

    /// The reference's and known mistakes' observations, made once per grader. `prefer` says
    /// whether a current `expected.json` may stand in for the sources; with `--seed` only the
    /// sources can answer.
    pub fn known(&self, prefer: Origin) -> Result<Arc<Known>> {
        let mut slot = self.known.lock().expect("not poisoned");
        if let Some(known) = slot.as_ref() {
            return Ok(known.clone());
        }
        let inputs = known::input_hashes(&self.spec, &|s| self.seed_of(s))?;
        let have_sources = self.spec.reference.is_some();
        let blessed = if self.seed.is_none() {
            known::read_expected(&self.spec.expected)?
        } else {
            None
        };
        let sources = if have_sources {
            Some(self.sources()?)
        } else {
            None
        };
        let known = match (blessed, sources) {
            (Some(blessed), sources)
                if prefer == Origin::Expected
                    && known::changed_inputs(&blessed.inputs, &inputs).is_empty()
                    && sources
                        .as_ref()
                        .is_none_or(|(r, m)| known::sources_hash(r, m) == blessed.sources) =>
            {
                blessed
            }
            (_, Some((reference, mistakes))) => {
                self.probe_sources(inputs, &reference, &mistakes)?
            }
            (Some(blessed), None) => {
                let changed = known::changed_inputs(&blessed.inputs, &inputs);
                if changed.iter().any(|c| c == known::HARNESS_INPUT) {
                    return Err(Error::Reference {
                        what: "is not in this copy of the exercise".into(),
                        message: format!(
                            "{} was made by a `grade` with another probe harness than this one. \
                             Install the version of grade your course gives, or ask for a fresh \
                             copy of the exercise.",
                            self.spec.expected.display()
                        ),
                    });
                }
                return Err(Error::Reference {
                    what: crate::tr!("reference-not-in-copy"),
                    message: crate::tr!(
                        "reference-other-versions",
                        expected = self.spec.expected.display().to_string(),
                        changed = changed.join(", "),
                        submission = self.spec.submission.join(", ")
                    ),
                });
            }
            (None, None) => {
                let why = if self.seed.is_some() {
                    crate::tr!("reference-missing-seed")
                } else {
                    crate::tr!("reference-missing-copy")
                };
                return Err(Error::Reference {
                    what: crate::tr!("reference-is-missing"),
                    message: why,
                });
            }
        };
        let known = Arc::new(known);
        *slot = Some(known.clone());
        Ok(known)
    }

    /// The reference's source and the catalog of known mistakes.
    pub fn sources(&self) -> Result<(Source, Vec<known::Mistake>)> {
        let path = self
            .spec
            .reference
            .clone()
            .ok_or_else(|| Error::Reference {
                what: crate::tr!("reference-is-missing"),
                message: crate::tr!("reference-no-file"),
            })?;
        let mut reference = Source::read(&self.spec, &path)?;
        reference.label = "reference".into();
        Ok((reference, known::read_catalog(&self.spec)?))
    }

    /// Builds and probes the reference and every known mistake.
    fn probe_sources(
        &self,
        inputs: BTreeMap<String, String>,
        reference: &Source,
        mistakes: &[known::Mistake],
    ) -> Result<Known> {
        let mut sources = vec![reference];
        sources.extend(mistakes.iter().map(|m| &m.source));
        if mistakes.is_empty() {
            (self.progress)(Progress::Begin(&crate::tr!("progress-reference")));
        } else {
            (self.progress)(Progress::Begin(&crate::tr!(
                "progress-reference-and-mistakes",
                count = mistakes.len()
            )));
        }
        let builds = self
            .build_all(&sources, 0)
            .into_iter()
            .collect::<Result<Vec<Builds>>>()?;
        for (id, built) in &builds[0] {
            match &built.result {
                Ok(_) => {}
                Err(Rejection::Unstaged { reason }) => {
                    return Err(Error::Reference {
                        what: crate::tr!("reference-unstaged", build = id),
                        message: reason.clone(),
                    })
                }
                Err(rejection) => {
                    return Err(Error::Reference {
                        what: crate::tr!("reference-does-not-compile", build = id),
                        message: rejection.diagnostics(),
                    })
                }
            }
        }
        let all: Vec<&Builds> = builds.iter().collect();
        let mut outcomes = self
            .probe_all(&all, true)
            .into_iter()
            .collect::<Result<Vec<Outcomes>>>()?
            .into_iter();
        let reference_outcomes = outcomes.next().expect("the reference's");
        for (id, outcome) in &reference_outcomes {
            if let Some(why) = judge::problem(outcome) {
                return Err(Error::Reference {
                    what: crate::tr!("reference-fails", scenario = id),
                    message: why,
                });
            }
        }
        let known_mistakes = mistakes
            .iter()
            .zip(outcomes)
            .map(|(m, outcomes)| KnownMistake {
                id: m.id.clone(),
                title: m.title.clone(),
                hint: m.hint.clone(),
                outcomes,
            })
            .collect();
        Ok(Known {
            inputs,
            sources: known::sources_hash(reference, mistakes),
            reference: reference_outcomes,
            mistakes: known_mistakes,
        })
    }
}

/// What a probe run must not see: the trusted exercise folder (its `expected.json`), the folders of
/// the reference and the known mistakes, and the cache's private folders. A submission could read
/// any of them to copy the answer; in CI they lie on the runner's disk at paths a student can
/// guess.
fn hidden(spec: &Spec, cache: &Cache) -> Vec<PathBuf> {
    let mut folders = vec![spec.dir.clone()];
    for file in [&spec.reference, &spec.mistakes].into_iter().flatten() {
        folders.extend(file.parent().map(Path::to_path_buf));
    }
    folders.extend(cache.private_folders());
    folders
        .into_iter()
        .map(|f| std::path::absolute(&f).unwrap_or(f))
        .collect()
}

/// Orders runs the longest first (their bound says which), so that they do not start last and
/// leave a core idle at the end; a hanging run's timeout overlaps the others'.
fn longest_first<T>(runs: &mut [T], scenario: impl Fn(&T) -> &Scenario) {
    runs.sort_by_key(|run| std::cmp::Reverse(scenario(run).timeout));
}

/// How the submission's own build went, for the report.
fn summary(builds: &Builds, source: &Source) -> BuildSummary {
    match builds.get(MAIN_BUILD) {
        Some(built) => BuildSummary {
            ok: built.ok(),
            diagnostics: name_files(&built.diagnostics(), source),
        },
        None => BuildSummary {
            ok: false,
            diagnostics: String::new(),
        },
    }
}

/// rustc names files as staged (`src/backprop.rs`); say them as the user gave them.
fn name_files(diagnostics: &str, source: &Source) -> String {
    let mut text = diagnostics.to_string();
    for (relative, origin) in &source.origins {
        text = text.replace(
            &format!("--> {relative}:"),
            &format!("--> {}:", origin.display()),
        );
    }
    text
}
