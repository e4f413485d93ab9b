"""Monte Carlo draw rate of the win-win check: vectorised path against a per-draw Python loop.

Measures the real path (``winwin.check`` with ranges: drawing every input,
splitting under every rule, P(win-win), percentiles) and, in the same run, a
plain Python loop that computes one draw at a time, so the speed-up is
measured rather than assumed.

    .venv/bin/python benchmarks/monte_carlo.py
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from coopkit.frameworks import winwin
from coopkit.frameworks.uncertainty import Range, draw

ROOT = Path(__file__).resolve().parents[1]


def deal(n: int):
    parties = [f"P{j}" for j in range(n)]
    standalone = [Range(80 + 10 * j, 100 + 10 * j, 130 + 10 * j) for j in range(n)]
    value = Range(
        sum(100 + 10 * j for j in range(n)) * 1.05,
        sum(100 + 10 * j for j in range(n)) * 1.2,
        sum(100 + 10 * j for j in range(n)) * 1.4,
    )
    risk = [Range(0, 2, 10)] * n
    return parties, standalone, value, risk


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def loop_rate(n: int, draws: int) -> float:
    """Draws per second of the same work done one draw at a time in a Python loop.

    Per draw: sample every input from its PERT distribution, split under the
    four rules with ``winwin.split`` on 1-D arrays, subtract the risk and test
    whether every party gains; the vectorised path does exactly this for all
    draws at once.
    """
    _, standalone, value, risk = deal(n)
    kw = dict(contribution=np.ones(n), bargaining_power=np.ones(n), synergy_shapley=np.full(n, 1 / n))
    rules = ("shapley", "nash", "proportional", "equal")

    def run():
        rng = np.random.default_rng(0)
        wins = 0
        for _ in range(draws):
            d = np.array([draw(e, 1, rng)[0] for e in standalone])
            v = draw(value, 1, rng)[0]
            r = np.array([draw(e, 1, rng)[0] for e in risk])
            for rule in rules:
                gain = winwin.split(rule, d, v, **kw) - r - d
                wins += bool((gain > 0).all())
        return wins

    return draws / best_of(run, 1)


def main() -> int:
    rows = []
    for n in (2, 4, 6):
        parties, standalone, value, risk = deal(n)
        for draws in (100_000, 1_000_000):
            seconds = best_of(
                lambda p=parties, s=standalone, v=value, r=risk, k=draws: winwin.check(
                    p, s, v, split_rule="nash", risk_adjustment=r, draws=k, seed=0
                )
            )
            rows.append({"parties": n, "draws": draws, "seconds": seconds, "draws_per_second": draws / seconds})
        rows[-1]["loop_draws_per_second"] = loop_rate(n, 5_000)
    print(
        f"Monte Carlo of winwin.check (Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()})"
    )
    print(f"{'parties':>7} {'draws':>10} {'seconds':>8} {'draws/s':>12} {'loop draws/s':>13} {'speed-up':>9}")
    for row in rows:
        loop = row.get("loop_draws_per_second")
        speed = f"{row['draws_per_second'] / loop:8.0f}x" if loop else ""
        print(
            f"{row['parties']:>7} {row['draws']:>10,} {row['seconds']:>8.3f} {row['draws_per_second']:>12,.0f} "
            f"{(f'{loop:,.0f}' if loop else ''):>13} {speed:>9}"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "monte_carlo.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
