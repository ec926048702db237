"""The Medicare fee calculator of lessons 04 and 05: a claim line in; the payment and every step of its working out."""

from datetime import timedelta

import ipywidgets as widgets

from helpers import data, fees
from helpers.faces import LiveDisplay
from helpers.show import payment_html, payment_table
from helpers.tools.base import Tool
from helpers.ui import dropdown

MODIFIERS = ("50", "51", "RT", "LT", "25")
"""The modifiers the form offers, in the order it shows them."""


def examples() -> list[tuple]:
    """Return the worked examples (code, date, place, modifiers, locality, QP), dated from the data."""
    day = fees.reference_date()
    rows = [("64612", day, "11", (), fees.NATIONAL, False), ("64612", day, "22", (), fees.NATIONAL, False),
            ("64612", day, "11", ("50",), fees.NATIONAL, False), ("64616", day, "11", ("RT",), fees.NATIONAL, False),
            ("64612", day, "11", ("51", "RT"), fees.NATIONAL, False)]
    factors = data.load("conversion_factors")
    if ((factors["start"] == day) & (factors["apm_status"] == "QP")).any():
        rows.append(("64612", day, "11", ("RT",), fees.NATIONAL, True))
    gpci = data.load("gpci")
    local = gpci[gpci["year"] == day.year]
    if not local.empty:
        rows.append(("64612", day, "11", (), local.loc[local["pe"].idxmax(), "locality"], False))
    rvus = data.load("pfs_rvu")
    if ((rvus["code"] == "64612") & (rvus["year"] == day.year - 1)).any():
        rows.append(("64612", day.replace(year=day.year - 1), "11", (), fees.NATIONAL, False))
    for start in fees.mid_year_changes():
        rows += [("64612", start - timedelta(days=1), "11", (), fees.NATIONAL, False),
                 ("64612", start, "11", (), fees.NATIONAL, False)]
    return rows


def _place_options() -> list:
    """Return the places of service as dropdown options, labelled with their name and rate."""
    places = data.load("site_of_service")
    return [(f"{row.pos} {row.name} ({row.pfs_rate})", row.pos) for row in places.itertuples()]


def _locality_options() -> list:
    """Return 'national' and every locality the GPCI table holds, as dropdown options."""
    localities = data.load("gpci").drop_duplicates("locality")
    return [("National (no geographic adjustment)", "national")] + [
        (f"{row.name}, {row.state}", row.locality) for row in localities.itertuples()]


def _modifier_box(modifier: str) -> widgets.Checkbox:
    """Return a checkbox for one modifier, labelled with its name from the modifier table."""
    names = data.load("modifiers").set_index("modifier")["name"]
    label = f"{modifier} {names[modifier]}" if modifier in names.index else modifier
    return widgets.Checkbox(value=False, description=label, indent=False, layout=widgets.Layout(width="auto"))


class FeeCalculator(Tool):
    """Choose a code, date of service, place of service, modifiers, APM status and locality; read the payment."""

    def __init__(self):
        self.code = dropdown("Code", sorted(set(data.load("pfs_rvu")["code"])), "64612")
        self.date = widgets.Text(value=fees.reference_date().isoformat(), description="Date of service (YYYY-MM-DD)",
                                 style={"description_width": "initial"})
        self.date.add_class("tool-input")
        self.place = dropdown("Place of service", _place_options(), "11")
        self.modifiers = {modifier: _modifier_box(modifier) for modifier in MODIFIERS}
        self.qp = widgets.Checkbox(value=False, description="Qualifying APM participant (QP)", indent=False)
        self.locality = dropdown("Locality", _locality_options(), "national")
        super().__init__([[self.code, self.date, self.place], [widgets.Label("Modifiers:"), *self.modifiers.values()],
                          [self.locality, self.qp]])

    def chosen_modifiers(self) -> tuple:
        """Return the ticked modifiers, in the order they are shown."""
        return tuple(modifier for modifier, box in self.modifiers.items() if box.value)

    def compute(self) -> str:
        """Return the payment for the current choices, with its working, as HTML."""
        payment = fees.medicare_payment(self.code.value, self.date.value, self.place.value,
                                        modifiers=self.chosen_modifiers(), locality=self.locality.value,
                                        qp=self.qp.value)
        return payment_html(payment)


def form() -> LiveDisplay:
    """Return the Medicare fee calculator: a live form, with worked examples as its static face."""
    payments = [fees.medicare_payment(code, day, place, modifiers=modifiers, locality=locality, qp=qp)
                for code, day, place, modifiers, locality, qp in examples()]
    static = payment_table(payments, caption="Medicare payment: worked examples (run the notebook to price your own); "
                                             "'Medicare pays' assumes a participating physician, before sequestration")
    return LiveDisplay(FeeCalculator, static)
