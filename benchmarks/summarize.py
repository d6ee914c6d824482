"""Summarises benchmarks/out/<config>/{ondo,torch}-<run>.json into a Markdown table of medians and
ratios (Ondo / PyTorch). Standard library only."""
import glob, json, os, statistics, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")
rows = []
for config in sorted(os.listdir(out)):
    directory = os.path.join(out, config)
    ondo = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(directory, "ondo-*.json")))]
    torch = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(directory, "torch-*.json")))]
    if not ondo or not torch:
        continue
    median = lambda runs, key: statistics.median(float(r[key]) for r in runs)
    first = ondo[0]
    flops = float(first["forward_flops_per_review"])
    gflops = median(ondo, "sgemm_gflops")
    title = {"model": "The shipped model", "study": "The study's configuration (syllable tokens, fresh weights)"}.get(config, config)
    print(f"### {title}: {first['model']}, {int(float(first['parameters'])):,} parameters, "
          f"{float(first['mean_tokens']):.1f} tokens per review on average\n")
    print(f"- runs: {len(ondo)} (medians below); OpenBLAS kernels: {first['openblas_core']}; PyTorch {torch[0]['torch']} "
          f"with {torch[0]['threads']} threads; largest logit difference PyTorch vs Ondo: "
          f"{max(float(t['max_logit_difference_vs_ondo']) for t in torch):.1e}")
    print(f"- forward pass: {flops / 1e6:.2f} MFLOP per review; measured sgemm (256³, 1 thread): {gflops:.0f} GFLOP/s, "
          f"so one core's matrix-product limit is about {gflops * 1e9 / flops:,.0f} reviews/s for inference "
          f"(training ≈ 3× the forward work)\n")
    print("| measure | Ondo (reviews/s) | PyTorch (reviews/s) | Ondo / PyTorch |")
    print("|---|---:|---:|---:|")
    for key, name in [("batch1", "inference, batch 1"), ("batch256", "inference, batch 256"), ("training", "training")]:
        o, t = median(ondo, key), median(torch, key)
        print(f"| {name} | {o:,.0f} | {t:,.0f} | {o / t:.2f}× |")
    print(f"| inference, batch 1, from text (tokenising included) | {median(ondo, 'batch1_text'):,.0f} | – | – |\n")
