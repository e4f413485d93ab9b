"""Monte Carlo draw rate: the win-win check, and every worksheet's full assessment, against per-draw loops.

Two measurements, each against a plain Python loop that does the same work one
draw at a time, in the same run, so the speed-up is measured rather than assumed:

1. The framework path, ``winwin.check`` with ranges (drawing every input,
   splitting under every rule, P(win-win), percentiles), for 2, 4 and 6 parties.
2. The full option assessment, inputs to verdict: for every worksheet whose
   Inputs model has a ``draws`` field, its sample case (ranges on) is validated
   and assessed (``options.validate`` then ``sheet.assess``: every Monte Carlo
   draw, the verdict, findings, tables, one-at-a-time sensitivity) at the
   model's default and at its largest allowed number of draws (the models cap
   draws; 1,000,000 for most). The per-draw loop assesses the same sample with
   ranges off, each time at one draw of the ranged inputs (beta-PERT, as the
   vectorised path draws them), on ``--loop-draws`` draws, extrapolated.

Best of ``--repeat`` runs. numpy is held to one thread (one core). The load
average is printed: other jobs on the machine slow every figure.

    .venv/bin/python benchmarks/monte_carlo.py [--repeat 5] [--loop-draws 200]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before numpy loads
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import copy  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from coopkit.frameworks import winwin  # noqa: E402
from coopkit.frameworks.uncertainty import Range, draw  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET_DRAWS_PER_SECOND = 1_000_000


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


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --------------------------------------------------------------------------- full option assessments
def _ranged(node) -> bool:
    return (
        isinstance(node, dict)
        and {"low", "likely", "high"} <= set(node)
        and all(isinstance(node[k], int | float) for k in ("low", "likely", "high"))
    )


def _one_draw(node, rng: np.random.Generator):
    """The inputs with every three-point range replaced by one beta-PERT draw (as its most likely value)."""
    if _ranged(node):
        low, likely, high = (float(node[k]) for k in ("low", "likely", "high"))
        value = draw(Range(low, likely, high), 1, rng)[0] if high > low else likely
        return {**{k: v for k, v in node.items() if k not in ("low", "high")}, "likely": float(value)}
    if isinstance(node, dict):
        return {k: _one_draw(v, rng) for k, v in node.items()}
    if isinstance(node, list):
        return [_one_draw(v, rng) for v in node]
    return node


def option_rows(repeat: int, loop_draws: int) -> list[dict]:
    from coopkit import options
    from coopkit.store.casefile import read_case, sample_case

    rows = []
    for name in options.names():
        sheet = options.get(name)
        field = sheet.inputs.model_fields.get("draws")
        if field is None:
            continue
        cap = next(m.le for m in field.metadata if getattr(m, "le", None) is not None)
        sample = read_case(sample_case(sheet.sample)).inputs
        for draws in sorted({field.default, cap}):
            data = {**copy.deepcopy(sample), "use_ranges": True, "draws": draws}

            def run(d=data, sh=sheet):
                inputs, problems = options.validate(sh.inputs, d)
                assert not problems, problems
                return sh.assess(inputs)

            seconds = best_of(run, repeat)
            rows.append({"worksheet": name, "draws": draws, "seconds": seconds, "draws_per_second": draws / seconds})
        rng = np.random.default_rng(0)
        point = {**copy.deepcopy(sample), "use_ranges": False}

        def loop(n=loop_draws, p=point, r=rng, sh=sheet):
            verdicts = []
            for _ in range(n):
                inputs, problems = options.validate(sh.inputs, _one_draw(p, r))
                verdicts.append(sh.assess(inputs).verdict if not problems else None)
            return verdicts

        rows[-1]["loop_draws_per_second"] = loop_draws / best_of(loop, 1)
        print(f"  {name:18} done (load {load()})", flush=True)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement, best kept (default 5)")
    parser.add_argument("--loop-draws", type=int, default=200, help="draws of each per-draw loop (default 200)")
    args = parser.parse_args(argv)
    print(f"Load average at start {load()}")
    rows = []
    for n in (2, 4, 6):
        parties, standalone, value, risk = deal(n)
        for draws in (100_000, 1_000_000):
            seconds = best_of(
                lambda p=parties, s=standalone, v=value, r=risk, k=draws: winwin.check(
                    p, s, v, split_rule="nash", risk_adjustment=r, draws=k, seed=0
                ),
                args.repeat,
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
    print(f"  load {load()}")
    print()
    print("Full option assessment (inputs -> verdict), sample case with ranges")
    options_rows = option_rows(args.repeat, args.loop_draws)
    print()
    print("| Worksheet | Draws | Seconds | Draws per second | Per-draw loop | Speed-up | ≥ 1M/s |")
    print("|---|---|---|---|---|---|---|")
    for row in options_rows:
        loop = row.get("loop_draws_per_second")
        print(
            f"| {row['worksheet']} | {row['draws']:,} | {row['seconds']:.3f} | {row['draws_per_second']:,.0f} | "
            + (f"{loop:,.0f} | {row['draws_per_second'] / loop:,.0f}× |" if loop else " | |")
            + f" {'yes' if row['draws_per_second'] >= TARGET_DRAWS_PER_SECOND else 'no'} |"
        )
    print(f"\nLoad average at end {load()}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "monte_carlo.json").write_text(json.dumps(rows, indent=2))
    (out / "monte_carlo_options.json").write_text(json.dumps(options_rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
