"""The static faces of a quiz: plain semantic HTML (no scripts) and deterministic plain text."""

from html import escape

from helpers import data
from helpers.faces import link_html
from helpers.quiz.model import Code, Numeric


def element_id(notebook: str, question_id: str) -> str:
    """Return the stable HTML id of a question, derived from its bank and id."""
    return f"quiz-{notebook}-{question_id}"


def choices(question) -> list[str]:
    """Return the lettered choices a question shows (options or shuffled steps, in display order), or none."""
    return question.labels() if hasattr(question, "labels") else []


def how_to_answer(question) -> str:
    """Return the short instruction shown with a question."""
    if isinstance(question, Numeric):
        return f"Type a number ({question.unit})."
    if isinstance(question, Code):
        return "Type a claim line: code, modifiers and units." if question.is_line() else "Type a code."
    return question.kind_label.capitalize() + "."


DATE_PREFIX = {"as of": "as of ", "version": "version of ", "archived": "archived "}
"""The words before a source's date when the date is not the document's own (read, version or archive date)."""


def dated(source: dict) -> str:
    """Return a source's date, with its kind when it is not the document's own date ('as of ...', 'version of ...')."""
    return f"{DATE_PREFIX.get(source['date_kind'], '')}{source['date']:%Y-%m-%d}"


def cite_html(source: dict) -> str:
    """Return one source as an HTML citation with its link."""
    return f'{link_html(source["url"], source["title"])} ({escape(source["publisher"])}, {dated(source)})'


def cite_text(source: dict) -> str:
    """Return one source as a plain-text citation."""
    return f'{source["title"]} ({source["publisher"]}, {dated(source)}) {source["url"]}'


def sources_of(question) -> list[dict]:
    """Return the source rows a question cites."""
    return [data.source(source_id) for source_id in question.sources]


def question_html(notebook: str, question, reveal: bool = True) -> str:
    """Return a question as semantic HTML; with ``reveal``, a <details> 'Show answer' holds the answer."""
    parts = [f'<section class="quiz-static" id="{element_id(notebook, question.id)}">',
             f"<p><strong>Quiz</strong> · {escape(how_to_answer(question))}</p>",
             f"<p>{escape(question.prompt)}</p>"]
    listed = choices(question)
    if listed:
        parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in listed) + "</ul>")
    parts.append("<p><em>Run the notebook (or open it in Voilà) to answer here and get feedback.</em></p>")
    if reveal:
        cited = "; ".join(cite_html(source) for source in sources_of(question))
        parts.append("<details><summary>Show answer</summary>"
                     f"<p><strong>Answer:</strong> {escape(question.answer_text())}</p>"
                     f"<p>{escape(question.explanation)}</p><p><strong>Sources:</strong> {cited}</p></details>")
    parts.append("</section>")
    return "".join(parts)


def question_text(question, reveal: bool = True) -> str:
    """Return a question as deterministic plain text."""
    lines = [f"Quiz ({how_to_answer(question)}) {question.prompt}"]
    lines += [f"  {item}" for item in choices(question)]
    if reveal:
        lines.append(f"  Answer: {question.answer_text()}")
        lines.append(f"  Why: {question.explanation}")
        lines += [f"  Source: {cite_text(source)}" for source in sources_of(question)]
    return "\n".join(lines)
