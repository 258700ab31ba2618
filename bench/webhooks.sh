#!/usr/bin/env bash
# Webhooks under load: COUNT metadata edits (default 1,000) over 100 media, one after another on a kept-alive
# connection, first with no endpoint, then with three endpoints subscribed to every change (one of them answers every
# other request with 500), then with none again. Prints the edits' latency in each phase (what the delivery adds to the
# request that causes it: the event and delivery rows written in its transaction), how long the deliveries took to
# drain, and what each endpoint received: requests, distinct webhook-ids, duplicates. SQLite and local storage.
# Usage: bench/webhooks.sh [COUNT]
set -euo pipefail
count=${1:-1000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
command -v sqlite3 >/dev/null || sudo apt-get install -y -q sqlite3 >/dev/null
dotnet build "$root/src/MediaLibrary" -c Release -v q -nologo >/dev/null
dll="$root/src/MediaLibrary/bin/Release/net10.0/MediaLibrary.dll"
work=$(mktemp -d)
pid=""; rpid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$rpid" ] && kill "$rpid" 2>/dev/null; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The receivers: one threaded server, a path per endpoint; each request's webhook-id goes to a file of that path.
rport=$(free_port)
python3 - "$rport" "$work" <<'PY' &
import sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port, work = int(sys.argv[1]), sys.argv[2]
lock, counts = threading.Lock(), {}
class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        name = self.path.strip("/")
        with lock:
            counts[name] = counts.get(name, 0) + 1
            fail = name == "flaky" and counts[name] % 2 == 1
            with open(f"{work}/{name}.{'failed' if fail else 'ok'}", "a") as f:
                f.write(self.headers["webhook-id"] + "\n")
        self.send_response(500 if fail else 204)
        self.send_header("content-length", "0")
        self.end_headers()
    def log_message(self, *args): pass
ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
PY
rpid=$!

port=$(free_port)
base="http://127.0.0.1:$port"
MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_TOKEN_RATE_LIMIT=1000 \
  MEDIALIB_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8 MEDIALIB_CLEANUP_BASE_DELAY_SECONDS=0.5 \
  dotnet "$dll" --urls "$base" >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "$base/health" && break; sleep 0.1; done
token=$(curl -s -X POST "$base/api/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
auth="Authorization: Bearer $token"
python3 -c 'import base64,sys; sys.stdout.buffer.write(base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"))' > "$work/dot.png"
ids=()
for i in $(seq 1 100); do
  ids+=("$(curl -s -X POST "$base/api/media" -H "$auth" -F "file=@$work/dot.png" -F "title=Media $i" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
done

edits() { # LABEL: COUNT edits, round-robin over the media; latency summary
  python3 - "$base" "$token" "$count" "$1" "${ids[@]}" <<'PY'
import http.client, json, sys, time, urllib.parse
base, token, count, label, ids = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port)
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
def edit(n):
    start = time.perf_counter()
    conn.request("PATCH", f"/api/media/{ids[n % len(ids)]}", json.dumps({"title": f"{label} {n}"}), headers)
    r = conn.getresponse(); r.read()
    assert r.status == 200, r.status
    return (time.perf_counter() - start) * 1000
for n in range(200): edit(n)  # warm-up
times = sorted(edit(n) for n in range(count))
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{label}: {count} edits, p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms, max {times[-1]:.1f} ms")
PY
}

echo "Edits with no endpoint, then with three, then with none again ($count each, one connection):"
edits "no endpoint"
hooks=()
for name in steady flaky other; do
  hooks+=("$(curl -s "$base/api/admin/webhooks" -H "$auth" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$rport/$name\",\"events\":[\"media.updated\"]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
done
started=$(date +%s.%N)
edits "three endpoints"
deliveries() { sqlite3 -cmd ".timeout 30000" "$work/data/medialibrary.db" "select count(*) from webhook_deliveries where Status = $1"; }
for _ in $(seq 1 1200); do [ "$(deliveries 0)" -eq 0 ] && break; sleep 0.25; done
drained=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
summary="pending $(deliveries 0), delivered $(deliveries 1), dead $(deliveries 2)"
for id in "${hooks[@]}"; do curl -s -X DELETE "$base/api/admin/webhooks/$id" -H "$auth" >/dev/null; done
edits "no endpoint again"

echo "Deliveries: none pending $drained s after the first of the $count edits began ($summary)"
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
for name in steady flaky other; do
  ok=$(lines "$work/$name.ok"); failed=$(lines "$work/$name.failed")
  distinct=$(if [ -f "$work/$name.ok" ]; then sort -u "$work/$name.ok" | wc -l; else echo 0; fi)
  echo "  $name: $((ok + failed)) requests ($failed answered 500), $distinct distinct webhook-ids accepted, $((ok - distinct)) accepted twice"
done
