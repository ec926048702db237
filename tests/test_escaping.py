"""Text from data, quiz banks, claims and learners is shown as text wherever it becomes HTML, and never runs.

Every place a helper turns such text into HTML is fed each hostile string below through its real public function:
the lesson faces (helpers.show), a quiz's static face and its live widgets, the lesson tools, the site, the slides,
the printed handout, the instructor's answer keys and session plans (Markdown, rendered as nbconvert renders it)
and the class report. What comes out is parsed (html.parser) and compared with the same place fed a harmless
phrase: the text may open or close no tag (no <script>, no <img>, no early </details> or </table>), add no event
attribute (on...) and no javascript: address, and, where the place shows the text as given, read exactly as
typed (so {{7*7}} is not worked out). Each section prints how many hostile strings it tried in how many places.
"""

import csv
import dataclasses
import difflib
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import ipywidgets as widgets
import nbformat
import pandas as pd
import pytest
import yaml
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from helpers import (cases, checklist, coding, course, data, denials, drugs, editions, faces, fees, figures, payers,
                     progress, publish, show)
from helpers.quiz import display, load_bank
from helpers.quiz import widgets as quiz_widgets
from helpers.tools import (claim_builder, code_chooser, denial_detective, drug_calculator, explorer, fee_calculator,
                           payer_checklist, progress_panel)

HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
           '" onmouseover="alert(1)', "' onfocus='alert(1)", "</details><script>alert(1)</script>",
           "</td></tr></table><script>alert(1)</script>", "{{7*7}}", "${alert(1)}", "[x](javascript:alert(1))",
           "x` <img src=x onerror=alert(1)> `y")
"""The brief's hostile strings, and a Markdown code-span breakout (the backticks close the span around it)."""
HARMLESS = "plain words"
RUNS_CODE = {"script", "iframe", "object", "embed", "base", "svg", "math", "form", "meta"}
ADDRESSES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
NOTEBOOK = "01_procedure"
OBJECTIVES = {"conditions": "Name the conditions 64612 treats."}
LOAD, SOURCE, LEARNING_PATH, CASE, DENIAL = data.load, data.source, course.learning_path, cases.case, denials.case
"""The real look-ups, kept before any test replaces one with a version that returns hostile text."""


class Markup(HTMLParser):
    """An HTML fragment read as a browser would: its tags in order, what in it could run, and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.risks, self.text = [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.text += [value for name, value in attrs if name in ("alt", "title") and value]  # read out as text
        if tag != "a":  # a link may be left out for an address that could run code: its target is checked below
            self.tags.append(tag)
        if tag in RUNS_CODE:
            self.risks.append(f"<{tag}>")
        for name, value in attrs:
            address = re.sub(r"[\x00-\x20]", "", value or "").lower()  # browsers ignore spaces and controls here
            if name.startswith("on") or name == "srcdoc":
                self.risks.append(f"<{tag} {name}=...>")
            if name in ADDRESSES and address.startswith(("javascript:", "vbscript:")):
                self.risks.append(f'<{tag} {name}="{value}">')

    def handle_endtag(self, tag):
        if tag != "a":
            self.tags.append(f"/{tag}")

    def handle_data(self, data):
        self.text.append(data)


def _changed(found: list[str], expected: list[str]) -> str:
    """Return where two tag sequences first differ, briefly."""
    lines = difflib.unified_diff(expected, found, lineterm="", n=1)
    return " ".join(line for line in itertools.islice(lines, 2, 10))


def problems(html: str, harmless_html: str, text: str | None = None) -> list[str]:
    """Return what is wrong with ``html`` (a place fed hostile text) compared with the place fed a harmless phrase."""
    found, expected = Markup(html), Markup(harmless_html)
    wrong = []
    if found.tags != expected.tags:
        wrong.append(f"the markup changed: {_changed(found.tags, expected.tags)}")
    live = Counter(found.risks) - Counter(expected.risks)
    if live:
        wrong.append(f"could run: {sorted(live)}")
    if text is not None and text not in "".join(found.text):
        wrong.append("the text is not shown as written")
    return wrong


@dataclass(frozen=True)
class Place:
    """One place text becomes HTML: ``render`` puts a string there and returns the HTML a reader's browser gets.

    ``verbatim`` places show the string as given; ``together`` places take every string at once (a whole page).
    """

    name: str
    render: Callable
    verbatim: bool = True
    together: bool = False


def _failures(place: Place) -> tuple[int, list[str]]:
    """Return how many hostile strings a place was fed and what went wrong."""
    if place.together:
        html = place.render(HOSTILE)
        harmless = place.render(tuple(f"{HARMLESS} {n}" for n, _ in enumerate(HOSTILE)))
        found = problems(html, harmless)
        text = "".join(Markup(html).text)
        found += [f"{hostile!r} is not shown as written" for hostile in HOSTILE if place.verbatim and hostile not in text]
        return len(HOSTILE), [f"{place.name}: {problem}" for problem in found]
    harmless, wrong = place.render(HARMLESS), []
    for hostile in HOSTILE:
        found = problems(place.render(hostile), harmless, hostile if place.verbatim else None)
        wrong += [f"{place.name} <- {hostile!r}: {problem}" for problem in found]
    return len(HOSTILE), wrong


def _tried(section: str, places: list[Place], capsys, minimum: int) -> None:
    """Feed every place every hostile string, print the section's counts, and fail listing every problem."""
    tried, failures = 0, []
    for place in places:
        count, wrong = _failures(place)
        tried, failures = tried + count, failures + wrong
    print(f"\ncount: escaping, {section}: {len(HOSTILE)} hostile strings x {len(places)} places = {tried} tried, "
          f"{len(failures)} problem(s)")  # captured, and repeated in the run's summary (tests/conftest.py)
    assert not failures, "\n".join(failures)
    assert len(HOSTILE) >= 10 and len(places) >= minimum and tried >= minimum * len(HOSTILE)


# ---- Shared inputs: a quiz bank, a source, a widget's HTML, Markdown as nbconvert renders it --------------------

_written = itertools.count()


def _words(**given) -> dict:
    """Return the texts of the test bank, harmless except those given."""
    words = {"prompt": "Which condition fits?", "option": "Hemifacial spasm", "feedback": "That is another one.",
             "explanation": "One side of the face.", "ticked": "A wrong tick", "step": "First step",
             "numeric": "How many units?", "code": "Which code?"}
    return {**words, **given}


def _questions(words: dict) -> list[dict]:
    """Return one question of each kind, carrying the given texts."""
    common = {"section": "hostile", "objective": "conditions", "explanation": words["explanation"],
              "sources": ["msd-hfs"]}
    return [
        {"id": "single", "type": "single", "prompt": words["prompt"], **common,
         "options": [{"text": words["option"], "correct": True}, {"text": "Another one", "feedback": words["feedback"]}]},
        {"id": "multiple", "type": "multiple", "prompt": "Tick every right one.", **common,
         "options": [{"text": "The right one", "correct": True}, {"text": words["ticked"], "feedback": "Not this."}]},
        {"id": "order", "type": "order", "prompt": "Put them in order.", **common,
         "items": [words["step"], "Second step", "Third step"]},
        {"id": "numeric", "type": "numeric", "prompt": words["numeric"], **common, "answer": 12, "tolerance": 0,
         "unit": "units"},
        {"id": "code", "type": "code", "prompt": words["code"], **common, "answer": "64612"},
    ]


def _bank(folder: Path, **given):
    """Return a quiz bank (loaded and validated as a lesson loads one) whose given texts are hostile."""
    path = folder / f"bank-{next(_written)}.yaml"
    document = {"notebook": NOTEBOOK, "questions": _questions(_words(**given))}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_bank(NOTEBOOK, objectives=OBJECTIVES, path=path)


def _source(monkeypatch, **given) -> None:
    """Make every source the helpers look up carry the given (hostile) title, publisher or address."""
    def hostile(source_id: str) -> dict:
        return {**SOURCE(source_id), **given}

    monkeypatch.setattr(data, "source", hostile)


def _html(widget) -> str:
    """Return the HTML a widget tree puts in the page: each HTML widget's value and any description shown as HTML."""
    parts = [widget.value] if isinstance(widget, (widgets.HTML, widgets.HTMLMath)) else []
    if getattr(widget, "description_allow_html", False):
        parts.append(widget.description)
    parts += [_html(child) for child in getattr(widget, "children", ())]
    return "".join(parts)


def _markdown(text: str) -> str:
    """Return Markdown as HTML the way nbconvert renders it (raw HTML passes through, links are kept)."""
    return markdown2html_mistune(text)


def _refused(text: str):
    """Refuse with ``text`` as the message, as a course calculator refuses input."""
    raise ValueError(text)


# ---- Lesson faces (helpers.show) ----------------------------------------------------------------------------------

def _facts(monkeypatch, column: str, text: str) -> str:
    """Return the clinical-facts list with one fact's ``column`` hostile."""
    def load(name: str):
        frame = LOAD(name)
        if name == "clinical_facts":
            frame.loc[frame["id"] == "onset", column] = text
        return frame

    monkeypatch.setattr(data, "load", load)
    return show.facts("onset").html


def _cards(monkeypatch, text: str) -> str:
    """Return the payer cards with a payer and a policy's words hostile."""
    grid = pd.DataFrame({text: pd.Series({"prior authorization": [text], "documentation": []})})
    monkeypatch.setattr(payers, "comparison", lambda: grid)
    return show.comparison_table(caption=text).html


def show_places(monkeypatch) -> list[Place]:
    """Return the places helpers.show puts text into HTML."""
    monkeypatch.setattr(show, "SHOWN_SOURCES", {}, raising=False)  # the hostile ids stay out of other tests' lists
    one = lambda text: pd.DataFrame({"note": [text]})  # noqa: E731
    payment = fees.medicare_payment("64612", fees.reference_date(), "11", ["RT"])
    return [
        Place("table cell", lambda text: show.table(one(text)).html),
        Place("table column name", lambda text: show.table(pd.DataFrame({text: ["x"]})).html),
        Place("table caption", lambda text: show.table(one("x"), caption=text).html),
        Place("folded table caption", lambda text: show.table(one("x"), caption=text, fold=True).html),
        Place("folded table cell", lambda text: show.table(one(text), caption="c", fold=True).html),
        Place("table link column (address)", lambda text: show.table(pd.DataFrame({"notebook": [text]}),
                                                                     links="notebook").html, verbatim=False),
        Place("table source ids", lambda text: show.table(pd.DataFrame({"source": [text]})).html),
        Place("working steps", lambda text: show.steps([text, "then this"]).html),
        Place("working steps caption", lambda text: show.steps(["one"], caption=text).html),
        Place("sentences (say)", lambda text: show.say(text, "and more").html),
        Place("callout", lambda text: show.callout(text, "check").html),
        Place("calculator refusal message", lambda text: show.refusal(_refused, text).html),
        Place("clinical fact statement", lambda text: _facts(monkeypatch, "statement", text)),
        Place("clinical fact note", lambda text: _facts(monkeypatch, "note", text)),
        Place("reference list: title", lambda text: (_source(monkeypatch, title=text), show.sources("msd-hfs"))[1].html),
        Place("reference list: publisher",
              lambda text: (_source(monkeypatch, publisher=text), show.sources("msd-hfs"))[1].html),
        Place("reference list: address", lambda text: (_source(monkeypatch, url=text), show.sources("msd-hfs"))[1].html,
              verbatim=False),
        Place("payment working steps",
              lambda text: show.payment_steps(dataclasses.replace(payment, steps=(text,))).html),
        Place("payer cards", lambda text: _cards(monkeypatch, text)),
    ]


def test_lesson_faces_show_hostile_text_as_text(monkeypatch, capsys):
    _tried("lesson faces (helpers.show)", show_places(monkeypatch), capsys, minimum=18)


# ---- A quiz's static face (no kernel): the site, nbviewer, a notebook not yet run ----------------------------------

def _static(bank, *ids: str, assessment: bool = False) -> str:
    """Return a quiz's static face as a notebook shows it without a kernel."""
    shown = display.assessment(bank) if assessment else display.questions(bank, *ids)
    return shown._repr_html_()


def static_places(tmp_path, monkeypatch) -> list[Place]:
    """Return the places a quiz's static face puts bank and source text into HTML."""
    def cited(**given):
        return lambda text: (_source(monkeypatch, **{key: text for key in given}),
                             _static(_bank(tmp_path), "single"))[1]
    return [
        Place("question", lambda text: _static(_bank(tmp_path, prompt=text), "single")),
        Place("option", lambda text: _static(_bank(tmp_path, option=text), "single")),
        Place("explanation in Show answer", lambda text: _static(_bank(tmp_path, explanation=text), "single")),
        Place("step of an order question", lambda text: _static(_bank(tmp_path, step=text), "order")),
        Place("number question", lambda text: _static(_bank(tmp_path, numeric=text), "numeric")),
        Place("code question", lambda text: _static(_bank(tmp_path, code=text), "code")),
        Place("assessment (no answers)", lambda text: _static(_bank(tmp_path, prompt=text), assessment=True)),
        Place("source title", cited(title=True)),
        Place("source publisher", cited(publisher=True)),
        Place("source address", cited(url=True), verbatim=False),
    ]


def test_quiz_static_face_shows_hostile_bank_text_as_text(tmp_path, monkeypatch, capsys):
    _tried("quiz static face (helpers.quiz.render)", static_places(tmp_path, monkeypatch), capsys, minimum=10)


# ---- A quiz's live face: the widget HTML a learner's answer and saved answers come back in -------------------------

def _checked(bank, question_id: str, answer) -> str:
    """Return a live question's HTML after the learner gave ``answer`` and pressed Check."""
    item = quiz_widgets.QuestionWidget(NOTEBOOK, bank.question(question_id))
    if question_id == "multiple":
        for box in item.boxes:
            box.value = box.description.endswith(answer)
    elif question_id == "single":
        item.input.value = next(i for i, option in enumerate(bank.question("single").shown()) if not option.correct)
    elif question_id != "order":
        item.input.value = answer
    item.check()
    return _html(item.box)


def _revealed(bank) -> str:
    """Return a live question's HTML after a wrong answer and Show answer."""
    item = quiz_widgets.QuestionWidget(NOTEBOOK, bank.question("single"))
    item.input.value = next(i for i, option in enumerate(bank.question("single").shown()) if not option.correct)
    item.check()
    item.reveal()
    return _html(item.box)


def _restored(bank, response: str, when: str) -> str:
    """Return a live code question as it opens again showing a saved answer."""
    last = progress.Attempt(response, False, 1, when)
    return _html(quiz_widgets.QuestionWidget(NOTEBOOK, bank.question("code"), last=last).box)


def _scored(bank, monkeypatch, label: str = "Name the conditions", notebook: str = NOTEBOOK) -> str:
    """Return an assessment's score and breakdown, with a hostile objective label or notebook."""
    monkeypatch.setattr(course, "objective_title", lambda objective, notebook: label)
    questions = [bank.question("single")]
    results = [question.check(0) for question in questions]
    return quiz_widgets.score_html(questions, results, notebook, pass_mark=0.8)


def widget_places(tmp_path, monkeypatch) -> list[Place]:
    """Return the places a live quiz puts bank text, learner answers and saved answers into widget HTML."""
    plain = _bank(tmp_path)
    return [
        Place("question header", lambda text: _html(quiz_widgets.QuestionWidget(
            NOTEBOOK, _bank(tmp_path, prompt=text).question("single")).box)),
        Place("typed number, checked", lambda text: _checked(plain, "numeric", text), verbatim=False),
        Place("typed code line, checked", lambda text: _checked(plain, "code", text), verbatim=False),
        Place("wrong option's feedback", lambda text: _checked(_bank(tmp_path, feedback=text), "single", None)),
        Place("ticked option named in feedback", lambda text: _checked(_bank(tmp_path, ticked=text), "multiple", text)),
        Place("order steps and their feedback", lambda text: _checked(_bank(tmp_path, step=text), "order", None)),
        Place("Show answer: answer and explanation",
              lambda text: _revealed(_bank(tmp_path, option=text, explanation=text))),
        Place("saved answer's time, shown again", lambda text: _restored(plain, "64612-LT", text)),
        Place("saved answer, shown again", lambda text: _restored(plain, text, "2026-03-02T10:00:00"), verbatim=False),
        Place("assessment score: objective", lambda text: _scored(plain, monkeypatch, label=text)),
        Place("assessment score: notebook link", lambda text: _scored(plain, monkeypatch, notebook=text),
              verbatim=False),
    ]


def test_live_quiz_shows_hostile_answers_and_bank_text_as_text(tmp_path, monkeypatch, capsys):
    _tried("live quiz widgets (helpers.quiz.widgets)", widget_places(tmp_path, monkeypatch), capsys, minimum=11)


# ---- Lesson tools and the progress panel ---------------------------------------------------------------------------

def _typed(field: int | None, text: str) -> str:
    """Return the claim builder's HTML after the learner typed a line with ``text`` in one field (None: diagnoses)."""
    builder = claim_builder.Builder("running-case")
    builder.diagnoses.value = "G51.31"
    for box, typed in zip(builder.rows[0], ("64612", "RT", "1", "1", "")):
        box.value = typed
    target = builder.diagnoses if field is None else builder.rows[0][field]
    target.value = text
    builder.check()
    return _html(builder.box)


def _case(monkeypatch, text: str, **fields) -> str:
    """Return a case study's static face (note, context, folded model claim) with hostile fields."""
    real = CASE("running-case")
    context = {**real.context, **{key: text for key in fields.pop("context", ())}}
    changed = dataclasses.replace(real, context=context, **{key: value(text) for key, value in fields.items()})
    monkeypatch.setattr(cases, "case", lambda case_id: changed)
    return claim_builder.static("running-case").html + _html(claim_builder.Builder("running-case").box)


def _denial(monkeypatch, text: str, reveal) -> str:
    """Return a denial case with every fact hostile, its answer folded (None) or shown (True)."""
    real = DENIAL(denials.cases()["id"].iloc[0])
    hostile = {**real, **{key: text for key in ("payer", "setting", "billed", "remittance", "cause", "fix")}}
    monkeypatch.setattr(denials, "case", lambda case_id: hostile)
    return denial_detective.case_view(real["id"], reveal).html


def _named(text: str, again: bool) -> str:
    """Return the name field after the learner saved ``text`` as their name (``again``: as a later visit shows it)."""
    field = progress_panel.NameField()
    field.name.value = text
    field.save()
    return _html(progress_panel.NameField().box if again else field.box)


def _checklist(text: str) -> str:
    """Return a payer checklist whose title and first finding are hostile."""
    result = checklist.checklist("Medicare", payers.MULTI_MAC, "office", "Botox", "blepharospasm")
    finding = dataclasses.replace(result.findings[0], item=text, text=text, policies=(text,), sources=(text,))
    return payer_checklist.checklist_html(dataclasses.replace(result, findings=(finding,)))


def tool_places(monkeypatch) -> list[Place]:
    """Return the places the lesson tools and the progress panel put typed, data and case text into HTML."""
    monkeypatch.delenv(progress.LEARNER_VARIABLE)  # the name a learner saves is the one in use
    advice = coding.choose("hemifacial spasm", "right", "Medicare")
    units = drugs.billing_units("Botox", 50, 100)
    return [
        Place("tool alert message", faces.alert_html),
        Place("remittance lookup: typed codes", lambda text: denial_detective.Lookup(text).output.value,
              verbatim=False),
        Place("drug calculator: typed dose", lambda text: _set(drug_calculator.DrugCalculator(), "dose", text)),
        Place("fee calculator: typed date", lambda text: _set(fee_calculator.FeeCalculator(), "date", text)),
        Place("claim builder: typed diagnoses", lambda text: _typed(None, text), verbatim=False),
        Place("claim builder: typed code", lambda text: _typed(0, text), verbatim=False),
        Place("claim builder: typed modifiers", lambda text: _typed(1, text), verbatim=False),
        Place("claim builder: typed units", lambda text: _typed(2, text)),
        Place("claim builder: typed pointers", lambda text: _typed(3, text), verbatim=False),
        Place("claim builder: typed dose", lambda text: _typed(4, text)),
        Place("case study: title and note", lambda text: _case(monkeypatch, text, title=str, note=str)),
        Place("case study: why and sources", lambda text: _case(monkeypatch, text, why=str, sources=lambda t: (t,))),
        Place("case study: claim context", lambda text: _case(monkeypatch, text, context=("date_of_service",
                                                                                         "place_of_service"))),
        Place("code chooser: reasons and diagnosis", lambda text: code_chooser.advice_html(
            dataclasses.replace(advice, reasons=(text,), diagnosis=text, lines=(text,)))),
        Place("payer checklist: finding", _checklist),
        Place("drug lines and working", lambda text: drug_calculator.units_html(
            dataclasses.replace(units, lines=(text,), steps=(text,)))),
        Place("denial case, answer folded", lambda text: _denial(monkeypatch, text, None)),
        Place("denial case, answer shown", lambda text: _denial(monkeypatch, text, True)),
        Place("table picker: chosen value", lambda text: explorer.matching_rows("codes", "code", text, ["code"]).html),
        Place("chart alt text", lambda text: figures.Chart(None, text, b"png")._repr_mimebundle_()["text/html"]),
        Place("learner's name, saved", lambda text: _named(text, again=False)),
        Place("learner's name, shown again", lambda text: _named(text, again=True)),
        Place("progress table: notebook and objective", lambda text: progress_panel.overview_html(
            pd.DataFrame([{"notebook": text, "objective": text, "questions": 2}]), text, whole_course=True)),
    ]


def _set(tool, control: str, text: str) -> str:
    """Return a tool's output after the learner typed ``text`` in one of its boxes."""
    getattr(tool, control).value = text
    return _html(tool.box)


def test_lesson_tools_show_typed_and_data_text_as_text(monkeypatch, capsys):
    _tried("lesson tools and progress panel (helpers.tools, helpers.faces, helpers.figures)", tool_places(monkeypatch),
           capsys, minimum=23)


# ---- The site, the slides and the handout ---------------------------------------------------------------------------

def _index(monkeypatch, text: str, column: str) -> str:
    """Return the site's index with one column of the course map (or the currency table) hostile."""
    path = LEARNING_PATH().head(2)
    if column == "currency":
        monkeypatch.setattr(data, "currency", lambda: pd.DataFrame([{"table": text, "rows": 1, "holds": text}]))
    else:
        path[column] = text
    monkeypatch.setattr(course, "learning_path", lambda: path)
    return publish.index()


def _notebook(folder: Path, texts) -> Path:
    """Write a notebook whose outputs are helper displays carrying ``texts`` (a table, sentences, a quiz face)."""
    cells = [nbformat.v4.new_markdown_cell("## Outputs that carry data and bank text")]
    for text in texts:
        shown = [show.table(pd.DataFrame({"note": [text]}), caption=text, fold=True), show.say(text),
                 display.questions(_bank(folder, explanation=text, prompt=text), "single")]
        outputs = [nbformat.v4.new_output("display_data", {"text/html": item._repr_html_(), "text/plain": repr(item)})
                   for item in shown]
        cells.append(nbformat.v4.new_code_cell("lesson.show()", outputs=outputs))
    path = folder / f"{next(_written):02d}_hostile.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def _handout(folder: Path, texts) -> str:
    """Return the quick reference built from a copy of data/ whose cells the handout shows carry ``texts``."""
    cells = [("codes", "code", code, "paraphrase") for code in ("64612", "64615", "64616", "64617")]
    cells += [("modifiers", "modifier", modifier, "name") for modifier in ("RT", "LT", "50")]
    cells += [("documentation", None, row, "why") for row in (0, 1, 2, 3)]
    for (table, key, row, column), text in zip(cells, texts, strict=True):
        path = folder / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        chosen = rows[row] if key is None else next(item for item in rows if item[key] == row)
        chosen[column] = text
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return publish.quick_reference()


def publish_places(tmp_path, monkeypatch, data_copy) -> list[Place]:
    """Return the places the site, the slides and the handout put data and bank text into HTML."""
    return [
        Place("site index: notebook title", lambda text: _index(monkeypatch, text, "title")),
        Place("site index: objectives", lambda text: _index(monkeypatch, text, "you will be able to")),
        Place("site index: notebook link", lambda text: _index(monkeypatch, text, "notebook"), verbatim=False),
        Place("site index: how current the data is", lambda text: _index(monkeypatch, text, "currency")),
        Place("site page (nbconvert) of helper outputs", lambda texts: publish.page(_notebook(tmp_path, texts)),
              together=True),
        Place("slides (nbconvert reveal.js) of helper outputs", lambda texts: publish.deck(_notebook(tmp_path, texts)),
              together=True),
        Place("quick-reference handout from data", lambda texts: _handout(data_copy, texts), together=True),
    ]


def test_site_slides_and_handout_show_hostile_text_as_text(tmp_path, monkeypatch, data_copy, capsys):
    _tried("site, slides and handout (helpers.publish)", publish_places(tmp_path, monkeypatch, data_copy), capsys,
           minimum=7)


def test_the_data_check_refuses_a_source_address_that_is_not_a_web_page(data_copy):
    path = data_copy / "sources.csv"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"https?://[^,\s\"]+", text).group(0)
    path.write_text(text.replace(first, "javascript:alert(1)", 1), encoding="utf-8")
    with pytest.raises(data.DataError, match="url"):
        data.load("sources")


# ---- The instructor's Markdown (answer keys, session plans) and the class report -----------------------------------

def _key(tmp_path, monkeypatch, **given) -> str:
    """Return an answer key, rendered from Markdown, for a bank with hostile texts."""
    bank = _bank(tmp_path, **given)
    monkeypatch.setattr(editions, "load_bank", lambda notebook: bank)
    return _markdown(editions.answer_key(NOTEBOOK))


def _exports(folder: Path, question: str, response: str) -> list[Path]:
    """Write a class export (as a learner could edit it before sending) with a hostile question id or answer."""
    path = folder / f"export-{next(_written)}.csv"
    row = {"learner": "ana", "notebook": "08_when_claims_go_wrong", "question": question, "objective": "remittance",
           "response": response, "correct": "false", "attempt": "1", "answered_at": "2026-03-02T10:00:00+00:00",
           progress.FILE_COLUMN: "a1b2c3d4"}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return [path]


def _plan(tmp_path, question: str = "co96-fix", response: str = "Bill the patient") -> str:
    """Return a session plan, rendered from Markdown, built from a class export."""
    stats = progress.report(_exports(tmp_path, question, response))
    return _markdown(editions.session_plan("08_when_claims_go_wrong", stats))


def instructor_places(tmp_path, monkeypatch) -> list[Place]:
    """Return the places the instructor's files and the class report put bank and learner text into HTML."""
    def report(**given):
        return progress.report(_exports(tmp_path, **{"question": "q", "response": "r", **given}))
    return [
        Place("answer key: question", lambda text: _key(tmp_path, monkeypatch, prompt=text)),
        Place("answer key: answer", lambda text: _key(tmp_path, monkeypatch, option=text)),
        Place("answer key: explanation", lambda text: _key(tmp_path, monkeypatch, explanation=text)),
        Place("session plan: a learner's wrong answer", lambda text: _plan(tmp_path, response=text)),
        Place("session plan: a question id from an export", lambda text: _plan(tmp_path, question=text)),
        Place("class report table (pandas): answers", lambda text: report(response=text)._repr_html_()),
        Place("class report table (pandas): question", lambda text: report(question=text)._repr_html_()),
        Place("class report as a course table", lambda text: show.table(report(response=text)).html),
    ]


def test_instructor_files_and_class_report_show_hostile_text_as_text(tmp_path, monkeypatch, capsys):
    _tried("answer keys, session plans and class report (helpers.editions, helpers.progress)",
           instructor_places(tmp_path, monkeypatch), capsys, minimum=8)


# ---- The check itself can fail -------------------------------------------------------------------------------------

RUN_IN_TEXT = {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</details><script>alert(1)</script>",
               "</td></tr></table><script>alert(1)</script>", "x` <img src=x onerror=alert(1)> `y"}
"""The strings that run, or break the page's structure, wherever HTML is written without escaping."""


def _caught(render) -> set[str]:
    """Return the hostile strings the check finds a problem with in ``render``."""
    return {text for text in HOSTILE if problems(render(text), render(HARMLESS), text)}


def test_the_check_catches_text_written_into_html_unescaped():
    assert _caught(lambda text: f"<details><summary>Show</summary><p>{text}</p></details>") == RUN_IN_TEXT
    breakouts = {'" onmouseover="alert(1)', "' onfocus='alert(1)"}
    assert breakouts <= _caught(lambda text: f"<p title=\"{text}\">x</p><p title='{text}'>y</p>")
    assert "javascript:alert(1)" in _caught(lambda text: f'<a href="{escape(text)}">source</a>')  # escaped, yet live
    assert "[x](javascript:alert(1))" in _caught(lambda text: _markdown(f"Answer: {text}"))
    assert _caught(lambda text: f"<p>{escape(text)}</p>") == set()
    assert _caught(lambda text: f"<p>{text.replace('{{7*7}}', '49')}</p>") >= {"{{7*7}}"}  # a template worked out


def test_the_check_catches_an_unescaped_lesson_face(monkeypatch):
    monkeypatch.setattr(show, "escape", lambda text, quote=True: text)
    failing = [place.name for place in show_places(monkeypatch) if _failures(place)[1]]
    assert {"table cell", "callout", "sentences (say)", "folded table caption"} <= set(failing)
