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
