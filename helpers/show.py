"""Static lesson faces: tables, sourced facts, callouts, payments, payer grids and reference lists (HTML and text)."""

from html import escape

import numpy as np
import pandas as pd

from helpers import coding, data, payers
from helpers.faces import Rendered, link_html, scrolling
from helpers.formatting import CONFIDENCE_WORDS, claim_line, column_label, money, number, sources_line
from helpers.schema import split_ids
AMA_NOTICE = (
    "CPT® codes and descriptors are copyright American Medical Association (AMA). All rights reserved. "
    "This course does not reproduce AMA descriptors: it shows the public CMS short descriptors from the "
    "Medicare fee schedule files and describes each code in its own words. Check the current CPT book "
    "under your organisation's AMA licence before coding. ICD-10-CM titles are in the public domain."
)


def confidence_note(level: str) -> str:
    """Return the words that flag a fact's confidence (nothing for high confidence)."""
    if level == "M":
        return "medium confidence"
    if level == "L":
        return "low confidence: check before relying on it"
    return ""


LEFT = ' style="text-align: left; vertical-align: top;"'
"""Each cell's own alignment: front ends right-align table cells, and Voilà drops style sheets but keeps this."""
SHORT = ' style="text-align: left; vertical-align: top; white-space: nowrap;"'
"""A short value (a date, a code, an amount) is never broken across lines."""


def _shown(value) -> str:
    """Return a cell's value as a reader reads it: yes or no for a flag, 3 rather than 3.0 for a whole number."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(column: str, value, links) -> str:
    """Return one table cell's HTML: escaped text, a relative link, or source ids linked to the references."""
    if not data.present(value):
        return "—"
    text = _shown(value)
    if column in links:
        return link_html(text, text)
    if column == "source":
        SHOWN_SOURCES.update(dict.fromkeys(split_ids(text)))
        return "; ".join(f'<a href="#ref-{escape(part)}">{escape(part)}</a>' for part in split_ids(text))
    return escape(text)


SHOWN_SOURCES: dict[str, None] = {}
"""The source ids the tables shown so far in this kernel linked to, in order: a lesson's references list them."""


def _td(column: str, value, links) -> str:
    """Return one table cell, a short value kept on one line."""
    return f"<td{SHORT if len(_shown(value)) <= 16 else LEFT}>{_cell(column, value, links)}</td>"


def table(frame: pd.DataFrame, caption: str = "", links=(), fold: bool = False) -> Rendered:
    """Return a table as HTML and text, columns labelled in words and source ids linked to the references.

    Text is left-aligned, and a table wider than the screen scrolls inside itself. ``links`` names columns
    whose values are relative addresses (a notebook's file name), shown as links.
    ``fold`` tucks a long reference table into a "show" switch (its caption stays visible).
    """
    links = (links,) if isinstance(links, str) else tuple(links)  # one column name given on its own
    labels = [column_label(column) for column in frame.columns]
    head = "".join(f"<th{LEFT}>{escape(label)}</th>" for label in labels)
    body = "".join("<tr>" + "".join(_td(str(column), value, links) for column, value in zip(frame.columns, row))
                   + "</tr>" for row in frame.itertuples(index=False))
    grid = scrolling(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>", caption)
    text = frame.astype(object).map(_shown).mask(frame.isna(), "-").set_axis(labels, axis=1).to_string(index=False)
    if fold:
        summary = f"<strong>{escape(caption)}</strong> ({len(frame)} rows: show or hide)" if caption else \
            f"{len(frame)} rows: show or hide"
        return Rendered(f"<details><summary>{summary}</summary>\n{grid}</details>",
                        f"{caption}\n{text}" if caption else text)
    if caption:
        return Rendered(f"<p><strong>{escape(caption)}</strong></p>\n{grid}", f"{caption}\n{text}")
    return Rendered(grid, text)


def steps(lines, caption: str = "") -> Rendered:
    """Return a numbered list of working steps, as HTML and text."""
    items = "".join(f"<li>{escape(str(line))}</li>" for line in lines)
    head = f"<p><strong>{escape(caption)}</strong></p>" if caption else ""
    text = "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))
    return Rendered(f"{head}<ol>{items}</ol>", f"{caption}\n{text}" if caption else text)


def claim(condition: str, side: str, payer_type: str, product: str, dose, vial, fold: bool = False) -> Rendered:
    """Return one session's claim lines as a table whose caption states every input (for readers of no code).

    ``fold`` hides the lines under their caption (a practice: code them yourself first).
    """
    sides = "both sides" if side == "both" else f"{side} side"
    caption = (f"{condition.capitalize()}, {sides}, {coding.PAYER_TYPES[payer_type]}: {product}, {dose:g} units given "
               f"from a {vial:g}-unit vial")
    return table(coding.claim(condition, side, payer_type, product, dose, vial), caption=caption, fold=fold)


def say(*sentences: str) -> Rendered:
    """Return sentences as paragraphs (what a lesson would print, without the code-style wrapping of print)."""
    html = "".join(f"<p>{escape(str(sentence))}</p>" for sentence in sentences)
    return Rendered(html, "\n".join(str(sentence) for sentence in sentences))


def refusal(function, *args, **kwargs) -> Rendered:
    """Call a course calculator that should refuse, and show its message (or say that it did not refuse)."""
    try:
        function(*args, **kwargs)
    except ValueError as error:
        return callout(f"The calculator refuses: {error}", "caution")
    return callout("The calculator did not refuse this input.", "note")


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


def sources(ids) -> Rendered:
    """Return the given sources as a reference table with links, dates and confidence."""
    ids = split_ids(ids) if isinstance(ids, str) else list(ids)
    rows = [data.source(source_id) for source_id in ids]
    html_rows = "".join(
        f"<tr id=\"ref-{escape(r['id'])}\"><td{SHORT}><code>{escape(r['id'])}</code></td>"
        f"<td{LEFT}>{link_html(r['url'], r['title'])}</td>"
        f"<td{LEFT}>{escape(r['publisher'])}</td><td{SHORT}>{r['date']:%Y-%m-%d} ({escape(r['date_kind'])})</td>"
        f"<td{LEFT}>{CONFIDENCE_WORDS[r['confidence']]}</td></tr>" for r in rows)
    heads = "".join(f"<th{LEFT}>{head}</th>" for head in ("id", "source", "publisher", "date", "confidence"))
    html = scrolling(f"<table><thead><tr>{heads}</tr></thead><tbody>{html_rows}</tbody></table>", "References")
    text = "\n".join(f"[{r['id']}] {r['title']}. {r['publisher']}, {r['date']:%Y-%m-%d} ({r['date_kind']}). "
                     f"{r['url']} (confidence: {CONFIDENCE_WORDS[r['confidence']]})" for r in rows)
    return Rendered(html, text)


def _place(payment) -> str:
    """Return where a payment was priced: the place of service and its rate, or the rate alone."""
    if payment.place_of_service is None:
        return payment.rate
    name = data.load("site_of_service").set_index("pos").loc[payment.place_of_service, "name"]
    return f"{payment.place_of_service} {name} ({payment.rate})"


def payment_row(payment) -> dict:
    """Return one priced claim line as a table row: the inputs, then the amounts in dollars."""
    return {"claim line": claim_line(payment.code, payment.modifiers), "date of service": str(payment.date_of_service),
            "place of service": _place(payment), "locality": payment.locality, "QP": "yes" if payment.qp else "no",
            "conversion factor": f"${payment.conversion_factor}",
            "fee schedule amount": money(payment.fee_schedule_amount), "allowed": money(payment.allowed),
            "Medicare pays": money(payment.medicare_pays), "patient pays": money(payment.patient_pays)}


def payment_table(payments, caption: str = "") -> Rendered:
    """Return several priced claim lines as one table (HTML and text)."""
    return table(pd.DataFrame([payment_row(payment) for payment in payments]), caption=caption)


def payment_html(payment) -> str:
    """Return a priced claim line as HTML: the amounts, the numbered steps and the sources."""
    steps_html = "".join(f"<li>{escape(step)}</li>" for step in payment.steps)
    return (f'<div role="status"><p><strong>{escape(claim_line(payment.code, payment.modifiers))}</strong> · '
            f"<strong>Allowed:</strong> {money(payment.allowed)} · <strong>Medicare pays:</strong> "
            f"{money(payment.medicare_pays)} · <strong>Patient pays:</strong> {money(payment.patient_pays)}</p>"
            f"<p><strong>Working:</strong></p><ol>{steps_html}</ol>"
            f"<p><small>{escape(sources_line(payment.sources))}</small></p></div>")


def payment_steps(payment) -> Rendered:
    """Return a priced claim line with its numbered steps, as HTML and as text."""
    text = [f"{claim_line(payment.code, payment.modifiers)}: allowed {money(payment.allowed)}, Medicare pays "
            f"{money(payment.medicare_pays)}, patient pays {money(payment.patient_pays)}"]
    text += [f"{n}. {step}" for n, step in enumerate(payment.steps, start=1)]
    return Rendered(payment_html(payment), "\n".join(text + [sources_line(payment.sources)]))


def matrix_table(fold: bool = False) -> Rendered:
    """Return the payers' requirements matrix as a table: 'stated (M)' or 'not stated' in every cell."""
    matrix = payers.requirements_matrix()
    shown = matrix.apply(lambda column: column.map(lambda level: f"stated ({level})" if level else "not stated"))
    return table(shown.reset_index(), caption="Requirements matrix: what each policy states in the course's data "
                 "(confidence in brackets)", fold=fold)


CARD_STYLE = ("flex: 1 1 20em; max-width: 32em; align-self: flex-start; "
              "border: 1px solid var(--jp-border-color2, #ccc); border-radius: 4px; padding: 4px 12px;")


def _card(payer: str, column) -> str:
    """Return one payer's card: each requirement the data states, with its policies' words."""
    entries = "".join(f"<p><strong>{escape(requirement.capitalize())}</strong></p><ul>"
                      + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
                      for requirement, items in column.items() if items)
    missing = [requirement for requirement, items in column.items() if not items]
    gaps = f"<p><em>Not stated in the course's data: {escape(', '.join(missing))}.</em></p>" if missing else ""
    return f'<section style="{CARD_STYLE}"><h4>{escape(payer)}</h4>{entries}{gaps}</section>'


def comparison_table(caption: str = "") -> Rendered:
    """Return the payers side by side: one card per payer (HTML, narrow screens stack them) and text."""
    grid = payers.comparison()
    cards = "".join(_card(payer, grid[payer]) for payer in grid.columns)
    html = f'<div style="display: flex; flex-wrap: wrap; gap: 12px;">{cards}</div>'
    lines = [f"{requirement} / {payer}: " + (" | ".join(items) if items else "-")
             for requirement, row in grid.iterrows() for payer, items in row.items()]
    caption = caption or "Payer policies side by side (confidence in brackets: H high, M medium, L low)"
    return Rendered(f"<p><strong>{escape(caption)}</strong></p>\n{html}", "\n".join([caption, *lines]))
