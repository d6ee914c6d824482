#!/usr/bin/env bash
# What Ondo's insert triggers cost the shop's own writes: the rate and the database CPU of single-row INSERTs into
# shop.reviews and shop.orders with Ondo's trigger and without it (disabled), on a private durable cluster.
#
#   benchmarks/shop_inserts.sh                    # N=20000 inserts from CLIENTS=4 pgbench connections, RUNS=3
#   N=50000 CLIENTS=8 RUNS=5 benchmarks/shop_inserts.sh
#
# Every run measures, in turn: reviews without the trigger, reviews with it, orders without, orders with; each phase
# starts from emptied tables (TRUNCATE, VACUUM ANALYZE, CHECKPOINT; not timed). The CPU is the cluster's, read from
# /proc before and after each phase (benchmarks/process_cpu.py): the shop's backends with the trigger's work, and the
# server's own processes; pgbench's CPU is not in it. No `ondo serve` runs, so the queue only fills and the
# trigger's idle check, finding work waiting, sends no NOTIFY after a phase's first inserts; with idle workers it
# sends one per commit, which benchmarks/pipeline.sh measures end to end. Each run then times one INSERT … SELECT of
# BULK reviews (default 100,000) without and with the trigger, which runs once for the whole statement (psql's
# \timing, and the cluster's CPU). Results (medians and ranges over the runs) go to RESULTS.
set -euo pipefail
# Each phase runs in a command substitution, which would otherwise ignore a failing psql or pgbench in it.
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

N=${N:-20000}
CLIENTS=${CLIENTS:-4}
RUNS=${RUNS:-3}
BULK=${BULK:-100000}
PORT=${PORT:-5487}
RESULTS=${RESULTS:-benchmarks/SHOP_INSERTS_RESULTS.md}

bash scripts/ensure-deps.sh
swift build -c release --product ondo >&2
ONDO="$(swift build -c release --show-bin-path)/ondo"
source benchmarks/lib/cluster.sh
source benchmarks/lib/shop.sh
trap cluster_stop EXIT

cluster_start shop-inserts "$PORT"
ONDO_DATABASE_URL="host=$WORK port=$PORT user=ondo dbname=ondo" "$ONDO" migrate >/dev/null
seed_customers_and_products

# The same review inserts as benchmarks/pipeline.sh's; an order for a random customer.
write_review_insert_script "$WORK/reviews.sql"
cat > "$WORK/orders.sql" <<'SQL'
\set c random(1, 2000)
INSERT INTO shop.orders (customer_id, total, status) VALUES (:c, 30000, 'placed');
SQL
PER_CLIENT=$(( N / CLIENTS ))
TOTAL=$(( PER_CLIENT * CLIENTS ))
declare -A TRIGGER=([reviews]=reviews_enqueue_work_on_insert [orders]=orders_enqueue_customer_work_on_insert)

cluster_cpu() { python3 benchmarks/process_cpu.py cluster "$POSTMASTER_PID" | cut -d ' ' -f 1; }

# empty_tables TABLE on|off: empties the shop's and the queue's tables and turns TABLE's insert trigger on or off.
empty_tables() {
  psql -qX -v ON_ERROR_STOP=1 \
    -c "TRUNCATE shop.reviews, shop.orders, crm.review_work, crm.customer_work" \
    -c "ALTER TABLE shop.$1 $([ "$2" = on ] && echo ENABLE || echo DISABLE) TRIGGER ${TRIGGER[$1]}" \
    -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
}

# phase TABLE on|off: prints "inserts/s µs-per-insert"
phase() {
  local table=$1 trigger=$2 before after started ended
  empty_tables "$table" "$trigger"
  before=$(cluster_cpu)
  started=$EPOCHREALTIME
  # pgbench fails when a client aborts (an INSERT that errs, a connection refused); its rate would then be wrong.
  if ! "$PGBIN/pgbench" -n -c "$CLIENTS" -j 2 -f "$WORK/$table.sql" -t "$PER_CLIENT" >"$WORK/pgbench.log" 2>&1; then
    echo "pgbench failed ($table, trigger $trigger):" >&2
    tail -n 5 "$WORK/pgbench.log" >&2
    return 1
  fi
  ended=$EPOCHREALTIME
  after=$(cluster_cpu)
  python3 -c "print(f'{$TOTAL / ($ended - $started):.0f} {($after - $before) * 1e6 / $TOTAL:.0f}')"
}

# bulk_phase on|off: one INSERT … SELECT of BULK reviews; prints "seconds µs-per-row" (the statement's time by
# psql's \timing; the cluster's CPU for the whole psql session, a few ms of it the connection's).
bulk_phase() {
  local before after ms
  empty_tables reviews "$1"
  before=$(cluster_cpu)
  ms=$(psql -qX -v ON_ERROR_STOP=1 -c '\timing on' -c "
    INSERT INTO shop.reviews (customer_id, product_id, rating, body)
    SELECT 1 + g % 2000, 1 + g % 200, 1 + g % 5, '대량 등록 ' || g FROM generate_series(1, $BULK) AS g" |
    sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p')
  after=$(cluster_cpu)
  python3 -c "print(f'{$ms / 1000:.2f} {($after - $before) * 1e6 / $BULK:.1f}')"
}

declare -A RATE CPU BULK_SECONDS BULK_CPU
for run in $(seq 1 "$RUNS"); do
  echo "run $run/$RUNS: $TOTAL inserts from $CLIENTS connections per phase" >&2
  for table in reviews orders; do
    for trigger in off on; do
      measured=$(phase "$table" "$trigger")
      read -r rate cpu <<< "$measured"
      RATE[$table.$trigger]+="$rate "
      CPU[$table.$trigger]+="$cpu "
      echo "  $table, trigger $trigger: $rate inserts/s, $cpu µs of database CPU per insert" >&2
    done
  done
  for trigger in off on; do
    measured=$(bulk_phase "$trigger")
    read -r seconds cpu <<< "$measured"
    BULK_SECONDS[$trigger]+="$seconds "
    BULK_CPU[$trigger]+="$cpu "
    echo "  one INSERT of $BULK reviews, trigger $trigger: $seconds s, $cpu µs of database CPU per row" >&2
  done
done

# "median (lowest–highest)" of the numbers after SPEC, each formatted with the Python format spec SPEC (",.0f":
# whole, with thousands separators; ".2f": two decimals).
summary() {
  python3 -c "import statistics,sys; s=sys.argv[1]; v=[float(x) for x in sys.argv[2:]]; print(f'{statistics.median(v):{s}} ({min(v):{s}}–{max(v):{s}})')" "$@"
}
# The trigger's cost per insert in each run (with − without), summarised.
trigger_cost() {
  summary ,.0f $(python3 -c "import sys; n=len(sys.argv)//2; print(*[float(a)-float(b) for a,b in zip(sys.argv[1:n+1], sys.argv[n+1:])])" \
    ${CPU[$1.on]} ${CPU[$1.off]})
}

{
  echo "# What Ondo's insert triggers cost the shop's inserts"
  echo
  echo "Produced by \`benchmarks/shop_inserts.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m)), commit"
  echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- sql Sources || echo ' with uncommitted changes'); $TOTAL single-row INSERTs per phase from $CLIENTS pgbench connections,"
  echo "$RUNS runs, private durable PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), no \`ondo serve\` running. Median (lowest–highest) over the runs."
  echo
  echo "| table | Ondo's trigger | inserts/s | database CPU per insert (µs) |"
  echo "|---|---|---:|---:|"
  for table in reviews orders; do
    echo "| \`shop.$table\` | disabled | $(summary ,.0f ${RATE[$table.off]}) | $(summary ,.0f ${CPU[$table.off]}) |"
    echo "| \`shop.$table\` | **enabled** | $(summary ,.0f ${RATE[$table.on]}) | $(summary ,.0f ${CPU[$table.on]}) |"
  done
  echo
  echo "The trigger's database CPU per insert (with − without, run by run): reviews $(trigger_cost reviews) µs,"
  echo "orders $(trigger_cost orders) µs."
  echo
  echo "One \`INSERT … SELECT\` of $(python3 -c "print(f'{$BULK:,}')") reviews (the trigger runs once for the statement):"
  echo
  echo "| Ondo's trigger | seconds (psql's \\timing) | database CPU per row (µs) |"
  echo "|---|---:|---:|"
  echo "| disabled | $(summary .2f ${BULK_SECONDS[off]}) | $(summary .2f ${BULK_CPU[off]}) |"
  echo "| **enabled** | $(summary .2f ${BULK_SECONDS[on]}) | $(summary .2f ${BULK_CPU[on]}) |"
  echo
  echo "Load average (1, 5, 15 min) at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)."
} > "$RESULTS"
cat "$RESULTS"
