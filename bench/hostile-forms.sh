#!/usr/bin/env bash
# Sends the hostile forms an attacker with an editor's token would send, and records the service's memory around them.
# Usage: bench/hostile-forms.sh [fields]   (default 20000: the 20,000 text fields of 16 KiB each that once took
# the process from 433 MB to 1,091 MB). Prints each answer's status and time, and RSS before, at peak and after.
set -euo pipefail
cd "$(dirname "$0")/.."
fields=${1:-20000}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build src/MediaLibrary --configuration Release -o "$work/app" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password \
  dotnet "$work/app/MediaLibrary.dll" --urls "http://127.0.0.1:$port" >"$work/service.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
token=$(curl -sf "http://127.0.0.1:$port/api/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# The bodies, written once: a tiny PNG, then the fields (many of 16 KiB; then a few that together pass the total).
python3 - "$work" "$fields" <<'PY'
import struct, sys, zlib
work, fields = sys.argv[1], int(sys.argv[2])
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 2, 2, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b'\x00' + b'\x10' * 6 + b'\x00' + b'\x10' * 6)) + chunk(b'IEND', b'')
def form(name, count, size):
    with open(f"{work}/{name}", "wb") as f:
        f.write(b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n' + png + b'\r\n')
        value = b'x' * size
        for i in range(count):
            f.write(b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n' % i + value + b'\r\n')
        f.write(b'--b--\r\n')
form("many.bin", fields, 16 * 1024)
form("wide.bin", 8, 16 * 1024)
PY
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
send() { # body-file label
  curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}' "http://127.0.0.1:$port/api/media" -H "Authorization: Bearer $token" \
    -H 'Content-Type: multipart/form-data; boundary=b' --data-binary "@$work/$1"
}
sleep 1
before=$(rss)
( while kill -0 $pid 2>/dev/null; do rss; sleep 0.05; done ) > "$work/rss.txt" &
sampler=$!
echo "$(du -m "$work/many.bin" | cut -f1) MiB form with $fields fields of 16 KiB: $(send many.bin)"
echo "8 fields of 16 KiB (past the 64 KiB total): $(send wide.bin)"
kill $sampler
sleep 1
echo "RSS: before ${before} MiB, peak $(sort -n "$work/rss.txt" | tail -1) MiB, after $(rss) MiB"
