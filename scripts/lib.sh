# Shared by the scripts in this folder. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

say() { printf '%s\n' "$*" >&2; }

# Installs the locked dependencies when node_modules is missing or older than the lockfile.
# `npm install` rather than `npm ci`: with the lockfile present it installs exactly the locked
# versions too, but it tolerates optional platform packages (other OSes' native builds of
# msgpackr-extract, unrs-resolver) that our registry mirror lacks and that `npm ci` insists on.
ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing dependencies (npm install from package-lock.json)…"
    npm install --no-audit --no-fund --loglevel=error >&2
    touch node_modules/.package-lock.json
  fi
}

# Compiles the three processes when any source is newer than the last build.
ensure_build() {
  local stamp=dist/.built
  if [ ! -f "$stamp" ] || [ -n "$(find apps libs package-lock.json tsconfig.json nest-cli.json -newer "$stamp" -name '*.ts' -o -newer "$stamp" -name '*.json' 2>/dev/null | head -n 1)" ]; then
    say "building…"
    npm run --silent build >&2
    touch "$stamp"
  fi
}

panah() { node dist/apps/cli/apps/cli/src/main.js "$@"; }
