"""environment.yml (conda) and pyproject.toml (pip) must ask for the same runtime dependencies.

conda cannot run on these machines (its channels are unreachable), so this test
is what keeps the conda route true: it parses both files and compares names and
version constraints.
"""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT

# conda-forge splits some packages; the -base variants are the same code without optional extras.
CONDA_TO_PIP = {"matplotlib-base": "matplotlib", "seaborn-base": "seaborn"}
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(requirement: str) -> tuple[str, str]:
    name, spec = _REQ.match(requirement).groups()
    name = CONDA_TO_PIP.get(name.lower(), name.lower()).replace("_", "-")
    return name, ",".join(sorted(part.strip() for part in spec.replace(" ", "").split(",") if part.strip()))


def pyproject_dependencies() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(_parse(r) for r in project["dependencies"])


def conda_environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_dependencies() -> dict[str, str]:
    deps = [d for d in conda_environment()["dependencies"] if isinstance(d, str)]
    return dict(_parse(d) for d in deps if not d.startswith(("python", "pip")))


def test_same_runtime_dependencies_with_same_constraints():
    assert conda_dependencies() == pyproject_dependencies()


def test_conda_environment_uses_conda_forge_python_311_and_installs_coopkit_editable():
    env = conda_environment()
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


def test_ipywidgets_pinned_to_one_major_version_everywhere():
    # Mismatched widget front-end and back-end versions render blank widgets.
    assert "<9" in pyproject_dependencies()["ipywidgets"]
    assert "<9" in conda_dependencies()["ipywidgets"]


def test_parser_normalises_names_and_orders_constraints():
    assert _parse("seaborn-base >=0.13.2") == ("seaborn", ">=0.13.2")
    assert _parse("pydantic>=2.7,<3") == _parse("pydantic <3, >=2.7")
