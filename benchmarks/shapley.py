"""The Shapley value at scale: exact for 20 players, and the sampling estimate's error for 100 players.

Exact, 20 players (1,048,576 coalitions), for the partnership game of
docs/ARCHITECTURE.md, ``v(S) = stand-alone payoffs of S + surplus x (c_S / c_N)^r``,
written as a vectorised characteristic function (one call on the boolean
membership matrix of every coalition):

- ``game.shapley(players, value, method="exact", vectorized=True)``: the public
  path (membership matrix, the value of every coalition, then the Shapley sum
  player by player over bit masks);
- ``game.shapley_vectorised(20, values)``: the subset-sum form over strided views,
  given the values (timed alone, and with the values computed);
- the same values through ``shapley_matrix(20)`` would need a 20 x 2**20 matrix
  (160 MB): not timed.

Sampling, 100 players (Castro, Gómez and Tejada 2009, ``method="sampling"``):
the largest relative error over the players, against the exact value known in
closed form, of an additive game (every ordering gives each player its own value,
so the estimate is exact) and of a game with pairwise synergies
(``phi_i = a_i + sum_j b_ij / 2``), for several numbers of orderings, with the
time taken. Median of ``--repeat`` runs; the load average is printed.

    .venv/bin/python benchmarks/shapley.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from coopkit.frameworks import game

ROOT = Path(__file__).resolve().parents[1]
TARGET_EXACT_SECONDS = 2.0
TARGET_SAMPLING_ERROR = 0.01


def timed(fn, repeat: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def partnership_game(n: int, seed: int = 0):
    """Stand-alone payoffs (EUR per year), contributions and the pooled-surplus characteristic function."""
    rng = np.random.default_rng(seed)
    standalone = rng.uniform(50_000, 500_000, size=n)
    contribution = rng.uniform(1, 10, size=n)
    surplus, r = 0.3 * standalone.sum(), 1.5

    def value(members: np.ndarray) -> np.ndarray:
        x = members.astype(float)
        return x @ standalone + surplus * ((x @ contribution) / contribution.sum()) ** r

    return standalone, value


def synergy_game(n: int, seed: int = 6):
    rng = np.random.default_rng(seed)
    a = rng.uniform(10_000, 20_000, size=n)
    b = np.triu(rng.uniform(0, 50, size=(n, n)), 1)
    b = b + b.T

    def value(members: np.ndarray) -> np.ndarray:
        x = members.astype(float)
        return x @ a + 0.5 * ((x @ b) * x).sum(axis=1)

    return a + b.sum(axis=1) / 2, value


def mask_gather(n: int, v: np.ndarray) -> np.ndarray:
    """The Shapley sum written directly, player by player: gather v(S + j) - v(S) over the masks without j.

    What ``game.shapley`` did before the strided half-sums; kept here as the independent reference the exact
    results are checked against, and timed beside them.
    """
    masks = np.arange(2**n, dtype=np.int64)
    sizes = np.bitwise_count(masks.astype(np.uint64)).astype(np.int64)
    weights = np.array([math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)])
    phi = np.empty(n)
    for j in range(n):
        without = masks[(masks & (1 << j)) == 0]
        phi[j] = np.dot(weights[sizes[without]], v[without | (1 << j)] - v[without])
    return phi


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median; default 5)")
    args = parser.parse_args(argv)
    out: dict = {"load_at_start": load()}
    print(f"Shapley at scale (Python {platform.python_version()}, numpy {np.__version__}); load {load()}")

    n = 20
    players = [f"P{j}" for j in range(n)]
    _, value = partnership_game(n)
    values = game.coalition_values(players, value, vectorized=True)
    rows = []
    median, times, public = timed(
        lambda: game.shapley(players, value, method="exact", vectorized=True).amounts, args.repeat
    )
    rows.append(("shapley(method='exact', vectorized=True): values + Shapley sum", median, times))
    median, times, _ = timed(lambda: game.coalition_values(players, value, vectorized=True), args.repeat)
    rows.append(("coalition_values(vectorized=True) alone", median, times))
    median, times, fast = timed(lambda: game.shapley_vectorised(n, values), args.repeat)
    rows.append(("shapley_vectorised(20, values) alone", median, times))
    median, times, _ = timed(
        lambda: game.shapley_vectorised(n, game.coalition_values(players, value, vectorized=True)), args.repeat
    )
    rows.append(("coalition_values + shapley_vectorised", median, times))
    median, times, reference = timed(lambda: mask_gather(n, values), args.repeat)
    rows.append(("reference: the Shapley sum by per-player mask gather, alone", median, times))
    agree = float(max(np.max(np.abs(np.asarray(r) - reference) / np.abs(reference)) for r in (public, fast)))
    print(f"\nExact, {n} players ({2**n:,} coalitions), median of {args.repeat} (target < {TARGET_EXACT_SECONDS} s)")
    for what, median, times in rows:
        print(f"  {what:75} {median:7.3f} s  ({min(times):.3f}-{max(times):.3f})")
    print(f"  largest relative difference from the mask-gather reference: {agree:.1e}; load {load()}")
    out["exact"] = {"players": n, "rows": [{"what": w, "median": m, "times": t} for w, m, t in rows], "agree": agree}

    n = 100
    players = [f"P{j}" for j in range(n)]
    weights = np.random.default_rng(5).uniform(1_000, 50_000, size=n)
    sampled = []
    print(f"\nSampling, {n} players: largest relative error over the players (target < {TARGET_SAMPLING_ERROR:.0%})")
    for name, (exact, fn) in (
        ("additive", (weights, lambda members: members @ weights)),
        ("pairwise synergies", synergy_game(n)),
    ):
        for permutations in (100, 1_000, 2_000, 10_000):
            median, times, phi = timed(
                lambda f=fn, p=permutations: game.shapley(
                    players, f, method="sampling", permutations=p, seed=1, vectorized=True
                ),
                max(1, args.repeat // 2),
            )
            error = float(np.max(np.abs(phi.amounts - exact) / np.abs(exact)))
            within = float(np.max(np.abs(phi.amounts - exact) / phi.std_error)) if np.all(phi.std_error > 0) else 0.0
            sampled.append(
                {
                    "game": name,
                    "permutations": permutations,
                    "seconds": median,
                    "max_rel_error": error,
                    "max_se": within,
                }
            )
            print(
                f"  {name:19} {permutations:>7,} orderings  {median:6.2f} s  max error {error:8.4%}"
                + (f"  (worst player {within:.1f} standard errors off)" if within else "")
            )
    print(f"  load {load()}")
    out["sampling"] = sampled
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "shapley.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
