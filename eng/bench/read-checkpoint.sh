#!/usr/bin/env bash
# Benchmark: open a BERT-base-shaped (~440 MB, 110M float32 parameters) safetensors checkpoint written by
# SafetensorsWriter and touch every byte of every tensor, against `cat file > /dev/null` of the same file
# (both from the page cache). Best of N runs of each. Goal: <= 1.2x cat; peak memory far below the file size.
# Modes of the reader (eng/bench/ReadCheckpoint):
#   read          Checkpoint.Open + every tensor's Bytes span XOR-ed (zero-copy over the mapping)
#   read-release  the same, calling ReleasePages() after each tensor (how an exporter walks a model)
#   stream        every tensor through CopyTo into a checksum stream (the exporter's path for big tensors)
# Times are measured inside the process: "first" is the first open + touch in a fresh process, with the
# one-off costs of first use (loading and initialising System.Text.Json and the runtime's other first-call
# paths, a fixed ~0.02 s whatever the model size, shown as "of which Open"); "steady" is a second full
# open + touch in the same process (compiled code, fresh mapping).
# The reader gets OnnxBuildTasks.Core.dll as the engine and the dotnet onnx tool ship it: with linux-x64
# ReadyToRun code as a RID-specific asset (eng/ReadyToRun/ReadyToRun.targets, imported by ReadCheckpoint.csproj,
# does it on `dotnet build` too). Build the reader with -p:OnnxReadyToRun=false to measure the IL-only Core.
# Usage: eng/bench/read-checkpoint.sh [runs]   (default 3; needs ~0.5 GB free in $TMPDIR)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/obt-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$root/eng/bench/ReadCheckpoint/ReadCheckpoint.csproj" -c Release -o "$work/bin" -v q -nologo >/dev/null
bench="$work/bin/ReadCheckpoint"
"$bench" write "$work/ckpt" >/dev/null
file="$work/ckpt/model.safetensors"
cat "$file" > /dev/null   # same starting point for every run: the file in the page cache

best_cat=
for _ in $(seq "$runs"); do
  start=$(date +%s%N); cat "$file" > /dev/null; end=$(date +%s%N)
  t=$(( (end - start) / 1000 ))
  if [ -z "$best_cat" ] || [ "$t" -lt "$best_cat" ]; then best_cat=$t; fi
done
secs() { awk -v t="$1" 'BEGIN{printf "%.3f s", t/1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }

echo "file:              $(stat -c %s "$file") bytes ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo "cat > /dev/null:   $(secs "$best_cat")"
for mode in read read-release stream; do
  best_first=; best_steady=; hwm=; best_open=
  for _ in $(seq "$runs"); do
    out=$("$bench" "$mode" "$work/ckpt")
    first=$(sed -E 's/.*read_seconds=([0-9.]+).*/\1/' <<<"$out" | awk '{print int($1*1e6)}')
    open=$(sed -E 's/.*open_seconds=([0-9.]+).*/\1/' <<<"$out" | awk '{print int($1*1e6)}')
    if [ -z "$best_open" ] || [ "$open" -lt "$best_open" ]; then best_open=$open; fi
    steady=$(sed -E 's/.*steady_seconds=([0-9.]+).*/\1/' <<<"$out" | awk '{print int($1*1e6)}')
    if [ -z "$best_first" ] || [ "$first" -lt "$best_first" ]; then best_first=$first; fi
    if [ -z "$best_steady" ] || [ "$steady" -lt "$best_steady" ]; then best_steady=$steady; fi
    hwm=$(grep -oE 'VmHWM:[[:space:]]*[0-9]+ kB' <<<"$out" | tr -s ' \t' ' ')
  done
  printf '%-13s first %s (%s; of which Open %s)  steady %s (%s)  peak %s\n' "$mode" "$(secs "$best_first")" "$(ratio "$best_first" "$best_cat")" "$(secs "$best_open")" \
    "$(secs "$best_steady")" "$(ratio "$best_steady" "$best_cat")" "$hwm"
done
echo "(peak = VmHWM, which counts mapped page-cache pages as resident; the process's own memory, RssAnon, stays ~5 MB)"
