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


def test_a_long_name_read_with_several_slips_is_confirmed_only_far_ahead_of_any_rival() -> None:
    """Three glyphs the recogniser saw only faintly (a phone photo's seal): the name costs over
    MAX_GAP but within MAX_GAP_CLEAR; confirmed while no other candidate comes within
    MIN_MARGIN_FAR, and not once a rival (阳定市…, what was read) fits nearly as well."""
    from checks.lexicon import MAX_GAP, MAX_GAP_CLEAR, name_gap

    name = "阳泉市城区瑞丰职业培训学校"
    p = 0.015
    faint = {1: {"定": 0.96 - p, "泉": p, "": 0.01}, 10: {"川": 0.96 - p, "训": p, "": 0.01},
             11: {"": 0.96 - p, "学": p, "川": 0.01}}
    b = ring(name, faint)
    assert b.greedy() == "阳定市城区瑞丰职业培川校"
    assert MAX_GAP < name_gap(b, name) < MAX_GAP_CLEAR
    hit = confirm_name(seal(b), [name], others=["阳泉市城区德馨职业培训学校"])
    assert hit is not None and hit[0] == name
    hit = confirm_name(seal(b), [name], others=["阳定市城区瑞丰职业培川校"])  # a rival that fits better
    assert hit is None or hit[0] != name


def test_a_short_name_with_several_faint_glyphs_is_confirmed_far_ahead_of_any_rival() -> None:
    """A 9-glyph name (a photocopied seal: 运盛公安消防 read) costs over MAX_GAP; it is confirmed
    within MAX_GAP_PER_GLYPH per glyph while every other candidate is far behind."""
    from checks.lexicon import MAX_GAP, MAX_GAP_PER_GLYPH, name_gap

    name = "运城市公安消防支队"
    p = 0.02
    faint = {1: {"盛": 0.95 - p, "城": p, "": 0.03}, 2: {"": 0.95 - p, "市": p, "盛": 0.03},
             7: {"": 0.95 - p, "支": p, "防": 0.03}}
    b = ring(name, faint)
    assert b.greedy() == "运盛公安消防队"
    assert MAX_GAP < name_gap(b, name) <= MAX_GAP_PER_GLYPH * len(name)
    hit = confirm_name(seal(b), [name, "运城市人力资源和社会保障局"], others=["运城市河津市育才技能培训中心"])
    assert hit is not None and hit[0] == name
    # another body one glyph away (支队 / 大队) is no confirmation of either
    hit = confirm_name(seal(b), [name, "运城市公安消防大队"])
    assert hit is None


def test_another_body_with_a_similar_name_is_not_confirmed() -> None:
    read = "大同市平城区阳光职业培训学校"
    b = ring(read)
    assert confirm_name(seal(b), ["大同市云冈区金桥职业培训学校"]) is None


def test_trade_union_seal_is_not_confirmed_as_the_institution() -> None:
    b = ring("大同技师学院工会委员会")
    assert name_gap(b, "大同技师学院") > 20
    hit = confirm_name(seal(b), ["大同技师学院"])
    assert hit is not None and hit[0] == "大同技师学院工会委员会"  # the union's own name, read whole


def test_an_internal_body_s_seal_is_read_as_its_full_name_on_a_clear_reading() -> None:
    """The institution's committee office (…安全生产委员会办公室) is a body the document names in
    part: its ring, a glyph misread (培调 for 培训) and its last three unsure, is confirmed as the
    office; never as the institution, and a ring another glyph away is left as read."""
    name = "太原市万柏林区兴晋职业培训学校"
    office = name + "安全生产委员会办公室"
    n = len(name)
    slips = {12: {"调": 0.6, "训": 0.35, "": 0.04},
             **{n + 7 + k: {"": 0.6, g: 0.35} for k, g in enumerate("办公室")}}
    b = ring(office, slips)
    assert b.greedy() == "太原市万柏林区兴晋职业培调学校安全生产委员会"
    hit = confirm_name(seal(b), [name, "山西兴晋教育咨询有限公司"])
    assert hit is not None and hit[0] == office
    # another school's office: two glyphs of the name never considered
    other = ring("太原市万柏林区华夏职业培训学校安全生产委员会办公室")
    hit = confirm_name(seal(other), [name])
    assert hit is None or hit[0] != office


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


@pytest.mark.parametrize(("vocab", "ties"), [(18710, False), (18710, True), (40, False)])
def test_top_k_per_frame_is_the_full_sort(vocab: int, ties: bool) -> None:
    from extractors.ocr import top_k

    rng = np.random.default_rng(vocab + ties)
    logits = rng.normal(0, 3, (50, vocab)).astype(np.float32)
    logits[:, 0] += np.linspace(-5, 15, 50, dtype=np.float32)  # frames from unsure to certainly blank
    if ties:
        logits = np.round(logits)  # many equal values around the k-th
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    idx, vals = top_k(probs, 32)
    want = -np.sort(-probs, axis=1)[:, :32]
    assert np.array_equal(vals, want)
    assert np.array_equal(np.take_along_axis(probs, idx, axis=1), vals)
    assert all(len(set(row)) == 32 for row in idx.tolist())


def test_a_glyph_lost_under_print_is_left_unverified() -> None:
    name = "大同市云冈区弘毅职业培训学校"
    b = ring(name, {3: {"县": 0.995, "": 0.004}})  # print crossed 云: the recogniser saw 县
    assert b.greedy() == "大同市县冈区弘毅职业培训学校"
    assert name_gap(b, name) > 10  # too dear as a reading of 云 ...
    hit = confirm_name(seal(b), [name])
    assert hit is not None and hit[0] == name  # ... but one unverified glyph of fourteen is a slip
    # Two glyphs lost apart are tolerated in a long name; three are not.
    two = ring(name, {3: {"县": 0.995, "": 0.004}, 9: {"亚": 0.995, "": 0.004}})
    assert confirm_name(seal(two), [name]) is not None
    three = ring(name, {3: {"县": 0.995, "": 0.004}, 6: {"引": 0.995, "": 0.004}, 9: {"亚": 0.995, "": 0.004}})
    assert confirm_name(seal(three), [name]) is None


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("阳泉市第一技工学校", "阳泉市第二技工学校"),  # a number names another school
        ("临汾市职业技能鉴定站", "临汾市职业技能鉴定所"),  # the last glyph says what kind of body
        ("吕梁市孝义市瑞丰职业培训学校", "吕梁市孝义市育才职业培训学校"),  # a word, not two slips
        ("晋中市住房和城乡建设局", "长治市住房和城乡建设局"),  # the place name
    ],
)
def test_glyphs_that_tell_bodies_apart_are_never_left_unverified(name: str, read: str) -> None:
    assert confirm_name(seal(ring(read)), [name]) is None


def test_another_roster_body_is_read_as_itself() -> None:
    read = "吕梁市孝义市育才职业培训学校"
    b = ring(read, {9: {"训": 0.5, "川": 0.45, "": 0.04}})
    hit = confirm_name(seal(b), ["吕梁市孝义市瑞丰职业培训学校"], others=[read, "吕梁市技工学校"])
    assert hit is not None and hit[0] == read


def test_another_body_is_confirmed_only_on_every_glyph_and_a_clear_reading() -> None:
    """A name the document does not expect (another roster body) may not leave a glyph
    unverified, nor cost more than MAX_GAP: 忻州事… read whole on a forwarded notice is no
    朔州市…, though one unverified 朔 and a cheap 事/市 would make it fit."""
    read = "忻州事人力资源和社会保障局"
    other = "朔州市人力资源和社会保障局"
    b = ring(read, {2: {"事": 0.6, "市": 0.35, "": 0.04}})
    assert confirm_name(seal(b), [other]) is not None  # expected: 忻 is left unverified
    assert confirm_name(seal(b), ["忻州市忻府区德馨技能培训中心"], others=[other]) is None
    # read whole, the other body is what the ring says
    whole = ring(other, {2: {"事": 0.6, "市": 0.35, "": 0.04}})
    hit = confirm_name(seal(whole), ["忻州市忻府区德馨技能培训中心"], others=[other])
    assert hit is not None and hit[0] == other


def test_batched_scores_are_the_sum_over_every_alignment() -> None:
    """Brute force on a tiny line: every frame path that collapses to the label, summed."""
    import itertools

    from records.models import ANY_GLYPH

    frames = [{"a": 0.5, "b": 0.2, "": 0.3}, {"a": 0.3, "b": 0.3, "": 0.4}, {"a": 0.1, "b": 0.6, "": 0.3},
              {"a": 0.2, "b": 0.2, "": 0.6}]
    fb = beliefs(frames, k=3, vocab=4)  # a fourth symbol ("c") the frames give ~0

    def collapse(path: tuple[str, ...]) -> str:
        out, prev = [], None
        for s in path:
            if s != prev and s != "":
                out.append(s)
            prev = s
        return "".join(out)

    def brute(label: str) -> float:
        total = sum(math.prod(fr[s] for fr, s in zip(frames, path, strict=True))
                    for path in itertools.product(("a", "b", ""), repeat=len(frames)) if collapse(path) == label)
        return math.log(total) if total else -math.inf

    labels = ["", "a", "b", "ab", "ba", "aa", "aba", "abab"]
    got = fb.batch_scorer()(labels)
    for label, v in zip(labels, got, strict=True):
        want = brute(label)
        assert (v < -1e6) if want == -math.inf else v == pytest.approx(want, abs=1e-9), label
        assert fb.log_likelihood(label) == pytest.approx(v)  # one at a time, the same
    assert fb.log_likelihood("c") < math.log(1e-8)  # a symbol no frame kept: the frame's `rest`
    # ANY_GLYPH: the frame's likeliest glyph, whichever it is
    any2 = fb.batch_scorer()([ANY_GLYPH + "b"])[0]
    assert any2 >= max(fb.log_likelihood("ab"), fb.log_likelihood("bb")) - 1e-9


def test_a_forwarded_notice_s_seal_is_read_as_the_institution_s_city_bureau() -> None:
    """A notice forwarded by the city's human-resources bureau: its ring lost the city's first
    glyph (州市人力资源和社会保障局). The campaign's supervisors (rules: `supervisors`) make the
    institution's own city's bureau a name to read the ring against; 忻州's is another city's."""
    from flows.document import DocumentContext, ReadOutcome, analyse
    from records.models import PageText, TextLine
    from records.roster import RosterEntry
    from records.rules import default_rules_dir, load_rules

    rules = load_rules(default_rules_dir(), "shanxi-2024")
    b = ring("口州市人力资源和社会保障局", {0: {"": 0.99}})  # the city's first glyph wholly lost
    assert b.greedy() == "州市人力资源和社会保障局"
    page = PageText(page_no=1, width=1000, height=1400, dpi=200, origin="ocr",
                    lines=(TextLine(text="关于转发安全生产整治行动方案的通知", bbox=[100, 100, 900, 150], confidence=0.99),))
    outcome = ReadOutcome(media_type="image/png", declared_media_type=None, pages=[page], page_infos=[],
                          seals=[seal(b)])

    def read_for(city: str) -> str | None:
        entry = RosterEntry(name="朔州市朔城区启航技能培训中心", city=city, sponsor="山西启航人力资源服务有限公司")
        ctx = DocumentContext(batch_id="b", key="k", institution=entry.name, roster_entry=entry, roster_bodies=(entry.name,))
        return analyse(outcome, ctx, rules, document_id="0" * 64, size=1).seals[0].text

    assert read_for("朔州") == "朔州市人力资源和社会保障局"
    assert read_for("大同") == "州市人力资源和社会保障局"  # 朔州 and 忻州 are both 州市: which one is not known
