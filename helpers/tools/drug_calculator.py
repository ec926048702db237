"""Lesson 03's drug-unit calculator: a product, a vial and a dose in; the drug lines with JW or JZ out."""

from html import escape

import ipywidgets as widgets
import pandas as pd

from helpers import data, drugs
from helpers.faces import LiveDisplay
from helpers.formatting import sources_line
from helpers.show import table
from helpers.tools.base import Tool
from helpers.ui import dropdown

EXAMPLES = [("Botox", 50, 100), ("Botox", 100, 100), ("Xeomin", 30, 50), ("Dysport", 120, 300),
            ("Myobloc", 1000, 2500)]
"""The worked examples shown when the notebook has not been run: product, dose given, vial."""


def units_html(result: drugs.DrugUnits) -> str:
    """Return a drug-unit calculation as HTML: the claim lines and the working."""
    lines = "".join(f"<li><code>{escape(line)}</code></li>" for line in result.lines)
    steps = "".join(f"<li>{escape(step)}</li>" for step in result.steps)
    return (f'<div role="status"><p><strong>Drug line(s):</strong></p><ul>{lines}</ul>'
            f"<p><strong>Working:</strong></p><ol>{steps}</ol>"
            f"<p><small>{escape(sources_line(result.sources))}</small></p></div>")


class DrugCalculator(Tool):
    """Pick a product, vial size and dose; read the billed units, the waste line and the working."""

    def __init__(self):
        products = list(data.load("drugs")["product"])
        self.product = dropdown("Product", products)
        self.vial = dropdown("Vial (units)", drugs.vial_sizes(products[0]))
        self.dose = widgets.Text(value="50", description="Dose given (units)", style={"description_width": "initial"})
        self.dose.add_class("tool-input")
        super().__init__([[self.product, self.vial, self.dose]])

    def changed(self, control) -> None:
        """Offer a new product's vial sizes before recomputing."""
        if control is self.product:
            self.vial.options = drugs.vial_sizes(self.product.value)
        self.update()

    def compute(self) -> str:
        """Return the drug lines for the current choices as HTML."""
        return units_html(drugs.billing_units(self.product.value, self.dose.value, self.vial.value))


def form() -> LiveDisplay:
    """Return the drug-unit calculator: a live form, with worked examples as its static face."""
    rows = []
    for product, dose, vial in EXAMPLES:
        result = drugs.billing_units(product, dose, vial)
        rows.append({"product": product, "vial (units)": vial, "dose given (units)": dose,
                     "units per billing unit": result.units_per_billing_unit, "claim lines": "; ".join(result.lines)})
    static = table(pd.DataFrame(rows), caption="Drug lines: worked examples (run the notebook to try your own)")
    return LiveDisplay(DrugCalculator, static)
