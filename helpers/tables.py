"""The course's data tables: one CSV file each, with its schema, key and purpose."""

from dataclasses import dataclass

import pandas as pd

from helpers import icd10

from helpers.schema import CODE_SET, CPT_CODE, HCPCS_CODE, code, date, fact_columns, flag, number, text, whole

NCCI_SETTINGS = ("practitioner", "outpatient hospital")
"""The two NCCI edit files: practitioner services and outpatient hospital services."""
PFS_RATES = ("non-facility", "facility")
"""The physician fee schedule's two practice-expense rates."""
CARE_SETTINGS = {"office": ("11",), "hospital outpatient": ("19", "22"), "ambulatory surgical center": ("24",)}
"""Where a 64612 session happens, with the place-of-service codes of each care setting."""
SIDES_TREATED = ("right", "left", "both")
"""Which side of the face a session treats."""
SIDE_MODIFIERS = ("RT", "LT")
"""The modifiers that name one side on a claim line."""
GLOBAL_DAYS = ("000", "010", "090", "MMM", "XXX", "YYY", "ZZZ")
PAYERS = ("Medicare", "Medicare Advantage", "Aetna", "Blue Cross Blue Shield", "Cigna", "UnitedHealthcare",
          "Medicaid")
REQUIREMENTS = ("prior authorization", "retreatment interval", "dose limit", "preferred products", "step therapy",
                "documentation", "exclusions", "guidance", "covered uses", "approval length")
"""Every requirement a payer policy row can state, in the order the course shows them."""
NOT_CAPTURED = "criteria not captured"
"""The requirement of a row that records a policy the course found but whose criteria it did not capture."""
PRIMARY_KINDS = ("CMS", "FDA", "federal law", "Medicare contractor", "payer", "standards body", "peer-reviewed journal")
"""Who counts as a primary source: the only publishers whose pages may be rated H."""
INJECTED_FOR = ("HFS and BEB", "HFS", "HFS when the lower face is involved", "not described")
"""Which condition a facial-nerve branch's muscles are injected for."""
DATE_KINDS = ("effective", "published", "revised", "release", "as of", "version", "archived")
"""What a source's date is: the document's own date (effective, published ...) or the day it was read ('as of')."""
BLOCKED_KINDS = ("scraper", "document mirror", "AI-generated", "content farm", "wiki mirror", "generated code pages")
"""Kinds of site that are never a source, whatever they copy."""
FACILITY_SYSTEMS = ("OPPS", "ASC")
"""Medicare's facility payment systems for an outpatient 64612: hospital outpatient and ambulatory surgical center."""
SEPARATELY_PAID = ("K", "G", "K2")
"""The OPPS status and ASC payment indicators under which a drug is paid on its own line (not packaged)."""
DRUG_SOURCES = ("practice", "specialty pharmacy", "no cost to the practice", "facility")
"""Where the toxin for a session can come from."""
DENIAL_KINDS = ("reasonable and necessary", "statutory exclusion", "coding edit", "prior authorization")
"""Why Medicare denies: not reasonable and necessary, never a benefit, a coding edit, or a missing authorization."""

_HOST = dict(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$", like="a lower-case host name such as cms.gov")


@dataclass(frozen=True)
class Table:
    """One data table: its file, what it holds, its columns and the columns that identify a row."""

    name: str
    purpose: str
    columns: dict
    key: tuple[str, ...]
    date_columns: tuple[str, ...] = ()
    flag_columns: tuple[str, ...] = ()
    sourced: bool = True
    references: tuple = ()
    checks: tuple = ()
    """Functions that take the typed frame and yield (row index, column, message) for rules beyond one cell."""

    @property
    def file(self) -> str:
        """Return the file name under ``data/``."""
        return f"{self.name}.csv"

    def all_columns(self) -> dict:
        """Return the table's columns, with the source, confidence and note columns if sourced."""
        return {**self.columns, **(fact_columns() if self.sourced else {})}


_CODES = (("codes", "code"),)
_CODES_OR_DRUGS = (("codes", "code"), ("drugs", "hcpcs"))


def line_number(index) -> int | None:
    """Return the CSV line number of a DataFrame row index (line 1 is the header)."""
    return None if index is None or pd.isna(index) else int(index) + 2


def _icd10_checks(frame: pd.DataFrame):
    """Yield problems where a code is not in the release, its title or billability differ, or a child is missing.

    A category in the table must list all its children, so lessons can show them from the table.
    """
    if not {"code", "title", "billable"} <= set(frame.columns):
        return
    for index, row in frame.iterrows():
        for column, message in icd10.problems(row["code"], row["title"], row["billable"] == "yes"):
            yield index, column, message
        if row["billable"] == "no":
            for child in icd10.missing_children(row["code"], frame["code"]):
                yield index, "code", f"{row['code']} is a category here, but its child {child} is not in the table"


def _period_checks(frame: pd.DataFrame):
    """Yield problems where a conversion-factor period ends before it starts or overlaps another."""
    if not {"start", "end", "apm_status"} <= set(frame.columns):
        return
    starts = pd.to_datetime(frame["start"], errors="coerce")
    ends = pd.to_datetime(frame["end"], errors="coerce")
    for index in frame.index[ends < starts]:
        yield index, "end", "ends before it starts"
    for status, group in frame.groupby("apm_status"):
        order = starts[group.index].sort_values().index
        for earlier, later in zip(order, order[1:]):
            if starts[later] <= ends[earlier]:
                yield later, "start", f"overlaps the period on line {line_number(earlier)} ({status})"


def _quarter_checks(frame: pd.DataFrame):
    """Yield problems where a payment-limit quarter does not start on the first day of a calendar quarter."""
    if "quarter_start" not in frame.columns:
        return
    starts = pd.to_datetime(frame["quarter_start"], errors="coerce")
    for index in frame.index[(starts.dt.day != 1) | ~starts.dt.month.isin([1, 4, 7, 10])]:
        yield index, "quarter_start", "a quarter starts on January, April, July or October 1"


def _table(name, purpose, key, columns, dates=(), flags=(), sourced=True, refs=None, checks=()) -> Table:
    """Return a Table; ``refs`` maps a column to the (table, column) pairs its values must appear in."""
    references = tuple((column, targets) for column, targets in (refs or {}).items())
    return Table(name, purpose, columns, tuple(key), tuple(dates), tuple(flags), sourced, references, tuple(checks))


_DEFINITIONS = [
    _table("sources", "Every source the course cites: title, publisher, address, date and confidence.",
           ["id"], {
               "id": text(pattern=r"^[a-z0-9][a-z0-9-]*$", like="a lower-case id such as cms-pprrvu-2026"),
               "title": text(), "publisher": text(),
               "url": text(pattern=r"^https?://\S+$", like="a web address starting http:// or https://"),
               "date": date(),
               "date_kind": text(one_of=DATE_KINDS),
               "confidence": text(one_of=("H", "M", "L")), "note": text(required=False),
           }, dates=["date"], sourced=False),
    _table("primary_hosts", "Publishers whose pages count as primary sources (rated H), by web address.",
           ["host"], {
               "host": text(**_HOST), "publisher": text(), "kind": text(one_of=PRIMARY_KINDS),
               "note": text(required=False),
           }, sourced=False),
    _table("blocked_hosts", "Sites that are never a source: scrapers, document mirrors, generated pages.",
           ["host"], {
               "host": text(**_HOST), "kind": text(one_of=BLOCKED_KINDS), "note": text(required=False),
           }, sourced=False),
    _table("phi_allow", "Fictional identifiers the patient-data audit may find (python -m helpers.audit phi), and why.",
           ["kind", "value"], {
               "kind": text(pattern=r"^[a-z]+$", like="a kind of identifier, such as npi"), "value": text(),
               "why": text(),
           }, sourced=False),
    _table("codes", "Procedure codes: the chemodenervation family, its neighbours and the guidance add-ons.",
           ["code"], {
               "code": code(CPT_CODE),
               "group": text(one_of=("chemodenervation", "chemical neurolysis", "guidance add-on",
                                     "evaluation and management", "other procedure")),
               "paraphrase": text(), "cms_short_descriptor": text(required=False),
               "site": text(),
               "laterality": text(one_of=("one side", "both sides", "per extremity", "not stated")),
               "add_on": flag(), "active": flag(),
           }, flags=["add_on", "active"]),
    _table("pfs_rvu", "Medicare physician fee schedule RVUs and payment indicators, national, by code and year.",
           ["code", "year"], {
               "code": code(CPT_CODE), "year": whole(minimum=2010), "release": text(),
               "work": number(), "pe_nonfacility": number(required=False), "pe_facility": number(),
               "mp": number(),
               "status": text(required=False, pattern=r"^[A-Z]$", like="a one-letter status code"),
               "global_days": text(required=False, one_of=GLOBAL_DAYS),
               "mult_proc": whole(required=False, one_of=range(10)),
               "bilat_surg": whole(required=False, one_of=range(10)),
               "asst_surg": whole(required=False, one_of=range(10)),
               "co_surg": whole(required=False, one_of=range(10)),
               "team_surg": whole(required=False, one_of=range(10)),
               "pctc": whole(required=False, one_of=range(10)),
           }, refs={"code": _CODES}),
    _table("conversion_factors", "Medicare PFS conversion factors by date of service and APM status.",
           ["start", "apm_status"], {
               "start": date(), "end": date(),
               "apm_status": text(one_of=("all", "non-QP", "QP")),
               "cf": number(minimum=1.0),
           }, dates=["start", "end"], checks=[_period_checks]),
    _table("mue", "NCCI medically unlikely edits (units per day) with adjudication indicators.",
           ["code", "ncci_setting", "effective"], {
               "code": code(), "ncci_setting": text(one_of=NCCI_SETTINGS),
               "mue": whole(required=False, minimum=0),
               "mai": whole(required=False, one_of=(1, 2, 3)),
               "rationale": text(required=False), "effective": date(),
           }, dates=["effective"], refs={"code": _CODES_OR_DRUGS}),
    _table("ptp", "NCCI procedure-to-procedure edits that involve 64612, and pairs checked and found unedited.",
           ["column1", "column2", "ncci_setting", "effective"], {
               "column1": code(CPT_CODE),
               "column2": text(pattern=CODE_SET, like="codes or ranges separated by ';', e.g. 99211-99215; G0463"),
               "column2_description": text(),
               "ncci_setting": text(one_of=NCCI_SETTINGS),
               "modifier_indicator": whole(required=False, one_of=(0, 1)),
               "rationale": text(required=False), "effective": date(),
           }, dates=["effective"], refs={"column1": _CODES}),
    _table("drugs", "Botulinum-toxin drug codes, their products and billing units.",
           ["hcpcs"], {
               "hcpcs": code(HCPCS_CODE), "product": text(), "nonproprietary": text(),
               "toxin_type": text(one_of=("A", "B")),
               "units_per_billing_unit": whole(minimum=1),
               "blepharospasm_label": text(one_of=("FDA-labelled", "not labelled")),
               "label_detail": text(required=False),
               "hfs_label": text(one_of=("FDA-labelled", "disputed", "not labelled")),
           }),
    _table("vials", "Vial sizes of each botulinum-toxin product.",
           ["hcpcs", "vial_units"], {
               "hcpcs": code(HCPCS_CODE), "vial_units": whole(minimum=1),
               "ndc": text(required=False, pattern=r"^\d{5}-\d{4}-\d{2}$", like="an 11-digit NDC 5-4-2"),
           }, refs={"hcpcs": (("drugs", "hcpcs"),)}),
    _table("icd10", "ICD-10-CM codes that can support 64612, with laterality (titles are official).",
           ["code"], {
               "code": text(pattern=r"^[A-Z]\d{2}(\.\w{1,4})?$", like="an ICD-10-CM code such as G51.31"),
               "title": text(), "condition": text(),
               "laterality": text(one_of=("right", "left", "bilateral", "unspecified", "not coded")),
               "billable": flag(),
               "supports_64612": text(one_of=("yes", "payer-specific", "no")),
           }, flags=["billable"], checks=[_icd10_checks]),
    _table("modifiers", "Modifiers used with 64612 and its drug line.",
           ["modifier"], {
               "modifier": text(pattern=r"^[0-9A-Z]{2}$", like="a two-character modifier"),
               "name": text(), "line": text(one_of=("procedure", "evaluation and management", "drug", "any")),
               "use": text(),
           }),
    _table("bilateral_formats", "How different payers want a bilateral 64612 session on the claim.",
           ["context"], {
               "context": text(), "payer_type": text(one_of=("Medicare", "commercial", "facility")),
               "claim_lines": text(),
               "lines": text(required=False, pattern=r"^\d{5}(-[0-9A-Z]{2})* x \d+(; \d{5}(-[0-9A-Z]{2})* x \d+)*$",
                             like="claim lines such as '64612-RT x 1; 64612-LT x 1'"),
               "payment": text(), "preferred": flag(),
           }, flags=["preferred"]),
    _table("indicators", "What the codes in CMS and NCCI indicator columns mean.",
           ["field", "value"], {
               "field": text(one_of=("status", "global_days", "mult_proc", "bilat_surg", "asst_surg",
                                     "co_surg", "team_surg", "pctc", "mai", "modifier_indicator")),
               "value": text(), "meaning": text(),
           }),
    _table("lcds", "Medicare local coverage determinations and billing articles by contractor.",
           ["document"], {
               "document": text(pattern=r"^D?[LA]\d{5}$", like="an LCD or article id such as L39835 or A57474"),
               "kind": text(one_of=("LCD", "proposed LCD", "billing article", "response to comments")),
               "mac": text(), "jurisdictions": text(required=False), "title": text(),
               "status": text(), "effective": date(required=False), "key_points": text(required=False),
           }, dates=["effective"]),
    _table("macs", "Medicare A/B jurisdictions, their contractors and the states they cover.",
           ["jurisdiction"], {
               "jurisdiction": text(pattern=r"^J[0-9A-Z]{1,2}$", like="a jurisdiction such as JE or J15"),
               "mac": text(), "states": text(),
           }),
    _table("payer_policies", "Payer coverage policies for 64612 and its drugs, one requirement per row.",
           ["payer", "plan", "policy", "requirement"], {
               "payer": text(one_of=PAYERS),
               "plan": text(), "policy": text(), "title": text(required=False),
               "effective": date(required=False),
               "requirement": text(one_of=(*REQUIREMENTS, NOT_CAPTURED)),
               "value": text(), "detail": text(required=False),
               "hcpcs": text(required=False, pattern=r"^[A-V]\d{4}(; [A-V]\d{4})*$",
                             like="HCPCS codes separated by '; ', e.g. J0585; J0586"),
           }, dates=["effective"]),
    _table("payer_limits", "The numbers inside payer policies (intervals, doses, ages, approval lengths), one per row.",
           ["payer", "plan", "policy", "measure", "applies_to"], {
               "payer": text(one_of=PAYERS),
               "plan": text(), "policy": text(),
               "requirement": text(one_of=REQUIREMENTS),
               "measure": text(), "applies_to": text(one_of=("all", "blepharospasm", "hemifacial spasm")),
               "value": number(),
               "unit": text(one_of=("hours", "days", "weeks", "months", "years", "units", "injections")),
           }),
    _table("site_of_service", "Places of service for 64612 and the fee-schedule rate each is paid at.",
           ["pos"], {
               "pos": text(pattern=r"^\d{2}$", like="a two-digit place-of-service code"),
               "name": text(), "pfs_rate": text(one_of=PFS_RATES), "what_changes": text(),
           }),
    _table("conditions", "Conditions treated with chemodenervation and the code each one leads to.",
           ["condition"], {
               "condition": text(), "site": text(),
               "sides": text(one_of=("one side", "both sides", "one or both sides", "not stated")),
               "code": code(CPT_CODE),
           }, refs={"code": _CODES}),
    _table("benchmarks", "Utilisation benchmarks from published studies, with study period.",
           ["metric", "group"], {
               "metric": text(), "group": text(), "low": number(), "high": number(required=False),
               "unit": text(), "population": text(), "period": text(),
           }),
    _table("clinical_facts", "Clinical facts for the procedure lesson: timing, doses, risks, outcomes.",
           ["id"], {
               "id": text(pattern=r"^[a-z0-9][a-z0-9-]*$", like="a lower-case id"),
               "topic": text(one_of=("condition", "mechanism", "timing", "dose", "risk", "outcome",
                                     "alternative")),
               "statement": text(), "low": number(required=False), "high": number(required=False),
               "unit": text(required=False), "qualifier": text(required=False),
           }),
    _table("muscles", "Which chemodenervation code a group of muscles leads to, by nerve, and where sources disagree.",
           ["muscle_group"], {
               "muscle_group": text(), "muscles": text(), "nerve": text(),
               "codes": text(pattern=CODE_SET, like="codes separated by '; ', e.g. 64612; 64616"),
               "agreement": text(one_of=("settled", "sources disagree", "no source found")),
               "reading": text(),
           }),
    _table("asp_limits", "Part B payment limits (ASP plus a share) per billing unit of each toxin, by quarter.",
           ["hcpcs", "quarter_start"], {
               "hcpcs": code(HCPCS_CODE), "quarter_start": date(), "payment_limit": number(),
           }, dates=["quarter_start"], refs={"hcpcs": (("drugs", "hcpcs"),)}, checks=[_quarter_checks]),
    _table("facility_rates", "What Medicare pays the facility for a code: OPPS (hospital outpatient) and ASC rates.",
           ["system", "code", "effective"], {
               "system": text(one_of=FACILITY_SYSTEMS), "code": code(), "effective": date(),
               "status_indicator": text(required=False, pattern=r"^[A-Z][0-9]?$", like="an indicator such as T or P3"),
               "apc": text(required=False, pattern=r"^\d{4}$", like="a four-digit APC"),
               "national_rate": number(required=False), "minimum_copay": number(required=False),
           }, dates=["effective"], refs={"code": _CODES_OR_DRUGS}),
    _table("part_b_costs", "The Part B deductible, and the inpatient deductible that caps an OPPS copayment, by year.",
           ["year"], {
               "year": whole(minimum=2010), "part_b_deductible": number(),
               "inpatient_deductible": number(required=False),
           }),
    _table("drug_sources", "Where the toxin comes from, and what that changes on the physician's claim.",
           ["drug_source"], {
               "drug_source": text(one_of=DRUG_SOURCES), "who_buys": text(), "drug_on_physician_claim": text(),
               "j_code_paid_to_physician": flag(), "jw_jz": text(), "detail": text(),
           }, flags=["j_code_paid_to_physician"]),
    _table("claim_fields", "Where things go on the claim forms: NDC, units, revenue codes, the authorization number.",
           ["form", "item"], {
               "form": text(one_of=("837P and CMS-1500", "837I and UB-04")), "item": text(), "location": text(),
               "content": text(), "example": text(required=False),
           }),
    _table("liability", "When a Medicare denial of 64612 is predictable, and what the ABN and modifiers do about it.",
           ["situation"], {
               "situation": text(), "denial_kind": text(one_of=DENIAL_KINDS),
               "notice": text(), "modifier": text(required=False, pattern=r"^(G[AXYZ])(; G[AXYZ])*$",
                                                  like="GA, GX, GY or GZ"),
               "patient_may_be_billed": text(one_of=("yes", "no", "only with a valid ABN", "not confirmed")),
               "detail": text(),
           }),
    _table("remittance_codes", "Group, claim adjustment reason (CARC) and remark (RARC) codes a 64612 claim can get.",
           ["code_set", "code"], {
               "code_set": text(one_of=("group", "CARC", "RARC")),
               "code": text(pattern=r"^([A-Z]{2}|\d{1,3}|[A-Z]{1,2}\d{1,4})$", like="CO, 96 or N362"),
               "meaning": text(), "on_64612": text(), "fix": text(required=False),
           }),
    _table("appeal_levels", "The five levels of a Medicare Part A/B appeal: who decides and the filing limit.",
           ["level"], {
               "level": whole(one_of=(1, 2, 3, 4, 5)), "name": text(), "decided_by": text(),
               "filing_limit_days": whole(minimum=1), "counted_from": text(),
               "receipt_presumed_after_days": whole(required=False, minimum=0),
           }),
    _table("appeal_thresholds", "The amount in controversy an appeal must reach for a hearing or court, by year.",
           ["year", "level"], {
               "year": whole(minimum=2010), "level": whole(one_of=(3, 5)), "amount": number(),
           }, refs={"level": (("appeal_levels", "level"),)}),
    _table("audits", "Who reviews botulinum-toxin claims after payment, and the numbers that describe each review.",
           ["program", "measure"], {
               "program": text(), "run_by": text(), "measure": text(), "value": number(required=False),
               "unit": text(required=False), "detail": text(),
           }),
    _table("denial_cases", "Fictional remittance lines for the denial-detective practice: cause and fix.",
           ["id"], {
               "id": text(pattern=r"^[a-z0-9][a-z0-9-]*$", like="a lower-case id"),
               "payer": text(), "setting": text(), "billed": text(), "remittance": text(),
               "cause": text(), "fix": text(),
           }),
    _table("payment_rules", "Medicare payment adjustments the fee calculator applies, as factors.",
           ["rule"], {
               "rule": text(one_of=("bilateral", "multiple-first", "multiple-other", "coinsurance",
                                    "non-participating", "sequestration", "drug-payment-limit",
                                    "non-physician-practitioner", "incident-to")),
               "factor": number(), "applies_when": text(),
           }),
    _table("published_figures", "National fee schedule amounts as published or in the fact sheet, which the tests "
                                "compare the calculator with.",
           ["code", "date_of_service", "rate", "apm_status"], {
               "code": code(CPT_CODE), "date_of_service": date(), "rate": text(one_of=PFS_RATES),
               "apm_status": text(one_of=("all", "non-QP", "QP")), "amount": number(),
           }, dates=["date_of_service"], refs={"code": _CODES}),
    _table("gpci", "Geographic practice cost indices for a few localities (national amounts use none).",
           ["year", "locality"], {
               "year": whole(minimum=2010), "locality": text(pattern=r"^[a-z0-9-]+$", like="a lower-case id"),
               "name": text(), "state": text(pattern=r"^[A-Z]{2}$", like="a two-letter state"),
               "mac_locality": text(), "work": number(), "pe": number(), "mp": number(),
           }),
    _table("timeline", "Dated events: codes added or deleted, policies starting, modifier rules.",
           ["date", "event"], {
               "date": date(), "precision": text(one_of=("day", "month", "year")), "event": text(),
           }, dates=["date"]),
    _table("anatomy", "Branches of the facial nerve, the muscles they supply, and which are injected for what.",
           ["branch"], {
               "branch": text(), "order": whole(minimum=1), "region": text(), "example_muscles": text(),
               "injected_for": text(one_of=INJECTED_FOR),
           }),
    _table("corrections", "Claims about 64612 in the page this course was first described from, and what is right.",
           ["id"], {
               "id": text(pattern=r"^[a-z0-9][a-z0-9-]*$", like="a lower-case id"),
               "claim": text(), "claimed_by": text(), "correction": text(),
           }, refs={"claimed_by": (("sources", "id"),)}),
    _table("documentation", "What a payer expects to find in the procedure note.",
           ["element"], {
               "element": text(), "why": text(), "asked_by": text(),
           }),
]

TABLES: dict[str, Table] = {table.name: table for table in _DEFINITIONS}
"""Every data table by name, in the order they are checked."""
