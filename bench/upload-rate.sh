#!/usr/bin/env bash
# Uploads COUNT photo-like JPEGs (bench/photos.sh) at 4 at once with curl through POST /api/media and prints files/s.
# With a second executable (BASELINE_DLL), runs both in turn, twice, so that a change to the write path can be set
# beside the build before it on the same machine at the same hour.
# Usage: bench/upload-rate.sh [COUNT]   (BASELINE_DLL=/path/to/MediaLibrary.dll for a side-by-side)
set -euo pipefail
count=${1:-200}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
command -v vips >/dev/null || sudo apt-get install -y -q libvips-tools >/dev/null
dotnet build "$root/src/MediaLibrary" -c Release -v q -nologo >/dev/null
dll="$root/src/MediaLibrary/bin/Release/net10.0/MediaLibrary.dll"
photos=$(mktemp -d)
trap 'rm -rf "$photos"' EXIT
"$here/photos.sh" "$photos" "$count" >/dev/null

run() { # DLL LABEL
  local data port pid token start end
  data=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  MEDIALIB_DATA_DIR="$data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_TOKEN_RATE_LIMIT=1000 \
    dotnet "$1" --urls "http://127.0.0.1:$port" >"$data.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
  token=$(curl -s -X POST "http://127.0.0.1:$port/api/auth/token" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  for f in 1 2 3 4 5; do curl -s -o /dev/null -X POST "http://127.0.0.1:$port/api/media" -H "Authorization: Bearer $token" -F "file=@$photos/photo$f.jpg"; done
  start=$(date +%s.%N)
  failed=$(ls "$photos"/*.jpg | xargs -P 4 -I{} curl -s -o /dev/null -w "%{http_code}\n" -X POST "http://127.0.0.1:$port/api/media" \
    -H "Authorization: Bearer $token" -F "file=@{}" | grep -vc '^201$' || true)
  end=$(date +%s.%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$data.log"
  python3 -c "print(f'$2: {$count/($end-$start):.1f} files/s ({$failed} not 201)')"
}

for round in 1 2; do
  run "$dll" "this build"
  if [ -n "${BASELINE_DLL:-}" ]; then run "$BASELINE_DLL" "baseline  "; fi
done
