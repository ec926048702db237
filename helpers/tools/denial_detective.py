"""Practice on denials without code: read a remittance line, look its codes up, then open the cause and the fix.

``detective(case)`` shows one fictional denial (what was billed, what came back) and the meaning of each code on
it; the cause and the fix stay hidden until the learner asks. ``lookup(codes)`` explains any codes the learner
types from a remittance of their own. Both work in JupyterLab and Voila; their static faces keep the answer
folded.
"""

from html import escape

import ipywidgets as widgets

from helpers import denials
from helpers.faces import LiveDisplay, Rendered
from helpers.show import table
from helpers.tools.base import Tool
from helpers.ui import dropdown

CODE_COLUMNS = ["code", "kind", "meaning", "fix", "source"]
CASE_COLUMNS = ["code", "kind", "meaning", "source"]
"""A case shows what its codes mean but not their fixes, which would give its answer away."""


def _case_label(number: int, case) -> str:
    """Return a case's name in the list: its number, payer and setting."""
    return f"Case {number}: {case.payer}, {case.setting}"


def case_labels() -> dict[str, str]:
    """Return the cases' list labels mapped to their ids, in the data's order."""
    return {_case_label(number, case): case.id for number, case in enumerate(denials.cases().itertuples(), start=1)}


def _card(found: dict) -> str:
    """Return a case's facts as HTML: payer, setting, what was billed, what came back."""
    items = [("Payer", found["payer"]), ("Setting", found["setting"]), ("Billed", found["billed"]),
             ("Remittance", found["remittance"])]
    return "<div class='denial-case'>" + "".join(f"<p><strong>{name}:</strong> {escape(str(value))}</p>"
                                                 for name, value in items) + "</div>"


def _answer(found: dict) -> str:
    """Return a case's cause and fix as HTML."""
    return (f"<p><strong>Cause.</strong> {escape(found['cause'])}</p>"
            f"<p><strong>Fix.</strong> {escape(found['fix'])}</p>")


HINT = "<p><em>Decide the cause and the fix, then press the button.</em></p>"


def case_view(case_id: str, reveal: bool | None = None) -> Rendered:
    """Return one case: its facts, its codes' meanings, then the cause and fix (None folds them, False hints)."""
    found = denials.case(case_id)
    codes = denials.codes_in(found["remittance"])
    meanings = table(denials.explain(" ".join(codes))[CASE_COLUMNS], caption="The codes on the remittance").html \
        if codes else ""
    answer = {None: f"<details><summary>The cause and the fix: decide first, then open</summary>"
                    f"{_answer(found)}</details>", False: HINT, True: _answer(found)}[reveal]
    text = f"{found['payer']}, {found['setting']}\nBilled: {found['billed']}\nRemittance: {found['remittance']}"
    return Rendered(_card(found) + meanings + answer,
                    text + (f"\nCause: {found['cause']}\nFix: {found['fix']}" if reveal else ""))


class Detective(Tool):
    """Choose a case, read it, and open the cause and the fix when ready."""

    def __init__(self, start: str):
        denials.case(start)  # an unknown case is refused with the ids
        self.labels = case_labels()
        start_label = next(label for label, case_id in self.labels.items() if case_id == start)
        self.case = dropdown("Case", list(self.labels), start_label)
        self.reveal = widgets.ToggleButton(value=False, description="Show the cause and the fix",
                                           layout=widgets.Layout(width="auto"))
        self.reveal.add_class("detective-reveal")
        super().__init__([[self.case, self.reveal]])

    def changed(self, control) -> None:
        """Hide the answer again when another case is chosen, then recompute."""
        if control is self.case:
            self.reveal.value = False
        self.update()

    def compute(self) -> str:
        """Return the chosen case, with its answer only when asked for."""
        return case_view(self.labels[self.case.value], self.reveal.value).html


def detective(start: str | None = None) -> LiveDisplay:
    """Return the denial-detective practice, starting on one case (the first by default)."""
    start = start or denials.cases()["id"].iloc[0]
    return LiveDisplay(lambda: Detective(start), case_view(start))


class Lookup(Tool):
    """Type the codes from a remittance line and read what each means."""

    def __init__(self, start: str):
        self.codes = widgets.Text(value=start, description="Codes", placeholder="CO-96 N362")
        self.codes.add_class("remittance-codes")
        super().__init__([[self.codes]])

    def compute(self) -> str:
        """Return the meaning of each code typed (a message when something typed is not a code)."""
        return lookup_view(self.codes.value).html


def lookup_view(codes: str) -> Rendered:
    """Return the meaning and fix of each code in a remittance line."""
    return table(denials.explain(codes)[CODE_COLUMNS], caption=f"What {codes.strip()} means")


def lookup(start: str = "CO-96 N362") -> LiveDisplay:
    """Return a remittance-code lookup, starting with ``start``."""
    return LiveDisplay(lambda: Lookup(start), lookup_view(start))
