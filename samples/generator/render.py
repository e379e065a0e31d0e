"""Render a plan into the bytes of one uploaded file, with the seal truth in stored-pixel terms.

Raster path: layout ops -> page image -> original seals -> (photocopy) -> copy seals and pen notes
-> capture (scan / phone photo) -> encode (JPEG, PNG, TIFF, image PDF). Digital path: the same ops
as real PDF text (reportlab) or as Word paragraphs and tables (python-docx), seals as images.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image

from samples.generator import formats as F
from samples.generator import texts as T
from samples.generator.documents import CERT, REPORT, DocPlan, SealPlan, build_blocks
from samples.generator.layouts import (
    DPI,
    INK,
    PAGE_H,
    PAGE_W,
    FontSet,
    PageLayout,
    TextOp,
    paginate,
    rasterize,
)
from samples.generator.scan_effects import ScanProfile, bbox_of, clip_to_page, photocopy, scan_page
from samples.generator.seal_render import (
    GREY_INK,
    RED_INKS,
    InkLayer,
    SealStyle,
    render_handwriting,
    render_seal,
    stamp,
)
from samples.generator.truth import seal_role

RASTER_FORMATS = ("pdf_scan", "pdf_photo", "jpeg_scan", "jpeg_photo", "png", "tiff_g4", "tiff_jpeg")
DIGITAL_FORMATS = ("pdf_text", "docx")
SINGLE_PAGE_FORMATS = ("jpeg_scan", "jpeg_photo", "png")
PEN_INKS = ((28, 38, 110), (20, 20, 30), (35, 45, 95))


@dataclass
class Capture:
    """How the pages are captured and stored. Profiles are per page (small variations between pages)."""

    fmt: str
    profiles: list[ScanProfile]
    photocopy: bool = False
    pdf_dpi: float = DPI  # image PDFs: page size = pixels / pdf_dpi inches
    jpeg_quality: int = 75
    producer: str = "intsig.com pdf producer"
    camera: tuple[str, str] | None = None


@dataclass
class Rendered:
    """The bytes of one file plus what the truth needs (media type, pages, seals)."""

    data: bytes
    media_type: str
    pages: int
    seals: list[dict[str, Any]]
    page_sizes: list[tuple[int, int]] = field(default_factory=list)  # as the pipeline sees them
    fmt: str = ""  # the format actually written (a multi-page document never goes into one JPEG/PNG)


# ---------------------------------------------------------------- capture profiles


def sample_capture(rng: random.Random, fmt: str, difficulty: float, n_pages: int = 3) -> Capture:
    """Draw how a document is scanned/photographed; `difficulty` 0..1 widens the degradations."""
    d = max(0.0, min(1.0, difficulty))
    photocopy_ = rng.random() < 0.12 + 0.1 * d
    if fmt in ("jpeg_photo", "pdf_photo"):
        size = rng.choice(((1512, 2016), (1440, 1920), (1200, 1600)))
        base = ScanProfile(
            kind="photo",
            perspective=rng.uniform(0.01, 0.025 + 0.025 * d),
            photo_size=size,
            light=rng.uniform(0, 0.6 + 0.6 * d),
            blur=rng.uniform(0.5, 0.8 + 0.8 * d),
            noise=rng.uniform(2, 4 + 4 * d),
            paper=(250, 248, 242),
        )
        if rng.random() < 0.1 + 0.1 * d and fmt == "jpeg_photo":
            base.turn = rng.choice((90, 270))
        profs = [_vary(base, rng) for _ in range(n_pages)]
        return Capture(
            fmt,
            profs,
            photocopy_,
            pdf_dpi=size[0] / 8.27,
            jpeg_quality=rng.randint(60, 82),
            camera=rng.choice(
                (
                    ("HUAWEI", "ELE-AL00"),
                    ("Xiaomi", "M2012K11AC"),
                    ("OPPO", "PDEM10"),
                    ("vivo", "V2055A"),
                    ("Apple", "iPhone 12"),
                )
            ),
        )
    if fmt == "png" and rng.random() < 0.5:  # a page exported or screenshotted as an image: no capture noise
        return Capture(fmt, [ScanProfile(kind="digital") for _ in range(n_pages)], False)
    if fmt in ("tiff_g4",):
        mode = "bw"
    elif fmt == "tiff_jpeg":
        mode = "grey"
    elif fmt == "png":
        mode = "bw"
    else:
        mode = rng.choices(("color", "grey"), weights=(6, 4))[0]
    dark_frame = rng.random() < 0.35
    base = ScanProfile(
        kind="scan",
        mode=mode,
        skew=float(np.clip(rng.gauss(0, 0.6 + 1.0 * d), -3, 3)),
        shift=(rng.randint(-22, 22), rng.randint(-22, 22)) if rng.random() < 0.3 + 0.3 * d else (0, 0),
        frame_value=rng.randint(25, 70) if dark_frame else rng.randint(225, 250),
        blur=rng.uniform(0.3, 0.6 + 0.7 * d),
        noise=rng.uniform(1.0, 2.5 + 3.0 * d) if mode != "bw" else 2.0,
        light=rng.uniform(0, 0.5 + 1.0 * d),
        streaks=rng.choice((0, 0, 0, 1, 2)) if rng.random() < 0.25 + 0.3 * d else 0,
        punch_holes=rng.random() < 0.08 + 0.1 * d,
        contrast=rng.uniform(1.0, 1.15),
        paper=rng.choice(((253, 252, 249), (250, 249, 245), (248, 246, 240), (255, 255, 255))),
    )
    r = rng.random()
    if r < 0.03 + 0.06 * d:
        base.turn = 180
    elif r < 0.05 + 0.1 * d:
        base.turn = rng.choice((90, 270))
    profs = [_vary(base, rng) for _ in range(n_pages)]
    q = rng.randint(50, 85) if fmt != "png" else 0
    producer = rng.choice(
        (
            "intsig.com pdf producer",
            "Canon iR-ADV C5535 PDF",
            "KONICA MINOLTA bizhub C368",
            "HP Scan",
            "RICOH MP 2014ad",
        )
    )
    return Capture(fmt, profs, photocopy_, jpeg_quality=q, producer=producer)


def _vary(p: ScanProfile, rng: random.Random) -> ScanProfile:
    q = ScanProfile(**{k: getattr(p, k) for k in p.__dataclass_fields__})
    if q.kind == "scan":
        q.skew = float(np.clip(q.skew + rng.gauss(0, 0.3), -3, 3))
    return q


# ---------------------------------------------------------------- seals on the page


def seal_style(sp: SealPlan, grey: bool, crisp: bool = False) -> SealStyle:
    """How a planned seal is inked (grey for photocopied originals, crisp for electronic seals)."""
    return SealStyle(
        shape=sp.shape,
        text=sp.text,
        sub_text=sp.sub_text,
        code=sp.code,
        width=sp.width,
        height=sp.height,
        font="song_bold" if sp.shape != "square" else "song",
        double_ring=sp.double_ring,
        star=sp.star if sp.shape != "square" else False,
        inverse=sp.inverse,
        color=GREY_INK if grey else RED_INKS[sp.ink % len(RED_INKS)],
        strength=sp.strength,
        rotation=sp.rotation,
        crisp=crisp,
    )


def _signature_box(page: PageLayout) -> tuple[float, float, float, float] | None:
    a = page.anchors
    if "signature" in a and "signature_name" in a:
        n, d = a["signature_name"], a["signature"]
        return (min(n[0], d[0]), n[1], max(n[2], d[2]), d[3])
    return a.get("signature") or a.get("signature_name")


def _signature_page(pages: list[PageLayout]) -> int:
    for i in range(len(pages) - 1, -1, -1):
        if _signature_box(pages[i]):
            return i
    return len(pages) - 1


def place_seal(
    sp: SealPlan,
    size: tuple[int, int],
    pages: list[PageLayout],
    rng: random.Random,
    taken: list[tuple[int, float, float]],
) -> tuple[int, float, float]:
    """Choose page and top-left of a seal layer of `size` (w, h); returns (page index, x, y)."""
    w, h = size
    pi = _signature_page(pages)
    page = pages[pi]
    box = _signature_box(page)
    if sp.where == "signature" and box:
        cx = (box[0] + box[2]) / 2 + rng.uniform(-50, 50)
        cy = (box[1] + box[3]) / 2 + rng.uniform(-30, 40)
    elif sp.where == "personal":
        a = page.anchors.get("principal")
        if a:
            cx, cy = a[2] + w * 0.7 + rng.uniform(0, 60), (a[1] + a[3]) / 2 + rng.uniform(-10, 10)
        elif box:
            cx, cy = box[0] - w * 0.9 - rng.uniform(20, 120), (box[1] + box[3]) / 2 + rng.uniform(-40, 40)
        else:
            cx, cy = PAGE_W * 0.3, PAGE_H * 0.8
    else:  # a copy stamp: free space under the content, else over the lower text
        free = PAGE_H - 140 - page.content_bottom
        for _ in range(30):
            if free > h + 60:
                cy = page.content_bottom + rng.uniform(h / 2 + 20, free - h / 2 + 40)
            else:
                cy = rng.uniform(PAGE_H * 0.5, PAGE_H - 200 - h / 2)
            cx = rng.uniform(w / 2 + 160, PAGE_W - w / 2 - 160)
            if all(p != pi or math.hypot(cx - x, cy - y) > 0.9 * max(w, h) for p, x, y in taken):
                break
    if sp.partial_side:
        r_x, r_y = w / 2 * 0.92, h / 2 * 0.92
        k = rng.uniform(-0.1, 0.4)
        if sp.partial_side == "bottom":
            cy = PAGE_H - k * r_y
        elif sp.partial_side == "top":
            cy = k * r_y
        elif sp.partial_side == "right":
            cx = PAGE_W - k * r_x
        else:
            cx = k * r_x
    else:  # keep whole seals well inside the page, even after skew and a shifted scan
        m = 105  # > worst-case displacement by a 3° skew plus a shifted scan
        cx = min(max(cx, w / 2 + m), PAGE_W - w / 2 - m)
        cy = min(max(cy, h / 2 + m), PAGE_H - h / 2 - m)
    taken.append((pi, cx, cy))
    return pi, cx - w / 2, cy - h / 2


def _form_signature(pages: list[PageLayout], plan: DocPlan, fonts: FontSet, size: int) -> None:
    """Write the acceptance department's name and date into the tall bottom cell of a form."""
    for p in pages:
        a = p.anchors.get("form_sign")
        if not a:
            continue
        lines = plan.meta.get("form_sign_lines", [])
        x1, y1 = a[2] - 80, a[3] - 60
        fk = fonts.get("body")
        from samples.generator.layouts import text_width

        y = y1 - (len(lines) - 1) * size * 1.7
        xs, ys = [], []
        for line in lines:  # type: ignore[union-attr]
            w = text_width(fk, size, line)
            p.ops.append(TextOp(x1 - w, y, fk, size, line, INK))
            xs += [x1 - w, x1]
            ys += [y - size, y + size * 0.3]
            y += size * 1.7
        p.ops.append(
            TextOp(
                a[0] + 40,
                a[1] + 80,
                fk,
                size,
                "同意通过消防验收。"
                if plan.fields.get("acceptance_conclusion", "合格") == "合格"
                else "不同意通过消防验收。",
                INK,
            )
        )
        p.anchors["signature"] = (min(xs), min(ys), max(xs), max(ys))


# ---------------------------------------------------------------- main entry

MAX_PAGES = 3


def _layout(plan: DocPlan, rng: random.Random) -> tuple[list, list[PageLayout]]:
    """Blocks and pages of a plan, shortened (never truncated) until it fits in MAX_PAGES pages.

    Only wording changes (fewer sentences per area, a short hazard list instead of the table, a
    smaller face), never a printed field, so the truth stays valid.
    """
    fonts: FontSet = plan.meta["fonts"]  # type: ignore[assignment]
    shrink = [
        lambda m: m.__setitem__("sentences", {a: v[:1] for a, v in m["sentences"].items()}),
        lambda m: m.__setitem__("table", False),
        lambda m: m.__setitem__("body_size", 34),
    ]
    while True:
        blocks = build_blocks(plan, rng)
        pages = paginate(blocks, plan.meta["geometry"], fonts)  # type: ignore[arg-type]
        if len(pages) <= MAX_PAGES or plan.doc_type != REPORT or not shrink:
            return blocks, pages
        shrink.pop(0)(plan.meta)


def render_plan(
    plan: DocPlan, capture: Capture, rng: random.Random, nprng: np.random.Generator, when: dt.datetime
) -> Rendered:
    """Render `plan` as the file `capture.fmt` describes."""
    fonts: FontSet = plan.meta["fonts"]  # type: ignore[assignment]
    if plan.layout == "photo":
        return _render_scene_photo(plan, capture, rng, nprng, when)
    blocks, pages = _layout(plan, rng)
    if plan.doc_type == CERT and plan.layout == "form":
        _form_signature(pages, plan, fonts, 40)
    if capture.fmt in SINGLE_PAGE_FORMATS and len(pages) > 1:
        capture.fmt = {"jpeg_photo": "pdf_photo", "jpeg_scan": "pdf_scan", "png": "pdf_scan"}[capture.fmt]
    if capture.fmt == "docx":
        out = _render_docx(plan, blocks, fonts, rng, nprng, when)
    elif capture.fmt == "pdf_text":
        out = _render_text_pdf(plan, pages, rng, nprng)
    else:
        out = _render_raster(plan, pages, capture, rng, nprng, when)
    out.fmt = capture.fmt
    return out


def _seal_truth(sp: SealPlan, plan: DocPlan, page: int, bbox: list[int], grey: bool) -> dict[str, Any]:
    return {
        "page": page,
        "bbox": bbox,
        "shape": sp.shape,
        "text": sp.text,
        "sub_text": sp.sub_text,
        "role": seal_role(sp, plan),
        "partial": sp.partial,
        "color": "grey" if grey else "red",
    }


def _note_layer(rng: random.Random, nprng: np.random.Generator, when: dt.datetime) -> list[InkLayer]:
    ink = rng.choice(PEN_INKS)
    out = [render_handwriting("与原件核对一致", rng.randint(44, 58), ink, nprng, slant=rng.uniform(-6, 4))]
    if rng.random() < 0.6:
        out.append(
            render_handwriting(
                f"{when.year}.{when.month}.{when.day}",
                rng.randint(36, 46),
                ink,
                nprng,
                slant=rng.uniform(-5, 5),
            )
        )
    if rng.random() < 0.5:
        out.append(
            render_handwriting(T.person(rng), rng.randint(46, 60), ink, nprng, slant=rng.uniform(-8, 2))
        )
    return out


def _render_raster(
    plan: DocPlan,
    pages: list[PageLayout],
    cap: Capture,
    rng: random.Random,
    nprng: np.random.Generator,
    when: dt.datetime,
) -> Rendered:
    n = len(pages)
    profiles = (cap.profiles * n)[:n]
    if cap.fmt == "pdf_photo":  # the app fits the photo to an A4-wide page
        cap.pdf_dpi = profiles[0].photo_size[0] / 8.27
    taken: list[tuple[int, float, float]] = []
    placed: list[tuple[SealPlan, InkLayer, int, float, float, bool]] = []
    for sp in plan.seals:
        grey = cap.photocopy and sp.stage == "original"
        layer = render_seal(seal_style(sp, grey=False), nprng)
        pi, x, y = place_seal(sp, layer.size, pages, rng, taken)
        placed.append((sp, layer, pi, x, y, grey))
    images: list[Image.Image] = []
    truth: list[dict[str, Any]] = []
    for pi, page in enumerate(pages):
        img = np.array(rasterize(page))
        outlines: list[np.ndarray] = []
        owners: list[tuple[SealPlan, bool]] = []
        for sp, layer, p, x, y, _ in placed:
            if p == pi and sp.stage == "original":
                outlines.append(clip_to_page(stamp(img, layer, x, y), PAGE_W, PAGE_H))
                owners.append((sp, cap.photocopy))
        if cap.photocopy:
            img = photocopy(img, nprng)
        for sp, layer, p, x, y, _ in placed:
            if p == pi and sp.stage == "copy":
                outlines.append(clip_to_page(stamp(img, layer, x, y), PAGE_W, PAGE_H))
                owners.append((sp, False))
                if sp.note:
                    _stamp_notes(img, layer, x, y, rng, nprng, when)
        prof = profiles[pi]
        out, pts = scan_page(img, outlines, prof, nprng)
        scale = 1.0
        if cap.fmt == "pdf_photo":
            scale = DPI / cap.pdf_dpi
        images.append(out)
        grey_mode = out.mode != "RGB"
        for (sp, grey), p in zip(owners, pts, strict=True):
            bb = bbox_of(p, out.width, out.height)
            if scale != 1.0:
                bb = [
                    int(math.floor(bb[0] * scale)),
                    int(math.floor(bb[1] * scale)),
                    min(int(math.ceil(bb[2] * scale)), round(out.width * scale)),
                    min(int(math.ceil(bb[3] * scale)), round(out.height * scale)),
                ]
            truth.append(_seal_truth(sp, plan, pi + 1, bb, grey or grey_mode))
    return _encode(images, cap, when, truth)


def _stamp_notes(
    img: np.ndarray,
    seal: InkLayer,
    x: float,
    y: float,
    rng: random.Random,
    nprng: np.random.Generator,
    when: dt.datetime,
) -> None:
    notes = _note_layer(rng, nprng, when)
    sw, sh = seal.size
    side = rng.choice(("left", "right", "below"))
    yy = y + sh * rng.uniform(0.15, 0.45)
    for lay in notes:
        w, h = lay.size
        if side == "left":
            xx = max(40, x - w + sw * 0.25)
        elif side == "right":
            xx = min(PAGE_W - w - 40, x + sw * 0.75)
        else:
            xx = x + rng.uniform(-60, 60)
        if side == "below":
            yy = max(yy, y + sh * 0.8)
        stamp(img, lay, xx, min(yy, PAGE_H - h - 30))
        yy += h * 0.85


def _encode(
    images: list[Image.Image], cap: Capture, when: dt.datetime, truth: list[dict[str, Any]]
) -> Rendered:
    fmt = cap.fmt
    if fmt in ("jpeg_scan", "jpeg_photo"):
        img = images[0]
        data = F.encode_jpeg(
            img,
            cap.jpeg_quality,
            when=when if cap.camera else None,
            camera=cap.camera,
            dpi=None if cap.camera else DPI,
        )
        return Rendered(data, F.MEDIA["jpeg"], 1, truth, [img.size])
    if fmt == "png":
        img = images[0]
        if (
            cap.profiles[0].kind == "digital"
        ):  # an exported page has few colours: a palette PNG like real exports
            img = img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        return Rendered(F.encode_png(img), F.MEDIA["png"], 1, truth, [images[0].size])
    if fmt in ("tiff_g4", "tiff_jpeg"):
        data = F.encode_tiff(images, "group4" if fmt == "tiff_g4" else "jpeg", cap.jpeg_quality or 75)
        return Rendered(data, F.MEDIA["tiff"], len(images), truth, [i.size for i in images])
    dpi = cap.pdf_dpi if fmt == "pdf_photo" else DPI
    pages = [F.pdf_image_page(im, cap.jpeg_quality or 75, dpi) for im in images]
    data = F.write_image_pdf(pages, cap.producer, when)
    sizes = [(round(im.width * DPI / dpi), round(im.height * DPI / dpi)) for im in images]
    return Rendered(data, F.MEDIA["pdf"], len(images), truth, sizes)


def _render_text_pdf(
    plan: DocPlan,
    pages: list[PageLayout],
    rng: random.Random,
    nprng: np.random.Generator,
    encrypt: str | None = None,
) -> Rendered:
    taken: list[tuple[int, float, float]] = []
    placed: list[F.PlacedImage] = []
    truth: list[dict[str, Any]] = []
    for sp in plan.seals:
        layer = render_seal(seal_style(sp, grey=False, crisp=True), nprng)
        pi, x, y = place_seal(sp, layer.size, pages, rng, taken)
        placed.append(F.PlacedImage(pi, round(x), round(y), layer.to_pil()))
        pts = clip_to_page(layer.outline + np.array([round(x), round(y)], np.float32), PAGE_W, PAGE_H)
        truth.append(_seal_truth(sp, plan, pi + 1, bbox_of(pts, PAGE_W, PAGE_H), False))
    title = next((op.text for op in pages[0].ops if isinstance(op, TextOp)), "")
    data = F.write_text_pdf(pages, placed, title=title, author=plan.institution.name[:6], encrypt=encrypt)
    return Rendered(data, F.MEDIA["pdf"], len(pages), truth, [(PAGE_W, PAGE_H)] * len(pages))


def _render_docx(
    plan: DocPlan,
    blocks: list,
    fonts: FontSet,
    rng: random.Random,
    nprng: np.random.Generator,
    when: dt.datetime,
) -> Rendered:
    pics: list[F.DocxPicture] = []
    truth: list[dict[str, Any]] = []
    for sp in plan.seals:
        layer = render_seal(seal_style(sp, grey=False, crisp=True), nprng)
        im = layer.to_pil()
        png = F.encode_png(im, dpi=DPI)
        anchor = "principal" if sp.where == "personal" else "signature"
        if sp.where == "personal" and not any(getattr(b, "anchor", None) == "principal" for b in blocks):
            anchor = "signature"
        dx = (1228 - im.width) * rng.uniform(0.55, 0.8) if sp.where != "personal" else rng.uniform(500, 800)
        pics.append(F.DocxPicture(anchor, png, im.width, dx, -im.height * rng.uniform(0.45, 0.65)))
        truth.append(_seal_truth(sp, plan, 1, [0, 0, im.width, im.height], False))
    data = F.write_docx(blocks, fonts, pics, author=plan.institution.name[:6], when=when,
                        cell_lines={"form_sign": list(plan.meta.get("form_sign_lines", []))})
    return Rendered(data, F.MEDIA["docx"], 1, truth, [])


def _render_scene_photo(
    plan: DocPlan, cap: Capture, rng: random.Random, nprng: np.random.Generator, when: dt.datetime
) -> Rendered:
    """A phone photo of a corridor with a fire extinguisher and an exit sign: not a document at all."""
    w, h = 1512, 2016
    img = np.zeros((h, w, 3), np.float32)
    wall = np.array(rng.choice(((225, 218, 200), (210, 215, 220), (235, 230, 215))), np.float32)
    floor = np.array(rng.choice(((150, 140, 130), (120, 110, 100), (170, 165, 160))), np.float32)
    horizon = int(h * rng.uniform(0.62, 0.72))
    img[:horizon] = wall
    img[horizon:] = floor
    cv2.rectangle(img, (0, horizon - 30), (w, horizon), (90, 90, 95), -1)
    ex_x, ex_y = int(w * rng.uniform(0.3, 0.6)), horizon - 40
    cv2.rectangle(img, (ex_x, ex_y - 520), (ex_x + 170, ex_y), (40, 40, 200)[::-1], -1)
    cv2.ellipse(img, (ex_x + 85, ex_y - 520), (85, 30), 0, 180, 360, (200, 40, 40), -1)
    cv2.rectangle(img, (ex_x + 55, ex_y - 600), (ex_x + 115, ex_y - 540), (30, 30, 30), -1)
    cv2.rectangle(img, (ex_x + 30, ex_y - 380), (ex_x + 140, ex_y - 250), (235, 235, 235), -1)
    sx, sy = int(w * 0.55), int(h * 0.12)
    cv2.rectangle(img, (sx, sy), (sx + 520, sy + 190), (30, 150, 80), -1)
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    from PIL import ImageDraw

    from samples.generator.layouts import font

    ImageDraw.Draw(pil).text(
        (sx + 260, sy + 95), "安全出口", font=font("hei_bold", 110), fill=(245, 245, 245), anchor="mm"
    )
    arr = np.asarray(pil).astype(np.float32)
    gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    arr *= (1 - 0.35 * (gx**2 + gy**2) / 2)[:, :, None]
    arr = cv2.GaussianBlur(arr, (0, 0), 1.2)
    arr += nprng.standard_normal((h, w), dtype=np.float32)[:, :, None] * 4
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if cap.fmt == "png":
        return Rendered(F.encode_png(out), F.MEDIA["png"], 1, [], [out.size], fmt="png")
    data = F.encode_jpeg(
        out, cap.jpeg_quality or 75, when=when, camera=cap.camera or ("HUAWEI", "ELE-AL00"), dpi=None
    )
    return Rendered(data, F.MEDIA["jpeg"], 1, [], [out.size], fmt="jpeg_photo")


def render_unreadable(
    kind: str, rng: random.Random, nprng: np.random.Generator, plan: DocPlan | None = None
) -> Rendered:
    """Files that cannot be read at all: empty, corrupt PDF, password-protected PDF."""
    if kind == "empty":
        return Rendered(b"", F.MEDIA["empty"], 0, [])
    if kind == "corrupt":
        body = bytes(nprng.integers(0, 256, int(rng.randint(20_000, 60_000)), dtype=np.uint8))
        return Rendered(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body, F.MEDIA["pdf"], 0, [])
    if kind == "encrypted" and plan is not None:
        _, pages = _layout(plan, rng)
        r = _render_text_pdf(plan, pages, rng, nprng, encrypt=f"{rng.randint(100000, 999999)}")
        return Rendered(r.data, F.MEDIA["pdf"], 0, [])
    raise ValueError(kind)
