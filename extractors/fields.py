"""Extract the canonical fields of a classified document, driven by rules/doctypes/*.yml.

Layout first: OCR boxes of one page are grouped into rows (boxes whose vertical spans overlap,
in the upright frame), and boxes of one row are joined with a tab, so a ruled-table row
"建设单位 | 阳泉高级技工学校" reads like the text-layer and DOCX line "建设单位\t阳泉高级技工学校".
Then each field's parser looks for its labels (value after the label on the same row, in the
next cell, or on the next row), for prose patterns (…地址：…；建筑面积：…), or for positions
(the addressee line at the top, the signing body and the date at the foot).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from extractors import entities
from extractors.normalise import (
    NORMALISERS,
    NUMERAL,
    NUMERALS,
    cn_to_int,
    edit_distances,
    find_document_number,
    fold_variants,
    nearest_known,
    nfkc,
    normalise_conclusion,
    normalise_org,
    normalise_phone,
    phone_is_valid,
    repair_place_names,
)
from records.models import AREA_CODES, FieldValue, FrameBeliefs, PageText, TextOrigin
from records.rules import DocTypeRules, FieldRule, Places

# (二) with its closing bracket misread by OCR (（二」, （三消防…) still opens a heading, and so does
# an enumerator whose thin numeral OCR lost (（）办学条件…, 、校园安全方面): body text never starts so.
# 、 as the recogniser may read it (·, ，, 丶)
_ENUM_SEP = "、.．·・,，丶"
_ENUM_HEAD = re.compile(
    rf"^\s*(?:[一二三四五六七八九十]+[{_ENUM_SEP}]|[（(][一二三四五六七八九十]+[）)」』\]】〕|lI1]?|\d{{1,2}}[、.．]|第[一二三四五六七八九十]+[部分章]"
    r"|[（(]\s*[）)]|、)")
_SEP = "：:"


@dataclass(frozen=True)
class Cell:
    """One OCR box of a row, with its box in the upright frame the page was read in."""

    text: str
    box: tuple[float, float, float, float]
    confidence: float = 1.0
    start: int = 0  # where the cell's text starts in its row's text

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2


@dataclass(frozen=True)
class Row:
    """One visual row of a page: its segments joined with tabs."""

    page: int
    text: str
    bbox: tuple[float, float, float, float] | None
    confidence: float
    origin: TextOrigin
    index: int  # position in reading order over the whole document
    cells: tuple[Cell, ...] = ()  # the boxes of the row (OCR boxes, text-layer pieces; none for DOCX)
    beliefs: tuple[FrameBeliefs, ...] = ()  # recogniser output kept for lines under a seal


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
    """Rows in reading order over all pages (see module doc). What OCR read in traditional or
    Japanese forms (高級 for 高级) is read in the simplified ones printed; a text layer is as is."""
    rows: list[Row] = []
    for page in pages:
        if page.origin == "ocr":
            page = page.model_copy(update={"lines": tuple(
                ln.model_copy(update={"text": fold_variants(ln.text)}) for ln in page.lines)})
        if not any(line.bbox for line in page.lines):  # DOCX: text without geometry
            rows += [Row(page.page_no, line.text, None, line.confidence, page.origin, len(rows) + k)
                     for k, line in enumerate(ln for ln in page.lines if ln.text.strip())]
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
            starts: list[int] = []
            prev_x1 = None
            for ub, line, _, _ in g:
                if prev_x1 is not None:
                    gap = ub[0] - prev_x1
                    parts.append("\t" if gap > 0.8 * (ub[3] - ub[1]) else "")
                starts.append(sum(len(x) for x in parts))
                parts.append(line.text.strip())
                prev_x1 = ub[2]
            boxes = [it[1].bbox for it in g]
            bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            conf = min(it[1].confidence for it in g)
            cells = tuple(Cell(it[1].text.strip(), it[0], it[1].confidence, st) for it, st in zip(g, starts, strict=True))
            beliefs = tuple(b for it in g for b in it[1].beliefs)
            rows.append(Row(page.page_no, "".join(parts), bbox, conf, page.origin, len(rows), cells, beliefs))
    return rows


def _row_conf(row: Row, start: int, end: int) -> float:
    """OCR confidence of the part of a row from `start` to `end`: its lowest box there (a low
    box elsewhere in the row, a stamp or a scribble, says nothing about this value)."""
    confs = [c.confidence for c in row.cells if c.start < max(end, start + 1) and c.start + len(c.text) > start]
    return min(confs) if confs else row.confidence


def _spaced(label: str) -> str:
    """A pattern for `label` with spaces allowed between its glyphs: OCR and typesetting put them
    inside table labels (建 设 单 位)."""
    return r"\s*".join(re.escape(c) for c in label)


def _label_regex(label: str) -> re.Pattern[str]:
    # A label counts where a cell, clause or line starts, or anywhere when a colon follows it
    # (OCR glues "王静联系电话：").
    body = _spaced(label)
    return re.compile(rf"(?:(?:^|(?<=[\t；;，,。（(\s]))({body})\s*(?:[{_SEP}]\s*|\t\s*|\s+(?=\S)|$)|({body})\s*[{_SEP}]\s*)")


def _label_start(m: re.Match[str]) -> int:
    return m.start(1) if m.group(1) is not None else m.start(2)


_STOP = re.compile(r"[；;。]")


@dataclass(frozen=True)
class Hit:
    text: str
    row: Row
    confidence: float
    value: Any = None  # the normalised value when the finder knows it (a repaired date)


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


def _starts_with_label(text: str, labels: Iterable[str]) -> bool:
    flat = text.replace(" ", "")
    return any(flat.startswith(lab) for lab in labels)


# A page number line (- 3 -, —3—, 第3页, 第 3 页 共 5 页, 3/5): never part of a value.
_PAGE_NO = re.compile(r"^\s*(?:[-—–_－]*\s*\d{1,3}\s*[-—–_－]*|第\s*\d{1,3}\s*页(?:\s*[,，]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")


def _wraps_into(row: Row, nxt: Row, right_edge: dict[int, float], all_labels: list[str]) -> bool:
    """True when `row` is a full-width line of running text that `nxt` continues."""
    if row.bbox is None or nxt.bbox is None or nxt.page != row.page or "\t" in row.text or "\t" in nxt.text:
        return False
    if _PAGE_NO.match(nfkc(nxt.text)):
        return False
    height = row.bbox[3] - row.bbox[1]
    return (row.bbox[2] >= right_edge.get(row.page, 0.0) - 1.5 * height
            and not _starts_with_label(nxt.text, all_labels) and not _ENUM_HEAD.match(nfkc(nxt.text)))


def _right_margins(rows: list[Row]) -> dict[int, float]:
    """Where a page's full lines end: the upper quartile of the right ends of its longer rows
    (not the farthest box: a stamp, a page number or a photo's perspective reaches further)."""
    ends: dict[int, list[float]] = {}
    for r in rows:
        if r.bbox is not None and len(r.text) >= 12:
            ends.setdefault(r.page, []).append(r.bbox[2])
    out: dict[int, float] = {}
    for r in rows:
        if r.bbox is not None and r.page not in ends:
            out[r.page] = max(out.get(r.page, 0.0), r.bbox[2])
    for page, xs in ends.items():
        xs.sort()
        out[page] = xs[int(0.75 * (len(xs) - 1))]
    return out


def _colon_label_at(value: str, label: str, *, after_separator: bool = False) -> int:
    """Where `label` followed by a colon starts in `value`, or -1: another pair's label (OCR glues
    neighbouring pairs). With `after_separator`, from the separator before it (；read as ：)."""
    lead = r"[:：;；]?\s*" if after_separator else ""
    gm = re.search(lead + _spaced(label) + r"\s*[:：]", value)
    return gm.start() if gm else -1


def _until_next_label(value: str, lab: str, all_labels: list[str], *, from_start: bool = True) -> str:
    """`value` up to another pair's label and colon (紫金西街111号：建筑面积：…, ； read as ：);
    without `from_start`, a label at the very start does not count."""
    for other in all_labels:
        at = _colon_label_at(value, other, after_separator=True)
        if other != lab and at >= (0 if from_start else 1):
            value = value[:at].strip(" \t，,")
    return value


def find_labelled(rows: list[Row], labels: list[str], all_labels: list[str]) -> Hit | None:
    """The value printed after one of `labels`, on the same row or the next one; a value that
    runs to the end of a full-width line continues on the next line (工程地址：…长征 / 西街385号；)."""
    right_edge = _right_margins(rows)
    for lab in sorted(labels, key=len, reverse=True):
        rx = _label_regex(lab)
        for i, row in enumerate(rows):
            m = rx.search(row.text)
            if not m:
                continue
            # a longer label of another field must not contain this one (地址 in 工程地址 is fine only for its own field)
            value = _value_after(row, m.end())
            # the label read twice (two overlapping boxes: 联系电话：联系电话：199…)
            while (rest := _after_label_again(value, lab)) != value:
                value = rest.strip()
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
                at = _colon_label_at(value, other)
                if at > 0:
                    value = value[:at].strip(" \t，,")
            if value:
                rest = row.text[m.end():]
                ended = bool(_STOP.search(rest)) or len(value) < len(rest.strip())
                if not ended and i + 1 < len(rows) and _wraps_into(row, rows[i + 1], right_edge, all_labels):
                    more = _STOP.split(rows[i + 1].text, maxsplit=1)[0].strip()
                    more = re.split(r"[）)]", more, maxsplit=1)[0] if re.search(r"[（(][^）)]*$", row.text[: m.start()]) else more
                    value += _until_next_label(more, lab, all_labels)
                return Hit(value, row, _row_conf(row, m.start(), m.end() + len(value)))
            if (i + 1 < len(rows) and rows[i + 1].page == row.page and not _starts_with_label(rows[i + 1].text, all_labels)
                    and not _PAGE_NO.match(nfkc(rows[i + 1].text))):
                nxt = rows[i + 1]
                value = _until_next_label(_STOP.split(nxt.text)[0].split("\t")[0].strip(), lab, all_labels, from_start=False)
                return Hit(value, nxt, nxt.confidence)
    return _colon_lost(rows, labels, all_labels)


def _glued_rows(rows: list[Row], labels: list[str]) -> Iterator[tuple[str, Row, re.Match[str]]]:
    """(label, row, match) for each row that opens with one of `labels` (the longest first) with
    no colon, space or cell break after it."""
    for lab in sorted(labels, key=len, reverse=True):
        head = re.compile(r"^\s*" + _spaced(lab) + r"(?=[^\s:：\t])")
        for row in rows:
            m = head.match(row.text)
            if m is not None:
                yield lab, row, m


def _colon_lost(rows: list[Row], labels: list[str], all_labels: list[str]) -> Hit | None:
    """The value of a label whose colon the scan lost, at a row's start, up to the next pair's
    label that kept its colon (联系人孟薄联系电话：0355…: 孟薄). Without that label after it
    nothing tells where the label ends and its value begins."""
    for lab, row, m in _glued_rows(rows, labels):
        rest = row.text[m.end():]
        ends = [at for other in all_labels if other != lab and (at := _colon_label_at(rest, other)) > 0]
        value = rest[: min(ends)].strip(" \t，,") if ends else ""
        if value:
            return Hit(value, row, _row_conf(row, m.start(), m.end() + len(value)))
    return None


# normalisers that take only a value of their kind (a verdict, a date, a phone number, an area),
# so that what they take is the value wherever the label's own end was lost
_CHECKED_VALUES = frozenset({"conclusion", "date", "phone", "area_m2"})


def _glued(rows: list[Row], labels: list[str], norm: Callable[[str], Any]) -> Hit | None:
    """The rest of a row that opens with one of `labels` run into its value with nothing
    between (验收结论4.9含格8: 合格 with a seal's ring strokes read beside it), when `norm`
    takes it as a value of its kind."""
    for _, row, m in _glued_rows(rows, labels):
        if norm(value := row.text[m.end():].strip()) is not None:
            return Hit(value, row, _row_conf(row, m.start(), len(row.text)))
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


def _conf_between(spans: list[tuple[int, Row]], start: int, end: int) -> float:
    """The lowest OCR confidence of the rows a match from `start` to `end` lies on (not of the
    whole paragraph: a stamp or scribble row under it says nothing about this value)."""
    confs = [r.confidence for k, (off, r) in enumerate(spans)
             if off < max(end, start + 1) and (k + 1 == len(spans) or spans[k + 1][0] > start)]
    return min(confs) if confs else min(r.confidence for _, r in spans)


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
                at = _colon_label_at(value, other)
                if other != lab and at > 0:
                    value = value[:at]
            value = value.strip(" \t，,")
            if value:
                row = _row_at(spans, m.end())
                return Hit(value, row, _conf_between(spans, m.start(), m.end() + len(value)))
    return None


# --------------------------------------------------------------------- ruled tables (OCR boxes)

# A form label of a ruled table that is not one of ours still bounds a neighbouring value cell.
_FORM_LABEL = re.compile(r"^[\u4e00-\u9fa5]{2,7}(?:名称|单位|地址|地点|面积|类型|类别|性质|日期|结论|意见|负责人|代表人|联系人|"
                         r"电话|方式|编号|文号|机关|部门)$")
EMPTY_CELL = Hit.__new__(Hit)  # sentinel: the label's cell was found and it is empty


def _flat(text: str) -> str:
    return re.sub(r"[\s:：]+", "", fold_variants(nfkc(text)))


def _is_label_cell(text: str, all_labels: list[str]) -> bool:
    """A cell that is a label, or starts with one of ours (OCR glues 单位类别技工院校)."""
    flat = _flat(text)
    return flat in all_labels or bool(_FORM_LABEL.match(flat)) or any(flat.startswith(lab) for lab in all_labels)


def _label_again(text: str, lab: str) -> bool:
    """A cell that is the label read a second time with its value (联系电话： | 联系电话：199…)."""
    rest = _after_label_again(text, lab)
    return rest != text and bool(rest.strip())


def _after_label_again(text: str, lab: str) -> str:
    """`text` without `lab` and its separator at its start."""
    m = _label_regex(lab).match(text)
    return text[m.end():] if m and m.end() > 0 else text


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _over(upper: Row, row: Row) -> bool:
    """Whether `upper` lies over `row`'s column: their boxes share some width (or either has no
    box). A copy note in a column of its own beside the signing block (与原件核对一致 at the
    left, the issuing body and its date at the right) is not the note the date belongs to."""
    if upper.bbox is None or row.bbox is None:
        return True
    # along the line: a line of a page read turned lies across the scan's pixels
    a = 0 if row.bbox[2] - row.bbox[0] >= row.bbox[3] - row.bbox[1] else 1
    return _overlap(upper.bbox[a], upper.bbox[a + 2], row.bbox[a], row.bbox[a + 2]) > 0


def _label_cells(rows: list[Row], lab: str) -> list[tuple[Row, tuple[float, float, float, float], float]]:
    """Cells that hold exactly `lab` (row, box, line height); a label wrapped inside its cell
    (主要负责 / 人) is put back together from two cells stacked in one column."""
    out = []
    for i, row in enumerate(rows):
        for cell in row.cells:
            flat = _flat(cell.text)
            if flat == lab:
                out.append((row, cell.box, cell.height))
            elif len(flat) >= 2 and lab.startswith(flat):
                rest = lab[len(flat):]
                for below in rows[i + 1:i + 4]:
                    if below.page != row.page:
                        break
                    for c2 in below.cells:
                        if (_flat(c2.text) == rest and c2.box[1] - cell.box[3] < 2.0 * cell.height
                                and _overlap(cell.box[0], cell.box[2], c2.box[0], c2.box[2]) > 0):
                            box = (min(cell.box[0], c2.box[0]), cell.box[1], max(cell.box[2], c2.box[2]), c2.box[3])
                            out.append((row, box, cell.height))
    return out


def find_in_table(rows: list[Row], labels: list[str], all_labels: list[str]) -> Hit | None:
    """The value cell of a ruled-table label read from OCR boxes: every box right of the label
    (up to the next label of its row) whose centre lies within the label's table row. A table
    row's height is bounded halfway to the label cells above and below in the same column, so a
    value that wraps inside its cell (and is centred vertically around the label) is read whole.

    Returns EMPTY_CELL when the label stands in a table and its value cell is blank (the field
    is then absent: the next row is another cell's text, not this value).
    """
    by_page: dict[int, list[tuple[Row, Cell]]] = {}
    for row in rows:
        for cell in row.cells:
            by_page.setdefault(row.page, []).append((row, cell))
    for lab in sorted(labels, key=len, reverse=True):
        # label and value read as one box in a table row: 主要负责人武凯 | 联系人 | 万海燕
        for row in rows:
            for cell in row.cells if len(row.cells) >= 2 else ():
                flat = _flat(cell.text)
                # (联系人：王静联系电话：… is a label line, read by the label parser)
                raw = nfkc(cell.text).replace(" ", "")
                if (flat.startswith(lab) and len(flat) > len(lab) and raw[len(lab):len(lab) + 1] not in _SEP
                        and not _FORM_LABEL.match(flat) and not _is_label_cell(flat[len(lab):], all_labels)):
                    return Hit(flat[len(lab):], row, cell.confidence)
        for row, lb, h in _label_cells(rows, lab):
            cells = by_page.get(row.page, [])
            lcy = (lb[1] + lb[3]) / 2
            # the next label to the right on the label's line bounds the value cell
            right = min((c.box[0] for _, c in cells if c.box[0] > lb[2] and abs(c.cy - lcy) < h
                         and _is_label_cell(c.text, all_labels) and not _label_again(c.text, lab)), default=math.inf)
            # the label cells above and below in the same column bound its table row
            column = [c for _, c in cells if _overlap(c.box[0], c.box[2], lb[0], lb[2]) > 0.3 * (lb[2] - lb[0])
                      and (c.box[3] <= lb[1] + 0.2 * h or c.box[1] >= lb[3] - 0.2 * h)]
            above = max((c.box[3] for c in column if c.box[3] <= lb[1] + 0.2 * h), default=lb[1] - 2.0 * h)
            below = min((c.box[1] for c in column if c.box[1] >= lb[3] - 0.2 * h), default=lb[3] + 2.0 * h)
            top, bottom = max((above + lb[1]) / 2, lb[1] - 2.0 * h), min((below + lb[3]) / 2, lb[3] + 2.0 * h)
            # (the label read again with its value may be a box over the label's own: 联系电话： and
            # 联系电话：199… read from one stretch of ink)
            value = [(r, c) for r, c in cells if c.box[2] <= right + 0.5 * h and top <= c.cy <= bottom
                     and ((c.box[0] >= lb[2] - 0.5 * h and not _is_label_cell(c.text, all_labels))
                          or (_label_again(c.text, lab) and c.box[2] > lb[2] + h))]
            if not value:
                beside = any(abs(c.cy - lcy) < h and _overlap(c.box[0], c.box[2], lb[0], lb[2]) < 0 for _, c in cells)
                if beside or any(_is_label_cell(c.text, all_labels) for c in column):
                    return EMPTY_CELL  # a table row whose value cell is blank
                continue  # a label alone on its line: read it as a label line
            value.sort(key=lambda rc: rc[1].cy)
            lines: list[list[tuple[Row, Cell]]] = []
            for rc in value:  # boxes of one text line of the cell, then the next line
                if lines and abs(rc[1].cy - lines[-1][0][1].cy) < 0.5 * h:
                    lines[-1].append(rc)
                else:
                    lines.append([rc])
            text = "".join(_after_label_again(c.text, lab).strip() for line in lines
                           for _, c in sorted(line, key=lambda rc: rc[1].box[0]))
            return Hit(text, row, min(c.confidence for _, c in value))
    return None


# --------------------------------------------------------------------- positional parsers


# A later note on the page (a certified-copy stamp, a distribution line), never the signing block.
# 原件 alone is no note: a seal's ring read into the signing body's name makes it (蝴原件榜和城致
# 建设局（盖章） of 阳泉市住房和城乡建设局).
_ANNOTATION = re.compile(r"核对|与原件|原件(?:一致|相符|无误)|复印件|^\s*抄送|^\s*附件")
# A date in running text that is not the signing date: what the sentence says happened then.
_OTHER_DATE = re.compile(r"^\s*(?:申|请|受理|竣工|开工|起|前|止|之日|以前|以后|对|至|到|召开|开展|进行)")
_OTHER_DATE_BEFORE = re.compile(r"(?:于|自|从|截至|截止|申请日期|受理日期|有效期至?)\s*$")


# a name alone before a stamp note: 某某局（盖章）
_STAMP_NOTE = re.compile(r"\s*([\u4e00-\u9fa5]{4,30})\s*[（(]\s*(?:盖章|公章)\s*[）)]\s*")
_STAMP_MARK = re.compile(r"[（(]?(?:盖章|公章|章)[）)]?")
_COPY_LEAD = re.compile(rf"\s*(?:{entities.COPY_NOTE})\s*")
# the date a copy note is written with (2024．2 of 2024.2.24), read into the head of the signing row
_COPY_DATE = re.compile(r"^\s*[0-9]{4}[./\-年][0-9./\-月日]{0,6}\s*(?=[\u4e00-\u9fa5])")


def _lead_org(row: Row) -> str | None:
    """The organisation a row starts with when the rest is only a seal note or a copy
    annotation (临汾市公安消防支队（盖章）, 阳泉市公安消防支队与原件核对一致); None otherwise.
    A copy note written beside the signing block and read into its row comes first
    (与原件核对一致朔州市…建设局（盖章）): the name after it is the row's (`_note_then_signer`);
    so may the date written with the note (2024．2运城市住房和城乡建设局（盖章）)."""
    text = _COPY_DATE.sub("", nfkc(row.text).strip())
    if any(c in text for c in _SEP):
        return None
    for ent in entities.of_label(text, "ORG"):
        if text[:ent.start].strip(" \t") == "" or _note_then_signer(text, ent):
            rest = _STAMP_MARK.sub("", text[ent.end:]).strip(" \t")
            if not rest or _ANNOTATION.search(rest):
                return str(ent.value)
    # a name garbled past looking like an organisation (晋中市住房和城多建设易（盖章）): the stamp
    # note printed after it says it is the signing body
    m = _STAMP_NOTE.fullmatch(text)
    return m.group(1) if m and not _ANNOTATION.search(text) else None


def _note_then_signer(text: str, ent: Any = None) -> bool:
    """A copy note, then a name with the signing block's stamp note (与原件核对一致朔州市怀仁市
    住房和城乡建设局（盖章）): the row is the signing body's, whatever note ran into it; the note
    asks for no stamp, the signing block does."""
    ents = [ent] if ent is not None else entities.of_label(text, "ORG")
    return any(_COPY_LEAD.fullmatch(text[:e.start]) and _STAMP_MARK.search(text[e.end:])
               and not _STAMP_MARK.sub("", text[e.end:]).strip(" \t") for e in ents)


def _org_row(row: Row) -> str | None:
    """The organisation a row names alone (its last cell, or the whole row)."""
    cand = normalise_org(row.text.split("\t")[-1])
    if not cand or any(c in row.text for c in _SEP):
        return None
    for ent in entities.of_label(cand, "ORG"):
        if ent.start == 0 and ent.end == len(cand):
            return cand
    return None


def anchor_year(rows: list[Row]) -> int | None:
    """A year the document itself prints (its 文号, else its latest complete date): the year an
    OCR-damaged date (二二三年 for 二〇二三年) most likely stands for."""
    own = find_document_number_hit(rows, [])
    if own is not None:
        found = find_document_number(own.text)
        if found:
            return found[1]
    years = [when.year for row in rows for _, _, when in entities.dates(nfkc(row.text), clean_only=True)]
    if years:
        return max(years)
    # no date survived: the latest year the text cites (the notice's 〔2024〕 in a report)
    cited = [int(y) for row in rows for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", nfkc(row.text))]
    return max(cited) if cited else None


# A date whose year OCR damaged and the document's own year filled in (九年八月十日 under a
# seal): likely right, but the damage may have hit a day digit too, so a person confirms it.
REPAIRED_DATE_CONFIDENCE = 0.5


# a run of date glyphs in a row's text (numerals, 年 月 日 and separators)
_DATE_RUN = re.compile(rf"[{NUMERALS}][{NUMERALS}年月日.\-/]*")


def _as_sure_as_its_date(row: Row) -> Row:
    """The row with the confidence of the boxes its date is read from.

    Seal strokes beside a date under a seal are read as boxes of their own (市, 新班 at 0.4);
    what the recogniser made of them says nothing about the date beside them."""
    runs = [m for m in _DATE_RUN.finditer(row.text) if _DATE_HINT.search(m.group(0))]
    if len(row.cells) < 2 or not runs:
        return row
    m = max(runs, key=lambda m: len(m.group(0)))
    return dataclasses.replace(row, confidence=_row_conf(row, m.start(), m.end()))


def _only_date(row: Row, anchor: int | None) -> tuple[str, Any, float] | None:
    """(matched text, date, confidence) when a row is essentially just a date."""
    text = nfkc(row.text)
    found = entities.marked_dates(text, anchor)
    if not found:
        return None
    start, end, when, clean = found[-1]
    rest = (text[:start] + text[end:]).replace(" ", "").replace("\t", "")
    # a bare date, perhaps with a stray mark; a labelled date (申请日期：…) is not a foot date
    if len(re.sub(r"[^\u4e00-\u9fa5]", "", rest)) != 0 or len(rest) > 3:
        return None
    conf = row.confidence if clean else min(row.confidence, REPAIRED_DATE_CONFIDENCE)
    return text[start:end], when, conf


_CN_DIGITS = "〇一二三四五六七八九"
_DATE_HINT = re.compile(r"[年月日]")
DATE_MAX_GAP = 8.0  # nats a decoded date may cost over the free reading of its line
DATE_NO_SAY_SHARE = 0.5  # re-cuts whose two likeliest dates hold less say nothing against a first reading
DATE_MIN_SHARE = 0.8  # and the share of the line's probability (among all dates) it must hold


def _cn_number(n: int) -> str:
    """1..31 in Chinese numerals as dates write them (十, 十一, 二十, 二十一)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones else "")


def _spellings_of_years(years: Iterable[int], chinese: bool) -> Iterator[tuple[str, dt.date]]:
    """(spelling, day) for every day of `years` (in order), each spelt as `_date_spellings` does."""
    for year in sorted(years):
        day = dt.date(year, 1, 1)
        while day.year == year:
            for spelt in _date_spellings(day, chinese):
                yield spelt, day
            day += dt.timedelta(days=1)


def _date_spellings(when: dt.date, chinese: bool) -> list[str]:
    y, m, d = when.year, when.month, when.day
    if chinese:
        year = "".join(_CN_DIGITS[int(c)] for c in str(y))
        return [f"{year}年{_cn_number(m)}月{_cn_number(d)}日", f"{year.replace('〇', '○')}年{_cn_number(m)}月{_cn_number(d)}日"]
    return [f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日"]


class DecodedDate(NamedTuple):
    """What `decode_date` made of a line: a date and how sure; `decided` False when another
    date explains the line about as well (二月十八日 / 二十八日) and this one is only the likeliest."""

    text: str
    when: dt.date
    confidence: float
    decided: bool = True
    share: float = 1.0  # the share of the line's probability (among all dates scored) it holds
    two: float = 1.0  # the most any cut gives its two likeliest dates together


def decode_date(row: Row, anchor: int, also: int | None = None, not_before: dt.date | None = None,
                not_after: dt.date | None = None) -> DecodedDate | None:
    """The date that best explains a line a seal covers, asked of the recogniser's own output.

    Every date of the document's year (and the years either side) is spelt as the line spells
    dates (Chinese numerals or digits); those within a few edits of what was read are scored
    against the line's frame beliefs (CTC forward probability), and the best is taken when it
    costs at most `DATE_MAX_GAP` nats over the free reading and clearly beats every other date.
    The line is cut more than once (tight, and wider for glyphs outside its box): each cut is
    decoded on its own; a cut that cannot tell two dates apart gives way to one that can.
    When no cut decides, or two cuts decide differently, the likeliest date is returned
    undecided, never more confident than `REPAIRED_DATE_CONFIDENCE` (a person confirms it).
    `also`: a further year to try (the one the line's first reading shows whole). `not_before`:
    no date before it is a candidate (a certificate is issued after it was applied for);
    `not_after`: none after it (a report within its campaign). None when no date fits.
    """
    decided: list[tuple[float, str, Any, float]] = []
    guesses: list[tuple[float, str, Any, float]] = []
    scored: list[_CutDates] = []
    for beliefs in row.beliefs:
        cut = _cut_dates(beliefs, anchor, also, not_before, not_after)
        if cut is None:
            continue
        scored.append(cut)
        got = cut.best()
        (decided if got[3] >= DATE_MIN_SHARE else guesses).append(got)
    def sure(gap: float, spelt: str, when: Any, share: float) -> DecodedDate:
        # as sure as the line, the fit per glyph and the date's share allow
        return DecodedDate(spelt, when, round(min(row.confidence, math.exp(-max(0.0, gap) / max(1, len(spelt))), share), 4),
                           share=round(share, 4))

    if decided and len({when for _, _, when, _ in decided}) == 1:
        gap, spelt, when, share = max(decided, key=lambda d: d[3])
        # the date fits the line as well as the cut that read it best (2024年1月24 decided on a
        # cut that lost 日 at its edge, read whole on another)
        return sure(min(gap, *(cut.gaps[when][0] for cut in scored if when in cut.gaps)), spelt, when, share)
    if not decided and len(scored) > 1:
        joint = _joint_date(scored)
        if joint[3] >= DATE_MIN_SHARE:
            return sure(*joint)
    pool = decided or guesses
    if not pool:
        return None
    _, spelt, when, share = max(pool, key=lambda d: d[3])
    return DecodedDate(spelt, when, round(min(row.confidence, share, REPAIRED_DATE_CONFIDENCE), 4), decided=False,
                       share=round(share, 4), two=round(max(cut.top_two() for cut in scored), 4))


class _CutDates(NamedTuple):
    """One cut of a line scored against the dates it might show: per date its best spelling and
    gap (nats over the cut's free reading; negative: likelier), and how to score more spellings."""

    gaps: dict[Any, tuple[float, str]]
    rescore: Callable[[Sequence[str]], list[float]]

    def best(self) -> tuple[float, str, Any, float]:
        """(gap, spelling, date, share): the likeliest date and its share among all dates scored."""
        when, (gap, spelt) = min(self.gaps.items(), key=lambda kv: kv[1][0])
        return gap, spelt, when, 1.0 / sum(math.exp(gap - g) for g, _ in self.gaps.values())

    def top_two(self) -> float:
        """The share of the two likeliest dates together."""
        gaps = sorted(g for g, _ in self.gaps.values())
        return sum(math.exp(gaps[0] - g) for g in gaps[:2]) / sum(math.exp(gaps[0] - g) for g in gaps)


def _cut_dates(beliefs: FrameBeliefs, anchor: int, also: int | None = None,
               not_before: dt.date | None = None, not_after: dt.date | None = None) -> _CutDates | None:
    """The dates one cut of a line may show, scored; None when none is within a few edits of what
    the cut read, or the likeliest costs more than `DATE_MAX_GAP` over the free reading.

    The share of the best (`_CutDates.best`) is the probability it holds among all dates scored
    (each date's best spelling): one date clearly ahead, not one of many a messy line fits
    about as well.
    """
    read = beliefs.greedy()
    core = re.sub(r"^[^0-9〇○零一二三四五六七八九十]+|[^0-9年月日〇○零一二三四五六七八九十]+$", "", read)
    if len(core) < 3:
        return None
    chinese = bool(re.search(r"[〇○零一二三四五六七八九十]", core))
    head, tail = read[: read.find(core)], read[read.find(core) + len(core):]
    limit = max(4, len(core) // 2)  # a seal may hide the three year glyphs and a day glyph
    years = {anchor - 1, anchor, anchor + 1} | ({also} if also and 1949 < also < 2100 else set())
    if not_before is not None and not_after is not None and not_after.year - not_before.year <= 2:
        # a campaign's window: its own years whatever the line's first reading made of the year
        years |= set(range(not_before.year, not_after.year + 1))
    spelt_all = [(spelt, day) for spelt, day in _spellings_of_years(years, chinese)
                 if abs(len(spelt) - len(core)) <= limit and (not_before is None or day >= not_before)
                 and (not_after is None or day <= not_after)]
    near = edit_distances(core, [spelt for spelt, _ in spelt_all]) <= limit
    cands = [c for c, ok in zip(spelt_all, near, strict=True) if ok]
    if not cands:
        return None
    score = beliefs.batch_scorer()
    free = float(score([read])[0])

    def rescore(spellings: Sequence[str]) -> list[float]:
        # negative gap: likelier than the free reading
        return [free - float(v) for v in score([head + s + tail for s in spellings])]

    gaps: dict[Any, tuple[float, str]] = {}
    for g, (spelt, day) in sorted(zip(rescore([s for s, _ in cands]), cands, strict=True), key=lambda b: b[0]):
        gaps.setdefault(day, (g, spelt))
    if min(g for g, _ in gaps.values()) > DATE_MAX_GAP:
        return None
    return _CutDates(gaps, rescore)


def _joint_date(cuts: list[_CutDates]) -> tuple[float, str, Any, float]:
    """(gap, spelling, date, share) of the date the cuts of a line, none sure alone, favour
    together (one cut that hesitated between 二日 and 三日, another between 二日 and 十二日,
    both most of all 二日): each cut's probabilities over every date any cut found near what it
    read, multiplied, a date taking its best spelling on each cut. The gap is the best any cut
    gave the date."""
    spellings: dict[Any, set[str]] = {}
    for cut in cuts:
        for when, (_, spelt) in cut.gaps.items():
            spellings.setdefault(when, set()).add(spelt)
    dates = list(spellings)
    flat = [(i, s) for i, w in enumerate(dates) for s in sorted(spellings[w])]
    total = [0.0] * len(dates)
    best: list[tuple[float, str]] = [(math.inf, "")] * len(dates)
    for cut in cuts:
        per_date = [math.inf] * len(dates)
        for (i, spelt), g in zip(flat, cut.rescore([s for _, s in flat]), strict=True):
            per_date[i] = min(per_date[i], g)
            best[i] = min(best[i], (g, spelt))
        low = min(per_date)
        norm = low - math.log(sum(math.exp(low - g) for g in per_date))
        for i, g in enumerate(per_date):
            total[i] += norm - g
    top = max(range(len(dates)), key=lambda i: total[i])
    share = 1.0 / sum(math.exp(t - total[top]) for t in total)
    return best[top][0], best[top][1], dates[top], share


def _belief_date(row: Row, anchor: int) -> tuple[str, Any, float] | None:
    """A date read (and, its year damaged, repaired) from the recogniser's reading of the line
    re-cut wider; never more confident than a repaired date."""
    for beliefs in row.beliefs:
        read = beliefs.greedy()
        found = entities.dates(read, anchor)
        if found:
            start, end, when = found[-1]
            return read[start:end], when, min(row.confidence, REPAIRED_DATE_CONFIDENCE)
    return None


def _earliest_cell_date(row: Row, anchor: int | None) -> tuple[str, Any, float] | None:
    """A row of two or more cells that are each just a date (the copy annotation's 2024.2.24
    beside the signing block's 2022年6月28日): the earliest (a copy is certified after the
    original was issued)."""
    parts = [p for p in row.text.split("\t") if p.strip()]
    if len(parts) < 2:
        return None
    found = [_only_date(dataclasses.replace(row, text=p), anchor) for p in parts]
    if any(f is None for f in found):
        return None
    return min((f for f in found if f is not None), key=lambda f: f[1])


_YEAR_DIGIT = {**{c: str(i) for i, c in enumerate("〇一二三四五六七八九")}, "○": "0", "零": "0", **{str(i): str(i) for i in range(10)}}


def _lost_year_only(spelt: str, when: Any, anchor: int) -> bool:
    """A date whose month and day were read whole and only year glyphs were lost under the seal
    (二二一年十二月二十八日, 年五月十四日), the year left being part of the document's own
    (its 文号's) year, units digit kept: the 文号 gives the year back, nothing is guessed."""
    if "年" not in nfkc(spelt) or when.year != anchor:
        return False
    frag = _year_left(spelt)
    year = str(anchor)
    return len(frag) < 4 and "?" not in frag and entities.is_subsequence(frag, year) and (not frag or frag[-1] == year[-1])


def _year_left(spelt: str) -> str:
    """The digits a date reading shows before its 年 (二四年二月十八日: 24); ? for a glyph that is none."""
    flat = re.sub(r"\s", "", nfkc(spelt))
    return "".join(_YEAR_DIGIT.get(ch, "?") for ch in flat[: flat.find("年")]) if "年" in flat else ""


def _year_left_is_one_years(spelt: str, anchor: int) -> bool:
    """What a damaged year left (二四 of 二〇二四) is part of the document's year and of neither
    year beside it (二〇 is part of 2020 and of 2021 alike)."""
    frag = _year_left(spelt)
    return (bool(frag) and "?" not in frag and entities.is_subsequence(frag, str(anchor))
            and not any(entities.is_subsequence(frag, str(y)) for y in (anchor - 1, anchor + 1)))


def _year_given_back(d: tuple[str, Any, float] | None, row: Row, anchor: int) -> tuple[str, Any, float] | None:
    """`d` as sure as its line when its only loss is year glyphs the 文号 gives back."""
    if d is not None and _lost_year_only(d[0], d[1], anchor):
        return (d[0], d[1], max(d[2], row.confidence))
    return d


def _flat_date(text: str) -> str:
    """A date reading compared glyph by glyph: NFKC, no spaces, ○ as 〇."""
    return re.sub(r"\s", "", nfkc(text)).replace("○", "〇")


def _spelt_whole(text: str, when: dt.date) -> list[str]:
    """The spellings of `when` that hold every glyph of `text` in order (二〇一五年四月十六日 of
    一五年四月十六日, a reading that lost year glyphs)."""
    flat = _flat_date(text)
    chinese = bool(re.search(r"[〇○一二三四五六七八九十]", flat))
    return [s for s in _date_spellings(when, chinese) if entities.is_subsequence(flat, _flat_date(s))]


# the longest window of dates `_one_date_in` searches day by day
WINDOW_DAYS_MAX = 400


def _one_date_in(text: str, first: dt.date | None, last: dt.date | None) -> dt.date | None:
    """The one date from `first` to `last` that `text` is, perhaps with glyphs lost (`_spelt_whole`):
    None when none is, or more than one (四年二月九日 is 9, 19 or 29 February)."""
    if first is None or last is None or not 0 <= (last - first).days <= WINDOW_DAYS_MAX:
        return None
    found = None
    for k in range((last - first).days + 1):
        day = first + dt.timedelta(days=k)
        if _spelt_whole(text, day):
            if found is not None:
                return None
            found = day
    return found


def _lost_glyphs(fewer: str, more: str) -> bool:
    """`fewer` is `more` with glyphs missing (十八日 of 二十八日, 2024年2月2 of 2024年2月27日)."""
    a, b = _flat_date(fewer), _flat_date(more)
    return len(a) < len(b) and entities.is_subsequence(a, b)


_NOT_DATE_GLYPH = re.compile(rf"[^{NUMERALS}年月日.\-/]")


def _cut_lost_glyphs(cut: str, whole: str) -> bool:
    """A re-cut's reading says nothing against the whole date: it is the date, perhaps with
    glyphs missing, once what the wider cut took in is set aside: a glyph or two before the
    date, anything after its 日, and ring strokes read as glyphs no date has (22023年03月1日 of
    2023年03月11日: a stroke read as 2, and one 1 lost; 二〇二二年五月二十朔日 of …二十日).
    A re-cut that read the whole date exactly, strokes aside, says nothing against it either
    when it did read such strokes (they are what made the decoder doubt); without them, its
    doubt is the date's own (26 or 28)."""
    flat, strokes = _NOT_DATE_GLYPH.subn("", _flat_date(cut))
    end = flat.rfind("日")
    flat = flat[: end + 1] if end >= 0 else flat
    full = _flat_date(whole)
    for i in range(min(3, len(flat))):  # the fewest glyphs set aside
        if entities.is_subsequence(flat[i:], full):
            return len(flat) - i < len(full) or (strokes > 0 and len(flat) - i == len(full))
    return False


def _losses_of_one_date(first: str, row: Row, years: set[int]) -> tuple[str, Any] | None:
    """The one date both the first reading and a re-cut are read from with glyphs lost.

    A seal hides glyphs, each reading losing its own (2018年3月1日 read first, 28年3月21日 on
    the re-cut: 2018年3月21日 holds both, in order); the date is taken only when exactly one
    date of `years` does, for a re-cut that has a glyph the first reading lacks."""
    a = _flat_date(first)
    chinese = bool(re.search(r"[〇一二三四五六七八九十]", a))
    cuts = []
    for b in row.beliefs:
        m = _DATE_CORE.search(_flat_date(b.greedy()))
        if m and not entities.is_subsequence(m.group(0), a):
            cuts.append(m.group(0))
    if not cuts:
        return None
    found: dict[Any, str] = {}
    for spelt, day in _spellings_of_years(years, chinese):
        if entities.is_subsequence(a, spelt) and any(entities.is_subsequence(c, spelt) for c in cuts):
            found.setdefault(day, spelt)
    return next(((t, w) for w, t in found.items()), None) if len(found) == 1 else None


# the date-like middle of a re-cut's reading (digits or Chinese numerals, 年 月 日)
_DATE_CORE = re.compile(rf"[{NUMERALS}][{NUMERALS}年月日]*日")


def _under_seal_date(row: Row, d: tuple[str, Any, float] | None, anchor: int,
                     not_before: dt.date | None = None, not_after: dt.date | None = None) -> tuple[str, Any, float] | None:
    """The date of a line a seal covers, from the first reading `d` and the recogniser's output
    re-cut wider (`decode_date`).

    A seal hides glyphs; it does not add them. So where the two readings differ by glyphs one
    of them lacks, the fuller one stands (二〇二四年二月十八日 read first, 二十八日 on the re-cut:
    the first pass lost 二; 2021年11月6日 on the re-cut of a whole 2021年11月16日: the re-cut lost
    one). Where each lost glyphs of its own, the one date holding both stands
    (`_losses_of_one_date`). Any other disagreement leaves a date for a person to confirm: the
    re-cut's where the decoder decided on it (2018年11月01日 read first, 04日 on both re-cuts),
    else the first reading; with no first reading, the re-cut's likeliest date is taken (as sure
    as the decoder is of it, among all dates, when every reading is that date with glyphs lost).
    A date whose only loss is year glyphs the 文号 gives back keeps the line's confidence.
    `not_before`: the date the document was applied for (`applied_on`), or the campaign's first
    day for a document that answers it, whichever is later; nothing is signed before it.
    `not_after`: the campaign's last day for such a document; nothing is signed after it.
    """
    # whole: the first reading needed no repair but year glyphs the document's year gives back
    # (二四年二月十八日: nothing guessed), and its year is near the document's
    read_whole = d is not None and d[2] >= row.confidence
    d = _year_given_back(d, row, anchor)
    # a year that kept one glyph at most (九年八月十日 of 二〇一九年八月十一日) lay under the thick
    # of the seal: the day beside it may have lost a glyph too
    whole = d is not None and d[2] >= row.confidence and abs(d[1].year - anchor) <= 1 and (
        read_whole or len(_year_left(d[0])) >= 2)
    # the year a sure first reading shows is a candidate too (a certificate issued two years
    # after its 文号's year: 2018年3月1日 read first, 28年3月21日 on the re-cut)
    dec = decode_date(row, anchor, d[1].year if d is not None and d[2] >= row.confidence else None, not_before, not_after)
    if d is not None and dec is not None and dec.when == d[1] and _one_date_in(d[0], not_before, not_after) == d[1]:
        # whatever glyphs the seal hid, the first reading is no other date of the window the
        # document is dated in (四年二月二十九日 of a report dated in 2024's February to April),
        # and the re-cuts' likeliest date is it: nothing is left to doubt
        return (d[0], d[1], max(d[2], row.confidence))
    if d is not None and dec is not None and not dec.decided and dec.two < DATE_NO_SAY_SHARE:
        # re-cuts that favour no date (二〇十二年四月 of 二〇一三年四月二十日: no two dates hold
        # half the probability of any cut) say nothing against the first reading: as if none fit
        dec = None
    if d is None:
        # a re-cut that read month and day whole, only year glyphs lost (二四年二月二十二日 where
        # the first pass read 二四年月：十二日): its date, as sure as the line, unless the decoder
        # decided on another
        for b in row.beliefs:
            got = _only_date(dataclasses.replace(row, text=b.greedy()), anchor)
            if got is None or not _lost_year_only(got[0], got[1], anchor):
                continue
            if dec is None or dec.when == got[1] or not dec.decided:
                return (got[0], got[1], row.confidence)
            if not _cut_lost_glyphs(b.greedy(), dec.text):
                # the decided date would have the seal add a glyph the re-cut shows (二月二四日
                # decided as 二月二日: a 十 hidden, not a 四 added): the re-cut's date, for a
                # person to confirm
                return (got[0], got[1], min(row.confidence, REPAIRED_DATE_CONFIDENCE))
        if dec is not None and dec.decided and all(
                _cut_lost_glyphs(r, dec.text) for r in [row.text, *(b.greedy() for b in row.beliefs)]):
            # every reading is the decided date with glyphs lost (016年1月14, 至016年月14 of
            # 2016年1月14日): what the seal hid costs nothing; only which date is left to doubt
            return (dec.text, dec.when, min(row.confidence, dec.share))
        if dec is not None:
            return (dec.text, dec.when, dec.confidence)
        # glyphs lost outright (二四年): the wider re-cut's reading, repaired
        return _year_given_back(_belief_date(row, anchor), row, anchor)
    if d[2] >= row.confidence and not (dec is not None and dec.when == d[1] and dec.decided):
        both = _losses_of_one_date(d[0], row, {anchor - 1, anchor, anchor + 1, d[1].year})
        if both is not None:
            return (both[0], both[1], row.confidence)
    if dec is None:
        return d
    if dec.when == d[1] and dec.decided:  # the re-cut agrees
        return (dec.text, dec.when, max(d[2], dec.confidence))
    if whole and all(_cut_lost_glyphs(b.greedy(), d[0]) for b in row.beliefs):
        # every re-cut read the whole first reading with glyphs missing (202年2月13日 or
        # 2017年1月日 of 2017年1月4日): unsure only of glyphs it lost, it says nothing against it,
        # nor does a date the decoder made of what the re-cuts lost (2020年8月日 decided as 8日
        # where the first reading saw 9日; 中月 decided as 十月 where it saw 二月)
        return d
    if whole and (_lost_glyphs(dec.text, d[0]) or (dec.when != d[1] and any(
            _lost_glyphs(dec.text, full) for full in _spelt_whole(d[0], d[1])))):
        # the decoder's reading is the first reading's date with glyphs lost, the year glyphs
        # given back counted in (二〇一五年四月六日 of 一五年四月十六日: it lost 十, added nothing);
        # undecided on the first reading's own date, its doubt is that date's (26 or 28)
        return d
    if whole and _lost_glyphs(d[0], dec.text):
        # the decoder's reading is fuller; when the first reading's year was only given back, what
        # is left of it fits a year beside the document's too (20年 of 2020 or of 2021) and the
        # decoder could not decide, which year is still a guess
        # (a decided date of another year than the one given back decided between years the
        # recogniser saw no glyph of: 202年 of 2022 or 2023)
        sure = read_whole or (dec.decided and dec.when.year == d[1].year) or _year_left_is_one_years(d[0], anchor)
        return (dec.text, dec.when, row.confidence if sure else min(row.confidence, REPAIRED_DATE_CONFIDENCE))
    if whole and dec.decided and len(row.beliefs) > 1 and all(_reads_as(b.greedy(), dec.text) for b in row.beliefs):
        # every re-cut read the decided date glyph for glyph, but year glyphs it lost (2024年2月24日
        # where the first pass read 21日; 023年12月6日 and 203年12月6日 where it read 10月): the
        # line read two times one way, once the other
        return (dec.text, dec.when, min(row.confidence, dec.confidence))
    if whole and dec.decided:
        return (dec.text, dec.when, min(dec.confidence, REPAIRED_DATE_CONFIDENCE))
    if whole or not dec.decided:
        return (d[0], d[1], min(d[2], REPAIRED_DATE_CONFIDENCE))
    return (dec.text, dec.when, dec.confidence)


HIDDEN_GAP = 0.5  # boxes of a date this far apart (in box heights) may hide a glyph between them


def _hidden_gap(row: Row) -> bool:
    """A date under a seal read in pieces with room for a glyph between them (二四年二月 | 五日 of
    二〇二四年二月二十五日): the recogniser sees no glyph there, and the likeliest date is the
    one without it; whether one hid there is for a person to see."""
    cells = sorted((c for c in row.cells if _DATE_HINT.search(c.text)), key=lambda c: c.box[0])
    return any(b.box[0] - a.box[2] >= HIDDEN_GAP * min(a.height, b.height) for a, b in zip(cells, cells[1:], strict=False))


def _reads_as(cut: str, spelt: str) -> bool:
    """A re-cut's reading is the date `spelt` glyph for glyph, but year glyphs lost (023年12月6日
    of 2023年12月6日)."""
    read, full = _flat_date(cut), _flat_date(spelt)
    if read == full:
        return True
    if "年" not in read or "年" not in full:
        return False
    (year, rest), (whole_year, whole_rest) = read.split("年", 1), full.split("年", 1)
    return rest == whole_rest and entities.is_subsequence(year, whole_year)


def _gap_read(row: Row, spelt: str) -> bool:
    """A re-cut found what the gap (`_hidden_gap`) held: its reading holds the date's month and
    day as `spelt` gives them, glyphs the first reading lacks among them (二二年五 | 日 first,
    二〇二二年五月一日 on a re-cut). A re-cut that read no more than the first pass saw nothing in
    the gap, which may still hide a glyph."""
    flat = _flat_date(spelt)
    tail = flat[flat.find("年") + 1:]
    return bool(tail) and tail not in _flat_date(row.text) and any(tail in _flat_date(b.greedy()) for b in row.beliefs)


def _labelled_date(row: Row) -> bool:
    """A row that gives a date under a label (申请日期	二〇二一年十月三十一日, 时间：…): another
    field's date. A name beside a date (贾宏伟	2019年1月24日) is no label."""
    m = _DATE_RUN.search(row.text)
    head = row.text[: m.start()] if m else row.text
    return bool(re.search(r"(?:日期|时间)\s*[:：\t]?\s*$|[\u4e00-\u9fa5]{2,}\s*[:：]\s*$", head))


# the date a document was applied for: 申请日期 2023年3月1日, 于2023年3月1日申请, 受理日期 …
_APPLIED_LABEL = re.compile(r"(?:申请|受理)(?:日期|时间)\s*[:：\t]?\s*$")
_APPLIED_AFTER = re.compile(r"^\s*(?:提出)?(?:申请|报送|提交)")


def applied_on(rows: list[Row]) -> dt.date | None:
    """The date the document says it was applied for (申请日期, 于…申请), read whole (no repair),
    else None: what it answers cannot be signed before it."""
    for text, _ in _paragraphs(rows):
        flat = nfkc(text)
        for start, end, when, clean in entities.marked_dates(flat):
            if clean and (_APPLIED_LABEL.search(flat[max(0, start - 12):start]) or _APPLIED_AFTER.match(flat[end:end + 6])):
                return when
    return None


def _reread_from(row: Row, d: tuple[str, Any, float], dated_from: dt.date) -> tuple[str, Any, float] | None:
    """A date under a seal read before `dated_from` (2021年2月26日 on a report answering a 2024
    notice), which a re-cut of the same line read whole as a date from then on that differs only
    in its year (2024年2月26日: a ring stroke through the 4 made it a 1 on the first pass): the
    re-cut's date, as sure as the line. The recogniser saw it; the campaign rules the other out."""
    for b in row.beliefs:
        read = nfkc(b.greedy())
        for start, end, when, clean in entities.marked_dates(read):
            if clean and when >= dated_from and (when.month, when.day) == (d[1].month, d[1].day):
                return read[start:end], when, row.confidence
    return None


def find_foot_date(rows: list[Row], copies_from: int | None = None, dated_from: dt.date | None = None,
                   dated_to: dt.date | None = None) -> Hit | None:
    """The date of the signing block at the foot.

    Candidates are rows that are just a date. One signed by an organisation named just above
    and not part of a copy annotation (与原件核对一致 + date + name) wins, the last one; when the
    signing block and the annotation run together, the earliest of their dates (a copy is
    certified after the original was issued); then the last date-only row that is no
    annotation's; then a date closing a row of running text that is not what a sentence says
    happened then (于…申请, 竣工, 截至 …). `copies_from`: the earliest year a copy annotation
    can carry (copies are certified for the campaign); an earlier date beside one is no
    annotation's (与原件核对一致 / 2014年7月21日 / 叶宏伟 on a 2014 certificate copied in 2024).
    `dated_from`: the earliest date the campaign allows for this signing date (a report answers
    the campaign's notice): no earlier date is a candidate for a line under a seal, and a date
    read earlier yields to a re-cut that read the line whole within it (`_reread_from`). `dated_to`:
    the latest (the campaign's end): no later date is a candidate for a line under a seal.
    """
    anchor = anchor_year(rows)
    # nothing is signed before it was applied for, nor before the campaign's window opens
    signed_from = max((x for x in (applied_on(rows), dated_from) if x), default=None)
    signed: list[tuple[Hit, Any, bool, int, int]] = []
    plain: Hit | None = None
    for i, row in enumerate(rows):
        d = _only_date(row, anchor)
        two = _earliest_cell_date(row, anchor) if d is None else None
        if two is not None:
            d = two  # a copy annotation's date beside the signing date: the beliefs mix both
        elif row.beliefs and anchor is not None and (d is not None or (_DATE_HINT.search(row.text) and not _labelled_date(row))):
            d = _under_seal_date(_as_sure_as_its_date(row), d, anchor, signed_from, dated_to)
            if d is not None and dated_from is not None and d[1] < dated_from:
                d = _reread_from(row, d, dated_from) or d
            if d is not None and _hidden_gap(row) and not _gap_read(row, d[0]):
                d = (d[0], d[1], min(d[2], REPAIRED_DATE_CONFIDENCE))
        elif anchor is not None:
            d = _year_given_back(d, row, anchor)
        if d is None:
            continue
        hit = Hit(d[0], row, d[2], d[1].isoformat())
        prev = [(i - j, r) for j, r in enumerate(rows[max(0, i - 3):i], start=max(0, i - 3)) if r.page == row.page]
        org_at = min((k for k, r in prev if _org_row(r) or _lead_org(r)), default=None)
        ann_at = None if copies_from is not None and d[1].year < copies_from else min(
            (k for k, r in prev if k <= 2 and _ANNOTATION.search(r.text) and _over(r, row)
             and not _note_then_signer(nfkc(r.text).strip())),
            default=None)
        if org_at is not None:
            signed.append((hit, d[1], ann_at is not None, org_at, ann_at if ann_at is not None else 99))
        elif ann_at is None:
            plain = hit
    clean = [h for h, _, annotated, _, _ in signed if not annotated]
    if clean:
        return clean[-1]
    if len(signed) >= 2:
        return min(signed, key=lambda c: c[1])[0]
    if signed and signed[0][3] < signed[0][4]:  # the signing body is nearer than the annotation
        return signed[0][0]
    if plain:
        return plain
    # No bare date row: a date closing a row ("…特此报告。2024年2月26日"), never one a sentence
    # dates something else by, nor a later annotation's.
    annotated_from = min((r.index for r in rows if _ANNOTATION.search(r.text)), default=None)
    context = {r.index: (text, off) for text, spans in _paragraphs(rows) for off, r in spans}
    for row in reversed(rows):
        if annotated_from is not None and row.index > annotated_from:
            continue
        flat = nfkc(row.text).strip()
        found = entities.marked_dates(flat, anchor)
        if not found or len(flat) - found[-1][1] > 2:
            continue
        start, end, when, clean = found[-1]
        text, off = context.get(row.index, (flat, 0))
        pos = text.find(flat[start:end].replace(" ", ""), off)
        after = text[pos + end - start:] if pos >= 0 else ""
        before = text[:pos] if pos >= 0 else flat[:start]
        if _OTHER_DATE.match(after) or _OTHER_DATE_BEFORE.search(before):
            continue
        # as sure as the boxes it is read from (hAll | 2024年2月15日: ring strokes beside it)
        sure = _as_sure_as_its_date(row).confidence
        return Hit(flat[start:end], row, sure if clean else min(sure, REPAIRED_DATE_CONFIDENCE), when.isoformat())
    return None


# What is left of a date a seal or a stain made illegible: mostly date glyphs, at least one numeral
# and one of 年 月 日, and short (a blank 年  月  日 form line has no numeral: nothing was written).
ILLEGIBLE_DATE_SHARE = 0.6
ILLEGIBLE_DATE_MAX = 16
_DATE_GLYPH = re.compile(f"[{NUMERALS}年月日]")


# ... or, its 年 月 日 all lost, a year's Chinese 〇 among as many Chinese numerals as a year
# keeps (二〇海十 十通 of 二〇二一年十一月十二日): no blank form line, 文号 or phone number is that
_YEAR_ZERO = re.compile("[〇○]")
_CN_NUMERAL = re.compile("[〇○零一二三四五六七八九十]")
YEAR_LEFT_MIN = 3


def date_remnant(text: str) -> bool:
    """Whether `text` is what is left of a date that cannot be read whole (四年二月八, 202年5月,
    年十三月十, 二〇海十十通): mostly date glyphs, with a numeral and a 年, 月 or 日 (or a year's 〇
    among three Chinese numerals), and no whole date in it."""
    flat = re.sub(r"\s", "", nfkc(text))
    if not flat or len(flat) > ILLEGIBLE_DATE_MAX or not NUMERAL.search(flat):
        return False
    if not _DATE_HINT.search(flat) and not (_YEAR_ZERO.search(flat) and len(_CN_NUMERAL.findall(flat)) >= YEAR_LEFT_MIN):
        return False
    if len(_DATE_GLYPH.findall(flat)) < ILLEGIBLE_DATE_SHARE * len(flat):
        return False
    return not entities.dates(flat, clean_only=True)


def find_illegible_date(rows: list[Row], remnants: Iterable[tuple[int, str]] = (),
                        rings: Iterable[tuple[int, str]] = (), dated_to: dt.date | None = None) -> tuple[int, str] | None:
    """(page, text) of the last line that is what is left of a date no reading could give
    (`date_remnant`), not a labelled date nor a copy annotation; else the first of `remnants`
    (page, text) that is one (date glyphs a seal reader took into a seal's inner text).
    Called when no signing date was found: the date is there, only illegible.
    `rings`: (page, ring text) of the seals: glyphs of a seal's ring read at either end of a
    line (一四日训中心 under 长治市上党区众诚技能培训中心) are the seal's, not the line's.
    `dated_to`: the latest date the document can bear; a line that is just a date after it (2028
    of 2023 under a seal's strokes) is a misreading of the date, not a date."""
    ring_texts: dict[int, list[str]] = {}
    for page, ring in rings:
        if ring:
            ring_texts.setdefault(page, []).append(re.sub(r"\W", "", ring))
    for row in reversed(rows):
        if _labelled_date(row) or _ANNOTATION.search(row.text):
            continue
        text = _without_ring_glyphs(re.sub(r"\s", "", nfkc(row.text)), ring_texts.get(row.page, []))
        if date_remnant(text) or _after(row, dated_to):
            return row.page, row.text.strip()
    return next(((page, text.strip()) for page, text in remnants if text and date_remnant(text)), None)


def _without_ring_glyphs(flat: str, rings: list[str]) -> str:
    """`flat` without a run of two glyphs or more at either end that a seal's ring text holds
    as it stands and that holds no date glyph."""
    for ring in rings:
        for n in range(len(flat) - 1, 1, -1):
            if flat[-n:] in ring and not _DATE_GLYPH.search(flat[-n:]):
                flat = flat[:-n]
                break
        for n in range(len(flat) - 1, 1, -1):
            if flat[:n] in ring and not _DATE_GLYPH.search(flat[:n]):
                flat = flat[n:]
                break
    return flat


def _after(row: Row, dated_to: dt.date | None) -> bool:
    """Whether `row` is just a date, read whole, later than `dated_to`."""
    d = _only_date(row, None) if dated_to is not None else None
    return d is not None and d[2] >= row.confidence and d[1] > dated_to


def illegible_fields(pages: list[PageText] | tuple[PageText, ...], rules: DocTypeRules, fields: dict[str, FieldValue],
                     remnants: Iterable[tuple[int, str]] = (),
                     seal_boxes: Iterable[tuple[int, Sequence[float]]] = (),
                     rings: Iterable[tuple[int, str]] = (), dated_to: dt.date | None = None) -> dict[str, tuple[int, str]]:
    """The date and phone fields of `rules` that `fields` lacks although what is left of one is
    there, or a seal (`seal_boxes`: page, box) lies where its value would: key -> (page, the
    remnant's text), for a person to read rather than a `missing_field`. `rings` and
    `dated_to`: as `find_illegible_date` takes them."""
    dates = [k for k, r in rules.fields.items() if r.parser == "foot_date" and k not in fields]
    phones = [k for k, r in rules.fields.items() if r.normaliser == "phone" and k not in fields]
    if not dates and not phones:
        return {}
    rows = build_rows(pages)
    out: dict[str, tuple[int, str]] = {}
    found = find_illegible_date(rows, list(remnants), rings, dated_to) if dates else None
    if found is not None:
        out.update(dict.fromkeys(dates, found))
    row = find_illegible_phone(rows, [lb for k in phones for lb in rules.fields[k].labels], list(seal_boxes)) if phones else None
    if row is not None:
        out.update(dict.fromkeys(phones, (row.page, row.text)))
    return out


# what a seal leaves of a phone's label on a contact's row (联系 of 联系电话)
_PHONE_LABEL_LEFT = r"联系(?!人)"


def find_illegible_phone(rows: list[Row], labels: Sequence[str],
                         seal_boxes: Sequence[tuple[int, Sequence[float]]] = ()) -> Row | None:
    """The contact's row where a phone number is printed but could not be read whole: after its
    label (one of `labels`, the phone field's, or what a seal left of it), five digits or more
    that make no phone number (联系电话印蕾128983: a personal seal stamped over 0354-6128983), or
    such a number alone in a cell of the row, its label lost; or the row ends with the label and a seal (`seal_boxes`) covers the row just after it
    (联系人：吴玉兰联系电话, the number under the seal). A label with nothing after it and no seal
    there, or no contact's row, says the number is missing."""
    named = "|".join(re.escape(lb) for lb in labels)
    remnant = re.compile(rf"(?:{named + '|' if named else ''}{_PHONE_LABEL_LEFT})\D{{0,4}}?([\d\-－—–()（）\s]{{5,}})")
    label_end = re.compile(rf"(?:{named})[:：]?$") if named else None
    for row in rows:
        if not _CONTACT_ROW.search(row.text):
            continue
        for m in remnant.finditer(nfkc(row.text)):
            digits = re.sub(r"\D", "", m.group(1))
            if len(digits) >= 5:
                return row
        # the label lost to a seal, the number alone in its cell (联系人：沈国栋 | 8317434435 of
        # 18317434435): had it a phone's form, `find_phone_in_contact_row` would have taken it
        if any(len(re.sub(r"\D", "", number)) >= 5 for number, _ in _number_cells(row)):
            return row
        if row.bbox is not None and label_end is not None and label_end.search(nfkc(row.text).strip()) and any(
                page == row.page and _covers_after(box, row.bbox) for page, box in seal_boxes):
            return row
    return None


def _covers_after(seal: Sequence[float], row: tuple[float, float, float, float]) -> bool:
    """The seal's box crosses the row's band and reaches the room just after the row's end
    (within four of its heights), where the value would be printed."""
    h = row[3] - row[1]
    return seal[1] < row[3] and seal[3] > row[1] and seal[0] <= row[2] + 4 * h and seal[2] > row[2]


# a row that names a contact (联系人, 联系电话, 联系方式, or what a seal left of them)
_CONTACT_ROW = re.compile(r"联系")


def find_phone_in_contact_row(rows: list[Row]) -> Hit | None:
    """A phone number standing alone in its cell on a contact's row when its label was lost
    (联系人：程国栋联 | 0349-5505353: a seal hid 系电话): a number of a form phone numbers have."""
    for row in rows:
        if not _CONTACT_ROW.search(row.text):
            continue
        for number, cell in _number_cells(row):
            value = normalise_phone(number)
            if value is not None and phone_is_valid(value):
                return Hit(number, row, cell.confidence)
    return None


def _number_cells(row: Row) -> Iterator[tuple[str, Cell]]:
    """(the cell's text without spaces, the cell) for each cell after a row's first that holds a
    number and nothing else (digits, brackets and dashes)."""
    for cell in row.cells[1:]:
        flat = re.sub(r"\s", "", nfkc(cell.text))
        if re.fullmatch(r"[\d()（）\-－—–]+", flat):
            yield flat, cell


def find_foot_org(rows: list[Row], date: Hit | None, labels: Iterable[str] = ()) -> Hit | None:
    """The signing body at the foot: the organisation just before the foot date `date`
    (`find_foot_date`) in its cell (验收部门意见 | 山西省晋中市公安消防支队 2018年3月22日), else
    the organisation row just above that date, else the last organisation row of the document.
    A row that starts with a field's label holds that field's value (建设单位 | …学校), never
    the signing body."""
    if date is not None:
        signed = _org_before_date(date)
        if signed is not None:
            return signed
        limit = date.row.index
        for row in reversed(rows[max(0, limit - 3):limit]):
            cand = None if _starts_with_label(row.text, labels) else _org_row(row) or _lead_org(row)
            if cand:
                return Hit(cand, row, row.confidence)
    for row in reversed(rows[-8:]):
        cand = None if _starts_with_label(row.text, labels) else _org_row(row) or _lead_org(row)
        if cand:
            return Hit(cand, row, row.confidence)
    return None


def _org_before_date(date: Hit) -> Hit | None:
    """The organisation a date's own cell names just before it (signing body and date on one line)."""
    for cell in date.row.text.split("\t"):
        flat = nfkc(cell)
        at = flat.find(date.text) if date.text else -1
        if at > 0:
            cand = _org_row(dataclasses.replace(date.row, text=flat[:at].strip()))
            if cand:
                return Hit(cand, date.row, date.row.confidence)
    return None


def find_head_org(rows: list[Row], labels: Iterable[str] = ()) -> Hit | None:
    """The letterhead: an organisation named alone on one of the first rows (山西省阳泉市公安消防支队).
    A row that starts with a field's label holds that field's value (建设单位 | …学校), no letterhead."""
    for row in rows[:3]:
        cand = None if _starts_with_label(row.text, labels) else _org_row(row)
        if cand:
            return Hit(cand, row, row.confidence)
    return None


def find_addressee(rows: list[Row], all_labels: list[str]) -> Hit | None:
    """The addressee line of a letter ("阳泉高级技工学校：") in the first rows of page 1."""
    for row in rows[:12]:
        text = nfkc(row.text).strip()
        if _starts_with_label(text, all_labels) or not re.search(r"[:：]\s*$", text):
            continue
        for ent in entities.of_label(text, "ORG"):
            if ent.start == 0 and re.match(r"^\s*[:：]\s*$", text[ent.end:]):
                return Hit(str(ent.value), row, row.confidence)
    return None


def find_title_org(rows: list[Row]) -> Hit | None:
    """The reporting body named in the title ("XX学校关于安全生产整治自查情况的报告", a title that
    may wrap onto the next row) or in a red 文件 header ("XX学校文件"); None when no title names it."""
    head = rows[:10]
    for i, row in enumerate(head):
        # a title may wrap: the row alone, then the row with the next one
        for nxt in ([], head[i + 1:i + 2]):
            if nxt and (nxt[0].page != row.page or "\t" in nxt[0].text):
                continue
            flat = nfkc(row.text + "".join(r.text for r in nxt)).replace(" ", "")
            for ent in entities.of_label(flat, "ORG"):
                if flat[:ent.start] in ("", "关于") and re.match(r"(?:关于|安全|[0-9]{4}年|自查|文件)", flat[ent.end:]):
                    return Hit(str(ent.value), row, min(r.confidence for r in [row, *nxt]))
    return None


_PROJECT_PROSE = re.compile(
    r"(?:(?:你|贵)单位(?:于[^，。；]{0,24}?)?(?:报送|申报|申请|提交)?的?|(?:报送|申报|申请|提交)的)"
    r"[“\"「]?(?P<v>[\u4e00-\u9fa5A-Za-z0-9#\-]{2,50}?(?:工程|项目))[”\"」]?(?=[（(，,]|消防|竣工|进行)"
)


def find_project_in_prose(rows: list[Row]) -> Hit | None:
    """The project named in a letter: 你单位（于…申请的）XX工程（地址：…）…消防验收."""
    for text, spans in _paragraphs(rows):
        for m in _PROJECT_PROSE.finditer(text.replace(" ", "")):
            # "于2021年9月3日申请的XX项目": the name starts after the last 申请的/报送的
            value = re.split(r"(?:申请|报送|申报|提交)的", m.group("v"))[-1]
            if _GENERIC_PROJECT.match(value):
                continue  # 你单位申请的建设工程（工程地址：…）: the letter names no project
            row = _row_at(spans, m.start("v"))
            return Hit(value, row, _conf_between(spans, m.start("v"), m.end("v")))
    return None


# what every project is (建设工程, 特殊建设工程, 该项目), not the name of one
_GENERIC_PROJECT = re.compile(r"^(?:该|此|本|特殊|其他)?(?:建设)?(?:工程|项目)$")


_CONCLUSION_PROSE = re.compile(
    r"(?=((消防验收|验收|评定|结论)[^。；;]{0,12}?(不合格|合格|不予通过|同意通过|予以通过)|(同意通过|予以通过)消防验收))")


def find_conclusion_in_prose(rows: list[Row]) -> Hit | None:
    """该工程消防验收合格 / 综合评定结论为不合格 / 同意通过消防验收, possibly wrapped.

    The first phrase gives the verdict; the surest phrase (overlapping ones too) that gives the
    same verdict, anywhere, gives the row and confidence: 验收结论, a seal's scribble (eiee at
    0.49) and then 同意通过消防验收 is read from the last row alone."""
    found: list[tuple[float, str, Row]] = []
    for text, spans in _paragraphs(rows):
        flat = text.replace(" ", "")
        for m in _CONCLUSION_PROSE.finditer(flat):
            word = m.group(3) or m.group(4)
            found.append((_conf_between(spans, m.start(1), m.end(1)), normalise_conclusion(word) or word, _row_at(spans, m.start(1))))
    if not found:
        return None
    verdict = found[0][1]
    conf, _, row = max((f for f in found if f[1] == verdict), key=lambda f: f[0])
    return Hit(verdict, row, conf)


def find_document_number_hit(rows: list[Row], labels: list[str]) -> Hit | None:
    """The 文号 (a DOCNUM entity): a labelled one first, else the first on page 1 outside
    quotations of other documents (根据《…》（晋人社厅发〔2024〕9号）)."""
    candidates = []
    for row in rows:
        flat = nfkc(row.text)
        found = entities.of_label(flat, "DOCNUM")
        if not found:
            continue
        ent = found[0]
        quoted = "《" in flat or "根据" in flat or "转发" in flat
        labelled = any(lab in flat[:ent.start] for lab in labels)
        candidates.append((not labelled, quoted, row.page, row.index, Hit(str(ent.value), row, row.confidence)))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[:4])
    return candidates[0][4]


# A paragraph that opens with its own short title, its enumerator lost to OCR or never printed:
# 意识形态工作。我中心… / 四学生实习管理。实操… / 消防安全方面：…
_RUN_IN_HEAD = re.compile(r"^\s*[（(]?[一二三四五六七八九十]{0,2}[）)」、.．]?\s*[\u4e00-\u9fa5]{2,16}[。：:](?=\S)")


def _run_in_heading(rows: list[Row], i: int) -> bool:
    """Row i opens a paragraph (the row before it on its page ended a sentence or was a heading)
    with a short title of its own, run into the paragraph's first sentence."""
    if not _RUN_IN_HEAD.match(nfkc(rows[i].text)):
        return False
    if i == 0 or rows[i - 1].page != rows[i].page:
        return True
    before = nfkc(rows[i - 1].text).rstrip()
    # the row before ended a sentence, or was a heading line alone (一、自查工作开展情况)
    return before.endswith(("。", "：", ":", "！", "；")) or bool(
        _ENUM_HEAD.match(before) and not re.search(r"[，,。；;]", before))


# A report's top-level section (一、…) and the sections whose numbered items are hazards found
# or plans, not focus areas (二、存在问题及整改情况 / 1.疏散通道堆放杂物 …).
_TOP_HEAD = re.compile(rf"^\s*[一二三四五六七八九十]{{1,2}}\s*[{_ENUM_SEP}]")
_PROBLEM_SECTION = re.compile(r"问题|隐患|整改|下一步|打算")
_ITEM = re.compile(r"^\s*\d{1,2}\s*[.、．]")


def find_areas(rows: list[Row], areas: dict[str, list[str]]) -> Hit | None:
    """Codes of the focus areas named in the report's headings (canonical order). The numbered
    items of a problems or next-steps section are hazards (3.学生心理健康档案不完整), not areas."""
    heading_rows = []
    in_problems = False
    for i, r in enumerate(rows):
        flat = nfkc(r.text)
        if _TOP_HEAD.match(flat):
            in_problems = bool(_PROBLEM_SECTION.search(flat))
        if in_problems and _ITEM.match(flat):
            continue
        if _ENUM_HEAD.match(flat) or _run_in_heading(rows, i):
            heading_rows.append(r)
    pool = heading_rows if heading_rows else rows
    found: list[str] = []
    first: Row | None = None
    conf = 1.0
    for code in AREA_CODES:
        words = areas.get(code, [])
        for row in pool:
            # short parenthesised inserts split a heading's words: 办学（培训）条件达标方面
            flat = re.sub(r"[（(][^）)]{1,8}[）)]", "", nfkc(row.text).replace(" ", ""))
            if any(_names(flat, w) for w in words):
                found.append(code)
                first = first or row
                conf = min(conf, row.confidence)
                break
    if not found or first is None:
        return None
    return Hit(",".join(found), first, conf)


AREA_SLIP_MIN = 4  # an area's word this long is still named with one glyph misread (意识形念)


def _names(text: str, word: str) -> bool:
    """`text` holds `word`, or, for a word of `AREA_SLIP_MIN` glyphs or more, the word with one
    glyph misread (意识形念工作 heads the ideology section all the same)."""
    if word in text:
        return True
    n = len(word)
    return n >= AREA_SLIP_MIN and any(_slips(text[i:i + n], word) == 1 for i in range(len(text) - n + 1))


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


def _slips(a: str, b: str) -> int | None:
    """How many glyphs two readings of the same length differ in (None for different lengths)."""
    return sum(x != y for x, y in zip(a, b, strict=True)) if len(a) == len(b) else None


def _similar(a: str, b: str) -> bool:
    """Two readings of one name: one contains the other, or they differ in a character or two."""
    if a in b or b in a:
        return True
    slips = _slips(a, b)
    return slips is not None and slips <= max(1, len(a) // 6)


_SURE = 0.9  # a labelled value read less surely than this may take a surer reading's confidence


def _best_reading(hits: list[Hit | None], known: Collection[str] = ()) -> Hit | None:
    """The first positional reading, unless a later one reads the same name better: a name
    printed twice (letterhead and signature; title and signature) is read from the more
    confident row, or the fuller one when a seal hid its first characters (梁市… for 吕梁市…).
    A seal over the signature can garble more than a glyph or two (吕梁市註房和城乡睫护局):
    a reading that is a `known` name then wins over one of the same length that is not, while
    at most a third of their glyphs differ; and a known name wins over a reading that is its
    tail with one glyph in four slipped (肖防支队 under the seal, 临汾市公安消防支队 in the letterhead)."""
    found = [h for h in hits if h is not None]
    if not found:
        return None
    best = found[0]
    for other in found[1:]:
        a, b = normalise_org(best.text) or "", normalise_org(other.text) or ""
        if not a or not b or a == b:
            continue
        if _similar(a, b):
            if (b.endswith(a) and len(b) > len(a)) or (len(a) == len(b) and other.confidence > best.confidence):
                best = other
        elif b in known and a not in known:
            slips = _slips(a, b)
            tail = _slips(a, b[-len(a):]) if 4 <= len(a) < len(b) else None
            if (slips is not None and slips <= len(a) // 3) or (tail is not None and tail <= len(a) // 4):
                best = other
    return best


def extract_fields(
    pages: list[PageText] | tuple[PageText, ...], rules: DocTypeRules, *, places: Places | None = None,
    copies_from: int | None = None, dated_from: dt.date | None = None, dated_to: dt.date | None = None,
) -> dict[str, FieldValue]:
    """Every field of `rules` that can be read from `pages`, normalised to the contract's forms.
    A field with `known_names` takes the known name its reading is a slip of (spelt over `places`).
    `copies_from`: the earliest year a copy annotation can carry, `dated_from` and `dated_to`: the
    earliest and latest dates the campaign allows for the signing date (`find_foot_date`)."""
    rows = build_rows(pages)
    labels = _all_labels(rules)
    out: dict[str, FieldValue] = {}

    def put(key: str, value: Any, hit: Hit) -> None:
        if value is None or value == "" or value == []:
            return
        out[key] = FieldValue(value=value, confidence=round(max(0.0, min(1.0, hit.confidence)), 4), page=hit.row.page,
                              bbox=list(hit.row.bbox) if hit.row.bbox else None, source=hit.row.origin, line=hit.row.text[:200])

    # the foot date is asked for by a date field and by the signing body: read it once
    foot_date = functools.cache(lambda: find_foot_date(rows, copies_from, dated_from, dated_to))

    def foot_org() -> Hit | None:
        return find_foot_org(rows, foot_date(), labels)

    positional = {
        "foot_org": foot_org,
        "head_org": lambda: find_head_org(rows, labels),
        "addressee": lambda: find_addressee(rows, labels),
        "project_in_prose": lambda: find_project_in_prose(rows),
        "conclusion_in_prose": lambda: find_conclusion_in_prose(rows),
        "title_org": lambda: find_title_org(rows) or foot_org(),  # else the signing body
        "phone_in_contact_row": lambda: find_phone_in_contact_row(rows),
    }
    order = sorted(rules.fields.items(), key=lambda kv: kv[1].parser == "category")  # category last: it may use the name
    for key, rule in order:
        hit: Hit | None = None
        norm = NORMALISERS[rule.normaliser]
        if rule.parser == "label":
            hit = find_in_table(rows, rule.labels, labels)
            if hit is EMPTY_CELL:
                hit = None  # a blank table cell: the field is not printed there
            elif hit is None or norm(hit.text) is None:
                hit = find_labelled(rows, rule.labels, labels)
                if hit is None or norm(hit.text) is None:
                    hit = find_labelled_in_prose(rows, rule.labels, labels)
            if (hit is None or norm(hit.text) is None) and rule.normaliser in _CHECKED_VALUES:
                hit = _glued(rows, rule.labels, norm)
            if hit is not None and norm(hit.text) is None:
                hit = None
        elif rule.parser == "document_number":
            hit = find_document_number_hit(rows, rule.labels)
            norm = NORMALISERS["text"]
        elif rule.parser == "foot_date":
            hit = find_labelled(rows, rule.labels, labels)
            if hit is None or NORMALISERS["date"](hit.text) is None:
                hit = foot_date()
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
            hit = find_in_table(rows, rule.labels, labels)
            if hit is None:
                hit = find_labelled(rows, rule.labels, labels)
            elif hit is EMPTY_CELL:
                hit = None
            # Only a category the document prints; the roster is where a category is known otherwise.
            text = hit.text if hit else None
            if hit and text and category_of(text):
                put(key, category_of(text), hit)
            continue
        known = places.names(tuple(rule.known_names)) if places is not None and rule.known_names else ()
        if rule.fallback and (hit is None or hit.confidence < _SURE):
            other = _best_reading([positional[f]() for f in rule.fallback], set(known))
            # a labelled value read unsurely (a seal's scribble wrapped into the 验收结论 cell):
            # where the document says the same elsewhere, more surely, that reading stands
            if hit is None or (other is not None and other.confidence > hit.confidence
                               and norm(other.text) is not None and norm(other.text) == norm(hit.text)):
                hit = other
        if hit is None:
            continue
        value = hit.value if hit.value is not None else norm(hit.text)
        if rule.normaliser == "phone" and isinstance(value, str) and not phone_is_valid(value):
            # no number has this form (a digit lost or gained): read, but a person confirms it
            hit = dataclasses.replace(hit, confidence=min(hit.confidence, REPAIRED_DATE_CONFIDENCE))
        if places is not None and isinstance(value, str) and rule.parser == "label" and rule.normaliser in ("org", "text"):
            value = repair_place_names(value, places.province, places.cities)
            if known:
                value = nearest_known(value, known)
        put(key, value, hit)
    if "acceptance_conclusion" in out and out["acceptance_conclusion"].value not in ("合格", "不合格"):
        v = normalise_conclusion(str(out["acceptance_conclusion"].value))
        if v:
            out["acceptance_conclusion"] = out["acceptance_conclusion"].model_copy(update={"value": v})
        else:
            del out["acceptance_conclusion"]
    return out
