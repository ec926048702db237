"""Drug-line arithmetic: toxin units given and discarded, turned into HCPCS billing units with JW or JZ.

Rules (from data and its sources): units given are rounded up to whole billing units and units
discarded are rounded down; waste is billed on its own line with JW only when it reaches one billing
unit; with no waste the administered line carries JZ. Only single-dose vials may bill waste.
"""

import math
import re
from decimal import Decimal
from dataclasses import dataclass

from helpers import data


@dataclass(frozen=True)
class DrugUnits:
    """The drug lines for one session: billed units, waste, modifier and the working."""

    hcpcs: str
    product: str
    units_per_billing_unit: int
    dose: float
    vial_units: int
    vials: int
    billed: int
    discarded_units: float
    discarded: int
    lines: tuple[str, ...]
    steps: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def modifier(self) -> str:
        """Return JW when a waste line is billed, else JZ."""
        return "JW" if self.discarded else "JZ"


def _drug(product_or_code: str) -> dict:
    """Return the drugs-table row for a product name or HCPCS code (case-insensitive)."""
    drugs = data.load("drugs")
    key = str(product_or_code).strip().casefold()
    match = drugs[(drugs["hcpcs"].str.casefold() == key) | (drugs["product"].str.casefold() == key)]
    if match.empty:
        known = ", ".join(f"{r.product} ({r.hcpcs})" for r in drugs.itertuples())
        raise ValueError(f"'{product_or_code}' is not a botulinum-toxin product in the data. Choose one of: {known}.")
    return match.iloc[0].to_dict()


def vial_sizes(product_or_code: str) -> list[int]:
    """Return the vial sizes (toxin units) the data lists for a product."""
    drug = _drug(product_or_code)
    vials = data.load("vials")
    return sorted(int(units) for units in vials.loc[vials["hcpcs"] == drug["hcpcs"], "vial_units"])


def _number(value, name: str) -> float:
    """Return ``value`` as a positive number or raise ValueError naming the field."""
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise ValueError(f"The {name} must be a number of toxin units, such as 50; got '{value}'.") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"The {name} must be more than zero; got '{value}'.")
    return number


def billing_units(product: str, dose, vial, vials: int | None = None) -> DrugUnits:
    """Return the drug lines for ``dose`` toxin units given from ``vials`` single-dose vials of size ``vial``."""
    drug = _drug(product)
    dose, vial = _number(dose, "dose"), int(_number(vial, "vial size"))
    sizes = vial_sizes(drug["hcpcs"])
    if vial not in sizes:
        raise ValueError(f"{drug['product']} comes in vials of {', '.join(map(str, sizes))} units in the data, "
                         f"not {vial}.")
    vials = vials if vials is not None else math.ceil(dose / vial)
    opened = vial * vials
    if dose > opened:
        raise ValueError(f"A dose of {dose:g} units needs more than {vials} vial(s) of {vial} units.")
    per = int(drug["units_per_billing_unit"])
    billed = math.ceil(dose / per)
    discarded_units = opened - dose
    discarded = min(math.floor(discarded_units / per), opened // per - billed)
    return DrugUnits(drug["hcpcs"], drug["product"], per, dose, vial, vials, billed, discarded_units, discarded,
                     _lines(drug["hcpcs"], billed, discarded),
                     _steps(drug, dose, opened, billed, discarded_units, discarded),
                     tuple(s.strip() for s in drug["source"].split(";")))


def _lines(hcpcs: str, billed: int, discarded: int) -> tuple[str, ...]:
    """Return the claim lines: the administered line, and a JW line or JZ on the administered line."""
    if discarded:
        return (f"{hcpcs} x {billed}", f"{hcpcs}-JW x {discarded}")
    return (f"{hcpcs}-JZ x {billed}",)


def _steps(drug: dict, dose: float, opened: float, billed: int, discarded_units: float, discarded: int) -> tuple:
    """Return the working, one readable line per step."""
    per, code = int(drug["units_per_billing_unit"]), drug["hcpcs"]
    unit = "1 unit" if per == 1 else f"{per} units"
    steps = [f"{drug['product']} is billed with {code}; one billing unit is {unit} of toxin.",
             f"Given: {dose:g} units -> {dose:g} / {per} = {dose / per:g}, rounded up to {billed} billing units.",
             f"Opened: {opened:g} units; discarded: {opened:g} - {dose:g} = {discarded_units:g} units."]
    if discarded:
        steps.append(f"Discarded: {discarded_units:g} / {per} = {discarded_units / per:g}, rounded down to "
                     f"{discarded} billing units, billed on a separate line with JW.")
    else:
        steps.append("Less than one billing unit was discarded, so there is no JW line; JZ goes on the "
                     "administered line.")
    steps.append("This assumes single-dose vials; waste from multi-dose vials cannot be billed.")
    steps.append(_mue_step(code, billed))
    return tuple(steps)


def _mue_step(code: str, billed: int) -> str:
    """Return a line comparing the billed units with the practitioner MUE for the drug code."""
    mue = data.load("mue")
    row = mue[(mue["code"] == code) & (mue["ncci_setting"] == "practitioner")]
    if row.empty or not data.present(row.iloc[0]["mue"]):
        return f"No practitioner MUE for {code} in the data (check the current quarter)."
    limit, row = int(row.iloc[0]["mue"]), row.iloc[0]
    verdict = "within" if billed <= limit else "ABOVE"
    return (f"{billed} administered units are {verdict} the practitioner MUE of {limit} per day (MAI {row['mai']}, "
            f"effective {row['effective']:%Y-%m-%d}); whether JW units count toward it was not verified.")


NDC_SEGMENTS = (5, 4, 2)
"""The 11-digit NDC's segments (labeler, product, package) as claims carry it."""


def ndc_11(ndc: str) -> str:
    """Return an NDC in its 11-digit 5-4-2 form, zero-filling the one short segment of a 10-digit NDC."""
    parts = str(ndc).strip().split("-")
    shortfall = [size - len(part) for part, size in zip(parts, NDC_SEGMENTS)]
    if len(parts) != 3 or not all(re.fullmatch(r"[0-9]+", part) for part in parts) \
            or not all(gap in (0, 1) for gap in shortfall) or sum(shortfall) > 1:
        raise ValueError(f"'{ndc}' is not an NDC: write it with hyphens as printed, such as 0023-1145-01 or "
                         "00023-1145-01.")
    return "-".join(part.zfill(size) for part, size in zip(parts, NDC_SEGMENTS))


def ndc_item(ndc: str, dose) -> str:
    """Return the NDC part of a toxin's drug line: N4, the 11 digits, then UN and the units given."""
    units = Decimal(str(_number(dose, "dose"))).normalize()
    return f"N4{ndc_11(ndc).replace('-', '')} UN{units:f}"
