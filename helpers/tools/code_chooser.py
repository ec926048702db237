"""Lesson 02's "which code?" chooser: a condition, a side and a claim type in; the code, lines and diagnosis out."""

from html import escape

import pandas as pd

from helpers import coding, data
from helpers.faces import LiveDisplay
from helpers.formatting import sources_line
from helpers.show import table
from helpers.tables import SIDES_TREATED
from helpers.tools.base import Tool
from helpers.ui import dropdown

EXAMPLES = [("hemifacial spasm", "right", "Medicare"), ("benign essential blepharospasm", "both", "Medicare"),
            ("benign essential blepharospasm", "both", "facility"),
            ("benign essential blepharospasm", "both", "commercial"), ("chronic migraine", "both", "Medicare"),
            ("cervical dystonia", "left", "Medicare"), ("strabismus", "right", "Medicare")]
"""The worked examples shown when the notebook has not been run."""


def advice_html(advice: coding.Advice) -> str:
    """Return the chooser's answer as HTML."""
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in advice.reasons)
    return (f'<div role="status"><p><strong>Code:</strong> {escape(advice.code)} · <strong>Claim line(s):</strong> '
            f"{escape(' and '.join(advice.lines))} · <strong>Diagnosis:</strong> {escape(advice.diagnosis)}</p>"
            f"<ul>{reasons}</ul><p><small>{escape(sources_line(advice.sources))}</small></p></div>")


class CodeChooser(Tool):
    """Pick a condition, side and payer type; read which code and lines to report, and why."""

    def __init__(self):
        self.condition = dropdown("Condition", list(data.load("conditions")["condition"]))
        self.side = dropdown("Side treated", list(SIDES_TREATED))
        self.payer = dropdown("Claim type", [(label, key) for key, label in coding.PAYER_TYPES.items()], "Medicare")
        super().__init__([[self.condition, self.side, self.payer]])

    def compute(self) -> str:
        """Return the advice for the current choices as HTML."""
        return advice_html(coding.choose(self.condition.value, self.side.value, self.payer.value))


def form() -> LiveDisplay:
    """Return the 'which code?' chooser: a live form, with worked examples as its static face."""
    rows = []
    for condition, side, payer in EXAMPLES:
        advice = coding.choose(condition, side, payer)
        rows.append({"condition": condition, "side": side, "claim type": coding.PAYER_TYPES[payer],
                     "code": advice.code, "claim line(s)": "; ".join(advice.lines), "diagnosis": advice.diagnosis,
                     "note on the format": advice.format_note or None})
    static = table(pd.DataFrame(rows), caption="Which code? Worked examples (run the notebook to try your own)")
    return LiveDisplay(CodeChooser, static)
