#!/usr/bin/env bash
# Ondo's database work on a large generated shop, each step against a reference measured right before it in the
# same run, on a private durable PostgreSQL cluster (fsync on, default settings):
#
#   benchmarks/scale.sh                                            # 1,000,000 customers, 5,000,000 orders, 2,000,000 reviews
#   CUSTOMERS=20000 ORDERS=100000 REVIEWS=40000 RESULTS=/tmp/scale.md benchmarks/scale.sh
#
#   1. generate: `ondo generate` writes the shop (seed 7, 500 products). Not the subject here: its time is noted only.
#   2. drain: a freshly started `ondo serve --workers WORKERS` scores every queued review and empties the customer
#      queue; from its start to the last completion (the database's clock). Reviews/s. No reference.
#   3. recompute: `ondo states recompute --all` (every customer, 1,000 to a transaction). Reference: one SQL statement
#      reading the same inputs — each customer, its orders' summary (the same aggregates over the same rows) and its
#      reviews of the same window joined to their scores, grouped per customer, every row fetched — on one backend
#      like Ondo's one connection (no parallel query; JIT off, as Ondo's sessions run). It writes nothing, where
#      the recompute writes every state and history row: the ratio is what evaluating the rules and writing the
#      states costs on top of reading. The same statement with the server's default parallel query is shown too.
#   4. backfill: `ondo reviews rescore --all` (re-queue every review, score them in its own process, recompute the
#      customers affected; no server running). Reference: the same model file scoring the same texts without the
#      database — the texts exported with psql's \copy (not timed in the reference) and fed to
#      `ondo sentiment predict --format tsv` on stdin (model loading, tokenising, scoring, printing).
#   5. reports: `SELECT * FROM report.<view>` for every view of the `report` schema, as a login in `ondo_report`
#      (psql's \timing, every row fetched), REPORT_RUNS times each; EXPLAIN (ANALYZE, BUFFERS) of the two slowest.
#
# BACKFILL_TIMEOUT=S interrupts the rescore after S seconds (default 0: no limit); a rescore that fails or is
# interrupted is reported as not finished and the run goes on to the reports. The cluster logs statements over 1 s,
# lock waits and autovacuum runs; those lines go to the results too.
#
# Each step but the first starts after VACUUM ANALYZE (not timed), as autovacuum would have left a shop this size.
# Progress goes to stderr; Ctrl-C stops the server and the cluster and removes the temporary folder. The results
# (date, machine, commit, load average before each step, every figure) go to RESULTS.
set -euo pipefail
cd "$(dirname "$0")/.."

CUSTOMERS=${CUSTOMERS:-1000000}
ORDERS=${ORDERS:-5000000}
REVIEWS=${REVIEWS:-2000000}
WORKERS=${WORKERS:-2}
REPORT_RUNS=${REPORT_RUNS:-3}
BACKFILL_TIMEOUT=${BACKFILL_TIMEOUT:-0}  # seconds after which the rescore is interrupted (0: none); the run goes on
RESULTS=${RESULTS:-benchmarks/SCALE_RESULTS.md}
PORT=${PORT:-5489}

say() { echo "scale: $*" >&2; }

bash scripts/ensure-deps.sh
swift build -c release --product ondo >&2
ONDO="$(swift build -c release --show-bin-path)/ondo"
export ONDO_CONFIG="$PWD/config/ondo.json" ONDO_SENTIMENT_MODEL="$PWD/models/ondo-sentiment-ko.model"

# --- a private durable cluster (benchmarks/lib/cluster.sh) ---------------------------------------------------
source benchmarks/lib/cluster.sh
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  cluster_stop
}
trap cleanup EXIT
trap 'say "interrupted: stopping"; exit 130' INT
trap 'say "terminated: stopping"; exit 143' TERM

cluster_start scale "$PORT" -c log_min_duration_statement=1000 -c log_lock_waits=on -c log_autovacuum_min_duration=0
say "cluster in $WORK"
export ONDO_ADMIN_DATABASE_URL="host=$WORK port=$PORT user=ondo dbname=ondo"
export ONDO_DATABASE_URL="host=$WORK port=$PORT user=app_server dbname=ondo"
"$ONDO" migrate >/dev/null
"$ONDO" roles add-login app_server --role app --no-password >/dev/null
"$ONDO" roles add-login analyst --role report --no-password >/dev/null

sql() { psql -qtAX -v ON_ERROR_STOP=1 "$@"; }
now() { echo "$EPOCHREALTIME"; }
seconds_since() { python3 -c "print(f'{$(now) - $1:.2f}')"; }
calc() { python3 -c "print($1)"; }
thousands() { python3 -c "print(f'{$1:,}')"; }
load_average() { cut -d ' ' -f 1-3 /proc/loadavg; }
database_size() { sql -c "SELECT pg_size_pretty(pg_database_size('ondo'))"; }
vacuum_analyze() {
  local started
  started=$(now)
  say "VACUUM ANALYZE (not timed in the figures)"
  sql -c "VACUUM ANALYZE" >/dev/null
  say "VACUUM ANALYZE took $(seconds_since "$started") s"
}

declare -A LOAD
# --- 1. generate ----------------------------------------------------------------------------------------------
LOAD[generate]=$(load_average)
say "1/5 generate: $CUSTOMERS customers, $ORDERS orders, $REVIEWS reviews (load average ${LOAD[generate]})"
started=$(now)
generate_output=$("$ONDO" generate --customers "$CUSTOMERS" --orders "$ORDERS" --reviews "$REVIEWS")
generate_seconds=$(seconds_since "$started")
echo "$generate_output" >&2
reviews_total=$(sql -c "SELECT count(*) FROM shop.reviews")
customers_total=$(sql -c "SELECT count(*) FROM shop.customers")
vacuum_analyze
size_generated=$(database_size)

# --- 2. drain -------------------------------------------------------------------------------------------------
queued() {
  sql -F ' ' -c "SELECT (SELECT count(*) FROM crm.review_work WHERE status = 'pending')
                      + (SELECT count(*) FROM crm.review_work WHERE status = 'processing'),
                        (SELECT count(*) FROM crm.customer_work WHERE status = 'pending')
                      + (SELECT count(*) FROM crm.customer_work WHERE status = 'processing')"
}
LOAD[drain]=$(load_average)
read -r reviews_queued customers_queued <<<"$(queued)"
say "2/5 drain: ondo serve --workers $WORKERS, $reviews_queued reviews and $customers_queued customers queued (load average ${LOAD[drain]})"
drain_started=$(sql -c "SELECT extract(epoch FROM clock_timestamp())")
"$ONDO" serve --http-port 0 --workers "$WORKERS" --log-level warning >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
while true; do
  sleep 5  # polling costs a count over each queue's pending index: not too often
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    status=0; wait "$SERVER_PID" || status=$?; SERVER_PID=
    say "ondo serve stopped before the queues were empty (exit status $status):"; cat "$WORK/serve.err" >&2; exit 1
  fi
  read -r reviews_left customers_left <<<"$(queued)"
  say "drain: $((reviews_queued - reviews_left))/$reviews_queued reviews, $customers_left customers queued, $(calc "round($(now) - $drain_started)") s"
  if [ "$reviews_left" = 0 ] && [ "$customers_left" = 0 ]; then break; fi
done
drain_finished=$(sql -c "SELECT extract(epoch FROM greatest((SELECT max(completed_at) FROM crm.review_work),
                                                            (SELECT max(completed_at) FROM crm.customer_work)))")
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=
drain_seconds=$(calc "round($drain_finished - $drain_started, 2)")
read -r drain_completed drain_discarded drain_quarantined <<<"$(sql -F ' ' -c "
  SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'discarded'),
         (SELECT count(*) FROM crm.review_quarantine) FROM crm.review_work")"
say "drain: $drain_seconds s ($drain_completed completed, $drain_discarded discarded, $drain_quarantined quarantined)"
vacuum_analyze

# --- 3. recompute ---------------------------------------------------------------------------------------------
# Ondo reads a customer's reviews of the last 180 days (sentimentHalfLifeDays 30 × 6, config/ondo.json) with the
# preferred model's score of each, and its orders' summary; so does the reference, grouped per customer. Every
# review has one score row here (checked below), so a plain join picks the score Ondo's LATERAL picks.
REFERENCE_SQL="
SELECT c.id, c.created_at, o.last_order_at, o.orders_last_year, o.spend_last_year, o.total_orders,
       o.oldest_order_last_year_at, r.reviews, r.scored, r.mean_probability, r.lowest_rating, r.aspects,
       r.last_review_at
FROM shop.customers AS c
LEFT JOIN (
    SELECT customer_id, max(ordered_at) AS last_order_at,
           count(*) FILTER (WHERE ordered_at > now() - interval '365 days') AS orders_last_year,
           coalesce(sum(total) FILTER (WHERE ordered_at > now() - interval '365 days' AND total <> 'NaN'), 0)::float8
               AS spend_last_year,
           count(*) AS total_orders,
           min(ordered_at) FILTER (WHERE ordered_at > now() - interval '365 days') AS oldest_order_last_year_at
    FROM shop.orders WHERE status NOT IN ('cancelled', 'refunded') GROUP BY customer_id
) AS o ON o.customer_id = c.id
LEFT JOIN (
    SELECT rv.customer_id, count(*) AS reviews, count(s.probability) AS scored,
           avg(s.probability::float8) AS mean_probability, min(rv.rating) AS lowest_rating,
           sum(cardinality(s.aspects)) AS aspects, max(rv.created_at) AS last_review_at
    FROM shop.reviews AS rv LEFT JOIN crm.review_sentiment AS s ON s.review_id = rv.id
    WHERE rv.created_at > now() - interval '180 days'
    GROUP BY rv.customer_id
) AS r ON r.customer_id = c.id"
reference_run() {  # $1: SET commands; prints seconds, every row fetched
  local started
  started=$(now)
  psql -qX -v ON_ERROR_STOP=1 -c "$1" -c "$REFERENCE_SQL" >/dev/null
  seconds_since "$started"
}
extra_scores=$(sql -c "SELECT count(*) - count(DISTINCT review_id) FROM crm.review_sentiment")
LOAD[recompute]=$(load_average)
say "3/5 recompute: reference first (load average ${LOAD[recompute]}); score rows beyond one per review: $extra_scores"
serial='SET jit = off; SET max_parallel_workers_per_gather = 0'
reference_1=$(reference_run "$serial")
reference_2=$(reference_run "$serial")
reference_parallel=$(reference_run 'SET jit = off')
say "recompute reference: $reference_1 s, $reference_2 s (one backend); $reference_parallel s (parallel query)"
reference_recompute=$(calc "min($reference_1, $reference_2)")
started=$(now)
recompute_output=$("$ONDO" states recompute --all)
recompute_seconds=$(seconds_since "$started")
say "recompute: $recompute_seconds s: $recompute_output"
vacuum_analyze

# --- 4. backfill ----------------------------------------------------------------------------------------------
LOAD[backfill]=$(load_average)
say "4/5 backfill: exporting the review texts (load average ${LOAD[backfill]})"
started=$(now)
# One review per line, as `ondo sentiment predict` reads them; blank bodies are quarantined, not scored, by both.
sql -c "\\copy (SELECT translate(body, E'\\t\\r\\n', '   ') FROM shop.reviews WHERE btrim(body) <> '' ORDER BY id) TO '$WORK/texts.txt'"
export_seconds=$(seconds_since "$started")
texts=$(wc -l <"$WORK/texts.txt")
say "exported $texts texts in $export_seconds s; reference: ondo sentiment predict --format tsv"
started=$(now)
"$ONDO" sentiment predict --format tsv <"$WORK/texts.txt" >/dev/null
reference_backfill=$(seconds_since "$started")
rm -f "$WORK/texts.txt"
say "backfill reference: $reference_backfill s; now ondo reviews rescore --all"
started=$(now)
rescore_status=0
rescore_output=$(timeout --kill-after=10 "$BACKFILL_TIMEOUT" "$ONDO" reviews rescore --all) || rescore_status=$?
rescore_seconds=$(seconds_since "$started")
read -r rescored rescore_discarded rescore_unfinished <<<"$(sql -F ' ' -c "
  SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'discarded'),
         count(*) FILTER (WHERE status IN ('pending', 'processing')) FROM crm.review_work")"
if [ "$rescore_status" != 0 ]; then
  rescore_output="DID NOT FINISH (exit status $rescore_status, time limit $BACKFILL_TIMEOUT s; 0: none): $rescore_unfinished reviews left in the queue${rescore_output:+; stdout: $rescore_output}"
fi
say "backfill: $rescore_seconds s: $rescore_output"
vacuum_analyze
size_final=$(database_size)

# --- 5. reports -----------------------------------------------------------------------------------------------
LOAD[reports]=$(load_average)
views=$(sql -c "SELECT table_name FROM information_schema.views WHERE table_schema = 'report' ORDER BY 1")
say "5/5 reports: $(echo "$views" | wc -l) views, $REPORT_RUNS runs each, as the ondo_report login analyst (load average ${LOAD[reports]})"
report_rows=()
declare -A MEDIAN
for view in $views; do
  runs=()
  for _ in $(seq 1 "$REPORT_RUNS"); do
    ms=$(psql -X -U analyst -v ON_ERROR_STOP=1 -o /dev/null -c '\timing on' -c "SELECT * FROM report.$view" |
      sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p')
    runs+=("$(calc "round($ms / 1000, 3)")")
  done
  rows=$(psql -qtAX -U analyst -c "SELECT count(*) FROM report.$view")
  MEDIAN[$view]=$(python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "${runs[@]}")
  say "report.$view: ${runs[*]} s ($rows rows)"
  report_rows+=("| \`report.$view\` | $(thousands "$rows") | ${MEDIAN[$view]} | $(echo "${runs[*]}" | sed 's/ /, /g') |")
done
slowest=$(for view in $views; do echo "${MEDIAN[$view]} $view"; done | sort -rn | head -n 2 | cut -d ' ' -f 2)
explains=""
for view in $slowest; do
  say "EXPLAIN (ANALYZE, BUFFERS) report.$view"
  plan=$(psql -qtAX -U analyst -c "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM report.$view")
  explains+=$'\n'"### \`report.$view\`"$'\n\n```\n'"$plan"$'\n```\n'
done

# --- results --------------------------------------------------------------------------------------------------
rate() { python3 -c "print(f'{$1 / $2:,.0f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
dirty=$(git diff --quiet HEAD -- Sources Package.swift sql || echo " with uncommitted changes")
{
  echo "# Ondo at scale: drain, recompute, backfill, reports"
  echo
  echo "Produced by \`benchmarks/scale.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') ($(git rev-parse --short HEAD)$dirty), release build;"
  echo "machine: $(nproc) cores ($(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ {print $2}') GB of memory, $(uname -sm);"
  echo "a private durable PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') cluster with default settings (fsync on, shared_buffers"
  echo "$(sql -c 'SHOW shared_buffers')), \`ondo\` and the cluster on the same machine."
  echo "Shop: \`ondo generate --customers $CUSTOMERS --orders $ORDERS --reviews $REVIEWS\` (seed 7, 500 products):"
  echo "$(thousands "$customers_total") customers, $(thousands "$reviews_total") reviews; $size_generated of database after it, $size_final at the end."
  echo "Each step but the first ran after VACUUM ANALYZE (not timed)."
  echo
  echo "| step | load average before | seconds | rate | reference | reference seconds | Ondo time / reference time |"
  echo "|---|---|---:|---:|---|---:|---:|"
  echo "| generate (not the subject; noted only) | ${LOAD[generate]} | $generate_seconds | $(rate "$REVIEWS" "$generate_seconds") reviews/s with the rest | — | — | — |"
  echo "| drain: \`ondo serve --workers $WORKERS\`, from its start to the last completion | ${LOAD[drain]} | $drain_seconds | $(rate "$reviews_queued" "$drain_seconds") reviews/s | — | — | — |"
  echo "| recompute: \`ondo states recompute --all\` | ${LOAD[recompute]} | $recompute_seconds | $(rate "$customers_total" "$recompute_seconds") customers/s | the same inputs read by one SQL statement, one backend | $reference_recompute | **$(ratio "$recompute_seconds" "$reference_recompute")** |"
  if [ "$rescore_status" = 0 ]; then backfill_rate="$(rate "$reviews_total" "$rescore_seconds") reviews/s"; backfill_ratio="**$(ratio "$rescore_seconds" "$reference_backfill")**"
  else backfill_rate="did not finish"; backfill_ratio="—"; fi
  echo "| backfill: \`ondo reviews rescore --all\` | ${LOAD[backfill]} | $rescore_seconds | $backfill_rate | the same texts scored by \`ondo sentiment predict --format tsv\` | $reference_backfill | $backfill_ratio |"
  echo
  echo "- drain: $reviews_queued reviews and $customers_queued customers queued at the start; afterwards $drain_completed reviews"
  echo "  completed, $drain_discarded discarded, $drain_quarantined quarantined."
  echo "- recompute reference: $reference_1 s and $reference_2 s (one backend, JIT off; the faster is the reference),"
  echo "  $reference_parallel s with the server's default parallel query ($(ratio "$recompute_seconds" "$reference_parallel") against that). Score rows beyond one"
  echo "  per review: $extra_scores. \`ondo states recompute --all\` printed: $recompute_output"
  echo "- backfill reference: $texts texts exported by psql \`\\copy\` in $export_seconds s (not counted), scored by"
  echo "  \`ondo sentiment predict --format tsv\` in $reference_backfill s ($(rate "$texts" "$reference_backfill") reviews/s), the same model file."
  echo "  \`ondo reviews rescore --all\` printed: $rescore_output; afterwards $rescored reviews completed, $rescore_discarded discarded."
  echo
  echo "## Generate (ondo's own output)"
  echo
  echo '```'
  echo "$generate_output"
  echo '```'
  echo
  echo "## Reports"
  echo
  echo "\`SELECT * FROM report.<view>\` as the login \`analyst\` (member of \`ondo_report\`), psql \`\\timing\`, every row"
  echo "fetched (output to /dev/null); $REPORT_RUNS runs each; load average before: ${LOAD[reports]}."
  echo
  echo "| view | rows | median (s) | runs (s) |"
  echo "|---|---:|---:|---|"
  printf '%s\n' "${report_rows[@]}"
  echo
  echo "## EXPLAIN (ANALYZE, BUFFERS) of the two slowest"
  echo "$explains"
  echo "## The server's log: statements over 1 s, lock waits, autovacuum (each line cut at 400 characters)"
  echo
  echo '```'
  grep -E 'duration: |still waiting|automatic (vacuum|analyze)|ERROR|canceling' "$WORK/server.log" | cut -c 1-400 || true
  echo '```'
} >"$RESULTS"
say "results written to $RESULTS"
cat "$RESULTS"
