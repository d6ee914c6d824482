"""The CPU accounting of benchmarks/pipeline.sh: one line per measured phase, then the tables. Standard library only.

  pipeline_cpu.py record WORK RUN PHASE WALL FROM TO ONDO PGBENCH   prints one tab-separated line for cpu.tsv
  pipeline_cpu.py report CPU_TSV REVIEWS CORES                       prints the Markdown section of the results

record reads WORK/mark.FROM and WORK/mark.TO (written by pipeline.sh's cpu_mark: the cluster's CPU seconds and
its long-lived background processes' part, the machine's busy and total seconds, the load average, the status
queries sent since the mark before, the WAL flushes so far), `ondo serve`'s saved /proc stat lines (ONDO: window = since it listened,
life = since it started, none) and pgbench's `times` (PGBENCH: yes or no). Its line: run, phase, wall seconds, the
cluster's CPU seconds, of them the background processes', `ondo serve`'s, of them its start's (until it listened;
life only), pgbench's, the status queries, the load average at FROM, the machine's busy and total seconds, the
WAL flushes.
"""
import os, statistics, sys

TICK = os.sysconf("SC_CLK_TCK")
FIELDS = ["run", "phase", "wall", "cluster", "background", "ondo", "startup", "pgbench", "queries", "load", "busy",
          "total", "flushes"]


def read_mark(work, name):
    cluster, background, busy, total, load, queries, flushes = open(os.path.join(work, f"mark.{name}")).read().split()
    return float(cluster), float(background), float(busy), float(total), float(load), int(queries), int(flushes)


def process_seconds(path):
    text = open(path).read()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime: proc(5) fields 14 and 15


def children_seconds(path):
    """bash's `times`: the second line is the children's user and system time, as 1m2.345s 0m0.678s."""
    def seconds(text):
        minutes, rest = text.rstrip("s").split("m")
        return 60 * float(minutes) + float(rest)
    user, system = open(path).read().splitlines()[1].split()
    return seconds(user) + seconds(system)


def record(work, run, phase, wall, start, end, ondo, pgbench):
    cluster0, background0, busy0, total0, load, _, flushes0 = read_mark(work, start)
    cluster1, background1, busy1, total1, _, queries, flushes1 = read_mark(work, end)
    ondo_seconds = startup_seconds = 0.0
    if ondo == "window":
        ondo_seconds = process_seconds(f"{work}/ondo.stopping") - process_seconds(f"{work}/ondo.started")
    elif ondo == "life":
        ondo_seconds = process_seconds(f"{work}/ondo.stopping")
        startup_seconds = process_seconds(f"{work}/ondo.started")
    pgbench_seconds = 0.0
    if pgbench == "yes":
        pgbench_seconds = (children_seconds(f"{work}/pgbench.times.after")
                           - children_seconds(f"{work}/pgbench.times.before"))
    values = [run, phase, wall, f"{cluster1 - cluster0:.3f}", f"{background1 - background0:.3f}",
              f"{ondo_seconds:.3f}", f"{startup_seconds:.3f}", f"{pgbench_seconds:.3f}", queries, load,
              f"{busy1 - busy0:.3f}", f"{total1 - total0:.3f}", flushes1 - flushes0]
    print("\t".join(str(v) for v in values))


def median(values):
    return statistics.median(values) if values else float("nan")


def spread(values):
    return f"{median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def report(path, reviews, cores):
    rows = [dict(zip(FIELDS, line.rstrip("\n").split("\t"))) for line in open(path) if line.strip()]
    for row in rows:
        for key in FIELDS[2:]:
            row[key] = float(row[key])
    runs = sorted({int(row["run"]) for row in rows})
    by = {(int(row["run"]), row["phase"]): row for row in rows}
    phases = [p for p in ["raw", "reference", "e2e", "standin", "drain-inserts", "drain", "bound", "bound-standin"]
              if any(phase == p for _, phase in by)]

    # One status query (a psql connection: its backend's start, the count, its exit), measured each run.
    query_cost = median([by[(r, "query")]["cluster"] / by[(r, "query")]["queries"] for r in runs if (r, "query") in by])

    def harness(row):
        return row["queries"] * query_cost

    def shop_database(r):
        """The shop inserts' database CPU in run r: the mean of its two readings of the same inserts without Ondo
        (the reference, and the inserts before the drain), which differ by several per cent on a busy machine."""
        readings = [by[(r, phase)]["cluster"] for phase in ("reference", "drain-inserts") if (r, phase) in by]
        return sum(readings) / len(readings)

    def ondo_side(r, phase):
        """`ondo serve`'s CPU and the database CPU that Ondo costs in one run's phase, in seconds."""
        row = by[(r, phase)]
        database = row["cluster"] - harness(row)
        if phase != "drain":  # end to end: above the same run's reference
            database -= shop_database(r)
        return row["ondo"], database

    names = {
        "raw": "the inserts alone, no trigger",
        "reference": "the inserts alone, with the trigger = reference",
        "e2e": "end to end, shipped model",
        "standin": "end to end, stand-in model",
        "drain-inserts": "the inserts before the drain (a second reference)",
        "drain": "draining afterwards, shipped model",
        "bound": "upper bound: no state recompute, shipped model",
        "bound-standin": "upper bound: no state recompute, stand-in model",
    }
    print(f"CPU time per phase (medians of {len(runs)} runs; CPU seconds, read from /proc before and after each phase):")
    print()
    print("| phase | wall s | database CPU s | of it: background processes s | of it: status queries s "
          f"| ondo serve CPU s | pgbench CPU s | these processes' share of {cores} cores | whole machine busy "
          "| load average before | WAL flushes per 100 reviews |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for phase in phases:
        rows_p = [by[(r, phase)] for r in runs if (r, phase) in by]
        get = lambda key: median([row[key] for row in rows_p])
        wall = get("wall")
        ours = median([(row["cluster"] + row["ondo"] + row["pgbench"]) / (cores * row["wall"])
                       for row in rows_p if row["wall"] > 0])
        busy = median([row["busy"] / row["total"] for row in rows_p if row["total"] > 0])
        print(f"| {names[phase]} | " + (f"{wall:.2f}" if wall > 0 else "–") + f" | {get('cluster'):.2f} "
              f"| {get('background'):.2f} | {median([harness(row) for row in rows_p]):.2f} | {get('ondo'):.2f} "
              f"| {get('pgbench'):.2f} | " + (f"{100 * ours:.0f} %" if wall > 0 else "–")
              + f" | {100 * busy:.0f} % | " + ", ".join(f"{row['load']:.2f}" for row in rows_p)
              + f" | {100 * get('flushes') / reviews:.1f} |")
    print()
    timed = [row for row in rows if row["wall"] > 0 and row["total"] > 0]
    others = median([row["busy"] / row["total"] - (row["cluster"] + row["ondo"] + row["pgbench"]) / (cores * row["wall"])
                     for row in timed])
    # The machine's busy share (/proc/stat) and the processes' CPU (/proc/PID) are read a moment apart: on a quiet
    # machine their difference can come out a little below zero.
    share = "less than 1 %" if others < 0.005 else f"about {100 * others:.0f} %"
    print(f"Other processes (not this benchmark's cluster, `ondo serve` or pgbench) kept {share} of "
          f"the machine's {cores} cores busy during the timed phases (median; the script's own psql and Python "
          "processes count among them)" + (": the machine was shared, and the wall-clock figures above are slower "
          "than on a quiet machine." if others > 0.1 else "."))
    print()
    print("Background processes: the WAL writer, checkpointer, background writer and the two launchers (autovacuum "
          "workers come and go and are in the database column only). Draining includes `ondo serve`'s start, "
          f"{median([by[(r, 'drain')]['startup'] for r in runs if (r, 'drain') in by]):.2f} s of CPU until it "
          "listened (its wall clock does too); the end-to-end phases start once it listens.")
    print()

    micro = lambda seconds: 1e6 * seconds / reviews
    shop = [shop_database(r) for r in runs]
    print("CPU per review (medians over runs; µs of CPU per review; the ratio is to the shop inserts' database CPU, "
          "the mean of its two readings in each run):")
    print()
    print("| side | ondo serve µs | database µs | together µs | ratio to the shop's inserts |")
    print("|---|---:|---:|---:|---:|")
    print(f"| **shop: the inserts' database CPU, with the trigger** | – | {micro(median(shop)):,.0f} | "
          f"{micro(median(shop)):,.0f} | 1.00 |")
    for phase, label in [("reference", "reading 1: the reference run"),
                         ("drain-inserts", "reading 2: the same inserts before the drain")]:
        values = [by[(r, phase)]["cluster"] for r in runs if (r, phase) in by]
        if values:
            print(f"| shop, {label} | – | {micro(median(values)):,.0f} | {micro(median(values)):,.0f} "
                  f"| {median(values) / median(shop):.2f} |")
    raw = [by[(r, "raw")]["cluster"] for r in runs if (r, "raw") in by]
    if raw:
        print(f"| shop: the inserts without the trigger | – | {micro(median(raw)):,.0f} | {micro(median(raw)):,.0f} "
              f"| {median(raw) / median(shop):.2f} |")
    pgbench = [by[(r, "reference")]["pgbench"] for r in runs]
    print(f"| shop's client, pgbench (apart, not in the ratio) | – | – | {micro(median(pgbench)):,.0f} | "
          f"{median(pgbench) / median(shop):.2f} |")
    ratios = {}
    for phase, label in [("e2e", "**Ondo end to end, shipped model** (database: above the shop's inserts)"),
                         ("standin", "Ondo end to end, stand-in model (database: above the shop's inserts)"),
                         ("drain", "Ondo draining afterwards, shipped model (database: all of it)"),
                         ("bound", "upper bound, no recompute, shipped model"),
                         ("bound-standin", "upper bound, no recompute, stand-in model")]:
        present = [r for r in runs if (r, phase) in by]
        if not present:
            continue
        parts = [ondo_side(r, phase) for r in present]
        ratios[phase] = [(o + d) / shop_database(r) for r, (o, d) in zip(present, parts)]
        o = median([p[0] for p in parts]); d = median([p[1] for p in parts]); t = median([sum(p) for p in parts])
        print(f"| {label} | {micro(o):,.0f} | {micro(d):,.0f} | {micro(t):,.0f} | "
              f"{t / median(shop):.2f} |")
    print()
    print("Ondo's CPU per review over the shop inserts' database CPU per review, run by run — median (lowest–highest): "
          + "; ".join(f"{names[p]} {spread(v)}" for p, v in ratios.items())
          + f". The script's own status queries ({1e3 * query_cost:.1f} ms of database CPU each, "
          "measured each run) are not counted as Ondo's.")
    print()

    # What 0.8 of the reference's rate would take if the end-to-end run kept the share of the cores it had and its
    # wall time followed its CPU seconds. On a shared machine that share is set by the neighbours as much as by Ondo.
    budgets = []
    for r in runs:
        ref, e2e = by[(r, "reference")], by[(r, "e2e")]
        used = e2e["cluster"] + e2e["ondo"] + e2e["pgbench"]
        share = used / (cores * e2e["wall"])
        ondo_cpu = sum(ondo_side(r, "e2e"))
        others = used - ondo_cpu
        allowed = share * cores * ref["wall"] / 0.8 - others
        budgets.append((allowed / shop_database(r), ondo_cpu / shop_database(r), share, ref["wall"] / e2e["wall"]))
    print("If the end-to-end run kept the share of the cores it had (pgbench, the cluster and `ondo serve` together) "
          "and took wall time in proportion to its CPU seconds, 0.8 of the reference's rate would need Ondo's CPU "
          "per review to be at most " + spread([b[0] for b in budgets]) + " times the inserts' database CPU (it was "
          + spread([b[1] for b in budgets]) + "; share of the cores " + spread([b[2] for b in budgets])
          + "; wall-clock ratio " + spread([b[3] for b in budgets]) + "). On a shared machine the share depends on "
          "the neighbours as much as on Ondo.")
    print()
    print("Raw CPU seconds per run (run phase: database, ondo serve, pgbench, status queries; load average before): "
          + "; ".join(f"{int(row['run'])} {row['phase']}: {row['cluster']:.2f}, {row['ondo']:.2f}, "
                      f"{row['pgbench']:.2f}, {int(row['queries'])}; {row['load']:.2f}" for row in rows) + ".")


def main(argv):
    if argv[1] == "record":
        record(*argv[2:10])
    elif argv[1] == "report":
        report(argv[2], int(argv[3]), int(argv[4]))
    else:
        raise SystemExit(f"unknown command {argv[1]}")


if __name__ == "__main__":
    main(sys.argv)
