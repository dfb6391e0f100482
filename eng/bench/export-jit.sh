#!/usr/bin/env bash
# First-use cost of an export: the methods the JIT compiles while one fresh process exports the BERT-base-shaped
# checkpoint of eng/bench/export.sh (OnnxBuildTasks.Core and Google.Protobuf with their ReadyToRun code, as shipped).
# Everything else runs precompiled; what is listed here is mostly generic code over value types from other assemblies
# (LINQ or collections over tuples, long, enums, KeyValuePair), which ReadyToRun cannot precompile for us.
# Prints the count of methods compiled before first use (Tier0, FullOpts; Tier1 re-compilations of hot methods run on a
# background thread and depend on timing, so they are left out) and, with --list, the methods themselves.
# Usage: eng/bench/export-jit.sh [--list] [work dir]   (default work dir: a fresh folder under /tmp, removed afterwards)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
list=false
if [ "${1:-}" = "--list" ]; then list=true; shift; fi
work=${1:-$(mktemp -d /tmp/obt-export-jit.XXXXXX)}
keep=${1:-}
trap '[ -z "$keep" ] && rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$root/eng/bench/ExportBench" -c Release -v:q -nologo -o "$work/bin" >/dev/null
[ -f "$work/ckpt/model.safetensors" ] || "$work/bin/ExportBench" make "$work/ckpt" >/dev/null

rm -rf "$work/out" "$work/jit.txt"
DOTNET_JitDisasmSummary=1 DOTNET_JitStdOutFile="$work/jit.txt" "$work/bin/ExportBench" export "$work/ckpt" "$work/out" --no-hash >/dev/null
grep -v 'Tier1' "$work/jit.txt" | sed 's/^ *[0-9]*: JIT compiled //' > "$work/first-use.txt"
echo "methods JIT-compiled before first use in one export: $(wc -l < "$work/first-use.txt") (ExportBench's own Main included)"
if $list; then sed 's/^/    /' "$work/first-use.txt"; fi
