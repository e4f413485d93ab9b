"""Tests for coopkit.cli: ``coopkit assess``, ``coopkit worksheets`` and the Voila command line.

No test starts a server: ``serve_command`` only builds the command, and the
``serve`` checks are run with ``os.execv`` replaced by a recorder.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from coopkit import cli, options
from coopkit.errors import InputError
from coopkit.store.casefile import sample_case


def write_case(tmp_path: Path, inputs: dict, *, name: str = "case.json", **fields) -> Path:
    raw = {"schema_version": 1, "worksheet": "win_win_check", "inputs": inputs, **fields}
    path = tmp_path / name
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def two_parties(d_a: float, d_b: float, value: float, **extra) -> dict:
    return {
        "parties": [
            {"name": "Alpha", "standalone_payoff": {"likely": d_a}},
            {"name": "Beta", "standalone_payoff": {"likely": d_b}},
        ],
        "partnership_value": {"likely": value},
        **extra,
    }


# stand-alone 20 and 40, value 100, Nash: shares 40 and 60, gains 20 and 20 -> win-win
WIN = two_parties(20, 40, 100, split_rule="nash")
# stand-alone 20 and 60, value 100, equal split: 50 each, gains 30 and -10 -> not win-win
LOSE = two_parties(20, 60, 100, split_rule="equal")


# --------------------------------------------------------------------------- assess
def test_assess_positive_verdict_exits_0(tmp_path, capsys):
    path = write_case(tmp_path, WIN, title="Two firms")
    assert cli.main(["assess", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[:4] == [
        "Two firms",
        "=========",
        "Verdict: WIN-WIN",
        "Every party gains (Alpha +20, Beta +20 EUR a year).",
    ]


def test_assess_negative_verdict_exits_1(tmp_path, capsys):
    path = write_case(tmp_path, LOSE)
    assert cli.main(["assess", str(path)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("Verdict: NOT WIN-WIN\n")  # no title: no title lines
    assert "Beta ends up 10 worse off than on its own" in out


def test_assess_on_paper_only_is_negative(tmp_path, capsys):
    inputs = two_parties(20, 40, 100, split_rule="nash")
    inputs["parties"][1]["risk_adjustment"] = {"likely": 25}  # Beta's gain 20 - 25 = -5
    assert cli.main(["assess", str(write_case(tmp_path, inputs))]) == 1
    assert "Verdict: WIN-WIN ON PAPER ONLY" in capsys.readouterr().out


def test_assess_lopsided_win_win_is_positive(tmp_path, capsys):
    inputs = two_parties(20, 40, 100, split_rule="nash")
    inputs["parties"][1]["bargaining_power"] = 4  # gains 8 and 32: balance 0.25
    assert cli.main(["assess", str(write_case(tmp_path, inputs))]) == 0
    assert "Verdict: WIN-WIN BUT LOPSIDED" in capsys.readouterr().out


def test_long_titles_are_underlined_up_to_80_characters(tmp_path, capsys):
    title = "T" * 150
    cli.main(["assess", str(write_case(tmp_path, WIN, title=title))])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == title
    assert lines[1] == "=" * 80


def test_assess_the_sample(capsys):
    assert cli.main(["assess", str(sample_case("win_win_two_party.json"))]) == 0
    out = capsys.readouterr().out
    assert "Verdict: WIN-WIN" in out
    assert "\nP(win-win): " in out  # the sample has ranges switched on


def test_assess_json(tmp_path, capsys):
    path = write_case(tmp_path, WIN, title="Two firms")
    assert cli.main(["assess", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["worksheet"] == "win_win_check"
    assert payload["title"] == "Two firms"
    assert payload["verdict"] == "win-win"
    assert payload["passed"] is True
    assert payload["probability"] is None
    assert payload["headline"] == "Every party gains (Alpha +20, Beta +20 EUR a year)."
    assert payload["findings"][0] == {
        "level": "info",
        "text": "The partnership creates a surplus of 40 a year over the 60 the parties earn on their own.",
    }
    assert all(set(f) == {"level", "text"} for f in payload["findings"])
    assert [p["party"] for p in payload["parties"]] == ["Alpha", "Beta"]
    assert [p["share"] for p in payload["parties"]] == [40.0, 60.0]
    assert [p["gain"] for p in payload["parties"]] == [20.0, 20.0]


def test_assess_json_negative_verdict_exits_1(tmp_path, capsys):
    assert cli.main(["assess", str(write_case(tmp_path, LOSE)), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert (payload["verdict"], payload["passed"]) == ("not win-win", False)
    assert [p["gain"] for p in payload["parties"]] == [30.0, -10.0]


def test_assess_json_keeps_non_ascii_names(tmp_path, capsys):
    inputs = two_parties(20, 40, 100, split_rule="nash")
    inputs["parties"][0]["name"] = "Café Ñandú"
    cli.main(["assess", str(write_case(tmp_path, inputs)), "--json"])
    out = capsys.readouterr().out
    assert "Café Ñandú" in out  # not \u-escaped
    assert json.loads(out)["parties"][0]["party"] == "Café Ñandú"


def test_assess_json_with_ranges_gives_the_probability(tmp_path, capsys):
    inputs = two_parties(20, 40, 100, split_rule="equal", use_ranges=True, draws=2_000)
    inputs["partnership_value"] = {"likely": 100, "low": 50, "high": 130}
    cli.main(["assess", str(write_case(tmp_path, inputs)), "--json"])
    probability = json.loads(capsys.readouterr().out)["probability"]
    assert 0 < probability < 1


# --------------------------------------------------------------------------- assess: errors exit 2
def _error(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("coopkit: error: ")
    assert err.endswith("\n")
    return err.removeprefix("coopkit: error: ").rstrip("\n")


def test_missing_file_exits_2(tmp_path, capsys):
    assert cli.main(["assess", str(tmp_path / "nope.json")]) == 2
    assert _error(capsys).startswith("case file must be an existing file, got ")


def test_bad_json_exits_2(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text("{oops", encoding="utf-8")
    assert cli.main(["assess", str(path)]) == 2
    assert _error(capsys).startswith("bad.json must be valid JSON")


def test_unknown_worksheet_exits_2(tmp_path, capsys):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"worksheet": "nope", "inputs": {}}), encoding="utf-8")
    assert cli.main(["assess", str(path)]) == 2
    assert _error(capsys) == f"worksheet must be one of {', '.join(options.names())}, got 'nope'"


def test_invalid_inputs_exit_2_naming_the_field(tmp_path, capsys):
    inputs = two_parties(20, 40, 100)
    inputs["parties"][1]["contribution"] = -1
    assert cli.main(["assess", str(write_case(tmp_path, inputs))]) == 2
    assert _error(capsys) == "Party 2: What it brings must be between 0 and 1,000,000,000,000, got -1"


def test_several_invalid_inputs_report_the_first_and_count_the_rest(tmp_path, capsys):
    inputs = two_parties(20, 40, 100, draws=5, seed=-1)
    assert cli.main(["assess", str(write_case(tmp_path, inputs))]) == 2
    assert _error(capsys) == ("Monte Carlo draws must be between 1,000 and 1,000,000, got 5 (and 1 more problem(s))")


def test_cross_field_problem_exits_2(tmp_path, capsys):
    inputs = two_parties(20, 40, 100)
    inputs["parties"][1]["name"] = "alpha"
    assert cli.main(["assess", str(write_case(tmp_path, inputs))]) == 2
    assert "names must be distinct" in _error(capsys)


def test_problem_found_by_the_assessment_exits_2(tmp_path, capsys):
    inputs = two_parties(20, 40, 100)
    for p in inputs["parties"]:
        p["contribution"] = 0
    assert cli.main(["assess", str(write_case(tmp_path, inputs))]) == 2
    assert _error(capsys) == "contribution must add up to more than 0, got [0.0, 0.0]"


def test_assess_without_a_file_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["assess"])
    assert exit_info.value.code == 2
    assert "the following arguments are required: case" in capsys.readouterr().err


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2
    assert "usage: coopkit" in capsys.readouterr().err


# --------------------------------------------------------------------------- worksheets
def test_worksheets_lists_the_win_win_check(capsys):
    assert cli.main(["worksheets"]) == 0
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if x.startswith("win_win_check ")]
    assert line.split()[1] == "framework"
    assert line.endswith("Does every party end up better off than on its own, and what split is fair?")


# --------------------------------------------------------------------------- serve_command
def test_serve_command_defaults():
    cmd = cli.serve_command(Path("/srv/notebooks"))
    assert cmd[:4] == [sys.executable, "-m", "voila", "/srv/notebooks"]
    assert "--port=8866" in cmd
    assert "--no-browser" in cmd


def test_serve_command_listens_on_loopback_only():
    cmd = cli.serve_command(Path("nb"), python="python")
    ip_flags = [c for c in cmd if "ip=" in c.lower()]
    assert ip_flags == ["--Voila.ip=127.0.0.1"]
    assert not any("0.0.0.0" in c or "::" in c for c in cmd)


def test_serve_command_strips_sources_and_hides_tracebacks():
    cmd = cli.serve_command(Path("nb"), python="python")
    assert "--strip_sources=True" in cmd
    assert "--show_tracebacks=False" in cmd
    assert not any(c.startswith("--strip_sources=") and c != "--strip_sources=True" for c in cmd)
    assert not any(c.startswith("--show_tracebacks=") and c != "--show_tracebacks=False" for c in cmd)


def test_serve_command_preheats_but_not_reference_notebooks():
    cmd = cli.serve_command(Path("nb"), pool_size=3, python="python")
    assert "--preheat_kernel=True" in cmd
    assert "--pool_size=3" in cmd
    (deny,) = [c for c in cmd if c.startswith("--VoilaKernelManager.preheat_denylist=")]
    assert "'reference/'" in deny


def test_serve_command_without_preheat_has_no_preheat_flags():
    cmd = cli.serve_command(Path("nb"), preheat=False, pool_size=3, python="python")
    assert not any("preheat" in c or "pool_size" in c for c in cmd)
    assert "--strip_sources=True" in cmd  # the secure flags stay


def test_serve_command_serves_no_file_raw():
    cmd = cli.serve_command(Path("nb"), python="python")
    assert "--VoilaConfiguration.file_denylist=.*" in cmd  # /voila/files/ refuses everything
    assert not any("allowlist" in c for c in cmd)


def test_serve_command_culls_idle_kernels_of_closed_pages_only():
    cmd = cli.serve_command(Path("nb"), python="python")
    assert "--MappingKernelManager.cull_idle_timeout=900" in cmd  # 15 minutes
    assert "--MappingKernelManager.cull_interval=60" in cmd
    assert "--MappingKernelManager.cull_connected=False" in cmd  # a page someone is reading keeps its kernel
    assert "--MappingKernelManager.cull_busy=False" in cmd
    assert cli.KERNEL_IDLE_MINUTES == 15


def test_serve_command_as_voila_parses_it():
    """Voila's own parser reads the flags as meant: numbers as numbers (tornado compares the size with >)."""
    voila_app = pytest.importorskip("voila.app")
    kernels = pytest.importorskip("jupyter_server.services.kernels.kernelmanager")
    app = voila_app.Voila()
    cmd = cli.serve_command(Path("nb"), port=9001, python="python")
    with pytest.warns(DeprecationWarning, match="tornado_settings"):  # the dict literal: see serve_command
        app.parse_command_line(cmd[3:])
    assert app.tornado_settings == {"websocket_max_message_size": cli.MAX_MESSAGE_BYTES}
    assert cli.MAX_MESSAGE_BYTES == 64 * 1024 * 1024
    manager = kernels.AsyncMappingKernelManager(config=app.config)  # the class Voila's kernel manager extends
    assert (manager.cull_idle_timeout, manager.cull_interval) == (900, 60)
    assert manager.cull_connected is False and manager.cull_busy is False
    assert app.config.VoilaConfiguration.file_denylist == [".*"]
    assert (app.ip, app.port, app.extra_args) == ("127.0.0.1", 9001, ["nb"])


def test_serve_command_behind_a_prefix_stripping_proxy():
    cmd = cli.serve_command(Path("nb"), base_url="/user/alice/", python="python")
    assert "--Voila.server_url=/" in cmd  # the proxy strips the prefix: Voila answers at /
    assert "--Voila.base_url=/user/alice/" in cmd  # and writes its links under it
    assert not any("base_url" in c or "server_url" in c for c in cli.serve_command(Path("nb"), python="python"))


def test_serve_command_port_and_python():
    cmd = cli.serve_command(Path("nb"), port=9001, python="/opt/py")
    assert cmd[0] == "/opt/py"
    assert "--port=9001" in cmd


# --------------------------------------------------------------------------- serve's checks (execv replaced)
@pytest.fixture
def no_exec(monkeypatch):
    """Replace os.execv so that nothing can be started; record what would have been run."""
    calls: list[list[str]] = []

    def fake_execv(path, args):
        calls.append(list(args))
        raise RuntimeError("execv blocked in tests")

    monkeypatch.setattr(cli.os, "execv", fake_execv)
    return calls


def _serve_args(port=cli.DEFAULT_PORT, pool_size=1, no_preheat=False, base_url="/") -> argparse.Namespace:
    return argparse.Namespace(port=port, pool_size=pool_size, no_preheat=no_preheat, base_url=base_url)


@pytest.mark.parametrize("port", [0, -1, 65536])
def test_serve_refuses_ports_out_of_range(no_exec, port):
    with pytest.raises(InputError, match=rf"^--port must be between 1 and 65535, got {port}$"):
        cli._serve(_serve_args(port=port))
    assert no_exec == []


@pytest.mark.parametrize("pool_size", [-1, 9])
def test_serve_refuses_pool_sizes_out_of_range(no_exec, pool_size):
    with pytest.raises(InputError, match=rf"^--pool-size must be between 0 and 8, got {pool_size}$"):
        cli._serve(_serve_args(pool_size=pool_size))
    assert no_exec == []


def test_serve_hands_over_to_voila_with_the_secure_command(no_exec, capsys):
    with pytest.raises(RuntimeError, match="execv blocked"):
        cli._serve(_serve_args(port=9100, no_preheat=True))
    (cmd,) = no_exec
    assert cmd[1:3] == ["-m", "voila"]
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=9100" in cmd
    assert not any("preheat" in c for c in cmd)
    assert "--MappingKernelManager.cull_idle_timeout=900" in cmd
    assert "http://127.0.0.1:9100/" in capsys.readouterr().out


# (not "base_url": pytest-base-url owns a fixture of that name)
@pytest.mark.parametrize("prefix", ["/user/alice", "user/alice/", "/user/../", "/user/a b/", "//", "/user/<x>/"])
def test_serve_refuses_base_urls_that_are_not_url_paths(no_exec, prefix):
    with pytest.raises(InputError, match=r"^--base-url must be a URL path that starts and ends with '/'"):
        cli._serve(_serve_args(base_url=prefix))
    assert no_exec == []


def test_serve_passes_the_base_url_on(no_exec):
    with pytest.raises(RuntimeError, match="execv blocked"):
        cli._serve(_serve_args(base_url="/user/a%40b.org/", no_preheat=True))
    (cmd,) = no_exec
    assert "--Voila.base_url=/user/a%40b.org/" in cmd


def test_the_serve_parser_reads_base_url():
    args = cli._parser().parse_args(["serve", "--base-url", "/user/alice/", "--no-preheat"])
    assert (args.base_url, args.no_preheat) == ("/user/alice/", True)
    assert cli._parser().parse_args(["serve"]).base_url == "/"
