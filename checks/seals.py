"""Which role each seal fills, and the seal findings of a document.

A seal fills a role when its ring text names the organisation the role expects: the issuing
authority on a certificate, the institution on its own report, the sponsoring organisation
(举办单位) on the certificate copy. Matching is fuzzy where OCR slips and official short forms
make it so (恩施州 for 恩施土家族苗族自治州, 人社局 for 人力资源和社会保障局, a province prefix present
or omitted, 市 omitted), and strict where the seal belongs to another body that merely starts with
the same name: a trade union (…工会委员会), a party committee, a committee office, or a
special-purpose seal (财务专用章, 合同专用章, 发票专用章). The issuing authority's own special
seals (消防验收专用章, 行政审批专用章) do count for `issuing_authority`. Square personal name seals
never fill an organisation role.

Findings per required role that no seal fills (DOMAIN.md codes):
    seal_partial  (warning) a seal cut by the page edge is there and could be this role's: the
                  scan does not show it whole, however clearly its arc reads;
    seal_mismatch (error)   an organisation seal is there that names another body;
    missing_seal  (error)   nothing that could be it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from checks.text import levenshtein
from records.models import Finding, SealFinding

ROLES: tuple[str, ...] = ("issuing_authority", "institution_name", "sponsor")

ROLE_LABELS: dict[str, str] = {
    "issuing_authority": "发证机关印章",
    "institution_name": "本单位公章",
    "sponsor": "举办单位公章",
}

MATCH_THRESHOLD = 0.75  # normalised edit similarity of the ring text to the expected name
PARTIAL_MATCH_THRESHOLD = 0.9  # a seal cut by the page edge must match this clearly to count

# Official short forms: (long, short). Both sides of a comparison are rewritten long -> short.
SHORT_FORMS: tuple[tuple[str, str], ...] = (
    ("人力资源和社会保障", "人社"),
    ("人力资源社会保障", "人社"),
    ("住房和城乡建设", "住建"),
    ("住房城乡建设", "住建"),
    ("市场监督管理", "市场监管"),
    ("自然资源和规划", "自然资源规划"),
    ("有限责任公司", "有限公司"),
    ("公安消防", "消防"),
    ("职业技术学院", "职院"),
)

# Autonomous regions and prefectures are usually written short: 恩施土家族苗族自治州 -> 恩施州.
_AUTONOMOUS = (
    (re.compile(r"^(内蒙古)自治区"), r"\1"),
    (re.compile(r"^(广西)壮族自治区"), r"\1"),
    (re.compile(r"^(宁夏)回族自治区"), r"\1"),
    (re.compile(r"^(新疆)维吾尔自治区"), r"\1"),
    (re.compile(r"^(西藏)自治区"), r"\1"),
    (re.compile(r"([\u4e00-\u9fff]{2})[\u4e00-\u9fff]{0,8}?族自治州"), r"\1州"),
    (re.compile(r"([\u4e00-\u9fff]{2})[\u4e00-\u9fff]{0,8}?族自治县"), r"\1县"),
)

PROVINCES: tuple[str, ...] = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)
_PROVINCE_RE = re.compile("^(?:" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + ")(?:省|市|自治区)?")

# Seals of bodies that never fill an organisation role, whatever name they start with.
OTHER_BODY_MARKERS: tuple[str, ...] = (
    "工会",
    "党委",
    "党支部",
    "党总支",
    "党组",
    "团委",
    "纪委",
    "纪律检查",
    "委员会办公室",
    "妇委会",
    "学生会",
)
# The bodies inside an organisation that have seals of their own: what a ring may say when the
# wrong seal was used (the school's trade union for the school). Never a role of their own.
INTERNAL_BODIES: tuple[str, ...] = (
    "{name}工会委员会",
    "{name}安全生产委员会办公室",
    "{name}办公室",
    "{name}纪律检查委员会",
    "中国共产党{name}委员会",
    "中共{name}委员会",
    "共青团{name}委员会",
)
SPECIAL_PURPOSE: tuple[str, ...] = (
    "财务专用章",
    "合同专用章",
    "发票专用章",
    "财务章",
    "人事专用章",
    "业务专用章",
)
_PURPOSE_WORDS: tuple[str, ...] = ("财务", "合同", "发票", "人事")  # enough to tell, read in part
# The issuing authority's own special seals, which do stand for it.
AUTHORITY_SUFFIXES: tuple[str, ...] = (
    "建设工程消防验收专用章",
    "消防验收专用章",
    "行政审批专用章",
    "审批专用章",
    "专用章",
)
# Suffixes any organisation's seal may carry without naming another body.
NEUTRAL_SUFFIXES: tuple[str, ...] = ("公章", "印章", "章")

# OCR now and then answers in traditional characters; seals in this domain are simplified.
_TRAD = str.maketrans(
    "學會廳區縣資設規劃場監督農貿務發專環護勞動財產業運輸經濟開黨辦長書訓練鑑鑒質檢驗證號陽華國團電鄉鎮醫衛職術園員機關廣東與達隊組紀審",
    "学会厅区县资设规划场监督农贸务发专环护劳动财产业运输经济开党办长书训练鉴鉴质检验证号阳华国团电乡镇医卫职术园员机关广东与达队组纪审",
)
_KEEP_RE = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]")


def normalize_org(text: str) -> str:
    """NFKC, simplified characters, CJK/alphanumerics only (no spaces, brackets or punctuation)."""
    t = unicodedata.normalize("NFKC", text or "").translate(_TRAD)
    return _KEEP_RE.sub("", t)


def canonical_org(text: str) -> str:
    """`normalize_org` plus the official short forms, so that long and short names compare equal."""
    t = normalize_org(text)
    for pat, rep in _AUTONOMOUS:
        t = pat.sub(rep, t)
    for long, short in SHORT_FORMS:
        t = t.replace(long, short)
    # 市 after a 2-3 character city name is often left out (阳泉第一技工学校); drop it on both sides.
    t = re.sub(r"^((?:" + "|".join(PROVINCES) + r")?(?:省)?[\u4e00-\u9fff]{2,3}?)市(?!场)", r"\1", t, count=1)
    return t


def _split_province(t: str) -> tuple[str, str]:
    m = _PROVINCE_RE.match(t)
    if not m or len(t) - m.end() < 2:
        return "", t
    return m.group(0), t[m.end() :]


def _best_substring(text: str, name: str) -> tuple[int, int, int]:
    """Semi-global alignment: the substring text[i:j] closest to `name`; returns (distance, i, j)."""
    n, m = len(name), len(text)
    if m == 0:
        return n, 0, 0
    # dp over name rows, text columns; free start and end in text.
    prev = [0] * (m + 1)
    start = list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        cur_start = [0] + [0] * m
        for j in range(1, m + 1):
            sub = prev[j - 1] + (name[i - 1] != text[j - 1])
            dele = prev[j] + 1  # skip a name char
            ins = cur[j - 1] + 1  # skip a text char
            best = min(sub, dele, ins)
            cur[j] = best
            if best == sub:
                cur_start[j] = start[j - 1]
            elif best == dele:
                cur_start[j] = start[j]
            else:
                cur_start[j] = cur_start[j - 1]
        prev, start = cur, cur_start
    # `start` tracked for row n: the alignment's first text index.
    best_j = min(range(m + 1), key=lambda j: (prev[j], -j))
    return prev[best_j], start[best_j], best_j


def _other_body(text: str, sub_text: str | None) -> str | None:
    """The marker that makes this a special-purpose or other body's seal, if any."""
    for mk in SPECIAL_PURPOSE:
        if mk in text or (sub_text and mk in sub_text):
            return mk
    for w in _PURPOSE_WORDS:
        if sub_text and w in sub_text:
            return w
    for mk in OTHER_BODY_MARKERS:
        if mk in text:
            return mk
    return None


def _sub_text_ok(sub_text: str | None, role: str) -> bool:
    """A line under the star that names a purpose the role's seal may not have makes it no match.

    Special purposes (财务/合同/发票…) never fill a role, even read in part. Any other line is
    the issuing authority's business (消防验收专用章, 行政审批专用章, or a part of one that OCR
    caught); on an institution's or sponsor's seal a 专用章 line means someone else's seal.
    """
    s = normalize_org(sub_text or "")
    if not s:
        return True
    if any(w in s for w in _PURPOSE_WORDS):
        return False
    if role == "issuing_authority":
        return True
    return not ("专用" in s or (s.endswith("章") and s not in NEUTRAL_SUFFIXES))


def _residue_ok(prefix: str, suffix: str, role: str) -> bool:
    """What the ring says besides the name must not make it another body.

    A province prefix is handled by the caller (compared without it); here one stray glyph at
    either end is tolerated (a bit of the border or the code digits read as a character).
    """
    if len(prefix) > 1:
        return False
    if len(suffix) <= 1 or suffix in NEUTRAL_SUFFIXES:
        return True
    if role != "issuing_authority":
        return False
    return any(suffix == s or (suffix.endswith(s) and len(suffix) - len(s) <= 1) for s in AUTHORITY_SUFFIXES)


_ORDINALS = set("一二三四五六七八九十百零〇0123456789")


def _max_edits(n: int) -> int:
    """OCR slips tolerated in a name of n characters: schools of one city differ by a word or two."""
    return 1 if n <= 9 else 2 if n <= 14 else 3


def _distinguishing_slip(seg: str, name: str) -> bool:
    """True when the difference is one that names another body, not an OCR slip.

    A number (第一 vs 第二 技工学校) or the place name (two of the first three glyphs:
    晋中市住建局 vs 阳泉市住建局) tells bodies apart; OCR slips are scattered single glyphs.
    """
    diff = (Counter(seg) - Counter(name)) + (Counter(name) - Counter(seg))
    if any(ch in _ORDINALS for ch in diff):
        return True
    head = name[:3]
    return sum(1 for ch in head if ch not in seg[:4]) >= 2


def name_similarity(
    text: str, name: str, role: str = "institution_name", sub_text: str | None = None
) -> float:
    """How well ring text `text` names organisation `name` in `role` (0..1; 0 when it names another body).

    Normalised edit similarity over the canonical forms, the ring text being allowed a province
    prefix the name lacks (and vice versa) and, for the issuing authority, its 专用章 suffix.
    """
    if not normalize_org(text) or not normalize_org(name):
        return 0.0
    marker = _other_body(normalize_org(text), sub_text)
    if marker and marker not in normalize_org(name):
        return 0.0
    if not _sub_text_ok(sub_text, role):
        return 0.0
    best = 0.0
    # Compare as written and in canonical (short) form: short forms help when one side uses
    # them, but an OCR slip inside a long form would stop the rewrite on one side only.
    variants: set[tuple[str, str]] = set()
    for t, n in ((normalize_org(text), normalize_org(name)), (canonical_org(text), canonical_org(name))):
        tp, t_rest = _split_province(t)
        np_, n_rest = _split_province(n)
        if tp and np_ and tp.rstrip("省市") != np_.rstrip("省市"):
            return 0.0  # two different provinces' bodies
        variants.add((t, n))
        if tp and not np_:
            variants.add((t_rest, n))
        if np_ and not tp:
            variants.add((t, n_rest))
    for tt, nn in variants:
        d, i, j = _best_substring(tt, nn)
        prefix, suffix = tt[:i], tt[j:]
        if not _residue_ok(prefix, suffix, role):
            continue
        if d > _max_edits(len(nn)) or _distinguishing_slip(tt[i:j], nn):
            continue
        sim = 1.0 - d / max(len(nn), 1)
        # A stray glyph at either end costs a little, so an exact reading ranks first.
        sim -= 0.02 * ((len(prefix) == 1) + (len(suffix) == 1))
        best = max(best, sim)
    return max(0.0, min(1.0, best))


def _is_org_seal(seal: SealFinding) -> bool:
    return seal.shape in ("round", "oval")


def _readable(seal: SealFinding) -> bool:
    return (
        bool(seal.text) and sum(1 for ch in normalize_org(seal.text or "") if "\u4e00" <= ch <= "\u9fff") >= 2
    )


def _fills_unknown(seal: SealFinding) -> bool:
    """Could this seal be the seal of an organisation whose name we do not know?"""
    if not _is_org_seal(seal) or not _readable(seal):
        return False
    return _other_body(normalize_org(seal.text or ""), seal.sub_text) is None


def judge_seal(
    seal: SealFinding, expected: dict[str, str | None], others: Sequence[str] = ()
) -> tuple[str | None, float]:
    """The role whose expected organisation the seal names, and the similarity (0..1).

    `expected` maps role -> organisation name (None when unknown; unknown roles are never
    returned here, see `check_seals`). Square personal seals and unreadable seals match nothing.
    `others` are other bodies' names (the roster's): a ring that names one of them at least as
    well as the expected name is that body's seal (two schools of one county differ by two glyphs).
    Returns (None, best similarity seen) when no role reaches `MATCH_THRESHOLD`.
    """
    if not _is_org_seal(seal) or not _readable(seal):
        return None, 0.0
    best_role: str | None = None
    best = 0.0
    for role in ROLES:
        name = expected.get(role)
        if not name:
            continue
        sim = name_similarity(seal.text or "", name, role, seal.sub_text)
        if sim > best:
            best_role, best = role, sim
    if best >= MATCH_THRESHOLD and not _names_other(seal, expected, others, best):
        return best_role, round(best, 4)
    if best < MATCH_THRESHOLD and not seal.partial and _other_body(normalize_org(seal.text or ""), seal.sub_text) is None:
        # Print crossed the ring's ends: what could be read is a clear piece of one name.
        pieces = [r for r in ROLES if expected.get(r) and _clear_piece(seal.text or "", expected[r] or "")]
        if len(pieces) == 1 and _sub_text_ok(seal.sub_text, pieces[0]) and not _names_other(seal, expected, others, 1.0, piece=True):
            return pieces[0], MATCH_THRESHOLD
        # Glyphs lost all round the ring (a grey seal's dots, print crossing it): what was read
        # is most of one name with glyphs missing, in its order, and nearer it than any other body.
        gapped = [r for r in ROLES if expected.get(r) and _gapped_name(seal, r, expected, others)]
        if len(gapped) == 1:
            return gapped[0], MATCH_THRESHOLD
    return None, round(best, 4)


GAPPED_SHARE = 0.6  # of a name's glyphs a reading with glyphs lost must still show, in order


def _gapped_name(seal: SealFinding, role: str, expected: dict[str, str | None], others: Sequence[str]) -> bool:
    """The ring reading is the name of `role` with glyphs lost and none added (晋中市安职业培学校 of
    晋中市榆次区安泰职业培训学校: nine of its fourteen glyphs, in order; one slip in six read is
    let pass), and no other body of the document or roster holds as many of the glyphs read in
    that order: a reading two names hold alike (住房和城乡 of every city's 住建局, 高级技工学)
    names neither."""
    name = expected.get(role) or ""
    t, n = normalize_org(seal.text or ""), normalize_org(name)
    if len(t) < 5 or not n or len(t) < GAPPED_SHARE * len(n) or len(t) > len(n) or not _sub_text_ok(seal.sub_text, role):
        return False
    mine = _lcs(t, n)
    if mine < len(t) - len(t) // 6:
        return False
    rivals = [o for o in [*expected.values(), *others] if o and canonical_org(o) != canonical_org(name)]
    return all(_lcs(t, normalize_org(o)) < mine for o in rivals)


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence of `a` and `b`."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


MISREAD_SIMILARITY = 0.5  # a reading this close to a name, and no closer to any other body
_PLACE_LEAD = re.compile(r"^(?:山西省?)?(.{1,4}?[省市区县])")
_PLACE_SUFFIXES = "省市区县"
# how the name of a body that has a seal ends
_BODY_END = re.compile(r"(学校|学院|中心|公司|集团|局|厅|支队|大队|委员会|办公室|政府|站|所|院|会|部|处)$")


def names_no_body(text: str, places: frozenset[str]) -> bool:
    """The reading is no body's name: it opens with a place (glyphs, then 省, 市, 区 or 县) that is
    none of `places` (海市 of 临汾市, 前型市 of 朔州市) or with the place's 市 alone (市公消防支队:
    the city's glyphs lost), or it neither opens with a place nor ends
    as a body's name does (安消康山西, the ring of 山西省阳泉市公安消防支队 read from its middle;
    桥场评公, print crossing it). Without `places` nothing is said."""
    if not places:
        return False
    t = normalize_org(text)
    if t[:1] in _PLACE_SUFFIXES:
        return True  # the place's own glyphs lost (市公消防支队 of 临汾市公安消防支队): no place named
    m = _PLACE_LEAD.match(t)
    if m is not None:
        return m.group(1) not in places
    return _BODY_END.search(t) is None


def _ring_lcs(text: str, name: str) -> int:
    """Glyphs of `text` found in order in the ring of `name`, read from any glyph on (a ring has
    no first glyph the reader must start from)."""
    return max((_lcs(text, name[i:] + name[:i]) for i in range(len(name))), default=0)


def _misread(seal: SealFinding, name: str, expected: dict[str, str | None], others: Sequence[str],
             places: frozenset[str] = frozenset()) -> bool:
    """A ring reading that is the expected name read badly, not another body's name: no other-body
    marker or special purpose, at least half the name's glyphs in order (or the reading a fragment
    of the name, all its glyphs in the name's order, or a reading that names no body
    (`names_no_body`) with half its glyphs in the name's order round the ring), and no other body
    of the document or roster closer."""
    raw = seal.text or ""
    t = normalize_org(raw)
    if not t or _other_body(t, seal.sub_text) is not None:
        return False

    def sim(n: str) -> float:  # as written and in short forms, whichever is closer
        best = 0.0
        for form in (normalize_org, canonical_org):
            read, c = form(raw), form(n)
            if c:
                best = max(best, 1.0 - _best_substring(read, c)[0] / len(c))
        return best

    # the name's own internal bodies are the seals most often stamped in its place (…安全生产
    # 委员会办公室 read 泉技工学校发全生厂派: more of it than of the name alone)
    internal = [form.format(name=name) for form in INTERNAL_BODIES]
    rivals = [n for n in [*expected.values(), *others, *internal] if n and canonical_org(n) != canonical_org(name)]
    mine = sim(name)
    if names_no_body(raw, places) or (mine < MISREAD_SIMILARITY and _in_order_piece(t, normalize_org(name))):
        # No body's name, or a few of the name's glyphs in its order (城建设局 of 吕梁市住房和城乡
        # 建设局): what was read is weighed by the glyphs it shares in order round the ring (a
        # short rival's name, 运城人社局, costs fewer edits to reach however little was read).
        shared = _ring_lcs(t, normalize_org(name))
        if 2 * shared >= len(t):
            return all(_ring_lcs(t, normalize_org(n)) <= shared for n in rivals)
    if mine < MISREAD_SIMILARITY and not _in_order_piece(t, normalize_org(name)):
        return False
    glyphs = Counter(t) + Counter(canonical_org(raw))

    def could_match(n: str) -> bool:  # sim <= shared glyphs / length: skip those that cannot
        c = normalize_org(n)
        return bool(c) and sum((Counter(c) & glyphs).values()) >= mine * min(len(c), len(canonical_org(n)) or 1)

    # a tie (高级技工学 fits every 某某高级技工学校 alike) cannot say it is another body's either
    return all(sim(n) <= mine for n in rivals if could_match(n))


def _in_order_piece(text: str, name: str) -> bool:
    """Four or more glyphs read, every one of them found in `name` in the same order but one in
    six, and one of five or more (区育才职校 of 大同市平城区育才职业培训学校; 集团有限贡 of
    山西安泰集团有限责任公司), or three read as they stand in it (公安消 of 吕梁市公安消防支队):
    a fragment of the name, read through print."""
    if len(text) == 3 and text in name:
        return True
    if len(text) < 4:
        return False
    return _lcs(text, name) >= len(text) - max(len(text) // 6, 1 if len(text) >= 5 else 0)


def _clear_piece(text: str, name: str) -> bool:
    """The reading is most of the name read in one piece: at least two thirds of its glyphs (and
    five), in order, with at most one slip per six; nothing the name does not have."""
    t, n = canonical_org(text), canonical_org(name)
    if len(t) < max(5, math.ceil(2 * len(n) / 3)) or len(t) >= len(n):
        return False
    d, _, _ = _best_substring(n, t)
    return d <= len(t) // 6


def _names_other(
    seal: SealFinding, expected: dict[str, str | None], others: Sequence[str], sim: float, *, piece: bool = False
) -> bool:
    """True when the ring names some other body of `others` at least as well (similarity >= sim),
    or, with `piece`, when the reading is a clear piece of another body's name too."""
    text = normalize_org(seal.text or "")
    own = {canonical_org(n) for n in expected.values() if n}
    glyphs = set(text)
    for o in others:
        n = normalize_org(o)
        if not n or canonical_org(n) in own or len(glyphs & set(n)) < len(n) / 2:
            continue
        if name_similarity(text, n, "institution_name", seal.sub_text) >= sim or (piece and _clear_piece(text, n)):
            return True
    return False


def _partial_names(seal: SealFinding, name: str) -> bool:
    """A cut seal whose visible text is a clear piece of `name` (the rest is off the page).

    Compared as printed and in canonical form: a piece of a long name (阳泉市人力资源和) has
    no short form, while its name has one (阳泉人社局)."""
    for form in (normalize_org, canonical_org):
        t, n = form(seal.text or ""), form(name)
        if len(t) < 3 or not n:
            continue
        d, i, j = _best_substring(n, t)  # the visible text inside the name
        if d <= max(0, len(t) // 6) and len(t) >= 0.3 * len(n):
            return True
    return False


def _looks_like_authority(seal: SealFinding) -> bool:
    t = normalize_org(seal.text or "")
    return bool(re.search(r"(局|厅|支队|大队|委员会|政府|办公室)$", t)) or bool(
        seal.sub_text and any(s in normalize_org(seal.sub_text) for s in AUTHORITY_SUFFIXES)
    )


def check_seals(
    seals: Sequence[SealFinding],
    *,
    required_roles: Sequence[str],
    expected: dict[str, str | None],
    others: Sequence[str] = (),
    places: frozenset[str] = frozenset(),
) -> tuple[list[str | None], list[Finding]]:
    """Assign a role to each seal (in order) and report the required roles no seal fills.

    A seal fills a role when `judge_seal` matches it. A seal cut by the page edge is named
    that role's when it matches clearly (>= `PARTIAL_MATCH_THRESHOLD`), yet the role is filled
    only by a whole seal: a cut one is a `seal_partial` warning however clearly it reads (the
    scan does not show the whole seal; a person looks at the original). A role whose name is unknown (None) is filled
    by an organisation seal that matched nothing else, one seal per such role. Any number of
    seals may fill the same role.

    Findings (`field` None, `page` the seal's page where one is concerned), per unfilled role:
    `seal_partial` (warning) when a cut seal could be it, else `seal_mismatch` (error) when an
    organisation seal names another body, else `missing_seal` (error).
    """
    roles: list[str | None] = []
    filled: set[str] = set()
    cut_clear: set[str] = set()  # roles a cut seal names clearly: the seal is theirs, but not whole
    sims: list[float] = []
    for seal in seals:
        role, sim = judge_seal(seal, expected, others)
        sims.append(sim)
        if role is None and seal.partial and _readable(seal) and _is_org_seal(seal):
            # A cut seal: name the body when its visible text is a clear piece of the name.
            for r in ROLES:
                name = expected.get(r)
                if (
                    name
                    and _partial_names(seal, name)
                    and _other_body(normalize_org(seal.text or ""), seal.sub_text) is None
                ):
                    role = r
                    break
        roles.append(role)
        if role is not None and not seal.partial:
            filled.add(role)
        elif role is not None and sim >= PARTIAL_MATCH_THRESHOLD:
            cut_clear.add(role)

    # Roles whose organisation we do not know: any unmatched organisation seal, one per role,
    # authority-looking seals first for the issuing authority.
    unknown = [r for r in required_roles if not expected.get(r) and r not in filled]
    free = [i for i, s in enumerate(seals) if roles[i] is None and not s.partial and _fills_unknown(s)]
    for role in unknown:
        if not free:
            break
        if role == "issuing_authority":
            free.sort(key=lambda i: not _looks_like_authority(seals[i]))
        else:
            free.sort(key=lambda i: _looks_like_authority(seals[i]))
        i = free.pop(0)
        roles[i] = role
        filled.add(role)

    findings: list[Finding] = []
    for role in required_roles:
        if role in filled:
            continue
        name = expected.get(role)
        label = ROLE_LABELS.get(role, role)
        cut = [
            s
            for s, r in zip(seals, roles, strict=True)
            if s.partial
            and _is_org_seal(s)
            and (r == role or (r is None and _other_body(normalize_org(s.text or ""), s.sub_text) is None))
        ]
        # A seal read too poorly to confirm but nearer another unfilled role's name than any
        # other body is that role's (公安消 of the issuing authority's 吕梁市公安消防支队): it says
        # nothing of this role, which may then simply be missing.
        elsewhere = [n for r, n in expected.items() if n and r != role and r in required_roles and r not in filled]
        foreign_roles = [
            (s, r)
            for s, r in zip(seals, roles, strict=True)
            if _is_org_seal(s) and not s.partial and (r is None or r not in required_roles)
            and not (r is None and name and not _misread(s, name, expected, others, places)
                     and any(_misread(s, n, expected, others, places) for n in elsewhere))
        ]
        foreign = [s for s, _ in foreign_roles]
        if cut:
            s = cut[0]
            seen = f"“{s.text}”" if s.text else "无法辨认"
            if role in cut_clear:
                msg = f"{label}被页面边缘截断，可见印文{seen}与“{name}”相符，但印章不完整，请核对原件"
            else:
                msg = f"{label}被页面边缘截断，印文{seen}，无法确认" + (f"（应为：{name}）" if name else "")
            findings.append(Finding(code="seal_partial", severity="warning", field=None, page=s.page_no, message=msg))
        elif foreign:
            s = foreign[0]
            said = "、".join(
                f"“{o.text}”" + (f"（{o.sub_text}）" if o.sub_text else "") for o in foreign if _readable(o)
            )
            if not said:
                # An unread seal, or one a single glyph of which was read (店 of a ring whose other
                # glyphs print crossed), proves nothing either way: a person must look, not a mismatch.
                findings.append(Finding(
                    code="low_confidence", severity="warning", field=None, page=s.page_no,
                    message=f"印章文字无法辨认，请人工核对是否为{label}" + (f"（应为：{name}）" if name else "")))
                continue
            # Seals of the document's other parties (the institution's own on a certificate copy,
            # its sponsor's) are explained; only the others could stand where this one should.
            unexplained = [o for o, r in foreign_roles if r is None]
            if name and unexplained and all(_misread(o, name, expected, others, places) for o in unexplained):
                # Read too poorly to confirm, yet nearer this name than any other body: the
                # ring was misread (print crossed it), which is no proof of another body's seal.
                findings.append(Finding(
                    code="low_confidence", severity="warning", field=None, page=s.page_no,
                    message=f"印章文字识别不清（{said}），与{label}“{name}”相近，请人工核对"))
                continue
            if name:
                msg = f"公章文字为{said}，与应盖章单位“{name}”不符（缺少{label}）"
            else:
                msg = f"公章文字为{said}，不是{label}"
            findings.append(
                Finding(code="seal_mismatch", severity="error", field=None, page=s.page_no, message=msg)
            )
        else:
            msg = f"缺少{label}" + (f"（应为：{name}）" if name else "")
            findings.append(
                Finding(code="missing_seal", severity="error", field=None, page=None, message=msg)
            )
    return roles, findings


def snap_to_names(text: str | None, names: Sequence[str]) -> tuple[str | None, float]:
    """The known organisation name a ring reading stands for, when it is clearly that name.

    For the flow, optionally: OCR slips in glyphs crossed by body text (住 read as 售) leave a
    reading one or two glyphs off a name the roster or the document gives. When the whole
    reading is within the tolerated slips of exactly one such name (no number or place-name
    difference, no other-body suffix), return that name and the similarity; otherwise return
    the reading unchanged with 0.0. Nothing is guessed for readings that are merely similar.
    """
    if not text:
        return text, 0.0
    t = normalize_org(text)
    if _other_body(t, None):
        return text, 0.0
    best: list[tuple[int, str]] = []
    for name in dict.fromkeys(names):
        n = normalize_org(name)
        if not n:
            continue
        d = levenshtein(t, n)
        if d <= _max_edits(len(n)) and not _distinguishing_slip(t, n):
            best.append((d, name))
    if not best:
        return text, 0.0
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0] and normalize_org(best[0][1]) != normalize_org(best[1][1]):
        return text, 0.0  # two names fit equally well: say what was read
    d, name = best[0]
    return name, round(1.0 - d / max(len(normalize_org(name)), 1), 4)
