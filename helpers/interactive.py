"""Interactive tools for lessons: a live widget with a fixed static face, from one display call.

Each tool shows worked examples as its static face (HTML and text, identical every run) and, in a live
kernel, a small form whose answer updates as the learner changes it. Widgets carry the CSS classes
``tool`` and ``tool-output`` for browser tests.
"""

from html import escape

import ipywidgets as widgets
import pandas as pd

from helpers import coding, data, drugs, fees
from helpers.show import Rendered, table
from helpers.ui import dropdown

CONDITION_SIDES = {"one side": ("right", "left"), "both sides": ("both",)}


class LiveDisplay:
    """A display whose live face is built on demand and whose static faces never vary."""

    def __init__(self, build, static):
        self.build, self.static = build, static
        self.tool = None

    def _repr_html_(self) -> str:
        return self.static.html

    def __repr__(self) -> str:
        return self.static.text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        self.tool = self.build()
        bundle = dict(self.tool.box._repr_mimebundle_() or {})
        bundle.update({"text/plain": self.static.text, "text/html": self.static.html})
        return bundle


def _sources_line(ids) -> str:
    """Return 'Sources: id; id' for a list of source cells."""
    flat = dict.fromkeys(part.strip() for cell in ids for part in str(cell).split(";"))
    return "Sources: " + "; ".join(flat)


def advice_html(advice: coding.Advice) -> str:
    """Return the chooser's answer as HTML."""
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in advice.reasons)
    return (f'<div role="status"><p><strong>Code:</strong> {escape(advice.code)} · <strong>Claim line(s):</strong> '
            f"{escape(' and '.join(advice.lines))} · <strong>Diagnosis:</strong> {escape(advice.diagnosis)}</p>"
            f"<ul>{reasons}</ul><p><small>{escape(_sources_line(advice.sources))}</small></p></div>")


class CodeChooser:
    """Pick a condition, side and payer type; read which code and lines to report, and why."""

    def __init__(self):
        conditions = data.load("conditions")
        self.condition = dropdown("Condition", list(conditions["condition"]))
        self.side = dropdown("Side treated", list(coding.SIDES))
        self.payer = dropdown("Claim type", [(label, key) for key, label in coding.PAYER_TYPES.items()], "Medicare")
        self.output = widgets.HTML()
        self.output.add_class("tool-output")
        for control in (self.condition, self.side, self.payer):
            control.observe(lambda _: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.condition, self.side, self.payer]), self.output])
        self.box.add_class("tool")
        self.update()

    def update(self) -> None:
        """Recompute the advice for the current choices."""
        try:
            self.output.value = advice_html(coding.choose(self.condition.value, self.side.value, self.payer.value))
        except ValueError as error:
            self.output.value = f'<p role="alert">{escape(str(error))}</p>'


CHOOSER_EXAMPLES = [("hemifacial spasm", "right", "Medicare"), ("benign essential blepharospasm", "both", "Medicare"),
                    ("benign essential blepharospasm", "both", "facility"),
                    ("benign essential blepharospasm", "both", "commercial"), ("chronic migraine", "both", "Medicare"),
                    ("cervical dystonia", "left", "Medicare"), ("strabismus", "right", "Medicare")]


def code_chooser():
    """Return the 'which code?' chooser: a live form, with worked examples as its static face."""
    rows = []
    for condition, side, payer in CHOOSER_EXAMPLES:
        advice = coding.choose(condition, side, payer)
        rows.append({"condition": condition, "side": side, "claim type": coding.PAYER_TYPES[payer],
                     "code": advice.code, "claim line(s)": "; ".join(advice.lines), "diagnosis": advice.diagnosis})
    static = table(pd.DataFrame(rows), caption="Which code? Worked examples (run the notebook to try your own)")
    return LiveDisplay(CodeChooser, static)


def units_html(result: drugs.DrugUnits) -> str:
    """Return a drug-unit calculation as HTML: the claim lines and the working."""
    lines = "".join(f"<li><code>{escape(line)}</code></li>" for line in result.lines)
    steps = "".join(f"<li>{escape(step)}</li>" for step in result.steps)
    return (f'<div role="status"><p><strong>Drug line(s):</strong></p><ul>{lines}</ul>'
            f"<p><strong>Working:</strong></p><ol>{steps}</ol>"
            f"<p><small>{escape(_sources_line(result.sources))}</small></p></div>")


class DrugCalculator:
    """Pick a product, vial size and dose; read the billed units, the waste line and the working."""

    def __init__(self):
        products = list(data.load("drugs")["product"])
        self.product = dropdown("Product", products)
        self.vial = dropdown("Vial (units)", drugs.vial_sizes(products[0]))
        self.dose = widgets.Text(value="50", description="Dose given (units)", style={"description_width": "initial"})
        self.dose.add_class("tool-input")
        self.output = widgets.HTML()
        self.output.add_class("tool-output")
        self.product.observe(lambda _: self._product_changed(), names="value")
        for control in (self.vial, self.dose):
            control.observe(lambda _: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.product, self.vial, self.dose]), self.output])
        self.box.add_class("tool")
        self.update()

    def _product_changed(self) -> None:
        """Offer the new product's vial sizes, then recompute."""
        self.vial.options = drugs.vial_sizes(self.product.value)
        self.update()

    def update(self) -> None:
        """Recompute the drug lines; bad input gets a message, never a traceback."""
        try:
            self.output.value = units_html(drugs.billing_units(self.product.value, self.dose.value, self.vial.value))
        except ValueError as error:
            self.output.value = f'<p role="alert">{escape(str(error))}</p>'


DRUG_EXAMPLES = [("Botox", 50, 100), ("Botox", 100, 100), ("Xeomin", 30, 50), ("Dysport", 120, 300),
                 ("Myobloc", 1000, 2500)]


def drug_calculator():
    """Return the drug-unit calculator: a live form, with worked examples as its static face."""
    rows = []
    for product, dose, vial in DRUG_EXAMPLES:
        result = drugs.billing_units(product, dose, vial)
        rows.append({"product": product, "vial (units)": vial, "dose given (units)": dose,
                     "units per billing unit": result.units_per_billing_unit, "claim lines": "; ".join(result.lines)})
    static = table(pd.DataFrame(rows), caption="Drug lines: worked examples (run the notebook to try your own)")
    return LiveDisplay(DrugCalculator, static)


# ---- the fee calculator (notebook 03) ---------------------------------------------------------

FEE_MODIFIERS = ("50", "51", "RT", "LT", "25")
FEE_EXAMPLES = [  # code, date of service, place of service, modifiers, locality, QP
    ("64612", "2026-03-02", "11", (), "national", False),
    ("64612", "2026-03-02", "22", (), "national", False),
    ("64612", "2026-03-02", "11", ("50",), "national", False),
    ("64616", "2026-03-02", "11", ("RT",), "national", False),
    ("64612", "2026-03-02", "11", ("51", "RT"), "national", False),
    ("64612", "2026-03-02", "11", ("RT",), "national", True),
    ("64612", "2026-03-02", "11", (), "ny-manhattan", False),
    ("64612", "2025-06-02", "11", (), "national", False),
    ("64612", "2024-03-08", "11", (), "national", False),
    ("64612", "2024-03-11", "11", (), "national", False),
]


def dollars(amount) -> str:
    """Return an amount as dollars and cents, such as $1,234.50."""
    return f"${amount:,.2f}"


def claim_line(code: str, modifiers) -> str:
    """Return a code with its modifiers as a claim line, such as 64612-51-RT."""
    return "-".join((code, *modifiers))


def _place(payment) -> str:
    """Return where a payment was priced: the place of service and its rate, or the rate alone."""
    if payment.place_of_service is None:
        return payment.setting
    name = data.load("site_of_service").set_index("pos").loc[payment.place_of_service, "name"]
    return f"{payment.place_of_service} {name} ({payment.setting})"


def payment_row(payment) -> dict:
    """Return one payment as a table row: the inputs, then the amounts in dollars."""
    return {"claim line": claim_line(payment.code, payment.modifiers), "date of service": str(payment.date_of_service),
            "place of service": _place(payment), "locality": payment.locality, "QP": "yes" if payment.qp else "no",
            "conversion factor": f"${payment.conversion_factor}",
            "fee schedule amount": dollars(payment.fee_schedule_amount), "allowed": dollars(payment.allowed),
            "Medicare pays": dollars(payment.medicare_pays), "patient pays": dollars(payment.patient_pays)}


def payment_table(payments, caption: str = ""):
    """Return several priced claim lines as one table (HTML and text)."""
    return table(pd.DataFrame([payment_row(payment) for payment in payments]), caption=caption)


def payment_html(payment) -> str:
    """Return a priced claim line as HTML: the amounts, the numbered steps and the sources."""
    steps = "".join(f"<li>{escape(step)}</li>" for step in payment.steps)
    return (f'<div role="status"><p><strong>{escape(claim_line(payment.code, payment.modifiers))}</strong> · '
            f"<strong>Allowed:</strong> {dollars(payment.allowed)} · <strong>Medicare pays:</strong> "
            f"{dollars(payment.medicare_pays)} · <strong>Patient pays:</strong> {dollars(payment.patient_pays)}</p>"
            f"<p><strong>Working:</strong></p><ol>{steps}</ol>"
            f"<p><small>{escape(_sources_line(payment.sources))}</small></p></div>")


def payment_steps(payment):
    """Return a priced claim line with its numbered steps, as HTML and as text."""
    text = [f"{claim_line(payment.code, payment.modifiers)}: allowed {dollars(payment.allowed)}, Medicare pays "
            f"{dollars(payment.medicare_pays)}, patient pays {dollars(payment.patient_pays)}"]
    text += [f"{number}. {step}" for number, step in enumerate(payment.steps, start=1)]
    return Rendered(payment_html(payment), "\n".join(text + [_sources_line(payment.sources)]))


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


class FeeCalculator:
    """Choose a code, date of service, place of service, modifiers, APM status and locality; read the payment."""

    def __init__(self):
        codes = sorted(set(data.load("pfs_rvu")["code"]))
        self.code = dropdown("Code", codes, "64612")
        self.date = widgets.Text(value="2026-03-02", description="Date of service (YYYY-MM-DD)",
                                 style={"description_width": "initial"})
        self.date.add_class("tool-input")
        self.place = dropdown("Place of service", _place_options(), "11")
        self.modifiers = {modifier: _modifier_box(modifier) for modifier in FEE_MODIFIERS}
        self.qp = widgets.Checkbox(value=False, description="Qualifying APM participant (QP)", indent=False)
        self.locality = dropdown("Locality", _locality_options(), "national")
        self.output = widgets.HTML()
        self.output.add_class("tool-output")
        controls = (self.code, self.date, self.place, self.qp, self.locality, *self.modifiers.values())
        for control in controls:
            control.observe(lambda _: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.code, self.date, self.place]),
                                 widgets.HBox([widgets.Label("Modifiers:"), *self.modifiers.values()]),
                                 widgets.HBox([self.locality, self.qp]), self.output])
        self.box.add_class("tool")
        self.update()

    def chosen_modifiers(self) -> tuple:
        """Return the ticked modifiers, in the order they are shown."""
        return tuple(modifier for modifier, box in self.modifiers.items() if box.value)

    def update(self) -> None:
        """Reprice the claim line; a choice the data cannot price gets a message, never a traceback."""
        try:
            payment = fees.medicare_payment(self.code.value, self.date.value, self.place.value,
                                            modifiers=self.chosen_modifiers(), locality=self.locality.value,
                                            qp=self.qp.value)
            self.output.value = payment_html(payment)
        except ValueError as error:
            self.output.value = f'<p role="alert">{escape(str(error))}</p>'


def fee_calculator():
    """Return the Medicare fee calculator: a live form, with worked examples as its static face."""
    payments = [fees.medicare_payment(code, day, place, modifiers=modifiers, locality=locality, qp=qp)
                for code, day, place, modifiers, locality, qp in FEE_EXAMPLES]
    static = payment_table(payments, caption="Medicare payment: worked examples (run the notebook to price your own); "
                                             "'Medicare pays' assumes a participating physician, before sequestration")
    return LiveDisplay(FeeCalculator, static)
