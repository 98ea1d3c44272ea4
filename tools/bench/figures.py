"""Shared by the benchmark scripts: percentiles and the shape of one timed figure.

Not a benchmark itself (``tools/bench.py`` runs ``bench_*.py`` only).

>>> percentile([5, 1, 4, 2, 3], 50)
3
>>> percentile([5, 1, 4, 2, 3], 95)
5
>>> timed_figure([0.001, 0.002, 0.003], size="small")
{'size': 'small', 'runs': 3, 'p50_ms': 2.0, 'p95_ms': 3.0, 'mean_ms': 2.0}
"""

import math
import time


def percentile(values, q):
    """Nearest-rank percentile: a value that was actually measured, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def timed_figure(seconds, **extra):
    """P50/P95/mean in milliseconds of a list of durations in seconds, plus ``extra`` keys first."""
    return {
        **extra,
        "runs": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1000, 3),
        "p95_ms": round(percentile(seconds, 95) * 1000, 3),
        "mean_ms": round(sum(seconds) / len(seconds) * 1000, 3),
    }


def repeat(function, runs, before=None):
    """Durations in seconds of ``runs`` calls of ``function()``; ``before()`` runs untimed first each time.

    Returns ``(durations, last_result)``.
    """
    durations, result = [], None
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return durations, result
