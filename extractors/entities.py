"""A rule-based entity layer over Chinese official text: organisations, dates, 文号 and counts.

One cached spaCy pipeline: `spacy.blank("zh")` (its default "char" segmenter needs no model or
dictionary download) plus one component, `official_entity_ruler`, that marks

- ORG    an organisation name ending in 局/厅/支队/大队/学校/学院/中心/公司/委员会/基地 …, starting
         where a clause starts and followed by the end of the clause or by what follows a name in
         a letter (关于 …, 文件, （盖章）, 与原件核对一致, a colon);
- DATE   2023年12月15日, 2023.12.15, 二〇二三年十二月十五日, and OCR-damaged Chinese dates whose year
         lost digits under a seal (二二三年, 四年) when a year from the same document (its 文号)
         tells which year it was;
- DOCNUM a 文号 (晋住建消验〔2023〕第12号), also with a bracket lost by OCR;
- COUNT  十二条 / 12项 / 3处 / 5个.

The component runs plain regular expressions over the text and turns character offsets into
spans with `Doc.char_span` (the char segmenter makes every character a token, so offsets align
exactly). Bounded regexes, no token-level quantifiers: a 40-line page takes well under a
millisecond. Each span carries its normalised value in `span._.value` (ISO date, int count,
文号 with 〔〕, organisation name).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors.normalise import CN_NUMBER, cn_to_int, find_document_number, nfkc

COMPONENT = "official_entity_ruler"
LABELS = ("ORG", "DATE", "DOCNUM", "COUNT")

# Longest first, so that 委员会 wins over 委 and 支队 over 队-less forms.
ORG_SUFFIXES = sorted(
    "局 厅 委 委员会 办公室 支队 大队 中队 总队 救援队 学校 技校 学院 中心 公司 集团 研究院 院 所 站 "
    "政府 协会 基地 分校 校区 鉴定站 鉴定所 联合会 基金会 商会 办事处 管理处 合作社 幼儿园".split(), key=len, reverse=True)
_SUFFIX_RX = re.compile("|".join(map(re.escape, ORG_SUFFIXES)))
# What may follow an organisation's name inside a clause.
_ORG_FOLLOW = re.compile(
    r"(?:关于|文件|与原件|原件|（(?:盖章|公章|章)）|\((?:盖章|公章|章)\)|盖章|公章|安全|\d{4}年|[一二〇○]{4}年|$)")
# Where a clause (and so a name) may start.
_CLAUSE = re.compile(r"[^\n\t，,。；;：:、《》“”\"「」！？!?（）()\[\]【】〔〕]+")
# A certified-copy note (与原件核对一致, OCR'd 与原件核对致) the recogniser ran into the name
# written beside it: no name starts with one.
COPY_NOTE = r"(?:经)?(?:复印件)?(?:[与同]原件)?核对(?:无误|[一二]?致|相符)|(?:复印件)?[与同]原件[一二]?致"
_ORG_LEAD = re.compile(rf"^(?:{COPY_NOTE}|关于|致|根据|经|由|对|向|我|你单位|贵单位)")
# A name is made of CJK characters; words of a sentence or a title never occur in one.
_ORG_BODY = re.compile(r"^[\u4e00-\u9fa5]{2,40}$")
_ORG_BAD = re.compile(r"关于|报告|通知|文件|根据|开展|进行|要求|的|我|你|贵")

_YEAR_CHARS = "〇零○Ｏ一二三四五六七八九OoＯ0-9０-９"
_DATE_DAMAGED = re.compile(
    rf"(?P<y>[{_YEAR_CHARS}]{{1,5}})\s*年\s*(?P<m>[一二三四五六七八九十]{{1,3}}|[0-9０-９]{{1,2}})\s*月\s*"
    rf"(?P<d>[一二三四五六七八九十]{{1,3}}|[0-9０-９]{{1,2}})\s*日")
# The whole year hidden under a seal, only its 年 left at the start of the line (年五月十四日).
_DATE_NO_YEAR = re.compile(
    r"^\s*年\s*(?P<m>[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})\s*月\s*(?P<d>[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})\s*日")
# Digits may be spaced out (a stamped date read as "2 0 2 4 . 2 . 1 8"). 日 closes a date; without
# it no digit may follow (2024.2.1 is no date inside 2024.2.18), with it digits may (2016年1月27日24:
# a copy annotation's digits run into the row).
_DATE_NUM = re.compile(r"(?<!\d)(?P<y>(?:1\s?9|2\s?0)\s?\d\s?\d)\s*(?P<s>[年./\-])\s*(?P<m>\d(?:\s?\d)?)\s*[月./\-]\s*"
                       r"(?P<d>\d(?:\s?\d)?)(?:\s*日|(?!\s?\d))")
# 2024年220日: 月 lost, month and day run together.
_DATE_NO_MONTH = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<md>\d{2,4})\s*日")
# 2024年02F17日: 月 misread as one other glyph (F, A, 円, 用 …) between intact 年 and 日.
_DATE_BAD_MONTH = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*[^\d\s年月日]\s*(?P<d>\d{1,2})\s*日")
_COUNT = re.compile(rf"(?P<n>\d{{1,4}}|{CN_NUMBER})\s*(?P<unit>项|条|处|个)")
# A 文号 that lost one bracket to OCR: 并公消验（2018第036号, 朔州字2024]11号, 阳住建消验|2022]第017号
_DOCNO_LOOSE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5]{1,14}?)\s*[〔\[【（(［|]?\s*(?P<year>(?:19|20)\d{2})\s*[〕\]】）)］|]?\s*(?P<di>第)?\s*"
    r"(?P<num>\d{1,6})\s*[)）\]]?\s*号")  # | for a bracket, ) before 号: OCR strays

_DOCNO_NOT_PREFIX = re.compile(r"文件|通知|报告|意见书|证明|关于|文号|编号|字号")

YEARS = range(1990, 2036)
_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Entity:
    """One marked span: its label, text, character offsets in the analysed text and value."""

    label: str
    text: str
    start: int
    end: int
    value: Any


# ------------------------------------------------------------------ values


def fold(text: str) -> str:
    """NFKC character by character where it keeps the length (１２→12, 〔 stays), so offsets into
    the folded text are offsets into `text`."""
    flat = nfkc(text)
    if len(flat) == len(text):
        return flat
    out = []
    for c in text:
        n = nfkc(c)
        out.append(n if len(n) == 1 else c)
    return "".join(out)


def _digits(text: str) -> list[int] | None:
    out = []
    for c in nfkc(text):
        if c.isdigit():
            out.append(int(c))
        elif c in _DIGIT:
            out.append(_DIGIT[c])
        else:
            return None
    return out


def is_subsequence(short: Sequence[Any], long: Sequence[Any]) -> bool:
    """Every item of `short` found in `long`, in order (digits of a year, glyphs of a reading)."""
    it = iter(long)
    return all(any(d == x for x in it) for d in short)


def repair_year(text: str, anchor: int | None) -> int | None:
    """The year a (possibly OCR-damaged) year string stands for.

    A complete year is taken as printed. A year that lost digits (二〇二三 read as 二二三 or 三)
    or gained one (二二〇二一) is matched against the years whose digits it is a subsequence of
    (or which are a subsequence of it), keeping the units digit; when several fit, the one
    nearest `anchor` (a year printed elsewhere in the document) is taken, else nothing is.
    A single glyph left of the year says nothing of which digit it was: where the units digit
    gives a year, the anchor is taken instead when the glyph is one of its digits (二 of 二〇二〇
    under a seal, with a 文号 of 2020: not 2022).
    """
    ds = _digits(text)
    if not ds:
        return None
    year = _repair_year(ds, anchor)
    if year is not None and len(ds) == 1 and anchor is not None and str(ds[0]) in str(anchor):
        return anchor
    return year


def _repair_year(ds: list[int], anchor: int | None) -> int | None:
    """`repair_year` on the year's digits, the units digit kept."""
    if len(ds) == 4:
        y = int("".join(map(str, ds)))
        if y in YEARS:
            return y
    cands = []
    for y in YEARS:
        yd = [int(c) for c in str(y)]
        if yd[-1] != ds[-1]:
            continue
        if (len(ds) < 4 and is_subsequence(ds, yd)) or (len(ds) > 4 and is_subsequence(yd, ds)):
            cands.append(y)
    if len(cands) == 1 and (anchor is None or abs(cands[0] - anchor) <= 5):
        return cands[0]
    if len(cands) > 1 and anchor is not None:
        best = sorted(cands, key=lambda y: abs(y - anchor))
        if abs(best[0] - anchor) <= 2 and abs(best[1] - anchor) > abs(best[0] - anchor):
            return best[0]
    return None


def _date(y: int | None, m: int | None, d: int | None) -> dt.date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


# A 〇 in a year written in Chinese numerals read as a bracket (二）二四年): its right half is all
# the recogniser saw. The only numeral a bracket can be; one glyph for one, so offsets hold.
_BRACKET_IN_YEAR = re.compile(r"(?<![〇零○一二三四五六七八九])[一二](?=[〇零○一二三四五六七八九()（）]{3}\s*年)"
                              r"[〇零○一二三四五六七八九()（）]{3}")


def _bracket_as_zero(m: re.Match[str]) -> str:
    year = m.group(0)
    return year if sum(c in "()（）" for c in year) != 1 else re.sub(r"[()（）]", "〇", year)


def _find_dates(text: str, anchor: int | None) -> list[tuple[int, int, dt.date, bool]]:
    """(start, end, date, clean) for every date in `text`; `clean` is False for a repaired one."""
    text = _BRACKET_IN_YEAR.sub(_bracket_as_zero, text)
    out: list[tuple[int, int, dt.date, bool]] = []
    for m in _DATE_NUM.finditer(text):
        if m.group("s") in "./-" and not re.match(r"\s*[./\-]", text[m.end("m"):]):
            continue
        y, mo, d = (int(re.sub(r"\s", "", m.group(k))) for k in ("y", "m", "d"))
        when = _date(y, mo, d)
        if when:
            out.append((m.start(), m.end(), when, True))
    for m in _DATE_DAMAGED.finditer(text):
        if any(s <= m.start() < e for s, e, _, _ in out):
            continue
        ys = m.group("y")
        clean = len(ys) == 4 and _digits(ys) is not None
        year = repair_year(ys, anchor)
        when = _date(year, cn_to_int(m.group("m")), cn_to_int(m.group("d")))
        if when:
            start = m.start("y")
            out.append((start, m.end(), when, clean and str(when.year) == "".join(map(str, _digits(ys) or []))))
    m0 = _DATE_NO_YEAR.match(text)
    if m0 and anchor is not None and not out:
        # the document's own year (its 文号) stands in: never clean, a person confirms it
        when = _date(anchor, cn_to_int(m0.group("m")), cn_to_int(m0.group("d")))
        if when:
            out.append((text.index("年", m0.start()), m0.end(), when, False))
    for m in _DATE_BAD_MONTH.finditer(text):
        when = _date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if when and not any(s <= m.start() < e for s, e, _, _ in out):
            out.append((m.start(), m.end(), when, False))
    for m in _DATE_NO_MONTH.finditer(text):
        if any(s <= m.start() < e for s, e, _, _ in out):
            continue
        md = m.group("md")
        fits = [w for w in (_date(int(m.group("y")), int(md[:i]), int(md[i:])) for i in range(1, len(md))) if w]
        if len(fits) == 1:
            out.append((m.start(), m.end(), fits[0], False))
    out.sort()
    return out


def _find_orgs(text: str) -> list[tuple[int, int, str]]:
    out = []
    for clause in _CLAUSE.finditer(text):
        s, e = clause.start(), clause.end()
        chunk = text[s:e]
        lead = _ORG_LEAD.match(chunk)
        if lead:
            s += lead.end()
            chunk = text[s:e]
        stripped = chunk.lstrip()
        s += len(chunk) - len(stripped)
        chunk = stripped
        best = None
        for m in _SUFFIX_RX.finditer(chunk):
            end = m.end()
            name = chunk[:end].replace(" ", "")
            if end < 4 or not _ORG_BODY.match(name) or _ORG_BAD.search(name):
                continue
            rest = chunk[end:].strip()
            if not rest or _ORG_FOLLOW.match(rest):  # the clause ends with the name, or a name's follower
                best = end
        if best is not None:
            out.append((s, s + best, chunk[:best].replace(" ", "")))
    return out


def _find_docnums(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    text = fold(text)
    for hao in re.finditer(r"\d\s*[)）\]]?\s*号", text):  # look only before each "<digit>号" (a stray ) between)
        lo = max(0, hao.start() - 40, out[-1][1] if out else 0)
        m = _DOCNO_LOOSE.search(text[lo:hao.end()])
        if m is None or m.end() != hao.end() - lo:
            continue
        # a 文号 starts after a title, a 文件 header or a label run into it by joined lines
        cut = max((x.end() for x in _DOCNO_NOT_PREFIX.finditer(m.group("prefix"))), default=0)
        if cut:
            lo += m.start() + cut
            m = _DOCNO_LOOSE.match(text[lo:hao.end()])
            if m is None or m.end() != hao.end() - lo:
                continue
        found = find_document_number(m.group(0))
        if found:
            out.append((lo + m.start(), lo + m.end(), found[0]))
            continue
        prefix = m.group("prefix")
        bracketed = m.group(0).count("〔") + m.group(0).count("[") + m.group(0).count("（") + m.group(0).count("(")
        # one bracket lost: accept only a 文号-looking prefix (…字, …发, …消验, …函) or a 第 before the number
        if prefix and (m.group("di") or re.search(r"(字|发|验|函|审|备)$", prefix) or bracketed):
            out.append((lo + m.start(), lo + m.end(), f"{prefix}〔{m.group('year')}〕{m.group('di') or ''}{m.group('num')}号"))
    return out


# ------------------------------------------------------------------ the spaCy component


def _ruler(doc: Doc) -> Doc:
    text = fold(doc.user_data.get("text") or doc.text)
    anchor = doc.user_data.get("anchor_year")
    found: list[tuple[int, int, str, Any]] = []
    found += [(s, e, "DOCNUM", v) for s, e, v in _find_docnums(text)]
    found += [(s, e, "DATE", when.isoformat()) for s, e, when, _ in _find_dates(text, anchor)]
    found += [(s, e, "ORG", v) for s, e, v in _find_orgs(text)]
    found += [(m.start(), m.end(), "COUNT", cn_to_int(m.group("n"))) for m in _COUNT.finditer(text)
              if cn_to_int(m.group("n")) is not None]
    spans = []
    for s, e, label, value in found:
        span = doc.char_span(s, e, label=label, alignment_mode="expand")
        if span is not None:
            span._.value = value
            spans.append(span)
    # DOCNUM and DATE are the most specific; filter_spans keeps the longest, then the earliest.
    doc.ents = filter_spans(spans)
    return doc


if not Span.has_extension("value"):
    Span.set_extension("value", default=None)
if not Language.has_factory(COMPONENT):
    Language.component(COMPONENT, func=_ruler)


@functools.lru_cache(maxsize=1)
def pipeline() -> Language:
    """The one shared pipeline: blank zh (char segmenter) + the entity ruler."""
    nlp = spacy.blank("zh")
    nlp.add_pipe(COMPONENT)
    return nlp


@functools.lru_cache(maxsize=4096)
def entities(text: str, anchor_year: int | None = None) -> tuple[Entity, ...]:
    """Entities of `text` (character offsets into `text` itself). `anchor_year` lets a damaged
    date's year be recovered (see `repair_year`)."""
    nlp = pipeline()
    doc = nlp.make_doc(text)
    doc.user_data["anchor_year"] = anchor_year
    doc.user_data["text"] = text
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return tuple(Entity(e.label_, e.text, e.start_char, e.end_char, e._.value) for e in doc.ents)


def of_label(text: str, label: str, anchor_year: int | None = None) -> list[Entity]:
    """Entities of one label."""
    return [e for e in entities(text, anchor_year) if e.label == label]


def dates(text: str, anchor_year: int | None = None, *, clean_only: bool = False) -> list[tuple[int, int, dt.date]]:
    """Dates of `text` as (start, end, date); with `clean_only`, no repaired ones."""
    return [(s, e, when) for s, e, when, clean in _find_dates(text, anchor_year) if clean or not clean_only]


def marked_dates(text: str, anchor_year: int | None = None) -> list[tuple[int, int, dt.date, bool]]:
    """Dates of `text` as (start, end, date, clean): clean is False for a repaired one."""
    return _find_dates(text, anchor_year)
