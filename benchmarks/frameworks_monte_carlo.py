"""Monte Carlo speed of the reputation-risk and market-growth frameworks, on their real paths.

``reputation.assess`` with ranges on every ranged input (drawing, likelihood,
impact, the rating of every draw, percentiles) and ``market.assess`` with
ranges on the market potential, the price and the three uplifts (two Bass
paths per draw, every party's NPV, P(market grows enough), the fan
percentiles), at several sizes.

    .venv/bin/python benchmarks/frameworks_monte_carlo.py
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from coopkit.frameworks import market, reputation

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def reputation_run(draws: int):
    return reputation.assess(
        {"quality": 4, "satisfaction": 4, "incidents": 3},
        base_rate=(0.04, 0.08, 0.15),
        revenue=(1e6, 1.2e6, 1.4e6),
        customers_lost=(0.04, 0.08, 0.15),
        recovery_years=(1, 1.5, 3),
        one_off_cost=(2e4, 4e4, 8e4),
        mitigations=["quality_clauses", "exit_rights"],
        draws=draws,
    )


def market_run(draws: int, years: int, parties: int):
    names = [f"P{j}" for j in range(parties)]
    return market.assess(
        names,
        [0.5 / parties] * parties,
        [0.55 / parties] * parties,
        m=(50_000, 60_000, 80_000),
        revenue_per_customer=(10_000, 12_000, 14_000),
        m_uplift=(0.0, 0.15, 0.3),
        p_uplift=(0.1, 0.3, 0.5),
        q_uplift=(0.0, 0.0, 0.1),
        years=years,
        market_age=4,
        basis="one-off",
        cooperation_cost=[60_000] * parties,
        draws=draws,
    )


def main() -> int:
    rows = []
    for draws in (100_000, 1_000_000):
        seconds = best_of(lambda d=draws: reputation_run(d))
        rows.append({"framework": "reputation", "draws": draws, "seconds": seconds})
    for parties, years in ((2, 6), (2, 30), (6, 30)):
        for draws in (20_000, 200_000):
            seconds = best_of(lambda d=draws, y=years, n=parties: market_run(d, y, n), repeat=3)
            rows.append({"framework": "market", "parties": parties, "years": years, "draws": draws, "seconds": seconds})
    print(f"Framework Monte Carlo (Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()})")
    print(f"{'framework':>10} {'parties':>7} {'years':>5} {'draws':>10} {'seconds':>8} {'draws/s':>12}")
    for row in rows:
        row["draws_per_second"] = row["draws"] / row["seconds"]
        print(
            f"{row['framework']:>10} {row.get('parties', ''):>7} {row.get('years', ''):>5} {row['draws']:>10,} "
            f"{row['seconds']:>8.3f} {row['draws_per_second']:>12,.0f}"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "frameworks_monte_carlo.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
