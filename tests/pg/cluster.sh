#!/bin/bash
# A throw-away PostgreSQL cluster for the tests of ksd-server on PostgreSQL (tests/sync/test_db.h).
#
#   tests/pg/cluster.sh start DIR   initdb in DIR/data, start it on a Unix socket only (DIR/sock,
#                                   or a short directory under /tmp when DIR is too deep for a
#                                   socket path), log in DIR/log; writes DIR/url (a libpq URI to
#                                   the database "postgres", role "postgres", no password) and
#                                   DIR/bindir (where psql is). When PostgreSQL is missing or does
#                                   not start it writes DIR/skip (one line: why) instead and still
#                                   exits 0, so that the tests needing the cluster print
#                                   "SKIPPED: why" rather than fail.
#   tests/pg/cluster.sh stop DIR    stops it (immediate: the data is thrown away) and removes DIR;
#                                   succeeds when nothing runs.
#
# KSD_PG_BINDIR=/path/bin overrides where initdb, pg_ctl and psql are looked for (and only there).
# Run as root, PostgreSQL runs as the "postgres" system user (initdb and postgres refuse root).
# CTest runs start and stop as the fixture ksd_pg (tests/CMakeLists.txt).
set -euo pipefail

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
action=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd -P)

# The directory holding initdb, pg_ctl, postgres and psql, or nothing.
find_bindir() {
    local candidates=()
    if [ -n "${KSD_PG_BINDIR:-}" ]; then
        candidates=("$KSD_PG_BINDIR")
    else
        if command -v pg_config >/dev/null 2>&1; then
            candidates+=("$(pg_config --bindir 2>/dev/null || true)")
        fi
        candidates+=(/usr/lib/postgresql/15/bin)
        if command -v initdb >/dev/null 2>&1; then
            candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
        fi
    fi
    local d
    for d in "${candidates[@]}"; do
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return
        fi
    done
}

# Runs a command as the owner of the cluster: the "postgres" system user when we are root.
as_owner() {
    if [ "$(id -u)" -ne 0 ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    fi
}

# Stops a cluster left running in DIR (a previous run that was not stopped). Immediate: no
# checkpoint, as the data is about to be deleted.
stop_cluster() {
    local data=$dir/data bindir
    [ -f "$data/postmaster.pid" ] || return 0
    bindir=$(find_bindir)
    if [ -n "$bindir" ]; then
        (cd / && as_owner "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    # Without pg_ctl (or when it failed): SIGQUIT is what "immediate" sends the postmaster.
    local pid
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
}

# The socket directory in use, recorded by start (it may live outside DIR, see below).
sock_dir() {
    if [ -f "$dir/sockdir" ]; then cat "$dir/sockdir"; else echo "$dir/sock"; fi
}

# Writes DIR/skip and leaves with success: the dependent tests report themselves skipped.
skip() {
    echo "$1" >"$dir/skip"
    echo "pg cluster not started: $1"
    exit 0
}

# Percent-encodes a path for the query part of a libpq URI.
uri_encode() {
    local LC_ALL=C # byte by byte, whatever the characters
    local s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
        [A-Za-z0-9/._~-]) out+=$c ;;
        *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    echo "$out"
}

case $action in
start)
    stop_cluster
    old_sock=$(sock_dir)
    [ "$old_sock" = "$dir/sock" ] || rm -rf "$old_sock"
    rm -rf "$dir/url" "$dir/skip" "$dir/bindir" "$dir/sockdir" "$dir/data" "$dir/sock" "$dir/log" \
        "$dir/initdb.log" "$dir/pg_ctl.log"

    bindir=$(find_bindir)
    if [ -z "$bindir" ]; then
        where=${KSD_PG_BINDIR:+ in $KSD_PG_BINDIR}
        skip "PostgreSQL 15 is not installed (initdb not found$where): apt-get install postgresql-15"
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        skip "running as root and there is no postgres system user to run PostgreSQL as"
    fi

    # The socket's path (dir/.s.PGSQL.5432) must fit in sun_path (107 bytes); a deep build
    # directory gets a short socket directory under /tmp instead, recorded for stop.
    sock=$dir/sock
    if [ $((${#sock} + 15)) -gt 107 ]; then
        sock=$(mktemp -d /tmp/ksd-pg-XXXXXX)
        echo "$sock" >"$dir/sockdir"
    fi
    mkdir -p "$dir/data" "$sock"
    touch "$dir/log"
    chmod 0700 "$dir/data"
    chmod 0755 "$dir" "$sock"
    if [ "$(id -u)" -eq 0 ]; then
        # PostgreSQL (as postgres) owns the data, socket directory and log; root, running the
        # tests, reads and connects anyway. DIR itself stays root's, searchable by all.
        chown postgres:postgres "$dir/data" "$sock" "$dir/log"
        if ! as_owner test -w "$dir/data"; then
            skip "the postgres user cannot reach $dir (a parent directory is not searchable by it)"
        fi
    fi

    # C collation with UTF-8: the same sorting on every machine, Indonesian text stored as is.
    if ! (cd / && as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C) >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log"
        skip "initdb failed (see $dir/initdb.log): $(tail -n 1 "$dir/initdb.log")"
    fi

    # Settings for a cluster whose data nobody keeps: no durability (fsync and friends off, the
    # least WAL), no TCP (nothing else on the machine can reach it), enough connections for
    # parallel test processes each running a server with a pool, no parallel query (2 cores).
    sock_conf=${sock//\'/\'\'}
    cat >>"$dir/data/postgresql.conf" <<EOF

# tests/pg/cluster.sh: a throw-away test cluster.
listen_addresses = ''
unix_socket_directories = '$sock_conf'
port = 5432
max_connections = 300
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 1GB
max_parallel_workers_per_gather = 0
lc_messages = 'C'
EOF

    if ! (cd / && as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start) \
        >"$dir/pg_ctl.log" 2>&1; then
        cat "$dir/pg_ctl.log" "$dir/log"
        # The server's own complaint when it wrote one, otherwise pg_ctl's.
        why=$(grep -hv '^[[:space:]]*$' "$dir/log" "$dir/pg_ctl.log" | tail -n 1 || true)
        skip "PostgreSQL did not start (see $dir/log): $why"
    fi

    url="postgresql://postgres@/postgres?host=$(uri_encode "$sock")&port=5432"
    psql=$bindir/psql
    [ -x "$psql" ] || psql=psql
    if ! out=$("$psql" -X -A -t -q -d "$url" -c 'SELECT version()' 2>&1); then
        echo "$out"
        skip "PostgreSQL started but psql cannot connect: $(echo "$out" | tail -n 1)"
    fi
    echo "$bindir" >"$dir/bindir"
    echo "$url" >"$dir/url"
    echo "pg cluster: $out"
    echo "pg cluster: $url"
    ;;
stop)
    stop_cluster
    sock=$(sock_dir)
    [ "$sock" = "$dir/sock" ] || rm -rf "$sock"
    rm -rf "$dir"
    ;;
*)
    usage
    ;;
esac
