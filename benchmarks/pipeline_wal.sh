#!/usr/bin/env bash
# Where the pipeline's WAL goes: the WAL of the same inserts as benchmarks/pipeline.sh, once without `ondo serve`
# (the reference) and once end to end with it, broken down by relation and record type with pg_waldump.
#
#   benchmarks/pipeline_wal.sh                  # N=20000 reviews from CLIENTS=4 shop connections
#   N=5000 MODEL_OPTION=--stand-in-model benchmarks/pipeline_wal.sh
#
# Prints, per review, the bytes of each (relation, record type) in both phases and the difference: what Ondo
# adds to the shop's WAL. Bytes are the records' total lengths (full-page images included, their share
# shown apart). Commit records name no relation; they are counted under "(commit)". Nothing is timed: run
# benchmarks/pipeline.sh for speed. Output goes to stdout (Markdown).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
CLIENTS=${CLIENTS:-4}
WORKERS=${WORKERS:-2}
MODEL_OPTION=${MODEL_OPTION:-}

bash scripts/ensure-deps.sh
swift build -c release --product ondo >&2
ONDO="$(swift build -c release --show-bin-path)/ondo"
source benchmarks/lib/cluster.sh
source benchmarks/lib/shop.sh
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  cluster_stop
}
trap cleanup EXIT

cluster_start pipeline-wal 5489 -c max_connections=100 -c shared_buffers=512MB
export ONDO_DATABASE_URL="host=$WORK port=5489 user=ondo dbname=ondo"
"$ONDO" migrate >/dev/null
seed_customers_and_products
seed_orders
write_review_insert_script "$WORK/insert.sql"
PER_CLIENT=$(( N / CLIENTS ))
TOTAL=$(( PER_CLIENT * CLIENTS ))

insert_reviews() { "$PGBIN/pgbench" -n -c "$CLIENTS" -j 2 -f "$WORK/insert.sql" -t "$PER_CLIENT" >/dev/null 2>&1; }
wal_position() { psql -qtAX -c "SELECT pg_current_wal_lsn()"; }
wait_until_drained() {
  psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$
BEGIN
  WHILE EXISTS (SELECT FROM crm.review_work WHERE status IN ('pending', 'processing')) LOOP
    PERFORM pg_sleep(0.02);
  END LOOP;
END
$$;
SQL
}
# pg_waldump's records between two positions, one per line.
dump() { "${AS[@]}" "$PGBIN/pg_waldump" -p "$WORK/data/pg_wal" -s "$1" -e "$2" 2>/dev/null || true; }
# The relation names by file node, for the breakdown; TRUNCATE gives tables new file nodes, so after each reset.
relations() {
  psql -qtAX -F ' ' -c "SELECT pg_relation_filenode(c.oid), n.nspname || '.' || c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE pg_relation_filenode(c.oid) IS NOT NULL" >> "$WORK/relations"
}

echo "reference: $TOTAL inserts without ondo serve" >&2
reset_pipeline_tables; relations
psql -qX -c "CHECKPOINT" >/dev/null
from=$(wal_position); insert_reviews; to=$(wal_position)
dump "$from" "$to" > "$WORK/reference.wal"

echo "end to end: $TOTAL inserts with ondo serve ${MODEL_OPTION:-(shipped model)}" >&2
reset_pipeline_tables; relations
"$ONDO" serve --http-port 0 --workers "$WORKERS" --log-level warning $MODEL_OPTION >"$WORK/serve.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do grep -q "listening on port" "$WORK/serve.out" && break; sleep 0.05; done
psql -qX -c "CHECKPOINT" >/dev/null
from=$(wal_position); insert_reviews; wait_until_drained; to=$(wal_position)
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=
dump "$from" "$to" > "$WORK/e2e.wal"

psql -qtAX -c "SELECT format('State rows after the run: %s, %s bytes on average, of them reasons %s bytes; score rows %s bytes on average.',
  count(*), round(avg(pg_column_size(s.*))), round(avg(pg_column_size(s.reasons))),
  (SELECT round(avg(pg_column_size(r.*))) FROM crm.review_sentiment r)) FROM crm.customer_state s"
psql -qtAX -c "SELECT format('Review work rows: %s, table %s (of it free space %s), its indexes %s.', count(*),
  pg_size_pretty(pg_relation_size('crm.review_work')),
  pg_size_pretty(pg_relation_size('crm.review_work') - sum(pg_column_size(w.*) + 28)::bigint),
  pg_size_pretty(pg_indexes_size('crm.review_work'))) FROM crm.review_work w"
psql -qtAX -c "SELECT 'A state row''s reasons: ' || reasons::text FROM crm.customer_state ORDER BY customer_id LIMIT 1"
python3 benchmarks/wal_breakdown.py "$WORK/relations" "$WORK/reference.wal" "$WORK/e2e.wal" "$TOTAL"
