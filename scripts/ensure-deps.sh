#!/usr/bin/env bash
# Makes sure the system packages Ondo builds and runs with are present.
# As root it installs what is missing with apt-get; otherwise it names what to install and fails.
# --tests: also what only the test suite uses (PgBouncer, for the connection-pooler tests, which would
# otherwise be skipped).
set -euo pipefail
for_tests=no
[ "${1:-}" = "--tests" ] && for_tests=yes

missing=()
# Any architecture's multiarch folder (aarch64-linux-gnu too), so no pkg-config is needed to find it.
have_pkgconfig_module() { ls /usr/lib/*/pkgconfig/"$1".pc /usr/lib/pkgconfig/"$1".pc /usr/share/pkgconfig/"$1".pc \
  >/dev/null 2>&1 || { command -v pkg-config >/dev/null && pkg-config --exists "$1"; }; }
find_pg_bin() { command -v "$1" >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/"$1" >/dev/null 2>&1; }

[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
have_pkgconfig_module openblas || missing+=(libopenblas-dev)
find_pg_bin initdb && find_pg_bin pg_ctl || missing+=(postgresql)
find_pg_bin psql || missing+=(postgresql-client)
command -v curl >/dev/null 2>&1 || missing+=(curl)   # the tests scrape /metrics with it
if [ "$for_tests" = yes ]; then
  [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ondo: missing system packages: ${missing[*]}" >&2
  echo "      install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "ondo: installing missing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
