from __future__ import annotations

import pytest

from checks.fields import check_fields, same_organisation
from records.models import FieldValue
from records.rules import default_rules_dir, load_rules


@pytest.fixture(scope="module")
def campaign():
    return load_rules(default_rules_dir(), "shanxi-2024").campaign


def fv(value, conf=0.99, source="ocr"):
    return FieldValue(value=value, confidence=conf, page=1, bbox=[0, 0, 10, 10], source=source, line=str(value))


GOOD_CERT = {
    "document_number": fv("阳住建消验字〔2023〕第015号"),
    "issuing_authority": fv("阳泉市住房和城乡建设局"),
    "construction_unit": fv("阳泉高级技工学校"),
    "project_name": fv("实训楼工程"),
    "acceptance_conclusion": fv("合格"),
    "issue_date": fv("2023-12-15"),
}
GOOD_REPORT = {
    "institution_name": fv("大同技师学院"),
    "contact_person": fv("王芳"),
    "contact_phone": fv("0352-6012345"),
    "report_date": fv("2024-02-26"),
    "areas_covered": fv(["ideology", "school_conditions", "campus_safety", "internship_training", "food_hygiene", "other"]),
    "hazards_found": fv(12),
    "hazards_rectified": fv(12),
}


def codes(findings):
    return sorted(f.code for f in findings)


def test_clean_documents_have_no_findings(campaign) -> None:
    assert check_fields("fire_acceptance_certificate", GOOD_CERT, campaign, institution="阳泉高级技工学校") == []
    assert check_fields("self_inspection_report", GOOD_REPORT, campaign, institution="大同技师学院") == []


def test_each_certificate_rule(campaign) -> None:
    f = dict(GOOD_CERT)
    del f["project_name"]
    f["acceptance_conclusion"] = fv("不合格")
    f["issue_date"] = fv("2024-03-05")
    f["construction_unit"] = fv("太原市第二技工学校")
    found = check_fields("fire_acceptance_certificate", f, campaign, institution="阳泉高级技工学校")
    assert codes(found) == ["conclusion_not_passed", "institution_mismatch", "invalid_field", "late_submission", "missing_field"]
    by = {x.code: x for x in found}
    assert by["missing_field"].field == "project_name" and by["missing_field"].severity == "error"
    assert "工程名称" in by["missing_field"].message
    assert by["late_submission"].severity == "warning" and "2024-02-29" in by["late_submission"].message
    assert by["invalid_field"].field == "document_number"  # 〔2023〕 vs 2024-03-05


def test_each_report_rule(campaign) -> None:
    f = dict(GOOD_REPORT)
    f["areas_covered"] = fv(["ideology", "campus_safety"])
    f["hazards_rectified"] = fv(9)
    f["contact_phone"] = fv("0352-6012345", conf=0.3)
    found = check_fields("self_inspection_report", f, campaign, institution="大同技师学院")
    assert codes(found) == ["hazards_outstanding", "low_confidence", "missing_area"]
    area = next(x for x in found if x.code == "missing_area")
    assert "食品卫生安全" in area.message and "意识形态" not in area.message


def test_low_confidence_only_for_ocr(campaign) -> None:
    f = dict(GOOD_REPORT)
    f["contact_phone"] = fv("0352-6012345", conf=0.3, source="text_layer")
    assert check_fields("self_inspection_report", f, campaign, institution="大同技师学院") == []


def test_same_organisation_tolerates_prefix_and_slips() -> None:
    assert same_organisation("山西省阳泉高级技工学校", "阳泉高级技工学校")
    assert same_organisation("阳泉高级技工学院", "阳泉高级技工学校")  # one OCR slip
    assert not same_organisation("太原市第二技工学校", "阳泉高级技工学校")


def test_the_institution_named_with_ocr_slips_or_as_a_neighbour_school(campaign) -> None:
    from checks.fields import names_institution

    roster = ["阳泉市郊区精工技能培训中心", "阳泉市人力资源和社会保障局", "吕梁市孝义市育才职业培训学校"]
    # 附/阳, 用/阳: two slips in nine glyphs, and no other body of the roster is as close.
    assert names_institution("附泉市华用技工学校", "阳泉市华阳技工学校", roster)
    assert not names_institution("附泉市华用技工学校", "阳泉市华阳技工学校")  # without a roster: too far
    # Two glyphs apart, but the roster has that very school: another body.
    assert names_institution("吕梁市孝义市育才职业培训学校", "吕梁市孝义市瑞丰职业培训学校")
    assert not names_institution("吕梁市孝义市育才职业培训学校", "吕梁市孝义市瑞丰职业培训学校", roster)
    assert not names_institution("阳泉市人力资源和社会保障局", "阳泉市华阳技工学校", roster)  # the sponsor
    f = dict(GOOD_REPORT)
    f["institution_name"] = f["institution_name"].model_copy(update={"value": "吕梁市孝义市育才职业培训学校"})
    found = check_fields("self_inspection_report", f, campaign, institution="吕梁市孝义市瑞丰职业培训学校", others=roster)
    assert [x.code for x in found] == ["institution_mismatch"]


def test_a_report_dated_before_the_campaign_had_its_year_misread(campaign) -> None:
    """2021年2月18日 on a report answering the 2024 notice: a 4 read as 1. The campaign's year is
    given, for a person to confirm; a year further off, or a certificate's date, stays as read."""
    from checks.fields import plausible_dates

    got = plausible_dates("self_inspection_report", {**GOOD_REPORT, "report_date": fv("2021-02-18")}, campaign)
    assert got["report_date"].value == "2024-02-18"
    assert codes(check_fields("self_inspection_report", got, campaign)) == ["low_confidence"]
    far = plausible_dates("self_inspection_report", {**GOOD_REPORT, "report_date": fv("2019-02-18")}, campaign)
    assert far["report_date"].value == "2019-02-18"
    old = plausible_dates("fire_acceptance_certificate", {**GOOD_CERT, "issue_date": fv("2021-02-18")}, campaign)
    assert old["issue_date"].value == "2021-02-18"
    assert plausible_dates("self_inspection_report", GOOD_REPORT, campaign) == GOOD_REPORT


def test_a_date_a_person_must_confirm_is_not_compared(campaign) -> None:
    """A late date read surely is late; read at low confidence, it is only low_confidence: the
    person confirming it sees whether it is late, and no lateness nobody printed is claimed."""
    assert codes(check_fields("self_inspection_report", {**GOOD_REPORT, "report_date": fv("2024-03-19")},
                              campaign)) == ["late_submission"]
    assert codes(check_fields("self_inspection_report", {**GOOD_REPORT, "report_date": fv("2024-03-19", conf=0.5)},
                              campaign)) == ["low_confidence"]


def test_a_date_printed_yet_illegible_is_for_a_person_to_read_not_missing(campaign) -> None:
    f = dict(GOOD_REPORT)
    del f["report_date"]
    found = check_fields("self_inspection_report", f, campaign, institution="大同技师学院",
                         illegible={"report_date": (2, "四年二月八")})
    assert codes(found) == ["low_confidence"]
    assert found[0].field == "report_date" and found[0].page == 2 and found[0].severity == "warning"
    assert "报告日期" in found[0].message and "无法辨认" in found[0].message and "四年二月八" in found[0].message
    # nothing left of it: missing
    assert codes(check_fields("self_inspection_report", f, campaign, institution="大同技师学院")) == ["missing_field"]
