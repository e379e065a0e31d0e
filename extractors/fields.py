"""Extract the canonical fields of a classified document, driven by rules/doctypes/*.yml.

Layout first: OCR boxes of one page are grouped into rows (boxes whose vertical spans overlap,
in the upright frame), and boxes of one row are joined with a tab, so a ruled-table row
"建设单位 | 阳泉高级技工学校" reads like the text-layer and DOCX line "建设单位\t阳泉高级技工学校".
Then each field's parser looks for its labels (value after the label on the same row, in the
next cell, or on the next row), for prose patterns (…地址：…；建筑面积：…), or for positions
(the addressee line at the top, the signing body and the date at the foot).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from extractors.normalise import (
    NORMALISERS,
    cn_to_int,
    find_dates,
    find_document_number,
    nfkc,
    normalise_conclusion,
    normalise_org,
)
from records.models import AREA_CODES, FieldValue, PageText, TextOrigin
from records.rules import DocTypeRules, FieldRule

ORG_SUFFIX = (
    "局|厅|委|委员会|支队|大队|中队|总队|学校|学院|技校|中心|公司|集团|研究院|院|所|站|处|部|办公室|政府|协会|基地|分校|校区"
)
_ORG_RE = re.compile(rf"^[\u4e00-\u9fa5（）()A-Za-z0-9]{{3,40}}?(?:{ORG_SUFFIX})$")
_ENUM_HEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、.．]|第[一二三四五六七八九十]+[部分章])")
_SEP = "：:"


@dataclass(frozen=True)
class Row:
    """One visual row of a page: its segments joined with tabs."""

    page: int
    text: str
    bbox: tuple[float, float, float, float] | None
    confidence: float
    origin: TextOrigin
    index: int  # position in reading order over the whole document


def _upright(b: list[float], rotation: int, w: int, h: int) -> tuple[float, float, float, float]:
    """Box of the stored image -> box in the upright frame the page was read in."""
    x0, y0, x1, y1 = b
    if rotation == 90:  # read after np.rot90(k=1): (x, y) -> (y, w-1-x)
        return (y0, w - 1 - x1, y1, w - 1 - x0)
    if rotation == 180:
        return (w - 1 - x1, h - 1 - y1, w - 1 - x0, h - 1 - y0)
    if rotation == 270:  # (x, y) -> (h-1-y, x)
        return (h - 1 - y1, x0, h - 1 - y0, x1)
    return (x0, y0, x1, y1)


def build_rows(pages: list[PageText] | tuple[PageText, ...]) -> list[Row]:
    """Rows in reading order over all pages (see module doc)."""
    rows: list[Row] = []
    for page in pages:
        if page.origin != "ocr" or not any(line.bbox for line in page.lines):
            for line in page.lines:
                if line.text.strip():
                    rows.append(Row(page.page_no, line.text, tuple(line.bbox) if line.bbox else None,  # type: ignore[arg-type]
                                    line.confidence, page.origin, len(rows)))
            continue
        # On a skewed page a line's box is taller than its text and neighbouring lines' boxes
        # overlap: group by the line centre's height corrected for the page's slope.
        slope = math.tan(math.radians(page.skew))
        items = []
        for line in page.lines:
            if not line.text.strip() or not line.bbox:
                continue
            ub = _upright(line.bbox, page.rotation, page.width, page.height)
            cx, cy = (ub[0] + ub[2]) / 2, (ub[1] + ub[3]) / 2
            h = max((ub[3] - ub[1]) - abs(slope) * (ub[2] - ub[0]), 0.35 * (ub[3] - ub[1]), 1.0)
            items.append((ub, line, cy - slope * cx, h))
        items.sort(key=lambda it: it[2])
        groups: list[list[Any]] = []
        for ub, line, ycorr, h in items:
            if groups:
                g = groups[-1]
                gy = sum(it[2] for it in g) / len(g)
                gh = min(it[3] for it in g)
                if abs(ycorr - gy) < 0.55 * min(h, gh):
                    g.append((ub, line, ycorr, h))
                    continue
            groups.append([(ub, line, ycorr, h)])
        for g in groups:
            g.sort(key=lambda it: it[0][0])
            parts: list[str] = []
            prev_x1 = None
            for ub, line, _, _ in g:
                if prev_x1 is not None:
                    gap = ub[0] - prev_x1
                    parts.append("\t" if gap > 0.8 * (ub[3] - ub[1]) else "")
                parts.append(line.text.strip())
                prev_x1 = ub[2]
            boxes = [it[1].bbox for it in g]
            bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            conf = min(it[1].confidence for it in g)
            rows.append(Row(page.page_no, "".join(parts), bbox, conf, "ocr", len(rows)))
    return rows


def _label_regex(label: str) -> re.Pattern[str]:
    # OCR and typesetting put spaces inside table labels (建 设 单 位). A label counts where a
    # cell, clause or line starts, or anywhere when a colon follows it (OCR glues "王静联系电话：").
    body = r"\s*".join(re.escape(c) for c in label)
    return re.compile(rf"(?:(?:^|(?<=[\t；;，,。（(\s]))({body})\s*(?:[{_SEP}]\s*|\t\s*|\s+(?=\S)|$)|({body})\s*[{_SEP}]\s*)")


def _label_start(m: re.Match[str]) -> int:
    return m.start(1) if m.group(1) is not None else m.start(2)


_STOP = re.compile(r"[；;。]")


@dataclass(frozen=True)
class Hit:
    text: str
    row: Row
    confidence: float


def _value_after(row: Row, end: int) -> str:
    rest = row.text[end:]
    rest = _STOP.split(rest, maxsplit=1)[0]
    if "\t" in rest:
        cells = [c.strip() for c in rest.split("\t")]
        cells = [c for c in cells if c]
        rest = cells[0] if cells else ""
    return rest.strip()


def _all_labels(rules: DocTypeRules) -> list[str]:
    return sorted({lab for f in rules.fields.values() for lab in f.labels}, key=len, reverse=True)


def _starts_with_label(text: str, labels: list[str]) -> bool:
    flat = text.replace(" ", "")
    return any(flat.startswith(lab) for lab in labels)


def _wraps_into(row: Row, nxt: Row, right_edge: dict[int, float], all_labels: list[str]) -> bool:
    """True when `row` is a full-width line of running text that `nxt` continues."""
    if row.bbox is None or nxt.bbox is None or nxt.page != row.page or "\t" in row.text or "\t" in nxt.text:
        return False
    height = row.bbox[3] - row.bbox[1]
    return (row.bbox[2] >= right_edge.get(row.page, 0.0) - 1.5 * height
            and not _starts_with_label(nxt.text, all_labels) and not _ENUM_HEAD.match(nfkc(nxt.text)))


def find_labelled(rows: list[Row], labels: list[str], all_labels: list[str]) -> Hit | None:
    """The value printed after one of `labels`, on the same row or the next one; a value that
    runs to the end of a full-width line continues on the next line (工程地址：…长征 / 西街385号；)."""
    right_edge: dict[int, float] = {}
    for r in rows:
        if r.bbox is not None:
            right_edge[r.page] = max(right_edge.get(r.page, 0.0), r.bbox[2])
    for lab in sorted(labels, key=len, reverse=True):
        rx = _label_regex(lab)
        for i, row in enumerate(rows):
            m = rx.search(row.text)
            if not m:
                continue
            # a longer label of another field must not contain this one (地址 in 工程地址 is fine only for its own field)
            value = _value_after(row, m.end())
            # the value stops where another label begins (several label:value pairs on one row)
            for other in all_labels:
                if other == lab:
                    continue
                om = _label_regex(other).search(value)
                if om and _label_start(om) > 0:
                    value = value[: _label_start(om)].strip(" \t，,")
                elif om and _label_start(om) == 0 and not lab.endswith(other):
                    value = ""
                # OCR glues neighbouring pairs: "联系人：王静联系电话：138…" - a label followed by
                # a colon ends the value even without a separator before it.
                gm = re.search(r"\s*".join(re.escape(c) for c in other) + r"\s*[:：]", value)
                if gm and gm.start() > 0:
                    value = value[: gm.start()].strip(" \t，,")
            if value:
                rest = row.text[m.end():]
                ended = bool(_STOP.search(rest)) or len(value) < len(rest.strip())
                if not ended and i + 1 < len(rows) and _wraps_into(row, rows[i + 1], right_edge, all_labels):
                    more = _STOP.split(rows[i + 1].text, maxsplit=1)[0].strip()
                    more = re.split(r"[）)]", more, maxsplit=1)[0] if re.search(r"[（(][^）)]*$", row.text[: m.start()]) else more
                    value += more
                return Hit(value, row, row.confidence)
            if i + 1 < len(rows) and rows[i + 1].page == row.page and not _starts_with_label(rows[i + 1].text, all_labels):
                nxt = rows[i + 1]
                return Hit(_STOP.split(nxt.text)[0].split("\t")[0].strip(), nxt, nxt.confidence)
    return None


def _paragraphs(rows: list[Row]) -> list[tuple[str, list[tuple[int, Row]]]]:
    """Consecutive single-cell rows of a page joined into running text (a wrapped sentence),
    with the offset at which each row starts."""
    out: list[tuple[str, list[tuple[int, Row]]]] = []
    text, spans = "", []
    for row in rows:
        if spans and (row.page != spans[-1][1].page or "\t" in row.text or "\t" in spans[-1][1].text):
            out.append((text, spans))
            text, spans = "", []
        spans.append((len(text), row))
        text += nfkc(row.text).strip()
    if spans:
        out.append((text, spans))
    return out


def _row_at(spans: list[tuple[int, Row]], pos: int) -> Row:
    row = spans[0][1]
    for off, r in spans:
        if off <= pos:
            row = r
    return row


def find_labelled_in_prose(rows: list[Row], labels: list[str], all_labels: list[str]) -> Hit | None:
    """A label: value pair that wraps across lines (…；建 / 筑面积：6824.36m²；…)."""
    for text, spans in _paragraphs(rows):
        if "\t" in text:  # table rows were read cell by cell already
            continue
        for lab in sorted(labels, key=len, reverse=True):
            m = _label_regex(lab).search(text)
            if not m:
                continue
            value = _STOP.split(text[m.end():], maxsplit=1)[0]
            value = re.split(r"[）)]", value, maxsplit=1)[0] if "（" in text[:m.start()] or "(" in text[:m.start()] else value
            for other in all_labels:
                gm = re.search(r"\s*".join(re.escape(c) for c in other) + r"\s*[:：]", value)
                if other != lab and gm and gm.start() > 0:
                    value = value[: gm.start()]
            value = value.strip(" \t，,")
            if value:
                row = _row_at(spans, m.end())
                return Hit(value, row, min(r.confidence for _, r in spans if _ is not None))
    return None


# --------------------------------------------------------------------- positional parsers


def _is_org(text: str) -> bool:
    return bool(_ORG_RE.match(text))


_ANNOTATION = re.compile(r"核对|原件|复印件|一致|抄送|附件")


def _only_date(row: Row) -> tuple[str, Any] | None:
    """(matched text, date) when a row is essentially just a date."""
    dates = find_dates(row.text)
    if not dates:
        return None
    _, matched, when = dates[-1]
    rest = nfkc(row.text).replace(" ", "").replace("\t", "").replace(nfkc(matched).replace(" ", ""), "")
    # a bare date, perhaps with a stray mark; a labelled date (申请日期：…) is not a foot date
    return (matched, when) if len(re.sub(r"[^\u4e00-\u9fa5]", "", rest)) == 0 and len(rest) <= 3 else None


def _org_row(row: Row) -> str | None:
    cand = normalise_org(row.text.split("\t")[-1])
    if cand and _is_org(cand) and not any(c in row.text for c in _SEP):
        return cand
    return None


def find_foot_date(rows: list[Row]) -> Hit | None:
    """The date of the signing block at the foot.

    Preference: a date-only row right below the signing body's name (an organisation row);
    then the last date-only row that is not a later annotation (与原件核对一致 / 抄送 …);
    then the last date anywhere.
    """
    signed: Hit | None = None
    plain: Hit | None = None
    after_annotation = False
    for i, row in enumerate(rows):
        if _ANNOTATION.search(row.text):
            after_annotation = True
        d = _only_date(row)
        if d is None:
            continue
        hit = Hit(d[0], row, row.confidence)
        prev = [r for r in rows[max(0, i - 2):i] if r.page == row.page]
        if any(_org_row(r) for r in prev):
            signed = hit
            after_annotation = False
        elif not after_annotation:
            plain = hit
    if signed or plain:
        return signed or plain
    # No bare date row: a date closing a row ("…特此报告。2024年2月26日"), but never another
    # kind of date (申请日期, 受理, 竣工, a deadline) and never a later annotation.
    for row in reversed(rows):
        dates = find_dates(row.text)
        if not dates or _ANNOTATION.search(row.text) or re.search(r"申请|受理|竣工|开工|之日|日起|期限|有效期|截至", row.text):
            continue
        tail = nfkc(row.text).replace(" ", "").split(nfkc(dates[-1][1]).replace(" ", ""))[-1]
        if len(tail) <= 2:
            return Hit(dates[-1][1], row, row.confidence)
    return None


def find_foot_org(rows: list[Row]) -> Hit | None:
    """The signing body at the foot: the organisation row just above the foot date, or the
    last organisation row of the document when no date could be read."""
    date = find_foot_date(rows)
    if date is not None and _only_date(date.row):
        limit = date.row.index
        for row in reversed(rows[max(0, limit - 3):limit]):
            cand = _org_row(row)
            if cand:
                return Hit(cand, row, row.confidence)
    for row in reversed(rows[-8:]):
        if _ANNOTATION.search(row.text):
            continue
        cand = _org_row(row)
        if cand:
            return Hit(cand, row, row.confidence)
    return None


def find_head_org(rows: list[Row]) -> Hit | None:
    """The letterhead: an organisation named alone on one of the first rows (山西省阳泉市公安消防支队)."""
    for row in rows[:3]:
        cand = _org_row(row)
        if cand and not cand.endswith("文件"):
            return Hit(cand, row, row.confidence)
    return None


def find_addressee(rows: list[Row], all_labels: list[str]) -> Hit | None:
    """The addressee line of a letter ("阳泉高级技工学校：") in the first rows of page 1."""
    for row in rows[:12]:
        text = nfkc(row.text).strip()
        m = re.match(r"^([^\t:：]{3,40}?)[:：]\s*$", text)
        if m and _is_org(normalise_org(m.group(1)) or "") and not _starts_with_label(text, all_labels):
            return Hit(m.group(1), row, row.confidence)
    return None


def find_title_org(rows: list[Row]) -> Hit | None:
    """The reporting body named in the title ("XX学校关于安全生产整治自查情况的报告", a title that
    may wrap onto the next row) or in a red 文件 header ("XX学校文件"), else the signing body."""
    for row in rows[:10]:
        flat = nfkc(row.text).replace(" ", "")
        m = re.match(r"^(?:关于)?(.{3,40}?)(?:关于|安全生产|[0-9]{4}年度?|自查)", flat)
        if m and _is_org(normalise_org(m.group(1)) or ""):
            return Hit(m.group(1), row, row.confidence)
    for row in rows[:4]:
        m = re.match(r"^(.{3,40}?)文件$", nfkc(row.text).replace(" ", ""))
        if m and _is_org(normalise_org(m.group(1)) or ""):
            return Hit(m.group(1), row, row.confidence)
    return find_foot_org(rows)


_PROJECT_PROSE = re.compile(
    r"(?:(?:你|贵)单位(?:于[^，。；]{0,24}?)?(?:报送|申报|申请|提交)?的?|(?:报送|申报|申请|提交)的)"
    r"[“\"「]?(?P<v>[\u4e00-\u9fa5A-Za-z0-9#\-]{2,50}?(?:工程|项目))[”\"」]?(?=[（(，,]|消防|竣工|进行)"
)


def find_project_in_prose(rows: list[Row]) -> Hit | None:
    """The project named in a letter: 你单位（于…申请的）XX工程（地址：…）…消防验收."""
    for text, spans in _paragraphs(rows):
        m = _PROJECT_PROSE.search(text.replace(" ", ""))
        if m:
            # "于2021年9月3日申请的XX项目": the name starts after the last 申请的/报送的
            value = re.split(r"(?:申请|报送|申报|提交)的", m.group("v"))[-1]
            row = _row_at(spans, m.start("v"))
            return Hit(value, row, min(r.confidence for _, r in spans))
    return None


def find_conclusion_in_prose(rows: list[Row]) -> Hit | None:
    """该工程消防验收合格 / 综合评定结论为不合格 / 同意通过消防验收, possibly wrapped."""
    rx = re.compile(r"(消防验收|验收|评定|结论)[^。；;]{0,12}?(不合格|合格|不予通过|同意通过|予以通过)|(同意通过|予以通过)消防验收")
    for text, spans in _paragraphs(rows):
        m = rx.search(text.replace(" ", ""))
        if m:
            word = m.group(2) or m.group(3)
            return Hit(word, _row_at(spans, m.start()), min(r.confidence for _, r in spans))
    return None


def find_document_number_hit(rows: list[Row], labels: list[str]) -> Hit | None:
    """The 文号: a labelled one first, else the first on page 1 outside quotations of other documents."""
    candidates = []
    for row in rows:
        found = find_document_number(row.text)
        if not found:
            continue
        flat = nfkc(row.text)
        quoted = "《" in flat or "根据" in flat or "转发" in flat
        labelled = any(lab in flat for lab in labels)
        candidates.append((not labelled, quoted, row.page, row.index, Hit(found[0], row, row.confidence)))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[:4])
    return candidates[0][4]


def find_areas(rows: list[Row], areas: dict[str, list[str]]) -> Hit | None:
    """Codes of the focus areas named in the report's headings (canonical order)."""
    heading_rows = [r for r in rows if _ENUM_HEAD.match(nfkc(r.text))]
    pool = heading_rows if heading_rows else rows
    found: list[str] = []
    first: Row | None = None
    conf = 1.0
    for code in AREA_CODES:
        words = areas.get(code, [])
        for row in pool:
            # short parenthesised inserts split a heading's words: 办学（培训）条件达标方面
            flat = re.sub(r"[（(][^）)]{1,8}[）)]", "", nfkc(row.text).replace(" ", ""))
            if any(w in flat for w in words):
                found.append(code)
                first = first or row
                conf = min(conf, row.confidence)
                break
    if not found or first is None:
        return None
    return Hit(",".join(found), first, conf)


def find_count(rows: list[Row], rule: FieldRule, found_count: int | None) -> Hit | None:
    joined_rows = [(r, nfkc(r.text).replace(" ", "")) for r in rows]
    for pat in rule.patterns:
        rx = re.compile(pat)
        for row, flat in joined_rows:
            m = rx.search(flat)
            if m:
                n = cn_to_int(m.group("n"))
                if n is not None:
                    return Hit(str(n), row, row.confidence)
    for pat in rule.all_done_patterns:
        rx = re.compile(pat)
        for row, flat in joined_rows:
            if rx.search(flat) and found_count is not None:
                return Hit(str(found_count), row, row.confidence)
    return None


_CATEGORY = (
    ("evaluation_institution", r"评价|鉴定"),
    ("technical_school", r"技工|技师学院|技工院校|高级技校|技校"),
    ("training_institution", r"培训"),
)


def category_of(text: str) -> str | None:
    """technical_school / training_institution / evaluation_institution from a category or name."""
    for code, rx in _CATEGORY:
        if re.search(rx, text):
            return code
    return None


# --------------------------------------------------------------------- driver


def extract_fields(pages: list[PageText] | tuple[PageText, ...], rules: DocTypeRules) -> dict[str, FieldValue]:
    """Every field of `rules` that can be read from `pages`, normalised to the contract's forms."""
    rows = build_rows(pages)
    labels = _all_labels(rules)
    out: dict[str, FieldValue] = {}

    def put(key: str, value: Any, hit: Hit) -> None:
        if value is None or value == "" or value == []:
            return
        out[key] = FieldValue(value=value, confidence=round(max(0.0, min(1.0, hit.confidence)), 4), page=hit.row.page,
                              bbox=list(hit.row.bbox) if hit.row.bbox else None, source=hit.row.origin, line=hit.row.text[:200])

    order = sorted(rules.fields.items(), key=lambda kv: kv[1].parser == "category")  # category last: it may use the name
    for key, rule in order:
        hit: Hit | None = None
        norm = NORMALISERS[rule.normaliser]
        if rule.parser == "label":
            hit = find_labelled(rows, rule.labels, labels)
            if hit is None or norm(hit.text) is None:
                hit = find_labelled_in_prose(rows, rule.labels, labels)
            if hit is not None and norm(hit.text) is None:
                hit = None
        elif rule.parser == "document_number":
            hit = find_document_number_hit(rows, rule.labels)
            norm = NORMALISERS["text"]
        elif rule.parser == "foot_date":
            hit = find_labelled(rows, rule.labels, labels)
            if hit is None or NORMALISERS["date"](hit.text) is None:
                hit = find_foot_date(rows)
            norm = NORMALISERS["date"]
        elif rule.parser == "areas":
            hit = find_areas(rows, rules.areas)
            if hit:
                put(key, hit.text.split(","), hit)
            continue
        elif rule.parser == "count":
            found = out.get("hazards_found")
            hit = find_count(rows, rule, int(found.value) if found and key != "hazards_found" else None)  # type: ignore[arg-type]
            if hit:
                put(key, int(hit.text), hit)
            continue
        elif rule.parser == "category":
            hit = find_labelled(rows, rule.labels, labels)
            # Only a category the document prints; the roster is where a category is known otherwise.
            text = hit.text if hit else None
            if hit and text and category_of(text):
                put(key, category_of(text), hit)
            continue
        for fallback in rule.fallback:
            if hit is not None:
                break
            hit = {
                "foot_org": lambda: find_foot_org(rows),
                "head_org": lambda: find_head_org(rows),
                "addressee": lambda: find_addressee(rows, labels),
                "project_in_prose": lambda: find_project_in_prose(rows),
                "conclusion_in_prose": lambda: find_conclusion_in_prose(rows),
                "title_org": lambda: find_title_org(rows),
            }[fallback]()
        if hit is None:
            continue
        put(key, norm(hit.text), hit)
    if "acceptance_conclusion" in out and out["acceptance_conclusion"].value not in ("合格", "不合格"):
        v = normalise_conclusion(str(out["acceptance_conclusion"].value))
        if v:
            out["acceptance_conclusion"] = out["acceptance_conclusion"].model_copy(update={"value": v})
        else:
            del out["acceptance_conclusion"]
    return out
