#!/usr/bin/env bash
# A resumable upload (tus) through faults: one file (default 1 GiB of random bytes behind a PDF header) in 8 MiB pieces,
# with three pieces whose connection is cut at a random point of their body and one restart of the service (SIGKILL,
# then a new process over the same data) at a random piece. After each fault the driver asks for the offset (HEAD) and
# goes on from there, as a tus client does. Prints each fault, the time taken, and whether the media's SHA-256 is the
# file's. Local storage, SQLite. SEED fixes the random points.
# Usage: bench/resumable-faults.sh [MiB]
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
work=$(mktemp -d)
trap 'pkill -f "$work/app/MediaLibrary.dll" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "Publishing (Release)…"
dotnet publish src/MediaLibrary --configuration Release -o "$work/app" >/dev/null
(printf '%%PDF-1.4\n'; head -c $((mib * 1024 * 1024)) /dev/urandom) > "$work/file.pdf"
WORK="$work" PORT="$port" MAX_BYTES=$(((mib + 1) * 1024 * 1024)) python3 - "$work/file.pdf" <<'PY'
import base64, hashlib, http.client, json, os, random, signal, socket, subprocess, sys, time

path, work, port = sys.argv[1], os.environ["WORK"], int(os.environ["PORT"])
size, piece = os.path.getsize(path), 8 * 1024 * 1024
rng = random.Random(int(os.environ.get("SEED", "0")) or None)
pieces = (size + piece - 1) // piece
cuts = set(rng.sample(range(1, pieces - 1), 3))
restart_at = rng.choice([p for p in range(1, pieces - 1) if p not in cuts])
env = dict(os.environ, MEDIALIB_DATA_DIR=f"{work}/data", MEDIALIB_ADMIN_PASSWORD="bench-password", MEDIALIB_MAX_UPLOAD_BYTES=os.environ["MAX_BYTES"])

def start():
    log = open(f"{work}/service.log", "a")
    service = subprocess.Popen(["dotnet", f"{work}/app/MediaLibrary.dll", "--urls", f"http://127.0.0.1:{port}"], env=env, stdout=log, stderr=log)
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2); c.request("GET", "/health")
            if c.getresponse().status == 200: return service
        except OSError: pass
        time.sleep(0.1)
    sys.exit("the service did not start")

def token():
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("POST", "/api/auth/token", body=json.dumps({"username": "admin", "password": "bench-password"}), headers={"Content-Type": "application/json"})
    return json.loads(c.getresponse().read())["access_token"]

service = start()
h = {"Authorization": f"Bearer {token()}", "Tus-Resumable": "1.0.0"}
t0 = time.time()
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/api/uploads", headers={**h, "Upload-Length": str(size), "Upload-Metadata": "filename " + base64.b64encode(b"film.pdf").decode()})
r = c.getresponse(); r.read(); location = r.getheader("Location")

def offset():
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("HEAD", location, headers=h)
    r = c.getresponse(); r.read()
    return int(r.getheader("Upload-Offset")), r.getheader("Media-Id")

at, media, n = 0, None, 0
with open(path, "rb") as f:
    while media is None:
        n += 1
        f.seek(at)
        body = f.read(piece)
        if n in cuts:
            cut = rng.randrange(1, len(body))
            s = socket.create_connection(("127.0.0.1", port))
            head = f"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {h['Authorization']}\r\nTus-Resumable: 1.0.0\r\n" \
                   f"Upload-Offset: {at}\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: {len(body)}\r\n\r\n"
            s.sendall(head.encode() + body[:cut])
            s.close()
            time.sleep(0.2)  # the service sees the end of the body and records what arrived
            at, media = offset()
            print(f"piece {n}: connection cut after {cut:,} of {len(body):,} bytes; the service kept the upload at {at:,}")
            continue
        if n == restart_at:
            service.send_signal(signal.SIGKILL); service.wait()
            service = start()
            before = at
            at, media = offset()
            print(f"piece {n}: service killed and started again; the upload is at {at:,} (was {before:,})")
        c = http.client.HTTPConnection("127.0.0.1", port)
        c.request("PATCH", location, body=body, headers={**h, "Upload-Offset": str(at), "Content-Type": "application/offset+octet-stream"})
        r = c.getresponse(); r.read()
        if r.status != 204: sys.exit(f"PATCH answered {r.status}")
        at, media = int(r.getheader("Upload-Offset")), r.getheader("Media-Id")
elapsed = time.time() - t0
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("GET", f"/api/media/{media}")
stored = json.loads(c.getresponse().read())["sha256"]
with open(path, "rb") as f:
    digest = hashlib.file_digest(f, "sha256").hexdigest()
print(f"{size / 1048576:.0f} MiB in {n} requests, {elapsed:.1f} s ({size / elapsed / 1048576:.0f} MiB/s); media {media}; sha256 {'matches' if stored == digest else 'DIFFERS: ' + stored}")
service.send_signal(signal.SIGTERM); service.wait()
PY
