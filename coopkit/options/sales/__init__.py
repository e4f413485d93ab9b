"""The sales-team coopetition workbook: compete hard, collaborate wisely.

Worksheets for a sales leader whose reps compete with each other and with
rival firms they also work with: win/loss review, team culture check,
knowledge sharing and mentoring, deal review, reward design, and competing
with competitors we also work with. Each module registers its worksheet
(``kind="sales"``) like the partnering options when it is imported; see
:data:`coopkit.options.MODULES`.
"""
