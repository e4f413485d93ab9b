"""Helpers shared by the browser tests: the expected assessment of a sample case with some inputs changed."""

from __future__ import annotations

import copy

from coopkit import options
from coopkit.store.casefile import read_case, sample_case


def expected(name: str, **changes):
    """The assessment of worksheet ``name``'s sample case with some inputs changed.

    A key ``"parties.1.share_with"`` changes a field of a list item.
    """
    sheet = options.get(name)
    data = copy.deepcopy(read_case(sample_case(sheet.sample)).inputs)
    for key, value in changes.items():
        if "." in key:
            top, index, field = key.split(".")
            data[top][int(index)][field] = value
        else:
            data[key] = value
    inputs, problems = options.validate(sheet.inputs, data)
    assert not problems, problems
    return sheet.assess(inputs)


def set_field(page, loc: str, value: str) -> None:
    """Type a value into the box of a field (CSS class coopkit-field-<loc>) and commit it with Enter."""
    box = page.locator(f".coopkit-field-{loc} input")
    box.fill(value)
    box.press("Enter")
