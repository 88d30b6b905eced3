#!/usr/bin/env bash
# Evidence for issue 19: a pairwise run killed with SIGKILL mid-run, resumed with --resume, ends with the same
# matrix.npy (byte for byte) as an uninterrupted run.
#   batch/scripts/kill-resume.sh INPUTS_DIR WORK_DIR SECONDS_BEFORE_KILL [extra pairwise options...]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
in="$1"; work="$2"; wait_s="$3"; shift 3
mkdir -p "$work"
rm -rf "$work/full" "$work/killed"
"$HERE/gwembed" batch pairwise --inputs "$in" --out "$work/full" -q "$@" > "$work/full.out"
# the launcher execs java: the background job's pid is the JVM's
"$HERE/gwembed" batch pairwise --inputs "$in" --out "$work/killed" -q "$@" > "$work/killed.out" 2>&1 &
pid=$!
sleep "$wait_s"
kill -9 "$pid" || true
wait "$pid" 2>/dev/null || true
done_before=$(cat "$work"/killed/log/part-*.csv | wc -l)
echo "killed pid $pid after ${wait_s} s with $done_before tasks in the log"
"$HERE/gwembed" batch pairwise --inputs "$in" --out "$work/killed" --resume -q "$@" | tee "$work/resumed.out"
if cmp -s "$work/full/matrix.npy" "$work/killed/matrix.npy"; then
  echo "matrix.npy identical to the uninterrupted run's"
else
  echo "matrix.npy DIFFERS from the uninterrupted run's" >&2
  exit 1
fi
