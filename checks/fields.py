"""Checks of the extracted fields against a campaign (rules/campaigns/*.yml).

Every problem becomes a `Finding` with a plain-Chinese message saying what is wrong and where.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from records.models import AREA_CODES, FieldValue, Finding
from records.rules import Campaign, CampaignDocType

FIELD_ZH = {
    "document_number": "文号",
    "issuing_authority": "发证机关",
    "construction_unit": "建设单位",
    "project_name": "工程名称",
    "project_address": "工程地址",
    "building_area_m2": "建筑面积",
    "acceptance_conclusion": "验收结论",
    "issue_date": "发证日期",
    "institution_name": "单位名称",
    "institution_category": "单位类别",
    "principal": "主要负责人",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "report_date": "报告日期",
    "areas_covered": "整治重点领域",
    "hazards_found": "排查隐患数",
    "hazards_rectified": "已整改隐患数",
}
AREA_ZH = {
    "ideology": "意识形态",
    "school_conditions": "办学条件达标",
    "campus_safety": "校园安全",
    "internship_training": "实习实训",
    "food_hygiene": "食品卫生安全",
    "other": "其他方面",
}


def _finding(campaign: Campaign, code: str, message: str, *, field: str | None = None, value: FieldValue | None = None,
             page: int | None = None, line: str | None = None) -> Finding:
    """A finding where `value` was read (its page and line), else at `page` / `line`."""
    return Finding(code=code, severity=campaign.severity_of(code), field=field, message=message,  # type: ignore[arg-type]
                   page=value.page if value else page, line=value.line if value else line)


def _where(v: FieldValue) -> str:
    return f"（第{v.page}页：“{v.line}”）" if v.page and v.line else ""


def org_key(name: str) -> str:
    """Comparable form of an organisation name: NFKC, no spaces/brackets, province prefix dropped."""
    flat = unicodedata.normalize("NFKC", name)
    flat = re.sub(r"[\s()（）\[\]【】“”\"'·.,，。、:：]", "", flat)
    flat = re.sub(r"^(山西省|山西)", "", flat)
    return flat


def same_organisation(a: str, b: str, *, threshold: float = 0.8) -> bool:
    """True when two printed names denote the same body, tolerant of OCR slips and a dropped 山西省."""
    ka, kb = org_key(a), org_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    return SequenceMatcher(None, ka, kb).ratio() >= threshold


LOOSE_NAME_RATIO = 0.75  # a long name read with OCR slips, where the roster shows nothing closer


def names_institution(value: str, institution: str, others: Sequence[str] = ()) -> bool:
    """True when the name a document gives is the submitting institution's.

    `same_organisation`, and no other body of the roster (`others`) is at least as close: two
    schools of one county differ by two glyphs (育才/瑞丰), and a document naming its sponsor is
    not the school's. Where the roster is known, a long name with more OCR slips (附泉市华用技工学校
    for 阳泉市华阳技工学校, 0.78) still names the institution when nothing else comes as close.
    """
    ka, kb = org_key(value), org_key(institution)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ratio = SequenceMatcher(None, ka, kb).ratio()
    rival = max((SequenceMatcher(None, ka, org_key(o)).ratio() for o in others if org_key(o) != kb), default=0.0)
    if rival >= ratio:
        return False
    return ratio >= 0.8 or (bool(others) and len(ka) >= 8 and ratio >= LOOSE_NAME_RATIO)


def _sure(v: FieldValue, campaign: Campaign) -> bool:
    """Whether a value is read well enough to compare with another: one a person must confirm
    first (`low_confidence`) is not checked against the 文号 or the deadline (a date under a
    seal, decoded as the likeliest of several, would otherwise claim a mismatch or a late
    submission nobody printed); the person who confirms it sees both."""
    return not (v.source == "ocr" and v.confidence < campaign.low_confidence_below)


def plausible_dates(doc_type: str, fields: dict[str, FieldValue], campaign: Campaign) -> dict[str, FieldValue]:
    """`fields` with a deadline date read before the campaign began (`not_before`) given the
    campaign's year when only the year's digits differ from it by one (2021年2月18日 for 2024:
    a 4 read as 1), at low confidence for a person to confirm; otherwise as read."""
    rules = campaign.doc_types.get(doc_type)
    if rules is None or rules.not_before is None or rules.deadline_field is None:
        return fields
    v = fields.get(rules.deadline_field)
    try:
        when = dt.date.fromisoformat(str(v.value)) if v is not None else None
    except ValueError:
        return fields
    if v is None or when is None or when >= rules.not_before:
        return fields
    year = rules.not_before.year
    if sum(a != b for a, b in zip(str(when.year), str(year), strict=True)) != 1:
        return fields
    try:
        fixed = when.replace(year=year)
    except ValueError:  # 29 February
        return fields
    if fixed < rules.not_before:
        return fields
    return {**fields, rules.deadline_field: v.model_copy(update={
        "value": fixed.isoformat(), "confidence": min(v.confidence, campaign.low_confidence_below / 2)})}


def check_fields(
    doc_type: str,
    fields: dict[str, FieldValue],
    campaign: Campaign,
    *,
    institution: str | None = None,
    others: Sequence[str] = (),
    illegible: Mapping[str, tuple[int, str]] | None = None,
) -> list[Finding]:
    """Campaign rules on the fields of one document. `institution` is the submitting folder's name,
    `others` the roster's other bodies (other institutions, sponsors). `illegible`: required
    fields that are printed but could not be read (key -> page, what is left of it): a person
    reads them (`low_confidence`), they are not missing."""
    rules: CampaignDocType | None = campaign.doc_types.get(doc_type)
    if rules is None:
        return []
    out: list[Finding] = []
    for key in rules.required_fields:
        v = fields.get(key)
        if v is None and illegible and key in illegible:
            page, line = illegible[key]
            out.append(_finding(campaign, "low_confidence", f"“{FIELD_ZH.get(key, key)}”无法辨认，请人工核对（第{page}页：“{line[:60]}”）",
                                field=key, page=page, line=line[:200]))
        elif v is None:
            out.append(_finding(campaign, "missing_field", f"缺少必填项“{FIELD_ZH.get(key, key)}”", field=key))
        elif not _sure(v, campaign):
            out.append(_finding(campaign, "low_confidence",
                                f"“{FIELD_ZH.get(key, key)}”识别置信度低（{v.confidence:.2f}），请人工核对{_where(v)}", field=key, value=v))

    concl = fields.get("acceptance_conclusion")
    if rules.passing_conclusion and concl is not None and concl.value != rules.passing_conclusion:
        out.append(_finding(campaign, "conclusion_not_passed", f"消防验收结论为“{concl.value}”，不是“{rules.passing_conclusion}”{_where(concl)}",
                            field="acceptance_conclusion", value=concl))

    if rules.deadline and rules.deadline_field:
        v = fields.get(rules.deadline_field)
        if v is not None and _sure(v, campaign):
            try:
                when = dt.date.fromisoformat(str(v.value))
            except ValueError:
                out.append(_finding(campaign, "invalid_field", f"“{FIELD_ZH.get(rules.deadline_field)}”不是有效日期：{v.value}",
                                    field=rules.deadline_field, value=v))
            else:
                if when > rules.deadline:
                    out.append(_finding(campaign, "late_submission",
                                        f"{FIELD_ZH.get(rules.deadline_field)}为{when.isoformat()}，晚于截止日期{rules.deadline.isoformat()}",
                                        field=rules.deadline_field, value=v))

    if rules.check_number_year:
        num, date = fields.get("document_number"), fields.get("issue_date")
        if num is not None and date is not None and _sure(date, campaign):
            m = re.search(r"〔(\d{4})〕", str(num.value))
            if m and str(date.value)[:4] != m.group(1):
                out.append(_finding(campaign, "invalid_field",
                                    f"文号年份（{m.group(1)}）与发证日期（{date.value}）不一致{_where(num)}", field="document_number", value=num))

    if rules.required_areas:
        areas = fields.get("areas_covered")
        if areas is not None:
            covered = set(areas.value) if isinstance(areas.value, list) else set()
            missing = [a for a in rules.required_areas if a not in covered]
            if missing:
                names = "、".join(AREA_ZH[a] for a in missing if a in AREA_ZH)
                out.append(_finding(campaign, "missing_area", f"自查报告未涵盖以下整治重点：{names}", field="areas_covered", value=areas))

    found, fixed = fields.get("hazards_found"), fields.get("hazards_rectified")
    if found is not None and fixed is not None:
        try:
            nf, nr = int(found.value), int(fixed.value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            nf = nr = 0
        if nr > nf:
            out.append(_finding(campaign, "invalid_field", f"已整改数（{nr}）大于排查隐患数（{nf}）", field="hazards_rectified", value=fixed))
        elif nf > nr:
            out.append(_finding(campaign, "hazards_outstanding", f"排查隐患{nf}项，已整改{nr}项，尚有{nf - nr}项未整改",
                                field="hazards_rectified", value=fixed))

    if rules.institution_field and institution:
        v = fields.get(rules.institution_field)
        if v is not None and not names_institution(str(v.value), institution, others):
            out.append(_finding(campaign, "institution_mismatch",
                                f"文件中的{FIELD_ZH.get(rules.institution_field)}“{v.value}”与报送单位“{institution}”不一致",
                                field=rules.institution_field, value=v))
    return out


def area_names(codes: list[str]) -> list[str]:
    return [AREA_ZH[c] for c in codes if c in AREA_CODES]
