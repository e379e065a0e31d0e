"""Makers of the test files, valid and hostile, generated at test time (nothing binary is committed).

PDFs are written by hand (`PdfBuilder`) so that every byte is known: a Chinese text layer
uses the predefined CMap UniGB-UCS2-H with the non-embedded Adobe-GB1 font STSong-Light (as
many Chinese office PDFs do), and encryption is the standard security handler, revision 3
(RC4, 128 bit), implemented here so no PDF-writing package is needed.

Loaded by file path from both tests/unit and tests/hostile (see `load_filemakers` there).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, TiffImagePlugin

# ---------------------------------------------------------------- pictures


def scan_picture(width: int = 320, height: int = 240, *, seal: bool = True) -> Image.Image:
    """A small white 'scan' with dark text-like bars and (optionally) a red ring seal."""
    im = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(im)
    for row in range(4):
        y = 20 + row * 30
        draw.rectangle([20, y, width - 40, y + 10], fill=(30, 30, 30))
    if seal:
        r = min(width, height) // 5
        cx, cy = width - r - 10, height - r - 10
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(220, 20, 30), width=max(2, r // 8))
    return im


def jpeg_bytes(width: int = 320, height: int = 240, *, dpi: int | None = 300, quality: int = 85) -> bytes:
    """A small valid JPEG (baseline), with a JFIF dpi when `dpi` is given."""
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"quality": quality}
    if dpi:
        kwargs["dpi"] = (dpi, dpi)
    scan_picture(width, height).save(buf, format="JPEG", **kwargs)
    return buf.getvalue()


def png_bytes(width: int = 200, height: int = 150, *, mode: str = "RGB", dpi: int | None = 200) -> bytes:
    """A small valid PNG in `mode` (RGB, L, 1, P, RGBA, I;16)."""
    base = scan_picture(width, height)
    if mode == "RGBA":
        im = base.convert("RGBA")
        alpha = Image.new("L", base.size, 0)
        ImageDraw.Draw(alpha).ellipse([10, 10, width - 10, height - 10], fill=255)
        im.putalpha(alpha)
    elif mode == "I;16":
        arr = np.asarray(base.convert("L"), dtype=np.uint16) * 257
        im = Image.frombytes("I;16", base.size, arr.astype("<u2").tobytes())
    else:
        im = base.convert(mode)
    buf = io.BytesIO()
    kwargs: dict[str, object] = {}
    if dpi:
        kwargs["dpi"] = (dpi, dpi)
    im.save(buf, format="PNG", **kwargs)
    return buf.getvalue()


def seal_png_bytes(size: int = 120) -> bytes:
    """A transparent PNG with a red ring, like the seal pictures pasted into DOCX files."""
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.ellipse([4, 4, size - 4, size - 4], outline=(230, 0, 0, 255), width=8)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def tiff_three_pages(path: Path) -> None:
    """A 3-page TIFF: RGB (LZW), greyscale (deflate) and 1-bit CCITT G4 pages of different sizes."""
    frames = [
        (scan_picture(300, 200), "tiff_lzw"),
        (scan_picture(240, 320).convert("L"), "tiff_adobe_deflate"),
        (scan_picture(400, 300).convert("1"), "group4"),
    ]
    with TiffImagePlugin.AppendingTiffWriter(str(path), True) as tf:
        for im, compression in frames:
            im.save(tf, format="TIFF", compression=compression, dpi=(300, 300))
            tf.newFrame()


def tiff_many_pages(path: Path, pages: int) -> None:
    """A TIFF of `pages` tiny 1-bit frames (a page-count bomb in a few KB)."""
    first = Image.new("1", (8, 8), 1)
    rest = [Image.new("1", (8, 8), 1) for _ in range(pages - 1)]
    first.save(path, format="TIFF", save_all=True, append_images=rest, compression="group4")


def png_pixel_bomb(width: int = 40000, height: int = 40000) -> bytes:
    """A PNG of a few KB whose header claims `width` x `height` 1-bit pixels (all zero)."""
    raw_row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte + packed bits
    comp = zlib.compressobj(9)
    chunks = [comp.compress(raw_row * 1000) for _ in range(height // 1000)]
    idat = b"".join(chunks) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# ---------------------------------------------------------------- PDF

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


@dataclass
class _Rc4Security:
    """Standard security handler, V2 R3, 128-bit RC4 (PDF 1.4)."""

    user_password: bytes
    owner_password: bytes
    doc_id: bytes
    permissions: int = -3904
    o_value: bytes = b""
    u_value: bytes = b""
    key: bytes = b""

    def __post_init__(self) -> None:
        h = hashlib.md5((self.owner_password + _PAD)[:32]).digest()
        for _ in range(50):
            h = hashlib.md5(h).digest()
        okey = h[:16]
        o = _rc4(okey, (self.user_password + _PAD)[:32])
        for i in range(1, 20):
            o = _rc4(bytes(b ^ i for b in okey), o)
        self.o_value = o
        h = hashlib.md5(
            (self.user_password + _PAD)[:32] + o + struct.pack("<i", self.permissions) + self.doc_id
        ).digest()
        for _ in range(50):
            h = hashlib.md5(h[:16]).digest()
        self.key = h[:16]
        u = _rc4(self.key, hashlib.md5(_PAD + self.doc_id).digest())
        for i in range(1, 20):
            u = _rc4(bytes(b ^ i for b in self.key), u)
        self.u_value = u + b"\x00" * 16

    def encrypt(self, num: int, data: bytes) -> bytes:
        obj_key = hashlib.md5(self.key + num.to_bytes(3, "little") + b"\x00\x00").digest()[:16]
        return _rc4(obj_key, data)

    def dictionary(self) -> bytes:
        return (
            b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <"
            + self.o_value.hex().encode()
            + b"> /U <"
            + self.u_value.hex().encode()
            + b"> /P "
            + str(self.permissions).encode()
            + b" >>"
        )


def _encrypt_literal_strings(security: _Rc4Security, num: int, body: bytes) -> bytes:
    """Replace simple literal strings "(...)" in an object body by encrypted hex strings."""
    return re.sub(
        rb"\(([^()\\]*)\)", lambda m: b"<" + security.encrypt(num, m.group(1)).hex().encode() + b">", body
    )


@dataclass
class PdfBuilder:
    """A tiny PDF writer: numbered objects, optional streams, a classic xref table.

    With encryption, stream data and simple literal strings in object bodies are encrypted.
    """

    objects: list[tuple[bytes, bytes | None]] = field(default_factory=list)

    def add(self, body: bytes, stream: bytes | None = None, *, compress: bool = False) -> int:
        """Add an object (a dictionary, plus stream data if given); return its number."""
        if stream is not None and compress:
            stream = zlib.compress(stream)
            body = body[:-2].rstrip() + b" /Filter /FlateDecode >>"
        self.objects.append((body, stream))
        return len(self.objects)

    def reserve(self) -> int:
        """Reserve an object number to fill in later with `set`."""
        self.objects.append((b"null", None))
        return len(self.objects)

    def set(self, num: int, body: bytes, stream: bytes | None = None) -> None:
        """Fill in a reserved object."""
        self.objects[num - 1] = (body, stream)

    def build(self, root: int, *, security: _Rc4Security | None = None, doc_id: bytes = b"0" * 16) -> bytes:
        """Serialise with a correct xref table and trailer."""
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        enc_num = None
        objects = list(self.objects)
        if security is not None:
            objects.append((security.dictionary(), None))
            enc_num = len(objects)
        for num, (body, stream) in enumerate(objects, start=1):
            offsets.append(len(out))
            out += f"{num} 0 obj\n".encode()
            if security is not None and num != enc_num:
                body = _encrypt_literal_strings(security, num, body)
            if stream is None:
                out += body + b"\nendobj\n"
                continue
            if security is not None and num != enc_num:
                stream = security.encrypt(num, stream)
            assert body.endswith(b">>")
            out += body[:-2].rstrip() + f" /Length {len(stream)} >>\nstream\n".encode()
            out += stream + b"\nendstream\nendobj\n"
        xref_at = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        for off in offsets:
            out += f"{off:010d} 00000 n \n".encode()
        trailer = f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R".encode()
        trailer += b" /ID [<" + doc_id.hex().encode() + b"> <" + doc_id.hex().encode() + b">]"
        if enc_num is not None:
            trailer += f" /Encrypt {enc_num} 0 R".encode()
        out += trailer + f" >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
        return bytes(out)


@dataclass
class TextRun:
    """One line of text on a PDF page at (x, y) in PDF points (bottom-left origin)."""

    text: str
    x: float
    y: float
    size: float = 14
    cjk: bool = True


def _text_ops(run: TextRun) -> bytes:
    if run.cjk:
        encoded = b"<" + run.text.encode("utf-16-be").hex().upper().encode() + b">"
        font = b"/F1"
    else:
        escaped = run.text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        encoded = b"(" + escaped.encode("latin-1") + b")"
        font = b"/F2"
    return b"BT %s %.1f Tf %.2f %.2f Td %s Tj ET\n" % (font, run.size, run.x, run.y, encoded)


def text_pdf(
    pages: list[list[TextRun]],
    *,
    media_box: tuple[float, float, float, float] = (0, 0, 595, 842),
    crop_box: tuple[float, float, float, float] | None = None,
    rotate: int = 0,
    user_password: str | None = None,
    owner_password: str | None = None,
    extra_content: bytes = b"",
) -> bytes:
    """A PDF with a real text layer: CJK runs in STSong-Light (UniGB-UCS2-H), Latin runs in Helvetica."""
    b = PdfBuilder()
    catalog = b.reserve()
    pages_obj = b.reserve()
    descriptor = b.add(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    cid_font = b.add(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        b" /FontDescriptor %d 0 R /DW 1000 >>" % descriptor
    )
    cjk_font = b.add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [%d 0 R] >>" % cid_font
    )
    latin_font = b.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for runs in pages:
        content = b"".join(_text_ops(r) for r in runs) + extra_content
        stream = b.add(b"<< >>", content, compress=True)
        page = b"<< /Type /Page /Parent %d 0 R /MediaBox [%g %g %g %g]" % (pages_obj, *media_box)
        if crop_box is not None:
            page += b" /CropBox [%g %g %g %g]" % crop_box
        if rotate:
            page += b" /Rotate %d" % rotate
        page += b" /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>" % (
            cjk_font,
            latin_font,
            stream,
        )
        kids.append(b.add(page))
    b.set(
        pages_obj,
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)),
    )
    b.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj)
    doc_id = hashlib.md5(b"scan-intake test").digest()
    security = None
    if user_password is not None or owner_password is not None:
        security = _Rc4Security(
            (user_password or "").encode(), (owner_password or user_password or "").encode(), doc_id
        )
    return b.build(catalog, security=security, doc_id=doc_id)


def certificate_pdf(**kwargs: object) -> bytes:
    """A one-page fire-acceptance 'certificate' with a Chinese text layer and a Latin line."""
    runs = [
        TextRun("建设工程消防验收意见书", 150, 780, 20),
        TextRun("阳住建消验字〔2023〕第015号", 180, 740, 12),
        TextRun("建设单位：阳泉高级技工学校", 72, 690),
        TextRun("工程名称：实训楼", 72, 660),
        TextRun("验收结论：合格", 72, 630),
        TextRun("Page 1 of 1", 72, 60, 10, cjk=False),
    ]
    return text_pdf([runs], **kwargs)  # type: ignore[arg-type]


def image_pdf(path: Path, pages: int = 2, *, resolution: float = 100.0) -> None:
    """An image-only PDF (no text layer), as a scanner writes it, via Pillow's PDF writer."""
    frames = [scan_picture(400, 560) for _ in range(pages)]
    frames[0].save(path, format="PDF", save_all=True, append_images=frames[1:], resolution=resolution)


def huge_page_pdf(width_pt: float, height_pt: float) -> bytes:
    """A PDF whose single page claims `width_pt` x `height_pt` points (e.g. 200 x 200 inches)."""
    b = PdfBuilder()
    catalog = b.reserve()
    pages_obj = b.reserve()
    content = b.add(b"<< >>", b"0 0 m 10 10 l S\n")
    page = b.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R >>"
        % (pages_obj, width_pt, height_pt, content)
    )
    b.set(pages_obj, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    b.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj)
    return b.build(catalog)


def break_xref(pdf: bytes) -> bytes:
    """Shift every xref offset by 7 bytes and point startxref a little off (a 'broken xref')."""
    head, sep, tail = pdf.partition(b"\nxref\n")
    lines = tail.split(b"\n")
    fixed = [lines[0], lines[1]]
    for line in lines[2:]:
        if line.endswith(b" n ") and len(line) == 19:
            fixed.append(b"%010d" % (int(line[:10]) + 7) + line[10:])
        else:
            fixed.append(line)
    out = head + sep + b"\n".join(fixed)
    start = out.rindex(b"startxref\n") + len(b"startxref\n")
    end = out.index(b"\n", start)
    return out[:start] + str(int(out[start:end]) + 3).encode() + out[end:]


# ---------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def docx_bytes(*, floating: bool = True, header_picture: bool = True) -> bytes:
    """A DOCX with a header, paragraphs, a 2-column table, an inline and an anchored picture."""
    from docx import Document
    from docx.shared import Inches

    doc = Document()
    section = doc.sections[0]
    header_par = section.header.paragraphs[0]
    header_par.text = "阳泉市人力资源和社会保障局"
    if header_picture:
        header_par.add_run().add_picture(io.BytesIO(png_bytes(60, 40)), width=Inches(0.4))
    section.footer.paragraphs[0].text = "第 1 页"
    doc.add_paragraph("安全生产整治自查情况报告")
    doc.add_paragraph("一、意识形态方面")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "建设单位"
    table.cell(0, 1).text = "阳泉高级技工学校"
    table.cell(1, 0).text = "联系电话"
    table.cell(1, 1).text = "0353-1234567"
    doc.add_paragraph("二、校园安全：消防通道畅通。")
    doc.add_paragraph().add_run().add_picture(io.BytesIO(jpeg_bytes(160, 120)), width=Inches(1.5))
    seal_par = doc.add_paragraph("（盖章）")
    run = seal_par.add_run()
    run.add_picture(io.BytesIO(seal_png_bytes()), width=Inches(1.6))
    if floating:
        _make_anchored(run._r)
    doc.add_paragraph("2024年2月26日")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _make_anchored(r_element: object) -> None:
    """Turn the run's inline picture into a floating (anchored, behind text) one, as Word does for seals."""
    from docx.oxml import parse_xml

    inline = r_element.xpath(".//wp:inline")[0]  # type: ignore[attr-defined]
    extent = inline.find(f"{{{WP_NS}}}extent")
    doc_pr = inline.find(f"{{{WP_NS}}}docPr")
    graphic = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/main}graphic")
    anchor = parse_xml(
        f'<wp:anchor xmlns:wp="{WP_NS}" distT="0" distB="0" distL="0" distR="0" simplePos="0"'
        ' relativeHeight="251659264" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>3200000</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>-600000</wp:posOffset></wp:positionV>'
        "</wp:anchor>"
    )
    anchor.append(extent)
    anchor.append(parse_xml(f'<wp:effectExtent xmlns:wp="{WP_NS}" l="0" t="0" r="0" b="0"/>'))
    anchor.append(parse_xml(f'<wp:wrapNone xmlns:wp="{WP_NS}"/>'))
    anchor.append(doc_pr)
    anchor.append(parse_xml(f'<wp:cNvGraphicFramePr xmlns:wp="{WP_NS}"/>'))
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)


def rewrite_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """Copy a ZIP, replacing (or adding) the named entries."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info, src.read(info.filename))
        for name, content in replace.items():
            dst.writestr(name, content)
    return buf.getvalue()


def docx_zip_bomb(path: Path, gib: float = 1.0) -> None:
    """A DOCX-shaped ZIP whose word/document.xml inflates to `gib` GiB of zeros (~1 MB per GiB).

    Written by hand from `zeros_zlib` (the raw deflate data between its zlib header and
    trailer) so it takes well under a second; the CRC-32 is computed over the zeros.
    """
    mib = int(gib * 1024)
    deflated = zeros_zlib(mib)[2:-4]
    crc = 0
    zeros = bytes(1 << 24)
    for _ in range(mib // 16):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(bytes((mib % 16) << 20), crc)
    entries = [
        (b"[Content_Types].xml", _CONTENT_TYPES.encode(), None),
        (b"_rels/.rels", _ROOT_RELS.encode(), None),
        (b"word/document.xml", deflated, (crc, mib << 20)),
    ]
    out = bytearray()
    central = bytearray()
    for name, data, known in entries:
        if known is None:
            comp = zlib.compressobj(9, zlib.DEFLATED, -15)
            crc_value, size = zlib.crc32(data), len(data)
            data = comp.compress(data) + comp.flush()
        else:
            crc_value, size = known
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc_value, len(data), size)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields
        central += struct.pack("<HHHHHI", len(name), 0, 0, 0, 0, 0) + struct.pack("<I", len(out)) + name
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name + data
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + eocd))


def lie_about_sizes(data: bytes, name: str, declared: int) -> bytes:
    """Rewrite the declared uncompressed size of entry `name` (local header and central directory)."""
    out = bytearray(data)
    encoded = name.encode()
    # local file header: signature, ..., uncompressed size at +22, name length at +26
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) != -1:
        nlen = struct.unpack_from("<H", out, pos + 26)[0]
        if out[pos + 30 : pos + 30 + nlen] == encoded:
            struct.pack_into("<I", out, pos + 22, declared)
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) != -1:
        nlen = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46 : pos + 46 + nlen] == encoded:
            struct.pack_into("<I", out, pos + 24, declared)
        pos += 4
    return bytes(out)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)

ENTITY_BOMB_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b"<!DOCTYPE w:document [\n"
    b' <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
    + b"".join(
        b' <!ENTITY %s "%s">\n'
        % (bytes([0x62 + i]), b"".join(b"&%s;" % bytes([0x61 + i]) for _ in range(10)))
        for i in range(9)
    )
    + b"]>\n"
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
)

XXE_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)


def minimal_docx_bytes() -> bytes:
    """The smallest DOCX python-docx opens: content types, root rels and a one-paragraph body."""
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>自查报告</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("word/document.xml", body)
    return buf.getvalue()


def zeros_zlib(mib: int) -> bytes:
    """A zlib stream of `mib` MiB of zeros, made in milliseconds (~1 KB per MiB).

    Every 1 MiB block of zeros compresses to the same bytes after a full flush (no history),
    so one block is repeated; the Adler-32 of n zeros is simply (n mod 65521) << 16 | 1.
    """
    block = b"\x00" * (1 << 20)
    comp = zlib.compressobj(9)
    header_and_first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    repeated = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    final_empty_block = b"\x03\x00"  # BFINAL=1, fixed Huffman, end-of-block
    adler = (((mib << 20) % 65521) << 16) | 1
    return header_and_first + repeated * (mib - 1) + final_empty_block + struct.pack(">I", adler)


def flate_bomb_pdf(inflated_mib: int, *, image: bool = False, count: int = 1) -> bytes:
    """A one-page PDF with Flate streams of `inflated_mib` MiB of zeros each (~1 KB per MiB on disk).

    As page content (`image=False`) or as `count` image XObjects drawn on the page (`image=True`).
    """
    data = zeros_zlib(inflated_mib)
    b = PdfBuilder()
    catalog = b.reserve()
    pages_obj = b.reserve()
    if image:
        side = int(((inflated_mib << 20) // 3) ** 0.5)
        names = []
        for i in range(count):
            xobj = b.add(
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB"
                b" /BitsPerComponent 8 /Filter /FlateDecode >>" % (side, side),
                data,
            )
            names.append(b"/Im%d %d 0 R" % (i, xobj))
        draw = b"".join(b"q 500 0 0 700 50 50 cm /Im%d Do Q\n" % i for i in range(count))
        content = b.add(b"<< >>", draw)
        resources = b"<< /XObject << %s >> >>" % b" ".join(names)
    else:
        content = b.add(b"<< /Filter /FlateDecode >>", data)
        resources = b"<< >>"
    page = b.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
        % (pages_obj, resources, content)
    )
    b.set(pages_obj, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    b.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj)
    return b.build(catalog)


def patch_tiff_frame_size(data: bytes, frame: int, width: int, height: int) -> bytes:
    """Rewrite ImageWidth/ImageLength of TIFF frame `frame` (0-based; little-endian TIFF)."""
    out = bytearray(data)
    assert out[:4] == b"II*\x00"
    (offset,) = struct.unpack_from("<I", out, 4)
    for _ in range(frame):
        (count,) = struct.unpack_from("<H", out, offset)
        (offset,) = struct.unpack_from("<I", out, offset + 2 + 12 * count)
    (count,) = struct.unpack_from("<H", out, offset)
    for i in range(count):
        entry = offset + 2 + 12 * i
        tag, typ = struct.unpack_from("<HH", out, entry)
        if tag in (256, 257):
            value = width if tag == 256 else height
            struct.pack_into("<HI", out, entry + 2, 4, 1)  # type LONG, count 1
            struct.pack_into("<I", out, entry + 8, value)
    return bytes(out)


def lzw_encode(data: bytes) -> bytes:
    """LZW-encode as PDF's LZWDecode expects (early change 1), to test the size counter."""
    table = {bytes([i]): i for i in range(256)}
    bits = 9
    out_bits = 0
    nbits = 0
    out = bytearray()

    def emit(code: int) -> None:
        nonlocal out_bits, nbits
        out_bits = (out_bits << bits) | code
        nbits += bits
        while nbits >= 8:
            nbits -= 8
            out.append((out_bits >> nbits) & 0xFF)

    emit(256)
    current = b""
    for byte in data:
        candidate = current + bytes([byte])
        if candidate in table:
            current = candidate
            continue
        emit(table[current])
        next_code = len(table) + 2
        if next_code >= 4094:
            emit(256)
            table = {bytes([i]): i for i in range(256)}
            bits = 9
        else:
            table[candidate] = next_code
            if next_code + 1 >= (1 << bits):
                bits += 1
        current = bytes([byte])
    if current:
        emit(table[current])
    emit(257)
    if nbits:
        out.append((out_bits << (8 - nbits)) & 0xFF)
    return bytes(out)
