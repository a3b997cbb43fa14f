#!/usr/bin/env bash
# Measures `grade batch` on 40 real submissions against grading them one after another.
#
#   benches/batch.sh [RUNS]        (default 3 runs; prints each time and the medians)
#
# The 40 submissions are the repository's own: the correct-style, rewrite and wrong fixtures, the
# known-mistake catalog, the reference and the stub, cycled to 40. Every run gives each one a fresh
# comment line, so every submission is a distinct build (builds are cached by the hash of their
# source) and nothing is reused between runs but what a real class shares too: the built
# dependencies and the reference's observations, warmed once before the first run.
#
# Measured, per run, on fresh copies each time:
#   sequential   40 separate `grade EXERCISE --submission FILE` invocations (default --jobs: all cores)
#   batch -j1    `grade batch --jobs 1`: one submission at a time, one step at a time
#   batch        `grade batch` as shipped (--jobs = cores, one submission per core)
#   batch 2x2    `grade batch --jobs-per-submission 2`: fewer submissions at once, each parallel inside
#   batch -j4    `grade batch --jobs 4`: more submissions than cores
set -euo pipefail

runs=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
grade=$root/target/release/grade
exercise=$root/exercises/backprop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GRADE_CACHE_DIR=${GRADE_CACHE_DIR:-$work/cache}
export NO_COLOR=1
unset GRADE_SEED

sources=()
for f in "$root"/tests/fixtures/correct/*.rs "$root"/tests/fixtures/rewrites/*.rs \
         "$root"/tests/fixtures/wrong/*.rs "$root"/solutions/backprop/mistakes/*.rs \
         "$root"/solutions/backprop/backprop.rs "$exercise"/src/backprop.rs; do
    sources+=("$f")
done

# Fresh copies: 40 distinct sources, never built before.
make_class() {
    local dir=$1 nonce=$2
    mkdir -p "$dir"
    for i in $(seq 0 39); do
        local src=${sources[$((i % ${#sources[@]}))]}
        { cat "$src"; printf '\n// bench %s student %02d\n' "$nonce" "$i"; } > "$dir/student$(printf %02d "$i").rs"
    done
}

now() { date +%s.%N; }

echo "warming the cache (dependencies, reference) in $GRADE_CACHE_DIR" >&2
"$grade" "$exercise" --submission "$root/solutions/backprop/backprop.rs" > /dev/null
echo "cores: $(nproc); ${#sources[@]} distinct sources cycled to 40 submissions; $runs runs" >&2

declare -A times
modes=(sequential "batch -j1" batch "batch 2x2" "batch -j4")
for run in $(seq 1 "$runs"); do
    for mode in "${modes[@]}"; do
        class=$work/run$run-${mode// /_}
        make_class "$class/subs" "$run-$mode-$$-$RANDOM"
        start=$(now)
        case $mode in
            sequential)
                for f in "$class"/subs/*.rs; do
                    "$grade" "$exercise" --submission "$f" --format json > /dev/null || [ $? -eq 1 ]
                done ;;
            "batch -j1") "$grade" batch "$exercise" "$class/subs" --jobs 1 > /dev/null 2>&1 ;;
            batch) "$grade" batch "$exercise" "$class/subs" > /dev/null 2>&1 ;;
            "batch 2x2") "$grade" batch "$exercise" "$class/subs" --jobs-per-submission 2 > /dev/null 2>&1 ;;
            "batch -j4") "$grade" batch "$exercise" "$class/subs" --jobs 4 > /dev/null 2>&1 ;;
        esac
        elapsed=$(echo "$(now) - $start" | bc)
        times[$mode]="${times[$mode]:-} $elapsed"
        printf 'run %d  %-11s %6.1f s\n' "$run" "$mode" "$elapsed"
        rm -rf "$class"
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
seq_median=$(echo "${times[sequential]}" | median)
j1_median=$(echo "${times[batch -j1]}" | median)
for mode in "${modes[@]}"; do
    m=$(echo "${times[$mode]}" | median)
    printf '%-11s median %6.1f s   %.2fx vs sequential invocations   %.2fx vs batch -j1\n' \
        "$mode" "$m" "$(echo "$seq_median / $m" | bc -l)" "$(echo "$j1_median / $m" | bc -l)"
done
