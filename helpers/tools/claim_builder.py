"""Build the claim for a case study and have the checker read it: a form a learner fills in, no Python needed.

``builder(case_id)`` shows the case's note and context, a diagnosis field and five line rows (code, modifiers,
units, diagnosis pointers, dose given). "Check my claim" runs ``helpers.claims.check`` on what was typed and
shows the findings as a table, or the problems that stop the claim being read. "Show the model claim" opens the
answer and why. The static face (no kernel) shows the note and keeps the model claim folded.
"""

import re
from html import escape

import ipywidgets as widgets
import pandas as pd

from helpers import cases, claims
from helpers.faces import LiveDisplay, Rendered, alert_html
from helpers.show import table
from helpers.ui import button, row

ROWS = 5
FINDING_COLUMNS = ["severity", "line", "rule", "message"]
"""The findings table's columns ('line' shows the form's row)."""


def context_html(case: cases.Case) -> str:
    """Return the case's note and claim context as HTML."""
    context = case.context
    prior = "; ".join(f"{p['code']} on {p['date']}" for p in context.get("prior_treatments", [])) or "none recorded"
    authorization = {True: "affirmed or approved", False: "none",
                     None: "not stated"}[context.get("prior_authorization")]
    payer = claims.model.PAYER_KEYS.get(context["payer"]) or "another payer"
    source = claims.model.DRUG_SOURCE_KEYS.get(context.get("drug_source", "practice"), context.get("drug_source"))
    facts = [("Payer", payer), ("Date of service", context["date_of_service"]),
             ("Place of service", context["place_of_service"]), ("Drug came from", source),
             ("Earlier sessions", prior), ("Prior authorization", authorization)]
    items = "".join(f"<li><strong>{name}:</strong> {escape(str(value))}</li>" for name, value in facts)
    return (f"<p><strong>{escape(case.title)}</strong></p><blockquote>{escape(case.note)}</blockquote>"
            f"<ul>{items}</ul>")


def model_html(case: cases.Case) -> str:
    """Return the model claim, why it is right and its sources, as HTML."""
    lines = pd.DataFrame([{"line": line.number, "claim line": line.label,
                           "diagnosis pointers": " ".join(map(str, line.diagnosis_pointers)) or "-"}
                          for line in case.model.lines])
    diagnoses = ", ".join(f"{number}. {code}" for number, code in enumerate(case.model.diagnoses, start=1))
    return (f"<p><strong>Diagnoses:</strong> {escape(diagnoses)}</p>" + table(lines, "The model claim").html +
            f"<p>{escape(case.why)}</p><p><em>Sources: {escape('; '.join(case.sources))}</em></p>")


def _on_the_form(text: str, rows: list[int]) -> str:
    """Return a checker message with its line numbers ('lines[2].units') as the form's rows ('row 3, units')."""
    def row_of(found) -> str:
        number = int(found.group(1))
        shown = rows[number - 1] if 0 < number <= len(rows) else number
        return f"row {shown}" + (f", {found.group(2).replace('_', ' ')}" if found.group(2) else "")
    return re.sub(r"lines\[(\d+)\](?:\.(\w+))?", row_of, text)


def findings_html(raw: dict, rows: list[int] | None = None) -> str:
    """Return what the checker says about a claim, as a table, or the problems that stop it being read."""
    rows = rows or list(range(1, len(raw.get("lines", [])) + 1))
    try:
        found = claims.check(raw)
    except claims.ClaimError as error:
        return alert_html("The checker cannot read this claim yet: " +
                          "; ".join(_on_the_form(problem, rows) for problem in error.problems) + ".")
    if not found:
        return "<p><strong>No findings.</strong> Compare your claim with the model claim.</p>"
    frame = pd.DataFrame([finding.to_dict() for finding in found])
    frame["line"] = [("claim" if line is None or pd.isna(line) else f"row {rows[int(line) - 1]}")
                     for line in frame["line"]]
    errors = sum(finding.severity == "error" for finding in found)
    return table(frame[FINDING_COLUMNS], f"The checker: {errors} error(s), {len(found) - errors} other finding(s)").html


def _number_or_text(text: str):
    """Return typed text as a number when it is one, else the text itself (the parser names the problem)."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d*\.\d+", text):
        return float(text)
    return text


def typed_line(code: str, modifiers: str, units: str, pointers: str, dose: str) -> dict | None:
    """Return one claim line from the texts of a row (None for a row whose code is empty)."""
    if not code.strip():
        return None
    line = {"code": code.strip().upper(), "modifiers": [m for m in re.split(r"[\s,;-]+", modifiers.upper()) if m],
            "units": _number_or_text(units) if units.strip() else ""}
    if pointers.strip():
        line["diagnosis_pointers"] = [_number_or_text(p) for p in re.split(r"[\s,;]+", pointers.strip()) if p]
    if dose.strip():
        line["dose_administered"] = _number_or_text(dose)
    return line


def typed_diagnoses(text: str) -> list[str]:
    """Return the diagnosis codes typed in one field, in order."""
    return [code.upper() for code in re.split(r"[\s,;]+", text.strip()) if code]


class Builder:
    """The claim form of one case: diagnoses, line rows, Check and the model claim."""

    def __init__(self, case_id: str):
        self.case = cases.case(case_id)
        draft = self.case.draft or {}
        self.diagnoses = widgets.Text(value=", ".join(draft.get("diagnoses", [])), description="Diagnoses",
                                      placeholder="G51.31")
        self.rows = [self._row(line) for line in (draft.get("lines", []) + [{}] * ROWS)[:ROWS]]
        self.check_button = button("Check my claim", "builder-check", "Run the claim checker on these lines")
        self.model_button = button("Show the model claim", "builder-model", "Open the answer and why")
        self.output, self.model = widgets.HTML(), widgets.HTML()
        self.output.add_class("tool-output")
        self.check_button.on_click(lambda _: self.check())
        self.model_button.on_click(lambda _: self.show_model())
        header = widgets.HTML(value="<p><em>One row per claim line: code, modifiers (such as RT or JW), units, "
                                    "diagnosis pointers (1 for the first diagnosis) and, on a drug line, the dose "
                                    "given in toxin units.</em></p>")
        self.box = widgets.VBox([widgets.HTML(value=context_html(self.case)), self.diagnoses, header,
                                 *[row(fields) for fields in self.rows],
                                 row([self.check_button, self.model_button]), self.output, self.model])
        self.box.add_class("tool")

    @staticmethod
    def _row(line: dict) -> list:
        """Return the five fields of one line row, filled from a draft line."""
        values = [line.get("code", ""), " ".join(line.get("modifiers", [])), str(line.get("units", "")),
                  " ".join(map(str, line.get("diagnosis_pointers", []))), str(line.get("dose_administered", ""))]
        labels = ["Code", "Modifiers", "Units", "Pointers", "Dose given"]
        return [widgets.Text(value=value, placeholder=label, layout=widgets.Layout(width="120px"))
                for value, label in zip(values, labels)]

    def typed(self) -> tuple[list[dict], list[int]]:
        """Return the typed lines and the form row each came from (empty rows are left out)."""
        lines = [(typed_line(*(field.value for field in fields)), number)
                 for number, fields in enumerate(self.rows, start=1)]
        kept = [(line, number) for line, number in lines if line]
        return [line for line, _ in kept], [number for _, number in kept]

    def claim(self) -> dict:
        """Return the claim typed so far, in the checker's JSON form."""
        return self.case.claim(typed_diagnoses(self.diagnoses.value), self.typed()[0])

    def check(self) -> None:
        """Run the checker on the typed claim and show what it found, by the form's rows."""
        self.output.value = findings_html(self.claim(), self.typed()[1])

    def show_model(self) -> None:
        """Open the model claim and why."""
        self.model.value = model_html(self.case)


def static(case_id: str) -> Rendered:
    """Return the case without a kernel: the note and context, with the model claim folded."""
    case = cases.case(case_id)
    html = (context_html(case) + "<details><summary>The model claim: code it first, then open</summary>"
            + model_html(case) + "</details>")
    text = f"{case.title}\n{case.note}\nModel claim (folded): " + "; ".join(line.label for line in case.model.lines)
    return Rendered(html, text)


def builder(case_id: str) -> LiveDisplay:
    """Return a case's claim builder (live) with its static face."""
    return LiveDisplay(lambda: Builder(case_id), static(case_id))


def rule_table() -> pd.DataFrame:
    """Return the checker's rules: the function that applies each, and what it looks for."""
    return pd.DataFrame([{"rule function": rule.__name__.replace("_", " "), "what it checks": rule.__doc__}
                         for rule in claims.RULES])
