#!/usr/bin/env bash
# Benchmark: streamed save of models with 1.5 GB (inline) and 2.5 GB (automatic external data) of weights.
# Prints write time, throughput and peak memory; needs ~3 GB free in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")"
dotnet run -c Release large-model-save.cs
