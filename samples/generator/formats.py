"""File writers: JPEG, PNG, TIFF (G4 multi-page or JPEG-in-TIFF), image PDF, text-layer PDF, DOCX.

Every writer is byte-deterministic: no wall-clock dates, no random IDs (PDF /ID and dates are
fixed or derived from the document's own pretend scan time; ZIP entries of a DOCX get a fixed
timestamp). Image PDFs are written by hand so that JPEG pages pass through unchanged (DCTDecode).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
import zlib
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass

from PIL import Image

from samples.generator.layouts import DPI, FONT_FILES, PDF_FONTS, LineOp, PageLayout, TextOp

MEDIA = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "empty": "application/octet-stream",
}

PT_PER_PX = 72.0 / DPI


# ---------------------------------------------------------------- raster formats


def encode_jpeg(
    img: Image.Image,
    quality: int,
    when: dt.datetime | None = None,
    camera: tuple[str, str] | None = None,
    dpi: int | None = DPI,
) -> bytes:
    """JPEG with optional EXIF (camera make/model and a fixed capture time, as phones write)."""
    buf = io.BytesIO()
    kw: dict[str, object] = {"quality": int(quality), "optimize": False}
    if dpi:
        kw["dpi"] = (dpi, dpi)
    if when is not None or camera is not None:
        exif = Image.Exif()
        if camera:
            exif[0x010F], exif[0x0110] = camera  # Make, Model
        if when:
            stamp = when.strftime("%Y:%m:%d %H:%M:%S")
            exif[0x0132] = stamp  # DateTime
        exif[0x0131] = "scan-intake sample generator"  # Software
        kw["exif"] = exif.tobytes()
    if img.mode == "1":
        img = img.convert("L")
    img.save(buf, "JPEG", **kw)
    return buf.getvalue()


def encode_png(img: Image.Image, dpi: int | None = DPI) -> bytes:
    """PNG with a pixel density, no time chunk."""
    buf = io.BytesIO()
    kw: dict[str, object] = {"optimize": False, "compress_level": 6}
    if dpi:
        kw["dpi"] = (dpi, dpi)
    img.save(buf, "PNG", **kw)
    return buf.getvalue()


def encode_tiff(pages: Sequence[Image.Image], compression: str = "group4", quality: int = 75) -> bytes:
    """Multi-page TIFF. `group4` needs 1-bit pages; `jpeg` takes L/RGB pages."""
    buf = io.BytesIO()
    conv = [p if compression != "group4" else p.convert("1") for p in pages]
    kw: dict[str, object] = {"compression": compression, "dpi": (DPI, DPI)}
    if compression == "jpeg":
        kw["quality"] = quality
    conv[0].save(buf, "TIFF", save_all=True, append_images=list(conv[1:]), **kw)
    return buf.getvalue()


# ---------------------------------------------------------------- image PDF (hand-written)


@dataclass
class PdfImagePage:
    """One page of an image PDF: the encoded image and the page size it stands for."""

    data: bytes  # JPEG bytes, or raw packed 1-bit rows
    width: int
    height: int
    kind: str  # "jpeg-rgb" | "jpeg-gray" | "bw"
    dpi: float = DPI  # how large the page is: width / dpi inches


def pdf_image_page(img: Image.Image, quality: int, dpi: float = DPI) -> PdfImagePage:
    """Encode a captured page for an image PDF (JPEG, or raw bits for a 1-bit page)."""
    if img.mode == "1":
        return PdfImagePage(img.tobytes(), img.width, img.height, "bw", dpi)
    data = encode_jpeg(img, quality, dpi=None)
    return PdfImagePage(data, img.width, img.height, "jpeg-gray" if img.mode == "L" else "jpeg-rgb", dpi)


def _pdf_str(s: str) -> bytes:
    return (
        b"(" + s.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    )


def write_image_pdf(pages: Sequence[PdfImagePage], producer: str, when: dt.datetime) -> bytes:
    """An image-only PDF as scanner apps write it: one full-page image per page, no text."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    catalog = add(b"")  # placeholder
    pages_id = add(b"")
    kids = []
    for p in pages:
        if p.kind == "bw":
            stream = zlib.compress(p.data, 9)
            img_dict = (
                f"<< /Type /XObject /Subtype /Image /Width {p.width} /Height {p.height} "
                f"/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode /Length {len(stream)} >>"
            )
        else:
            stream = p.data
            cs = "/DeviceGray" if p.kind == "jpeg-gray" else "/DeviceRGB"
            img_dict = (
                f"<< /Type /XObject /Subtype /Image /Width {p.width} /Height {p.height} "
                f"/ColorSpace {cs} /BitsPerComponent 8 /Filter /DCTDecode /Length {len(stream)} >>"
            )
        img_id = add(img_dict.encode() + b"\nstream\n" + stream + b"\nendstream")
        # a hair under the exact size: PDF renderers round the pixel size up, keep it at width*dpi exactly
        wpt, hpt = p.width * 72.0 / p.dpi - 0.002, p.height * 72.0 / p.dpi - 0.002
        content = f"q {wpt:.3f} 0 0 {hpt:.3f} 0 0 cm /Im0 Do Q".encode()
        c_id = add(f"<< /Length {len(content)} >>".encode() + b"\nstream\n" + content + b"\nendstream")
        page_id = add(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {wpt:.3f} {hpt:.3f}] "
            f"/Resources << /XObject << /Im0 {img_id} 0 R >> >> /Contents {c_id} 0 R >>".encode()
        )
        kids.append(page_id)
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objs[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    )
    date = when.strftime("D:%Y%m%d%H%M%S+08'00'")
    info = add(
        b"<< /Producer "
        + _pdf_str(producer)
        + b" /CreationDate "
        + _pdf_str(date)
        + b" /ModDate "
        + _pdf_str(date)
        + b" >>"
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    fid = hashlib.md5(b"".join(objs[:3]) + date.encode()).hexdigest()
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R /Info {info} 0 R "
        f"/ID [<{fid}> <{fid}>] >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


# ---------------------------------------------------------------- text-layer PDF (reportlab)

_RL_FONTS: set[str] = set()


def _rl_font(key: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"SG-{key}"
    if key not in _RL_FONTS:
        path, index = FONT_FILES[key]
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        _RL_FONTS.add(key)
    return name


@dataclass
class PlacedImage:
    """A transparent image (seal) at a position of a text-layer PDF page."""

    page: int  # 0-based
    x: float  # px at 200 dpi, top-left
    y: float
    image: Image.Image  # RGBA


def write_text_pdf(
    pages: Sequence[PageLayout],
    images: Sequence[PlacedImage],
    title: str,
    author: str,
    encrypt: str | None = None,
) -> bytes:
    """A born-digital PDF (as exported from a word processor): real text, seals as transparent images."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    w_pt, h_pt = pages[0].width * PT_PER_PX - 0.002, pages[0].height * PT_PER_PX - 0.002
    c = canvas.Canvas(buf, pagesize=(w_pt, h_pt), invariant=1, pageCompression=1, encrypt=encrypt)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("Microsoft® Word 2016")
    for i, page in enumerate(pages):
        for op in page.ops:
            if isinstance(op, TextOp):
                fk = op.font if op.font in PDF_FONTS else "ming"
                c.setFont(_rl_font(fk), op.size * PT_PER_PX)
                c.setFillColorRGB(*(v / 255 for v in op.color))
                c.drawString(op.x * PT_PER_PX, h_pt - op.y * PT_PER_PX, op.text)
            elif isinstance(op, LineOp):
                c.setStrokeColorRGB(*(v / 255 for v in op.color))
                c.setLineWidth(op.width * PT_PER_PX)
                c.line(
                    op.x0 * PT_PER_PX, h_pt - op.y0 * PT_PER_PX, op.x1 * PT_PER_PX, h_pt - op.y1 * PT_PER_PX
                )
        for im in images:
            if im.page != i:
                continue
            c.drawImage(
                ImageReader(im.image),
                im.x * PT_PER_PX,
                h_pt - (im.y + im.image.height) * PT_PER_PX,
                im.image.width * PT_PER_PX,
                im.image.height * PT_PER_PX,
                mask="auto",
            )
        c.showPage()
    c.save()
    return buf.getvalue()


# ---------------------------------------------------------------- DOCX

DOCX_FONTS = {
    "song": "宋体",
    "song_bold": "方正小标宋简体",
    "hei": "黑体",
    "hei_bold": "黑体",
    "ming": "仿宋_GB2312",
    "kai": "楷体_GB2312",
    "zenhei": "黑体",
}


def _set_run_font(
    run, face: str, size_pt: float, color: tuple[int, int, int] | None, bold: bool = False
) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = face
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), face)
    run.font.size = Pt(round(size_pt * 2) / 2)
    run.font.bold = bold or None
    if color is not None and color != (18, 18, 22):
        run.font.color.rgb = RGBColor(*color)


def _float_picture(run, png: bytes, width_px: int, x_emu: int, y_emu: int, pic_id: int) -> None:
    """Add a picture to `run` and turn it from inline into a floating (anchored, no wrap) shape."""
    from docx.oxml import parse_xml
    from docx.shared import Emu

    emu_w = int(width_px * 914400 / DPI)
    run.add_picture(io.BytesIO(png), width=Emu(emu_w))
    inline = run._element.xpath(".//wp:inline")[0]
    extent = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    graphic = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/main}graphic")
    cx, cy = extent.get("cx"), extent.get("cy")
    anchor = parse_xml(
        '<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        f'relativeHeight="{251659264 + pic_id}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{pic_id}" name="图片 {pic_id}"/><wp:cNvGraphicFramePr/></wp:anchor>'
    )
    anchor.append(deepcopy(graphic))
    inline.getparent().replace(inline, anchor)


@dataclass
class DocxPicture:
    """A seal picture floating next to a paragraph of a DOCX."""

    after_anchor: str  # paragraph anchor name the picture floats next to
    png: bytes
    width_px: int
    dx_px: float  # offset from the paragraph's column origin
    dy_px: float


def write_docx(
    blocks: list,
    fonts,
    pictures: Sequence[DocxPicture],
    author: str,
    when: dt.datetime,
    cell_lines: dict[str, list[str]] | None = None,
) -> bytes:
    """A Word document with real paragraphs and tables; seals float over the text as pictures.
    `cell_lines`: lines printed right-aligned in a table cell anchored by that name (a form's
    signing body and date in its 验收部门意见 cell)."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import parse_xml
    from docx.shared import Mm, Pt

    from samples.generator.layouts import PageBreak, Para, Rule, Spacer, Table

    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(28), Mm(26), Mm(37), Mm(35)
    align = {
        "left": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    pic_by_anchor: dict[str, list[DocxPicture]] = {}
    for p in pictures:
        pic_by_anchor.setdefault(p.after_anchor, []).append(p)
    pic_id = 10
    for b in blocks:
        if isinstance(b, Para):
            para = d.add_paragraph()
            pf = para.paragraph_format
            pf.alignment = align[b.align]
            size_pt = b.size * PT_PER_PX
            if b.indent and b.align == "left":
                pf.first_line_indent = Pt(size_pt * b.indent)
            if b.right_pad and b.align == "right":
                pf.right_indent = Pt(size_pt * b.right_pad)
            pf.space_before, pf.space_after = Pt(b.before * PT_PER_PX), Pt(b.after * PT_PER_PX)
            pf.line_spacing = Pt(size_pt * 1.55)
            face = DOCX_FONTS.get(fonts.get(b.role), "宋体")
            run = para.add_run(b.text)
            _set_run_font(run, face, size_pt, b.color, bold=b.kind in ("heading",) and b.role == "heading")
            for pic in pic_by_anchor.pop(b.anchor or "", []):
                pic_id += 1
                _float_picture(
                    para.add_run(),
                    pic.png,
                    pic.width_px,
                    int(pic.dx_px * 914400 / DPI),
                    int(pic.dy_px * 914400 / DPI),
                    pic_id,
                )
        elif isinstance(b, Rule):
            para = d.add_paragraph()
            color = "".join(f"{v:02X}" for v in b.color)
            ppr = para._p.get_or_add_pPr()
            style = "thickThinSmallGap" if b.double else "single"
            ppr.append(
                parse_xml(
                    '<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    f'<w:bottom w:val="{style}" w:sz="18" w:space="1" w:color="{color}"/></w:pBdr>'
                )
            )
        elif isinstance(b, Table):
            t = d.add_table(rows=len(b.rows), cols=len(b.widths))
            t.style = "Table Grid"
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(b.rows):
                for c, txt in enumerate(row):
                    cell = t.cell(r, c)
                    cell.width = Mm(156 * b.widths[c])
                    para = cell.paragraphs[0]
                    if c in b.label_cols or (b.header and r == 0):
                        para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    run = para.add_run(txt)
                    _set_run_font(
                        run,
                        DOCX_FONTS.get(fonts.get(b.role), "宋体"),
                        b.size * PT_PER_PX,
                        None,
                        bold=b.header and r == 0,
                    )
                    for k, line in enumerate((cell_lines or {}).get(b.cell_anchors.get((r, c), ""), [])):
                        lp = para if k == 0 and not txt else cell.add_paragraph()
                        lp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                        _set_run_font(lp.add_run(line), DOCX_FONTS.get(fonts.get(b.role), "宋体"),
                                      b.size * PT_PER_PX, None, bold=False)
        elif isinstance(b, Spacer):
            d.add_paragraph()
        elif isinstance(b, PageBreak):
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    # A seal whose paragraph is not a body paragraph (the signing block inside a form's table)
    # floats from the document's last paragraph: the truth lists it, so it must be there.
    tail = d.add_paragraph() if pic_by_anchor else None
    for pics in pic_by_anchor.values():
        for pic in pics:
            pic_id += 1
            _float_picture(tail.add_run(), pic.png, pic.width_px, int(pic.dx_px * 914400 / DPI),  # type: ignore[union-attr]
                           -int(pic.width_px * 914400 / DPI), pic_id)
    cp = d.core_properties
    cp.author = author
    cp.last_modified_by = author
    cp.title = ""
    cp.comments = ""
    cp.revision = 3
    cp.created = when - dt.timedelta(hours=2)
    cp.modified = when
    buf = io.BytesIO()
    d.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed entry timestamps so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 2, 26, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, src.read(info.filename))
    return out.getvalue()
