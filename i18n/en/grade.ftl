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
