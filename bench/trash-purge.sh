#!/usr/bin/env bash
# The trash purge under load: COUNT media (default 10,000) in the trash, each with its stored file, fall due at once
# (an admin empties the trash); the request purges for two seconds and the cleanup worker the rest, while a client
# uploads small images one after another. Prints how long the purge took to drain and the uploads' latency during it,
# beside the same uploads with nothing to purge. SQLite and local storage, as a newcomer runs it.
# Usage: bench/trash-purge.sh [COUNT]
set -euo pipefail
count=${1:-10000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
command -v sqlite3 >/dev/null || sudo apt-get install -y -q sqlite3 >/dev/null
command -v vips >/dev/null || sudo apt-get install -y -q libvips-tools >/dev/null
dotnet build "$root/src/MediaLibrary" -c Release -v q -nologo >/dev/null
dll="$root/src/MediaLibrary/bin/Release/net10.0/MediaLibrary.dll"
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
vips black "$work/small.png" 64 48 --bands 3 >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_TOKEN_RATE_LIMIT=1000 MEDIALIB_CLEANUP_INTERVAL_SECONDS=1 \
  dotnet "$dll" --urls "$base" >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "$base/health" && break; sleep 0.1; done
token=$(curl -s -X POST "$base/api/auth/token" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
auth="Authorization: Bearer $token"
db="$work/data/medialibrary.db"
files="$work/data/files"

# COUNT media in the trash, due in a year: rows straight into the database, and a 20 KB file for each at its key.
python3 - "$files" "$count" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
body = os.urandom(20_000)
for i in range(1, count + 1):
    key = f"{0xfeed000000 + i:024x}"
    folder = os.path.join(root, key, key)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "original"), "wb") as f:
        f.write(body)
PY
sqlite3 "$db" >/dev/null <<SQL
PRAGMA busy_timeout = 30000;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
INSERT INTO media (StorageId, Title, AltText, FileName, ContentType, Size, Sha256, Version, StorageKey, StorageProvider,
                   CreatedAt, UpdatedAt, Revision, SearchText, TrashedAt, PurgeAt)
SELECT printf('%024x', 0xfeed000000 + i), 'Trashed ' || i, '', 'trashed' || i || '.pdf', 'application/pdf', 20000, printf('%064x', i), 1,
       printf('%024x/%024x/original', 0xfeed000000 + i, 0xfeed000000 + i), 'local',
       strftime('%Y-%m-%d %H:%M:%f', 'now', '-40 days'), strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 days'), 1, 'trashed ' || i,
       strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 days'), strftime('%Y-%m-%d %H:%M:%f', 'now', '+364 days')
FROM n;
PRAGMA wal_checkpoint(TRUNCATE);
SQL

in_trash() { sqlite3 -cmd ".timeout 30000" "$db" 'select count(*) from media where TrashedAt is not null'; }
# Uploads one after another for SECONDS, or until the file STOP appears; one line per upload: seconds, status.
uploads() { # SECONDS STOP OUT
  local until=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$until" ] && [ ! -e "$2" ]; do
    curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -X POST "$base/api/media" -H "$auth" -F "file=@$work/small.png" >> "$3"
  done
}
summary() { # FILE
  python3 - "$1" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
times = sorted(float(t) * 1000 for t, _ in rows)
bad = sum(1 for _, s in rows if s != "201")
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{len(times)} uploads, p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {times[-1]:.1f} ms, {bad} not 201")
PY
}

echo "In the trash: $(in_trash) media, $(find "$files" -name original | wc -l) stored files"
uploads 3 "$work/none" /dev/null # warm-up
uploads 15 "$work/none" "$work/idle.txt"
echo "uploads, nothing to purge:   $(summary "$work/idle.txt")"

# Empty the trash while the uploads run; the drain ends when no media is left in the trash.
uploads 600 "$work/drained" "$work/purge.txt" &
upload_pid=$!
sleep 2
start=$(date +%s.%N)
emptied=$(curl -sf -X DELETE "$base/api/trash" -H "$auth")
while [ "$(in_trash)" -gt 0 ]; do sleep 0.2; done
end=$(date +%s.%N)
touch "$work/drained"
wait "$upload_pid"
left=$(find "$files" -path '*/000000000000feed*' -name original | wc -l)
pending=$(sqlite3 -cmd ".timeout 30000" "$db" 'select count(*) from pending_deletions')
python3 - "$count" "$start" "$end" "$emptied" "$left" "$pending" <<'PY'
import sys
count, start, end, emptied, left, pending = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
print(f"purge of {count}: drained in {end - start:.1f} s ({count / (end - start):.0f}/s); the request answered {emptied}; files left: {left}, pending deletions: {pending}")
PY
echo "uploads during the purge:    $(summary "$work/purge.txt")"
