#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# The suites start what they need themselves: a throwaway PostgreSQL cluster from the machine's binaries and an
# S3-compatible server (s3rver, from npm).
set -uo pipefail
cd "$(dirname "$0")"

# The S3-compatible server the storage suites run against (an npm package, installed once).
if [ ! -d tests/tools/node_modules/s3rver ]; then
  npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
fi

log=$(mktemp)
dotnet test MediaLibrary.slnx --configuration Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0
while read -r f p; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  sed -nE 's/.*Failed:[[:space:]]*([0-9]+), Passed:[[:space:]]*([0-9]+),.*/\1 \2/p' "$log")
rm -f "$log"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # build or runner failure: never report green
echo "$passed passed, $failed failed"
exit "$status"
