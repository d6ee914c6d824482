#!/usr/bin/env python3
"""Breaks two pg_waldump outputs (a reference phase and an end-to-end phase of the same inserts) down by
relation and record type, per review; used by benchmarks/pipeline_wal.sh.

    wal_breakdown.py RELATIONS REFERENCE_DUMP END_TO_END_DUMP REVIEWS

RELATIONS: lines "FILENODE NAME". A transaction that inserted into shop.reviews is the shop's; any other with a
transaction id is Ondo's (in the end-to-end phase: its workers, and the script's own few queries); records
without one (pruning, checkpoints, running-transaction snapshots) are "no transaction". Commit records count
under the relation "(commit)".
"""
import collections
import re
import sys

LINE = re.compile(r"rmgr: (\S+)\s+len \(rec/tot\):\s*(\d+)/\s*(\d+), tx:\s*(\d+), lsn: \S+, prev \S+, desc: (\S+)(.*)")
BLOCK = re.compile(r"blkref #\d+: rel \d+/\d+/(\d+)(?: fork (\w+))? blk \d+( FPW)?")


def parse(path, names):
    """Returns [(who, relation, record, bytes, fpi_bytes)] with who still a transaction id."""
    records = []
    shop_transactions = set()
    for line in open(path, encoding="utf-8", errors="replace"):
        match = LINE.match(line)
        if not match:
            continue
        rmgr, _, total, xid, kind, rest = match.groups()
        blocks = BLOCK.findall(rest)
        relation = "(commit)" if rmgr == "Transaction" else "(none)"
        if blocks:
            node, fork, _ = blocks[0]
            relation = names.get(node, f"filenode {node}")
            if fork and fork != "main":
                relation += f" ({fork})"
        if relation == "shop.reviews" and kind.startswith("INSERT"):
            shop_transactions.add(xid)
        fpi = int(total) - int(match.group(2)) if any(b[2] for b in blocks) else 0
        records.append((xid, relation, f"{rmgr} {kind}", int(total), fpi))
    return [
        ("no transaction" if xid == "0" else "shop" if xid in shop_transactions else "Ondo", rel, kind, size, fpi)
        for xid, rel, kind, size, fpi in records
    ]


def table(title, reference, end_to_end, reviews, counts=None):
    keys = sorted(set(reference) | set(end_to_end), key=lambda k: -(end_to_end.get(k, 0) - reference.get(k, 0)))
    print(f"\n### {title}\n")
    print("| who | relation | record | reference B/review | end to end B/review | added B/review |"
          + (" records per review end to end |" if counts else ""))
    print("|---|---|---|---:|---:|---:|" + ("---:|" if counts else ""))
    for key in keys:
        ref, e2e = reference.get(key, 0) / reviews, end_to_end.get(key, 0) / reviews
        if max(ref, e2e) < 1:
            continue
        line = f"| {' | '.join(key)} | {ref:,.0f} | {e2e:,.0f} | {e2e - ref:+,.0f} |"
        if counts:
            line += f" {counts[1].get(key, 0) / reviews:.2f} |"
        print(line)


def main():
    relations_path, reference_path, end_to_end_path, reviews = sys.argv[1:5]
    reviews = int(reviews)
    names = {}
    for line in open(relations_path):
        node, name = line.split(maxsplit=1)
        names[node] = name.strip()
    phases = [parse(reference_path, names), parse(end_to_end_path, names)]
    by_record = [collections.Counter() for _ in phases]
    by_who = [collections.Counter() for _ in phases]
    counts = [collections.Counter() for _ in phases]
    fpis = [0, 0]
    for index, records in enumerate(phases):
        for who, relation, kind, size, fpi in records:
            by_record[index][(who, relation, kind)] += size
            by_who[index][(who, "all", "all")] += size
            counts[index][(who, relation, kind)] += 1
            fpis[index] += fpi
    totals = [sum(c.values()) / reviews for c in by_who]
    print(f"WAL per review: reference {totals[0]:,.0f} bytes, end to end {totals[1]:,.0f} bytes "
          f"(full-page images {fpis[0] / reviews:,.0f} and {fpis[1] / reviews:,.0f}); {reviews:,} reviews.")
    table("By transaction", by_who[0], by_who[1], reviews)
    table("By transaction, relation and record type", by_record[0], by_record[1], reviews, counts)


if __name__ == "__main__":
    main()
