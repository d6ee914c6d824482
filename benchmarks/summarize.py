"""Summarises benchmarks/out/<config>/{ondo,torch}-<run>-<measure>.json into Markdown tables of
medians, best runs and ratios (Ondo / PyTorch). Standard library only."""
import glob, json, os, statistics, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")


def values(directory, side, key):
    found = []
    for path in sorted(glob.glob(os.path.join(directory, f"{side}-*.json"))):
        record = json.load(open(path))
        if key in record:
            found.append(float(record[key]))
    return found


for config in sorted(os.listdir(out)):
    directory = os.path.join(out, config)
    ondo_files = sorted(glob.glob(os.path.join(directory, "ondo-*.json")))
    torch_files = sorted(glob.glob(os.path.join(directory, "torch-*.json")))
    if not ondo_files or not torch_files:
        continue
    first = json.load(open(ondo_files[0]))
    torch_first = json.load(open(torch_files[0]))
    flops = float(first["forward_flops_per_review"])
    gflops = statistics.median(values(directory, "ondo", "sgemm_gflops"))
    runs = len(values(directory, "ondo", "batch1"))
    title = {"model": "The shipped model", "study": "The study's configuration (syllable tokens, fresh weights)"}.get(config, config)
    print(f"### {title}: {first['model']}, {int(float(first['parameters'])):,} parameters, "
          f"{float(first['mean_tokens']):.1f} tokens per review on average\n")
    difference = max(values(directory, "torch", "max_logit_difference_vs_ondo"))
    print(f"- {runs} runs of each measurement; OpenBLAS kernels: {first['openblas_core']}; PyTorch {torch_first['torch']} "
          f"with {torch_first['threads']} threads; largest logit difference PyTorch vs Ondo: {difference:.1e}")
    print(f"- forward pass: {flops / 1e6:.2f} MFLOP per review; measured sgemm (256³, 1 thread, median): {gflops:.0f} GFLOP/s, "
          f"so one core's matrix-product limit is about {gflops * 1e9 / flops:,.0f} reviews/s for inference "
          f"(training ≈ 3× the forward work)\n")
    print("| reviews/s | Ondo median | PyTorch median | Ondo / PyTorch (medians) | Ondo best | PyTorch best | Ondo / PyTorch (best) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, name in [("batch1", "inference, batch 1"), ("batch256", "inference, batch 256"), ("training", "training")]:
        o, t = values(directory, "ondo", key), values(directory, "torch", key)
        om, tm = statistics.median(o), statistics.median(t)
        print(f"| {name} | {om:,.0f} | {tm:,.0f} | **{om / tm:.2f}×** | {max(o):,.0f} | {max(t):,.0f} | {max(o) / max(t):.2f}× |")
    text = values(directory, "ondo", "batch1_text")
    print(f"| inference, batch 1, from text (tokenising included) | {statistics.median(text):,.0f} | – | – | {max(text):,.0f} | – | – |\n")
