"""The rule-based entity layer (extractors/entities.py) on text from real-looking documents."""

from __future__ import annotations

import datetime as dt

from extractors.entities import COMPONENT, dates, entities, of_label, pipeline, repair_year


def ents(text: str, anchor: int | None = None) -> list[tuple[str, str, object]]:
    return [(e.label, e.text, e.value) for e in entities(text, anchor)]


def test_pipeline_is_a_blank_zh_with_the_ruler() -> None:
    nlp = pipeline()
    assert nlp.lang == "zh" and nlp.pipe_names == [COMPONENT]
    assert pipeline() is nlp  # one cached pipeline
    # the char segmenter: every character a token, so character offsets align exactly
    assert [t.text for t in nlp.make_doc("建设单位")] == ["建", "设", "单", "位"]


def test_organisations_where_letters_name_them() -> None:
    assert ents("阳泉高级技工学校：") == [("ORG", "阳泉高级技工学校", "阳泉高级技工学校")]
    assert ents("临汾市公安消防支队（盖章）") == [("ORG", "临汾市公安消防支队", "临汾市公安消防支队")]
    assert ents("阳泉市公安消防支队与原件核对一致")[0][2] == "阳泉市公安消防支队"
    # a copy note read into the name's line before it is no part of the name
    assert ents("与原件核对致朔州市怀仁市住房和城乡建设局（盖章）")[0][2] == "朔州市怀仁市住房和城乡建设局"
    assert ents("经核对无误晋中市公安消防支队")[0][2] == "晋中市公安消防支队"
    assert ents("关于临汾市职业技能鉴定站安全生产整治行动")[0][2] == "临汾市职业技能鉴定站"
    assert ents("中共阳泉市委员会办公室")[0][2] == "中共阳泉市委员会办公室"
    # a building's owner may be any body, not only a school or an office (a federation, a
    # street office, a kindergarten)
    assert ents("运城市盐湖区妇女联合会：") == [("ORG", "运城市盐湖区妇女联合会", "运城市盐湖区妇女联合会")]
    assert ents("太原市迎泽区柳巷街道办事处：")[0][2] == "太原市迎泽区柳巷街道办事处"
    assert ents("阳泉市第一幼儿园：")[0][2] == "阳泉市第一幼儿园"
    # a title run into the addressee by joined lines is not one name
    assert [e.value for e in of_label("太原市高级技工学校关于开展安全生产整治行动的自查报告太原市人力资源和社会保障局：", "ORG")] == [
        "太原市高级技工学校"]
    # an organisation inside a sentence, followed by more sentence, is not marked
    assert of_label("你单位应当依法落实消防安全主体责任", "ORG") == []


def test_dates_printed_and_damaged() -> None:
    assert ents("二〇二三年十二月十五日") == [("DATE", "二〇二三年十二月十五日", "2023-12-15")]
    assert [v for _, _, v in ents("申请日期 2013年3月19日，复查 2013.4.2")] == ["2013-03-19", "2013-04-02"]
    assert dates("2 0 2 4 . 2 . 1 8") == [(0, 17, dt.date(2024, 2, 18))]  # a stamped copy date, spaced
    # 〇 lost under a seal: the 文号's year says which year it was
    assert ents("二一九年一月六日", 2019) == [("DATE", "二一九年一月六日", "2019-01-06")]
    assert ents("二三年三月一日", 2023)[0][2] == "2023-03-01"
    assert ents("二三年三月一日", None) == []  # 2003, 2013 or 2023: not guessed
    assert ents("汾一八年二月十八日", 2018)[0][1:] == ("一八年二月十八日", "2018-02-18")
    assert ents("2024年220日")[0][2] == "2024-02-20"  # 月 lost: only 2月20日 is a date
    assert ents("2024年02F17日")[0][2] == "2024-02-17"  # 月 misread as another glyph
    assert dates("2024年13F17日") == []
    assert dates("二〇二三年二月三十日") == []  # no such day
    assert dates("二二三年十一月六日", 2023, clean_only=True) == []
    # 日 closes a date: digits run into the row after it (a copy annotation's) belong to no date,
    # while without 日 a date is never cut out of a longer number
    assert dates("2016年1月27日24") == [(0, 10, dt.date(2016, 1, 27))]
    assert dates("2024.2.18") == [(0, 9, dt.date(2024, 2, 18))]
    # a 〇 read as a bracket (its right half) in a year of Chinese numerals: the one numeral it can be
    assert dates("二）二四年二月十六日", clean_only=True) == [(0, 10, dt.date(2024, 2, 16))]
    assert dates("二〇一(年三月一日", clean_only=True) == [(0, 9, dt.date(2010, 3, 1))]
    assert dates("二)二)年二月十六日") == []  # two brackets: no year is left to read


def test_repair_year() -> None:
    assert repair_year("二〇二三", None) == 2023
    assert repair_year("二二四", None) == 2024
    assert repair_year("四", 2024) == 2024
    assert repair_year("四", None) is None
    assert repair_year("二二〇二一", 2021) == 2021
    assert repair_year("三七", 2017) is None  # no year of the range fits
    # one glyph left says nothing of which digit it was: the document's year when it has it
    assert repair_year("二", 2020) == 2020
    assert repair_year("二", 2017) is None  # 2012 and 2022 alike: nothing (the decoder decides)
    assert repair_year("八", 2019) == 2018  # not one of 2019's digits: the units digit, nearest
    assert repair_year("二〇", 2019) == 2020  # two glyphs: the units digit is kept


def test_document_numbers() -> None:
    assert ents("晋住建消验〔2023〕第12号")[0] == ("DOCNUM", "晋住建消验〔2023〕第12号", "晋住建消验〔2023〕第12号")
    assert of_label("阳住建消验字[2023]142号", "DOCNUM")[0].value == "阳住建消验字〔2023〕142号"
    assert of_label("并公消验（2018第036号", "DOCNUM")[0].value == "并公消验〔2018〕第036号"  # bracket lost
    # OCR strays: a bracket read as |, a ) before 号
    assert of_label("阳住建消验|2022]第017号", "DOCNUM")[0].value == "阳住建消验〔2022〕第017号"
    assert of_label("阳住建消验字[2021〕180)号", "DOCNUM")[0].value == "阳住建消验字〔2021〕180号"
    # a 文件 header joined to its 文号 does not become part of the number
    got = ents("朔州市职业技能公共实训基地文件朔州字〔2024]11号")
    assert ("ORG", "朔州市职业技能公共实训基地", "朔州市职业技能公共实训基地") in got
    assert ("DOCNUM", "朔州字〔2024]11号", "朔州字〔2024〕11号") in got


def test_counts() -> None:
    assert [(e.text, e.value) for e in of_label("共排查安全隐患十二条，已整改12项，剩余3处", "COUNT")] == [
        ("十二条", 12), ("12项", 12), ("3处", 3)]


def test_a_foot_date_whose_whole_year_the_seal_hid_takes_the_documents_year() -> None:
    from extractors.entities import marked_dates

    assert marked_dates("年五月十四日", 2020) == [(0, 6, dt.date(2020, 5, 14), False)]  # never clean
    assert marked_dates("年五月十四日", None) == []  # no year in the document: nothing to say
    assert marked_dates("于年五月十四日", 2020) == []  # only a line that starts with it
