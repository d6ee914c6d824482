"""CPU seconds spent by processes, read from /proc, for benchmarks/pipeline.sh. Standard library only.

  process_cpu.py cluster POSTMASTER_PID   the PostgreSQL cluster: the postmaster's own CPU, the CPU of its children
                                          it has reaped (every backend whose connection closed), and every live
                                          child's (background processes, backends still connected); then, apart,
                                          the part of it that the long-lived background processes used so far
                                          (WAL writer, checkpointer, background writer, the two launchers)
  process_cpu.py machine                  the whole machine's busy and total CPU seconds since boot (/proc/stat)

Each prints seconds (floats). A phase's CPU is the difference of two readings.

Checked once against the kernel's own per-cgroup accounting (cgroup v1 cpuacct.usage, the scheduler's nanoseconds)
with the postmaster and its children moved into a cgroup of their own, over pgbench runs on a private cluster:
6,000 transactions over 4 kept connections, 2.78 s here and 2.77 s there; 6,000 transactions each on a new
connection (a backend started and reaped per transaction), 36.87 s and 36.88 s. (`perf stat -e task-clock -p` with
the children inherited gave 2.67 s and 31.75 s: it misses part of short-lived children's time.)
"""
import os, sys

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (which may hold spaces): index 0 is the state."""
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()


# Field numbers of proc(5) minus 3 (pid and comm are cut off, and proc(5) counts from 1).
PPID, UTIME, STIME, CUTIME, CSTIME = 1, 11, 12, 13, 14


def own_ticks(fields):
    return int(fields[UTIME]) + int(fields[STIME])


def reaped_ticks(fields):
    return int(fields[CUTIME]) + int(fields[CSTIME])


BACKGROUND = ("walwriter", "checkpointer", "background writer", "autovacuum launcher",
              "logical replication launcher")


def children(parent):
    """Each live child's stat fields and whether it is one of the long-lived background processes."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = stat_fields(name)
            if int(fields[PPID]) != parent:
                continue
            with open(f"/proc/{name}/cmdline", "rb") as f:
                title = f.read().decode(errors="replace").strip("\0 ")
        except (FileNotFoundError, ProcessLookupError):
            continue
        found.append((fields, title.removeprefix("postgres: ") in BACKGROUND))
    return found


def cluster_ticks(postmaster):
    """A child reaped while its siblings are read would be counted twice (live, then in the postmaster's
    reaped total) or not at all; the postmaster's reaped total is read before and after, and the reading
    is repeated until it did not change in between."""
    while True:
        before = stat_fields(postmaster)
        live = children(postmaster)
        after = stat_fields(postmaster)
        if reaped_ticks(before) == reaped_ticks(after):
            total = own_ticks(after) + reaped_ticks(after) + sum(own_ticks(fields) for fields, _ in live)
            return total, sum(own_ticks(fields) for fields, background in live if background)


def machine_seconds():
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal (guest time is already inside user).
    total = sum(values[:8])
    idle = values[3] + values[4]
    return (total - idle) / TICK, total / TICK


def main(argv):
    command = argv[1]
    if command == "cluster":
        total, background = cluster_ticks(int(argv[2]))
        print(total / TICK, background / TICK)
    elif command == "machine":
        busy, total = machine_seconds()
        print(busy, total)
    else:
        raise SystemExit(f"unknown command {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
