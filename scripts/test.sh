#!/usr/bin/env bash
# The whole test suite: unit tests, then end-to-end tests against the real PostgreSQL and Redis
# (each test file creates its own database and Redis key prefix, and drops them after).
# Ends with one plain line: "N passed, N failed".
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_build
mkdir -p .panah
node scripts/clean-test-data.js
results=.panah/jest-results.json
rm -f "$results"
status=0
NODE_OPTIONS="--experimental-vm-modules --no-warnings=ExperimentalWarning" \
  npx jest --ci --maxWorkers=2 --json --outputFile="$results" "$@" || status=$?
node scripts/summary.js "$results" || status=1
exit "$status"
