"""When a worksheet does its slower work in a kernel: after the page has fetched its widgets.

A Voila page that starts a kernel on request gets its HTML once the notebook has run; its scripts then
connect to the kernel and ask for the state of every widget (ipywidgets' ``request_states``) and build
them. Widget messages sent in between, such as new chart images right after the cell, either make the
page wait (the kernel is busy drawing while the page asks) or reach a widget manager that is not ready
for them. Voila and ipywidgets report pages that then never show their widgets (voila-dashboards/voila
#534, #920). coopkit has seen it here too: about one page load in a hundred, under load.

So a worksheet's slower follow-up work (drawing its first charts, listing the saved cases) waits until
the page has fetched the widgets, plus :data:`SETTLE_SECONDS` for it to build them. Where no page is
coming, for example when nbval executes the notebook, it waits :data:`FALLBACK_SECONDS` at most. Where a
front end is already connected (JupyterLab, or a page that has loaded), the work runs on the next turn
of the event loop. Measured in Voila with a cold kernel (BENCHMARKS.md): the win-win verdict shows in
about 1.9 s this way, against 2.6 s with the charts drawn right after the cell.

>>> SETTLE_SECONDS <= FALLBACK_SECONDS
True
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

__all__ = ["FALLBACK_SECONDS", "SETTLE_SECONDS", "after_page", "page_connected"]

#: Seconds after the page fetched the widgets' state before the waiting work runs (the page builds them).
SETTLE_SECONDS = 0.5
#: Longest wait for a page that never asks (a notebook run by nbval, a page closed early).
FALLBACK_SECONDS = 5.0

_waiting: list[Callable[[], None]] = []
_hooked = False


def page_connected() -> bool:
    """Whether a front end has asked this kernel for its widgets' state (its control channel is open).

    >>> isinstance(page_connected(), bool)
    True
    """
    from ipywidgets.widgets.widget import Widget

    return Widget._control_comm is not None


def after_page(step: Callable[[], None]) -> bool:
    """Run ``step`` once the page has fetched its widgets; now, without a running event loop.

    Returns True if the step was scheduled, False if it already ran (a script, a test).

    >>> ran = []
    >>> after_page(lambda: ran.append(1)), ran
    (False, [1])
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        step()
        return False
    if page_connected():
        loop.call_soon(step)
        return True
    _hook()
    _waiting.append(step)
    loop.call_later(FALLBACK_SECONDS, _run_waiting)
    return True


def _run_waiting() -> None:
    steps = list(_waiting)
    _waiting.clear()
    for step in steps:
        step()


def _fetched() -> None:
    """The page has been sent every widget's state: run the waiting work once it has had time to build them."""
    try:
        asyncio.get_running_loop().call_later(SETTLE_SECONDS, _run_waiting)
    except RuntimeError:
        _run_waiting()


def _hook() -> None:
    """Follow ipywidgets' answer to ``request_states`` (once per kernel)."""
    global _hooked
    if _hooked:
        return
    from ipywidgets.widgets.widget import Widget

    answer = Widget._handle_control_comm_msg  # bound to Widget; the control comm calls it for each message

    def handle(cls, msg):
        answer(msg)
        if msg.get("content", {}).get("data", {}).get("method") == "request_states":
            _fetched()

    Widget._handle_control_comm_msg = classmethod(handle)
    _hooked = True
