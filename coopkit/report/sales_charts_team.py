"""Charts of the sales team worksheets: the culture map, practices, questions, the help network and mentoring.

Each function takes a table of :mod:`coopkit.frameworks.survey` or
:mod:`coopkit.frameworks.helpnet` and returns a matplotlib Figure built
without pyplot, its title stating the finding, every text drawn as typed
(names never parsed as mathtext), in the colour-blind-safe palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.frameworks.survey import OTHER, SCALES, WHOLE_TEAM
from coopkit.report.charts import PALETTE, _figure, _literal

if TYPE_CHECKING:  # matplotlib, networkx and the help network's SciPy are imported when a chart needs them
    import networkx as nx
    from matplotlib.figure import Figure

__all__ = [
    "culture_map",
    "practices_chart",
    "items_chart",
    "network_chart",
    "balance_chart",
    "benefit_chart",
    "ROLE_COLOURS",
]

#: Colour of each role in the help network.
ROLE_COLOURS = {
    "only gives": PALETTE[2],
    "mostly gives": PALETTE[0],
    "gives and takes": PALETTE[4],
    "mostly takes": PALETTE[1],
    "only takes": PALETTE[3],
    "isolated": PALETTE[7],
}
_SCALE_COLOURS = dict(zip(SCALES, (PALETTE[0], PALETTE[2], PALETTE[4], PALETTE[3]), strict=True))


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _map_title(groups: pd.DataFrame) -> str:
    """The finding of the culture map: which groups are outside the healthy-rivalry corner.

    Examples
    --------
    >>> t = pd.DataFrame({"corner": ["healthy rivalry", "cut-throat rivalry", "healthy rivalry"]},
    ...                  index=["North", "Metro", "Whole team"])
    >>> _map_title(t)
    'Metro is in the cut-throat rivalry corner'
    """
    shown = groups.drop(index=WHOLE_TEAM, errors="ignore")
    off = [(str(g), c) for g, c in shown["corner"].items() if c != "healthy rivalry"]
    if not off:
        return "Every group is in the healthy-rivalry corner"
    if len(off) == 1:
        return f"{off[0][0]} is in the {off[0][1]} corner"
    return f"{len(off)} groups are outside the healthy-rivalry corner"


def culture_map(groups: pd.DataFrame, points: int = 7) -> Figure:
    """Healthy-vs-toxic map: each group as a point, healthy competition across, toxic signals up, safety as colour.

    Parameters
    ----------
    groups : pandas.DataFrame
        The group table of :func:`coopkit.frameworks.survey.group_table`
        (scores in points of the agreement scale, the whole team last).
    points : int
        Points of the agreement scale.

    Examples
    --------
    >>> t = pd.DataFrame({"answers": [8, 9, 17], "psych_safety": [5.5, 3.4, 4.5],
    ...                   "healthy_competition": [5.0, 5.2, 5.1], "collaboration": [5.0, 3.5, 4.3],
    ...                   "toxic_signals": [2.5, 5.1, 3.7],
    ...                   "corner": ["healthy rivalry", "cut-throat rivalry", "healthy rivalry"]},
    ...                  index=["North", "Metro", "Whole team"])
    >>> culture_map(t).axes[0].get_title()
    'Metro is in the cut-throat rivalry corner'
    """
    fig, ax = _figure(6.4, 4.6)
    mid = (points + 1) / 2
    lo, hi = 1 - 0.3, points + 0.3
    ax.axvline(mid, color="#999999", linewidth=0.8, linestyle="--")
    ax.axhline(mid, color="#999999", linewidth=0.8, linestyle="--")
    ax.axhspan(mid, hi, xmin=0, xmax=1, color=PALETTE[3], alpha=0.05)
    corners = [
        (lo + 0.1, hi - 0.1, "disengaged and toxic", "left", "top"),
        (hi - 0.1, hi - 0.1, "cut-throat rivalry", "right", "top"),
        (lo + 0.1, lo + 0.1, "comfortable", "left", "bottom"),
        (hi - 0.1, lo + 0.1, "healthy rivalry", "right", "bottom"),
    ]
    for x, y, label, ha, va in corners:
        ax.text(x, y, label, ha=ha, va=va, fontsize=8, color="#666666", style="italic")
    shown = groups.drop(index=WHOLE_TEAM, errors="ignore")
    scatter = ax.scatter(
        shown["healthy_competition"],
        shown["toxic_signals"],
        c=shown["psych_safety"],
        cmap="viridis",
        vmin=1,
        vmax=points,
        s=40 + 12 * shown["answers"].to_numpy(dtype=float),
        edgecolors="black",
        linewidths=0.6,
        zorder=3,
    )
    for name, row in shown.iterrows():
        label = str(name) if not str(name).startswith(OTHER) else "Other (pooled)"
        ax.annotate(
            label,
            (row["healthy_competition"], row["toxic_signals"]),
            xytext=(7, 6),
            textcoords="offset points",
            fontsize=8,
        )
    if WHOLE_TEAM in groups.index:
        whole = groups.loc[WHOLE_TEAM]
        ax.scatter(
            [whole["healthy_competition"]],
            [whole["toxic_signals"]],
            marker="D",
            s=60,
            facecolors="none",
            edgecolors="black",
            linewidths=1.4,
            zorder=4,
        )
        ax.annotate(
            WHOLE_TEAM,
            (whole["healthy_competition"], whole["toxic_signals"]),
            xytext=(-6, 6),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            fontweight="bold",
        )
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(f"Healthy competition (1-{points}, higher is better)")
    ax.set_ylabel(f"Toxic signals (1-{points}, lower is better)")
    fig.colorbar(scatter, ax=ax, label=f"Psychological safety (1-{points})", shrink=0.85)
    ax.set_title(_map_title(groups))
    return _literal(fig)


def practices_chart(practices: pd.DataFrame) -> Figure:
    """The practices' priorities for the whole team (0 to 1, the weighted gap they address), highest on top.

    Examples
    --------
    >>> p = pd.DataFrame({"priority": [0.4, 0.3], "weakest": ["Toxic signals", "Collaboration"]},
    ...                  index=["Win-sharing", "Deal review"])
    >>> practices_chart(p).axes[0].get_title()
    'Start with win-sharing: it addresses toxic signals'
    """
    fig, ax = _figure(6.4, max(2.4, 0.45 * len(practices) + 1.2))
    y = np.arange(len(practices))[::-1]
    colours = [PALETTE[3] if j == 0 else PALETTE[0] for j in range(len(practices))]
    ax.barh(y, practices["priority"].astype(float), color=colours)
    ax.set_yticks(y, [str(i) for i in practices.index])
    for yy, (_, row) in zip(y, practices.iterrows(), strict=True):
        ax.text(float(row["priority"]) + 0.01, yy, str(row["weakest"]).lower(), va="center", fontsize=8)
    ax.set_xlim(0, max(1.0, float(practices["priority"].max()) + 0.3))
    ax.set_xlabel("Priority: the gap on the scales it addresses (0 none, 1 worst)")
    top = practices.iloc[0]
    ax.set_title(f"Start with {str(practices.index[0]).lower()}: it addresses {str(top['weakest']).lower()}")
    return _literal(fig)


def items_chart(items: pd.DataFrame, points: int = 7) -> Figure:
    """Every question's whole-team ``health`` score (:func:`~coopkit.frameworks.survey.item_table`): higher is healthier.

    Examples
    --------
    >>> it = pd.DataFrame({"scale": ["Psychological safety", "Toxic signals"], "text": ["It is safe.", "Hiding."],
    ...                    "health": [5.5, 3.5]}, index=["ps4", "tx1"])
    >>> items_chart(it).get_suptitle()
    'Lowest: tx1, "Hiding."'
    """
    from matplotlib.patches import Patch

    health = items["health"].to_numpy(dtype=float)
    fig, ax = _figure(9.6, max(3.0, 0.28 * len(items) + 1.4))
    y = np.arange(len(items))[::-1]
    by_title = {s.title: key for key, s in SCALES.items()}
    colours = [_SCALE_COLOURS.get(by_title.get(str(s), ""), PALETTE[7]) for s in items["scale"]]
    values = np.nan_to_num(health, nan=0.0)
    ax.barh(y, values - 1, left=1, color=colours)
    labels = [f"{code}  {_short(str(text), 70)}" for code, text in zip(items.index, items["text"], strict=True)]
    ax.set_yticks(y, labels, fontsize=7)
    ax.axvline((points + 1) / 2, color="black", linewidth=0.8, linestyle="--")
    ax.set_xlim(1, points)
    ax.set_xlabel(f"Whole-team score (1-{points}, higher is healthier; toxic-signal questions reversed)")
    handles = [Patch(color=_SCALE_COLOURS[key], label=scale.title) for key, scale in SCALES.items()]
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower right")
    if np.isnan(health).all():
        fig.suptitle("Too few answers per question to show")
    else:
        j = int(np.nanargmin(health))
        fig.suptitle(f'Lowest: {items.index[j]}, "{_short(str(items["text"].iloc[j]), 70)}"')
    return _literal(fig)


def _network_title(people: pd.DataFrame) -> str:
    """The finding of the network chart: the top giver and who is isolated.

    Examples
    --------
    >>> p = pd.DataFrame({"gives": [12, 3, 0], "role": ["mostly gives", "only takes", "isolated"]},
    ...                  index=["Ana", "Ben", "Cy"])
    >>> _network_title(p)
    'Ana gives the most help (12 times); 1 isolated'
    """
    if people.empty or people["gives"].max() <= 0:
        return "No help given in the log"
    top = people["gives"].idxmax()
    isolated = int((people["role"] == "isolated").sum())
    tail = f"; {isolated} isolated" if isolated else "; nobody isolated"
    return f"{top} gives the most help ({int(people.loc[top, 'gives'])} times){tail}"


def _layout(graph: nx.DiGraph) -> dict:
    """Positions: each connected group of people by Kamada-Kawai, side by side; isolated people in a row below.

    The layout is deterministic, so the same log gives the same picture.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("Ana", "Ben"), ("Ben", "Cy"), ("Dee", "Eve")])
    >>> g.add_node("Fay")
    >>> pos = _layout(g)
    >>> sorted(pos), bool(pos["Fay"][1] < min(pos[n][1] for n in "Ana Ben Cy".split()))
    (['Ana', 'Ben', 'Cy', 'Dee', 'Eve', 'Fay'], True)
    """
    import networkx as nx

    undirected = graph.to_undirected()
    comps = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), sorted(map(str, c))))
    pos: dict = {}
    x = -1.0
    for k, comp in enumerate(c for c in comps if len(c) > 1):
        nodes = sorted(comp, key=str)
        scale = 1.0 if k == 0 else 0.35
        if len(nodes) > 2:
            sub = nx.kamada_kawai_layout(undirected.subgraph(nodes), scale=scale)
        else:
            sub = {n: np.array([j * scale - scale / 2, 0.0]) for j, n in enumerate(nodes)}
        width = 2 * scale
        for n, p in sub.items():
            pos[n] = np.array([p[0] + x + scale, p[1]])
        x += width + 0.4
    singles = sorted((next(iter(c)) for c in comps if len(c) == 1), key=str)
    bottom = min((p[1] for p in pos.values()), default=0.0) - 0.45
    span = max(x - 0.4, 1.0) + 1.0
    for j, n in enumerate(singles):
        pos[n] = np.array([-1.0 + span * (j + 0.5) / max(len(singles), 1), bottom])
    return pos


def network_chart(graph: nx.DiGraph, people: pd.DataFrame) -> Figure:
    """The help network: an arrow from helper to helped (wider for more times), people coloured by role.

    Node size grows with the help given and received. Connected people are
    placed by the Kamada-Kawai layout [Kamada1989]_ (close when they help each
    other), isolated people in a row below.

    .. [Kamada1989] Kamada, T. and Kawai, S. (1989). "An algorithm for drawing
       general undirected graphs". *Information Processing Letters* 31(1), 7-15.

    Examples
    --------
    >>> from coopkit.frameworks.helpnet import network_table
    >>> import networkx as nx
    >>> g = nx.DiGraph([("Ana", "Ben", {"weight": 3}), ("Ben", "Ana", {"weight": 1})])
    >>> g.add_node("Cy")
    >>> network_chart(g, network_table(g)).axes[0].get_title()
    'Ana gives the most help (3 times); 1 isolated'
    """
    fig, ax = _figure(8.0, 6.0)
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        ax.set_title("No one in the log or the reps table")
        return _literal(fig)
    pos = _layout(graph)
    top = max((d.get("weight", 1) for _, _, d in graph.edges(data=True)), default=1)
    for u, v, d in graph.edges(data=True):
        ax.annotate(
            "",
            xy=pos[v],
            xytext=pos[u],
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#888888",
                "alpha": 0.6,
                "linewidth": 0.5 + 2.5 * d.get("weight", 1) / top,
                "shrinkA": 8,
                "shrinkB": 8,
                "connectionstyle": "arc3,rad=0.08",
            },
        )
    names = list(graph.nodes)
    xy = np.array([pos[n] for n in names])
    volume = np.array([people.loc[n, "gives"] + people.loc[n, "takes"] for n in names], dtype=float)
    sizes = 40 + 260 * volume / max(volume.max(), 1)
    colours = [ROLE_COLOURS[people.loc[n, "role"]] for n in names]
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, c=colours, edgecolors="white", linewidths=0.8, zorder=3)
    for n, (x, y) in zip(names, xy, strict=True):
        ax.annotate(str(n), (x, y), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=7, zorder=4)
    from coopkit.frameworks.helpnet import ROLES

    present = [r for r in ROLES if (people["role"] == r).any()]
    handles = [ax.scatter([], [], s=40, c=ROLE_COLOURS[r], label=r) for r in present]
    ax.legend(
        handles=handles, frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=len(present)
    )
    ax.margins(0.08)
    ax.set_title(_network_title(people))
    return _literal(fig)


def balance_chart(people: pd.DataFrame) -> Figure:
    """Per person, help given (right) and received (left), most given on top.

    Examples
    --------
    >>> p = pd.DataFrame({"gives": [5, 0, 0], "takes": [1, 4, 0], "role": ["mostly gives", "only takes", "isolated"]},
    ...                  index=["Ana", "Ben", "Cy"])
    >>> balance_chart(p).axes[0].get_title()
    '1 only takes, 1 isolated'
    """
    fig, ax = _figure(6.4, max(3.0, 0.26 * len(people) + 1.4))
    y = np.arange(len(people))[::-1]
    ax.barh(y, people["gives"].astype(float), color=PALETTE[0], label="Help given")
    ax.barh(y, -people["takes"].astype(float), color=PALETTE[1], label="Help received")
    ax.set_yticks(y, [str(n) for n in people.index], fontsize=7)
    ax.axvline(0, color="black", linewidth=0.8)
    limit = max(1.0, float(max(people["gives"].max(), people["takes"].max()))) * 1.1
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{abs(x):.0f}")
    ax.set_xlabel("Times help was received (left) and given (right)")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    takers = int((people["role"] == "only takes").sum())
    isolated = int((people["role"] == "isolated").sum())
    parts = [
        f"{takers} only take{'s' if takers == 1 else ''}" if takers else "",
        f"{isolated} isolated" if isolated else "",
    ]
    ax.set_title(", ".join(p for p in parts if p) or "Everyone gives and gets help")
    return _literal(fig)


def benefit_chart(benefit: pd.DataFrame, pairs: pd.DataFrame) -> Figure:
    """Heat map of each mentee's benefit from each mentor (need-weighted skill points), the chosen pairs framed.

    Examples
    --------
    >>> b = pd.DataFrame([[3.0, 1.0], [0.5, 2.0]], index=["Cy", "Dee"], columns=["Ana", "Ben"])
    >>> pairs = pd.DataFrame({"mentee": ["Cy", "Dee"], "mentor": ["Ana", "Ben"], "benefit": [3.0, 2.0]})
    >>> benefit_chart(b, pairs).axes[0].get_title()
    '2 pairs close a need-weighted gap of 5.00 points'
    """
    from matplotlib.patches import Rectangle

    fig, ax = _figure(6.4, max(3.0, 0.4 * len(benefit) + 1.6))
    if benefit.empty:
        ax.set_axis_off()
        ax.set_title("No mentors or no mentees to pair")
        return _literal(fig)
    image = ax.imshow(benefit.to_numpy(dtype=float), cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(np.arange(benefit.shape[1]), [str(c) for c in benefit.columns], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(np.arange(benefit.shape[0]), [str(r) for r in benefit.index], fontsize=8)
    top = float(benefit.to_numpy().max()) or 1.0
    for i in range(benefit.shape[0]):
        for j in range(benefit.shape[1]):
            value = float(benefit.iat[i, j])
            ax.text(
                j,
                i,
                f"{value:.1f}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > top / 2 else "black",
            )
    rows = {str(n): i for i, n in enumerate(benefit.index)}
    cols = {str(n): j for j, n in enumerate(benefit.columns)}
    for _, pair in pairs.iterrows():
        i, j = rows[str(pair["mentee"])], cols[str(pair["mentor"])]
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=PALETTE[3], linewidth=2.2))
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.set_xlabel("Mentor")
    ax.set_ylabel("Mentee")
    fig.colorbar(image, ax=ax, label="Benefit (need-weighted skill points)", shrink=0.85)
    total = float(pairs["benefit"].sum()) if len(pairs) else 0.0
    ax.set_title(
        f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} close a need-weighted gap of {total:.2f} points"
        if len(pairs)
        else "No pair closes a skill gap"
    )
    return _literal(fig)
