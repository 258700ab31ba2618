# Sourced by the benchmarks: the database a run uses, SQLite or a throwaway PostgreSQL cluster from the machine's
# binaries with its default settings.
# start_postgres sets pg_bin, pg_root, pg_port and db_env (the service's MEDIALIB_DATABASE); stop_postgres removes it.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_root=""
db_env=()
start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_root=$(mktemp -d)
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_root"
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/initdb" -D "$pg_root/data" -U postgres --auth=trust --encoding=UTF8 >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$pg_root/data" -l "$pg_root/server.log" -w -o "-p $pg_port -k $pg_root -c listen_addresses=127.0.0.1" start >/dev/null
  "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE medialib" >/dev/null
  db_env=(MEDIALIB_DATABASE="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=medialib")
}
stop_postgres() {
  [ -n "$pg_root" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_root/data" -m immediate stop >/dev/null 2>&1 && rm -rf "$pg_root"
  pg_root=""
}
# One statement against the service's database ($database is postgres or sqlite, the SQLite file in $work/data); prints the rows.
sql() { # one statement; prints the result rows
  if [ "$database" = postgres ]; then "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d medialib -qAtc "$1"
  else sqlite3 -cmd ".timeout 30000" "$work/data/medialibrary.db" "$1"; fi
}
