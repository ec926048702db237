"""The charts: each checked for its titles, labels and the number of bars or lines it draws, on given axes too."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from helpers import coding, data, fees, figures, payers
from helpers.formatting import money


FAMILY = ["64612", "64615", "64616", "64617", "67345"]


DAY = "2026-03-02"


@pytest.fixture(autouse=True)
def close_figures():
    """Start every test with no figure open, and close every figure it opens."""
    plt.close("all")
    yield
    plt.close("all")


def bars(ax) -> list:
    """Return the bar rectangles drawn on an Axes."""
    return [patch for patch in ax.patches if isinstance(patch, Rectangle)]


def test_rvu_history_draws_three_stacked_bars_per_year_in_each_panel():
    history = fees.history_table("64612")
    axes = figures.rvu_history(history).axes
    years = history["year"].nunique()
    assert len(axes) == 2
    for ax in axes:
        assert len(bars(ax)) == 3 * years
        assert ax.get_title() and ax.get_xlabel()
    assert axes[0].get_ylabel()
    tops = sorted(float(text.get_text()) for text in axes[0].texts)
    office = fees.history("64612", "non-facility")
    assert tops == sorted(office.drop_duplicates("year")["total_rvus"].astype(float))


def test_rvu_history_hatches_the_medium_confidence_years():
    history = fees.history_table("64612")
    axes = figures.rvu_history(history).axes
    medium = set(history.loc[history["rvu_confidence"] == "M", "year"])
    for ax in axes:
        hatched = {round(bar.get_x() + bar.get_width() / 2) for bar in bars(ax) if bar.get_hatch()}
        assert hatched == medium and medium
    assert any("medium confidence" in text.get_text() for text in axes[1].get_legend().get_texts())


def test_conversion_factor_history_draws_two_lines_over_every_period():
    ax = figures.conversion_factor_history().axes
    factors = data.load("conversion_factors")
    assert len(ax.get_lines()) == 2
    drawn = {value for line in ax.get_lines() for value in line.get_ydata()}
    assert drawn == set(factors["cf"])
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_the_qp_labels_follow_the_conversion_factor_table(data_copy):
    legend = [text.get_text() for text in figures.conversion_factor_history().axes.get_legend().get_texts()]
    assert legend == ["Conversion factor (from 2026: clinicians who are not QPs)",
                      "Qualifying APM participants (QP), from 2026"]
    table = data_copy / "conversion_factors.csv"
    table.write_text("".join(line for line in table.read_text(encoding="utf-8").splitlines(keepends=True)
                             if ",QP," not in line), encoding="utf-8")
    assert "(from" not in figures.payment_history(fees.history_table("64612")).axes.get_title()
    legend = [text.get_text() for text in figures.conversion_factor_history().axes.get_legend().get_texts()]
    assert legend == ["Conversion factor"]  # no QP line, and no "from None"


def test_payment_history_draws_office_and_facility():
    history = fees.history_table("64612")
    ax = figures.payment_history(history).axes
    lines = ax.get_lines()
    assert len(lines) == 2
    assert max(lines[0].get_ydata()) == float(history[history["apm_status"] != "QP"]["office_amount"].max())
    assert max(lines[1].get_ydata()) == float(history[history["apm_status"] != "QP"]["facility_amount"].max())
    assert ax.get_title() and ax.get_ylabel()
    assert ax.get_ylim()[0] == 0  # drawn to scale: the axis starts at zero
    assert "non-QP" in ax.get_title()


def test_family_comparison_draws_two_labelled_bars_per_code():
    family = fees.family_table(FAMILY, DAY)
    ax = figures.family_comparison(family).axes
    assert len(bars(ax)) == 2 * len(FAMILY)
    assert [label.get_text() for label in ax.get_xticklabels()] == FAMILY
    assert len(ax.texts) == 2 * len(FAMILY)
    assert ax.get_title() and ax.get_ylabel()
    labels = {text.get_text() for text in ax.texts}
    assert money(family.set_index("code").loc["64616", "facility_amount"]) in labels


def test_locality_amounts_draws_one_bar_per_row_first_on_top():
    frame = pd.DataFrame({"locality": ["National", "Alabama"],
                          "amount": [fees.medicare_payment("64612", DAY, "11", locality=place).allowed
                                     for place in ("national", "al")]})
    ax = figures.locality_amounts(frame).axes
    drawn = bars(ax)
    assert len(drawn) == 2
    assert drawn[0].get_y() > drawn[1].get_y()
    assert drawn[0].get_width() == float(frame["amount"][0])
    assert ax.get_title() and ax.get_xlabel()
    assert figures.locality_amounts(frame, title="2026, non-QP").axes.get_title() == "2026, non-QP"


def test_charts_draw_on_given_axes():
    _, ax = plt.subplots()
    assert figures.conversion_factor_history(ax).axes is ax
    _, axes = plt.subplots(1, 2)
    assert figures.rvu_history(fees.history_table("64612"), axes).axes is axes


def test_importing_figures_changes_no_matplotlib_setting():
    import importlib

    before = dict(plt.rcParams)
    importlib.reload(figures)
    assert dict(plt.rcParams) == before


def test_the_matrix_chart_draws_every_policy_and_requirement():
    ax = figures.requirements_chart().axes
    matrix = payers.requirements_matrix()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(matrix.index)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(matrix.columns)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    plt.close(ax.figure)


def test_the_interval_chart_draws_one_bar_per_rule():
    ax = figures.retreatment_intervals().axes
    rules = payers.intervals()
    widths = sorted(patch.get_width() for patch in ax.patches if patch.get_height() < 1)
    assert widths == sorted(rules["weeks"])
    assert ax.get_title() and ax.get_xlabel()
    plt.close(ax.figure)


@pytest.mark.parametrize("draw", [
    lambda: figures.facial_nerve_diagram(), lambda: figures.effect_timeline(),
    lambda: figures.rvu_history(fees.history_table("64612")), lambda: figures.conversion_factor_history(),
    lambda: figures.payment_history(fees.history_table("64612")),
    lambda: figures.family_comparison(fees.family_table(FAMILY, DAY)),
    lambda: figures.locality_amounts(fees.by_locality("64612", DAY, "11")),
    lambda: figures.requirements_chart(), lambda: figures.retreatment_intervals(),
    lambda: figures.claim_lines("benign essential blepharospasm", "both", "Medicare", "Dysport", 120, 300),
    lambda: figures.code_family(2026),
], ids=["nerve", "timeline", "rvus", "cf", "payments", "family", "localities", "matrix", "intervals", "claim", "codes"])
def test_every_chart_shows_as_an_image_with_alt_text_and_closes_its_figure(draw):
    chart = draw()
    bundle = chart._repr_mimebundle_()
    assert bundle["text/plain"] == f"[Chart] {chart.alt}" and len(chart.alt) > 60
    assert bundle["text/html"].startswith('<img alt="') and "data:image/png;base64," in bundle["text/html"]
    assert chart.png().startswith(b"\x89PNG") and chart._repr_mimebundle_() == bundle  # drawn once
    assert not plt.get_fignums()  # closed: the inline backend will not show it a second time


def test_alt_text_follows_the_data():
    chart = figures.rvu_history(fees.history_table("64612"))
    years = sorted(fees.history_table("64612")["year"])
    assert f"from {years[0]} to {years[-1]}" in chart.alt
    assert "A grid of" in figures.requirements_chart().alt and f"{len(payers.intervals())} payer rules" in \
        figures.retreatment_intervals().alt


def test_the_claim_picture_shows_each_line_of_the_claim():
    chart = figures.claim_lines("hemifacial spasm", "right", "Medicare", "Botox", dose=30, vial=100)
    cells = [cell.get_text().get_text() for cell in chart.axes.tables[0].get_celld().values()]
    lines = coding.claim("hemifacial spasm", "right", "Medicare", "Botox", dose=30, vial=100)
    for row in lines.itertuples():
        assert row.code in cells and str(row.units) in cells
    assert "G51.31" in chart.alt and "line 3: J0585 with JW" in chart.alt


def test_the_family_picture_has_one_tile_per_code_and_outlines_64612():
    chart = figures.code_family(2026)
    family = coding.family(2026)
    codes = [text.get_text() for text in chart.axes.texts if text.get_text()[:1].isdigit() and len(text.get_text()) == 5]
    assert codes == list(family.loc[~family["add_on"], "code"])
    widths = {patch.get_linewidth() for patch in chart.axes.patches}
    assert max(widths) > min(widths)  # 64612's tile is outlined
