#!/usr/bin/env python3
"""Summarizes a webhook_receiver.py log: unique deliveries, duplicates, deliveries per second
(first to last arrival) and change-to-delivery latency percentiles.

    webhook_stats.py LOGFILE LABEL
"""
import sys

rows = []
for line in open(sys.argv[1]):
    msg, emitted, arrived = line.strip().split(",")
    if emitted:
        rows.append((msg, float(emitted), float(arrived)))
label = sys.argv[2]
if not rows:
    print(f"{label}: no deliveries")
    sys.exit(1)
unique = {m for m, _, _ in rows}
first, last = min(r[2] for r in rows), max(r[2] for r in rows)
lat = sorted(a - e for _, e, a in rows)


def pct(p):
    return lat[min(len(lat) - 1, int(p / 100.0 * len(lat)))]


rate = len(rows) / max((last - first) / 1000.0, 1e-3)
print(f"{label}: deliveries {len(rows)} (unique {len(unique)}), {rate:.0f} deliveries/s, "
      f"latency p50 {pct(50):.0f} ms, p99 {pct(99):.0f} ms, max {lat[-1]:.0f} ms")
