"""Answers that point into the data instead of repeating a number: ``{table: ..., where: ..., column: ...}``.

A quiz's numeric answer may be a reference, so when ``data/`` changes the quiz changes with it:

- ``{table: mue, where: {code: "64612", ncci_setting: practitioner}, column: mue}`` looks up one cell;
- ``{payment: {code: "64612", date_of_service: "2026-03-02", place: "11", modifiers: ["50"]}, field: allowed}``
  computes a Medicare payment with ``helpers.fees``;
- ``{drug_units: {hcpcs: J0586, dose: 120, vial: 300}, field: billed}`` computes drug billing units
  with ``helpers.drugs``;
- ``{drug_payment: {product: Botox, dose: 30, vial: 100, date_of_service: "2026-03-02"}, field: total}`` computes
  the toxin's Medicare payment with ``helpers.costs``.
"""

from decimal import Decimal

from helpers import costs, data, drugs, fees


def _table(spec: dict) -> Decimal:
    """Return the one cell a table reference selects."""
    frame = data.load(spec["table"])
    for column, value in spec.get("where", {}).items():
        if column not in frame.columns:
            raise ValueError(f"table '{spec['table']}' has no column '{column}'")
        frame = frame[frame[column].astype(str) == str(value)]
    if len(frame) != 1:
        raise ValueError(f"the reference selects {len(frame)} rows of '{spec['table']}', not exactly one")
    if spec["column"] not in frame.columns:
        raise ValueError(f"table '{spec['table']}' has no column '{spec['column']}'")
    return Decimal(str(frame.iloc[0][spec["column"]]))


def _payment(spec: dict) -> Decimal:
    """Return one field of a Medicare payment computed by helpers.fees (the spec's keys are its parameter names)."""
    result = fees.medicare_payment(**spec["payment"])
    return Decimal(getattr(result, spec.get("field", "allowed")))


def _drug_units(spec: dict) -> Decimal:
    """Return one field of a drug-unit calculation computed by helpers.drugs."""
    result = drugs.billing_units(**spec["drug_units"])
    return Decimal(getattr(result, spec.get("field", "billed")))


def _drug_payment(spec: dict) -> Decimal:
    """Return one field of a drug payment computed by helpers.costs (total, patient or medicare)."""
    result = costs.drug_payment(**spec["drug_payment"])
    return Decimal(getattr(result, spec.get("field", "total")))


KINDS = {"table": _table, "payment": _payment, "drug_units": _drug_units, "drug_payment": _drug_payment}


def resolve(spec) -> Decimal:
    """Return the number a reference points to; a plain number is returned as it is."""
    if not isinstance(spec, dict):
        return Decimal(str(spec))
    kinds = [kind for kind in KINDS if kind in spec]
    if len(kinds) != 1:
        raise ValueError(f"a reference needs exactly one of {', '.join(KINDS)}; got {sorted(spec)}")
    try:
        return KINDS[kinds[0]](spec)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"incomplete {kinds[0]} reference: {error}") from None
