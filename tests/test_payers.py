"""The payer landscape helpers: the matrix, the comparison, the numbers, the checklist and its widget."""

import datetime
import json
import re

import matplotlib.pyplot as plt
import pytest
import yaml

from helpers import data, figures, paths, payers
from helpers.schema import split_ids
from helpers.tables import TABLES

OPD_PROGRAM = "cms-opd-prior-auth"

def known_sources() -> set[str]:
    return set(data.load("sources")["id"])


def allowed(table: str, column: str) -> set[str]:
    """Return the values a table's schema allows in one column."""
    check = TABLES[table].columns[column].checks[0]
    return set(check.statistics["allowed_values"])


def every_choice():
    """Yield every (payer, plan, setting, product, diagnosis) the checklist offers."""
    for payer in payers.PAYERS:
        for plan in payers.plans(payer):
            for setting in payers.SETTINGS:
                for product in payers.products():
                    for diagnosis in payers.DIAGNOSES:
                        yield payer, plan, setting, product, diagnosis


def opd_codes() -> set[str]:
    """Return the toxin codes the outpatient prior-authorization rows are limited to."""
    rows = data.load("payer_policies").query("plan == 'Original Medicare, hospital outpatient'")
    return {code for cell in rows["hcpcs"] for code in payers._codes(cell)}


# ---- the requirements matrix and the comparison ----------------------------------------------

def test_requirements_are_exactly_the_ones_the_schema_allows():
    assert set(payers.ALL_REQUIREMENTS) == allowed("payer_policies", "requirement")
    assert set(payers.REQUIREMENTS) == allowed("payer_limits", "requirement")
    assert set(payers.PAYERS) == allowed("payer_policies", "payer") == allowed("payer_limits", "payer")
    assert len(payers.REQUIREMENTS) == len(set(payers.REQUIREMENTS))
    gathered = [requirement for _, requirements in payers.ITEMS for requirement in requirements]
    assert sorted(gathered) == sorted(payers.REQUIREMENTS)  # every requirement lands in one checklist item


def test_the_matrix_has_one_row_per_policy_and_one_column_per_requirement():
    policies = data.load("payer_policies")
    triples = list(dict.fromkeys(zip(policies["payer"], policies["plan"], policies["policy"])))
    matrix = payers.requirements_matrix()
    assert list(matrix.columns) == list(payers.REQUIREMENTS)
    assert len(matrix) == len(triples) and matrix.index.is_unique
    assert sorted(matrix.index) == sorted(payers.policy_label(*triple) for triple in triples)
    stated = {(payers.policy_label(r.payer, r.plan, r.policy), r.requirement): r.confidence for r in policies.itertuples()}
    for label in matrix.index:
        for requirement in matrix.columns:
            assert matrix.loc[label, requirement] == stated.get((label, requirement), "")


def test_the_matrix_grows_with_the_data(data_copy):
    before = payers.requirements_matrix()
    with (data_copy / "payer_policies.csv").open("a", encoding="utf-8") as handle:
        handle.write("Aetna,Aetna Medicare Advantage,MA test policy,Test,,prior authorization,required,,,"
                     "d3rx-aetna-cpb-0113,L,\n")
    after = payers.requirements_matrix()
    assert len(after) == len(before) + 1
    assert after.loc["Aetna Medicare Advantage: MA test policy"].tolist() == ["L"] + [""] * (len(after.columns) - 1)


def test_a_policy_whose_criteria_were_not_captured_keeps_an_empty_matrix_row():
    matrix = payers.requirements_matrix()
    for label in ("BCBS Minnesota: II-16-018", "Arkansas Blue Cross and Blue Shield: 2018002"):
        assert matrix.loc[label].tolist() == [""] * len(matrix.columns)
    assert payers.NOT_CAPTURED not in matrix.columns


def test_the_matrix_table_marks_stated_and_not_stated():
    text = payers.matrix_table().text
    assert "stated (H)" in text and "not stated" in text
    assert "Original Medicare, hospital outpatient: OPD prior authorization program" in text


def test_the_comparison_lists_every_row_in_its_payer_column():
    grid = payers.comparison()
    policies = data.load("payer_policies")
    assert list(grid.index) == list(payers.REQUIREMENTS) and list(grid.columns) == list(payers.PAYERS)
    for payer in payers.PAYERS:
        for requirement in payers.REQUIREMENTS:
            rows = policies[(policies["payer"] == payer) & (policies["requirement"] == requirement)]
            assert len(grid.loc[requirement, payer]) == len(rows)
    rendered = payers.comparison_table()
    assert "<table>" in rendered.html and "preferred products / Blue Cross Blue Shield" in rendered.text


def test_policy_rows_keep_each_policy_together_in_requirement_order():
    rows = payers.policy_rows("Cigna")
    assert rows["policy"].tolist() == sorted(rows["policy"], key=rows["policy"].tolist().index)
    for _, group in rows.groupby("policy"):
        order = [payers.REQUIREMENTS.index(r) for r in group["requirement"]]
        assert order == sorted(order)
    medicare = payers.policy_rows("Medicare", payers.MULTI_MAC)
    assert set(medicare["plan"]) == {payers.MULTI_MAC}


# ---- the numbers inside the policies ---------------------------------------------------------

def test_every_limit_belongs_to_a_policy_row_that_does_not_contradict_it():
    policies = data.load("payer_policies").set_index(["payer", "plan", "policy", "requirement"])
    for row in payers.limits().itertuples():
        key = (row.payer, row.plan, row.policy, row.requirement)
        assert key in policies.index, key
        policy = policies.loc[key]
        text = f"{policy['value']} {data.present(policy['detail']) and policy['detail'] or ''}"
        typed = re.findall(rf"(\d+(?:\.\d+)?)\s+(?:calendar\s+)?{row.unit}", text)
        assert not typed or f"{row.value:g}" in typed, (key, row.value, typed)  # a number in prose matches its limit


def test_the_opd_program_number_lives_only_in_payer_limits():
    rows = payers.policy_rows("Medicare", "Original Medicare, hospital outpatient")
    utn = payers.limits("prior authorization")["value"].iloc[0]
    assert not rows["detail"].str.contains(rf"\b{utn:g}\b").any()


def test_intervals_convert_months_to_weeks():
    frame = payers.intervals()
    assert set(frame["unit"]) <= {"weeks", "months"} and frame["measure"].str.startswith("minimum interval").all()
    for row in frame.itertuples():
        expected = row.value if row.unit == "weeks" else round(row.value * 52 / 12, 1)
        assert row.weeks == expected
    shown = payers.interval_table()
    assert len(shown) == len(frame) and not any(rule.endswith(".0 weeks") for rule in shown["rule"])


def test_the_limit_table_writes_numbers_with_units():
    table = payers.limit_table("Medicare", "prior authorization")
    assert table["limit"].tolist() == [f"{v:g} days" for v in payers.limits("prior authorization")["value"]]


# ---- the checklist ---------------------------------------------------------------------------

def test_the_opd_rows_carry_the_toxin_codes_of_the_program():
    assert opd_codes() == {"J0585", "J0586", "J0587", "J0588"}
    assert opd_codes() <= set(data.load("drugs")["hcpcs"])
    rows = data.load("payer_policies").query("plan == 'Original Medicare, hospital outpatient'")
    assert rows["hcpcs"].map(data.present).all()


@pytest.mark.parametrize("product", payers.products())
@pytest.mark.parametrize("setting", list(payers.SETTINGS))
def test_medicare_outpatient_prior_authorization_only_in_hospital_outpatient_and_for_its_codes(setting, product):
    for plan in payers.plans("Medicare"):
        finding = payers.checklist("Medicare", plan, setting, product).finding("Prior authorization")
        assert OPD_PROGRAM in finding.sources
        if setting != "hospital outpatient":
            assert finding.status == "not in this setting" and f"claim from the {setting}" in finding.text
        elif payers.hcpcs_of(product) in opd_codes():
            assert finding.status == "stated"
        else:
            assert finding.status == "not this product"
            assert payers.hcpcs_of(product) in finding.text and "check the current CMS list" in finding.text
            documentation = payers.checklist("Medicare", plan, setting, product).finding("Documentation")
            assert "diagnosis, agent and dose" not in documentation.text.lower()


def test_no_medicare_advantage_or_commercial_checklist_cites_the_opd_program():
    for choice in every_choice():
        payer, plan = choice[:2]
        result = payers.checklist(*choice)
        assert "prior authorization" not in result.context[0].text.lower(), choice  # the Setting line
        if payer != "Medicare" or "Medicare Advantage" in plan:
            assert OPD_PROGRAM not in result.sources(), choice
    assert payers.plans("Medicare Advantage") and all("Original" not in plan for plan in payers.plans("Medicare Advantage"))


def test_every_checklist_line_cites_known_sources():
    known = known_sources()
    for choice in every_choice():
        result = payers.checklist(*choice)
        assert [f.item for f in result.findings] == [item for item, _ in payers.ITEMS]
        for finding in (*result.context, *result.findings):
            if finding.status == "not in the data":
                assert not finding.sources and finding.confidence == ""
                continue
            assert finding.sources, (choice, finding.item)
            assert set(finding.sources) <= known, (choice, finding.item)
            assert finding.confidence in ("H", "M", "L")
        assert set(result.sources()) <= known


def test_a_policy_for_another_product_is_not_applied():
    botox = payers.checklist("Cigna", payers.CIGNA, "office", "Botox").finding("Dose limit")
    assert botox.status == "other product" and "Check the plan's policy for Botox" in botox.text
    dysport = payers.checklist("Cigna", payers.CIGNA, "office", "Dysport").finding("Dose limit")
    assert dysport.status == "stated" and dysport.sources == ("evicore-dysport",)


def test_the_checklist_follows_the_diagnosis():
    bcnc = payers.checklist("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "office", "Xeomin", "hemifacial spasm")
    assert "None of these rows names hemifacial spasm" in bcnc.finding("Covered uses").text
    assert "For hemifacial spasm it is not labelled" in bcnc.context[1].text
    botox = payers.checklist("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "office", "Botox", "hemifacial spasm")
    assert "its label status is disputed" in botox.context[1].text
    bleph = payers.checklist("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "office", "Botox", "blepharospasm")
    assert "For blepharospasm it is FDA-labelled" in bleph.context[1].text
    first_coast = payers.checklist("Medicare", "Original Medicare (First Coast, JN)", "office", "Xeomin",
                                   "hemifacial spasm").finding("Covered uses")
    assert "None of these rows" not in first_coast.text and "Botox and Dysport only" in first_coast.text


def test_every_medicare_advantage_plan_gets_the_general_rules():
    for plan in payers.plans("Medicare Advantage"):
        covered = payers.checklist("Medicare Advantage", plan, "office", "Botox").finding("Covered uses")
        assert "ecfr-42cfr422-101" in covered.sources


def test_preferred_products_and_step_therapy_name_the_product():
    bcnc = "Blue Cross NC (commercial)"
    assert payers.plans("Blue Cross Blue Shield")[0] == bcnc
    botox = payers.checklist("Blue Cross Blue Shield", bcnc, "office", "Botox").finding("Preferred products and step therapy")
    assert "Botox is not on the preferred list" in botox.text
    xeomin = payers.checklist("Blue Cross Blue Shield", bcnc, "office", "Xeomin").finding("Preferred products and step therapy")
    assert "Xeomin is on the preferred list" in xeomin.text
    aetna = payers.checklist("Aetna", "Aetna commercial", "office", "Myobloc").finding("Preferred products and step therapy")
    assert "This rule names Myobloc" in aetna.text


def test_gaps_are_reported_as_gaps():
    finding = payers.checklist("Blue Cross Blue Shield", "BCBS Minnesota", "office", "Botox").finding("Prior authorization")
    assert finding.status == "not in the data" and "check the plan's current policy" in finding.text.lower()
    assert "did not capture its criteria" in finding.text and finding.sources == ()


def test_a_setting_limited_plan_applies_to_every_plan_of_the_payer(data_copy):
    with (data_copy / "payer_policies.csv").open("a", encoding="utf-8") as handle:
        handle.write('Aetna,"Aetna commercial, ambulatory surgical center",Test ASC rule,Test,,documentation,'
                     'operative note,,,d3rx-aetna-cpb-0113,L,\n')
    assert payers.plans("Aetna") == ["Aetna commercial"]
    asc = payers.checklist("Aetna", "Aetna commercial", "ambulatory surgical center", "Botox").finding("Documentation")
    office = payers.checklist("Aetna", "Aetna commercial", "office", "Botox").finding("Documentation")
    assert asc.status == "stated" and office.status == "not in this setting"


@pytest.mark.parametrize(("arguments", "message"), [
    (("Medicare", "Original Medicare", "office", "Botox"), "is not a Medicare plan"),
    (("Medicare", payers.MULTI_MAC, "home", "Botox"), "Unknown setting 'home'"),
    (("Medicare", payers.MULTI_MAC, "office", "Toxin X"), "Unknown product 'Toxin X'"),
    (("Medicare", payers.MULTI_MAC, "office", "Botox", "migraine"), "Unknown diagnosis 'migraine'"),
    (("Humana", "Any", "office", "Botox"), "no policies for 'Humana'"),
])
def test_bad_choices_get_plain_messages(arguments, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        payers.checklist(*arguments)


def test_the_checklist_frame_and_faces_agree():
    result = payers.checklist(*payers.EXAMPLES[0])
    frame = result.frame()
    assert frame["item"].tolist() == ["Setting", "Product"] + [item for item, _ in payers.ITEMS]
    html, text = payers.checklist_html(result), payers.checklist_text(result)
    for source in result.sources():
        assert source in html and source in text
    assert "check before you bill" in html


# ---- the widget -------------------------------------------------------------------------------

def test_the_widget_follows_payer_setting_and_product():
    display = payers.payer_checklist()
    bundle = display._repr_mimebundle_()
    tool = display.tool
    assert "tool" in tool.box._dom_classes and "tool-output" in tool.output._dom_classes
    assert bundle["text/plain"] == repr(display) and bundle["text/html"] == display._repr_html_()
    assert "not in this setting" in tool.output.value  # Medicare, office, Botox
    tool.setting.value = "hospital outpatient"
    assert "cms-opd-prior-auth" in tool.output.value and "Required in hospital outpatient departments" in tool.output.value
    tool.payer.value = "Aetna"
    assert list(tool.plan.options) == payers.plans("Aetna") and tool.plan.value == "Aetna commercial"
    assert "CPB 0113" in tool.output.value
    tool.product.value = "Myobloc"
    assert "This rule names Myobloc" in tool.output.value
    tool.diagnosis.value = "hemifacial spasm"
    assert "For hemifacial spasm it is not labelled" in tool.output.value
    tool.payer.value = "Blue Cross Blue Shield"
    tool.plan.value = "Blue Cross NC (commercial)"
    assert "Myobloc is not on the preferred list" in tool.output.value


def test_the_widget_shows_a_message_instead_of_a_traceback(monkeypatch):
    tool = payers.PayerChecklist()
    monkeypatch.setattr(payers, "checklist", lambda *_: (_ for _ in ()).throw(ValueError("no such plan")))
    tool.update()
    assert 'role="alert"' in tool.output.value and "no such plan" in tool.output.value


def test_the_static_face_is_the_worked_examples_and_never_varies():
    first, second = payers.payer_checklist(), payers.payer_checklist()
    assert first._repr_html_() == second._repr_html_() and repr(first) == repr(second)
    for payer, plan, setting, product, diagnosis in payers.EXAMPLES:
        assert f"{payer}, {plan} · {setting} · {product} · {diagnosis}" in repr(first)
    assert not re.search(r"0x[0-9a-f]{6,}", first._repr_html_())


# ---- contractors, gaps and dates -------------------------------------------------------------

def test_contractor_and_local_policies():
    assert payers.contractor(" tx ")["jurisdiction"].tolist() == ["JH"]
    virginia = payers.contractor("VA").set_index("jurisdiction")["covers"]
    assert set(virginia.index) == {"JL", "JM"} and "Arlington" in virginia["JL"] and virginia["JM"].startswith("all of VA")
    for territory, jurisdiction in (("VI", "JN"), ("PR", "JN"), ("GU", "JE"), ("AS", "JE"), ("MP", "JE")):
        assert payers.contractor(territory)["jurisdiction"].tolist() == [jurisdiction]
    with pytest.raises(ValueError, match="two-letter code"):
        payers.contractor("Texas")
    noridian = set(payers.local_policies("JE")["document"])
    assert {"L35170", "A57185", "A60352"} <= noridian and "L35172" not in noridian
    assert "L39856" in set(payers.local_policies("J15")["document"])  # CGS's, by the page-id pattern
    assert "L33274" in set(payers.local_policies("JN")["document"])
    unknown = set(data.load("lcds").query("mac.str.startswith('Not known')")["document"])
    assert unknown and all(not unknown & set(payers.local_policies(j)["document"]) for j in data.load("macs")["jurisdiction"])
    with pytest.raises(ValueError, match="No jurisdiction 'J99'"):
        payers.local_policies("J99")


def test_to_check_lists_low_medium_and_unverified_rows_low_first_with_their_own_notes():
    frame = payers.to_check()
    assert frame["why to check"].str.len().gt(0).all()
    ranks = frame["confidence"].map(payers.RANK).tolist()
    assert ranks == sorted(ranks)
    for table, column in (("macs", "jurisdiction"), ("lcds", "document")):
        rows = data.load(table)
        texts = rows["note"].fillna("") + " " + rows.get("status", "")
        flagged = rows[(rows["confidence"] != "H") | texts.str.contains(payers._UNVERIFIED)][column]
        items = frame.loc[frame["table"] == table, "item"]
        assert all(any(item.startswith(str(key)) for item in items) for key in flagged)
    why = frame.set_index("item")["why to check"]
    assert "replaced on 2024-01-01" in why["BCBS Minnesota: II-16-018"]
    assert "glossary" in why["JF: Noridian Healthcare Solutions"]
    assert "superseded" in why[next(item for item in why.index if item.startswith("L34635"))]


def test_gathered_is_the_newest_as_of_date_and_every_as_of_date_is_a_reading_date():
    sources = data.load("sources")
    assert payers.gathered() == max(sources.loc[sources["date_kind"] == "as of", "date"])
    assert payers.gathered() <= datetime.date.today()


def test_benchmarks_show_source_period_and_readable_values():
    table = payers.benchmark_table()
    assert table[["source", "period", "population"]].notna().all().all()
    assert all(split_ids(cell) for cell in table["source"])
    assert any(value.endswith("%") for value in table["value"]) and "13 to 15 weeks" in set(table["value"])


def test_policy_events_are_dated_and_sourced():
    events = payers.policy_events()
    assert events["date"].is_monotonic_increasing and len(events) >= 3
    assert events["event"].str.contains("prior authorization", case=False).any()


# ---- the charts -------------------------------------------------------------------------------

def test_the_matrix_chart_draws_every_policy_and_requirement():
    ax = figures.requirements_matrix()
    matrix = payers.requirements_matrix()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(matrix.index)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(matrix.columns)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    plt.close(ax.figure)


def test_the_interval_chart_draws_one_bar_per_rule():
    ax = figures.retreatment_intervals()
    rules = payers.intervals()
    widths = sorted(patch.get_width() for patch in ax.patches if patch.get_height() < 1)
    assert widths == sorted(rules["weeks"])
    assert ax.get_title() and ax.get_xlabel()
    plt.close(ax.figure)


# ---- no typed dates in the lesson ------------------------------------------------------------

YEAR = re.compile(r"\b(19|20)\d{2}\b")
NAMED = re.compile(r'2026 (multi-MAC )?("Botulinum Toxin Injections" )?LCD')  # a name such as 'the 2026 ... LCD' may stay


def _lesson_texts():
    """Yield the markdown of notebook 04 and every text of its quiz bank."""
    notebook = json.loads((paths.repo_root() / "notebooks" / "04_payer_landscape.ipynb").read_text(encoding="utf-8"))
    yield from ("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    bank = yaml.safe_load((paths.repo_root() / "data" / "quizzes" / "04_payer_landscape.yaml").read_text(encoding="utf-8"))
    for question in bank["questions"]:
        yield from (question[key] for key in ("prompt", "explanation"))
        for option in question.get("options", []):
            yield from (option["text"], option.get("feedback", ""))
        yield from question.get("items", [])


def test_the_lesson_types_no_years_except_in_names():
    for text in _lesson_texts():
        prose = NAMED.sub("", re.sub(r"`[^`]*`|\[[a-z0-9-]+\]", "", text))  # code spans and [source-id] citations
        assert not YEAR.search(prose), (YEAR.search(prose).group(0), prose[:120])
