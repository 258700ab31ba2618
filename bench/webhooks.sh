#!/usr/bin/env bash
# Webhooks under load: COUNT metadata edits (default 1,000) over 100 media, one after another on a kept-alive
# connection, first with no endpoint, then with three endpoints subscribed to every change (one of them answers half
# its requests with 500: the first attempt of every event), then with none again. Prints the edits' latency in each
# phase (what the delivery adds to the request that causes it: the event and delivery rows written in its transaction,
# and the sending going on meanwhile), how long the deliveries took to drain, and what each endpoint received: requests,
# distinct webhook-ids, duplicates, when the last arrived. Local storage; SQLite, or with BENCH_DATABASE=postgres a
# throwaway PostgreSQL cluster from the machine's binaries. DLL=path/MediaLibrary.dll runs another build (an A/B run)
# instead of building this checkout.
# Usage: [BENCH_DATABASE=postgres] [DLL=…] bench/webhooks.sh [COUNT]
set -euo pipefail
count=${1:-1000}
database=${BENCH_DATABASE:-sqlite}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
command -v sqlite3 >/dev/null || sudo apt-get install -y -q sqlite3 >/dev/null
dll=${DLL:-}
if [ -z "$dll" ]; then
  dotnet build "$root/src/MediaLibrary" -c Release -v q -nologo >/dev/null
  dll="$root/src/MediaLibrary/bin/Release/net10.0/MediaLibrary.dll"
fi
work=$(mktemp -d)
pid=""; rpid=""
. "$here/postgres.sh"
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$rpid" ] && kill "$rpid" 2>/dev/null
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ "$database" = postgres ] && start_postgres

# The receivers: one threaded server, a path per endpoint; each request's webhook-id goes to a file of that path.
rport=$(free_port)
python3 - "$rport" "$work" <<'PY' &
import sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port, work = int(sys.argv[1]), sys.argv[2]
lock, seen = threading.Lock(), set()
class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps the sender's connections alive, as a real receiver does
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        name = self.path.strip("/")
        with lock:
            fail = name == "flaky" and self.headers["webhook-id"] not in seen  # each event's first attempt
            if name == "flaky": seen.add(self.headers["webhook-id"])
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
env "${db_env[@]}" MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_TOKEN_RATE_LIMIT=1000 \
  MEDIALIB_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8 MEDIALIB_CLEANUP_BASE_DELAY_SECONDS=0.1 \
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
deliveries() { sql "select count(*) from webhook_deliveries where \"Status\" = $1"; }
for _ in $(seq 1 2400); do [ "$(deliveries 0)" -eq 0 ] && break; sleep 0.25; done
drained=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
# When each endpoint had its last delivery, from the first event on (the database's clock for both).
if [ "$database" = postgres ]; then
  finished=$(sql "select e.\"Url\", round(extract(epoch from max(d.\"DeliveredAt\") - (select min(\"CreatedAt\") from webhook_events))::numeric, 1) from webhook_deliveries d join webhook_endpoints e on e.\"Id\" = d.\"EndpointId\" group by e.\"Url\"")
else
  finished=$(sql "select e.Url, round((julianday(max(d.DeliveredAt)) - julianday((select min(CreatedAt) from webhook_events))) * 86400, 1) from webhook_deliveries d join webhook_endpoints e on e.Id = d.EndpointId group by e.Url")
fi
attempts=$(sql "select max(\"Attempts\") from webhook_deliveries")
summary="pending $(deliveries 0), delivered $(deliveries 1), dead $(deliveries 2)"
for id in "${hooks[@]}"; do curl -s -X DELETE "$base/api/admin/webhooks/$id" -H "$auth" >/dev/null; done
edits "no endpoint again"

echo "Deliveries: none pending $drained s after the first of the $count edits began ($summary)"
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
for name in steady flaky other; do
  ok=$(lines "$work/$name.ok"); failed=$(lines "$work/$name.failed")
  distinct=$(if [ -f "$work/$name.ok" ]; then sort -u "$work/$name.ok" | wc -l; else echo 0; fi)
  last=$(echo "$finished" | awk -F'|' -v n="/$name" 'substr($1, length($1) - length(n) + 1) == n { print $2 }')
  echo "  $name: $((ok + failed)) requests ($failed answered 500), $distinct distinct webhook-ids accepted, $((ok - distinct)) accepted twice; last delivered ${last} s after the first event"
done
echo "  most attempts one delivery took: $attempts"
