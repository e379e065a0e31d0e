"""Read raster scans (JPEG, PNG, TIFF incl. multi-page CCITT G4, BMP, GIF, WebP) into pages.

Every frame becomes one `LoadedPage` whose image is an RGB uint8 array in the file's native
pixels. EXIF orientation is deliberately NOT applied: coordinates in the contract are native
pixels before any rotation (DOMAIN.md), so orientation is left to later stages.

Guards against hostile files: the size of every frame is read from its header and checked
against `max_pixels_per_page` (and the whole file against `max_total_pixels`) before a single
frame is decoded; the frame count is bounded by `max_pages` while walking the headers; a
truncated file is an `InputError` (Pillow's global LOAD_TRUNCATED_IMAGES is never touched).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from extractors.sniff import BMP, GIF, JPEG, PNG, TIFF, WEBP
from records.errors import InputError, IntakeError, LimitExceeded
from records.models import LoadedDocument, LoadedPage

if TYPE_CHECKING:
    from extractors.load import ReadOptions

log = logging.getLogger(__name__)

#: Pillow format names allowed per sniffed media type: Pillow never gets to guess a format.
PILLOW_FORMATS: dict[str, str] = {
    JPEG: "JPEG",
    PNG: "PNG",
    TIFF: "TIFF",
    BMP: "BMP",
    GIF: "GIF",
    WEBP: "WEBP",
}
_MULTI_PAGE = frozenset({TIFF})
_ALPHA_MODES = frozenset({"RGBA", "LA", "La", "RGBa", "PA"})


class PixelBudget:
    """Counts decoded pixels against the per-page and per-file limits of `ReadOptions`.

    One budget is shared by all pages and pictures of one file, so a file of many pages that
    are each just under the page limit still cannot exhaust memory.
    """

    def __init__(self, options: ReadOptions) -> None:
        """Start an empty budget for one file."""
        self.options = options
        self.used = 0

    def check(self, width: int, height: int, what: str) -> None:
        """Charge `width` x `height` pixels for `what` ("page 3", "picture word/media/image1.png").

        Raises:
            LimitExceeded: `max_pixels_per_page` or `max_total_pixels` would be exceeded.
            InputError: a dimension is zero or negative.
        """
        if width <= 0 or height <= 0:
            raise InputError(f"{what} claims an empty size ({width}x{height} pixels); the file is damaged")
        pixels = width * height
        limit = self.options.max_pixels_per_page
        if pixels > limit:
            raise LimitExceeded(
                limit="max_pixels_per_page",
                message=(
                    f"{what} is {width}x{height} = {pixels:,} pixels, over the limit max_pixels_per_page="
                    f"{limit:,} (about A3 at 600 dpi); rescan at 200-300 dpi"
                ),
            )
        total = self.options.max_total_pixels
        if self.used + pixels > total:
            raise LimitExceeded(
                limit="max_total_pixels",
                message=(
                    f"the file's pages add up to more than max_total_pixels={total:,} pixels "
                    f"(reached at {what}); rescan at 200-300 dpi or split the file"
                ),
            )
        self.used += pixels


def read_images(path: Path, *, media_type: str, options: ReadOptions) -> LoadedDocument:
    """Read a raster image file into pages (one per TIFF frame; one for the other formats).

    Args:
        path: the file; its type was already sniffed from its bytes.
        media_type: the sniffed type, a key of `PILLOW_FORMATS`.
        options: limits.

    Returns:
        A `LoadedDocument` whose pages carry `image` (RGB uint8, H x W x 3), native
        `width`/`height` and the file's `dpi` (None when the file does not say).

    Raises:
        LimitExceeded: too many pages (`max_pages`) or pixels (`max_pixels_per_page`,
            `max_total_pixels`), checked from the headers before decoding.
        InputError: the image is truncated or corrupt.
    """
    budget = PixelBudget(options)
    notes: list[str] = []
    with (
        path.open("rb") as fh,
        _open_image(fh, media_type, what="the image", budget_limit=options.max_pixels_per_page) as im,
    ):
        sizes = _frame_sizes(im, media_type, options)
        pages: list[LoadedPage] = []
        for index, (width, height) in enumerate(sizes):
            what = f"page {index + 1}" if len(sizes) > 1 else "the image"
            budget.check(width, height, what)
        for index, (width, height) in enumerate(sizes):
            what = f"page {index + 1}" if len(sizes) > 1 else "the image"
            if index:
                _seek(im, index, what)
            image = to_rgb_array(im, what=what)
            if image.shape[:2] != (height, width):  # a plugin that decodes to another size than declared
                raise InputError(
                    f"{what} decoded to {image.shape[1]}x{image.shape[0]} pixels, not the "
                    f"{width}x{height} its header declares; the file is damaged"
                )
            pages.append(
                LoadedPage(page_no=index + 1, width=width, height=height, dpi=_dpi(im.info), image=image)
            )
        if media_type not in _MULTI_PAGE and _is_animated(im):
            notes.append("animated image: only the first frame was read")
    log.debug("read %s: %d page(s) of %s", path.name, len(pages), media_type)
    return LoadedDocument(media_type=media_type, pages=pages, notes=notes)


def decode_picture(data: bytes, *, media_type: str, budget: PixelBudget, what: str) -> np.ndarray:
    """Decode one embedded picture (first frame) to an RGB uint8 array, within `budget`.

    Raises:
        LimitExceeded: the picture is over the pixel limits (checked before decoding).
        InputError: the picture is corrupt or truncated.
    """
    with _open_image(
        io.BytesIO(data), media_type, what=what, budget_limit=budget.options.max_pixels_per_page
    ) as im:
        budget.check(im.size[0], im.size[1], what)
        return to_rgb_array(im, what=what)


def to_rgb_array(im: Image.Image, *, what: str) -> np.ndarray:
    """Decode the current frame of `im` to an RGB uint8 array (H x W x 3).

    1-bit, greyscale, palette, CMYK and 16-bit images are converted; transparent images are
    composited on white (seal pictures in DOCX files are often transparent PNGs).

    Raises:
        InputError: the frame cannot be decoded (truncated or corrupt data).
    """
    try:
        im.load()
        mode = im.mode
        if mode == "RGB":
            rgb = im
        elif mode in _ALPHA_MODES or (mode == "P" and "transparency" in im.info):
            rgba = im.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            rgb = Image.alpha_composite(white, rgba).convert("RGB")
        elif mode.startswith("I;16") or mode in ("I", "F"):
            return _wide_to_rgb(np.asarray(im))
        else:
            rgb = im.convert("RGB")
        array = np.array(rgb, dtype=np.uint8)
    except IntakeError:
        raise
    except MemoryError as e:
        raise LimitExceeded(limit="memory", message=f"{what} needs more memory than is available") from e
    except Exception as e:  # Pillow's plugins raise OSError, SyntaxError, ValueError, struct.error, ...
        raise InputError(f"{what} cannot be decoded ({_reason(e)}); the file is truncated or damaged") from e
    if array.ndim != 3 or array.shape[2] != 3:
        raise InputError(f"{what} decoded to an unexpected shape {array.shape}; the file is damaged")
    return array


@contextmanager
def _open_image(fp: IO[bytes], media_type: str, *, what: str, budget_limit: int) -> Iterator[Image.Image]:
    fmt = PILLOW_FORMATS.get(media_type)
    if fmt is None:
        raise InputError(f"{what} is of type {media_type}, which is not a supported picture format")
    try:
        im = Image.open(fp, formats=[fmt])
    except Image.DecompressionBombError as e:
        # Pillow refuses twice its MAX_IMAGE_PIXELS in Image.open, before we see the size;
        # with the default max_pixels_per_page (below Pillow's limit) that is ours exceeded too.
        raise LimitExceeded(
            limit="max_pixels_per_page",
            message=(
                f"{what} claims too many pixels ({e}), over the limit max_pixels_per_page="
                f"{budget_limit:,}; rescan at 200-300 dpi"
            ),
        ) from e
    except MemoryError as e:
        raise LimitExceeded(limit="memory", message=f"{what} needs more memory than is available") from e
    except Exception as e:  # UnidentifiedImageError, SyntaxError, struct.error ... from a broken header
        raise InputError(
            f"{what} looks like {fmt} but its header cannot be read ({_reason(e)}); the file is damaged"
        ) from e
    try:
        yield im
    finally:
        im.close()


def _frame_sizes(im: Image.Image, media_type: str, options: ReadOptions) -> list[tuple[int, int]]:
    """Walk the frame headers (no pixel decoding) and return each frame's size."""
    sizes = [im.size]
    if media_type not in _MULTI_PAGE:
        return sizes
    index = 1
    while True:
        try:
            im.seek(index)
        except EOFError:
            break
        except Exception as e:  # a broken IFD chain
            raise InputError(
                f"TIFF page {index + 1} cannot be read ({_reason(e)}); the file is damaged"
            ) from e
        if index >= options.max_pages:
            raise LimitExceeded(
                limit="max_pages",
                message=(
                    f"the TIFF has more than max_pages={options.max_pages} pages; split it into smaller files"
                ),
            )
        sizes.append(im.size)
        index += 1
    _seek(im, 0, "page 1")
    return sizes


def _is_animated(im: Image.Image) -> bool:
    try:
        return bool(getattr(im, "is_animated", False))
    except Exception:  # probing frame 2 of a damaged GIF/WebP: frame 1 was read, that is enough
        return False


def _seek(im: Image.Image, index: int, what: str) -> None:
    try:
        im.seek(index)
    except Exception as e:
        raise InputError(f"{what} cannot be read ({_reason(e)}); the file is damaged") from e


def _wide_to_rgb(arr: np.ndarray) -> np.ndarray:
    """Scale a 16/32-bit or float greyscale array to 8 bits and stack it to RGB."""
    if arr.ndim != 2:
        raise InputError(f"unexpected {arr.dtype} image shape {arr.shape}; the file is damaged")
    data = arr.astype(np.float64, copy=False)
    data = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
    lo, hi = float(data.min()), float(data.max())
    if lo >= 0 and hi <= 255:
        grey = data.astype(np.uint8)
    elif lo >= 0 and hi <= 65535:
        grey = (data / 257.0).round().astype(np.uint8)
    else:
        grey = ((data - lo) * (255.0 / (hi - lo or 1.0))).round().astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


def _dpi(info: Mapping[Any, Any]) -> int | None:
    """The horizontal resolution the file declares, if plausible (JFIF/EXIF/TIFF/PNG pHYs)."""
    dpi = info.get("dpi")
    if not isinstance(dpi, tuple) or not dpi:
        return None
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not 10 <= value <= 10000:  # 1 "dpi" (aspect-ratio-only JFIF) or garbage is no scan resolution
        return None
    return round(value)


def _reason(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text[:200]
