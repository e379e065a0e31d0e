from __future__ import annotations

import pytest

from extractors.fields import build_rows, extract_fields
from records.rules import default_rules_dir, load_rules
from tests.unit._pages import LETTER_CERT, REPORT, TABLE_CERT, ocr_page, text_page


@pytest.fixture(scope="module")
def rules():
    return load_rules(default_rules_dir(), "shanxi-2024")


def values(fields):
    return {k: v.value for k, v in fields.items()}


def test_letter_style_certificate(rules) -> None:
    got = values(extract_fields([ocr_page(LETTER_CERT)], rules.doctypes["fire_acceptance_certificate"]))
    assert got == {
        "document_number": "阳住建消验字〔2023〕第015号",
        "issuing_authority": "阳泉市住房和城乡建设局",
        "construction_unit": "阳泉高级技工学校",
        "project_name": "阳泉高级技工学校实训楼工程",
        "project_address": "阳泉市城区德胜街36号",
        "building_area_m2": 8460.25,
        "acceptance_conclusion": "合格",
        "issue_date": "2023-12-15",
    }


def test_ruled_table_certificate_from_ocr_boxes(rules) -> None:
    fields = extract_fields([ocr_page(TABLE_CERT)], rules.doctypes["fire_acceptance_certificate"])
    assert values(fields) == {
        "document_number": "晋中住建消验字〔2023〕第8号",
        "issuing_authority": "晋中市住房和城乡建设局",
        "construction_unit": "晋中市职业技能培训中心",
        "project_name": "晋中市职业技能培训中心综合楼",
        "project_address": "晋中市榆次区迎宾街88号",
        "building_area_m2": 12000.0,
        "acceptance_conclusion": "不合格",
        "issue_date": "2024-03-05",
    }
    # evidence: page, box and the line the value came from
    cu = fields["construction_unit"]
    assert cu.page == 1 and cu.bbox is not None and "建设单位" in (cu.line or "") and cu.source == "ocr"


def test_docx_table_lines(rules) -> None:
    page = text_page(["建设工程消防验收意见书", "建设单位\t阳泉高级技工学校", "验收结论\t合格", "2023年12月15日"], origin="docx")
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["construction_unit"] == "阳泉高级技工学校"
    assert got["acceptance_conclusion"] == "合格"
    assert got["issue_date"] == "2023-12-15"


def test_report_fields(rules) -> None:
    got = values(extract_fields([ocr_page(REPORT)], rules.doctypes["self_inspection_report"]))
    assert got == {
        "institution_name": "大同技师学院",
        "principal": "李明",
        "contact_person": "王芳",
        "contact_phone": "0352-6012345",
        "report_date": "2024-02-26",
        "areas_covered": ["ideology", "school_conditions", "campus_safety", "internship_training", "food_hygiene"],
        "hazards_found": 12,
        "hazards_rectified": 10,
    }


def test_category_only_when_printed(rules) -> None:
    page = ocr_page([["XX职业技能鉴定站自查报告"], ["单位类别：评价机构"], ["2024年2月20日"]])
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert got["institution_category"] == "evaluation_institution"


def test_report_counts_in_words_and_all_done(rules) -> None:
    page = ocr_page([["XX职业技能培训学校自查报告"], ["发现问题十二条，已全部整改完毕。"], ["2024年2月20日"]])
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert got["hazards_found"] == 12 and got["hazards_rectified"] == 12


def test_rows_join_boxes_of_one_line_with_a_tab() -> None:
    rows = build_rows([ocr_page([["建设单位", "阳泉高级技工学校"], ["下一行"]])])
    assert [r.text for r in rows] == ["建设单位\t阳泉高级技工学校", "下一行"]


def test_rows_of_a_page_read_sideways() -> None:
    # the same row, stored rotated by 90 degrees: boxes are tall and side by side vertically
    upright = ocr_page([["建设单位", "阳泉高级技工学校"]])
    w = upright.width
    lines = []
    for ln in upright.lines:
        x0, y0, x1, y1 = ln.bbox
        # inverse of the upright mapping for rotation 90: stored (x, y) = (w-1-y', x')
        lines.append(ln.model_copy(update={"bbox": [w - 1 - y1, x0, w - 1 - y0, x1]}))
    page = upright.model_copy(update={"lines": tuple(lines), "rotation": 90})
    assert [r.text for r in build_rows([page])] == ["建设单位\t阳泉高级技工学校"]


def test_rows_of_a_skewed_page_do_not_merge() -> None:
    """Two long lines 60 px apart on a page skewed by 3 degrees: their boxes overlap vertically."""
    import math

    from records.models import PageText, TextLine

    slope = math.tan(math.radians(3))
    lines = []
    for i, (a, b) in enumerate([("第一行的左半部分文字", "第一行右半部分"), ("第二行的左半部分文字", "第二行右半部分")]):
        y = 200 + 60 * i
        for x0, text in ((100, a), (900, b)):
            x1 = x0 + 700
            top, bottom = y + slope * x0, y + slope * x1 + 40
            lines.append(TextLine(text=text, bbox=[x0, top, x1, bottom], confidence=0.99))
    page = PageText(page_no=1, width=1654, height=2339, dpi=200, origin="ocr", skew=3.0, lines=tuple(lines))
    assert [r.text for r in build_rows([page])] == ["第一行的左半部分文字\t第一行右半部分", "第二行的左半部分文字\t第二行右半部分"]


def test_a_value_wrapping_onto_the_next_line_is_joined(rules) -> None:
    from records.models import PageText, TextLine

    texts = ["你单位申请的XX学校实训楼工程（工程地址：忻州市原平市长征",
             "西街385号；建筑面积：21960.59平方米）消防验收。",
             "经现场评定，该工程消防验收合格。"]
    lines = tuple(TextLine(text=t, bbox=[100, 100 + 60 * i, 100 + 40 * len(t) if i == 2 else 1550, 140 + 60 * i],
                           confidence=0.99) for i, t in enumerate(texts))
    page = PageText(page_no=1, width=1654, height=2339, dpi=200, origin="ocr", lines=lines)
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["project_address"] == "忻州市原平市长征西街385号"
    assert got["building_area_m2"] == 21960.59
