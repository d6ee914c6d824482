# A private, durable PostgreSQL cluster for a benchmark script (sourced, not run): the machine's own initdb and
# pg_ctl, fsync on, a Unix socket in a temporary folder and no TCP, as an unprivileged user when run as root
# (PostgreSQL refuses to run as root).
#
#   source benchmarks/lib/cluster.sh
#   cluster_start NAME PORT [SERVER OPTION…]   # e.g. cluster_start pipeline 5488 -c shared_buffers=512MB
#   …                                          # PGHOST, PGPORT, PGUSER=ondo, PGDATABASE=ondo are exported
#   cluster_stop                               # also safe to call from a trap, any number of times
#
# After cluster_start: WORK is the temporary folder (the cluster's data in $WORK/data, its log in
# $WORK/server.log), POSTMASTER_PID the postmaster's process id, PGBIN the folder of PostgreSQL's programs, AS the
# command prefix that runs a program as the cluster's user (empty when not root), and the database `ondo` exists.

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=
AS=()

# The cluster's own psql, not Debian's /usr/bin/psql: that is a Perl wrapper (pg_wrapper) that costs about 30 ms
# of CPU per call against 6 ms, which a benchmark's status queries would take from the two cores.
psql() { "$PGBIN/psql" "$@"; }

cluster_start() {
  local name=$1 port=$2
  shift 2
  WORK=$(mktemp -d "/tmp/ondo-$name-bench.XXXXXX")
  chmod 755 "$WORK"
  AS=()
  if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then AS=(runuser -u postgres --); else AS=(runuser -u nobody --); fi
    chown "${AS[2]}" "$WORK"
  fi
  "${AS[@]}" "$PGBIN/initdb" -D "$WORK/data" -U ondo --auth=trust -E UTF8 >/dev/null
  # One line: pg_ctl hands -o to a shell, where a newline would end the command before its log redirection.
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -w -l "$WORK/server.log" \
    -o "-k $WORK -p $port -c listen_addresses='' $*" start >/dev/null
  export PGHOST=$WORK PGPORT=$port PGUSER=ondo PGDATABASE=ondo
  POSTMASTER_PID=$(head -n 1 "$WORK/data/postmaster.pid")
  "$PGBIN/createdb" ondo
}

cluster_stop() {
  [ -n "$WORK" ] || return 0
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  WORK=
}
