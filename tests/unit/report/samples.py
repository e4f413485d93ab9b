"""The sample cases the report tests draw from."""

from __future__ import annotations

import copy

from coopkit import options
from coopkit.options.base import Assessment
from coopkit.store.casefile import read_case, sample_case


def sample(name: str, **overrides) -> tuple[dict, Assessment]:
    """The worksheet's sample inputs with ``overrides`` (1,000 draws where it has draws) and their assessment."""
    sheet = options.get(name)
    data = copy.deepcopy(read_case(sample_case(sheet.sample)).inputs)
    if "draws" in sheet.inputs.model_fields:
        data["draws"] = 1_000
    data |= overrides
    inputs, problems = options.validate(sheet.inputs, data)
    assert problems == []
    return data, sheet.assess(inputs)
