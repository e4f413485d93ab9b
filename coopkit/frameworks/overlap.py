"""Account overlap: the customers two partners have in common, found on keyed hashes of their lists.

Two partners who refer customers to each other want to know where their
lists meet: customers they share (to serve together), our customers that are
the partner's prospects (referrals we can make) and our prospects that are
its customers (referrals it can make). Account-mapping platforms answer this
by *population* (customers, prospects) without either side handing over its
list. This module does the same with a keyed hash both sides compute locally.

The method
----------
1. **Normalise** every account to one key, so that the same company written
   two ways meets itself [Christen2012]_ (ch. 3, data pre-processing):

   * a *domain* (column ``domain``, ``website``, ``url``, ``email``...): Unicode
     NFKC, lower case, trimmed; a scheme (``https://``), a user (``name@``), the
     ``www.`` prefix, a port, a path, query or fragment and leading or trailing
     dots removed; international labels in their ASCII (IDNA) form, so
     ``https://WWW.Bücher.example/shop`` and ``xn--bcher-kva.example`` are one key;
   * a *name* (column ``company``, ``name``, ``account``...): accents removed,
     lower case, ``&`` read as ``and``, dots dropped (``S.A.`` is ``sa``), other
     punctuation and runs of white space as one space, a leading ``the`` and
     trailing legal forms (``inc``, ``ltd``, ``gmbh``, ``sa``, ``co``...) removed,
     so ``The Acme Company, Inc.`` and ``ACME`` are one key.

   A row with both uses its domain (domains are more unique than names),
   unless names are preferred; the kind is part of the key (``domain:acme.example``,
   ``name:acme``), so a domain never meets a name.
2. **Hash** each key with HMAC-SHA256 [RFC2104]_ [FIPS180]_ under a secret
   both sides agree on: ``hash = HMAC-SHA256(secret, key)``, 64 hex digits.
   HMAC, not a plain hash of the key: anyone can compute ``SHA256("acme")``,
   while the keyed hash needs the secret [Schnell2009]_.
3. **Exchange** hash files (one ``hash,population`` line per account, sorted by
   hash so the order of the list gives nothing away) and **match on hashes
   only**. Each side then sees the counts per population pair and, unless
   they agreed on counts only, the names of the matched accounts *from its
   own list*: it learns which of its accounts the partner also has, never a
   name it did not already know.

Why a secret of at least 16 characters: the secret is the only thing a
reader of a hash file lacks. With a short or guessable secret, someone who
knows one account on the list (the partner's best-known customer) can try
secrets until that account's hash appears, and then test every name they
like. Sixteen characters chosen at random (:func:`new_secret` gives 32 from
:mod:`secrets`, 6 bits each) put trying every secret out of reach; a word or
a phrase people would think of does not, whatever its length
[SP800-107]_ (section 5.3, HMAC keys).

What it protects against
    * A casual or accidental reader of an exchanged file (a forwarded e-mail,
      a shared drive): it holds only keyed hashes and populations, no names.
    * Guessing without the secret: hashes of guessed names computed without
      the secret (or with another one) match nothing.
    * Learning non-matches: each side sees names from its own list only, so
      the partner's accounts that are not on our list stay unknown to us.
    * Reuse across partnerships: a fresh secret per partnership makes hash
      files of different partnerships unlinkable.

What it does not protect against
    * The partner itself: whoever knows the secret can hash any name it
      guesses and see whether it is in our file. Company names and domains
      are a small space (a business directory lists them), so a dictionary
      attack recovers much of a list [Vatsalan2013]_. Keyed hashing keeps
      lists from outsiders, not from the partner; only a private set
      intersection protocol or a trusted third party would.
    * The counts themselves: the hash file reveals how many customers and
      prospects we have, and the overlap counts reveal how much our markets
      meet. Counts-only mode still shows them.
    * The channel: both sides must exchange hash files (and agree on the
      secret) through a channel they trust; a file swapped in transit, or a
      secret sent with the file, undoes the protection.
    * Normalisation collisions: two different companies with the same
      normalised name (``Acme Ltd`` and ``Acme Inc``, ``Müller`` and
      ``Muller``) are one key and count as a match; the same company under two
      spellings (``Acme`` and ``Acme Widgets``) is missed. Domains collide less.
    * Competition law: between competitors, even hashed customer lists are
      commercially sensitive information; agree in writing what is matched,
      who sees the result and what it is used for.

References
----------
.. [RFC2104] Krawczyk, H., Bellare, M. and Canetti, R. (1997). "HMAC:
   Keyed-hashing for message authentication". RFC 2104, IETF.
.. [FIPS180] National Institute of Standards and Technology (2015). *Secure
   Hash Standard (SHS)*. FIPS PUB 180-4.
.. [SP800-107] Dang, Q. (2012). *Recommendation for applications using
   approved hash algorithms*. NIST Special Publication 800-107 Rev. 1.
.. [Schnell2009] Schnell, R., Bachteler, T. and Reiher, J. (2009).
   "Privacy-preserving record linkage using Bloom filters". *BMC Medical
   Informatics and Decision Making* 9, 41.
.. [Vatsalan2013] Vatsalan, D., Christen, P. and Verykios, V. S. (2013). "A
   taxonomy of privacy-preserving record linkage techniques". *Information
   Systems* 38(6), 946-969.
.. [Christen2012] Christen, P. (2012). *Data Matching*. Springer.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from coopkit.errors import InputError
from coopkit.frameworks.safety import safe_cell

__all__ = [
    "POPULATIONS",
    "PAIRS",
    "PROTECTS",
    "DOES_NOT_PROTECT",
    "MIN_SECRET",
    "MAX_ACCOUNTS",
    "Account",
    "AccountList",
    "Overlap",
    "normalise_domain",
    "normalise_name",
    "account_key",
    "keyed_hash",
    "new_secret",
    "check_secret",
    "parse_accounts",
    "match",
    "hash_file",
    "matches_csv",
    "csv_cell",
]

Population = Literal["customer", "prospect"]
#: The populations an account can belong to.
POPULATIONS: tuple[str, ...] = ("customer", "prospect")
#: Population pairs (ours, theirs) in the order the overlap table shows them, with what each means.
PAIRS: dict[tuple[str, str], str] = {
    ("customer", "customer"): "Shared customers: serve them together, protect them",
    ("customer", "prospect"): "Our customers the partner wants: referrals we can make",
    ("prospect", "customer"): "Our prospects the partner serves: referrals it can make",
    ("prospect", "prospect"): "Prospects we both pursue",
}
#: What matching on keyed hashes protects against, in plain words (the module docstring has the detail).
PROTECTS: tuple[str, ...] = (
    "A casual reader of an exchanged file (a forwarded e-mail, a shared drive) sees only keyed hashes and "
    "populations, no names.",
    "Without the secret, hashes of guessed names match nothing.",
    "Each side sees names from its own list only: the partner's other accounts stay unknown.",
)
#: What it does not protect against.
DOES_NOT_PROTECT: tuple[str, ...] = (
    "A partner who knows the secret can hash any name it guesses and test it against our file: company names "
    "are a small space, so this dictionary attack recovers much of a list.",
    "The counts themselves: the hash file shows how many customers and prospects each side has, and the "
    "overlap how much the markets meet.",
    "The channel: hash files and the secret must travel through channels both sides trust (and not together).",
    "Normalisation collisions: two companies with the same normalised name count as one; one company written "
    "two very different ways is missed.",
)
#: Fewest characters a shared secret may have (see the module docstring for why).
MIN_SECRET = 16
#: Most characters a shared secret may have.
MAX_SECRET = 200
#: Most accounts one list may hold.
MAX_ACCOUNTS = 50_000
#: Longest account name kept for display, in characters.
MAX_SHOWN = 200

_DOMAIN_COLUMNS = ("domain", "website", "web site", "web", "url", "site", "homepage", "email", "e-mail", "mail")
_NAME_COLUMNS = (
    "company",
    "company name",
    "name",
    "account",
    "account name",
    "organisation",
    "organization",
    "business",
)
_POPULATION_COLUMNS = ("population", "type", "status", "relationship", "segment", "stage", "category")
_HASH_COLUMNS = ("hash", "hmac", "digest")
_POPULATION_WORDS = {
    "customer": "customer",
    "customers": "customer",
    "client": "customer",
    "clients": "customer",
    "current customer": "customer",
    "prospect": "prospect",
    "prospects": "prospect",
    "lead": "prospect",
    "leads": "prospect",
    "opportunity": "prospect",
    "opportunities": "prospect",
    "target": "prospect",
}
_LEGAL_FORMS = frozenset(
    "inc incorporated corp corporation co company ltd limited llc llp lp plc pllc gmbh mbh ag kg kgaa ug ohg "
    "se sa sas sarl srl spa sl bv nv vof oy oyj ab as asa aps pty pvt pte kk".split()
)
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|mailto:)")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


# --------------------------------------------------------------------------- normalisation
def normalise_domain(value: str) -> str | None:
    """A web address, e-mail address or domain as its bare domain; None when it is not one.

    Examples
    --------
    >>> normalise_domain("  https://WWW.Harbour-Bakery.example/contact?x=1 ")
    'harbour-bakery.example'
    >>> normalise_domain("sales@Harbour-Bakery.example."), normalise_domain("http://user@bücher.example:8080")
    ('harbour-bakery.example', 'xn--bcher-kva.example')
    >>> normalise_domain("Harbour Bakery") is None, normalise_domain("n/a") is None
    (True, True)
    """
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = _SCHEME.sub("", text)
    text = re.split(r"[/?#]", text, maxsplit=1)[0]
    text = text.rsplit("@", 1)[-1]
    text = re.sub(r":\d*$", "", text).strip(".")
    text = re.sub(r"^www\d*\.", "", text)
    if "." not in text:
        return None
    labels = []
    for label in text.split("."):
        try:
            ascii_label = label.encode("idna").decode("ascii") if not label.isascii() else label
        except UnicodeError:
            return None
        if not _LABEL.match(ascii_label):
            return None
        labels.append(ascii_label)
    if labels[-1].isdigit():
        return None  # an IP address, not a domain
    return ".".join(labels)


def normalise_name(value: str) -> str | None:
    """A company name as its matching key: no accents, case, punctuation, leading "the" or legal forms.

    Returns None when nothing is left (e.g. a value that is only punctuation or a legal form).

    Examples
    --------
    >>> normalise_name("The Acme Company, Inc."), normalise_name("  ACME  ")
    ('acme', 'acme')
    >>> normalise_name("Müller & Söhne GmbH & Co. KG"), normalise_name("Alder S.A.")
    ('muller and sohne', 'alder')
    >>> normalise_name("Ltd") is None, normalise_name("--") is None
    (True, True)
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(value)).casefold())
    text = unicodedata.normalize("NFKC", "".join(ch for ch in text if not unicodedata.combining(ch)))
    tokens = re.sub(r"[\W_]+", " ", text.replace("&", " and ").replace(".", "")).split()
    while len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    removed = False
    while len(tokens) > 1 and (tokens[-1] in _LEGAL_FORMS or (removed and tokens[-1] == "and")):
        tokens.pop()
        removed = True
    if not tokens or (len(tokens) == 1 and tokens[0] in _LEGAL_FORMS):
        return None
    return " ".join(tokens)


def account_key(domain: str | None = None, name: str | None = None, *, prefer: str = "domain") -> str | None:
    """The one matching key of an account: ``domain:...`` or ``name:...``; None when neither is usable.

    ``prefer`` picks which of the two is used when both are given and usable.

    Examples
    --------
    >>> account_key("www.acme.example", "Acme Inc"), account_key("www.acme.example", "Acme Inc", prefer="name")
    ('domain:acme.example', 'name:acme')
    >>> account_key(None, "Acme Inc"), account_key("", "") is None
    ('name:acme', True)
    """
    d = normalise_domain(domain) if domain else None
    n = normalise_name(name) if name else None
    order = (("name", n), ("domain", d)) if prefer == "name" else (("domain", d), ("name", n))
    for kind, key in order:
        if key:
            return f"{kind}:{key}"
    return None


# --------------------------------------------------------------------------- the keyed hash
def check_secret(secret: str, field: str = "shared secret") -> str:
    """The secret, checked: 16 to 200 characters. The message never repeats the secret.

    Examples
    --------
    >>> check_secret("correct horse battery staple")
    'correct horse battery staple'
    >>> check_secret("tooshort")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: shared secret must be at least 16 characters long (a shorter one can be found by trying them all), got 8 characters
    """
    if not isinstance(secret, str):
        raise InputError(field, type(secret).__name__, "be text", message=f"{field} must be text")
    if not MIN_SECRET <= len(secret) <= MAX_SECRET:
        rule = (
            f"at least {MIN_SECRET} characters long (a shorter one can be found by trying them all)"
            if len(secret) < MIN_SECRET
            else f"at most {MAX_SECRET} characters long"
        )
        raise InputError(field, len(secret), rule, message=f"{field} must be {rule}, got {len(secret)} characters")
    if len(set(secret)) < 4:
        raise InputError(
            field,
            None,
            "vary",
            message=f"{field} must not repeat a few characters (it would be among the first ones tried): "
            "use a random one",
        )
    return secret


def keyed_hash(key: str, secret: str) -> str:
    """HMAC-SHA256 of a normalised key under the shared secret, as 64 hex digits [RFC2104]_.

    Examples
    --------
    >>> h = keyed_hash("domain:acme.example", "a secret of 16+ chars")
    >>> len(h), h == keyed_hash("domain:acme.example", "a secret of 16+ chars")
    (64, True)
    >>> h == keyed_hash("domain:acme.example", "another secret, 16+")
    False
    """
    check_secret(secret)
    return hmac.new(secret.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()


def new_secret() -> str:
    """A fresh random secret of 32 URL-safe characters (192 bits), from :mod:`secrets`.

    Examples
    --------
    >>> len(new_secret()), new_secret() != new_secret()
    (32, True)
    """
    return secrets.token_urlsafe(24)


# --------------------------------------------------------------------------- parsing lists
@dataclass(frozen=True)
class Account:
    """One account of a list.

    Attributes
    ----------
    name : str or None
        As written in the list (for display); None in a hash file.
    key : str or None
        Normalised key, ``domain:...`` or ``name:...``; None in a hash file.
    population : {"customer", "prospect"}
    line : int
        Line of the list it was read from (1 = first line).
    digest : str or None
        The keyed hash, when the list is a hash file.
    """

    name: str | None
    key: str | None
    population: str
    line: int
    digest: str | None = None

    def hashed(self, secret: str) -> str:
        """The account's keyed hash under ``secret`` (the given one in a hash file), 64 hex digits.

        Examples
        --------
        >>> a = parse_accounts("www.acme.example").accounts[0]
        >>> a.hashed("sixteen chars or more") == keyed_hash("domain:acme.example", "sixteen chars or more")
        True
        """
        return self.digest if self.digest is not None else keyed_hash(self.key or "", secret)


@dataclass(frozen=True)
class AccountList:
    """A parsed customer list: distinct accounts and what was left out.

    Attributes
    ----------
    accounts : tuple of Account
        One per key (duplicates merged; an account listed as both customer and prospect is a customer).
    rows : int
        Data rows read (not counting the header and empty lines).
    duplicates : int
        Rows whose key was already on the list.
    skipped : tuple of int
        Lines without a usable domain or name.
    hashed : bool
        Read from a hash file (``hash,population``): no names, only keyed hashes.
    """

    accounts: tuple[Account, ...] = ()
    rows: int = 0
    duplicates: int = 0
    skipped: tuple[int, ...] = ()
    hashed: bool = False

    def count(self, population: str) -> int:
        """Accounts in a population.

        Examples
        --------
        >>> parse_accounts("acme.example\\nbeta.example,prospect").count("prospect")
        1
        """
        return sum(1 for a in self.accounts if a.population == population)

    def kinds(self) -> dict[str, int]:
        """How many accounts are keyed on a domain, on a name, or given as hashes.

        Examples
        --------
        >>> parse_accounts("acme.example\\nBeta Ltd").kinds()
        {'domain': 1, 'name': 1, 'hash': 0}
        """
        out = {"domain": 0, "name": 0, "hash": 0}
        for a in self.accounts:
            out["hash" if a.key is None else a.key.split(":", 1)[0]] += 1
        return out


def _cell_name(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.replace("\ufeff", "").strip().casefold())


def _population(value: str, field: str, line: int) -> str:
    word = re.sub(r"\s+", " ", value.strip().casefold())
    if not word:
        return "customer"
    if word not in _POPULATION_WORDS:
        shown = value.strip()[:40]
        raise InputError(
            field,
            shown,
            "name a population",
            message=f"{field}, line {line}: population must be customer or prospect, got {shown!r}",
        )
    return _POPULATION_WORDS[word]


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _rows(text: str, field: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as exc:
        raise InputError(
            field, None, "be CSV", message=f"{field}, line {reader.line_num + 1}: not readable as CSV ({exc})"
        ) from None


def _columns(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, when the first row is a header (None when it is data)."""
    names = [_cell_name(h) for h in header]
    found: dict[str, int] = {}
    for kind, choices in (
        ("hash", _HASH_COLUMNS),
        ("domain", _DOMAIN_COLUMNS),
        ("name", _NAME_COLUMNS),
        ("population", _POPULATION_COLUMNS),
    ):
        for choice in choices:
            if choice in names:
                found[kind] = names.index(choice)
                break
    if not {"hash", "domain", "name"} & set(found):
        return None
    return found


def parse_accounts(
    text: str,
    field: str = "accounts",
    *,
    prefer: str = "domain",
    max_accounts: int = MAX_ACCOUNTS,
) -> AccountList:
    """Read a customer list from CSV text or one account per line.

    Formats accepted (UTF-8 text; a byte-order mark, empty lines and quoted
    fields are fine; commas, semicolons or tabs between fields):

    * a CSV file with a header naming a domain column (``domain``, ``website``,
      ``url``, ``email``...) and/or a name column (``company``, ``name``,
      ``account``...) and, optionally, a population column (``population``,
      ``type``, ``status``...) holding ``customer`` or ``prospect`` (also
      ``client``, ``lead``, ``opportunity``; empty = customer);
    * a hash file written by :func:`hash_file` (header ``hash,population``);
    * no header: one account per line, a domain or a name, optionally followed
      by ``,customer`` or ``,prospect`` (default customer). A line like
      ``Acme, Inc.`` is one name.

    Parameters
    ----------
    text : str
        The file's content.
    field : str
        The field's title, for messages.
    prefer : {"domain", "name"}
        Which key a row with both a domain and a name is matched on.
    max_accounts : int
        Most rows accepted.

    Raises
    ------
    InputError
        Naming the field and the line: a population that is neither customer
        nor prospect, a malformed hash, a list that is too long, unreadable CSV.

    Examples
    --------
    >>> text = '\\ufeffCompany,Website,Type\\n"Acme, Inc.",https://www.acme.example/,Customer\\n\\nBeta,,prospect\\n'
    >>> accounts = parse_accounts(text)
    >>> [(a.name, a.key, a.population, a.line) for a in accounts.accounts]
    [('Acme, Inc.', 'domain:acme.example', 'customer', 2), ('Beta', 'name:beta', 'prospect', 4)]
    >>> parse_accounts("acme.example\\nACME.example.\\nwww.acme.example,prospect").duplicates
    2
    >>> parse_accounts("acme.example,partner", "Our accounts")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Our accounts, line 1: population must be customer or prospect, got 'partner'
    """
    if not isinstance(text, str):
        raise InputError(field, type(text).__name__, "be text")
    text = text.lstrip("\ufeff")
    lines = _LINE_BREAK.split(text)
    first = next((line for line in lines if line.strip()), "")
    if not first:
        return AccountList()
    delimiter = _delimiter(first)
    try:
        columns = _columns(next(csv.reader([first], delimiter=delimiter)))
    except csv.Error:
        columns = None
    if columns is None:  # one account per line: read the raw line, so what is shown is exactly what was written
        body = [(k, [line]) for k, line in enumerate(lines, start=1) if line.strip()]
    else:
        body = list(_rows(text, field, delimiter))[1:]
    if len(body) > max_accounts:
        raise InputError(
            field,
            len(body),
            "be shorter",
            message=f"{field} must list at most {max_accounts:,} accounts, got {len(body):,}",
        )
    by_key: dict[str, Account] = {}
    order: list[str] = []
    skipped: list[int] = []
    duplicates = 0
    for line, row in body:
        account = _account(row, columns, field, line, prefer, delimiter)
        if account is None:
            skipped.append(line)
            continue
        ident = account.digest or account.key or ""
        if ident in by_key:
            duplicates += 1
            if account.population == "customer" and by_key[ident].population != "customer":
                old = by_key[ident]
                by_key[ident] = Account(old.name, old.key, "customer", old.line, old.digest)
            continue
        by_key[ident] = account
        order.append(ident)
    hashed = columns is not None and "hash" in columns
    return AccountList(
        accounts=tuple(by_key[k] for k in order),
        rows=len(body),
        duplicates=duplicates,
        skipped=tuple(skipped),
        hashed=hashed,
    )


def _shown(value: str) -> str:
    value = value.strip()
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def _unquote(value: str, delimiter: str) -> str:
    """A value as written, or its content when it is one quoted CSV field ("Acme, Inc.")."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return delimiter.join(next(csv.reader([value], delimiter=delimiter))).strip()
        except csv.Error:
            return value
    return value


def _population_word(value: str) -> str | None:
    return _POPULATION_WORDS.get(re.sub(r"\s+", " ", value.strip().casefold()))


def _line_account(raw: str, field: str, line: int, delimiter: str) -> Account | None:
    """An account from a line of a list without a header: a domain or a name, optionally ",customer"/",prospect"."""
    value, population = raw.strip(), "customer"
    head, sep, tail = value.rpartition(delimiter)
    if sep and _population_word(tail):
        value, population = head.strip(), _population_word(tail)
    elif sep and delimiter not in head and normalise_domain(_unquote(head, delimiter)) and tail.strip():
        population = _population(tail, field, line)  # a domain has no comma: what follows is meant as a population
        value = head.strip()
    value = _unquote(value, delimiter)
    if not value:
        return None
    domain = normalise_domain(value) if not re.search(r"\s", value) else None
    key = f"domain:{domain}" if domain else account_key(None, value)
    return Account(_shown(value), key, population, line) if key else None


def _account(row: list[str], columns, field: str, line: int, prefer: str, delimiter: str) -> Account | None:
    """An account from a row (a CSV row under a header, or a raw line when there is none); None if unusable."""
    if columns is None:
        return _line_account(row[0], field, line, delimiter)

    def get(kind: str) -> str:
        j = columns.get(kind)
        return row[j].strip() if j is not None and j < len(row) else ""

    population = _population(get("population"), field, line) if "population" in columns else "customer"
    if "hash" in columns:
        digest = get("hash").lower()
        if not digest:
            return None
        if not _HEX64.match(digest):
            raise InputError(
                field,
                digest[:20],
                "be a hash",
                message=f"{field}, line {line}: a hash must be 64 hexadecimal digits (HMAC-SHA256), "
                f"got {len(digest)} characters",
            )
        return Account(None, None, population, line, digest)
    domain, name = get("domain"), get("name")
    key = account_key(domain, name, prefer=prefer)
    if key is None:
        return None
    return Account(_shown(name or domain), key, population, line)


# --------------------------------------------------------------------------- matching
@dataclass(frozen=True, eq=False)
class Overlap:
    """What :func:`match` found.

    Attributes
    ----------
    counts : pandas.DataFrame
        One row per population pair (index ``pair``): columns ``ours``,
        ``theirs``, ``count`` (accounts matched) and ``meaning``.
    matched : pandas.DataFrame
        Columns ``account`` (as written in *our* list), ``ours``, ``theirs``;
        empty in counts-only mode or when our list is a hash file.
    sizes : pandas.DataFrame
        Per side (index ``Ours``, ``Partner's``): ``accounts``, ``customers``,
        ``prospects``, ``rows``, ``duplicates``, ``skipped``, ``domain``,
        ``name``, ``hash`` (accounts keyed each way).
    counts_only : bool
    total : int
        Our accounts found on the partner's list.
    """

    counts: pd.DataFrame
    matched: pd.DataFrame
    sizes: pd.DataFrame
    counts_only: bool
    total: int
    notes: list[str] = field(default_factory=list)

    def count(self, ours: str, theirs: str) -> int:
        """Accounts matched between our population ``ours`` and their population ``theirs``.

        Examples
        --------
        >>> o = match(parse_accounts("acme.example"), parse_accounts("acme.example,prospect"), "sixteen chars or more")
        >>> o.count("customer", "prospect"), o.count("customer", "customer")
        (1, 0)
        """
        return int(self.counts.loc[pair_label(ours, theirs), "count"])


def pair_label(ours: str, theirs: str) -> str:
    """The overlap table's row label of a population pair.

    Examples
    --------
    >>> pair_label("customer", "prospect")
    'Our customers × their prospects'
    """
    return f"Our {ours}s × their {theirs}s"


def match(ours: AccountList, theirs: AccountList, secret: str, *, counts_only: bool = False) -> Overlap:
    """Match two account lists on keyed hashes only; count by population pair; name our matches.

    Each list is hashed with :func:`keyed_hash` (a hash file is used as it
    is); an account of ours matches when its hash is in the partner's list.
    The partner's names, if it gave any, are never used or returned.

    Parameters
    ----------
    ours, theirs : AccountList
        From :func:`parse_accounts`; either may be a hash file.
    secret : str
        The shared secret, 16 to 200 characters.
    counts_only : bool
        Only counts: no names in the result.

    Examples
    --------
    >>> s = "sixteen chars or more"
    >>> ours = parse_accounts("domain,population\\nacme.example,customer\\nbeta.example,prospect\\ngamma.example,customer")
    >>> theirs = parse_accounts("Website,Type\\nhttps://www.ACME.example/,prospect\\nbeta.example,customer\\nzeta.example,customer")
    >>> o = match(ours, theirs, s)
    >>> o.count("customer", "prospect"), o.count("prospect", "customer"), o.count("customer", "customer"), o.total
    (1, 1, 0, 2)
    >>> o.matched["account"].tolist()
    ['acme.example', 'beta.example']
    >>> match(ours, theirs, s, counts_only=True).matched.empty
    True
    """
    check_secret(secret)
    theirs_by_hash = {a.hashed(secret): a.population for a in theirs.accounts}
    rows = []
    counts = dict.fromkeys(PAIRS, 0)
    for a in ours.accounts:
        population = theirs_by_hash.get(a.hashed(secret))
        if population is None:
            continue
        counts[(a.population, population)] += 1
        rows.append((a.name, a.population, population))
    table = pd.DataFrame(
        {
            "ours": [p[0] for p in PAIRS],
            "theirs": [p[1] for p in PAIRS],
            "count": [counts[p] for p in PAIRS],
            "meaning": list(PAIRS.values()),
        },
        index=pd.Index([pair_label(*p) for p in PAIRS], name="pair"),
    )
    rank = {p: k for k, p in enumerate(PAIRS)}
    shown = [] if counts_only or ours.hashed else sorted(rows, key=lambda r: (rank[(r[1], r[2])], r[0].casefold()))
    matched = pd.DataFrame(shown, columns=["account", "ours", "theirs"])
    sizes = pd.DataFrame(
        [_sizes(ours), _sizes(theirs)],
        index=pd.Index(["Ours", "Partner's"], name="list"),
    )
    notes = []
    kinds_ours, kinds_theirs = ours.kinds(), theirs.kinds()
    if ours.accounts and theirs.accounts and not rows:
        if theirs.hashed or ours.hashed:
            notes.append(
                "No account matches: check that both sides used the same shared secret and the same kind of key "
                "(domains or names)."
            )
        elif not (kinds_ours["domain"] and kinds_theirs["domain"]) and not (
            kinds_ours["name"] and kinds_theirs["name"]
        ):
            notes.append(
                "No account matches, and the lists have no kind of key in common (one is keyed on domains, the "
                "other on names): give both lists domains, or both names."
            )
    return Overlap(
        counts=table,
        matched=matched,
        sizes=sizes,
        counts_only=bool(counts_only),
        total=len(rows),
        notes=notes,
    )


def _sizes(accounts: AccountList) -> dict:
    kinds = accounts.kinds()
    return {
        "accounts": len(accounts.accounts),
        "customers": accounts.count("customer"),
        "prospects": accounts.count("prospect"),
        "rows": accounts.rows,
        "duplicates": accounts.duplicates,
        "skipped": len(accounts.skipped),
        **kinds,
    }


# --------------------------------------------------------------------------- files to exchange or export
def csv_cell(value) -> str:
    """A CSV cell made safe for spreadsheets: text starting with = + - @ tab or CR gets a leading quote.

    Spreadsheet programs run a cell that starts with one of these as a
    formula (CSV or formula injection, OWASP); the quote makes it text. The
    value is written as text (None as an empty cell) and checked by
    :func:`coopkit.frameworks.safety.safe_cell`, which also catches a formula
    after leading white space.

    Examples
    --------
    >>> csv_cell('=HYPERLINK("http://x.example","click")'), csv_cell("-5"), csv_cell("Acme")
    ('\\'=HYPERLINK("http://x.example","click")', "'-5", 'Acme')
    """
    return safe_cell("" if value is None else str(value))


def _csv(header: list[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def hash_file(accounts: AccountList, secret: str) -> str:
    """The file to send the partner: ``hash,population``, one line per account, sorted by hash.

    Sorting by hash hides the order of the list (alphabetical, by size, by
    date won). The partner reads it back with :func:`parse_accounts`.

    Examples
    --------
    >>> text = hash_file(parse_accounts("acme.example\\nbeta.example,prospect"), "sixteen chars or more")
    >>> text.splitlines()[0], len(text.splitlines())
    ('hash,population', 3)
    >>> parse_accounts(text).hashed
    True
    """
    check_secret(secret)
    rows = sorted((a.hashed(secret), a.population) for a in accounts.accounts)
    return _csv(["hash", "population"], rows)


def matches_csv(overlap: Overlap) -> str:
    """The matched accounts (our names) as CSV, every cell protected against formula injection.

    Examples
    --------
    >>> s = "sixteen chars or more"
    >>> o = match(parse_accounts("=1+2"), parse_accounts("=1+2"), s)
    >>> matches_csv(o).splitlines()
    ['account,our_population,their_population', "'=1+2,customer,customer"]
    """
    return _csv(["account", "our_population", "their_population"], overlap.matched.itertuples(index=False))
