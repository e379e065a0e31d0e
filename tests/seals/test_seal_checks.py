"""judge_seal / check_seals: which role a seal fills, and the seal findings (no models)."""

from __future__ import annotations

import pytest

from checks.seals import canonical_org, check_seals, judge_seal, name_similarity
from records.models import SealFinding

SCHOOL = "阳泉市第一技工学校"
SPONSOR = "山西焦煤集团有限责任公司"
AUTHORITY = "阳泉市住房和城乡建设局"


def seal(
    text: str | None,
    *,
    shape: str = "round",
    sub_text: str | None = None,
    partial: bool = False,
    page: int = 1,
) -> SealFinding:
    return SealFinding(
        page_no=page,
        bbox=[10, 10, 300, 300],
        shape=shape,
        text=text,
        sub_text=sub_text,
        partial=partial,
        text_confidence=0.95 if text else 0.0,
    )


EXPECTED = {"issuing_authority": AUTHORITY, "institution_name": SCHOOL, "sponsor": SPONSOR}


# ------------------------------------------------------------------ judge_seal


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (AUTHORITY, "issuing_authority"),
        (SCHOOL, "institution_name"),
        (SPONSOR, "sponsor"),
        ("山西省阳泉市第一技工学校", "institution_name"),  # province prefix on the seal only
        ("阳泉第一技工学校", "institution_name"),  # 市 left out
        ("阳泉市住房和城乡建设局消防验收专用章", "issuing_authority"),  # the authority's own special seal
        ("阳泉市住建局", "issuing_authority"),  # official short form
        ("山西焦煤集团有限公司", "sponsor"),  # 有限公司 for 有限责任公司
    ],
)
def test_matches_names_and_official_variants(text: str, role: str) -> None:
    got, sim = judge_seal(seal(text), EXPECTED)
    assert got == role
    assert sim >= 0.9


def test_short_forms_of_prefecture_and_bureau() -> None:
    expected = {"issuing_authority": "恩施土家族苗族自治州人力资源和社会保障局"}
    assert judge_seal(seal("恩施州人社局"), expected)[0] == "issuing_authority"
    assert canonical_org("恩施土家族苗族自治州人力资源和社会保障局") == canonical_org("恩施州人社局")


def test_province_on_the_roster_name_only() -> None:
    assert (
        judge_seal(seal("人力资源和社会保障厅"), {"issuing_authority": "山西省人力资源和社会保障厅"})[0]
        == "issuing_authority"
    )


@pytest.mark.parametrize(
    "reading",
    [
        "阳泉市住房和城乡建没局",  # one glyph misread
        "阳泉市住房和城乡建设",  # last glyph lost
        "长治市屯留区住房和城乡建设局".replace("长治市屯留区", "阳泉市"),  # sanity: identical
        "阳泉市佳房和城乡建设局",
    ],
)
def test_tolerates_ocr_slips(reading: str) -> None:
    role, sim = judge_seal(seal(reading), EXPECTED)
    assert role == "issuing_authority"
    assert 0.75 <= sim <= 1.0


def test_slip_inside_a_long_form_still_matches() -> None:
    # 人力资源和社公保障局: the short-form rewrite cannot apply to the reading; raw comparison does.
    expected = {"sponsor": "吕梁市人力资源和社会保障局"}
    assert judge_seal(seal("吕梁市人力资源和社公保障局"), expected)[0] == "sponsor"


@pytest.mark.parametrize(
    ("text", "sub_text"),
    [
        (f"{SCHOOL}工会委员会", None),  # the trade union
        (f"{SCHOOL}工会", None),
        (f"中共{SCHOOL}委员会", None),  # the party committee
        (f"{SCHOOL}党支部", None),
        (f"{SCHOOL}安全生产委员会办公室", None),  # a committee office: another body
        (SCHOOL, "财务专用章"),  # the finance seal
        (f"{SCHOOL}财务专用章", None),
        (SCHOOL, "合同专用章"),
        (f"{SCHOOL}教务处", None),  # a department: another body
    ],
)
def test_other_bodies_with_the_same_name_do_not_match(text: str, sub_text: str | None) -> None:
    assert judge_seal(seal(text, sub_text=sub_text), EXPECTED)[0] is None


def test_authority_special_seal_counts_only_for_the_authority() -> None:
    s = seal(AUTHORITY, sub_text="消防验收专用章")
    assert judge_seal(s, EXPECTED)[0] == "issuing_authority"
    assert judge_seal(seal(SCHOOL, sub_text="消防验收专用章"), {"institution_name": SCHOOL})[0] is None
    assert judge_seal(seal(AUTHORITY, sub_text="行政审批专用章"), EXPECTED)[0] == "issuing_authority"


@pytest.mark.parametrize(
    ("reading", "name"),
    [
        ("太原市第二技工学校", "太原市第一技工学校"),  # one glyph apart, but a number: another school
        ("阳泉市交通技工学校", "阳泉市建筑技工学校"),  # two glyphs of eight: another school
        ("河北省人力资源和社会保障厅", "山西省人力资源和社会保障厅"),  # another province
        ("晋中市住房和城乡建设局", AUTHORITY),
    ],
)
def test_similar_names_of_other_bodies_do_not_match(reading: str, name: str) -> None:
    assert name_similarity(reading, name, "institution_name") < 0.75


def test_square_personal_seal_never_matches() -> None:
    assert judge_seal(seal(SCHOOL, shape="square"), EXPECTED) == (None, 0.0)
    assert judge_seal(seal("王書文印", shape="square"), EXPECTED) == (None, 0.0)


def test_unreadable_seal_matches_nothing() -> None:
    assert judge_seal(seal(None), EXPECTED) == (None, 0.0)


def test_traditional_glyphs_from_ocr_still_match() -> None:
    assert judge_seal(seal("阳泉市第一技工學校"), EXPECTED)[0] == "institution_name"


# ------------------------------------------------------------------ check_seals


def test_certificate_with_both_seals_passes() -> None:
    roles, findings = check_seals(
        [seal(AUTHORITY), seal(SPONSOR)], required_roles=["issuing_authority", "sponsor"], expected=EXPECTED
    )
    assert roles == ["issuing_authority", "sponsor"]
    assert findings == []


def test_missing_sponsor_seal_names_who_should_have_stamped() -> None:
    roles, findings = check_seals(
        [seal(AUTHORITY)], required_roles=["issuing_authority", "sponsor"], expected=EXPECTED
    )
    assert roles == ["issuing_authority"]
    assert [(f.code, f.severity, f.field) for f in findings] == [("missing_seal", "error", None)]
    assert findings[0].message == f"缺少举办单位公章（应为：{SPONSOR}）"


def test_missing_seal_with_unknown_name() -> None:
    _, findings = check_seals([], required_roles=["issuing_authority"], expected={"issuing_authority": None})
    assert [f.code for f in findings] == ["missing_seal"]
    assert findings[0].message == "缺少发证机关印章"


def test_trade_union_seal_is_a_mismatch() -> None:
    union = f"{SCHOOL}工会委员会"
    roles, findings = check_seals(
        [seal(union, page=2)], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == [None]
    assert [(f.code, f.severity, f.page) for f in findings] == [("seal_mismatch", "error", 2)]
    assert f"公章文字为“{union}”，与应盖章单位“{SCHOOL}”不符" in findings[0].message


def test_finance_seal_is_a_mismatch() -> None:
    roles, findings = check_seals(
        [seal(SCHOOL, sub_text="财务专用章")], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == [None]
    assert [f.code for f in findings] == ["seal_mismatch"]
    assert "财务专用章" in findings[0].message


def test_own_seal_on_the_copy_instead_of_the_sponsors_is_a_mismatch() -> None:
    roles, findings = check_seals(
        [seal(AUTHORITY), seal(SCHOOL)], required_roles=["issuing_authority", "sponsor"], expected=EXPECTED
    )
    assert roles == ["issuing_authority", "institution_name"]
    assert [f.code for f in findings] == ["seal_mismatch"]
    assert SCHOOL in findings[0].message and SPONSOR in findings[0].message


def test_personal_seal_alone_is_a_missing_seal() -> None:
    roles, findings = check_seals(
        [seal("王書文印", shape="square")], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == [None]
    assert [f.code for f in findings] == ["missing_seal"]


def test_personal_seal_next_to_the_right_seal_is_harmless() -> None:
    roles, findings = check_seals(
        [seal(SCHOOL), seal("王書文印", shape="square")],
        required_roles=["institution_name"],
        expected=EXPECTED,
    )
    assert roles == ["institution_name", None]
    assert findings == []


def test_unknown_name_is_filled_by_any_organisation_seal() -> None:
    roles, findings = check_seals(
        [seal("晋中市住房和城乡建设局"), seal(SPONSOR)],
        required_roles=["issuing_authority", "sponsor"],
        expected={"issuing_authority": None, "sponsor": SPONSOR},
    )
    assert roles == ["issuing_authority", "sponsor"]
    assert findings == []


def test_unknown_names_take_one_seal_each_authority_first() -> None:
    roles, findings = check_seals(
        [seal(SPONSOR), seal(AUTHORITY)],
        required_roles=["issuing_authority", "sponsor"],
        expected={"issuing_authority": None, "sponsor": None},
    )
    assert roles == ["sponsor", "issuing_authority"]
    assert findings == []
    roles, findings = check_seals(
        [seal(AUTHORITY)],
        required_roles=["issuing_authority", "sponsor"],
        expected={"issuing_authority": None, "sponsor": None},
    )
    assert roles == ["issuing_authority"]
    assert [f.code for f in findings] == ["missing_seal"]


def test_unknown_name_is_not_filled_by_a_union_or_unreadable_seal() -> None:
    _, findings = check_seals(
        [seal(f"{SCHOOL}工会委员会")],
        required_roles=["institution_name"],
        expected={"institution_name": None},
    )
    assert [f.code for f in findings] == ["seal_mismatch"]
    _, findings = check_seals(
        [seal(None)], required_roles=["institution_name"], expected={"institution_name": None}
    )
    # an organisation seal is there but says nothing legible: a person must look, it is no mismatch
    assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")]
    assert "人工核对" in findings[0].message


def test_a_ring_read_as_one_glyph_is_no_mismatch() -> None:
    """One glyph of a ring read (店 of 太原市小店区博远技能培训中心, print crossed the rest) names
    no body: a person looks, as at an unread seal. Two glyphs or more still claim a mismatch."""
    _, findings = check_seals([seal("店")], required_roles=["institution_name"], expected=EXPECTED)
    assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")]
    assert "无法辨认" in findings[0].message
    _, findings = check_seals([seal("大同市技师学院")], required_roles=["institution_name"], expected=EXPECTED)
    assert [f.code for f in findings] == ["seal_mismatch"]


def test_partial_seal_that_reads_clearly_is_its_roles_yet_a_partial_warning() -> None:
    """A cut seal that names the body clearly is that body's seal, but the scan does not show
    it whole: a warning (DOMAIN.md: seal_partial, cut by the page edge), never a mismatch."""
    roles, findings = check_seals(
        [seal(SCHOOL, partial=True, page=2)], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == ["institution_name"]
    assert [(f.code, f.severity, f.page) for f in findings] == [("seal_partial", "warning", 2)]
    assert "相符" in findings[0].message


def test_partial_seal_with_half_the_name_is_a_partial_warning() -> None:
    roles, findings = check_seals(
        [seal("阳泉市第一技", partial=True, page=3)], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == ["institution_name"]  # it names the school, but cannot be confirmed
    assert [(f.code, f.severity, f.page) for f in findings] == [("seal_partial", "warning", 3)]


def test_partial_seal_with_the_start_of_a_name_that_has_a_short_form() -> None:
    """阳泉市人力资源和 (the rest off the page) is a piece of 阳泉市人力资源和社会保障局, whose
    canonical form is the short 阳泉人社局: the piece is compared as printed too."""
    expected = {"institution_name": "阳泉市职业技能鉴定中心", "sponsor": "阳泉市人力资源和社会保障局"}
    roles, findings = check_seals(
        [seal("阳泉市人力资源和", partial=True, page=1)], required_roles=["sponsor"], expected=expected
    )
    assert roles == ["sponsor"]
    assert [(f.code, f.severity) for f in findings] == [("seal_partial", "warning")]


def test_unreadable_partial_seal_is_a_partial_warning() -> None:
    roles, findings = check_seals(
        [seal(None, partial=True)], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == [None]
    assert [f.code for f in findings] == ["seal_partial"]


def test_partial_seal_does_not_hide_a_complete_one() -> None:
    roles, findings = check_seals(
        [seal(None, partial=True), seal(SCHOOL)], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == [None, "institution_name"]
    assert findings == []


def test_several_seals_may_fill_one_role() -> None:
    roles, findings = check_seals(
        [seal(SCHOOL), seal(SCHOOL, page=2)], required_roles=["institution_name"], expected=EXPECTED
    )
    assert roles == ["institution_name", "institution_name"]
    assert findings == []


def test_findings_validate_against_the_contract() -> None:
    from records.models import Finding

    _, findings = check_seals(
        [seal(f"{SCHOOL}工会委员会")], required_roles=["institution_name", "sponsor"], expected=EXPECTED
    )
    for f in findings:
        assert isinstance(f, Finding)
        assert f.field is None
    assert {f.code for f in findings} == {"seal_mismatch"}


def test_snap_to_names_corrects_slips_only() -> None:
    from checks.seals import snap_to_names

    names = ["长治市住房和城乡建设局", "长治市人力资源和社会保障局", "太原市第一技工学校"]
    assert snap_to_names("长治市售房和城乡建设局", names) == ("长治市住房和城乡建设局", 0.9091)
    assert snap_to_names("太原市第二技工学校", names) == (
        "太原市第二技工学校",
        0.0,
    )  # a number: another school
    assert snap_to_names("长治市住房和城乡建设局工会委员会", names)[1] == 0.0
    assert snap_to_names("晋中市住房和城乡建设局", names) == ("晋中市住房和城乡建设局", 0.0)  # another city
    assert snap_to_names(None, names) == (None, 0.0)


def test_a_neighbour_schools_seal_is_a_mismatch_when_the_roster_names_it() -> None:
    own, other = "吕梁市孝义市瑞丰职业培训学校", "吕梁市孝义市育才职业培训学校"
    expected = {"issuing_authority": None, "institution_name": own, "sponsor": None}
    # Two glyphs apart in fourteen: alone, within the slips tolerated for an OCR reading ...
    assert judge_seal(seal(other), expected)[0] == "institution_name"
    # ... but the roster knows that body: the ring names it, not the institution.
    roles, findings = check_seals(
        [seal(other)], required_roles=["institution_name"], expected=expected, others=[other, "吕梁市技工学校"]
    )
    assert roles == [None]
    assert [f.code for f in findings] == ["seal_mismatch"] and other in findings[0].message
    # A slip in the institution's own name still matches it.
    roles, _ = check_seals([seal("吕梁市孝义市瑞丰职业培川学校")], required_roles=["institution_name"],
                           expected=expected, others=[other])
    assert roles == ["institution_name"]


def test_a_ring_whose_ends_print_crossed_still_names_its_body() -> None:
    expected = {"issuing_authority": None, "institution_name": "太原市高级技工学校", "sponsor": "太原市人力资源和社会保障局"}
    # 太 and 学校 lost under the signing line: the rest is the institution's name, in order.
    assert judge_seal(seal("原市高级技工"), expected) == ("institution_name", 0.75)
    assert judge_seal(seal("技工学校"), expected)[0] is None  # too little of it to say whose
    assert judge_seal(seal("原市高级技工工会"), expected)[0] is None  # says more than the name
    # The roster has a body the piece names as well: it cannot tell which.
    assert judge_seal(seal("原市高级技工"), expected, others=["太原市高级技工学院"])[0] is None
    roles, findings = check_seals([seal("原市高级技工")], required_roles=["institution_name"], expected=expected)
    assert roles == ["institution_name"] and findings == []


def test_a_badly_misread_ring_near_the_expected_name_asks_a_person() -> None:
    expected = {"issuing_authority": "山西省长治市公安消防支队", "institution_name": "长治技师学院", "sponsor": None}
    # Two glyphs the name lacks and three lost in twelve: too many to confirm, but no other body
    # comes as close. (One glyph too many, 山西省治市公安消支品, is the name read with glyphs lost.)
    roles, findings = check_seals([seal("山西品治市公安消支品")], required_roles=["issuing_authority"], expected=expected,
                                  others=["长治市职业技能鉴定中心", "山西省长治市人力资源和社会保障局"])
    assert roles == [None]
    assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")]
    assert "识别不清" in findings[0].message and "山西省长治市公安消防支队" in findings[0].message
    roles, findings = check_seals([seal("山西省治市公安消支品")], required_roles=["issuing_authority"], expected=expected,
                                  others=["长治市职业技能鉴定中心", "山西省长治市人力资源和社会保障局"])
    assert roles == ["issuing_authority"] and findings == []
    # Another body's name stays a mismatch: a trade union, or a reading nearer someone else.
    for text in ("长治技师学院工会委员会", "长治市职业技能鉴定中心"):
        _, findings = check_seals([seal(text)], required_roles=["issuing_authority"], expected=expected,
                                  others=["长治市职业技能鉴定中心"])
        assert [f.code for f in findings] == ["seal_mismatch"], text


def test_a_fragment_of_the_expected_name_read_through_print_asks_a_person() -> None:
    """区育才职校: five glyphs, each in 大同市平城区育才职业培训学校 and in its order. Too little to
    confirm, and no claim that another body stamped; 区育才职中 (中 not in the name) or a
    rival's fragment still says someone else."""
    expected = {"issuing_authority": None, "institution_name": "大同市平城区育才职业培训学校", "sponsor": None}
    others = ["大同市平城区阳光职业培训学校", "大同市新荣区明德技能培训中心"]
    roles, findings = check_seals([seal("区育才职校")], required_roles=["institution_name"], expected=expected, others=others)
    assert roles == [None] and [f.code for f in findings] == ["low_confidence"]
    for text in ("区育才职中心", "新荣区明德技能"):
        _, findings = check_seals([seal(text)], required_roles=["institution_name"], expected=expected, others=others)
        assert [f.code for f in findings] == ["seal_mismatch"], text


def test_a_fragment_with_one_slip_is_still_the_expected_name_read_badly() -> None:
    """集团有限贡 of 山西安泰集团有限责任公司: five glyphs, four in the name's order, one slipped
    (贡 for 责). The sponsor's seal read badly, a person looks; the authority's seal is missing,
    not replaced by another body's."""
    expected = {"issuing_authority": "晋中市住房和城乡建设局", "institution_name": "晋中市榆次区安泰职业培训学校",
                "sponsor": "山西安泰集团有限责任公司"}
    _, findings = check_seals([seal("集团有限贡")], required_roles=["issuing_authority", "sponsor"], expected=expected,
                              others=["晋中市高级技工学校"])
    assert sorted(f.code for f in findings) == ["low_confidence", "missing_seal"]
    # two slips in five is no reading of the name
    _, findings = check_seals([seal("集团有贡贡")], required_roles=["sponsor"], expected=expected)
    assert [f.code for f in findings] == ["seal_mismatch"]


def test_a_short_fragment_of_a_long_name_is_not_another_body_s_short_form() -> None:
    """城建设局: four glyphs of 吕梁市住房和城乡建设局, in its order (a real photocopy, seed 999).
    Weighed by edits, a short form (运城人社局 of 运城市人力资源和社会保障局) is nearer what little was
    read than the long name is; weighed by the glyphs it holds in order, the name holds all four
    and 运城人社局 two. The authority's seal read badly, a person looks; the sponsor's is missing."""
    expected = {"issuing_authority": "吕梁市住房和城乡建设局", "institution_name": "吕梁市离石区鑫源职业培训学校",
                "sponsor": "山西鑫源人力资源服务有限公司"}
    others = ["运城市人力资源和社会保障局", "晋城市人力资源和社会保障局", "运城市技工学校"]
    roles, findings = check_seals([seal("城建设局")], required_roles=["issuing_authority", "sponsor"], expected=expected,
                                  others=others)
    assert roles == [None] and sorted(f.code for f in findings) == ["low_confidence", "missing_seal"]


def test_a_ring_read_in_part_that_fits_several_bodies_alike_asks_a_person() -> None:
    expected = {"issuing_authority": None, "institution_name": "阳泉高级技工学校", "sponsor": None}
    roles, findings = check_seals([seal("高级技工学")], required_roles=["institution_name"], expected=expected,
                                  others=["太原市高级技工学校", "晋中市高级技工学校"])
    assert roles == [None]
    assert [f.code for f in findings] == ["low_confidence"]  # not a claim that another body stamped


def test_two_seals_read_badly_each_ask_a_person_for_its_own_role() -> None:
    """A photocopied certificate, both grey seals read through print: each reading is nearer one
    role's name than any other body. Neither is proof that another body stamped (the two used to
    be listed as seal_mismatch errors for both roles); a three-glyph piece counts when it stands
    in the name as read (公安消)."""
    expected = {"issuing_authority": "吕梁市公安消防支队", "institution_name": "吕梁市孝义市精工职业培训学校",
                "sponsor": "山西精工企业管理咨询有限公司"}
    seals = [seal("严量工委业管理咨询任限公"), seal("公安消")]
    roles, findings = check_seals(seals, required_roles=["issuing_authority", "sponsor"], expected=expected)
    assert roles == [None, None]
    assert sorted((f.code, f.message) for f in findings) == [
        ("low_confidence", "印章文字识别不清（“严量工委业管理咨询任限公”），与举办单位公章“山西精工企业管理咨询有限公司”相近，请人工核对"),
        ("low_confidence", "印章文字识别不清（“公安消”），与发证机关印章“吕梁市公安消防支队”相近，请人工核对"),
    ]


def test_a_role_whose_only_seal_is_another_roles_misread_is_missing() -> None:
    """The sponsor did not stamp the copy; the authority's seal was read too poorly to confirm.
    For the sponsor that seal is no other body's seal: its own is missing."""
    expected = {"issuing_authority": "吕梁市公安消防支队", "institution_name": "吕梁市孝义市精工职业培训学校",
                "sponsor": "山西精工企业管理咨询有限公司"}
    _, findings = check_seals([seal("梁市公安消")], required_roles=["issuing_authority", "sponsor"], expected=expected)
    assert sorted(f.code for f in findings) == ["low_confidence", "missing_seal"]
    # read well enough to be the authority's (six of its nine glyphs, in order): only the sponsor's is missing
    roles, findings = check_seals([seal("吕梁市公安消")], required_roles=["issuing_authority", "sponsor"], expected=expected)
    assert roles == ["issuing_authority"] and [f.code for f in findings] == ["missing_seal"]
    # a clear other body stays a mismatch for both
    _, findings = check_seals([seal("吕梁市孝义市精工职业培训学校工会委员会")], required_roles=["issuing_authority", "sponsor"],
                              expected=expected)
    assert [f.code for f in findings] == ["seal_mismatch", "seal_mismatch"]


def test_a_ring_read_with_glyphs_lost_all_round_is_still_its_name() -> None:
    """晋中市安职业培学校: nine of the fourteen glyphs of 晋中市榆次区安泰职业培训学校, in order,
    none added (a grey seal's dots broke the rest). Nearer that name than any other body: its
    seal. As near another school (安康 shares 安) or every city's 住建局 (住房和城乡): nobody's."""
    school = "晋中市榆次区安泰职业培训学校"
    expected = {"issuing_authority": "晋中市住房和城乡建设局", "institution_name": school, "sponsor": "山西安泰集团有限责任公司"}
    others = ["晋中市榆次区华夏职业培训学校", "太原市住房和城乡建设局"]
    assert judge_seal(seal("晋中市安职业培学校"), expected, others)[0] == "institution_name"
    assert judge_seal(seal("晋中市安职业培学校"), expected, [*others, "晋中市榆次区安康职业培训学校"])[0] is None
    assert judge_seal(seal("住房和城乡建"), expected, others)[0] is None
    # one glyph in six may be a slip (学院 for 学校); two glyphs the name lacks are not
    assert judge_seal(seal("晋中市安职业培学院"), expected, others)[0] == "institution_name"
    assert judge_seal(seal("晋中市安职业技工学院"), expected, others)[0] is None


PLACES = frozenset({"山西省", "临汾市", "尧都区", "朔州市", "阳泉市", "城区", "晋中市", "榆次区", "大同市", "新荣区"})


def test_a_ring_whose_place_is_no_place_is_a_misread_not_another_body() -> None:
    """海市加达职业技培学校 of 临汾市尧都区恒达职业技能培训学校 (a grey seal read through print, from a
    generated corpus): 海市 is no place of the province, so the reading names no body at all; it
    shares eight glyphs in order with the name, and no roster body more (a shorter one,
    阳泉市城区职业技能培训学校, is fewer edits away from so little read). A person looks."""
    own = "临汾市尧都区恒达职业技能培训学校"
    expected = {"issuing_authority": None, "institution_name": own, "sponsor": None}
    others = ["阳泉市城区职业技能培训学校", "晋中市榆次区恒达职业技能培训学校"]
    _, findings = check_seals([seal("海市加达职业技培学校")], required_roles=["institution_name"], expected=expected,
                              others=others, places=PLACES)
    assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")]
    assert own in findings[0].message
    # Without the places it cannot tell the reading from a name: as before, a mismatch.
    _, findings = check_seals([seal("海市加达职业技培学校")], required_roles=["institution_name"], expected=expected,
                              others=others)
    assert [f.code for f in findings] == ["seal_mismatch"]
    # A real place read whole, another body's name: still a mismatch.
    _, findings = check_seals([seal("晋中市榆次区恒达职业技能培训学校")], required_roles=["institution_name"],
                              expected=expected, others=others, places=PLACES)
    assert [f.code for f in findings] == ["seal_mismatch"]
    # A reading nearer a roster body than the name, place or none, says someone else stamped.
    _, findings = check_seals([seal("海市城区职业技能培训学校")], required_roles=["institution_name"], expected=expected,
                              others=others, places=PLACES)
    assert [f.code for f in findings] == ["seal_mismatch"]


def test_the_document_s_other_parties_seals_do_not_make_a_misread_a_mismatch() -> None:
    """A certificate copy: the authority's ring read with glyphs lost (住房和城设局), beside the
    institution's own seal on the copy note and its sponsor's. Those two are explained; the
    authority's reading alone is weighed, and it is the authority's name read badly."""
    expected = {"issuing_authority": "吕梁市住房和城乡建设局", "institution_name": "吕梁市离石区华夏职业技能培训学校",
                "sponsor": "山西华夏企业管理咨询有限公司"}
    seals = [seal("住房和城设局"), seal("吕梁市离石区华夏职业技能培训学校", sub_text="与原件核对"),
             seal("山西华夏企业管理咨询有限公司")]
    roles, findings = check_seals(seals, required_roles=["issuing_authority"], expected=expected,
                                  others=["朔州市朔城区华夏职业培训学校"])
    assert roles == [None, "institution_name", "sponsor"]
    assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")]
    # With only the institution's own seal, the authority's is missing and that seal stands in its place.
    _, findings = check_seals(seals[1:2], required_roles=["issuing_authority"], expected=expected)
    assert [f.code for f in findings] == ["seal_mismatch"]


def test_a_ring_read_from_its_middle_or_through_print_names_no_body() -> None:
    """安消康山西: the ring of 山西省阳泉市公安消防支队 read from 公安消防 on round to 山西 (a ring has
    no first glyph), one glyph misread; 桥场评公: two glyphs of 山西金桥教育科技有限公司 and two of the
    print crossing it (现场评定). Neither opens with a place nor ends as a body's name does: no
    proof that another body stamped, a person looks. A name that does end as one (…职业培训学校)
    is weighed as before."""
    from checks.seals import names_no_body

    assert names_no_body("安消康山西", PLACES) and names_no_body("桥场评公", PLACES)
    assert not names_no_body("晋中市榆次区恒达职业技能培训学校", PLACES) and not names_no_body("山西华夏企业管理咨询有限公司", PLACES)
    assert names_no_body("前型市高级技蒙", PLACES) and not names_no_body("安消康山西", frozenset())
    expected = {"issuing_authority": "山西省阳泉市公安消防支队", "institution_name": "阳泉市城区立信职业培训学校",
                "sponsor": "山西金桥教育科技有限公司"}
    for text, role in (("安消康山西", "issuing_authority"), ("桥场评公", "sponsor")):
        _, findings = check_seals([seal(text)], required_roles=[role], expected=expected,
                                  others=["山西省太原市公安消防支队", "忻州市忻府区金桥职业培训学校"], places=PLACES)
        assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")], text
    # glyphs shared with no name in order: another body's seal, or nothing that says whose
    _, findings = check_seals([seal("东风化工厂")], required_roles=["issuing_authority"], expected=expected, places=PLACES)
    assert [f.code for f in findings] == ["seal_mismatch"]


def test_a_ring_that_lost_its_place_s_name_names_no_body() -> None:
    """市公消防支队: the ring of 山西省临汾市公安消防支队 with 山西省临汾 lost, the signing line
    read as badly (山西宾协分市公安酒广支队: a generated certificate of seed 999). Opening with the
    place's 市 alone, it names no city: no proof another body stamped, a person looks. A ring that
    shares too little with the name in order is still a mismatch."""
    from checks.seals import names_no_body

    assert names_no_body("市公消防支队", PLACES) and names_no_body("区金桥职业培训学校", PLACES)
    assert not names_no_body("临汾市公安消防支队", PLACES)
    expected = {"issuing_authority": "山西宾协分市公安酒广支队", "institution_name": "临汾华晋技工学校", "sponsor": None}
    _, findings = check_seals([seal("市公消防支队")], required_roles=["issuing_authority"], expected=expected, places=PLACES)
    assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")]
    # glyphs of a body the name is not (a school's ring): still another body's seal
    _, findings = check_seals([seal("市第一职业中学校")], required_roles=["issuing_authority"], expected=expected, places=PLACES)
    assert [f.code for f in findings] == ["seal_mismatch"]


def test_a_misread_ring_nearer_the_name_s_internal_body_is_still_a_mismatch() -> None:
    """泉技工学校发全生厂派: the ring of 阳泉高级技工学校安全生产委员会办公室 read through print (a
    generated report, seed 888). It names no body, and shares five glyphs with the school's name,
    but seven with the school's safety committee's: the wrong seal was used, an error."""
    expected = {"issuing_authority": None, "institution_name": "阳泉高级技工学校", "sponsor": None}
    _, findings = check_seals([seal("泉技工学校发全生厂派")], required_roles=["institution_name"], expected=expected,
                              places=PLACES)
    assert [f.code for f in findings] == ["seal_mismatch"]
    # the name alone read as badly: a person looks
    _, findings = check_seals([seal("泉技工学发")], required_roles=["institution_name"], expected=expected, places=PLACES)
    assert [(f.code, f.severity) for f in findings] == [("low_confidence", "warning")]
