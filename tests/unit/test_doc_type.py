from __future__ import annotations

import pytest

from classifiers.doc_type import classify_document
from records.rules import default_rules_dir, load_rules
from tests.unit._pages import LETTER_CERT, REPORT, TABLE_CERT

NOTICE = """阳泉市人力资源和社会保障局
阳人社函〔2024〕23号
关于转发省人社厅《关于印发全省技工院校和职业培训评价机构安全生产整治行动方案的通知》的通知
各县（区）人社局：现将文件转发你们，请各单位认真对照通知要求，做好安全生产整治工作。"""
LICENCE = """中华人民共和国民办学校办学许可证
学校名称：阳泉市职业技能培训学校 办学内容：职业技能培训 有效期：2025年12月31日"""


@pytest.fixture(scope="module")
def doctypes():
    return load_rules(default_rules_dir(), "shanxi-2024").doctypes


def _text(rows):
    return "\n".join("".join(r) for r in rows)


@pytest.mark.parametrize("rows,expected", [(LETTER_CERT, "fire_acceptance_certificate"),
                                           (TABLE_CERT, "fire_acceptance_certificate"),
                                           (REPORT, "self_inspection_report")])
def test_submissions_are_recognised_confidently(doctypes, rows, expected) -> None:
    c = classify_document(_text(rows), doctypes)
    assert c.doc_type == expected
    assert c.score >= 0.8


@pytest.mark.parametrize("text", ["", "   ", NOTICE, LICENCE, "IMG_0001 风景照片", "消防"])
def test_non_submissions_are_unknown(doctypes, text) -> None:
    assert classify_document(text, doctypes).doc_type == "unknown"


# A copy whose letterhead and title (建设工程消防验收意见书) the scan or photo cut off: what the
# opinion itself says still makes it one.
HEADLESS_CERT = """吕公消验字〔2014〕第0252号
吕梁市孝义市华安技能培训中心：
根据《中华人民共和国消防法》和《建设工程消防监督管理规定》，我支队于2014年11月21日对你单位吕梁市孝义市华安技能
培训中心图书信息中心项目（地址：吕梁市离石区龙凤南大街64号；建筑层数：地上6层；使用性质：培训考核）进行了消防验收。
综合评定结论为合格。
如不服本意见，可在收到本意见书之日起六十日内依法向吕梁市人民政府申请行政复议，或者六个月内依法向人民法院提起行政诉讼。
山西省吕梁市公安消防支队
二〇一四年十二月二十四日"""


def test_a_certificate_whose_title_was_cut_off_is_still_one(doctypes) -> None:
    assert classify_document(HEADLESS_CERT, doctypes).doc_type == "fire_acceptance_certificate"
    # a report citing its certificate stays a report; a word of it alone is nothing
    assert classify_document(_text(REPORT) + "\n消防验收合格，如不服本意见", doctypes).doc_type == "self_inspection_report"
    assert classify_document("结论为合格", doctypes).doc_type == "unknown"
