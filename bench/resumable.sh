#!/usr/bin/env bash
# Resumable uploads (tus) beside one multipart POST: the same file (default 200 MiB of random bytes behind a PDF
# header), rounds of POST (curl), tus in 8 MiB pieces and tus in 64 MiB pieces (a Python driver on one kept-alive
# connection, each piece read from the file as it is sent). Prints MiB/s per run, the tus/POST ratio per run and its median
# (RUNS, default 5), and how far the service's RSS rose above where it stood while the 8 MiB pieces went in.
# Usage: bench/resumable.sh [MiB]
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-200}
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
echo "Publishing (Release)…"
dotnet publish src/MediaLibrary --configuration Release -o "$work/app" >/dev/null
MEDIALIB_DATA_DIR="$work/data" MEDIALIB_ADMIN_PASSWORD=bench-password MEDIALIB_MAX_UPLOAD_BYTES=$(((mib + 1) * 1024 * 1024)) \
  dotnet "$work/app/MediaLibrary.dll" --urls "$base" >"$work/service.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "$base/health"; do sleep 0.1; done
(printf '%%PDF-1.4\n'; head -c $((mib * 1024 * 1024)) /dev/urandom) > "$work/file.pdf"
export TOKEN=$(curl -sf "$base/api/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
tus() { python3 bench/tus_upload.py "$work/file.pdf" "$1" "$port"; } # piece bytes
runs=${RUNS:-5}
ratios=()
for run in $(seq "$runs"); do
  t0=$(date +%s.%N)
  curl -sf -o /dev/null "$base/api/media" -H "Authorization: Bearer $TOKEN" -F file=@"$work/file.pdf"
  post=$(python3 -c "print(f'{$mib / ($(date +%s.%N) - $t0):.0f}')")
  rss0=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true # resets the peak (VmHWM) to now
  tus8=$(tus $((8 * 1024 * 1024)))
  growth=$((($(awk '/VmHWM/ {print $2}' "/proc/$pid/status") - rss0) / 1024))
  ratios+=("$(python3 -c "print(f'{${tus8% *} / $post:.2f}')")")
  echo "run $run: POST $post MiB/s, tus 8 MiB pieces $tus8 (RSS peak +$growth MiB over the $((rss0 / 1024)) MiB before it), tus 64 MiB pieces $(tus $((64 * 1024 * 1024)))"
done
echo "tus 8 MiB / POST per run: ${ratios[*]}; median $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
echo "service RSS peak: $(($(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024)) MiB (since the last reset)"
