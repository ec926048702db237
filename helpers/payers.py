"""The payer landscape for 64612: policies side by side, a requirements matrix, and a payer checklist.

Everything is read from ``data/payer_policies.csv`` (one requirement of one policy per row),
``data/payer_limits.csv`` (the numbers inside those policies), ``data/lcds.csv``, ``data/macs.csv``,
``data/benchmarks.csv``, ``data/site_of_service.csv`` and ``data/drugs.csv``. ``checklist()`` answers
"what does this payer need?" for a payer, plan, setting, product and diagnosis; ``payer_checklist()`` shows
it as a live form (CSS classes ``tool`` and ``tool-output``) whose static face is a set of worked examples.
"""

import re
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from helpers import data
from helpers.interactive import LiveDisplay
from helpers.schema import split_ids
from helpers.show import CONFIDENCE_WORDS, Rendered, table
from helpers.tables import PAYERS
from helpers.ui import dropdown

REQUIREMENTS = ("prior authorization", "retreatment interval", "dose limit", "preferred products", "step therapy",
                "documentation", "exclusions", "guidance", "covered uses", "approval length")
"""Every requirement a policy row can state, in the order the course shows them."""
NOT_CAPTURED = "criteria not captured"
"""The requirement of a row that records a policy the course found but whose criteria it did not capture."""
ALL_REQUIREMENTS = (*REQUIREMENTS, NOT_CAPTURED)
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
SETTINGS = {"office": ("11",), "hospital outpatient": ("19", "22"), "ambulatory surgical center": ("24",)}
"""The places of service a 64612 session can happen in, with their place-of-service codes."""
STATUS_WORDS = {"context": "about this claim", "stated": "stated", "not in this setting": "not in this setting",
                "not this product": "not for this product", "other product": "only for another product",
                "not in the data": "not in the course's data"}
RANK = {"L": 0, "M": 1, "H": 2}
HFS_LABEL_NOTES = {
    "FDA-labelled": "For hemifacial spasm it is FDA-labelled.",
    "disputed": ("For hemifacial spasm its label status is disputed (see the drugs table): some payers treat it as "
                 "labelled use, others as off-label. Check how the policy treats hemifacial spasm."),
    "not labelled": ("For hemifacial spasm it is not labelled, so a payer covers it, if at all, as an off-label use: "
                     "check that the policy names hemifacial spasm."),
}
"""What the checklist says about a product's label for hemifacial spasm, by the drugs table's hfs_label."""
_QUALIFIED = re.compile(r"^(?P<base>.+), (?P<setting>" + "|".join(SETTINGS) + r")$")


def lowest(levels) -> str:
    """Return the lowest confidence among H/M/L flags ('' when there are none)."""
    levels = [level for level in levels if level in RANK]
    return min(levels, key=RANK.get) if levels else ""


def setting_of(plan: str) -> str | None:
    """Return the setting a plan name is limited to ('Original Medicare, hospital outpatient'), or None."""
    found = _QUALIFIED.match(plan)
    return found.group("setting") if found else None


def _base(plan: str) -> str:
    """Return a plan name without its setting qualifier."""
    found = _QUALIFIED.match(plan)
    return found.group("base") if found else plan


def products() -> list[str]:
    """Return the botulinum-toxin products the course's data knows, in data order."""
    return list(data.load("drugs")["product"])


def product_of(title: str) -> str | None:
    """Return the product a policy is limited to, when its title names one (e.g. 'Dysport (...)')."""
    for product in products():
        if re.search(rf"\b{re.escape(product)}\b", data.text(title)):
            return product
    return None


def applies_to_every_plan(plan: str) -> bool:
    """Return True for a plan name such as 'Any Medicare Advantage plan', whose rules bind every plan of its payer."""
    return plan.startswith("Any ")


def plans(payer: str) -> list[str]:
    """Return the plans a learner can pick for a payer (plans limited to one setting are folded in)."""
    policies = data.load("payer_policies")
    if payer not in set(policies["payer"]):
        raise ValueError(f"The course's data has no policies for '{payer}'. Payers: {', '.join(PAYERS)}.")
    names = policies.loc[policies["payer"] == payer, "plan"]
    return list(dict.fromkeys(name for name in names if setting_of(name) is None))


def policy_key(row) -> tuple[str, str, str]:
    """Return the (payer, plan, policy) triple that names one payer policy."""
    return row["payer"], row["plan"], row["policy"]


def policy_label(payer: str, plan: str, policy: str) -> str:
    """Return a short label for one policy: its plan and its policy name without parentheses."""
    short = re.sub(r"\s*\([^)]*\)", "", policy).strip()
    return f"{plan}: {short}"


def policy_list() -> pd.DataFrame:
    """Return one row per payer policy: payer, plan, policy, title, effective date, lowest confidence."""
    policies = data.load("payer_policies")
    grouped = policies.groupby(["payer", "plan", "policy"], sort=False)
    frame = grouped.agg(title=("title", "first"), effective=("effective", "first"),
                        requirements=("requirement", "count"), confidence=("confidence", lowest)).reset_index()
    frame["payer"] = pd.Categorical(frame["payer"], PAYERS, ordered=True)
    frame = frame.sort_values("payer", kind="stable").reset_index(drop=True)
    frame["payer"] = frame["payer"].astype(str)
    return frame


def policy_rows(payer: str, plan: str | None = None) -> pd.DataFrame:
    """Return one payer's policy rows (optionally one plan's, including its setting-limited rows)."""
    rows = data.load("payer_policies")
    rows = rows[rows["payer"] == payer]
    if plan is not None:
        rows = rows[rows["plan"].map(lambda name: name == plan or _base(name) == plan)]
    first_seen = {policy: n for n, policy in enumerate(dict.fromkeys(rows["policy"]))}
    rows = rows.sort_values(["policy", "requirement"], kind="stable",
                            key=lambda c: c.map(first_seen) if c.name == "policy" else c.map(ALL_REQUIREMENTS.index))
    return rows[["plan", "policy", "effective", "requirement", "value", "detail", "hcpcs", "source", "confidence",
                 "note"]].reset_index(drop=True)


def policy_events() -> pd.DataFrame:
    """Return the dated payer-policy events from the timeline: prior authorization, LCDs, billing articles."""
    timeline = data.load("timeline")
    chosen = timeline["event"].str.contains(r"prior[ -]authorization|LCD|billing article", case=False)
    return timeline[chosen][["date", "event", "source", "confidence"]].reset_index(drop=True)


def requirements_matrix() -> pd.DataFrame:
    """Return policies x requirements: the row's confidence (H/M/L) where the data states it, '' where not.

    A policy whose criteria the course did not capture keeps its row, with every cell empty.
    """
    policies = data.load("payer_policies")
    policies = policies[policies["requirement"] != NOT_CAPTURED]
    listed = policy_list()
    labels = [policy_label(*key) for key in zip(listed["payer"], listed["plan"], listed["policy"])]
    matrix = pd.DataFrame("", index=pd.Index(labels, name="policy"), columns=list(REQUIREMENTS))
    for _, row in policies.iterrows():
        matrix.loc[policy_label(*policy_key(row)), row["requirement"]] = row["confidence"]
    return matrix


def matrix_table() -> Rendered:
    """Return the requirements matrix as a table: 'stated (M)' or 'not stated' in every cell."""
    matrix = requirements_matrix()
    shown = matrix.apply(lambda column: column.map(lambda level: f"stated ({level})" if level else "not stated"))
    return table(shown.reset_index(), caption="Requirements matrix: what each policy states in the course's data "
                 "(confidence in brackets)")


def _cell(rows: pd.DataFrame) -> list[str]:
    """Return one comparison cell: each row as 'plan, policy: value [confidence]'."""
    return [f"{row['plan']}, {row['policy']}: {row['value']} [{row['confidence']}]" for _, row in rows.iterrows()]


def comparison(payers=PAYERS, requirements=REQUIREMENTS) -> pd.DataFrame:
    """Return requirements x payers; each cell lists what each of the payer's policies says."""
    policies = data.load("payer_policies")
    grid = {}
    for payer in payers:
        mine = policies[policies["payer"] == payer]
        grid[payer] = [_cell(mine[mine["requirement"] == requirement]) for requirement in requirements]
    return pd.DataFrame(grid, index=pd.Index(list(requirements), name="requirement"))


def comparison_table(payers=PAYERS, requirements=REQUIREMENTS, caption: str = "") -> Rendered:
    """Return the side-by-side comparison as HTML (a list in each cell) and as text."""
    grid = comparison(payers, requirements)
    head = "".join(f"<th>{escape(payer)}</th>" for payer in grid.columns)
    body = ""
    for requirement, row in grid.iterrows():
        cells = "".join("<td>" + ("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
                                  if items else "—") + "</td>" for items in row)
        body += f"<tr><th>{escape(requirement)}</th>{cells}</tr>"
    html = f"<table><thead><tr><th>requirement</th>{head}</tr></thead><tbody>{body}</tbody></table>"
    lines = [f"{requirement} / {payer}: " + (" | ".join(items) if items else "-")
             for requirement, row in grid.iterrows() for payer, items in row.items()]
    caption = caption or "Payer policies side by side (confidence in brackets: H high, M medium, L low)"
    return Rendered(f"<p><strong>{escape(caption)}</strong></p>\n{html}", "\n".join([caption, *lines]))


def limits(requirement: str | None = None) -> pd.DataFrame:
    """Return the numbers inside payer policies, optionally for one requirement."""
    frame = data.load("payer_limits")
    return frame if requirement is None else frame[frame["requirement"] == requirement].reset_index(drop=True)


WEEKS_PER = {"weeks": 1.0, "months": 52 / 12, "days": 1 / 7}


def intervals() -> pd.DataFrame:
    """Return each policy's minimum interval between treatments, converted to weeks (months x 52/12)."""
    frame = limits("retreatment interval")
    frame = frame[frame["measure"].str.startswith("minimum interval") & frame["unit"].isin(list(WEEKS_PER))].copy()
    frame["policy"] = [policy_label(*key) for key in zip(frame["payer"], frame["plan"], frame["policy"])]
    frame["weeks"] = (frame["value"] * frame["unit"].map(WEEKS_PER)).round(1)
    return frame[["policy", "measure", "applies_to", "value", "unit", "weeks", "source", "confidence"]].reset_index(drop=True)


def _amount(value, unit: str) -> str:
    """Return a number with its unit, without trailing zeros: 120.0, 'days' -> '120 days'."""
    return f"{value:g} {unit}"


def limit_table(payer: str | None = None, requirement: str | None = None) -> pd.DataFrame:
    """Return the numbers inside payer policies for display: policy, measure, applies to, limit, source."""
    frame = limits(requirement)
    if payer is not None:
        frame = frame[frame["payer"] == payer]
    frame = frame.assign(limit=[_amount(v, u) for v, u in zip(frame["value"], frame["unit"])])
    return frame[["payer", "policy", "measure", "applies_to", "limit", "source", "confidence", "note"]].reset_index(drop=True)


def interval_table() -> pd.DataFrame:
    """Return the interval rules the interval chart draws, with the rule as written and in weeks."""
    frame = intervals()
    return pd.DataFrame({"policy": frame["policy"], "measure": frame["measure"], "applies to": frame["applies_to"],
                         "rule": [_amount(v, u) for v, u in zip(frame["value"], frame["unit"])],
                         "in weeks": [f"{w:g}" for w in frame["weeks"]], "source": frame["source"],
                         "confidence": frame["confidence"]})


def benchmark_table() -> pd.DataFrame:
    """Return the utilisation benchmarks with shares as percentages and ranges written out."""
    bench = data.load("benchmarks")

    def shown(row) -> str:
        if row["unit"] == "share":
            return f"{row['low'] * 100:g}%"
        value = f"{row['low']:g}" + (f" to {row['high']:g}" if data.present(row["high"]) else "")
        return f"{value} {row['unit']}"

    bench["value"] = bench.apply(shown, axis=1)
    return bench[["metric", "group", "value", "population", "period", "source", "confidence", "note"]]


# ---- Medicare contractors ------------------------------------------------------------------

def _short_mac(name: str) -> str:
    """Return the short name a contractor goes by in the LCD table ('NGS', 'Noridian', 'First Coast')."""
    acronym = re.search(r"\(([A-Z]{2,})\)", name)
    if acronym:
        return acronym.group(1)
    words = name.split()
    return " ".join(words[:2]) if words[0] == "First" else words[0]


_PART_OF_STATE = re.compile(r"^(?P<code>[A-Z]{2})\s*\((?P<part>[^)]*)\)$")


def _coverage(cell: str, state: str) -> str | None:
    """Return what a jurisdiction covers of a state ('all of VA', or the part named in brackets), or None."""
    for part in (piece.strip() for piece in cell.split(";")):
        partial = _PART_OF_STATE.match(part)
        if partial and partial.group("code") == state:
            return partial.group("part")
        if part.upper() == state:
            return f"all of {state}"
    return None


def contractor(state: str) -> pd.DataFrame:
    """Return the Medicare A/B jurisdiction(s) covering ``state`` (a two-letter postal code), with what each covers."""
    macs = data.load("macs")
    wanted = state.strip().upper()
    covers = macs["states"].map(lambda cell: _coverage(cell, wanted))
    found = macs[covers.notna()].assign(covers=covers[covers.notna()])
    if found.empty:
        raise ValueError(f"No jurisdiction in data/macs.csv lists '{state}'. Use a two-letter code such as TX.")
    if (~found["covers"].str.startswith("all of ")).any():
        whole = found["covers"].str.startswith("all of ")
        found.loc[whole, "covers"] += ", except where another row takes Part B"
    return found[["jurisdiction", "mac", "covers", "states", "source", "confidence", "note"]].reset_index(drop=True)


def local_policies(jurisdiction: str) -> pd.DataFrame:
    """Return the LCDs and articles the data links to a jurisdiction, by number or by contractor name.

    Documents whose contractor is 'Not known' are never linked: a guess is not a link.
    """
    macs = data.load("macs").set_index("jurisdiction")
    if jurisdiction not in macs.index:
        raise ValueError(f"No jurisdiction '{jurisdiction}' in data/macs.csv.")
    short = _short_mac(macs.loc[jurisdiction, "mac"])
    lcds = data.load("lcds")

    def linked(row) -> bool:
        if row["mac"].startswith("Not known"):
            return False
        listed = [part.strip() for part in data.text(row["jurisdictions"]).split(";") if part.strip()]
        return jurisdiction in listed if listed else re.search(rf"\b{re.escape(short)}\b", row["mac"]) is not None

    found = lcds[lcds.apply(linked, axis=1)]
    return found[["document", "kind", "mac", "title", "status", "effective", "confidence", "note"]].reset_index(drop=True)


# ---- What to check before billing ----------------------------------------------------------

_UNVERIFIED = re.compile(r"not (?:re-)?verified|unverified|not found|not captured|not checked|not read|inference|"
                         r"inferred|replaced|superseded|retired", re.IGNORECASE)
GENERIC_WHY = {"M": "Medium confidence: read from a copy or a secondary source.",
               "L": "Low confidence: a single third-party page or the course's inference."}


def _why(texts, level: str) -> str:
    """Return why a row is flagged: its own notes and status, else a generic line for its confidence."""
    kept = list(dict.fromkeys(data.text(t) for t in texts if data.text(t)))
    return " ".join(kept) or GENERIC_WHY.get(level, "")


def _flagged(level: str, texts) -> bool:
    """Return True when a row is medium or low confidence, or its text says it is unverified or superseded."""
    return level in ("L", "M") or any(_UNVERIFIED.search(data.text(t)) for t in texts)


def to_check() -> pd.DataFrame:
    """Return the payer facts to check before billing: rows flagged M or L, or marked unverified or superseded."""
    rows = []
    for key, group in data.load("payer_policies").groupby(["payer", "plan", "policy"], sort=False):
        level = lowest(group["confidence"])
        flagged_details = [d for d in group["detail"] if _UNVERIFIED.search(data.text(d))]
        texts = [*group["note"], *flagged_details]
        if _flagged(level, texts):
            rows.append({"table": "payer_policies", "item": policy_label(*key), "confidence": level,
                         "why to check": _why(texts, level)})
    for _, row in data.load("lcds").iterrows():
        texts = [f"Status: {row['status']}.", row["note"]]
        if _flagged(row["confidence"], [row["status"], row["note"]]):
            rows.append({"table": "lcds", "item": f"{row['document']} ({row['mac']})", "confidence": row["confidence"],
                         "why to check": _why(texts, row["confidence"])})
    for _, row in data.load("macs").iterrows():
        if _flagged(row["confidence"], [row["note"]]):
            rows.append({"table": "macs", "item": f"{row['jurisdiction']}: {row['mac']}",
                         "confidence": row["confidence"], "why to check": _why([row["note"]], row["confidence"])})
    frame = pd.DataFrame(rows)
    return frame.sort_values("confidence", key=lambda c: c.map(RANK), kind="stable").reset_index(drop=True)


def gathered():
    """Return the newest date on which the course read a page that gave no date of its own ('as of' in sources.csv).

    Dates of archived copies and of versions have their own kinds ('archived', 'version'), so every 'as of'
    date is a reading date; pages read earlier carry their own, earlier 'as of' date.
    """
    sources = data.load("sources")
    return max(sources.loc[sources["date_kind"] == "as of", "date"])


# ---- What does this payer need? ------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One line of a checklist: what the data says about one item, from which policies and sources."""

    item: str
    status: str
    text: str
    policies: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    confidence: str = ""

    @property
    def check_first(self) -> bool:
        """Return True when the line rests on medium- or low-confidence data, or on none."""
        return self.confidence != "H"


@dataclass(frozen=True)
class Checklist:
    """What one payer's plan needs for a 64612 session in one setting, with one product, for one diagnosis."""

    payer: str
    plan: str
    setting: str
    product: str
    diagnosis: str
    context: tuple[Finding, ...]
    findings: tuple[Finding, ...]

    @property
    def title(self) -> str:
        """Return the choice the checklist answers, e.g. 'Aetna, Aetna commercial · office · Myobloc · blepharospasm'."""
        return f"{self.payer}, {self.plan} · {self.setting} · {self.product} · {self.diagnosis}"

    def finding(self, item: str) -> Finding:
        """Return the finding for one checklist item (e.g. 'Prior authorization')."""
        return next(finding for finding in self.findings if finding.item == item)

    def sources(self) -> list[str]:
        """Return every source id the checklist cites, in order of first use."""
        return list(dict.fromkeys(s for f in (*self.context, *self.findings) for s in f.sources))

    def frame(self) -> pd.DataFrame:
        """Return the checklist as a table: item, status, what the data says, policy, sources, confidence."""
        return pd.DataFrame([{"item": f.item, "status": STATUS_WORDS.get(f.status, f.status), "what the data says": f.text,
                              "policy": "; ".join(f.policies), "sources": "; ".join(f.sources),
                              "confidence": f.confidence or "-"} for f in (*self.context, *self.findings)])


def _family(payer: str, plan: str) -> pd.DataFrame:
    """Return the policy rows that bind a plan: its own, its setting-limited ones and the payer's 'Any ...' rules."""
    policies = data.load("payer_policies")
    mine = policies[policies["payer"] == payer]
    belongs = mine["plan"].map(lambda name: name == plan or applies_to_every_plan(name)
                               or (setting_of(name) is not None and plan.startswith(_base(name))))
    return mine[belongs]


def _policy_name(row) -> str:
    """Return a policy with its effective date when the data has one."""
    return f"{row['policy']} (effective {row['effective']:%Y-%m-%d})" if data.present(row["effective"]) else row["policy"]


def _sentence(row) -> str:
    """Return a policy row as a sentence: its value, then its detail."""
    text = row["value"][:1].upper() + row["value"][1:]
    return f"{text}. {row['detail']}" if data.present(row["detail"]) else f"{text}."


def _product_note(requirements, rows: pd.DataFrame, product: str) -> str:
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
    texts = [f"{row['value']} {data.text(row['detail'])}" for _, row in rows.iterrows()]
    if any(DIAGNOSES[diagnosis] in text.lower() for text in texts):
        return ""
    return f"None of these rows names {diagnosis}: check how the policy covers it before treating."


def hcpcs_of(product: str) -> str:
    """Return the HCPCS code a product is billed with (e.g. 'J0585' for Botox)."""
    return data.load("drugs").set_index("product").loc[product, "hcpcs"]


def _codes(cell) -> list[str]:
    """Return the HCPCS codes a policy row is limited to ([] when it names none)."""
    return [code.strip() for code in data.text(cell).split(";") if code.strip()]


def _masks(rows: pd.DataFrame, setting: str, product: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return, per row, whether it covers this setting, this product (by title) and this product's code."""
    settings = rows["plan"].map(setting_of)
    made_for = rows["title"].map(product_of)
    coded = rows["hcpcs"].map(lambda cell: not _codes(cell) or hcpcs_of(product) in _codes(cell)).astype(bool)
    return settings.isna() | (settings == setting), made_for.isna() | (made_for == product), coded


def _finding(item: str, requirements, family: pd.DataFrame, setting: str, product: str, diagnosis: str) -> Finding:
    """Return the finding for one item: the rows that apply, else why none do."""
    rows = family[family["requirement"].isin(requirements)]
    in_setting, for_product, coded = _masks(rows, setting, product)
    applies = rows[in_setting & for_product & coded]
    if applies.empty:
        return _no_rule(item, rows, family, setting, product)
    text = " ".join(_sentence(row) for _, row in applies.iterrows())
    notes = (_product_note(requirements, applies, product), _diagnosis_note(requirements, applies, diagnosis))
    return _from_rows(item, "stated", " ".join(part for part in (text, *notes) if part), applies)


def _no_rule(item: str, rows: pd.DataFrame, family: pd.DataFrame, setting: str, product: str) -> Finding:
    """Return why no row applies: another setting, a code list without this product, another product, or a gap."""
    in_setting, for_product, coded = _masks(rows, setting, product)
    if not rows[~in_setting].empty:
        row = rows[~in_setting].iloc[0]
        text = (f"Does not apply to a claim from the {setting}: the {row['policy']} covers "
                f"{setting_of(row['plan'])} claims only ({row['value']}).")
        return _from_rows(item, "not in this setting", text, rows[~in_setting])
    if not rows[~coded].empty:
        row = rows[~coded].iloc[0]
        text = (f"{product} is billed as {hcpcs_of(product)}, which is not on the code list of the {row['policy']} in "
                f"the course's sources ({', '.join(_codes(row['hcpcs']))}): check the current CMS list.")
        return _from_rows(item, "not this product", text, rows[~coded])
    if not rows[~for_product].empty:
        row = rows[~for_product].iloc[0]
        text = (f"The data has this only in {row['policy']}, which is for {product_of(row['title'])}: "
                f"{row['value']}. Check the plan's policy for {product}.")
        return _from_rows(item, "other product", text, rows[~for_product])
    return Finding(item, "not in the data", _gap_text(family))


def _gap_text(family: pd.DataFrame) -> str:
    """Return what a checklist says when the data states nothing for an item."""
    found = family[family["requirement"] == NOT_CAPTURED]
    if not found.empty:
        return (f"Not stated in the course's data for this plan: the course found {found['policy'].iloc[0]} but did not "
                "capture its criteria. Check the plan's current policy.")
    return "Not stated in the course's data for this plan: check the plan's current policy."


def _from_rows(item: str, status: str, text: str, rows: pd.DataFrame) -> Finding:
    """Return a finding that cites the given policy rows."""
    policies = tuple(dict.fromkeys(_policy_name(row) for _, row in rows.iterrows()))
    sources = tuple(dict.fromkeys(s for cell in rows["source"] for s in split_ids(cell)))
    return Finding(item, status, text, policies, sources, lowest(rows["confidence"]))


def _place(row) -> str:
    """Return one place of service as a sentence, with its note when the note flags something unverified."""
    note = f" ({row['note']})" if data.present(row["note"]) and _UNVERIFIED.search(row["note"]) else ""
    return f"POS {row['pos']} ({row['name']}), {row['pfs_rate']} rate: {row['what_changes']}{note}"


def _context(setting: str, product: str, diagnosis: str) -> tuple[Finding, Finding]:
    """Return the two lines that frame a checklist: the place of service and the product for the diagnosis."""
    places = data.load("site_of_service")
    places = places[places["pos"].isin(SETTINGS[setting])]
    where = " ".join(_place(row) for _, row in places.iterrows())
    drug = data.load("drugs").set_index("product").loc[product]
    if diagnosis == "blepharospasm":
        label = f"For blepharospasm it is {drug['blepharospasm_label']}: {drug['label_detail']}."
    else:
        label = HFS_LABEL_NOTES[drug["hfs_label"]]
    what = f"{product} ({drug['nonproprietary']}) is billed as {drug['hcpcs']}. {label}"
    return (Finding("Setting", "context", where, (), tuple(dict.fromkeys(s for c in places["source"] for s in split_ids(c))),
                    lowest(places["confidence"])),
            Finding("Product", "context", what, (), tuple(split_ids(drug["source"])), drug["confidence"]))


def checklist(payer: str, plan: str, setting: str, product: str, diagnosis: str = "blepharospasm") -> Checklist:
    """Return what a payer's plan needs for 64612 in a setting with a product, each line with its sources."""
    if plan not in plans(payer):
        raise ValueError(f"'{plan}' is not a {payer} plan in the course's data. Plans: {'; '.join(plans(payer))}.")
    if setting not in SETTINGS:
        raise ValueError(f"Unknown setting '{setting}'. Settings: {', '.join(SETTINGS)}.")
    if product not in products():
        raise ValueError(f"Unknown product '{product}'. Products: {', '.join(products())}.")
    if diagnosis not in DIAGNOSES:
        raise ValueError(f"Unknown diagnosis '{diagnosis}'. Diagnoses: {', '.join(DIAGNOSES)}.")
    family = _family(payer, plan)
    findings = tuple(_finding(item, requirements, family, setting, product, diagnosis) for item, requirements in ITEMS)
    return Checklist(payer, plan, setting, product, diagnosis, _context(setting, product, diagnosis), findings)


def _confidence_html(level: str) -> str:
    """Return a confidence cell: the word, and 'check before you bill' when it is not high."""
    if not level:
        return "no data: <strong>ask the payer</strong>"
    word = CONFIDENCE_WORDS[level]
    return word if level == "H" else f"{word}: <strong>check before you bill</strong>"


def checklist_html(result: Checklist) -> str:
    """Return a checklist as an HTML table with a sources column."""
    rows = "".join(
        f"<tr><th>{escape(f.item)}</th><td>{escape(STATUS_WORDS.get(f.status, f.status))}</td><td>{escape(f.text)}</td>"
        f"<td>{escape('; '.join(f.policies)) or '—'}</td><td>{escape('; '.join(f.sources)) or '—'}</td>"
        f"<td>{_confidence_html(f.confidence)}</td></tr>" for f in (*result.context, *result.findings))
    return (f'<div role="status"><p><strong>{escape(result.title)}</strong></p><table><thead><tr><th>item</th>'
            f"<th>status</th><th>what the data says</th><th>policy</th><th>sources</th><th>confidence</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def checklist_text(result: Checklist) -> str:
    """Return a checklist as plain text, one line per item."""
    lines = [result.title]
    for f in (*result.context, *result.findings):
        cited = f" [{'; '.join(f.sources)}]" if f.sources else ""
        flag = f" ({CONFIDENCE_WORDS[f.confidence]} confidence)" if f.confidence else ""
        lines.append(f"- {f.item} ({STATUS_WORDS.get(f.status, f.status)}): {f.text}{cited}{flag}")
    return "\n".join(lines)


class PayerChecklist:
    """Pick a payer, plan, setting, product and diagnosis; read what the payer needs, with citations."""

    def __init__(self):
        self.payer = dropdown("Payer", list(PAYERS), "Medicare")
        self.plan = dropdown("Plan", plans("Medicare"))
        self.setting = dropdown("Setting", list(SETTINGS), "office")
        self.product = dropdown("Product", products(), "Botox")
        self.diagnosis = dropdown("Diagnosis", list(DIAGNOSES), "blepharospasm")
        self.output = widgets.HTML()
        self.output.add_class("tool-output")
        self.payer.observe(lambda _: self._payer_changed(), names="value")
        for control in (self.plan, self.setting, self.product, self.diagnosis):
            control.observe(lambda _: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.payer, self.plan]),
                                 widgets.HBox([self.setting, self.product, self.diagnosis]), self.output])
        self.box.add_class("tool")
        self.update()

    def _payer_changed(self) -> None:
        """Offer the new payer's plans, then recompute."""
        self.plan.options = plans(self.payer.value)
        self.plan.value = self.plan.options[0]
        self.update()

    def update(self) -> None:
        """Recompute the checklist; a choice the data cannot answer gets a message, never a traceback."""
        try:
            result = checklist(self.payer.value, self.plan.value, self.setting.value, self.product.value,
                               self.diagnosis.value)
            self.output.value = checklist_html(result)
        except (ValueError, KeyError) as error:
            self.output.value = f'<p role="alert">{escape(str(error))}</p>'


MULTI_MAC = "Original Medicare (CGS, Noridian, Palmetto, NGS, WPS)"
CIGNA = "Cigna commercial (EviCore policies; link inferred)"
EXAMPLES = (("Medicare", MULTI_MAC, "hospital outpatient", "Botox", "blepharospasm"),
            ("Medicare", MULTI_MAC, "office", "Botox", "blepharospasm"),
            ("Medicare Advantage", "Any Medicare Advantage plan", "hospital outpatient", "Botox", "blepharospasm"),
            ("Aetna", "Aetna commercial", "office", "Myobloc", "blepharospasm"),
            ("Cigna", CIGNA, "office", "Xeomin", "hemifacial spasm"),
            ("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "ambulatory surgical center", "Botox", "blepharospasm"))
"""The worked examples shown when the notebook has not been run."""


def payer_checklist():
    """Return the 'what does this payer need?' form, with worked examples as its static face."""
    results = [checklist(*example) for example in EXAMPLES]
    intro = "What does this payer need? Worked examples (run the notebook to pick your own)"
    html = f"<p><strong>{escape(intro)}</strong></p>" + "".join(checklist_html(result) for result in results)
    text = "\n\n".join([intro, *(checklist_text(result) for result in results)])
    return LiveDisplay(PayerChecklist, Rendered(html, text))
