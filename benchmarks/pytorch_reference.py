"""PyTorch reference of Ondo's sentiment network, for benchmarks only (never a runtime dependency).

Reads what `ondo-sentiment-benchmark --export DIR` wrote (token ids, labels, the network's shape and
weights, and Ondo's logits), builds the same network in PyTorch (Embedding summed over the ids of a
position -> Conv1d 'same' + ReLU -> MaxPool1d(ceil) -> stacked LSTM on packed sequences -> last/max/
mean over time -> Linear), checks that it computes the same logits as Ondo, then measures
inference at batch 1 and 256 and training throughput (Adam, BCE, and the batch size, learning
rate, gradient clipping and dropout that Ondo's export names). Prints one JSON object.

Padding: batches are padded to their longest review, as PyTorch needs, and the LSTM runs over the
padded batch (PyTorch's fused LSTM is much faster on CPU than on packed sequences). The result is
still exactly Ondo's function, which never pads: padded positions have id 0, whose embedding row
is zero; convolution outputs past a review's end are zeroed before max-pooling; an LSTM's output
at step t depends only on steps up to t, so each review's last hidden state is read at its own
last step, and max/mean pooling are masked. A single review is run without any padding.
"""
import argparse, json, os, statistics, struct, sys, time

import numpy as np
import torch
import torch.nn as nn


def load(directory):
    with open(os.path.join(directory, "model.json")) as f:
        meta = json.load(f)
    raw = open(os.path.join(directory, "tokens.bin"), "rb").read()
    count, k = struct.unpack_from("<II", raw, 0)
    offset, reviews = 8, []
    for _ in range(count):
        (n,) = struct.unpack_from("<I", raw, offset)
        offset += 4
        ids = np.frombuffer(raw, dtype="<i4", count=n * k, offset=offset).reshape(n, k)
        offset += 4 * n * k
        reviews.append(torch.from_numpy(ids.astype(np.int64)))
    labels = torch.from_numpy(np.fromfile(os.path.join(directory, "labels.bin"), dtype=np.uint8).astype(np.float32))
    logits = torch.from_numpy(np.fromfile(os.path.join(directory, "logits.bin"), dtype="<f4"))
    weights = {}
    for entry in meta["tensors"]:
        (name, shape), = entry.items()
        weights[name] = torch.from_numpy(np.fromfile(os.path.join(directory, name + ".f32"), dtype="<f4").reshape(shape))
    return meta, reviews, labels, logits, weights


class Reference(nn.Module):
    def __init__(self, c, dropout=(0.0, 0.0)):
        super().__init__()
        self.c = c
        self.embedding = nn.Embedding(c["vocabularySize"], c["embeddingSize"], padding_idx=0)
        self.conv = nn.Conv1d(c["embeddingSize"], c["filters"], c["kernelSize"], padding="same")
        self.lstm = nn.LSTM(c["filters"], c["lstmUnits"], c["lstmLayers"], batch_first=True)
        width = 2 * c["lstmUnits"] if c["outputPooling"] == "max-mean" else c["lstmUnits"]
        self.dense = nn.Linear(width, 1)
        self.embedding_dropout = nn.Dropout(dropout[0])
        self.feature_dropout = nn.Dropout(dropout[1])

    def load_ondo(self, w):
        c = self.c
        with torch.no_grad():
            self.embedding.weight.copy_(w["embedding"])
            # Ondo: filters x (kernel*width), tap-major; PyTorch: filters x width x kernel.
            self.conv.weight.copy_(w["conv.weight"].reshape(c["filters"], c["kernelSize"], c["embeddingSize"]).transpose(1, 2))
            self.conv.bias.copy_(w["conv.bias"])
            for layer in range(c["lstmLayers"]):
                getattr(self.lstm, f"weight_ih_l{layer}").copy_(w[f"lstm{layer}.input_weight"])
                getattr(self.lstm, f"weight_hh_l{layer}").copy_(w[f"lstm{layer}.recurrent_weight"])
                getattr(self.lstm, f"bias_ih_l{layer}").copy_(w[f"lstm{layer}.bias"])
                getattr(self.lstm, f"bias_hh_l{layer}").zero_()
            self.dense.weight.copy_(w["dense.weight"].reshape(1, -1))
            self.dense.bias.copy_(w["dense.bias"])

    def forward(self, ids, lengths):
        c = self.c
        batch_size, steps = ids.shape[0], ids.shape[1]
        x = self.embedding(ids[:, :, 0]) if ids.shape[2] == 1 else self.embedding(ids).sum(2)
        x = self.embedding_dropout(x)
        x = torch.relu(self.conv(x.transpose(1, 2)))
        padded = batch_size > 1 and bool((lengths != steps).any())
        if padded:
            x = x * (torch.arange(steps)[None, :] < lengths[:, None]).to(x.dtype)[:, None, :]
        x = nn.functional.max_pool1d(x, c["poolSize"], ceil_mode=True).transpose(1, 2)
        pooled = (lengths + c["poolSize"] - 1) // c["poolSize"]
        out, _ = self.lstm(x)
        if c["outputPooling"] == "last":
            z = out[torch.arange(batch_size), pooled - 1]
        else:
            m = (torch.arange(out.shape[1])[None, :] < pooled[:, None])[:, :, None]
            parts = []
            if c["outputPooling"] in ("max", "max-mean"):
                parts.append(out.masked_fill(~m, float("-inf")).max(1).values)
            if c["outputPooling"] in ("mean", "max-mean"):
                parts.append((out * m).sum(1) / pooled[:, None])
            z = torch.cat(parts, 1)
        return self.dense(self.feature_dropout(z)).squeeze(1)


def batch(reviews, indices):
    lengths = torch.tensor([reviews[i].shape[0] for i in indices])
    ids = torch.zeros(len(indices), int(lengths.max()), reviews[indices[0]].shape[1], dtype=torch.long)
    for row, i in enumerate(indices):
        ids[row, : reviews[i].shape[0]] = reviews[i]
    return ids, lengths


def inference_rate(net, reviews, batch_size, seconds):
    # Reviews sorted by length before batching, so that padding stays small (Ondo needs no sorting).
    order = sorted(range(len(reviews)), key=lambda i: reviews[i].shape[0]) if batch_size > 1 else list(range(len(reviews)))
    batches = [batch(reviews, order[s : s + batch_size]) for s in range(0, len(order), batch_size)]
    net.eval()
    with torch.inference_mode():
        net(*batches[0])
        done, start = 0, time.perf_counter()
        while True:
            for ids, lengths in batches:
                torch.sigmoid(net(ids, lengths))
                done += len(lengths)
            if time.perf_counter() - start >= seconds:
                return done / (time.perf_counter() - start)


def training_rate(c, weights, reviews, labels, options, steps):
    net = Reference(c, (options["embedding_dropout"], options["feature_dropout"]))
    net.load_ondo(weights)
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=options["learning_rate"], fused=True)
    size = options["batch_size"]
    done, start = 0, time.perf_counter()
    for step in range(steps + 1):
        if step == 1:
            done, start = 0, time.perf_counter()
        first = (step * size) % max(1, len(reviews) - size)
        indices = list(range(first, min(first + size, len(reviews))))
        ids, lengths = batch(reviews, indices)
        loss = nn.functional.binary_cross_entropy_with_logits(net(ids, lengths), labels[indices])
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), options["clip_norm"])
        optimizer.step()
        done += len(indices)
    return done / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("directory")
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--training-steps", type=int, default=150)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--measure", default="all", choices=["all", "batch1", "batch256", "training"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    meta, reviews, labels, ondo_logits, weights = load(a.directory)
    c = meta["network"]
    t = meta["training"]
    net = Reference(c)
    net.load_ondo(weights)
    net.eval()
    with torch.inference_mode():
        check = min(2000, len(reviews))
        ids, lengths = batch(reviews, list(range(check)))
        difference = (net(ids, lengths) - ondo_logits[:check]).abs().max().item()
    options = {"batch_size": t["batchSize"], "learning_rate": t["learningRate"], "clip_norm": t["clipNorm"],
               "embedding_dropout": t["embeddingDropout"], "feature_dropout": t["featureDropout"]}
    measurements = {
        "batch1": lambda: inference_rate(net, reviews[:3000], 1, a.seconds),
        "batch256": lambda: inference_rate(net, reviews, 256, a.seconds),
        "training": lambda: training_rate(c, weights, reviews, labels, options, a.training_steps),
    }
    result = {"torch": torch.__version__, "threads": a.threads, "max_logit_difference_vs_ondo": difference}
    for name in (measurements if a.measure == "all" else [a.measure]):
        result[name] = measurements[name]()
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
