"""Timing shared by the Python peers, the same method as SymGradPeers/Program.cs (Timing.Measure):
warm up for a second (at least 50 calls), size a block of calls to take at least 10 ms, then time blocks for
`seconds` and return the median time per call over the blocks (and the fastest block, the number of calls and of
blocks). The load average is read before and after."""
import os
import time


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(v) for v in f.read().split()[:3]]


def measure(call, seconds=5.0):
    before = loadavg()
    t_end = time.perf_counter() + 1.0
    warm = 0
    while time.perf_counter() < t_end or warm < 50:
        call()
        warm += 1

    n = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            call()
        ms = (time.perf_counter_ns() - t0) / 1e6
        if ms >= 10:
            break
        n = n * 10 if ms <= 0.5 else int(-(-n * 12 // ms))

    per_call = []
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end or len(per_call) < 5:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            call()
        per_call.append((time.perf_counter_ns() - t0) / n)
    per_call.sort()
    c = len(per_call)
    median = per_call[c // 2] if c % 2 else (per_call[c // 2 - 1] + per_call[c // 2]) / 2
    return {"median_ns": median, "min_ns": per_call[0], "calls": n * c, "blocks": c,
            "loadavg_before": before, "loadavg_after": loadavg()}


def seconds_from_env(default=5.0):
    return float(os.environ.get("PEERS_SECONDS", default))
