"""Knowledge sharing and mentoring: the help network of a sales team, and peer-mentoring pairs.

**The help network.** A who-helped-whom log (one row each time a rep helped a
colleague: helper, helped, date, topic) is a directed, weighted graph: an
arrow from helper to helped, weighted by the number of times [Wasserman1994]_.
Per rep:

* *gives* and *takes*: out- and in-strength, the times help was given and
  received [Barrat2004]_; *helped* and *helpers*: out- and in-degree, the
  distinct colleagues helped and helped by;
* *reciprocity*: the share of a rep's ties that run both ways,
  ``2 |succ & pred| / (|succ| + |pred|)`` (networkx's node reciprocity), and,
  for the team, the share of ties that are returned;
* a *role*: isolated (no help either way in the log, for reps of the reps
  table), only gives, only takes, mostly gives (gives at least twice what it
  takes), mostly takes, or gives and takes. Givers, takers and matchers after
  [Grant2013]_; a few people giving most of the help is the collaborative
  overload of [Cross2016]_, so the share of all help given by the top fifth
  of the people (at least one) is reported.

**Peer-mentoring pairs.** From a reps table (name, tenure in months, quota
attainment, a 1-5 or 1-10 score per skill area), *mentors* are reps at or over
an attainment and a tenure; *mentees* are reps under a tenure (a rep who is
both is a mentee). The benefit of mentor ``m`` for mentee ``e`` is the skill
gap the mentor can close, weighted by how much the mentee needs each area:
``b(e, m) = sum_a w_e,a max(0, s_m,a - s_e,a)`` with the need
``w_e,a = (top - s_e,a) / (top - 1)`` (1 at the bottom of the scale, 0 at its
top), in skill points. Without the weights, a mentor ahead in every area would
be worth the same difference of totals to every mentee and the pairing would
not matter; with them, mentees go to mentors who are strong where they are
weak. The weighting is coopkit's choice. Mentoring is known to help protégés'
careers and learning [Kram1985]_ [Eby2008]_.

Each mentee gets at most one mentor, each mentor at most ``limit`` mentees,
and the total benefit is maximised: a capacitated assignment problem, reduced
to the classic one by repeating each mentor's column ``limit`` times
[Burkard2012]_ (section 5.1) and solved exactly with
:func:`scipy.optimize.linear_sum_assignment` (the Jonker-Volgenant
shortest-augmenting-path method of [Crouse2016]_; Hungarian method,
[Kuhn1955]_). When there are more mentees than places, it chooses the mentees
whose pairs add most; pairs with no gap to close are dropped (they add nothing).

References
----------
.. [Wasserman1994] Wasserman, S. and Faust, K. (1994). *Social Network
   Analysis: Methods and Applications*. Cambridge University Press.
.. [Barrat2004] Barrat, A., Barthelemy, M., Pastor-Satorras, R. and Vespignani,
   A. (2004). "The architecture of complex weighted networks". *PNAS* 101(11),
   3747-3752.
.. [Grant2013] Grant, A. (2013). *Give and Take*. Viking.
.. [Cross2016] Cross, R., Rebele, R. and Grant, A. (2016). "Collaborative
   overload". *Harvard Business Review* 94(1), 74-79.
.. [Kram1985] Kram, K. E. (1985). *Mentoring at Work*. Scott, Foresman.
.. [Eby2008] Eby, L. T., Allen, T. D., Evans, S. C., Ng, T. and DuBois, D. L.
   (2008). "Does mentoring matter? A multidisciplinary meta-analysis comparing
   mentored and non-mentored individuals". *Journal of Vocational Behavior*
   72(2), 254-267.
.. [Burkard2012] Burkard, R., Dell'Amico, M. and Martello, S. (2012).
   *Assignment Problems*, revised reprint. SIAM.
.. [Crouse2016] Crouse, D. F. (2016). "On implementing 2D rectangular
   assignment algorithms". *IEEE Transactions on Aerospace and Electronic
   Systems* 52(4), 1679-1696.
.. [Kuhn1955] Kuhn, H. W. (1955). "The Hungarian method for the assignment
   problem". *Naval Research Logistics Quarterly* 2(1-2), 83-97.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from coopkit.errors import InputError
from coopkit.frameworks.survey import read_csv_text, validate_table

__all__ = [
    "ROLES",
    "SOURCES",
    "name_key",
    "read_help_log",
    "read_reps",
    "help_network",
    "network_table",
    "NetworkSummary",
    "summarise",
    "topic_table",
    "pair_benefit",
    "assign",
    "Mentoring",
    "mentoring",
]

#: Roles in the help network, in the order tables list them.
ROLES = ("only gives", "mostly gives", "gives and takes", "mostly takes", "only takes", "isolated")
#: Fraction of the people whose share of all help given is reported (the top fifth).
TOP_FRACTION = 0.2
#: Longest name accepted, in characters.
MAX_NAME = 80
#: Longest tenure accepted, in months.
MAX_TENURE = 600.0
#: Highest quota attainment accepted (5 = 500 %).
MAX_ATTAINMENT = 5.0

#: The sources of the network measures and the mentoring model, short form, for the worksheet's sources list.
SOURCES: tuple[str, ...] = (
    "Wasserman, S. and Faust, K. (1994). Social Network Analysis. Cambridge University Press (degree, reciprocity).",
    "Barrat, A. et al. (2004). The architecture of complex weighted networks. PNAS 101(11), 3747-3752 (strength).",
    "Grant, A. (2013). Give and Take. Viking (givers, takers, matchers); Cross, R., Rebele, R. and Grant, A. "
    "(2016). Collaborative overload. Harvard Business Review 94(1), 74-79.",
    "Kram, K. E. (1985). Mentoring at Work; Eby, L. T. et al. (2008). Does mentoring matter? Journal of "
    "Vocational Behavior 72(2), 254-267.",
    "Kuhn, H. W. (1955). The Hungarian method for the assignment problem. Naval Research Logistics Quarterly "
    "2(1-2), 83-97; Crouse, D. F. (2016). On implementing 2D rectangular assignment algorithms. IEEE TAES "
    "52(4), 1679-1696 (scipy's solver); Burkard, Dell'Amico and Martello (2012). Assignment Problems. SIAM "
    "(capacities by repeated columns).",
)
_LOG_ALIASES = {"from": "helper", "giver": "helper", "to": "helped", "receiver": "helped", "helpee": "helped"}
_REP_ALIASES = {"rep": "name", "tenure": "tenure_months", "attainment": "quota_attainment", "quota": "quota_attainment"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def name_key(name: str) -> str:
    """How names are matched between the log and the reps table: trimmed, single spaces, case-folded.

    Examples
    --------
    >>> name_key("  Ana   SILVA ") == name_key("ana silva")
    True
    """
    return " ".join(str(name).split()).casefold()


def _is_date(value) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _short(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype("string").str.len() <= MAX_NAME)


def read_help_log(text: str, source: str = "Help log") -> pd.DataFrame:
    """Read and check a help log CSV: ``helper``, ``helped``, ``date`` (YYYY-MM-DD) and, optionally, ``topic``.

    Returns one row per time help was given, indexed by line, with ``date``
    as a timestamp and ``topic`` as text ("" when blank). Problems are one
    :class:`InputError` naming the column, the rule and the lines.

    Examples
    --------
    >>> log = read_help_log("helper,helped,date,topic\\nAna,Ben,2025-01-07,pricing\\nBen,Ana,2025-01-09,")
    >>> log[["helper", "helped", "topic"]].values.tolist()
    [['Ana', 'Ben', 'pricing'], ['Ben', 'Ana', '']]
    >>> read_help_log("helper,helped,date\\nAna,Ben,07/01/2025")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Help log: column 'date' must hold dates written YYYY-MM-DD, e.g. 2025-01-31, got '07/01/2025' on line 2
    """
    import pandera.pandas as pa

    frame = read_csv_text(text, source, aliases=_LOG_ALIASES)
    name_rule = f"hold a name of at most {MAX_NAME} characters"
    schema = pa.DataFrameSchema(
        {
            "helper": pa.Column(nullable=False, checks=pa.Check(_short, error=name_rule)),
            "helped": pa.Column(nullable=False, checks=pa.Check(_short, error=name_rule)),
            "date": pa.Column(
                nullable=False,
                checks=pa.Check(
                    lambda s: s.map(_is_date).astype(bool), error="hold dates written YYYY-MM-DD, e.g. 2025-01-31"
                ),
            ),
            "topic": pa.Column(nullable=True, required=False, checks=pa.Check(_short, error=name_rule)),
        },
        checks=[
            pa.Check(
                lambda d: (
                    d["helper"].isna()
                    | d["helped"].isna()
                    | (d["helper"].map(name_key, na_action="ignore") != d["helped"].map(name_key, na_action="ignore"))
                ),
                error="a row's 'helped' must name someone other than its 'helper'",
            )
        ],
        strict=False,
    )
    validate_table(frame, schema, source)
    out = pd.DataFrame(
        {
            "helper": frame["helper"].map(lambda s: " ".join(s.split())),
            "helped": frame["helped"].map(lambda s: " ".join(s.split())),
            "date": pd.to_datetime(frame["date"], format="%Y-%m-%d"),
            "topic": frame["topic"].fillna("") if "topic" in frame else "",
        },
        index=frame.index,
    )
    return out


def _number_check(low: float, high: float, rule: str):
    import pandera.pandas as pa

    def ok(s: pd.Series) -> pd.Series:
        v = pd.to_numeric(s, errors="coerce")
        return v.between(low, high).fillna(False).astype(bool)

    return pa.Check(ok, error=rule)


def _attainment(s: pd.Series) -> pd.Series:
    """Quota attainment as a share: "105%" and "1.05" are both 1.05 (NaN when not a number)."""
    text = s.astype("string").str.strip()
    percent = text.str.endswith("%").fillna(False).astype(bool)
    value = pd.to_numeric(text.str.rstrip("%"), errors="coerce").astype(float)
    return value.where(~percent, value / 100)


def read_reps(text: str, source: str = "Reps", skill_top: int = 5) -> pd.DataFrame:
    """Read and check a reps table: ``name``, ``tenure_months``, ``quota_attainment`` and ``skill_<area>`` columns.

    Quota attainment is a share of quota (1.05 or 105% for 105 %), from 0 to
    5; tenure is in months, 0 to 600; each skill is scored 1 to
    ``skill_top``. Other columns are ignored. Returns a table indexed by name
    with ``tenure_months``, ``quota_attainment`` and one column per skill area
    (the ``skill_`` prefix dropped).

    Examples
    --------
    >>> reps = read_reps("name,tenure_months,quota_attainment,skill_closing\\nAna,40,112%,5\\nBen,6,0.8,2")
    >>> reps.to_dict("index")
    {'Ana': {'tenure_months': 40.0, 'quota_attainment': 1.12, 'closing': 5.0}, 'Ben': {'tenure_months': 6.0, 'quota_attainment': 0.8, 'closing': 2.0}}
    >>> read_reps("name,tenure_months,quota_attainment,skill_closing\\nAna,40,112%,6")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Reps: column 'skill_closing' must hold scores from 1 to 5, got '6' on line 2
    """
    import pandera.pandas as pa

    frame = read_csv_text(text, source, aliases=_REP_ALIASES)
    skills = [c for c in frame.columns if c.startswith("skill_") and len(c) > len("skill_")]
    columns = {
        "name": pa.Column(
            nullable=False,
            checks=[
                pa.Check(_short, error=f"hold a name of at most {MAX_NAME} characters"),
                pa.Check(
                    lambda s: ~s.map(name_key, na_action="ignore").duplicated(keep=False),
                    error="name each rep once (no repeats)",
                ),
            ],
        ),
        "tenure_months": pa.Column(
            nullable=False, checks=_number_check(0, MAX_TENURE, f"hold months from 0 to {MAX_TENURE:.0f}")
        ),
        "quota_attainment": pa.Column(
            nullable=False,
            checks=pa.Check(
                lambda s: _attainment(s).between(0, MAX_ATTAINMENT).fillna(False).astype(bool),
                error="hold a share of quota from 0 to 5, e.g. 1.05 or 105%",
            ),
        ),
    }
    for skill in skills:
        columns[skill] = pa.Column(
            nullable=False, checks=_number_check(1, skill_top, f"hold scores from 1 to {skill_top}")
        )
    validate_table(frame, pa.DataFrameSchema(columns, strict=False), source)
    if not skills:
        raise InputError(
            source,
            "",
            "",
            message=f"{source}: no skill columns; add one per skill area named skill_<area>, e.g. skill_prospecting",
        )
    out = pd.DataFrame(
        {
            "tenure_months": pd.to_numeric(frame["tenure_months"]).astype(float),
            "quota_attainment": _attainment(frame["quota_attainment"]).round(10),
            **{s.removeprefix("skill_"): pd.to_numeric(frame[s]).astype(float) for s in skills},
        }
    )
    out.index = pd.Index([" ".join(n.split()) for n in frame["name"]], name="name")
    return out


# --------------------------------------------------------------------------- the network
def help_network(log: pd.DataFrame, people: Iterable[str] = ()) -> nx.DiGraph:
    """The help network: an arrow helper -> helped weighted by the times; ``people`` added even without help.

    Names are matched with :func:`name_key`; each person is shown under the
    first spelling met (``people`` first). Each edge carries ``weight`` (times)
    and ``topics`` (a Counter).

    Examples
    --------
    >>> log = pd.DataFrame({"helper": ["Ana", "ana", "Ben"], "helped": ["Ben", "Ben", "Ana"], "topic": ["a", "b", "a"]})
    >>> g = help_network(log, people=["Ana", "Ben", "Cy"])
    >>> g["Ana"]["Ben"]["weight"], sorted(g.nodes), g.degree("Cy")
    (2, ['Ana', 'Ben', 'Cy'], 0)
    """
    names: dict[str, str] = {}

    def shown(name: str) -> str:
        return names.setdefault(name_key(name), " ".join(str(name).split()))

    graph = nx.DiGraph()
    for person in people:
        graph.add_node(shown(person))
    topics = log["topic"] if "topic" in log else pd.Series("", index=log.index)
    for helper, helped, topic in zip(log["helper"], log["helped"], topics, strict=True):
        u, v = shown(helper), shown(helped)
        if graph.has_edge(u, v):
            graph[u][v]["weight"] += 1
        else:
            graph.add_edge(u, v, weight=1, topics=Counter())
        if topic:
            graph[u][v]["topics"][topic] += 1
    return graph


def _role(gives: float, takes: float) -> str:
    """A rep's role from the help given and received.

    Examples
    --------
    >>> [_role(*x) for x in [(0, 0), (3, 0), (0, 2), (6, 3), (1, 2), (2, 2)]]
    ['isolated', 'only gives', 'only takes', 'mostly gives', 'mostly takes', 'gives and takes']
    """
    if gives == 0 and takes == 0:
        return "isolated"
    if takes == 0:
        return "only gives"
    if gives == 0:
        return "only takes"
    if gives >= 2 * takes:
        return "mostly gives"
    if takes >= 2 * gives:
        return "mostly takes"
    return "gives and takes"


def network_table(graph: nx.DiGraph) -> pd.DataFrame:
    """Per person: ``gives``, ``takes`` (times), ``helped``, ``helpers`` (people), ``reciprocity`` (0-1) and ``role``.

    Sorted by help given, most first (ties by name). Reciprocity is NaN for
    someone with no ties.

    Examples
    --------
    >>> g = nx.DiGraph([("Ana", "Ben", {"weight": 3}), ("Ben", "Ana", {"weight": 1}), ("Ana", "Cy", {"weight": 2})])
    >>> network_table(g)[["gives", "takes", "helped", "reciprocity", "role"]].to_dict("index")["Ana"]
    {'gives': 5, 'takes': 1, 'helped': 2, 'reciprocity': 0.6666666666666666, 'role': 'mostly gives'}
    """
    nodes = list(graph.nodes)
    recip = dict(nx.reciprocity(graph, nodes)) if len(nodes) > 1 else {n: None for n in nodes}
    rows = []
    for n in nodes:
        gives = int(graph.out_degree(n, weight="weight"))
        takes = int(graph.in_degree(n, weight="weight"))
        r = recip.get(n)
        rows.append(
            {
                "person": n,
                "gives": gives,
                "takes": takes,
                "helped": int(graph.out_degree(n)),
                "helpers": int(graph.in_degree(n)),
                "reciprocity": float("nan") if r is None else float(r),
                "role": _role(gives, takes),
            }
        )
    columns = ["person", "gives", "takes", "helped", "helpers", "reciprocity", "role"]
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["gives", "person"], ascending=[False, True], key=_sort_key).set_index("person")
    return table


def _sort_key(s: pd.Series) -> pd.Series:
    return s.map(name_key) if s.dtype == object or str(s.dtype).startswith("str") else s


@dataclass(frozen=True)
class NetworkSummary:
    """Team-level figures of the help network.

    Attributes
    ----------
    events : int
        Times help was given.
    people : int
        People in the network (log and reps table).
    ties : int
        Distinct helper -> helped pairs.
    reciprocity : float
        Share of ties returned (NaN without ties).
    top_share : float
        Share of all help given by the top fifth of the people, at least one (NaN without help).
    top_givers : tuple of str
        Those top givers, most first.
    isolated, only_takes : tuple of str
        People by role.
    first, last : datetime.date or None
        The period the log covers.
    """

    events: int
    people: int
    ties: int
    reciprocity: float
    top_share: float
    top_givers: tuple[str, ...]
    isolated: tuple[str, ...]
    only_takes: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None


def summarise(graph: nx.DiGraph, table: pd.DataFrame, log: pd.DataFrame | None = None) -> NetworkSummary:
    """The team-level figures of a help network and its :func:`network_table`.

    Examples
    --------
    >>> g = nx.DiGraph([("Ana", "Ben", {"weight": 3}), ("Ben", "Ana", {"weight": 1}), ("Ana", "Cy", {"weight": 2})])
    >>> g.add_node("Dee")
    >>> s = summarise(g, network_table(g))
    >>> s.events, s.reciprocity, s.isolated, s.top_givers, round(s.top_share, 2)
    (6, 0.6666666666666666, ('Dee',), ('Ana',), 0.83)
    """
    events = int(table["gives"].sum())
    ties = graph.number_of_edges()
    top = table[table["gives"] > 0].head(max(1, round(TOP_FRACTION * len(table))))
    first = last = None
    if log is not None and len(log):
        first, last = log["date"].min().date(), log["date"].max().date()
    return NetworkSummary(
        events=events,
        people=graph.number_of_nodes(),
        ties=ties,
        reciprocity=float(nx.overall_reciprocity(graph)) if ties else float("nan"),
        top_share=float(top["gives"].sum() / events) if events else float("nan"),
        top_givers=tuple(top.index),
        isolated=tuple(table.index[table["role"] == "isolated"]),
        only_takes=tuple(table.index[table["role"] == "only takes"]),
        first=first,
        last=last,
    )


def topic_table(graph: nx.DiGraph) -> pd.DataFrame:
    """Per topic: the times help was given on it and the person who gave it most (ties by name).

    Examples
    --------
    >>> log = pd.DataFrame({"helper": ["Ana", "Ben", "Ana"], "helped": ["Ben", "Cy", "Cy"], "topic": ["pricing"] * 3})
    >>> topic_table(help_network(log)).to_dict("index")
    {'pricing': {'times': 3, 'top_helper': 'Ana', 'top_helper_times': 2}}
    """
    by_topic: dict[str, Counter] = {}
    for u, _v, data in graph.edges(data=True):
        for topic, times in data.get("topics", Counter()).items():
            by_topic.setdefault(topic, Counter())[u] += times
    rows = []
    for topic, helpers in by_topic.items():
        best = min(helpers, key=lambda p: (-helpers[p], name_key(p)))
        rows.append(
            {"topic": topic, "times": sum(helpers.values()), "top_helper": best, "top_helper_times": helpers[best]}
        )
    table = pd.DataFrame(rows, columns=["topic", "times", "top_helper", "top_helper_times"])
    return table.sort_values(["times", "topic"], ascending=[False, True]).set_index("topic")


# --------------------------------------------------------------------------- mentoring
def pair_benefit(mentee_skills, mentor_skills, top: float = 5) -> np.ndarray:
    """Need-weighted skill points each mentor is ahead of each mentee: ``b[e, m] = sum_a w[e, a] max(0, s[m, a] - s[e, a])``.

    The need ``w[e, a] = (top - s[e, a]) / (top - 1)`` is 1 for a mentee at the
    bottom of the 1-``top`` scale in an area and 0 at its top.

    Examples
    --------
    A mentee weak in the first area (1 of 5) and strong in the second (4 of 5):
    the first mentor is 3 points ahead where it matters (3 x 1.0), the second
    2 points ahead where it matters less (2 x 0.25).

    >>> pair_benefit([[1, 3]], [[4, 3], [1, 5]]).tolist()
    [[3.0, 1.0]]
    """
    e = np.asarray(mentee_skills, dtype=float)
    m = np.asarray(mentor_skills, dtype=float)
    need = (top - e) / (top - 1)
    return (need[:, None, :] * np.clip(m[None, :, :] - e[:, None, :], 0, None)).sum(axis=2)


def assign(benefit, limit: int | Sequence[int]) -> list[tuple[int, int]]:
    """Mentee-to-mentor pairs maximising the total benefit, each mentor taking at most ``limit`` mentees.

    Each mentor's column is repeated ``limit`` times (or ``limit[m]`` times)
    and the assignment problem solved with
    :func:`scipy.optimize.linear_sum_assignment`; pairs with no benefit are
    dropped. Returns ``(mentee, mentor)`` index pairs sorted by mentee.

    Examples
    --------
    Two mentees both learn most from mentor 0, who takes one:

    >>> assign([[5.0, 4.0], [5.0, 1.0]], limit=1)
    [(0, 1), (1, 0)]
    >>> assign([[5.0, 4.0], [5.0, 1.0]], limit=2)
    [(0, 0), (1, 0)]
    """
    b = np.asarray(benefit, dtype=float)
    if b.ndim != 2:
        raise ValueError(f"benefit must be a mentees-by-mentors table, got {b.ndim} dimension(s)")
    n_mentees, n_mentors = b.shape
    limits = np.broadcast_to(np.asarray(limit, dtype=int), (n_mentors,))
    if (limits < 0).any():
        raise ValueError("limit must be at least 0 for every mentor")
    columns = np.repeat(np.arange(n_mentors), limits)
    if n_mentees == 0 or columns.size == 0:
        return []
    rows, slots = linear_sum_assignment(b[:, columns], maximize=True)
    pairs = [(int(r), int(columns[s])) for r, s in zip(rows, slots, strict=True) if b[r, columns[s]] > 0]
    return sorted(pairs)


@dataclass(frozen=True)
class Mentoring:
    """Mentoring pairs and who could not be matched.

    Attributes
    ----------
    pairs : pandas.DataFrame
        One row per pair: ``mentee``, ``mentor``, ``benefit`` (need-weighted
        skill points, see :func:`pair_benefit`), ``gap`` (skill points the mentor
        is ahead, summed over areas), ``focus`` (the areas with the largest
        gaps) and ``already_helped`` (times the mentor helped the mentee in the log).
    mentors, mentees : tuple of str
        Who qualifies as each.
    unmatched : tuple of str
        Mentees without a mentor.
    idle_mentors : tuple of str
        Mentors without a mentee.
    benefit : pandas.DataFrame
        The benefit of every mentee (rows) with every mentor (columns), skill points.
    limit : int
        Most mentees per mentor.
    """

    pairs: pd.DataFrame
    mentors: tuple[str, ...]
    mentees: tuple[str, ...]
    unmatched: tuple[str, ...]
    idle_mentors: tuple[str, ...]
    benefit: pd.DataFrame
    limit: int

    @property
    def total(self) -> float:
        """The benefit of all pairs together (need-weighted skill points)."""
        return float(self.pairs["benefit"].sum()) if len(self.pairs) else 0.0


def _focus(mentee: pd.Series, mentor: pd.Series, top: int = 2) -> str:
    gap = (mentor - mentee).clip(lower=0)
    gap = gap[gap > 0].sort_values(ascending=False, kind="stable").head(top)
    return ", ".join(f"{area} (+{value:g})" for area, value in gap.items())


def mentoring(
    reps: pd.DataFrame,
    *,
    min_attainment: float = 1.0,
    min_tenure: float = 24.0,
    max_mentee_tenure: float = 12.0,
    limit: int = 2,
    top: float = 5,
    graph: nx.DiGraph | None = None,
) -> Mentoring:
    """Peer-mentoring pairs from a reps table (see :func:`read_reps`) by skill gap, at most ``limit`` per mentor.

    Mentees: tenure under ``max_mentee_tenure`` months. Mentors: the others
    with tenure of at least ``min_tenure`` months and quota attainment of at
    least ``min_attainment`` (a share, 1 = 100 %). Skills are scored 1 to
    ``top``; ``graph`` (the help network) gives the times each mentor already
    helped the mentee.

    Examples
    --------
    >>> reps = pd.DataFrame({"tenure_months": [40, 30, 5, 3], "quota_attainment": [1.2, 1.1, 0.6, 0.5],
    ...                      "closing": [5, 3, 2, 3], "discovery": [2, 5, 2, 4]}, index=["Ana", "Ben", "Cy", "Dee"])
    >>> m = mentoring(reps, limit=1)
    >>> m.pairs[["mentee", "mentor", "benefit"]].values.tolist()
    [['Cy', 'Ben', 3.0], ['Dee', 'Ana', 1.0]]
    """
    skills = [c for c in reps.columns if c not in ("tenure_months", "quota_attainment")]
    is_mentee = reps["tenure_months"] < max_mentee_tenure
    is_mentor = ~is_mentee & (reps["tenure_months"] >= min_tenure) & (reps["quota_attainment"] >= min_attainment)
    mentees, mentors = list(reps.index[is_mentee]), list(reps.index[is_mentor])
    benefit = pair_benefit(reps.loc[mentees, skills].to_numpy(), reps.loc[mentors, skills].to_numpy(), top)
    benefit_table = pd.DataFrame(benefit.reshape(len(mentees), len(mentors)), index=mentees, columns=mentors)
    pairs = assign(benefit_table.to_numpy(), limit) if mentees and mentors else []
    keys = {name_key(n): n for n in graph.nodes} if graph is not None else {}
    rows = []
    for e, m in pairs:
        mentee, mentor = mentees[e], mentors[m]
        u, v = keys.get(name_key(mentor)), keys.get(name_key(mentee))
        helped = int(graph[u][v]["weight"]) if graph is not None and u and v and graph.has_edge(u, v) else 0
        rows.append(
            {
                "mentee": mentee,
                "mentor": mentor,
                "benefit": float(benefit[e, m]),
                "gap": float((reps.loc[mentor, skills] - reps.loc[mentee, skills]).clip(lower=0).sum()),
                "focus": _focus(reps.loc[mentee, skills], reps.loc[mentor, skills]),
                "already_helped": helped,
            }
        )
    table = pd.DataFrame(rows, columns=["mentee", "mentor", "benefit", "gap", "focus", "already_helped"])
    matched = {r["mentee"] for r in rows}
    busy = {r["mentor"] for r in rows}
    return Mentoring(
        pairs=table,
        mentors=tuple(mentors),
        mentees=tuple(mentees),
        unmatched=tuple(n for n in mentees if n not in matched),
        idle_mentors=tuple(n for n in mentors if n not in busy),
        benefit=benefit_table,
        limit=int(limit),
    )
