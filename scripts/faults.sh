#!/usr/bin/env bash
# The fault suite (`npm run faults [scenario…]`): built processes against a PostgreSQL and a Redis
# of its own on free ports (never the shared ones), faults injected under load, figures printed.
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_build
npx nest build bench >&2
exec node dist/bench/bench/faults.js "$@"
