"""Cases: a filled-in worksheet saved as revisions that are never overwritten.

A *case* is one worksheet's inputs with a title, notes and an author, and every
revision ever saved of them. Saving adds a revision (a *draft* when it is an
autosave); nothing is updated in place except the case's head counter, so any
revision can be opened again and compared with another.

The store runs on any database SQLAlchemy reaches: an SQLite file in a
workspace folder by default, PostgreSQL for a team (``COOPKIT_DATABASE_URL``).

Concurrency. A save is one transaction that first increments the case's head
revision number (``UPDATE ... RETURNING``), which takes the row's write lock,
then inserts the revision under that number. Two editors saving at once are
therefore serialised by the database: both revisions land, numbered one after
the other, and the later one learns that a revision it had not seen exists
(:attr:`Saved.newer_than_base`). A failure anywhere in the transaction rolls
it back, leaving the previous revision as it was (SQLAlchemy's "begin once"
pattern: :meth:`sqlalchemy.engine.Engine.begin`).

References
----------
The design is optimistic concurrency control with version numbers (Kung and
Robinson, "On optimistic methods for concurrency control", ACM TODS 6(2), 1981)
applied to append-only revisions, as in wiki page histories.

Examples
--------
>>> store = CaseStore("sqlite://")
>>> first = store.create("win_win_check", {"currency": "EUR"}, title="Pilot", author="ana")
>>> first.number
1
>>> second = store.save(first.case_id, {"currency": "USD"}, base=1, author="ben")
>>> second.number, second.newer_than_base
(2, False)
>>> [r.number for r in store.revisions(first.case_id)]
[1, 2]
>>> store.compare(first.case_id, 1, 2).changes
[Change(path='currency', before='EUR', after='USD')]
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from coopkit.errors import InputError, require
from coopkit.store.limits import MAX_AUTHOR, MAX_INPUT_BYTES, MAX_NOTES, MAX_TITLE

__all__ = [
    "CaseStore",
    "CaseInfo",
    "Revision",
    "Saved",
    "Change",
    "Comparison",
    "flatten",
    "default_url",
    "workspace_dir",
    "check_case_id",
    "open_store",
    "MAX_TITLE",
    "MAX_NOTES",
    "MAX_AUTHOR",
    "MAX_INPUT_BYTES",
]


_ID = re.compile(r"^[0-9a-f]{16}$")

_meta = sa.MetaData()
cases_table = sa.Table(
    "coopkit_cases",
    _meta,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("worksheet", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("head", sa.Integer, nullable=False),
)
revisions_table = sa.Table(
    "coopkit_revisions",
    _meta,
    sa.Column("case_id", sa.String(16), sa.ForeignKey("coopkit_cases.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.String(MAX_AUTHOR), nullable=False),
    sa.Column("title", sa.String(MAX_TITLE), nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("inputs", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("draft", sa.Boolean, nullable=False),
    sa.Column("base", sa.Integer, nullable=True),
)
sa.Index("coopkit_revisions_saved", revisions_table.c.case_id, revisions_table.c.draft, revisions_table.c.number)


def workspace_dir() -> Path:
    """The workspace folder: ``$COOPKIT_WORKSPACE``, else ``~/coopkit-workspace``.

    Examples
    --------
    >>> import os
    >>> os.environ["COOPKIT_WORKSPACE"] = "/tmp/ws-doctest"
    >>> str(workspace_dir())
    '/tmp/ws-doctest'
    >>> del os.environ["COOPKIT_WORKSPACE"]
    """
    folder = os.environ.get("COOPKIT_WORKSPACE", "").strip()
    return Path(folder).expanduser() if folder else Path.home() / "coopkit-workspace"


def default_url() -> str:
    """The database the worksheets use: ``$COOPKIT_DATABASE_URL``, else SQLite in the workspace.

    Examples
    --------
    >>> import os
    >>> os.environ["COOPKIT_WORKSPACE"] = "/tmp/ws-doctest"
    >>> default_url()
    'sqlite:////tmp/ws-doctest/cases.sqlite'
    >>> del os.environ["COOPKIT_WORKSPACE"]
    """
    url = os.environ.get("COOPKIT_DATABASE_URL", "").strip()
    return url or f"sqlite:///{workspace_dir() / 'cases.sqlite'}"


def check_case_id(case_id: Any) -> str:
    """A case id as given in a link or a command, checked: 16 lower-case hex digits.

    Examples
    --------
    >>> check_case_id("0123456789abcdef")
    '0123456789abcdef'
    >>> check_case_id("../etc")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: case id must be 16 hexadecimal digits (as in ?case=0123456789abcdef), got '../etc'
    """
    text = case_id.strip().lower() if isinstance(case_id, str) else case_id
    require(
        isinstance(text, str) and _ID.match(text) is not None,
        "case id",
        case_id,
        "be 16 hexadecimal digits (as in ?case=0123456789abcdef)",
    )
    return text


@dataclass(frozen=True)
class Revision:
    """One saved state of a case.

    Attributes
    ----------
    case_id, worksheet : str
        The case and its worksheet.
    number : int
        1 for the first save, then one more per save.
    saved_at : datetime.datetime
        When it was saved (UTC).
    author, title, notes : str
        As given at that save.
    inputs : dict
        The worksheet's inputs exactly as the form held them (raw, possibly invalid for a draft).
    summary : dict
        The headline figures of its assessment (see :mod:`coopkit.store.summary`); ``{}`` if none.
    draft : bool
        True for an autosave.
    base : int or None
        The revision the editor started from.
    """

    case_id: str
    worksheet: str
    number: int
    saved_at: datetime
    author: str
    title: str
    notes: str
    inputs: dict[str, Any]
    summary: dict[str, Any]
    draft: bool
    base: int | None


@dataclass(frozen=True)
class Saved:
    """What a save did.

    Attributes
    ----------
    case_id : str
    number : int
        The new revision's number.
    newer_than_base : bool
        True when someone else saved a revision after the one this editor started from; both
        revisions are kept, and the editor is told.
    head_before : int
        The latest revision before this save (0 for a new case).
    """

    case_id: str
    number: int
    newer_than_base: bool = False
    head_before: int = 0

    @property
    def message(self) -> str:
        """A sentence for the case bar, e.g. ``'Saved as revision 3.'``."""
        text = f"Saved as revision {self.number}."
        if self.newer_than_base:
            text += (
                f" Someone else saved revision {self.head_before} while you were editing; both are kept"
                " (compare them under Revisions)."
            )
        return text


@dataclass(frozen=True)
class CaseInfo:
    """A case as the dashboard and the Open list show it: its latest revision's details.

    ``revision`` is the latest non-draft revision when there is one (what an executive sees),
    else the latest draft; ``head`` is the latest of all.
    """

    case_id: str
    worksheet: str
    created_at: datetime
    updated_at: datetime
    head: int
    revision: Revision


@dataclass(frozen=True)
class Change:
    """One input that differs between two revisions (``None`` where it is absent)."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Comparison:
    """Two revisions side by side: the inputs that changed and how the verdict moved."""

    case_id: str
    before: Revision
    after: Revision
    changes: list[Change] = field(default_factory=list)

    @property
    def verdict_moved(self) -> str:
        """E.g. ``'win-win → not win-win'`` or ``'unchanged (win-win)'``."""
        a, b = self.before.summary.get("verdict", "not assessed"), self.after.summary.get("verdict", "not assessed")
        return f"unchanged ({a})" if a == b else f"{a} → {b}"


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Inputs as ``{path: value}``, paths like ``parties[0].name`` (what :meth:`CaseStore.compare` diffs).

    Examples
    --------
    >>> flatten({"a": 1, "parties": [{"name": "A"}, {"name": "B"}], "r": {"low": 1}})
    {'a': 1, 'parties[0].name': 'A', 'parties[1].name': 'B', 'r.low': 1}
    """
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        if not data and prefix:
            out[prefix] = {}
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{i}]"))
        if not data:
            out[prefix] = []
    else:
        out[prefix] = data
    return out


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _text(value: Any, field_name: str, limit: int) -> str:
    value = "" if value is None else value
    require(isinstance(value, str), field_name, value, "be text")
    require(len(value) <= limit, field_name, f"{len(value):,} characters", f"be at most {limit:,} characters")
    require("\x00" not in value, field_name, value, "not contain NUL characters")
    require(_encodable(value), field_name, value, "be valid Unicode text (it holds a lone surrogate)")
    return value


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _dumps(value: Any, field_name: str, limit: int = MAX_INPUT_BYTES) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)  # key order kept: gains follow the parties
    except (TypeError, ValueError) as exc:
        raise InputError(
            field_name, type(value).__name__, f"be plain JSON data without NaN or infinity ({exc})"
        ) from None
    require(_encodable(text), field_name, "text with a lone surrogate", "be valid Unicode text")
    size = len(text.encode())
    require(size <= limit, field_name, f"{size:,} bytes", f"be at most {limit:,} bytes")
    return text


class CaseStore:
    """Cases and their revisions in one database.

    Parameters
    ----------
    url : str, optional
        An SQLAlchemy URL (``sqlite:///path``, ``postgresql+psycopg://user@host/db``);
        default :func:`default_url`. The tables are created when missing; an SQLite file's
        folder is created too.

    Examples
    --------
    >>> store = CaseStore("sqlite://")
    >>> saved = store.create("win_win_check", {}, title="Joint stand at the fair")
    >>> store.open(saved.case_id).title
    'Joint stand at the fair'
    """

    def __init__(self, url: str | None = None) -> None:
        url = url or default_url()
        parsed = sa.engine.make_url(url)
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            else:
                kwargs["poolclass"] = sa.pool.StaticPool  # one shared in-memory database
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        self.url = url
        self.engine = sa.create_engine(url, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self._create_tables()

    def _create_tables(self, attempts: int = 8) -> None:
        """Create the tables if missing; stores opened at once on a new database may race, so retry."""
        for attempt in range(attempts):
            try:
                _meta.create_all(self.engine)
                return
            except sa.exc.DBAPIError:  # another store created them (or held the lock) just now
                if attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def __repr__(self) -> str:
        return f"CaseStore({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # ---- writing -------------------------------------------------------------------------
    def create(
        self,
        worksheet: str,
        inputs: dict[str, Any],
        *,
        title: str = "",
        notes: str = "",
        author: str = "",
        summary: dict[str, Any] | None = None,
        draft: bool = False,
    ) -> Saved:
        """Start a new case with its first revision.

        Parameters
        ----------
        worksheet : str
            Registry name of the worksheet (``coopkit.options.names()``).
        inputs : dict
            The form's data (JSON-able; at most 5 MB).
        title, notes, author : str
            Free text (at most 200, 20,000 and 100 characters).
        summary : dict, optional
            Headline figures of the assessment (:func:`coopkit.store.summary.summarise`).
        draft : bool
            True for an autosave.

        Examples
        --------
        >>> CaseStore("sqlite://").create("win_win_check", {}).number
        1
        """
        require(isinstance(worksheet, str) and 0 < len(worksheet) <= 64, "worksheet", worksheet, "name a worksheet")
        row = self._revision_row(inputs, title, notes, author, summary, draft, None)
        case_id = secrets.token_hex(8)
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                cases_table.insert().values(id=case_id, worksheet=worksheet, created_at=now, updated_at=now, head=1)
            )
            conn.execute(revisions_table.insert().values(case_id=case_id, number=1, saved_at=now, **row))
        return Saved(case_id, 1)

    def save(
        self,
        case_id: str,
        inputs: dict[str, Any],
        *,
        base: int | None = None,
        title: str | None = None,
        notes: str | None = None,
        author: str = "",
        summary: dict[str, Any] | None = None,
        draft: bool = False,
    ) -> Saved:
        """Add a revision to a case (never overwrites one).

        Parameters
        ----------
        case_id : str
        inputs : dict
            The form's data.
        base : int, optional
            The revision this editor opened or last saved; when a later one exists, the save still
            lands and :attr:`Saved.newer_than_base` says so.
        title, notes : str, optional
            Default: as in the latest revision.
        author : str
        summary : dict, optional
        draft : bool
            True for an autosave.

        Examples
        --------
        >>> store = CaseStore("sqlite://")
        >>> cid = store.create("win_win_check", {"x": 1}).case_id
        >>> a = store.save(cid, {"x": 2}, base=1)
        >>> b = store.save(cid, {"x": 3}, base=1)   # a second editor who also started from 1
        >>> a.number, b.number, b.newer_than_base
        (2, 3, True)
        """
        case_id = check_case_id(case_id)
        with self.engine.begin() as conn:
            # The UPDATE comes first: it takes the case row's write lock, so concurrent saves queue here.
            head = conn.execute(
                cases_table.update()
                .where(cases_table.c.id == case_id)
                .values(head=cases_table.c.head + 1)
                .returning(cases_table.c.head)
            ).scalar_one_or_none()
            require(head is not None, "case", case_id, "be a saved case")
            latest = self._row(conn, case_id, head - 1)
            title = latest.title if title is None else title
            notes = latest.notes if notes is None else notes
            # The clock is read once the lock is held, so revision times follow revision numbers.
            now = max(_now(), _utc(latest.saved_at))
            conn.execute(cases_table.update().where(cases_table.c.id == case_id).values(updated_at=now))
            row = self._revision_row(inputs, title, notes, author, summary, draft, base)
            conn.execute(revisions_table.insert().values(case_id=case_id, number=head, saved_at=now, **row))
        return Saved(case_id, head, base is not None and head - 1 > base, head - 1)

    def add_case(self, worksheet: str, revisions: list[dict[str, Any]], *, created_at: datetime | None = None) -> Saved:
        """Store a whole case at once (an imported file): all its revisions in one transaction, or none.

        Parameters
        ----------
        worksheet : str
        revisions : list of dict
            Oldest first, each with ``inputs`` and optionally ``saved_at``, ``author``, ``title``,
            ``notes``, ``summary``, ``draft`` and ``base``; they are numbered 1, 2, ... here.
        created_at : datetime, optional

        Examples
        --------
        >>> store = CaseStore("sqlite://")
        >>> saved = store.add_case("win_win_check", [{"inputs": {"x": 1}}, {"inputs": {"x": 2}, "draft": True}])
        >>> saved.number, store.open(saved.case_id, 1).inputs
        (2, {'x': 1})
        """
        require(isinstance(worksheet, str) and 0 < len(worksheet) <= 64, "worksheet", worksheet, "name a worksheet")
        require(len(revisions) > 0, "revisions", 0, "hold at least one revision")
        now = _now()
        rows = []
        for number, rev in enumerate(revisions, start=1):
            row = self._revision_row(
                rev.get("inputs"),
                rev.get("title", ""),
                rev.get("notes", ""),
                rev.get("author", ""),
                rev.get("summary"),
                rev.get("draft", False),
                rev.get("base"),
            )
            saved_at = rev.get("saved_at") or now
            rows.append({"case_id": None, "number": number, "saved_at": _utc(saved_at), **row})
        case_id = secrets.token_hex(8)
        first, last = rows[0]["saved_at"], rows[-1]["saved_at"]
        with self.engine.begin() as conn:
            conn.execute(
                cases_table.insert().values(
                    id=case_id,
                    worksheet=worksheet,
                    created_at=_utc(created_at) if created_at else first,
                    updated_at=last,
                    head=len(rows),
                )
            )
            conn.execute(revisions_table.insert(), [{**row, "case_id": case_id} for row in rows])
        return Saved(case_id, len(rows))

    @staticmethod
    def _revision_row(inputs, title, notes, author, summary, draft, base) -> dict[str, Any]:
        require(isinstance(inputs, dict), "inputs", type(inputs).__name__, "be a JSON object")
        require(
            base is None or (isinstance(base, int) and not isinstance(base, bool) and base >= 0),
            "base",
            base,
            "be empty or a revision number",
        )
        return {
            "inputs": _dumps(inputs, "inputs"),
            "summary": _dumps(summary or {}, "summary"),
            "title": _text(title, "title", MAX_TITLE),
            "notes": _text(notes, "notes", MAX_NOTES),
            "author": _text(author, "author", MAX_AUTHOR),
            "draft": bool(draft),
            "base": None if base is None else int(base),
        }

    # ---- reading -------------------------------------------------------------------------
    def _row(self, conn, case_id: str, number: int):
        row = conn.execute(
            sa.select(revisions_table).where(revisions_table.c.case_id == case_id, revisions_table.c.number == number)
        ).first()
        require(row is not None, f"revision of case {case_id}", number, "be a saved revision")
        return row

    def _case(self, conn, case_id: str):
        row = conn.execute(sa.select(cases_table).where(cases_table.c.id == case_id)).first()
        require(row is not None, "case", case_id, "be a saved case")
        return row

    @staticmethod
    def _revision(case, row) -> Revision:
        return Revision(
            case_id=row.case_id,
            worksheet=case.worksheet,
            number=row.number,
            saved_at=_utc(row.saved_at),
            author=row.author,
            title=row.title,
            notes=row.notes,
            inputs=json.loads(row.inputs),
            summary=json.loads(row.summary),
            draft=bool(row.draft),
            base=row.base,
        )

    def open(self, case_id: str, number: int | None = None) -> Revision:
        """A revision of a case; default: the latest (drafts included).

        Examples
        --------
        >>> store = CaseStore("sqlite://")
        >>> cid = store.create("win_win_check", {"x": 1}).case_id
        >>> _ = store.save(cid, {"x": 2}, draft=True)
        >>> store.open(cid).inputs, store.open(cid, 1).inputs
        ({'x': 2}, {'x': 1})
        """
        case_id = check_case_id(case_id)
        with self.engine.connect() as conn:
            case = self._case(conn, case_id)
            return self._revision(case, self._row(conn, case_id, case.head if number is None else int(number)))

    def head(self, case_id: str) -> int:
        """The latest revision number of a case."""
        case_id = check_case_id(case_id)
        with self.engine.connect() as conn:
            return self._case(conn, case_id).head

    def revisions(self, case_id: str) -> list[Revision]:
        """Every revision of a case, oldest first."""
        case_id = check_case_id(case_id)
        with self.engine.connect() as conn:
            case = self._case(conn, case_id)
            rows = conn.execute(
                sa.select(revisions_table)
                .where(revisions_table.c.case_id == case_id)
                .order_by(revisions_table.c.number)
            )
            return [self._revision(case, row) for row in rows]

    def compare(self, case_id: str, before: int, after: int) -> Comparison:
        """Which inputs changed between two revisions, and how the verdict moved.

        Examples
        --------
        >>> store = CaseStore("sqlite://")
        >>> cid = store.create("w", {"p": [{"n": "A"}]}, summary={"verdict": "win-win"}).case_id
        >>> _ = store.save(cid, {"p": [{"n": "A"}, {"n": "B"}]}, summary={"verdict": "not win-win"})
        >>> c = store.compare(cid, 1, 2)
        >>> c.changes, c.verdict_moved
        ([Change(path='p[1].n', before=None, after='B')], 'win-win → not win-win')
        """
        a, b = self.open(case_id, before), self.open(case_id, after)
        fa, fb = flatten(a.inputs), flatten(b.inputs)
        changes = [
            Change(path, fa.get(path), fb.get(path))
            for path in list(fa) + [p for p in fb if p not in fa]
            if fa.get(path, _MISSING) != fb.get(path, _MISSING)
        ]
        return Comparison(a.case_id, a, b, changes)

    def cases(self, worksheet: str | None = None) -> list[CaseInfo]:
        """All cases, most recently changed first, each with its latest saved (else draft) revision.

        Examples
        --------
        >>> store = CaseStore("sqlite://")
        >>> cid = store.create("win_win_check", {"x": 1}, title="Saved").case_id
        >>> _ = store.save(cid, {"x": 2}, draft=True)
        >>> [(c.revision.number, c.head) for c in store.cases()]
        [(1, 2)]
        """
        r, c = revisions_table, cases_table
        saved = (
            sa.select(r.c.case_id, sa.func.max(r.c.number).label("number"))
            .where(r.c.draft.is_(False))
            .group_by(r.c.case_id)
            .subquery()
        )
        shown = sa.func.coalesce(saved.c.number, c.c.head)
        query = (
            sa.select(c, r)
            .select_from(c.outerjoin(saved, saved.c.case_id == c.c.id))
            .join(r, sa.and_(r.c.case_id == c.c.id, r.c.number == shown))
            .order_by(c.c.updated_at.desc(), c.c.id)
        )
        if worksheet is not None:
            query = query.where(c.c.worksheet == worksheet)
        out = []
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                case = _CaseRow(row.id, row.worksheet)
                out.append(
                    CaseInfo(
                        row.id,
                        row.worksheet,
                        _utc(row.created_at),
                        _utc(row.updated_at),
                        row.head,
                        self._revision(case, row),
                    )
                )
        return out

    def __iter__(self) -> Iterator[CaseInfo]:
        return iter(self.cases())

    def __len__(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(cases_table)).scalar_one()


@dataclass(frozen=True)
class _CaseRow:
    id: str
    worksheet: str


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor it them
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_stores: dict[str, CaseStore] = {}


def open_store(url: str | None = None) -> CaseStore:
    """The store for ``url`` (default :func:`default_url`), one per URL in this process.

    Examples
    --------
    >>> open_store("sqlite://") is open_store("sqlite://")
    True
    """
    url = url or default_url()
    if url not in _stores:
        _stores[url] = CaseStore(url)
    return _stores[url]
