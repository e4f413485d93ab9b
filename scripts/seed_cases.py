"""Fill a case store with demonstration cases built from the sample cases (for the executive dashboard).

    .venv/bin/python scripts/seed_cases.py --url sqlite:///path/cases.sqlite --count 200 --seed 1

Without --url the store is the one the worksheets use (``$COOPKIT_DATABASE_URL``, else
``$COOPKIT_WORKSPACE/cases.sqlite``). Cases are added to what is there. The cases themselves
are made by :func:`coopkit.store.samples.seed_cases`; each revision is assessed for its summary.
"""

from __future__ import annotations

import argparse
import sys
import time

from coopkit.errors import InputError
from coopkit.store.cases import CaseStore, default_url
from coopkit.store.samples import seed_cases


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="SQLAlchemy URL of the store (default: the worksheets' store)")
    parser.add_argument("--count", type=int, default=200, help="number of cases to add (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: same seed, same cases (default 1)")
    args = parser.parse_args(argv)
    store = CaseStore(args.url or default_url())
    print(f"Adding {args.count} cases to {store!r}", flush=True)
    start = time.perf_counter()
    step = max(1, args.count // 10)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            print(f"  {done:>5} of {total} cases  ({time.perf_counter() - start:5.1f} s)", flush=True)

    try:
        seed_cases(store, args.count, seed=args.seed, progress=progress)
        print(f"Done: {args.count} cases in {time.perf_counter() - start:.1f} s; the store now holds {len(store)}.")
    except InputError as exc:
        print(f"seed_cases: error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
