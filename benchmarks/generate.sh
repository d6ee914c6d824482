#!/usr/bin/env bash
# Times `ondo generate` writing a large shop into a private, durable PostgreSQL cluster (fsync on, default
# settings), as the README reports it:
#
#   benchmarks/generate.sh                                   # 1,000,000 customers, 5,000,000 orders, 2,000,000 reviews
#   CUSTOMERS=100000 ORDERS=500000 REVIEWS=200000 RUNS=3 benchmarks/generate.sh
#
# Each run starts from an empty cluster (initdb not timed) and prints ondo's own figures: rows and seconds per
# table, rows per second, total. Results (every run, and the machine's load before each) go to
# benchmarks/GENERATE_RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

CUSTOMERS=${CUSTOMERS:-1000000}
ORDERS=${ORDERS:-5000000}
REVIEWS=${REVIEWS:-2000000}
RUNS=${RUNS:-1}
RESULTS=${RESULTS:-benchmarks/GENERATE_RESULTS.md}

bash scripts/ensure-deps.sh
swift build -c release --product ondo >&2
ONDO="$(swift build -c release --show-bin-path)/ondo"

WORK=$(mktemp -d /tmp/ondo-generate-bench.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT

{
  echo "# ondo generate: large shop timings"
  echo
  dirty=$(git diff --quiet HEAD -- Sources Package.swift sql || echo " with uncommitted changes")
  echo "Produced by \`benchmarks/generate.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(git rev-parse --short HEAD)$dirty)."
  echo "Command: \`ondo generate --customers $CUSTOMERS --orders $ORDERS --reviews $REVIEWS --embedded\`"
  echo "(500 products, seed 7; a durable embedded cluster, fsync on; one transaction)."
} > "$WORK/results.md"

for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/pg"
  "$ONDO" migrate --embedded --embedded-dir "$WORK/pg" >/dev/null 2>&1   # initdb and migrations, not timed
  load=$(cut -d ' ' -f 1-3 /proc/loadavg)
  echo "run $run: load average before: $load" >&2
  output=$("$ONDO" generate --customers "$CUSTOMERS" --orders "$ORDERS" --reviews "$REVIEWS" \
    --embedded --embedded-dir "$WORK/pg")
  echo "$output"
  {
    echo
    echo "## Run $run (load average before: $load)"
    echo
    echo '```'
    echo "$output"
    echo '```'
  } >> "$WORK/results.md"
done

cp "$WORK/results.md" "$RESULTS"
echo "results written to $RESULTS" >&2
