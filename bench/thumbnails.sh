#!/usr/bin/env bash
# Thumbnails per second through the HTTP API, beside the libvips command line (vipsthumbnail) on the same images,
# in the same run; and the service's peak memory while rendering.
# Usage: bench/thumbnails.sh [count]   (default 100 JPEGs of 1600x1200)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100}
jobs=$(nproc)
if ! command -v vipsthumbnail >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends libvips-tools >/dev/null 2>&1 \
    || { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends libvips-tools >/dev/null; }
fi
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT

mkdir -p "$work/cli"
bench/photos.sh "$work/in" "$count" 85
bytes=$(du -cb "$work"/in/*.jpg | tail -1 | cut -f1)

dotnet build src/MediaLibrary --configuration Release -o "$work/app" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password \
  dotnet "$work/app/MediaLibrary.dll" --urls "http://127.0.0.1:$port" >"$work/service.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/health" >/dev/null; do sleep 0.2; done
token=$(curl -sf "$base/api/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# Upload (each upload is decoded once for its placeholder and colour); keep each media's w_320 JPEG URL.
export base token
seq 1 "$count" | xargs -P "$jobs" -I{} sh -c 'curl -sf "$base/api/media" -H "Authorization: Bearer $token" -F "file=@'"$work"'/in/photo{}.jpg" \
  | python3 -c "import json,sys; m=json.load(sys.stdin); print(m[\"url\"].rsplit(\"/\",1)[0] + \"/w_320,f_jpeg/t.jpg\")"' > "$work/urls.txt"
[ "$(wc -l < "$work/urls.txt")" -eq "$count" ] || { echo "uploads failed"; tail "$work/service.log"; exit 1; }
sleep 1
idle=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

# The service: first request renders, stores and serves each thumbnail ($jobs requests at a time, one curl
# process with keep-alive connections, so that the client's own start-up is not measured).
sed 's|.*|url = "&"\noutput = "/dev/null"|' "$work/urls.txt" > "$work/curl.conf"
fetch_all() { curl -sf --no-progress-meter --parallel --parallel-max "$jobs" -K "$work/curl.conf"; }
# The baseline: vipsthumbnail on the same files, same size, $jobs processes each taking its share of the files.
# Run before and after the service's passes; the mean is the baseline (this machine's speed drifts).
cli_pass() {
  rm -f "$work"/cli/*
  local s e
  s=$(date +%s.%N)
  ls "$work"/in/*.jpg | xargs -P "$jobs" -n $(( (count + jobs - 1) / jobs )) vipsthumbnail -s 320 -o "$work/cli/%s.jpg[Q=82,strip]"
  e=$(date +%s.%N)
  python3 -c "print($e - $s)"
}
cli_before=$(cli_pass)
start=$(date +%s.%N)
fetch_all
end=$(date +%s.%N)
peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status") # the high-water mark since start: uploads and renders
# Again: now each is streamed from storage.
cached_start=$(date +%s.%N)
fetch_all
cached_end=$(date +%s.%N)
size=$(curl -sf "$(head -1 "$work/urls.txt")" | python3 -c 'import sys; d=sys.stdin.buffer.read(); print(len(d))')

cli_after=$(cli_pass)
cli_size=$(stat -c %s "$work/cli/photo1.jpg")

python3 - "$count" "$bytes" "$start" "$end" "$cached_start" "$cached_end" "$cli_before" "$cli_after" "$idle" "$peak" "$jobs" "$size" "$cli_size" <<'PY'
import sys
n, total = int(sys.argv[1]), int(sys.argv[2])
s, e, cs, ce, before, after = map(float, sys.argv[3:9])
idle, peak, jobs, size, cli_size = map(int, sys.argv[9:14])
api, cached, cli = n / (e - s), n / (ce - cs), n / ((before + after) / 2)
print(f"{n} JPEGs 1600x1200, {total / n / 1024:.0f} KB on average; {jobs} at a time; 320 px wide JPEG thumbnails")
print(f"HTTP API, first request (render + store + serve): {api:6.1f} thumbnails/s  ({size / 1024:.1f} KB each)")
print(f"HTTP API, again (streamed from storage):           {cached:6.1f} thumbnails/s")
print(f"vipsthumbnail on the same files:                  {cli:6.1f} thumbnails/s  ({cli_size / 1024:.1f} KB each; {n / before:.1f} before, {n / after:.1f} after)")
print(f"ratio API/vipsthumbnail: {api / cli:.2f}x")
print(f"service RSS: {idle / 1024:.0f} MiB after the uploads; peak (high-water mark over uploads and renders) {peak / 1024:.0f} MiB")
PY
