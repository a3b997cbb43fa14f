#!/usr/bin/env bash
# Grades a class on a Slurm cluster: a job array of 4 tasks, each grading its shard of the shared
# submissions folder (`grade batch --shard slurm/4`), then one job that merges the shards into one
# grades.csv and one class report once every task has ended.
#
#   sbatch examples/slurm/grade-array.sh                  # submits the array and the merge
#
# Set these (or export them before sbatch; sbatch passes the environment on):
#   GRADE        the grade binary (cargo build --release in the instructors' repository)
#   EXERCISE     the trusted exercise folder, e.g. ~/course/grade/exercises/backprop
#   SUBMISSIONS  the shared submissions folder (one .rs file or one folder per student)
#   OUT          where the shards and the merged grades go, on a shared file system
#   GRADE_SEED   optional: the hidden seed
# The array's size and the N of --shard must agree: both are 4 here. Slurm numbers the tasks as
# --array says (1-4 here; 0-3 works the same): grade counts from SLURM_ARRAY_TASK_MIN.
#SBATCH --job-name=grade
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=grade-%A_%a.log
set -euo pipefail

: "${GRADE:=$HOME/grade/target/release/grade}"
: "${EXERCISE:=$HOME/grade/exercises/backprop}"
: "${SUBMISSIONS:?set SUBMISSIONS to the shared submissions folder}"
: "${OUT:?set OUT to a shared folder for the grades}"

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
    echo "submit this script with sbatch: it is a job array" >&2
    exit 2
fi

# The cache on the node's own disk (unless GRADE_CACHE_DIR says otherwise): each node builds the
# exercise's dependencies once (about 10 s) and never shares half-written files over NFS.
export GRADE_CACHE_DIR="${GRADE_CACHE_DIR:-${TMPDIR:-/tmp}/grade-cache-${USER:-$(id -un)}}"

# The first task also submits the merge, to run when every task of the array has ended
# (afterany: a task that failed is named by the merge as a missing shard).
if [ "$SLURM_ARRAY_TASK_ID" = "${SLURM_ARRAY_TASK_MIN:-}" ]; then
    sbatch --job-name=grade-merge --dependency="afterany:$SLURM_ARRAY_JOB_ID" \
        --output="grade-merge-%j.log" \
        --wrap="\"$GRADE\" merge \"$OUT\"/shard-* --out \"$OUT/class\""
fi

# Exit 2 when some submission could not be graded (its row in grades.csv says why).
"$GRADE" batch "$EXERCISE" "$SUBMISSIONS" --shard slurm/4 --jobs "${SLURM_CPUS_PER_TASK:-2}" \
    --out "$OUT/shard-$SLURM_ARRAY_TASK_ID"
