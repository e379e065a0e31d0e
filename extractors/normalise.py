"""Normalisers: turn printed values into the contract's value forms.

Each returns None when the text holds no valid value of its kind (the caller then reports the
field as missing or invalid); none raises on odd input.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

# The numerals dates and counts are written in (digits, Chinese numerals), for character classes,
# and a regex for one of them.
NUMERALS = "0-9〇○零一二三四五六七八九十"
NUMERAL = re.compile(f"[{NUMERALS}]")

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = "[零〇○一二两三四五六七八九十百千]+"

_OPEN = "〔[【（(［｛{<＜《"
_CLOSE = "〕]】）)］｝}>＞》"


def nfkc(text: str) -> str:
    """Full-width letters/digits/punctuation to their plain forms (NFKC), keeping 〔〕."""
    return unicodedata.normalize("NFKC", text)


# Character forms OCR models trained on mixed CJK text return for the simplified ones printed
# (Japanese shinjitai, and traditional forms: 學 for 学): official documents and seals in the
# mainland are printed and cut in simplified characters.
_VARIANTS = str.maketrans({"別": "别", "団": "团", "単": "单", "気": "气", "発": "发", "証": "证", "県": "县",
                           "圧": "压", "検": "检", "査": "查", "覧": "览", "営": "营", "関": "关", "係": "系"})
_VARIANTS.update(str.maketrans(
    "學會廳區縣資設規劃場監農貿務發專環護勞動財產業運輸經濟開黨辦長書訓練鑑鑒質檢驗證號陽華國團電鄉鎮醫衛職術園員機關廣東與達隊組"
    "紀審廠礦鐵鋼館圖藝體協聯總營銷貨價稅銀險築計諮詢顧問權處應災減輕師範測繪氣統豐飛龍鳳興順寶廈門蘇漢湯濱灣陝遼寧嶺貴雲滬晉魯贛"
    "閩粵瓊蘭臺陰澤絳鄭盧馮陳劉張楊黃趙吳孫鄧蕭謝韓賈葉閻錢羅呂蔣閆鍾譚鄒陸萬喬賀賴龔剛強軍麗靜偉豔傑濤紅鵬曉棟凱線網絡終結紡織維"
    "綠藍點熱燒爐燈車輛軌輪轉軟擔據擬擴採掛撥擇變項須頁題類顯願領導對將尋層屬歲歷曆滿漁溝濕潔濾煙愛態戰擊數齊齡鹽麥齒龜庫廢廟徑從"
    "復後徵憲懷戲戶損搶擁攝敵斷時暫殺滅無爭現畫當疊盡確禮稱積窮竊競筆節簡糧約級紙細絕給綜緊編縮績續罰義習聖聞聲聽肅腦舉舊艦蟲補製"
    "複覺觀視親討記許論評試詩話認語說調請諸謀講識議讀讓貝負責貧購費賓賞賠趨跡踐轄辭邊遞遠適選遺還郵鄰釋針鏈錄錯鍵閉間閱階際隨雙雜"
    "難靈響預頭額風飲養馬驅鬥魚鳥鹹",
    "学会厅区县资设规划场监农贸务发专环护劳动财产业运输经济开党办长书训练鉴鉴质检验证号阳华国团电乡镇医卫职术园员机关广东与达队组"
    "纪审厂矿铁钢馆图艺体协联总营销货价税银险筑计咨询顾问权处应灾减轻师范测绘气统丰飞龙凤兴顺宝厦门苏汉汤滨湾陕辽宁岭贵云沪晋鲁赣"
    "闽粤琼兰台阴泽绛郑卢冯陈刘张杨黄赵吴孙邓萧谢韩贾叶阎钱罗吕蒋闫钟谭邹陆万乔贺赖龚刚强军丽静伟艳杰涛红鹏晓栋凯线网络终结纺织维"
    "绿蓝点热烧炉灯车辆轨轮转软担据拟扩采挂拨择变项须页题类显愿领导对将寻层属岁历历满渔沟湿洁滤烟爱态战击数齐龄盐麦齿龟库废庙径从"
    "复后征宪怀戏户损抢拥摄敌断时暂杀灭无争现画当叠尽确礼称积穷窃竞笔节简粮约级纸细绝给综紧编缩绩续罚义习圣闻声听肃脑举旧舰虫补制"
    "复觉观视亲讨记许论评试诗话认语说调请诸谋讲识议读让贝负责贫购费宾赏赔趋迹践辖辞边递远适选遗还邮邻释针链录错键闭间阅阶际随双杂"
    "难灵响预头额风饮养马驱斗鱼鸟咸",
))


# Words OCR misreads into glyph pairs no text has (问题 read as 间题: 问 and 间 differ by a stroke).
_MISREAD_WORDS = (("间题", "问题"),)


def fold_variants(text: str) -> str:
    """Map variant character forms an OCR model may return to the simplified ones (別 -> 别),
    and misread glyph pairs no text has back to their word (间题 -> 问题)."""
    text = text.translate(_VARIANTS)
    for wrong, right in _MISREAD_WORDS:
        text = text.replace(wrong, right)
    return text


def cn_to_int(text: str) -> int | None:
    """Chinese numerals (十二, 二十三, 一百零五, 两) or digits to an int; None if not a number."""
    text = nfkc(text.strip())
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGITS for c in text):  # digit-by-digit, e.g. 二〇二三
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[c]
            current = 0
        else:
            return None
    return total + current


_DATE_NUM = re.compile(r"((?:19|20)\d{2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_DATE_CN = re.compile(r"([〇零○Ｏ一二三四五六七八九OoＯ0]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def find_dates(text: str) -> list[tuple[int, str, dt.date]]:
    """All valid dates in `text`: (position, matched text, date). Both 2023年12月15日 and 二〇二三年十二月十五日."""
    flat = nfkc(text)
    out: list[tuple[int, str, dt.date]] = []
    for m in _DATE_NUM.finditer(flat):
        try:
            out.append((m.start(), m.group(0), dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            continue
    for m in _DATE_CN.finditer(text):
        y, mo, d = cn_to_int(m.group(1)), cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if y is None or mo is None or d is None:
            continue
        try:
            out.append((m.start(), m.group(0), dt.date(y, mo, d)))
        except ValueError:
            continue
    out.sort(key=lambda t: t[0])
    return out


def normalise_date(text: str) -> str | None:
    """The first date in `text` as ISO YYYY-MM-DD."""
    dates = find_dates(text)
    return dates[0][2].isoformat() if dates else None


_DOCNO = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5]{1,14}?)\s*[" + re.escape(_OPEN) + r"]\s*(?P<year>(?:19|20)\d{2})\s*[" + re.escape(_CLOSE)
    + r"]\s*(?P<di>第?)\s*(?P<num>\d{1,6})\s*(?P<hao>号?)"
)


def find_document_number(text: str) -> tuple[str, int] | None:
    """A 文号 such as 阳住建消验字[2023]第015号 -> ('阳住建消验字〔2023〕第015号', year)."""
    flat = nfkc(text).replace(" ", "")
    m = _DOCNO.search(flat)
    if not m:
        return None
    prefix = re.sub(r"^(文号|编号|字号)[:：]?", "", m.group("prefix"))
    if not prefix:
        return None
    return f"{prefix}〔{m.group('year')}〕{m.group('di')}{m.group('num')}号", int(m.group("year"))


def normalise_document_number(text: str) -> str | None:
    found = find_document_number(text)
    return found[0] if found else None


_AREA = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(?:平方米|平米|㎡|m2|m²|平方)")


def normalise_area(text: str) -> float | None:
    """'8,460.25㎡' / '8460.25平方米' -> 8460.25."""
    m = _AREA.search(nfkc(text).replace("m^2", "m2"))
    if not m:
        m = re.search(r"(\d[\d,，]*(?:\.\d+)?)", nfkc(text))
        if not m:
            return None
    try:
        return float(m.group(1).replace(",", "").replace("，", ""))
    except ValueError:
        return None


def normalise_conclusion(text: str) -> str | None:
    """'合格' / '不合格' (also 验收不合格, 不予通过, 同意通过消防验收)."""
    flat = nfkc(text).replace(" ", "")
    if re.search(r"不合格|不予通过|未通过|不同意", flat):
        return "不合格"
    if re.search(r"合格|同意通过|予以通过|通过验收", flat):
        return "合格"
    # (strokes of a seal's ring read as digits or marks either side of it: 4.9含格8)
    core = re.sub(r"^[^\u4e00-\u9fff]+(?=[\u4e00-\u9fff])|(?<=格)[^\u4e00-\u9fff]+$", "", flat)
    if any(re.fullmatch(r"(?:[^\u4e00-\u9fff]|[含台会舍今全仓企])格", x) for x in (flat, core)):
        # a verdict of two glyphs ending in 格 whose first is no glyph or one shaped like 合 is
        # 合格 misread (A格 under a seal's ring); 不合格 has three, 严格 is a word
        return "合格"
    return None


def normalise_phone(text: str) -> str | None:
    """Digits and dashes: '0353－2021234' -> '0353-2021234'; None if fewer than 7 digits."""
    # a dash as the scan may read it (—, –, －; · between area code and number)
    flat = re.sub(r"(?<=\d)[·•・](?=\d)", "-", nfkc(text).replace("—", "-").replace("–", "-").replace("－", "-"))
    m = re.search(r"(?:\(?\d{3,4}\)?[-\s]?)?\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9}|\d[\d-]{6,}\d", flat)
    if not m:
        return None
    value = re.sub(r"^\((\d{3,4})\)\s*", r"\1-", m.group(0))  # (0351)7676045 -> 0351-7676045
    value = re.sub(r"[()\s]", "", value)
    # A landline printed (or read) without its dash: the area code is 3 digits after 01/02
    # (010, 021 …), else 4 (0351): 03537189587 -> 0353-7189587.
    if re.fullmatch(r"0\d{9,11}", value):
        code = 3 if value[1] in "12" else 4
        if 7 <= len(value) - code <= 8:
            value = f"{value[:code]}-{value[code:]}"
    return value if sum(c.isdigit() for c in value) >= 7 else None


_PHONE_FORMS = re.compile(
    r"1[3-9]\d{9}"  # a mobile
    r"|0(?:[12]\d|\d{3})-\d{7,8}(?:-\d{1,5})?"  # area code (010, 021 / 0351) and a 7-8 digit number
    r"|\d{7,8}"  # a local number alone
)


def phone_is_valid(value: str) -> bool:
    """Whether a normalised phone number has a form numbers have (0355-321293: a digit lost)."""
    return bool(_PHONE_FORMS.fullmatch(value))


_ORG_TRAIL = re.compile(r"[（(][^）)]*(盖章|公章|章)[）)]$")


def normalise_org(text: str) -> str | None:
    """An organisation name: spaces removed, trailing '（盖章）' and punctuation dropped.

    A 文号 the OCR row ran into the name (运住建消验字[2022]第076号运城市…学校: the number line
    and the addressee line merged) is not part of it.
    """
    flat = nfkc(text).replace(" ", "").replace("\u3000", "")
    m = _DOCNO.search(flat)
    if m and m.start() == 0 and len(flat) - m.end() >= 4:
        flat = flat[m.end() :]
    flat = _ORG_TRAIL.sub("", flat)
    flat = flat.strip("：:;；,，。.、 \t")
    flat = re.sub(r"[:：]$", "", flat)
    return flat or None


def normalise_person(text: str) -> str | None:
    """A person's name: 2-4 CJK characters (or a short Latin name), spaces removed."""
    flat = nfkc(text).replace(" ", "").replace("\u3000", "")
    m = re.match(r"[\u4e00-\u9fa5·]{2,5}", flat)
    if m:
        # the next label run into the name where a seal or a stain hid the gap (谭向阳联系, of
        # 联系人：谭向阳 联系电话：…) is not part of it
        name = re.split(r"联系|电话|手机|职务", m.group(0))[0]
        # a title following the name (校长, 同志) is not part of it
        name = re.sub(r"(校长|院长|主任|书记|同志|先生|女士)$", "", name)
        return name if len(name) >= 2 else None
    return None


def normalise_text(text: str) -> str | None:
    flat = nfkc(text).strip().strip("：:;；,，。、 \t")
    flat = re.sub(r"\s+", "", flat)
    return flat or None


def parse_count(text: str) -> int | None:
    """'12' / '十二' / '１２' -> 12."""
    return cn_to_int(text)


NORMALISERS = {
    "text": normalise_text,
    "org": normalise_org,
    "person": normalise_person,
    "date": normalise_date,
    "area_m2": normalise_area,
    "conclusion": normalise_conclusion,
    "phone": normalise_phone,
    "count": parse_count,
}


def repair_place_names(text: str, province: str, cities: dict[str, list[str]]) -> str:
    """`text` with an OCR slip in its leading place names put right: a city one glyph off exactly
    one of the province's (附泉市 for 阳泉市), then a county of that city one glyph off exactly
    one of its counties, its 区/县/市 read (主党区 for 上党区). A county printed without its
    suffix is no slip (迎泽大街 is a street of 太原市, not 迎泽区).

    Only at the start (after the province), where names of bodies, projects and addresses name
    their place; a name the places do not know, and not one glyph off, is left as it is.
    """
    head = province if text.startswith(province) else ""
    rest = text[len(head):]
    m = re.match(r"[\u4e00-\u9fa5]{2,3}市", rest)
    if m and m.group(0) not in cities and not any(m.group(0) in cs for cs in cities.values()):
        near = [c for c in cities if len(c) == len(m.group(0)) and sum(a != b for a, b in zip(c, m.group(0), strict=True)) == 1]
        if len(near) == 1:
            rest = near[0] + rest[m.end():]
    city = next((c for c in cities if rest.startswith(c)), None)
    if city is not None:
        after = rest[len(city):]
        counties = cities[city]
        if not any(after.startswith(c) for c in counties):
            near = [c for c in counties if len(c) >= 3 and len(after) >= len(c)
                    and sum(a != b for a, b in zip(c, after[: len(c)], strict=True)) == 1 and after[len(c) - 1] == c[-1]]
            if len(near) == 1:
                after = near[0] + after[len(near[0]):]
        rest = city + after
    return head + rest


def nearest_known(value: str, names: Sequence[str]) -> str:
    """`value`, or the one name of `names` it is an OCR slip of.

    Taken when it is at most one edit per five glyphs away (大同市住房和城建设局 for
    大同市住房和城乡建设局) and strictly nearer than any other name: a reading halfway between
    two bodies (阳泉市城区 / 晋城市城区) stays as it was read.
    """
    if not value or not names or value in names:
        return value
    dist = edit_distances(value, names)
    order = dist.argsort(kind="stable")
    best = int(dist[order[0]])
    runner_up = int(dist[order[1]]) if len(names) > 1 else best + 1
    name = names[int(order[0])]
    if best <= max(1, round(len(name) / 5)) and runner_up > best:
        return name
    return value


def edit_distances(a: str, others: Sequence[str]) -> Any:
    """Edit distances (insert, delete, substitute) from `a` to each of `others`, all at once
    (a numpy array): the dynamic programme runs over every candidate side by side."""
    import numpy as np

    if not others:
        return np.zeros(0, dtype=np.int64)
    width = max(len(o) for o in others)
    codes = np.full((len(others), width), -1, dtype=np.int64)
    for k, o in enumerate(others):
        codes[k, : len(o)] = [ord(c) for c in o]
    lengths = np.array([len(o) for o in others])
    prev = np.tile(np.arange(width + 1), (len(others), 1))
    for i, ca in enumerate(a, 1):
        cur = np.empty_like(prev)
        cur[:, 0] = i
        diag = prev[:, :-1] + (codes != ord(ca))
        up = prev[:, 1:] + 1
        best = np.minimum(diag, up)
        for j in range(1, width + 1):  # insertion runs along the row
            cur[:, j] = np.minimum(best[:, j - 1], cur[:, j - 1] + 1)
        prev = cur
    return prev[np.arange(len(others)), lengths]


