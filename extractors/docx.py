r"""Read Word .docx files: text in reading order plus every embedded picture.

A DOCX becomes one `LoadedPage` (page_no=1, width=height=0, dpi=None): `text` has one
`TextLine` per line (bbox None, origin "docx") for the headers, the body (paragraphs and
table rows in document order, a row's cells joined by a tab so "建设单位\t阳泉高级技工学校"
stays on one line) and the footers; `pictures` holds every picture related from the document,
its headers, footers and notes (inline and floating/anchored alike: seals are often pasted
as floating pictures) decoded to RGB, in the order the document refers to them.

The ZIP is checked before python-docx sees it: entry count and central-directory size, the
declared uncompressed sizes, and a bounded inflate of every entry (a lying header cannot get
past it), which also scans XML for DOCTYPE/ENTITY declarations (entity bombs, XXE). python-docx
itself parses with `resolve_entities=False` and lxml never loads network resources.
"""

from __future__ import annotations

import logging
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from extractors.images import PixelBudget, decode_picture
from extractors.sniff import IMAGE_TYPES, describe_media_type, sniff_media_type
from records.errors import InputError, IntakeError, LimitExceeded
from records.models import LoadedDocument, LoadedPage, PageText, TextLine

if TYPE_CHECKING:
    from extractors.load import ReadOptions

log = logging.getLogger(__name__)

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CHUNK = 1 << 20
_MAX_CENTRAL_DIRECTORY_ENTRY = 1024  # bytes per entry allowed in the central directory on average
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_GLOSSARY_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/glossaryDocument"
_IMAGE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
# DOCTYPE/ENTITY in the encodings libxml2 reads (UTF-8, UTF-16 LE/BE, UCS-4 LE/BE).
_DANGEROUS_XML: tuple[bytes, ...] = tuple(
    token.encode(codec)
    for token in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_OVERLAP = max(len(t) for t in _DANGEROUS_XML)
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[\s\x00]*<")


def read_docx(path: Path, *, options: ReadOptions) -> LoadedDocument:
    """Read a .docx into one page of text lines plus its embedded pictures.

    Args:
        path: the file (sniffed as a ZIP; this checks it really is a Word document).
        options: the ZIP limits and the pixel limits for pictures.

    Returns:
        A `LoadedDocument` with one `LoadedPage(page_no=1, width=0, height=0, dpi=None)`;
        `text` is None when the document has no text at all. Pictures that are not raster
        images (EMF/WMF/SVG) or that are damaged are skipped with a note.

    Raises:
        InputError: not a ZIP, no word/document.xml, damaged, XML entity declarations.
        LimitExceeded: `max_docx_entries`, `max_docx_inflated_bytes`, or a picture over the
            pixel limits.
    """
    check_docx_container(path, options)
    from docx import Document

    try:
        document = Document(str(path))
    except IntakeError:
        raise
    except MemoryError as e:
        raise LimitExceeded(limit="memory", message="the DOCX needs more memory than is available") from e
    except Exception as e:  # python-docx/lxml raise KeyError, ValueError, XMLSyntaxError, ... on damage
        raise InputError(
            f"the Word .docx file is damaged and cannot be read ({_reason(e)}); open it in Word or WPS, "
            "save it again as .docx or PDF, and resubmit"
        ) from e
    notes: list[str] = []
    try:
        lines = [TextLine(text=t, bbox=None, confidence=1.0) for t in _document_lines(document)]
        parts = list(_picture_parts(document))
    except IntakeError:
        raise
    except Exception as e:  # malformed but parseable XML makes python-docx raise odd errors
        raise InputError(f"the Word .docx file is damaged ({_reason(e)}); save it again and resubmit") from e
    pictures = _decode_pictures(parts, options, notes)
    text = (
        PageText(page_no=1, width=0, height=0, dpi=None, origin="docx", lines=tuple(lines)) if lines else None
    )
    page = LoadedPage(page_no=1, width=0, height=0, dpi=None, text=text, pictures=pictures)
    log.debug("read %s: %d line(s), %d picture(s)", path.name, len(lines), len(pictures))
    return LoadedDocument(media_type=DOCX_MEDIA_TYPE, pages=[page], notes=notes)


def check_docx_container(path: Path, options: ReadOptions) -> None:
    """Check the ZIP container of a .docx before any XML parser touches it.

    Raises:
        InputError: not a ZIP, not a Word document, damaged or encrypted entries, XML with
            DOCTYPE/ENTITY declarations.
        LimitExceeded: more than `max_docx_entries` entries (or an oversized central
            directory), more than `max_docx_inflated_bytes` declared or actually inflated.
    """
    _check_central_directory(path, options)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > options.max_docx_entries:
                raise _too_many_entries(len(infos), options)
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                raise InputError(_not_word_message(names))
            declared = sum(info.file_size for info in infos)
            if declared > options.max_docx_inflated_bytes:
                raise _too_big(options, f"declares {declared:,} bytes uncompressed")
            inflated = 0
            for info in infos:
                if info.is_dir():
                    continue
                inflated = _inflate_entry(zf, info, inflated, options)
    except IntakeError:
        raise
    except MemoryError as e:
        raise LimitExceeded(limit="memory", message="the DOCX needs more memory than is available") from e
    except RuntimeError as e:  # zipfile: "File ... is encrypted, password required"
        raise InputError(
            "the .docx file is encrypted (password protected); remove the password and resubmit"
        ) from e
    except NotImplementedError as e:
        raise InputError(
            f"the .docx file uses an unsupported ZIP compression ({_reason(e)}); save it again"
        ) from e
    except Exception as e:  # BadZipFile, zlib.error, EOFError, OSError, struct.error, ValueError
        raise InputError(
            f"not a valid Word .docx file: the ZIP container is damaged ({_reason(e)}); "
            "save it again as .docx or PDF and resubmit"
        ) from e


def _check_central_directory(path: Path, options: ReadOptions) -> None:
    """Read the end-of-central-directory record and bound the directory before zipfile parses it."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        tail_len = min(size, 22 + 65535)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        pos = tail.rfind(b"PK\x05\x06")
        if pos == -1 or pos + 22 > len(tail):
            raise InputError(
                "not a Word .docx file: it is not a ZIP container (or the ZIP is truncated); "
                "save it again as .docx or PDF and resubmit"
            )
        entries, cd_size = struct.unpack_from("<HI", tail, pos + 10)
        eocd_offset = size - tail_len + pos
        if (
            (entries == 0xFFFF or cd_size == 0xFFFFFFFF)
            and pos >= 20
            and tail[pos - 20 : pos - 16] == b"PK\x06\x07"
        ):
            (zip64_offset,) = struct.unpack_from("<Q", tail, pos - 12)
            if 0 <= zip64_offset < eocd_offset:
                fh.seek(zip64_offset)
                record = fh.read(56)
                if len(record) == 56 and record[:4] == b"PK\x06\x06":
                    entries, cd_size = struct.unpack_from("<QQ", record, 32)
    if entries > options.max_docx_entries:
        raise _too_many_entries(entries, options)
    if cd_size > options.max_docx_entries * _MAX_CENTRAL_DIRECTORY_ENTRY:
        raise LimitExceeded(
            limit="max_docx_entries",
            message=(
                f"the DOCX's ZIP directory is {cd_size:,} bytes, too large for max_docx_entries="
                f"{options.max_docx_entries} entries; the file is not a normal Word document"
            ),
        )


def _inflate_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, inflated: int, options: ReadOptions) -> int:
    """Inflate one entry in bounded chunks, counting bytes and scanning XML for entity declarations."""
    limit = options.max_docx_inflated_bytes
    is_xml: bool | None = None
    carry = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            inflated += len(chunk)
            if inflated > limit:
                raise _too_big(options, f"inflates past the limit at entry {info.filename!r}")
            if is_xml is None:
                is_xml = info.filename.lower().endswith((".xml", ".rels")) or bool(
                    _XML_START.match(chunk[:64])
                )
            if is_xml:
                window = carry + chunk
                if any(token in window for token in _DANGEROUS_XML):
                    raise InputError(
                        f"DOCX contains XML entity declarations (possible entity bomb) in {info.filename!r}; "
                        "Word never writes these: save the document again from Word or WPS and resubmit"
                    )
                carry = window[-_OVERLAP:]
    return inflated


def _too_many_entries(entries: int, options: ReadOptions) -> LimitExceeded:
    return LimitExceeded(
        limit="max_docx_entries",
        message=(
            f"the DOCX has {entries:,} ZIP entries, over max_docx_entries={options.max_docx_entries}; "
            "it is not a normal Word document"
        ),
    )


def _too_big(options: ReadOptions, detail: str) -> LimitExceeded:
    return LimitExceeded(
        limit="max_docx_inflated_bytes",
        message=(
            f"the DOCX {detail}, over max_docx_inflated_bytes={options.max_docx_inflated_bytes:,} bytes "
            "(a ZIP bomb or an extreme file); submit the document as PDF"
        ),
    )


def _not_word_message(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        what = "an Excel .xlsx spreadsheet"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint .pptx presentation"
    elif "OFD.xml" in names:
        what = "an OFD electronic document"
    else:
        what = "a ZIP archive without word/document.xml"
    return f"not a Word .docx file: it is {what}; export it as PDF (or save as .docx) and resubmit"


# ---------------------------------------------------------------- text


def _document_lines(document: Any) -> Iterator[str]:
    """Header, body and footer lines in reading order (python-docx objects)."""
    seen_parts: set[str] = set()
    sections = list(document.sections)
    for section in sections:
        for header in _hdrftr(section, "header"):
            if header.part.partname not in seen_parts:
                seen_parts.add(header.part.partname)
                yield from _block_lines(header.iter_inner_content())
    yield from _block_lines(document.iter_inner_content())
    for section in sections:
        for footer in _hdrftr(section, "footer"):
            if footer.part.partname not in seen_parts:
                seen_parts.add(footer.part.partname)
                yield from _block_lines(footer.iter_inner_content())


def _hdrftr(section: Any, kind: str) -> Iterator[Any]:
    for attr in (f"first_page_{kind}", kind, f"even_page_{kind}"):
        item = getattr(section, attr)
        if not item.is_linked_to_previous:
            yield item


def _block_lines(blocks: Iterator[Any]) -> Iterator[str]:
    from docx.table import Table

    for block in blocks:
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield from _split(block.text)


def _table_lines(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        last_tc = None
        nested: list[str] = []
        for cell in row.cells:
            if cell._tc is last_tc:  # a horizontally merged cell is returned once per grid column
                continue
            last_tc = cell._tc
            texts = [" ".join(_split(p.text)) for p in cell.paragraphs]
            cells.append(" ".join(t for t in texts if t))
            for inner in cell.tables:
                nested.extend(_table_lines(inner))
        line = "\t".join(cells).strip()
        if line:
            yield line
        yield from nested


def _split(text: str) -> Iterator[str]:
    for line in text.replace("\r", "\n").split("\n"):
        line = line.strip()
        if line:
            yield line


# ---------------------------------------------------------------- pictures


def _picture_parts(document: Any) -> Iterator[Any]:
    """Image parts reachable from the main document part (headers, footers, notes, drawings).

    Walks the relationship graph from word/document.xml, skipping the glossary (building
    blocks that are not shown) and external targets; within a part, pictures come in the
    order its XML refers to them. The package thumbnail is not related from the document,
    so it is not included.
    """
    start = document.part
    queue = [start]
    visited = {str(start.partname)}
    emitted: set[str] = set()
    while queue:
        part = queue.pop(0)
        rels = part.rels
        for rid in _ordered_rids(part, rels):
            rel = rels[rid]
            if rel.is_external or rel.reltype == _GLOSSARY_RT:
                continue
            target = rel.target_part
            name = str(target.partname)
            if rel.reltype == _IMAGE_RT or str(target.content_type).startswith("image/"):
                if name not in emitted:
                    emitted.add(name)
                    yield target
            elif name not in visited:
                visited.add(name)
                queue.append(target)


def _ordered_rids(part: Any, rels: Any) -> list[str]:
    """Relationship ids of `part`, those its XML refers to first (in document order)."""
    ordered: list[str] = []
    element = getattr(part, "_element", None)
    if element is not None:
        prefix = "{" + _R_NS + "}"
        for node in element.iter():
            for key, value in node.attrib.items():
                if key.startswith(prefix) and value in rels and value not in ordered:
                    ordered.append(value)
    ordered.extend(rid for rid in rels if rid not in ordered)
    return ordered


def _decode_pictures(parts: list[Any], options: ReadOptions, notes: list[str]) -> list[np.ndarray]:
    budget = PixelBudget(options)
    pictures: list[np.ndarray] = []
    for part in parts:
        name = str(part.partname).lstrip("/")
        blob = part.blob
        media_type = sniff_media_type(blob[:4096])
        if media_type not in IMAGE_TYPES:
            notes.append(f"picture {name} ({describe_media_type(media_type)}) not decoded")
            continue
        try:
            pictures.append(
                decode_picture(blob, media_type=media_type, budget=budget, what=f"picture {name}")
            )
        except LimitExceeded:
            raise
        except InputError as e:
            notes.append(f"picture {name} skipped: {e}")
    return pictures


def _reason(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return f"{type(e).__name__}: {text[:200]}"
