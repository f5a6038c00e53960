#!/usr/bin/env bash
# Clone-and-run acceptance (issue 19): clones the current commit into a temporary folder, runs the
# README's start command with --demo on private ports, files a test report with `panah demo
# report` (which waits for the caseworker's alert at the demo mail catcher) and reads it at
# /dev/mail. Fails if the clone is left dirty (package-lock.json above all). It uses its own
# database and Redis prefix, drops/deletes exactly those afterwards, and stops what it started.
# Ports: PANAH_CLONE_PORT_BASE (default 25570) for the API, +1 worker, +2 mail catcher.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$src" rev-parse HEAD)"
base="${PANAH_CLONE_PORT_BASE:-25570}"
id="clone_$$_$(date +%s)"
work="$(mktemp -d "${TMPDIR:-/tmp}/panah-clone.XXXXXX")"
clone="$work/panah"
started=$(date +%s)

# The clone's processes read only this environment and their own .panah/demo/demo.env.
export API_PORT="$base" WORKER_PORT="$((base + 1))" SMTP_URL="smtp://127.0.0.1:$((base + 2))"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/panah_$id" REDIS_PREFIX="panah-$id"
export PUBLIC_URL="http://127.0.0.1:$base"
unset PANAH_ENV_FILE PANAH_API_URL PANAH_SESSION_FILE PANAH_SESSION_TOKEN
# npm ci from the local cache when it has the packages (same lock, same tarballs).
export npm_config_prefer_offline=true

cleanup() {
  local status=$?
  [ -d "$clone" ] && (cd "$clone" && bash scripts/stop.sh --quiet) || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"panah_$id\" WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "panah-$id:*" | xargs -r -n 100 redis-cli -h 127.0.0.1 -p 6379 del >/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

echo "clone-check: cloning $commit into $clone"
git clone -q "$src" "$clone"
git -C "$clone" checkout -q --detach "$commit"
cd "$clone"

echo "clone-check: bash scripts/start.sh --demo"
bash scripts/start.sh --demo | tee "$work/start.out"
grep -q "console: *http://127.0.0.1:$base/console/" "$work/start.out"
grep -q "TOTP secret: *[A-Z2-7]\{32\}" "$work/start.out"

echo "clone-check: npx panah demo report"
npx --no-install panah demo report --timeout 120 | tee "$work/report.out"
grep -q "alert email to mina@demo.panah.example" "$work/report.out"
curl -fsS "http://127.0.0.1:$base/dev/mail" | grep -q "mina@demo.panah.example"

if ! git diff --quiet -- package-lock.json; then
  echo "clone-check: FAILED: package-lock.json changed"
  git diff --stat -- package-lock.json
  exit 1
fi
if [ -n "$(git status --porcelain)" ]; then
  echo "clone-check: FAILED: the clone is dirty"
  git status --porcelain
  exit 1
fi
echo "clone-check: ok in $(($(date +%s) - started)) s (clone, npm ci, build, demo, report, alert email)"
