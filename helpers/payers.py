"""The payer landscape for 64612: policies side by side, a requirements matrix, and a payer checklist.

Everything is read from ``data/payer_policies.csv`` (one requirement of one policy per row),
``data/payer_limits.csv`` (the numbers inside those policies), ``data/lcds.csv``, ``data/macs.csv``,
``data/benchmarks.csv``, ``data/site_of_service.csv`` and ``data/drugs.csv``. ``checklist()`` answers
"what does this payer need?" for a payer, plan, setting and product; ``payer_checklist()`` shows it as
a live form (CSS classes ``tool`` and ``tool-output``) whose static face is a set of worked examples.
"""

import re
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from helpers import data
from helpers.interactive import LiveDisplay, _dropdown
from helpers.schema import split_ids
from helpers.show import CONFIDENCE_WORDS, Rendered, table

PAYERS = ("Medicare", "Aetna", "Blue Cross Blue Shield", "Cigna", "UnitedHealthcare")
REQUIREMENTS = ("prior authorization", "retreatment interval", "dose limit", "preferred products", "step therapy",
                "documentation", "exclusions", "guidance", "covered uses", "approval length")
"""Every requirement a policy row can state, in the order the course shows them."""
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
                "other product": "only for another product", "not in the data": "not in the course's data"}
RANK = {"L": 0, "M": 1, "H": 2}
_QUALIFIED = re.compile(r"^(?P<base>.+), (?P<setting>" + "|".join(SETTINGS) + r")$")


def _text(value) -> str:
    """Return a cell as text ('' for a missing cell)."""
    return str(value) if data.present(value) else ""


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
        if re.search(rf"\b{re.escape(product)}\b", _text(title)):
            return product
    return None


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
                            key=lambda c: c.map(first_seen) if c.name == "policy" else c.map(REQUIREMENTS.index))
    return rows[["plan", "policy", "effective", "requirement", "value", "detail", "source", "confidence"]].reset_index(drop=True)


def policy_events() -> pd.DataFrame:
    """Return the dated payer-policy events from the timeline: prior authorization, LCDs, billing articles."""
    timeline = data.load("timeline")
    chosen = timeline["event"].str.contains(r"prior[ -]authorization|LCD|billing article", case=False)
    return timeline[chosen][["date", "event", "source", "confidence"]].reset_index(drop=True)


def requirements_matrix() -> pd.DataFrame:
    """Return policies x requirements: the row's confidence (H/M/L) where the data states it, '' where not."""
    policies = data.load("payer_policies")
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
    """Return each policy's interval rules with the value converted to weeks (months x 52/12)."""
    frame = limits("retreatment interval")
    frame = frame[frame["measure"].str.contains("interval") & frame["unit"].isin(list(WEEKS_PER))].copy()
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
    return frame[["payer", "policy", "measure", "applies_to", "limit", "source", "confidence"]].reset_index(drop=True)


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


def contractor(state: str) -> pd.DataFrame:
    """Return the Medicare A/B jurisdiction(s) whose state list includes ``state`` (a two-letter code)."""
    macs = data.load("macs")
    wanted = state.strip().upper()
    found = macs[macs["states"].map(lambda cell: wanted in [part.strip().upper() for part in cell.split(";")])]
    if found.empty:
        raise ValueError(f"No jurisdiction in data/macs.csv lists '{state}'. Use a two-letter code such as TX.")
    return found[["jurisdiction", "mac", "states", "source", "confidence", "note"]].reset_index(drop=True)


def local_policies(jurisdiction: str) -> pd.DataFrame:
    """Return the LCDs and articles the data links to a jurisdiction, by number or by contractor name."""
    macs = data.load("macs").set_index("jurisdiction")
    if jurisdiction not in macs.index:
        raise ValueError(f"No jurisdiction '{jurisdiction}' in data/macs.csv.")
    short = _short_mac(macs.loc[jurisdiction, "mac"])
    lcds = data.load("lcds")

    def linked(row) -> bool:
        listed = [part.strip() for part in _text(row["jurisdictions"]).split(";") if part.strip()]
        return jurisdiction in listed if listed else re.search(rf"\b{re.escape(short)}\b", row["mac"]) is not None

    found = lcds[lcds.apply(linked, axis=1)]
    return found[["document", "kind", "mac", "title", "status", "effective", "confidence", "note"]].reset_index(drop=True)


# ---- What to check before billing ----------------------------------------------------------

_UNVERIFIED = re.compile(r"not (re-)?verified|unverified|not found|not captured|not checked|inference", re.I)


def _why(notes, level: str, others=()) -> str:
    """Return the notes that explain a flag (all notes when low; others only when they say 'not verified')."""
    kept = [_text(n) for n in notes if _text(n) and (level == "L" or _UNVERIFIED.search(_text(n)))]
    if not kept:
        kept = [_text(o) for o in others if _text(o) and _UNVERIFIED.search(_text(o))]
    kept = list(dict.fromkeys(kept))
    return " ".join(kept) or {"M": "Medium confidence: read from a copy or a secondary source.",
                              "L": "Low confidence: a single third-party page."}.get(level, "")


def to_check() -> pd.DataFrame:
    """Return the payer facts to check before billing: every policy, LCD and jurisdiction flagged M or L."""
    rows = []
    for key, group in data.load("payer_policies").groupby(["payer", "plan", "policy"], sort=False):
        level = lowest(group["confidence"])
        if level in ("L", "M"):
            rows.append({"table": "payer_policies", "item": policy_label(*key), "confidence": level,
                         "why to check": _why(group["note"], level, group["detail"])})
    for _, row in data.load("lcds").iterrows():
        if row["confidence"] in ("L", "M"):
            rows.append({"table": "lcds", "item": f"{row['document']} ({row['mac']})", "confidence": row["confidence"],
                         "why to check": _why([row["note"]], row["confidence"], [row["status"]])})
    for _, row in data.load("macs").iterrows():
        if row["confidence"] in ("L", "M"):
            rows.append({"table": "macs", "item": f"{row['jurisdiction']}: {row['mac']}",
                         "confidence": row["confidence"], "why to check": _why([row["note"]], row["confidence"])})
    frame = pd.DataFrame(rows)
    return frame.sort_values("confidence", key=lambda c: c.map(RANK), kind="stable").reset_index(drop=True)


def gathered():
    """Return the date the course read the undated pages it cites: the newest 'as of' date in sources.csv.

    Older 'as of' dates belong to archived snapshots (a CMS page saved in 2012, for example).
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
    """What one payer's plan needs for a 64612 session in one setting with one product."""

    payer: str
    plan: str
    setting: str
    product: str
    context: tuple[Finding, ...]
    findings: tuple[Finding, ...]

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
    """Return the policy rows that belong to a plan, including rows limited to one setting of it."""
    policies = data.load("payer_policies")
    mine = policies[policies["payer"] == payer]
    belongs = mine["plan"].map(lambda name: name == plan or (setting_of(name) is not None and plan.startswith(_base(name))))
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
                         f"{product} is not on the preferred list: check what the plan needs before using it.")
        elif row["requirement"] == "step therapy":
            notes.append(f"This rule names {product}." if named else f"This rule does not name {product}.")
    return " ".join(notes)


def _finding(item: str, requirements, family: pd.DataFrame, setting: str, product: str) -> Finding:
    """Return the finding for one item: the rows that apply, else why none do."""
    rows = family[family["requirement"].isin(requirements)]
    settings = rows["plan"].map(setting_of)
    made_for = rows["title"].map(product_of)
    applies = rows[(settings.isna() | (settings == setting)) & (made_for.isna() | (made_for == product))]
    if not applies.empty:
        text = " ".join(_sentence(row) for _, row in applies.iterrows())
        text = " ".join(part for part in (text, _product_note(requirements, applies, product)) if part)
        return _from_rows(item, "stated", text, applies)
    elsewhere = rows[settings.notna() & (settings != setting)]
    if not elsewhere.empty:
        row = elsewhere.iloc[0]
        text = (f"Does not apply to a claim from the {setting}: the {row['policy']} covers "
                f"{setting_of(row['plan'])} claims only ({row['value']}).")
        return _from_rows(item, "not in this setting", text, elsewhere)
    other = rows[made_for.notna() & (made_for != product)]
    if not other.empty:
        row = other.iloc[0]
        text = (f"The data has this only in {row['policy']}, which is for {product_of(row['title'])}: "
                f"{row['value']}. Check the plan's policy for {product}.")
        return _from_rows(item, "other product", text, other)
    return Finding(item, "not in the data", "Not stated in the course's data for this plan: check the plan's current policy.")


def _from_rows(item: str, status: str, text: str, rows: pd.DataFrame) -> Finding:
    """Return a finding that cites the given policy rows."""
    policies = tuple(dict.fromkeys(_policy_name(row) for _, row in rows.iterrows()))
    sources = tuple(dict.fromkeys(s for cell in rows["source"] for s in split_ids(cell)))
    return Finding(item, status, text, policies, sources, lowest(rows["confidence"]))


def _context(setting: str, product: str) -> tuple[Finding, Finding]:
    """Return the two lines that frame a checklist: the place of service and the product."""
    places = data.load("site_of_service")
    places = places[places["pos"].isin(SETTINGS[setting])]
    where = " ".join(f"POS {row['pos']} ({row['name']}), {row['pfs_rate']} rate: {row['what_changes']}"
                     for _, row in places.iterrows())
    drug = data.load("drugs").set_index("product").loc[product]
    what = (f"{product} ({drug['nonproprietary']}) is billed as {drug['hcpcs']}. For blepharospasm it is "
            f"{drug['blepharospasm_label']}: {drug['label_detail']}.")
    return (Finding("Setting", "context", where, (), tuple(dict.fromkeys(s for c in places["source"] for s in split_ids(c))),
                    lowest(places["confidence"])),
            Finding("Product", "context", what, (), tuple(split_ids(drug["source"])), drug["confidence"]))


def checklist(payer: str, plan: str, setting: str, product: str) -> Checklist:
    """Return what a payer's plan needs for 64612 in a setting with a product, each line with its sources."""
    if plan not in plans(payer):
        raise ValueError(f"'{plan}' is not a {payer} plan in the course's data. Plans: {'; '.join(plans(payer))}.")
    if setting not in SETTINGS:
        raise ValueError(f"Unknown setting '{setting}'. Settings: {', '.join(SETTINGS)}.")
    if product not in products():
        raise ValueError(f"Unknown product '{product}'. Products: {', '.join(products())}.")
    family = _family(payer, plan)
    findings = tuple(_finding(item, requirements, family, setting, product) for item, requirements in ITEMS)
    return Checklist(payer, plan, setting, product, _context(setting, product), findings)


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
    title = f"{result.payer}, {result.plan} · {result.setting} · {result.product}"
    return (f'<div role="status"><p><strong>{escape(title)}</strong></p><table><thead><tr><th>item</th><th>status</th>'
            f"<th>what the data says</th><th>policy</th><th>sources</th><th>confidence</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def checklist_text(result: Checklist) -> str:
    """Return a checklist as plain text, one line per item."""
    lines = [f"{result.payer}, {result.plan} · {result.setting} · {result.product}"]
    for f in (*result.context, *result.findings):
        cited = f" [{'; '.join(f.sources)}]" if f.sources else ""
        flag = f" ({CONFIDENCE_WORDS[f.confidence]} confidence)" if f.confidence else ""
        lines.append(f"- {f.item} ({STATUS_WORDS.get(f.status, f.status)}): {f.text}{cited}{flag}")
    return "\n".join(lines)


class PayerChecklist:
    """Pick a payer, plan, setting and product; read what the payer needs, with citations."""

    def __init__(self):
        self.payer = _dropdown("Payer", list(PAYERS), "Medicare")
        self.plan = _dropdown("Plan", plans("Medicare"))
        self.setting = _dropdown("Setting", list(SETTINGS), "office")
        self.product = _dropdown("Product", products(), "Botox")
        self.output = widgets.HTML()
        self.output.add_class("tool-output")
        self.payer.observe(lambda _: self._payer_changed(), names="value")
        for control in (self.plan, self.setting, self.product):
            control.observe(lambda _: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.payer, self.plan]), widgets.HBox([self.setting, self.product]),
                                 self.output])
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
            result = checklist(self.payer.value, self.plan.value, self.setting.value, self.product.value)
            self.output.value = checklist_html(result)
        except (ValueError, KeyError) as error:
            self.output.value = f'<p role="alert">{escape(str(error))}</p>'


EXAMPLES = (("Medicare", "Original Medicare (five MACs)", "hospital outpatient", "Botox"),
            ("Medicare", "Original Medicare (five MACs)", "office", "Botox"),
            ("Aetna", "Aetna commercial", "office", "Myobloc"),
            ("Cigna", "Cigna (reviews by EviCore by Evernorth)", "office", "Xeomin"),
            ("Blue Cross Blue Shield", "Blue Cross NC (commercial)", "ambulatory surgical center", "Botox"))
"""The worked examples shown when the notebook has not been run."""


def payer_checklist():
    """Return the 'what does this payer need?' form, with worked examples as its static face."""
    results = [checklist(*example) for example in EXAMPLES]
    intro = "What does this payer need? Worked examples (run the notebook to pick your own)"
    html = f"<p><strong>{escape(intro)}</strong></p>" + "".join(checklist_html(result) for result in results)
    text = "\n\n".join([intro, *(checklist_text(result) for result in results)])
    return LiveDisplay(PayerChecklist, Rendered(html, text))
