"""Tests for coopkit.ui.forms.read_upload and the file button: encodings, binary files, size and type checks."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from coopkit.errors import InputError
from coopkit.options.base import InputsModel
from coopkit.ui.forms import MAX_UPLOAD_BYTES, Form, read_upload

# Text as a spreadsheet exports it: letters, digits, separators, line breaks, and no control characters.
csv_text = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufeff") | st.sampled_from(";,\t\r\n"),
    max_size=200,
)
EXPORT = "Client;Ville;Montant\nCafé Müller;Zürich;1 250 €\n“Señor” Ltd;Málaga;300\n"


# --------------------------------------------------------------------------- known answers
def test_utf8_with_and_without_byte_order_mark():
    assert read_upload("a.csv", EXPORT.encode("utf-8")) == (EXPORT, "UTF-8")
    assert read_upload("a.csv", EXPORT.encode("utf-8-sig")) == (EXPORT, "UTF-8")  # the mark is dropped


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_a_byte_order_mark(bom, codec):
    # Excel's "Unicode text": UTF-16 little-endian with a byte-order mark (big-endian for completeness)
    assert read_upload("a.txt", bom + EXPORT.encode(codec)) == (EXPORT, "UTF-16")


def test_windows_1252_export_from_excel():
    # Excel's plain "CSV" on Western-European Windows: é, ü, €, typographic quotes in Windows-1252
    assert read_upload("a.csv", EXPORT.encode("cp1252")) == (EXPORT, "Windows-1252")


def test_latin1_text_reads_the_same_as_windows_1252():
    text = "Société Générale;Straße;Ærø\n"
    assert read_upload("a.csv", text.encode("latin-1")) == (text, "Windows-1252")


def test_extensions_are_compared_without_case_and_mime_types_skip_the_check():
    assert read_upload("DEALS.CSV", b"a;b\n") == ("a;b\n", "UTF-8")
    assert read_upload("export", b"a;b\n", accept="text/csv,.csv") == ("a;b\n", "UTF-8")


def test_an_empty_file_is_empty_text():
    assert read_upload("a.csv", b"") == ("", "UTF-8")


# --------------------------------------------------------------------------- refused files
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"[Content_Types].xml"


@pytest.mark.parametrize(
    "content",
    [
        PNG,
        XLSX,
        bytes(range(256)) * 4,  # every byte value, NULs included
        b"a;b\n\x00\x00\x00\x01;c\n",  # text with NUL bytes in it
        codecs.BOM_UTF16_LE + "a;b\n".encode("utf-16-le") + b"\x00",  # odd length: not UTF-16 after all
        codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le"),  # UTF-16 of a NUL
        b"a;b\n\x81\x8d\n",  # bytes that are neither UTF-8 nor Windows-1252
        b"a;b\x1b[31m;c\n",  # an escape sequence
    ],
    ids=["png", "xlsx", "all-bytes", "nul", "odd-utf16", "utf16-nul", "undefined-1252", "escape"],
)
def test_binary_data_is_refused_naming_the_encodings_tried(content):
    with pytest.raises(InputError, match=r"^x\.csv is not a UTF-8 text file \(nor UTF-16 or Windows-1252 text\)"):
        read_upload("x.csv", content)


def test_a_file_over_the_limit_is_refused_naming_the_limit():
    fifty_mb = b"a;b\n" * 12_500_000
    with pytest.raises(InputError, match=r"^big\.csv is 50,000,000 bytes; files of at most 2,000,000 bytes"):
        read_upload("big.csv", fifty_mb)
    assert read_upload("edge.csv", b"x" * MAX_UPLOAD_BYTES)[1] == "UTF-8"  # the limit itself is allowed


def test_a_file_of_another_type_is_refused_naming_the_types():
    with pytest.raises(InputError, match=r"^logo\.png is not a UTF-8 text file: only \.csv or \.txt files can be"):
        read_upload("logo.png", b"a;b\n")
    with pytest.raises(InputError, match=r"only \.json files can be loaded"):
        read_upload("case.csv", b"{}", accept=".json")


# --------------------------------------------------------------------------- properties
@given(csv_text)
def test_utf8_text_round_trips(text):
    assert read_upload("a.csv", text.encode("utf-8")) == (text, "UTF-8")


@given(csv_text)
def test_utf16_text_round_trips(text):
    assert read_upload("a.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "UTF-16")


@given(st.binary(min_size=1, max_size=300).map(lambda b: b + b"\x00"))
def test_bytes_with_a_nul_are_never_text(content):
    with pytest.raises(InputError, match="is not a UTF-8 text file"):
        read_upload("a.csv", content)


@given(csv_text.filter(lambda t: _cp1252(t) is not None))
def test_whatever_is_read_is_text_without_control_characters(text):
    decoded, encoding = read_upload("a.csv", _cp1252(text))
    assert encoding in {"UTF-8", "Windows-1252"}
    assert not any(c in decoded for c in "\x00\x01\x1b\x7f")
    if encoding == "Windows-1252":
        assert decoded == text


def _cp1252(text: str) -> bytes | None:
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return None


# --------------------------------------------------------------------------- the file button of a form
def _form():
    class Lists(InputsModel):
        accounts: str = Field("", title="Accounts", description="One per line.", json_schema_extra={"widget": "upload"})

    form = Form(Lists, {}, lambda: None)
    return form._top["accounts"]


def _load(leaf, name: str, content: bytes) -> None:
    leaf.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime.now(dt.UTC),
        },
    )


def test_a_windows_1252_file_is_loaded_with_a_note_that_a_utf8_file_clears():
    leaf = _form()
    _load(leaf, "clients.csv", EXPORT.encode("cp1252"))
    assert leaf.box.value == EXPORT
    assert leaf.upload_note.layout.display == ""
    assert "clients.csv is not UTF-8, so it was read as Windows-1252" in leaf.upload_note.value
    assert leaf.upload.value == ()  # the bytes are not kept, and the same file can be chosen again
    _load(leaf, "clients.csv", EXPORT.encode("utf-8"))
    assert leaf.box.value == EXPORT
    assert leaf.upload_note.layout.display == "none"
    assert leaf.upload_note.value == ""


def test_a_utf16_file_is_loaded_without_a_note():
    leaf = _form()
    _load(leaf, "clients.txt", codecs.BOM_UTF16_LE + EXPORT.encode("utf-16-le"))
    assert leaf.box.value == EXPORT
    assert leaf.upload_note.layout.display == "none"


def test_a_refused_file_keeps_the_text_and_the_button_works_again():
    leaf = _form()
    leaf.box.value = "kept.com"
    _load(leaf, "photo.csv", PNG)
    assert leaf.box.value == "kept.com"
    assert leaf.error.layout.display == ""
    assert "photo.csv is not a UTF-8 text file (nor UTF-16 or Windows-1252 text)" in leaf.error.value
    assert leaf.upload.value == ()
    _load(leaf, "good.csv", b"acme.com\n")
    assert leaf.box.value == "acme.com\n"


def test_messages_are_escaped():
    leaf = _form()
    _load(leaf, "<img src=x onerror=alert(1)>.csv", PNG)
    assert "<img" not in leaf.error.value
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in leaf.error.value
    _load(leaf, "<b>x</b>.csv", "é".encode("cp1252"))
    assert "<b>" not in leaf.upload_note.value


def test_a_good_file_after_a_refused_one_clears_the_refusal_even_when_the_text_is_unchanged():
    leaf = _form()
    _load(leaf, "good.csv", b"acme.com\n")
    _load(leaf, "photo.csv", PNG)
    assert leaf.error.layout.display == ""
    _load(leaf, "good.csv", b"acme.com\n")  # the same text: the box does not change
    assert leaf.box.value == "acme.com\n"
    assert leaf.error.layout.display == "none"
