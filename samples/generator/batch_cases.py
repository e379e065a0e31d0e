"""The curated sample batch committed under samples/batch/ (see samples/README.md for the table).

Fifteen uploads from eleven institutions (two more on the roster send nothing): a clean
certificate and a clean report, one case for every finding code, every file format. Each case is
a fixed seed plus a few pinned choices; `accept` retries the next seed until the drawn plan has
the property the case is about, so the batch is stable and still produced by the same code path
as the random corpus.
"""

from __future__ import annotations

import random
from typing import Any

from samples.generator import texts as T
from samples.generator.corpus import CorpusMix, Upload, _unreadable_upload, make_upload
from samples.generator.documents import CERT, REPORT, UNKNOWN, DocPlan, SealPlan
from samples.generator.render import Capture

BATCH_SEED = 20240229
SILENT = ("吕梁市技工学校", "朔州市职业技能公共实训基地")


def _inst(name: str) -> T.Institution:
    return next(i for i in T.BASE_ROSTER if i.name == name)


def _scan(
    mode: str = "color",
    skew: float = 0.0,
    turn: int = 0,
    shift: tuple[int, int] = (0, 0),
    holes: bool = False,
    photocopy: bool = False,
    quality: int = 72,
    noise: float = 2.5,
    first_page_only: bool = False,
) -> Any:
    def tweak(cap: Capture, rng: random.Random) -> None:
        cap.photocopy = photocopy
        cap.jpeg_quality = quality
        for i, p in enumerate(cap.profiles):
            if p.kind != "scan":
                continue
            p.mode, p.skew, p.shift, p.punch_holes, p.noise = (
                mode,
                skew + (0.2 * i if i else 0.0),
                shift,
                holes,
                noise,
            )
            p.turn = turn if (i == 0 or not first_page_only) else 0
            p.blur, p.streaks, p.light = 0.6, 0, 0.4
            if shift != (0, 0):
                p.frame_value = 45

    return tweak


def _photo(turn: int = 0, photocopy: bool = False) -> Any:
    def tweak(cap: Capture, rng: random.Random) -> None:
        cap.photocopy = photocopy
        cap.jpeg_quality = 74
        for p in cap.profiles:
            p.turn, p.perspective, p.photo_size = turn, 0.035, (1512, 2016)

    return tweak


def _one_page(up: Upload) -> bool:
    return up.rendered.pages == 1


def _fmt_is(fmt: str) -> Any:
    return lambda up: up.rendered.fmt == fmt


def batch_uploads() -> tuple[list[Upload], list[T.Institution]]:
    """Build the fifteen curated uploads and the roster (with two institutions that send nothing)."""
    mix = CorpusMix(difficulty=0.4)
    roster_t = T.BASE_ROSTER
    s = BATCH_SEED
    ups: list[Upload] = []

    # 1. clean certificate: letter-style 意见书, colour scan of the copy stamped by the sponsor
    def letter(plan: DocPlan, rng: random.Random) -> None:
        plan.layout = "letter"

    ups.append(
        make_upload(
            s + 100,
            _inst("阳泉高级技工学校"),
            roster_t,
            CERT,
            mix,
            defects=(),
            fmt="pdf_scan",
            tweak=letter,
            capture_tweak=_scan("color", skew=1.1),
            name="扫描全能王 2024-02-23 16.42.pdf",
            accept=lambda up: not up.plan.meta["police"]
            and "project_address" in up.fields
            and "building_area_m2" in up.fields
            and any(sp.note for sp in up.plan.seals)
            and _one_page(up),
            case="clean certificate: letter-style 建设工程消防验收意见书, fields inside the prose, "
            "addressee line = 建设单位; "
            "issuing authority seal over the date, sponsor seal with 与原件核对一致 on the copy; colour "
            "scan, skew 1.1°",
        )
    )

    # 2. clean one-page report saved as PNG but named .pdf
    def short_report(plan: DocPlan, rng: random.Random) -> None:
        plan.meta["sentences"] = {a: v[:1] for a, v in plan.meta["sentences"].items()}  # type: ignore[union-attr]
        plan.meta["table"] = False
        plan.meta["body_size"] = 32
        plan.meta["list_max"] = 2
        plan.meta["principal_printed"] = False
        plan.layout = "plain"
        plan.meta["geometry"].spacing = 1.42  # type: ignore[union-attr]
        plan.meta["geometry"].bottom = 140  # type: ignore[union-attr]
        plan.meta["geometry"].top = 130  # type: ignore[union-attr]

    ups.append(
        make_upload(
            s + 200,
            _inst("阳泉高级技工学校"),
            roster_t,
            REPORT,
            mix,
            defects=(),
            fmt="png",
            tweak=short_report,
            name="自查报告.pdf",
            accept=lambda up: _one_page(up)
            and up.rendered.fmt == "png"
            and up.rendered.media_type == "image/png",
            case="clean one-page self-inspection report; the bytes are a PNG but the name says .pdf "
            "(media_type_mismatch, info)",
        )
    )

    # 3./4. the forwarded notice itself, uploaded by two institutions (same bytes)
    notice = make_upload(
        s + 300,
        _inst("阳泉高级技工学校"),
        roster_t,
        UNKNOWN,
        mix,
        fmt="pdf_scan",
        unknown_kind="notice",
        capture_tweak=_scan("grey", skew=-0.6),
        name="关于转发安全生产整治行动方案的通知.pdf",
        case="not a submission: the city bureau's forwarding notice 阳人社函〔2024〕 (red head, bureau "
        "seal), grey scan",
    )
    ups.append(notice)
    other = _inst("阳泉市职业技能鉴定中心")
    ups.append(
        Upload(
            other,
            notice.name,
            notice.rendered,
            UNKNOWN,
            {},
            list(notice.codes),
            notice.case + "; the same bytes are also uploaded by 阳泉高级技工学校",
            notice.plan,
            notice.seed,
        )
    )

    # 5. seal_mismatch: the trade union's seal instead of the sponsor's, phone photo
    def union_seal(plan: DocPlan, rng: random.Random) -> None:
        for sp in plan.seals:
            if sp.stage == "copy":
                sp.text, sp.sub_text, sp.shape, sp.note = "大同技师学院工会委员会", None, "round", True
                sp.width = sp.height = 330

    ups.append(
        make_upload(
            s + 400,
            _inst("大同技师学院"),
            roster_t,
            CERT,
            mix,
            defects=("seal_mismatch",),
            fmt="jpeg_photo",
            tweak=union_seal,
            capture_tweak=_photo(),
            name="IMG_20240226_153012.jpg",
            accept=lambda up: _one_page(up)
            and up.rendered.fmt == "jpeg_photo"
            and not up.plan.meta["police"],
            case="seal_mismatch: the copy carries 大同技师学院工会委员会 (trade union) instead of the "
            "sponsor "
            "大同市人力资源和社会保障局; phone photo with perspective",
        )
    )

    # 6. missing_area: DOCX with a floating seal picture
    ups.append(
        make_upload(
            s + 500,
            _inst("长治市职业技能培训中心"),
            roster_t,
            REPORT,
            mix,
            defects=("missing_area",),
            fmt="docx",
            name="安全生产整治自查情况报告.docx",
            accept=lambda up: len(up.fields.get("areas_covered", [])) == 5,
            case="missing_area: a Word report that leaves out one of the six focus areas; the seal is a "
            "floating picture",
        )
    )

    # 7. hazards_outstanding: multi-page G4 TIFF with a hazard table
    def table(plan: DocPlan, rng: random.Random) -> None:
        plan.meta["table"] = True
        plan.layout = "redhead"

    ups.append(
        make_upload(
            s + 600,
            _inst("晋中市高级技工学校"),
            roster_t,
            REPORT,
            mix,
            defects=("hazards_outstanding",),
            fmt="tiff_g4",
            tweak=table,
            capture_tweak=_scan("bw", skew=0.4),
            name="scan0001.tif",
            accept=lambda up: up.rendered.pages >= 2 and int(up.fields.get("hazards_found", 0)) <= 12,
            case="hazards_outstanding: red-headed 文件-style report with a hazard table, found > rectified; "
            "1-bit G4 multi-page TIFF",
        )
    )

    # 8. seal_partial: police-era certificate, photocopied (grey original seal), sponsor seal cut by the edge
    def partial_sponsor(plan: DocPlan, rng: random.Random) -> None:
        for sp in plan.seals:
            if sp.stage == "copy":
                sp.partial_side = "right"
                sp.shape, sp.width, sp.height, sp.star = "oval", 360, 250, True
            else:
                sp.partial_side = None

    ups.append(
        make_upload(
            s + 700,
            _inst("山西焦煤技师学院"),
            roster_t,
            CERT,
            mix,
            defects=("seal_partial",),
            fmt="pdf_scan",
            tweak=partial_sponsor,
            capture_tweak=_scan("color", skew=-0.8, photocopy=True),
            name="消防验收意见书.pdf",
            accept=lambda up: bool(up.plan.meta["police"]) and _one_page(up),
            case="seal_partial: a 公安消防支队 opinion from before the 2019 reform, photocopied (its seal "
            "grey), stamped by the sponsor 山西焦煤集团 "
            "with an oval seal that hangs over the right page edge",
        )
    )

    # 9. conclusion_not_passed: JPEG scan
    ups.append(
        make_upload(
            s + 800,
            _inst("潞安技师学院"),
            roster_t,
            CERT,
            mix,
            defects=("conclusion_not_passed",),
            fmt="jpeg_scan",
            capture_tweak=_scan("color", skew=2.2, quality=68),
            name="微信图片_20240227101530.jpg",
            accept=lambda up: _one_page(up) and up.rendered.fmt == "jpeg_scan",
            case="conclusion_not_passed: the opinion lists defects and concludes 不合格; colour JPEG scan, "
            "skew 2.2°",
        )
    )

    # 10. institution_mismatch: report copied from another institution's template, sealed by the right one
    ups.append(
        make_upload(
            s + 900,
            _inst("阳泉市职业技能鉴定中心"),
            roster_t,
            REPORT,
            mix,
            defects=("institution_mismatch",),
            fmt="pdf_scan",
            capture_tweak=_scan("grey", skew=0.7, turn=180, first_page_only=True),
            name="自查报告（盖章版）.pdf",
            accept=lambda up: up.rendered.pages >= 2,
            case="institution_mismatch: the report names another evaluation institution (copied template) "
            "but carries "
            "the folder institution's own seal; grey scan, first page upside down",
        )
    )

    # 11. missing_field: no 文号, phone photos assembled by a scanner app
    ups.append(
        make_upload(
            s + 1000,
            _inst("晋城技师学院"),
            roster_t,
            CERT,
            mix,
            defects=("missing_field",),
            fmt="pdf_photo",
            capture_tweak=_photo(),
            name="CamScanner 02-28-2024 09.12.pdf",
            accept=lambda up: "document_number" not in up.fields and _one_page(up),
            case="missing_field: the opinion has no 文号 (document_number); phone photo wrapped in a "
            "scanner-app PDF",
        )
    )

    # 12. late_submission: born-digital report dated in March
    ups.append(
        make_upload(
            s + 1100,
            _inst("晋城技师学院"),
            roster_t,
            REPORT,
            mix,
            defects=("late_submission",),
            fmt="pdf_text",
            name="自查报告.pdf",
            case="late_submission: report dated after 2024-02-29; born-digital PDF with a Chinese text "
            "layer, "
            "electronic seal as an image",
        )
    )

    # 13. invalid_field: 文号 year differs from the issue date's year
    ups.append(
        make_upload(
            s + 1200,
            _inst("运城市技工学校"),
            roster_t,
            CERT,
            mix,
            defects=("invalid_field",),
            fmt="pdf_scan",
            capture_tweak=_scan("color", skew=-1.6, shift=(18, -14), holes=True),
            name="20240227102233.pdf",
            accept=lambda up: _one_page(up) and not up.plan.meta["police"],
            case="invalid_field: 文号 year differs from the issue-date year; colour scan with a dark "
            "scanner border, "
            "punch holes, skew -1.6°",
        )
    )

    # 14. missing_seal: the sponsor never stamped the copy; greyscale JPEG stored turned 90°
    def no_sponsor(plan: DocPlan, rng: random.Random) -> None:
        plan.meta["missing_role"] = "sponsor"
        plan.seals = [sp for sp in plan.seals if sp.stage != "copy"]
        if not any(sp.stage == "original" for sp in plan.seals):
            plan.seals.append(
                SealPlan(
                    text=str(plan.meta["issuer"]), width=330, height=330, sub_text="建设工程消防验收专用章"
                )
            )

    ups.append(
        make_upload(
            s + 1300,
            _inst("忻州市交通技工学校"),
            roster_t,
            CERT,
            mix,
            defects=("missing_seal",),
            fmt="jpeg_scan",
            tweak=no_sponsor,
            capture_tweak=_scan("grey", skew=0.3, turn=90, quality=70),
            name="消防验收.jpg",
            accept=lambda up: _one_page(up) and up.rendered.fmt == "jpeg_scan",
            case="missing_seal: only the issuing authority's seal, no sponsor seal on the copy; greyscale "
            "JPEG stored "
            "turned 90° clockwise",
        )
    )

    # 15. unreadable: a password-protected PDF
    ups.append(
        _unreadable_upload(
            s + 1400,
            _inst("太原市高级技工学校"),
            roster_t,
            REPORT,
            mix,
            kind="encrypted",
            name="自查报告.pdf",
        )
    )

    # every pinned case must show exactly the code it is about (plus the batch-level info codes)
    for up in ups:
        if up.plan is not None and up.plan.intended:
            assert up.codes == [c for c in up.codes if c in up.plan.intended] and set(up.codes) == set(
                up.plan.intended
            ), (up.name, up.codes, up.plan.intended)
    names = []
    for up in ups:
        if up.institution not in names:
            names.append(up.institution)
    roster = names + [_inst(n) for n in SILENT]
    return ups, roster
