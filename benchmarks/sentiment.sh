#!/usr/bin/env bash
# Ondo's sentiment engine against a PyTorch reference of the same network, side by side on this
# machine: same token ids (exported by Ondo), same weights, same batch sizes. Each measurement
# (batch 1, batch 256, training) is taken RUNS times, Ondo and PyTorch one right after the other,
# so that both see the same load on a shared machine; medians, best runs and ratios
# (benchmarks/summarize.py) go to benchmarks/RESULTS.md with the date, machine, load and commit.
#
#   benchmarks/sentiment.sh                  # the shipped model and the study's configuration
#   RUNS=3 CONFIGS=study benchmarks/sentiment.sh
#
# PyTorch is installed into benchmarks/.venv (git-ignored) on first use; it is a benchmark tool
# only, never a dependency of Ondo.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
CONFIGS=${CONFIGS:-"model study"}
DATA=${DATA:-../shared/data/nsmc/ratings_test.txt}
MODEL=${MODEL:-models/ondo-sentiment-ko.model}
SECONDS_PER_MEASURE=${SECONDS_PER_MEASURE:-3}
OUT=benchmarks/out
PYTHON=benchmarks/.venv/bin/python

if [ ! -x "$PYTHON" ] || ! "$PYTHON" -c "import torch, numpy" 2>/dev/null; then
  python3 -m venv benchmarks/.venv
  # The CPU-only wheel when its index is reachable, else PyPI's.
  "$PYTHON" -m pip install -q --index-url https://download.pytorch.org/whl/cpu torch ||
    "$PYTHON" -m pip install -q torch
  "$PYTHON" -m pip install -q numpy
fi

swift build -c release --product ondo-sentiment-benchmark
BENCH=.build/release/ondo-sentiment-benchmark

rm -rf "$OUT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for config in $CONFIGS; do
  mkdir -p "$OUT/$config"
  "$BENCH" --model "$MODEL" --config "$config" --data "$DATA" --export "$OUT/$config/export"
  for run in $(seq 1 "$RUNS"); do
    echo "== $config, run $run of $RUNS" >&2
    "$BENCH" --model "$MODEL" --config "$config" --data "$DATA" --measure sgemm > "$OUT/$config/ondo-$run-sgemm.json"
    for measure in batch1 batch256 training; do
      "$BENCH" --model "$MODEL" --config "$config" --data "$DATA" --seconds "$SECONDS_PER_MEASURE" \
        --measure "$measure" > "$OUT/$config/ondo-$run-$measure.json"
      "$PYTHON" benchmarks/pytorch_reference.py "$OUT/$config/export" --seconds "$SECONDS_PER_MEASURE" \
        --measure "$measure" > "$OUT/$config/torch-$run-$measure.json"
    done
    "$BENCH" --model "$MODEL" --config "$config" --data "$DATA" --seconds "$SECONDS_PER_MEASURE" \
      --measure batch1_text > "$OUT/$config/ondo-$run-text.json"
  done
done

{
  echo "# Sentiment engine vs PyTorch"
  echo
  echo "Produced by \`benchmarks/sentiment.sh\` (RUNS=$RUNS, CONFIGS=\"$CONFIGS\", $SECONDS_PER_MEASURE s per"
  echo "measurement) on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD), on $(nproc) cores of an"
  echo "$(lscpu | sed -n 's/^Model name: *//p') ($(lscpu | sed -n 's/^Hypervisor vendor: *//p') guest) shared with other"
  echo "work; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after. Data: the first reviews of"
  echo "\`$DATA\`, tokenised by the model's tokenizer; both sides get the same token ids and weights."
  echo "Ondo scores a single review on the calling thread and spreads batches and training over 2"
  echo "threads; PyTorch uses its default intra-op threads (2). Reviews/s, higher is better."
  echo
  python3 benchmarks/summarize.py "$OUT"
} | tee benchmarks/RESULTS.md
