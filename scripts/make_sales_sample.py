"""Write the synthetic CRM export of the sales workbook and the two sample cases that embed it.

.venv/bin/python scripts/make_sales_sample.py

Writes (seeded, so the same files every run):

* ``data/sales/crm_deals.csv``: 1,500 closed deals over 2024-2025 of an
  invented software vendor: 6 reps, 3 segments, 4 competitors (and deals with
  no competitor recorded), loss reasons, deal values in EUR and a six-item
  preparation checklist scored 0 (not done), 1 (partly) or 2 (done);
* ``data/samples/sales_win_loss.json`` and ``data/samples/sales_deal_review.json``:
  the win/loss review and deal review worksheets, that CSV in their upload field.

Everything is invented. The patterns built in, for the worksheets to find:

* we improve against Kestrel Software (log-odds -0.9 at the start, +0.3 at the end)
  and slip against Vantage Cloud (+0.4 to -0.5); Northwind Systems and
  Brightline stay where they are;
* every checklist point adds to the log-odds of a win (knowing the competitor's
  pitch and having proof points most), and reps differ in how well they prepare;
* deals lost to Brightline are lost on price more often, to Vantage Cloud on
  product fit, to Kestrel Software to its incumbent relationships;
* 5 % of deals have no checklist filled in, 5 % of losses no reason recorded.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240101
DEALS = 1_500

REPS = {  # name: (share of deals, log-odds skill, preparation propensity)
    "Ana Ruiz": (0.20, 0.30, 0.9),
    "Ben Okafor": (0.18, 0.10, 0.3),
    "Chloé Martin": (0.17, 0.00, 0.5),
    "Dev Patel": (0.16, -0.10, -0.2),
    "Eva Novak": (0.15, 0.15, 0.4),
    "Finn Larsen": (0.14, -0.30, -0.7),
}
SEGMENTS = {  # name: (share, log-odds, median deal value in EUR, spread)
    "SMB": (0.45, 0.25, 9_000, 0.5),
    "Mid-market": (0.35, 0.00, 38_000, 0.5),
    "Enterprise": (0.20, -0.35, 150_000, 0.6),
}
COMPETITORS = {  # name: (share, log-odds at the start, at the end)
    "Northwind Systems": (0.30, -0.25, -0.25),
    "Brightline": (0.25, 0.10, 0.10),
    "Kestrel Software": (0.22, -0.90, 0.30),
    "Vantage Cloud": (0.15, 0.40, -0.50),
    "": (0.08, 0.50, 0.50),  # no competitor recorded
}
CHECKLIST = {  # column: (title, log-odds per point above 1, how often it is done)
    "prep_research": ("Account research done", 0.10, 0.6),
    "prep_objections": ("Objections anticipated", 0.12, 0.2),
    "prep_competitor_pitch": ("Competitor's likely pitch known", 0.25, -0.3),
    "prep_proof_points": ("Proof points chosen", 0.22, 0.1),
    "prep_champion": ("Champion confirmed", 0.15, 0.0),
    "prep_next_steps": ("Next steps agreed", 0.05, 0.4),
}
REASONS = {  # reason: base weight
    "Price": 0.30,
    "Product fit": 0.22,
    "Incumbent relationship": 0.14,
    "Timing / budget": 0.14,
    "Implementation risk": 0.10,
    "Support concerns": 0.06,
    "Other": 0.04,
}
REASON_BIAS = {
    "Brightline": {"Price": 2.2},
    "Vantage Cloud": {"Product fit": 2.0},
    "Kestrel Software": {"Incumbent relationship": 2.0},
}
BASE = -0.30


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def deals(seed: int = SEED, n: int = DEALS) -> pd.DataFrame:
    """The synthetic deals as a table (the columns of the CSV)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01")
    span = 731  # days in 2024-2025
    # volume grows over the two years: density proportional to 2 + t on [0, 1], drawn by inverting its CDF
    u = -2.0 + np.sqrt(4.0 + 2 * rng.random(n) * 2.5)
    days = np.sort(np.floor(u * span).astype(int).clip(0, span - 1))
    t = days / (span - 1)
    names = list(REPS)
    rep = rng.choice(len(names), size=n, p=[v[0] for v in REPS.values()])
    segs = list(SEGMENTS)
    seg = rng.choice(len(segs), size=n, p=[v[0] for v in SEGMENTS.values()])
    comps = list(COMPETITORS)
    comp = rng.choice(len(comps), size=n, p=[v[0] for v in COMPETITORS.values()])
    skill = np.array([REPS[r][1] for r in names])[rep]
    prep = np.array([REPS[r][2] for r in names])[rep] + rng.normal(0, 0.8, n)
    logit = BASE + skill + np.array([SEGMENTS[s][1] for s in segs])[seg]
    c_start = np.array([COMPETITORS[c][1] for c in comps])[comp]
    c_end = np.array([COMPETITORS[c][2] for c in comps])[comp]
    logit += c_start + (c_end - c_start) * t
    items = {}
    for column, (_, effect, ease) in CHECKLIST.items():
        level = rng.binomial(2, _sigmoid(prep + ease))
        items[column] = level
        logit += effect * (level - 1)
    won = rng.random(n) < _sigmoid(logit)
    medians = np.array([SEGMENTS[s][2] for s in segs])[seg]
    spread = np.array([SEGMENTS[s][3] for s in segs])[seg]
    amount = np.round(medians * np.exp(rng.normal(0, spread)) / 100) * 100
    reasons = list(REASONS)
    loss_reason = []
    for j in range(n):
        if won[j] or rng.random() < 0.05:
            loss_reason.append("")
            continue
        bias = REASON_BIAS.get(comps[comp[j]], {})
        w = np.array([REASONS[r] * bias.get(r, 1.0) for r in reasons])
        loss_reason.append(reasons[rng.choice(len(reasons), p=w / w.sum())])
    table = pd.DataFrame(
        {
            "deal_id": [f"D-{10001 + j}" for j in range(n)],
            "closed_on": [str(start + int(d)) for d in days],
            "rep": [names[r] for r in rep],
            "segment": [segs[s] for s in seg],
            "competitor": [comps[c] for c in comp],
            "outcome": np.where(won, "Won", "Lost"),
            "loss_reason": loss_reason,
            "amount": amount.astype(int),
        }
    )
    blank = rng.random(n) < 0.05  # checklist not filled in
    for column, level in items.items():
        table[column] = [("" if b else str(v)) for b, v in zip(blank, level, strict=True)]
    return table


def csv_text(table: pd.DataFrame) -> str:
    """The table as CSV text (comma-separated, LF line ends, quoted only where needed)."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


COLUMNS = {
    "outcome_column": "outcome",
    "won_values": "Won",
    "lost_values": "Lost",
    "skip_other_outcomes": False,
    "competitor_column": "competitor",
    "segment_column": "segment",
}


def win_loss_case(text: str) -> dict:
    """The win/loss review sample case."""
    return {
        "schema_version": 1,
        "worksheet": "sales_win_loss",
        "title": "Win/loss review of 1,500 closed deals, 2024-2025",
        "notes": "Synthetic example: an invented software vendor's CRM export (data/sales/crm_deals.csv, made by "
        "scripts/make_sales_sample.py). Reps, competitors, deals and figures are invented for illustration.",
        "inputs": {
            "crm_csv": text,
            "currency": "EUR",
            "period": "quarter",
            "trend_method": "halves",
            "min_deals": 20,
            **COLUMNS,
            "rep_column": "rep",
            "date_column": "closed_on",
            "date_format": "YYYY-MM-DD",
            "loss_reason_column": "loss_reason",
            "value_column": "amount",
            "decimal_comma": False,
        },
    }


def deal_review_case(text: str) -> dict:
    """The deal review sample case: an upcoming deal against Kestrel Software, half prepared."""
    scores = {
        "prep_research": 2,
        "prep_objections": 1,
        "prep_competitor_pitch": 0,
        "prep_proof_points": 2,
        "prep_champion": 1,
        "prep_next_steps": 0,
    }
    return {
        "schema_version": 1,
        "worksheet": "sales_deal_review",
        "title": "Harbour Logistics fleet renewal against Kestrel Software",
        "notes": "Synthetic example: an upcoming mid-market deal scored on the preparation checklist, against the "
        "invented CRM export in data/sales/crm_deals.csv (made by scripts/make_sales_sample.py).",
        "inputs": {
            "crm_csv": text,
            "currency": "EUR",
            "deal_name": "Harbour Logistics fleet renewal",
            "deal_competitor": "Kestrel Software",
            "deal_segment": "Mid-market",
            "checklist": [{"item": CHECKLIST[c][0], "column": c, "score": s} for c, s in scores.items()],
            "estimate_method": "band",
            "bands": 4,
            **COLUMNS,
        },
    }


def main() -> int:
    text = csv_text(deals())
    out = ROOT / "data" / "sales" / "crm_deals.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8", newline="")
    for name, case in (
        ("sales_win_loss.json", win_loss_case(text)),
        ("sales_deal_review.json", deal_review_case(text)),
    ):
        path = ROOT / "data" / "samples" / name
        path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size:,} bytes, {text.count(chr(10)) - 1:,} deals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
