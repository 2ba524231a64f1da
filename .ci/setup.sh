#!/bin/sh
# The README's two commands run through here: `npm start` and `npm test` on a machine that may have
# nothing but Node 20 and npm. Installs what is missing (pnpm, dependencies, Chromium), then runs.
set -eu
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
TURBO_TELEMETRY_DISABLED=1
export TURBO_TELEMETRY_DISABLED
say() { printf '\n[ossiwatch] %s\n' "$*"; }

# Runs a noisy step with its output kept in a log file, shown only if the step fails: `npm start`
# should end with the server's banner (address and demo accounts), not a page of compiler output.
quietly() {
  log=".ci/last-$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    printf '\n[ossiwatch] that step failed; its output is above and in %s\n' "$log" >&2
    exit 1
  fi
}

ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    return
  fi
  say "installing pnpm $PNPM_VERSION"
  if ! npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    # No write access to the global prefix: install for this user instead.
    npm install -g --prefix "$HOME/.local" "pnpm@$PNPM_VERSION" >/dev/null
    PATH="$HOME/.local/bin:$PATH"
    export PATH
  fi
  hash -r 2>/dev/null || true
}

ensure_dependencies() {
  # better-sqlite3 compiles against the Node headers on disk (no header download here).
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
    npm_config_nodedir=/usr
    export npm_config_nodedir
  fi
  say "installing dependencies"
  if [ "${QUIET_INSTALL:-}" = 1 ]; then
    quietly install pnpm install --frozen-lockfile --reporter=append-only
  else
    pnpm install --frozen-lockfile --reporter=append-only
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  say "installing Debian's chromium for the end-to-end tests"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
}

command="${1:-}"
case "$command" in
  start)
    ensure_pnpm
    QUIET_INSTALL=1 ensure_dependencies
    say "building"
    quietly build pnpm turbo run build --filter=@ossiwatch/web --output-logs=errors-only
    OSSIWATCH_MODE="${OSSIWATCH_MODE:-demo}"
    export OSSIWATCH_MODE
    # The demo receives HL7 v2 on the registered MLLP port, on loopback only (set it empty to turn it off).
    OSSIWATCH_MLLP_PORT="${OSSIWATCH_MLLP_PORT-2575}"
    export OSSIWATCH_MLLP_PORT
    say "starting"
    # The server itself, not a package-manager wrapper: Ctrl-C reaches it, it closes the database
    # and exits 0, and nothing reports a clean stop as "Command failed".
    exec ./node_modules/.bin/tsx apps/server/src/main.ts
    ;;
  test)
    ensure_pnpm
    ensure_dependencies
    ensure_chromium
    say "format, lint, typecheck, unit and integration tests"
    pnpm --silent format:check
    # Two tasks at a time: the machines have two cores, and the suites start real servers.
    pnpm turbo run lint typecheck test --concurrency=2 --output-logs=errors-only --continue
    say "reliability drills: kill -9 under load, backup and restore, shutdown"
    pnpm turbo run test:reliability --output-logs=errors-only
    say "end-to-end tests in Chromium"
    pnpm turbo run e2e --output-logs=full
    ;;
  *)
    echo "usage: sh .ci/setup.sh start|test" >&2
    exit 64
    ;;
esac
