#!/usr/bin/env bash
# Runs every test project. Packs first (the integration tests build real projects against
# artifacts/packages), then `dotnet test` on the solution, and ends with one line
# "N passed, N failed" totalled over all test projects.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ -x eng/pack.sh ]; then
  bash eng/pack.sh || { echo "0 passed, 1 failed"; exit 1; }
fi

log=$(mktemp)
dotnet test OnnxBuildTasks.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# With normal verbosity each test assembly ends with "Total tests: N", then "     Passed: N" and,
# when some failed, "     Failed: N" lines (test result lines read "  Passed Name", without a colon).
read -r passed failed < <(awk '/^Total tests: /{inblock=1; next}
  inblock && /^ +Passed: +[0-9]+/ {p+=$2; next}
  inblock && /^ +Failed: +[0-9]+/ {f+=$2; next}
  inblock && !/^ +[A-Za-z ]+: / {inblock=0}
  END {print p+0, f+0}' "$log")
rm -f "$log"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or host failure counts
echo "$passed passed, $failed failed"
exit "$rc"
