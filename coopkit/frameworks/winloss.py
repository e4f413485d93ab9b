"""Win/loss analysis of closed deals: win rates with intervals, head-to-head records, loss reasons, trends.

Everything here works on a table of closed deals, one row per deal, with a
boolean column ``won`` and, when the CRM export has them, the text columns
``competitor``, ``rep``, ``segment`` and ``loss_reason``, a ``date`` (when the
deal closed) and a ``value`` (money, the deal's size). :mod:`coopkit.store.crm`
reads and checks a CRM export into that shape.

Where each figure comes from:

* **Win rate** ``p = k / n``: ``k`` deals won of ``n`` closed (won or lost).
  Its 95 % interval is Wilson's score interval [Wilson1927]_,

  ``(p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``, ``z = 1.95996``,

  the interval recommended for proportions over the textbook Wald interval
  ``p ± z sqrt(p(1-p)/n)``, which is too narrow for small groups and rates
  near 0 or 1 [Newcombe1998a]_ (method 3) [Brown2001]_. A rep with 3 wins in
  4 deals gets 30 % to 95 %, not 33 % to 117 %.
* **Change in a win rate** between two groups of deals (the earlier and the
  later half of the period): ``p2 - p1`` with Newcombe's hybrid score
  interval built from the two Wilson intervals ``(l1, u1)``, ``(l2, u2)``
  [Newcombe1998b]_ (method 10):
  ``p2 - p1 - sqrt((p2 - l2)² + (u1 - p1)²)`` to
  ``p2 - p1 + sqrt((u2 - p2)² + (p1 - l1)²)``.
* **Logistic trend**: ``logit P(win) = a + b t``, ``t`` in years since the
  first deal, fitted by maximum likelihood with iteratively reweighted least
  squares on the deals grouped by day [McCullagh1989]_ (§4.4); ``exp(b)`` is the
  odds ratio per year, with the Wald interval ``exp(b ± z se(b))``
  [Hosmer2013]_ (ch. 1-2). The same fit, with ``t`` replaced by a deal's
  preparation score, gives a deal's estimated win chance, its interval from
  ``a + b x ± z se`` on the logit scale (delta method) mapped back.
* **Which competitors we are improving against**: a competitor is
  *improving* when the interval of the chosen measure (the change between
  the halves, or the odds ratio per year) lies wholly above no change,
  *slipping* when wholly below, *no clear change* otherwise, and *too few
  deals* when there are fewer than ``min_deals`` deals (or fewer than
  :data:`MIN_HALF` in a half).
* **Loss reasons ranked** (Pareto): lost deals counted per reason, most
  frequent first, with the cumulative share; the *vital few* are the reasons
  that together account for the first 80 % of losses (Juran's Pareto
  principle, [Juran1951]_).
* **Preparation**: each checklist item scores 0 (not done), 1 (partly) or 2
  (done); a deal's preparation score is the sum, ``0`` to ``2 m`` for ``m``
  items. Scores are grouped into bands of equal width and each band's win
  rate gets its Wilson interval.

These are associations in past deals, not causes: reps may prepare more for
the deals they already expect to win.

References
----------
.. [Wilson1927] Wilson, E. B. (1927). "Probable inference, the law of
   succession, and statistical inference". *Journal of the American
   Statistical Association* 22(158), 209-212.
.. [Newcombe1998a] Newcombe, R. G. (1998). "Two-sided confidence intervals for
   the single proportion: comparison of seven methods". *Statistics in
   Medicine* 17(8), 857-872.
.. [Newcombe1998b] Newcombe, R. G. (1998). "Interval estimation for the
   difference between independent proportions: comparison of eleven
   methods". *Statistics in Medicine* 17(8), 873-890.
.. [Brown2001] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). "Interval
   estimation for a binomial proportion". *Statistical Science* 16(2), 101-133.
.. [McCullagh1989] McCullagh, P. and Nelder, J. A. (1989). *Generalized Linear
   Models*, 2nd ed. Chapman and Hall.
.. [Hosmer2013] Hosmer, D. W., Lemeshow, S. and Sturdivant, R. X. (2013).
   *Applied Logistic Regression*, 3rd ed. Wiley.
.. [Juran1951] Juran, J. M. (1951). *Quality Control Handbook*. McGraw-Hill.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from coopkit.errors import InputError, require
from coopkit.frameworks.safety import safe_cell

__all__ = [
    "Z95",
    "MIN_HALF",
    "wilson_interval",
    "difference_interval",
    "win_rates",
    "head_to_head",
    "pareto",
    "over_time",
    "LogisticFit",
    "logistic_fit",
    "Trend",
    "trend",
    "score_bands",
    "preparation_table",
    "item_table",
    "Estimate",
    "estimate_band",
    "estimate_logistic",
    "table_csv",
    "as_text",
    "preparation_report",
]

#: The normal quantile of a two-sided 95 % interval.
Z95 = NormalDist().inv_cdf(0.975)
#: Fewest deals in each half of the period for the halves comparison.
MIN_HALF = 10
#: Label of "all deals" rows.
ALL = "All deals"

Period = Literal["month", "quarter", "half"]
TrendMethod = Literal["halves", "logistic"]
_RATE_COLUMNS = ["deals", "wins", "losses", "win_rate", "low", "high"]


def _z(confidence: float) -> float:
    require(0 < confidence < 1, "confidence", confidence, "be between 0 and 1 (e.g. 0.95)")
    return Z95 if confidence == 0.95 else NormalDist().inv_cdf(0.5 + confidence / 2)


# --------------------------------------------------------------------------- intervals
def wilson_interval(wins, deals, confidence: float = 0.95):
    """Wilson score interval of a win rate ``wins / deals`` [Wilson1927]_.

    Parameters
    ----------
    wins, deals : int or array of int
        Deals won and deals closed (won or lost), ``0 <= wins <= deals``.
    confidence : float
        Two-sided confidence level, 0.95 for a 95 % interval.

    Returns
    -------
    (low, high) : floats (or arrays) in [0, 1]
        Bounds of the win rate, a share 0-1; NaN where ``deals`` is 0.

    Examples
    --------
    Newcombe (1998a), table I, method 3: 81 of 263 and 0 of 20.

    >>> [round(x, 4) for x in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    >>> [round(x, 4) for x in wilson_interval(0, 20)]
    [0.0, 0.1611]
    """
    k = np.asarray(wins, dtype=float)
    n = np.asarray(deals, dtype=float)
    if np.any(n < 0) or np.any(k < 0) or np.any(k > n) or not (np.all(np.isfinite(k)) and np.all(np.isfinite(n))):
        raise InputError("wins", wins, f"be between 0 and the number of deals ({deals})")
    z = _z(confidence)
    z2 = z * z
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    low = np.where(n == 0, np.nan, low)
    high = np.where(n == 0, np.nan, high)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def difference_interval(wins1, deals1, wins2, deals2, confidence: float = 0.95):
    """Change ``p2 - p1`` between two win rates with Newcombe's hybrid score interval [Newcombe1998b]_.

    Parameters
    ----------
    wins1, deals1 : int or array
        The first group (e.g. the earlier half of the period).
    wins2, deals2 : int or array
        The second group (e.g. the later half).
    confidence : float
        Two-sided confidence level.

    Returns
    -------
    (difference, low, high) : floats (or arrays), shares -1 to 1
        NaN where a group has no deals.

    Examples
    --------
    Newcombe (1998b), example (a), method 10: 56 of 70 against 48 of 80.

    >>> [round(x, 4) for x in difference_interval(48, 80, 56, 70)]
    [0.2, 0.0524, 0.3339]
    """
    l1, u1 = wilson_interval(wins1, deals1, confidence)
    l2, u2 = wilson_interval(wins2, deals2, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = np.asarray(wins1, dtype=float) / np.asarray(deals1, dtype=float)
        p2 = np.asarray(wins2, dtype=float) / np.asarray(deals2, dtype=float)
    d = p2 - p1
    low = d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    if np.ndim(d) == 0:
        return float(d), float(low), float(high)
    return d, low, high


# --------------------------------------------------------------------------- win rates
def _text(column: pd.Series, blank: str | None = None) -> pd.Series:
    """A column as trimmed text (``blank`` for empty cells when given), as a categorical in alphabetical order.

    The trimming runs once per distinct value, and grouping by a categorical is
    fast: this keeps 200,000 deals quick.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    trimmed = [str(u).strip() for u in uniques]
    if blank is not None:
        trimmed = [t if t else blank for t in trimmed]
    categories = sorted(set(trimmed))
    position = {c: j for j, c in enumerate(categories)}
    remap = np.array([position[t] for t in trimmed], dtype=np.int64)
    values = pd.Categorical.from_codes(remap[codes], categories=pd.Index(categories, dtype=object))
    return pd.Series(values, index=column.index, name=column.name)


def _labels(column: pd.Series, blank: str) -> pd.Series:
    return _text(column, blank)


def _rates(grouped_wins: pd.Series, grouped_deals: pd.Series) -> pd.DataFrame:
    deals = grouped_deals.astype(int)
    wins = grouped_wins.astype(int)
    low, high = wilson_interval(wins.to_numpy(), deals.to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = wins.to_numpy() / deals.to_numpy()
    return pd.DataFrame(
        {"deals": deals, "wins": wins, "losses": deals - wins, "win_rate": rate, "low": low, "high": high},
        index=deals.index,
    )


def win_rates(
    deals: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    won: str = "won",
    value: str | None = "value",
    blank: str = "(blank)",
) -> pd.DataFrame:
    """Win rate of each group of deals (or of all of them) with its Wilson 95 % interval.

    Parameters
    ----------
    deals : pandas.DataFrame
        One row per closed deal, a boolean column ``won``.
    by : str or list of str, optional
        Column(s) to group by, e.g. ``"rep"`` or ``["competitor", "segment"]``;
        None for one row, "All deals". Blank labels are grouped as ``blank``.
    won : str
        The outcome column (True = won).
    value : str or None
        A money column; when present, adds ``value_won``, ``value_lost`` and
        ``value_win_rate`` (share of the money won). Missing values are left out.
    blank : str
        Label of the group of blank cells.

    Returns
    -------
    pandas.DataFrame
        Index the group; columns ``deals``, ``wins``, ``losses``, ``win_rate``
        (share 0-1), ``low``, ``high`` (its 95 % interval) and the value
        columns; most deals first.

    Examples
    --------
    >>> df = pd.DataFrame({"won": [True, False, True, True], "rep": ["Ana", "Ana", "Ben", ""]})
    >>> t = win_rates(df, "rep", value=None)
    >>> t[["deals", "wins", "win_rate"]].to_dict("index")["Ana"]
    {'deals': 2, 'wins': 1, 'win_rate': 0.5}
    >>> list(t.index), round(float(win_rates(df, value=None).loc["All deals", "low"]), 3)
    (['Ana', '(blank)', 'Ben'], 0.301)
    """
    flags = deals[won].astype(bool)
    if by is None:
        keys: list = [pd.Series(ALL, index=deals.index, name="group")]
        names = ["group"]
    else:
        names = [by] if isinstance(by, str) else list(by)
        keys = [_labels(deals[c], blank).rename(c) for c in names]
    grouped = flags.groupby(keys, sort=True, observed=True)
    table = _rates(grouped.sum(), grouped.size())
    if value is not None and value in deals.columns:
        money = pd.to_numeric(deals[value], errors="coerce")
        won_money = money.where(flags, 0.0).groupby(keys, sort=True, observed=True).sum(min_count=0)
        all_money = money.groupby(keys, sort=True, observed=True).sum(min_count=0)
        table["value_won"] = won_money
        table["value_lost"] = all_money - won_money
        with np.errstate(invalid="ignore", divide="ignore"):
            table["value_win_rate"] = np.where(all_money > 0, won_money / all_money.where(all_money > 0, 1), np.nan)
    if isinstance(table.index, pd.MultiIndex):  # plain labels, not categoricals, for whoever reads the table
        table.index = pd.MultiIndex.from_tuples([tuple(map(str, k)) for k in table.index], names=names)
    else:
        table.index = pd.Index([str(k) for k in table.index], dtype=object, name=names[0] if by is not None else None)
    if isinstance(table.index, pd.MultiIndex) or by is not None:
        order = np.lexsort((np.arange(len(table)), -table["deals"].to_numpy()))
        table = table.iloc[order]
    return table


def head_to_head(
    deals: pd.DataFrame,
    *,
    competitor: str = "competitor",
    won: str = "won",
    value: str | None = "value",
    reason: str | None = "loss_reason",
    date: str | None = "date",
) -> pd.DataFrame:
    """Our record against each competitor: won-lost, win rate and interval, money, top loss reason.

    Deals without a competitor recorded (a blank cell) are left out.

    Returns
    -------
    pandas.DataFrame
        Index ``competitor``; the :func:`win_rates` columns plus ``record``
        ("won–lost"), ``top_loss_reason`` (the most frequent recorded reason
        of the deals lost to it, "" when none) and ``last_met`` (date of the
        latest deal against it) when those columns exist.

    Examples
    --------
    >>> df = pd.DataFrame({"won": [True, False, False, True], "competitor": ["X", "X", "X", ""],
    ...                    "loss_reason": ["", "Price", "Price", ""]})
    >>> t = head_to_head(df, value=None, date=None)
    >>> t.loc["X", ["record", "top_loss_reason"]].tolist()
    ['1–2', 'Price']
    """
    named = deals[_text(deals[competitor]) != ""]
    table = win_rates(named, competitor, won=won, value=value)
    table.insert(0, "record", [f"{w:,}–{lo:,}" for w, lo in zip(table["wins"], table["losses"], strict=True)])
    if reason is not None and reason in named.columns:
        lost = named[~named[won].astype(bool)]
        reasons = _text(lost[reason])
        lost, reasons = lost[reasons != ""], reasons[reasons != ""]
        if len(lost):
            counts = lost.groupby([_text(lost[competitor]), reasons.rename(reason)], observed=True).size()
            counts = counts.reset_index(name="n").sort_values(
                ["n", counts.index.names[1]], ascending=[False, True], kind="stable"
            )
            top = counts.drop_duplicates(counts.columns[0]).set_index(counts.columns[0])[counts.columns[1]]
        else:
            top = pd.Series(dtype=str)
        table["top_loss_reason"] = [str(top.get(c, "")) for c in table.index]
    if date is not None and date in named.columns:
        table["last_met"] = named.groupby(_text(named[competitor]), observed=True)[date].max().reindex(table.index)
    return table


def pareto(
    deals: pd.DataFrame,
    *,
    reason: str = "loss_reason",
    won: str = "won",
    value: str | None = "value",
    blank: str = "(no reason recorded)",
    vital_share: float = 0.8,
) -> pd.DataFrame:
    """Loss reasons ranked, most frequent first, with cumulative shares (a Pareto table, [Juran1951]_).

    Returns
    -------
    pandas.DataFrame
        Index ``loss_reason``; ``losses``, ``share`` and ``cumulative`` (shares
        0-1 of all losses), ``vital`` (True for the reasons that make up the
        first ``vital_share`` of losses, the one crossing it included) and
        ``value_lost`` when there is a value column. Blank reasons are one
        group, ranked with the others but never counted as vital.

    Examples
    --------
    >>> df = pd.DataFrame({"won": [False] * 5 + [True],
    ...                    "loss_reason": ["Price", "Price", "Price", "Fit", "Timing", ""]})
    >>> t = pareto(df, value=None)
    >>> t["losses"].tolist(), t["vital"].tolist()
    ([3, 1, 1], [True, True, False])
    """
    lost = deals[~deals[won].astype(bool)]
    labels = _labels(lost[reason], blank)
    counts = labels.value_counts(sort=False)
    counts = counts[counts > 0]
    counts.index = pd.Index([str(k) for k in counts.index], dtype=object)
    table = pd.DataFrame({"losses": counts.astype(int)})
    if value is not None and value in lost.columns:
        money = pd.to_numeric(lost[value], errors="coerce").groupby(labels, observed=True).sum(min_count=0)
        table["value_lost"] = money.set_axis([str(k) for k in money.index]).reindex(table.index)
    table = table.iloc[np.lexsort((table.index.to_numpy(dtype=str), -table["losses"].to_numpy()))]
    total = int(table["losses"].sum())
    table["share"] = table["losses"] / total if total else np.nan
    table["cumulative"] = table["share"].cumsum()
    before = table["cumulative"] - table["share"]
    table["vital"] = (before < vital_share - 1e-12) & (table.index != blank)
    table.index.name = "loss_reason"
    return table[["losses", "share", "cumulative", "vital", *(["value_lost"] if "value_lost" in table else [])]]


_PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6}


def _period_start(dates: pd.Series, period: Period) -> pd.Series:
    months = _PERIOD_MONTHS[period]
    year = dates.dt.year
    first = (dates.dt.month - 1) // months * months + 1
    return pd.to_datetime({"year": year, "month": first, "day": 1})


def period_label(start: pd.Timestamp, period: Period) -> str:
    """A period's label from its first day: ``2025-03``, ``2025 Q1`` or ``2025 H1``.

    Examples
    --------
    >>> period_label(pd.Timestamp("2025-04-01"), "quarter"), period_label(pd.Timestamp("2025-07-01"), "half")
    ('2025 Q2', '2025 H2')
    """
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start.year} H{(start.month - 1) // 6 + 1}"


def over_time(deals: pd.DataFrame, period: Period = "quarter", *, date: str = "date", won: str = "won") -> pd.DataFrame:
    """Win rate per month, quarter or half-year, with Wilson 95 % intervals; periods without deals left out.

    Returns
    -------
    pandas.DataFrame
        Index the period's label (see :func:`period_label`), in time order;
        ``start`` (first day of the period) and the :func:`win_rates` columns.

    Examples
    --------
    >>> df = pd.DataFrame({"won": [True, False, True], "date": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-04-30"])})
    >>> over_time(df)[["deals", "win_rate"]].to_dict("index")
    {'2025 Q1': {'deals': 2, 'win_rate': 0.5}, '2025 Q2': {'deals': 1, 'win_rate': 1.0}}
    """
    require(period in _PERIOD_MONTHS, "period", period, f"be one of {', '.join(_PERIOD_MONTHS)}")
    if deals.empty:
        return pd.DataFrame(columns=["start", *_RATE_COLUMNS])
    start = _period_start(deals[date], period)
    grouped = deals[won].astype(bool).groupby(start, sort=True)
    table = _rates(grouped.sum(), grouped.size())
    table.insert(0, "start", table.index)
    table.index = pd.Index([period_label(s, period) for s in table["start"]], name="period")
    return table


# --------------------------------------------------------------------------- logistic fits
@dataclass(frozen=True)
class LogisticFit:
    """``logit P(win) = intercept + slope x``, fitted by maximum likelihood.

    Attributes
    ----------
    intercept, slope : float
        The coefficients (the slope per unit of ``x``).
    cov : numpy.ndarray
        2 x 2 covariance of (intercept, slope), the inverse Fisher information.
    deals : int
        Deals the fit rests on.

    Examples
    --------
    >>> fit = LogisticFit(-1.0, 0.5, np.diag([0.04, 0.01]), 200)
    >>> fit.se, [round(b, 3) for b in fit.slope_interval()], f"{fit.p_value():.1e}"
    (0.1, [0.304, 0.696], '5.7e-07')
    """

    intercept: float
    slope: float
    cov: np.ndarray
    deals: int

    @property
    def se(self) -> float:
        """Standard error of the slope (units of the slope)."""
        return math.sqrt(max(float(self.cov[1, 1]), 0.0))

    def slope_interval(self, confidence: float = 0.95) -> tuple[float, float]:
        """Wald interval of the slope, ``slope ± z se`` (see the class example)."""
        z = _z(confidence)
        return self.slope - z * self.se, self.slope + z * self.se

    def p_value(self) -> float:
        """Two-sided Wald p-value of "no trend" (slope 0), a probability 0-1 (see the class example)."""
        if self.se == 0:
            return 0.0 if self.slope else 1.0
        return math.erfc(abs(self.slope / self.se) / math.sqrt(2))

    def predict(self, x, confidence: float = 0.95):
        """Predicted win chance at ``x`` and its interval (delta method on the logit scale), shares 0-1.

        Examples
        --------
        >>> fit = LogisticFit(0.0, 1.0, np.diag([0.04, 0.01]), 100)
        >>> [round(v, 3) for v in fit.predict(0.0)]
        [0.5, 0.403, 0.597]
        """
        x = np.asarray(x, dtype=float)
        eta = self.intercept + self.slope * x
        var = self.cov[0, 0] + 2 * x * self.cov[0, 1] + x * x * self.cov[1, 1]
        half = _z(confidence) * np.sqrt(np.maximum(var, 0.0))
        out = tuple(1 / (1 + np.exp(-v)) for v in (eta, eta - half, eta + half))
        return tuple(float(v) for v in out) if x.ndim == 0 else out


def logistic_fit(x, wins, trials, *, max_iter: int = 50) -> LogisticFit | None:
    """Fit ``logit P(win) = a + b x`` to grouped deals by iteratively reweighted least squares [McCullagh1989]_.

    Parameters
    ----------
    x : array of float
        The covariate of each group of deals (years since the first deal, a
        preparation score).
    wins, trials : array of int
        Deals won and deals closed in each group.

    Returns
    -------
    LogisticFit or None
        None when the slope cannot be estimated: fewer than two distinct
        ``x`` values, all deals won or all lost, or the outcomes perfectly
        separated by ``x`` (the likelihood has no maximum).

    Examples
    --------
    >>> fit = logistic_fit([0, 1, 2], [2, 5, 8], [10, 10, 10])
    >>> round(fit.slope, 3), round(fit.intercept, 3)
    (1.386, -1.386)
    """
    x = np.asarray(x, dtype=float)
    k = np.asarray(wins, dtype=float)
    m = np.asarray(trials, dtype=float)
    keep = m > 0
    x, k, m = x[keep], k[keep], m[keep]
    total, won = float(m.sum()), float(k.sum())
    if np.unique(x).size < 2 or won <= 0 or won >= total:
        return None
    X = np.column_stack([np.ones_like(x), x])
    p0 = won / total
    beta = np.array([math.log(p0 / (1 - p0)), 0.0])

    def loglik(b: np.ndarray) -> float:
        eta = X @ b
        return float(np.sum(k * eta - m * np.logaddexp(0.0, eta)))

    current = loglik(beta)
    converged = False
    for _ in range(max_iter):
        eta = X @ beta
        p = 1 / (1 + np.exp(-eta))
        w = m * p * (1 - p)
        info = X.T @ (X * w[:, None])
        score = X.T @ (k - m * p)
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            return None
        t = 1.0
        while t > 1e-6:  # step halving keeps every step uphill
            candidate = beta + t * step
            new = loglik(candidate)
            if new >= current - 1e-12:
                break
            t /= 2
        beta, previous, current = candidate, current, new
        if abs(current - previous) < 1e-10 * (1 + abs(current)) and np.max(np.abs(t * step)) < 1e-8:
            converged = True
            break
    spread = float(x.max() - x.min())
    if not converged or abs(beta[1]) * spread > 30:  # separation: the slope runs off to infinity
        return None
    eta = X @ beta
    p = 1 / (1 + np.exp(-eta))
    info = X.T @ (X * (m * p * (1 - p))[:, None])
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return None
    return LogisticFit(float(beta[0]), float(beta[1]), cov, int(total))


# --------------------------------------------------------------------------- trends
@dataclass(frozen=True)
class Trend:
    """Which groups (competitors) we are improving against, and how that was decided.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group, "All deals" first: ``deals``, ``earlier_deals``,
        ``earlier_rate``, ``later_deals``, ``later_rate``, ``change``,
        ``change_low``, ``change_high`` (later minus earlier, shares, Newcombe
        interval), ``odds_ratio``, ``or_low``, ``or_high`` (per year, logistic
        trend), ``status`` (improving, slipping, no clear change, too few deals).
    method : str
        ``"halves"`` or ``"logistic"``: which interval decided the status.
    start, split, end : pandas.Timestamp
        First deal, the midpoint dividing the earlier from the later half, last deal.
    """

    table: pd.DataFrame
    method: str
    start: pd.Timestamp
    split: pd.Timestamp
    end: pd.Timestamp

    def improving(self) -> list[str]:
        """Groups we are improving against (not "All deals"); see :func:`trend` for an example."""
        return [str(g) for g, s in self.table["status"].items() if s == "improving" and g != ALL]

    def slipping(self) -> list[str]:
        """Groups we are slipping against (not "All deals"); see :func:`trend` for an example."""
        return [str(g) for g, s in self.table["status"].items() if s == "slipping" and g != ALL]


def _trend_row(part: pd.DataFrame, start, split, method: str, min_deals: int, date: str, won: str) -> dict:
    flags = part[won].astype(bool)
    later = part[date] >= split
    n1, n2 = int((~later).sum()), int(later.sum())
    k1, k2 = int(flags[~later].sum()), int(flags[later].sum())
    change, lo, hi = difference_interval(k1, n1, k2, n2) if n1 and n2 else (float("nan"), float("nan"), float("nan"))
    fit = None
    if len(part) >= max(min_deals, 2):  # a group too small to judge gets no fit (and none is wasted on it)
        days = (part[date] - start).dt.days.to_numpy()
        counts = pd.DataFrame({"d": days, "w": flags.to_numpy()}).groupby("d")["w"].agg(["sum", "size"])
        fit = logistic_fit(counts.index.to_numpy() / 365.25, counts["sum"], counts["size"])
    if fit is not None:
        s_lo, s_hi = fit.slope_interval()
        odds, o_lo, o_hi = math.exp(fit.slope), math.exp(s_lo), math.exp(s_hi)
    else:
        odds = o_lo = o_hi = float("nan")
    enough = len(part) >= min_deals and (method == "logistic" or min(n1, n2) >= MIN_HALF)
    if not enough or (method == "logistic" and fit is None):
        status = "too few deals"
    else:
        low, high, neutral = (lo, hi, 0.0) if method == "halves" else (o_lo, o_hi, 1.0)
        status = "improving" if low > neutral else "slipping" if high < neutral else "no clear change"
    return {
        "deals": len(part),
        "earlier_deals": n1,
        "earlier_rate": k1 / n1 if n1 else float("nan"),
        "later_deals": n2,
        "later_rate": k2 / n2 if n2 else float("nan"),
        "change": change,
        "change_low": lo,
        "change_high": hi,
        "odds_ratio": odds,
        "or_low": o_lo,
        "or_high": o_hi,
        "status": status,
    }


def trend(
    deals: pd.DataFrame,
    by: str | None = "competitor",
    *,
    method: TrendMethod = "halves",
    min_deals: int = 20,
    max_groups: int = 50,
    date: str = "date",
    won: str = "won",
) -> Trend:
    """Is our win rate rising or falling, overall and against each competitor?

    The period the deals cover, first to last closing date, is cut in two
    equal halves; the same cut serves every group. Both measures are computed
    for every group (the change between the halves with Newcombe's interval,
    and the odds ratio per year of a logistic trend); ``method`` says which
    one decides the status. Groups with a blank label are left out, and only
    the ``max_groups`` groups with the most deals are judged (a column with
    thousands of distinct values, mapped by mistake, stays fast).

    Examples
    --------
    >>> dates = pd.to_datetime(["2024-01-01"] * 20 + ["2025-12-31"] * 20)
    >>> df = pd.DataFrame({"won": [True] * 4 + [False] * 16 + [True] * 15 + [False] * 5,
    ...                    "date": dates, "competitor": "X"})
    >>> t = trend(df)
    >>> row = t.table.loc["X"]
    >>> float(row["earlier_rate"]), float(row["later_rate"]), row["status"]
    (0.2, 0.75, 'improving')
    """
    require(method in ("halves", "logistic"), "method", method, "be halves or logistic")
    start, end = deals[date].min(), deals[date].max()
    split = start + (end - start) / 2
    rows = {ALL: _trend_row(deals, start, split, method, min_deals, date, won)}
    if by is not None:
        labels = _text(deals[by])
        named = deals[labels != ""]
        keys = labels[labels != ""]
        largest = set(keys.value_counts().head(max_groups).index)
        for group, part in named.groupby(keys, sort=True, observed=True):
            if group in largest:
                rows[str(group)] = _trend_row(part, start, split, method, min_deals, date, won)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = by or "group"
    return Trend(table, method, start, split, end)


# --------------------------------------------------------------------------- preparation
def score_bands(max_points: int, bands: int = 4) -> list[tuple[int, int]]:
    """Preparation scores 0..max_points cut into ``bands`` bands of (nearly) equal width, lowest first.

    Examples
    --------
    >>> score_bands(12, 4)
    [(0, 3), (4, 6), (7, 9), (10, 12)]
    """
    require(max_points >= 1, "max_points", max_points, "be at least 1")
    bands = max(1, min(int(bands), max_points + 1))
    return [(int(b[0]), int(b[-1])) for b in np.array_split(np.arange(max_points + 1), bands)]


def band_label(band: tuple[int, int]) -> str:
    """A band's label from its lowest and highest score (points), e.g. ``"4–6"``, or ``"12"`` for one score.

    Examples
    --------
    >>> band_label((4, 6)), band_label((12, 12))
    ('4–6', '12')
    """
    return str(band[0]) if band[0] == band[1] else f"{band[0]}–{band[1]}"


def preparation_table(scores, won, max_points: int, bands: int = 4) -> pd.DataFrame:
    """How prepared deals fared: the win rate of each band of preparation scores, with Wilson intervals.

    Parameters
    ----------
    scores : array of int
        Each past deal's preparation score, 0 to ``max_points``.
    won : array of bool
        Whether it was won.
    max_points : int
        Highest possible score (2 points per checklist item).
    bands : int
        Number of score bands.

    Returns
    -------
    pandas.DataFrame
        Index the band's label (e.g. "4–6"), lowest first; ``from_score``,
        ``to_score`` and the :func:`win_rates` columns (bands without deals
        have NaN rates).

    Examples
    --------
    >>> t = preparation_table([0, 1, 3, 4], [False, False, True, True], 4, bands=2)
    >>> t[["deals", "win_rate"]].to_dict("index")
    {'0–2': {'deals': 2, 'win_rate': 0.0}, '3–4': {'deals': 2, 'win_rate': 1.0}}
    """
    s = np.asarray(scores, dtype=float)
    w = np.asarray(won, dtype=bool)
    cuts = score_bands(max_points, bands)
    deals = pd.Series([int(((s >= a) & (s <= b)).sum()) for a, b in cuts])
    wins = pd.Series([int(((s >= a) & (s <= b) & w).sum()) for a, b in cuts])
    table = _rates(wins, deals)
    table.insert(0, "from_score", [a for a, _ in cuts])
    table.insert(1, "to_score", [b for _, b in cuts])
    table.index = pd.Index([band_label(c) for c in cuts], name="band")
    return table


def item_table(items: pd.DataFrame, won) -> pd.DataFrame:
    """Each checklist item: the win rate of past deals where it was done (2) and where it was not fully done (0-1).

    Returns
    -------
    pandas.DataFrame
        Index the item; ``done_deals``, ``done_rate``, ``open_deals``,
        ``open_rate`` and ``difference`` (done minus not done, share) with its
        Newcombe interval ``diff_low``, ``diff_high``; largest difference first.

    Examples
    --------
    >>> items = pd.DataFrame({"Research": [2, 2, 0, 1], "Pitch": [2, 0, 2, 0]})
    >>> t = item_table(items, [True, True, False, False])
    >>> t["difference"].to_dict()
    {'Research': 1.0, 'Pitch': 0.0}
    """
    w = np.asarray(won, dtype=bool)
    rows = {}
    for name in items.columns:
        done = items[name].to_numpy() == 2
        n1, k1 = int(done.sum()), int((done & w).sum())
        n0, k0 = int((~done).sum()), int((~done & w).sum())
        d, lo, hi = difference_interval(k0, n0, k1, n1) if n0 and n1 else (float("nan"),) * 3
        rows[name] = {
            "done_deals": n1,
            "done_rate": k1 / n1 if n1 else float("nan"),
            "open_deals": n0,
            "open_rate": k0 / n0 if n0 else float("nan"),
            "difference": d,
            "diff_low": lo,
            "diff_high": hi,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "item"
    order = np.lexsort((np.arange(len(table)), -table["difference"].fillna(-np.inf).to_numpy()))
    return table.iloc[order]


@dataclass(frozen=True)
class Estimate:
    """A deal's estimated win chance (share 0-1) with its 95 % interval and what it rests on."""

    chance: float
    low: float
    high: float
    method: str
    basis: str
    deals: int


def estimate_band(table: pd.DataFrame, score: int) -> Estimate:
    """The win rate of past deals in the same band as ``score`` (a row of :func:`preparation_table`).

    Examples
    --------
    >>> t = preparation_table([0, 1, 3, 4], [False, False, True, True], 4, bands=2)
    >>> e = estimate_band(t, 4)
    >>> e.chance, e.deals, e.basis
    (1.0, 2, 'the 2 past deals scoring 3–4')
    """
    row = table[(table["from_score"] <= score) & (table["to_score"] >= score)]
    require(len(row) == 1, "score", score, f"be between 0 and {int(table['to_score'].max())}")
    r = row.iloc[0]
    n = int(r["deals"])
    return Estimate(
        float(r["win_rate"]),
        float(r["low"]),
        float(r["high"]),
        "band",
        f"the {n:,} past deal{'s' if n != 1 else ''} scoring {row.index[0]}",
        n,
    )


def estimate_logistic(fit: LogisticFit, score: float) -> Estimate:
    """The win chance a logistic fit of past outcomes on the preparation score gives ``score``.

    Examples
    --------
    >>> fit = logistic_fit([0, 1, 2], [2, 5, 8], [10, 10, 10])
    >>> round(estimate_logistic(fit, 1).chance, 3)
    0.5
    """
    p, lo, hi = fit.predict(float(score))
    return Estimate(
        p, lo, hi, "logistic", f"a logistic fit of the outcomes of {fit.deals:,} past deals on their score", fit.deals
    )


# --------------------------------------------------------------------------- export
def _safe(value) -> str:
    """A CSV cell that a spreadsheet shows as text: numbers as numbers, text through :func:`safe_cell` (OWASP)."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        return repr(float(value)) if isinstance(value, float | np.floating) else str(int(value))
    return safe_cell("" if value is None else str(value))


def table_csv(table: pd.DataFrame) -> str:
    """A table as CSV text, its index first; text cells protected against formula injection.

    Numbers are written as numbers (a negative change stays ``-0.1``); a text
    cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return, e.g. a competitor called ``=HYPERLINK(...)``, gets a leading quote
    so that a spreadsheet shows it as text instead of running it.

    Examples
    --------
    >>> t = pd.DataFrame({"wins": [3], "change": [-0.1]}, index=pd.Index(["=1+2"], name="competitor"))
    >>> table_csv(t).splitlines()
    ['competitor,wins,change', "'=1+2,3,-0.1"]
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [n if n is not None else "" for n in table.index.names]
    writer.writerow([_safe(str(n)) for n in [*names, *table.columns]])
    for key, row in zip(table.index, table.itertuples(index=False), strict=True):
        keys = key if isinstance(key, tuple) else (key,)
        writer.writerow([_safe(v) for v in (*keys, *row)])
    return buffer.getvalue()


_SHARES = {"win_rate", "low", "high", "share", "cumulative", "earlier_rate", "later_rate", "value_win_rate"}
_SHARES |= {"done_rate", "open_rate", "chance", "all_done"}
_CHANGES = {"change", "change_low", "change_high", "difference", "diff_low", "diff_high"}
_RATIOS = {"odds_ratio", "or_low", "or_high"}


def _format(column: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if column in _SHARES:
        return f"{value:.1%}"
    if column in _CHANGES:
        return f"{value * 100:+.1f} pts"
    if column in _RATIOS:
        return f"{value:.2f}"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{value:,.0f}" if column.startswith("value") else f"{value:,.2f}"
    return str(value)


def as_text(table: pd.DataFrame) -> str:
    """A table as fixed-width text for reports and reference notebooks, every cell formatted by its column.

    Shares (win rates, interval bounds, shares of losses) print as percentages
    with one decimal, changes as signed percentage points, odds ratios with two
    decimals, money (``value_*``) and counts with thousands separators, dates
    as YYYY-MM-DD, missing values as "–".

    Examples
    --------
    >>> t = win_rates(pd.DataFrame({"won": [True, False, True]}), value=None)
    >>> print(as_text(t))
              deals wins losses win_rate    low   high
    All deals     3    2      1    66.7%  20.8%  93.9%
    """
    shown = pd.DataFrame({c: [_format(str(c), v) for v in table[c].tolist()] for c in table.columns}, index=table.index)
    return shown.to_string()


def preparation_report(scores, won, max_points: int, score: int, bands: int = 4) -> str:
    """Plain text: how prepared past deals fared, and the two estimates of the win chance at ``score``.

    Fits the logistic model to the deals one by one (:func:`logistic_fit` with one trial each),
    groups them into score bands (:func:`preparation_table`) and estimates the win chance of a
    deal scoring ``score`` both ways (:func:`estimate_band`, :func:`estimate_logistic`).

    Parameters
    ----------
    scores : array of int
        Each past deal's preparation score, 0 to ``max_points`` points.
    won : array of bool
        Whether it was won.
    max_points : int
        Highest possible score (2 points per checklist item).
    score : int
        The score to estimate the win chance at, 0 to ``max_points``.
    bands : int
        Number of score bands.

    Returns
    -------
    str
        The number of deals and the logistic slope per point with its standard error (log-odds);
        the bands table (:func:`as_text`); one line per method with the win chance at ``score``
        and its 95 % interval (percent).

    Examples
    --------
    >>> print(preparation_report([0, 1, 2, 3, 4, 4], [False, True, False, True, True, False], 4, score=3, bands=2))
    6 deals with a checklist; logistic slope 0.3086 per point (se 0.5714)
         from_score to_score deals wins losses win_rate    low   high
    band
    0–2           0        2     3    1      2    33.3%   6.1%  79.2%
    3–4           3        4     3    2      1    66.7%  20.8%  93.9%
    Score 3, band: 66.7% (20.8% to 93.9%)
    Score 3, logistic: 55.1% (16.9% to 88.1%)
    """
    s = np.asarray(scores, dtype=int)
    w = np.asarray(won, dtype=bool)
    require(s.shape == w.shape and s.size > 0, "scores", s.size, f"give one score per deal ({w.size}), at least one")
    table = preparation_table(s, w, max_points, bands)
    fit = logistic_fit(s, w.astype(int), np.ones(s.size, dtype=int))
    estimates = [estimate_band(table, score)]
    if fit is None:
        head = f"{s.size:,} deals with a checklist; no logistic fit (every score won alike, or lost alike)"
    else:
        head = f"{s.size:,} deals with a checklist; logistic slope {fit.slope:.4f} per point (se {fit.se:.4f})"
        estimates.append(estimate_logistic(fit, score))
    lines = [head, *(line.rstrip() for line in as_text(table).splitlines())]
    lines += [f"Score {score}, {e.method}: {e.chance:.1%} ({e.low:.1%} to {e.high:.1%})" for e in estimates]
    return "\n".join(lines)
