"""Charts and diagrams drawn from the data. Each function draws on given Axes (or new ones) and returns a Chart.

A ``Chart`` shows itself in a notebook as an image with alt text (a sentence built from the same data), and as
that sentence alone where images cannot be shown; ``chart.axes`` gives the drawn Axes. Styles are applied inside
each function with ``plt.rc_context``: nothing changes on import.
"""

import base64
import io
from dataclasses import dataclass, field
from html import escape

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.patches import Circle, Ellipse, Patch

from helpers import coding, data, payers
from helpers.formatting import CONFIDENCE_WORDS, money

STYLE = {"figure.dpi": 96, "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "cpt64612"}
NERVE = "#7b3294"
TARGET = "#d95f02"
MAYBE = "#fdb863"
# Where each branch ends on the schematic face (x, y), for the patient's right side (viewer's left).
BRANCH_ENDS = {"temporal": (-0.42, 0.78), "zygomatic": (-0.36, 0.36), "buccal": (-0.34, -0.12),
               "marginal mandibular": (-0.26, -0.52), "cervical": (-0.30, -1.12)}
TRUNK = (-0.92, 0.05)


@dataclass
class Chart:
    """A drawn chart and its text alternative: an image with alt text in a notebook, the text alone elsewhere."""

    axes: object
    alt: str
    _png: bytes | None = field(default=None, repr=False)

    @property
    def figure(self):
        """Return the Figure the chart is drawn on."""
        first = self.axes.flat[0] if isinstance(self.axes, np.ndarray) else self.axes
        return first.figure

    def png(self) -> bytes:
        """Return the chart as PNG bytes (drawn once; the figure is then closed, so it is not shown twice)."""
        if self._png is None:
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
            plt.close(self.figure)
            self._png = buffer.getvalue()
        return self._png

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ARG002 (IPython's signature)
        """Return the chart for a notebook: an image with alt text, and the alt text as plain text."""
        data_uri = "data:image/png;base64," + base64.b64encode(self.png()).decode("ascii")
        html = f'<img alt="{escape(self.alt)}" src="{data_uri}" style="max-width: 100%;">'
        return {"text/html": html, "text/plain": f"[Chart] {self.alt}"}


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
    branches = ", ".join(data.load("anatomy")["branch"])
    return Chart(axes, "Two schematic faces seen from the front. Purple lines show the facial nerve trunk and its "
                       f"branches ({branches}). Shaded patches mark where toxin is injected: around one eye and, "
                       "when involved, the lower face on one side for hemifacial spasm; around both eyes for "
                       "blepharospasm.")


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
                   label="Median interval between sessions in claims data, all cohorts "
                         f"({interval['low']:g}-{interval['high']:g} weeks)")
        ax.axvspan(fade_start, fade_end, color=TARGET, alpha=0.15, label="Mean relief ends in long-term series")
        for x, text, height in ((onset, "first effect", 0.4), (peak, "peak", 1.1)):
            ax.annotate(text, (x, np.interp(x, weeks, effect)), xytext=(x + 0.8, height), fontsize=8,
                        arrowprops={"arrowstyle": "->", "color": "0.5"})
        ax.set(xlabel="Weeks after the injection", ylabel="Relative effect", ylim=(0, 1.2), xlim=(0, fade_end + 3),
               title="How long one injection works")
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    return Chart(ax, f"A schematic line of one injection's effect over the weeks after it: first effect at about "
                     f"{onset:.1f} weeks, peak by about {peak:g} weeks, and mean relief ending between {fade_start:g} "
                     f"and {fade_end:g} weeks; a band marks the median interval between sessions in claims data, "
                     f"{interval['low']:g} to {interval['high']:g} weeks.")


# ---- claims and codes (notebooks 00 and 02) -------------------------------------------------

def claim_lines(condition: str, side: str, payer_type: str, product: str, dose, vial, ax=None):
    """Draw the lines of one session's claim as a simple form: the diagnosis, then each procedure and drug line."""
    lines = coding.claim(condition, side, payer_type, product, dose, vial)
    found = coding.diagnosis(condition, side)
    diagnosis = f"{found['code']} {found['title']}" if found is not None else "see the payer's billing article"
    rows = [[str(n), row.code, "" if row.modifiers == "-" else row.modifiers, "A", str(row.units)]
            for n, row in enumerate(lines.itertuples(), start=1)]
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.6))
        ax.axis("off")
        ax.text(0, 1, f"Diagnosis A: {diagnosis}", fontsize=11, fontweight="bold", va="top", transform=ax.transAxes)
        grid = ax.table(cellText=rows, colLabels=["Line", "Procedure or drug code", "Modifiers", "Diagnosis pointer",
                                                  "Units"], bbox=(0, 0, 1, 0.78), cellLoc="left", colLoc="left",
                         colWidths=[0.08, 0.3, 0.17, 0.27, 0.18])
        grid.auto_set_font_size(False)
        grid.set_fontsize(10)
        for (row, _), cell in grid.get_celld().items():
            cell.set_edgecolor("0.6")
            if row == 0:
                cell.set_facecolor("#eeeeee")
        ax.set_title(f"One session's claim lines: {condition}, {side}, {product}", loc="left")
    described = "; ".join(f"line {n}: {code}" + (f" with {mods}" if mods else "") + f", {units} unit"
                          + ("s" if units != "1" else "") for n, code, mods, _, units in rows)
    return Chart(ax, f"A simplified claim for {condition} ({side}) with {product}. Diagnosis A is {diagnosis}; "
                     f"{described}; every line points to diagnosis A.")


FAMILY_COLOURS = {"one side": TARGET, "both sides": NERVE}


def code_family(year: int, ax=None):
    """Draw the chemodenervation family as tiles: code, short descriptor and how sides are counted; 64612 outlined."""
    family = coding.family(year)
    family = family[~family["add_on"]].reset_index(drop=True)
    columns = 4
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(12, 0.9 * ((len(family) + columns - 1) // columns) + 0.8))
        for index, row in family.iterrows():
            x, y = index % columns, -(index // columns)
            colour = FAMILY_COLOURS.get(row["laterality"], "0.75")
            ax.add_patch(plt.Rectangle((x + 0.04, y - 0.86), 0.92, 0.8, facecolor=to_rgba(colour, 0.18),
                                       edgecolor="black" if row["code"] == "64612" else colour,
                                       linewidth=2.5 if row["code"] == "64612" else 1))
            ax.text(x + 0.1, y - 0.2, row["code"], fontsize=11, fontweight="bold", va="center")
            ax.text(x + 0.1, y - 0.46, row["cms_short_descriptor"], fontsize=8.5, va="center")
            ax.text(x + 0.1, y - 0.7, str(row["laterality"]), fontsize=9, va="center", color="0.3")
        rows = (len(family) + columns - 1) // columns
        ax.set(xlim=(0, columns), ylim=(-rows, 0.05))
        ax.axis("off")
        ax.set_title(f"The chemodenervation codes ({year}), without the add-ons: how each counts sides", loc="left")
    return Chart(ax, f"Tiles for the {len(family)} chemodenervation codes of {year} that are not add-ons "
                     f"({', '.join(family['code'])}), each with its CMS short descriptor and how it counts sides; "
                     "64612 is outlined. The family table above lists the same codes with their indicators.")


# ---- fee schedule charts (notebooks 04-05) --------------------------------------------------------

COMPONENT_COLOURS = {"work": NERVE, "pe": TARGET, "mp": "0.55"}
COMPONENT_LABELS = {"work": "Work", "pe": "Practice expense (PE)", "mp": "Malpractice (MP)"}
RATE_COLOURS = {"non-facility": TARGET, "facility": NERVE}
RATE_AMOUNTS = {"non-facility": "office_amount", "facility": "facility_amount"}  # columns of the fees tables
RATE_LABELS = {"non-facility": "Office (non-facility)", "facility": "Facility"}
MEDIUM_HATCH = "///"


def _floats(frame, columns):
    """Return the given columns of a frame as floats (the fee helpers hold Decimals)."""
    return {column: frame[column].astype(float).to_numpy() for column in columns}


def _stacked_rvus(ax, history, pe_column: str, title: str) -> None:
    """Draw one stacked bar per year: work, PE (from ``pe_column``) and MP RVUs, with the total on top."""
    yearly = history.drop_duplicates("year").rename(columns={pe_column: "pe"})
    values = _floats(yearly, COMPONENT_COLOURS)
    years, bottom = yearly["year"].astype(int).to_numpy(), np.zeros(len(yearly))
    confidence = yearly["rvu_confidence"] if "rvu_confidence" in yearly else ["H"] * len(yearly)
    medium = [level == "M" for level in confidence]
    for name, colour in COMPONENT_COLOURS.items():
        drawn = ax.bar(years, values[name], bottom=bottom, color=colour, label=COMPONENT_LABELS[name], width=0.7)
        for bar in (bar for bar, hatched in zip(drawn, medium) if hatched):
            bar.set_hatch(MEDIUM_HATCH)
            bar.set_edgecolor("white")
        bottom = bottom + values[name]
    for year, total in zip(years, bottom):
        ax.annotate(f"{total:.2f}", (year, total), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    ax.set(title=title, xlabel="Calendar year", xticks=years)
    ax.tick_params(axis="x", labelrotation=45)


def rvu_history(history, axes=None):
    """Draw a code's RVUs by year (a ``fees.history_table``) as stacked bars, office and facility side by side."""
    with plt.rc_context(STYLE):
        if axes is None:
            _, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
        _stacked_rvus(axes[0], history, "office_pe", "Office (non-facility) RVUs")
        _stacked_rvus(axes[1], history, "facility_pe", "Facility RVUs")
        axes[0].set_ylabel("Relative value units (RVUs)")
        handles, labels = axes[1].get_legend_handles_labels()
        handles.append(Patch(facecolor="0.8", edgecolor="white", hatch=MEDIUM_HATCH))
        labels.append("Hatched: medium confidence\n(a copy of the CMS file, not CMS's own site)")
        axes[1].legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    years = sorted(int(year) for year in history["year"].unique())
    return Chart(axes, f"Stacked bars of the work, practice-expense and malpractice RVUs for each year from "
                       f"{years[0]} to {years[-1]}, office on the left and facility on the right, with each year's "
                       "total on top; hatched bars are medium confidence. The table above lists the same numbers.")


def _qp_since() -> int | None:
    """Return the first year the data holds a separate conversion factor for QPs (None if it holds none)."""
    factors = data.load("conversion_factors")
    starts = factors.loc[factors["apm_status"] == "QP", "start"]
    return min(starts).year if len(starts) else None


def _non_qp_note(who: str = "non-QP") -> str:
    """Return ' (from <year>: <who>)' once the data splits the factor by APM status, else ''."""
    since = _qp_since()
    return f" (from {since}: {who})" if since else ""


def _periods(ax, starts, ends, values, **style) -> None:
    """Draw one value per period as flat segments joined end to start (a step line over dates)."""
    xs = [day for start, end in zip(starts, ends) for day in (start, end)]
    ys = [value for value in values for _ in (0, 1)]
    ax.plot(xs, ys, **style)


def conversion_factor_history(ax=None):
    """Draw the Medicare conversion factor over dates of service; once QPs have their own factor, it is a line."""
    factors = data.load("conversion_factors").sort_values("start", kind="stable")
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 3.6))
        main = factors[factors["apm_status"] != "QP"]
        qp = factors[factors["apm_status"] == "QP"]
        _periods(ax, main["start"], main["end"], main["cf"], color=NERVE, lw=2.5,
                 label=f"Conversion factor{_non_qp_note('clinicians who are not QPs')}")
        if not qp.empty:
            _periods(ax, qp["start"], qp["end"], qp["cf"], color=TARGET, lw=2.5, ls="--",
                     label=f"Qualifying APM participants (QP), from {_qp_since()}")
        ax.set(title="Medicare conversion factor by date of service", xlabel="Date of service",
               ylabel="Dollars per RVU")
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    main_cf = main["cf"].astype(float)
    return Chart(ax, f"A step line of the Medicare conversion factor by date of service from {min(factors['start'])} "
                     f"to {max(factors['end'])}, between ${main_cf.min():.4f} and ${main_cf.max():.4f} per RVU"
                     + (f"; from {_qp_since()} a second line shows the factor for qualifying APM participants."
                        if _qp_since() else ".") + " The table below lists every factor.")


def payment_history(history, ax=None):
    """Draw a code's national amount per conversion-factor period (a ``fees.history_table``), office and facility."""
    shown = history[history["apm_status"] != "QP"]
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 3.8))
        for rate, column in RATE_AMOUNTS.items():
            _periods(ax, shown["start"], shown["end"], shown[column].astype(float), color=RATE_COLOURS[rate],
                     lw=2.5, label=RATE_LABELS[rate])
        ax.set(title=f"National fee schedule amount by date of service{_non_qp_note()}", xlabel="Date of service",
               ylabel="Dollars (national, no GPCI)")
        ax.set_ylim(bottom=0)
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    return Chart(ax, f"Two step lines of the national fee schedule amount by date of service from "
                     f"{min(shown['start'])} to {max(shown['end'])}, office above facility, drawn from zero dollars; "
                     "the history table above lists each amount.")


def family_comparison(family, ax=None):
    """Draw grouped bars of the national amount per code (a ``fees.family_table``), office and facility."""
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 4))
        positions = np.arange(len(family))
        for offset, (rate, column) in zip((-0.2, 0.2), RATE_AMOUNTS.items()):
            amounts = family[column].astype(float).to_numpy()
            bars = ax.bar(positions + offset, amounts, width=0.4, color=RATE_COLOURS[rate], label=RATE_LABELS[rate])
            ax.bar_label(bars, labels=[money(amount) for amount in amounts], fontsize=8, padding=2)
        ax.set(title="National fee schedule amount by code", xlabel="Procedure code",
               ylabel="Dollars (national, no GPCI)", xticks=positions, xticklabels=list(family["code"]))
        ax.legend(loc="upper left", fontsize=8, frameon=False)
    return Chart(ax, f"Paired bars of the national office and facility amounts for codes {', '.join(family['code'])}, "
                     "each bar labelled in dollars; the family table above lists the same amounts.")


def locality_amounts(frame, ax=None, title="Office (non-facility) amount by locality"):
    """Draw horizontal bars of one amount per locality (columns 'locality' and 'amount'), first on top."""
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 0.5 * len(frame) + 1.2))
        amounts = frame["amount"].astype(float).to_numpy()
        positions = np.arange(len(frame))[::-1]
        colours = [NERVE if index == 0 else TARGET for index in range(len(frame))]
        bars = ax.barh(positions, amounts, color=colours)
        ax.bar_label(bars, labels=[money(amount) for amount in amounts], fontsize=8, padding=2)
        ax.set(title=title, xlabel="Dollars", yticks=positions,
               yticklabels=list(frame["locality"]), xlim=(0, amounts.max() * 1.15))
    return Chart(ax, f"{title}: horizontal bars, one per row of the table above ({', '.join(frame['locality'])}), "
                     "each labelled in dollars.")


# ---- Payer landscape (notebooks 06-07) ----------------------------------------------------------

CONFIDENCE_SHADES = {"": "#eeeeee", "L": "#c7e9c0", "M": "#74c476", "H": "#238b45"}


def _payer_boundaries(ax, payer_of: list[str]) -> None:
    """Draw a line between the rows of one payer and the next."""
    for row in range(1, len(payer_of)):
        if payer_of[row] != payer_of[row - 1]:
            ax.axhline(row - 0.5, color="0.3", linewidth=1.2)


def _confidence_legend(ax) -> None:
    """Add the legend that explains the matrix's shades."""
    names = {"": "not stated in the data",
             **{level: f"stated, {word} confidence" for level, word in CONFIDENCE_WORDS.items()}}
    ax.legend(handles=[Patch(color=shade, label=names[key]) for key, shade in CONFIDENCE_SHADES.items()],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)


def requirements_chart(ax=None):
    """Draw payer policies x requirements: a shaded cell (confidence H/M/L) where the data states it."""
    matrix = payers.requirements_matrix()
    levels = list(CONFIDENCE_SHADES)
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(11, 6.8))
        ax.imshow(matrix.map(levels.index).to_numpy(), cmap=ListedColormap(list(CONFIDENCE_SHADES.values())),
                  vmin=0, vmax=len(levels) - 1, aspect="auto")
        for (row, column), level in np.ndenumerate(matrix.to_numpy()):
            ax.text(column, row, level or "·", ha="center", va="center", fontsize=9,
                    color="white" if level == "H" else "0.2", fontweight="bold" if level else "normal")
        ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=35, ha="right")
        ax.set_yticks(range(matrix.shape[0]), matrix.index, fontsize=8)
        ax.set_xticks(np.arange(-0.5, matrix.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, matrix.shape[0]), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        _payer_boundaries(ax, payers.policy_list()["payer"].tolist())
        ax.set(title="Which requirements each payer policy states (course data)", xlabel="Requirement",
               ylabel="Payer policy (plan: policy)")
        _confidence_legend(ax)
    return Chart(ax, f"A grid of {matrix.shape[0]} payer policies (rows) by {matrix.shape[1]} requirements (columns). "
                     "A shaded cell marked H, M or L means the course's data states that requirement for that "
                     "policy, at high, medium or low confidence; a grey cell with a dot means it does not. The "
                     "requirements table below gives the same grid in words.")


def retreatment_intervals(ax=None):
    """Draw each policy's interval rule in weeks beside the median interval seen in claims data."""
    rules = payers.intervals().iloc[::-1]
    bench = data.load("benchmarks").set_index("metric").loc["interval between sessions (median)"]
    labels = [f"{row.policy}\n{row.measure} ({row.applies_to})" for row in rules.itertuples()]
    with plt.rc_context(STYLE):
        if ax is None:
            _, ax = plt.subplots(figsize=(10, 5.8))
        positions = np.arange(len(rules))
        ax.axvspan(bench["low"], bench["high"], color=MAYBE, alpha=0.5,
                   label="Median interval in claims data, all cohorts "
                         f"({bench['low']:g}-{bench['high']:g} weeks, {bench['period']})")
        bars = ax.barh(positions, rules["weeks"], color=NERVE, height=0.55, label="Policy rule")
        ax.bar_label(bars, labels=[f"{row.value:g} {row.unit}" for row in rules.itertuples()], fontsize=8, padding=3)
        ax.set_yticks(positions, labels, fontsize=8)
        ax.set(title="Interval between treatments: payer rules and practice",
               xlabel="Weeks (a month counted as 52/12 weeks)",
               xlim=(0, max(rules["weeks"].max(), bench["high"]) * 1.2))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
    return Chart(ax, f"Horizontal bars of the minimum interval between treatments in {len(rules)} payer rules, each "
                     "labelled with the rule's own words, beside a band for the median interval in claims data, "
                     f"{bench['low']:g} to {bench['high']:g} weeks. The interval table above lists the same rules.")
