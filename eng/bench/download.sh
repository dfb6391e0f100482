#!/usr/bin/env bash
# Download benchmark against the local Hub (tests/OnnxBuildTasks.HubServer), never the network.
#  1. A 1 GB LFS file (redirected to the CDN port, as the Hub does) downloaded by curl and by
#     `dotnet onnx download` (which also verifies sha256 while writing); prints our throughput ÷ curl's (goal >= 0.9).
#  2. A download killed part-way, then run again: prints the bytes already on disk, the bytes the
#     server sent for the rerun, and the remainder they should equal.
# Usage: eng/bench/download.sh [size in MB, default 1024]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mb=${1:-1024}
work=$(mktemp -d)
hub_pid=""
cleanup() { [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build tests/OnnxBuildTasks.HubServer -c Release -v:q -nologo >/dev/null
dotnet build src/OnnxBuildTasks.Tool -c Release -v:q -nologo >/dev/null
server=tests/OnnxBuildTasks.HubServer/bin/Release/net10.0/OnnxBuildTasks.HubServer.dll
tool=src/OnnxBuildTasks.Tool/bin/Release/net10.0/dotnet-onnx.dll

mkdir -p "$work/repos/bench/big/v1"
head -c "$((mb * 1048576))" /dev/urandom > "$work/repos/bench/big/v1/model.safetensors"
echo '{}' > "$work/repos/bench/big/v1/config.json"
echo '{"commits":["v1"],"branches":{"main":"v1"}}' > "$work/repos/bench/big/repo.json"
size=$((mb * 1048576))

mkfifo "$work/stdin"
dotnet "$server" --root "$work/repos" < "$work/stdin" > "$work/server.log" 2>&1 &
hub_pid=$!
exec 3>"$work/stdin"   # keeps the server's stdin open; closing it stops the server
for _ in $(seq 1 600); do grep -q '^CDN:' "$work/server.log" 2>/dev/null && break; sleep 0.1; done
hub=$(sed -n 's/^Hub: //p' "$work/server.log")
url="$hub/bench/big/resolve/main/model.safetensors"
admin() { curl -s -X POST "$hub/_admin/$1" >/dev/null; }
served() { curl -s "$hub/_admin/stats" | sed -E 's/.*"bytesServed":([0-9]+).*/\1/'; }

echo "file: $mb MB ($size bytes), hub $hub"
curl -s -o /dev/null "$url" -L                      # warm the page cache once
curl_s=$(curl -s -L -o "$work/curl.out" -w '%{time_total}' "$url")
rm -f "$work/curl.out"

export HF_ENDPOINT="$hub" HF_HUB_CACHE="$work/cache"
unset HF_TOKEN HF_HUB_OFFLINE
t0=$(date +%s.%N)
dotnet "$tool" download bench/big --include model.safetensors > /dev/null
t1=$(date +%s.%N)
ours_s=$(echo "$t1 - $t0" | bc -l)
awk -v s="$size" -v c="$curl_s" -v o="$ours_s" 'BEGIN {
  printf "curl: %.2f s  %.0f MB/s\n", c, s / c / 1048576
  printf "ours: %.2f s  %.0f MB/s (process start, listing, sha256 verify included)\n", o, s / o / 1048576
  printf "ratio ours/curl: %.2f (goal >= 0.9)\n", c / o }'

# Interrupted download: kill the tool part-way, then run it again.
rm -rf "$work/cache"
admin reset
admin "faults?throttle=$((size / 4))"                # about 4 s for the whole file, so the kill lands mid-way
dotnet "$tool" download bench/big --include model.safetensors > /dev/null 2>&1 &
pid=$!
sleep 2
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
sleep 0.5                                            # let the server see the dropped connection
partial=$(stat -c %s "$work"/cache/models--bench--big/blobs/*.incomplete)
admin reset
dotnet "$tool" download bench/big --include model.safetensors > /dev/null
rerun=$(served)
echo "interrupted: $partial bytes on disk after the kill"
echo "resumed:     server sent $rerun bytes for the rerun; remainder was $((size - partial)) bytes"
blob=$(ls "$work"/cache/models--bench--big/blobs/ | grep -v incomplete | head -1)
[ "$(stat -c %s "$work/cache/models--bench--big/blobs/$blob")" = "$size" ] && echo "blob complete and verified: $blob"
exec 3>&-
