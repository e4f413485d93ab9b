"""Tests for coopkit.store.casefile: reading case files without trusting them."""

from __future__ import annotations

import json

import pytest

from coopkit.errors import InputError
from coopkit.paths import data_dir
from coopkit.store.casefile import MAX_BYTES, SCHEMA_VERSION, Case, parse_case, read_case, sample_case

SAMPLES = data_dir() / "samples"


def text(**fields) -> str:
    raw = {"schema_version": 1, "worksheet": "win_win_check", "inputs": {"currency": "EUR"}}
    raw.update(fields)
    return json.dumps({k: v for k, v in raw.items() if v is not ...})


# --------------------------------------------------------------------------- parse_case
def test_parse_a_full_case():
    case = parse_case(text(title="Deal", notes="Some notes", owner="me"))
    assert case == Case(
        worksheet="win_win_check",
        inputs={"currency": "EUR"},
        title="Deal",
        notes="Some notes",
        schema_version=1,
        extra={"owner": "me"},
    )


def test_title_notes_and_version_are_optional():
    case = parse_case('{"worksheet": "w", "inputs": {}}')
    assert (case.title, case.notes, case.schema_version, case.extra) == ("", "", SCHEMA_VERSION, {})


def test_bytes_are_accepted():
    assert parse_case(text().encode("utf-8")).worksheet == "win_win_check"


def test_non_ascii_text_survives():
    case = parse_case(text(title="Café Zürich – ☕"))
    assert case.title == "Café Zürich – ☕"


def test_inputs_are_kept_raw_not_validated():
    # parse_case checks the file's shape; the worksheet checks the inputs
    assert parse_case(text(inputs={"parties": "nonsense"})).inputs == {"parties": "nonsense"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{", r"^case file must be valid JSON, got 'Expecting property name enclosed in double quotes'$"),
        ("", r"^case file must be valid JSON, got 'Expecting value'$"),
        ('{"worksheet": "w", "inputs": {}', r"^case file must be valid JSON, got "),
        (b"\xff\xfe\x00{", r"^case file must be valid JSON, got "),
        (b'{"title": "\xe9"}', r"^case file must be valid JSON, got "),  # Latin-1, not UTF-8
    ],
)
def test_bad_json(raw, message):
    with pytest.raises(InputError, match=message):
        parse_case(raw)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("[1, 2]", "list"), ("null", "NoneType"), ('"text"', "str"), ("3", "int"), ("NaN", "float")],
)
def test_not_an_object(raw, kind):
    with pytest.raises(
        InputError, match=rf'^case file must be a JSON object with "worksheet" and "inputs", got \'{kind}\'$'
    ):
        parse_case(raw)


@pytest.mark.parametrize("version", [0, 2, "1", None])
def test_wrong_schema_version(version):
    with pytest.raises(
        InputError, match=r"^case file: schema_version must be 1 \(this coopkit reads version 1\), got "
    ):
        parse_case(text(schema_version=version))


@pytest.mark.parametrize(
    ("worksheet", "shown"), [(..., "None"), ("", "''"), (3, "3"), (["win_win_check"], r"\['win_win_check'\]")]
)
def test_missing_or_bad_worksheet(worksheet, shown):
    with pytest.raises(InputError, match=rf"^case file: worksheet must name a worksheet, got {shown}$"):
        parse_case(text(worksheet=worksheet))


@pytest.mark.parametrize(("inputs", "kind"), [(..., "NoneType"), ([], "list"), ("x", "str"), (None, "NoneType")])
def test_missing_or_bad_inputs(inputs, kind):
    with pytest.raises(InputError, match=rf"^case file: inputs must be a JSON object, got '{kind}'$"):
        parse_case(text(inputs=inputs))


def test_title_of_200_characters_is_fine_201_is_not():
    assert parse_case(text(title="t" * 200)).title == "t" * 200
    with pytest.raises(InputError, match=r"^case file: title must be text of at most 200 characters, got 'tttt"):
        parse_case(text(title="t" * 201))


def test_title_must_be_text():
    with pytest.raises(InputError, match=r"^case file: title must be text of at most 200 characters, got 5$"):
        parse_case(text(title=5))


def test_notes_of_20000_characters_are_fine_20001_are_not():
    assert len(parse_case(text(notes="n" * 20_000)).notes) == 20_000
    with pytest.raises(
        InputError, match=r"^case file: notes must be text of at most 20,000 characters, got '20001 characters'$"
    ):
        parse_case(text(notes="n" * 20_001))


def test_notes_must_be_text():
    with pytest.raises(InputError, match=r"^case file: notes must be text of at most 20,000 characters"):
        parse_case(text(notes=["a list"]))


def test_text_over_the_size_limit_is_refused_before_parsing():
    big = "x" * (MAX_BYTES + 1)  # not even JSON: the size check comes first
    with pytest.raises(InputError, match=r"^case file must be at most 1,000,000 bytes, got '1,000,001 bytes'$"):
        parse_case(big)


def test_source_names_the_file_in_messages():
    with pytest.raises(InputError, match=r"^deal\.json: inputs must be a JSON object"):
        parse_case(text(inputs=[]), source="deal.json")


# --------------------------------------------------------------------------- read_case
def test_read_the_sample():
    case = read_case(SAMPLES / "win_win_two_party.json")
    assert case.worksheet == "win_win_check"
    assert case.title.startswith("Two roasters")
    assert [p["name"] for p in case.inputs["parties"]] == ["Alder Roasters", "Birch & Bean"]


def test_read_accepts_a_str_path(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(text(), encoding="utf-8")
    assert read_case(str(path)).worksheet == "win_win_check"


def test_read_a_missing_file(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(InputError, match=r"^case file must be an existing file, got '.*nope\.json'$"):
        read_case(missing)


def test_read_a_folder(tmp_path):
    with pytest.raises(InputError, match=r"^case file must be an existing file"):
        read_case(tmp_path)


def test_read_errors_name_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"^broken\.json must be valid JSON"):
        read_case(path)


def test_read_a_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(InputError, match=r"must be at most 1,000,000 bytes, got '1,000,001 bytes'$"):
        read_case(path)


def test_read_a_file_at_the_size_limit(tmp_path):
    body = text()
    path = tmp_path / "padded.json"
    path.write_text(body + " " * (MAX_BYTES - len(body)), encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES
    assert read_case(path).worksheet == "win_win_check"


# --------------------------------------------------------------------------- sample_case
def test_sample_case_is_inside_data_samples():
    path = sample_case("win_win_two_party.json")
    assert path == (SAMPLES / "win_win_two_party.json").resolve()
    assert path.is_file()


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "../README.md",
        "../../pyproject.toml",
        "samples/../../x",
        "./../x",
        "sub/x.json",
        "x/..",
        "..",
        ".",
        "",
        "/etc/passwd",
        str(SAMPLES.parent / "README.md"),
    ],
)
def test_sample_case_cannot_leave_data_samples(name):
    with pytest.raises(InputError, match=r"^sample file must be a file name inside data/samples, got "):
        sample_case(name)


def test_sample_case_with_a_nul_byte_is_refused():
    # Path.resolve() refuses it with a plain ValueError (not an InputError); either way no path comes back
    with pytest.raises(ValueError, match="null byte"):
        sample_case("win_win_two_party.json\x00../../x")
