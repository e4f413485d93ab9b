"""A CRM export of closed deals: read, validated with pandera, turned into the table the win/loss analysis uses.

The worksheets let the user say which column of the file holds what (the
outcome, the competitor, the rep, ...): a :class:`ColumnMap`.
:func:`read_deals` then

1. refuses an empty file;
2. finds the delimiter: :class:`csv.Sniffer` proposes one, and of comma,
   semicolon, tab and bar the one whose split of the header finds the most
   mapped columns wins (so a file Excel saved with semicolons is read right);
3. reads every cell as text (pandas), column names trimmed, matched to the
   map exactly or, failing that, ignoring case;
4. validates the table with a :class:`pandera.DataFrameSchema` built from the
   map: every mapped column present, outcomes among the won and lost values,
   dates in the chosen format, deal values numbers of at least 0, checklist
   cells 0, 1, 2, yes, partly or no. pandera's ``SchemaErrors`` become one
   message per column and rule, naming the column, the worksheet field that
   maps it, the rule and the first bad rows (row 1 is the header, as in a
   spreadsheet);
5. converts: ``won`` (bool), the text columns trimmed, ``date``
   (day precision), ``value`` (float, NaN when blank), the checklist as
   points 0-2.

Any problem raises :class:`CrmError`, an :class:`~coopkit.errors.InputError`
holding every message; nothing here raises a pandas or pandera traceback at a
user. Results are cached by file text and map, so a worksheet re-reads the
file only when one of them changes.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.errors import InputError

if TYPE_CHECKING:  # pandera is imported when a file is read, not with every worksheet
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

__all__ = [
    "DATE_FORMATS",
    "ROLE_TITLES",
    "CHECKLIST_POINTS",
    "ColumnMap",
    "Deals",
    "CrmError",
    "detect_delimiter",
    "parse_numbers",
    "split_values",
    "read_deals",
]

#: Date formats a worksheet offers, by their label, as pandas formats.
DATE_FORMATS = {
    "YYYY-MM-DD": "ISO8601",
    "DD/MM/YYYY": "%d/%m/%Y",
    "MM/DD/YYYY": "%m/%d/%Y",
    "DD.MM.YYYY": "%d.%m.%Y",
}
#: The worksheet field that maps each role to a column (named in messages).
ROLE_TITLES = {
    "outcome": "Outcome column",
    "competitor": "Competitor column",
    "rep": "Rep column",
    "segment": "Segment column",
    "date": "Date column",
    "loss_reason": "Loss reason column",
    "value": "Deal value column",
    "checklist": "Checklist",
}
#: Checklist cells accepted, and the points each is worth (blank: not recorded).
CHECKLIST_POINTS = {
    "0": 0,
    "1": 1,
    "2": 2,
    "no": 0,
    "n": 0,
    "false": 0,
    "partly": 1,
    "partial": 1,
    "yes": 2,
    "y": 2,
    "true": 2,
    "": -1,
}
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
_EXAMPLES = 3
_MAX_MESSAGES = 8
_MONEY_LIMIT = 1e12
_TEXT_ROLES = ("competitor", "rep", "segment", "loss_reason")


class CrmError(InputError):
    """A CRM export that cannot be used, with every message found (``messages``)."""

    def __init__(self, messages: list[str], source: str = "CRM export") -> None:
        self.messages = list(messages)
        super().__init__(source, None, "be a readable CRM export", message=" ".join(self.messages))


@dataclass(frozen=True)
class ColumnMap:
    """Which column of the file holds what; blank names are columns the file does not have.

    ``won`` and ``lost`` list the outcome values (any case) that mean a win
    and a loss; ``skip_other`` drops rows with any other outcome (open deals)
    instead of refusing them. ``checklist`` names the preparation checklist
    columns.
    """

    outcome: str
    won: tuple[str, ...] = ("Won",)
    lost: tuple[str, ...] = ("Lost",)
    skip_other: bool = False
    competitor: str = ""
    rep: str = ""
    segment: str = ""
    date: str = ""
    date_format: str = "YYYY-MM-DD"
    loss_reason: str = ""
    value: str = ""
    decimal_comma: bool = False
    checklist: tuple[str, ...] = ()

    def roles(self) -> dict[str, str]:
        """The mapped single columns by role, blank ones left out (the checklist apart).

        Examples
        --------
        >>> m = ColumnMap(" Stage ", competitor="Rival", checklist=("prep_a",))
        >>> m.roles(), m.wanted()
        ({'outcome': 'Stage', 'competitor': 'Rival'}, ['Stage', 'Rival', 'prep_a'])
        """
        names = [f.name for f in fields(self) if f.name in ROLE_TITLES and f.name != "checklist"]
        return {r: getattr(self, r).strip() for r in names if getattr(self, r).strip()}

    def wanted(self) -> list[str]:
        """Every column name the map expects in the file (see :meth:`roles` for an example)."""
        return [*self.roles().values(), *(c.strip() for c in self.checklist if c.strip())]


@dataclass(frozen=True, eq=False)
class Deals:
    """A CRM export read and checked (treat as read-only: it may be shared from the cache).

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per closed deal: ``won`` and the mapped roles (``competitor``,
        ``rep``, ``segment``, ``loss_reason`` as trimmed text, ``date`` as a
        day, ``value`` as a float, NaN when blank).
    checklist : pandas.DataFrame
        Points 0-2 of each checklist column (by its name in the map), -1 where
        blank; no columns when the map has no checklist.
    rows : int
        Data rows in the file.
    skipped : int
        Rows dropped because their outcome was neither a win nor a loss.
    delimiter : str
        The delimiter the file was read with.
    header : tuple of str
        The file's column names.
    notes : list of str
        What the reading did that the user should know.
    """

    frame: pd.DataFrame
    checklist: pd.DataFrame
    rows: int
    skipped: int
    delimiter: str
    header: tuple[str, ...]
    notes: list[str]

    @property
    def columns(self) -> set[str]:
        """The roles present in :attr:`frame` (``won`` always).

        Examples
        --------
        >>> sorted(read_deals("outcome,rep\\nWon,Ana\\n", ColumnMap("outcome", rep="rep")).columns)
        ['rep', 'won']
        """
        return set(self.frame.columns)


def split_values(text: str) -> tuple[str, ...]:
    """Outcome values typed as a list, e.g. ``"Won, Closed Won"``: trimmed, blanks dropped.

    Examples
    --------
    >>> split_values(" Won, Closed Won ,, ")
    ('Won', 'Closed Won')
    """
    return tuple(v.strip() for v in re.split(r"[,;]", text or "") if v.strip())


def _header(text: str) -> str:
    for line in text[:65536].splitlines():
        if line.strip():
            return line
    return ""


def detect_delimiter(text: str, expected: Iterable[str] = ()) -> str:
    """The delimiter of a CSV text: comma, semicolon, tab or bar.

    :class:`csv.Sniffer` proposes one from the first lines; the candidate whose
    split of the header finds most of the ``expected`` column names (ignoring
    case) wins, then the sniffer's choice, then the one giving most columns.

    Examples
    --------
    >>> detect_delimiter("outcome;amount\\nWon;1,5\\n", ["outcome", "amount"])
    ';'
    >>> detect_delimiter("a\\tb\\n1\\t2\\n")
    '\\t'
    """
    lines = [line for line in text[:65536].splitlines() if line.strip()][:50]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    header = lines[0] if lines else ""
    wanted = {e.strip().casefold() for e in expected if e.strip()}

    def score(d: str) -> tuple[int, bool, int]:
        names = next(csv.reader([header], delimiter=d), [])
        found = len(wanted & {n.strip().casefold() for n in names})
        return (found, d == sniffed, len(names))

    return max(_DELIMITERS, key=score)


def _per_value(cells: pd.Series, fn, *, categorical: bool = False) -> pd.Series:
    """``fn`` applied once to each distinct cell, the result spread back over the rows.

    CRM columns hold few distinct values (competitors, reps, days, amounts), so
    the text operations run on those, not on every row: it keeps 200,000 rows
    fast. With ``categorical`` the result is a pandas categorical.
    """
    codes, uniques = pd.factorize(cells, use_na_sentinel=False)
    out = np.asarray(fn(pd.Series(np.asarray(uniques, dtype=object), dtype=object)))
    if categorical:
        result_codes, result_uniques = pd.factorize(out, use_na_sentinel=False)
        values = pd.Categorical.from_codes(result_codes[codes], categories=pd.Index(result_uniques, dtype=object))
        return pd.Series(values, index=cells.index)
    return pd.Series(out[codes], index=cells.index)


def _categorical(cells: pd.Series) -> pd.Series:
    """Text cells as a categorical whose categories are the texts as written."""
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object), use_na_sentinel=False)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object)), index=cells.index)


def _clean(cells: pd.Series, categorical: bool = False) -> pd.Series:
    """Cells trimmed, as text."""
    return _per_value(cells, lambda u: u.astype(str).str.strip(), categorical=categorical)


def _folded(cells: pd.Series) -> pd.Series:
    """Cells trimmed and case-folded, for comparing values typed in any case."""
    return _per_value(cells, lambda u: u.astype(str).str.strip().str.casefold())


_THOUSANDS = {False: re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$"), True: re.compile(r"^-?\d{1,3}([. ]\d{3})+(,\d+)?$")}


def parse_numbers(cells: pd.Series, decimal_comma: bool = False) -> pd.Series:
    """Numbers typed in a CSV: spaces and currency signs (€ $ £) dropped, thousands separators understood.

    With ``decimal_comma`` the decimals follow a comma (``12.500,50``),
    otherwise a point (``12,500.50``). Blanks and text become NaN.

    Examples
    --------
    >>> parse_numbers(pd.Series(["12,500.50", "€ 900", "", "abc", "1,5"])).tolist()
    [12500.5, 900.0, nan, nan, nan]
    >>> parse_numbers(pd.Series(["12.500,50", "1,5", "7"]), decimal_comma=True).tolist()
    [12500.5, 1.5, 7.0]
    """
    return _per_value(cells, lambda u: _numbers(u, decimal_comma)).astype(float)


def _numbers(cells: pd.Series, decimal_comma: bool) -> pd.Series:
    text = cells.astype(str).str.replace(r"[\s\u00a0€$£]", "", regex=True)
    grouped = text.str.match(_THOUSANDS[decimal_comma].pattern)
    if decimal_comma:
        text = text.where(~grouped, text.str.replace(".", "", regex=False)).str.replace(",", ".", regex=False)
    else:
        text = text.where(~grouped, text.str.replace(",", "", regex=False))
        text = text.where(~text.str.contains(",", regex=False), "")  # a lone comma is ambiguous: not a number
    return pd.to_numeric(text.where(text != "", None), errors="coerce").astype(float)


def _parse_dates(cells: pd.Series, label: str) -> pd.Series:
    """Dates in the format labelled ``label`` (a key of :data:`DATE_FORMATS`), to the day; NaT when unreadable."""
    fmt = DATE_FORMATS[label]

    def parse(u: pd.Series) -> pd.Series:
        text = u.astype(str).str.strip()
        if fmt == "ISO8601":
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True).dt.tz_localize(None)
        else:
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        parsed = parsed.where(parsed.dt.year >= 1)  # '-1' or '0000' read as ISO years 0 and before: no date
        return parsed.dt.floor("D").astype("datetime64[s]")

    return _per_value(cells, parse)


def _quote(name: str) -> str:
    return "'" + name.replace("'", "’") + "'"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _show(value: object) -> str:
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text) if text else "blank"


# --------------------------------------------------------------------------- the schema
def _schema(columns: ColumnMap, actual: dict[str, str], checklist: list[str]) -> pa.DataFrameSchema:
    """A pandera schema for the mapped columns of a file (``actual``: role -> the file's column name)."""
    import pandera.pandas as pa

    checks: dict[str, list[pa.Check]] = {}
    outcomes = {v.casefold() for v in (*columns.won, *columns.lost)}

    def add(name: str, check: pa.Check | None) -> None:
        checks.setdefault(name, [])
        if check is not None:
            checks[name].append(check)

    for role, name in actual.items():
        if role == "outcome" and not columns.skip_other:
            allowed = " or ".join(repr(v) for v in (*columns.won, *columns.lost))
            add(
                name,
                pa.Check(lambda s: _folded(s).isin(outcomes), error=f"outcome:{allowed}"),
            )
        elif role == "date":
            label = columns.date_format
            add(name, pa.Check(lambda s, label=label: _parse_dates(s, label).notna(), error=f"date:{label}"))
        elif role == "value":
            comma = columns.decimal_comma

            def number(s: pd.Series, comma: bool = comma) -> pd.Series:
                x = parse_numbers(s, comma)
                return (_clean(s) == "") | (x.notna() & (x >= 0) & (x <= _MONEY_LIMIT))

            add(name, pa.Check(number, error="value:"))
        else:
            add(name, None)
    accepted = set(CHECKLIST_POINTS)
    for name in checklist:
        add(name, pa.Check(lambda s: _folded(s).isin(accepted), error="checklist:"))
    return pa.DataFrameSchema({n: pa.Column(checks=c, nullable=True, required=True) for n, c in checks.items()})


def _rule(error: str, decimal_comma: bool, one: bool) -> str:
    """The rule a pandera check stands for, in words completing "N rows ...", singular when ``one``."""
    kind, _, detail = error.partition(":")
    are, have = ("is", "has") if one else ("are", "have")
    if kind == "outcome":
        return (
            f"{have} an outcome that is neither a win nor a loss ({detail} allowed); add the value to Won values "
            "or Lost values, or tick Skip other outcomes"
        )
    if kind == "date":
        return f"{are} not a date in the form {detail}; correct {'it' if one else 'them'} or choose the Date format the file uses"
    if kind == "value":
        example = "12500 or 12.500,50" if decimal_comma else "12500 or 12,500.50"
        hint = "" if decimal_comma else "; tick Decimal comma if the file writes 12500,50"
        return f"{are} not a number of at least 0 (such as {example}, or blank){hint}"
    if kind == "checklist":
        return f"{are} not 0, 1, 2, yes, partly or no (or blank)"
    return f"break the rule {error!r}"


def _messages(exc: SchemaErrors, roles: dict[str, list[str]], header: list[str], columns: ColumnMap) -> list[str]:
    """pandera's failure cases as messages naming the column, the field that maps it, the rule and example rows."""
    cases = exc.failure_cases
    out: list[str] = []
    missing = cases[cases["check"].astype(str) == "column_in_dataframe"]["failure_case"].astype(str).tolist()
    if missing:
        named = [f"{_quote(n)} ({', '.join(roles.get(n, ['column']))})" for n in dict.fromkeys(missing)]
        shown = ", ".join(_quote(h) for h in header[:30]) + (", ..." if len(header) > 30 else "")
        message = (
            f"The file has no column{'s' if len(named) > 1 else ''} {_and(named)}. Its columns are: {shown}. "
            "Change the column names under "
            "CSV columns to match, or fix the file's header row."
        )
        if len(header) == 1:
            message += (
                " The header reads as one column only: are the columns separated by something other than commas, "
                "semicolons, tabs or bars?"
            )
        out.append(message)
    rows = cases[cases["check"].astype(str) != "column_in_dataframe"]
    for (column, error), part in rows.groupby([rows["column"].astype(str), rows["check"].astype(str)], sort=False):
        part = part.sort_values("index", key=lambda s: pd.to_numeric(s, errors="coerce"), kind="stable")
        examples = "; ".join(
            f"row {int(i) + 2}: {_show(v)}" for i, v in zip(part["index"], part["failure_case"], strict=True)
        )
        examples = "; ".join(examples.split("; ")[:_EXAMPLES])
        n = len(part)
        who = ", ".join(roles.get(column, ["column"]))
        out.append(
            f"Column {_quote(column)} ({who}): {n:,} row{'s' if n != 1 else ''} "
            f"{_rule(error, columns.decimal_comma, n == 1)}. First: {examples}."
        )
    return out


# --------------------------------------------------------------------------- reading
def _resolve(wanted: str, header: list[str]) -> str:
    if wanted in header:
        return wanted
    matches = [h for h in header if h.casefold() == wanted.casefold()]
    return matches[0] if len(matches) == 1 else wanted


def _too_many(delimiter: str, want: int, line: int, saw: int, source: str) -> str:
    """The message for a line of the file with ``saw`` values where the header has ``want``.

    Examples
    --------
    >>> _too_many(",", 3, 2, 4, "CRM export")[:58]
    'CRM export: line 2 has 4 values where the header has 3; a '
    """
    return (
        f"{source}: line {line} has {saw} values where the header has {want}; a value that contains the "
        f"delimiter ({_DELIMITER_NAMES[delimiter]}) must be in double quotes."
    )


def _first_row_line(text: str) -> int:
    """The line number (from 1) of the first data row: the second line that is not blank.

    Examples
    --------
    >>> _first_row_line("\\na,b\\n\\n1,2\\n")
    4
    """
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            seen += 1
            if seen == 2:
                return number
    return 2


@functools.lru_cache(maxsize=8)
def _read(text: str, columns: ColumnMap, source: str) -> Deals:
    text = text.lstrip("\ufeff")
    if re.search(r"\S", text) is None:  # (no copy of a large text just to test it)
        raise CrmError(
            [f"{source} is empty: load the CSV file your CRM exports, a header row and then one row per closed deal."],
            source,
        )
    if "outcome" not in columns.roles():
        raise CrmError(
            [
                f"{ROLE_TITLES['outcome']} is blank: name the column of the file that says whether a deal was won "
                "or lost, e.g. Stage."
            ],
            source,
        )
    delimiter = detect_delimiter(text, columns.wanted())
    try:
        raw = list(pd.read_csv(io.StringIO(text), sep=delimiter, nrows=0, engine="c").columns)
        header = [str(c).strip() for c in raw]
        actual = {role: _resolve(name, header) for role, name in columns.roles().items()}
        checklist = [_resolve(c.strip(), header) for c in columns.checklist if c.strip()]
        # every column is read, as the text written (so a line with too many values is caught, and a rep
        # called 007 stays 007)
        table = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=object, keep_default_na=False, na_filter=False, engine="c"
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            want, line, saw = (int(g) for g in found.groups())
            message = _too_many(delimiter, want, line, saw, source)
        else:
            message = f"{source} could not be read as CSV ({str(exc).strip().splitlines()[-1]})."
        raise CrmError([message], source) from None
    except pd.errors.EmptyDataError:
        raise CrmError([f"{source} has no header row: its first line must name the columns."], source) from None
    if not isinstance(table.index, pd.RangeIndex):
        # the first deal has one value more than the header: pandas then silently takes the first column as
        # the row labels and every column shifts by one, so it is refused like any other line that is too long
        saw = len(header) + table.index.nlevels
        raise CrmError([_too_many(delimiter, len(header), _first_row_line(text), saw, source)], source)
    table.columns = header
    if table.empty:
        raise CrmError([f"{source} has a header row but no deals: add one row per closed deal."], source)
    # the mapped columns as categoricals: their distinct values are found once (in C), and the checks and
    # conversions below work on those, which keeps 200,000 rows fast
    mapped = {*actual.values(), *checklist}
    table = table.assign(**{name: _categorical(table[name]) for name in mapped if name in table.columns})
    roles: dict[str, list[str]] = {}
    for role, name in actual.items():
        roles.setdefault(name, []).append(ROLE_TITLES[role])
    for name in checklist:
        roles.setdefault(name, []).append(ROLE_TITLES["checklist"])
    from pandera.errors import SchemaErrors

    try:
        _schema(columns, actual, checklist).validate(table, lazy=True)
    except SchemaErrors as exc:
        messages = _messages(exc, roles, header, columns)
        if len(messages) > _MAX_MESSAGES:
            messages = [*messages[:_MAX_MESSAGES], f"... and {len(messages) - _MAX_MESSAGES} more problems."]
        raise CrmError(messages, source) from None
    return _convert(table, columns, actual, checklist, delimiter, header, source)


def _convert(table, columns: ColumnMap, actual, checklist, delimiter, header, source) -> Deals:
    rows = len(table)
    outcome = _folded(table[actual["outcome"]])
    won = outcome.isin({v.casefold() for v in columns.won})
    known = won | outcome.isin({v.casefold() for v in columns.lost})
    notes = []
    if delimiter != ",":
        notes.append(f"The file's columns are separated by {_DELIMITER_NAMES[delimiter]}.")
    skipped = int((~known).sum())
    if skipped:
        examples = ", ".join(repr(v) for v in _clean(table.loc[~known, actual["outcome"]]).unique()[:3])
        notes.append(f"Skipped {skipped:,} rows whose outcome is neither a win nor a loss (e.g. {examples}).")
    keep = known.to_numpy()
    frame = pd.DataFrame({"won": won.to_numpy()[keep]})
    part = table.loc[keep]
    for role in _TEXT_ROLES:
        if role in actual:
            frame[role] = _clean(part[actual[role]], categorical=True).to_numpy()
    if "date" in actual:
        frame["date"] = _parse_dates(part[actual["date"]], columns.date_format).to_numpy()
    if "value" in actual:
        frame["value"] = parse_numbers(part[actual["value"]], columns.decimal_comma).to_numpy()
    points = pd.DataFrame(index=frame.index)
    for given, name in zip([c.strip() for c in columns.checklist if c.strip()], checklist, strict=True):
        cells = _per_value(part[name], lambda u: u.astype(str).str.strip().str.casefold().map(CHECKLIST_POINTS))
        points[given] = cells.to_numpy().astype(np.int8)  # by position: the kept rows keep their file labels
    if frame.empty:
        raise CrmError(
            [f"{source} has no won or lost deals: all {rows:,} rows have another outcome, e.g. {examples}."], source
        )
    return Deals(frame, points, rows, skipped, delimiter, tuple(header), notes)


def read_deals(text: str, columns: ColumnMap, source: str = "CRM export") -> Deals:
    """Read and check a CRM export of closed deals; :class:`CrmError` with every problem otherwise.

    Parameters
    ----------
    text : str
        The CSV file's text (any of the delimiters comma, semicolon, tab, bar).
    columns : ColumnMap
        Which column holds what.
    source : str
        The name messages give the file, e.g. the worksheet field's title.

    Returns
    -------
    Deals
        The closed deals (cached: the same object for the same text and map).

    Examples
    --------
    >>> text = "Stage;Competitor;Amount\\nWon;Acme;1.200,50\\nLost;Acme;900\\nOpen;Beta;5\\n"
    >>> m = ColumnMap("stage", competitor="Competitor", value="Amount", decimal_comma=True, skip_other=True)
    >>> d = read_deals(text, m)
    >>> d.frame.to_dict("list"), d.delimiter, d.skipped
    ({'won': [True, False], 'competitor': ['Acme', 'Acme'], 'value': [1200.5, 900.0]}, ';', 1)
    >>> try:
    ...     read_deals("outcome,amount\\nWon,abc\\nLost,-5\\n", ColumnMap("outcome", value="amount"))
    ... except CrmError as exc:
    ...     print(exc.messages[0][:74])
    Column 'amount' (Deal value column): 2 rows are not a number of at least 0
    """
    return _read(text, columns, source)
