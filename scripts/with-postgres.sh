#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb into a temp dir, start it on a free loopback
# port, export HOP_TEST_POSTGRES_URL (and HOP_TEST_PG_CTL/HOP_TEST_PG_DATA so outage tests can stop and
# start it), run the command, then stop the cluster and remove it, whether the command passed or not.
# PostgreSQL refuses to run as root, so as root the cluster runs as the unprivileged `postgres` user.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$pg_bin" ]]; then
  echo "with-postgres: PostgreSQL is not installed (run scripts/install-deps.sh --test)" >&2
  exit 1
fi

as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  as_pg=(runuser -u postgres --)
fi

tmp=$(mktemp -d /tmp/hop-pg.XXXXXX)
chmod 755 "$tmp"
[[ ${#as_pg[@]} -gt 0 ]] && chown postgres:postgres "$tmp"
data="$tmp/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$data" -U hop --auth=trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log" >&2; exit 1; }
cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$tmp'
fsync = off
max_connections = 200
CONF
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$tmp/server.log" -w start >/dev/null
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U hop hop

export HOP_TEST_POSTGRES_URL="postgres://hop@127.0.0.1:$port/hop"
export HOP_TEST_PG_CTL="${as_pg[*]} $pg_bin/pg_ctl"
export HOP_TEST_PG_DATA="$data"
echo "with-postgres: throwaway cluster on 127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
