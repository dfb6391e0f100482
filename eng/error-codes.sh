#!/usr/bin/env bash
# Prints the error-code table of README.md from the XML summaries in
# src/OnnxBuildTasks.Core/Diagnostics/ErrorCodes.*.cs (the one place codes are defined).
# A test (ReadmeTests) fails when README.md misses a code.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
echo "| code | meaning |"
echo "| --- | --- |"
cat "$root"/src/OnnxBuildTasks.Core/Diagnostics/ErrorCodes*.cs | awk '
  /<summary>/ { s=$0; sub(/.*<summary>/, "", s); sub(/<\/summary>.*/, "", s); summary=s; next }
  /const string [A-Za-z]+ = "OBT[0-9]+"/ {
    match($0, /"OBT[0-9]+"/); code=substr($0, RSTART+1, RLENGTH-2);
    gsub(/<see cref="[^"]*"\/>/, "", summary); gsub(/<c>|<\/c>/, "`", summary); gsub(/\|/, "\\|", summary);
    print code "\t" summary; summary="" }' | sort | awk -F'\t' '{ printf "| `%s` | %s |\n", $1, $2 }'
