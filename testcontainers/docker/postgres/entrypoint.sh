#!/bin/sh
# A fresh PostgreSQL cluster on every start, set up as the official image's entrypoint does:
# POSTGRES_PASSWORD (required), POSTGRES_USER (default postgres), POSTGRES_DB (default the
# user's name). Durability is off: the data lives as long as the test container.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data=/var/lib/postgresql/data
install -d -o postgres -g postgres -m 700 "$data"
if [ ! -s "$data/PG_VERSION" ]; then
	pwfile=$(mktemp)
	printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
	chown postgres "$pwfile"
	setpriv --reuid=postgres --regid=postgres --init-groups \
		"$bin/initdb" -D "$data" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256 >/dev/null
	rm -f "$pwfile"
	# Connections come through Docker's bridge, not from 127.0.0.1.
	echo "host all all all scram-sha-256" >>"$data/pg_hba.conf"
	if [ "$db" != postgres ]; then
		printf 'CREATE DATABASE "%s"\n' "$(printf '%s' "$db" | sed 's/"/""/g')" |
			setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" --single -D "$data" postgres >/dev/null
	fi
fi
echo "entrypoint: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') starting on port 5432"
exec setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -D "$data" \
	-c listen_addresses='*' -c port=5432 -c unix_socket_directories=/tmp \
	-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200
