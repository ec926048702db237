"""When claims go wrong: liability, remittance codes, appeals and their deadline, audits, denial cases."""

from datetime import date

import pytest

from helpers import data, denials


def test_explain_reads_group_reason_and_remark_codes():
    found = denials.explain("CO-96 N362")
    assert list(found["code"]) == ["CO", "96", "N362"]
    assert list(found["kind"]) == ["group", "CARC", "RARC"]
    assert "provider" in found["meaning"].iloc[0]
    assert found["fix"].iloc[1].startswith("Correct the units")


def test_explain_accepts_commas_lower_case_and_a_reason_alone():
    assert list(denials.explain("pr-50, n115")["code"]) == ["PR", "50", "N115"]
    assert list(denials.explain("197")["kind"]) == ["CARC"]


@pytest.mark.parametrize("typed, read", [
    ("CO96", [("CO", "group"), ("96", "CARC")]),
    ("co 96", [("CO", "group"), ("96", "CARC")]),
    ("PR", [("PR", "group")]),
    ("CO-A1 B7", [("CO", "group"), ("A1", "CARC"), ("B7", "CARC")]),
    ("MA01 M15", [("MA01", "RARC"), ("M15", "RARC")]),
])
def test_explain_tells_groups_reasons_and_remarks_apart(typed, read):
    found = denials.explain(typed)
    assert list(zip(found["code"], found["kind"])) == read


def test_a_code_the_course_does_not_hold_is_named_not_guessed():
    found = denials.explain("CO-45")
    assert found["meaning"].iloc[1].startswith("Not in the course's list")


@pytest.mark.parametrize("typed, words", [
    ("", "Type the codes"),
    ("CO-96 hello", "Not a remittance code: HELLO"),
    ("C0-96", "Not a remittance code: C0-96"),
])
def test_explain_refuses_what_is_not_a_code_and_names_it(typed, words):
    with pytest.raises(ValueError, match=words):
        denials.explain(typed)


def test_codes_in_finds_the_codes_of_every_case():
    for case in denials.cases().itertuples():
        codes = denials.codes_in(case.remittance)
        assert codes, case.id
        for code in codes:
            assert not denials.explain(code)["meaning"].str.startswith("Not in").any(), (case.id, code)
    assert denials.codes_in("64612-50: CO-96, N362. J0585-JW: paid.") == ["CO-96", "N362"]


def test_the_appeal_table_joins_the_year_s_amounts():
    table = denials.appeal_table(2026).set_index("level")
    assert list(table.index) == [1, 2, 3, 4, 5]
    assert table.loc[3, "minimum amount"] == "$200.00" and table.loc[5, "minimum amount"] == "$1,960.00"
    assert table.loc[1, "minimum amount"] == "none"
    assert table.loc[1, "file within"].startswith("120 days of receipt")
    assert denials.appeal_table(2025).set_index("level").loc[3, "minimum amount"] == "$190.00"
    with pytest.raises(ValueError, match="no appeal amounts for 2024; it holds 2025, 2026"):
        denials.appeal_table(2024)


def test_the_redetermination_deadline_counts_presumed_receipt_then_the_limit(data_copy, edit):
    assert denials.redetermination_deadline("2026-03-16") == date(2026, 7, 19)  # 16 March + 5 + 120 days
    edit(data_copy / "appeal_levels.csv", "Redetermination,The Medicare contractor (MAC) that processed the claim,120,",
         "Redetermination,The Medicare contractor (MAC) that processed the claim,90,")
    assert denials.redetermination_deadline("2026-03-16") == date(2026, 6, 19)
    with pytest.raises(ValueError, match="not a date written YYYY-MM-DD"):
        denials.redetermination_deadline("16/03/2026")
    with pytest.raises(ValueError, match="not a date written YYYY-MM-DD"):
        denials.redetermination_deadline("20260316")


def test_the_audit_table_writes_shares_as_percentages():
    table = denials.audit_table()
    smrc = table[table["program"].str.contains("01-030")].iloc[0]
    assert smrc["figure"] == "66%"
    assert table.loc[table["measure"] == "days to send the records asked for", "figure"].item() == "45 days"
    assert (table.loc[table["measure"] == "role", "figure"] == "-").all()


def test_the_liability_rows_agree_with_the_modifiers_table():
    modifiers = set(data.load("modifiers")["modifier"])
    for row in denials.liability_table().itertuples():
        for modifier in str(row.modifier).split("; ") if data.present(row.modifier) else []:
            assert modifier in modifiers, row.situation
        if row.denial_kind == "coding edit":
            assert row.patient_may_be_billed == "no" and not data.present(row.modifier), row.situation
        if row.patient_may_be_billed == "not confirmed":
            assert "not" in row.notice.lower() and row.confidence != "H", row.situation


def test_a_case_is_found_by_id_or_refused_with_the_ids():
    assert denials.case("no-utn")["setting"] == "hospital outpatient"
    with pytest.raises(ValueError, match="No denial case 'x'. Cases: both-sides-two-units"):
        denials.case("x")
