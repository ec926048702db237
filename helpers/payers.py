"""The payer landscape for 64612: policies side by side, limits and intervals, Medicare contractors, what to check.

Everything is read from ``data/payer_policies.csv`` (one requirement of one policy per row),
``data/payer_limits.csv`` (the numbers inside those policies), ``data/lcds.csv``, ``data/macs.csv``,
``data/benchmarks.csv`` and ``data/drugs.csv``. What one plan needs for one session is ``helpers.checklist``;
its live form is ``helpers.tools.payer_checklist``.
"""

import re

import pandas as pd

from helpers import data
from helpers.formatting import CONFIDENCE_RANK, amount, lowest
from helpers.schema import split_ids
from helpers.tables import CARE_SETTINGS, NOT_CAPTURED, PAYERS, REQUIREMENTS

ALL_REQUIREMENTS = (*REQUIREMENTS, NOT_CAPTURED)
MULTI_MAC = "Original Medicare (CGS, Noridian, Palmetto, NGS, WPS)"
"""The plan name under which the data holds the multi-contractor LCD's criteria."""
CIGNA = "Cigna commercial (EviCore policies; link inferred)"
"""The plan name under which the data holds the EviCore policies the course links to Cigna."""
_QUALIFIED = re.compile(r"^(?P<base>.+), (?P<care_setting>" + "|".join(CARE_SETTINGS) + r")$")


def care_setting_of(plan: str) -> str | None:
    """Return the setting a plan name is limited to ('Original Medicare, hospital outpatient'), or None."""
    found = _QUALIFIED.match(plan)
    return found.group("care_setting") if found else None


def base_plan(plan: str) -> str:
    """Return a plan name without its setting qualifier."""
    found = _QUALIFIED.match(plan)
    return found.group("base") if found else plan


def policy_codes(cell) -> list[str]:
    """Return the HCPCS codes a policy row's ``hcpcs`` cell limits it to ([] when it names none)."""
    return split_ids(data.cell_text(cell))


def products() -> list[str]:
    """Return the botulinum-toxin products the course's data knows, in data order."""
    return list(data.load("drugs")["product"])


def product_of(title: str, names=None) -> str | None:
    """Return the product a policy is limited to, when its title names one (e.g. 'Dysport (...)')."""
    for product in names or products():
        if re.search(rf"\b{re.escape(product)}\b", data.cell_text(title)):
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
    return list(dict.fromkeys(name for name in names if care_setting_of(name) is None))


def policy_label(plan: str, policy: str) -> str:
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
        rows = rows[rows["plan"].map(lambda name: name == plan or base_plan(name) == plan)]
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
    labels = [policy_label(plan, policy) for plan, policy in zip(listed["plan"], listed["policy"])]
    matrix = pd.DataFrame("", index=pd.Index(labels, name="policy"), columns=list(REQUIREMENTS))
    for _, row in policies.iterrows():
        matrix.loc[policy_label(row["plan"], row["policy"]), row["requirement"]] = row["confidence"]
    return matrix


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


def limits(requirement: str | None = None) -> pd.DataFrame:
    """Return the numbers inside payer policies, optionally for one requirement."""
    frame = data.load("payer_limits")
    return frame if requirement is None else frame[frame["requirement"] == requirement].reset_index(drop=True)


WEEKS_PER = {"weeks": 1.0, "months": 52 / 12, "days": 1 / 7}


def intervals() -> pd.DataFrame:
    """Return each policy's minimum interval between treatments, converted to weeks (months x 52/12)."""
    frame = limits("retreatment interval")
    frame = frame[frame["measure"].str.startswith("minimum interval") & frame["unit"].isin(list(WEEKS_PER))].copy()
    frame["policy"] = [policy_label(plan, policy) for plan, policy in zip(frame["plan"], frame["policy"])]
    frame["weeks"] = (frame["value"] * frame["unit"].map(WEEKS_PER)).round(1)
    shown = ["payer", "policy", "measure", "applies_to", "value", "unit", "weeks", "source", "confidence"]
    return frame[shown].reset_index(drop=True)


def limit_table(payer: str | None = None, requirement: str | None = None) -> pd.DataFrame:
    """Return the numbers inside payer policies for display: policy, measure, applies to, limit, source."""
    frame = limits(requirement)
    if payer is not None:
        frame = frame[frame["payer"] == payer]
    frame = frame.assign(limit=[amount(v, u) for v, u in zip(frame["value"], frame["unit"])])
    shown = ["payer", "policy", "measure", "applies_to", "limit", "source", "confidence", "note"]
    return frame[shown].reset_index(drop=True)


def interval_table() -> pd.DataFrame:
    """Return the interval rules the interval chart draws, with the rule as written and in weeks."""
    frame = intervals()
    return pd.DataFrame({"policy": frame["policy"], "measure": frame["measure"], "applies to": frame["applies_to"],
                         "rule": [amount(v, u) for v, u in zip(frame["value"], frame["unit"])],
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


def states() -> list[str]:
    """Return every state or territory code a Medicare jurisdiction in the data covers (all or part of), sorted."""
    codes = {part.strip()[:2] for cell in data.load("macs")["states"] for part in cell.split(";") if part.strip()}
    return sorted(codes)


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
        listed = [part.strip() for part in data.cell_text(row["jurisdictions"]).split(";") if part.strip()]
        return jurisdiction in listed if listed else re.search(rf"\b{re.escape(short)}\b", row["mac"]) is not None

    found = lcds[lcds.apply(linked, axis=1)]
    shown = ["document", "kind", "mac", "title", "status", "effective", "confidence", "note"]
    return found[shown].reset_index(drop=True)


# ---- What to check before billing ----------------------------------------------------------

UNVERIFIED = re.compile(r"not (?:re-)?verified|unverified|not found|not captured|not checked|not read|inference|"
                         r"inferred|replaced|superseded|retired", re.IGNORECASE)
GENERIC_WHY = {"M": "Medium confidence: read from a copy or a secondary source.",
               "L": "Low confidence: a single third-party page or the course's inference."}


def _why(texts, level: str) -> str:
    """Return why a row is flagged: its own notes and status, else a generic line for its confidence."""
    kept = list(dict.fromkeys(data.cell_text(t) for t in texts if data.cell_text(t)))
    return " ".join(kept) or GENERIC_WHY.get(level, "")


def _flagged(level: str, texts) -> bool:
    """Return True when a row is medium or low confidence, or its text says it is unverified or superseded."""
    return level in ("L", "M") or any(UNVERIFIED.search(data.cell_text(t)) for t in texts)


def to_check() -> pd.DataFrame:
    """Return the payer facts to check before billing: rows flagged M or L, or marked unverified or superseded."""
    rows = []
    for key, group in data.load("payer_policies").groupby(["payer", "plan", "policy"], sort=False):
        level = lowest(group["confidence"])
        flagged_details = [d for d in group["detail"] if UNVERIFIED.search(data.cell_text(d))]
        texts = [*group["note"], *flagged_details]
        if _flagged(level, texts):
            rows.append({"table": "payer_policies", "item": policy_label(*key[1:]), "confidence": level,
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
    return frame.sort_values("confidence", key=lambda c: c.map(CONFIDENCE_RANK), kind="stable").reset_index(drop=True)
