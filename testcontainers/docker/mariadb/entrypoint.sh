#!/bin/sh
# A fresh MariaDB on every start, set up as the official images' entrypoints do:
# MYSQL_ROOT_PASSWORD or MARIADB_ROOT_PASSWORD (required) for root from any host, and
# MYSQL_DATABASE / MARIADB_DATABASE created if given. Durability is relaxed: the data lives
# as long as the test container.
set -eu
pw=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
[ -n "$pw" ] || { echo "entrypoint: MYSQL_ROOT_PASSWORD or MARIADB_ROOT_PASSWORD must be set" >&2; exit 1; }
db=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
data=/var/lib/mysql
install -d -o mysql -g mysql /run/mysqld "$data"
if [ ! -d "$data/mysql" ]; then
	mariadb-install-db --user=mysql --datadir="$data" --skip-test-db >/dev/null
fi
q=$(printf '%s' "$pw" | sed "s/'/''/g")
init=/run/mysqld/init.sql
{
	echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$q';"
	echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$q';"
	echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
	if [ -n "$db" ]; then
		echo "CREATE DATABASE IF NOT EXISTS \`$(printf '%s' "$db" | sed 's/`/``/g')\`;"
	fi
} >"$init"
chown mysql "$init"
chmod 600 "$init"
echo "entrypoint: MariaDB $(mariadbd --version | awk '{print $3}') starting on port 3306"
exec mariadbd --user=mysql --datadir="$data" --bind-address=0.0.0.0 --port=3306 \
	--init-file="$init" --skip-name-resolve --innodb-flush-log-at-trx-commit=0 --max-connections=300
