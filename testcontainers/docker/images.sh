#!/usr/bin/env bash
# images.sh — the Docker side of the harness, on a machine that cannot pull images: builds
# local PostgreSQL and MariaDB images from Debian packages, and runs a private Docker engine
# when none is running. Every step is bounded in time and idempotent; it prints what it does.
#
#   testcontainers/docker/images.sh up     start (or find) a Docker engine, build what is missing
#   testcontainers/docker/images.sh env    print the variables that point the harness at them
#   testcontainers/docker/images.sh down   stop the private engine, if this script started one
#
#   eval "$(testcontainers/docker/images.sh env)" && go test ./testcontainers/ ./conformance/
#
# Images (the harness runs them through TYPEDSQL_TEST_POSTGRES_IMAGE / TYPEDSQL_TEST_MYSQL_IMAGE):
#   typedsql-test/debian:bookworm     debootstrap --variant=minbase, from this machine's apt mirror
#   typedsql-test/postgres:15         Debian's postgresql; entrypoint honours POSTGRES_PASSWORD,
#                                     POSTGRES_USER and POSTGRES_DB as the official image does
#   typedsql-test/mariadb:10.11       Debian's mariadb-server; entrypoint honours
#                                     MYSQL_ROOT_PASSWORD / MARIADB_ROOT_PASSWORD and *_DATABASE
#   typedsql-test/broken:exits        exits at once (the harness's fault tests)
#   typedsql-test/broken:hangs        starts and never answers (the harness's fault tests)
#
# The private engine keeps its state under $TYPEDSQL_DOCKER_STATE (default
# /var/tmp/typedsql-docker) and listens on $TYPEDSQL_DOCKER_STATE/docker.sock. It needs root
# (dockerd does), and the packages docker.io and debootstrap.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state=${TYPEDSQL_DOCKER_STATE:-/var/tmp/typedsql-docker}
sock=$state/docker.sock
base=typedsql-test/debian:bookworm
pg=typedsql-test/postgres:15
maria=typedsql-test/mariadb:10.11

say() { printf 'images.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# docker_host prints the DOCKER_HOST to use: the caller's own engine when one answers, else
# the private one's socket.
docker_host() {
	if [[ -z ${TYPEDSQL_DOCKER_PRIVATE:-} ]] && timeout 10 docker info >/dev/null 2>&1; then
		printf '%s\n' "${DOCKER_HOST:-}"
		return
	fi
	printf 'unix://%s\n' "$sock"
}

# private_running: the pid file names a live dockerd of this state directory. A dockerd that
# died leaves its pid file, and the machine soon gives that id to another process (pid_max
# is 32768 here): signalling it once shut down the machine's own MariaDB.
private_running() {
	local pid
	[[ -f $state/docker.pid ]] || return 1
	pid=$(cat "$state/docker.pid")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "dockerd .*--data-root $state/data"
}

start_engine() {
	if [[ -z ${TYPEDSQL_DOCKER_PRIVATE:-} ]] && timeout 10 docker info >/dev/null 2>&1; then
		say "using the running Docker engine (${DOCKER_HOST:-default socket})"
		return
	fi
	export DOCKER_HOST=unix://$sock
	if private_running && timeout 10 docker info >/dev/null 2>&1; then
		say "private Docker engine already running ($DOCKER_HOST)"
		return
	fi
	command -v dockerd >/dev/null || die "dockerd not found: apt-get install -y --no-install-recommends docker.io"
	mkdir -p "$state/data" "$state/exec"
	rm -f "$sock" "$state/docker.pid"
	say "starting a private Docker engine: $DOCKER_HOST (log: $state/dockerd.log)"
	# --iptables=false leaves the host's firewall alone; the default bridge stays, because
	# without it no port is published (dockertest's GetPort would return "").
	nohup dockerd --data-root "$state/data" --exec-root "$state/exec" --pidfile "$state/docker.pid" \
		--host "$DOCKER_HOST" --iptables=false >"$state/dockerd.log" 2>&1 &
	for _ in $(seq 60); do
		timeout 5 docker info >/dev/null 2>&1 && { say "Docker engine answers"; return; }
		sleep 1
	done
	tail -n 20 "$state/dockerd.log" >&2 || true
	die "the private Docker engine did not answer within 60s"
}

stop_engine() {
	if ! private_running; then
		say "no private Docker engine running"
		return
	fi
	local pid
	pid=$(cat "$state/docker.pid")
	say "stopping the private Docker engine (pid $pid)"
	kill "$pid"
	for _ in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || { rm -f "$sock"; say "stopped"; return; }
		sleep 1
	done
	kill -9 "$pid" 2>/dev/null || true
	say "killed (it did not stop within 30s)"
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# mirror prints the Debian mirror this machine's apt uses, so that no host name is written
# into the repository.
mirror() {
	local m
	m=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	if [[ -z $m ]]; then
		m=$(awk '$1 == "deb" && $3 !~ /security/ { print $2; exit }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
	fi
	[[ -n $m ]] || die "no Debian mirror found in /etc/apt/sources.list*"
	printf '%s\n' "$m"
}

build_base() {
	if have_image "$base"; then
		say "$base: present"
		return
	fi
	command -v debootstrap >/dev/null || die "debootstrap not found: apt-get install -y --no-install-recommends debootstrap"
	local root m
	root=$(mktemp -d "${TMPDIR:-/tmp}/typedsql-rootfs.XXXXXX")
	m=$(mirror)
	say "$base: debootstrap --variant=minbase bookworm from $m (about a minute)"
	if ! timeout 600 debootstrap --variant=minbase bookworm "$root" "$m" >"$state/debootstrap.log" 2>&1; then
		tail -n 20 "$state/debootstrap.log" >&2
		rm -rf "$root"
		die "debootstrap failed (log: $state/debootstrap.log)"
	fi
	say "$base: docker import"
	timeout 300 tar -C "$root" -c . | timeout 300 docker import - "$base" >/dev/null
	rm -rf "$root"
}

# build NAME DIR: docker build DIR as NAME on top of the base image, unless NAME exists.
build() {
	local name=$1 dir=$2
	if have_image "$name"; then
		say "$name: present"
		return
	fi
	say "$name: docker build $dir"
	# The legacy builder with the host's network: apt inside the build reaches the mirror as
	# the host does, with no DNS or bridge of Docker's in the way.
	if ! DOCKER_BUILDKIT=0 timeout 900 docker build --network host --build-arg "BASE=$base" -t "$name" "$dir" >"$state/build-${name//[\/:]/_}.log" 2>&1; then
		tail -n 30 "$state/build-${name//[\/:]/_}.log" >&2
		die "docker build of $name failed"
	fi
}

up() {
	mkdir -p "$state"
	start_engine
	export DOCKER_HOST=${DOCKER_HOST:-$(docker_host)}
	build_base
	build "$pg" "$here/postgres"
	build "$maria" "$here/mariadb"
	build typedsql-test/broken:exits "$here/broken/exits"
	build typedsql-test/broken:hangs "$here/broken/hangs"
	say "images ready"
}

env_vars() {
	printf 'export DOCKER_HOST=%q\n' "$(docker_host)"
	printf 'export TYPEDSQL_TEST_POSTGRES_IMAGE=%q\n' "$pg"
	printf 'export TYPEDSQL_TEST_MYSQL_IMAGE=%q\n' "$maria"
}

case ${1:-} in
up) up ;;
env) env_vars ;;
down) stop_engine ;;
*) die "usage: $0 up|env|down" ;;
esac
