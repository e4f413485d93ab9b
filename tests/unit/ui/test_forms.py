"""Tests for coopkit.ui.forms: the form generated from the win-win Inputs model, driven without a browser."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from coopkit.options.base import Problem, validate
from coopkit.options.win_win import SPLIT_LABELS, Inputs
from coopkit.ui.forms import Form, css_class


def start_data(**extra) -> dict:
    # stand-alone 20 and 40, value 100
    return {
        "parties": [
            {"name": "A", "standalone_payoff": {"likely": 20}},
            {"name": "B", "standalone_payoff": {"likely": 40}, "contribution": 3},
        ],
        "partnership_value": {"likely": 100},
        "split_rule": "nash",
        **extra,
    }


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


@pytest.fixture
def changes() -> Counter:
    return Counter()


@pytest.fixture
def form(changes) -> Form:
    return Form(Inputs, start_data(), changes)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def shown(widget) -> bool:
    return widget.layout.display != "none"


def names(form: Form) -> list[str]:
    return [row["cells"]["name"].box.value for row in form._nodes[("parties",)].rows]


# --------------------------------------------------------------------------- building
def test_css_class():
    assert css_class(("parties", 0, "name")) == "coopkit-field-parties-0-name"
    assert css_class(("currency",)) == "coopkit-field-currency"


def test_building_the_form_does_not_report_a_change(changes, form):
    assert changes.calls == 0


def test_widgets_follow_the_field_types(form):
    nodes = form._nodes
    assert isinstance(nodes[("currency",)].box, widgets.Text)
    assert isinstance(nodes[("use_ranges",)].box, widgets.Checkbox)
    assert isinstance(nodes[("draws",)].box, widgets.IntText)
    assert isinstance(nodes[("seed",)].box, widgets.IntText)
    assert isinstance(nodes[("returns_to_pooling",)].box, widgets.FloatText)
    assert isinstance(nodes[("parties", 0, "contribution")].box, widgets.FloatText)
    assert isinstance(nodes[("parties", 0, "name")].box, widgets.Text)
    assert set(nodes[("partnership_value",)].boxes) == {"low", "likely", "high"}
    assert hasattr(nodes[("parties",)], "add_button")


def test_number_boxes_never_clamp():
    # a bounded box would silently change an out-of-range value; these keep what is typed
    form = Form(Inputs, start_data(), lambda: None)
    for node in form._nodes.values():
        for box in [getattr(node, "box", None), *getattr(node, "boxes", {}).values()]:
            assert not isinstance(box, widgets.BoundedFloatText | widgets.BoundedIntText)
    box = form._nodes[("parties", 1, "bargaining_power")].box
    box.value = -7.5
    assert box.value == -7.5
    assert form.data()["parties"][1]["bargaining_power"] == -7.5


def test_choice_is_a_drop_down_with_the_labels(form):
    box = form._nodes[("split_rule",)].box
    assert isinstance(box, widgets.Dropdown)
    assert box.options == tuple((label, rule) for rule, label in SPLIT_LABELS.items())
    assert box.value == "nash"


def test_boxes_carry_their_field_css_class(form):
    assert "coopkit-field-parties-1-name" in form._nodes[("parties", 1, "name")].box._dom_classes
    assert "coopkit-field-partnership_value-low" in form._nodes[("partnership_value",)].boxes["low"]._dom_classes


def test_labels_and_tooltips_come_from_the_model(form):
    box = form._nodes[("returns_to_pooling",)].box
    assert box.description == "Returns to pooling"
    assert box.tooltip.startswith("How the surplus a group of parties creates grows")
    assert box.tooltip.endswith("Allowed: ≥ 1, ≤ 5.")
    assert form._nodes[("parties", 0, "bargaining_power")].box.tooltip.endswith("Allowed: > 0, ≤ 100.")


def test_advanced_fields_are_in_a_collapsed_panel(form):
    (panel,) = [w for w in form.widget.children if isinstance(w, widgets.Accordion)]
    assert panel.titles == ("Advanced",)
    assert panel.selected_index is None
    inside = set(map(id, walk(panel)))
    for name in ("returns_to_pooling", "draws", "seed"):
        assert id(form._nodes[(name,)].box) in inside
    assert id(form._nodes[("currency",)].box) not in inside


def test_error_lines_start_hidden(form):
    for node in form._nodes.values():
        assert node.error.layout.display == "none"
        assert node.error.value == ""
    assert form.form_error.layout.display == "none"


# --------------------------------------------------------------------------- data
def test_data_round_trips_the_starting_values(form):
    inputs, problems = validate(Inputs, form.data())
    assert problems == []
    assert inputs == Inputs.model_validate(start_data())


def test_missing_fields_take_the_model_defaults(form):
    data = form.data()
    assert (data["currency"], data["draws"], data["seed"], data["use_ranges"]) == ("EUR", 100_000, 0, False)
    assert data["parties"][0]["risk_adjustment"] == {"likely": 0.0, "low": None, "high": None}
    assert data["parties"][1]["contribution"] == 3.0


def test_data_reports_what_is_typed_and_each_edit_is_reported_once(changes, form):
    form._nodes[("parties", 0, "name")].box.value = "Acme"
    assert changes.calls == 1
    form._nodes[("partnership_value",)].boxes["likely"].value = 250
    assert changes.calls == 2
    data = form.data()
    assert data["parties"][0]["name"] == "Acme"
    assert data["partnership_value"]["likely"] == 250.0


def test_currency(form):
    assert form.currency() == "EUR"
    form._nodes[("currency",)].box.value = "JPY"
    assert form.currency() == "JPY"


# --------------------------------------------------------------------------- show_if
def columns_shown(form: Form) -> set[str]:
    grid = form._nodes[("parties",)].grid
    children = set(map(id, grid.children))
    return {name for name, cell in form._nodes[("parties",)].rows[0]["cells"].items() if id(cell.widget) in children}


@pytest.mark.parametrize(
    ("rule", "visible"),
    [
        ("nash", {"name", "standalone_payoff", "bargaining_power", "risk_adjustment"}),
        ("explicit", {"name", "standalone_payoff", "agreed_share", "risk_adjustment"}),
        ("shapley", {"name", "standalone_payoff", "contribution", "risk_adjustment"}),
        ("proportional", {"name", "standalone_payoff", "contribution", "risk_adjustment"}),
        ("equal", {"name", "standalone_payoff", "risk_adjustment"}),
    ],
)
def test_show_if_picks_the_columns_of_the_split_rule(form, rule, visible):
    form._nodes[("split_rule",)].box.value = rule
    assert columns_shown(form) == visible
    assert set(form._nodes[("parties",)].headers) >= visible


def test_hidden_columns_keep_their_values(form):
    form._nodes[("split_rule",)].box.value = "equal"
    assert form.data()["parties"][1]["contribution"] == 3.0
    form._nodes[("split_rule",)].box.value = "shapley"
    assert form._nodes[("parties", 1, "contribution")].box.value == 3.0


def test_visible(form):
    bargaining = Inputs.model_fields["parties"].annotation.__args__[0].model_fields["bargaining_power"]
    assert form.visible(bargaining)
    form._nodes[("split_rule",)].box.value = "shapley"
    assert not form.visible(bargaining)
    assert form.visible(Inputs.model_fields["currency"])  # no show_if: always shown


# --------------------------------------------------------------------------- ranges
def test_ranges_are_hidden_while_the_switch_is_off(form):
    assert not shown(form._nodes[("partnership_value",)].range_box)
    assert not shown(form._nodes[("parties", 0, "standalone_payoff")].range_box)
    assert form.data()["partnership_value"] == {"likely": 100.0, "low": None, "high": None}


def test_turning_ranges_on_starts_low_and_high_at_the_likely_value(form):
    form._nodes[("partnership_value",)].boxes["likely"].value = 150  # typed before the switch
    form._nodes[("use_ranges",)].box.value = True
    pv = form._nodes[("partnership_value",)]
    assert shown(pv.range_box)
    assert (pv.boxes["low"].value, pv.boxes["high"].value) == (150.0, 150.0)
    assert form.data()["partnership_value"] == {"likely": 150.0, "low": 150.0, "high": 150.0}
    loss = form._nodes[("parties", 1, "risk_adjustment")]
    assert shown(loss.range_box)
    assert form.data()["parties"][1]["risk_adjustment"] == {"likely": 0.0, "low": 0.0, "high": 0.0}
    assert validate(Inputs, form.data())[1] == []


def test_turning_ranges_off_hides_them_but_keeps_them(form):
    nodes = form._nodes
    nodes[("use_ranges",)].box.value = True
    nodes[("partnership_value",)].boxes["low"].value = 80
    nodes[("use_ranges",)].box.value = False
    assert not shown(nodes[("partnership_value",)].range_box)
    assert form.data()["partnership_value"] == {"likely": 100.0, "low": 80.0, "high": 100.0}


def test_given_ranges_are_kept_and_shown_when_the_switch_is_on():
    data = start_data(use_ranges=True, partnership_value={"likely": 100, "low": 70, "high": 130})
    form = Form(Inputs, data, lambda: None)
    pv = form._nodes[("partnership_value",)]
    assert shown(pv.range_box)
    assert (pv.boxes["low"].value, pv.boxes["high"].value) == (70.0, 130.0)
    assert form.data()["partnership_value"] == {"likely": 100.0, "low": 70.0, "high": 130.0}


def test_a_party_added_while_ranges_are_on_shows_its_ranges(form):
    form._nodes[("use_ranges",)].box.value = True
    form._nodes[("parties",)].add_button.click()
    new = form._nodes[("parties", 2, "standalone_payoff")]
    assert shown(new.range_box)
    assert form.data()["parties"][2]["standalone_payoff"] == {"likely": 0.0, "low": 0.0, "high": 0.0}


# --------------------------------------------------------------------------- units
def test_money_units_follow_the_currency(form):
    pv = form._nodes[("partnership_value",)]
    headers = form._nodes[("parties",)].headers
    assert pv.unit.value == "<span class='coopkit-unit'>EUR/year</span>"
    assert "EUR/year" in headers["standalone_payoff"].value
    assert "EUR/year" in headers["risk_adjustment"].value
    form._nodes[("currency",)].box.value = "USD"
    assert pv.unit.value == "<span class='coopkit-unit'>USD/year</span>"
    assert "USD/year" in headers["standalone_payoff"].value
    assert "EUR" not in headers["standalone_payoff"].value


def test_other_units_do_not_follow_the_currency(form):
    form._nodes[("currency",)].box.value = "USD"
    assert form._nodes[("returns_to_pooling",)].unit.value == "<span class='coopkit-unit'>exponent</span>"
    assert form._nodes[("currency",)].unit.value == ""  # no unit: nothing shown
    form._nodes[("split_rule",)].box.value = "shapley"
    assert "relative" in form._nodes[("parties",)].headers["contribution"].value


def test_without_a_currency_money_is_money(form):
    form._nodes[("currency",)].box.value = ""
    assert form._nodes[("partnership_value",)].unit.value == "<span class='coopkit-unit'>money/year</span>"


def test_unit_text_is_escaped(form):
    form._nodes[("currency",)].box.value = "<b>"
    assert form._nodes[("partnership_value",)].unit.value == "<span class='coopkit-unit'>&lt;b&gt;/year</span>"


# --------------------------------------------------------------------------- add and remove
def test_add_party_up_to_six(changes, form):
    parties = form._nodes[("parties",)]
    for expected in range(3, 7):
        assert not parties.add_button.disabled
        parties.add_button.click()
        assert len(parties.rows) == expected
    assert parties.add_button.disabled
    assert changes.calls == 4
    parties._add()  # even if clicked while disabled
    assert len(parties.rows) == 6
    assert changes.calls == 4
    assert names(form) == ["A", "B", "New party 3", "New party 4", "New party 5", "New party 6"]
    assert ("parties", 5, "name") in form._nodes


def test_added_party_takes_the_new_item_data(form):
    form._nodes[("parties",)].add_button.click()
    added = form.data()["parties"][2]
    assert added["name"] == "New party 3"
    assert added["standalone_payoff"]["likely"] == 0.0
    assert (added["contribution"], added["bargaining_power"], added["agreed_share"]) == (1.0, 1.0, 0.5)


def test_added_party_names_avoid_names_in_use(form):
    form._nodes[("parties", 0, "name")].box.value = "New party 3"
    form._nodes[("parties",)].add_button.click()
    assert names(form) == ["New party 3", "B", "New party 4"]


def test_remove_down_to_two(changes):
    data = start_data()
    data["parties"] += [{"name": n, "standalone_payoff": {"likely": 1}} for n in ("C", "D")]
    form = Form(Inputs, data, changes)
    parties = form._nodes[("parties",)]
    assert not any(row["remove"].disabled for row in parties.rows)
    parties.rows[-1]["remove"].click()
    parties.rows[-1]["remove"].click()
    assert len(parties.rows) == 2
    assert all(row["remove"].disabled for row in parties.rows)
    assert changes.calls == 2
    parties._remove(parties.rows[0])  # even if clicked while disabled
    assert len(parties.rows) == 2
    assert changes.calls == 2
    assert not parties.add_button.disabled


def test_removing_a_party_keeps_the_others_data_and_renumbers_them():
    data = start_data()
    data["parties"].append(
        {"name": "C", "standalone_payoff": {"likely": 7}, "bargaining_power": 2.5, "risk_adjustment": {"likely": 4}}
    )
    form = Form(Inputs, data, lambda: None)
    form._nodes[("parties", 1, "name")].box.value = "Beta (edited)"
    before = form.data()["parties"]
    form._nodes[("parties",)].rows[0]["remove"].click()
    assert form.data()["parties"] == before[1:]
    assert names(form) == ["Beta (edited)", "C"]
    # the nodes are registered under their new positions, the old last position is gone
    assert form._nodes[("parties", 1, "bargaining_power")].box.value == 2.5
    assert ("parties", 2, "name") not in form._nodes
    assert "coopkit-field-parties-1-name" in form._nodes[("parties", 1, "name")].box._dom_classes


def test_removing_a_middle_party(form):
    form._nodes[("parties",)].add_button.click()
    form._nodes[("parties",)].rows[1]["remove"].click()
    assert names(form) == ["A", "New party 3"]


# --------------------------------------------------------------------------- problems
def test_problem_is_shown_next_to_its_field(form):
    message = "Party 2: Bargaining power must be greater than 0 and at most 100, got 0"
    form.show_problems([Problem(("parties", 1, "bargaining_power"), message)])
    node = form._nodes[("parties", 1, "bargaining_power")]
    assert node.error.layout.display == ""
    assert node.error.value == f"<span class='coopkit-error-text'>⚠ {message}</span>"
    assert node.error in node.widget.children
    assert "coopkit-invalid" in node.box._dom_classes
    # and nowhere else
    others = [n for loc, n in form._nodes.items() if loc != ("parties", 1, "bargaining_power")]
    assert all(n.error.layout.display == "none" for n in others)
    assert form.form_error.layout.display == "none"


def test_problem_inside_an_uncertain_amount_goes_to_the_amount(form):
    form.show_problems([Problem(("parties", 0, "standalone_payoff", "likely"), "too big")])
    node = form._nodes[("parties", 0, "standalone_payoff")]
    assert "too big" in node.error.value
    assert all("coopkit-invalid" in box._dom_classes for box in node.boxes.values())


def test_list_problem_goes_under_the_table(form):
    form.show_problems([Problem(("parties",), "Agreed shares must add up to 1")])
    assert "Agreed shares must add up to 1" in form._nodes[("parties",)].error.value
    assert form._nodes[("parties",)].error.layout.display == ""


@pytest.mark.parametrize("loc", [(), ("no_such_field",)])
def test_problems_without_a_field_go_to_the_top_of_the_form(form, loc):
    form.show_problems([Problem(loc, "Something is off")])
    assert form.form_error.layout.display == ""
    assert "Something is off" in form.form_error.value
    assert form.form_error is form.widget.children[0]


def test_several_messages_on_one_field_are_all_shown(form):
    form.show_problems([Problem(("currency",), "first"), Problem(("currency",), "second")])
    value = form._nodes[("currency",)].error.value
    assert value.index("first") < value.index("<br>") < value.index("second")


def test_messages_are_escaped(form):
    form.show_problems([Problem(("parties", 0, "name"), "name '<script>x</script>' is taken")])
    value = form._nodes[("parties", 0, "name")].error.value
    assert "<script>" not in value
    assert "&lt;script&gt;" in value


def test_showing_no_problems_clears_the_old_ones(form):
    form.show_problems([Problem(("parties", 1, "name"), "bad"), Problem((), "worse")])
    form.show_problems([])
    node = form._nodes[("parties", 1, "name")]
    assert node.error.layout.display == "none" and node.error.value == ""
    assert "coopkit-invalid" not in node.box._dom_classes
    assert form.form_error.layout.display == "none"


def test_form_widget_class(form):
    assert "coopkit-form" in form.widget._dom_classes


# --------------------------------------------------------------------------- text areas with a file button
def _upload_form():
    import datetime as dt

    from pydantic import Field

    from coopkit.options.base import InputsModel

    class Lists(InputsModel):
        accounts: str = Field("", title="Accounts", description="One per line.", json_schema_extra={"widget": "upload"})

    calls: list[int] = []
    form = Form(Lists, {}, lambda: calls.append(1))
    now = dt.datetime.now(dt.UTC)
    return form, calls, now


def test_a_loaded_file_fills_the_text_area_and_recomputes():
    form, calls, now = _upload_form()
    leaf = form._top["accounts"]
    leaf.upload.value = (
        {
            "name": "a.csv",
            "type": "text/csv",
            "size": 12,
            "content": memoryview(b"\xef\xbb\xbfacme.com\n"),
            "last_modified": now,
        },
    )
    assert leaf.box.value == "acme.com\n"  # the UTF-8 byte-order mark is dropped
    assert calls == [1]


def test_a_binary_or_oversized_file_is_refused_and_the_text_kept():
    from coopkit.ui import forms

    form, _, now = _upload_form()
    leaf = form._top["accounts"]
    leaf.box.value = "kept.com"
    leaf.upload.value = (
        {"name": "b.xlsx", "type": "", "size": 2, "content": memoryview(b"\xff\xfe"), "last_modified": now},
    )
    assert leaf.box.value == "kept.com"
    assert "b.xlsx is not a UTF-8 text file" in leaf.error.value
    big = b"x" * (forms.MAX_UPLOAD_BYTES + 1)
    leaf.upload.value = (
        {"name": "c.csv", "type": "text/csv", "size": len(big), "content": memoryview(big), "last_modified": now},
    )
    assert leaf.box.value == "kept.com"
    assert "c.csv is 2,000,001 bytes" in leaf.error.value
