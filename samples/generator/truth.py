"""Expected findings (the campaign rules of shanxi-2024 applied to a plan) and the truth JSON.

The findings are derived from what the plan prints and stamps, not from the defect the plan was
drawn for, so a plan that accidentally shows two defects gets both. Rules, as the pipeline
applies them:

certificate  required fields document_number, issuing_authority, construction_unit, project_name,
             acceptance_conclusion, issue_date; conclusion 不合格; issue_date after the deadline;
             文号 year != issue_date year (invalid_field); construction_unit != folder institution;
             required seals: issuing authority + the folder institution's roster sponsor.
report       required institution_name, contact_person, contact_phone, report_date, areas_covered,
             hazards_found, hazards_rectified; report_date after the deadline; fewer than six areas;
             found > rectified; institution_name != folder; required seal: the folder institution's own.
seals        per required role: a complete seal naming the body -> met; else a partial one (cut by the
             page edge) -> seal_partial; else any organisation seal (round/oval) not naming a required
             body, or a special-purpose seal (财务专用章 ...) -> seal_mismatch; else missing_seal.
             Square personal name seals never count as organisation seals. Grey seals (copies,
             greyscale scans) count like red ones.
batch        the same bytes again (second key in sorted order) -> duplicate_submission (info);
             extension says another type than the bytes -> media_type_mismatch (info);
             unreadable files -> exactly ["unreadable"], status failed.
status       failed if unreadable; flagged if any finding other than the two info codes; else passed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from records.models import FINDING_CODES
from samples.generator import texts as T
from samples.generator.documents import CERT, DEADLINE, REPORT, DocPlan, SealPlan

FINDING_ORDER = FINDING_CODES  # the contract's closed vocabulary, in its order
INFO_CODES = {"duplicate_submission", "media_type_mismatch"}
DOC_TYPES = (CERT, REPORT, "unknown")
AREA_CODES = (
    "ideology",
    "school_conditions",
    "campus_safety",
    "internship_training",
    "food_hygiene",
    "other",
)
CATEGORIES = ("technical_school", "training_institution", "evaluation_institution")

CERT_REQUIRED = (
    "document_number",
    "issuing_authority",
    "construction_unit",
    "project_name",
    "acceptance_conclusion",
    "issue_date",
)
REPORT_REQUIRED = (
    "institution_name",
    "contact_person",
    "contact_phone",
    "report_date",
    "areas_covered",
    "hazards_found",
    "hazards_rectified",
)
FIELD_TYPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    CERT: {
        "document_number": str,
        "issuing_authority": str,
        "construction_unit": str,
        "project_name": str,
        "project_address": str,
        "building_area_m2": (int, float),
        "acceptance_conclusion": str,
        "issue_date": str,
    },
    REPORT: {
        "institution_name": str,
        "institution_category": str,
        "principal": str,
        "contact_person": str,
        "contact_phone": str,
        "report_date": str,
        "areas_covered": list,
        "hazards_found": int,
        "hazards_rectified": int,
    },
    "unknown": {},
}


def seal_role(seal: SealPlan, plan: DocPlan) -> str | None:
    """Which body the seal stands for, relative to the folder institution (None: nobody the rules know)."""
    if seal.shape == "square" or (seal.sub_text or "") in T.SPECIAL_PURPOSE:
        return None
    inst = plan.institution
    if plan.doc_type == CERT and seal.text == plan.meta.get("issuer"):
        return "issuing_authority"
    if seal.text == inst.sponsor:
        return "sponsor"
    if seal.text == inst.name:
        return "institution_name"
    return None


def _seal_findings(plan: DocPlan, required: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    roles = [(s, seal_role(s, plan)) for s in plan.seals]
    others = [s for s, r in roles if s.shape != "square" and r not in required]
    for role in required:
        if any(r == role and not s.partial for s, r in roles):
            continue
        if any(r == role and s.partial for s, r in roles):
            out.append("seal_partial")
        elif others:
            out.append("seal_mismatch")
        else:
            out.append("missing_seal")
    return out


def _docno_year(docno: str) -> int | None:
    m = re.search(r"〔(\d{4})〕", docno)
    return int(m.group(1)) if m else None


def expected_findings(plan: DocPlan) -> list[str]:
    """Finding codes the pipeline should raise for this plan (document level, no batch codes)."""
    f = plan.fields
    codes: list[str] = []
    inst = plan.institution
    if plan.doc_type == CERT:
        if any(k not in f for k in CERT_REQUIRED):
            codes.append("missing_field")
        if f.get("acceptance_conclusion") == "不合格":
            codes.append("conclusion_not_passed")
        if "issue_date" in f and dt.date.fromisoformat(str(f["issue_date"])) > DEADLINE:
            codes.append("late_submission")
        if "issue_date" in f and "document_number" in f:
            y = _docno_year(str(f["document_number"]))
            if y is not None and y != int(str(f["issue_date"])[:4]):
                codes.append("invalid_field")
        if "construction_unit" in f and f["construction_unit"] != inst.name:
            codes.append("institution_mismatch")
        codes += _seal_findings(plan, ("issuing_authority", "sponsor"))
    elif plan.doc_type == REPORT:
        if any(k not in f for k in REPORT_REQUIRED):
            codes.append("missing_field")
        if "report_date" in f and dt.date.fromisoformat(str(f["report_date"])) > DEADLINE:
            codes.append("late_submission")
        if "areas_covered" in f and len(f["areas_covered"]) < len(AREA_CODES):  # type: ignore[arg-type]
            codes.append("missing_area")
        if (
            "hazards_found" in f
            and "hazards_rectified" in f
            and int(f["hazards_found"]) > int(f["hazards_rectified"])
        ):  # type: ignore[arg-type]
            codes.append("hazards_outstanding")
        if "institution_name" in f and f["institution_name"] != inst.name:
            codes.append("institution_mismatch")
        codes += _seal_findings(plan, ("institution_name",))
    else:
        codes.append("unknown_doc_type")
    return order_codes(codes)


def order_codes(codes: list[str]) -> list[str]:
    """De-duplicate finding codes and put them in the contract's order."""
    return [c for c in FINDING_ORDER if c in set(codes)]


def status_of(codes: list[str]) -> str:
    """The contract's status for a set of finding codes."""
    if "unreadable" in codes:
        return "failed"
    return "flagged" if any(c not in INFO_CODES for c in codes) else "passed"


def make_truth(
    key: str,
    data: bytes,
    institution: str,
    media_type: str,
    pages: int,
    doc_type: str,
    fields: dict[str, Any],
    seals: list[dict[str, Any]],
    codes: list[str],
    case: str,
) -> dict[str, Any]:
    """The truth record of one uploaded file (the scorer's format)."""
    codes = order_codes(codes)
    return {
        "key": key,
        "document_id": hashlib.sha256(data).hexdigest(),
        "institution": institution,
        "media_type": media_type,
        "pages": pages,
        "doc_type": doc_type,
        "status": status_of(codes),
        "fields": fields,
        "seals": seals,
        "finding_codes": codes,
        "case": case,
    }


# ---------------------------------------------------------------- validation (used by the tests)

_TRUTH_KEYS = {
    "key",
    "document_id",
    "institution",
    "media_type",
    "pages",
    "doc_type",
    "status",
    "fields",
    "seals",
    "finding_codes",
    "case",
}
_SEAL_KEYS = {"page", "bbox", "shape", "text", "sub_text", "role", "partial", "color"}


def validate_truth(
    t: dict[str, Any], out_dir: Path, page_sizes: list[tuple[int, int]] | None = None
) -> list[str]:
    """Check one truth record against the contract the scorer relies on; returns problems (empty = fine)."""
    errs: list[str] = []
    if set(t) != _TRUTH_KEYS:
        errs.append(f"keys {sorted(set(t) ^ _TRUTH_KEYS)}")
        return errs
    path = out_dir / "inbox" / t["key"]
    if not path.is_file():
        return [f"missing file {t['key']}"]
    if hashlib.sha256(path.read_bytes()).hexdigest() != t["document_id"]:
        errs.append("document_id does not match bytes")
    if t["key"].split("/")[0] != t["institution"]:
        errs.append("institution is not the folder")
    if t["doc_type"] not in DOC_TYPES:
        errs.append(f"doc_type {t['doc_type']}")
    if t["status"] != status_of(t["finding_codes"]):
        errs.append("status does not follow finding codes")
    if any(c not in FINDING_ORDER for c in t["finding_codes"]):
        errs.append("unknown finding code")
    types = FIELD_TYPES.get(t["doc_type"], {})
    for k, v in t["fields"].items():
        if k not in types:
            errs.append(f"field {k} not canonical for {t['doc_type']}")
            continue
        if not isinstance(v, types[k]) or isinstance(v, bool):
            errs.append(f"field {k} has type {type(v).__name__}")
    f = t["fields"]
    for k in ("issue_date", "report_date"):
        if k in f and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", f[k]):
            errs.append(f"{k} not ISO")
    if "document_number" in f and not re.search(r"〔\d{4}〕", f["document_number"]):
        errs.append("document_number not normalised")
    if "acceptance_conclusion" in f and f["acceptance_conclusion"] not in ("合格", "不合格"):
        errs.append("acceptance_conclusion")
    if "areas_covered" in f:
        a = f["areas_covered"]
        if any(x not in AREA_CODES for x in a) or a != [x for x in AREA_CODES if x in a]:
            errs.append("areas_covered order/codes")
    if "institution_category" in f and f["institution_category"] not in CATEGORIES:
        errs.append("institution_category")
    if "contact_phone" in f and not re.fullmatch(r"[0-9-]+", f["contact_phone"]):
        errs.append("contact_phone")
    for s in t["seals"]:
        if set(s) != _SEAL_KEYS:
            errs.append(f"seal keys {sorted(set(s) ^ _SEAL_KEYS)}")
            continue
        if s["shape"] not in ("round", "oval", "square") or s["color"] not in ("red", "grey"):
            errs.append("seal shape/color")
        if s["role"] not in (None, "issuing_authority", "institution_name", "sponsor"):
            errs.append("seal role")
        x0, y0, x1, y1 = s["bbox"]
        if not (0 <= x0 < x1 and 0 <= y0 < y1):
            errs.append(f"seal bbox {s['bbox']}")
        if page_sizes and 1 <= s["page"] <= len(page_sizes):
            w, h = page_sizes[s["page"] - 1]
            if x1 > w or y1 > h:
                errs.append(f"seal bbox {s['bbox']} outside page {w}x{h}")
        if not 1 <= s["page"] <= max(1, t["pages"]):
            errs.append("seal page")
    if "unreadable" in t["finding_codes"] and (
        t["finding_codes"] != ["unreadable"] or t["fields"] or t["seals"]
    ):
        errs.append("unreadable record must have only the unreadable code, no fields, no seals")
    return errs
