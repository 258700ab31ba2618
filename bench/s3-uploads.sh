#!/usr/bin/env bash
# The three ways a file reaches S3 storage, side by side: one multipart POST through the service, tus in 8 MiB pieces
# through the service, and a direct upload (parts PUT to presigned URLs, then completed). The same file (default
# 200 MiB of random bytes behind a PDF header) each way, against s3rver from tests/tools (npm ci --prefix tests/tools)
# on loopback, SQLite. For the direct upload it prints the time of the parts (the bytes never reach the service) and of
# the completion (which completes the multipart upload, reads the first bytes for the type, and reads the object back
# once for its SHA-256).
# Usage: bench/s3-uploads.sh [MiB]
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-200}
work=$(mktemp -d)
trap 'pkill -f "$work/app/MediaLibrary.dll" 2>/dev/null; pkill -f "s3rver-server.js -d $work" 2>/dev/null; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); s3port=$(free_port)
base="http://127.0.0.1:$port"
[ -d tests/tools/node_modules/s3rver ] || npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
mkdir -p "$work/s3"
node tests/tools/s3rver-server.js -d "$work/s3" -p "$s3port" -a 127.0.0.1 --silent &
until curl -sf -o /dev/null "http://127.0.0.1:$s3port/"; do sleep 0.1; done
curl -sf -X PUT "http://127.0.0.1:$s3port/bench" >/dev/null
echo "Publishing (Release)…"
dotnet publish src/MediaLibrary --configuration Release -o "$work/app" >/dev/null
MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_MAX_UPLOAD_BYTES=$(((mib + 1) * 1024 * 1024)) \
  MEDIALIB_STORAGE=s3 MEDIALIB_S3_ENDPOINT="http://127.0.0.1:$s3port" MEDIALIB_S3_BUCKET=bench MEDIALIB_S3_ACCESS_KEY=S3RVER \
  MEDIALIB_S3_SECRET_KEY=S3RVER MEDIALIB_S3_FORCE_PATH_STYLE=true \
  dotnet "$work/app/MediaLibrary.dll" --urls "$base" >"$work/service.log" 2>&1 &
until curl -sf -o /dev/null "$base/health"; do sleep 0.1; done
(printf '%%PDF-1.4\n'; head -c $((mib * 1024 * 1024)) /dev/urandom) > "$work/file.pdf"
export TOKEN=$(curl -sf "$base/api/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
for run in 1 2 3; do
  t0=$(date +%s.%N)
  curl -sf -o /dev/null "$base/api/media" -H "Authorization: Bearer $TOKEN" -F file=@"$work/file.pdf"
  post=$(python3 -c "print(f'{$mib / ($(date +%s.%N) - $t0):.0f}')")
  tus=$(python3 bench/tus_upload.py "$work/file.pdf" $((8 * 1024 * 1024)) "$port")
  python3 - "$work/file.pdf" "$port" "$post" "$run" "$tus" <<'PY'
import http.client, json, os, sys, time, urllib.parse
path, port, post, run, tus_rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
size = os.path.getsize(path)
h = {"Authorization": f"Bearer {os.environ['TOKEN']}"}
c = http.client.HTTPConnection("127.0.0.1", port)
t0 = time.time()
c.request("POST", "/api/uploads/direct", body=json.dumps({"file_name": "file.pdf", "size": size}), headers={**h, "Content-Type": "application/json"})
begun = json.loads(c.getresponse().read())
etags = []
with open(path, "rb") as f:
    for url in begun["part_urls"]:
        u = urllib.parse.urlsplit(url)
        s3 = http.client.HTTPConnection(u.hostname, u.port)
        s3.request("PUT", f"{u.path}?{u.query}", body=f.read(begun["part_size"]))
        r = s3.getresponse(); r.read()
        if r.status != 200: sys.exit(f"the bucket answered {r.status}")
        etags.append(r.getheader("ETag"))
parts = time.time() - t0
t1 = time.time()
c.request("POST", f"/api/uploads/direct/{begun['id']}/complete", body=json.dumps({"etags": etags}), headers={**h, "Content-Type": "application/json"})
r = c.getresponse(); r.read()
if r.status != 201: sys.exit(f"completing answered {r.status}")
complete = time.time() - t1
print(f"run {run}: POST {post} MiB/s; tus 8 MiB pieces {tus_rate}; direct {size / (parts + complete) / 1048576:.0f} MiB/s "
      f"({len(etags)} parts in {parts:.2f} s, completion {complete:.2f} s)")
PY
done
