#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on loopback for the store tests and prints the URL to export as
# TRADEWIND_TEST_POSTGRES_URL. Usage: Scripts/start-test-postgres.sh [DIR] [PORT]
# Needs Debian's postgresql package (the binaries under /usr/lib/postgresql/*/bin) and openssl. Runs the server as the
# `postgres` system user when called as root (PostgreSQL refuses to run as root).
# The server also accepts TLS (ssl=on; plain connections still work): DIR/tls holds a throw-away root certificate
# (root.crt) and the server's certificate signed by it for the name localhost only, not for the address 127.0.0.1
# (server.crt, server.key), which the TLS
# tests find through `SHOW ssl_cert_file`. A cluster already running without TLS (started by an older copy of this
# script) gets it, with the certificates in its own DIR, by a configuration reload.
# Client certificates: the role tw_cert may log in only over TLS with a client certificate for its name signed by
# root.crt (pg_hba `hostssl … cert`; plain connections of tw_cert are rejected). DIR/tls holds that certificate
# (client.crt, client.key) and one for the same name signed by another root (wrong-client.crt, wrong-client.key).
# A running cluster without this setup gets it by a configuration reload.
set -euo pipefail
dir=${1:-/tmp/tradewind-pg}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
tls="$dir/tls"
make_certificates() {
    [ -f "$tls/server.key" ] && return 0
    command -v openssl >/dev/null || { echo "openssl is needed for the test server's TLS certificates (apt-get install openssl)" >&2; exit 1; }
    mkdir -p "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Tradewind test root" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$tls/root.key" -out "$tls/root.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > "$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/root.crt" -CAkey "$tls/root.key" -CAcreateserial -days 3650 \
        -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null
    chmod 600 "$tls/server.key" "$tls/root.key"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$tls"; fi
}
make_client_certificates() {
    [ -f "$tls/wrong-client.key" ] && return 0
    openssl req -newkey rsa:2048 -nodes -subj "/CN=tw_cert" -keyout "$tls/client.key" -out "$tls/client.csr" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' > "$tls/client.ext"
    openssl x509 -req -in "$tls/client.csr" -CA "$tls/root.crt" -CAkey "$tls/root.key" -CAcreateserial -days 3650 \
        -extfile "$tls/client.ext" -out "$tls/client.crt" 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=tw_cert" \
        -keyout "$tls/wrong-client.key" -out "$tls/wrong-client.crt" 2>/dev/null
    chmod 600 "$tls/client.key" "$tls/wrong-client.key"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$tls"; fi
}
# The role tw_cert, allowed over TLS with a client certificate only; the server trusts root.crt for client certificates.
client_certificate_login() {
    make_client_certificates
    local hba="$dir/data/pg_hba.conf"
    if ! grep -q '^hostssl all tw_cert' "$hba"; then
        as_pg "{ printf 'hostssl all tw_cert 127.0.0.1/32 cert\nhost all tw_cert 127.0.0.1/32 reject\n'; cat '$hba'; } > '$hba.new' && mv '$hba.new' '$hba'"
    fi
    psql_pg() { as_pg "$bin/psql -h 127.0.0.1 -p $port -U tradewind -d tradewind_test -qAt -c \"$1\" >/dev/null"; }
    if [ "$(as_pg "$bin/psql -h 127.0.0.1 -p $port -U tradewind -d tradewind_test -Atc \"SELECT count(*) FROM pg_roles WHERE rolname = 'tw_cert'\"")" = 0 ]; then
        psql_pg "CREATE ROLE tw_cert LOGIN"
    fi
    psql_pg "GRANT ALL ON DATABASE tradewind_test TO tw_cert"
    psql_pg "GRANT ALL ON SCHEMA public TO tw_cert"
    psql_pg "ALTER SYSTEM SET ssl_ca_file = '$tls/root.crt'"
    psql_pg "SELECT pg_reload_conf()"
    sleep 1
}
if ! as_pg "$bin/pg_isready -h 127.0.0.1 -p $port -q"; then
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    make_certificates
    as_pg "$bin/initdb -D '$dir/data' -U tradewind --auth=trust -E UTF8 >/dev/null"
    as_pg "$bin/pg_ctl -D '$dir/data' -l '$dir/log' -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c ssl=on -c ssl_cert_file='$tls/server.crt' -c ssl_key_file='$tls/server.key'\" -w start >/dev/null"
    as_pg "$bin/createdb -h 127.0.0.1 -p $port -U tradewind tradewind_test"
elif [ "$(as_pg "$bin/psql -h 127.0.0.1 -p $port -U tradewind -d tradewind_test -Atc 'SHOW ssl'")" != on ]; then
    make_certificates
    psql_pg() { as_pg "$bin/psql -h 127.0.0.1 -p $port -U tradewind -d tradewind_test -qAt -c \"$1\" >/dev/null"; }
    psql_pg "ALTER SYSTEM SET ssl_cert_file = '$tls/server.crt'"
    psql_pg "ALTER SYSTEM SET ssl_key_file = '$tls/server.key'"
    psql_pg "ALTER SYSTEM SET ssl = on"
    psql_pg "SELECT pg_reload_conf()"
    sleep 1
fi
if [ "$(as_pg "$bin/psql -h 127.0.0.1 -p $port -U tradewind -d tradewind_test -Atc 'SHOW ssl_ca_file'")" = "" ]; then
    client_certificate_login
fi
echo "postgres://tradewind@127.0.0.1:$port/tradewind_test"
