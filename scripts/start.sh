#!/usr/bin/env bash
# Installs, builds, migrates and starts the API and the worker in the background.
# Needs PostgreSQL and Redis reachable (DATABASE_URL, REDIS_URL; local defaults otherwise).
#   --demo  a complete local demo deployment on embedded defaults (development only): its own
#           settings (.panah/demo/demo.env), database (panah_demo) and Redis prefix, a mail
#           catcher in the worker shown at /dev/mail, and admins, a team, a caseworker, a policy,
#           a rule set and a signed key directory (`panah demo seed`).
source "$(dirname "$0")/lib.sh"
demo=0
case "${1:-}" in
  --demo) demo=1 ;;
  "") ;;
  *) say "usage: bash scripts/start.sh [--demo]"; exit 2 ;;
esac
ensure_deps
ensure_node_build
if [ "$demo" = 1 ]; then
  export PANAH_ENV_FILE="${PANAH_ENV_FILE:-.panah/demo/demo.env}"
  panah demo prepare >&2
fi
ensure_web_build
panah doctor || exit 1
panah db migrate >&2
mkdir -p .panah/run .panah/logs
bash scripts/stop.sh --quiet
nohup node dist/apps/api/apps/api/src/main.js >>.panah/logs/api.log 2>&1 &
echo $! > .panah/run/api.pid
nohup node dist/apps/worker/apps/worker/src/main.js >>.panah/logs/worker.log 2>&1 &
echo $! > .panah/run/worker.pid
api="http://$(setting API_HOST 127.0.0.1):$(setting API_PORT 3000)"
worker="http://$(setting WORKER_HOST 127.0.0.1):$(setting WORKER_PORT 3001)"
for _ in $(seq 1 60); do
  if curl -fsS "$api/health/ready" >/dev/null 2>&1 && curl -fsS "$worker/health/ready" >/dev/null 2>&1; then
    cat <<TXT
Panah is running.
  API:            $api/v1   (OpenAPI: $api/docs)
  worker health:  $worker/health/ready
  logs:           .panah/logs/api.log, .panah/logs/worker.log
  stop:           bash scripts/stop.sh
TXT
    if [ "$demo" = 1 ]; then
      panah demo seed --api "$api" || { say "seeding the demo failed; see .panah/logs/api.log"; exit 1; }
    else
      echo "  $(panah next-step 2>/dev/null || echo "next: see README (First deployment)")"
    fi
    exit 0
  fi
  sleep 0.5
done
say "Panah did not become ready within 30 s; see .panah/logs/api.log and .panah/logs/worker.log"
exit 1
