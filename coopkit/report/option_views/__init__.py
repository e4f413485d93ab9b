"""Result panels of the partnering options, one module per option.

Each module decorates its view function with
:func:`coopkit.report.views.register_view`; :func:`coopkit.report.views.view`
imports them all on first use. The shared pieces (payoff chart, tornado,
guardrails and reputation sections) are in :mod:`coopkit.report.views`.
"""
