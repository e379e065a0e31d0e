from __future__ import annotations

import datetime as dt

import pytest

from extractors.fields import build_rows, extract_fields
from records.models import PageText, TextLine
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


# --------------------------------------------------------------------- layout paths, from boxes


def boxes_page(items: list[tuple[str, float, float, float, float]]) -> PageText:
    """A page of OCR boxes placed where a scan puts them: (text, x0, y0, x1, y1)."""
    return PageText(page_no=1, width=1654, height=2339, dpi=200, origin="ocr",
                    lines=tuple(TextLine(text=t, bbox=[x0, y0, x1, y1], confidence=0.99) for t, x0, y0, x1, y1 in items))


def test_a_table_value_wrapped_inside_its_cell_is_read_whole(rules) -> None:
    # the value's two lines are centred on the label, so the label's row sits between them
    page = boxes_page([
        ("建设单位", 276, 644, 446, 699), ("临汾市侯马市博远职业技能培训学校", 528, 653, 1170, 712),
        ("临汾市侯马市博远职业技能培训学校学生食堂改造", 525, 753, 1406, 815), ("项目名称", 273, 771, 445, 829),
        ("工程", 518, 805, 615, 865),
        ("结构类型", 270, 900, 442, 958), ("框架剪力墙结构，地上5层", 520, 905, 960, 960),
    ])
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["project_name"] == "临汾市侯马市博远职业技能培训学校学生食堂改造工程"
    assert got["construction_unit"] == "临汾市侯马市博远职业技能培训学校"


def test_report_form_table_wrapped_label_wrapped_value_and_blank_cells(rules) -> None:
    page = boxes_page([
        ("临汾市侯马市博远职业技能培训学校安全生产", 330, 250, 1330, 310), ("整治自查情况报告", 620, 330, 1030, 390),
        ("临汾市侯马市博远职业", 520, 470, 900, 515),
        ("单位名称", 250, 495, 420, 545), ("单位类别", 950, 495, 1120, 545),
        ("技能培训学校", 520, 525, 760, 570),
        ("主要负责", 260, 610, 410, 655),
        ("吴志刚", 520, 635, 640, 685), ("联系人", 970, 635, 1100, 685), ("贾芳", 1180, 635, 1260, 685),
        ("人", 315, 665, 355, 710),
        ("联系电话", 250, 760, 420, 810), ("0357-3699394", 520, 760, 760, 810), ("填报日期", 950, 760, 1120, 810),
    ])
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert got["institution_name"] == "临汾市侯马市博远职业技能培训学校"
    assert got["principal"] == "吴志刚"  # 主要负责 / 人: a label wrapped in its cell
    assert got["contact_person"] == "贾芳"
    assert got["contact_phone"] == "0357-3699394"
    # 单位类别 and 填报日期 are blank cells: the line below them is not their value
    assert "institution_category" not in got and "report_date" not in got


def test_label_and_value_read_as_one_box_in_a_table_row(rules) -> None:
    page = ocr_page([["关于吕梁市离石区鑫源职业培训学校安全生产整治行动自查情况的报告"],
                     ["单位名称", "吕梁市离石区鑫源职业培训学校", "单位类別技工院校"],
                     ["主要负责人武凯", "联系人", "万海燕"]])
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert got["principal"] == "武凯"
    assert got["institution_name"] == "吕梁市离石区鑫源职业培训学校"  # 单位类別… bounds the name's cell
    assert got["institution_category"] == "technical_school"  # 別 read for 别


def test_foot_date_beside_a_copy_annotation(rules) -> None:
    """The signing block and a 与原件核对一致 stamp run together: the copy is certified later."""
    page = ocr_page([["阳泉市公安消防支队"], ["建设工程消防验收意见书"], ["阳公消验字〔2013〕第265号"],
                     ["建设单位", "阳泉市城区职业技能培训学校"], ["验收结论", "合格"],
                     ["阳泉市公安消防支队", "与原件核对一致"], ["2013年4月12日"], ["2024.2.23"], ["蔡慧敏"]])
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["issue_date"] == "2013-04-12"
    assert got["issuing_authority"] == "阳泉市公安消防支队"


def test_a_copy_note_in_a_column_of_its_own_beside_the_signing_block(rules) -> None:
    """与原件核对一致 and its signer at the left, the issuing body and its date at the right, the
    note's box a little higher than the date's (the boxes of a generated certificate, seed 333):
    the date is the signing block's, not the note's. Read turned (a phone photo taken sideways)
    the columns lie across the scan's pixels: the note over the date in the page's reading is
    still the note's date."""
    cert = rules.doctypes["fire_acceptance_certificate"]
    head = [("运城市住房和城乡建设局", 500, 200, 1100, 260), ("建设工程消防验收意见书", 500, 300, 1100, 360),
            ("运住建消验字〔2024〕第0037号", 800, 400, 1400, 450), ("建设单位：运城市盐湖区华夏技能培训中心", 220, 500, 1300, 550),
            ("经现场评定，该工程消防验收合格。", 220, 600, 1000, 650)]
    page = boxes_page([*head, ("运城市住房和城乡建设局", 904, 1669, 1362, 1716), ("与原件核对一致", 405, 1692, 692, 1766),
                       ("二〇二四年三月十九日", 923, 1742, 1337, 1790), ("袁晋生", 440, 1806, 600, 1880),
                       ("抄送：运城市消防救援支队。", 211, 1886, 641, 1933)])
    assert values(extract_fields([page], cert))["issue_date"] == "2024-03-19"
    # a page read turned: rows are the page's, boxes the scan's (seed 999)
    page = boxes_page([("忻州市住房和城乡建设局", 539, 656, 566, 889), ("二〇二三年七月十日", 500, 677, 530, 889),
                       ("与原件核对一致", 217, 259, 255, 423), ("2024.2.18", 183, 297, 212, 457), ("丁刚", 156, 298, 189, 356)])
    rows = [("忻州市住房和城乡建设局",), ("二〇二三年七月十日",), ("与原件核对一致",), ("2024.2.18",), ("丁刚",)]
    assert [r.text for r in build_rows([page.model_copy(update={"rotation": 90})])] == [t for t, in rows]
    got = values(extract_fields([page.model_copy(update={"rotation": 90})], cert))
    assert got["issue_date"] == "2023-07-10"


def test_a_label_run_into_a_value_of_its_kind(rules) -> None:
    """验收结论4.9含格8: the label run into its value, a seal's ring strokes read beside 含格 (a
    generated certificate read upside down, seed 20261130). A verdict is told by what it says,
    so the rest of the row is the value when it is one; prose opening with a label is not
    (结论严格执行…), nor is a field whose value could be any text."""
    cert = rules.doctypes["fire_acceptance_certificate"]
    head = [["长治市公安消防支队"], ["建设工程消防验收意见书"], ["长公消验字[2014]第0011号"], ["建设单位", "长治市职业技能培训中心"]]
    for row, want in (("验收结论4.9含格8", "合格"), ("验收结论合格", "合格"), ("验收结论不合格", "不合格")):
        assert values(extract_fields([ocr_page([*head, [row]])], cert)).get("acceptance_conclusion") == want, row
    assert "acceptance_conclusion" not in values(extract_fields([ocr_page([*head, ["结论严格执行"]])], cert))
    assert "project_name" not in values(extract_fields([ocr_page([*head, ["工程名称见附件"]])], cert))


def test_a_ring_read_into_the_signing_body_s_name_is_no_copy_note(rules) -> None:
    """蝴原件榜和城致建设局（盖章）: 阳泉市住房和城乡建设局 with the seal's ring read into it (a
    real photo, seed 555). Its 原件 is no copy note (与原件核对一致): the date under it is the
    signing date."""
    page = ocr_page([["建设工程消防验收意见书"], ["建设单位", "太原市高级技工学校"], ["申请日期", "2023年7月21日"],
                     ["同意通过消防验收。"], ["验收部门意见", "蝴原件榜和城致建设局（盖章）"], ["2023年8月31日"], ["于海燕"]])
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["issue_date"] == "2023-08-31"


def test_a_copy_note_read_into_the_signing_body_s_line(rules) -> None:
    """与原件核对一致, written beside the signing block, read into its line as one box (与原件核对致,
    the 一 lost): the name after it is the signing body, its stamp note says so, and the date
    under it is the issue date, not the copy note's."""
    page = ocr_page([["朔州市怀仁市住房和城乡建设局"], ["建设工程消防验收意见书"], ["朔住建消验字[2024]22号"],
                     ["建设单位", "朔州市怀仁市安康职业培训学校"], ["验收结论", "合格"],
                     ["与原件核对致朔州市怀仁市住房和城乡建设局（盖章）"], ["二〇二四年二月九日"], ["邓涛"]])
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["issue_date"] == "2024-02-09"
    assert got["issuing_authority"] == "朔州市怀仁市住房和城乡建设局"
    # a copy note after the name, with no stamp note: the copy's date, not the issue date
    page = ocr_page([["朔州市怀仁市住房和城乡建设局"], ["建设工程消防验收意见书"], ["朔住建消验字[2024]22号"],
                     ["建设单位", "朔州市怀仁市安康职业培训学校"], ["验收结论", "合格"],
                     ["朔州市怀仁市住房和城乡建设局与原件核对一致"], ["2024.2.23"], ["邓涛"]])
    assert "issue_date" not in values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    # the date written with the copy note read into the head of the signing line (2024．2 of
    # 2024.2.24, a generated certificate of seed 999): the name after it is still the signer
    page = ocr_page([["建设工程消防验收意见书"], ["建设单位", "运城市盐湖区启航职业技能培训学校"], ["验收结论", "合格"],
                     ["验收部门意见与原件核对一致"], ["2024．2运城市住房和城乡建设局（盖章）"], ["2021年4月13日"], ["徐慧敏"]])
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["issuing_authority"] == "运城市住房和城乡建设局" and got["issue_date"] == "2021-04-13"


def test_signing_body_and_date_in_one_table_cell(rules) -> None:
    """A Word form: 验收部门意见 | 山西省晋中市公安消防支队 2018年3月22日. The signing body is the
    organisation before the date in its cell, not the 建设单位 value rows above it."""
    page = text_page(["山西省晋中市公安消防支队", "建设工程消防验收意见书", "晋中公消验〔2018〕第289号",
                      "建设单位\t晋中市太谷区金桥职业培训学校", "工程名称\t晋中市太谷区金桥职业培训学校综合教学楼项目",
                      "申请日期\t2018年3月4日", "验收结论\t合格", "验收部门意见\t山西省晋中市公安消防支队 2018年3月22日"],
                     origin="docx")
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["issuing_authority"] == "山西省晋中市公安消防支队"
    assert got["issue_date"] == "2018-03-22"
    # without a signing body at the foot, a labelled value is still no signing body: the letterhead is
    page = text_page(["山西省晋中市公安消防支队", "建设工程消防验收意见书", "建设单位\t晋中市太谷区金桥职业培训学校",
                      "验收结论\t合格", "2018年3月22日"], origin="docx")
    assert values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))["issuing_authority"] == "山西省晋中市公安消防支队"


def test_a_date_years_before_the_campaign_is_no_copy_annotation_s(rules) -> None:
    """与原件核对一致 / 2014年7月21日 / 叶宏伟: the signing date of a 2014 certificate printed
    beside the copy annotation. A copy certified for a 2024 campaign is not dated 2014."""
    page = ocr_page([["山西省运城市公安消防支队"], ["建设工程消防验收意见书"], ["运公消验〔2014〕第014号"],
                     ["建设单位", "运城市河津市通达职业培训学校"], ["验收结论", "合格"],
                     ["山西省运城市公安消防支队（盖章）"], ["与原件核对一致"], ["2014年7月21日"], ["叶宏伟"]])
    doc = rules.doctypes["fire_acceptance_certificate"]
    assert values(extract_fields([page], doc, copies_from=2023))["issue_date"] == "2014-07-21"
    assert "issue_date" not in values(extract_fields([page], doc))  # the campaign unknown: it may be the copy's


def test_a_labelled_date_under_a_seal_is_no_foot_date(rules) -> None:
    """申请日期 | 二〇二一年十月三十一日 lies under the sponsor's seal (its beliefs kept); the foot
    date was left blank (年月日). The application date is not the issue date."""
    from tests.unit.test_lexicon import beliefs

    page = ocr_page([["晋城市住房和城乡建设局"], ["建设工程消防验收意见书"], ["晋市住建消验字〔2021〕60号"],
                     ["建设单位", "晋城市泽州县华安职业技能培训学校"], ["申请日期", "二〇二一年十月三十一日"],
                     ["验收结论", "合格"], ["晋城市住房和城乡建设局（盖章）"], ["年月日"]])
    fb = beliefs(_glyphs("二〇二一年十月三十一日"), k=6)
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"beliefs": (fb,)}) if ln.text == "二〇二一年十月三十一日" else ln for ln in page.lines)})
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"], copies_from=2023))
    assert "issue_date" not in got


def test_a_labelled_value_read_unsurely_takes_the_surer_reading_of_the_same_value(rules) -> None:
    """A seal over the 验收结论 cell: 合格 read there at 0.5. The letter says 该工程消防验收合格
    as well, read surely: the same value, and as sure as that reading. A different value
    elsewhere changes nothing."""
    rows = [["太原市住房和城乡建设局"], ["建设工程消防验收意见书"], ["并住建消验字〔2020〕4号"],
            ["建设单位", "太原市迎泽区通达职业培训学校"], ["验收结论", "合格"], ["经现场评定，该工程消防验收合格。"],
            ["太原市住房和城乡建设局"], ["2020年7月20日"]]
    page = ocr_page(rows)
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"confidence": 0.5}) if ln.text == "合格" else ln for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])["acceptance_conclusion"]
    assert got.value == "合格" and got.confidence > 0.9
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"text": "经现场评定，该工程消防验收不合格。"}) if ln.text.startswith("经现场") else ln
        for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])["acceptance_conclusion"]
    assert got.value == "合格" and got.confidence == 0.5


def test_only_the_copy_annotation_date_is_no_issue_date(rules) -> None:
    page = ocr_page([["吕梁市住房和城乡建设局"], ["建设工程消防验收意见书"], ["吕住建消验〔2022〕第78号"], ["吕梁市技工学校："],
                     ["管理暂行规定》等有关规定，你单位于2021年12月27日申请的吕"], ["梁市技工学校实训楼新建工程消防验收。"],
                     ["综合评定结论为合格。"], ["吕梁市住房和城乡建设局"], ["口", "日"], ["建121"], ["与原件核对一致"], ["2024.2.22"]])
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert "issue_date" not in got  # neither the copy's date nor the application date
    assert got["construction_unit"] == "吕梁市技工学校"  # the addressee line


def test_foot_date_whose_year_lost_digits_under_the_seal(rules) -> None:
    page = ocr_page([["临汾市住房和城乡建设局"], ["特殊建设工程消防验收意见书"], ["临住建消验字〔2019〕103号"],
                     ["临汾市尧都区宏图职业技能培训学校："],
                     ["管理暂行规定》等有关规定，你单位于二○一八年十一月十七日申"], ["请的XX学校学生食堂新建工程消防验收。"],
                     ["经现场评定，该工程消防验收合格。"], ["临汾市住房和城乡建设局"], ["二一九年一月六日"]])
    fields = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])
    assert fields["issue_date"].value == "2019-01-06"
    # only year glyphs were lost (一九 of 二〇一九 kept in order) and the 文号 gives the year back:
    # month and day were read whole, so nothing was guessed
    assert fields["issue_date"].confidence > 0.9
    assert fields["construction_unit"].confidence > 0.9
    # a day glyph lost too (一月日): that is a guess, a person confirms it
    page = page.model_copy(update={"lines": tuple(ln.model_copy(update={"text": "二一九年一月日"})
                                                  if ln.text == "二一九年一月六日" else ln for ln in page.lines)})
    fields = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])
    assert "issue_date" not in fields or fields["issue_date"].confidence <= 0.5
    # a year that is not the 文号's (二一八 for 2019): not given back
    page = page.model_copy(update={"lines": tuple(ln.model_copy(update={"text": "二一八年一月六日"})
                                                  if ln.text == "二一九年一月日" else ln for ln in page.lines)})
    fields = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])
    assert fields["issue_date"].confidence <= 0.5


def test_a_name_printed_twice_is_taken_from_the_better_reading(rules) -> None:
    # the foot line lost its first character under the seal; the letterhead has it whole
    page = ocr_page([["吕梁市住房和城乡建设局"], ["特殊建设工程消防验收意见书"], ["吕住建消验字〔2023〕第57号"], ["吕梁市职业技能鉴定所："],
                     ["综合评定结论为合格。"], ["梁市住房和城乡建设局"], ["二〇二三年十一月二十三日"]])
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["issuing_authority"] == "吕梁市住房和城乡建设局"
    assert got["issue_date"] == "2023-11-23"


def test_report_title_and_foot_with_a_red_header(rules) -> None:
    page = ocr_page([["朔州市职业技能公共实训基地文件"], ["朔州字〔2024]11号"], ["朔州市职业技能公共实训基地关于开展安全生产整"],
                     ["治行动的自查报告"], ["朔州市人力资源和社会保障局："], ["一、意识形态方面"], ["特此报告。"],
                     ["州市职业技能公共实训基地"], ["2024年220日"]])
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert got["institution_name"] == "朔州市职业技能公共实训基地"
    assert got["report_date"] == "2024-02-20"


def test_prose_value_confidence_is_its_own_rows_not_the_paragraphs(rules) -> None:
    """A scribble read at 0.4 under the letter must not make the conclusion look unsure."""
    page = ocr_page(LETTER_CERT[:6] + [["11120 242.21"]] + LETTER_CERT[6:], conf=0.98)
    junk = [ln for ln in page.lines if ln.text == "11120 242.21"][0]
    page = page.model_copy(update={"lines": tuple(ln.model_copy(update={"confidence": 0.4}) if ln is junk else ln
                                                  for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])
    assert got["acceptance_conclusion"].value == "合格"
    assert got["acceptance_conclusion"].confidence >= 0.9
    assert got["project_name"].confidence >= 0.9


@pytest.mark.parametrize("rows", [
    # （二」 and （三 with its bracket lost are headings; a sentence that merely mentions an area is not
    [["大同技师学院关于安全生产整治自查情况的报告"], ["（一）意识形态工作责任制落实情况"],
     ["建立了阵地管理台账，维护意识形态安全。"], ["（二」办学条件达标方面。对照设置标准逐项自查。"],
     ["（三消防及用电安全。安全出口保持畅通。"], ["学生实习实训安全教育同步开展。"], ["本次共排查隐患3项，已整改3项。"]],
    # （一） read as （）, 三、 read as 、: the thin numeral is gone, the heading is not
    [["阳泉市华阳技工学校关于安全生产整治自查情况的报告"], ["一、自查工作开展情况"],
     ["（）意识形态工作、建立了课堂、讲座等阵地管理台账，做到专人负责"], ["（）办学条件。各项业务正常开展，办学许可证在有效期内"],
     ["、校园安全方面"], ["全面排查了教学楼、宿舍、食堂等重点部位，消防安全管理制度落实到位"]],
])
def test_area_headings_with_a_misread_bracket_or_lost_numeral_still_count(rules, rows: list[list[str]]) -> None:
    got = values(extract_fields([ocr_page(rows)], rules.doctypes["self_inspection_report"]))
    assert got["areas_covered"] == ["ideology", "school_conditions", "campus_safety"]


def test_a_label_line_in_a_table_row_stops_at_the_next_label(rules) -> None:
    rows = [["大同技师学院关于安全生产整治自查情况的报告"], ["联系人：王静联系电话：13832580489", "数"]]
    got = values(extract_fields([ocr_page(rows)], rules.doctypes["self_inspection_report"]))
    assert got["contact_person"] == "王静" and got["contact_phone"] == "13832580489"


def test_label_value_confidence_is_its_own_boxes_not_the_rows(rules) -> None:
    """A box read at 0.3 at the far end of the row (a stamp fragment) leaves 联系人 trusted."""
    page = ocr_page([["大同技师学院关于安全生产整治自查情况的报告"], ["联系人：王静", "联系电话：13832580489", "数"]])
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"confidence": 0.3}) if ln.text == "数" else ln for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["self_inspection_report"])
    assert got["contact_person"].value == "王静" and got["contact_person"].confidence > 0.9
    assert got["contact_phone"].confidence > 0.9


def _date_row(frames: list[dict[str, float]]):
    from extractors.fields import Row
    from tests.unit.test_lexicon import beliefs

    fb = beliefs(frames, k=6)
    return Row(1, fb.greedy(), (0, 0, 100, 40), 0.9, "ocr", 0, (), (fb,))


def _glyphs(text: str, faint: dict[int, float] | None = None, width: int = 2) -> list[dict[str, float]]:
    """Frames reading `text`. A glyph i in `faint` is seen over `width` frames at that
    probability each, blank the rest: below blank in every frame (the best path drops it), yet
    likelier present than not once all alignments are summed (0.45 over 4 frames: 0.91 to 0.09)."""
    frames: list[dict[str, float]] = [{"": 0.999}]
    for i, ch in enumerate(text):
        p = (faint or {}).get(i)
        if p is not None:
            frames += [{"": 1 - p, ch: p}] * width
        else:
            frames.append({ch: 0.999, "": 0.0009})
        frames.append({"": 0.998, ch: 0.001})
    return frames


def test_a_date_under_a_seal_is_decoded_from_what_the_recogniser_saw() -> None:
    from extractors.fields import decode_date

    # 二〇一 and the 一 of 十一 half hidden: read 九年八月十日, but the recogniser saw them faintly
    row = _date_row(_glyphs("二〇一九年八月十一日", {0: 0.45, 1: 0.45, 2: 0.45, 8: 0.45}, width=4))
    assert row.text == "九年八月十日"
    got = decode_date(row, 2019)
    assert got is not None and got.decided
    assert (got.text, got.when.isoformat()) == ("二〇一九年八月十一日", "2019-08-11") and 0 < got.confidence < 0.9
    # digits, read clean
    got = decode_date(_date_row(_glyphs("2024年2月26日")), 2024)
    assert got is not None and got.when.isoformat() == "2024-02-26" and got.confidence > 0.85


def test_a_date_the_recogniser_could_not_tell_is_only_a_guess() -> None:
    from extractors.fields import REPAIRED_DATE_CONFIDENCE, decode_date

    frames = _glyphs("2024年2月26日")
    frames[1 + 2 * 8] = {"6": 0.5, "8": 0.5}  # 26 or 28: nothing to choose between
    got = decode_date(_date_row(frames), 2024)
    assert got is not None and not got.decided and got.when.isoformat() in ("2024-02-26", "2024-02-28")
    assert got.confidence <= REPAIRED_DATE_CONFIDENCE
    # the 一 of 十一 seen only faintly (0.45 over 2 frames): 十日 and 十一日 too close to call
    got = decode_date(_date_row(_glyphs("二〇一九年八月十一日", {8: 0.45})), 2019)
    assert got is not None and not got.decided and got.confidence <= REPAIRED_DATE_CONFIDENCE
    assert decode_date(_date_row(_glyphs("2024年2月26日")), 2010) is None  # not a year the document gives


def _foot_date_under_seal(rules, cuts, text: str | None = None, **kw):  # type: ignore[no-untyped-def]
    """report_date of REPORT whose foot date line (2024年2月26日) carries the re-cuts `cuts` as
    beliefs and, when `text` is given, was first read as that; `kw` go to extract_fields."""
    update = {"beliefs": tuple(cuts), **({"text": text} if text is not None else {})}
    page = ocr_page(REPORT)
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update=update) if ln.text == "2024年2月26日" else ln for ln in page.lines)})
    return extract_fields([page], rules.doctypes["self_inspection_report"], **kw)["report_date"]


def test_a_date_before_the_campaign_yields_to_a_re_cut_that_read_it_within(rules) -> None:
    """A ring stroke through the 4 made 2021年2月26日 of the first pass; a re-cut of the line read
    2024年2月26日 whole. The report answers a 2024 notice (the campaign's `not_before`): the
    re-cut's date stands, sure. With no re-cut reading a date from then on, the first reading
    stays (the campaign check then asks a person), and without the bound nothing changes."""
    from tests.unit.test_lexicon import beliefs

    cuts = [beliefs(_glyphs("二2021年2月26日"), k=6), beliefs(_glyphs("二2024年2月26日"), k=6)]

    def report_date(cuts, **kw):  # type: ignore[no-untyped-def]
        return _foot_date_under_seal(rules, cuts, "2021年2月26日", **kw)

    got = report_date(cuts, dated_from=dt.date(2024, 1, 1))
    assert got.value == "2024-02-26" and got.confidence > 0.9
    assert report_date(cuts).value == "2021-02-26"
    assert report_date(cuts[:1], dated_from=dt.date(2024, 1, 1)).value == "2021-02-26"
    # a re-cut reading another day of 2024 is no reading of this line's year alone
    other = [cuts[0], beliefs(_glyphs("二2024年2月28日"), k=6)]
    assert report_date(other, dated_from=dt.date(2024, 1, 1)).value != "2024-02-28"


def test_no_date_before_the_campaign_is_a_candidate_for_a_line_under_a_seal(rules) -> None:
    """The first pass read 二〇二四年二月二十六日; both re-cuts read the month as 一 (a seal stroke, or one
    lost). Alone, the line is in doubt between January and February, and the decoder sides with
    the re-cuts. A report answers the campaign's notice (`not_before`, February): no January date
    is a candidate, and what the first pass saw stands, sure."""
    from tests.unit.test_lexicon import beliefs

    cuts = [beliefs(_glyphs("二〇二四年一月二十六日"), k=6), beliefs(_glyphs("二〇二四年一月二十六日"), k=6)]
    alone = _foot_date_under_seal(rules, cuts, "二〇二四年二月二十六日")
    assert alone.value != "2024-02-26" or alone.confidence <= 0.5
    got = _foot_date_under_seal(rules, cuts, "二〇二四年二月二十六日", dated_from=dt.date(2024, 2, 1))
    assert got.value == "2024-02-26" and got.confidence > 0.9


def test_a_re_cut_with_a_glyph_the_decided_date_lacks_is_not_overruled() -> None:
    """Nothing read first under the seal; one re-cut read 二二四年二月二四日 (month and day, the
    year's glyphs lost), the other 二〇二四年二月二日, which the decoder decides on. The seal hides
    glyphs and adds none: 二月二日 would have it add the 四 the first re-cut shows, while 二十四日
    only has it hide a 十. The first re-cut's date, for a person to confirm (the cuts disagree)."""
    from extractors.fields import REPAIRED_DATE_CONFIDENCE, Row, _under_seal_date
    from tests.unit.test_lexicon import beliefs

    cuts = (beliefs(_glyphs("二二四年二月二四日"), k=6), beliefs(_glyphs("二〇二四年二月二日"), k=6))
    got = _under_seal_date(Row(1, "四年月日", (0, 0, 100, 40), 0.9, "ocr", 0, (), cuts), None, 2024)
    assert got is not None and got[1].isoformat() == "2024-02-24" and got[2] <= REPAIRED_DATE_CONFIDENCE
    # the re-cut alone: its date, as sure as the line (only year glyphs lost)
    got = _under_seal_date(Row(1, "四年月日", (0, 0, 100, 40), 0.9, "ocr", 0, (), cuts[:1]), None, 2024)
    assert got is not None and got[1].isoformat() == "2024-02-24" and got[2] == 0.9


def test_a_date_the_re_cuts_lost_a_glyph_of_keeps_the_first_reading(rules) -> None:
    """The first pass read 2024年2月26日 whole; both re-cuts lost the day's 6 (2024年2月2日), their
    frames holding a faint 8 the decoder would decide for. What the re-cuts lost says nothing
    against what the first pass saw: 26, as sure as the line."""
    from tests.unit.test_lexicon import beliefs

    cut = beliefs(_glyphs("2024年2月28日", faint={8: 0.45}, width=4), k=6)
    assert cut.greedy() == "2024年2月2日"
    got = _foot_date_under_seal(rules, [cut, cut])
    assert got.value == "2024-02-26" and got.confidence > 0.9


def test_a_foot_date_the_recogniser_cannot_confirm_is_left_for_a_person(rules) -> None:
    """The first pass read 2024年2月26日 under the seal; re-cut wider, 26 and 28 fit equally."""
    from tests.unit.test_lexicon import beliefs

    frames = _glyphs("2024年2月26日")
    frames[1 + 2 * 8] = {"6": 0.5, "8": 0.5}
    got = _foot_date_under_seal(rules, [beliefs(frames, k=6)])
    assert got.value == "2024-02-26" and got.confidence <= 0.5
    clean = extract_fields([ocr_page(REPORT)], rules.doctypes["self_inspection_report"])
    assert clean["report_date"].confidence > 0.9


def test_seal_strokes_read_beside_a_date_under_the_seal_leave_it_sure(rules) -> None:
    """The seal's ring beside the date read as a box of its own (新班 at 0.4): the date, read
    whole and confirmed by the recogniser re-cut, is as sure as its own box."""
    from tests.unit.test_lexicon import beliefs

    rows = [r if r != ["2024年2月26日"] else ["新班", "2024年2月26日"] for r in REPORT]
    page = ocr_page(rows, x_gap=20)
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"confidence": 0.4}) if ln.text == "新班" else
        ln.model_copy(update={"beliefs": (beliefs(_glyphs("2024年2月26日"), k=6),)}) if ln.text == "2024年2月26日" else ln
        for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["self_inspection_report"])
    assert got["report_date"].value == "2024-02-26" and got["report_date"].confidence > 0.9


def test_strokes_read_beside_a_signing_date_no_seal_was_found_on_leave_it_sure(rules) -> None:
    """hAll | 2024年2月15日: a seal's ring read as a box beside the date (0.54) on a photocopy
    whose grey seal went unfound (a real scan, seed 444). The date is as sure as its own box."""
    rows = [r if r != ["2024年2月26日"] else ["hAll", "2024年2月15日"] for r in REPORT]
    page = ocr_page(rows, x_gap=40)
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"confidence": 0.54}) if ln.text == "hAll" else ln for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["self_inspection_report"])
    assert got["report_date"].value == "2024-02-15" and got["report_date"].confidence > 0.9


def test_a_recut_that_took_in_a_ring_stroke_and_lost_a_glyph_says_nothing_against_the_date(rules) -> None:
    """Read whole first (2024年2月26日); the wide re-cut took in a ring stroke (read 1) and
    both re-cuts lost the 6: each is the date with glyphs lost, so the date stands."""
    from extractors.fields import _cut_lost_glyphs
    from tests.unit.test_lexicon import beliefs

    cuts = (beliefs(_glyphs("12024年2月2日"), k=6), beliefs(_glyphs("2024年2月2日"), k=6))
    got = _foot_date_under_seal(rules, cuts)
    assert got.value == "2024-02-26" and got.confidence > 0.9
    assert _cut_lost_glyphs("2024年2月2日印", "2024年2月26日")
    assert not _cut_lost_glyphs("2024年2月28日", "2024年2月26日")  # another glyph, not a lost one


def test_a_ring_stroke_read_among_the_date_s_glyphs_says_nothing_against_it(rules) -> None:
    """Read whole first (2024年2月26日); both wide re-cuts read a ring stroke as 朔 between 26
    and 日, which a 28 or a 27 would explain as well as the 6 does: the decoder doubts the day,
    but only because of the stroke. The date stands, as sure as its line."""
    from extractors.fields import _cut_lost_glyphs
    from tests.unit.test_lexicon import beliefs

    frames = _glyphs("2024年2月26朔日")
    cuts = (beliefs(frames, k=6), beliefs(frames, k=6))
    got = _foot_date_under_seal(rules, cuts)
    assert got.value == "2024-02-26" and got.confidence > 0.9
    assert _cut_lost_glyphs("二○二二年五月二十朔日", "二〇二二年五月二十日")
    assert not _cut_lost_glyphs("2024年2月26日", "2024年2月26日")  # no stroke: its doubt is the date's own


def test_a_date_whose_year_the_number_gives_back_is_whole_against_recuts_that_lost_glyphs(rules) -> None:
    """The first pass read 二一八年十月十九日 under the seal (〇 lost; the 文号's 2018 gives it
    back: nothing guessed); both re-cuts lost the day's 十 (二〇八年十月九日). A seal hides
    glyphs, it does not add them: the fuller day stands, as sure as its line."""
    from extractors.fields import _year_left_is_one_years
    from tests.unit.test_lexicon import beliefs

    page = ocr_page([["山西省太原市公安消防支队"], ["建设工程消防验收意见书"], ["并公消验字〔2018〕第0371号"],
                     ["建设单位", "山西建筑工程技师学院"], ["验收结论", "合格"], ["山西省太原市公安消防支队"],
                     ["二一八年十月十九日"]])
    cut = beliefs(_glyphs("二〇一八年十月十九日", {2: 0.2, 7: 0.2}), k=6)  # 一 and the day's 十 faint
    assert cut.greedy() == "二〇八年十月九日"
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"beliefs": (cut, cut)}) if ln.text == "二一八年十月十九日" else ln for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])["issue_date"]
    assert got.value == "2018-10-19" and got.confidence > 0.9
    assert _year_left_is_one_years("二四年二月十八日", 2024)
    assert not _year_left_is_one_years("20年1月8日", 2020)  # the start of 2021 as well
    assert not _year_left_is_one_years("年五月十四日", 2019)  # nothing left to tell


def test_a_date_read_only_with_glyphs_lost_is_as_sure_as_the_decoder_is_of_it(rules) -> None:
    """The seal hid the year's first 2 and the 日 from every reading (024年2月26); the decoder
    decides on 2024年2月26日, far ahead of any other date. What the seal hid costs nothing:
    the date is as sure as its line, not as dear as the hidden glyphs."""
    from tests.unit.test_lexicon import beliefs

    cut = beliefs(_glyphs("2024年2月26日", {0: 0.05, 9: 0.05}), k=6)
    assert cut.greedy() == "024年2月26"
    got = _foot_date_under_seal(rules, [cut, cut], text="024年2月26")
    assert got.value == "2024-02-26" and got.confidence > 0.9


def test_a_foot_date_only_partly_read_gives_its_likeliest_date_for_a_person_to_confirm(rules) -> None:
    """The first pass read 2024年2月日 (the seal hid the day); the recogniser saw 26 or 28.
    The date is there: the likeliest is given at low confidence, not reported missing."""
    from extractors.fields import REPAIRED_DATE_CONFIDENCE
    from tests.unit.test_lexicon import beliefs

    frames = _glyphs("2024年2月26日")
    frames[1 + 2 * 8] = {"6": 0.5, "8": 0.5}
    got = _foot_date_under_seal(rules, [beliefs(frames, k=6)], text="2024年2月日")
    assert got.value in ("2024-02-26", "2024-02-28")
    assert got.confidence <= REPAIRED_DATE_CONFIDENCE


def test_each_cut_of_a_date_line_is_decoded_on_its_own() -> None:
    """The wide cut cannot tell 十一月 from 一月; the tight cut can: the tight cut decides.
    Two cuts that each decide, differently, decide nothing."""
    from extractors.fields import Row, decode_date

    wide = _date_row(_glyphs("二〇二一年十一月三日", {5: 0.45})).beliefs[0]
    tight = _date_row(_glyphs("二〇二一年十一月三日")).beliefs[0]
    other = _date_row(_glyphs("二〇二一年十一月八日")).beliefs[0]
    row = _date_row(_glyphs("二〇二一年十一月三日"))

    def decode(*cuts):  # noqa: ANN002, ANN202
        got = decode_date(Row(**{**row.__dict__, "beliefs": cuts}), 2021)
        assert got is not None
        return got

    assert not decode(wide).decided
    both = decode(wide, tight)
    assert both.decided and both.when.isoformat() == "2021-11-03"
    assert not decode(tight, other).decided


def test_a_wrapped_address_stops_at_the_next_label_even_after_a_misread_separator(rules) -> None:
    """The address wraps to the next line, where ； was read as ： before 建筑面积."""
    page = ocr_page([["你单位申请的吕梁市技工学校学生公寓楼项目（建设地址：吕梁市离石区北川河西路"],
                     ["1号：建筑面积：6101.00平方米；建筑层数：地上3层；使用性质：教学）进行了"],
                     ["消防验收。经现场评定，该工程消防验收合格。"]])
    got = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])
    assert got["project_address"].value == "吕梁市离石区北川河西路1号"
    assert got["building_area_m2"].value == 6101.0


def test_a_letter_that_names_no_project_has_no_project_name(rules) -> None:
    """你单位申请的建设工程（工程地址：…）: every project is a 建设工程; the letter names none, and
    the certificate lacks its project name (a real generated certificate, seed 888). A named one
    further on is still found."""
    lines = [["管理暂行规定》等有关规定，你单位于二〇二二年三月十三日申请"],
             ["的建设工程（工程地址：长治市潞州区英雄中路39号；建筑面积："],
             ["3200.00平方米）进行了消防验收。经现场评定，该工程消防验收合格。"]]
    got = extract_fields([ocr_page(lines)], rules.doctypes["fire_acceptance_certificate"])
    assert "project_name" not in got and got["project_address"].value == "长治市潞州区英雄中路39号"
    named = [*lines, ["你单位报送的实训楼改造工程（工程地址：长治市潞州区英雄中路39号）已备案。"]]
    got = extract_fields([ocr_page(named)], rules.doctypes["fire_acceptance_certificate"])
    assert got["project_name"].value == "实训楼改造工程"


def test_a_label_whose_colon_was_lost_still_gives_its_value(rules) -> None:
    """联系人孟薄联系电话：0355·2714509 (a real photocopy, seed 444): 联系人's colon lost, the
    next pair's label kept its own. The contact is 孟薄; the number's dash read as · is a dash.
    Without a label after it, a label glued to text (联系人员名单) gives nothing."""
    report = rules.doctypes["self_inspection_report"]
    got = values(extract_fields([ocr_page([["主要负责人：谭问阳"], ["联系人孟薄联系电话：0355·2714509"]])], report))
    assert (got["contact_person"], got["contact_phone"]) == ("孟薄", "0355-2714509")
    got = values(extract_fields([ocr_page([["主要负责人：谭问阳"], ["联系人员名单见附件"]])], report))
    assert "contact_person" not in got


def test_a_page_number_under_the_last_line_is_not_part_of_its_value(rules) -> None:
    from records.models import PageText, TextLine

    texts = ["联系人：孙晓东                                  联系电话：0354-5878993", "-3-"]
    lines = (TextLine(text=texts[0], bbox=[100, 2100, 1550, 2140], confidence=0.99),
             TextLine(text=texts[1], bbox=[780, 2250, 860, 2290], confidence=0.99))
    page = PageText(page_no=1, width=1654, height=2339, dpi=200, origin="ocr", lines=lines)
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert got["contact_phone"] == "0354-5878993"


def test_a_signing_date_beside_a_copy_annotations_date_is_the_earlier() -> None:
    from extractors.fields import Row, find_foot_date

    texts = ["阳住建消验字[2022]第009号", "综合评定结论为合格。", "与原件核对一致\t住房和", "阳泉市住房和城乡建设局",
             "2024.2.24\t2022年6月28日"]
    rows = [Row(1, t, (100, 100 + 60 * i, 1500, 140 + 60 * i), 0.95, "ocr", i, ()) for i, t in enumerate(texts)]
    hit = find_foot_date(rows)
    assert hit is not None and hit.value == "2022-06-28"


def test_area_headings_whose_enumerator_ocr_lost_open_their_paragraph(rules) -> None:
    """意识形态工作。我中心… opens a paragraph with its own short title: a heading, though its （一）
    is gone; a line that continues a sentence is not, whatever it names."""
    rows = [
        ["阳泉市职业技能鉴定中心关于安全生产整治行动自查情况的报告"],
        ["一、自查工作开展情况"],
        ["意识形态工作。我中心严格落实党组织领导下的主任负责制，意识形态工作责"],
        ["任制层层落实到位。"],
        ["设置标准达标情况。各项业务正常开展，机构运转正常，办学许可证在有效期"],
        ["内。"],
        ["四学生实习管理。实操场所符合规定，实训设备安全防护装置齐全，实操前进行"],
        ["食堂卫生。检查了食堂，已全部整改完毕。本次共排查隐患3项，已整改3项，"],
        ["消防安全。灭火器完好有效，"],
        ["（五食品卫生和疫情防控。日常饮用水、餐饮设施定期检测，食堂保持清洁。"],
    ]
    got = values(extract_fields([ocr_page(rows)], rules.doctypes["self_inspection_report"]))
    # 食堂卫生。 follows a line that ran on (…实操前进行): part of that sentence, not a heading;
    # 消防安全。 follows a line ending in a comma: not a heading either.
    assert got["areas_covered"] == ["ideology", "school_conditions", "internship_training", "food_hygiene"]


def test_a_text_layer_table_cell_that_wraps_round_its_label_is_read_whole(rules) -> None:
    """A text-layer PDF's line is split at wide gaps into pieces with their own boxes, so a value
    that wraps in its cell, one line above the label and one below, is read as OCR boxes are."""
    from extractors.pdf import _Char, group_lines
    from records.models import PageText, TextLine

    def word(text: str, x: float, y: float) -> list[_Char]:
        return [_Char(ch, x + 36 * i, y, x + 36 * (i + 1), y + 36) for i, ch in enumerate(text)]

    chars = (word("运城市盐湖区瑞丰职业", 446, 547) + word("单位名称", 244, 574) + word("单位类别", 900, 574)
             + word("职业培训机构", 1080, 574) + word("培训学校", 446, 600)
             + word("主要负责人", 226, 689) + word("张三", 446, 689) + word("联系人", 900, 689) + word("廖永红", 1080, 689))
    lines = list(group_lines(chars, 1654, 2339))
    assert ("单位名称", (244, 574, 388, 610)) in lines  # a piece of its line, with its own box
    page = PageText(page_no=1, width=1654, height=2339, dpi=200, origin="text_layer",
                    lines=tuple(TextLine(text=t, bbox=list(b), confidence=1.0) for t, b in lines))
    head = PageText(page_no=1, width=1654, height=2339, dpi=200, origin="text_layer",
                    lines=(TextLine(text="运城市盐湖区瑞丰职业培训学校关于安全生产整治行动自查情况的报告", bbox=[200, 300, 1450, 360],
                                    confidence=1.0), *page.lines))
    got = extract_fields([head], rules.doctypes["self_inspection_report"])
    assert got["institution_name"].value == "运城市盐湖区瑞丰职业培训学校"
    assert got["institution_name"].source == "text_layer"
    assert got["contact_person"].value == "廖永红"


def test_a_wrapped_value_is_joined_though_one_box_reaches_further_right(rules) -> None:
    """A phone photo: lines end unevenly and a stray box (a stamp, a page number) reaches past
    them; the line that ends in 晋中市 is still a full line that the next one continues."""
    from records.models import PageText, TextLine

    texts = [("根据《中华人民共和国消防法》《建设工程消防设计审查验收", 369, 1113),
             ("管理暂行规定》等有关规定，你单位于2021年9月6日申请的晋中市", 314, 1120),
             ("太谷区明德职业技能培训学校学生公寓楼项目（工程地址：晋中市", 316, 1114),
             ("太谷区蕴华街195号；建筑面积：22440.60平方米；建筑层数：地上", 316, 1137),
             ("3层；使用性质：体育活动）消防验收，我局受理后，依法组织进行", 313, 1131),
             ("了消防验收。", 317, 464), ("经现场评定，该工程消防验收合格。", 317, 900),
             ("附件二维码扫描核验", 900, 1196)]
    lines = tuple(TextLine(text=t, bbox=[x0, 600 + 43 * i, x1, 639 + 43 * i], confidence=0.99)
                  for i, (t, x0, x1) in enumerate(texts))
    page = PageText(page_no=1, width=1240, height=1754, dpi=150, origin="ocr", lines=lines)
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["project_address"] == "晋中市太谷区蕴华街195号"


def test_a_value_on_the_next_line_stops_at_another_fields_label(rules) -> None:
    """工程地址： ends its line; the next line runs on into 建筑面积 with ； read as ：."""
    from records.models import PageText, TextLine

    texts = ["你单位申请的XX学校实训楼工程，工程地址：", "长治市潞州区紫金西街144号：建筑面积：11075.91平方米：建筑层数：地上3层",
             "经现场评定，该工程消防验收合格。"]
    lines = tuple(TextLine(text=t, bbox=[100, 100 + 60 * i, 100 + 38 * len(t), 140 + 60 * i], confidence=0.99)
                  for i, t in enumerate(texts))
    page = PageText(page_no=1, width=1654, height=2339, dpi=200, origin="ocr", lines=lines)
    got = values(extract_fields([page], rules.doctypes["fire_acceptance_certificate"]))
    assert got["project_address"] == "长治市潞州区紫金西街144号"


def test_an_issuing_authority_misread_takes_its_known_name(rules) -> None:
    """The foot's signing body read with a glyph lost (乡) is the 大同 bureau the places spell."""
    page = ocr_page([[r[0].replace("阳泉市住房和城乡建设局", "大同市住房和城建设局")] for r in LETTER_CERT])
    got = extract_fields([page], rules.doctypes["fire_acceptance_certificate"], places=rules.places)
    assert got["issuing_authority"].value == "大同市住房和城乡建设局"
    raw = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])
    assert raw["issuing_authority"].value == "大同市住房和城建设局"


def test_a_signature_garbled_under_a_seal_gives_way_to_the_letterhead_s_known_name(rules) -> None:
    """The seal over the signature garbled three glyphs of eleven (吕梁市註房和城乡睫护局): the
    letterhead prints the same body whole, a name the places spell, and it is taken."""
    page = ocr_page([["吕梁市住房和城乡建设局"], ["建设工程消防验收意见书"], ["吕住建消验字〔2022〕第103号"],
                     ["建设单位", "吕梁市离石区明德职业培训学校"], ["验收结论", "合格"],
                     ["吕梁市註房和城乡睫护局"], ["二〇二二年五月二十日"]])
    doc = rules.doctypes["fire_acceptance_certificate"]
    assert extract_fields([page], doc, places=rules.places)["issuing_authority"].value == "吕梁市住房和城乡建设局"
    # without the places' names nothing says which reading is right: the signature stands
    assert extract_fields([page], doc)["issuing_authority"].value == "吕梁市註房和城乡睫护局"


def test_a_signature_s_tail_read_under_a_seal_gives_way_to_the_letterhead_s_known_name(rules) -> None:
    """The seal hid the signature's first glyphs and slipped one more (肖防支队 of 临汾市公安消防
    支队): the letterhead prints the body whole, a name the places spell, and it is taken."""
    def signed(signature: str):  # type: ignore[no-untyped-def]
        return ocr_page([["临汾市公安消防支队"], ["建设工程消防验收意见书"], ["临公消验〔2014〕第015号"],
                         ["建设单位", "临汾市侯马市瑞丰技能培训中心"], ["验收结论", "合格"],
                         [signature], ["二〇一四年十二月十五日"]])

    doc = rules.doctypes["fire_acceptance_certificate"]
    assert extract_fields([signed("肖防支队")], doc, places=rules.places)["issuing_authority"].value == "临汾市公安消防支队"
    assert extract_fields([signed("肖防支队")], doc)["issuing_authority"].value == "肖防支队"
    # a signature two glyphs of four off the known name's tail is another reading: it stands
    assert extract_fields([signed("肖防大队")], doc, places=rules.places)["issuing_authority"].value == "肖防大队"


def test_a_signing_body_garbled_before_its_stamp_note_is_still_the_signing_body(rules) -> None:
    """晋中市住房和城多建设易（盖章）: two slips made the name look like no organisation, yet the
    stamp note says it is the signing body, and the places spell it back. The 建设单位 row among
    the first rows is that field's value, never a letterhead."""
    rows = [["晋中住建消验字〔2021〕第168号"], ["建设单位", "晋中市榆次区众诚职业技能培训学校"],
            ["工程名称", "图书信息中心建设项目"], ["验收结论", "经综合评定，该工程消防验收合格。"], ["验收部门意见"],
            ["晋中市住房和城多建设易（盖章）"], ["二〇二一年八月十七日"]]
    doc = rules.doctypes["fire_acceptance_certificate"]
    got = extract_fields([ocr_page(rows)], doc, places=rules.places)
    assert got["issuing_authority"].value == "晋中市住房和城乡建设局"
    assert got["issue_date"].value == "2021-08-17"
    assert extract_fields([ocr_page(rows)], doc)["issuing_authority"].value == "晋中市住房和城多建设易"
    unsigned = extract_fields([ocr_page([r for r in rows if "盖章" not in r[0]])], doc, places=rules.places)
    assert "issuing_authority" not in unsigned


def test_traditional_forms_ocr_returns_are_read_as_the_simplified_ones_printed(rules) -> None:
    page = ocr_page([[r[0].replace("阳泉高级技工学校", "阳泉高級技工学校")] for r in LETTER_CERT])
    got = extract_fields([page], rules.doctypes["fire_acceptance_certificate"])
    assert got["construction_unit"].value == "阳泉高级技工学校"


def test_a_seal_hides_glyphs_it_does_not_add_them() -> None:
    """Where the first reading and the wider re-cut differ by glyphs one of them lacks, the fuller
    one stands; where they differ otherwise, a person confirms."""
    import dataclasses
    import datetime as dt

    from extractors.fields import REPAIRED_DATE_CONFIDENCE, _losses_of_one_date, _under_seal_date

    def row(first: str, recut: str):  # noqa: ANN202
        r = _date_row(_glyphs(recut))
        return dataclasses.replace(r, text=first)

    def first(text: str, iso: str) -> tuple[str, object, float]:
        return (text, dt.date.fromisoformat(iso), 0.9)

    # the first pass lost 二 of 二十八; the re-cut saw it
    got = _under_seal_date(row("二〇二四年二月十八日", "二〇二四年二月二十八日"), first("二〇二四年二月十八日", "2024-02-18"), 2024)
    assert got is not None and got[1].isoformat() == "2024-02-28" and got[2] >= 0.9
    # the re-cut lost 1 of 16: the whole first reading stands
    got = _under_seal_date(row("2021年11月16日", "2021年11月6日"), first("2021年11月16日", "2021-11-16"), 2021)
    assert got is not None and got[1].isoformat() == "2021-11-16" and got[2] >= 0.9
    # the re-cut lost the year's 4 and cannot tell 2023 from 2024: unsure only of a glyph the
    # whole first reading has, so the first reading stands
    frames = _glyphs("2024年2月13日")
    frames[7] = {"": 0.6, "4": 0.2, "3": 0.2}
    r = dataclasses.replace(_date_row(frames), text="2024年2月13日")
    got = _under_seal_date(r, first("2024年2月13日", "2024-02-13"), 2024)
    assert got is not None and got[1].isoformat() == "2024-02-13" and got[2] >= 0.9
    # nothing read first (二四年月：十二日); the re-cut read month and day whole, only the year's
    # 〇二 lost, which the 文号 gives back: as sure as the line
    r = dataclasses.replace(_date_row(_glyphs("二四年二月二十二日")), text="二四年月：十二日")
    got = _under_seal_date(r, None, 2024)
    assert got is not None and got[1].isoformat() == "2024-02-22" and got[2] >= 0.9
    # 3 and 5: no glyph lost either way, so a person looks; the value shown is the re-cut's, which
    # the decoder could decide on
    got = _under_seal_date(row("2022年3月23日", "2022年5月23日"), first("2022年3月23日", "2022-03-23"), 2022)
    assert got is not None and got[1].isoformat() == "2022-05-23" and got[2] <= REPAIRED_DATE_CONFIDENCE
    # each reading lost its own glyphs (2 of 21 first, 01 of the year on the re-cut), and the
    # certificate was issued two years after its 文号's year: the one date holding both
    got = _under_seal_date(row("2018年3月1日", "28年3月21日"), first("2018年3月1日", "2018-03-01"), 2016)
    assert got is not None and got[1].isoformat() == "2018-03-21" and got[2] >= 0.9
    # two dates hold both (2021年12月1日 and 2021年12月11日): no one date is taken from the losses
    assert _losses_of_one_date("2021年1月1日", row("2021年1月1日", "202年12月1日"), {2020, 2021, 2022}) is None
    assert _losses_of_one_date("2018年3月1日", row("2018年3月1日", "28年3月21日"), {2018})[0] == "2018年3月21日"


def test_hazards_listed_under_the_problems_section_are_no_focus_areas(rules) -> None:
    """3.学生心理健康档案不完整 is a hazard found, not a heading of the 其他 area."""
    page = ocr_page([["一、自查工作开展情况"], ["（一）意识形态工作"], ["（二）办学条件达标方面"],
                     ["（三）校园安全（消防、用电、疏散通道）"], ["二、存在问题及整改情况"],
                     ["1.食堂排烟管道油污较多。整改措施：委托专业公司清洗排烟管道，已整改完毕。"],
                     ["2.学生心理健康档案不完整。整改措施：补建心理健康档案，已整改完毕。"],
                     ["三、下一步工作"]])
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert got["areas_covered"] == ["ideology", "school_conditions", "campus_safety"]


def _problems_section(rules, line: str) -> dict:  # type: ignore[no-untyped-def]
    """The fields a report gives whose problems section opens with `line`."""
    page = ocr_page([["二、存在问题及整改情况"], [line]])
    return values(extract_fields([page], rules.doctypes["self_inspection_report"]))


def test_hazard_counts_read_through_common_ocr_slips(rules) -> None:
    """问题 read as 间题, 整 of 已整改 lost: the counts are still what the report says."""
    got = _problems_section(rules, "本次自查共发现间题八处，已全部整改完毕。")
    assert (got["hazards_found"], got["hazards_rectified"]) == (8, 8)
    page = ocr_page([["共排查出问题隐患十二项，已改十项，剩余两项正在整改。"]])
    got = values(extract_fields([page], rules.doctypes["self_inspection_report"]))
    assert (got["hazards_found"], got["hazards_rectified"]) == (12, 10)


def test_a_phone_number_no_number_has_the_form_of_is_left_for_a_person(rules) -> None:
    page = ocr_page([["联系人：潘卫东", "联系电话：0355-321293"]])
    got = extract_fields([page], rules.doctypes["self_inspection_report"])
    assert got["contact_phone"].value == "0355-321293" and got["contact_phone"].confidence <= 0.5
    page = ocr_page([["联系人：潘卫东", "联系电话：0355-3212953"]])
    assert extract_fields([page], rules.doctypes["self_inspection_report"])["contact_phone"].confidence > 0.9


@pytest.mark.parametrize(("gap", "sure"), [(4, True), (60, False)])
def test_a_date_read_in_two_pieces_far_apart_is_left_for_a_person(rules, gap: int, sure: bool) -> None:
    """2024年2月 | 5日 under a seal, re-cut as one line: the recogniser sees no glyph between
    the pieces and decodes 2024-02-05 surely. Pieces that touch lost nothing between them;
    pieces a glyph or more apart (2月 _ 5日 of 2月25日) may have: a person confirms."""
    from extractors.fields import REPAIRED_DATE_CONFIDENCE
    from tests.unit.test_lexicon import beliefs

    rows = [r if r != ["2024年2月26日"] else ["2024年2月", "5日"] for r in REPORT]
    page = ocr_page(rows, x_gap=gap)
    page = page.model_copy(update={"lines": tuple(
        ln.model_copy(update={"beliefs": (beliefs(_glyphs("2024年2月5日"), k=6),)}) if ln.text == "2024年2月" else ln
        for ln in page.lines)})
    got = extract_fields([page], rules.doctypes["self_inspection_report"])["report_date"]
    assert got.value == "2024-02-05"
    assert (got.confidence > REPAIRED_DATE_CONFIDENCE) is sure, got


def test_what_is_left_of_an_illegible_date_is_told_from_a_blank_one(rules) -> None:
    """A seal over the signing date leaves 四年二月八 or a seal's inner text 年十三月十: the date
    is printed, only illegible. A blank form line 年  月  日, a sentence with a number in it, a
    labelled date and a whole date are no remnants."""
    from extractors.fields import date_remnant, illegible_fields

    # 二〇海十 十通: 年 月 日 all lost, a year's 〇 among three Chinese numerals is left (a real
    # photo of a certificate under a grey seal, seed 777)
    for left in ("四年二月八", "202年5月", "一日", "七年四月二十七", "年十三月十", "2021年2月", "二〇海十\t十通"):
        assert date_remnant(left), left
    for other in ("年    月    日", "如不服本意见，可在收到本意见书之日起六十日内", "2024年2月8日", "-2-", "排查隐患12项", "",
                  "〇一", "一二三", "0354-1234567"):
        assert not date_remnant(other), other
    cert = rules.doctypes["fire_acceptance_certificate"]
    head = [["阳泉市公安消防支队"], ["建设工程消防验收意见书"], ["阳公消验字〔2017〕第175号"],
            ["建设单位", "阳泉市郊区通达职业培训学校"], ["验收结论", "合格"], ["阳泉市公安消防支队"]]
    page = ocr_page([*head, ["七年四月二", "十七"]])
    fields = extract_fields([page], cert)
    assert "issue_date" not in fields
    assert illegible_fields([page], cert, fields) == {"issue_date": (1, "七年四月二\t十七")}
    # nothing of it on the page, but a seal reader took the date's glyphs into a seal's inner text
    page = ocr_page(head)
    assert illegible_fields([page], cert, {}, [(1, "建设工程消防验收专用章"), (1, "年十三月十")]) == {"issue_date": (1, "年十三月十")}
    assert illegible_fields([page], cert, {}, [(1, "建设工程消防验收专用章")]) == {}
    assert illegible_fields([ocr_page([*head, ["年    月    日"]])], cert, {}) == {}
    # a date field that was read needs nothing
    assert illegible_fields([page], cert, {"issue_date": object()}, [(1, "年十三月十")]) == {}  # type: ignore[dict-item]


def test_a_date_left_beside_a_seals_ring_glyphs_or_read_as_an_impossible_date(rules) -> None:
    """Under a seal the date's remnant can run into the ring's own glyphs (一四日训中心 under
    长治市上党区众诚技能培训中心's ring) or read whole as a date the document cannot bear (2028 of
    2023 where the seal's strokes cross a 3): the date is printed, only illegible, not missing."""
    import datetime as dt

    from extractors.fields import illegible_fields

    cert = rules.doctypes["fire_acceptance_certificate"]
    head = [["大同市住房和城乡建设局"], ["建设工程消防验收意见书"], ["同建消验字〔2023〕第0061号"],
            ["建设单位", "大同市平城区华安职业技能培训学校"], ["验收结论", "合格"]]
    ring = [(1, "长治市上党区众诚技能培训中心")]
    page = ocr_page([*head, ["长治市上党区众诚技能培训中心"], ["一四日训中心"]])
    assert "issue_date" not in extract_fields([page], cert)
    assert illegible_fields([page], cert, {}, rings=ring) == {"issue_date": (1, "一四日训中心")}
    assert illegible_fields([page], cert, {}) == {}  # without the ring, 训中心 is no date's
    # the ring's glyphs go only when they are at the line's end and no date glyph is among them
    assert illegible_fields([ocr_page([*head, ["培训中心的申请"]])], cert, {}, rings=ring) == {}
    # a copy note run into the signing body, then the date read as 2028 under the seal's strokes
    page = ocr_page([*head, ["与原件核对一致大同市住房和城乡建设局"], ["2028年07月18日"]])
    fields = extract_fields([page], cert, dated_to=dt.date(2024, 4, 10))
    assert "issue_date" not in fields
    assert illegible_fields([page], cert, fields, dated_to=dt.date(2024, 4, 10)) == {"issue_date": (1, "2028年07月18日")}
    assert illegible_fields([page], cert, fields) == {}
    # a date the document can bear is no remnant
    page = ocr_page([*head, ["与原件核对一致大同市住房和城乡建设局"], ["2024年03月18日"]])
    assert illegible_fields([page], cert, {}, dated_to=dt.date(2024, 4, 10)) == {}


def test_a_contact_phone_whose_label_was_read_twice_or_lost(rules) -> None:
    """联系电话：联系电话：199… (two overlapping boxes of one label) and 联系人：程国栋联 | 0349-5505353
    (a seal hid 系电话): the number is still the contact's phone. A number that is no phone
    (a count, a page number) beside a contact is not taken."""
    report = rules.doctypes["self_inspection_report"]
    head = REPORT[:8]
    page = ocr_page([*head, ["联系人：戴志强联系电话：联系电话：19914851963"]])
    assert values(extract_fields([page], report))["contact_phone"] == "19914851963"
    page = ocr_page([*head, ["联系人：程国栋联", "0349-5505353"]])
    assert values(extract_fields([page], report))["contact_phone"] == "0349-5505353"
    page = ocr_page([*head, ["联系人：程国栋联", "12"]])
    assert "contact_phone" not in extract_fields([page], report)
    # the label's box, then the label read again with the number, as cells of one table row
    page = ocr_page([*head, ["联系人：戴志强", "联系电话：", "联系电话：19914851963"]], x_gap=30)
    assert values(extract_fields([page], report))["contact_phone"] == "19914851963"
    # ... the second box read over the first (one stretch of ink)
    page = ocr_page([*head, ["联系人：戴志强", "联系电话：", "联系电话：19914851963"]], x_gap=-200)
    assert values(extract_fields([page], report))["contact_phone"] == "19914851963"


def test_a_certificate_is_not_signed_before_it_was_applied_for(rules) -> None:
    """2023年04月09日 with the 4 under a seal stroke, 01 about as likely to the recogniser: the
    certificate answers an application of 2023年02月10日, so January is no candidate and the
    date is decided. The application date is read from 申请日期 or 于…申请, whole only."""
    from extractors.fields import applied_on, decode_date

    frames = _glyphs("2023年04月09日")
    frames[1 + 2 * 6] = {"4": 0.5, "1": 0.5}
    assert not decode_date(_date_row(frames), 2023).decided
    got = decode_date(_date_row(frames), 2023, not_before=dt.date(2023, 2, 10))
    assert got is not None and got.decided and got.when == dt.date(2023, 4, 9)

    def rows(*lines):
        return build_rows([ocr_page([[x] for x in lines])])

    assert applied_on(rows("根据有关规定，你单位于2023年02月10日申请的大同市", "明德技能培训中心教学楼")) == dt.date(2023, 2, 10)
    assert applied_on(rows("申请日期：二〇二一年三月四日", "2021年5月1日")) == dt.date(2021, 3, 4)
    assert applied_on(rows("该工程于2022年5月1日竣工", "大同市住房和城乡建设局")) is None


def test_a_year_no_glyph_of_which_was_seen_is_never_sure() -> None:
    """202年11月29日 on a certificate of 2022 (its 文号) applied for on 2022-10-04: the seal hid
    the year's last glyph, the recogniser saw it only faintly. Whether 2022 or 2023, the date
    is for a person to confirm, never a sure 2023 that then contradicts the 文号."""
    from extractors.fields import REPAIRED_DATE_CONFIDENCE, _only_date, _under_seal_date

    row = _date_row(_glyphs("2023年11月29日", {3: 0.3}))
    assert row.text == "202年11月29日"
    d = _only_date(row, 2022)
    assert d is not None and d[1] == dt.date(2022, 11, 29)
    got = _under_seal_date(row, d, 2022, dt.date(2022, 10, 4))
    assert got is not None and got[2] <= REPAIRED_DATE_CONFIDENCE


def test_a_phone_a_seal_hid_in_part_is_illegible_not_missing(rules) -> None:
    """A personal seal stamped over the contact's phone (reports from a generated corpus): what is
    left of the number follows its label, or what is left of the label (联系 of 联系电话). The
    number is printed: a person reads it; so is a number of no phone's form alone in its cell, its
    label lost (8317434435 of 18317434435). A label with nothing after it, or no phone row at all,
    is a missing number."""
    from extractors.fields import illegible_fields

    report = rules.doctypes["self_inspection_report"]
    head = [["关于安全生产整治行动自查情况的报告"], ["晋中市人力资源和社会保障局："], ["我单位高度重视，开展了自查。"]]
    for row in (["联系人：曹超 联系电话印蕾128983"], ["联系人：谭向阳联系", "1-7673236"], ["联系人：沈国栋", "8317434435"]):
        page = ocr_page([*head, row])
        fields = extract_fields([page], report)
        assert "contact_phone" not in fields, fields["contact_phone"]
        assert fields["contact_person"].value in ("曹超", "谭向阳", "沈国栋")
        assert illegible_fields([page], report, fields) == {"contact_phone": (1, "\t".join(row))}
    for row in (["联系人：曹超", "联系电话："], ["联系人：曹超"], ["联系电话", "", "填报日期", "2024年2月18日"]):
        page = ocr_page([*head, row])
        assert illegible_fields([page], report, extract_fields([page], report)) == {}, row


def test_a_recut_that_lost_a_glyph_of_a_date_whose_year_was_given_back_says_nothing_against_it() -> None:
    """一五年四月十六日 read first (二〇 of the year lost under the seal, given back by the document's
    year); the re-cuts' likeliest date is 二〇一五年四月六日, undecided: the same date with 十 lost,
    nothing added. The first reading stands, as sure as its line. (The row and the recogniser's
    beliefs are a real one, kept from a generated certificate of seed 777.)"""
    import datetime as dt
    import json
    from pathlib import Path

    from extractors.fields import Row, _spelt_whole, _under_seal_date
    from records.models import FrameBeliefs

    d = json.loads((Path(__file__).parent / "data" / "date_row_lost_year_and_ten.json").read_text(encoding="utf-8"))
    row = Row(1, d["text"], tuple(d["bbox"]), d["confidence"], "ocr", 0, (),
              tuple(FrameBeliefs.model_validate(b) for b in d["beliefs"]))
    got = _under_seal_date(row, (d["text"], dt.date(2015, 4, 16), d["confidence"]), 2015)
    assert got is not None and got[1] == dt.date(2015, 4, 16) and got[2] == d["confidence"]
    assert _spelt_whole("一五年四月十六日", dt.date(2015, 4, 16))[0] == "二〇一五年四月十六日"
    # a re-cut that reads another year's glyph (三 for 二) is no loss: a person confirms
    assert _spelt_whole("二〇二二年二月十七日", dt.date(2022, 2, 17))[0] == "二〇二二年二月十七日"


def test_a_phone_under_a_seal_right_after_its_label_is_illegible_not_missing(rules) -> None:
    """联系人：吴玉兰联系电话, and the number after it under the institution's grey seal (a generated
    report, seed 888): the seal lies where the value would be printed, so a person reads it. The
    same row with no seal there, or a seal elsewhere on the page, is a missing number."""
    from extractors.fields import build_rows, illegible_fields

    report = rules.doctypes["self_inspection_report"]
    head = [["关于安全生产整治行动自查情况的报告"], ["忻州市人力资源和社会保障局："], ["我单位高度重视，开展了自查。"]]
    page = ocr_page([*head, ["联系人：吴玉兰联系电话"]])
    fields = extract_fields([page], report)
    assert "contact_phone" not in fields
    row = next(r for r in build_rows([page]) if "联系人" in r.text)
    assert row.bbox is not None
    x1, y0, y1 = row.bbox[2], row.bbox[1], row.bbox[3]
    over = [y0 - 100, y1 + 150]  # a seal's box crossing the row's band
    seal_after = (1, [x1 + 20, over[0], x1 + 300, over[1]])
    assert illegible_fields([page], report, fields, [], [seal_after]) == {"contact_phone": (1, row.text)}
    assert illegible_fields([page], report, fields, [], []) == {}
    far_right = (1, [x1 + 20 + 10 * (y1 - y0), over[0], x1 + 900, over[1]])
    below = (1, [x1 + 20, y1 + 200, x1 + 300, y1 + 500])
    other_page = (2, seal_after[1])
    for seal in (far_right, below, other_page):
        assert illegible_fields([page], report, fields, [], [seal]) == {}, seal
    # a label followed by another cell (a form's empty 联系电话 cell, then 填报日期) is no such row
    form = ocr_page([*head, ["联系人：吴玉兰", "联系电话", "", "填报日期"]])
    frow = next(r for r in build_rows([form]) if "联系人" in r.text)
    assert illegible_fields([form], report, extract_fields([form], report), [],
                            [(1, [frow.bbox[2] - 50, frow.bbox[1] - 100, frow.bbox[2] + 250, frow.bbox[3] + 150])]) == {}


def _fixture_row(name: str, index: int = 0):
    import json
    from pathlib import Path

    from extractors.fields import Cell, Row
    from records.models import FrameBeliefs

    d = json.loads((Path(__file__).parent / "data" / f"{name}.json").read_text(encoding="utf-8"))
    cells = tuple(Cell(c["text"], tuple(c["box"]), c["confidence"], c["start"]) for c in d.get("cells", []))
    return Row(1, d["text"], tuple(d["bbox"]), d["confidence"], "ocr", index, cells,
               tuple(FrameBeliefs.model_validate(b) for b in d["beliefs"]))


def test_re_cuts_unsure_alone_decide_a_date_under_a_seal_together() -> None:
    """Two re-cuts of a date line under a seal, each too unsure alone (its likeliest date under
    80 % of its probability), that both favour the same date: together they decide it, and a
    date read whole that they confirm is as sure as its line (real recogniser beliefs, seeds
    888 and 20261130). Re-cuts that favour different days (一日 / 二日) leave it in doubt."""
    import datetime as dt

    from extractors.fields import REPAIRED_DATE_CONFIDENCE, _cut_dates, _under_seal_date, decode_date

    row = _fixture_row("date_row_cuts_agree_together")
    assert all(c is not None and c.best()[3] < 0.8 for c in (_cut_dates(b, 2024, 2023) for b in row.beliefs))
    dec = decode_date(row, 2024, 2023)
    assert dec is not None and dec.decided and dec.when == dt.date(2023, 6, 2)
    assert _under_seal_date(row, (row.text, dt.date(2023, 6, 2), row.confidence), 2024) == (row.text, dt.date(2023, 6, 2), row.confidence)

    lost = _fixture_row("date_row_year_and_month_lost")  # 〇四年月十四日
    got = _under_seal_date(lost, None, 2024, dt.date(2024, 1, 20), dt.date(2024, 3, 31))
    assert got is not None and got[1] == dt.date(2024, 2, 14) and got[2] > 0.6

    apart = _fixture_row("date_row_cuts_disagree")  # 二一八年八月一日: 八月二日 on one re-cut
    dec = decode_date(apart, 2018)
    assert dec is not None and not dec.decided
    got = _under_seal_date(apart, (apart.text, dt.date(2018, 8, 1), apart.confidence), 2018)
    assert got is not None and got[2] <= REPAIRED_DATE_CONFIDENCE


def test_a_decided_date_fits_its_line_as_well_as_the_cut_that_read_it_best() -> None:
    """2024年1月24日 under a seal, first read 2041月24 (real recogniser beliefs, seed 101): one
    re-cut lost 日 at its edge and decided on the date, the other read the date whole but was less
    sure among dates (those after the application). The date is as sure as the line it was read whole on, not doubted for the
    glyph one cut lost."""
    from extractors.fields import _under_seal_date, decode_date

    row = _fixture_row("date_row_one_cut_lost_its_edge")
    applied = dt.date(2024, 1, 11)  # the certificate answers an application of that day
    dec = decode_date(row, 2024, not_before=applied)
    assert dec is not None and dec.decided and dec.when == dt.date(2024, 1, 24)
    assert dec.confidence > 0.9
    got = _under_seal_date(row, None, 2024, applied)
    assert got is not None and got[1] == dt.date(2024, 1, 24) and got[2] > 0.9


def test_re_cuts_that_favour_no_date_say_nothing_against_the_first_reading() -> None:
    """二〇一三年四月二十日 under a seal's star, read 二〇三年四月二十日 first (the 文号's year gives
    the 一 back), while the re-cuts read 二〇十二年四月 and 二年四月 (real recogniser beliefs,
    seed 777): no two dates hold half their probability (the day is past the cut's edge, every
    day of 四月 fits). They favour no date, so
    they doubt none: the first reading stands as sure as its line, as it would with no re-cut
    near a date at all. Re-cuts that do favour another date (八月二日 on one, at 0.68) still leave
    the first reading in doubt (`test_re_cuts_unsure_alone_decide_a_date_under_a_seal_together`)."""
    from extractors.fields import _under_seal_date, decode_date

    row = _fixture_row("date_row_re_cuts_favour_no_date")
    dec = decode_date(row, 2013, 2013)
    assert dec is not None and not dec.decided and dec.two < 0.5
    got = _under_seal_date(row, (row.text, dt.date(2013, 4, 20), 0.5), 2013)
    assert got is not None and got[1] == dt.date(2013, 4, 20) and got[2] == row.confidence


def test_a_date_every_re_cut_reads_glyph_for_glyph_outweighs_the_first_reading() -> None:
    """2024年2月24日 under a seal: the first pass read 21日 (0.96), both wider re-cuts read
    2024年2月24日 exactly and each decided on it (real recogniser beliefs, seed 555). Two
    readings against one: the re-cuts' date stands, as sure as the line, not left in doubt."""
    from extractors.fields import _under_seal_date

    row = _fixture_row("date_row_re_cuts_read_another_day")
    span = (dt.date(2024, 2, 1), dt.date(2024, 4, 10))  # the report answers the campaign
    got = _under_seal_date(row, (row.text, dt.date(2024, 2, 21), row.confidence), 2024, *span)
    assert got is not None and got[1] == dt.date(2024, 2, 24) and got[2] > 0.9
    # the re-cuts lost year glyphs the 文号 gives back (023年12月6日, 203年12月6日 where the first
    # pass read 203年10月6日; seed 444): month and day read glyph for glyph all the same
    row = _fixture_row("date_row_re_cuts_lost_year_glyphs")
    got = _under_seal_date(row, (row.text, dt.date(2023, 10, 6), 0.5), 2023, dt.date(2023, 10, 29))
    assert got is not None and got[1] == dt.date(2023, 12, 6) and got[2] > 0.8


def test_a_date_that_is_no_other_date_of_its_window_is_sure_whatever_the_seal_hid() -> None:
    """四年二月二十九日 under a seal on a report dated in the campaign's window (February to April
    2024; real recogniser beliefs, seed 444): the year's glyphs are hidden, but with any glyphs
    added it is no other date of the window, and the re-cuts' likeliest date is it: as sure as
    the line. 四年二月九日 (seed 888) is 9, 19 or 29 February with a glyph hidden: left in doubt."""
    from extractors.fields import REPAIRED_DATE_CONFIDENCE, _one_date_in, _under_seal_date

    span = (dt.date(2024, 2, 1), dt.date(2024, 4, 10))
    assert _one_date_in("四年二月二十九日", *span) == dt.date(2024, 2, 29)
    for many in ("四年二月九日", "二〇二四年三月十一日", "2024年3月1日", "三月十日"):  # 2月19日, 3月21日, 3月11日, 3月20日
        assert _one_date_in(many, *span) is None, many
    row = _fixture_row("date_row_year_hidden_one_date_in_window")
    got = _under_seal_date(row, (row.text, dt.date(2024, 2, 29), REPAIRED_DATE_CONFIDENCE), 2024, *span)
    assert got is not None and got[1] == dt.date(2024, 2, 29) and got[2] == row.confidence
    row = _fixture_row("date_row_year_hidden_three_days_in_window")
    got = _under_seal_date(row, (row.text, dt.date(2024, 2, 9), REPAIRED_DATE_CONFIDENCE), 2024, *span)
    assert got is not None and got[1] == dt.date(2024, 2, 9) and got[2] == REPAIRED_DATE_CONFIDENCE


def test_a_report_s_date_is_sought_in_the_campaign_s_years_whatever_the_document_prints() -> None:
    """2024年2月26日 under a seal on a report whose text prints 2021 as its latest year (the first
    pass read the line 2021年2月2月): both re-cuts read 2024年2月26日 whole (real recogniser
    beliefs, seed 555). The report answers the 2024 campaign, so its window's years are
    candidates beside the document's own: the date is found, as sure as the line."""
    from extractors.fields import _under_seal_date

    row = _fixture_row("date_row_year_outside_anchor")
    got = _under_seal_date(row, None, 2021, dt.date(2024, 2, 1), dt.date(2024, 4, 10))
    assert got is not None and got[1] == dt.date(2024, 2, 26) and got[2] > 0.9


def test_a_heading_whose_enumeration_comma_was_misread_still_names_its_area(rules) -> None:
    """五·食品卫生安全方面 (、 read as ·, a real scan, seed 555) heads the food-hygiene section."""
    heads = [["一、意识形态方面"], ["（一）意识形态工作责任落实情况"], ["四、实习实训管理情况"],
             ["五·食品卫生安全方面"], ["六，其他方面"]]
    got = values(extract_fields([ocr_page(heads)], rules.doctypes["self_inspection_report"]))
    assert got["areas_covered"] == ["ideology", "internship_training", "food_hygiene", "other"]


def test_a_gap_in_a_date_a_re_cut_read_across_hides_nothing() -> None:
    """二〇二二年五月一日 under a seal, read first in two boxes with room for a glyph between them
    (二二年五 | 日); a re-cut read the whole date, 月一 included (real recogniser beliefs, seed
    101). What the gap held was read: the date is as sure as its line, not doubted for the gap.
    A gap nothing read across stays for a person to look at."""
    import dataclasses

    from extractors.fields import REPAIRED_DATE_CONFIDENCE, Row, find_foot_date

    head = [Row(1, "晋榆住建消验字〔2022〕第12号", (300, 500, 900, 540), 1.0, "ocr", 0),
            Row(1, "晋中市榆次区住房和城乡建设局", (1000, 1750, 1400, 1800), 1.0, "ocr", 1)]
    date = _fixture_row("date_row_gap_read_on_a_re_cut", index=2)
    got = find_foot_date([*head, date], None, dt.date(2022, 3, 22))
    assert got is not None and got.value == "2022-05-01" and got.confidence > 0.9
    unread = dataclasses.replace(date, beliefs=tuple(b for b in date.beliefs if "月一" not in b.greedy()))
    got = find_foot_date([*head, unread], None, dt.date(2022, 3, 22))
    assert got is None or got.confidence <= REPAIRED_DATE_CONFIDENCE


def test_a_certificate_is_not_dated_after_the_campaign_it_was_sent_to(rules) -> None:
    """二〇二二年二月二十四日 under a seal, read 二〇三二年 on the first pass and on a re-cut
    (real recogniser beliefs, seed 444). The campaign file says a certificate sent in was issued
    before the campaign ended: 2032 is no candidate, and the re-cut's beliefs give 2022."""
    from extractors.fields import _under_seal_date

    ends = rules.campaign.doc_types["fire_acceptance_certificate"].not_after
    assert ends is not None and ends.year == 2024
    row = _fixture_row("date_row_year_after_the_campaign")
    got = _under_seal_date(row, (row.text, dt.date(2032, 2, 24), row.confidence), 2022, dt.date(2022, 1, 31), ends)
    assert got is not None and got[1] == dt.date(2022, 2, 24) and got[2] > 0.6


def test_a_heading_word_with_one_glyph_misread_still_names_its_area(rules) -> None:
    """（一）意识形念工作 (态 read as 念, a real phone photo's slip) heads the ideology section;
    a two-glyph word (其他) must be read exactly, and a word two glyphs off names nothing."""
    heads = [["一、自查工作开展情况"], ["（一）意识形念工作责任落实情况"], ["（二）办学条件达标方面"],
             ["（三）其地安全隐患排查"], ["（四）校风安金方面"]]
    got = values(extract_fields([ocr_page(heads)], rules.doctypes["self_inspection_report"]))
    assert got["areas_covered"] == ["ideology", "school_conditions"]


def test_a_rectification_rate_of_100_whose_percent_sign_was_lost_is_all_rectified(rules) -> None:
    """共排查出问题隐患4项，已整改↓项，整改完成率100。 (the count under a seal read as ↓, the %
    lost; a real scan, seed 555): four found, all four rectified. A rate under 100 says not."""
    got = _problems_section(rules, "共排查出问题隐患4项，已整改↓项，整改完成率100。主要问题及整改情况如下：")
    assert (got["hazards_found"], got["hazards_rectified"]) == (4, 4)
    assert "hazards_rectified" not in _problems_section(rules, "共排查出问题隐患4项，已整改↓项，整改完成率75%。")


def test_the_count_a_problems_section_opens_with_is_found_though_its_label_is_misread(rules) -> None:
    """发理利题6项，已全部整改完毕 (发现问题 misread): six found, all six rectified. A count that
    is not followed by all of them rectified says nothing of what was found."""
    got = _problems_section(rules, "发理利题6项，已全部整改完毕。主要问题及整改情况如下：")
    assert (got["hazards_found"], got["hazards_rectified"]) == (6, 6)
    assert "hazards_found" not in _problems_section(rules, "发理利题6项，主要问题及整改情况如下：")
    # 排查 and 问题 both misread (a real photocopy, seed 444), the rectified count beside it
    got = _problems_section(rules, "共接查出同题隐患9项，已整改9项，整改完成事100%。")
    assert (got["hazards_found"], got["hazards_rectified"]) == (9, 9)
