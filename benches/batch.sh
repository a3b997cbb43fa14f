#!/usr/bin/env bash
# Measures `grade batch` on 40 real submissions against grading them one after another.
#
#   benches/batch.sh [RUNS]                          (default 3; prints each time, then the medians)
#   MODES="sequential,batch" benches/batch.sh 5     (a subset of the modes below)
#
# The 40 submissions are the repository's own: the correct-style, rewrite and wrong fixtures, the
# known-mistake catalog, the reference and the stub, cycled to 40 from a random starting point.
# Every measurement gives each one a fresh comment line, so every submission is a distinct build
# (builds are cached by the hash of their source), and the random start puts other code in every
# position than the last class had (rustc's incremental state of a working folder helps a file
# that is the same as last time, which a real class's next submission is not). Nothing is reused
# but what a real class shares too: the built dependencies, the reference's observations, and the
# working folders, warmed once before the first run by one `grade` and one `grade batch` (whose
# time is printed: it is what the first batch on a fresh cache costs).
#
# Modes, interleaved within each run so that a change in the machine's load hits all of them:
#   sequential   40 separate `grade EXERCISE --submission FILE` invocations (default --jobs: all cores)
#   batch -j1    `grade batch --jobs 1`: one submission at a time, one step at a time
#   batch        `grade batch` as shipped (--jobs = cores, one submission per core)
#   batch 1x2    `grade batch --jobs-per-submission 2`: one submission at a time, parallel inside
#   batch -j4    `grade batch --jobs 4`: twice as many submissions at once as cores
#   batch alone  `grade batch --no-bundle`: each submission compiled alone
#
# Other work on the machine skews wall-clock times, so before each measurement the script waits
# (up to QUIET_WAIT seconds, default 600) until the CPUs are idle, and after it prints how many
# cores other processes used on average while it ran ("others"); a run where that is high is not
# worth comparing.
set -euo pipefail

runs=${1:-3}
quiet_wait=${QUIET_WAIT:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
grade=$root/target/release/grade
exercise=$root/exercises/backprop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GRADE_CACHE_DIR=${GRADE_CACHE_DIR:-$work/cache}
export NO_COLOR=1
unset GRADE_SEED
hz=$(getconf CLK_TCK)

sources=()
for f in "$root"/tests/fixtures/correct/*.rs "$root"/tests/fixtures/rewrites/*.rs \
         "$root"/tests/fixtures/wrong/*.rs "$root"/solutions/backprop/mistakes/*.rs \
         "$root"/solutions/backprop/backprop.rs "$exercise"/src/backprop.rs; do
    sources+=("$f")
done

# Fresh copies: 40 distinct sources, never built before.
make_class() {
    local dir=$1 nonce=$2 start=$((RANDOM % ${#sources[@]}))
    mkdir -p "$dir"
    for i in $(seq 0 39); do
        local src=${sources[$(((i + start) % ${#sources[@]}))]}
        { cat "$src"; printf '\n// bench %s student %02d\n' "$nonce" "$i"; } > "$dir/student$(printf %02d "$i").rs"
    done
}

# CPU seconds all processes have spent busy since boot.
busy() { awk -v hz="$hz" '/^cpu / {print ($2 + $3 + $4 + $7 + $8 + $9) / hz}' /proc/stat; }

# Waits until the machine has been idle (under 0.15 cores busy) for 5 s, or quiet_wait has passed.
wait_for_quiet() {
    local waited=0 before after
    while [ "$waited" -lt "$quiet_wait" ]; do
        before=$(busy); sleep 5; after=$(busy)
        if [ "$(echo "($after - $before) / 5 < 0.15" | bc -l)" -eq 1 ]; then return; fi
        waited=$((waited + 5))
    done
    echo "  (the machine did not become idle within ${quiet_wait} s; measuring anyway)" >&2
}

echo "warming the cache (dependencies, reference, working folders) in $GRADE_CACHE_DIR" >&2
"$grade" "$exercise" --submission "$root/solutions/backprop/backprop.rs" > /dev/null
make_class "$work/warm/subs" "warm-$$"
/usr/bin/time -f '%e' -o "$work/warm/time" "$grade" batch "$exercise" "$work/warm/subs" --out "$work/warm/grades" > /dev/null 2>&1
echo "first batch on this cache (cold working folders): $(cat "$work/warm/time") s" >&2
rm -rf "$work/warm"
echo "cores: $(nproc); ${#sources[@]} distinct sources cycled to 40 submissions; $runs runs" >&2

if [ -n "${MODES:-}" ]; then
    IFS=',' read -r -a modes <<< "$MODES"
else
    modes=(sequential "batch -j1" batch "batch 1x2" "batch -j4" "batch alone")
fi
declare -A times
for run in $(seq 1 "$runs"); do
    for mode in "${modes[@]}"; do
        class=$work/run$run-${mode// /_}
        make_class "$class/subs" "$run-$mode-$$-$RANDOM"
        case $mode in
            sequential) script='for f in "$1"/subs/*.rs; do "$0" "$2" --submission "$f" --format json > /dev/null || [ $? -eq 1 ]; done' ;;
            "batch -j1") script='"$0" batch "$2" "$1/subs" --jobs 1 > /dev/null 2>&1' ;;
            batch) script='"$0" batch "$2" "$1/subs" > /dev/null 2>&1' ;;
            "batch 1x2") script='"$0" batch "$2" "$1/subs" --jobs-per-submission 2 > /dev/null 2>&1' ;;
            "batch -j4") script='"$0" batch "$2" "$1/subs" --jobs 4 > /dev/null 2>&1' ;;
            "batch alone") script='"$0" batch "$2" "$1/subs" --no-bundle > /dev/null 2>&1' ;;
            *) echo "unknown mode $mode" >&2; exit 2 ;;
        esac
        wait_for_quiet
        busy_before=$(busy)
        # %e wall, %U + %S: this measurement's own CPU, its children included.
        /usr/bin/time -f '%e %U %S' -o "$class/time" bash -c "$script" "$grade" "$class" "$exercise"
        busy_after=$(busy)
        read -r elapsed user sys < "$class/time"
        others=$(echo "($busy_after - $busy_before - $user - $sys) / $elapsed" | bc -l)
        times[$mode]="${times[$mode]:-} $elapsed"
        printf 'run %d  %-12s %6.1f s   own CPU %6.1f s   others %.2f cores\n' \
            "$run" "$mode" "$elapsed" "$(echo "$user + $sys" | bc -l)" "$others"
        rm -rf "$class"
    done
done

median() { tr ' ' '\n' | { grep -v '^$' || true; } | sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
seq_median=$(echo "${times[sequential]:-}" | median)
j1_median=$(echo "${times[batch -j1]:-}" | median)
for mode in "${modes[@]}"; do
    m=$(echo "${times[$mode]}" | median)
    line=$(printf '%-12s median %6.1f s' "$mode" "$m")
    if [ -n "$seq_median" ]; then line+=$(printf '   %.2fx vs sequential' "$(echo "$seq_median / $m" | bc -l)"); fi
    if [ -n "$j1_median" ]; then line+=$(printf '   %.2fx vs batch -j1' "$(echo "$j1_median / $m" | bc -l)"); fi
    echo "$line"
done
