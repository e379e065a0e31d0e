"""Reading a seal's ring against the names it may carry (lexicon-constrained CTC scoring).

The recogniser reads ring text glyph by glyph; where body text crosses the ring, a glyph loses a
stroke and the free reading slips (大同市 read as 大阿市). But we know which bodies may have
stamped a document: the issuing authority the document names, the institution, its sponsor.
For each such name we ask the recogniser's own output (`FrameBeliefs`, kept per ring strip)
how well the name explains the strip, compared with the best free reading of the same strip:

    gap = log P(name | strip) - log P(free reading | strip)      (CTC forward sums, <= ~0)

A name that differs from the free reading only where the recogniser hesitated (its second or
third guess for a crossed glyph) costs a few nats; another body's name costs ~10 nats per glyph
the recogniser never considered, and a name that leaves glyphs of the ring unexplained
(…工会委员会 after the institution's name) costs far more. A name is confirmed when its gap is
within `MAX_GAP_PER_GLYPH` per glyph (and `MAX_GAP` overall) and clearly ahead of every other
candidate; the seal's text is then the confirmed name, and what the recogniser read on its own
is kept beside it (`text_read`). Otherwise the free reading stands.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from checks.seals import _ORDINALS, INTERNAL_BODIES, _best_substring, _other_body, normalize_org
from checks.text import levenshtein
from records.models import ANY_GLYPH, FrameBeliefs, SealFinding

# Measured on generated scans (tuning corpus, 54 seals, top 32 symbols per frame): the true name's
# gap is under 10 nats for 82 % of rings (0 for a clean reading); none of 162 names one glyph away
# from the true one (another body: 第一/第二, another place) came under 11 nats.
# Raised from 1.2 to 1.5 (a 9-glyph name 运城市公安消防支队 read 运盛公安消防 on a photocopied seal
# cost 12 nats, its nearest rival 76): on four tuning corpora (410 documents) six more seals
# confirmed, each as the name it carries, none as another; 1.8 confirmed no more.
MAX_GAP_PER_GLYPH = 1.5  # nats per glyph of the name a confirmation may cost at most
MAX_GAP = 10.0  # and in total
MIN_MARGIN = 4.0  # nats the best name must lead the next different one by
# A long name read with more slips (a phone photo's seal, print across the ring) may cost up to
# MAX_GAP_CLEAR, still within MAX_GAP_PER_GLYPH per glyph, when it leads every other candidate
# (the document's and the roster's bodies) by MIN_MARGIN_FAR.
# Measured on four tuning corpora (410 documents): ring text exact 0.86-0.91 -> 0.89-0.95, no
# seal confirmed as a name it does not carry.
MAX_GAP_CLEAR = 16.0
MIN_MARGIN_FAR = 8.0
# Both allowances (MAX_GAP_CLEAR, unverified glyphs below) are for the names the document expects.
# Another roster body is confirmed only within MAX_GAP, every glyph verified. Measured on three
# tuning corpora (294 documents): one seal no longer confirmed as a body it does not carry
# (忻州事… read whole, confirmed 朔州市… with 朔 unverified), and four more confirmed as the
# name they carry, no longer blocked by a roster rival that fitted only with a glyph unverified.
# A glyph the ring lost (crossed by print, faded, a 1-bit scan's dither) explains nothing either
# way: the name may leave it unverified ("any glyph") at this cost, as fuzzy name matching
# tolerates an OCR slip. Never its last glyph (局/站/所/校 says what kind of body it is), never a
# number (第一/第二), never two side by side (a word: 育才/瑞丰 tells two schools apart), at most
# one of the place name's first three glyphs; one for a name of 6-11 glyphs, two from 12.
UNVERIFIED_COST = 3.0
_FIT_BOUND = 15.0  # nats per unverified glyph a name may start from and still be fitted


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _ends(raw: str) -> tuple[str, str]:
    """The non-CJK junk the free reading has before and after its glyphs (code digits, border)."""
    i = 0
    while i < len(raw) and not _cjk(raw[i]):
        i += 1
    j = len(raw)
    while j > i and not _cjk(raw[j - 1]):
        j -= 1
    return raw[:i], raw[j:]


def _gap_of(beliefs: FrameBeliefs) -> Callable[[Sequence[str]], list[float]]:
    """`name_gap` for one strip and many names at once: its free reading is scored once."""
    raw = beliefs.greedy()
    head, tail = _ends(raw)
    score = beliefs.batch_scorer()
    free = float(score([raw])[0])
    return lambda names: [max(0.0, free - float(v)) for v in score([head + n + tail for n in names])]


def name_gap(beliefs: FrameBeliefs, name: str) -> float:
    """How many nats worse `name` explains this strip than the recogniser's free reading (>= 0)."""
    return _gap_of(beliefs)([name])[0]


def _max_unverified(n: int) -> int:
    return 0 if n < 6 else 1 if n < 12 else 2


def _may_leave(name: str, p: int, label: str) -> bool:
    if p == len(name) - 1 or name[p] in _ORDINALS:
        return False
    if ANY_GLYPH in label[max(0, p - 1) : p + 2]:
        return False  # two glyphs side by side are a word (育才/瑞丰): another body, not a slip
    return p >= 3 or all(label[i] != ANY_GLYPH for i in range(min(3, len(label))))


def _fit(scores: Sequence[Callable[[Sequence[str]], list[float]]], name: str, *, expected: bool = True) -> float:
    """The cost of `name` on the best strip, some glyphs left unverified where that is cheaper.

    Greedy: leave unverified, one at a time, the glyph whose freeing lowers the gap most, while
    that saves more than `UNVERIFIED_COST`. Only a name the document expects may leave glyphs
    unverified: another body's is confirmed on every glyph it has (忻州事人力资源和社会保障局
    read whole is no 朔州市… whose 朔 went unverified).
    """
    gaps = [g([name])[0] for g in scores]
    k = min(range(len(gaps)), key=gaps.__getitem__)
    g, best, label = scores[k], gaps[k], name
    allowed = _max_unverified(len(name)) if expected else 0
    if best > MAX_GAP + _FIT_BOUND * allowed:
        return best
    for used in range(allowed):
        where = [p for p in range(len(name)) if label[p] != ANY_GLYPH and _may_leave(name, p, label)]
        if not where:
            break
        trials = g([label[:p] + ANY_GLYPH + label[p + 1 :] for p in where])
        v, p = min(zip(trials, where, strict=True))
        total = v + UNVERIFIED_COST * (used + 1)
        if total >= best:
            break
        best, label = total, label[:p] + ANY_GLYPH + label[p + 1 :]
    return best


def _candidates(names: Iterable[str], read: str) -> list[str]:
    """Spellings of the names a ring may carry, CJK only, with the reading's province prefix."""
    out: dict[str, None] = {}
    for name in names:
        n = "".join(ch for ch in unicodedata.normalize("NFKC", name or "") if _cjk(ch) or ch.isalnum())
        if len(n) < 2:
            continue
        out[n] = None
        # A seal often carries the province (山西省) that the name in the text omits: when the
        # reading has the name's first glyphs a few glyphs in, those first few glyphs are a prefix.
        p = read.find(n[:2], 1, 5)
        if p > 0 and not read.startswith(n[:2]):
            out[read[:p] + n] = None
    return list(out)


def _internal_bodies(names: Iterable[str], read: str) -> list[str]:
    """The names' internal bodies (…工会委员会, …安全生产委员会办公室) whose own words the reading
    shows two glyphs of: another body's name, confirmed only on a clear reading."""
    out = []
    for form in INTERNAL_BODIES:
        words = form.replace("{name}", "")
        if any(words[i : i + 2] in read for i in range(len(words) - 1)):
            out += [form.format(name=n) for n in names if n]
    return out


def _says_more(read: str, name: str) -> bool:
    """True when the free reading runs on past the name: another, longer body's name.

    …中心工会委员会 read as …中心会委 still fits the institution's name cheaply when the extra
    glyphs were read unsurely; but two or more glyphs the name does not explain, or a marker of
    another body (工会, 财务专用章 …), mean the ring says more than the name. Before the name
    a few glyphs are tolerated: body text beside the seal read into the strip (件核 of 与原件核对一致)
    is common there, while another body's name adds to the end (…工会委员会, …办公室).
    """
    if _other_body(read, None) and not _other_body(name, None):
        return True
    d, i, j = _best_substring(read, name)
    return i > 3 or len(read) - j >= 2


def _near(others: Iterable[str], read: str, names: Sequence[str]) -> list[str]:
    """Other bodies' names (the roster's) close enough to the reading to be what the ring says."""
    r = "".join(ch for ch in read if _cjk(ch))
    if len(r) < 2:
        return []
    own = {normalize_org(n) for n in names}
    out = []
    for o in others:
        n = normalize_org(o)
        if n and n not in own and levenshtein(r, n) <= max(2, len(n) // 2):
            out.append(o)
    return out


def confirm_name(seal: SealFinding, names: Sequence[str], others: Sequence[str] = ()) -> tuple[str, float] | None:
    """The known name the seal's ring carries, and a confidence (0..1), or None if none is clear.

    `names` are the bodies the document and roster expect here; `others` other bodies that might
    have stamped by mistake (the roster's other institutions): a ring that says one of them is
    confirmed as that body, and none of them may come close to an expected name.
    """
    if not seal.beliefs:
        return None
    scored: list[tuple[float, str]] = []
    gaps = [_gap_of(b) for b in seal.beliefs]
    read = seal.text or ""
    expected = set(_candidates(names, read))
    cands = _candidates([*names, *_internal_bodies(names, read), *_near(others, read, names)], read)
    for cand in cands:
        scored.append((_fit(gaps, cand, expected=cand in expected), cand))
    if not scored:
        return None
    scored.sort()
    gap, best = scored[0]
    # another body than the document expects is confirmed only on a clear reading
    if gap > min(MAX_GAP_CLEAR if best in expected else MAX_GAP, MAX_GAP_PER_GLYPH * len(best)):
        return None
    if seal.text and _says_more(normalize_org(seal.text), best):
        return None
    rivals = [g for g, c in scored[1:] if not (c in best or best in c)]
    margin = MIN_MARGIN if gap <= MAX_GAP else MIN_MARGIN_FAR
    if rivals and rivals[0] - gap < margin:
        return None
    return best, round(math.exp(-gap / max(1, len(best))), 4)


def confirm_seals(seals: Sequence[SealFinding], names: Sequence[str], others: Sequence[str] = ()) -> list[SealFinding]:
    """Seals whose ring text is replaced by the known name it confirms (free reading kept).

    Square personal seals are not organisation names; a seal cut by the page edge keeps what
    could be read (completing it from the name would be a guess: it gets `seal_partial`).
    """
    out: list[SealFinding] = []
    for seal in seals:
        hit = confirm_name(seal, names, others) if seal.shape != "square" and not seal.partial else None
        if hit is None or hit[0] == seal.text:
            out.append(seal)
            continue
        name, conf = hit
        out.append(seal.model_copy(update={"text": name, "text_read": seal.text or "",
                                           "text_confidence": min(seal.text_confidence, conf) if conf < 0.5 else conf}))
    return out
