#!/usr/bin/env bash
# The main job, from a fresh clone: pack OnnxBuildTasks from source (eng/pack.sh), then build and run
# samples/QuickStart, whose project declares <OnnxModel Include="models/sentiment.onnx" />. The build
# validates the model with ONNX Runtime, caches it and copies it to bin/.../models/sentiment/model.onnx;
# the app loads it from there and prints the sentiment of two sentences. Works offline once the
# NuGet packages the repo uses are in the local NuGet cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
bash eng/pack.sh
dotnet run --project samples/QuickStart
