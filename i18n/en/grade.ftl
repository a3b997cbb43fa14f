# grade's messages in English. Each key has its French twin in ../fr/grade.ftl (a unit test
# proves both files have the same keys, and that every key the code uses is here). Numbers
# arrive formatted, with a decimal point; `$count`-like arguments choose a plural form.

## The judge: why a check did not pass

judge-tolerance-close = tolerance { $atol } + { $rtol }·|expected|
judge-tolerance-relative = relative tolerance { $rtol }
judge-text = text
judge-shape = shape { $shape }
judge-shape-mismatch = `{ $name }` has { $got }, expected { $want } (scenario { $scenario })
judge-why-text = it is text, not numbers
judge-why-empty = it has no elements
judge-why-skipped = all { $count } elements were skipped
judge-nothing-to-compare = nothing to compare in `{ $name }`: { $why } (scenario { $scenario })
judge-worst = `{ $element }`: expected { $expected }, got { $got } ({ $tolerance }; scenario { $scenario })
judge-elements-differ = { $count } of { $total } { $total ->
        [one] element differs
       *[other] elements differ
    }; worst { $worst }
judge-with-meaning = { $meaning }: { $detail }
judge-empty = empty
judge-zero = zero
judge-no-direction = nothing to judge the direction by: `{ $key }` is { $how } (scenario { $scenario })
judge-does-not-move = `{ $key }` is zero: it does not move
judge-in-scenario = { $what } (scenario { $scenario })
judge-not-aligned = `{ $a }` does not point the way of `{ $b }`
judge-dot-product = { $what } (scenario { $scenario }: the dot product is { $dot })
judge-too-short-to-fall = { $what } has { $count } { $count ->
        [one] value
       *[other] values
    }: at least two are needed to see it fall (scenario { $scenario })
judge-in-step = in { $noun } { $k } of { $steps }
judge-at-step = at step { $k } of { $steps }
judge-not-finite = { $what } is { $value } (value { $index } of { $count }; scenario { $scenario })
judge-stays = { $from } stays at { $to }
judge-rises = { $from } rises to { $to }
judge-does-not-fall = { $what } does not fall { $step }: { $change } (scenario { $scenario })
judge-reference-unusable = the reference gave no observations on scenario { $scenario }: { $problem }
judge-no-reference = no reference observations for scenario { $scenario }
judge-reference-missing-key = the reference reported no `{ $key }` (scenario { $scenario })
judge-no-key = the probe reported no `{ $key }` (scenario { $scenario })
judge-wrong-count = `{ $key }` has { $got } { $got ->
        [one] value
       *[other] values
    }, expected { $expected } (`{ $count }`)
judge-printed-too-much = printed too much to check the `{ $prefix }…` lines (scenario { $scenario })
judge-no-line-expected = no `{ $prefix }…` line was expected, so nothing could be checked (scenario { $scenario })
judge-first-extra = ; first extra: `{ $line }`
judge-one-per = , one per `{ $count }`
judge-wrong-line-count = printed { $count } { $count ->
        [one] line
       *[other] lines
    } starting with `{ $prefix }`, expected { $wanted }{ $per }{ $extra } (scenario { $scenario })
judge-line-without-value = printed line { $n } is `{ $line }`, but `{ $key }` has only { $count } { $count ->
        [one] value
       *[other] values
    } to compare it with (scenario { $scenario })
judge-wrong-line = printed line { $n } is `{ $line }`, expected `{ $want }` (scenario { $scenario })

## How a probe run ended without observations

panic-at = {" "}at { $place }
panic-todo = not implemented yet (todo!(){ $at }){ $detail }
panic-in-gave-up = , in { $operation } (which gave up at { $place })
panic-in = , in { $operation }
panic-inside = {" "}(inside { $place })
panic-panicked = panicked{ $at }{ $inside }: { $message }{ $context }
failure-timed-out = timed out after { $seconds } s
failure-cpu-limit = killed: CPU time limit { $seconds } s
failure-memory-limit = killed: memory limit { $mib } MiB
failure-stack-overflow = stack overflow
failure-file-too-large = killed: wrote a file larger than the limit
failure-sigkill = killed (SIGKILL)
failure-sigabrt = aborted (SIGABRT)
failure-sigsegv = crashed (segmentation fault)
failure-signal = killed by signal { $signal }
failure-exited-early = exited with code { $code } before reporting
failure-too-much = reported more than { $mib } MiB of observations
failure-long-name = reported an observation whose name is longer than { $cap } bytes
failure-rejected = the probe rejected scenario `{ $scenario }`: { $message }
failure-not-observations = reported something that is not observations
not-built-limit = the submission does not compile: { $limit }
not-built = the submission does not compile (see the compiler's messages)
not-built-variant = { $variant } does not compile:
    { $diagnostics }
not-built-no-build = no build `{ $build }`

## The human report

report-graded = graded: { $submission }
report-seed = scenarios derived from seed { $seed }
report-does-not-compile = Your code does not compile. The compiler says:
report-score = score { $total }
report-start-here = Start here:
report-start-compile = make your code compile (the compiler's first error above): no check can run before it does.
report-start-unwritten = { $check }, whose code is still todo!(): write it first (backward comes before fit, which calls it).
report-start-mistake = { $check }, the first check that fails in the exercise's order; known mistake { $mistake } below explains it.
report-start-failing = { $check }, the first check that fails in the exercise's order (backward before fit: fit calls backward).
report-mistake = Known mistake { $n } ({ $id }):
report-mistake-checks = { $count ->
        [one] explains the check
       *[other] explains the checks
    } { $checks }
report-hint = hint:
chart-legend-both = { $mine } yours  { $theirs } reference
chart-legend-mine = { $mine } yours
chart-legend-reference = { $theirs } reference (yours did not run)

## Errors

error-prefix = error: { $error }
error-grade-lang = error: GRADE_LANG is `{ $value }`, a language grade does not speak: set it to `en` or `fr`, or unset it

## grade validate

lang-en = English
lang-fr = French
validate-head = { $exercise }: the reference, the stub and { $mistakes } known mistakes on { $checks } checks
validate-legend = ✓ passes   ✗ loses the points (a mistake: diagnosed as itself)   ? not diagnosed   ≠ diagnosed as another mistake
validate-passed = validation passed
validate-failed = validation failed: { $count } problem(s)
validate-ok = ok
validate-problem-mark = PROBLEM
validate-problem = problem:
validate-untranslated = { $file }:{ $line }: { $key } has no { $language } text: add `{ $code } = "…"`
validate-expected-current = { $path } is current
validate-expected-stale = { $path } is not current: run `grade bless` to rewrite it
validate-expected-seed = { $path } not compared (scenarios derived from --seed)
validate-reference-not-full = the reference does not score full marks: { $lost }
validate-stub-passes = the stub passes { $checks }
validate-mistake-not-caught = loses no points: no check catches `{ $id }` ({ $title })
validate-diagnosed-as = on { $check } it is diagnosed as `{ $other }`
validate-not-diagnosed = on { $check } it is not diagnosed ({ $message })
chart-head = { $title } ({ $check }): { $legend }

## The machine-readable reports' words (ids, keys and numbers stay as they are)

report-points = { $score }/{ $max } points
report-worst-in-words = `{ $element }` in scenario { $scenario }: expected { $expected }, got { $got }
report-hidden-seed = scenarios derived from a hidden seed
junit-does-not-compile = the submission does not compile
junit-compile-error = compile error
junit-check-failed = check failed
junit-check-not-judged = check not judged
junit-worst = worst element: { $worst }
junit-diagnosis = diagnosis: { $mistake }
gradescope-build = build: the submission compiles
gradescope-see-build = Your code does not compile: see the build test for the compiler's messages.
gradescope-worst = Worst element: { $worst }
gradescope-hint = Hint ({ $mistake }):
markdown-does-not-compile = **Your code does not compile.** The compiler says:
markdown-check = check
markdown-points = points
markdown-total = total
markdown-hint = **hint** (`{ $mistake }`):

## grade batch

batch-graded = graded { $graded } of { $total } submissions in { $seconds } s
batch-mean = : mean { $mean }/{ $max }, { $full } with full marks, { $broken } not compiling
batch-not-graded = not graded: { $name }: { $error }
batch-wrote = wrote { $csv }, the class report { $page } (and summary.md), and { $count } reports in { $reports }
batch-no-folder = { $path }: no such folder of submissions
batch-empty = { $path } holds no submissions (a .rs file or a folder each)
error-missing-exercise = { $path }: no such exercise folder (expected a folder holding exercise.toml)
error-toolchain = cannot run `{ $program }`: { $message } (install a Rust toolchain from https://rustup.rs, or point the RUSTC and CARGO variables at one)
error-free = , { $free } free
error-no-space = no space left on device under { $path }{ $free } ({ $context }): free space there, or pass --cache-dir (or set GRADE_CACHE_DIR) to put the cache on a disk with room
error-damaged-cache = a cache entry was damaged while grading ({ $what }): grade again, and it is made anew

## --help: `help-<command>-<argument>`, else `help-common-<argument>`; `\n` starts a paragraph

help-grade-about = An auto-grader for a backpropagation exercise: compiles the student's module, runs it beside a reference, and prints a scored report
help-grade-long-about = Grades a student's backpropagation exercise: compiles their module, runs it beside the reference on fixed seeds, checks the gradients and the training, and prints a scored report.\n\nExit codes: 0 every check passed; 1 graded, some check did not pass (a submission that does not compile is graded); 2 could not grade (bad arguments, a bad exercise.toml, a missing file, no toolchain, or a fault of grade's own: a full disk, a crashed compiler, a damaged cache).
help-grade-exercise = The exercise folder (holding exercise.toml), e.g. exercises/backprop
help-grade-submission = Grade this submission instead of the one inside the exercise folder: a .rs file, or a folder laid out like the exercise (src/backprop.rs). Everything else comes from EXERCISE
help-grade-format = The report's format: on stdout, or in the --output file
help-grade-output = Write the report in --format to FILE; the human report still goes to stdout
help-grade-min-score = Exit 0 when the score reaches S, even if some checks did not pass (a CI gate). A submission that could not be graded still exits 2
help-grade-watch = Re-grade each time the submission is saved, showing the change in score; `q` then Enter (or Ctrl-C) quits
help-common-seed = Derive every scenario's seed from N instead of the shipped seeds (needs the reference source)
help-common-cache-dir = Where built dependencies, builds and the reference's observations are kept [default: $XDG_CACHE_HOME/grade or ~/.cache/grade]
help-common-cache-max = The cache's cap, e.g. 500M or 2G: above it, the least recently used builds, observations and working folders are pruned after each grade [default: 1G]
help-common-jobs = Compiles and probe runs at once [default: the number of cores]
help-common-verbose = Also say on stderr what this machine would not let the sandbox do to probe runs and compiles, and what the cache found damaged and made again
help-common-lang = The language of reports, messages and help [default: from GRADE_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: fr_* is French), else English]
help-validate-about = For instructors: prove that the reference scores full marks, the stub nothing, and every known mistake loses points and is recognised. Exits 0 only when all of that holds
help-validate-exercise = The exercise folder, with the reference and the known mistakes beside it
help-validate-seed = Validate on scenarios derived from N instead of the shipped seeds
help-validate-seeds = Also prove the checks over many seeds: N is seeds 1 to N, A..=B (or A..B, without B) a range. The reference must score full marks, and every known mistake lose the same checks as on the shipped seeds and be recognised on each, under every one of them; a table says where one does not (about 3 s per seed on 2 cores)
help-bless-about = For instructors: write expected.json, the reference's and the known mistakes' observations on the shipped seeds, so that a copy of the exercise without solutions/ can grade
help-bless-exercise = The exercise folder, with the reference and the known mistakes beside it
help-batch-about = For instructors: grade every submission in a folder, several at once, into grades.csv (one row each: score, each check's points, the diagnosed mistakes, an error column) and one JSON report each. Exits 0 when every submission was graded (even failing ones), 2 otherwise
help-batch-exercise = The trusted exercise folder (holding exercise.toml)
help-batch-submissions = A folder with one entry per submission: a .rs file, or a folder laid out like the exercise (named after the student)
help-batch-out = Where grades.csv and the JSON reports go [default: `grades` beside SUBMISSIONS, i.e. SUBMISSIONS/../grades; ./grades when SUBMISSIONS has no parent]
help-batch-jobs-per-submission = Compiles and probe runs each chunk of submissions starts at once (a chunk's builds are compiled as one bundle); JOBS / this many chunks are graded at once. One is usually fastest
help-batch-no-bundle = Compile each submission alone instead of in bundles: about half as fast, but no probe binary holds the compiled code of more than one submission
help-cache-about = Where the cache is, how much it holds of each kind, and its cap. Above the cap, every grade prunes the least recently used builds, observations and working folders (never what a running grade uses); `grade cache clean` empties it
help-cache-cache-dir = The cache folder [default: $XDG_CACHE_HOME/grade or ~/.cache/grade]
help-cache-cache-max = The cache's cap, e.g. 500M or 2G [default: 1G]
help-cache-clean-about = Removes everything in the cache that no running grade uses (the next grade builds the dependencies again)
help-doctor-about = What this machine allows grade: the Rust toolchain it compiles with, how probe runs and compiles are isolated here and what that leaves out, and the cache. Exits 0 when grade can grade here, 2 when something it needs is missing (and says what)

## Progress, watch mode and bless

progress-reference = building the reference solution (once; cached)
progress-reference-and-mistakes = building the reference solution and { $count } known mistakes (once; cached)
progress-deps = compiling the exercise's dependencies ({ $names }) { $why }
progress-deps-once = once for this toolchain; later grades reuse them
progress-deps-library = again, for the changed library
progress-deps-damaged = again: the cached ones are damaged or in use by another grade
progress-deps-step = compiling the dependencies once: { $count } crates done, last { $last }
progress-sweep = seed sweep: seed { $seed } ({ $n } of { $total }{ $eta })
progress-sweep-left = , about { $seconds } s left
watch-footer = watching { $files }: save to re-grade · Enter re-grades · q then Enter quits
bless-wrote = wrote { $path }: the reference's and { $mistakes } known mistakes' observations on { $scenarios } scenarios
error-no-reference-seeds = { $exercise } has no reference solution beside it: --seeds needs solutions/
error-no-reference-bless = { $exercise } has no reference solution beside it: bless needs solutions/

## grade validate --seeds

sweep-name = seed sweep
sweep-head = { $sweep }: the reference and { $mistakes } known mistakes under { $seeds }, against the shipped seeds
sweep-legend = ✓ passes under every seed   ✗ loses the points under every seed   N: loses them under N of { $count } seeds, unlike on the shipped ones
sweep-seed-problem = seed { $seed }: { $why }
sweep-passed = every known mistake loses the same checks under all { $count } seeds
sweep-failed = seed sweep failed: { $count } problem(s)
sweep-seeds = seeds { $first } to { $last }
sweep-seed = seed { $seed }
sweep-no-seed = no seed
sweep-caught-shipped = caught on the shipped seeds
sweep-caught-fewest = caught at the fewest
sweep-at-seed = {" "}(seed { $seed })
sweep-caught = { $shipped } known mistakes caught on the shipped seeds, { $fewest } at the fewest{ $at }

## grade cache

cache-summary = cache: { $path }
    size:  { $size } of a { $max } cap (--cache-max or GRADE_CACHE_MAX; past 90 % of it the least recently used is pruned)
cache-free = { $free } free on its disk
cache-removed = removed { $count } entries ({ $freed }) from { $path }
cache-left = left { $count } entries a running grade uses ({ $size } in all now)
cache-kind-deps = dependencies: the exercise's crates, built once per toolchain
cache-kind-work = working folders: builds' sources and rustc's incremental state
cache-kind-builds = builds: compiled probes and their records
cache-kind-outcomes = observations of the reference and known mistakes
cache-kind-tmp = temporary folders
cache-kind-other = other files

## clap's own words in --help

help-usage-heading = Usage:
help-commands-heading = Commands
help-flag = Print help (-h: a summary; --help: everything)
help-version-flag = Print the version, with the compiler's

## A submission that cannot be compiled as it is

limit-memory = compiling your code needed more than { $size } of memory (grade's limit on a compile)
limit-cpu = compiling your code needed more than { $seconds } s of CPU time (grade's limit on a compile)
limit-file-size = compiling your code wrote a file larger than { $size } (grade's limit on a compile): a constant or static that large cannot be graded
limit-wall = the compiler did not finish within { $seconds } s
limit-error = error: { $limit }
stage-reads-files = error: `{ $what }` reads files of the grading machine; a submission may not use it
    {" "}--> { $place }
stage-variant = could not prepare { $title }: { $why }
splice-replacements = the replacement file does not parse: { $message }
splice-missing = the replacement file has no `{ $item }`
splice-submission = the submission does not parse (line { $line }, column { $column }): { $message }

## Errors in exercise.toml and mistakes.toml (said with the file, line and column)

spec-expected-whole = expected a whole number, 0 or more
spec-no-file = the exercise file `{ $file }` does not exist in { $dir }
spec-no-submission = `submission` lists no file
spec-limit-seconds = `limits.{ $name }` must be a positive number of seconds, at most { $max }
spec-limit-range = `limits.{ $name }` must be a whole number from 1 to { $max }
spec-duplicate-build = duplicate build id `{ $id }`
spec-variant-file = variant `{ $id }` replaces items of `{ $file }`, which is not a submission file
spec-variant-from = variant `{ $id }`: the file `{ $file }` does not exist
spec-variant-item = variant `{ $id }`: `{ $item }` is not of the form Type::method
spec-duplicate-scenario = duplicate scenario id `{ $id }`
spec-scenario-build = scenario `{ $id }` runs on build `{ $build }`, which is neither `main` nor a variant
spec-scenario-seed = scenario `{ $id }`: give the seed as `seed`, not inside `args`
spec-duplicate-check = duplicate check id `{ $id }`
spec-points-overflow = check `{ $id }`: the points of all checks add up to more than { $most }
spec-no-check = the exercise declares no `[[check]]`
spec-check = check `{ $id }`{ $message }
spec-check-no-scenario = {" "}selects no scenario: list at least one in `scenarios`
spec-check-no-rule = {" "}expects nothing: give at least one `expect` rule
spec-check-timeout = : timeout must be a positive number of seconds, at most { $max }
spec-check-no-match = : no scenario matches `{ $pattern }`
spec-check-problem = : { $problem }
spec-count-not-whole = `count = "{ $count }"` names `{ $arg }`, which scenario `{ $scenario }` does not give as a whole number
spec-count-negative = `count = "{ $count }"` is negative for scenario `{ $scenario }`
spec-starred = `{ $a }` and `{ $b }` must both end in `*` or neither
spec-not-a-count = `{ $text }` is not a count: give a whole number, or a scenario argument's name optionally followed by `+ N` or `- N` (e.g. "epochs + 1")
spec-stdout-template = a stdout template must start with literal text
spec-duplicate-mistake = duplicate mistake id `{ $id }`
spec-mistake-no-file = mistake `{ $id }`: no file { $file }
spec-expected-unreadable = not a file `grade bless` wrote ({ $error }); run `grade bless` again

## The reference, the probe and the submission's files

error-reference = the reference solution { $what }: { $message }
error-probe = the exercise's probe { $message }
probe-rejected = rejected scenario `{ $scenario }`: { $message }
reference-not-in-copy = is not in this copy of the exercise
reference-other-versions = { $expected } was made for other versions of { $changed }. Restore those files as they were given to you (only your { $submission } is graded), or ask for a fresh copy of the exercise.
reference-is-missing = is missing
reference-missing-seed = --seed needs the reference's source to probe fresh scenarios, and this copy of the exercise has none
reference-missing-copy = this copy of the exercise has neither the reference's source nor an expected.json (`grade bless` writes it)
reference-no-file = exercise.toml names no reference file that exists
reference-unstaged = cannot be staged (build `{ $build }`)
reference-does-not-compile = does not compile (build `{ $build }`)
reference-fails = fails on scenario `{ $scenario }`
submission-many-files = this exercise takes { $count } files ({ $files }): give a folder laid out like the exercise
submission-no-file = no `{ $file }` in this folder (the file this exercise grades)
submission-missing = no such file or folder
error-at-path = { $path }: { $message }
spec-no-language = `languages` lists no language: give `["en"]`, `["en", "fr"]`…

## The class report of grade batch (report.html, summary.md and their charts)

class-heading = Class report: { $title }
class-submitted = submissions
class-graded = graded
class-mean = mean
class-median = median
class-full-marks = full marks
class-not-compiling = do not compile
class-not-graded = could not be graded
class-hidden-seed = Scenarios derived from a hidden seed.
class-distribution = Score distribution
class-checks = Checks
class-check = check
class-what-passes = what passes
class-points = points
class-passed = passed
class-mistakes = Recognised mistakes
class-mistakes-column = recognised mistakes
class-no-mistakes = No known mistake was recognised.
class-mistake = mistake
class-hint = hint
class-on-checks = on checks
class-unexplained = Failures no known mistake explains
class-unexplained-note = Grouped by check: candidates for the catalogue of known mistakes.
class-none-unexplained = Every failure is explained by a known mistake.
class-did-not-compile = Submissions that do not compile
class-were-not-graded = Submissions that could not be graded
class-every-submission = Every submission
class-submission = submission
class-score = score
class-compiles = compiles
class-error = could not be graded
class-yes = yes
class-no = no
class-nothing = None.
class-chart-failed = The chart could not be drawn
class-chart-panicked = the plotting library panicked
class-submissions-count = { $count ->
    [one] { $count } submission
   *[other] { $count } submissions
}
class-chart-score = score
class-chart-submissions = submissions
class-chart-passed = passed (% of graded submissions)

## grade doctor and grade --version

version-compiles-with = compiles with { $version } ({ $rustc })
version-no-toolchain = no Rust toolchain: { $error }
doctor-header = grade { $version } on { $os } ({ $arch })
doctor-label-toolchain = toolchain
doctor-label-probe = probe runs
doctor-label-build = compiles
doctor-label-note = note
doctor-label-cache = cache
doctor-toolchain-paths = { $rustc }, with { $cargo }
doctor-toolchain-none = none: { $error }
doctor-need-toolchain = a Rust toolchain (https://rustup.rs)
doctor-bounds = (every child: bounded in time, memory, CPU time, file size and output; its process group killed when it ends)
doctor-cache = { $path }: { $size } of a { $cap } cap
doctor-cache-free = , { $free } free on its disk
doctor-cache-unusable = unusable: { $error }
doctor-need-cache = a cache folder grade may write in (--cache-dir or GRADE_CACHE_DIR)
doctor-ready = ready: grade can grade on this machine
doctor-not-ready = not ready: grade needs { $missing }
doctor-and = and
doctor-yes = yes
doctor-no = no
doctor-isolation-probe = isolation of probe runs: { $how }
doctor-isolation-build = isolation of compiles: { $how }
guarantee-no-network = network cut off
guarantee-writes-only-scratch = writes confined to its scratch folder
guarantee-hidden-folders = the cache, the exercise and the solutions hidden
guarantee-cannot-signal-grade = grade out of its reach (it cannot signal it)
guarantee-nothing-outlives = no process it starts outlives it
isolation-namespaces = Linux namespaces (PID, network, mount, IPC, UTS){ $files }, as { $user }
isolation-only-root-read-only = , only / read-only
isolation-read-only = , read-only file systems
isolation-user-nobody = nobody
isolation-user-mapped = you in a user namespace, without capabilities
isolation-user-root = root without capabilities
isolation-no-namespaces = no namespaces, { $how }
isolation-portable-build = portable: own process group, rlimits (memory, CPU time, file size)
isolation-portable-probe = portable: own process group, rlimits, no process of its own
isolation-as-nobody = , as nobody

## --shard and grade merge

shard-usage = expected K/N (K from 1 to N), slurm/N, k8s/N or env:VAR/N, e.g. 2/3
shard-bad-count = `{ $count }` is not a number of shards (1 or more): { $usage }
shard-env-no-name = env: needs a variable's name: { $usage }
shard-bad-number = `{ $value }` is not a shard number: { $usage }
shard-out-of-range = shard { $k } of { $count }: shards are numbered from 1 to { $count }
shard-not-set = { $name } is not set
shard-not-set-slurm = { $name } is not set: run it inside a Slurm job array (sbatch --array=0-N-1)
shard-not-set-k8s = { $name } is not set: run it in a Kubernetes Job with completionMode: Indexed
shard-not-whole = { $name }={ $value } is not a whole number
shard-slurm-step = SLURM_ARRAY_TASK_STEP is { $step }: give the array consecutive indices (--array=0-{ $last })
shard-slurm-count = the job array has { $total } tasks (SLURM_ARRAY_TASK_COUNT) but N is { $count }
shard-index-range = that is shard { $index } but shards go from { $first } to { $last }
error-shard = --shard { $spec }: { $message }
merge-unreadable = { $path }: { $message } (give the output folders of `grade batch --shard`, each holding results.json)
merge-not-json = not JSON: { $error }
merge-other-version = not results of this version of grade (version { $version })
merge-not-results = not a batch's results: { $error }
merge-not-a-shard = { $path }: not a shard's results (it was graded without --shard)
merge-mismatch = { $first } and { $second } { $what }: they are not shards of one batch
merge-duplicate = shard { $shard } is given twice: { $first } and { $second }
merge-overlap = { $name } was graded by shard { $first } and by shard { $second }: shards must not overlap (was the folder changed between them?)
merge-missing = { $count ->
    [one] missing shard { $list } of { $total }: grade it and merge again
   *[other] missing shards { $list } of { $total }: grade them and merge again
}
merge-incomplete = the shards hold { $merged } submissions but the folder had { $expected }
merge-and = and
merge-differ-exercise = graded different exercises (`{ $a }` and `{ $b }`)
merge-differ-version = graded different versions of the exercise (its checks or known mistakes)
merge-differ-seed = were graded on different seeds
merge-differ-count = split the folder into different numbers of shards ({ $a } and { $b })
merge-differ-folder = split different folders ({ $a } and { $b } submissions, or names and sizes that differ)

## grade new

new-created = created the exercise `{ $name }`:
new-next = next: `grade validate { $exercise }` proves it; edit the stub, the probe and exercise.toml from there (then `grade bless { $exercise }`), and hand out { $exercise } alone: the solutions stay in { $solutions }
new-not-empty = { $path } already exists and is not an empty folder: `grade new` writes a new exercise only into an empty or new folder, so that nothing is overwritten
new-bad-name = `{ $name }` cannot name an exercise: { $why } (pass --name NAME: lowercase letters, digits, `_` and `-`, starting with a letter)
new-name-first = it does not start with a lowercase letter
new-name-chars = it has a character other than a-z, 0-9, `_` and `-`
new-name-reserved = it is a name Rust or grade keeps for itself
merge-out-is-shard = --out { $out } is a shard's own folder: merge into another one
batch-shard = shard { $k } of { $n }: { $count } of { $total } submissions
batch-bundles = { $chunk } submissions per bundle, { $at_once } bundles at once
batch-at-once = { $at_once } at once

## What the sandbox could not do here (grade doctor, --verbose)

note-probe-runs = probe runs
note-compiles = compiles
note-linux-probe-portable = probe runs are not in their own namespaces{ $why }: they get the portable isolation (`grade doctor` says what it guarantees): a submission can reach the network and read and write what its user may
note-linux-build-portable = compiles are not in their own namespaces{ $why }: rustc and its linker could reach the network and write wherever you may; only their limits on memory, CPU time and file size bound them
note-only-root-read-only = only / is read-only in { $runs } (mount_setattr is not available): other mounted file systems stay writable
note-host-proc = { $runs } see every process of the machine in /proc (mounting their own /proc was refused)
note-portable-probe = probe runs are not in their own namespaces (portable isolation): a submission can reach the network, read what you may read and write wherever its user may
note-portable-same-user = probe runs keep your user (grade is not root, so there is no other user to run them as): a submission can signal grade and your other programs
note-portable-root = probe runs run as root, whom RLIMIT_NPROC does not bind: a process a submission starts and takes out of its process group can outlive it
note-portable-build = compiles are not in their own namespaces (portable isolation): rustc and its linker could reach the network and write wherever you may; only their limits on memory, CPU time and file size bound them
