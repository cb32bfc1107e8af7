#!/usr/bin/env bash
# Make sure the services the storage tests need answer on localhost:
#   Redis      127.0.0.1:6379  (no persistence: CI data is throwaway)
#   PostgreSQL 127.0.0.1:5432, with a database named "test"
# For each: reachable -> leave it alone; installed but stopped -> start it;
# not installed -> install it from Debian's packages (root or passwordless
# sudo only) and start it. Then wait, bounded, until both answer.
# Prints one line per service; exits non-zero, saying why, when a service
# cannot be made available.
set -euo pipefail

WAIT_SECONDS="${ENSURE_SERVICES_WAIT_SECONDS:-30}"
REDIS_PORT=6379
PG_PORT=5432
APT_UPDATED=0

say() { printf '%s\n' "$*"; }
fail() {
  printf 'ensure-services: %s\n' "$*" >&2
  exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }
can_root() { is_root || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }
as_root() {
  if is_root; then "$@"; else sudo -n "$@"; fi
}

# Run a command as the postgres OS user (peer authentication over the local socket).
as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif is_root && command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  elif is_root; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  elif command -v sudo >/dev/null 2>&1 && sudo -n -u postgres true 2>/dev/null; then
    sudo -n -u postgres "$@"
  else
    return 127
  fi
}

redis_up() {
  local reply
  if command -v redis-cli >/dev/null 2>&1; then
    reply="$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)"
  else
    # No redis-cli: speak the protocol over bash's /dev/tcp.
    reply="$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT && printf 'PING\r\n' >&3 && IFS= read -r line <&3 && printf '%s' \"\${line#[+-]}\"" 2>/dev/null || true)"
    reply="${reply%$'\r'}"
  fi
  # A server that wants a password is up all the same.
  [ "$reply" = PONG ] || [[ "$reply" == NOAUTH* ]]
}

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 3 >/dev/null 2>&1
  else
    timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PG_PORT" 2>/dev/null
  fi
}

# Install Debian packages; refresh the package lists only if the first try fails.
apt_install() {
  local log
  log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -q "$@" >"$log" 2>&1; then
    if [ "$APT_UPDATED" -eq 0 ]; then
      APT_UPDATED=1
      as_root apt-get update -q >>"$log" 2>&1 || true
    fi
    if ! as_root apt-get install -y -q "$@" >>"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      return 1
    fi
  fi
  rm -f "$log"
}

start_redis() {
  local run=()
  # The exact command CI uses; as root when the data and log directories need it.
  if [ ! -d /var/lib/redis ] || [ ! -d /var/log/redis ] || [ ! -w /var/lib/redis ] || [ ! -w /var/log/redis ]; then
    can_root || fail "redis: cannot prepare /var/lib/redis and /var/log/redis without root (or passwordless sudo)"
    as_root mkdir -p /var/lib/redis /var/log/redis
    run=(as_root)
  fi
  if ! ${run[@]+"${run[@]}"} redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log; then
    fail "redis: redis-server did not start (see /var/log/redis/ci.log)"
  fi
}

redis_installed() { command -v redis-server >/dev/null 2>&1; }

pg_version() {
  # The newest configured cluster version, else the newest installed server.
  local v
  v="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$v" ] || v="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
  printf '%s' "$v"
}

pg_installed() {
  [ -n "$(pg_version)" ] && command -v pg_ctlcluster >/dev/null 2>&1
}

start_postgres() {
  local version out
  version="$(pg_version)"
  if [ ! -d "/etc/postgresql/$version/main" ]; then
    can_root || fail "postgresql: no cluster '$version/main' and no root (or passwordless sudo) to create one"
    as_root pg_createcluster "$version" main >/dev/null || fail "postgresql: pg_createcluster $version main failed"
  fi
  if [ "$(id -un)" = postgres ]; then
    out="$(pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1)" && return 0
  elif can_root; then
    out="$(as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1)" && return 0
  else
    fail "postgresql: installed but stopped, and starting it needs root, passwordless sudo or the postgres user"
  fi
  # Exit status 2 means "already running": then it is just not answering yet (or on another port).
  [[ "$out" == *"already running"* ]] || fail "postgresql: pg_ctlcluster $version main start failed: $out"
  STARTED="cluster $version/main was already running but did not answer"
}

# $1 = service name, $2 = its start function, $3 = its "up" check, $4 = installed check, $5 = Debian package
ensure() {
  local name="$1" start="$2" up="$3" installed="$4" package="$5"
  if "$up"; then
    DID="already running"
    return
  fi
  if ! "$installed"; then
    can_root || fail "$name: not reachable on 127.0.0.1 and not installed; run this script as root (or with passwordless sudo) to install '$package', or start $name yourself"
    apt_install "$package" || fail "$name: apt-get install -y $package failed (output above)"
    # The package's own service may already be starting it.
    if "$up"; then
      DID="installed $package from Debian's packages; its service started it"
      return
    fi
    "$start"
    DID="installed $package from Debian's packages and started it"
    return
  fi
  STARTED=""
  "$start"
  DID="${STARTED:-was installed but stopped: started it}"
}

# Wait until the check passes, or the one deadline shared by all services.
wait_for() {
  until "$1"; do
    [ "$SECONDS" -lt "$DEADLINE" ] || return 1
    sleep 0.5
  done
}

# "1" when database test exists, "" when not; fails (status) when the query cannot run.
# From / : psql run as postgres would warn (into the answer) about a cwd it cannot read.
has_test_database() {
  local query="SELECT 1 FROM pg_database WHERE datname = 'test'"
  if [ "$1" = local ]; then
    (cd / && as_postgres psql -XtAq -c "$query" 2>"$ERRFILE")
  else
    (cd / && psql -w -h 127.0.0.1 -p "$PG_PORT" -U "${PGUSER:-postgres}" -d postgres -XtAq -c "$query" 2>"$ERRFILE")
  fi
}

ensure_test_database() {
  local exists
  ERRFILE="$(mktemp)"
  # As the postgres OS user over the local socket; failing that (no root or sudo), over TCP with PGUSER/PGPASSWORD, never prompting.
  if exists="$(has_test_database local)"; then
    [ "$exists" = 1 ] || (cd / && as_postgres createdb test 2>"$ERRFILE") || fail "postgresql: createdb test (as postgres) failed: $(cat "$ERRFILE")"
  elif exists="$(has_test_database tcp)"; then
    [ "$exists" = 1 ] || (cd / && createdb -w -h 127.0.0.1 -p "$PG_PORT" -U "${PGUSER:-postgres}" test 2>"$ERRFILE") || fail "postgresql: createdb test failed: $(cat "$ERRFILE")"
  else
    fail "postgresql: cannot check for database test (neither as OS user postgres nor over TCP): $(cat "$ERRFILE")"
  fi
  rm -f "$ERRFILE"
  if [ "$exists" = 1 ]; then DB_DID="database test exists"; else DB_DID="created database test"; fi
}

DID=""
STARTED=""
ensure Redis start_redis redis_up redis_installed redis-server
REDIS_DID="$DID"
ensure PostgreSQL start_postgres pg_up pg_installed postgresql
PG_DID="$DID"

DEADLINE=$((SECONDS + WAIT_SECONDS))
wait_for redis_up || fail "redis: not answering PING on 127.0.0.1:$REDIS_PORT after ${WAIT_SECONDS}s ($REDIS_DID; see /var/log/redis/ci.log)"
wait_for pg_up || fail "postgresql: not accepting connections on 127.0.0.1:$PG_PORT after ${WAIT_SECONDS}s ($PG_DID; see /var/log/postgresql/)"
DB_DID=""
ensure_test_database

say "redis: $REDIS_DID (127.0.0.1:$REDIS_PORT answers PING)"
say "postgresql: $PG_DID (127.0.0.1:$PG_PORT accepting connections; $DB_DID)"
