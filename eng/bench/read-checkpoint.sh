#!/usr/bin/env bash
# Benchmark: open a BERT-base-shaped (~440 MB) safetensors checkpoint and touch every byte of every
# tensor, against `cat file > /dev/null` of the same file. Prints the best of N runs of each, the
# ratio (goal <= 1.2x) and the reader's peak memory (goal: far below the file size).
# Usage: eng/bench/read-checkpoint.sh [runs]   (default 3; needs ~0.5 GB free in $TMPDIR)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/obt-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$root/eng/bench/ReadCheckpoint/ReadCheckpoint.csproj" -c Release -o "$work/bin" -v q -nologo >/dev/null
bench="$work/bin/ReadCheckpoint"
"$bench" write "$work/ckpt"
file="$work/ckpt/model.safetensors"
cat "$file" > /dev/null   # same starting point for both: the file in the page cache

best_cat=
for _ in $(seq "$runs"); do
  start=$(date +%s%N); cat "$file" > /dev/null; end=$(date +%s%N)
  t=$(( (end - start) / 1000 ))
  if [ -z "$best_cat" ] || [ "$t" -lt "$best_cat" ]; then best_cat=$t; fi
done

best_read=; best_wall=; line=
for _ in $(seq "$runs"); do
  start=$(date +%s%N); out=$("$bench" read "$work/ckpt"); end=$(date +%s%N)
  t=$(awk -F'[= ]' '{print int($2 * 1000000)}' <<<"$out")
  wall=$(( (end - start) / 1000 ))
  if [ -z "$best_read" ] || [ "$t" -lt "$best_read" ]; then best_read=$t; line=$out; fi
  if [ -z "$best_wall" ] || [ "$wall" -lt "$best_wall" ]; then best_wall=$wall; fi
done

size=$(stat -c %s "$file")
echo "file:                         $size bytes"
echo "cat > /dev/null:              $(awk -v t="$best_cat" 'BEGIN{printf "%.3f s", t/1e6}')"
echo "open + touch every byte:      $(awk -v t="$best_read" 'BEGIN{printf "%.3f s", t/1e6}')  (in process)"
echo "same, whole process:          $(awk -v t="$best_wall" 'BEGIN{printf "%.3f s", t/1e6}')  (dotnet start-up included)"
echo "ratio (in process / cat):     $(awk -v a="$best_read" -v b="$best_cat" 'BEGIN{printf "%.2fx", a/b}')"
echo "ratio (whole process / cat):  $(awk -v a="$best_wall" -v b="$best_cat" 'BEGIN{printf "%.2fx", a/b}')"
echo "reader memory:                $(grep -o 'VmHWM.*' <<<"$line")"
echo "  (RssFile is the page cache mapped in place of the file, shared and reclaimable; RssAnon is the process's own memory)"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$bench" read "$work/ckpt" 2>&1 >/dev/null | grep -E 'Maximum resident' | sed 's/^\s*/\/usr\/bin\/time: /'
fi
