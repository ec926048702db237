"""Lesson 07's "what does this payer need?" form, with worked examples as its static face."""

from html import escape

from helpers import checklist, payers
from helpers.faces import LiveDisplay, Rendered, scrolling
from helpers.formatting import CONFIDENCE_WORDS
from helpers.show import LEFT, SHORT
from helpers.tables import CARE_SETTINGS, PAYERS
from helpers.tools.base import Tool
from helpers.ui import dropdown


def _confidence_html(level: str) -> str:
    """Return a confidence cell: the word, and 'check before you bill' when it is not high."""
    if not level:
        return "no data: <strong>ask the payer</strong>"
    word = CONFIDENCE_WORDS[level]
    return word if level == "H" else f"{word}: <strong>check before you bill</strong>"


def checklist_html(result: checklist.Checklist) -> str:
    """Return a checklist as an HTML table with a sources column."""
    rows = "".join(
        f"<tr><th{LEFT}>{escape(f.item)}</th><td{SHORT}>{escape(checklist.STATUS_WORDS.get(f.status, f.status))}</td>"
        f"<td{LEFT}>{escape(f.text)}</td>"
        f"<td{LEFT}>{escape('; '.join(f.policies)) or '—'}</td><td{LEFT}>{escape('; '.join(f.sources)) or '—'}</td>"
        f"<td{LEFT}>{_confidence_html(f.confidence)}</td></tr>" for f in (*result.context, *result.findings))
    heads = "".join(f"<th{LEFT}>{head}</th>" for head in ("item", "status", "what the data says", "policy",
                                                           "sources", "confidence"))
    table = scrolling(f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>", result.title)
    return f'<div role="status"><p><strong>{escape(result.title)}</strong></p>{table}</div>'


def checklist_text(result: checklist.Checklist) -> str:
    """Return a checklist as plain text, one line per item."""
    lines = [result.title]
    for f in (*result.context, *result.findings):
        cited = f" [{'; '.join(f.sources)}]" if f.sources else ""
        flag = f" ({CONFIDENCE_WORDS[f.confidence]} confidence)" if f.confidence else ""
        lines.append(f"- {f.item} ({checklist.STATUS_WORDS.get(f.status, f.status)}): {f.text}{cited}{flag}")
    return "\n".join(lines)


class PayerChecklist(Tool):
    """Pick a payer, plan, care setting, product and diagnosis; read what the payer needs, with citations."""

    refused = (ValueError, KeyError)

    def __init__(self):
        self.payer = dropdown("Payer", list(PAYERS), "Medicare")
        self.plan = dropdown("Plan", payers.plans("Medicare"))
        self.care_setting = dropdown("Setting", list(CARE_SETTINGS), "office")
        self.product = dropdown("Product", payers.products(), "Botox")
        self.diagnosis = dropdown("Diagnosis", list(checklist.DIAGNOSES), "blepharospasm")
        super().__init__([[self.payer, self.plan], [self.care_setting, self.product, self.diagnosis]])

    def changed(self, control) -> None:
        """Offer a new payer's plans before recomputing."""
        if control is self.payer:
            self.plan.options = payers.plans(self.payer.value)
            self.plan.value = self.plan.options[0]
        self.update()

    def compute(self) -> str:
        """Return the checklist for the current choices as HTML."""
        return checklist_html(checklist.checklist(self.payer.value, self.plan.value, self.care_setting.value,
                                                  self.product.value, self.diagnosis.value))


EXAMPLES = (("Medicare", payers.MULTI_MAC, "hospital outpatient", "Botox", "blepharospasm"),
            ("Medicare", payers.MULTI_MAC, "office", "Botox", "blepharospasm"),
            ("Medicare Advantage", "Any Medicare Advantage plan", "hospital outpatient", "Botox", "blepharospasm"),
            ("Aetna", "Aetna commercial", "office", "Myobloc", "blepharospasm"),
            ("Cigna", payers.CIGNA, "office", "Xeomin", "hemifacial spasm"),
            ("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "ambulatory surgical center", "Botox",
             "blepharospasm"))
"""The worked examples shown when the notebook has not been run."""


def form():
    """Return the 'what does this payer need?' form, with worked examples as its static face."""
    results = [checklist.checklist(*example) for example in EXAMPLES]
    intro = "What does this payer need? Worked examples (run the notebook to pick your own)"
    html = f"<p><strong>{escape(intro)}</strong></p>" + "".join(checklist_html(result) for result in results)
    text = "\n\n".join([intro, *(checklist_text(result) for result in results)])
    return LiveDisplay(PayerChecklist, Rendered(html, text))
