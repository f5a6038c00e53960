#!/bin/sh
# Chooses the process; the API applies pending migrations before it starts serving.
set -e
case "$1" in
  api)
    node dist/apps/cli/apps/cli/src/main.js db migrate
    exec node dist/apps/api/apps/api/src/main.js ;;
  worker) exec node dist/apps/worker/apps/worker/src/main.js ;;
  cli) shift; exec node dist/apps/cli/apps/cli/src/main.js "$@" ;;
  *) exec "$@" ;;
esac
