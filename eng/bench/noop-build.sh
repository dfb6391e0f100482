#!/usr/bin/env bash
# No-op build cost of OnnxBuildTasks: a project with three OnnxModel items vs. the same project
# without them, built repeatedly after a first full build. Prints the median wall time of each and
# the ratio (goal <= 1.05). Two baselines: the project without the items and without the package
# (what adopting the package costs) and with the package but no items.
#
# usage: eng/bench/noop-build.sh [runs=9]    (packs first when artifacts/packages is empty)
# Builds run with -nodeReuse:false --disable-build-servers, so each is a fresh `dotnet build` as
# from a terminal or CI, and nothing keeps running afterwards. Runs alternate between the projects
# so drift on a shared machine hits both alike.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-9}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
[ -f "$root/artifacts/packages/version.txt" ] || bash "$root/eng/pack.sh"
version=$(cat "$root/artifacts/packages/version.txt")
model="$root/tests/Fixtures/hf-tiny/distilbert-text-classification/reference.onnx"

work=$(mktemp -d /tmp/obt-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

make_project() { # name, package (yes/no), items (yes/no)
  local dir="$work/$1"
  mkdir -p "$dir/models"
  cat > "$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$root/artifacts/packages" /></packageSources></configuration>
XML
  echo 'namespace App; internal static class Empty { }' > "$dir/Empty.cs"
  local package="" items=""
  [ "$2" = yes ] && package="<PackageReference Include=\"OnnxBuildTasks\" Version=\"$version\" />"
  if [ "$3" = yes ]; then
    for name in a b c; do cp "$model" "$dir/models/$name.onnx"; done
    items='<OnnxModel Include="models/a.onnx" /><OnnxModel Include="models/b.onnx" Atol="1e-3" /><OnnxModel Include="models/c.onnx" Name="third" />'
  fi
  cat > "$dir/$1.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><OnnxCacheDir>$work/cache</OnnxCacheDir></PropertyGroup>
  <ItemGroup>$package $items</ItemGroup>
</Project>
XML
}

build() { dotnet build "$work/$1" -nodeReuse:false --disable-build-servers -v:q -nologo > "$work/$1.log" 2>&1 || { cat "$work/$1.log"; exit 1; }; }

time_build() { # prints seconds
  local start end
  start=$(date +%s.%N); build "$1"; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

make_project models yes yes
make_project plain no no
make_project packageonly yes no
for p in models plain packageonly; do build $p; build $p; done   # restore, first build, settle
if grep -q "OnnxBuildTasks: producing" "$work/models.log"; then echo "the second build was not a no-op" >&2; exit 1; fi

: > "$work/t.models"; : > "$work/t.plain"; : > "$work/t.packageonly"
order=(models plain packageonly)
for i in $(seq "$runs"); do
  # rotate the order every round, so no project always builds first (or right after another)
  for k in 0 1 2; do p=${order[$(( (i + k) % 3 ))]}; time_build "$p" >> "$work/t.$p"; done
done
m=$(median < "$work/t.models"); p=$(median < "$work/t.plain"); q=$(median < "$work/t.packageonly")
echo "no-op build, median of $runs runs (package $version):"
echo "  3 OnnxModel items:          ${m}s"
echo "  no package, no items:       ${p}s   ratio $(echo "$m / $p" | bc -l | xargs printf '%.3f')"
echo "  package, no items:          ${q}s   ratio $(echo "$m / $q" | bc -l | xargs printf '%.3f')"
echo "goal: ratio <= 1.05"
# The same no-op build's own account of the OnnxBuildTasks targets (independent of machine noise).
dotnet build "$work/models" -nodeReuse:false --disable-build-servers -nologo -clp:PerformanceSummary -v:n 2>&1 \
  | grep -E '^ +[0-9]+ ms +(_?Onnx[A-Za-z]*) +[0-9]+ calls' | sed 's/^ */  target: /' || true
