# Shared by the scripts in this folder. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

say() { printf '%s\n' "$*" >&2; }

# Installs exactly the locked dependencies when node_modules is missing or older than the lockfile.
# `npm ci` never writes package-lock.json, so no README command leaves a clone dirty. The lock
# lists every platform's optional native build (msgpackr-extract, unrs-resolver), as `npm ci`
# requires; after adding a dependency, commit the lock that `npm install <pkg>@<x.y.z> --save-exact`
# wrote. Install scripts stay off (none of our dependencies needs one; see allowScripts).
ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing dependencies (npm ci from package-lock.json)…"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    touch node_modules/.package-lock.json
  fi
}

# Compiles the three processes when any source is newer than the last build, and the web clients
# (apps/reporter, apps/console → dist/web/<app>) when theirs are, or when the root key pinned into
# them (DIRECTORY_ROOT_PUBLIC_KEY at build time, from the environment or .env) changed.
ensure_build() {
  ensure_node_build
  ensure_web_build
}

ensure_node_build() {
  local stamp=dist/.built
  if [ ! -f "$stamp" ] || [ -n "$(find apps libs package-lock.json tsconfig.json nest-cli.json -newer "$stamp" -name '*.ts' -o -newer "$stamp" -name '*.json' 2>/dev/null | head -n 1)" ]; then
    say "building…"
    npm run --silent build >&2
    touch "$stamp"
  fi
}

ensure_web_build() {
  local stamp=dist/web/.built key="${PANAH_CLIENT_ROOT_PUBLIC_KEY:-$(setting DIRECTORY_ROOT_PUBLIC_KEY '')}"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "key:$key" ] \
    || [ -n "$(find apps/reporter apps/console libs/web libs/crypto/src libs/api-client package-lock.json -newer "$stamp" -type f 2>/dev/null | head -n 1)" ]; then
    say "building the web clients…"
    PANAH_CLIENT_ROOT_PUBLIC_KEY="$key" node scripts/build-web.mjs >&2
    printf 'key:%s' "$key" > "$stamp"
  fi
}

panah() { node dist/apps/cli/apps/cli/src/main.js "$@"; }

# A setting as the processes will see it: the environment, else .env (PANAH_ENV_FILE), else $2.
setting() {
  local value="${!1:-}" file="${PANAH_ENV_FILE:-.env}"
  if [ -z "$value" ] && [ -f "$file" ]; then value="$(sed -n "s/^$1=//p" "$file" | tail -n 1)"; fi
  printf '%s' "${value:-$2}"
}
