"""The one shape every worksheet shares: ``Inputs`` model -> ``assess()`` -> ``Assessment``.

The five partnering options, the stand-alone framework checks and the sales
worksheets all expose the same three things, so that the generated forms
(:mod:`coopkit.ui`), the saved cases (:mod:`coopkit.store`), the command line
and the reports treat them alike:

* an ``Inputs`` pydantic model whose every field carries a title, a
  description, a unit (``json_schema_extra={"unit": ...}``) and bounds;
* an ``assess(inputs) -> Assessment`` function, pure;
* an :class:`Assessment`: a verdict, findings in plain words, per-party
  figures and the tables charts are drawn from.

This module also turns pydantic's validation errors into messages a
strategist reads: the field's title, the allowed range and the value given.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, create_model, field_validator
from pydantic_core import PydanticCustomError

from coopkit.errors import InputError, show_value
from coopkit.frameworks.findings import Finding, Level

__all__ = [
    "Assessment",
    "Finding",
    "Problem",
    "InputsPart",
    "InputsModel",
    "Uncertain",
    "NonNegativeUncertain",
    "ShareUncertain",
    "ChangeUncertain",
    "bounded_uncertain",
    "name_problems",
    "validate",
    "field_bounds",
    "describe_loc",
    "secret_fields",
    "without_secrets",
    "MONEY_LIMIT",
    "SMALLEST_NUMBER",
    "field_unit",
]

#: Largest amount of money a worksheet accepts (per year), in either sign.
MONEY_LIMIT = 1e12
#: Smallest size of a number other than 0 that a worksheet uses (money, volumes, counts, shares, ...).
#: Smaller amounts mean nothing to a strategist, and a division by one (a price per unit, a cost per
#: beneficiary, a break-even share) overflows to infinity: :class:`InputsPart` reads them as 0, or refuses
#: them where 0 is not allowed.
SMALLEST_NUMBER = 1e-9


@dataclass(frozen=True, eq=False)
class Assessment:
    """The result of any worksheet's ``assess()``.

    Attributes
    ----------
    worksheet : str
        Registry name of the worksheet that produced it.
    verdict : str
        Short verdict, e.g. ``"win-win"`` or ``"go with conditions"``.
    level : {"good", "caution", "bad"}
        How the verdict reads: good (go), caution (go with conditions), bad (no-go).
    passed : bool
        Whether the verdict is positive (the command line exits 0 when it is).
    headline : str
        One sentence under the verdict.
    findings : list of Finding
        The reasons, most important first.
    parties : pandas.DataFrame
        Per-party figures, one row per party.
    tables : dict of str to pandas.DataFrame
        Further tables the charts and reports use.
    probability : float or None
        P(win-win) or the option's probability of success, when ranges were given.
    probability_label : str
        What ``probability`` is the probability of, e.g. ``"P(win-win)"``.
    details : object
        The framework results the assessment was built from.
    currency : str
        ISO code of the money figures.
    assumptions : list of str
        What the figures rest on.
    """

    worksheet: str
    verdict: str
    level: Level
    passed: bool
    headline: str
    findings: list[Finding]
    parties: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    probability: float | None = None
    details: Any = None
    currency: str = "EUR"
    assumptions: list[str] = field(default_factory=list)
    probability_label: str = "P(win-win)"

    def report(self) -> str:
        """Plain-text verdict and findings (what ``coopkit assess`` prints)."""
        lines = [f"Verdict: {self.verdict.upper()}", self.headline, ""]
        lines += [f"[{f.level}] {f.text}" for f in self.findings]
        if self.probability is not None:
            lines += ["", f"{self.probability_label}: {self.probability:.1%}"]
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """A validation message attached to a field.

    ``loc`` is the path to the field in the Inputs data, e.g.
    ``("parties", 1, "standalone_payoff", "likely")``; empty for the whole form.
    """

    loc: tuple
    message: str


# --------------------------------------------------------------------------- base models
class InputsPart(BaseModel):
    """Base of every model in a worksheet's inputs (the Inputs, its list items, its ranges).

    Strict about unknown fields, assignment validated, and no number vanishingly small: a number
    smaller in size than :data:`SMALLEST_NUMBER` (but not 0) is read as 0 where the field allows 0,
    and refused otherwise (a rule every field shares on top of its own bounds; :func:`validate`
    words the refusal with them).

    Examples
    --------
    >>> class Demo(InputsPart):
    ...     share: float = Field(0.5, ge=0, le=1, title="Share")
    ...     price: float = Field(1.0, gt=0, le=100, title="Price")
    >>> Demo(share=1e-300).share, Demo(share=-0.0, price=1e-9).price
    (0.0, 1e-09)
    >>> validate(Demo, {"price": 5e-324})[1][0].message
    'Price must be between 1e-09 and 100, got 4.94066e-324'
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="after")
    @classmethod
    def _not_vanishing(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, float) or value == 0 or abs(value) >= SMALLEST_NUMBER:
            return value
        if info.field_name is not None and _allows_zero(cls.model_fields[info.field_name]):
            return 0.0
        raise PydanticCustomError("vanishing_number", "must be at least {smallest}", {"smallest": SMALLEST_NUMBER})


def _allows_zero(info) -> bool:
    """Whether 0 lies within the bounds of a numeric field.

    Examples
    --------
    >>> _allows_zero(Field(ge=0)), _allows_zero(Field(gt=0)), _allows_zero(Field(ge=-1, le=1))
    (True, False, True)
    """
    b = field_bounds(info)
    above = b.get("ge", -math.inf) <= 0 and b.get("gt", -math.inf) < 0
    below = b.get("le", math.inf) >= 0 and b.get("lt", math.inf) > 0
    return above and below


class InputsModel(InputsPart):
    """Base of every worksheet's Inputs: strict about unknown fields, assignment validated.

    Subclasses may override :meth:`problems` for checks across fields; each
    problem names the field it belongs to so the form can show it there, and
    may list in ``open_sections`` the form sections shown open at first (the
    others start collapsed).
    """

    open_sections: ClassVar[tuple[str, ...]] = ()

    def problems(self) -> list[Problem]:
        """Cross-field problems (none by default)."""
        return []


def _money(default: float | None, *, minimum: float, title: str, description: str) -> Any:
    """A money field per year with bounds, for the Uncertain models."""
    return Field(
        default,
        ge=minimum,
        le=MONEY_LIMIT,
        title=title,
        description=description,
        json_schema_extra={"unit": "money/year"},
    )


class Uncertain(InputsPart):
    """A money amount known as a most likely value, optionally with a low and a high.

    The low and high are only used when the worksheet's "use ranges" switch is
    on; they are kept (never discarded) when it is off.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, json_schema_extra={"widget": "uncertain"})

    likely: float = _money(0.0, minimum=-MONEY_LIMIT, title="Most likely", description="The value you expect.")
    low: float | None = _money(None, minimum=-MONEY_LIMIT, title="Low", description="A pessimistic value.")
    high: float | None = _money(None, minimum=-MONEY_LIMIT, title="High", description="An optimistic value.")

    def range_problem(self) -> str | None:
        """Message when low <= likely <= high does not hold (None when it does or no range is given)."""
        low = self.likely if self.low is None else self.low
        high = self.likely if self.high is None else self.high
        if not low <= self.likely <= high:
            return f"needs low <= most likely <= high, got low {_fmt(low)}, most likely {_fmt(self.likely)}, high {_fmt(high)}"
        return None

    def estimate(self, use_range: bool):
        """The number, or a (low, likely, high) triple when ranges are used."""
        if not use_range or (self.low is None and self.high is None):
            return float(self.likely)
        low = self.likely if self.low is None else self.low
        high = self.likely if self.high is None else self.high
        return (float(low), float(self.likely), float(high))


class NonNegativeUncertain(Uncertain):
    """An :class:`Uncertain` amount that cannot be negative (costs, expected losses)."""

    likely: float = _money(0.0, minimum=0.0, title="Most likely", description="The value you expect.")
    low: float | None = _money(None, minimum=0.0, title="Low", description="A pessimistic value.")
    high: float | None = _money(None, minimum=0.0, title="High", description="An optimistic value.")


def bounded_uncertain(name: str, minimum: float, maximum: float, *, doc: str, default: float | None = None) -> type:
    """An :class:`Uncertain` model whose three values lie in ``[minimum, maximum]`` (shares, years, rates).

    Examples
    --------
    >>> Share = bounded_uncertain("Share", 0, 1, doc="A share between 0 and 1.")
    >>> Share(likely=0.2, low=0.1, high=0.3).estimate(True)
    (0.1, 0.2, 0.3)
    >>> field_bounds(Share.model_fields["high"])
    {'ge': 0, 'le': 1}
    """
    start = default if default is not None else min(max(0.0, minimum), maximum)

    def bounded(value, title, description):
        return Field(value, ge=minimum, le=maximum, title=title, description=description)

    return create_model(
        name,
        __base__=Uncertain,
        __doc__=doc,
        likely=(float, bounded(start, "Most likely", "The value you expect.")),
        low=(float | None, bounded(None, "Low", "A pessimistic value.")),
        high=(float | None, bounded(None, "High", "An optimistic value.")),
    )


#: Uncertain shares and probabilities, in [0, 1].
ShareUncertain = bounded_uncertain("ShareUncertain", 0.0, 1.0, doc="An uncertain share or probability in [0, 1].")
#: Uncertain relative changes, -90 % to +500 % (0.2 = +20 %).
ChangeUncertain = bounded_uncertain("ChangeUncertain", -0.9, 5.0, doc="An uncertain relative change, -0.9 to 5.")


# --------------------------------------------------------------------------- fields every worksheet has
def currency_field() -> Any:
    """The ISO 4217 currency code of every money amount of a worksheet."""
    return Field(
        "EUR",
        pattern=r"^[A-Z]{3}$",
        title="Currency",
        description="ISO 4217 code of every money amount, e.g. EUR, USD, GBP.",
        json_schema_extra={"unit": "", "format_hint": "a three-letter ISO currency code in capitals, e.g. EUR"},
    )


def ranges_field(gives: str) -> Any:
    """The "use ranges" switch; ``gives`` completes "a Monte Carlo then gives ..."."""
    return Field(
        False,
        title="Use ranges",
        description=f"Give low and high values as well as the most likely one; a Monte Carlo then gives {gives}.",
        json_schema_extra={"ranges_switch": True},
    )


def draws_field(default: int, maximum: int) -> Any:
    """Number of Monte Carlo draws, in the Advanced section."""
    return Field(
        default,
        ge=1_000,
        le=maximum,
        title="Monte Carlo draws",
        description="Scenarios drawn from the ranges.",
        json_schema_extra={"unit": "draws", "section": "Advanced"},
    )


def seed_field() -> Any:
    """The Monte Carlo seed, in the Advanced section."""
    return Field(
        0,
        ge=0,
        le=2**32 - 1,
        title="Random seed",
        description="Same seed, same scenarios: results can be reproduced.",
        json_schema_extra={"unit": "", "section": "Advanced"},
    )


def name_problems(
    items: list, field: str, item_title: str, reserved: Callable[[str], str | None] | None = None
) -> list[Problem]:
    """A problem for each blank, reserved or repeated name in a list of sub-models (compared ignoring case).

    ``reserved(name)`` returns the message for a name that may not be used, or None.

    Examples
    --------
    >>> class Item(BaseModel):
    ...     name: str
    >>> [p.message for p in name_problems([Item(name="A"), Item(name=" a"), Item(name="")], "parties", "Party")]
    ['Party 2: name is also used by party 1', 'Party 3: name must not be blank']
    """
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for j, item in enumerate(items):
        name = item.name.strip()
        key = name.casefold()
        loc = (field, j, "name")
        refused = reserved(name) if reserved is not None and key else None
        if not key:
            out.append(Problem(loc, f"{item_title} {j + 1}: name must not be blank"))
        elif refused:
            out.append(Problem(loc, f"{item_title} {j + 1}: {refused}"))
        elif key in seen:
            out.append(Problem(loc, f"{item_title} {j + 1}: name is also used by {item_title.lower()} {seen[key] + 1}"))
        else:
            seen[key] = j
    return out


def range_problems(inputs: BaseModel, names: list[str]) -> list[Problem]:
    """A problem for each named Uncertain field whose low <= likely <= high does not hold."""
    out = []
    for name in names:
        msg = getattr(inputs, name).range_problem()
        if msg:
            out.append(Problem((name,), f"{type(inputs).model_fields[name].title} {msg}"))
    return out


# --------------------------------------------------------------------------- messages
def _fmt(x: float) -> str:
    """A number as typed, with thousands separators and no scientific notation for money-sized values.

    Examples
    --------
    >>> _fmt(1000005), _fmt(2.5), _fmt(1234567.891), _fmt(1e-7)
    ('1,000,005', '2.5', '1,234,567.891', '1e-07')
    """
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    if 1e-4 <= abs(x) < 1e15:
        return f"{x:,.6f}".rstrip("0").rstrip(".")
    return f"{x:,.6g}"


def _field_info(model: type[BaseModel], loc: tuple):
    """The FieldInfo at a loc, following nested models and lists; None if not found."""
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        annotation = info.annotation
        current = _inner_model(annotation)
    return info


def _inner_model(annotation: Any):
    """The BaseModel class inside ``X``, ``list[X]`` or ``X | None``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_bounds(info) -> dict[str, float]:
    """The numeric bounds (ge, gt, le, lt) declared on a pydantic FieldInfo.

    Examples
    --------
    >>> field_bounds(Uncertain.model_fields["likely"])
    {'ge': -1000000000000.0, 'le': 1000000000000.0}
    """
    out: dict[str, float] = {}
    for item in getattr(info, "metadata", []):
        for key in ("ge", "gt", "le", "lt"):
            value = getattr(item, key, None)
            if value is not None:
                out[key] = value
    return out


def _allowed(info) -> str:
    """The allowed range of a numeric field in words, e.g. "between 0 and 1"."""
    b = field_bounds(info)
    if "ge" in b and "le" in b:
        return f"between {_fmt(b['ge'])} and {_fmt(b['le'])}"
    words = []
    if "ge" in b or "gt" in b:
        words.append(f"at least {_fmt(b['ge'])}" if "ge" in b else f"greater than {_fmt(b['gt'])}")
    if "le" in b or "lt" in b:
        words.append(f"at most {_fmt(b['le'])}" if "le" in b else f"less than {_fmt(b['lt'])}")
    return " and ".join(words)


def _allowed_not_vanishing(info) -> str:
    """The allowed range of a numeric field that excludes 0, its lower bound raised to :data:`SMALLEST_NUMBER`.

    Examples
    --------
    >>> _allowed_not_vanishing(Field(gt=0, le=1e12)), _allowed_not_vanishing(Field(gt=0))
    ('between 1e-09 and 1,000,000,000,000', 'at least 1e-09')
    """
    b = field_bounds(info)
    smallest = _fmt(SMALLEST_NUMBER)
    if "le" in b or "lt" in b:
        return f"between {smallest} and {_fmt(b.get('le', b.get('lt')))}"
    return f"at least {smallest}"


def describe_loc(model: type[BaseModel], loc: tuple) -> str:
    """A field's name as the form shows it, e.g. "Party 2: Stand-alone payoff (most likely)".

    Examples
    --------
    >>> describe_loc(Uncertain, ("low",))
    'Low'
    """
    words: list[str] = []
    current: Any = model
    item_title = "Item"
    for part in loc:
        if isinstance(part, int):
            if words:
                words[-1] = f"{item_title} {part + 1}"
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            words.append(str(part))
            continue
        info = fields[part]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        item_title = extra.get("item_title", info.title or "Item")
        words.append(info.title or part.replace("_", " ").capitalize())
        current = _inner_model(info.annotation)
    if len(words) >= 2 and words[-1] in ("Most likely", "Low", "High"):
        last = words.pop().lower()
        words[-1] = f"{words[-1]} ({last})"
    return ": ".join(words)


def _extra_of(info) -> dict:
    extra = getattr(info, "json_schema_extra", None)
    return extra if isinstance(extra, dict) else {}


#: How a field's unit is shown to a strategist, with the case's currency filled in.
_UNITS = {"money/year": "{currency}/year", "money/unit": "{currency}/unit", "money": "{currency}"}


def field_unit(info, currency: str) -> str:
    """The unit of a field as a strategist reads it, e.g. "EUR/year"; "" when it has none.

    Used by the form (beside each box) and by the exported inputs table, so both say the same.

    >>> field_unit(Field(json_schema_extra={"unit": "money/year"}), "EUR"), field_unit(Field(), "EUR")
    ('EUR/year', '')
    >>> field_unit(Field(json_schema_extra={"unit": "deals"}), "")
    'deals'
    """
    unit = _extra_of(info).get("unit") or ""
    return _UNITS.get(unit, unit).format(currency=currency or "money")


#: What a value of the wrong type should have been, for pydantic's type errors (its own wording is for programmers).
_TYPE_WORDS = {
    "bool_type": "yes or no",
    "bool_parsing": "yes or no",
    "string_type": "text",
    "list_type": "a list of entries",
    "dict_type": "a set of named fields",
    "model_type": "a set of named fields",
    "model_attributes_type": "a set of named fields",
}


def _message(model: type[BaseModel], error: dict) -> Problem:
    loc = tuple(error.get("loc", ()))
    info = _field_info(model, loc)
    name = describe_loc(model, loc) if loc else "Input"
    given = error.get("input")
    kind = error.get("type", "")
    shown = _fmt(given) if isinstance(given, (int, float)) and not isinstance(given, bool) else show_value(given)
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal") and info is not None:
        text = f"{name} must be {_allowed(info)}, got {shown}"
    elif kind == "vanishing_number":
        allowed = _allowed_not_vanishing(info) if info is not None else f"at least {_fmt(SMALLEST_NUMBER)}"
        text = f"{name} must be {allowed}, got {shown}"
    elif kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"):
        allowed = _allowed(info) if info is not None else ""
        text = f"{name} must be a {'whole ' if kind.startswith('int') else ''}number{(' ' + allowed) if allowed else ''}, got {show_value(given)}"
    elif kind in ("string_too_short", "string_too_long") and info is not None:
        lo = getattr(info, "metadata", [])
        min_len = next((m.min_length for m in lo if getattr(m, "min_length", None) is not None), 0)
        max_len = next((m.max_length for m in lo if getattr(m, "max_length", None) is not None), None)
        text = f"{name} must be {min_len} to {max_len} characters long, got {len(given) if isinstance(given, str) else given!r}"
    elif kind in ("too_short", "too_long") and info is not None:
        lo = getattr(info, "metadata", [])
        min_len = next((m.min_length for m in lo if getattr(m, "min_length", None) is not None), 0)
        max_len = next((m.max_length for m in lo if getattr(m, "max_length", None) is not None), None)
        count = len(given) if hasattr(given, "__len__") else given
        text = f"{name} must list {min_len} to {max_len} entries, got {count}"
    elif kind == "string_pattern_mismatch":
        hint = _extra_of(info).get("format_hint") if info is not None else None
        rule = hint or f"text matching {error.get('ctx', {}).get('pattern', 'the expected pattern')}"
        text = f"{name} must be {rule}, got {show_value(given)}"
    elif kind == "literal_error":
        text = f"{name} must be one of {error.get('ctx', {}).get('expected', '')}, got {show_value(given)}"
    elif kind in _TYPE_WORDS:
        text = f"{name} must be {_TYPE_WORDS[kind]}, got {show_value(given)}"
    elif kind == "missing":
        text = f"{name} is required"
    elif kind == "extra_forbidden":
        text = f"{name} is not a field of this worksheet"
    else:
        text = f"{name}: {error.get('msg', 'invalid value')}"
    return Problem(loc, text)


def validate(model: type[InputsModel], data: Any) -> tuple[InputsModel | None, list[Problem]]:
    """Validate worksheet data; return the Inputs (or None) and every problem found.

    Field-level errors come from pydantic, translated into messages naming the
    field, the allowed range and the value; cross-field problems come from the
    model's :meth:`InputsModel.problems`.

    Examples
    --------
    >>> class Demo(InputsModel):
    ...     share: float = Field(0.5, ge=0, le=1, title="Revenue share")
    >>> validate(Demo, {"share": 1.4})[1][0].message
    'Revenue share must be between 0 and 1, got 1.4'
    """
    try:
        inputs = model.model_validate(data)
    except ValidationError as exc:
        return None, [_message(model, e) for e in exc.errors(include_url=False)]
    problems = inputs.problems()
    return (None if problems else inputs), problems


def secret_fields(model: type[BaseModel]) -> list[str]:
    """Top-level fields typed as passwords (``json_schema_extra={"widget": "password"}``): never saved.

    Examples
    --------
    >>> from coopkit import options
    >>> secret_fields(options.get("referrals").inputs)
    ['shared_secret']
    """
    return [name for name, info in model.model_fields.items() if _extra_of(info).get("widget") == "password"]


def without_secrets(model: type[BaseModel], data: dict) -> dict:
    """``data`` with every password field blanked, for saving and exporting a case.

    Examples
    --------
    >>> from coopkit import options
    >>> without_secrets(options.get("referrals").inputs, {"shared_secret": "s3cret", "x": 1})
    {'shared_secret': '', 'x': 1}
    """
    secrets = secret_fields(model)
    return {k: ("" if k in secrets else v) for k, v in data.items()}


def raise_problems(problems: list[Problem]) -> None:
    """Raise the first problem as an :class:`InputError` (for scripts and the command line)."""
    if problems:
        first = problems[0]
        field_name = ".".join(str(p) for p in first.loc) or "inputs"
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise InputError(field_name, None, "be valid", message=first.message + more)


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Worksheet:
    """A registered worksheet: its name, title, kind, Inputs model and assess function."""

    name: str
    title: str
    kind: Literal["framework", "option", "sales"]
    inputs: type[InputsModel]
    assess: Callable[[Any], Assessment]
    summary: str = ""
    sample: str | None = None  # file name under data/samples/, loaded by default


_REGISTRY: dict[str, Worksheet] = {}


def register(sheet: Worksheet) -> Worksheet:
    """Add a worksheet to the registry (names are unique)."""
    if sheet.name in _REGISTRY and _REGISTRY[sheet.name] is not sheet:
        raise ValueError(f"worksheet {sheet.name!r} is already registered")
    _REGISTRY[sheet.name] = sheet
    return sheet


def registry() -> dict[str, Worksheet]:
    """All registered worksheets by name (importing coopkit.options registers them)."""
    return dict(_REGISTRY)
