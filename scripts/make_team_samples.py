"""Write the synthetic sales-team samples: a culture survey, a help log and a reps table, and their case files.

Everything is invented and seeded, so running it again writes the same bytes:

* ``data/sales/survey.csv``: 40 anonymous answers to the culture survey
  (:mod:`coopkit.frameworks.survey`), 1-7 agreement, from five teams. Channel
  has three answers (to exercise the anonymity rule), Metro shows toxic
  signals; three answers are left blank.
* ``data/sales/help_log.csv``: who helped whom over the first half of 2025
  among 20 reps and one sales engineer (:mod:`coopkit.frameworks.helpnet`);
  two reps never appear in it.
* ``data/sales/reps.csv``: the 20 reps: team, tenure in months, quota
  attainment and five skill scores (1-5).
* ``data/samples/sales_culture.json`` and ``data/samples/sales_mentoring.json``:
  the worksheets' sample cases, with the CSV text in their upload fields.

Run from the repository root: ``.venv/bin/python scripts/make_team_samples.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

from coopkit.frameworks.survey import ITEMS, SCALES

ROOT = Path(__file__).resolve().parents[1]
SEED = 20250630

# Team -> (answers, mean on each scale: psychological safety, healthy competition, collaboration, toxic signals).
TEAMS = {
    "Enterprise": (10, (5.6, 5.0, 5.4, 2.4)),
    "Metro": (9, (3.4, 5.1, 3.6, 5.1)),
    "North": (8, (5.2, 4.4, 5.0, 2.9)),
    "South": (10, (5.8, 5.3, 5.6, 2.2)),
    "Channel": (3, (4.9, 4.0, 5.2, 3.1)),
}

# name, team, tenure (months), quota attainment, skills (prospecting, discovery, demo, negotiation, closing),
# how much they give help, how much they ask for it.
REPS = [
    ("Ana Silva", "Enterprise", 62, 1.18, (4, 4, 3, 5, 5), 9.0, 1.0),
    ("Ben Okafor", "Enterprise", 20, 0.96, (3, 4, 3, 3, 3), 2.0, 2.0),
    ("Chloé Martin", "Metro", 15, 0.91, (4, 3, 3, 2, 3), 1.5, 2.5),
    ("Dev Patel", "North", 48, 1.09, (5, 4, 3, 3, 4), 5.0, 1.0),
    ("Elena Rossi", "Metro", 40, 0.93, (3, 4, 5, 3, 3), 2.5, 1.0),
    ("Farid Haddad", "South", 26, 0.88, (4, 3, 4, 3, 2), 1.5, 1.5),
    ("Grace Kim", "South", 36, 1.24, (3, 5, 5, 4, 4), 7.0, 1.0),
    ("Hugo Berg", "Metro", 18, 0.82, (3, 3, 3, 2, 2), 0.0, 0.0),
    ("Ines Costa", "North", 14, 0.99, (3, 3, 4, 3, 3), 1.5, 2.0),
    ("Jonas Weber", "Metro", 28, 0.97, (4, 3, 3, 4, 3), 0.5, 1.0),
    ("Kemi Adeyemi", "South", 30, 1.05, (5, 3, 4, 3, 4), 4.0, 1.0),
    ("Liam Walsh", "Enterprise", 4, 0.52, (2, 3, 3, 1, 2), 0.3, 4.0),
    ("Maya Cohen", "North", 7, 0.71, (3, 2, 2, 3, 3), 0.3, 3.5),
    ("Nils Larsen", "Enterprise", 75, 1.02, (3, 4, 4, 5, 4), 3.5, 0.5),
    ("Olivia Brown", "South", 3, 0.40, (2, 3, 3, 2, 1), 0.0, 4.5),
    ("Pablo Ruiz", "Metro", 9, 0.77, (2, 3, 3, 3, 3), 0.4, 3.0),
    ("Quinn Taylor", "North", 5, 0.58, (1, 2, 3, 3, 2), 0.0, 4.0),
    ("Rosa Nguyen", "South", 10, 0.83, (4, 2, 2, 3, 3), 0.5, 3.0),
    ("Sam Murphy", "Enterprise", 2, 0.35, (2, 2, 2, 2, 2), 0.0, 0.0),
    ("Tara Singh", "Metro", 6, 0.64, (2, 3, 2, 2, 3), 0.0, 3.5),
]
ENGINEER = ("Victor Lund", 3.0)  # a sales engineer: in the log, not in the reps table
SKILLS = ("prospecting", "discovery", "demo", "negotiation", "closing")
TOPICS = ("prospecting", "discovery", "demo", "negotiation", "closing", "pricing approval", "CRM")


def survey_csv(rng: np.random.Generator) -> str:
    """The survey: a latent score per respondent and scale, item answers around it, rows in random order."""
    rows = []
    for team, (n, means) in TEAMS.items():
        for _ in range(n):
            latent = np.array(means) + rng.normal(0, 0.55, size=4)
            answers = []
            for item in ITEMS:
                k = list(SCALES).index(item.scale)
                x = int(np.clip(np.rint(latent[k] + rng.normal(0, 0.7)), 1, 7))
                answers.append(8 - x if item.reverse else x)
            rows.append([team, *answers])
    order = rng.permutation(len(rows))
    rows = [rows[j] for j in order]
    for r, c in ((4, 3), (17, 12), (29, 20)):  # a few skipped questions
        rows[r][c] = ""
    header = ["team", *(item.code for item in ITEMS)]
    return "\n".join(",".join(str(v) for v in row) for row in [header, *rows]) + "\n"


def help_log_csv(rng: np.random.Generator, events: int = 160) -> str:
    """The help log: helpers drawn by how much they give, the helped by how much they ask, dates in H1 2025."""
    names = [r[0] for r in REPS] + [ENGINEER[0]]
    give = np.array([r[5] for r in REPS] + [ENGINEER[1]])
    take = np.array([r[6] for r in REPS] + [0.0])
    strong = {r[0]: SKILLS[int(np.argmax(r[4]))] for r in REPS}
    strong[ENGINEER[0]] = "demo"
    start = dt.date(2025, 1, 2)
    days = [start + dt.timedelta(days=int(d)) for d in range(180)]
    workdays = [d for d in days if d.weekday() < 5]
    rows = []
    for _ in range(events):
        helper = rng.choice(len(names), p=give / give.sum())
        weights = take.copy()
        weights[helper] = 0.0
        helped = rng.choice(len(names), p=weights / weights.sum())
        topic = strong[names[helper]] if rng.random() < 0.6 else TOPICS[rng.integers(len(TOPICS))]
        date = workdays[rng.integers(len(workdays))]
        rows.append((date.isoformat(), names[helper], names[helped], topic))
    rows.sort()
    lines = ["helper,helped,date,topic", *(f"{h},{d},{date},{t}" for date, h, d, t in rows)]
    return "\n".join(lines) + "\n"


def reps_csv() -> str:
    """The reps table: team (not used by the worksheet), tenure, attainment and skill scores."""
    header = ["name", "team", "tenure_months", "quota_attainment", *(f"skill_{s}" for s in SKILLS)]
    lines = [",".join(header)]
    for name, team, tenure, attainment, skills, _give, _take in REPS:
        lines.append(",".join([name, team, str(tenure), f"{attainment:.2f}", *(str(s) for s in skills)]))
    return "\n".join(lines) + "\n"


def case(worksheet: str, title: str, notes: str, inputs: dict) -> str:
    """A case file's text (schema version 1)."""
    data = {"schema_version": 1, "worksheet": worksheet, "title": title, "notes": notes, "inputs": inputs}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    rng = np.random.default_rng(SEED)
    survey, log, reps = survey_csv(rng), help_log_csv(rng), reps_csv()
    sales = ROOT / "data" / "sales"
    sales.mkdir(parents=True, exist_ok=True)
    (sales / "survey.csv").write_text(survey, encoding="utf-8")
    (sales / "help_log.csv").write_text(log, encoding="utf-8")
    (sales / "reps.csv").write_text(reps, encoding="utf-8")
    samples = ROOT / "data" / "samples"
    (samples / "sales_culture.json").write_text(
        case(
            "sales_culture",
            "Team culture check of a 40-rep sales team in five teams",
            "Synthetic example written by scripts/make_team_samples.py: 40 anonymous answers from five teams; "
            "Channel has only 3 answers and Metro shows toxic signals. Invented data for illustration only.",
            {"survey": survey, "group_column": "team", "scale_points": 7, "min_group": 5},
        ),
        encoding="utf-8",
    )
    (samples / "sales_mentoring.json").write_text(
        case(
            "sales_mentoring",
            "Help network and peer-mentoring pairs of a 20-rep sales team",
            "Synthetic example written by scripts/make_team_samples.py: six months of who-helped-whom among 20 "
            "reps and a sales engineer, and the reps' tenure, attainment and skills. Invented data for "
            "illustration only.",
            {
                "help_log": log,
                "reps": reps,
                "mentor_min_attainment": 1.0,
                "mentor_min_tenure": 24.0,
                "mentee_max_tenure": 12.0,
                "mentees_per_mentor": 2,
                "skill_top": 5,
            },
        ),
        encoding="utf-8",
    )
    for path in (sales / "survey.csv", sales / "help_log.csv", sales / "reps.csv"):
        print(f"wrote {path.relative_to(ROOT)}")
    print("wrote data/samples/sales_culture.json, data/samples/sales_mentoring.json")


if __name__ == "__main__":
    main()
