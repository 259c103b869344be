#!/usr/bin/env bash
# Real PostgreSQL and MariaDB servers for the postgres/mysql connector tests and benchmark.
#
#   bash scripts/sql-servers.sh start   # install if missing, start both, print the exports
#   bash scripts/sql-servers.sh env     # print the exports of the running servers
#   bash scripts/sql-servers.sh stop    # stop both and remove their data
#
# Each server gets its own port and a temporary data directory under $DSAR_SQL_SERVERS_DIR
# (default /tmp/dsar-sql-servers) and listens on 127.0.0.1 only. A test user `dsar_test` with a
# random password owns a database `dsar_test` on each. Usage in a shell:
#   eval "$(bash scripts/sql-servers.sh start)"
# Progress goes to stderr, the `export` lines to stdout. Every command is idempotent.
set -euo pipefail

PG_PORT="${DSAR_TEST_PG_PORT:-54329}"
MY_PORT="${DSAR_TEST_MYSQL_PORT:-33069}"
ROOT="${DSAR_SQL_SERVERS_DIR:-${TMPDIR:-/tmp}/dsar-sql-servers}"
PG_DATA="$ROOT/pg/data"
PG_SOCK="$ROOT/pg/sock"
MY_DATA="$ROOT/my/data"
MY_SOCK="$ROOT/my/mysqld.sock"
MY_PID="$ROOT/my/mysqld.pid"
SECRETS="$ROOT/passwords"
USER_NAME=dsar_test

say() { echo "sql-servers: $*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# Installs Debian packages without letting their maintainer scripts start the distribution's
# own server on the default port (a policy-rc.d that denies starts, only while installing).
install_packages() {
  local sudo="" guard=""
  is_root || sudo="sudo"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$guard" >/dev/null
    $sudo chmod 755 "$guard"
  fi
  say "installing $*"
  local status=0
  { $sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2; } || status=$?
  [ -n "$guard" ] && $sudo rm -f "$guard"
  return $status
}

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

password() { # NAME → a stable random password for this data directory
  local file="$SECRETS/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$SECRETS" && chmod 700 "$SECRETS"
    head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file"
    chmod 600 "$file"
  fi
  cat "$file"
}

start_pg() {
  local bin
  bin="$(pg_bin)" || { install_packages postgresql; bin="$(pg_bin)"; }
  mkdir -p "$ROOT/pg"
  chmod 755 "$ROOT" "$ROOT/pg"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    say "initialising PostgreSQL in $PG_DATA"
    mkdir -p "$PG_DATA" "$PG_SOCK"
    is_root && chown postgres: "$ROOT/pg" "$PG_DATA" "$PG_SOCK"
    chmod 700 "$PG_DATA"
    # Local socket: trust (only the data directory's owner can reach it); TCP: passwords.
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$ROOT/initdb.log" 2>&1 ||
      { cat "$ROOT/initdb.log" >&2; return 1; }
  fi
  if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$ROOT/pg/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_SOCK -c fsync=off" \
      start >/dev/null || { tail -n 20 "$ROOT/pg/server.log" >&2; return 1; }
  fi
  local pw
  pw="$(password pg)"
  as_pg "$bin/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'CREATE ROLE $USER_NAME LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME') \gexec
ALTER ROLE $USER_NAME PASSWORD '$pw';
SELECT 'CREATE DATABASE $USER_NAME OWNER $USER_NAME' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$USER_NAME') \gexec
-- The powers an over-privileged account of a real firm may have, so the read-only probes
-- (COPY … TO PROGRAM) prove the connector's guard rather than a missing privilege.
GRANT pg_execute_server_program, pg_write_server_files TO $USER_NAME;
SQL
}

start_mariadb() {
  command -v mariadbd >/dev/null && command -v mariadb >/dev/null || install_packages mariadb-server mariadb-client
  local run_as=()
  is_root && run_as=(--user=mysql)
  mkdir -p "$ROOT/my"
  chmod 755 "$ROOT/my"
  if [ ! -d "$MY_DATA/mysql" ]; then
    say "initialising MariaDB in $MY_DATA"
    mkdir -p "$MY_DATA"
    is_root && chown mysql: "$MY_DATA" "$ROOT/my"
    mariadb-install-db --no-defaults "${run_as[@]}" --datadir="$MY_DATA" --skip-test-db \
      --auth-root-authentication-method=socket >"$ROOT/my/install.log" 2>&1 ||
      { cat "$ROOT/my/install.log" >&2; return 1; }
  fi
  if ! mariadb-admin --no-defaults --socket="$MY_SOCK" -u root ping >/dev/null 2>&1; then
    say "starting MariaDB on 127.0.0.1:$MY_PORT"
    mkdir -p "$ROOT/my/files"
    is_root && chown mysql: "$ROOT/my" "$ROOT/my/files"
    setsid mariadbd --no-defaults "${run_as[@]}" --datadir="$MY_DATA" --socket="$MY_SOCK" \
      --port="$MY_PORT" --bind-address=127.0.0.1 --pid-file="$MY_PID" --skip-name-resolve \
      --log-error="$ROOT/my/server.log" --innodb-flush-log-at-trx-commit=0 \
      --secure-file-priv="$ROOT/my/files" \
      </dev/null >/dev/null 2>&1 &
    local i
    for i in $(seq 1 120); do
      mariadb-admin --no-defaults --socket="$MY_SOCK" -u root ping >/dev/null 2>&1 && break
      [ "$i" -eq 120 ] && { say "MariaDB did not answer within 60 s"; tail -n 20 "$ROOT/my/server.log" >&2; return 1; }
      sleep 0.5
    done
  fi
  local pw
  pw="$(password mysql)"
  mariadb --no-defaults --socket="$MY_SOCK" -u root <<SQL
CREATE DATABASE IF NOT EXISTS $USER_NAME CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$USER_NAME'@'%' IDENTIFIED BY '$pw';
ALTER USER '$USER_NAME'@'%' IDENTIFIED BY '$pw';
GRANT ALL ON $USER_NAME.* TO '$USER_NAME'@'%';
-- As for PostgreSQL: the FILE privilege, so SELECT … INTO OUTFILE probes the guard.
GRANT FILE ON *.* TO '$USER_NAME'@'%';
SQL
}

print_env() {
  [ -s "$SECRETS/pg" ] && [ -s "$SECRETS/mysql" ] || { say "not started: run bash scripts/sql-servers.sh start"; return 1; }
  echo "export DSAR_TEST_PG_URL=postgres://$USER_NAME@127.0.0.1:$PG_PORT/$USER_NAME"
  echo "export DSAR_TEST_PG_PASSWORD=$(cat "$SECRETS/pg")"
  echo "export DSAR_TEST_MYSQL_URL=mysql://$USER_NAME@127.0.0.1:$MY_PORT/$USER_NAME"
  echo "export DSAR_TEST_MYSQL_PASSWORD=$(cat "$SECRETS/mysql")"
}

stop_all() {
  local bin
  if [ -d "$PG_DATA" ] && bin="$(pg_bin)"; then
    as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 &&
      { say "stopping PostgreSQL"; as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; }
  fi
  if [ -s "$MY_PID" ]; then
    local pid
    pid="$(cat "$MY_PID")"
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping MariaDB"
      kill "$pid"
      for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
  fi
  rm -rf "$ROOT"
}

case "${1:-}" in
  start) start_pg; start_mariadb; print_env ;;
  env) print_env ;;
  stop) stop_all ;;
  *) echo "usage: bash scripts/sql-servers.sh start|env|stop" >&2; exit 2 ;;
esac
