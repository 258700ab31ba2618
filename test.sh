#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# The .NET suites start what they need themselves: a throwaway PostgreSQL cluster from the machine's binaries, an
# S3-compatible server (s3rver, from npm), an OpenID provider (oidc-provider, from npm) and Redocly's OpenAPI linter
# (@redocly/cli, from npm). The client suite runs
# on Node's test runner against the real service.
set -uo pipefail
cd "$(dirname "$0")"

passed=0; failed=0; status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The S3-compatible server the storage suites run against, the single sign-on suite's OpenID provider and the OpenAPI
# linter, and Uppy with esbuild for the browser suite (npm packages, installed once).
if [ ! -d tests/tools/node_modules/s3rver ] || [ ! -d tests/tools/node_modules/@redocly/cli ] || [ ! -d tests/tools/node_modules/oidc-provider ] \
  || [ ! -d tests/tools/node_modules/@uppy/tus ] || [ ! -d tests/tools/node_modules/esbuild ]; then
  npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
fi

dotnet test MediaLibrary.slnx --configuration Release 2>&1 | tee "$log"
dotnet_status=${PIPESTATUS[0]}
while read -r f p; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  sed -nE 's/.*Failed:[[:space:]]*([0-9]+), Passed:[[:space:]]*([0-9]+),.*/\1 \2/p' "$log")
if [ "$dotnet_status" -ne 0 ]; then status=1; [ "$failed" -gt 0 ] || failed=$((failed + 1)); fi  # a build failure is never green

# The TypeScript client and the editors' page script: compile (one type-checked build), check the copies the service
# serves are current, then test the client against the service.
(
  cd clients/typescript
  { { [ -d node_modules/typescript ] && [ -d node_modules/openapi-typescript ] && [ -d node_modules/tus-js-client ]; } || npm ci --no-audit --no-fund --loglevel=error; } && npx tsc -p . &&
    if ! cmp -s dist/client/media.js ../../src/MediaLibrary/wwwroot/client/media.js || ! cmp -s dist/client/media.d.ts ../../src/MediaLibrary/wwwroot/client/media.d.ts \
      || ! cmp -s dist/app/editor.js ../../src/MediaLibrary/wwwroot/app/editor.js; then
      echo "not ok - the service serves a stale build: copy clients/typescript/dist/client/media.{js,d.ts} to src/MediaLibrary/wwwroot/client/ and dist/app/editor.js to src/MediaLibrary/wwwroot/app/"
      echo "# fail 1"; exit 1
    fi &&
    node --test --test-reporter=tap test/
) 2>&1 | tee "$log"
node_status=${PIPESTATUS[0]}
node_passed=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1)
node_failed=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1)
passed=$((passed + ${node_passed:-0})); failed=$((failed + ${node_failed:-0}))
if [ "$node_status" -ne 0 ]; then status=1; [ -n "$node_failed" ] && [ "$node_failed" -gt 0 ] || failed=$((failed + 1)); fi

echo "$passed passed, $failed failed"
exit "$status"
