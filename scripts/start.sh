#!/usr/bin/env bash
# Installs, builds, migrates and starts the API and the worker in the background.
# Needs PostgreSQL and Redis reachable (DATABASE_URL, REDIS_URL; local defaults otherwise).
source "$(dirname "$0")/lib.sh"
ensure_deps
ensure_build
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
  $(panah next-step 2>/dev/null || echo "next: see README (First deployment)")
TXT
    exit 0
  fi
  sleep 0.5
done
say "Panah did not become ready within 30 s; see .panah/logs/api.log and .panah/logs/worker.log"
exit 1
