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

from checks.seals import _best_substring, _other_body, normalize_org
from records.models import FrameBeliefs, SealFinding

# Measured on generated scans (tuning corpus, 54 seals, top 32 symbols per frame): the true name's
# gap is under 10 nats for 82 % of rings (0 for a clean reading); none of 162 names one glyph away
# from the true one (another body: 第一/第二, another place) came under 11 nats.
MAX_GAP_PER_GLYPH = 1.2  # nats per glyph of the name a confirmation may cost at most
MAX_GAP = 10.0  # and in total
MIN_MARGIN = 4.0  # nats the best name must lead the next different one by

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


def _gap_of(beliefs: FrameBeliefs) -> Callable[[str], float]:
    """`name_gap` for one strip and many names: its free reading is scored once."""
    raw = beliefs.greedy()
    head, tail = _ends(raw)
    score = beliefs.scorer()
    free = score(raw)
    return lambda name: max(0.0, free - score(head + name + tail))


def name_gap(beliefs: FrameBeliefs, name: str) -> float:
    """How many nats worse `name` explains this strip than the recogniser's free reading (>= 0)."""
    return _gap_of(beliefs)(name)


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


def confirm_name(seal: SealFinding, names: Sequence[str]) -> tuple[str, float] | None:
    """The known name the seal's ring carries, and a confidence (0..1), or None if none is clear."""
    if not seal.beliefs:
        return None
    scored: list[tuple[float, str]] = []
    gaps = [_gap_of(b) for b in seal.beliefs]
    for cand in _candidates(names, seal.text or ""):
        gap = min(g(cand) for g in gaps)
        scored.append((gap, cand))
    if not scored:
        return None
    scored.sort()
    gap, best = scored[0]
    if gap > min(MAX_GAP, MAX_GAP_PER_GLYPH * len(best)):
        return None
    if seal.text and _says_more(normalize_org(seal.text), best):
        return None
    rivals = [g for g, c in scored[1:] if not (c in best or best in c)]
    if rivals and rivals[0] - gap < MIN_MARGIN:
        return None
    return best, round(math.exp(-gap / max(1, len(best))), 4)


def confirm_seals(seals: Sequence[SealFinding], names: Sequence[str]) -> list[SealFinding]:
    """Seals whose ring text is replaced by the known name it confirms (free reading kept).

    Square personal seals are not organisation names; a seal cut by the page edge keeps what
    could be read (completing it from the name would be a guess: it gets `seal_partial`).
    """
    out: list[SealFinding] = []
    for seal in seals:
        hit = confirm_name(seal, names) if seal.shape != "square" and not seal.partial else None
        if hit is None or hit[0] == seal.text:
            out.append(seal)
            continue
        name, conf = hit
        out.append(seal.model_copy(update={"text": name, "text_read": seal.text or "",
                                           "text_confidence": min(seal.text_confidence, conf) if conf < 0.5 else conf}))
    return out
