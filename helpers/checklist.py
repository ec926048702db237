"""What one payer's plan needs for one 64612 session: the checklist, built from the payer tables, with no UI.

``checklist(payer, plan, care_setting, product, diagnosis)`` returns a Checklist: two context lines (the
place of service, the product for the diagnosis) and one finding per item, each with the policies, sources
and lowest confidence behind it. The live form is ``helpers.tools.payer_checklist``.
"""

import re
from dataclasses import dataclass

import pandas as pd

from helpers import data, payers
from helpers.formatting import lowest
from helpers.schema import split_ids
from helpers.tables import CARE_SETTINGS, NOT_CAPTURED

DIAGNOSES = {"blepharospasm": "blepharospasm", "hemifacial spasm": "hemifacial"}
"""The diagnoses a checklist can be for, with the word a policy row must contain to name it."""
ITEMS = (("Prior authorization", ("prior authorization",)),
         ("Interval between treatments", ("retreatment interval",)),
         ("Dose limit", ("dose limit",)),
         ("Preferred products and step therapy", ("preferred products", "step therapy")),
         ("Documentation", ("documentation",)),
         ("Exclusions and guidance", ("exclusions", "guidance")),
         ("Covered uses", ("covered uses",)),
         ("Approval length", ("approval length",)))
"""The checklist's items and the policy requirements each one gathers."""
STATUS_WORDS = {"context": "about this claim", "stated": "stated", "not in this setting": "not in this setting",
                "not this product": "not for this product", "other product": "only for another product",
                "not in the data": "not in the course's data"}
HFS_LABEL_NOTES = {
    "FDA-labelled": "For hemifacial spasm it is FDA-labelled.",
    "disputed": ("For hemifacial spasm its label status is disputed (see the drugs table): some payers treat it as "
                 "labelled use, others as off-label. Check how the policy treats hemifacial spasm."),
    "not labelled": ("For hemifacial spasm it is not labelled, so a payer covers it, if at all, as an off-label use: "
                     "check that the policy names hemifacial spasm."),
}
"""What the checklist says about a product's label for hemifacial spasm, by the drugs table's hfs_label."""

@dataclass(frozen=True)
class Finding:
    """One line of a checklist: what the data says about one item, from which policies and sources."""

    item: str
    status: str
    text: str
    policies: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    confidence: str = ""


@dataclass(frozen=True)
class Checklist:
    """What one payer's plan needs for a 64612 session in one setting, with one product, for one diagnosis."""

    payer: str
    plan: str
    care_setting: str
    product: str
    diagnosis: str
    context: tuple[Finding, ...]
    findings: tuple[Finding, ...]

    @property
    def title(self) -> str:
        """Return the choice the checklist answers ('Aetna, Aetna commercial · office · Myobloc · blepharospasm')."""
        return f"{self.payer}, {self.plan} · {self.care_setting} · {self.product} · {self.diagnosis}"

    def finding(self, item: str) -> Finding:
        """Return the finding for one checklist item (e.g. 'Prior authorization')."""
        return next(finding for finding in self.findings if finding.item == item)

    def sources(self) -> list[str]:
        """Return every source id the checklist cites, in order of first use."""
        return list(dict.fromkeys(s for f in (*self.context, *self.findings) for s in f.sources))

    def frame(self) -> pd.DataFrame:
        """Return the checklist as a table: item, status, what the data says, policy, sources, confidence."""
        return pd.DataFrame([{"item": f.item, "status": STATUS_WORDS.get(f.status, f.status),
                              "what the data says": f.text,
                              "policy": "; ".join(f.policies), "sources": "; ".join(f.sources),
                              "confidence": f.confidence or "-"} for f in (*self.context, *self.findings)])


def _family(payer: str, plan: str) -> pd.DataFrame:
    """Return the policy rows that bind a plan: its own, its setting-limited ones and the payer's 'Any ...' rules."""
    policies = data.load("payer_policies")
    mine = policies[policies["payer"] == payer]
    return mine[mine["plan"].map(lambda name: _binds(name, plan))]


def _binds(name: str, plan: str) -> bool:
    """Return whether a policy row's plan name binds a plan: the same plan, every plan, or the plan in one setting."""
    limited = payers.care_setting_of(name) is not None and plan.startswith(payers.base_plan(name))
    return name == plan or payers.applies_to_every_plan(name) or limited


def _policy_name(row) -> str:
    """Return a policy with its effective date when the data has one."""
    if not data.present(row["effective"]):
        return row["policy"]
    return f"{row['policy']} (effective {row['effective']:%Y-%m-%d})"


def _sentence(row) -> str:
    """Return a policy row as a sentence: its value, then its detail."""
    text = row["value"][:1].upper() + row["value"][1:]
    return f"{text}. {row['detail']}" if data.present(row["detail"]) else f"{text}."


def _product_note(rows: pd.DataFrame, product: str) -> str:
    """Return a sentence saying whether a preferred-product or step-therapy rule names the product."""
    notes = []
    for _, row in rows.iterrows():
        named = re.search(rf"\b{re.escape(product)}\b", row["value"]) is not None
        if row["requirement"] == "preferred products":
            notes.append(f"{product} is on the preferred list." if named else
                         f"{product} is not on the preferred list: check what the plan needs before using it, and "
                         "for which diagnoses the preference applies.")
        elif row["requirement"] == "step therapy":
            notes.append(f"This rule names {product}." if named else f"This rule does not name {product}.")
    return " ".join(notes)


def _diagnosis_note(requirements, rows: pd.DataFrame, diagnosis: str) -> str:
    """Return a warning when covered-use rows apply but none of them names the diagnosis."""
    if "covered uses" not in requirements:
        return ""
    texts = [f"{row['value']} {data.cell_text(row['detail'])}" for _, row in rows.iterrows()]
    if any(DIAGNOSES[diagnosis] in text.lower() for text in texts):
        return ""
    return f"None of these rows names {diagnosis}: check how the policy covers it before treating."


def hcpcs_of(product: str) -> str:
    """Return the HCPCS code a product is billed with (e.g. 'J0585' for Botox)."""
    return data.load("drugs").set_index("product").loc[product, "hcpcs"]


def _with_masks(rows: pd.DataFrame, care_setting: str, product: str) -> pd.DataFrame:
    """Return the rows with three flags: whether each covers this setting, this product (by title), this code."""
    settings = rows["plan"].map(payers.care_setting_of)
    names = payers.products()
    made_for = rows["title"].map(lambda title: payers.product_of(title, names))
    code = hcpcs_of(product)
    limits = rows["hcpcs"].map(payers.policy_codes)
    coded = limits.map(lambda codes: not codes or code in codes).astype(bool)
    return rows.assign(in_care_setting=settings.isna() | (settings == care_setting),
                       for_product=made_for.isna() | (made_for == product), coded=coded)


def _finding(item: str, requirements, family: pd.DataFrame, care_setting: str, product: str,
             diagnosis: str) -> Finding:
    """Return the finding for one item: the rows that apply, else why none do."""
    rows = family[family["requirement"].isin(requirements)]
    applies = rows[rows["in_care_setting"] & rows["for_product"] & rows["coded"]]
    if applies.empty:
        return _no_rule(item, rows, family, care_setting, product)
    text = " ".join(_sentence(row) for _, row in applies.iterrows())
    notes = (_product_note(applies, product), _diagnosis_note(requirements, applies, diagnosis))
    return _from_rows(item, "stated", " ".join(part for part in (text, *notes) if part), applies)


def _no_rule(item: str, rows: pd.DataFrame, family: pd.DataFrame, care_setting: str, product: str) -> Finding:
    """Return why no row applies: another setting, a code list without this product, another product, or a gap."""
    in_care_setting, for_product, coded = rows["in_care_setting"], rows["for_product"], rows["coded"]
    if not rows[~in_care_setting].empty:
        row = rows[~in_care_setting].iloc[0]
        text = (f"Does not apply to a claim from the {care_setting}: the {row['policy']} covers "
                f"{payers.care_setting_of(row['plan'])} claims only ({row['value']}).")
        return _from_rows(item, "not in this setting", text, rows[~in_care_setting])
    if not rows[~coded].empty:
        row = rows[~coded].iloc[0]
        text = (f"{product} is billed as {hcpcs_of(product)}, which is not on the code list of the {row['policy']} in "
                f"the course's sources ({', '.join(payers.policy_codes(row['hcpcs']))}): check the current CMS list.")
        return _from_rows(item, "not this product", text, rows[~coded])
    if not rows[~for_product].empty:
        row = rows[~for_product].iloc[0]
        text = (f"The data has this only in {row['policy']}, which is for {payers.product_of(row['title'])}: "
                f"{row['value']}. Check the plan's policy for {product}.")
        return _from_rows(item, "other product", text, rows[~for_product])
    return Finding(item, "not in the data", _gap_text(family))


def _gap_text(family: pd.DataFrame) -> str:
    """Return what a checklist says when the data states nothing for an item."""
    found = family[family["requirement"] == NOT_CAPTURED]
    if not found.empty:
        return (f"Not stated in the course's data for this plan: the course found {found['policy'].iloc[0]} "
                "but did not capture its criteria. Check the plan's current policy.")
    return "Not stated in the course's data for this plan: check the plan's current policy."


def _from_rows(item: str, status: str, text: str, rows: pd.DataFrame) -> Finding:
    """Return a finding that cites the given policy rows."""
    policies = tuple(dict.fromkeys(_policy_name(row) for _, row in rows.iterrows()))
    sources = tuple(dict.fromkeys(s for cell in rows["source"] for s in split_ids(cell)))
    return Finding(item, status, text, policies, sources, lowest(rows["confidence"]))


def _place(row) -> str:
    """Return one place of service as a sentence, with its note when the note flags something unverified."""
    note = f" ({row['note']})" if data.present(row["note"]) and payers.UNVERIFIED.search(row["note"]) else ""
    return f"POS {row['pos']} ({row['name']}), {row['pfs_rate']} rate: {row['what_changes']}{note}"


def _context(care_setting: str, product: str, diagnosis: str) -> tuple[Finding, Finding]:
    """Return the two lines that frame a checklist: the place of service and the product for the diagnosis."""
    places = data.load("site_of_service")
    places = places[places["pos"].isin(CARE_SETTINGS[care_setting])]
    where = " ".join(_place(row) for _, row in places.iterrows())
    drug = data.load("drugs").set_index("product").loc[product]
    if diagnosis == "blepharospasm":
        label = f"For blepharospasm it is {drug['blepharospasm_label']}: {drug['label_detail']}."
    else:
        label = HFS_LABEL_NOTES[drug["hfs_label"]]
    what = f"{product} ({drug['nonproprietary']}) is billed as {drug['hcpcs']}. {label}"
    place_sources = tuple(dict.fromkeys(s for cell in places["source"] for s in split_ids(cell)))
    return (Finding("Setting", "context", where, (), place_sources, lowest(places["confidence"])),
            Finding("Product", "context", what, (), tuple(split_ids(drug["source"])), drug["confidence"]))


def checklist(payer: str, plan: str, care_setting: str, product: str, diagnosis: str = "blepharospasm") -> Checklist:
    """Return what a payer's plan needs for 64612 in a care setting with a product, each line with its sources."""
    if plan not in payers.plans(payer):
        raise ValueError(f"'{plan}' is not a {payer} plan in the course's data. "
                         f"Plans: {'; '.join(payers.plans(payer))}.")
    if care_setting not in CARE_SETTINGS:
        raise ValueError(f"Unknown care setting '{care_setting}'. Care settings: {', '.join(CARE_SETTINGS)}.")
    if product not in payers.products():
        raise ValueError(f"Unknown product '{product}'. Products: {', '.join(payers.products())}.")
    if diagnosis not in DIAGNOSES:
        raise ValueError(f"Unknown diagnosis '{diagnosis}'. Diagnoses: {', '.join(DIAGNOSES)}.")
    family = _with_masks(_family(payer, plan), care_setting, product)
    findings = tuple(_finding(item, requirements, family, care_setting, product, diagnosis)
                     for item, requirements in ITEMS)
    context = _context(care_setting, product, diagnosis)
    return Checklist(payer, plan, care_setting, product, diagnosis, context, findings)
