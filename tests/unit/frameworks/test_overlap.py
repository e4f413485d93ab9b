"""Tests for coopkit.frameworks.overlap: normalising, keyed hashing, parsing customer lists and matching them."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import overlap
from coopkit.frameworks.overlap import (
    MIN_SECRET,
    PAIRS,
    account_key,
    check_secret,
    csv_cell,
    hash_file,
    keyed_hash,
    match,
    matches_csv,
    new_secret,
    normalise_domain,
    normalise_name,
    parse_accounts,
)

SECRET = "test-secret-4f9a-otter-plum"
OTHER_SECRET = "another-secret-77c1-heron-fig"
HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def counts(o) -> dict:
    return {(r.ours, r.theirs): int(r.count) for r in o.counts.itertuples()}


# --------------------------------------------------------------------------- normalising domains
@pytest.mark.parametrize(
    "value",
    [
        "acme.example",
        "ACME.EXAMPLE",
        "  acme.example  ",
        "\tacme.example\r",
        "www.acme.example",
        "WWW.Acme.Example",
        "www2.acme.example",
        "https://www.acme.example/",
        "http://acme.example/contact?x=1#top",
        "HTTPS://ACME.EXAMPLE:443/path/",
        "acme.example.",
        "acme.example:8080",
        "sales@acme.example",
        "mailto:Sales@ACME.example",
        "ftp://user:pw@acme.example/file",
        "ａｃｍｅ.example",  # full-width letters (NFKC)
    ],
)
def test_domain_spellings_of_one_company_are_one_key(value):
    assert normalise_domain(value) == "acme.example"


def test_international_domains_meet_their_ascii_form():
    assert normalise_domain("https://www.Bücher.example/shop") == "xn--bcher-kva.example"
    assert normalise_domain("xn--bcher-kva.example") == "xn--bcher-kva.example"


@pytest.mark.parametrize(
    "value",
    ["", "   ", "Acme", "Acme Inc.", "n/a", "localhost", "1.2.3.4", "a..b.example", "-x.example", "x_y.example"],
)
def test_values_that_are_not_domains(value):
    assert normalise_domain(value) is None


def test_subdomains_other_than_www_are_kept():
    assert normalise_domain("shop.acme.example") == "shop.acme.example"


# --------------------------------------------------------------------------- normalising names
@pytest.mark.parametrize(
    "value",
    [
        "Acme",
        "ACME",
        "  acme ",
        "Acme Inc",
        "Acme, Inc.",
        "Acme Inc.",
        "ACME LTD",
        "Acme Limited",
        "Acme GmbH",
        "Acme S.A.",
        "Acme B.V.",
        "The Acme Company",
        "Acme Corp.",
        "Acme Pty Ltd",
        "Acme GmbH & Co. KG",
        "\ufeffAcme",
        '"Acme"',
    ],
)
def test_name_spellings_of_one_company_are_one_key(value):
    assert normalise_name(value) == "acme"


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Müller & Söhne", "muller and sohne"),
        ("Muller and Sohne", "muller and sohne"),
        ("Fjord & Pine Architects, LLP", "fjord and pine architects"),
        ("O'Brien's   Pub", "o brien s pub"),
        ("İstanbul Kebab", "istanbul kebab"),
        ("3M", "3m"),
        ("Co", None),
        ("Inc.", None),
        ("---", None),
        ("", None),
    ],
)
def test_name_keys(value, key):
    assert normalise_name(value) == key


def test_a_legal_form_alone_is_kept_when_it_is_the_whole_name_with_others():
    # "Company Shop" is a name that happens to start with a legal-form word: only trailing forms go
    assert normalise_name("Company Shop") == "company shop"


def test_account_key_prefers_the_domain_and_separates_kinds():
    assert account_key("www.acme.example", "Acme Inc") == "domain:acme.example"
    assert account_key("www.acme.example", "Acme Inc", prefer="name") == "name:acme"
    assert account_key("not a domain", "Acme") == "name:acme"
    assert account_key(None, None) is None
    assert account_key("acme.example") != account_key(None, "acme.example")


@given(st.text(max_size=60))
def test_name_normalisation_is_idempotent(text):
    once = normalise_name(text)
    assume(once is not None)
    assert normalise_name(once) == once


labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
domains = (
    st.tuples(labels, st.sampled_from(["example", "test", "co.example"]))
    .map(lambda t: f"{t[0]}.{t[1]}")
    .filter(lambda d: not d.startswith("www"))
)


@given(
    domains,
    st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    st.booleans(),
    st.sampled_from(["", "/", "/contact", "/a/b?c=d#e", ":8080/"]),
    st.sampled_from(["", " ", "\t", "  "]),
    st.booleans(),
)
def test_decorated_domains_normalise_to_the_domain(domain, scheme, www, path, space, upper):
    value = f"{space}{scheme}{'www.' if www else ''}{domain}{path}{space}"
    assert normalise_domain(value.upper() if upper else value) == domain
    assert normalise_domain(domain) == domain


# --------------------------------------------------------------------------- the secret and the hash
def test_keyed_hash_is_hmac_sha256_of_the_key_under_the_secret():
    key = "domain:acme.example"
    expected = hmac.new(SECRET.encode(), key.encode(), hashlib.sha256).hexdigest()
    assert keyed_hash(key, SECRET) == expected
    # a fixed value, so a change of algorithm or encoding is caught
    assert keyed_hash("name:acme", "0123456789abcdef") == (
        hmac.new(b"0123456789abcdef", b"name:acme", hashlib.sha256).hexdigest()
    )
    assert keyed_hash(key, SECRET) != hashlib.sha256(key.encode()).hexdigest()


def test_keyed_hash_depends_on_the_secret_and_the_key():
    assert keyed_hash("name:acme", SECRET) != keyed_hash("name:acme", OTHER_SECRET)
    assert keyed_hash("name:acme", SECRET) != keyed_hash("domain:acme", SECRET)


@pytest.mark.parametrize("secret", ["", "Zq9!kw", "x" * (MIN_SECRET - 1)])
def test_short_secrets_are_refused_without_repeating_them(secret):
    with pytest.raises(InputError, match=r"^shared secret must be at least 16 characters long") as err:
        check_secret(secret)
    assert f"got {len(secret)} characters" in str(err.value)
    if secret:
        assert secret not in str(err.value)


def test_long_and_repetitive_secrets_are_refused():
    with pytest.raises(InputError, match=r"at most 200 characters long, got 201 characters$"):
        check_secret("ab" * 100 + "c")
    with pytest.raises(InputError, match=r"must not repeat a few characters") as err:
        check_secret("abababababababab")
    assert "abab" not in str(err.value)


def test_keyed_hash_checks_the_secret():
    with pytest.raises(InputError, match="at least 16 characters"):
        keyed_hash("name:acme", "tiny")


def test_new_secrets_are_long_random_and_accepted():
    secrets_made = {new_secret() for _ in range(20)}
    assert len(secrets_made) == 20
    assert all(check_secret(s) == s and len(s) >= 32 for s in secrets_made)


def test_secret_field_name_in_messages():
    with pytest.raises(InputError, match=r"^Shared secret must be at least"):
        check_secret("abc", "Shared secret")


# --------------------------------------------------------------------------- parsing lists
MESSY_OURS = (
    "\ufeffCompany,Website,Status\r\n"
    '"Acme, Inc.",https://WWW.Acme.example/,Customer\r\n'
    "\r\n"
    "Beta Ltd,  beta.example  ,prospect\r\n"
    "ACME INC,acme.example.,customer\r\n"
    '"=HYPERLINK(""http://evil.example"",""click"")",,Customer\r\n'
    f"{HOSTILE},,customer\r\n"
    "---,,customer\r\n"
    "Gamma GmbH,,\r\n"
)


def test_parsing_a_messy_csv():
    accounts = parse_accounts(MESSY_OURS, "Our accounts")
    rows = [(a.name, a.key, a.population, a.line) for a in accounts.accounts]
    assert rows == [
        ("Acme, Inc.", "domain:acme.example", "customer", 2),
        ("Beta Ltd", "domain:beta.example", "prospect", 4),
        (FORMULA, "name:hyperlink http evilexample click", "customer", 6),
        (HOSTILE, "name:img src x onerror alert 1", "customer", 7),
        ("Gamma GmbH", "name:gamma", "customer", 9),
    ]
    assert accounts.rows == 7  # the blank line is not a row; "---" is a row without a usable key
    assert accounts.duplicates == 1
    assert accounts.skipped == (8,)
    assert not accounts.hashed
    assert (accounts.count("customer"), accounts.count("prospect")) == (4, 1)
    assert accounts.kinds() == {"domain": 2, "name": 3, "hash": 0}


def test_one_account_per_line_keeps_what_was_written():
    text = f'{FORMULA}\nacme.example\n\n   \n  WWW.ACME.example  \nBeta Ltd,prospect\n"Gamma, Inc."\nDelta, Inc.\n'
    accounts = parse_accounts(text)
    assert [(a.name, a.key, a.population, a.line) for a in accounts.accounts] == [
        (FORMULA, "name:hyperlink http evilexample click", "customer", 1),
        ("acme.example", "domain:acme.example", "customer", 2),
        ("Beta Ltd", "name:beta", "prospect", 6),
        ("Gamma, Inc.", "name:gamma", "customer", 7),
        ("Delta, Inc.", "name:delta", "customer", 8),
    ]
    assert accounts.duplicates == 1


def test_semicolons_and_tabs_separate_fields():
    semi = parse_accounts("Name;Domain;Type\nAcme GmbH;acme.example;Lead\nBeta;;\n")
    tabs = parse_accounts("name\tdomain\ttype\nAcme GmbH\tacme.example\tlead\nBeta\t\t\n")
    for accounts in (semi, tabs):
        assert [(a.key, a.population) for a in accounts.accounts] == [
            ("domain:acme.example", "prospect"),
            ("name:beta", "customer"),
        ]


def test_a_customer_listed_twice_as_prospect_and_customer_is_a_customer():
    accounts = parse_accounts("acme.example,prospect\nwww.acme.example,customer\n")
    assert [(a.key, a.population, a.line) for a in accounts.accounts] == [("domain:acme.example", "customer", 1)]
    assert accounts.duplicates == 1


def test_population_words():
    text = "domain,type\na.example,Clients\nb.example,LEAD\nc.example,opportunity\nd.example,\ne.example,  Prospects "
    accounts = parse_accounts(text)
    assert [a.population for a in accounts.accounts] == ["customer", "prospect", "prospect", "customer", "prospect"]


def test_an_unknown_population_names_the_field_and_line():
    with pytest.raises(InputError, match=r"^Our accounts, line 3: population must be customer or prospect, got 'x'$"):
        parse_accounts("domain,population\na.example,customer\nb.example,x\n", "Our accounts")
    with pytest.raises(InputError, match=r"^Our accounts, line 2: population must be customer or prospect"):
        parse_accounts("a.example\nb.example,partner\n", "Our accounts")


def test_a_list_that_is_too_long():
    text = "\n".join(f"a{k}.example" for k in range(11))
    with pytest.raises(InputError, match=r"^Our accounts must list at most 10 accounts, got 11$"):
        parse_accounts(text, "Our accounts", max_accounts=10)
    assert len(parse_accounts(text, max_accounts=11).accounts) == 11


def test_unreadable_csv_names_the_line():
    with pytest.raises(InputError, match=r"^Our accounts, line \d+: not readable as CSV"):
        parse_accounts('domain,population\na.example,customer\n"b.example' + "x" * 200_000, "Our accounts")


def test_empty_lists():
    for text in ("", "   \n\n", "\ufeff"):
        accounts = parse_accounts(text)
        assert accounts.accounts == () and accounts.rows == 0
    assert parse_accounts("domain,population\n").accounts == ()


def test_not_text():
    with pytest.raises(InputError, match="accounts must be text"):
        parse_accounts(b"acme.example")  # type: ignore[arg-type]


def test_long_names_are_cut_for_display():
    accounts = parse_accounts("A" * 500)
    assert len(accounts.accounts[0].name) == overlap.MAX_SHOWN


def test_prefer_names():
    text = "company,domain\nAcme Inc,acme.example\n"
    assert parse_accounts(text, prefer="name").accounts[0].key == "name:acme"
    assert parse_accounts(text).accounts[0].key == "domain:acme.example"


# --------------------------------------------------------------------------- hash files
def test_hash_file_holds_only_sorted_hashes_and_populations():
    accounts = parse_accounts(MESSY_OURS)
    text = hash_file(accounts, SECRET)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["hash", "population"]
    assert len(rows) == 1 + len(accounts.accounts)
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert all(len(r[0]) == 64 for r in rows[1:])
    for a in accounts.accounts:
        assert a.name.lower() not in text.lower()
    back = parse_accounts(text)
    assert back.hashed and all(a.name is None and a.key is None for a in back.accounts)
    assert sorted(a.population for a in back.accounts) == sorted(a.population for a in accounts.accounts)


def test_a_malformed_hash_is_refused():
    with pytest.raises(InputError, match=r"^Partner's accounts, line 2: a hash must be 64 hexadecimal digits"):
        parse_accounts("hash,population\nnot-a-hash,customer\n", "Partner's accounts")


def test_a_hash_file_matches_like_the_list_it_came_from():
    ours, theirs = parse_accounts(MESSY_OURS), parse_accounts(PARTNER)
    direct = match(ours, theirs, SECRET)
    via_file = match(ours, parse_accounts(hash_file(theirs, SECRET)), SECRET)
    assert counts(via_file) == counts(direct)
    assert via_file.matched.equals(direct.matched)


def test_a_hash_file_made_with_another_secret_matches_nothing():
    ours, theirs = parse_accounts(MESSY_OURS), parse_accounts(PARTNER)
    o = match(ours, parse_accounts(hash_file(theirs, OTHER_SECRET)), SECRET)
    assert o.total == 0
    assert "same shared secret" in o.notes[0]


# --------------------------------------------------------------------------- matching
PARTNER = (
    "Website,Type\n"
    "http://acme.example/contact,Prospect\n"
    "BETA.EXAMPLE,Customer\n"
    "zeta.example,customer\n"
    "Company,customer\n"
)


def test_match_counts_by_population_pair_and_names_ours_only():
    theirs_names = parse_accounts(
        f'company,type\nACME CORPORATION,prospect\n"{HOSTILE}",customer\nGamma,prospect\n', prefer="name"
    )
    o = match(parse_accounts(MESSY_OURS, prefer="name"), theirs_names, SECRET)
    assert counts(o) == {
        ("customer", "customer"): 1,
        ("customer", "prospect"): 2,
        ("prospect", "customer"): 0,
        ("prospect", "prospect"): 0,
    }
    assert o.total == 3
    assert o.matched.to_dict("records") == [
        {"account": HOSTILE, "ours": "customer", "theirs": "customer"},
        {"account": "Acme, Inc.", "ours": "customer", "theirs": "prospect"},
        {"account": "Gamma GmbH", "ours": "customer", "theirs": "prospect"},
    ]
    assert "ACME CORPORATION" not in o.matched.to_string()


def test_lists_keyed_differently_get_a_note():
    # keyed on domains (ours) against names (theirs): nothing in common, and the note says why
    none = match(parse_accounts("domain\na.example\nb.example\n"), parse_accounts("company\nZeta\n"), SECRET)
    assert none.total == 0 and "no kind of key in common" in none.notes[0]


def test_match_table_shape_and_sizes():
    o = match(parse_accounts(MESSY_OURS), parse_accounts(PARTNER), SECRET)
    assert list(o.counts.index) == [
        "Our customers × their customers",
        "Our customers × their prospects",
        "Our prospects × their customers",
        "Our prospects × their prospects",
    ]
    assert list(o.counts.columns) == ["ours", "theirs", "count", "meaning"]
    assert list(o.counts["meaning"]) == list(PAIRS.values())
    assert counts(o)[("customer", "prospect")] == 1 and counts(o)[("prospect", "customer")] == 1
    assert o.count("customer", "prospect") == 1
    assert o.sizes.loc["Ours", "accounts"] == 5 and o.sizes.loc["Partner's", "accounts"] == 3
    assert o.sizes.loc["Ours", "duplicates"] == 1 and o.sizes.loc["Ours", "skipped"] == 1
    assert o.sizes.loc["Partner's", "skipped"] == 1  # "Company" alone is a legal form, no name


def test_counts_only_shows_no_names():
    o = match(parse_accounts(MESSY_OURS), parse_accounts(PARTNER), SECRET, counts_only=True)
    assert o.counts_only and o.matched.empty and o.total == 2
    assert matches_csv(o) == "account,our_population,their_population\n"


def test_an_empty_list_matches_nothing_without_a_note():
    o = match(parse_accounts(""), parse_accounts(PARTNER), SECRET)
    assert o.total == 0 and o.notes == [] and o.matched.empty


def test_matching_checks_the_secret():
    with pytest.raises(InputError, match="at least 16 characters"):
        match(parse_accounts("a.example"), parse_accounts("a.example"), "short")


# --------------------------------------------------------------------------- spreadsheet safety
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_cells_are_quoted(start):
    assert csv_cell(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", [" =after a space", "\n+1", " \t@SUM(A1)"])
def test_formulas_after_leading_white_space_are_quoted(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Acme", "", "not =first", "1,000", "'quoted"])
def test_other_cells_are_unchanged(value):
    assert csv_cell(value) == value


def test_matched_accounts_export_never_holds_a_live_formula():
    text = f"{FORMULA}\n-2+3,prospect\n@SUM(A1)\n{HOSTILE}\n"
    o = match(parse_accounts(text), parse_accounts(text), SECRET)
    rows = list(csv.reader(io.StringIO(matches_csv(o))))
    assert rows[0] == ["account", "our_population", "their_population"]
    accounts = [r[0] for r in rows[1:]]
    assert sorted(accounts) == sorted(["'" + FORMULA, "'@SUM(A1)", HOSTILE, "'-2+3"])
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@given(st.text(max_size=30))
def test_csv_cell_never_starts_with_a_formula_character(text):
    out = csv_cell(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out in (text, "'" + text)


# --------------------------------------------------------------------------- properties of matching
populations = st.sampled_from(["customer", "prospect"])
account_lists = st.dictionaries(domains, populations, max_size=12)


def as_text(accounts: dict, *, decorate: bool = False) -> str:
    lines = ["domain,population"]
    for domain, population in accounts.items():
        shown = f"  https://WWW.{domain.upper()}/x  " if decorate else domain
        lines.append(f"{shown},{population}")
    return "\n".join(lines) + "\n"


@given(account_lists, account_lists)
def test_matching_is_symmetric(a, b):
    ab = match(parse_accounts(as_text(a)), parse_accounts(as_text(b)), SECRET)
    ba = match(parse_accounts(as_text(b)), parse_accounts(as_text(a)), SECRET)
    assert counts(ab) == {(t, o): v for (o, t), v in counts(ba).items()}
    assert ab.total == ba.total == len(set(a) & set(b)) <= min(len(a), len(b))


@given(account_lists, account_lists)
def test_matches_are_the_common_accounts_by_population(a, b):
    o = match(parse_accounts(as_text(a)), parse_accounts(as_text(b)), SECRET)
    for (ours, theirs), n in counts(o).items():
        assert n == sum(1 for d in set(a) & set(b) if a[d] == ours and b[d] == theirs)
    assert sorted(o.matched["account"]) == sorted(set(a) & set(b))


@given(account_lists, account_lists)
def test_formatting_does_not_change_the_matches(a, b):
    plain = match(parse_accounts(as_text(a)), parse_accounts(as_text(b)), SECRET)
    messy = match(parse_accounts(as_text(a)), parse_accounts(as_text(b, decorate=True)), SECRET)
    assert counts(plain) == counts(messy)


@given(account_lists, account_lists)
def test_hash_files_give_the_same_counts_either_way(a, b):
    ours, theirs = parse_accounts(as_text(a)), parse_accounts(as_text(b))
    direct = counts(match(ours, theirs, SECRET))
    assert counts(match(ours, parse_accounts(hash_file(theirs, SECRET)), SECRET)) == direct
    assert counts(match(parse_accounts(hash_file(ours, SECRET)), theirs, SECRET)) == direct


@given(account_lists)
def test_without_the_shared_secret_nothing_matches(a):
    ours = parse_accounts(as_text(a))
    guessed = parse_accounts(hash_file(ours, OTHER_SECRET))
    assert match(ours, guessed, SECRET).total == 0
