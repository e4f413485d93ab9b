"""Team culture survey: scale scores, Cronbach's alpha, anonymity-safe group results and practices to try.

A sales team answers a short survey on a 1-7 agreement scale (1 = strongly
disagree, 7 = strongly agree; a 1-5 scale works the same way), one row per
respondent, optionally with a group column (team, region). Four scales:

* **Psychological safety**: Edmondson's seven-item team psychological-safety
  scale, in the published wording [Edmondson1999]_ (appendix, "Team
  psychological safety"). Items 1, 3 and 5 are worded negatively and are
  reverse-coded: on a ``p``-point scale a score ``x`` counts as ``p + 1 - x``.
* **Healthy competition**, **collaboration** and **toxic signals**: coopkit's
  own items, not a validated instrument. They are written for sales teams
  after these constructs: constructive competition [Tjosvold2006]_, the
  competitive work climate [Fletcher2010]_ and trait competitiveness
  [Fletcher2008]_; cooperation [Deutsch1949]_ and knowledge sharing
  [Bock2005]_; knowledge hiding [Connelly2012]_, social undermining
  [Duffy2002]_ and pleasure at a rival's misfortune [Smith1996]_ (withholding
  information, rooting for others' failure, celebrating only one's own wins).
  A higher toxic-signals score is worse; on every other scale higher is better.

Scoring, per respondent and scale: the mean of the answered items (after
reverse coding), when at least half of the scale's items are answered;
otherwise the respondent is left out of every scale, so that all group figures
rest on the same people (person-mean scoring of a few missing items; see
[Schafer2002]_ on its limits).

Reliability: **Cronbach's alpha** [Cronbach1951]_ of each scale's items on the
respondents who answered all of them,
``alpha = k / (k - 1) * (1 - sum_i s_i^2 / s_X^2)`` for ``k`` items with
variances ``s_i^2`` and a total score of variance ``s_X^2``. It equals the
intraclass correlation ICC(3, k) (consistency of the mean of ``k`` raters,
[McGraw1996]_), so Shrout and Fleiss's published example [Shrout1979]_
(ICC(3, 4) = .91) checks it. Readings after [George2003]_; 0.70 is the usual
floor [Nunnally1978]_.

Anonymity: **no figure is ever shown for fewer than five respondents.** Groups
under the minimum are pooled as "Other (pooled)"; when the pool itself is under
the minimum, the smallest named groups join it until it is not, so that a small
group's answers cannot be worked out by subtracting the groups shown from the
whole team (the threshold rule with secondary suppression of statistical
disclosure control, [Hundepool2012]_ ch. 5). Item-level figures and alpha are
shown for the whole team only.

Practices to try are ranked by where the team is weakest: each practice
addresses some scales (coopkit's weights, from the sources in
:data:`PRACTICES`); its priority is the weighted mean of the team's *gaps* on
them, a gap being how far a scale is from its best end, from 0 (best) to 1
(worst).

References
----------
.. [Edmondson1999] Edmondson, A. (1999). "Psychological safety and learning
   behavior in work teams". *Administrative Science Quarterly* 44(2), 350-383.
.. [Cronbach1951] Cronbach, L. J. (1951). "Coefficient alpha and the internal
   structure of tests". *Psychometrika* 16(3), 297-334.
.. [Shrout1979] Shrout, P. E. and Fleiss, J. L. (1979). "Intraclass
   correlations: uses in assessing rater reliability". *Psychological
   Bulletin* 86(2), 420-428.
.. [McGraw1996] McGraw, K. O. and Wong, S. P. (1996). "Forming inferences about
   some intraclass correlation coefficients". *Psychological Methods* 1(1), 30-46.
.. [Nunnally1978] Nunnally, J. C. (1978). *Psychometric Theory*, 2nd ed. McGraw-Hill.
.. [George2003] George, D. and Mallery, P. (2003). *SPSS for Windows Step by
   Step*, 4th ed. Allyn & Bacon.
.. [Schafer2002] Schafer, J. L. and Graham, J. W. (2002). "Missing data: our
   view of the state of the art". *Psychological Methods* 7(2), 147-177.
.. [Hundepool2012] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley.
.. [Fletcher2008] Fletcher, T. D. and Nusbaum, D. N. (2008). "Trait
   competitiveness as a composite variable: linkages with facets of the
   big-five". *Personality and Individual Differences* 45(4), 312-317.
.. [Fletcher2010] Fletcher, T. D. and Nusbaum, D. N. (2010). "Development of the
   competitive work environment scale: a multidimensional climate construct".
   *Educational and Psychological Measurement* 70(1), 105-124.
.. [Tjosvold2006] Tjosvold, D., Johnson, D. W., Johnson, R. T. and Sun, H.
   (2006). "Competitive motives and strategies: understanding constructive
   competition". *Group Dynamics* 10(2), 87-99.
.. [Deutsch1949] Deutsch, M. (1949). "A theory of co-operation and
   competition". *Human Relations* 2(2), 129-152.
.. [Bock2005] Bock, G.-W., Zmud, R. W., Kim, Y.-G. and Lee, J.-N. (2005).
   "Behavioral intention formation in knowledge sharing". *MIS Quarterly*
   29(1), 87-111.
.. [Connelly2012] Connelly, C. E., Zweig, D., Webster, J. and Trougakos, J. P.
   (2012). "Knowledge hiding in organizations". *Journal of Organizational
   Behavior* 33(1), 64-88.
.. [Duffy2002] Duffy, M. K., Ganster, D. C. and Pagon, M. (2002). "Social
   undermining in the workplace". *Academy of Management Journal* 45(2), 331-351.
.. [Smith1996] Smith, R. H., Turner, T. J., Garonzik, R., Leach, C. W.,
   Urch-Druskat, V. and Weston, C. M. (1996). "Envy and schadenfreude".
   *Personality and Social Psychology Bulletin* 22(2), 158-168.
.. [Tannenbaum2013] Tannenbaum, S. I. and Cerasoli, C. P. (2013). "Do team and
   individual debriefs enhance performance? A meta-analysis". *Human Factors*
   55(1), 231-245.
.. [Wageman1995] Wageman, R. (1995). "Interdependence and group
   effectiveness". *Administrative Science Quarterly* 40(1), 145-180.
.. [Marks2002] Marks, M. A., Sabella, M. J., Burke, C. S. and Zaccaro, S. J.
   (2002). "The impact of cross-training on team effectiveness". *Journal of
   Applied Psychology* 87(1), 3-13.
.. [Grant2013] Grant, A. (2013). *Give and Take*. Viking.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coopkit.errors import InputError

__all__ = [
    "Item",
    "Scale",
    "Practice",
    "SCALES",
    "ITEMS",
    "PRACTICES",
    "SOURCES",
    "OTHER",
    "WHOLE_TEAM",
    "MIN_GROUP",
    "read_csv_text",
    "table_messages",
    "read_survey",
    "Survey",
    "scored_items",
    "respondent_scores",
    "cronbach_alpha",
    "reliability",
    "alpha_reading",
    "Pooling",
    "pool_groups",
    "group_table",
    "corner",
    "gaps",
    "rank_practices",
    "item_table",
    "CultureResult",
    "analyse",
]

#: Smallest number of respondents any figure is shown for.
MIN_GROUP = 5
#: Label of the pooled small groups.
OTHER = "Other (pooled)"
#: Label of the whole team's row.
WHOLE_TEAM = "Whole team"
#: Most rows a survey or log may have.
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Item:
    """One survey statement: its column code, scale, wording and whether it is reverse-coded."""

    code: str
    scale: str
    text: str
    reverse: bool = False


@dataclass(frozen=True)
class Scale:
    """A scale: its items, whether a higher score is better, and where it comes from."""

    key: str
    title: str
    items: tuple[Item, ...]
    higher_is_better: bool
    origin: str
    constructs: str


def _items(scale: str, code: str, texts: Sequence[str], reverse: Sequence[int] = ()) -> tuple[Item, ...]:
    return tuple(Item(f"{code}{j}", scale, text, j in reverse) for j, text in enumerate(texts, start=1))


SCALES: dict[str, Scale] = {
    "psych_safety": Scale(
        "psych_safety",
        "Psychological safety",
        _items(
            "psych_safety",
            "ps",
            [
                "If you make a mistake on this team, it is often held against you.",
                "Members of this team are able to bring up problems and tough issues.",
                "People on this team sometimes reject others for being different.",
                "It is safe to take a risk on this team.",
                "It is difficult to ask other members of this team for help.",
                "No one on this team would deliberately act in a way that undermines my efforts.",
                "Working with members of this team, my unique skills and talents are valued and utilized.",
            ],
            reverse=(1, 3, 5),
        ),
        True,
        "Edmondson (1999), Administrative Science Quarterly 44(2):350-383, published wording; items 1, 3 and 5 "
        "reverse-coded",
        "team psychological safety (Edmondson 1999)",
    ),
    "healthy_competition": Scale(
        "healthy_competition",
        "Healthy competition",
        _items(
            "healthy_competition",
            "hc",
            [
                "Competing with my colleagues pushes me to sell better.",
                "Our sales contests have clear rules that everyone sees as fair.",
                "When a colleague beats me on the leaderboard, I want to learn how they did it.",
                "Rivalry in this team stays friendly, even when a lot is at stake.",
            ],
        ),
        True,
        "coopkit's items (not a validated instrument)",
        "constructive competition (Tjosvold et al. 2006); competitive work climate (Fletcher & Nusbaum 2010); "
        "trait competitiveness (Fletcher & Nusbaum 2008)",
    ),
    "collaboration": Scale(
        "collaboration",
        "Collaboration",
        _items(
            "collaboration",
            "co",
            [
                "Colleagues share what works (talk tracks, objection answers, competitor insights) without being asked.",
                "When I am stuck on a deal, I can get a colleague's help within a day.",
                "We hand over leads and accounts cleanly when that is best for the customer.",
                "Helping a colleague win a deal is noticed and valued here.",
            ],
        ),
        True,
        "coopkit's items (not a validated instrument)",
        "cooperation (Deutsch 1949); knowledge sharing (Bock et al. 2005); interdependence (Wageman 1995)",
    ),
    "toxic_signals": Scale(
        "toxic_signals",
        "Toxic signals",
        _items(
            "toxic_signals",
            "tx",
            [
                "Some colleagues keep useful information to themselves to stay ahead.",
                "When asked for help, some people here pretend not to know.",
                "Some people here are pleased when a colleague loses a deal.",
                "People here celebrate their own wins but rarely a colleague's.",
                "Some people take credit for deals that others helped win.",
            ],
        ),
        False,
        "coopkit's items (not a validated instrument)",
        "knowledge hiding (Connelly et al. 2012); social undermining (Duffy et al. 2002); "
        "schadenfreude (Smith et al. 1996)",
    ),
}
#: Every item, in survey order.
ITEMS: tuple[Item, ...] = tuple(item for scale in SCALES.values() for item in scale.items)


@dataclass(frozen=True)
class Practice:
    """A practice to try: what it is, the scales it addresses (weights) and its sources."""

    key: str
    title: str
    what: str
    weights: dict[str, float]
    sources: str


PRACTICES: tuple[Practice, ...] = (
    Practice(
        "deal_review",
        "Deal review",
        "Review won and lost deals together: what to repeat, what to change, never who to blame.",
        {"psych_safety": 2.0, "collaboration": 1.0},
        "Tannenbaum & Cerasoli 2013 (debriefs improve team performance); Edmondson 1999 (learning behaviour)",
    ),
    Practice(
        "huddles",
        "Knowledge-sharing huddles",
        "A short weekly huddle where each rep shares one talk track, objection answer or competitor insight "
        "that worked.",
        {"collaboration": 2.0, "toxic_signals": 1.0},
        "Bock et al. 2005 (knowledge sharing); Connelly et al. 2012 (knowledge hiding)",
    ),
    Practice(
        "reward_help",
        "Rewarding help",
        "Count assists: name and recognise the help given on colleagues' deals in reviews, contests and "
        "promotions (recognition and group rewards, not pay per tip).",
        {"toxic_signals": 2.0, "collaboration": 1.0},
        "Wageman 1995 (group and hybrid rewards); Grant 2013 (givers); Bock et al. 2005 (pay for sharing can backfire)",
    ),
    Practice(
        "cross_training",
        "Cross-training",
        "Pair reps across segments or products so that each can cover for, and learn from, another.",
        {"collaboration": 2.0, "psych_safety": 1.0},
        "Marks et al. 2002 (cross-training and team coordination)",
    ),
    Practice(
        "win_sharing",
        "Win-sharing",
        "Celebrate wins as team wins: name everyone who helped close a deal; leaderboards that show progress "
        "and assists as well as totals.",
        {"toxic_signals": 2.0, "healthy_competition": 2.0},
        "Tjosvold et al. 2006 (constructive competition); Smith et al. 1996 (schadenfreude)",
    ),
)


#: The sources of the survey's scales, statistics and practices, short form, for the worksheet's sources list.
SOURCES: tuple[str, ...] = (
    "Edmondson, A. (1999). Psychological safety and learning behavior in work teams. Administrative Science "
    "Quarterly 44(2), 350-383 (the seven psychological-safety items, published wording; 1, 3 and 5 reversed).",
    "Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika 16(3), 297-334.",
    "George, D. and Mallery, P. (2003). SPSS for Windows Step by Step, 4th ed. (readings of alpha); Nunnally, "
    "J. C. (1978). Psychometric Theory, 2nd ed. (0.70 floor).",
    "Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley (threshold rule, secondary suppression).",
    "Healthy competition (coopkit's items): Tjosvold, Johnson, Johnson and Sun (2006), Group Dynamics 10(2); "
    "Fletcher and Nusbaum (2010), Educational and Psychological Measurement 70(1); Fletcher and Nusbaum (2008), "
    "Personality and Individual Differences 45(4).",
    "Collaboration (coopkit's items): Deutsch (1949), Human Relations 2(2); Bock, Zmud, Kim and Lee (2005), MIS "
    "Quarterly 29(1); Wageman (1995), Administrative Science Quarterly 40(1).",
    "Toxic signals (coopkit's items): Connelly, Zweig, Webster and Trougakos (2012), Journal of Organizational "
    "Behavior 33(1) (knowledge hiding); Duffy, Ganster and Pagon (2002), Academy of Management Journal 45(2) "
    "(social undermining); Smith et al. (1996), Personality and Social Psychology Bulletin 22(2) (schadenfreude).",
    "Practices: Tannenbaum and Cerasoli (2013), Human Factors 55(1) (debriefs); Marks, Sabella, Burke and Zaccaro "
    "(2002), Journal of Applied Psychology 87(1) (cross-training); Grant (2013), Give and Take.",
)


# --------------------------------------------------------------------------- reading a CSV table
def _normalise_header(name: str) -> str:
    """A column name as matched: trimmed, lower case, spaces and hyphens as underscores.

    Examples
    --------
    >>> _normalise_header("  Quota Attainment "), _normalise_header("PS1")
    ('quota_attainment', 'ps1')
    """
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _delimiter(line: str) -> str:
    """The delimiter of a CSV from its header line: comma, semicolon or tab, whichever it has most of."""
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_text(
    text: str, source: str, *, aliases: Mapping[str, str] | None = None, max_rows: int = MAX_ROWS
) -> pd.DataFrame:
    """A CSV text as a table of strings (blank cells None), indexed by line number in the text.

    The header's names are trimmed, lower-cased and have spaces and hyphens
    turned into underscores (``aliases`` then renames some). The delimiter is
    a comma, a semicolon or a tab, whichever the header has most of. Blank
    lines are skipped. Any problem is an :class:`InputError` naming ``source``
    and the line.

    Parameters
    ----------
    text : str
        The CSV, with a header row.
    source : str
        The field's name for messages, e.g. ``"Survey answers"``.
    aliases : mapping, optional
        Other names of columns, e.g. ``{"tenure": "tenure_months"}``.
    max_rows : int
        Most data rows accepted.

    Examples
    --------
    >>> read_csv_text("Team;PS1\\nNorth;5\\n\\nSouth;", "Survey").to_dict("index")
    {2: {'team': 'North', 'ps1': '5'}, 4: {'team': 'South', 'ps1': None}}
    >>> read_csv_text("a,b\\n1,2,3", "Survey")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Survey: line 2 has 3 values but the header names 2 columns
    """
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(source, "", "hold a CSV table with a header row", message=f"{source} is empty: {_HINT}")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]), strict=True)
    header: list[str] | None = None
    rows: list[list[str | None]] = []
    index: list[int] = []
    try:
        for raw in reader:
            if not any(cell.strip() for cell in raw):
                continue
            if header is None:
                header = [_normalise_header(c) for c in raw]
                header = [(aliases or {}).get(c, c) for c in header]
                _check_header(header, source)
                continue
            cells = [c.strip() for c in raw]
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            if len(cells) != len(header):
                raise InputError(
                    source,
                    len(cells),
                    "",
                    message=f"{source}: line {reader.line_num} has {len(cells)} values but the header names "
                    f"{len(header)} columns",
                )
            rows.append([c if c else None for c in cells])
            index.append(reader.line_num)
            if len(rows) > max_rows:
                raise InputError(source, "", "", message=f"{source} has more than {max_rows:,} rows; split it")
    except csv.Error as exc:
        raise InputError(
            source, str(exc), "", message=f"{source}: line {reader.line_num} cannot be read as CSV ({exc})"
        ) from None
    assert header is not None
    return pd.DataFrame(rows, columns=header, index=pd.Index(index, name="line"), dtype=object)


_HINT = "paste a CSV table with a header row, or load one with the Load file button"


def _check_header(header: list[str], source: str) -> None:
    for j, name in enumerate(header, start=1):
        if not name:
            raise InputError(source, "", "", message=f"{source}: column {j} of the header has no name")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(source, name, "", message=f"{source}: column '{name}' appears twice in the header")
        seen.add(name)


_BUILT_IN_RULES = {
    "not_nullable": "not be blank",
    "field_uniqueness": "name each one once (no repeats)",
}


def _show_case(value) -> str:
    text = "blank" if value is None or (isinstance(value, float) and math.isnan(value)) else repr(str(value))
    return text if len(text) <= 40 else text[:37] + "...'"


def _lines(cases: list[tuple[int, object]], limit: int = 3) -> str:
    shown = ", ".join(f"{_show_case(v)} on line {line}" for line, v in cases[:limit])
    more = len(cases) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def table_messages(failure_cases: pd.DataFrame, source: str, order: Sequence[str] = ()) -> list[str]:
    """Messages from pandera's failure cases, each naming the column, the rule and the lines.

    The rule of a check is its ``error`` text, worded to complete "column X
    must ...". Missing columns come first (in the ``order`` of the schema's
    columns), then problems in line order.

    Examples
    --------
    >>> import pandera.pandas as pa
    >>> schema = pa.DataFrameSchema({"ps1": pa.Column(checks=pa.Check.isin(["1", "2"], error="be 1 or 2"))})
    >>> frame = pd.DataFrame({"ps1": ["1", "9"]}, index=[2, 3], dtype=object)
    >>> try:
    ...     schema.validate(frame, lazy=True)
    ... except pa.errors.SchemaErrors as exc:
    ...     table_messages(exc.failure_cases, "Survey")
    ["Survey: column 'ps1' must be 1 or 2, got '9' on line 3"]
    """
    missing: list[str] = []
    found: dict[tuple[str, str], list[tuple[int, object]]] = {}
    frame_level: dict[str, dict[int, object]] = {}
    for row in failure_cases.itertuples(index=False):
        check = str(row.check)
        if check == "column_in_dataframe":
            missing.append(str(row.failure_case))
            continue
        if check.startswith(("coerce_dtype", "dtype(")):
            continue
        line = int(row.index) if row.index is not None and not pd.isna(row.index) else 0
        if row.schema_context == "DataFrameSchema":
            frame_level.setdefault(check, {}).setdefault(line, row.failure_case)
        else:
            found.setdefault((str(row.column), check), []).append((line, row.failure_case))
    rank = {name: j for j, name in enumerate(order)}
    missing.sort(key=lambda name: (rank.get(name, len(rank)), name))
    out = []
    if len(missing) == 1:
        out.append(f"{source}: column '{missing[0]}' is missing; the header must name it")
    elif missing:
        names = ", ".join(f"'{m}'" for m in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        out.append(f"{source}: columns {names} are missing; the header must name them")
    ordered = []
    for (column, check), cases in found.items():
        cases = sorted(dict(cases).items())
        rule = _BUILT_IN_RULES.get(check, check)
        ordered.append((cases[0][0], f"{source}: column '{column}' must {rule}, got {_lines(cases)}"))
    for check, by_line in frame_level.items():
        cases = sorted(by_line.items())
        ordered.append((cases[0][0], f"{source}: {check}, got {_lines(cases)}"))
    return out + [message for _, message in sorted(ordered, key=lambda pair: pair[0])]


def validate_table(frame: pd.DataFrame, schema, source: str) -> None:
    """Validate ``frame`` with a pandera schema; InputError with every message (up to four) when it fails.

    Examples
    --------
    >>> import pandera.pandas as pa
    >>> schema = pa.DataFrameSchema({"name": pa.Column(nullable=False), "team": pa.Column()})
    >>> validate_table(pd.DataFrame({"name": [None]}, index=[2], dtype=object), schema, "Reps")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Reps: column 'team' is missing; the header must name it; Reps: column 'name' must not be blank, got blank on line 2
    """
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        messages = table_messages(exc.failure_cases, source, list(schema.columns))
        shown = "; ".join(messages[:4]) + (f"; and {len(messages) - 4} more problems" if len(messages) > 4 else "")
        raise InputError(source, "", "", message=shown) from None


# --------------------------------------------------------------------------- the survey table
def _likert_check(points: int):
    import pandera.pandas as pa

    allowed = {str(v) for v in range(1, points + 1)} | {f"{v}.0" for v in range(1, points + 1)}
    return pa.Check(
        lambda s: s.isna() | s.astype("string").isin(allowed),
        error=f"hold whole numbers from 1 to {points}, or be blank",
    )


@dataclass(frozen=True)
class Survey:
    """Survey answers as read: one row per respondent (indexed by line), items as numbers (NaN blank).

    Attributes
    ----------
    answers : pandas.DataFrame
        One column per item code of :data:`ITEMS`, values 1 to ``points`` or NaN, as answered (not reversed).
    groups : pandas.Series
        Each respondent's group (``"All"`` without a group column; blank cells as ``"(no group)"``).
    points : int
        Points of the agreement scale (5 or 7).
    unused : tuple of str
        Columns of the file that are not used.
    """

    answers: pd.DataFrame
    groups: pd.Series
    points: int
    unused: tuple[str, ...] = ()


def read_survey(text: str, *, group_column: str = "team", points: int = 7, source: str = "Survey answers") -> Survey:
    """Read and check a survey CSV: one column per item code (``ps1``...``tx5``), an optional group column.

    Every item answer must be a whole number from 1 to ``points`` or blank;
    the group column (when named) must be present. Problems are one
    :class:`InputError` whose message names the column, the rule and the lines.

    Examples
    --------
    >>> header = ",".join(["team", *(i.code for i in ITEMS)])
    >>> row = ",".join(["North", *["4"] * len(ITEMS)])
    >>> s = read_survey(header + "\\n" + row)
    >>> s.answers.shape, s.groups.tolist()
    ((1, 20), ['North'])
    >>> read_survey(header + "\\n" + row.replace("North,4", "North,9"))
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Survey answers: column 'ps1' must hold whole numbers from 1 to 7, or be blank, got '9' on line 2
    """
    import pandera.pandas as pa

    frame = read_csv_text(text, source)
    group = _normalise_header(group_column) if group_column.strip() else ""
    if group and group not in frame.columns:
        raise InputError(
            source,
            group,
            "",
            message=f"{source}: column '{group}' (the group column) is missing; name it in the header, or clear "
            "Group column to see the whole team only",
        )
    columns = {item.code: pa.Column(nullable=True, checks=_likert_check(points)) for item in ITEMS}
    if group:
        columns[group] = pa.Column(nullable=True)
    validate_table(frame, pa.DataFrameSchema(columns, strict=False), source)
    codes = [item.code for item in ITEMS]
    answers = frame[codes].apply(pd.to_numeric).astype(float)
    if group:
        groups = frame[group].fillna("(no group)").astype(str)
    else:
        groups = pd.Series("All", index=frame.index, dtype=object)
    unused = tuple(c for c in frame.columns if c not in codes and c != group)
    return Survey(answers, groups.rename("group"), points, unused)


# --------------------------------------------------------------------------- scores and reliability
def scored_items(answers: pd.DataFrame, points: int = 7) -> pd.DataFrame:
    """Item answers with the reverse-worded items recoded: ``x`` becomes ``points + 1 - x``.

    Examples
    --------
    >>> a = pd.DataFrame({"ps1": [1.0, 7.0], "ps2": [6.0, 2.0]})
    >>> scored_items(a).to_dict("list")
    {'ps1': [7.0, 1.0], 'ps2': [6.0, 2.0]}
    """
    reverse = {item.code for item in ITEMS if item.reverse}
    out = answers.astype(float).copy()
    for code in out.columns:
        if code in reverse:
            out[code] = points + 1 - out[code]
    return out


def respondent_scores(scored: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's score on each scale: the mean of its answered items, if at least half are answered.

    Units: points of the agreement scale. Respondents short of half the items
    of any scale have NaN on every scale (they are left out).

    Examples
    --------
    >>> scored = pd.DataFrame({i.code: [5.0, 5.0] for i in ITEMS})
    >>> scored.loc[1, ["hc1", "hc2", "hc3"]] = float("nan")  # 1 of 4 healthy-competition items answered
    >>> respondent_scores(scored)["collaboration"].tolist()
    [5.0, nan]
    """
    out = {}
    for key, scale in SCALES.items():
        block = scored[[i.code for i in scale.items]]
        answered = block.notna().sum(axis=1)
        out[key] = block.mean(axis=1).where(answered >= math.ceil(len(scale.items) / 2))
    scores = pd.DataFrame(out, index=scored.index)
    return scores.where(scores.notna().all(axis=1))


def cronbach_alpha(items) -> float:
    """Cronbach's alpha of a respondents-by-items table, on the rows with every item answered.

    ``alpha = k / (k - 1) * (1 - sum of item variances / variance of the total)``
    (sample variances); unitless, at most 1. NaN with fewer than 2 items, 2
    complete rows, or a total that does not vary.

    Examples
    --------
    Shrout and Fleiss's (1979) six targets rated by four judges, whose
    ICC(3, 4) = .91 is alpha with the judges as items:

    >>> ratings = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> round(cronbach_alpha(ratings), 4)
    0.9093
    """
    x = np.asarray(items, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"items must be a 2-D table (respondents by items), got {x.ndim} dimension(s)")
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2 or n < 2:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    if total <= 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def alpha_reading(alpha: float) -> str:
    """George and Mallery's (2003) reading of an alpha: excellent .9, good .8, acceptable .7, questionable .6, poor .5.

    Examples
    --------
    >>> alpha_reading(0.91), alpha_reading(0.72), alpha_reading(0.41), alpha_reading(float("nan"))
    ('excellent', 'acceptable', 'unacceptable', 'not computable')
    """
    if math.isnan(alpha):
        return "not computable"
    for floor, word in ((0.9, "excellent"), (0.8, "good"), (0.7, "acceptable"), (0.6, "questionable"), (0.5, "poor")):
        if alpha >= floor:
            return word
    return "unacceptable"


def reliability(scored: pd.DataFrame) -> pd.DataFrame:
    """Per scale: number of items, respondents who answered all of them, Cronbach's alpha and its reading.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> base = rng.integers(1, 8, size=(30, 1)).astype(float)
    >>> scored = pd.DataFrame({i.code: np.clip(base[:, 0] + rng.integers(-1, 2, 30), 1, 7) for i in ITEMS})
    >>> reliability(scored).loc["Toxic signals", ["items", "answers"]].tolist()
    [5, 30]
    """
    rows = {}
    for scale in SCALES.values():
        block = scored[[i.code for i in scale.items]]
        alpha = cronbach_alpha(block.to_numpy())
        rows[scale.title] = {
            "items": len(scale.items),
            "answers": int(block.notna().all(axis=1).sum()),
            "alpha": alpha,
            "reading": alpha_reading(alpha),
            "origin": scale.origin,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "scale"
    return table


# --------------------------------------------------------------------------- anonymity
@dataclass(frozen=True)
class Pooling:
    """Which groups are shown under their own name and which are pooled as :data:`OTHER`.

    Attributes
    ----------
    labels : dict of str to str
        Each group's label in the results (its name, or OTHER).
    small : tuple of str
        Groups under the minimum.
    secondary : tuple of str
        Groups at or over the minimum pooled too, so that the small ones cannot be worked out by difference.
    minimum : int
        Fewest respondents a figure is shown for.
    total : int
        All respondents.
    """

    labels: dict[str, str]
    small: tuple[str, ...]
    secondary: tuple[str, ...]
    minimum: int
    total: int

    @property
    def enough(self) -> bool:
        """Whether the whole team reaches the minimum (else nothing at all is shown)."""
        return self.total >= self.minimum

    def note(self) -> str:
        """What the pooling did, in words, without naming the pooled groups.

        Examples
        --------
        >>> pool_groups({"A": 9, "B": 7, "C": 3}).note()
        'No figure is shown for fewer than 5 answers. 1 group with fewer than 5 answers is pooled with the smallest other group as "Other (pooled)", so that its answers cannot be worked out from the whole-team figures.'
        """
        head = f"No figure is shown for fewer than {self.minimum} answers."
        if not self.small:
            return head + " Every group has enough answers to be shown on its own."
        n = len(self.small)
        groups = f"{n} group{'s' if n > 1 else ''} with fewer than {self.minimum} answers"
        verb = "are" if n > 1 else "is"
        if self.secondary:
            k = len(self.secondary)
            other = "the smallest other group" if k == 1 else f"the {k} smallest other groups"
            return (
                f'{head} {groups} {verb} pooled with {other} as "{OTHER}", so that '
                f"{'their' if n > 1 else 'its'} answers cannot be worked out from the whole-team figures."
            )
        return f'{head} {groups} {verb} pooled as "{OTHER}".'


def pool_groups(sizes: Mapping[str, int], minimum: int = MIN_GROUP) -> Pooling:
    """Pool groups under ``minimum`` respondents, then the smallest others until the pool reaches it.

    Parameters
    ----------
    sizes : mapping of str to int
        Respondents per group.
    minimum : int
        Fewest respondents a group may be shown for (at least 5).

    Examples
    --------
    >>> p = pool_groups({"North": 8, "South": 10, "Channel": 3})
    >>> p.labels
    {'North': 'Other (pooled)', 'South': 'South', 'Channel': 'Other (pooled)'}
    >>> pool_groups({"A": 3, "B": 2, "C": 9}).labels
    {'A': 'Other (pooled)', 'B': 'Other (pooled)', 'C': 'C'}
    """
    if minimum < MIN_GROUP:
        raise InputError("minimum group size", minimum, f"be at least {MIN_GROUP}")
    small = [g for g, n in sizes.items() if n < minimum]
    pooled = set(small)
    count = sum(sizes[g] for g in small)
    named = sorted((g for g in sizes if g not in pooled), key=lambda g: (sizes[g], str(g)))
    secondary = []
    while 0 < count < minimum and named:
        g = named.pop(0)
        pooled.add(g)
        secondary.append(g)
        count += sizes[g]
    pool = f"{OTHER} *" if OTHER in (str(g) for g in sizes if g not in pooled) else OTHER
    labels = {g: (pool if g in pooled else str(g)) for g in sizes}
    return Pooling(labels, tuple(small), tuple(secondary), minimum, int(sum(sizes.values())))


def corner(competition: float, toxic: float, points: int = 7) -> str:
    """Where a group sits on the healthy-vs-toxic map, split at the scale's midpoint ``(points + 1) / 2``.

    Examples
    --------
    >>> corner(5.2, 2.5), corner(5.2, 4.8), corner(3.1, 2.5), corner(3.1, 4.8)
    ('healthy rivalry', 'cut-throat rivalry', 'comfortable', 'disengaged and toxic')
    """
    mid = (points + 1) / 2
    if toxic < mid:
        return "healthy rivalry" if competition >= mid else "comfortable"
    return "cut-throat rivalry" if competition >= mid else "disengaged and toxic"


def group_table(scores: pd.DataFrame, groups: pd.Series, pooling: Pooling, points: int = 7) -> pd.DataFrame:
    """Mean scale scores per shown group (named groups by name, then OTHER) and for the whole team.

    Only respondents with scores count; every row rests on at least
    ``pooling.minimum`` of them. Columns: ``answers``, one per scale (points
    of the agreement scale) and ``corner``.

    Examples
    --------
    >>> scores = pd.DataFrame({k: [5.0] * 6 + [3.0] * 3 for k in SCALES})
    >>> groups = pd.Series(["A"] * 6 + ["B"] * 3)
    >>> t = group_table(scores, groups, pool_groups({"A": 6, "B": 3}))
    >>> t.index.tolist(), t["answers"].tolist()
    (['Other (pooled)', 'Whole team'], [9, 9])
    """
    shown = groups.map(pooling.labels)
    keys = list(SCALES)
    frame = scores[keys].assign(label=shown)
    table = frame.groupby("label", sort=False)[keys].mean()
    table.insert(0, "answers", frame.groupby("label", sort=False).size())
    order = sorted((g for g in table.index if not str(g).startswith(OTHER)), key=str) + [
        g for g in table.index if str(g).startswith(OTHER)
    ]
    table = table.loc[order]
    whole = pd.DataFrame([[len(frame), *frame[keys].mean().tolist()]], columns=table.columns, index=[WHOLE_TEAM])
    if WHOLE_TEAM in table.index:
        table = table.rename(index={WHOLE_TEAM: f"{WHOLE_TEAM} (group)"})
    table = pd.concat([table, whole])
    table["answers"] = table["answers"].astype(int)
    table["corner"] = [corner(row["healthy_competition"], row["toxic_signals"], points) for _, row in table.iterrows()]
    table.index.name = "group"
    if (table["answers"] < pooling.minimum).any():
        raise AssertionError("a group under the minimum would be shown")  # guarded by pool_groups
    return table


def gaps(row: Mapping[str, float], points: int = 7) -> dict[str, float]:
    """How far each scale is from its best end, 0 (best) to 1 (worst).

    Examples
    --------
    >>> gaps({"psych_safety": 7.0, "healthy_competition": 4.0, "collaboration": 1.0, "toxic_signals": 2.5})
    {'psych_safety': 0.0, 'healthy_competition': 0.5, 'collaboration': 1.0, 'toxic_signals': 0.25}
    """
    span = points - 1
    return {
        key: float((points - row[key]) / span if scale.higher_is_better else (row[key] - 1) / span)
        for key, scale in SCALES.items()
    }


def rank_practices(table: pd.DataFrame, points: int = 7) -> pd.DataFrame:
    """The practices ranked by priority for the whole team: the weighted mean gap on the scales each addresses.

    Columns: ``priority`` (0 to 1), ``weakest`` (the addressed scale with the
    largest gap) and its ``score``, ``most_needed_in`` (the shown group where
    the practice's priority is highest, when there are at least two groups),
    ``what`` and ``sources``.

    Examples
    --------
    >>> t = pd.DataFrame({"psych_safety": [6.0], "healthy_competition": [3.5], "collaboration": [5.5],
    ...                   "toxic_signals": [4.5]}, index=["Whole team"])
    >>> rank_practices(t).index[0]
    'Win-sharing'
    """
    whole = table.loc[WHOLE_TEAM] if WHOLE_TEAM in table.index else table.iloc[-1]
    groups = [g for g in table.index if g != WHOLE_TEAM]

    def priority(row, practice: Practice) -> float:
        gap = gaps(row, points)
        return sum(w * gap[k] for k, w in practice.weights.items()) / sum(practice.weights.values())

    rows = []
    for practice in PRACTICES:
        gap = gaps(whole, points)
        weakest = max(practice.weights, key=lambda k: gap[k])
        needed = ""
        if len(groups) >= 2:
            needed = str(max(groups, key=lambda g: priority(table.loc[g], practice)))
        rows.append(
            {
                "practice": practice.title,
                "priority": priority(whole, practice),
                "weakest": SCALES[weakest].title,
                "score": float(whole[weakest]),
                "most_needed_in": needed,
                "what": practice.what,
                "sources": practice.sources,
            }
        )
    ranked = pd.DataFrame(rows).set_index("practice")
    order = sorted(range(len(ranked)), key=lambda j: (-round(ranked["priority"].iloc[j], 12), j))
    return ranked.iloc[order]


def item_table(answers: pd.DataFrame, points: int = 7, minimum: int = MIN_GROUP) -> pd.DataFrame:
    """Whole-team figures per item: answers, mean answer, mean score (after reverse coding), health, share agreeing.

    ``health`` is the score turned so that higher is healthier (toxic-signal
    items reversed once more); "agreeing" is an answer above the midpoint.
    Items with fewer than ``minimum`` answers show NaN figures.

    Examples
    --------
    >>> a = pd.DataFrame({i.code: [6.0, 6.0, 2.0, 7.0, 5.0] for i in ITEMS})
    >>> item_table(a).loc["ps1", ["mean_answer", "mean_score", "health", "agree"]].tolist()
    [5.2, 2.8, 2.8, 0.8]
    >>> item_table(a).loc["tx1", ["mean_answer", "mean_score", "health"]].tolist()
    [5.2, 5.2, 2.8]
    """
    rows = []
    mid = (points + 1) / 2
    for item in ITEMS:
        col = answers[item.code].dropna()
        enough = len(col) >= minimum
        mean = float(col.mean()) if enough else float("nan")
        score = (points + 1 - mean) if item.reverse else mean
        rows.append(
            {
                "code": item.code,
                "scale": SCALES[item.scale].title,
                "text": item.text,
                "reverse": item.reverse,
                "answers": len(col),
                "mean_answer": mean,
                "mean_score": score,
                "health": score if SCALES[item.scale].higher_is_better else points + 1 - score,
                "agree": float((col > mid).mean()) if enough else float("nan"),
            }
        )
    return pd.DataFrame(rows).set_index("code")


# --------------------------------------------------------------------------- the whole analysis
@dataclass(frozen=True)
class CultureResult:
    """Everything the culture check shows (each figure on at least ``pooling.minimum`` respondents)."""

    groups: pd.DataFrame
    pooling: Pooling
    reliability: pd.DataFrame
    items: pd.DataFrame
    practices: pd.DataFrame
    respondents: int
    used: int
    dropped_lines: tuple[int, ...]
    points: int
    unused_columns: tuple[str, ...] = ()
    grouped: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def whole(self) -> pd.Series:
        """The whole team's row of :attr:`groups`."""
        return self.groups.loc[WHOLE_TEAM]


def analyse(survey: Survey, minimum: int = MIN_GROUP) -> CultureResult:
    """Score a survey: per-group scale means (pooled for anonymity), alpha, item figures, practices ranked.

    Raises :class:`InputError` when fewer than ``minimum`` respondents have
    scores (nothing could be shown without exposing them).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> answers = pd.DataFrame(rng.integers(3, 6, size=(12, len(ITEMS))).astype(float),
    ...                        columns=[i.code for i in ITEMS])
    >>> groups = pd.Series(["North"] * 9 + ["Channel"] * 3)
    >>> r = analyse(Survey(answers, groups, 7))
    >>> r.groups.index.tolist(), r.pooling.small
    (['Other (pooled)', 'Whole team'], ('Channel',))
    """
    scored = scored_items(survey.answers, survey.points)
    scores = respondent_scores(scored)
    kept = scores.dropna()
    dropped = tuple(int(i) for i in scores.index[scores.isna().any(axis=1)])
    if len(kept) < minimum:
        raise InputError(
            "Survey answers",
            len(kept),
            "",
            message=f"Survey answers: {len(kept)} usable answer{'s' if len(kept) != 1 else ''}; at least {minimum} "
            "are needed so that no answer can be traced to a person",
        )
    groups = survey.groups.loc[kept.index]
    pooling = pool_groups(groups.value_counts(sort=False).to_dict(), minimum)
    table = group_table(kept, groups, pooling, survey.points)
    kept_scored = scored.loc[kept.index]
    return CultureResult(
        groups=table,
        pooling=pooling,
        reliability=reliability(kept_scored),
        items=item_table(survey.answers.loc[kept.index], survey.points, minimum),
        practices=rank_practices(table, survey.points),
        respondents=len(scores),
        used=len(kept),
        dropped_lines=dropped,
        points=survey.points,
        unused_columns=survey.unused,
        grouped=not (survey.groups == "All").all(),
    )


def template_csv(points: int = 7, group_column: str = "team") -> str:
    """The header of a survey CSV, for a team to fill in (one row per respondent).

    Examples
    --------
    >>> template_csv().split(",")[:3]
    ['team', 'ps1', 'ps2']
    """
    return (
        ",".join([group_column, *(item.code for item in ITEMS)])
        if group_column
        else ",".join(item.code for item in ITEMS)
    )
