"""What one payer's plan needs for one session: the checklist's findings, their sources and their gaps."""

import re

import pytest

from helpers import checklist, data, payers
from helpers.tables import CARE_SETTINGS


OPD_PROGRAM = "cms-opd-prior-auth"


def known_sources() -> set[str]:
    return set(data.load("sources")["id"])


def every_choice():
    """Yield every (payer, plan, setting, product, diagnosis) the checklist offers."""
    for payer in payers.PAYERS:
        for plan in payers.plans(payer):
            for care_setting in CARE_SETTINGS:
                for product in payers.products():
                    for diagnosis in checklist.DIAGNOSES:
                        yield payer, plan, care_setting, product, diagnosis


@pytest.fixture(scope="module")
def every_checklist():
    """Return every checklist the form can show, built once for the tests that walk them all."""
    return [(choice, checklist.checklist(*choice)) for choice in every_choice()]


def opd_codes() -> set[str]:
    """Return the toxin codes the outpatient prior-authorization rows are limited to."""
    rows = data.load("payer_policies").query("plan == 'Original Medicare, hospital outpatient'")
    return {code for cell in rows["hcpcs"] for code in payers.policy_codes(cell)}


@pytest.mark.parametrize("product", payers.products())
@pytest.mark.parametrize("care_setting", list(CARE_SETTINGS))
def test_medicare_outpatient_prior_authorization_only_in_hospital_outpatient_and_for_its_codes(care_setting, product):
    for plan in payers.plans("Medicare"):
        finding = checklist.checklist("Medicare", plan, care_setting, product).finding("Prior authorization")
        assert OPD_PROGRAM in finding.sources
        if care_setting != "hospital outpatient":
            assert finding.status == "not in this setting" and f"claim from the {care_setting}" in finding.text
        elif checklist.hcpcs_of(product) in opd_codes():
            assert finding.status == "stated"
        else:
            assert finding.status == "not this product"
            assert checklist.hcpcs_of(product) in finding.text and "check the current CMS list" in finding.text
            documentation = checklist.checklist("Medicare", plan, care_setting, product).finding("Documentation")
            assert "diagnosis, agent and dose" not in documentation.text.lower()


def test_no_medicare_advantage_or_commercial_checklist_cites_the_opd_program(every_checklist):
    for choice, result in every_checklist:
        payer, plan = choice[:2]
        assert "prior authorization" not in result.context[0].text.lower(), choice  # the Setting line
        if payer != "Medicare" or "Medicare Advantage" in plan:
            assert OPD_PROGRAM not in result.sources(), choice
    assert payers.plans("Medicare Advantage") and all("Original" not in plan for plan in payers.plans("Medicare Advantage"))


def test_every_checklist_line_cites_known_sources(every_checklist):
    known = known_sources()
    assert len(every_checklist) > 300
    for choice, result in every_checklist:
        assert [f.item for f in result.findings] == [item for item, _ in checklist.ITEMS]
        for finding in (*result.context, *result.findings):
            if finding.status == "not in the data":
                assert not finding.sources and finding.confidence == ""
                continue
            assert finding.sources, (choice, finding.item)
            assert set(finding.sources) <= known, (choice, finding.item)
            assert finding.confidence in ("H", "M", "L")
        assert set(result.sources()) <= known


def test_a_policy_for_another_product_is_not_applied():
    botox = checklist.checklist("Cigna", payers.CIGNA, "office", "Botox").finding("Dose limit")
    assert botox.status == "other product" and "Check the plan's policy for Botox" in botox.text
    dysport = checklist.checklist("Cigna", payers.CIGNA, "office", "Dysport").finding("Dose limit")
    assert dysport.status == "stated" and dysport.sources == ("evicore-dysport",)


def test_the_checklist_follows_the_diagnosis():
    bcnc = checklist.checklist("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "office", "Xeomin", "hemifacial spasm")
    assert "None of these rows names hemifacial spasm" in bcnc.finding("Covered uses").text
    assert "For hemifacial spasm it is not labelled" in bcnc.context[1].text
    botox = checklist.checklist("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "office", "Botox", "hemifacial spasm")
    assert "its label status is disputed" in botox.context[1].text
    bleph = checklist.checklist("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "office", "Botox", "blepharospasm")
    assert "For blepharospasm it is FDA-labelled" in bleph.context[1].text
    first_coast = checklist.checklist("Medicare", "Original Medicare (First Coast, JN)", "office", "Xeomin",
                                   "hemifacial spasm").finding("Covered uses")
    assert "None of these rows" not in first_coast.text and "Botox and Dysport only" in first_coast.text


def test_every_medicare_advantage_plan_gets_the_general_rules():
    for plan in payers.plans("Medicare Advantage"):
        covered = checklist.checklist("Medicare Advantage", plan, "office", "Botox").finding("Covered uses")
        assert "ecfr-42cfr422-101" in covered.sources


def test_preferred_products_and_step_therapy_name_the_product():
    bcnc = "Blue Cross NC (commercial)"
    assert payers.plans("Blue Cross Blue Shield")[0] == bcnc
    botox = checklist.checklist("Blue Cross Blue Shield", bcnc, "office", "Botox").finding("Preferred products and step therapy")
    assert "Botox is not on the preferred list" in botox.text
    xeomin = checklist.checklist("Blue Cross Blue Shield", bcnc, "office", "Xeomin").finding("Preferred products and step therapy")
    assert "Xeomin is on the preferred list" in xeomin.text
    aetna = checklist.checklist("Aetna", "Aetna commercial", "office", "Myobloc").finding("Preferred products and step therapy")
    assert "This rule names Myobloc" in aetna.text


def test_gaps_are_reported_as_gaps():
    finding = checklist.checklist("Blue Cross Blue Shield", "BCBS Minnesota", "office", "Botox").finding("Prior authorization")
    assert finding.status == "not in the data" and "check the plan's current policy" in finding.text.lower()
    assert "did not capture its criteria" in finding.text and finding.sources == ()


def test_a_setting_limited_plan_applies_to_every_plan_of_the_payer(data_copy):
    with (data_copy / "payer_policies.csv").open("a", encoding="utf-8") as handle:
        handle.write('Aetna,"Aetna commercial, ambulatory surgical center",Test ASC rule,Test,,documentation,'
                     'operative note,,,d3rx-aetna-cpb-0113,L,\n')
    assert payers.plans("Aetna") == ["Aetna commercial"]
    asc = checklist.checklist("Aetna", "Aetna commercial", "ambulatory surgical center", "Botox").finding("Documentation")
    office = checklist.checklist("Aetna", "Aetna commercial", "office", "Botox").finding("Documentation")
    assert asc.status == "stated" and office.status == "not in this setting"


@pytest.mark.parametrize(("arguments", "message"), [
    (("Medicare", "Original Medicare", "office", "Botox"), "is not a Medicare plan"),
    (("Medicare", payers.MULTI_MAC, "home", "Botox"), "Unknown care setting 'home'"),
    (("Medicare", payers.MULTI_MAC, "office", "Toxin X"), "Unknown product 'Toxin X'"),
    (("Medicare", payers.MULTI_MAC, "office", "Botox", "migraine"), "Unknown diagnosis 'migraine'"),
    (("Humana", "Any", "office", "Botox"), "no policies for 'Humana'"),
])
def test_bad_choices_get_plain_messages(arguments, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        checklist.checklist(*arguments)
