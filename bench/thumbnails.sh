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

# Test data: photo-like 1600x1200 JPEGs (smooth colour fields and fine grain), each a different crop, ~300 KB.
mkdir -p "$work/in" "$work/cli"
for band in 0 1 2; do
  vips gaussnoise "$work/n$band.v" 700 500 --sigma 90 --mean 128
  vips resize "$work/n$band.v" "$work/s$band.v" 4 --kernel cubic
done
vips bandjoin "$work/s0.v $work/s1.v $work/s2.v" "$work/smooth.v"
vips gaussnoise "$work/grain.v" 2800 2000 --sigma 6 --mean 0
vips add "$work/smooth.v" "$work/grain.v" "$work/sum.v"
vips cast "$work/sum.v" "$work/canvas.v" uchar
vips copy "$work/canvas.v" "$work/canvas.v.srgb.v" --interpretation srgb
for i in $(seq 1 "$count"); do
  vips extract_area "$work/canvas.v.srgb.v" "$work/in/photo$i.jpg[Q=85]" $(( (i * 7) % 1200 )) $(( (i * 5) % 800 )) 1600 1200
done
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
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
idle=$(rss)
( while kill -0 $pid 2>/dev/null; do rss; sleep 0.05; done ) > "$work/rss.txt" &
sampler=$!

# The service: first request renders, stores and serves each thumbnail ($jobs requests at a time).
start=$(date +%s.%N)
xargs -P "$jobs" -n 1 curl -sf -o /dev/null < "$work/urls.txt"
end=$(date +%s.%N)
kill $sampler
peak=$(sort -n "$work/rss.txt" | tail -1)
# Again: now each is streamed from storage.
cached_start=$(date +%s.%N)
xargs -P "$jobs" -n 1 curl -sf -o /dev/null < "$work/urls.txt"
cached_end=$(date +%s.%N)
size=$(curl -sf "$(head -1 "$work/urls.txt")" | python3 -c 'import sys; d=sys.stdin.buffer.read(); print(len(d))')

# The baseline: vipsthumbnail on the same files, same size, $jobs processes each taking its share of the files.
cli_start=$(date +%s.%N)
ls "$work"/in/*.jpg | xargs -P "$jobs" -n $(( (count + jobs - 1) / jobs )) vipsthumbnail -s 320 -o "$work/cli/%s.jpg[Q=82,strip]"
cli_end=$(date +%s.%N)
cli_size=$(stat -c %s "$work/cli/photo1.jpg")

python3 - "$count" "$bytes" "$start" "$end" "$cached_start" "$cached_end" "$cli_start" "$cli_end" "$idle" "$peak" "$jobs" "$size" "$cli_size" <<'PY'
import sys
n, total = int(sys.argv[1]), int(sys.argv[2])
s, e, cs, ce, ls, le = map(float, sys.argv[3:9])
idle, peak, jobs, size, cli_size = map(int, sys.argv[9:14])
api, cached, cli = n / (e - s), n / (ce - cs), n / (le - ls)
print(f"{n} JPEGs 1600x1200, {total / n / 1024:.0f} KB on average; {jobs} at a time; 320 px wide JPEG thumbnails")
print(f"HTTP API, first request (render + store + serve): {api:6.1f} thumbnails/s  ({size / 1024:.1f} KB each)")
print(f"HTTP API, again (streamed from storage):           {cached:6.1f} thumbnails/s")
print(f"vipsthumbnail on the same files:                  {cli:6.1f} thumbnails/s  ({cli_size / 1024:.1f} KB each)")
print(f"ratio API/vipsthumbnail: {api / cli:.2f}x")
print(f"service RSS: idle {idle / 1024:.0f} MiB, peak while rendering {peak / 1024:.0f} MiB (+{(peak - idle) / 1024:.0f} MiB)")
PY
