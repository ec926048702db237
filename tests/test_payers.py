"""The payer tables: the requirements matrix, the comparison, policy rows, limits and intervals, contractors, what to check."""

import datetime
import re

import pytest

from helpers import checklist, data, payers, show
from helpers.formatting import CONFIDENCE_RANK
from helpers.schema import split_ids
from helpers.tables import TABLES


def allowed(table: str, column: str) -> set[str]:
    """Return the values a table's schema allows in one column."""
    return set(TABLES[table].columns[column].one_of)


def opd_codes() -> set[str]:
    """Return the toxin codes the outpatient prior-authorization rows are limited to."""
    rows = data.load("payer_policies").query("plan == 'Original Medicare, hospital outpatient'")
    return {code for cell in rows["hcpcs"] for code in payers.policy_codes(cell)}


def test_requirements_are_exactly_the_ones_the_schema_allows():
    assert set(payers.ALL_REQUIREMENTS) == allowed("payer_policies", "requirement")
    assert set(payers.REQUIREMENTS) == allowed("payer_limits", "requirement")
    assert set(payers.PAYERS) == allowed("payer_policies", "payer") == allowed("payer_limits", "payer")
    assert len(payers.REQUIREMENTS) == len(set(payers.REQUIREMENTS))
    gathered = [requirement for _, requirements in checklist.ITEMS for requirement in requirements]
    assert sorted(gathered) == sorted(payers.REQUIREMENTS)  # every requirement lands in one checklist item


def test_the_matrix_has_one_row_per_policy_and_one_column_per_requirement():
    policies = data.load("payer_policies")
    triples = list(dict.fromkeys(zip(policies["payer"], policies["plan"], policies["policy"])))
    matrix = payers.requirements_matrix()
    assert list(matrix.columns) == list(payers.REQUIREMENTS)
    assert len(matrix) == len(triples) and matrix.index.is_unique
    assert sorted(matrix.index) == sorted(payers.policy_label(*triple[1:]) for triple in triples)
    stated = {(payers.policy_label(r.plan, r.policy), r.requirement): r.confidence for r in policies.itertuples()}
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


def test_the_comparison_lists_every_row_in_its_payer_column():
    grid = payers.comparison()
    policies = data.load("payer_policies")
    assert list(grid.index) == list(payers.REQUIREMENTS) and list(grid.columns) == list(payers.PAYERS)
    for payer in payers.PAYERS:
        for requirement in payers.REQUIREMENTS:
            rows = policies[(policies["payer"] == payer) & (policies["requirement"] == requirement)]
            assert len(grid.loc[requirement, payer]) == len(rows)
    rendered = show.comparison_table()
    assert "preferred products / Blue Cross Blue Shield" in rendered.text
    assert rendered.html.count("<section") == len(payers.PAYERS)  # one card per payer, which stack on a phone
    assert "<h4>UnitedHealthcare</h4>" in rendered.html and "Not stated in the course's data:" in rendered.html


def test_policy_rows_keep_each_policy_together_in_requirement_order():
    rows = payers.policy_rows("Cigna")
    assert rows["policy"].tolist() == sorted(rows["policy"], key=rows["policy"].tolist().index)
    for _, group in rows.groupby("policy"):
        order = [payers.REQUIREMENTS.index(r) for r in group["requirement"]]
        assert order == sorted(order)
    medicare = payers.policy_rows("Medicare", payers.MULTI_MAC)
    assert set(medicare["plan"]) == {payers.MULTI_MAC}


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
    table = payers.limit_table("Medicare Advantage", "prior authorization")
    rows = payers.limits("prior authorization").query("payer == 'Medicare Advantage'")
    assert table["limit"].tolist() == [f"{v:g} {u}" for v, u in zip(rows["value"], rows["unit"])]
    assert set(table["limit"]) == {"7 days", "72 hours"}


def test_the_opd_rows_carry_the_toxin_codes_of_the_program():
    assert opd_codes() == {"J0585", "J0586", "J0587", "J0588"}
    assert opd_codes() <= set(data.load("drugs")["hcpcs"])
    rows = data.load("payer_policies").query("plan == 'Original Medicare, hospital outpatient'")
    assert rows["hcpcs"].map(data.present).all()


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
    ranks = frame["confidence"].map(CONFIDENCE_RANK).tolist()
    assert ranks == sorted(ranks)
    for table, column in (("macs", "jurisdiction"), ("lcds", "document")):
        rows = data.load(table)
        texts = rows["note"].fillna("") + " " + rows.get("status", "")
        flagged = rows[(rows["confidence"] != "H") | texts.str.contains(payers.UNVERIFIED)][column]
        items = frame.loc[frame["table"] == table, "item"]
        assert all(any(item.startswith(str(key)) for item in items) for key in flagged)
    why = frame.set_index("item")["why to check"]
    assert "replaced on 2024-01-01" in why["BCBS Minnesota: II-16-018"]
    assert "glossary" in why["JF: Noridian Healthcare Solutions"]
    assert "superseded" in why[next(item for item in why.index if item.startswith("L34635"))]


def test_gathered_is_the_newest_as_of_date_and_every_as_of_date_is_a_reading_date():
    sources = data.load("sources")
    assert data.last_read() == max(sources.loc[sources["date_kind"] == "as of", "date"])
    assert data.last_read() <= datetime.date.today()


def test_benchmarks_show_source_period_and_readable_values():
    table = payers.benchmark_table()
    assert table[["source", "period", "population"]].notna().all().all()
    assert all(split_ids(cell) for cell in table["source"])
    assert any(value.endswith("%") for value in table["value"]) and "13 to 15 weeks" in set(table["value"])


def test_policy_events_are_dated_and_sourced():
    events = payers.policy_events()
    assert events["date"].is_monotonic_increasing and len(events) >= 3
    assert events["event"].str.contains("prior authorization", case=False).any()
