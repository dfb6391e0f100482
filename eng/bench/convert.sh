#!/usr/bin/env bash
# Benchmark: opset conversion of a BERT-base-sized model (~440 MB of weights in external data, built
# by our own code) 13 -> 17 and 17 -> 13. Prints each conversion's time against `cp` of the same
# files (goal <= 2x) and its peak RSS against the model size (goal <= 1.5x). When Debian's
# python3-onnx is installed (or installable: run as root), also times onnx.version_converter.
# Needs ~2 GB free in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")"
work="${TMPDIR:-/tmp}/obt-convert-bench-$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

dotnet build -c Release convert.cs -o "$work/bin" >/dev/null
bench() { dotnet "$work/bin/convert.dll" "$@"; }
now() { date +%s.%N; }

bench build "$work"
size=$(( $(stat -c %s "$work/bert13.onnx") + $(stat -c %s "$work/bert13.onnx_data") ))
echo "model: $(( size / 1048576 )) MiB (bert13.onnx + bert13.onnx_data)"

# Every timing is the best of 3 runs (the machine is shared); cp copies the same files from a warm page cache.
min() { printf "%s\n" "$@" | sort -g | head -1; }
cat "$work/bert13.onnx_data" > /dev/null
cps=()
for _ in 1 2 3; do
  t0=$(now); mkdir -p "$work/cp"; cp "$work/bert13.onnx" "$work/bert13.onnx_data" "$work/cp/"; sync -f "$work/cp/bert13.onnx_data"; t1=$(now)
  cps+=("$(echo "$t1 - $t0" | bc -l)"); rm -rf "$work/cp"
done
cp_s=$(min "${cps[@]}")
printf "cp: %.3f s (best of 3)\n" "$cp_s"

convert() { # in out opset label result-variable
  local t0 t1 line walls=() inprocs=() rss=0 r
  for _ in 1 2 3; do
    t0=$(now); line=$(bench convert "$1" "$2" "$3"); sync -f "$2_data"; t1=$(now)
    walls+=("$(echo "$t1 - $t0" | bc -l)")
    inprocs+=("$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")")
    r=$(sed -E 's/.*peak_rss_kib=([0-9]+).*/\1/' <<<"$line"); (( r > rss )) && rss=$r
  done
  local wall; wall=$(min "${walls[@]}")
  local inproc; inproc=$(min "${inprocs[@]}")
  printf "%s: process %.3f s (%.2fx cp), load+convert+save %.3f s (%.2fx cp), peak RSS %d MiB (%.2fx model, worst of 3); %s\n" \
    "$4" "$wall" "$(echo "$wall / $cp_s" | bc -l)" "$inproc" "$(echo "$inproc / $cp_s" | bc -l)" \
    "$(( rss / 1024 ))" "$(echo "$rss * 1024 / $size" | bc -l)" "$line"
  eval "$5=$wall"
}
convert "$work/bert13.onnx" "$work/bert17.onnx" 17 "13 -> 17" ours_up
convert "$work/bert17.onnx" "$work/back13.onnx" 13 "17 -> 13" ours_down

py=/usr/bin/python3
if ! $py -c "import onnx" 2>/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-onnx >/dev/null 2>&1 || true
fi
if $py -c "import onnx" 2>/dev/null; then
  for pair in "13 17 bert13.onnx ours_up" "17 13 bert17.onnx ours_down"; do
    set -- $pair
    out=$($py - "$work/$3" "$2" "$work/py_$2.onnx" <<'PY'
import sys, time, resource, onnx
from onnx import version_converter
t0 = time.time()
m = onnx.load(sys.argv[1])
try:
    c = version_converter.convert_version(m, int(sys.argv[2]))
    onnx.save(c, sys.argv[3], save_as_external_data=True, location=sys.argv[3].split("/")[-1] + "_data")
    status = "ok"
except Exception as e:
    status = "failed: " + str(e).splitlines()[0][:160]
print(f"{time.time() - t0:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} {status}")
PY
)
    read -r secs rss status <<<"$out"
    ours=${!4}
    printf "onnx %s version_converter %s -> %s: %.3f s, peak RSS %s MiB, %s; ours/onnx time ratio %.2f\n" \
      "$($py -c 'import onnx; print(onnx.__version__)')" "$1" "$2" "$secs" "$rss" "$status" "$(echo "$ours / $secs" | bc -l)"
  done
else
  echo "python3-onnx not available: onnx.version_converter comparison skipped"
fi
