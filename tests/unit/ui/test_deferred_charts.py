"""Deferred drawing in a kernel: the verdict first, the charts once the page has fetched its widgets.

There is no pytest-asyncio here: each test runs its own ``asyncio.run(main())``. The page is simulated
the way ipywidgets sees one: a control comm (``Widget._control_comm``) and its ``request_states``
message. :mod:`coopkit.ui.timing` keeps module state (the waiting steps, its hook on ipywidgets), so
every test starts from a fresh copy of it, with a short :data:`~coopkit.ui.timing.SETTLE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import importlib

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import Widget

from coopkit import options
from coopkit.report import views
from coopkit.store.cases import CaseStore
from coopkit.ui import timing
from coopkit.ui.timing import after_page
from coopkit.ui.worksheet import LiveWorksheet

SHEET = options.get("win_win_check")
# coopkit.ui exports the function worksheet(), which hides the module of the same name
worksheet_module = importlib.import_module("coopkit.ui.worksheet")

SETTLE = 0.02  # what SETTLE_SECONDS becomes in these tests
UP_TO_DATE = "Results are up to date."
REDRAWING = "Redrawing the charts"
REQUEST_STATES = {"content": {"data": {"method": "request_states"}}}


class FakeControlComm:
    """The page's end of ipywidgets' control channel: records what the kernel sends it."""

    def __init__(self) -> None:
        self.sent: list[dict] = []

    def send(self, data, buffers=None) -> None:
        self.sent.append(data)


@pytest.fixture(autouse=True)
def fresh_timing(monkeypatch):
    """No page connected, nothing waiting, ipywidgets not hooked yet; all restored after the test."""
    monkeypatch.setattr(timing, "_waiting", [])
    monkeypatch.setattr(timing, "_hooked", False)
    monkeypatch.setattr(timing, "SETTLE_SECONDS", SETTLE)
    monkeypatch.setattr(Widget, "_handle_control_comm_msg", Widget.__dict__["_handle_control_comm_msg"])
    monkeypatch.setattr(Widget, "_control_comm", None)


def page_fetches(monkeypatch) -> FakeControlComm:
    """A page connects and asks for every widget's state, as the Voila page's scripts do."""
    comm = FakeControlComm()
    monkeypatch.setattr(Widget, "_control_comm", comm)
    Widget._handle_control_comm_msg(REQUEST_STATES)
    return comm


def two_parties(value: float = 100) -> dict:
    """Two parties, no ranges: two charts and no Monte Carlo, so quick to assess and draw."""
    return {
        "parties": [
            {"name": "Alpha", "standalone_payoff": {"likely": 20}},
            {"name": "Beta", "standalone_payoff": {"likely": 40}},
        ],
        "partnership_value": {"likely": value},
        "split_rule": "nash",
    }


async def turns(n: int) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


async def until(condition, timeout: float = 5.0) -> bool:
    """Let the loop run (in short sleeps) until ``condition()`` holds or ``timeout`` passes."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            return False
        await asyncio.sleep(0.005)
    return True


async def within_turns(condition, limit: int = 6) -> int:
    """The number of loop turns until ``condition()`` holds; fails after ``limit`` (no timed wait in between)."""
    n = 0
    while not condition():
        await asyncio.sleep(0)
        n += 1
        assert n <= limit, f"not within {limit} turns of the event loop"
    return n


def stale_charts(live: LiveWorksheet) -> bool:
    return "coopkit-stale" in live.chart_grid._dom_classes


def drawn(live: LiveWorksheet) -> bool:
    return bool(live.chart_grid.children) and not stale_charts(live)


def is_png_images(children) -> bool:
    return bool(children) and all(
        isinstance(c, widgets.Image) and bytes(c.value).startswith(b"\x89PNG") for c in children
    )


def shown_tags(live: LiveWorksheet) -> list[str]:
    """The tags of the charts in the grid (see the ``tagged_charts`` fixture)."""
    return [bytes(i.value)[8:].decode() for i in live.chart_grid.children]


def likely_value_box(live: LiveWorksheet):
    return live.form._nodes[("partnership_value",)].boxes["likely"]


@pytest.fixture
def tagged_charts(monkeypatch):
    """Fast fake charts: each view's charts are tagged with its render number, drawn as that tag.

    Returns the list of tags drawn, in order (e.g. ``"2:Payoff on its own…"``).
    """
    real_view = views.view
    renders = [0]
    drawn_tags: list[str] = []

    def view(a):
        panel = real_view(a)
        renders[0] += 1
        charts = [views.Chart(f"{renders[0]}:{c.alt}", c.build, c.wide) for c in panel.charts]
        return views.View(before=panel.before, charts=charts, after=panel.after)

    def draw_one(chart):
        drawn_tags.append(chart.alt)
        return b"\x89PNG\r\n\x1a\n" + chart.alt.encode()

    monkeypatch.setattr(worksheet_module.views, "view", view)
    monkeypatch.setattr(worksheet_module, "_draw_one", draw_one)
    return drawn_tags


# --------------------------------------------------------------------------- coopkit.ui.timing
def test_after_page_without_a_running_loop_runs_the_step_at_once():
    ran = []
    assert after_page(lambda: ran.append("now")) is False
    assert ran == ["now"]
    assert timing._waiting == [] and timing._hooked is False  # ipywidgets is left alone


def test_page_connected_follows_the_control_comm(monkeypatch):
    assert timing.page_connected() is False
    monkeypatch.setattr(Widget, "_control_comm", FakeControlComm())
    assert timing.page_connected() is True


def test_after_page_in_a_loop_waits_for_the_page_to_fetch_its_widgets_then_settles(monkeypatch):
    async def main():
        loop = asyncio.get_running_loop()
        ran: list[float] = []
        assert after_page(lambda: ran.append(loop.time())) is True
        assert ran == []
        await turns(5)
        await asyncio.sleep(0.05)
        assert ran == []  # no page yet: still waiting (the fallback is seconds away)
        comm = page_fetches(monkeypatch)
        # ipywidgets still answers the page: every widget's state is sent, before any waiting work runs
        assert [m["method"] for m in comm.sent] == ["update_states"]
        fetched = loop.time()
        await turns(3)
        assert ran == []  # the page is given SETTLE_SECONDS to build the widgets
        assert await until(lambda: ran, timeout=2)
        assert ran[0] - fetched >= SETTLE - 1e-3
        await asyncio.sleep(2 * SETTLE)
        assert len(ran) == 1  # once
        assert timing._waiting == []

    asyncio.run(main())


def test_after_page_runs_the_waiting_steps_in_order_once_and_hooks_ipywidgets_once(monkeypatch):
    fetched = []
    real_fetched = timing._fetched

    def counted_fetched():
        fetched.append(1)
        real_fetched()

    monkeypatch.setattr(timing, "_fetched", counted_fetched)

    async def main():
        ran: list[str] = []
        for name in ("charts", "cases", "more"):
            assert after_page(lambda name=name: ran.append(name)) is True
        assert len(timing._waiting) == 3
        comm = page_fetches(monkeypatch)
        assert len(comm.sent) == 1  # ipywidgets answered once
        assert len(fetched) == 1  # one hook, not one per waiting step
        assert await until(lambda: len(ran) == 3, timeout=2)
        assert ran == ["charts", "cases", "more"]
        Widget._handle_control_comm_msg(REQUEST_STATES)  # the page asks again: nothing is run twice
        assert len(comm.sent) == 2 and len(fetched) == 2
        await asyncio.sleep(3 * SETTLE)
        assert ran == ["charts", "cases", "more"]

    asyncio.run(main())


def test_after_page_without_a_page_runs_after_the_fallback(monkeypatch):
    monkeypatch.setattr(timing, "FALLBACK_SECONDS", 0.05)

    async def main():
        loop = asyncio.get_running_loop()
        start = loop.time()
        ran: list[float] = []
        assert after_page(lambda: ran.append(loop.time())) is True
        await turns(3)
        assert ran == []
        assert await until(lambda: ran, timeout=2)
        assert ran[0] - start >= 0.05 - 1e-3
        assert timing._waiting == []

    asyncio.run(main())


def test_after_page_with_a_page_already_connected_runs_on_the_next_turn(monkeypatch):
    monkeypatch.setattr(Widget, "_control_comm", FakeControlComm())

    async def main():
        ran = []
        assert after_page(lambda: ran.append(1)) is True
        assert ran == []  # not inside the call
        assert await within_turns(lambda: ran, limit=2) >= 1
        assert ran == [1]
        assert timing._waiting == [] and timing._hooked is False

    asyncio.run(main())


# --------------------------------------------------------------------------- first draw in a kernel
def test_in_a_kernel_the_verdict_comes_first_and_the_charts_after_the_page(monkeypatch):
    turn = [0]  # turns of the event loop, counted by a callback that runs once per turn
    calls: list[tuple[int, bool, str]] = []  # (turn, grid dimmed, status) at each chart drawn
    real_draw = worksheet_module._draw_one
    holder: dict[str, LiveWorksheet] = {}

    def draw_one(chart):
        live = holder["live"]
        calls.append((turn[0], stale_charts(live), live.status.value))
        return real_draw(chart)

    monkeypatch.setattr(worksheet_module, "_draw_one", draw_one)

    async def main():
        loop = asyncio.get_running_loop()

        def tick():
            turn[0] += 1
            loop.call_soon(tick)

        loop.call_soon(tick)
        live = holder["live"] = LiveWorksheet(SHEET, two_parties(), cases=False)
        # verdict, findings and tables are shown at once
        assert "win-win" in live.banner.value
        assert "coopkit-findings" in live.findings.value
        assert "Alpha" in live.sections["parties"].value
        assert live.assessment is not None and live.problems == []
        # the charts are not drawn yet: the grid is empty and dimmed, the status says they are coming
        assert live.chart_grid.children == ()
        assert stale_charts(live)
        assert "coopkit-stale" not in live.results._dom_classes
        assert REDRAWING in live.status.value
        assert live.chart_grid in live.results.children
        # the first drawing waits for the page
        assert len(timing._waiting) == 1
        await turns(5)
        assert calls == [] and live.chart_grid.children == ()
        page_fetches(monkeypatch)
        assert calls == []  # the page's request is answered before any chart is drawn
        # then the charts come, one per turn of the loop, the old grid dimmed until all are drawn
        assert await until(lambda: drawn(live))
        assert len(calls) == 2  # payoff and split charts (no ranges)
        drawn_in = [t for t, _, _ in calls]
        assert drawn_in[0] < drawn_in[1], f"two charts drawn in one turn of the loop: {drawn_in}"
        assert all(dimmed and REDRAWING in status for _, dimmed, status in calls)
        assert is_png_images(live.chart_grid.children)
        assert len(live.chart_grid.children) == 2
        assert not stale_charts(live)
        assert UP_TO_DATE in live.status.value and REDRAWING not in live.status.value

    asyncio.run(main())


def test_with_a_page_already_connected_the_first_charts_follow_at_once(monkeypatch, tagged_charts):
    monkeypatch.setattr(Widget, "_control_comm", FakeControlComm())  # e.g. JupyterLab

    async def main():
        live = LiveWorksheet(SHEET, two_parties(), cases=False)
        assert live.chart_grid.children == () and stale_charts(live)
        assert timing._waiting == []
        await within_turns(lambda: drawn(live), limit=6)
        assert is_png_images(live.chart_grid.children)
        assert UP_TO_DATE in live.status.value

    asyncio.run(main())


def test_a_second_edit_draws_without_waiting_for_the_page(monkeypatch):
    async def main():
        live = LiveWorksheet(SHEET, two_parties(), cases=False)
        page_fetches(monkeypatch)
        assert await until(lambda: drawn(live))
        first_images = list(live.chart_grid.children)
        first_pngs = [bytes(i.value) for i in first_images]
        before = live.assessment

        likely_value_box(live).value = 160  # an edit: recompute, charts follow
        assert live.assessment is not before
        assert "Alpha +50, Beta +50" in live.banner.value  # the verdict is new at once
        assert stale_charts(live) and REDRAWING in live.status.value
        assert [bytes(i.value) for i in live.chart_grid.children] == first_pngs  # old charts, dimmed
        assert timing._waiting == []

        await within_turns(lambda: drawn(live), limit=6)
        assert is_png_images(live.chart_grid.children)
        assert list(live.chart_grid.children) == first_images  # the image widgets are reused
        assert [bytes(i.value) for i in live.chart_grid.children] != first_pngs  # with new pictures
        assert UP_TO_DATE in live.status.value and REDRAWING not in live.status.value

    asyncio.run(main())


def test_an_edit_before_the_page_has_loaded_waits_too_and_only_the_newest_charts_are_drawn(monkeypatch, tagged_charts):
    async def main():
        live = LiveWorksheet(SHEET, two_parties(), cases=False)
        assert len(timing._waiting) == 1 and live.chart_grid.children == ()
        likely_value_box(live).value = 120  # before the page has fetched its widgets
        assert "Alpha +30, Beta +30" in live.banner.value  # the verdict follows at once
        assert len(timing._waiting) == 2  # its charts wait for the page as well
        await turns(6)
        assert tagged_charts == [] and live.chart_grid.children == ()
        page_fetches(monkeypatch)
        await asyncio.sleep(3 * SETTLE)
        await turns(8)
        assert timing._waiting == []
        assert len(tagged_charts) == 2 and all(t.startswith("2:") for t in tagged_charts)  # the first drawing gave way
        assert all(s.startswith("2:") for s in shown_tags(live))
        assert not stale_charts(live) and UP_TO_DATE in live.status.value

    asyncio.run(main())


def test_a_newer_edit_supersedes_charts_still_being_drawn(monkeypatch, tagged_charts):
    async def main():
        live = LiveWorksheet(SHEET, two_parties(), cases=False)
        page_fetches(monkeypatch)
        assert await until(lambda: drawn(live))
        assert all(s.startswith("1:") for s in shown_tags(live))

        likely_value_box(live).value = 120  # render 2
        await asyncio.sleep(0)  # its first turn (the plotting import)
        await asyncio.sleep(0)  # its first chart
        assert [t for t in tagged_charts if t.startswith("2:")] == [tagged_charts[-1]]
        live.load(two_parties(150))  # render 3, before render 2 has drawn its second chart
        assert "Alpha +45, Beta +45" in live.banner.value
        assert stale_charts(live)
        assert await until(lambda: drawn(live))
        await turns(5)  # and nothing of render 2 arrives later

        assert len([t for t in tagged_charts if t.startswith("2:")]) == 1  # render 2 stopped
        assert len([t for t in tagged_charts if t.startswith("3:")]) == 2
        shown = shown_tags(live)
        assert len(shown) == 2 and all(s.startswith("3:") for s in shown)
        assert not stale_charts(live)
        assert UP_TO_DATE in live.status.value

    asyncio.run(main())


def test_an_invalid_edit_while_charts_are_drawn_keeps_its_message(monkeypatch, tagged_charts):
    async def main():
        live = LiveWorksheet(SHEET, two_parties(), cases=False)
        page_fetches(monkeypatch)
        assert await until(lambda: drawn(live))
        likely_value_box(live).value = 120  # valid: charts of render 2 start
        live.form._nodes[("parties", 1, "contribution")].box.value = -1  # invalid before they are drawn
        assert live.problems
        assert await until(lambda: drawn(live))
        # the charts of the last valid inputs are shown, and the status still asks for the fix
        assert all(s.startswith("2:") for s in shown_tags(live))
        assert "1 input needs fixing" in live.status.value
        assert UP_TO_DATE not in live.status.value
        assert "coopkit-stale" in live.results._dom_classes

    asyncio.run(main())


def test_a_chart_that_cannot_be_drawn_empties_the_grid_and_says_why(monkeypatch):
    calls = [0]
    broken = [False]

    def draw_one(chart):
        calls[0] += 1
        if broken[0] and calls[0] == 2:
            raise RuntimeError("<no backend> & more")
        return b"\x89PNG\r\n\x1a\n" + chart.alt.encode()  # quick: the drawing itself is not under test

    monkeypatch.setattr(worksheet_module, "_draw_one", draw_one)

    async def main():
        live = LiveWorksheet(SHEET, two_parties(), cases=False)
        page_fetches(monkeypatch)
        assert await until(lambda: drawn(live))
        assert len(live.chart_grid.children) == 2

        broken[0], calls[0] = True, 0
        likely_value_box(live).value = 120
        new = live.assessment
        assert await until(lambda: not stale_charts(live))
        assert calls[0] == 2  # the second chart raised; nothing was drawn after it
        assert live.chart_grid.children == ()
        assert not stale_charts(live)
        status = live.status.value
        assert "The charts could not be drawn" in status
        assert "RuntimeError" in status
        assert "&lt;no backend&gt; &amp; more" in status and "<no backend>" not in status
        assert "coopkit-status-invalid" in status
        # the inputs and the new figures stay
        assert likely_value_box(live).value == 120
        assert live.form.data()["partnership_value"]["likely"] == 120
        assert live.assessment is new
        assert "Alpha +30, Beta +30" in live.banner.value
        assert "coopkit-stale" not in live.results._dom_classes

        broken[0] = False  # the next edit draws again
        likely_value_box(live).value = 130
        assert await until(lambda: drawn(live))
        assert is_png_images(live.chart_grid.children) and len(live.chart_grid.children) == 2
        assert UP_TO_DATE in live.status.value

    asyncio.run(main())


# --------------------------------------------------------------------------- drawing at once
def test_without_a_running_loop_the_charts_are_drawn_at_once():
    live = LiveWorksheet(SHEET, two_parties(), cases=False)
    assert is_png_images(live.chart_grid.children) and len(live.chart_grid.children) == 2
    assert not stale_charts(live)
    assert UP_TO_DATE in live.status.value and REDRAWING not in live.status.value
    assert timing._waiting == []
    likely_value_box(live).value = 120  # an edit redraws at once too
    assert "Alpha +30, Beta +30" in live.banner.value
    assert is_png_images(live.chart_grid.children) and not stale_charts(live)


def test_defer_charts_false_in_a_kernel_draws_at_once_and_later_draws_do_not_wait(monkeypatch):
    async def main():
        live = LiveWorksheet(SHEET, two_parties(), cases=False, defer_charts=False)
        assert is_png_images(live.chart_grid.children) and len(live.chart_grid.children) == 2
        assert not stale_charts(live)
        assert UP_TO_DATE in live.status.value and REDRAWING not in live.status.value
        assert timing._waiting == []

        live.defer_charts = True  # as worksheet() does for a preheated kernel's page
        page_fetches(monkeypatch)  # the visit: the page fetches the widgets, then edits
        await asyncio.sleep(0)
        pngs = [bytes(i.value) for i in live.chart_grid.children]
        likely_value_box(live).value = 120
        assert stale_charts(live) and REDRAWING in live.status.value  # deferred now
        assert timing._waiting == []  # no page to wait for: it has had its charts
        await within_turns(lambda: drawn(live), limit=6)
        assert [bytes(i.value) for i in live.chart_grid.children] != pngs
        assert UP_TO_DATE in live.status.value

    asyncio.run(main())


# --------------------------------------------------------------------------- the case bar's list
@pytest.fixture
def saved_store(tmp_path):
    store = CaseStore(f"sqlite:///{tmp_path}/c.db")
    case_id = store.create("win_win_check", two_parties(), title="Saved earlier").case_id
    store.create("another_sheet", {"x": 1}, title="Not this worksheet")
    yield store, case_id
    store.close()


def test_in_a_kernel_the_saved_cases_are_listed_after_the_page(monkeypatch, saved_store, tagged_charts):
    store, case_id = saved_store

    async def main():
        live = LiveWorksheet(SHEET, None, store=store)
        bar = live.casebar
        assert bar is not None
        assert bar.cases.options == ()  # not read before the page has loaded
        assert len(timing._waiting) == 2  # the first charts and the case list
        await turns(5)
        assert bar.cases.options == ()
        page_fetches(monkeypatch)
        assert bar.cases.options == ()
        assert await until(lambda: bar.cases.options)
        ((label, value),) = bar.cases.options  # this worksheet's cases only
        assert "Saved earlier" in label and value == case_id
        assert await until(lambda: drawn(live))  # the sample's charts come too

    asyncio.run(main())


def test_without_a_running_loop_the_saved_cases_are_listed_at_once(saved_store):
    store, case_id = saved_store
    live = LiveWorksheet(SHEET, two_parties(), store=store)
    ((label, value),) = live.casebar.cases.options
    assert "Saved earlier" in label and value == case_id


def test_a_case_opened_with_the_page_still_waits_for_the_page_to_draw_its_charts(saved_store):
    store, case_id = saved_store

    async def main():
        live = LiveWorksheet(SHEET, None, store=store)
        assert live.casebar.open(case_id) is not None  # what worksheet(name, case=...) does
        assert live.form.data()["partnership_value"]["likely"] == 100
        await turns(8)
        assert live.chart_grid.children == ()  # no chart image is sent before the page has fetched its widgets
        assert stale_charts(live)

    asyncio.run(main())
