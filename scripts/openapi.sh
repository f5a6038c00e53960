#!/usr/bin/env bash
# Regenerates the committed API contract from the code: docs/openapi.json (from the controllers
# and DTOs, in Nest's preview mode: no database needed), then libs/api-client/src/schema.ts (its
# TypeScript types, openapi-typescript). `--check` changes nothing and exits 1 if either is stale.
# Run it after changing a route or a DTO, and commit both files.
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_build
if [ "${1:-}" = "--check" ]; then
  node dist/apps/api/apps/api/src/openapi.main.js --check
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  node_modules/.bin/openapi-typescript docs/openapi.json --default-non-nullable false -o "$tmp/schema.ts" >/dev/null 2>&1
  if ! cmp -s "$tmp/schema.ts" libs/api-client/src/schema.ts; then
    say "libs/api-client/src/schema.ts is out of date: run \`npm run openapi\` and commit the result"
    exit 1
  fi
  say "docs/openapi.json and libs/api-client/src/schema.ts are current"
  exit 0
fi
node dist/apps/api/apps/api/src/openapi.main.js
node_modules/.bin/openapi-typescript docs/openapi.json --default-non-nullable false -o libs/api-client/src/schema.ts >/dev/null 2>&1
say "wrote libs/api-client/src/schema.ts"
