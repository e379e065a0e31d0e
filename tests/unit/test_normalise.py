from __future__ import annotations

import pytest

from extractors.normalise import (
    cn_to_int,
    find_document_number,
    normalise_area,
    normalise_conclusion,
    normalise_date,
    normalise_org,
    normalise_person,
    normalise_phone,
)


@pytest.mark.parametrize("text,iso", [
    ("2023年12月15日", "2023-12-15"),
    ("二〇二三年十二月十五日", "2023-12-15"),
    ("二○二四年二月二十六日", "2024-02-26"),
    ("2023.12.15", "2023-12-15"),
    ("2024-2-6", "2024-02-06"),
    ("２０２３年１２月１５日", "2023-12-15"),
    ("日期：2024年 2月 26日", "2024-02-26"),
    ("2023年13月45日", None),
    ("没有日期", None),
])
def test_dates(text: str, iso: str | None) -> None:
    assert normalise_date(text) == iso


@pytest.mark.parametrize("text,number,year", [
    ("阳住建消验字〔2023〕第015号", "阳住建消验字〔2023〕第015号", 2023),
    ("文号：阳住建消验字[2023]第015号", "阳住建消验字〔2023〕第015号", 2023),
    ("并公消验字【2017】第0032号", "并公消验字〔2017〕第0032号", 2017),
    ("晋人社厅发（２０２４）9号", "晋人社厅发〔2024〕9号", 2024),
    ("太住建消验字 (2023) 第 8 号", "太住建消验字〔2023〕第8号", 2023),
])
def test_document_numbers(text: str, number: str, year: int) -> None:
    assert find_document_number(text) == (number, year)


def test_document_number_absent() -> None:
    assert find_document_number("建筑面积：8460.25平方米") is None


@pytest.mark.parametrize("text,n", [("12", 12), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105),
                                    ("两", 2), ("１２", 12), ("十", 10), ("abc", None), ("", None)])
def test_counts(text: str, n: int | None) -> None:
    assert cn_to_int(text) == n


@pytest.mark.parametrize("text,v", [("8,460.25㎡", 8460.25), ("8460.25平方米", 8460.25), ("12000 m2", 12000.0),
                                    ("约 3,200.5 平方米", 3200.5)])
def test_areas(text: str, v: float) -> None:
    assert normalise_area(text) == v


@pytest.mark.parametrize("text,v", [("合格", "合格"), ("不合格", "不合格"), ("消防验收不合格", "不合格"),
                                    ("同意通过消防验收", "合格"), ("验收未通过", "不合格"), ("待定", None),
                                    # 合 misread under a seal's ring (a real scan, seed 444): two glyphs
                                    # ending in 格, the first shaped like 合, are 合格; 不格 and 严格 are no verdict
                                    ("A格", "合格"), ("含格", "合格"), ("不格", None), ("严格", None)])
def test_conclusions(text: str, v: str | None) -> None:
    assert normalise_conclusion(text) == v


@pytest.mark.parametrize("text,v", [("0353－2021234", "0353-2021234"), ("13912345678", "13912345678"),
                                    ("（0351）7676045", "0351-7676045"), ("电话 123", None),
                                    ("03537189587", "0353-7189587"), ("01012345678", "010-12345678"),
                                    ("13959558843", "13959558843"),
                                    # the dash read as a middle dot (a real photocopy, seed 444)
                                    ("0355·2714509", "0355-2714509")])
def test_phones(text: str, v: str | None) -> None:
    assert normalise_phone(text) == v


def test_org_and_person() -> None:
    assert normalise_org(" 阳泉高级技工学校（盖章）") == "阳泉高级技工学校"
    assert normalise_org("阳泉市住房和城乡建设局：") == "阳泉市住房和城乡建设局"
    # the 文号 line merged into the addressee line by OCR
    assert normalise_org("运住建消验字[2022]第076号运城市盐湖区瑞丰职业培训学校") == "运城市盐湖区瑞丰职业培训学校"
    assert normalise_person("张 三 校长") == "张三"
    assert normalise_person("王凯") == "王凯"
    assert normalise_person("123") is None
    # the next label run into the name where a seal hid the gap
    assert normalise_person("谭向阳联系") == "谭向阳" and normalise_person("曹超联系电") == "曹超"


def test_fold_variants_maps_ocr_character_forms() -> None:
    from extractors.normalise import fold_variants

    assert fold_variants("单位类別") == "单位类别"
    assert fold_variants("阳泉市住房和城乡建设局") == "阳泉市住房和城乡建设局"


def test_edit_distances_to_many_at_once() -> None:
    from extractors.normalise import edit_distances

    others = ["二〇二一年十一月三日", "二〇二一年一月三日", "", "九年八月十日", "二二〇二一年年一月三日"]
    got = list(edit_distances("二二〇二一年年一月三日", others))
    assert got == [2, 2, 11, 8, 0]
    assert list(edit_distances("", ["ab", ""])) == [2, 0]
    assert len(edit_distances("ab", [])) == 0


def test_a_reading_takes_the_known_name_it_is_a_slip_of() -> None:
    from extractors.normalise import nearest_known

    names = ["大同市住房和城乡建设局", "阳泉市城区住房和城乡建设局", "晋城市城区住房和城乡建设局",
             "山西省大同市公安消防支队", "山西省太原市公安消防支队"]
    assert nearest_known("大同市住房和城建设局", names) == "大同市住房和城乡建设局"  # a glyph lost
    assert nearest_known("山西省大市公安消岳支队", names) == "山西省大同市公安消防支队"  # two slips in 12
    assert nearest_known("大同市住房和城乡建设局", names) == "大同市住房和城乡建设局"
    # halfway between two bodies: left as read
    assert nearest_known("阳城市城区住房和城乡建设局", names) == "阳城市城区住房和城乡建设局"
    # too far from any: a body the list does not know
    assert nearest_known("山西省应急管理厅", names) == "山西省应急管理厅"
    assert nearest_known("大同市住房和城建设局", []) == "大同市住房和城建设局"


def test_variant_forms_fold_to_simplified() -> None:
    from extractors.normalise import fold_variants

    assert fold_variants("高級技工學校") == "高级技工学校"  # traditional
    assert fold_variants("発証") == "发证"  # Japanese shinjitai
    assert fold_variants("阳泉市住房和城乡建设局") == "阳泉市住房和城乡建设局"


def test_a_slip_in_a_leading_place_name_is_put_right() -> None:
    from extractors.normalise import repair_place_names

    cities = {"阳泉市": ["城区", "矿区", "郊区", "平定县", "盂县"], "太原市": ["迎泽区", "尖草坪区", "小店区"],
              "长治市": ["潞州区", "上党区"]}

    def fix(t: str) -> str:
        return repair_place_names(t, "山西省", cities)

    assert fix("附泉市矿区通达技能培训中心") == "阳泉市矿区通达技能培训中心"
    assert fix("山西省附泉市公安消防支队") == "山西省阳泉市公安消防支队"
    assert fix("长治市主党区住房和城乡建设局") == "长治市上党区住房和城乡建设局"
    # what the places know, or a street that only starts like a county, stays as printed
    for t in ("阳泉高级技工学校", "太原市迎泽大街12号", "太原市高级技工学校", "晋城市城区众诚职业培训学校",
              "附近市场", "太原市尖草坪学府街383号"):
        assert fix(t) == t, t


def test_a_misread_glyph_pair_no_text_has_is_folded_to_its_word() -> None:
    from extractors.normalise import fold_variants

    assert fold_variants("底数清、间题清") == "底数清、问题清"
    assert fold_variants("时间表") == "时间表"


@pytest.mark.parametrize("value,ok", [("13912345678", True), ("0351-7676045", True), ("010-62345678", True),
                                      ("0355-3212953", True), ("7676045", True), ("0355-321293", False),
                                      ("1391234567", False), ("23912345678", False)])
def test_phone_forms(value: str, ok: bool) -> None:
    from extractors.normalise import phone_is_valid

    assert phone_is_valid(value) is ok
