"""The case studies: every model claim passes the checker without an error, every draft fails, and a broken
case file is named."""

import pytest

from helpers import cases, claims
from helpers.tools import claim_builder


def test_there_are_at_least_eight_cases_covering_the_situations_the_issue_names():
    ids = [case.id for case in cases.cases()]
    assert len(ids) >= 8
    for wanted in ("running-case", "both-eyes-medicare", "both-eyes-commercial", "dysport-waste",
                   "global-period-visit", "hospital-prior-auth", "specialty-pharmacy", "two-regions",
                   "several-errors"):
        assert wanted in ids


@pytest.mark.parametrize("case", cases.cases(), ids=lambda case: case.id)
def test_every_model_claim_has_no_error(case):
    assert [f.rule for f in claims.check(case.model) if f.severity == "error"] == []


def test_the_draft_to_fix_has_errors_and_the_fixed_claim_none():
    case = cases.case("several-errors")
    found = {f.rule for f in claims.check(case.claim(case.draft["diagnoses"], case.draft["lines"]))}
    assert {"DX_NOT_BILLABLE", "BILATERAL_FORMAT", "WASTE_MODIFIER_MISSING", "MODIFIER_57_MINOR"} <= found


def test_a_broken_case_file_names_the_case(tmp_path):
    (tmp_path / "cases.yaml").write_text("cases:\n  - id: x\n    title: t\n    note: n\n    why: w\n"
                                         "    context: {payer: acme}\n    diagnoses: [G24.5]\n"
                                         "    lines: [{code: '64612', units: 1}]\n", encoding="utf-8")
    with pytest.raises(cases.CaseError, match="case 'x', model claim cannot be checked") as caught:
        cases.cases(tmp_path / "cases.yaml")
    assert "payer: must be one of" in str(caught.value)
    (tmp_path / "bad.yaml").write_text("cases: [oops: [", encoding="utf-8")
    with pytest.raises(cases.CaseError, match="not valid YAML"):
        cases.cases(tmp_path / "bad.yaml")


def test_the_builder_checks_what_the_learner_typed_and_hides_the_model_until_asked():
    builder = claim_builder.Builder("running-case")
    assert builder.model.value == "" and builder.output.value == ""
    builder.diagnoses.value = "g51.32"
    code, modifiers, units, pointers, dose = builder.rows[0]
    code.value, modifiers.value, units.value, pointers.value = "64612", "rt", "1", "1"
    builder.check()
    assert "LATERALITY_MISMATCH" in builder.output.value and "DRUG_MISSING" in builder.output.value
    units.value = "one"
    builder.check()
    assert 'role="alert"' in builder.output.value and "row 1, units: must be a whole number" in builder.output.value
    code.value = ""
    builder.rows[2][0].value, builder.rows[2][2].value = "64612", "x"
    builder.check()
    assert "row 3, units" in builder.output.value  # the form's row, though rows 1 and 2 are empty
    builder.show_model()
    assert "64612-RT x 1" in builder.model.value and "J0585-JW x 70" in builder.model.value


def test_the_draft_case_starts_filled_and_the_static_face_folds_the_model():
    builder = claim_builder.Builder("several-errors")
    assert builder.diagnoses.value == "G51.3" and builder.rows[3][1].value == "57"
    static = claim_builder.static("running-case")
    assert "<details>" in static.html and static.html.index("<details>") < static.html.index("64612-RT x 1")


@pytest.mark.parametrize("typed, line", [
    (("64612", "RT, 50", "1", "1 2", ""), {"code": "64612", "modifiers": ["RT", "50"], "units": 1,
                                          "diagnosis_pointers": [1, 2]}),
    (("j0585", "jw", "70", "", ""), {"code": "J0585", "modifiers": ["JW"], "units": 70}),
    (("J0586", "", "24", "1", "120"), {"code": "J0586", "modifiers": [], "units": 24, "diagnosis_pointers": [1],
                                        "dose_administered": 120}),
    (("", "RT", "1", "", ""), None),
])
def test_a_typed_row_becomes_a_claim_line(typed, line):
    assert claim_builder.typed_line(*typed) == line
