#!/usr/bin/env bash
# The benchmark suite: every figure of the service beside a baseline measured in the same run on this machine.
# Usage: bench/run.sh            (SQLite and local storage; about 10 minutes on 2 cores)
#        BENCH_DATABASE=postgres bench/run.sh   (a throwaway PostgreSQL cluster from the machine's binaries)
#        BENCH_ROWS="10000 100000" BENCH_SECONDS=3 bench/run.sh
# Prints a table and writes it to bench/results/{date}-{time}.md. Installs wrk, nginx and libvips-tools from
# Debian's packages when missing (needs apt-get rights).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
rows_list=${BENCH_ROWS:-"10000 100000"}
seconds=${BENCH_SECONDS:-5}
database=${BENCH_DATABASE:-sqlite}
case "$database" in sqlite|postgres) ;; *) echo "BENCH_DATABASE is sqlite or postgres"; exit 2 ;; esac
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v vips >/dev/null || missing+=(libvips-tools)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ "$database" = sqlite ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
pid=""
nginx_pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
results="$work/results.tsv"
: > "$results"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$results"; echo "  $1: $2 ($3) — $4"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# ---- the database: SQLite in the data folder, or a throwaway PostgreSQL cluster with its default settings -------------
. "$repo/bench/postgres.sh"
[ "$database" = postgres ] && start_postgres

echo "Publishing (Release, ReadyToRun), as a deployment would…"
dotnet publish src/MediaLibrary --configuration Release -o "$work/app" >/dev/null
port=$(free_port)
base="http://127.0.0.1:$port"

# ---- start-up: from launch to the first answered request; idle memory ----------------------------------------------
start_service() { # sets pid and elapsed
  local t0
  t0=$(now)
  MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_TOKEN_RATE_LIMIT=100000 \
    MEDIALIB_MAX_UPLOAD_BYTES=$((1100 * 1024 * 1024)) env "${db_env[@]}" \
    dotnet "$work/app/MediaLibrary.dll" --urls "$base" >>"$work/service.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$base/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "The service did not start:"; tail -20 "$work/service.log"; exit 1; }
    sleep 0.01
  done
  elapsed=$(python3 -c "print(f'{$(now) - $t0:.2f}')")
}
echo "Start-up…"
start_service      # the first start also creates the database and the admin
first=$elapsed
starts=()
for _ in 1 2 3 4 5; do
  kill "$pid"; wait "$pid" 2>/dev/null || true
  start_service
  starts+=("$elapsed")
done
startup=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)   # the median of five
sleep 2
idle=$(rss_kib "$pid")
record "start-up to first answer" "${startup} s" "median of 5 ($(printf '%s ' "${starts[@]}")s); first start, creating the database: ${first} s" "target ≤ 1.5 s"
record "idle RSS" "$((idle / 1024)) MiB" "after start" "—"

token=$(curl -sf "$base/api/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
auth="Authorization: Bearer $token"

# wrk with one connection for latency (p50 and p99 in ms), or N connections for throughput (requests/s).
latency() { # url [header]; after three seconds of warm-up (the JIT tiers hot code up meanwhile), so that the figure is the steady state
  if [ $# -gt 1 ]; then wrk -t1 -c1 -d3s -H "$2" "$1" >/dev/null; else wrk -t1 -c1 -d3s "$1" >/dev/null; fi
  cold_latency "$@"
}
cold_latency() { # url [header]; no warm-up
  local out
  if [ $# -gt 1 ]; then out=$(wrk -t1 -c1 -d"${seconds}s" --latency -H "$2" "$1"); else out=$(wrk -t1 -c1 -d"${seconds}s" --latency "$1"); fi
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"p50 {ms('50%'):.2f} ms, p99 {ms('99%'):.2f} ms" + (f", {errors.group(1)} non-2xx" if errors else ""))
PY
}
throughput() { # connections url
  wrk -t2 -c"$1" -d"${seconds}s" "$2" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}
# A service runs for days; a fresh process does not. Under load, this machine's JIT takes 10–16 s to tier the hot paths
# up (ReadyToRun code first, then instrumented, then optimised), and the latency falls by half meanwhile. So each
# process gets 20 s of load on the paths measured before its figures count; the first seconds are recorded apart.
steady() { # url...
  local each=$((20 / $#))
  for u in "$@"; do wrk -t1 -c2 -d"${each}s" "$u" >/dev/null; done
}

# ---- test data: photo-like JPEGs of 1600×1200 (about 300 KB) ------------------------------------------------------------
echo "Making 200 JPEGs…"
bench/photos.sh "$work/jpeg" 200 80
jpeg_bytes=$(du -cb "$work"/jpeg/*.jpg | tail -1 | cut -f1)

# ---- upload: 200 JPEGs, 4 at a time ---------------------------------------------------------------------------------
echo "Uploading 200 JPEGs, 4 at a time…"
: > "$work/upload.conf"
for i in $(seq 1 200); do
  [ "$i" -gt 1 ] && echo next >> "$work/upload.conf"
  printf 'url = "%s/api/media"\nheader = "%s"\nform = "file=@%s/jpeg/photo%d.jpg"\noutput = "%s/up%d.json"\n' \
    "$base" "$auth" "$work" "$i" "$work" "$i" >> "$work/upload.conf"
done
t0=$(now)
curl -sf --no-progress-meter --parallel --parallel-max 4 -K "$work/upload.conf"
t1=$(now)
ok=$(grep -l '"id"' "$work"/up*.json | wc -l)
record "upload 200 JPEGs (1600×1200), c=4" "$(python3 -c "print(f'{200 / ($t1 - $t0):.1f} files/s, {$jpeg_bytes / ($t1 - $t0) / 1048576:.1f} MB/s')")" \
  "$ok of 200 stored; each decoded once for its placeholder" "—"
ids=$(python3 -c "import json,glob; print(' '.join(str(json.load(open(f))['id']) for f in sorted(glob.glob('$work/up*.json'))))")
first_id=${ids%% *}
url=$(python3 -c "import json; print(json.load(open('$work/up1.json'))['url'])")

# ---- metadata GET --------------------------------------------------------------------------------------------------
echo "Metadata GET…"
etag=$(curl -sf -D - -o /dev/null "$base/api/media/$first_id" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
record "GET /api/media/{id}, the first ${seconds} s of load" "$(cold_latency "$base/api/media/$first_id")" "one connection, no warm-up: the JIT is still at work" "—"
steady "$base/api/media/$first_id" "$base/api/media?page_size=50" "$url"
record "GET /api/media/{id}" "$(latency "$base/api/media/$first_id")" "one connection" "target p99 ≤ 3 ms"
record "GET /api/media/{id}, If-None-Match → 304" "$(latency "$base/api/media/$first_id" "If-None-Match: $etag")" "one connection" "target p99 ≤ 3 ms"
# The yardstick for the tail: a small static file from the same process, no database and no JSON.
record "GET /client/media.d.ts (static, 5 KB)" "$(latency "$base/client/media.d.ts")" "one connection; the same process's floor" "—"

# ---- delivery of an original beside nginx serving the same file from the same disk ------------------------------------
echo "Delivery…"
stored=$(sql "select \"StorageKey\" from media where \"Id\" = $first_id")
nginx_port=$(free_port)
front_port=$(free_port)
sink_port=$(free_port)
mkdir -p "$work/nginx" "$work/sink/.tmp"
# One nginx: a static server over the storage folder (the baseline), and the shipped docs/nginx.conf in front of the
# service (its cache for originals, X-Accel-Redirect for the rest), with only its ports and folders replaced.
site=$(sed -e "s|127.0.0.1:5080|127.0.0.1:$port|" -e "s|listen 80;|listen 127.0.0.1:$front_port; keepalive_requests 100000;|" \
  -e "s|/var/lib/medialibrary/files/|$work/data/files/|" -e "s|/var/cache/nginx/medialibrary|$work/nginx/cache|" docs/nginx.conf)
cat > "$work/nginx/nginx.conf" <<CONF
user $(id -un);
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { image/jpeg jpg; }
  default_type image/jpeg;
  server { listen 127.0.0.1:$nginx_port; root $work/data/files; }
  # The upload's yardstick: nginx taking a PUT into a file (WebDAV), without multipart or a hash.
  server { listen 127.0.0.1:$sink_port; client_max_body_size 2g; client_body_temp_path $work/sink/.tmp; location / { root $work/sink; dav_methods PUT; } }
  $site
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>>"$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/$stored" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/$stored" || { echo "nginx does not serve the file:"; cat "$work/nginx/error.log"; exit 1; }
size_kb=$(($(stat -c %s "$work/jpeg/photo1.jpg") / 1024))
deliver() { # label url
  for c in 4 64; do
    throughput "$c" "$2" >/dev/null # warm-up, both sides alike
    ours=$(throughput "$c" "$2")
    throughput "$c" "http://127.0.0.1:$nginx_port/$stored" >/dev/null
    theirs=$(throughput "$c" "http://127.0.0.1:$nginx_port/$stored")
    record "deliver a $size_kb KB original, $1, c=$c" "$ours req/s" "nginx serving the file: $theirs req/s, ratio $(python3 -c "print(f'{$ours / $theirs:.2f}')")×" "target ≥ 0.8× nginx"
  done
}
deliver "by the service (Kestrel)" "$url"
kill "$nginx_pid"; nginx_pid=""

# ---- list: first and last page at each size, for each ordering and with search ---------------------------------------
# Metadata rows go straight into the database (the list reads rows, not files); SearchText is what the service would
# write (these titles are ASCII, so SQL's lower() folds them as .NET does).
seed_rows() { # total rows wanted
  if [ "$database" = postgres ]; then
    sql "INSERT INTO media (\"StorageId\", \"Title\", \"AltText\", \"FileName\", \"ContentType\", \"Size\", \"Width\", \"Height\", \"Sha256\",
           \"Version\", \"StorageKey\", \"StorageProvider\", \"CreatedAt\", \"UpdatedAt\", \"Revision\", \"SearchText\")
         SELECT lpad(to_hex(i), 24, '0'), t, 'Alt text ' || i, 'photo' || i || '.jpg', CASE i % 3 WHEN 0 THEN 'image/png' ELSE 'image/jpeg' END,
                1000 + (i::bigint * 7919) % 5000000, 1600, 1200, lpad(to_hex(i), 64, '0'), 1,
                lpad(to_hex(i), 24, '0') || '/' || lpad(to_hex(i), 24, '0') || '/original', 'local',
                timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second', timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second', 1,
                lower(t || E'\\n' || 'Alt text ' || i || E'\\n' || 'photo' || i || '.jpg')
         FROM generate_series((SELECT count(*) FROM media) + 1, $1) AS i,
              LATERAL (SELECT 'Photo ' || i || ' of the ' || (ARRAY['harbour','meadow','team','office','launch'])[(i % 5 + 1)::int] AS t) AS title" >/dev/null
    vacuum media
  else
    sqlite3 "$work/data/medialibrary.db" >/dev/null <<SQL
PRAGMA busy_timeout = 30000;
WITH RECURSIVE n(i) AS (SELECT (SELECT count(*) FROM media) + 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1),
     r(i, t) AS (SELECT i, 'Photo ' || i || ' of the ' || (CASE i % 5 WHEN 0 THEN 'harbour' WHEN 1 THEN 'meadow' WHEN 2 THEN 'team' WHEN 3 THEN 'office' ELSE 'launch' END) FROM n)
INSERT INTO media (StorageId, Title, AltText, FileName, ContentType, Size, Width, Height, Sha256, Version, StorageKey,
                   StorageProvider, CreatedAt, UpdatedAt, Revision, SearchText)
SELECT printf('%024x', i), t, 'Alt text ' || i, 'photo' || i || '.jpg', CASE i % 3 WHEN 0 THEN 'image/png' ELSE 'image/jpeg' END, 1000 + (i * 7919) % 5000000,
       1600, 1200, printf('%064x', i), 1, printf('%024x/%024x/original', i, i), 'local',
       strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds'), strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds'), 1,
       lower(t || char(10) || 'Alt text ' || i || char(10) || 'photo' || i || '.jpg')
FROM r;
SQL
    # The service's own writes checkpoint the WAL as they go; a bulk insert from outside leaves it for us to do.
    sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  fi
}
# PostgreSQL after a mass insert or update here: what autovacuum leaves a minute later (dead rows gone, the visibility map
# set, so that index-only scans skip the heap, statistics current), so that the lists measure the steady state and not a
# vacuum running under them. A library changed row by row never has this backlog.
vacuum() { sql "VACUUM (ANALYZE) ${1:-}" >/dev/null; }
next_of() { curl -sf "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])'; }
for rows in $rows_list; do
  echo "List at $rows rows…"
  seed_rows "$rows"
  total=$(sql "select count(*) from media")
  last=$(( (total + 49) / 50 ))
  for ordering in -created_at created_at title -title size -size; do
    q="$base/api/media?page_size=50&ordering=$ordering"
    record "list $rows rows, ordering=$ordering, page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
    # The last page as clients reach it: the next link of the page before it (a cursor).
    record "list $rows rows, ordering=$ordering, last page by its link" "$(latency "$(next_of "$q&page=$((last - 1))")")" "page $last, one connection" "target p99 ≤ 10 ms"
    record "list $rows rows, ordering=$ordering, page=$last by number" "$(latency "$q&page=$last")" "a jump; one connection" "target p99 ≤ 10 ms"
  done
  q="$base/api/media?page_size=50&search=harbour"
  matches=$(curl -sf "$q" | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["count"], "" if d["count_exact"] else "+")' | tr -d ' ')
  deep=$(( ($(sql "select count(*) from media where \"SearchText\" like '%harbour%'") + 49) / 50 ))
  record "list $rows rows, search=harbour (count $matches), page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
  record "list $rows rows, search=harbour, last page by its link" "$(latency "$(next_of "$q&page=$((deep - 1))")")" "page $deep, one connection" "target p99 ≤ 10 ms"
  record "list $rows rows, search=photo4242.jpg (1 match)" "$(latency "$base/api/media?page_size=50&search=photo4242.jpg")" "one connection" "target p99 ≤ 10 ms"
done

# ---- folders: 1,000 folders (a chain 20 deep, the rest hung below it), every media row in one of them --------------
echo "Folders at $total rows…"
python3 - "$database" > "$work/folders.sql" <<'PY'
import random, sys
pg = sys.argv[1] == "postgres"
when = "'2026-01-01 00:00:00+00'" if pg else "'2026-01-01 00:00:00'"
random.seed(7)
paths = {}
print("BEGIN;")
for i in range(1, 1001):
    parent = None if i == 1 else i - 1 if i <= 20 else random.randint(1, 20)
    paths[i] = (paths[parent] if parent else "/") + f"{i}/"
    depth = paths[i].count("/") - 1
    print(f'INSERT INTO folders ("Id", "ParentId", "Name", "NameKey", "Path", "Depth", "CreatedAt", "UpdatedAt") '
          f"VALUES ({i}, {parent or 'NULL'}, 'Folder {i}', 'folder {i}', '{paths[i]}', {depth}, {when}, {when});")
print('UPDATE media SET "FolderId" = ("Id" % 1000) + 1;')
print("COMMIT;")
PY
if [ "$database" = postgres ]; then
  "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d medialib -q -f "$work/folders.sql" >/dev/null
  vacuum
else
  sqlite3 -cmd ".timeout 30000" "$work/data/medialibrary.db" < "$work/folders.sql" >/dev/null
  sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi
q="$base/api/media?page_size=50&folder=500"
record "list $total rows, one folder (count $(curl -sf "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')), page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
record "list $total rows, one folder, page 2 by its link" "$(latency "$(next_of "$q")")" "one connection" "target p99 ≤ 10 ms"
q="$base/api/media?page_size=50&folder=1&recursive=true"
record "list $total rows, the top of the tree recursively (all of them), page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
record "list $total rows, the top of the tree recursively, last page by its link" "$(latency "$(next_of "$q&page=$((last - 1))")")" "page $last, one connection" "target p99 ≤ 10 ms"
q="$base/api/media?page_size=50&folder=20&recursive=true"
record "list $total rows, a folder 20 levels deep recursively (count $(curl -sf "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')), page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
record "list $total rows, one folder with search=harbour" "$(latency "$base/api/media?page_size=50&folder=500&search=harbour")" "one connection" "target p99 ≤ 10 ms"
record "list $total rows, the whole tree with search=harbour" "$(latency "$base/api/media?page_size=50&folder=1&recursive=true&search=harbour")" "one connection" "target p99 ≤ 10 ms"

# ---- tags: 5,000 distinct tags, three on every media row, skewed as real tags are (a few on thousands, most on a few) --
echo "Tags at $total rows…"
python3 - "$work" "$(sql 'select max("Id") from media')" <<'PY'
import random, sys
work, rows = sys.argv[1], int(sys.argv[2])
random.seed(11)
with open(f"{work}/tags.csv", "w") as tags:
    for i in range(1, 5001):
        tags.write(f"{i},Tag {i},tag {i},2026-01-01 00:00:00\n")
with open(f"{work}/media_tags.csv", "w") as links:
    for media in range(1, rows + 1):
        for tag in {1 + int(5000 * random.random() ** 3) for _ in range(3)}:
            links.write(f"{media},{tag}\n")
PY
if [ "$database" = postgres ]; then
  "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d medialib -q \
    -c "\\copy tags (\"Id\", \"Name\", \"Key\", \"CreatedAt\") FROM '$work/tags.csv' CSV" \
    -c "CREATE TEMP TABLE l (m bigint, t bigint)" -c "\\copy l FROM '$work/media_tags.csv' CSV" \
    -c "INSERT INTO media_tags (\"MediaId\", \"TagId\") SELECT m, t FROM l WHERE m IN (SELECT \"Id\" FROM media)" \
    -c "UPDATE media SET \"TagIds\" = a.ids FROM (SELECT m, array_agg(t ORDER BY t) AS ids FROM l GROUP BY m) AS a WHERE \"Id\" = a.m" \
    -c "SELECT setval(pg_get_serial_sequence('tags', 'Id'), 5000)" >/dev/null
  vacuum
else
  sqlite3 -cmd ".timeout 30000" "$work/data/medialibrary.db" ".mode csv" ".import $work/tags.csv tags" \
    "CREATE TEMP TABLE l (m INTEGER, t INTEGER)" ".import $work/media_tags.csv l" \
    "INSERT INTO media_tags (MediaId, TagId) SELECT m, t FROM l WHERE m IN (SELECT Id FROM media)" >/dev/null
  sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi
tag_count() { curl -sf "$1" | python3 -c 'import json,sys; d = json.load(sys.stdin); print(str(d["count"]) + ("" if d["count_exact"] else "+"))'; }
for tag in "Tag 1" "Tag 60" "Tag 4000"; do
  q="$base/api/media?page_size=20&tag=${tag// /%20}"
  record "list $total rows, tag=$tag (count $(tag_count "$q")), page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
  record "list $total rows, tag=$tag, page 2 by its link" "$(latency "$(next_of "$q")")" "one connection" "target p99 ≤ 10 ms"
done
q="$base/api/media?page_size=20&tag=Tag%201"
record "list $total rows, tag=Tag 1, page 20 by the link from page 19" "$(latency "$(next_of "$q&page=19")")" "one connection" "target p99 ≤ 10 ms"
q="$base/api/media?page_size=50&tag=Tag%201&tag=Tag%2060"
record "list $total rows, tag=Tag 1 and tag=Tag 60 (count $(tag_count "$q")), page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
for tag in "Tag 1" "Tag 2" "Tag 60" "Tag 4000"; do # Tag 2: 4,583 media, about 900 of them with the word
  q="$base/api/media?page_size=50&tag=${tag// /%20}&search=harbour"
  record "list $total rows, tag=$tag with search=harbour (count $(tag_count "$q"))" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
done
q="$base/api/media?page_size=50&tag=Tag%201&search=photo4242.jpg"
record "list $total rows, tag=Tag 1 with search=photo4242.jpg (count $(tag_count "$q"))" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
record "GET /api/tags?prefix=tag%2042 (autocomplete)" "$(latency "$base/api/tags?prefix=tag%2042")" "one connection" "—"
record "GET /api/tags?limit=20 (the 20 most used of 5,000)" "$(latency "$base/api/tags?limit=20")" "one connection" "—"

# ---- references: a third of the library used somewhere (one place each), the rest the clean-up candidates ---------------
echo "References at $total rows…"
uploaded=$(echo $ids | tr ' ' ',') # the 200 uploaded media stay unused: the delete below deletes them unforced
sql "INSERT INTO media_references (\"MediaId\", \"Key\", \"Label\", \"CreatedAt\", \"UpdatedAt\") SELECT \"Id\", 'page:/' || (\"Id\" % 5000), 'Page', '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM media WHERE \"Id\" % 3 = 0 AND \"Id\" NOT IN ($uploaded)" >/dev/null
sql "UPDATE media SET \"ReferenceCount\" = 1 WHERE \"Id\" % 3 = 0 AND \"Id\" NOT IN ($uploaded)" >/dev/null
if [ "$database" = postgres ]; then vacuum; else sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; fi
q="$base/api/media?page_size=50&used=false"
record "list $total rows, used=false (count $(tag_count "$q")), page 1" "$(latency "$q")" "one connection" "target p99 ≤ 10 ms"
record "list $total rows, used=false, last page by its link" "$(latency "$(next_of "$q&page=$(( (total * 2 / 3 + 49) / 50 - 1 ))")")" "one connection" "target p99 ≤ 10 ms"
record "list $total rows, used=false with search=harbour" "$(latency "$q&search=harbour")" "one connection" "target p99 ≤ 10 ms"
record "list $total rows, used=false in one folder" "$(latency "$q&folder=500")" "one connection" "target p99 ≤ 10 ms"

# ---- bulk: 10,000 media moved to another folder, then tagged, in one request each ----------------------------------
echo "Bulk operations at $total rows…"
sql 'select "Id" from media order by "Id" desc limit 10000' | python3 -c '
import json, sys
ids = [int(line) for line in sys.stdin if line.strip()]
for action, extra in (("move", {"folder_id": 7}), ("tag", {"tags": ["bulk bench"]})):
    json.dump({"action": action, "ids": ids, **extra}, open(f"'"$work"'/bulk-{action}.json", "w"))
    json.dump({"action": action, "ids": [i + 1 for i in range(200)], **extra}, open(f"'"$work"'/bulk-{action}-warm.json", "w"))'
for action in move tag; do
  for _ in 1 2 3; do # the code path warmed up (JIT) on 200 other media first
    curl -sf -o /dev/null "$base/api/media/bulk" -H "$auth" -H 'content-type: application/json' --data-binary "@$work/bulk-$action-warm.json"
  done
  t0=$(now)
  summary=$(curl -sf "$base/api/media/bulk" -H "$auth" -H 'content-type: application/json' --data-binary "@$work/bulk-$action.json" \
    | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["succeeded"], "of", d["selected"], "changed")')
  t1=$(now)
  record "bulk $action of 10,000 media, one request" "$(python3 -c "print(f'{$t1 - $t0:.2f} s')")" "$summary" "target ≤ 1 s"
done

# ---- history: 1,000,000 entries (ten a media), by 50 actors over a year; a media's history and the audit list ---------
echo "History at $total rows…"
if [ "$database" = postgres ]; then
  sql "INSERT INTO media_history (\"MediaId\", \"Action\", \"Actor\", \"ActorId\", \"At\", \"RequestId\", \"ClientAddress\", \"Details\")
       SELECT (i % $total) + 1, (ARRAY['edited','replaced','referenced','trashed','restored'])[(i % 5) + 1], 'editor' || (i % 50), i % 50 + 100,
              timestamptz '2026-01-01 00:00:00+00' + i * interval '30 seconds', md5(i::text), '203.0.113.' || (i % 250),
              '{\"title\":{\"before\":\"Photo\",\"after\":\"Photo of the harbour\"}}'
       FROM generate_series(1, 1000000) AS i" >/dev/null
  vacuum media_history
else
  sqlite3 "$work/data/medialibrary.db" >/dev/null <<SQL
PRAGMA busy_timeout = 30000;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO media_history (MediaId, Action, Actor, ActorId, At, RequestId, ClientAddress, Details)
SELECT (i % $total) + 1, CASE i % 5 WHEN 0 THEN 'edited' WHEN 1 THEN 'replaced' WHEN 2 THEN 'referenced' WHEN 3 THEN 'trashed' ELSE 'restored' END,
       'editor' || (i % 50), i % 50 + 100, strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || (i * 30) || ' seconds'), printf('%032x', i),
       '203.0.113.' || (i % 250), '{"title":{"before":"Photo","after":"Photo of the harbour"}}'
FROM n;
SQL
  sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi
next_auth() { curl -sf -H "$auth" "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])'; }
page_by_link() { # url pages: the link to that page, followed from the first
  local u=$1
  for _ in $(seq 2 "$2"); do u=$(next_auth "$u"); done
  echo "$u"
}
record "history of one media (10 entries)" "$(latency "$base/api/media/4242/history" "$auth")" "one connection, 1,000,000 entries" "target p99 ≤ 10 ms"
q="$base/api/history?actor=editor7"
record "audit list by actor (20,000 entries), page 1" "$(latency "$q" "$auth")" "one connection" "target p99 ≤ 10 ms"
record "audit list by actor, page 100 by its link" "$(latency "$(page_by_link "$q" 100)" "$auth")" "one connection" "target p99 ≤ 10 ms"
q="$base/api/history?since=2026-06-01T00:00:00Z&until=2026-06-02T00:00:00Z"
record "audit list, one day (2,880 entries), page 1" "$(latency "$q" "$auth")" "one connection" "target p99 ≤ 10 ms"
record "audit list, one day, page 50 by its link" "$(latency "$(page_by_link "$q" 50)" "$auth")" "one connection" "target p99 ≤ 10 ms"
record "audit list by actor and action in one day" "$(latency "$q&actor=editor7&action=trashed" "$auth")" "one connection" "target p99 ≤ 10 ms"
record "audit list, everything, page 1" "$(latency "$base/api/history" "$auth")" "one connection" "target p99 ≤ 10 ms"

# ---- delete: the 200 uploaded media for good (permanent=true: past the trash), 4 at a time; nothing may stay behind --
echo "Deleting 200 media…"
: > "$work/delete.conf"
for id in $ids; do
  [ -s "$work/delete.conf" ] && echo next >> "$work/delete.conf"
  printf 'url = "%s/api/media/%s?permanent=true"\nrequest = "DELETE"\nheader = "%s"\noutput = "/dev/null"\n' "$base" "$id" "$auth" >> "$work/delete.conf"
done
t0=$(now)
curl -sf --no-progress-meter --parallel --parallel-max 4 -K "$work/delete.conf"
t1=$(now)
left=$(find "$work/data/files" -type f ! -path '*/.tmp/*' | wc -l)
pending=$(sql "select count(*) from pending_deletions")
record "delete 200 media, c=4" "$(python3 -c "print(f'{200 / ($t1 - $t0):.0f} deletions/s')")" "objects left in storage: $left, pending deletions: $pending" "must be 0 left"

# ---- 1 GiB upload beside cp on the same disk ------------------------------------------------------------------------
echo "1 GiB upload…"
{ printf '%%PDF-1.4\n'; head -c $(( 1024 * 1024 * 1024 - 9 )) /dev/urandom; } > "$work/big.pdf"
sleep 1
before=$(rss_kib "$pid")
( while kill -0 "$pid" 2>/dev/null; do rss_kib "$pid"; sleep 0.2; done ) > "$work/rss.txt" &
sampler=$!
t0=$(now)
curl -sf -o /dev/null "$base/api/media" -H "$auth" -F "file=@$work/big.pdf"
t1=$(now)
kill "$sampler"
peak=$(sort -n "$work/rss.txt" | tail -1)
c0=$(now); cp "$work/big.pdf" "$work/copy.pdf"; sync "$work/copy.pdf"; c1=$(now)
rm -f "$work/copy.pdf"
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>>"$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$sink_port/")" != 000 ] && break; sleep 0.1; done
n0=$(now); curl -sf -T "$work/big.pdf" "http://127.0.0.1:$sink_port/big.pdf"; n1=$(now)
cmp -s "$work/big.pdf" "$work/sink/big.pdf" || { echo "nginx did not store the PUT"; exit 1; }
rm -f "$work/sink/big.pdf"
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
record "upload 1 GiB" "$(python3 -c "print(f'{1024 / ($t1 - $t0):.0f} MiB/s')")" \
  "cp: $(python3 -c "print(f'{1024 / ($c1 - $c0):.0f} MiB/s, ratio {($c1 - $c0) / ($t1 - $t0):.2f}×')"); nginx taking it by PUT: $(python3 -c "print(f'{1024 / ($n1 - $n0):.0f} MiB/s, ratio {($n1 - $n0) / ($t1 - $t0):.2f}×')"); RSS +$(( (peak - before) / 1024 )) MiB" "target ≥ 0.9× cp, RSS growth ≤ 64 MB"

# ---- delivery behind nginx (docs/nginx.conf): originals from nginx's cache, which the service purges when it retires a
# version; and the same file through the service on every request (another spelling of the URL, which the shipped file
# does not cache): the service looks up and writes headers, nginx sends the bytes (X-Accel-Redirect). Last, because it
# restarts the service, and a fresh process runs slower until the JIT has tiered its hot code up.
echo "Delivery behind nginx…"
kill "$pid"; wait "$pid" 2>/dev/null || true
db_env+=(MEDIALIB_ACCEL_REDIRECT=/_medialib/ "MEDIALIB_CACHE_PURGE_URL=http://127.0.0.1:$front_port/")
start_service
front=$(curl -sf "$base/api/media" -H "$auth" -F "file=@$work/jpeg/photo1.jpg")
front_id=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['id'])" "$front")
front_url=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['url'])" "$front" | sed "s|127.0.0.1:$port|127.0.0.1:$front_port|")
uncached_url=${front_url/\/files\/$front_id\//\/files\/0$front_id\/}
stored=$(sql "select \"StorageKey\" from media where \"Id\" = $front_id")
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>>"$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/$stored" && break; sleep 0.1; done
for u in "$front_url" "$uncached_url"; do
  cmp <(curl -sf "$u") "$work/jpeg/photo1.jpg" || { echo "nginx in front does not deliver $u:"; tail "$work/nginx/error.log"; exit 1; }
done
steady "$uncached_url"
deliver "behind nginx, from its cache" "$front_url"
deliver "behind nginx, through the service each time (X-Accel-Redirect)" "$uncached_url"
curl -sf -X DELETE "$base/api/media/$front_id" -H "$auth" -o /dev/null
record "GET the cached original right after its DELETE" "$(curl -s -o /dev/null -w '%{http_code}' "$front_url")" \
  "the service purged it from nginx's cache before answering the DELETE" "must be 404"
kill "$nginx_pid"; nginx_pid=""

# ---- the table --------------------------------------------------------------------------------------------------------
mkdir -p "$repo/bench/results"
out="$repo/bench/results/$(date -u +%Y-%m-%d-%H%M).md"
{
  echo "# Benchmark run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $([ "$database" = postgres ] && echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')" || echo SQLite) and local storage"
  echo
  echo "| measure | result | beside / detail | target |"
  echo "|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$results"
} > "$out"
echo
cat "$out"
echo
echo "Written to ${out#"$repo"/}"
