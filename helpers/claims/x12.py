"""ASC X12 837P (5010, 005010X222A1): the professional claim file billing systems export, read and written.

``read(text)`` returns one claim dict per 2300 loop, read with pyx12 (the file is also validated against the
837P map, and its errors become one ``ClaimError``). ``write(claims)`` returns an 837P interchange for claims,
with fictional submitter, provider and patient identifiers: the course never holds real ones.
What the 837P cannot carry (prior treatments, where the drug came from) is left out of it.
"""

import io
import logging
import re
from datetime import date

import pyx12.error_handler
import pyx12.params
import pyx12.x12context
import pyx12.x12n_document

from helpers import data
from helpers.claims.model import PAYER_KEYS, Claim, ClaimError

IMPLEMENTATION = "005010X222A1"
SBR_MEDICARE_B = "MB"
SBR_COMMERCIAL = "CI"
FICTIONAL = {"submitter": "COURSE64612", "receiver": "PAYER64612", "npi": "1234567893", "tax_id": "123456789",
             "member": "FICTIONAL01", "dob": "19500101"}
"""Identifiers for generated files: the NPI is the standard test number; none belongs to anyone."""
PAYER_NAMES = {key: (name or "OTHER PAYER").upper() for key, name in PAYER_KEYS.items()}


def _segment(*elements) -> str:
    """Return one segment: elements joined by '*', ending with '~'."""
    return "*".join(str(element) for element in elements).rstrip("*") + "~"


def _ndc(code: str) -> str | None:
    """Return the 11-digit NDC the data holds for a drug code (its first vial with one), or None."""
    vials = data.load("vials")
    found = vials.loc[(vials["hcpcs"] == code) & vials["ndc"].map(data.present), "ndc"]
    return found.iloc[0].replace("-", "") if not found.empty else None


def _service(line, day: date) -> list[str]:
    """Return the 2400 loop of one service line (with its 2410 drug loop when the dose and an NDC are known)."""
    procedure = ":".join(("HC", line.code, *line.modifiers))
    pointers = ":".join(str(p) for p in line.diagnosis_pointers) or "1"
    charge = f"{line.charge:.2f}".rstrip("0").rstrip(".") if line.charge is not None else "0"
    segments = [_segment("LX", line.number), _segment("SV1", procedure, charge, "UN", line.units, "", "", pointers),
                _segment("DTP", "472", "D8", f"{day:%Y%m%d}")]
    ndc = _ndc(line.code) if line.dose_administered is not None else None
    if ndc:
        segments += [_segment("LIN", "", "N4", ndc), _segment("CTP", "", "", "", f"{line.dose_administered:g}", "UN")]
    return segments


def _claim_loop(claim: Claim, number: int) -> list[str]:
    """Return the subscriber and claim loops (2000B to 2400) of one claim."""
    medicare = claim.payer == "medicare"
    diagnoses = [f"{'ABK' if i == 0 else 'ABF'}:{code.replace('.', '')}" for i, code in enumerate(claim.diagnoses)]
    total = sum(line.charge or 0 for line in claim.lines)
    segments = [_segment("HL", number + 1, 1, 22, 0),
                _segment("SBR", "P", 18, "", "", "", "", "", "", SBR_MEDICARE_B if medicare else SBR_COMMERCIAL),
                _segment("NM1", "IL", 1, "PATIENT", f"FICTIONAL{number}", "", "", "", "MI", FICTIONAL["member"]),
                _segment("N3", "1 EXAMPLE ST"), _segment("N4", "ANYTOWN", "TX", "75001"),
                _segment("DMG", "D8", FICTIONAL["dob"], "F"),
                _segment("NM1", "PR", 2, PAYER_NAMES[claim.payer], "", "", "", "", "PI", "PAYER" + claim.payer.upper()),
                _segment("CLM", claim.id or f"CLAIM{number}", f"{total:.2f}".rstrip("0").rstrip("."), "", "",
                         f"{claim.place_of_service}:B:1", "Y", "A", "Y", "Y")]
    hospital_medicare = medicare and claim.place_of_service in ("19", "22")
    if claim.prior_authorization and not hospital_medicare:  # Medicare's OPD number is on the hospital's claim
        segments.append(_segment("REF", "G1", "AFFIRMED"))
    segments.append(_segment("HI", *diagnoses))
    for line in claim.lines:
        segments += _service(line, claim.date_of_service)
    return segments


def write(claims, when: date = date(2026, 1, 1)) -> str:
    """Return an 837P interchange holding the claims (Claim objects), one subscriber loop each."""
    body = [_segment("ST", "837", "0001", IMPLEMENTATION), _segment("BHT", "0019", "00", "0001", f"{when:%Y%m%d}",
                                                                    "1200", "CH"),
            _segment("NM1", 41, 2, "COURSE PRACTICE", "", "", "", "", 46, FICTIONAL["submitter"]),
            _segment("PER", "IC", "BILLING OFFICE", "EM", "billing@example.org"),
            _segment("NM1", 40, 2, "COURSE PAYER", "", "", "", "", 46, FICTIONAL["receiver"]),
            _segment("HL", 1, "", 20, 1),
            _segment("NM1", 85, 2, "COURSE PRACTICE", "", "", "", "", "XX", FICTIONAL["npi"]),
            _segment("N3", "1 EXAMPLE ST"), _segment("N4", "ANYTOWN", "TX", "750010000"),
            _segment("REF", "EI", FICTIONAL["tax_id"])]
    for number, claim in enumerate(claims, start=1):
        body += _claim_loop(claim, number)
    body.append(_segment("SE", len(body) + 1, "0001"))
    stamp = f"{when:%y%m%d}"
    isa = (f"ISA*00*{'':10}*00*{'':10}*ZZ*{FICTIONAL['submitter']:<15}*ZZ*{FICTIONAL['receiver']:<15}*{stamp}*1200*^"
           "*00501*000000001*0*T*:~")
    return "\n".join([isa, _segment("GS", "HC", FICTIONAL["submitter"], FICTIONAL["receiver"], f"{when:%Y%m%d}",
                                    "1200", 1, "X", IMPLEMENTATION), *body, _segment("GE", 1, 1),
                      _segment("IEA", 1, "000000001")]) + "\n"


class _Collect(logging.Handler):
    """Keep the messages pyx12 logs while it validates a file."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record) -> None:
        """Keep one message, without pyx12's object addresses."""
        self.messages.append(re.sub(r'"<[^>]*>" ', "", record.getMessage()))


def problems(text: str) -> list[str]:
    """Return what makes a text not a valid 837P (an empty list when pyx12 validates it against the map)."""
    if not text.lstrip().startswith("ISA"):
        return ["not an X12 file: an interchange starts with an ISA segment"]
    logger, collect = logging.getLogger("pyx12"), _Collect()
    logger.addHandler(collect)
    try:
        valid = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), None, io.StringIO())
    except Exception as error:  # noqa: BLE001 (pyx12 raises many kinds of error on a broken file)
        return [f"not a readable X12 interchange ({type(error).__name__}: {error})"]
    finally:
        logger.removeHandler(collect)
    if valid:
        return []
    return [f"not a valid 837P (005010X222A1): {message}" for message in dict.fromkeys(collect.messages)][:5] or \
        ["not a valid 837P (005010X222A1)"]


def _modifiers(composite: str) -> tuple[str, list[str]]:
    """Return the code and modifiers of an SV101 composite such as HC:64612:RT."""
    parts = composite.split(":")
    return parts[1] if len(parts) > 1 else "", [part for part in parts[2:] if part]


def _payer(sbr: str, name: str) -> str:
    """Return the claim's payer key from the subscriber's claim filing indicator and the payer's name."""
    if sbr == SBR_MEDICARE_B:
        return "medicare"
    return next((key for key, shown in PAYER_NAMES.items() if shown == (name or "").upper()), "other")


def _service_line(loop) -> dict:
    """Return one 2400 loop as a claim line dict."""
    code, modifiers = _modifiers(loop.get_value("SV101") or "")
    line = {"code": code, "modifiers": modifiers, "units": _number(loop.get_value("SV104"))}
    pointers = [p for p in (loop.get_value("SV107") or "").split(":") if p]
    if pointers:
        line["diagnosis_pointers"] = [_number(p) for p in pointers]
    charge = _number(loop.get_value("SV102"))
    if charge:
        line["charge"] = charge
    for drug in loop.select("2410"):
        dose = _number(drug.get_value("CTP04"))
        if dose:
            line["dose_administered"] = dose
    return line


def _number(text):
    """Return a number from X12 text (whole when it is whole), or the text itself when it is not a number."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    return int(value) if value.is_integer() else value


def _x12_date(text: str | None) -> str | None:
    """Return a CCYYMMDD date as YYYY-MM-DD."""
    text = (text or "").split("-")[0]  # RD8 ranges: the first day
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 else text


def _claim(subscriber, loop) -> dict:
    """Return one 2300 loop (with its subscriber's payer) as a claim dict."""
    payer_name = next((nm1.get_value("NM103") for nm1 in subscriber.select("2010BB")), "")
    lines = [_service_line(service) for service in loop.select("2400")]
    dates = [d.get_value("DTP03") for service in loop.select("2400") for d in service.select("DTP")
             if d.get_value("DTP01") == "472"]
    diagnoses = []
    for hi in loop.select("HI"):
        for index in range(1, 13):
            value = hi.get_value(f"HI{index:02d}-2")
            if value:
                diagnoses.append(value[:3] + ("." + value[3:] if len(value) > 3 else ""))
    claim = {"id": loop.get_value("CLM01") or "", "payer": _payer(subscriber.get_value("SBR09"), payer_name),
             "drug_source": "unknown",
             "date_of_service": _x12_date(dates[0]) if dates else None,
             "place_of_service": (loop.get_value("CLM05-1") or ""), "diagnoses": diagnoses, "lines": lines}
    if any(ref.get_value("REF01") == "G1" for ref in loop.select("REF")):
        claim["prior_authorization"] = True
    return claim


def read(text: str, where: str = "The file") -> list[dict]:
    """Return one claim dict per 2300 loop of an 837P, or raise ClaimError saying why the file is not one."""
    found = problems(text)
    if found:
        raise ClaimError(found, where)
    claims = []
    reader = pyx12.x12context.X12ContextReader(pyx12.params.params(), pyx12.error_handler.errh_null(),
                                               io.StringIO(text))
    with reader:
        for subscriber in reader.iter_segments("2000B"):
            claims += [_claim(subscriber, loop) for loop in subscriber.select("2300")]
    if not claims:
        raise ClaimError(["the 837P holds no claim (no 2300 loop)"], where)
    return claims
