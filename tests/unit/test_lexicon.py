"""Lexicon-constrained reading of seal ring text (checks/lexicon.py) on hand-made CTC beliefs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from checks.lexicon import confirm_name, confirm_seals, name_gap
from records.models import FrameBeliefs, SealFinding


def beliefs(frames: list[dict[str, float]], k: int = 4, vocab: int = 18000) -> FrameBeliefs:
    """Frames given as {symbol: probability}; "" is the blank. Each glyph frame is followed by a blank."""
    syms, lps, rest = [], [], []
    for fr in frames:
        top = sorted(fr.items(), key=lambda kv: -kv[1])[:k]
        left = max(1e-9, 1.0 - sum(p for _, p in top))
        syms.append(tuple(s for s, _ in top))
        lps.append(tuple(math.log(p) for _, p in top))
        rest.append(math.log(left / (vocab - len(top))))
    return FrameBeliefs(symbols=tuple(syms), logp=tuple(lps), rest=tuple(rest))


def ring(text: str, doubts: dict[int, dict[str, float]] | None = None) -> FrameBeliefs:
    """A strip reading `text` confidently, except glyph i whose frame is `doubts[i]`."""
    frames: list[dict[str, float]] = [{"": 0.99, "一": 0.005}]
    for i, ch in enumerate(text):
        frames.append((doubts or {}).get(i, {ch: 0.999, "": 0.0009}))
        frames.append({"": 0.998, ch: 0.001})
    return beliefs(frames)


def seal(b: FrameBeliefs, shape: str = "round") -> SealFinding:
    return SealFinding(page_no=1, bbox=[0, 0, 10, 10], shape=shape, text=b.greedy(), text_confidence=0.8, beliefs=(b,))


def test_greedy_merges_repeats_and_drops_blanks() -> None:
    b = beliefs([{"大": 0.9}, {"大": 0.9}, {"": 0.9}, {"大": 0.9}, {"": 0.9}, {"同": 0.9}])
    assert b.greedy() == "大大同"


def test_forward_sums_alignments_and_prefers_the_true_label() -> None:
    b = ring("大同市")
    assert b.log_likelihood("大同市") > b.log_likelihood("大同") + 5
    assert b.log_likelihood("大同市") > b.log_likelihood("大阿市") + 5
    # All alignments summed: never below the single best path.
    best_path = sum(max(lp) for lp in b.logp)
    assert b.log_likelihood("大同市") >= best_path - 1e-6


def test_a_glyph_the_recogniser_hesitated_on_is_confirmed() -> None:
    name = "大同市云冈区金桥职业培训学校"
    b = ring(name, {1: {"阿": 0.55, "同": 0.3, "": 0.1}, 4: {"风": 0.6, "冈": 0.25, "": 0.1}})
    assert b.greedy() == "大阿市云风区金桥职业培训学校"
    hit = confirm_name(seal(b), [name, "山西金桥教育咨询有限公司"])
    assert hit is not None and hit[0] == name
    assert 0.5 < hit[1] < 1.0


def test_another_body_with_a_similar_name_is_not_confirmed() -> None:
    read = "大同市平城区阳光职业培训学校"
    b = ring(read)
    assert confirm_name(seal(b), ["大同市云冈区金桥职业培训学校"]) is None


def test_trade_union_seal_is_not_confirmed_as_the_institution() -> None:
    b = ring("大同技师学院工会委员会")
    assert name_gap(b, "大同技师学院") > 20
    assert confirm_name(seal(b), ["大同技师学院"]) is None


def test_a_reading_that_runs_on_past_the_name_is_not_confirmed() -> None:
    name = "华阳新材料科技集团职业技能等级认定中心"
    # The union's suffix read unsurely (会委 of 工会委员会): cheap to explain away, but read.
    b = ring(name + "会委", {len(name): {"会": 0.5, "": 0.45}, len(name) + 1: {"委": 0.5, "": 0.45}})
    assert name_gap(b, name) < 3
    assert confirm_name(seal(b), [name]) is None


def test_two_names_that_fit_equally_confirm_neither() -> None:
    b = ring("阳泉市第一技工学校", {4: {"一": 0.45, "二": 0.45, "": 0.05}})
    assert confirm_name(seal(b), ["阳泉市第一技工学校", "阳泉市第二技工学校"]) is None


def test_province_prefix_on_the_ring_is_kept() -> None:
    b = ring("山西省忻州市公安消防支队", {5: {"八": 0.5, "公": 0.4, "": 0.05}})
    hit = confirm_name(seal(b), ["忻州市公安消防支队"])
    assert hit is not None and hit[0] == "山西省忻州市公安消防支队"


def test_confirm_seals_keeps_the_free_reading_and_skips_square_seals() -> None:
    name = "晋中市住房和城乡建设局"
    b = ring(name, {3: {"售": 0.6, "住": 0.3, "": 0.05}})
    out = confirm_seals([seal(b), seal(b, shape="square")], [name])
    assert out[0].text == name and out[0].text_read == "晋中市售房和城乡建设局"
    assert out[1].text == "晋中市售房和城乡建设局" and out[1].text_read is None


def test_a_ring_read_as_nothing_can_still_confirm_a_name() -> None:
    name = "山西省人力资源和社会保障厅"
    doubt = {i: {"": 0.6, ch: 0.35} for i, ch in enumerate(name) if i % 2}
    b = ring(name, doubt)
    s = SealFinding(page_no=1, bbox=[0, 0, 10, 10], text=None, beliefs=(b,))
    out = confirm_seals([s], [name])[0]
    assert out.text == name and out.text_read == ""
    blank = beliefs([{"": 0.999}] * 30)
    assert confirm_seals([SealFinding(page_no=1, bbox=[0, 0, 10, 10], beliefs=(blank,))], [name])[0].text is None


@pytest.mark.parametrize("text", ["", "大"])
def test_nothing_to_confirm_without_beliefs_or_names(text: str) -> None:
    s = SealFinding(page_no=1, bbox=[0, 0, 10, 10], text="大同市", text_confidence=0.9)
    assert confirm_name(s, ["大同市"]) is None  # no beliefs kept
    assert confirm_name(seal(ring("大同市")), [text]) is None  # no usable name


def test_frame_beliefs_from_probabilities_drop_padding() -> None:
    from extractors.ocr import frame_beliefs

    chars = ["blank", "大", "同", "市"]
    probs = np.array([[0.1, 0.8, 0.05, 0.05], [0.9, 0.05, 0.05, 0.0], [1.0, 0, 0, 0], [1.0, 0, 0, 0]], dtype=np.float32)
    fb = frame_beliefs(probs, chars, k=2)
    assert len(fb.symbols) == 2  # two certain-blank padding frames dropped
    assert fb.symbols[0] == ("大", "")
    assert fb.logp[0][0] == pytest.approx(math.log(0.8), abs=1e-3)
