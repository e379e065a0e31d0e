"""The one entry point from bytes on disk to pages: sniff the real type, check limits, dispatch.

`load_document` never trusts the file name: the type comes from the bytes (`extractors.sniff`),
and the name's claim is only recorded as `declared_media_type` when it disagrees (the pipeline
turns that into a `media_type_mismatch` info finding). Every failure is an `IntakeError`:
`InputError` for a file that cannot be read (with a message that says how to fix it) and
`LimitExceeded` (naming the limit and its configured value) for one over a limit. The caller
enforces the time limit; `ReadOptions` bounds everything else (bytes, pixels, pages, inflation).
"""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from extractors import sniff
from extractors.docx import read_docx
from extractors.images import read_images
from extractors.pdf import read_pdf
from records.errors import InputError, LimitExceeded
from records.models import LoadedDocument

log = logging.getLogger(__name__)

MiB = 1024 * 1024
GiB = 1024 * MiB

ACCEPTED = "PDF, JPEG, PNG, TIFF or Word .docx"
# An encrypted Office file is an OLE2 container holding a stream of this name.
_OLE_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class ReadOptions(BaseModel):
    """Limits and settings for reading one uploaded file (built by flows from Settings)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_bytes: Annotated[
        int, Field(ge=1, description="largest file accepted, in bytes (checked before reading)")
    ] = 50 * MiB
    max_pixels_per_page: Annotated[
        int,
        Field(
            ge=1,
            description="largest page or picture, in pixels (width x height); 60 M is about A3 at 600 dpi",
        ),
    ] = 60_000_000
    max_total_pixels: Annotated[
        int,
        Field(
            ge=1, description="pixels of all pages and pictures of one file together (3 bytes each in memory)"
        ),
    ] = 500_000_000
    max_pages: Annotated[int, Field(ge=1, description="most pages (PDF pages, TIFF frames) in one file")] = 50
    max_docx_inflated_bytes: Annotated[
        int, Field(ge=1, description="DOCX: total uncompressed size of all ZIP entries, declared and actual")
    ] = 200 * MiB
    max_docx_entries: Annotated[int, Field(ge=1, description="DOCX: most entries in the ZIP container")] = (
        2000
    )
    pdf_render_dpi: Annotated[
        int,
        Field(
            ge=36, le=1200, description="resolution PDF pages are rendered at; text-layer boxes use it too"
        ),
    ] = 200
    min_text_layer_chars: Annotated[
        int,
        Field(
            ge=0, description="a PDF page with fewer real (CJK/alphanumeric) text-layer chars is image-only"
        ),
    ] = 20
    max_pdf_stream_bytes: Annotated[
        int,
        Field(
            ge=1,
            description="PDF: largest decoded non-image stream (page content, font, form, object stream)",
        ),
    ] = 32 * MiB
    max_pdf_image_bytes: Annotated[int, Field(ge=1, description="PDF: largest decoded image stream")] = (
        256 * MiB
    )
    max_pdf_inflated_bytes: Annotated[
        int, Field(ge=1, description="PDF: all streams of the file decoded together")
    ] = 2 * GiB
    max_text_layer_content_bytes: Annotated[
        int,
        Field(
            ge=0,
            description=(
                "PDF: a page whose content streams decode to more bytes is not given to pdfminer "
                "(it builds an object per drawing operator); the page is OCR'd instead"
            ),
        ),
    ] = 4 * MiB


def load_document(path: Path, *, declared_name: str, options: ReadOptions) -> LoadedDocument:
    """Read an uploaded file into pages, whatever its name claims.

    Args:
        path: the file on local disk.
        declared_name: the name it was uploaded under (its extension is only compared).
        options: the limits.

    Returns:
        The pages (see the readers: `read_images`, `read_pdf`, `read_docx`), with
        `media_type` from the bytes and `declared_media_type` set when the name's extension
        claims another known type.

    Raises:
        InputError: missing or empty file, unsupported type (archives, text, HTML, programs,
            legacy .doc ...: the message names what it is), damaged or encrypted file.
        LimitExceeded: over one of the `ReadOptions` limits; `.limit` names it.
    """
    size = _checked_size(path, options)
    try:
        media_type = sniff.sniff_file(path)
    except OSError as e:
        raise InputError(f"the file cannot be read ({e.strerror or e}); upload it again") from e
    log.debug("%s: %d bytes, sniffed %s", declared_name, size, media_type)
    if media_type in sniff.IMAGE_TYPES:
        document = read_images(path, media_type=media_type, options=options)
    elif media_type == sniff.PDF:
        document = read_pdf(path, options=options)
    elif media_type == sniff.DOCX:
        document = read_docx(path, options=options)
    else:
        message = _unsupported_message(path, media_type)
        suffix = Path(declared_name.replace("\\", "/")).suffix
        if suffix and sniff.media_type_from_name(declared_name) not in (None, media_type):
            message = f"{message} (although its name ends in {suffix})"
        raise InputError(message)
    declared = sniff.media_type_from_name(declared_name)
    if declared is not None and declared != document.media_type:
        document.declared_media_type = declared
    return document


def _checked_size(path: Path, options: ReadOptions) -> int:
    try:
        st = path.stat()
    except FileNotFoundError as e:
        raise InputError("the file is missing (it was not downloaded or was removed); upload it again") from e
    except OSError as e:
        raise InputError(f"the file cannot be read ({e.strerror or e}); upload it again") from e
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file (a folder, device or pipe); upload the document itself")
    if st.st_size == 0:
        raise InputError("the file is empty (0 bytes); the upload or scan probably failed, submit it again")
    if st.st_size > options.max_bytes:
        raise LimitExceeded(
            limit="max_bytes",
            message=(
                f"the file is {st.st_size:,} bytes, over max_bytes={options.max_bytes:,}; "
                "rescan at 200-300 dpi or split it into smaller files"
            ),
        )
    return st.st_size


def _unsupported_message(path: Path, media_type: str | None) -> str:
    what = sniff.describe_media_type(media_type)
    if media_type in (sniff.ZIP, sniff.RAR, sniff.SEVEN_ZIP, sniff.GZIP, sniff.BZIP2, sniff.XZ):
        return (
            f"the file is {what}, not a document; unpack it and submit the {ACCEPTED} files inside one by one"
        )
    if media_type == sniff.MSWORD:
        if _ole_is_encrypted(path):
            return (
                "the file is a password-protected Word/Office file; remove the password and save it as "
                ".docx or PDF, then resubmit"
            )
        return (
            f"the file is {what}: legacy .doc is not supported; open it in Word or WPS, "
            "save it as .docx or PDF and resubmit"
        )
    if media_type in (sniff.XLSX, sniff.PPTX, sniff.ODT, sniff.OFD, sniff.RTF):
        return f"the file is {what}, which is not accepted; export it as PDF (or save as .docx) and resubmit"
    if media_type in (sniff.HEIC, sniff.JP2):
        return f"the file is {what}, which is not supported; save or export it as JPEG or PDF and resubmit"
    if media_type == sniff.HTML:
        return (
            f"the file is {what}, not a scanned document (often an error page saved instead of the "
            f"real download); submit the {ACCEPTED} itself"
        )
    if media_type in (sniff.TEXT, sniff.XML):
        return f"the file is {what}, not a scanned document; submit the {ACCEPTED} itself"
    if media_type in (sniff.EXE, sniff.ELF):
        return f"the file is {what}, not a document; it was rejected"
    head = _head_hex(path)
    return f"unrecognised file type (it starts with bytes {head}); submit a {ACCEPTED} file"


def _head_hex(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(8).hex(" ")
    except OSError:
        return "?"


def _ole_is_encrypted(path: Path) -> bool:
    try:
        return _OLE_ENCRYPTED_PACKAGE in path.read_bytes()
    except OSError:
        return False
