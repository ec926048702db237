"""Render data for a lesson: tables, sourced facts, callouts and reference lists, each with HTML and text."""

import re
from html import escape

import pandas as pd

from helpers import course, data
from helpers.schema import split_ids

CITATION = re.compile(r"\[([a-z0-9][a-z0-9-]*[a-z0-9])\](?!\()")
CONFIDENCE_WORDS = {"H": "high", "M": "medium", "L": "low"}
AMA_NOTICE = (
    "CPT® codes and descriptors are copyright American Medical Association (AMA). All rights reserved. "
    "This course does not reproduce AMA descriptors: it shows the public CMS short descriptors from the "
    "Medicare fee schedule files and describes each code in its own words. Check the current CPT book "
    "under your organisation's AMA licence before coding. ICD-10-CM titles are in the public domain."
)


class Rendered:
    """A display object with an HTML face and a plain-text face."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def number(value) -> str:
    """Return a number without trailing zeros: 3.0 -> '3', 1.25 -> '1.25', 1000 -> '1,000'."""
    if not data.present(value):
        return ""
    text = f"{float(value):,.4f}".rstrip("0").rstrip(".")
    return text


def confidence_note(level: str) -> str:
    """Return the words that flag a fact's confidence (nothing for high confidence)."""
    if level == "M":
        return "medium confidence"
    if level == "L":
        return "low confidence: check before relying on it"
    return ""


def table(frame: pd.DataFrame, caption: str = "") -> Rendered:
    """Return a table as plain HTML (no index, missing values as a dash) and as text."""
    missing = frame.isna()
    html = frame.astype(object).mask(missing, "—").to_html(index=False, escape=True, border=0)
    text = frame.astype(object).mask(missing, "-").to_string(index=False)
    if caption:
        html = f"<p><strong>{escape(caption)}</strong></p>\n{html}"
        text = f"{caption}\n{text}"
    return Rendered(html, text)


def steps(lines, caption: str = "") -> Rendered:
    """Return a numbered list of working steps, as HTML and text."""
    items = "".join(f"<li>{escape(str(line))}</li>" for line in lines)
    head = f"<p><strong>{escape(caption)}</strong></p>" if caption else ""
    text = "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))
    return Rendered(f"{head}<ol>{items}</ol>", f"{caption}\n{text}" if caption else text)


def callout(text: str, kind: str = "note") -> Rendered:
    """Return a short boxed message; ``kind`` is note, caution or check (check before you bill)."""
    labels = {"note": "Note", "caution": "Caution", "check": "Check before you bill"}
    colours = {"note": "--jp-info-color1", "caution": "--jp-warn-color1", "check": "--jp-error-color1"}
    style = f"border-left: 4px solid var({colours[kind]}, #888); padding: 2px 10px;"
    html = f'<div role="note" style="{style}"><p><strong>{labels[kind]}:</strong> {escape(text)}</p></div>'
    return Rendered(html, f"{labels[kind]}: {text}")


def ama_notice() -> Rendered:
    """Return the AMA copyright notice the course carries."""
    return callout(AMA_NOTICE, "note")


def _fact_sentence(row) -> str:
    """Return a clinical fact as one sentence: statement, value with qualifier and unit."""
    value = number(row["low"])
    if data.present(row["high"]):
        value = f"{value} to {number(row['high'])}"
    unit = row["unit"] if data.present(row["unit"]) else ""
    words = [row["qualifier"], value + ("" if unit.startswith("%") else " ") + unit]
    return f"{row['statement']}: " + " ".join(str(word).strip() for word in words if data.present(word) and word)


def facts(*ids: str) -> Rendered:
    """Return clinical facts by id as a list, each with its source id and any confidence flag."""
    table_ = data.load("clinical_facts").set_index("id")
    missing = [fact_id for fact_id in ids if fact_id not in table_.index]
    if missing:
        raise KeyError(f"No clinical fact with id {', '.join(missing)}.")
    html_items, text_items = [], []
    for fact_id in ids:
        row = table_.loc[fact_id]
        flag = confidence_note(row["confidence"])
        tail = f" [{row['source']}]" + (f" ({flag})" if flag else "")
        extra = f" {row['note']}" if data.present(row["note"]) else ""
        sentence = _fact_sentence(row)
        html_items.append(f"<li>{escape(sentence)}.{escape(extra)}<small>{escape(tail)}</small></li>")
        text_items.append(f"- {sentence}.{extra}{tail}")
    return Rendered("<ul>" + "".join(html_items) + "</ul>", "\n".join(text_items))


def cited_ids(notebook: str) -> list[str]:
    """Return the source ids a notebook cites in its markdown ([id]) and in its quiz bank, in order."""
    from helpers.quiz.bank import bank_path, load_bank

    path = course.notebook_path(notebook)
    ids = [match for text in course._markdown(path) for match in CITATION.findall(text)]
    if bank_path(notebook).exists():
        ids += [source for question in load_bank(notebook).questions for source in question.sources]
    return list(dict.fromkeys(ids))


def sources(ids) -> Rendered:
    """Return the given sources as a reference table with links, dates and confidence."""
    ids = split_ids(ids) if isinstance(ids, str) else list(ids)
    rows = [data.source(source_id) for source_id in ids]
    html_rows = "".join(
        f"<tr><td><code>{escape(r['id'])}</code></td><td><a href=\"{escape(r['url'])}\">{escape(r['title'])}</a></td>"
        f"<td>{escape(r['publisher'])}</td><td>{r['date']:%Y-%m-%d} ({escape(r['date_kind'])})</td>"
        f"<td>{CONFIDENCE_WORDS[r['confidence']]}</td></tr>" for r in rows)
    html = ("<table><thead><tr><th>id</th><th>source</th><th>publisher</th><th>date</th><th>confidence</th>"
            f"</tr></thead><tbody>{html_rows}</tbody></table>")
    text = "\n".join(f"[{r['id']}] {r['title']}. {r['publisher']}, {r['date']:%Y-%m-%d} ({r['date_kind']}). "
                     f"{r['url']} (confidence: {CONFIDENCE_WORDS[r['confidence']]})" for r in rows)
    return Rendered(html, text)


def references(notebook: str) -> Rendered:
    """Return the reference list of a notebook: every source it cites, in order of first use."""
    return sources(cited_ids(notebook))
