#!/usr/bin/env bash
# Benchmarks: `npm run bench` runs every scenario, `npm run bench -- health intake` some of them.
# Each prints its figures; none asserts. Needs PostgreSQL and Redis like the tests.
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_build
npx nest build bench >&2
exec node dist/bench/bench/main.js "$@"
