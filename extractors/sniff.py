"""Tell what a file really is from its first bytes, and what its name claims it is.

Uploads come from scanner apps, phones and office PCs; their extensions lie sometimes
(DOMAIN.md). The readers dispatch on `sniff_media_type`, never on the name; the name's claim
(`media_type_from_name`) is only recorded so the pipeline can report a mismatch.
"""

from __future__ import annotations

import codecs
import logging
import re
import zipfile
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)

JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
BMP = "image/bmp"
GIF = "image/gif"
WEBP = "image/webp"
HEIC = "image/heic"
JP2 = "image/jp2"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
OFD = "application/ofd"
ZIP = "application/zip"
RAR = "application/x-rar"
GZIP = "application/gzip"
SEVEN_ZIP = "application/x-7z-compressed"
BZIP2 = "application/x-bzip2"
XZ = "application/x-xz"
MSWORD = "application/msword"
RTF = "application/rtf"
TEXT = "text/plain"
HTML = "text/html"
XML = "application/xml"
EXE = "application/x-msdownload"
ELF = "application/x-executable"

#: How many leading bytes `sniff_media_type` looks at (and `sniff_file` reads).
SNIFF_BYTES = 8192

#: Media types the readers can turn into pages.
IMAGE_TYPES: frozenset[str] = frozenset({JPEG, PNG, TIFF, BMP, GIF, WEBP})
SUPPORTED_TYPES: frozenset[str] = IMAGE_TYPES | {PDF, DOCX}

#: What to call a type in an error message for a person.
DESCRIPTIONS: dict[str, str] = {
    JPEG: "a JPEG image",
    PNG: "a PNG image",
    TIFF: "a TIFF image",
    BMP: "a BMP image",
    GIF: "a GIF image",
    WEBP: "a WebP image",
    HEIC: "a HEIC/HEIF photo (iPhone format)",
    JP2: "a JPEG 2000 image",
    PDF: "a PDF document",
    DOCX: "a Word .docx document",
    XLSX: "an Excel .xlsx spreadsheet",
    PPTX: "a PowerPoint .pptx presentation",
    ODT: "an OpenDocument text file",
    OFD: "an OFD electronic document",
    ZIP: "a ZIP archive",
    RAR: "a RAR archive",
    GZIP: "a gzip-compressed file",
    SEVEN_ZIP: "a 7-Zip archive",
    BZIP2: "a bzip2-compressed file",
    XZ: "an xz-compressed file",
    MSWORD: "a legacy Microsoft Office binary file (.doc/.xls/.wps)",
    RTF: "an RTF text document",
    TEXT: "a plain-text file",
    HTML: "an HTML web page",
    XML: "an XML file",
    EXE: "a Windows program (.exe/.dll)",
    ELF: "a Linux program (ELF executable)",
}

_EXTENSIONS: dict[str, str] = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".jfif": JPEG,
    ".png": PNG,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".bmp": BMP,
    ".dib": BMP,
    ".gif": GIF,
    ".webp": WEBP,
    ".heic": HEIC,
    ".heif": HEIC,
    ".jp2": JP2,
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
    ".odt": ODT,
    ".ofd": OFD,
    ".doc": MSWORD,
    ".wps": MSWORD,
    ".xls": MSWORD,
    ".rtf": RTF,
    ".zip": ZIP,
    ".rar": RAR,
    ".gz": GZIP,
    ".tgz": GZIP,
    ".7z": SEVEN_ZIP,
    ".bz2": BZIP2,
    ".xz": XZ,
    ".txt": TEXT,
    ".csv": TEXT,
    ".htm": HTML,
    ".html": HTML,
    ".mht": HTML,
    ".xml": XML,
    ".exe": EXE,
    ".dll": EXE,
}

_HTML_START = re.compile(
    rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|script|style|div|p|table|iframe|a\s)",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters that never occur in a text file (tab, LF, FF, CR and ESC are allowed).
_BINARY_CONTROLS = (
    frozenset(range(0x00, 0x09)) | {0x0B} | frozenset(range(0x0E, 0x1B)) | frozenset(range(0x1C, 0x20))
)


def media_type_from_name(name: str) -> str | None:
    """Return the media type a file name's extension claims, or None if it claims nothing known.

    Works for Windows-style paths and Chinese names; the comparison ignores case. A name
    without an extension (or with an unknown one) claims nothing.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    suffix = PurePosixPath(base).suffix.lower()
    return _EXTENSIONS.get(suffix)


def sniff_media_type(head: bytes) -> str | None:
    """Return the media type the leading bytes of a file show, or None if unrecognised.

    `head` should be the first `SNIFF_BYTES` bytes (fewer for a short file). A ZIP is reported
    as DOCX (or XLSX/PPTX/ODT/OFD) when the entry names visible in `head` show it; the full
    answer for a ZIP needs its central directory, see `sniff_file`. Returns None for empty
    input and for bytes that look like nothing listed in `DESCRIPTIONS`.
    """
    if not head:
        return None
    kind = _sniff_magic(head)
    if kind is not None:
        return kind
    if b"%PDF-" in head[:1024]:
        # Acrobat accepts the header anywhere in the first 1024 bytes (scanner junk before it).
        return PDF
    return _sniff_text(head)


def sniff_file(path: Path) -> str | None:
    """Like `sniff_media_type` on the file's first bytes, but refines ZIPs by their central directory.

    Reads at most `SNIFF_BYTES` plus the ZIP directory. Never raises for a damaged ZIP: it
    then stays `application/zip` (or what the head showed). OSError from opening the file
    propagates.
    """
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    kind = sniff_media_type(head)
    if kind in (ZIP, DOCX, XLSX, PPTX, ODT, OFD):
        try:
            with zipfile.ZipFile(path) as zf:
                kind = classify_zip_names(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
            log.debug("zip directory of %s unreadable: %s", path.name, e)
    return kind


def classify_zip_names(names: list[str]) -> str:
    """Return the media type a ZIP's entry names show: DOCX, XLSX, PPTX, ODT, OFD or plain ZIP."""
    name_set = set(names)
    if "word/document.xml" in name_set:
        return DOCX
    if "xl/workbook.xml" in name_set:
        return XLSX
    if "ppt/presentation.xml" in name_set:
        return PPTX
    if "OFD.xml" in name_set:
        return OFD
    if "mimetype" in name_set and "content.xml" in name_set:
        return ODT
    return ZIP


def describe_media_type(media_type: str | None) -> str:
    """Return a short description of a media type for error messages ("a ZIP archive")."""
    if media_type is None:
        return "an unrecognised kind of file"
    return DESCRIPTIONS.get(media_type, media_type)


def _sniff_magic(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    if head.startswith(b"%PDF-"):
        return PDF
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _sniff_zip_head(head)
    if head.startswith((b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")):
        return RAR
    if head.startswith(b"\x1f\x8b"):
        return GZIP
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return SEVEN_ZIP
    if head.startswith(b"BZh") and len(head) > 3 and head[3:4] in b"123456789":
        return BZIP2
    if head.startswith(b"\xfd7zXZ\x00"):
        return XZ
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return MSWORD
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
        return HEIC
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return JP2
    if head.startswith(b"BM") and _plausible_bmp(head):
        return BMP
    if head.startswith(b"MZ"):
        return EXE
    if head.startswith(b"\x7fELF"):
        return ELF
    if head.startswith(b"{\\rtf"):
        return RTF
    return None


def _sniff_zip_head(head: bytes) -> str:
    if b"word/" in head:
        return DOCX
    if b"xl/" in head:
        return XLSX
    if b"ppt/" in head:
        return PPTX
    if b"OFD.xml" in head:
        return OFD
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
        return ODT
    return ZIP


def _plausible_bmp(head: bytes) -> bool:
    # "BM" alone is too weak (a text file may start with it): check the DIB header size.
    if len(head) < 18:
        return False
    dib_size = int.from_bytes(head[14:18], "little")
    reserved = head[6:10]
    return dib_size in (12, 16, 40, 52, 56, 64, 108, 124) and reserved == b"\x00\x00\x00\x00"


def _sniff_text(head: bytes) -> str | None:
    text = _decode_text(head)
    if text is None:
        return None
    stripped = text.lstrip().encode("utf-8", "replace")
    if _HTML_START.match(stripped):
        return HTML
    if stripped[:5].lower() == b"<?xml":
        lowered = stripped[:2048].lower()
        return HTML if b"<html" in lowered else XML
    return TEXT


def _decode_text(head: bytes) -> str | None:
    """Decode `head` as text (UTF-8/16 with BOM, UTF-8, GB18030) or return None if it is binary."""
    for bom, codec in zip(_BOMS, ("utf-8", "utf-16-le", "utf-16-be"), strict=True):
        if head.startswith(bom):
            return _decode_prefix(head[len(bom) :], codec)
    if any(b in _BINARY_CONTROLS for b in head):
        return None
    for codec in ("utf-8", "gb18030"):
        text = _decode_prefix(head, codec)
        if text is not None:
            return text
    return None


def _decode_prefix(data: bytes, codec: str) -> str | None:
    # The head may end inside a multi-byte character: decode incrementally, not final.
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    if any(ord(c) in _BINARY_CONTROLS or 0x7F <= ord(c) < 0xA0 for c in text):
        return None
    return text
