#!/usr/bin/env bash
# Uploads one large file through the real service and records how its memory behaves while the bytes flow.
# Usage: bench/upload-memory.sh [size-in-MiB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build src/MediaLibrary --configuration Release -o "$work/app" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_MAX_UPLOAD_BYTES=$(( (size_mib + 1) * 1024 * 1024 )) \
  dotnet "$work/app/MediaLibrary.dll" --urls "http://127.0.0.1:$port" >"$work/service.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done

# A PDF header so the type check passes; the rest is incompressible random data.
{ printf '%%PDF-1.4\n'; head -c $(( size_mib * 1024 * 1024 - 9 )) /dev/urandom; } > "$work/big.pdf"
expected=$(sha256sum "$work/big.pdf" | cut -d' ' -f1)
token=$(curl -sf "http://127.0.0.1:$port/api/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# Warm the upload path with a small file so one-time JIT and pool growth count as idle.
head -c 100000 "$work/big.pdf" > "$work/small.pdf"
curl -sf "http://127.0.0.1:$port/api/media" -H "Authorization: Bearer $token" -F "file=@$work/small.pdf" >/dev/null
sleep 1
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
idle=$(rss)

peak=$idle
( while kill -0 $pid 2>/dev/null; do rss; sleep 0.05; done ) > "$work/rss.txt" &
sampler=$!
start=$(date +%s.%N)
response=$(curl -sf "http://127.0.0.1:$port/api/media" -H "Authorization: Bearer $token" -F "file=@$work/big.pdf" -F title=big)
end=$(date +%s.%N)
kill $sampler
peak=$(sort -n "$work/rss.txt" | tail -1)
stored=$(echo "$response" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])')
[ "$stored" = "$expected" ] || { echo "sha256 mismatch: $stored != $expected"; exit 1; }

# Baseline: cp of the same file on the same disk, in the same run.
cp_start=$(date +%s.%N); cp "$work/big.pdf" "$work/copy.pdf"; sync "$work/copy.pdf"; cp_end=$(date +%s.%N)

python3 - "$size_mib" "$start" "$end" "$idle" "$peak" "$cp_start" "$cp_end" <<'PY'
import sys
size, start, end, idle, peak, cps, cpe = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
secs, cp = end - start, cpe - cps
print(f"upload {size} MiB: {secs:.2f} s, {size / secs:.0f} MiB/s (cp: {cp:.2f} s, {size / cp:.0f} MiB/s, ratio {cp / secs:.2f}x cp)")
print(f"RSS idle {idle/1024:.0f} MiB, peak {peak/1024:.0f} MiB, growth {(peak-idle)/1024:.0f} MiB; sha256 verified")
PY
