"""Read PDFs: every page rendered with pypdfium2, plus the text layer from pdfplumber.

Each page becomes a `LoadedPage` with `image` (RGB uint8 at `ReadOptions.pdf_render_dpi`) and,
when the page has a real text layer, `text` (origin "text_layer", confidence 1.0). Line boxes
are pixels of the rendered image, top-left origin.

Page rotation: pdfium applies the page's /Rotate when rendering, so the image is the page as a
viewer shows it (a /Rotate 90 page comes out landscape), and `width`/`height` are the rendered
pixels. Text-layer boxes are mapped into that same rotated image, and characters are grouped
into lines in their reading direction as rendered (vertical text on a rotated page still gives
one line per printed line). Nothing is rotated further here.

Hostile files: before pdfium or pdfminer decode anything, every stream in the file is inflated
with a bounded decompressor to measure it (`max_pdf_stream_bytes`, `max_pdf_image_bytes`,
`max_pdf_inflated_bytes`): both libraries would otherwise inflate a 4 MB flate bomb into
gigabytes. Page sizes are checked against the pixel limits before anything is rendered.
pdfminer (behind pdfplumber) builds Python objects for every drawing operator, so pages whose
content streams exceed `max_text_layer_content_bytes` are not given to it (they are OCR'd).

pypdfium2 is not thread-safe: call `read_pdf` from one thread per process at a time.
"""

from __future__ import annotations

import base64
import binascii
import logging
import math
import re
import statistics
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from extractors.images import PixelBudget
from records.errors import InputError, IntakeError, LimitExceeded
from records.models import LoadedDocument, LoadedPage, PageText, TextLine

if TYPE_CHECKING:
    from extractors.load import ReadOptions

log = logging.getLogger(__name__)

_FPDF_ERR_FILE = 2
_FPDF_ERR_FORMAT = 3
_FPDF_ERR_PASSWORD = 4
_FPDF_ERR_SECURITY = 5

_CID_RE = re.compile(r"\(cid:\d+\)")
_STREAM_RE = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)?")
_OBJ_RE = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_FILTER_RE = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME_RE = re.compile(rb"/([A-Za-z0-9]+)")
_IMAGE_RE = re.compile(rb"/Subtype\s*/Image\b")
_CHUNK = 1 << 20


# ---------------------------------------------------------------- public


def read_pdf(path: Path, *, options: ReadOptions) -> LoadedDocument:
    """Read a PDF: render every page, and attach the text layer where the page has one.

    Args:
        path: the PDF file (its type was sniffed from its bytes).
        options: limits, render dpi and the text-layer threshold.

    Returns:
        A `LoadedDocument`; every page has `image` (RGB, `pdf_render_dpi`) and `dpi`; `text`
        is set when the page has at least `min_text_layer_chars` real (CJK/alphanumeric)
        characters, or fewer but some while another page has that many and this one is no
        scanned picture; else None (the page will be OCR'd). `notes` say what was skipped and why.

    Raises:
        InputError: encrypted (password needed), damaged, no pages.
        LimitExceeded: too many pages, a page too large to render, a stream that inflates
            past the stream limits.
    """
    import pypdfium2 as pdfium

    notes: list[str] = []
    scan = scan_pdf_streams(path, options)
    checked = _measure_encrypted_streams(path, scan, options) if scan.encrypted else True
    try:
        pdf = pdfium.PdfDocument(path)
    except MemoryError as e:
        raise LimitExceeded(limit="memory", message="the PDF needs more memory than is available") from e
    except Exception as e:  # PdfiumError with an error code; anything else means a damaged file too
        raise _open_error(e) from e
    try:
        if pdfium.raw.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            if not checked:
                raise InputError(
                    "PDF is encrypted and its contents cannot be checked safely; submit an unprotected scan"
                )
            # It opened without a password, so only an owner (permissions) password is set.
            notes.append("PDF has a permissions (owner) password; it was read without one")
        try:
            pdf.init_forms()
        except Exception as e:  # forms are optional: render without them
            notes.append(f"form fields not rendered ({_reason(e)})")
        pages = _read_pages(pdf, path, scan, options, notes)
    finally:
        pdf.close()
    return LoadedDocument(media_type="application/pdf", pages=pages, notes=notes)


# ---------------------------------------------------------------- stream pre-scan


@dataclass
class StreamScan:
    """What the raw pre-scan learnt: decoded size per object number, and encryption."""

    sizes: dict[int, int] = field(default_factory=dict)
    total: int = 0
    encrypted: bool = False
    unmeasured: list[tuple[int, int, int, int, bool, bytes]] = field(default_factory=list)
    # (objid, genno, data start, data end, is_image, filter names as b" "-joined)


def scan_pdf_streams(path: Path, options: ReadOptions) -> StreamScan:
    """Measure the decoded size of every stream in the file without trusting /Length or the xref.

    Finds each `stream` keyword in the raw bytes, reads the filters from the dictionary before
    it and decodes FlateDecode/LZWDecode/RunLengthDecode (after ASCIIHex/ASCII85) with bounded
    output, counting bytes. Image codecs (DCT, JPX, JBIG2, CCITT) are left to pdfium, which
    bounds them by the image dimensions. Streams that do not decode (encrypted or damaged)
    are listed as unmeasured.

    Raises:
        LimitExceeded: a stream or the sum of all streams is over its limit.
    """
    data = path.read_bytes()
    scan = StreamScan(encrypted=_has_encrypt(data))
    for match in _STREAM_RE.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end == -1:
            end = len(data)
        head = data[max(0, match.start() - 4096) : match.start()]
        obj = _last(_OBJ_RE.finditer(head))
        if obj is not None:
            head = head[obj.end() :]
            objid, genno = int(obj.group(1)), int(obj.group(2))
        else:
            objid, genno = -1, 0
        is_image = _IMAGE_RE.search(head) is not None
        filters = _filters(head)
        size = _measure(memoryview(data)[start:end], filters, _stream_limit(options, is_image))
        if size is None:
            scan.unmeasured.append((objid, genno, start, end, is_image, b" ".join(filters)))
            continue
        _charge(scan, objid, size, is_image, options)
    return scan


def _has_encrypt(data: bytes) -> bool:
    # Cheap and over-inclusive: `_measure_encrypted_streams` asks pdfminer whether it really is.
    return b"/Encrypt" in data


def _last(matches: Iterator[re.Match[bytes]]) -> re.Match[bytes] | None:
    last = None
    for last in matches:  # noqa: B007 - keep the last match
        pass
    return last


def _filters(head: bytes) -> list[bytes]:
    found = _last(_FILTER_RE.finditer(head))
    if found is None:
        return []
    return _NAME_RE.findall(found.group(1))


def _stream_limit(options: ReadOptions, is_image: bool) -> int:
    return options.max_pdf_image_bytes if is_image else options.max_pdf_stream_bytes


def _charge(scan: StreamScan, objid: int, size: int, is_image: bool, options: ReadOptions) -> None:
    limit = _stream_limit(options, is_image)
    if size > limit:
        name = "max_pdf_image_bytes" if is_image else "max_pdf_stream_bytes"
        what = "an image" if is_image else "a content/font"
        raise LimitExceeded(
            limit=name,
            message=(
                f"the PDF contains {what} stream (object {objid}) that inflates to more than {name}="
                f"{limit:,} bytes (a compression bomb or an extreme file); submit a normal scan"
            ),
        )
    scan.sizes[objid] = max(size, scan.sizes.get(objid, 0))
    scan.total += size
    if scan.total > options.max_pdf_inflated_bytes:
        raise LimitExceeded(
            limit="max_pdf_inflated_bytes",
            message=(
                f"the PDF's streams inflate to more than max_pdf_inflated_bytes="
                f"{options.max_pdf_inflated_bytes:,} bytes in total; split the file or rescan it"
            ),
        )


def _measure(raw: memoryview | bytes, filters: list[bytes], limit: int) -> int | None:
    """Decoded size of `raw` through `filters`, counting at most `limit` + 1 bytes; None if undecodable."""
    data: bytes | memoryview = raw
    if not filters:
        return len(raw)
    for name in filters:
        if name in (b"ASCIIHexDecode", b"AHx"):
            data = _ascii_hex(bytes(data))
        elif name in (b"ASCII85Decode", b"A85"):
            decoded = _ascii85(bytes(data))
            if decoded is None:
                return None
            data = decoded
        elif name in (b"FlateDecode", b"Fl"):
            # What follows Flate (a predictor, DCT...) does not grow the data past this size.
            return _inflated_size(data, limit)
        elif name in (b"LZWDecode", b"LZW"):
            return _lzw_size(bytes(data), limit)
        elif name in (b"RunLengthDecode", b"RL"):
            return _run_length_size(bytes(data), limit)
        else:  # DCT, JPX, JBIG2, CCITTFax, Crypt: bounded by the codec / not measurable here
            return len(data)
    return len(data)


def _inflated_size(raw: memoryview | bytes, limit: int) -> int | None:
    decomp = zlib.decompressobj()
    total = 0
    view = memoryview(raw)
    try:
        for offset in range(0, len(view), _CHUNK):
            pending: bytes | memoryview = view[offset : offset + _CHUNK]
            while pending:
                out = decomp.decompress(pending, _CHUNK)
                total += len(out)
                if total > limit:
                    return total
                pending = decomp.unconsumed_tail
                if decomp.eof:
                    return total
                if not out and not pending:
                    break
        total += len(decomp.flush())
    except zlib.error:
        return total if total else None
    return total


def _ascii_hex(data: bytes) -> bytes:
    text = re.sub(rb"\s+", b"", data.split(b">", 1)[0])
    if len(text) % 2:
        text += b"0"
    try:
        return binascii.unhexlify(text)
    except binascii.Error:
        return b""


def _ascii85(data: bytes) -> bytes | None:
    text = re.sub(rb"\s+", b"", data)
    if text.startswith(b"<~"):
        text = text[2:]
    text = text.split(b"~>", 1)[0]
    try:
        return base64.a85decode(text)
    except ValueError:
        return None


def _lzw_size(data: bytes, limit: int) -> int | None:
    """Length of the LZW-decoded data (PDF variant, early change), computing lengths only."""
    lengths: list[int] = [1] * 256 + [0, 0]
    bits = 9
    buffer = 0
    nbits = 0
    total = 0
    prev = -1
    for byte in data:
        buffer = (buffer << 8) | byte
        nbits += 8
        while nbits >= bits:
            nbits -= bits
            code = (buffer >> nbits) & ((1 << bits) - 1)
            if code == 256:
                del lengths[258:]
                bits = 9
                prev = -1
                continue
            if code == 257:
                return total
            if code < len(lengths):
                length = lengths[code]
            elif code == len(lengths) and prev != -1:
                length = lengths[prev] + 1
            else:
                return total if total else None
            total += length
            if total > limit:
                return total
            if prev != -1:
                lengths.append(lengths[prev] + 1)
            prev = code
            if len(lengths) + 1 >= (1 << bits) and bits < 12:
                bits += 1
    return total


def _run_length_size(data: bytes, limit: int) -> int:
    if len(data) * 128 <= limit:
        return len(data) * 128
    total = 0
    i = 0
    n = len(data)
    while i < n:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            total += length + 1
            i += length + 2
        else:
            total += 257 - length
            i += 2
        if total > limit:
            break
    return total


def _measure_encrypted_streams(path: Path, scan: StreamScan, options: ReadOptions) -> bool:
    """Decrypt the streams the raw scan could not decode (owner-password PDFs) and measure them.

    Returns False when pdfminer cannot set up decryption (damaged or unsupported encryption
    dictionary, or "/Encrypt" was only text in a non-encrypted file): the caller decides.

    Raises:
        InputError: a user password is needed to open the file.
        LimitExceeded: a decrypted stream is over a stream limit.
    """
    if not scan.unmeasured:
        return True
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    data = path.read_bytes()
    try:
        with path.open("rb") as fh:
            doc = PDFDocument(PDFParser(fh), password="")
            decipher = doc.decipher
            if decipher is None:
                return True
            for objid, genno, start, end, is_image, filters in scan.unmeasured:
                if objid < 0:
                    continue
                plain = decipher(objid, genno, data[start:end], None)
                limit = _stream_limit(options, is_image)
                size = _measure(plain, filters.split(b" ") if filters else [], limit)
                if size is not None:
                    _charge(scan, objid, size, is_image, options)
    except IntakeError:
        raise
    except PDFPasswordIncorrect as e:
        raise _open_error(_PasswordNeeded()) from e
    except Exception as e:  # pdfminer raises many types on damaged encryption dictionaries
        log.debug("encrypted streams of %s not measurable: %r", path.name, e)
        return False
    return True


class _PasswordNeeded(Exception):
    err_code = _FPDF_ERR_PASSWORD


# ---------------------------------------------------------------- pages


def _open_error(e: Any) -> InputError:
    code = getattr(e, "err_code", None)
    if code == _FPDF_ERR_PASSWORD:
        return InputError(
            "PDF is encrypted (password protected); remove the password and submit an unprotected scan"
        )
    if code == _FPDF_ERR_SECURITY:
        return InputError(
            "PDF is protected by an unsupported security handler (DRM); submit an unprotected scan"
        )
    if code == _FPDF_ERR_FILE:
        return InputError("PDF cannot be opened (file not found or unreadable)")
    return InputError(
        f"PDF is damaged and cannot be opened ({_reason(e)}); re-export or rescan it and submit it again"
    )


@dataclass
class _PageGeometry:
    width: int
    height: int
    bbox: tuple[float, float, float, float]  # pdfium's page box (media ∩ crop), PDF user space
    rotation: int


def _read_pages(
    pdf: Any, path: Path, scan: StreamScan, options: ReadOptions, notes: list[str]
) -> list[LoadedPage]:
    import pypdfium2 as pdfium

    count = len(pdf)
    if count == 0:
        raise InputError("PDF has no pages; submit the scanned document itself")
    if count > options.max_pages:
        raise LimitExceeded(
            limit="max_pages",
            message=(
                f"the PDF has {count} pages, over max_pages={options.max_pages}; split it into smaller files"
            ),
        )
    dpi = options.pdf_render_dpi
    scale = render_scale(dpi)
    budget = PixelBudget(options)
    geometry: list[_PageGeometry] = []
    try:
        for index in range(count):
            page = pdf[index]
            try:
                w_pt, h_pt = page.get_size()
                width, height = _render_size(w_pt, scale), _render_size(h_pt, scale)
                budget.check(width, height, f"page {index + 1} (at {dpi} dpi)")
                geometry.append(_PageGeometry(width, height, tuple(page.get_bbox()), page.get_rotation()))
            finally:
                page.close()
    except IntakeError:
        raise
    except (pdfium.PdfiumError, ValueError, KeyError, OverflowError) as e:
        raise InputError(
            f"PDF page {len(geometry) + 1} cannot be read ({_reason(e)}); the PDF is damaged"
        ) from e

    texts = _read_text_layers(path, geometry, scan, options, notes)
    pages: list[LoadedPage] = []
    for index, geo in enumerate(geometry):
        image = _render(pdf, index, scale, geo)
        pages.append(
            LoadedPage(
                page_no=index + 1, width=geo.width, height=geo.height, dpi=dpi, text=texts[index], image=image
            )
        )
    log.debug(
        "read %s: %d page(s), %d with a text layer", path.name, count, sum(t is not None for t in texts)
    )
    return pages


def render_scale(dpi: int) -> float:
    """Pixels per PDF point at `dpi`, as used for rendering and for text-layer boxes.

    pdfium reports page sizes as float32 (595.44 pt comes back as 595.4400024), and
    ceil(points * dpi / 72) would then add a pixel (1654.0000068 -> 1655); the scale is shaved
    by one part in a million so a page that is a whole number of pixels stays one.
    """
    return dpi / 72.0 * (1 - 1e-6)


def _render_size(points: float, scale: float) -> int:
    if not math.isfinite(points) or points <= 0:
        return 0
    return math.ceil(points * scale)


def _render(pdf: Any, index: int, scale: float, geo: _PageGeometry) -> np.ndarray:
    try:
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale, rev_byteorder=True, may_draw_forms=True)
            try:
                array = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
            finally:
                bitmap.close()
        finally:
            page.close()
    except MemoryError as e:
        raise LimitExceeded(
            limit="memory", message=f"page {index + 1} needs more memory than is available"
        ) from e
    except Exception as e:  # pdfium/pypdfium2 raise PdfiumError, ValueError, OSError on broken pages
        raise InputError(f"PDF page {index + 1} cannot be rendered ({_reason(e)}); the PDF is damaged") from e
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    elif array.shape[2] == 4:
        array = np.ascontiguousarray(array[:, :, :3])
    if array.shape[:2] != (geo.height, geo.width):
        log.debug("page %d rendered as %s, expected %dx%d", index + 1, array.shape, geo.width, geo.height)
        geo.height, geo.width = array.shape[:2]
    return array


# ---------------------------------------------------------------- text layer


def _read_text_layers(
    path: Path, geometry: list[_PageGeometry], scan: StreamScan, options: ReadOptions, notes: list[str]
) -> list[PageText | None]:
    texts: list[PageText | None] = [None] * len(geometry)
    # Pages with only a few chars (a last page holding just the date under the seal): their
    # text layer is used when another page shows the document is born digital, and the page
    # is no picture (a scan with a page number added in text is OCR'd).
    short: dict[int, PageText] = {}
    try:
        import pdfplumber

        with pdfplumber.open(path) as doc:
            plumber_pages = doc.pages
            if len(plumber_pages) != len(geometry):
                notes.append(
                    f"text layer: pdfplumber sees {len(plumber_pages)} pages, pdfium {len(geometry)}; "
                    "text layer ignored, pages will be OCR'd"
                )
                return texts
            for index, page in enumerate(plumber_pages):
                try:
                    content = _content_bytes(page.page_obj, scan)
                    if content > options.max_text_layer_content_bytes:
                        notes.append(
                            f"page {index + 1}: content streams of {content:,} bytes exceed "
                            f"max_text_layer_content_bytes; text layer skipped, page will be OCR'd"
                        )
                        continue
                    found = _page_text(page, index, geometry[index], options)
                    if found is not None:
                        text, real = found
                        if real >= options.min_text_layer_chars:
                            texts[index] = text
                        elif real and not _mostly_picture(page):
                            short[index] = text
                except (IntakeError, MemoryError):
                    raise
                except Exception as e:  # one damaged page: OCR it, keep the others' text layers
                    log.debug("text layer of %s page %d unreadable: %r", path.name, index + 1, e)
                    notes.append(
                        f"page {index + 1}: text layer unreadable ({_reason(e)}); page will be OCR'd"
                    )
                finally:
                    page.close()
    except IntakeError:
        raise
    except MemoryError as e:
        raise LimitExceeded(
            limit="memory", message="the PDF text layer needs more memory than is available"
        ) from e
    except Exception as e:  # pdfminer raises arbitrary types on damaged files; pdfium could still render
        log.debug("text layer of %s unreadable: %r", path.name, e)
        notes.append(f"text layer unreadable ({_reason(e)}); pages will be OCR'd")
        return [None] * len(geometry)
    if any(t is not None for t in texts):
        for index, text in short.items():
            texts[index] = text
    return texts


def _mostly_picture(page: Any) -> bool:
    """True when one image covers half the page or more (a scanned page)."""
    area = max(1.0, float(page.width) * float(page.height))
    for im in page.images:
        w = max(0.0, min(float(im["x1"]), float(page.width)) - max(0.0, float(im["x0"])))
        h = max(0.0, min(float(im["bottom"]), float(page.height)) - max(0.0, float(im["top"])))
        if w * h >= 0.5 * area:
            return True
    return False


def _content_bytes(page_obj: Any, scan: StreamScan) -> int:
    """Decoded bytes of a page's content streams and the form XObjects it uses (from the pre-scan)."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import literal_name

    def _literal(value: Any) -> str:
        try:
            return str(literal_name(value))
        except Exception:  # not a name object
            return ""

    total = 0
    seen: set[int] = set()

    def stream_size(obj: Any) -> int:
        objid = getattr(obj, "objid", None)
        if objid is None or objid in seen:
            return 0
        seen.add(objid)
        return scan.sizes.get(objid, len(getattr(obj, "rawdata", b"") or b""))

    def walk_resources(resources: Any, depth: int) -> int:
        resources = resolve1(resources)
        if not isinstance(resources, dict) or depth > 8:
            return 0
        xobjects = resolve1(resources.get("XObject"))
        subtotal = 0
        if isinstance(xobjects, dict):
            for ref in xobjects.values():
                xobj = resolve1(ref)
                if isinstance(xobj, PDFStream) and _literal(xobj.get("Subtype")) == "Form":
                    if getattr(xobj, "objid", None) in seen:
                        continue
                    subtotal += stream_size(xobj) + walk_resources(xobj.get("Resources"), depth + 1)
        return subtotal

    for content in page_obj.contents or []:
        total += stream_size(resolve1(content))
    total += walk_resources(page_obj.resources, 0)
    return total


def _page_text(page: Any, index: int, geo: _PageGeometry, options: ReadOptions) -> tuple[PageText, int] | None:
    """The page's text layer and how many real (CJK/alphanumeric) chars it holds; None when none."""
    mapper = _PixelMapper(page, geo, render_scale(options.pdf_render_dpi))
    chars = []
    for char in page.chars:
        text = _CID_RE.sub("", char.get("text") or "")
        if not text or text.isspace():
            continue
        box = mapper.to_pixels(char)
        if box is None:
            continue
        chars.append(_Char(text, *box, direction=mapper.direction(char)))
    real = sum(ch.isalnum() for c in chars for ch in c.text)
    if not real:
        return None
    lines = [
        TextLine(text=text, bbox=list(bbox), confidence=1.0)
        for text, bbox in group_lines(chars, geo.width, geo.height)
    ]
    return PageText(
        page_no=index + 1,
        width=geo.width,
        height=geo.height,
        dpi=options.pdf_render_dpi,
        origin="text_layer",
        lines=tuple(lines),
    ), real


class _PixelMapper:
    """Maps pdfminer layout coordinates (y up, /Rotate applied) to rendered-image pixels."""

    def __init__(self, page: Any, geo: _PageGeometry, scale: float) -> None:
        self.scale = scale
        self.mb_x0 = float(page.mediabox[0])  # pdfplumber shifted char x by this; undo it
        page_obj = page.page_obj
        x0, y0, x1, y1 = (float(v) for v in page_obj.mediabox)
        rotate = page_obj.rotate
        # pdfminer's device matrix (pdfinterp.PDFPageInterpreter.process_page).
        if rotate == 90:
            ctm = (0.0, -1.0, 1.0, 0.0, -y0, x1)
        elif rotate == 180:
            ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
        elif rotate == 270:
            ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
        else:
            ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
        bl, bb, br, bt = geo.bbox
        corners = [self._apply(ctm, x, y) for x, y in ((bl, bb), (bl, bt), (br, bb), (br, bt))]
        self.left = min(c[0] for c in corners)
        self.top = max(c[1] for c in corners)
        self.width = geo.width
        self.height = geo.height

    @staticmethod
    def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = m
        return (a * x + c * y + e, b * x + d * y + f)

    def to_pixels(self, char: dict[str, Any]) -> tuple[float, float, float, float] | None:
        try:
            lx0 = float(char["x0"]) - self.mb_x0
            lx1 = float(char["x1"]) - self.mb_x0
            ly0, ly1 = float(char["y0"]), float(char["y1"])
        except (KeyError, TypeError, ValueError):
            return None
        px0 = (min(lx0, lx1) - self.left) * self.scale
        px1 = (max(lx0, lx1) - self.left) * self.scale
        py0 = (self.top - max(ly0, ly1)) * self.scale
        py1 = (self.top - min(ly0, ly1)) * self.scale
        if not all(math.isfinite(v) for v in (px0, px1, py0, py1)):
            return None
        if px1 <= 0 or py1 <= 0 or px0 >= self.width or py0 >= self.height:
            return None  # outside the visible (cropped) page
        return (max(px0, 0.0), max(py0, 0.0), min(px1, self.width), min(py1, self.height))

    @staticmethod
    def direction(char: dict[str, Any]) -> str:
        """Reading direction of a char in the rendered image: ltr, rtl, ttb or btt."""
        matrix = char.get("matrix") or (1, 0, 0, 1, 0, 0)
        a, b = float(matrix[0]), float(matrix[1])
        if abs(a) >= abs(b):
            return "ltr" if a >= 0 else "rtl"
        return "btt" if b > 0 else "ttb"


@dataclass
class _Char:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    direction: str = "ltr"


def _to_frame(c: _Char) -> tuple[float, float, float, float]:
    """(u0, v0, u1, v1): u along the reading direction, v across lines (top to bottom of the text)."""
    if c.direction == "ttb":
        return (c.y0, -c.x1, c.y1, -c.x0)
    if c.direction == "btt":
        return (-c.y1, c.x0, -c.y0, c.x1)
    if c.direction == "rtl":
        return (-c.x1, -c.y1, -c.x0, -c.y0)
    return (c.x0, c.y0, c.x1, c.y1)


def group_lines(
    chars: Iterable[_Char], width: float, height: float
) -> Iterator[tuple[str, tuple[float, float, float, float]]]:
    """Group characters into lines, per reading direction, in reading order.

    Characters join a line when their centres across the line are within half a character
    height; inside a line a gap over 0.25 em becomes a space. A gap over 2 em splits a
    left-to-right line into pieces (a table's cells, a label and its value), each yielded with its
    own box, as OCR boxes are; other directions keep a tab there. Yields (text, pixel bbox).
    """
    by_direction: dict[str, list[tuple[tuple[float, float, float, float], _Char]]] = {}
    for c in chars:
        by_direction.setdefault(c.direction, []).append((_to_frame(c), c))
    for direction in ("ltr", "ttb", "btt", "rtl"):
        items = by_direction.get(direction)
        if not items:
            continue
        items.sort(key=lambda it: ((it[0][1] + it[0][3]) / 2, it[0][0]))
        lines: list[list[tuple[tuple[float, float, float, float], _Char]]] = []
        centre = 0.0
        extent = 0.0
        for item in items:
            u0, v0, u1, v1 = item[0]
            vc, h = (v0 + v1) / 2, max(v1 - v0, 1e-6)
            if lines and abs(vc - centre) <= 0.5 * max(h, extent):
                lines[-1].append(item)
            else:
                lines.append([item])
                centre, extent = vc, h
        for line in lines:
            line.sort(key=lambda it: it[0][0])
            em = statistics.median(max(it[0][3] - it[0][1], 1e-6) for it in line)
            # Pieces of the line apart by more than 2 em (a table's cells, a label and its value)
            # are yielded one by one with their own boxes, as OCR gives its boxes.
            pieces: list[list[_Char]] = [[]]
            parts: list[list[str]] = [[]]
            prev: tuple[float, float, float, float] | None = None
            prev_text = ""
            for frame, c in line:
                if prev is not None:
                    if c.text == prev_text and abs(frame[0] - prev[0]) < 0.3 * em:
                        continue  # overprinted duplicate (fake bold)
                    gap = frame[0] - prev[2]
                    if gap > 2 * em and direction == "ltr":
                        pieces.append([])
                        parts.append([])
                    elif gap > 2 * em:
                        parts[-1].append("\t")
                    elif gap > 0.25 * em:
                        parts[-1].append(" ")
                parts[-1].append(c.text)
                pieces[-1].append(c)
                prev, prev_text = frame, c.text
            for piece, chars_of in zip(parts, pieces, strict=True):
                text = re.sub(r" {2,}", " ", "".join(piece)).strip()
                if not text:
                    continue
                x0 = min(c.x0 for c in chars_of)
                y0 = min(c.y0 for c in chars_of)
                x1 = max(c.x1 for c in chars_of)
                y1 = max(c.y1 for c in chars_of)
                yield text, (x0, y0, min(x1, width), min(y1, height))


def _reason(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return f"{type(e).__name__}: {text[:200]}" if text != type(e).__name__ else text
