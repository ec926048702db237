"""Charts and diagrams drawn from the data. Each function takes or makes Axes and returns them.

Styles are applied inside each function with ``plt.rc_context``: nothing changes on import.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, Ellipse

from helpers import data

STYLE = {"figure.dpi": 96, "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "cpt64612"}
NERVE = "#7b3294"
TARGET = "#d95f02"
MAYBE = "#fdb863"
# Where each branch ends on the schematic face (x, y), for the patient's right side (viewer's left).
BRANCH_ENDS = {"temporal": (-0.42, 0.78), "zygomatic": (-0.36, 0.36), "buccal": (-0.34, -0.12),
               "marginal mandibular": (-0.26, -0.52), "cervical": (-0.30, -1.12)}
TRUNK = (-0.92, 0.05)


def _face(ax) -> None:
    """Draw a plain face outline with eyes, nose and mouth."""
    ax.add_patch(Ellipse((0, 0.1), 1.9, 2.3, fill=False, lw=1.5, color="0.35"))
    for x in (-0.38, 0.38):
        ax.add_patch(Ellipse((x, 0.35), 0.32, 0.14, fill=False, lw=1.2, color="0.35"))
    ax.plot([0, -0.06, 0.06], [0.25, -0.05, -0.05], color="0.55", lw=1)
    ax.add_patch(Ellipse((0, -0.42), 0.45, 0.12, fill=False, lw=1.2, color="0.35"))
    ax.plot([-0.35, -0.35, 0.35, 0.35], [-1.0, -1.35, -1.35, -1.0], color="0.6", lw=1)


def _branches(ax, side: int, labelled: bool) -> None:
    """Draw the facial nerve trunk and its five branches on one side (side -1 = patient's right)."""
    anatomy = data.load("anatomy").sort_values("order")
    trunk = (TRUNK[0] * -side, TRUNK[1]) if side > 0 else TRUNK
    ax.add_patch(Circle(trunk, 0.045, color=NERVE))
    for row in anatomy.itertuples():
        end = BRANCH_ENDS[row.branch]
        end = (-end[0], end[1]) if side > 0 else end
        ax.plot([trunk[0], end[0]], [trunk[1], end[1]], color=NERVE, lw=2)
        if labelled:
            ax.annotate(f"{row.branch}\n({row.example_muscles})", end, xytext=(-3.35, end[1]), fontsize=8,
                        va="center", ha="left", arrowprops={"arrowstyle": "-", "color": "0.7", "lw": 0.6})


def _targets(ax, condition: str) -> None:
    """Mark the injected areas: around the eye(s) for both conditions; the lower face for HFS when involved."""
    eyes = [-0.38] if condition == "HFS" else [-0.38, 0.38]
    for x in eyes:
        ax.add_patch(Ellipse((x, 0.35), 0.58, 0.38, color=TARGET, alpha=0.35, lw=0))
    if condition == "HFS":
        ax.add_patch(Ellipse((-0.3, -0.3), 0.45, 0.55, color=MAYBE, alpha=0.45, lw=0))


def facial_nerve_diagram(axes=None):
    """Draw the facial nerve's branches and the areas injected for hemifacial spasm and for blepharospasm."""
    with plt.rc_context(STYLE):
        if axes is None:
            _, axes = plt.subplots(1, 2, figsize=(12, 4.6), width_ratios=(4.7, 2.6))
        titles = {"HFS": "Hemifacial spasm: one side", "BEB": "Benign essential blepharospasm: both eyes"}
        for ax, condition in zip(axes, ("HFS", "BEB")):
            _face(ax)
            _targets(ax, condition)
            _branches(ax, -1, labelled=condition == "HFS")
            if condition == "BEB":
                _branches(ax, +1, labelled=False)
            left = -3.4 if condition == "HFS" else -1.3
            ax.set(xlim=(left, 1.3), ylim=(-1.45, 1.35), aspect="equal", title=titles[condition])
            ax.axis("off")
        axes[0].text(-3.35, -1.5, "Dark patch: orbicularis oculi, injected in both conditions. Light patch: lower face,"
                     " injected in HFS when involved.\nPurple: facial nerve trunk and its five branches (the face is"
                     " seen from the front, so the patient's right is on the left).", fontsize=8, va="top")
    return axes


def _fact(facts, fact_id: str, column: str = "low") -> float:
    """Return one number from the clinical facts table."""
    return float(facts.loc[fact_id, column])


def effect_timeline(ax=None):
    """Draw a schematic of the toxin's effect over time from the onset, peak and duration facts."""
    facts = data.load("clinical_facts").set_index("id")
    bench = data.load("benchmarks").set_index("metric")
    onset = _fact(facts, "onset") / 7
    peak = _fact(facts, "peak", "high")
    fade_start, fade_end = _fact(facts, "duration-series"), _fact(facts, "duration-series", "high")
    interval = bench.loc["interval between sessions (median)"]
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 3.6))
        weeks = np.array([0, onset, peak, fade_start, fade_end + 2])
        effect = np.array([0, 0.15, 1.0, 0.75, 0.0])
        ax.plot(weeks, effect, color=NERVE, lw=2.5, label="Effect (schematic shape)")
        ax.axvspan(interval["low"], interval["high"], color=MAYBE, alpha=0.5,
                   label=f"Median interval between sessions in claims data ({interval['low']:g}-{interval['high']:g} weeks)")
        ax.axvspan(fade_start, fade_end, color=TARGET, alpha=0.15, label="Mean relief ends in long-term series")
        for x, text, height in ((onset, "first effect", 0.4), (peak, "peak", 1.1)):
            ax.annotate(text, (x, np.interp(x, weeks, effect)), xytext=(x + 0.8, height), fontsize=8,
                        arrowprops={"arrowstyle": "->", "color": "0.5"})
        ax.set(xlabel="Weeks after the injection", ylabel="Relative effect", ylim=(0, 1.2), xlim=(0, fade_end + 3),
               title="How long one injection works")
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    return ax
