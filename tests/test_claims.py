"""The claim checker: every rule fires when it should and stays quiet when it should not; every input error is
named; the command line's exit codes; the 837P round trip."""

import copy
import json

import pytest

from helpers import cases, claims, data, paths
from helpers.claims import x12
from helpers.claims.__main__ import main, run, status

# Ms R. (fictional): right hemifacial spasm, Original Medicare, office, Botox 30 units from a 100-unit vial.
CLEAN = {"id": "MS-R", "payer": "medicare", "date_of_service": "2026-03-02", "place_of_service": "11",
         "diagnoses": ["G51.31"],
         "lines": [{"code": "64612", "modifiers": ["RT"], "units": 1, "diagnosis_pointers": [1]},
                   {"code": "J0585", "modifiers": [], "units": 30, "diagnosis_pointers": [1], "dose_administered": 30},
                   {"code": "J0585", "modifiers": ["JW"], "units": 70, "diagnosis_pointers": [1]}],
         "prior_treatments": [{"date": "2025-12-01", "code": "64612"}], "drug_source": "practice"}


def claim(**changes):
    """Return a copy of the clean claim with top-level fields replaced."""
    found = copy.deepcopy(CLEAN)
    found.update(changes)
    return found


def line(number, **changes):
    """Return a copy of the clean claim with one line's fields replaced (1-based)."""
    found = copy.deepcopy(CLEAN)
    found["lines"][number - 1].update(changes)
    return found


def with_lines(*lines, **changes):
    """Return a copy of the clean claim with other lines."""
    return claim(lines=list(lines), **changes)


def rules(raw) -> dict:
    """Return the findings of a claim by rule id (the last finding of each rule)."""
    return {finding.rule: finding for finding in claims.check(raw)}


P = {"code": "64612", "modifiers": ["RT"], "units": 1, "diagnosis_pointers": [1]}
DRUG = {"code": "J0585", "modifiers": ["JZ"], "units": 100, "diagnosis_pointers": [1]}

FIRES = [
    ("CODE_UNKNOWN", "warning", with_lines(P, DRUG, {"code": "99999", "units": 1})),
    ("DX_INVALID", "error", claim(diagnoses=["G51.31", "Z99.99"])),
    ("DX_NOT_BILLABLE", "error", claim(diagnoses=["G51.3"])),
    ("DX_NOT_SUPPORTED", "error", claim(diagnoses=["J45.909"])),
    ("LATERALITY_MISSING", "error", line(1, modifiers=[])),
    ("MODIFIER_CONFLICT", "error", line(1, modifiers=["50", "RT"])),
    ("MODIFIER_CONFLICT", "error", line(1, modifiers=["RT", "LT"])),
    ("LATERALITY_MISMATCH", "error", claim(diagnoses=["G51.32"])),
    ("BILATERAL_FORMAT", "error", with_lines(P, {**P, "modifiers": ["LT"]}, DRUG, diagnoses=["G24.5"])),
    ("UNITS_EXCEED_MUE", "error", line(1, modifiers=["50"], units=2)),
    ("UNITS_EXCEED_MUE", "error", with_lines(P, {**DRUG, "units": 500}, {**DRUG, "modifiers": ["JW"], "units": 400})),
    ("PTP_NO_BYPASS", "error", with_lines(P, DRUG, {"code": "64615", "units": 1, "diagnosis_pointers": [1]})),
    ("PTP_MODIFIER_NEEDED", "error", with_lines(P, DRUG, {"code": "20552", "units": 1, "diagnosis_pointers": [1]})),
    ("VISIT_SAME_DAY", "error", with_lines(P, DRUG, {"code": "99213", "units": 1, "diagnosis_pointers": [1]})),
    ("VISIT_SAME_DAY", "error", with_lines(P, DRUG, {"code": "99203", "units": 1, "diagnosis_pointers": [1]})),
    ("GLOBAL_PERIOD_VISIT", "error", claim(date_of_service="2026-03-08", diagnoses=["J01.00"],
                                           prior_treatments=[{"date": "2026-03-02", "code": "64612"}],
                                           lines=[{"code": "99213", "units": 1, "diagnosis_pointers": [1]}])),
    ("GLOBAL_PERIOD_VISIT", "warning", claim(date_of_service="2026-03-08",
                                             prior_treatments=[{"date": "2026-03-02", "code": "64612"}],
                                             lines=[{"code": "99213", "modifiers": ["24"], "units": 1}])),
    ("DRUG_SOURCE_UNKNOWN", "info", claim(drug_source="unknown")),
    ("WASTE_WITHOUT_DOSE", "warning", with_lines(P, {"code": "J0585", "modifiers": ["JW"], "units": 70})),
    ("VIAL_MISMATCH", "info", line(3, units=60)),
    ("DRUG_NOT_BILLABLE", "error", claim(drug_source="no_cost")),
    ("WASTE_MODIFIER_MISSING", "info", with_lines(P, {**DRUG, "modifiers": []}, payer="aetna",
                                                  prior_authorization=True)),
    ("MODIFIER_57_MINOR", "error", with_lines(P, DRUG, {"code": "99213", "modifiers": ["57"], "units": 1})),
    ("MULTIPLE_PROCEDURE_51", "warning", with_lines(P, DRUG, {"code": "64616", "modifiers": ["51", "RT"], "units": 1})),
    ("LIABILITY_GZ", "warning", line(1, modifiers=["RT", "GZ"])),
    ("DRUG_MISSING", "error", with_lines(P)),
    ("DRUG_SOURCE_NOTE", "info", with_lines(P, drug_source="specialty_pharmacy")),
    ("DRUG_NOT_BILLABLE", "error", claim(drug_source="facility", place_of_service="22", prior_authorization=True)),
    ("FACILITY_DRUG", "warning", claim(place_of_service="22", prior_authorization=True)),
    ("WASTE_MODIFIER_MISSING", "error", with_lines(P, {**DRUG, "modifiers": []})),
    ("WASTE_MODIFIER_CONFLICT", "error", line(2, modifiers=["JZ"])),
    ("DRUG_UNITS_MISMATCH", "error", line(2, dose_administered=25)),
    ("FREQUENCY_TOO_SOON", "warning", claim(prior_treatments=[{"date": "2026-01-15", "code": "64612"}])),
    ("FREQUENCY_CHECK_PAYER", "info", claim(payer="aetna", prior_authorization=True,
                                            prior_treatments=[{"date": "2026-01-15", "code": "64612"}])),
    ("PRIOR_AUTH_REQUIRED", "warning", claim(place_of_service="22", drug_source="facility",
                                             lines=[P])),
    ("PRIOR_AUTH_REQUIRED", "error", claim(payer="aetna")),
    ("PRIOR_AUTH_CHECK_PAYER", "info", claim(payer="bcbs")),
    ("DX_PAYER_SPECIFIC", "info", claim(diagnoses=["G24.4"])),
    ("DOSE_OVER_LIMIT", "warning", claim(payer="cigna", prior_authorization=True, diagnoses=["G24.5"],
                                         lines=[{**P, "modifiers": ["RT"]},
                                                {"code": "J0588", "modifiers": ["JZ"], "units": 60,
                                                 "dose_administered": 60}])),
    ("DOSE_OVER_LIMIT", "info", line(2, dose_administered=40, units=40) | {"lines": [
        P, {"code": "J0585", "units": 40, "dose_administered": 40}, {"code": "J0585", "modifiers": ["JW"], "units": 60}]}),
]


@pytest.mark.parametrize("rule, severity, raw", FIRES, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(FIRES)])
def test_each_rule_fires_when_it_should(rule, severity, raw):
    found = rules(raw)
    assert rule in found, sorted(found)
    assert found[rule].severity == severity
    assert found[rule].message and not found[rule].message.startswith(" ")


def test_a_clean_claim_has_no_finding():
    assert claims.check(CLEAN) == []


QUIET = [
    ("LATERALITY_MISMATCH", claim(diagnoses=["G51.33"], lines=[{**P, "modifiers": ["50"]}, DRUG])),
    ("LATERALITY_MISMATCH", claim(diagnoses=["G24.5"], lines=[{**P, "modifiers": ["50"]}, DRUG])),
    ("UNITS_EXCEED_MUE", claim(diagnoses=["G24.5"], lines=[{**P, "modifiers": ["50"]}, DRUG])),
    ("BILATERAL_FORMAT", claim(diagnoses=["G24.5"], lines=[{**P, "modifiers": ["50"]}, DRUG])),
    ("PTP_MODIFIER_NEEDED", with_lines(P, DRUG, {"code": "20552", "modifiers": ["XS"], "units": 1})),
    ("VISIT_SAME_DAY", with_lines(P, DRUG, {"code": "99213", "modifiers": ["25"], "units": 1})),
    ("GLOBAL_PERIOD_VISIT", claim(date_of_service="2026-03-08", diagnoses=["J01.00"],
                                  prior_treatments=[{"date": "2026-03-02", "code": "64612"}],
                                  lines=[{"code": "99213", "modifiers": ["24"], "units": 1}])),
    ("GLOBAL_PERIOD_VISIT", claim(date_of_service="2026-03-20", diagnoses=["J01.00"],
                                  prior_treatments=[{"date": "2026-03-02", "code": "64612"}],
                                  lines=[{"code": "99213", "units": 1}])),
    ("VIAL_MISMATCH", CLEAN),
    ("DOSE_OVER_LIMIT", claim(lines=[P, {"code": "J0586", "units": 10, "dose_administered": 50},
                                     {"code": "J0586", "modifiers": ["JW"], "units": 50}])),
    ("PTP_NO_BYPASS", with_lines(P, DRUG, {"code": "64616", "modifiers": ["RT"], "units": 1})),
    ("MULTIPLE_PROCEDURE_51", claim(payer="aetna", prior_authorization=True,
                                    lines=[P, DRUG, {"code": "64616", "modifiers": ["51", "RT"], "units": 1}])),
    ("DRUG_MISSING", with_lines(P, drug_source="facility", place_of_service="22", prior_authorization=True)),
    ("DRUG_NOT_BILLABLE", claim(drug_source="no_cost", lines=[P, {**DRUG, "charge": 0.01}])),
    ("WASTE_MODIFIER_MISSING", with_lines(P, {**DRUG, "modifiers": []}, date_of_service="2023-06-30",
                                          prior_treatments=[])),
    ("DRUG_UNITS_MISMATCH", with_lines(P, {"code": "J0586", "modifiers": ["JZ"], "units": 24,
                                           "dose_administered": 120})),
    ("FREQUENCY_TOO_SOON", claim(prior_treatments=[{"date": "2025-12-08", "code": "64612"}])),  # exactly 12 weeks
    ("FREQUENCY_TOO_SOON", claim(prior_treatments=[{"date": "2026-01-15", "code": "64616"}])),
    ("PRIOR_AUTH_REQUIRED", claim(payer="aetna", prior_authorization=True)),
    ("PRIOR_AUTH_REQUIRED", claim(place_of_service="24", drug_source="facility", lines=[P])),
    ("DX_NOT_SUPPORTED", claim(diagnoses=["G24.5"], lines=[{**P, "modifiers": ["50"]}, DRUG])),
    ("DOSE_OVER_LIMIT", claim(payer="cigna", prior_authorization=True, diagnoses=["G24.5"],
                              lines=[{**P, "modifiers": ["50"]},
                                     {"code": "J0588", "modifiers": ["JZ"], "units": 60, "dose_administered": 60}])),
    ("DOSE_OVER_LIMIT", claim(payer="cigna", prior_authorization=True, diagnoses=["G24.5"],
                              lines=[P, {"code": "J0586", "modifiers": ["JZ"], "units": 12,
                                         "dose_administered": 60}])),
]


@pytest.mark.parametrize("rule, raw", QUIET, ids=[f"{r}-{i}" for i, (r, _) in enumerate(QUIET)])
def test_each_rule_stays_quiet_when_it_should(rule, raw):
    assert rule not in rules(raw), rules(raw)[rule].message


def test_an_abn_on_file_turns_the_frequency_warning_into_information():
    found = rules(claim(prior_treatments=[{"date": "2026-01-15", "code": "64612"}],
                        lines=[{**P, "modifiers": ["RT", "GA"]}] + CLEAN["lines"][1:]))
    assert found["FREQUENCY_TOO_SOON"].severity == "info" and "ABN" in found["FREQUENCY_TOO_SOON"].message
    warned = rules(claim(prior_treatments=[{"date": "2026-01-15", "code": "64612"}]))["FREQUENCY_TOO_SOON"]
    assert "signs an ABN before it and the lines carry GA" in warned.message


def test_every_finding_names_its_line_and_cites_sources_the_course_holds():
    known = set(data.load("sources")["id"])
    for _, _, raw in FIRES:
        for finding in claims.check(raw):
            assert finding.severity in ("error", "warning", "info")
            assert finding.line is None or 1 <= finding.line <= len(raw["lines"])
            assert set(finding.sources) <= known, (finding.rule, set(finding.sources) - known)
    cited = {f.rule for _, _, raw in FIRES for f in claims.check(raw) if f.sources}
    assert {"DX_INVALID", "LATERALITY_MISMATCH", "UNITS_EXCEED_MUE", "PTP_NO_BYPASS", "PRIOR_AUTH_REQUIRED"} <= cited


BAD = [
    ("not a dict", ["a claim"], "a claim must be a JSON object"),
    ("missing fields", {}, "payer: missing"),
    ("unknown payer", claim(payer="acme"), "payer: must be one of medicare, aetna"),
    ("bad date", claim(date_of_service="03/02/2026"), "date_of_service: '03/02/2026' is not a date written"),
    ("impossible date", claim(date_of_service="2026-02-30"), "is not a real date"),
    ("date not text", claim(date_of_service=20260302), "must be a date written YYYY-MM-DD"),
    ("place", claim(place_of_service="office"), "place_of_service: must be a two-digit code"),
    ("no diagnoses", claim(diagnoses=[]), "diagnoses: list at least one"),
    ("diagnoses not a list", claim(diagnoses="G51.31"), "diagnoses: must be a list of texts"),
    ("no lines", claim(lines=[]), "lines: must be a list of at least one service line"),
    ("line not an object", claim(lines=["64612"]), "lines[1]: must be an object"),
    ("zero units", line(1, units=0), "lines[1].units: must be 1 or more; got 0"),
    ("negative units", line(2, units=-3), "lines[2].units: must be 1 or more"),
    ("fractional units", line(1, units=1.5), "lines[1].units: must be a whole number"),
    ("units as text", line(1, units="one"), "lines[1].units: must be a whole number"),
    ("missing units", claim(lines=[{"code": "64612"}]), "lines[1].units: missing"),
    ("missing code", claim(lines=[{"units": 1}]), "lines[1].code: must be a procedure or drug code"),
    ("pointer past the diagnoses", line(1, diagnosis_pointers=[3]), "points to diagnosis 3, but the claim lists 1"),
    ("bad dose", line(2, dose_administered=-30), "lines[2].dose_administered: must be a number more than 0"),
    ("unknown line field", line(1, side="right"), "lines[1]: unknown field(s) side"),
    ("unknown claim field", claim(patient="Jane"), "unknown field(s) patient"),
    ("prior authorization not a flag", claim(prior_authorization="yes"), "prior_authorization: must be true or false"),
    ("drug source", claim(drug_source="pharmacy"), "drug_source: must be one of practice"),
    ("prior treatment", claim(prior_treatments=[{"date": "x", "code": "64612"}]), "prior_treatments[1].date"),
]


@pytest.mark.parametrize("name, raw, words", BAD, ids=[name for name, _, _ in BAD])
def test_input_that_is_not_a_claim_is_refused_with_every_problem_named(name, raw, words):
    with pytest.raises(claims.ClaimError) as caught:
        claims.check(raw)
    assert words in str(caught.value)
    assert str(caught.value).startswith("The claim cannot be checked")


def test_all_problems_are_listed_at_once():
    with pytest.raises(claims.ClaimError) as caught:
        claims.parse({"payer": "acme", "date_of_service": "soon", "lines": [{"units": 0}]})
    assert len(caught.value.problems) == 6
    assert "(6 problems)" in str(caught.value)


# ---- files and the command line -----------------------------------------------------------------

def write(tmp_path, name, content) -> str:
    """Write a file in the test folder and return its path as text."""
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_the_command_line_exits_by_the_worst_finding(tmp_path, capsys):
    assert main(["check", write(tmp_path, "clean.json", CLEAN)]) == 0
    assert "nothing to fix" in capsys.readouterr().out
    assert main(["check", write(tmp_path, "wrong.json", claim(diagnoses=["G51.32"]))]) == 1
    out = capsys.readouterr().out
    assert "LATERALITY_MISMATCH" in out and "1 error" in out
    assert main(["check", write(tmp_path, "bad.json", claim(lines=[]))]) == 2
    assert "not a claim the checker can read" in capsys.readouterr().out


def test_the_command_line_prints_json_for_machines(tmp_path, capsys):
    assert main(["check", write(tmp_path, "two.json", [CLEAN, claim(diagnoses=["G51.32"])]), "--format", "json"]) == 1
    results = json.loads(capsys.readouterr().out)
    assert [r["claim"] for r in results] == [1, 2]
    assert results[1]["findings"][0] == {**results[1]["findings"][0], "rule": "LATERALITY_MISMATCH", "line": 1}


def test_json_lines_are_checked_claim_by_claim(tmp_path):
    text = json.dumps(CLEAN) + "\n\n" + json.dumps(claim(payer="nobody")) + "\n"
    write(tmp_path, "x.jsonl", text)
    results = run([tmp_path / "x.jsonl"])
    assert [r["valid"] for r in results] == [True, False]
    assert status(results) == 2


@pytest.mark.parametrize("name, content, words", [
    ("notes.txt", "this is not a claim", "not JSON"),
    ("broken.json", '{"payer": "medicare",', "not JSON"),
    ("empty.json", "[]", "holds no claim"),
    ("lines.jsonl", '{"payer": "medicare"}\n{oops\n', "line 2 is not JSON"),
    ("garbage.837", "ISA*00*broken~", "not a valid 837P (005010X222A1): does not look like an X12 data file"),
])
def test_a_file_that_holds_no_claim_is_named_with_why(tmp_path, capsys, name, content, words):
    assert main(["check", write(tmp_path, name, content)]) == 2
    assert words in capsys.readouterr().out


def test_missing_folder_and_binary_inputs_are_named_and_nothing_is_written(tmp_path, capsys):
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(bytes(range(256)) * 4)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["check", str(tmp_path / "missing.json"), str(tmp_path), str(binary)]) == 2
    out = capsys.readouterr().out
    assert "no such file" in out and "is a folder, not a file" in out and "is not text" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_long_file_is_checked_with_a_progress_bar(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    write(tmp_path, "many.json", [CLEAN] * 25)
    results = run([tmp_path / "many.json"])
    assert len(results) == 25 and status(results) == 0
    assert "Checking claims" in capsys.readouterr().err


# ---- 837P ----------------------------------------------------------------------------------------

def _comparable(raw: dict) -> dict:
    """Return what an 837P carries of a claim: no prior treatments or drug source, pointers written as [1]."""
    found = claims.parse(raw).to_dict()
    for key in ("prior_treatments", "drug_source"):
        found.pop(key, None)
    if not found.get("prior_authorization") or (found["payer"] == "medicare" and found["place_of_service"] in ("19", "22")):
        found.pop("prior_authorization", None)
    for item in found["lines"]:
        item.setdefault("diagnosis_pointers", [1])
        if "dose_administered" in item and x12._ndc(item["code"]) is None:
            item.pop("dose_administered")
    return found


ROUND_TRIP = [CLEAN, claim(diagnoses=["G24.5", "G51.31"], lines=[{**P, "modifiers": ["50"], "charge": 410.5}, DRUG],
                           prior_authorization=True, place_of_service="22", drug_source="facility"),
              claim(payer="aetna", id="AET-2"), claim(payer="other"),
              with_lines(P, {"code": "J0586", "modifiers": [], "units": 24, "dose_administered": 120},
                         {"code": "J0586", "modifiers": ["JW"], "units": 36}, payer="cigna")]


ROUND_TRIP += [case.model.to_dict() for case in cases.cases()]


@pytest.mark.parametrize("raw", ROUND_TRIP, ids=[f"claim-{i}" for i in range(len(ROUND_TRIP))])
def test_a_claim_survives_the_837p_round_trip(raw):
    text = x12.write([claims.parse(raw)])
    assert x12.problems(text) == []
    back = x12.read(text)
    assert len(back) == 1
    assert _comparable(back[0]) == _comparable(raw)
    carried = {key: value for key, value in raw.items() if key not in ("prior_treatments", "drug_source")}
    carried["drug_source"] = "unknown"  # an 837P cannot say where the drug came from
    hospital_medicare = raw["payer"] == "medicare" and raw["place_of_service"] in ("19", "22")
    if not carried.get("prior_authorization") or hospital_medicare:
        carried.pop("prior_authorization", None)
    assert [f.rule for f in claims.check(back[0])] == [f.rule for f in claims.check(carried)]


def test_an_837p_with_several_claims_is_checked_claim_by_claim(tmp_path):
    text = x12.write([claims.parse(CLEAN), claims.parse(claim(diagnoses=["G51.32"]))])
    write(tmp_path, "batch.837", text)
    results = run([tmp_path / "batch.837"])
    assert [r["valid"] for r in results] == [True, True]
    assert any(f["rule"] == "LATERALITY_MISMATCH" for f in results[1]["findings"])


def test_an_837p_that_breaks_the_map_is_refused():
    text = x12.write([claims.parse(CLEAN)]).replace("SV1*HC:64612", "SV9*HC:64612")
    with pytest.raises(claims.ClaimError) as caught:
        x12.read(text)
    assert "cannot be checked" in str(caught.value)
    with pytest.raises(claims.ClaimError, match="not an X12 file"):
        x12.read("{}")


def test_the_readme_examples_check_as_the_readme_says(capsys):
    folder = paths.repo_root() / "examples" / "claims"
    assert main(["check", str(folder / "ms-r.json")]) == 0
    assert main(["check", str(folder / "two-claims.837")]) == 1
    raw = json.loads((folder / "two-claims.json").read_text(encoding="utf-8"))
    assert (folder / "two-claims.837").read_text(encoding="utf-8") == x12.write([claims.parse(c) for c in raw])
    readme = (paths.repo_root() / "README.md").read_text(encoding="utf-8")
    assert "python -m helpers.claims check examples/claims/ms-r.json" in readme
    capsys.readouterr()


@pytest.mark.parametrize("raw, words", [
    (claim(lines=[{**P, "units": 10 ** 400}]), "far too large"),
    ({1: "medicare"}, "every field name must be text"),
])
def test_absurd_values_are_refused_with_a_message(raw, words):
    with pytest.raises(claims.ClaimError, match=words):
        claims.parse(raw)


def test_deeply_nested_json_is_named_not_a_traceback(tmp_path, capsys):
    assert main(["check", write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)]) == 2
    assert "not a JSON document the checker can read" in capsys.readouterr().out


def test_a_diagnosis_typed_without_its_dot_is_read_as_the_code():
    found = rules(claim(diagnoses=["G5132"]))
    assert "LATERALITY_MISMATCH" in found and "DX_NOT_SUPPORTED" not in found


def test_one_finding_per_rule_and_line():
    found = claims.check(cases.case("several-errors").claim(*cases.case("several-errors").draft.values()))
    keys = [(f.rule, f.line) for f in found]
    assert len(keys) == len(set(keys))
