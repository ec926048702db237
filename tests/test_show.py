"""Static lesson faces: payment tables and steps, payer grids, tables, facts and reference lists."""

import pandas as pd

from helpers import fees, show


DAY = "2026-03-02"


def test_payment_steps_has_a_numbered_text_face():
    payment = fees.medicare_payment("64612", DAY, "11", ["RT"])
    text = repr(show.payment_steps(payment)).splitlines()
    assert text[0].startswith("64612-RT: allowed $")
    assert text[1].startswith("1. ") and text[-1].startswith("Sources: ")
    assert len(text) == len(payment.steps) + 2


def test_payment_table_has_one_row_per_payment():
    payments = [fees.medicare_payment("64612", DAY, place) for place in ("11", "22")]
    text = repr(show.payment_table(payments, caption="Two"))
    lines = text.splitlines()
    assert len(lines) == 4 and lines[0] == "Two"
    assert "$141.62" in lines[2] and "$108.22" in lines[3]


def test_the_matrix_table_marks_stated_and_not_stated():
    text = show.matrix_table().text
    assert "stated (H)" in text and "not stated" in text
    assert "Original Medicare, hospital outpatient: OPD prior authorization program" in text


def test_a_table_can_link_a_column_and_still_escapes_the_rest():
    frame = pd.DataFrame({"notebook": ["01_procedure.ipynb"], "title": ["<b>not bold</b>"]})
    html = show.table(frame, links=["notebook"]).html
    assert '<a href="01_procedure.ipynb">01_procedure.ipynb</a>' in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html and "<b>" not in html


def test_tables_label_columns_in_words_and_link_sources_to_the_references():
    frame = pd.DataFrame({"units_per_billing_unit": [1], "bilat_surg": [1], "source": ["cms-pprrvu-2026; fda-botox-label"]})
    rendered = show.table(frame, caption="A table")
    assert f"<th{show.LEFT}>units per billing unit</th>" in rendered.html and ">bilateral indicator</th>" in rendered.html
    assert 'href="#ref-cms-pprrvu-2026"' in rendered.html and 'href="#ref-fda-botox-label"' in rendered.html
    assert rendered.text.splitlines()[1].split() == ["units", "per", "billing", "unit", "bilateral", "indicator", "source"]
    assert 'style="overflow-x: auto;"' in rendered.html and "text-align: left" in rendered.html
    assert 'id="ref-fda-botox-label"' in show.sources(["fda-botox-label"]).html


def test_a_folded_table_keeps_its_caption_in_view():
    frame = pd.DataFrame({"code": ["64612", "64615"]})
    html = show.table(frame, caption="Codes", fold=True).html
    assert html.startswith("<details><summary><strong>Codes</strong> (2 rows: show or hide)</summary>")


def test_a_single_link_column_may_be_named_on_its_own():
    frame = pd.DataFrame({"notebook": ["01_procedure.ipynb"], "note": ["a note"]})
    html = show.table(frame, links="notebook").html
    assert '<a href="01_procedure.ipynb">' in html and '<a href="a note">' not in html
