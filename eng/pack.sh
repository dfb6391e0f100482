#!/usr/bin/env bash
# Packs OnnxBuildTasks (MSBuild package with the engine inside) and OnnxBuildTasks.Tool (dotnet onnx)
# into artifacts/packages/.
#
# Every pack gets a unique prerelease version, 0.1.0-dev.<UTC yyyyMMddHHmmss>, written to
# artifacts/packages/version.txt. NuGet's global package folder never re-extracts a version it has
# seen, so re-packing one fixed version would serve the old bits to the sample and the integration
# tests; a fresh version per pack cannot be stale. Older dev packages are removed from
# artifacts/packages so the folder holds exactly one version. Set ONNX_PACK_VERSION to choose one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

base=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
version=${ONNX_PACK_VERSION:-$base-dev.$(date -u +%Y%m%d%H%M%S)}
out=artifacts/packages
mkdir -p "$out"
rm -f "$out"/OnnxBuildTasks.*.nupkg "$out"/version.txt

dotnet restore OnnxBuildTasks.sln -v:q
dotnet pack src/OnnxBuildTasks.MSBuild -c Release --no-restore -o "$out" -p:Version="$version" -v:q -nologo
dotnet pack src/OnnxBuildTasks.Tool -c Release --no-restore -o "$out" -p:Version="$version" -v:q -nologo

echo "$version" > "$out/version.txt"
echo "packed $version:"
ls -1 "$out"
