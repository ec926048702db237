"""The data layer: every table validates, and broken copies get messages naming file, row and column."""

import datetime
import subprocess
import sys

import pandas as pd
import pytest

from helpers import data, paths
from helpers.schema import split_ids


def test_every_table_is_valid():
    assert data.check() == []


def test_tables_match_the_files_in_data():
    files = {path.stem for path in (paths.repo_root() / "data").glob("*.csv")}
    assert files == set(data.TABLES)


@pytest.mark.parametrize("name", list(data.TABLES))
def test_load_returns_every_declared_column(name):
    frame = data.load(name)
    assert list(frame.columns) == list(data.TABLES[name].all_columns())
    assert len(frame) > 0


def test_load_converts_types():
    rvu = data.load("pfs_rvu")
    assert rvu["work"].dtype == float
    assert isinstance(data.load("timeline")["date"].iloc[0], datetime.date)
    assert data.load("icd10")["billable"].dtype == bool


def test_every_source_id_resolves_and_has_url_and_date():
    known = set(data.load("sources")["id"])
    for name, table in data.TABLES.items():
        if table.sourced:
            for cell in data.load(name)["source"]:
                assert set(split_ids(cell)) <= known, (name, cell)
    for row in data.load("sources").itertuples():
        assert row.url.startswith("http") and isinstance(row.date, datetime.date)


def test_low_confidence_and_conflicts_keep_their_flag():
    timeline = data.load("timeline")
    unilateral = timeline[timeline["event"].str.contains("Unilateral")]
    assert unilateral["confidence"].tolist() == ["L"]
    g51 = timeline[timeline["event"].str.startswith("G51.31")]
    assert "disagree" in g51["note"].iloc[0]
    noridian = data.load("bilateral_formats").set_index("context").loc["Noridian JE Part A modifier 50 page (institutional claims)"]
    assert noridian["confidence"] == "M" and "disagree" in noridian["note"]


def test_unknown_table_names_the_tables():
    with pytest.raises(KeyError, match="Tables: sources"):
        data.load("no-such-table")


def drop_column(path, column: str) -> None:
    """Remove one column from a CSV file, header and rows alike."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(path, index=False)


def _problems():
    """Return the DataError that loading the (broken) data copy raises."""
    with pytest.raises(data.DataError) as caught:
        data.load("codes")
    return caught.value


def test_missing_column(data_copy):
    drop_column(data_copy / "codes.csv", "group")
    error = _problems()
    assert "data/codes.csv, column 'group': this column is missing" in str(error)


def test_bad_date_and_impossible_date(data_copy, edit):
    edit(data_copy / "timeline.csv", "2014-01-01", "01/01/2014")
    edit(data_copy / "timeline.csv", "2017-01-01", "2017-02-30")
    message = str(_problems())
    assert "data/timeline.csv, row 3 (line 4), column 'date': '01/01/2014' is not a date written YYYY-MM-DD" in message
    assert "column 'date': '2017-02-30' is not a real calendar date" in message


def test_unknown_source_id(data_copy, edit):
    edit(data_copy / "mue.csv", "cms-ncci-mue-2026q2", "cms-ncci-mue-1999")
    message = str(_problems())
    assert "data/mue.csv, row 1 (line 2), column 'source': source id 'cms-ncci-mue-1999' is not in data/sources.csv" in message


def test_duplicate_key(data_copy):
    path = data_copy / "drugs.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n")
    message = str(_problems())
    assert "data/drugs.csv, row 6 (line 7), column 'hcpcs': duplicate key (hcpcs=J0585); first used on line 2" in message


def test_invalid_icd10_code_and_wrong_title(data_copy, edit):
    edit(data_copy / "icd10.csv", "G51.4,", "G51.47,")
    edit(data_copy / "icd10.csv", "Clonic hemifacial spasm, left", "Left hemifacial spasm")
    message = str(_problems())
    assert "column 'code': 'G51.47' is not an ICD-10-CM code in the April 1, 2026 release" in message
    assert "'Left hemifacial spasm' is not the official title of G51.32: 'Clonic hemifacial spasm, left'" in message


def test_billable_flag_is_checked_against_the_release(data_copy, edit):
    edit(data_copy / "icd10.csv", "G51.3,Clonic hemifacial spasm,hemifacial spasm,not coded,no", "G51.3,Clonic hemifacial spasm,hemifacial spasm,not coded,yes")
    assert "G51.3 is a category (not billable)" in str(_problems())


def test_wrong_type(data_copy, edit):
    edit(data_copy / "pfs_rvu.csv", "64612,2026,RVU26C (July 2026),1.37", "64612,2026,RVU26C (July 2026),one point three")
    message = str(_problems())
    assert "data/pfs_rvu.csv" in message and "column 'work': 'one point three' is not a number" in message


def test_value_outside_allowed_set_and_unknown_code_reference(data_copy, edit):
    edit(data_copy / "mue.csv", "64612,practitioner,1,2", "64612,practitioner,1,7")
    edit(data_copy / "vials.csv", "J0589,100", "J0599,100")
    message = str(_problems())
    assert "column 'mai': '7' is not one of: 1, 2, 3" in message
    assert "column 'hcpcs': 'J0599' is not listed in data/drugs.csv" in message


def test_ragged_row_names_its_line(data_copy, edit):
    edit(data_copy / "macs.csv", "JE,Noridian", "JE,,Noridian")
    assert "data/macs.csv, row 1 (line 2): has 7 cells but the header has 6" in str(_problems())


def test_every_problem_is_reported_in_one_pass(data_copy, edit):
    drop_column(data_copy / "codes.csv", "group")
    edit(data_copy / "mue.csv", "cms-ncci-mue-2024q3", "nope")
    edit(data_copy / "timeline.csv", "2014-01-01", "2014-13-01")
    error = _problems()
    files = {problem.file for problem in error.problems}
    assert files == {"data/codes.csv", "data/mue.csv", "data/timeline.csv"}
    assert str(error).startswith(f"{len(error.problems)} problems in the course data:")


def test_overlapping_conversion_factor_periods(data_copy, edit):
    edit(data_copy / "conversion_factors.csv", "2020-01-01,2020-12-31", "2019-06-01,2020-12-31")
    assert "column 'start': overlaps the period on line 2 (all)" in str(_problems())


def test_command_line_check_exits_non_zero_with_the_report(data_copy, capsys):
    drop_column(data_copy / "codes.csv", "group")
    assert data.main(["check"]) == 1
    error = capsys.readouterr().err
    assert "data/codes.csv, column 'group': this column is missing" in error and "Traceback" not in error


def test_command_line_check_passes_on_the_real_data():
    result = subprocess.run([sys.executable, "-m", "helpers.data", "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"All {len(data.TABLES)} data tables are valid" in result.stdout


def test_currency_reports_newest_dated_source_per_table():
    currency = data.currency().set_index("table")
    assert currency.loc["mue", "newest dated source"] == datetime.date(2026, 4, 1)
    assert currency.loc["pfs_rvu", "newest dated source"] == datetime.date(2026, 6, 30)
    assert (currency["rows"] > 0).all()


def test_totals_are_derived_not_stored():
    rvu = data.load("pfs_rvu").set_index(["code", "year"])
    row = rvu.loc[("64612", 2026)]
    assert round(row["work"] + row["pe_nonfacility"] + row["mp"], 2) == 4.24  # printed total in RVU26C
    assert round(row["work"] + row["pe_facility"] + row["mp"], 2) == 3.24
    assert not any("total" in column for column in rvu.columns)


def test_indicator_meanings_agree_with_the_payment_rules():
    """The CMS indicator wording states the percentages; they must match the factors the calculator uses."""
    meanings = data.load("indicators").set_index(["field", "value"])["meaning"]
    rules = data.load("payment_rules").set_index("rule")["factor"]
    assert f"{rules['bilateral']:.0%}" in meanings[("bilat_surg", "1")]
    assert f"{rules['multiple-first']:.0%}" in meanings[("mult_proc", "2")]
    assert f"{rules['multiple-other']:.0%}" in meanings[("mult_proc", "2")]


def test_h_is_only_for_primary_publishers(data_copy, edit):
    """The rubric is enforced from the source's web address, not from what the row says about itself."""
    edit(data_copy / "sources.csv", "https://aapc.com/codes/coding-newsletters/my-part-b-coding-alert", "https://aapc.com/x")
    path = data_copy / "sources.csv"
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("aapc-partb-deletions,"))
    lines[number] = lines[number].replace(",M,", ",H,", 1)
    path.write_text("\n".join(lines) + "\n")
    message = str(_problems())
    assert (f"data/sources.csv, row {number} (line {number + 1}), column 'confidence': 'H' is for primary sources, "
            "and aapc.com is not a primary publisher in data/primary_hosts.csv") in message


def test_a_scraper_is_never_a_source(data_copy):
    path = data_copy / "sources.csv"
    path.write_text(path.read_text() + "copied-page,A page,Someone,https://www.docslib.org/doc/1,2026-01-01,as of,L,\n")
    message = str(_problems())
    assert "column 'url': www.docslib.org is listed in data/blocked_hosts.csv (document mirror) and is never a source" in message


def test_a_row_is_only_as_sure_as_its_best_source(data_copy, edit):
    edit(data_copy / "timeline.csv", "aapc-partb-deletions; aao-botox-coding,L", "aapc-partb-deletions; aao-botox-coding,H")
    message = str(_problems())
    assert ("data/timeline.csv, row 2 (line 3), column 'confidence': 'H' is more sure than the best source the row "
            "cites (aapc-partb-deletions (M), aao-botox-coding (M))") in message


def test_every_h_source_is_on_a_primary_host_and_no_source_is_blocked():
    primary, blocked = set(data.load("primary_hosts")["host"]), set(data.load("blocked_hosts")["host"])
    for row in data.load("sources").itertuples():
        host = data.url_host(row.url)
        assert data.host_listed(host, blocked) is None, row.id
        if row.confidence == "H":
            assert data.host_listed(host, primary), row.id


def test_host_matching_is_by_whole_labels():
    assert data.host_listed("medicare.fcso.com", {"fcso.com"}) == "fcso.com"
    assert data.host_listed("notfcso.com", {"fcso.com"}) is None
    assert data.url_host("https://WWW.CMS.gov/x?y=1") == "www.cms.gov" and data.url_host("not a url") == ""


def test_lookup_keys_rows_and_follows_a_changed_file(data_copy, edit):
    rules = data.lookup("payment_rules", "rule")
    assert rules["bilateral"]["factor"] == 1.5
    assert data.lookup("indicators", "field", "value")[("bilat_surg", "1")]["meaning"]
    with pytest.raises(TypeError):
        rules["bilateral"]["factor"] = 2  # read-only: a caller cannot change the course's data
    edit(data_copy / "payment_rules.csv", "bilateral,1.5,", "bilateral,2,")
    assert data.lookup("payment_rules", "rule")["bilateral"]["factor"] == 2
    with pytest.raises(KeyError, match="no data table called 'nope'"):
        data.lookup("nope", "id")


def test_lookup_names_the_columns_it_can_key_by():
    with pytest.raises(ValueError, match="by one or more of its columns: rule, factor"):
        data.lookup("payment_rules")
    with pytest.raises(ValueError, match="Look up payment_rules"):
        data.lookup("payment_rules", "colour")


def test_a_payment_limit_quarter_must_start_a_calendar_quarter(data_copy, edit):
    edit(data_copy / "asp_limits.csv", "J0585,2026-07-01,", "J0585,2026-08-01,")
    assert "column 'quarter_start': a quarter starts on January, April, July or October 1" in str(_problems())


def test_a_payment_limit_for_a_code_that_is_not_a_toxin_is_refused(data_copy, edit):
    edit(data_copy / "asp_limits.csv", "J0589,2026-07-01,", "J0599,2026-07-01,")
    message = str(_problems())
    assert "data/asp_limits.csv" in message and "'J0599'" in message and "drugs" in message


def test_a_year_with_a_conversion_factor_but_no_rvus_or_gpcis_is_incomplete(data_copy):
    path = data_copy / "conversion_factors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    newest = next(line for line in reversed(lines) if line.startswith("2026-"))
    path.write_text("\n".join(lines + [newest.replace("2026", "2027", 2)]) + "\n", encoding="utf-8")
    message = str(_problems())
    assert "2027 has a conversion factor but no RVUs for" in message and "64612" in message
    assert "2027 has a conversion factor but no GPCIs (the newest are for 2026)" in message


def test_rvus_without_a_conversion_factor_are_named(data_copy):
    path = data_copy / "pfs_rvu.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith("64612,2026,"))
    path.write_text("\n".join(lines + [row.replace("64612,2026,", "64612,2031,", 1)]) + "\n", encoding="utf-8")
    assert "2031 has RVUs but no conversion-factor period" in str(_problems())
