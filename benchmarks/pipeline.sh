#!/usr/bin/env bash
# The review pipeline end to end against the database's own limit, side by side on this machine.
#
#   benchmarks/pipeline.sh                 # N=20000 reviews from CLIENTS=4 shop connections
#   N=50000 CLIENTS=8 RUNS=3 benchmarks/pipeline.sh
#
# On a private, durable PostgreSQL cluster (fsync on, default settings) it measures, for the same single-row
# INSERTs into shop.reviews issued by pgbench from CLIENTS connections:
#   1. the database alone, without the review trigger        (pgbench, no Ondo)
#   2. the database alone, with the trigger (the real insert) (pgbench, no Ondo)
#   3. end to end with `ondo serve` and the shipped model: from the first insert until every review is scored
#      and its customer's state written
#   4. the same with the constant stand-in model (--stand-in-model): the queue and database path alone
#   5. pickup latency at a moderate, fixed rate (RATE inserts/s): commit → state written, p50 and p99
#   6. the pipeline alone, with the shipped model: the same reviews inserted first, then drained by a freshly
#      started `ondo serve` (from its start until every review is done) — how fast Ondo works when it does not
#      share the two cores with the shop's inserts; not end to end
# and prints the ratios of 3, 4 and 6 to 2 (of the medians, and run by run), and the WAL bytes written per review
# by 2 and by 3. Medians over RUNS runs. Results go to benchmarks/PIPELINE_RESULTS.md.
#
# CPU time, every run (benchmarks/process_cpu.py reads /proc; benchmarks/pipeline_cpu.py writes the tables): wall
# clock ratios move by ±0.05 or more with the neighbours on two shared cores; CPU seconds do not depend on how long
# a process waited for a core (they still move with a contended machine's caches and with autovacuum). For each of
# 1, 2, 3, 4 and 6 (and the inserts before 6, a second reading of 2) it reads, before and after:
#   - the cluster's CPU: the postmaster's own, its reaped children's (a backend is reaped when its connection
#     closes) and every live child's (WAL writer, checkpointer, background writer, autovacuum, backends still
#     connected), so the shop's backends, Ondo's backends and the shared server processes alike;
#   - `ondo serve`'s own process CPU (all its threads), from /proc/PID/stat just before it is stopped;
#   - pgbench's CPU (bash's `times` around it), shown apart: it is the shop's client, not the database.
# Ondo's side in 3 and 4 is `ondo serve` plus the cluster's CPU above the same run's reference 2; in 6 it is
# `ondo serve` plus the cluster's CPU while it drains. The script's own status queries during 3, 4 and 6 (a few
# psql connections, each a backend of its own; the wait for the drain is one of them, polling from the server's
# side) are not Ondo's: what one costs when it returns at once is measured after each run (20 of them) and
# subtracted; the wait's polls every 20 ms (two probes of small partial indexes) are not. The load average and the whole machine's busy share (/proc/stat) are recorded
# for each phase: other processes on the machine do not enter the figures, but they slow the wall clock.
# The cluster reading was checked against the kernel's per-cgroup accounting: see benchmarks/process_cpu.py.
#
# BOUNDS=1 adds two upper bounds (not modes of Ondo): the committed code built a second time in a temporary
# worktree with the state recompute patched out of the batch transaction (sentiment rows and work rows are still
# written), run end to end with the shipped model and with the stand-in. They show how close to the reference
# the queue, the model and the shop's inserts alone can get on this machine. The second build takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
CLIENTS=${CLIENTS:-4}
RUNS=${RUNS:-3}
RATE=${RATE:-200}
LATENCY_SECONDS=${LATENCY_SECONDS:-20}
WORKERS=${WORKERS:-2}
RESULTS=${RESULTS:-benchmarks/PIPELINE_RESULTS.md}
BOUNDS=${BOUNDS:-0}
PROCESS_CPU=(python3 benchmarks/process_cpu.py)

bash scripts/ensure-deps.sh
swift build -c release --product ondo >&2
ONDO="$(swift build -c release --show-bin-path)/ondo"
# A private durable cluster (benchmarks/lib/cluster.sh; started below, after the optional second build).
source benchmarks/lib/cluster.sh
source benchmarks/lib/shop.sh
VARIANT=
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  cluster_stop
  if [ -n "$VARIANT" ]; then
    git worktree remove --force "$VARIANT/src" >/dev/null 2>&1 || true
    rm -rf "$VARIANT" /tmp/"$(printf '%s' "$VARIANT/src" | tr / _)"_*.lock  # SwiftPM's lock files for that build
  fi
}
trap cleanup EXIT

# --- BOUNDS=1: the same commit without the state recompute, built in a temporary worktree ------------------
if [ "$BOUNDS" = 1 ]; then
  if ! git diff --quiet HEAD -- Sources sql Package.swift; then
    echo "BOUNDS=1: warning: uncommitted changes are in the measured build but not in the bounds build (HEAD)" >&2
  fi
  VARIANT=$(mktemp -d /tmp/ondo-bounds.XXXXXX)
  git worktree add --detach -q "$VARIANT/src" HEAD
  # The same dependency versions as the measured build.
  if [ -f Package.resolved ]; then cp Package.resolved "$VARIANT/src/"; fi
  patched="$VARIANT/src/Sources/CRMStore/Reviews/ReviewResultStore.swift"
  sed -i 's/states\.recompute(causes, /states.recompute([:], /' "$patched"
  if ! grep -q 'states.recompute(\[:\], ' "$patched"; then
    echo "BOUNDS=1: the recompute call to patch out was not found in $patched" >&2
    exit 1
  fi
  echo "BOUNDS=1: building the variant without the state recompute in $VARIANT/src" >&2
  (cd "$VARIANT/src" && swift build -c release --product ondo >&2)
  ONDO_NO_RECOMPUTE="$VARIANT/src/.build/release/ondo"
fi

cluster_start pipeline 5488 -c max_connections=100 -c shared_buffers=512MB
export ONDO_DATABASE_URL="host=$WORK port=5488 user=ondo dbname=ondo"
"$ONDO" migrate >/dev/null
seed_customers_and_products
seed_orders

write_review_insert_script "$WORK/insert.sql"
PER_CLIENT=$(( N / CLIENTS ))
TOTAL=$(( PER_CLIENT * CLIENTS ))


# The shop's inserts from CLIENTS pgbench connections; the arguments say how many (-t) or how fast (-R, -T).
# pgbench's CPU is the difference of bash's `times` (children's user and system time) around it: builtins, so
# nothing is started inside the measured time.
pgbench_inserts() {
  local status=0
  times > "$WORK/pgbench.times.before"
  "$PGBIN/pgbench" -n -c "$CLIENTS" -j 2 -f "$WORK/insert.sql" "$@" || status=$?
  times > "$WORK/pgbench.times.after"
  return "$status"
}

# Seconds pgbench took to run TOTAL inserts.
insert_seconds() {
  local out
  cpu_mark begin
  out=$(pgbench_inserts -t "$PER_CLIENT" 2>&1)
  cpu_mark end
  local tps
  tps=$(printf '%s\n' "$out" | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -n 1)
  python3 -c "print($TOTAL / $tps)"
}

# WAL position now, and WAL bytes written since a position: how much the database had to write and flush.
wal_position() { psql -qtAX -c "SELECT pg_current_wal_lsn()"; }
wal_bytes_since() { psql -qtAX -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$1')"; }

median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
# The median of byte counts for TOTAL reviews, per review, with thousands separators.
per_review() { python3 -c "print(f'{$(median "$@") / $TOTAL:,.0f}')"; }

# Both save `ondo serve`'s /proc/PID/stat line (its CPU so far, all threads) with a builtin, starting nothing:
# once it listens (ondo.started) and just before it is stopped (ondo.stopping).
start_server() {
  "$ONDO" serve --http-port 0 --workers "$WORKERS" --log-level warning "$@" >"$WORK/serve.out" 2>"$WORK/serve.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    if grep -q "listening on port" "$WORK/serve.out" 2>/dev/null; then
      save_process_stat "$SERVER_PID" "$WORK/ondo.started"
      return 0
    fi
    sleep 0.05
  done
  echo "ondo serve did not start:" >&2; cat "$WORK/serve.err" >&2; exit 1
}
stop_server() {
  save_process_stat "$SERVER_PID" "$WORK/ondo.stopping"
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=
}
save_process_stat() { local line; read -r line < "/proc/$1/stat"; printf '%s\n' "$line" > "$2"; }

# A reading saved as $WORK/mark.NAME: the cluster's CPU seconds and, of them, its long-lived background
# processes', the machine's busy and total seconds, the load average (1 min), how many status queries the script
# sent since the previous mark, and the cluster's WAL flushes so far (pg_stat_wal.wal_sync; each commit that
# does not share another's flush costs one). A phase is the difference of two marks. The query for the flushes
# comes after the CPU reading and is counted as a status query of the next phase.
cpu_mark() {
  local queries=0
  [ -f "$WORK/queries" ] && queries=$(wc -c < "$WORK/queries")
  : > "$WORK/queries"
  { "${PROCESS_CPU[@]}" cluster "$POSTMASTER_PID"; "${PROCESS_CPU[@]}" machine; cut -d ' ' -f 1 /proc/loadavg
    echo "$queries"; count_query; psql -qtAX -c "SELECT wal_sync FROM pg_stat_wal"; } | paste -sd ' ' > "$WORK/mark.$1"
}
count_query() { printf . >> "$WORK/queries"; }

insert_reviews() { pgbench_inserts -t "$PER_CLIENT" >/dev/null 2>&1; }
database_clock() { count_query; psql -qtAX -c "SELECT extract(epoch FROM clock_timestamp())"; }
# Returns once no review is pending or processing. One connection whatever the wait's length, polling the queue's
# two partial indexes every 20 ms from the server's side, rather than a psql connection every 0.1 s (about 40 ms of
# CPU each, client and backend): cheap even when the wait is long, as it is in the drain phase.
# Each SELECT in the loop takes a fresh snapshot (READ COMMITTED), so it sees the workers' commits.
wait_until_drained() {
  count_query
  psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$
DECLARE busy boolean;
BEGIN
  LOOP
    SELECT EXISTS (SELECT FROM crm.review_work WHERE status = 'pending')
        OR EXISTS (SELECT FROM crm.review_work WHERE status = 'processing') INTO busy;
    EXIT WHEN NOT busy;
    PERFORM pg_sleep(0.02);
  END LOOP;
END
$$;
SQL
}

# Waits until every review is completed, stops the server, and prints the seconds from $1 (the database's
# clock) to the last completion.
seconds_until_drained() {
  wait_until_drained
  local finished completed
  count_query
  read -r finished completed <<<"$(psql -qtAX -F ' ' -c "
    SELECT extract(epoch FROM max(completed_at)), count(*) FILTER (WHERE status = 'completed') FROM crm.review_work")"
  stop_server
  if [ "$completed" != "$TOTAL" ]; then
    echo "only $completed of $TOTAL reviews were completed (the others were discarded)" >&2
    exit 1
  fi
  python3 -c "print($finished - $1)"
}

# Seconds from the first insert until every review is completed (measured from the database's own clock).
end_to_end_seconds() {
  start_server "$@"
  cpu_mark begin
  local started
  started=$(database_clock)
  insert_reviews
  seconds_until_drained "$started"
  cpu_mark end
}

# Seconds a freshly started `ondo serve` takes to drain the reviews already queued (start to the last completion).
# The inserts before it are marked too (inserts .. begin): the same as the reference, a second reading of it.
drain_seconds() {
  cpu_mark inserts
  insert_reviews
  cpu_mark begin
  local started
  started=$(database_clock)
  start_server "$@"
  seconds_until_drained "$started"
  cpu_mark end
}

# One line of $WORK/cpu.tsv for the phase just measured (benchmarks/pipeline_cpu.py says what is in it), from
# two marks, `ondo serve`'s saved stat lines (window: since it listened; life: since it started; none) and
# pgbench's `times` (yes/no).
record_cpu() {
  local phase=$1 wall=$2 from=$3 to=$4 ondo=$5 pgbench=$6
  python3 benchmarks/pipeline_cpu.py record "$WORK" "$run" "$phase" "$wall" "$from" "$to" "$ondo" "$pgbench" >> "$WORK/cpu.tsv"
}

# How many transactions completed the reviews: the completion sets updated_at = now(), the transaction's start,
# so each batch leaves one distinct value: to see whether the database's CPU per review follows the batch size.
completed_batches() { psql -qtAX -c "SELECT count(DISTINCT updated_at) FROM crm.review_work WHERE status = 'completed'"; }

# What one of the script's status queries costs the cluster (a connection and its backend, the count): 20 of them
# on the run's last state, once per run.
measure_query_cost() {
  cpu_mark begin
  for _ in $(seq 1 20); do wait_until_drained; done
  cpu_mark end
  record_cpu query 0 begin end none no
}

wal_trig=(); wal_e2e=(); raw=(); trig=(); e2e=(); standin=(); drain=(); bound=(); bound_standin=()
batches_e2e=(); batches_standin=(); batches_drain=()
for run in $(seq 1 "$RUNS"); do
  echo "run $run/$RUNS: $TOTAL inserts from $CLIENTS connections" >&2
  reset_pipeline_tables
  psql -qX -c "ALTER TABLE shop.reviews DISABLE TRIGGER reviews_enqueue_work_on_insert" >/dev/null
  raw+=("$(insert_seconds)")
  record_cpu raw "${raw[-1]}" begin end none yes
  psql -qX -c "ALTER TABLE shop.reviews ENABLE TRIGGER reviews_enqueue_work_on_insert" >/dev/null
  reset_pipeline_tables
  wal=$(wal_position)
  trig+=("$(insert_seconds)")
  record_cpu reference "${trig[-1]}" begin end none yes
  wal_trig+=("$(wal_bytes_since "$wal")")
  reset_pipeline_tables
  wal=$(wal_position)
  e2e+=("$(end_to_end_seconds)")
  record_cpu e2e "${e2e[-1]}" begin end window yes
  batches_e2e+=("$(completed_batches)")
  wal_e2e+=("$(wal_bytes_since "$wal")")
  reset_pipeline_tables
  standin+=("$(end_to_end_seconds --stand-in-model)")
  record_cpu standin "${standin[-1]}" begin end window yes
  batches_standin+=("$(completed_batches)")
  reset_pipeline_tables
  drain+=("$(drain_seconds)")
  record_cpu drain-inserts 0 inserts begin none yes
  record_cpu drain "${drain[-1]}" begin end life no
  batches_drain+=("$(completed_batches)")
  measure_query_cost
  if [ "$BOUNDS" = 1 ]; then
    reset_pipeline_tables
    bound+=("$(ONDO=$ONDO_NO_RECOMPUTE end_to_end_seconds)")
    record_cpu bound "${bound[-1]}" begin end window yes
    reset_pipeline_tables
    bound_standin+=("$(ONDO=$ONDO_NO_RECOMPUTE end_to_end_seconds --stand-in-model)")
    record_cpu bound-standin "${bound_standin[-1]}" begin end window yes
  fi
done

# Pickup latency at a moderate rate with the real model: commit (enqueued_at, in the shop's transaction)
# to the work row completed in the same transaction that wrote the customer's state.
reset_pipeline_tables
start_server
pgbench_inserts -R "$RATE" -T "$LATENCY_SECONDS" > "$WORK/rate.out" 2>&1
wait_until_drained
stop_server
read -r p50 p99 count <<<"$(psql -qtAX -F ' ' -c "
  SELECT round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - enqueued_at))::numeric, 1),
         round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - enqueued_at))::numeric, 1),
         count(*)
  FROM crm.review_work")"
insert_latency=$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' "$WORK/rate.out")

m_raw=$(median "${raw[@]}"); m_trig=$(median "${trig[@]}"); m_e2e=$(median "${e2e[@]}"); m_standin=$(median "${standin[@]}"); m_drain=$(median "${drain[@]}")
m_bound=-; m_bound_standin=-
if [ "$BOUNDS" = 1 ]; then m_bound=$(median "${bound[@]}"); m_bound_standin=$(median "${bound_standin[@]}"); fi
report=$(python3 - "$TOTAL" "$m_raw" "$m_trig" "$m_e2e" "$m_standin" "$m_drain" "$m_bound" "$m_bound_standin" <<'PY'
import sys
total, raw, trig, e2e, standin, drain = int(sys.argv[1]), *map(float, sys.argv[2:7])
bound, bound_standin = sys.argv[7:9]
rate = lambda s: total / s
rows = [
    ("database alone, no trigger (pgbench)", raw),
    ("database alone, with the trigger (pgbench) = reference", trig),
    ("end to end, ondo serve with the shipped model", e2e),
    ("end to end, ondo serve with the constant stand-in model", standin),
    ("not end to end: ondo serve draining the inserted reviews afterwards, shipped model", drain),
]
if bound != "-":
    rows += [
        ("upper bound (BOUNDS=1): end to end without the state recompute, shipped model", float(bound)),
        ("upper bound (BOUNDS=1): end to end without the state recompute, stand-in model", float(bound_standin)),
    ]
print("| measure | seconds | reviews/s | ratio to the reference |")
print("|---|---:|---:|---:|")
for name, s in rows:
    print(f"| {name} | {s:.2f} | {rate(s):,.0f} | {trig / s:.2f} |")
PY
)
# Each run's ratio against that same run's reference: the machine's speed drifts between runs (neighbours, disk),
# and a ratio taken inside one run cancels most of that drift.
per_run=$(python3 - "${trig[*]}" "${e2e[*]}" "${standin[*]}" "${drain[*]}" "${bound[*]:-}" "${bound_standin[*]:-}" <<'PY'
import statistics, sys
trig = [float(x) for x in sys.argv[1].split()]
names = ["end to end", "stand-in", "draining", "no recompute", "no recompute, stand-in"]
parts = []
for name, text in zip(names, sys.argv[2:]):
    if not text.strip():
        continue
    ratios = [t / float(x) for t, x in zip(trig, text.split())]
    parts.append(f"{name} {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})")
print("; ".join(parts))
PY
)
{
  echo "# Review pipeline benchmark"
  echo
  echo "Produced by \`benchmarks/pipeline.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m)); N=$TOTAL single-row"
  echo "INSERTs into \`shop.reviews\` from $CLIENTS pgbench connections, medians of $RUNS runs, private durable PostgreSQL"
  echo "$("$PGBIN/postgres" --version | awk '{print $3}'), \`ondo serve --workers $WORKERS\` in the same machine."
  echo
  echo "$report"
  echo
  echo "Ratios run by run, each against the same run's reference — median (lowest–highest): $per_run."
  echo
  echo "Pickup latency at a moderate load ($RATE inserts/s for $LATENCY_SECONDS s, shipped model; $count reviews): commit → customer"
  echo "state written **p50 $p50 ms, p99 $p99 ms**; the shop's own INSERT latency meanwhile averaged $insert_latency ms."
  echo
  echo "WAL written per review (medians): $(per_review "${wal_trig[@]}") bytes by the inserts alone, $(per_review "${wal_e2e[@]}") bytes end to end"
  echo "(the shop's inserts, the queue, the scores, the states and their history, and whatever autovacuum wrote meanwhile)."
  echo
  echo "Raw seconds per run — no trigger: ${raw[*]}; trigger: ${trig[*]}; end to end: ${e2e[*]}; stand-in: ${standin[*]}; drain: ${drain[*]}${bound:+; no recompute: ${bound[*]}; no recompute, stand-in: ${bound_standin[*]}}."
  echo
  python3 benchmarks/pipeline_cpu.py report "$WORK/cpu.tsv" "$TOTAL" "$(nproc)"
  echo
  echo "Batches (transactions that completed reviews) per run — end to end: ${batches_e2e[*]}; stand-in: ${batches_standin[*]}; drain: ${batches_drain[*]}; $TOTAL reviews each."
} > "$RESULTS"
cat "$RESULTS"
