"""``coopkit cases``, ``coopkit export`` and ``coopkit import`` on a throw-away workspace."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from coopkit import cli
from coopkit.store import cases as cases_module
from coopkit.store.casefile import read_case, sample_case
from coopkit.store.cases import CaseStore

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    monkeypatch.setenv("COOPKIT_WORKSPACE", str(folder))
    monkeypatch.delenv("COOPKIT_DATABASE_URL", raising=False)
    monkeypatch.setattr(cases_module, "_stores", {})
    return folder


def store_of(folder: Path) -> CaseStore:
    return cases_module.open_store(f"sqlite:///{folder / 'cases.sqlite'}")


def test_import_then_list_then_export_every_kind(workspace, tmp_path, capsys):
    assert cli.main(["import", str(sample_case("win_win_two_party.json"))]) == 0
    case_id = capsys.readouterr().out.split()[0]
    assert cli.main(["cases"]) == 0
    listing = capsys.readouterr().out
    assert case_id in listing and "win-win" in listing and "r1" in listing

    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["export", case_id, "--html", "--xlsx", "--json", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert [Path(n).suffix for n in names] == [".html", ".json", ".xlsx"]
    assert all(p.parent == out for p in out.iterdir())
    brief = next(out.glob("*.html")).read_text()
    assert "win-win" in brief.lower()
    book = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    assert "Summary" in book.sheetnames
    exported = json.loads(next(out.glob("*.json")).read_text())
    assert exported["schema_version"] == 2 and len(exported["revisions"]) == 1


def test_export_never_overwrites_without_force(workspace, tmp_path, capsys):
    cli.main(["import", str(sample_case("win_win_two_party.json"))])
    case_id = capsys.readouterr().out.split()[0]
    assert cli.main(["export", case_id, "--html", "--out", str(tmp_path)]) == 0
    written = Path(capsys.readouterr().out.strip())
    written.write_text("the analyst's own edits")
    assert cli.main(["export", case_id, "--html", "--out", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert written.read_text() == "the analyst's own edits"
    assert cli.main(["export", case_id, "--html", "--out", str(tmp_path), "--force"]) == 0
    assert written.read_text() != "the analyst's own edits"


def test_a_hostile_title_cannot_choose_where_files_go(workspace, tmp_path, capsys):
    inputs = read_case(sample_case("win_win_two_party.json")).inputs
    saved = store_of(workspace).create("win_win_check", inputs, title="../../../etc/cron.d/evil " + HOSTILE)
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["export", saved.case_id, "--out", str(out)]) == 0
    files = list(out.iterdir())
    assert len(files) == 2 and all(f.parent == out and not f.name.startswith(".") for f in files)
    assert not (tmp_path / "etc").exists()
    brief = next(out.glob("*.html")).read_text()
    assert HOSTILE not in brief and "&lt;script&gt;" in brief


def test_listing_strips_terminal_control_characters(workspace, capsys):
    store_of(workspace).create("win_win_check", {}, title="Plan \x1b[2J\x1b]0;pwned\x07 B")
    assert cli.main(["cases"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Plan ?[2J?]0;pwned? B" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "nothex"], "case id must be 16 hexadecimal digits"),
        (["export", "0123456789abcdef"], "case must be a saved case"),
        (["import", "/no/such/file.json"], "case file must be an existing file"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(workspace, capsys, argv, message):
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_tampered_file_is_refused_and_changes_nothing(workspace, tmp_path, capsys):
    cli.main(["import", str(sample_case("win_win_two_party.json"))])
    case_id = capsys.readouterr().out.split()[0]
    cli.main(["export", case_id, "--json", "--out", str(tmp_path)])
    path = Path(capsys.readouterr().out.strip())
    path.write_text(path.read_text().replace("Alder Roasters", "Alder Roasterz"))
    assert cli.main(["import", str(path)]) == 2
    assert "checksum must match" in capsys.readouterr().err
    assert len(store_of(workspace)) == 1


def test_serve_workspace_is_created_and_passed_to_voila(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(cli.os, "execv", lambda *a: calls.append(a))
    monkeypatch.delenv("COOPKIT_WORKSPACE", raising=False)
    folder = tmp_path / "team" / "cases"
    assert cli.main(["serve", "--workspace", str(folder), "--no-preheat"]) == 0
    assert folder.is_dir() and calls
    assert cli.os.environ["COOPKIT_WORKSPACE"] == str(folder.resolve())
