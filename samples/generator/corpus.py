"""Corpora of uploads with truth: `generate_corpus` (random, weighted) and `make_sample_batch` (curated).

Layout written under `out_dir`:

    inbox/<institution>/<file as uploaded>
    truth/<document_id>.json     (a later upload of the same bytes: truth/<document_id>_dup<N>.json)
    roster.csv                   (name,category,city,sponsor; includes institutions that sent nothing)

Determinism: one `random.Random(seed)` draws a 63-bit seed per document; each document then uses
its own `random.Random` and `numpy.random.default_rng` from that seed, so the same seed gives
byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from samples.generator import texts as T
from samples.generator.documents import (
    CERT,
    REPORT,
    UNKNOWN,
    DocPlan,
    plan_certificate,
    plan_report,
    plan_unknown,
)
from samples.generator.render import (
    DIGITAL_FORMATS,
    Capture,
    Rendered,
    render_plan,
    render_unreadable,
    sample_capture,
)
from samples.generator.truth import make_truth, order_codes

CERT_DEFECTS = {
    "missing_field": 1.0,
    "conclusion_not_passed": 0.9,
    "late_submission": 0.6,
    "missing_seal": 1.2,
    "seal_mismatch": 1.0,
    "seal_partial": 0.9,
    "invalid_field": 0.8,
    "institution_mismatch": 0.6,
}
REPORT_DEFECTS = {
    "missing_field": 1.0,
    "late_submission": 1.0,
    "missing_area": 1.2,
    "hazards_outstanding": 1.2,
    "missing_seal": 1.0,
    "seal_mismatch": 0.8,
    "seal_partial": 0.8,
    "institution_mismatch": 0.5,
}
SEAL_DEFECTS = ("missing_seal", "seal_mismatch", "seal_partial")
CERT_FORMATS = {
    "pdf_scan": 32,
    "jpeg_photo": 18,
    "jpeg_scan": 10,
    "pdf_photo": 10,
    "tiff_g4": 6,
    "png": 6,
    "pdf_text": 5,
    "docx": 3,
    "tiff_jpeg": 2,
}
REPORT_FORMATS = {
    "pdf_scan": 28,
    "pdf_text": 16,
    "docx": 12,
    "pdf_photo": 10,
    "tiff_g4": 9,
    "jpeg_photo": 7,
    "png": 5,
    "jpeg_scan": 5,
    "tiff_jpeg": 3,
}
UNKNOWN_FORMATS = {"pdf_scan": 4, "jpeg_photo": 3, "pdf_text": 1, "png": 1}
EXT = {
    "pdf_scan": "pdf",
    "pdf_photo": "pdf",
    "pdf_text": "pdf",
    "jpeg_scan": "jpg",
    "jpeg_photo": "jpg",
    "png": "png",
    "tiff_g4": "tif",
    "tiff_jpeg": "tif",
    "docx": "docx",
}


@dataclass
class CorpusMix:
    """Weights of what a corpus contains. `difficulty` 0..1 widens scan degradations (skew, noise, turns)."""

    clean: float = 0.5  # share of certificates/reports without any defect
    two_defects: float = 0.3  # share of defective documents that carry two defects
    unknown: float = 0.07  # not-a-submission files
    unreadable: float = 0.03
    duplicate: float = 0.03  # re-uploads of an earlier file (same bytes)
    media_mismatch: float = 0.04  # extension that lies
    difficulty: float = 0.5
    cert_defects: dict[str, float] = field(default_factory=lambda: dict(CERT_DEFECTS))
    report_defects: dict[str, float] = field(default_factory=lambda: dict(REPORT_DEFECTS))
    cert_formats: dict[str, float] = field(default_factory=lambda: dict(CERT_FORMATS))
    report_formats: dict[str, float] = field(default_factory=lambda: dict(REPORT_FORMATS))


@dataclass
class Upload:
    """One uploaded file: where it goes, its bytes and seal truth, and its expected findings."""

    institution: T.Institution
    name: str
    rendered: Rendered
    doc_type: str
    fields: dict[str, Any]
    codes: list[str]
    case: str
    plan: DocPlan | None = None
    seed: int | None = None  # the per-document seed it was drawn from


# ---------------------------------------------------------------- file names


def _when(rng: random.Random, plan: DocPlan | None) -> dt.datetime:
    """Pretend upload/scan time: after the document's own date, mostly in the last days of February."""
    start = dt.date(2024, 2, 18)
    if plan is not None:
        d = plan.fields.get("report_date") or plan.fields.get("issue_date")
        if d and dt.date.fromisoformat(str(d)) > start:
            start = dt.date.fromisoformat(str(d))
    day = start + dt.timedelta(days=rng.randint(0, 6))
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59)
    )


def _epoch_ms(ts: dt.datetime) -> int:
    """Milliseconds since the epoch for a Beijing wall-clock time, independent of the machine's time zone."""
    return int((ts - dt.timedelta(hours=8) - dt.datetime(1970, 1, 1)).total_seconds() * 1000)


def file_name(rng: random.Random, doc_type: str, fmt: str, when: dt.datetime, inst: T.Institution) -> str:
    """A file name as a scanner, phone or clerk would produce it."""
    ext = EXT[fmt]
    ts = when
    if fmt == "jpeg_photo":
        return rng.choice(
            (
                f"IMG_{ts:%Y%m%d_%H%M%S}.jpg",
                f"微信图片_{ts:%Y%m%d%H%M%S}.jpg",
                f"mmexport{_epoch_ms(ts)}.jpg",
                f"IMG_{ts:%Y%m%d_%H%M%S}.jpg",
            )
        )
    if fmt == "pdf_photo":
        return rng.choice(
            (
                f"扫描全能王 {ts:%Y-%m-%d %H.%M}.pdf",
                f"CamScanner {ts:%m-%d-%Y %H.%M}.pdf",
                f"扫描全能王 {ts:%Y-%m-%d %H.%M}.pdf",
            )
        )
    generic = {
        CERT: (
            "消防验收意见书",
            "消防验收合格证明",
            "消防验收",
            "建设工程消防验收意见书",
            f"{inst.name}消防验收意见书",
            "消防验收意见书（加盖举办单位公章）",
            "附件2：消防验收合格证明",
        ),
        REPORT: (
            "自查报告",
            "安全生产整治自查情况报告",
            f"{inst.name}自查报告",
            "自查报告（盖章版）",
            "附件1：安全生产整治自查报告",
            "关于安全生产整治行动自查情况的报告",
        ),
        UNKNOWN: ("通知", "关于转发安全生产整治行动方案的通知", "办学许可证", "签到表", "附件", "图片"),
    }[doc_type]
    scanner = (
        f"scan{rng.randint(1, 40):04d}",
        f"{ts:%Y%m%d%H%M%S}",
        f"SCAN_{ts:%Y%m%d}_{rng.randint(1, 99):03d}",
        f"Doc{rng.randint(1, 9)}",
    )
    if fmt in ("pdf_scan", "tiff_g4", "tiff_jpeg", "jpeg_scan") and rng.random() < 0.45:
        return f"{rng.choice(scanner)}.{ext}"
    if fmt == "pdf_scan" and rng.random() < 0.25:
        return f"扫描全能王 {ts:%Y-%m-%d %H.%M}.pdf"
    if fmt == "png" and rng.random() < 0.3:
        return f"屏幕截图 {ts:%Y-%m-%d %H%M%S}.png"
    return f"{rng.choice(generic)}.{ext}"


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    stem, dot, ext = name.rpartition(".")
    for i in range(1, 100):
        cand = f"{stem}({i}).{ext}" if dot else f"{name}({i})"
        if cand not in taken:
            return cand
    raise RuntimeError(name)


# ---------------------------------------------------------------- one document


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _defects(rng: random.Random, doc_type: str, mix: CorpusMix) -> tuple[str, ...]:
    if rng.random() < mix.clean:
        return ()
    weights = dict(mix.cert_defects if doc_type == CERT else mix.report_defects)
    out = [_pick(rng, weights)]
    if rng.random() < mix.two_defects:
        for k in list(weights):
            if k in out or (k in SEAL_DEFECTS and out[0] in SEAL_DEFECTS):
                weights.pop(k)
        out.append(_pick(rng, weights))
    return tuple(sorted(out))


def describe(plan: DocPlan, fmt: str, cap: Capture | None) -> str:
    """The truth's `case` text: what the document is, how it was captured, what it tests."""
    what = {CERT: "fire-acceptance certificate", REPORT: "self-inspection report"}.get(
        plan.doc_type, f"not a submission ({plan.layout})"
    )
    bits = [f"{what}, layout {plan.layout}, {fmt}"]
    if fmt == "pdf_text":
        bits.append("born-digital PDF with a text layer, seals as images")
    elif fmt == "docx":
        bits.append("Word document, seals as floating pictures")
    elif cap and cap.profiles:
        p = cap.profiles[0]
        look = {"scan": f"{p.mode} scan", "photo": "phone photo", "digital": "exported page image"}[p.kind]
        extras = []
        if p.kind == "scan" and abs(p.skew) >= 0.5:
            extras.append(f"skew {p.skew:+.1f}°")
        if p.turn:
            extras.append(f"turned {p.turn}°")
        if p.punch_holes:
            extras.append("punch holes")
        if p.shift != (0, 0):
            extras.append("scanner border")
        if cap.photocopy:
            extras.append("photocopy of the original (grey original seals)")
        bits.append(look + (" (" + ", ".join(extras) + ")" if extras else ""))
    if plan.intended:
        bits.append("defects: " + ", ".join(plan.intended))
    else:
        bits.append("clean" if plan.doc_type != UNKNOWN else "")
    detail = plan.meta.get("missing_role") or plan.meta.get("missing")
    if detail:
        bits.append(f"({detail} absent)")
    return "; ".join(b for b in bits if b)


def make_upload(
    seed: int,
    inst: T.Institution,
    roster: tuple[T.Institution, ...],
    doc_type: str,
    mix: CorpusMix,
    *,
    defects: tuple[str, ...] | None = None,
    fmt: str | None = None,
    unknown_kind: str | None = None,
    tweak: Any = None,
    capture_tweak: Any = None,
    name: str | None = None,
    case: str | None = None,
    accept: Any = None,
) -> Upload:
    """Plan, render and name one uploaded file (deterministic in `seed`).

    `accept(plan, rendered) -> bool` (curated cases) retries with seed+1, seed+2 ... until it holds.
    """
    for attempt in range(200):
        up = _make_upload_once(
            seed + attempt,
            inst,
            roster,
            doc_type,
            mix,
            defects,
            fmt,
            unknown_kind,
            tweak,
            capture_tweak,
            name,
            case,
        )
        if accept is None or accept(up):
            return up
    raise RuntimeError(f"no acceptable plan for {inst.name} {doc_type} {defects}")


def _make_upload_once(
    seed: int,
    inst: T.Institution,
    roster: tuple[T.Institution, ...],
    doc_type: str,
    mix: CorpusMix,
    defects: tuple[str, ...] | None,
    fmt: str | None,
    unknown_kind: str | None,
    tweak: Any,
    capture_tweak: Any,
    name: str | None,
    case: str | None,
) -> Upload:
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    if doc_type == UNKNOWN:
        fmt = fmt or _pick(rng, UNKNOWN_FORMATS)
        plan = plan_unknown(rng, inst, roster, unknown_kind, digital=fmt in DIGITAL_FORMATS)
        if plan.layout == "photo" and fmt not in ("jpeg_photo", "png"):
            fmt = "jpeg_photo"
    else:
        defects = _defects(rng, doc_type, mix) if defects is None else defects
        weights = mix.cert_formats if doc_type == CERT else mix.report_formats
        fmt = fmt or _pick(rng, weights)
        if "seal_partial" in defects and fmt in DIGITAL_FORMATS:
            fmt = "pdf_scan"  # an electronic seal is never cut by the page edge
        planner = plan_certificate if doc_type == CERT else plan_report
        plan = planner(rng, inst, roster, defects, digital=fmt in DIGITAL_FORMATS)
    if tweak:
        tweak(plan, rng)
    when = _when(rng, plan)
    cap = sample_capture(rng, fmt, mix.difficulty)
    if capture_tweak:
        capture_tweak(cap, rng)
    rendered = render_plan(plan, cap, rng, nprng, when)
    fname = name or file_name(rng, plan.doc_type, rendered.fmt, when, inst)
    return Upload(
        inst,
        fname,
        rendered,
        plan.doc_type,
        dict(plan.fields),
        _codes(plan),
        case or describe(plan, rendered.fmt, cap),
        plan,
        seed,
    )


def _codes(plan: DocPlan) -> list[str]:
    from samples.generator.truth import expected_findings

    return expected_findings(plan)


# ---------------------------------------------------------------- writing


def _write(out_dir: Path, uploads: list[Upload], roster: list[T.Institution]) -> list[Path]:
    inbox = out_dir / "inbox"
    truth_dir = out_dir / "truth"
    for d in (inbox, truth_dir):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    written: list[Path] = []
    keys: dict[str, Upload] = {}
    for up in uploads:
        key = f"{up.institution.name}/{up.name}"
        if key in keys:
            raise ValueError(f"two uploads with key {key}")
        keys[key] = up
        p = inbox / key
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(up.rendered.data)
        written.append(p)
    by_hash: dict[str, list[str]] = {}
    for key, up in keys.items():
        by_hash.setdefault(hashlib.sha256(up.rendered.data).hexdigest(), []).append(key)
    for h, ks in sorted(by_hash.items()):
        for i, key in enumerate(sorted(ks)):
            up = keys[key]
            codes = list(up.codes)
            case = up.case
            if i > 0 and "unreadable" not in codes:
                codes.append("duplicate_submission")
                case += f"; same bytes as {sorted(ks)[0]}"
            media = up.rendered.media_type
            if "unreadable" not in codes and _ext_media(up.name) not in (None, media):
                codes.append("media_type_mismatch")
            t = make_truth(
                key,
                up.rendered.data,
                up.institution.name,
                media,
                up.rendered.pages,
                up.doc_type,
                up.fields if "unreadable" not in codes else {},
                up.rendered.seals,
                order_codes(codes),
                case,
            )
            # the first upload (sorted key order) owns <id>.json; later copies sort after it
            name = f"{h}.json" if i == 0 else f"{h}_dup{i}.json"
            (truth_dir / name).write_text(
                json.dumps(t, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "category", "city", "sponsor"])
    for inst in roster:
        w.writerow([inst.name, inst.category, inst.city, inst.sponsor])
    (out_dir / "roster.csv").write_text(buf.getvalue(), encoding="utf-8")
    return written


_EXT_MEDIA = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "docx": "application/vnd.openxmlformats-officedocument." "wordprocessingml.document",
    "doc": "application/msword",
}


def _ext_media(name: str) -> str | None:
    ext = name.rpartition(".")[2].lower()
    return _EXT_MEDIA.get(ext)


def _mislabel(rng: random.Random, up: Upload) -> None:
    """Give the file an extension that lies about its bytes (scanner apps and re-saves do this)."""
    stem = up.name.rpartition(".")[0]
    m = up.rendered.media_type
    if m == "image/png":
        up.name = f"{stem}.pdf"
    elif m == "image/jpeg":
        up.name = f"{stem}.{rng.choice(('pdf', 'png'))}"
    elif m.endswith("document"):
        up.name = f"{stem}.doc"
    elif m == "image/tiff":
        up.name = f"{stem}.pdf"
    up.case += "; extension does not match the bytes"


# ---------------------------------------------------------------- corpus


def generate_corpus(
    out_dir: Path, *, count: int, seed: int, difficulty: float = 0.5, mix: CorpusMix | None = None
) -> list[Path]:
    """Write `count` uploaded files with truth and a roster under `out_dir`; returns the inbox files.

    Roughly `mix.clean` of the certificates and reports are clean; the rest carry one or two
    defects drawn from weighted tables; a few files are not submissions, unreadable, re-uploads or
    mislabelled. Same `seed` -> byte-identical output.
    """
    mix = mix or CorpusMix(difficulty=difficulty)  # an explicit mix carries its own difficulty
    rng = random.Random(seed)
    institutions = list(T.BASE_ROSTER)
    rng.shuffle(institutions)
    taken = {i.name for i in institutions}
    roster_all = tuple(institutions)
    silent = 1 if count < 8 else 2
    uploads: list[Upload] = []
    used: list[T.Institution] = []
    idx = 0
    while len(uploads) < count:
        if idx >= len(institutions) - silent:
            extra = T.synth_institution(rng, taken)
            taken.add(extra.name)
            institutions.insert(len(institutions) - silent, extra)
            roster_all = tuple(institutions)
        inst = institutions[idx]
        idx += 1
        used.append(inst)
        r = rng.random()
        kinds = (
            [CERT, REPORT]
            if r < 0.62
            else [REPORT]
            if r < 0.78
            else [CERT]
            if r < 0.95
            else [CERT, REPORT, UNKNOWN]
        )
        names: set[str] = set()
        for kind in kinds:
            if len(uploads) >= count:
                break
            doc_seed = rng.getrandbits(63)
            x = rng.random()
            if x < mix.unreadable:
                up = _unreadable_upload(doc_seed, inst, roster_all, kind if kind != UNKNOWN else REPORT, mix)
            else:
                k = UNKNOWN if x < mix.unreadable + mix.unknown else kind
                up = make_upload(doc_seed, inst, roster_all, k, mix)
                if rng.random() < mix.media_mismatch:
                    _mislabel(rng, up)
            up.name = _unique(up.name, names)
            names.add(up.name)
            uploads.append(up)
            if len(uploads) < count and rng.random() < mix.duplicate and up.rendered.data:
                dup = Upload(
                    up.institution,
                    _unique(_copy_name(up.name, rng), names),
                    up.rendered,
                    up.doc_type,
                    up.fields,
                    up.codes,
                    up.case + "; uploaded twice",
                )
                names.add(dup.name)
                uploads.append(dup)
    roster = used + [i for i in institutions if i not in used][:silent]
    return _write(out_dir, uploads[:count], roster)


def _copy_name(name: str, rng: random.Random) -> str:
    stem, _, ext = name.rpartition(".")
    return rng.choice((f"{stem}(1).{ext}", f"{stem} - 副本.{ext}", f"{stem}（盖章）.{ext}"))


def _unreadable_upload(
    seed: int,
    inst: T.Institution,
    roster: tuple[T.Institution, ...],
    doc_type: str,
    mix: CorpusMix,
    kind: str | None = None,
    name: str | None = None,
) -> Upload:
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    kind = kind or rng.choice(("empty", "corrupt", "encrypted"))
    plan = None
    if kind == "encrypted":
        plan = (plan_certificate if doc_type == CERT else plan_report)(rng, inst, roster, (), digital=True)
    r = render_unreadable(kind, rng, nprng, plan)
    when = _when(rng, None)
    fname = name or file_name(rng, doc_type, "pdf_scan", when, inst)
    if not fname.endswith(".pdf"):
        fname = fname.rpartition(".")[0] + ".pdf"
    case = {
        "empty": "unreadable: zero-byte upload",
        "corrupt": "unreadable: PDF header followed by garbage",
        "encrypted": "unreadable: password-protected PDF (user password set)",
    }[kind]
    return Upload(inst, fname, r, "unknown", {}, ["unreadable"], case, None, seed)


# ---------------------------------------------------------------- the curated sample batch


def _inst(name: str) -> T.Institution:
    return next(i for i in T.BASE_ROSTER if i.name == name)


def make_sample_batch(out_dir: Path) -> list[Path]:
    """The small committed batch (samples/batch/): one case per finding code, both document types,
    every file format, an unreadable file, a PNG named .pdf and a DOCX with a floating seal."""
    from samples.generator.batch_cases import batch_uploads

    uploads, roster = batch_uploads()
    return _write(out_dir, uploads, roster)
