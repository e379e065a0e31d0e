"""What scanners, photocopiers and phones do to a page, with the geometry tracked.

Every geometric step (skew, offset in the scanner frame, 90/180 degree turns, the perspective of a
phone photo) maps the seal outlines too, so truth boxes refer to the pixels actually stored.
Photometric steps (paper tone, uneven light, blur, noise, streaks, punch holes, greyscale, 1-bit)
leave geometry alone. All randomness comes from the numpy Generator passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image


@dataclass
class ScanProfile:
    """One capture of a page. `kind`: scan (flatbed/ADF), photo (phone), digital (no capture at all)."""

    kind: str = "scan"
    mode: str = "color"  # color | grey | bw
    skew: float = 0.0  # degrees, clockwise
    shift: tuple[int, int] = (0, 0)  # page offset in the scanner frame, pixels
    frame_value: int = 255  # what the scanner sees outside the page (lid: white/grey, ADF: dark)
    blur: float = 0.0
    noise: float = 0.0
    light: float = 0.0  # strength of uneven lighting 0..1
    paper: tuple[int, int, int] = (252, 251, 248)
    streaks: int = 0
    punch_holes: bool = False
    turn: int = 0  # 0, 90, 180, 270 clockwise, applied last
    jpeg_quality: int = 80
    perspective: float = 0.0  # phone: corner jitter as a fraction of the page size
    photo_size: tuple[int, int] = (1512, 2016)  # phone: output image size (w, h) before `turn`
    contrast: float = 1.0
    extra: dict[str, float] = field(default_factory=dict)


def _affine_points(pts: list[np.ndarray], m: np.ndarray) -> list[np.ndarray]:
    out = []
    for p in pts:
        if len(p) == 0:
            out.append(p)
            continue
        out.append((np.hstack([p, np.ones((len(p), 1), np.float32)]) @ m.T).astype(np.float32))
    return out


def clip_to_page(pts: np.ndarray, w: int, h: int) -> np.ndarray:
    """Clamp an outline to the page: what is left of a seal that hangs over the edge."""
    return np.stack([np.clip(pts[:, 0], 0, w), np.clip(pts[:, 1], 0, h)], axis=1).astype(np.float32)


def photocopy(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A black-and-white photocopy: grey, harder contrast, toner specks, a darker band at one edge."""
    g = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
    g = np.clip((g - 25) * 1.12, 0, 255)
    g = 255 * (g / 255) ** 1.05
    h, w = g.shape
    specks = rng.random((h // 2, w // 2)) < 0.0004
    sp = cv2.resize(specks.astype(np.uint8) * 255, (w, h), interpolation=cv2.INTER_NEAREST)
    g = np.minimum(g, 255 - sp.astype(np.float32) * 0.5)
    band = np.linspace(1.0, 0.0, 60, dtype=np.float32)
    side = int(rng.integers(0, 4))
    if side == 0:
        g[:, :60] *= 1 - 0.35 * band[None, :]
    elif side == 1:
        g[:, -60:] *= 1 - 0.35 * band[::-1][None, :]
    elif side == 2:
        g[:60, :] *= 1 - 0.35 * band[:, None]
    else:
        g[-60:, :] *= 1 - 0.35 * band[::-1][:, None]
    g8 = np.clip(g, 0, 255).astype(np.uint8)
    return cv2.cvtColor(g8, cv2.COLOR_GRAY2RGB)


def _light_field(h: int, w: int, strength: float, rng: np.random.Generator) -> np.ndarray:
    gx, gy = np.meshgrid(np.linspace(-1, 1, 32, dtype=np.float32), np.linspace(-1, 1, 48, dtype=np.float32))
    ang = rng.uniform(0, 2 * np.pi)
    lin = gx * np.cos(ang) + gy * np.sin(ang)
    cx, cy = rng.uniform(-0.5, 0.5, 2)
    rad = (gx - cx) ** 2 + (gy - cy) ** 2
    f = 1.0 - strength * (0.05 * (lin + 1) / 2 + 0.05 * rad / 2)
    return cv2.resize(f.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def scan_page(
    img: np.ndarray, outlines: list[np.ndarray], prof: ScanProfile, rng: np.random.Generator
) -> tuple[Image.Image, list[np.ndarray]]:
    """Capture one composed page (H, W, 3 uint8, seals already stamped) as the stored image.

    Returns the image (mode RGB, L or 1) and the outlines mapped into its pixels.
    """
    h, w = img.shape[:2]
    if prof.kind == "digital":
        out_img, pts = img, outlines
    elif prof.kind == "photo":
        out_img, pts = _photo(img, outlines, prof, rng)
    else:
        out_img, pts = _flatbed(img, outlines, prof, rng)
    out_img, pts = _turn(out_img, pts, prof.turn)
    pil = _to_mode(out_img, prof.mode, rng)
    return pil, pts


def _flatbed(
    img: np.ndarray, outlines: list[np.ndarray], prof: ScanProfile, rng: np.random.Generator
) -> tuple[np.ndarray, list[np.ndarray]]:
    h, w = img.shape[:2]
    f = img.astype(np.float32)
    f *= np.array(prof.paper, np.float32) / 255.0
    if prof.punch_holes:
        for dy in (-315, 315):
            cy = h // 2 + dy + int(rng.integers(-10, 10))
            cv2.circle(
                f, (int(rng.integers(55, 80)), cy), int(rng.integers(22, 28)), (60, 60, 62), -1, cv2.LINE_AA
            )
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -prof.skew, 1.0)
    m[0, 2] += prof.shift[0]
    m[1, 2] += prof.shift[1]
    fv = float(prof.frame_value)
    if abs(prof.skew) > 0.01 or prof.shift != (0, 0):
        f = cv2.warpAffine(
            f, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(fv, fv, fv)
        )
        outlines = _affine_points(outlines, m)
    if prof.light > 0:
        f *= _light_field(h, w, prof.light, rng)[:, :, None]
    if prof.contrast != 1.0:
        f = (f - 128) * prof.contrast + 128
    for _ in range(prof.streaks):
        x = int(rng.integers(0, w))
        ww = int(rng.integers(1, 4))
        y0 = int(rng.integers(0, h // 2))
        y1 = int(rng.integers(h // 2, h))
        f[y0:y1, x : x + ww] *= float(rng.uniform(0.6, 0.92))
    if prof.blur > 0:
        f = cv2.GaussianBlur(f, (0, 0), prof.blur)
    if prof.noise > 0:
        f += rng.standard_normal((h, w), dtype=np.float32)[:, :, None] * prof.noise
    return np.clip(f, 0, 255).astype(np.uint8), outlines


def _photo(
    img: np.ndarray, outlines: list[np.ndarray], prof: ScanProfile, rng: np.random.Generator
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The page lying on a desk, photographed from above at a slight angle, in warm indoor light."""
    ow, oh = prof.photo_size
    h, w = img.shape[:2]
    scale = min(ow / w, oh / h) * rng.uniform(0.78, 0.86)
    pw, ph = w * scale, h * scale
    cx, cy = ow / 2 + rng.uniform(-0.03, 0.03) * ow, oh / 2 + rng.uniform(-0.03, 0.03) * oh
    base = np.array(
        [
            [cx - pw / 2, cy - ph / 2],
            [cx + pw / 2, cy - ph / 2],
            [cx + pw / 2, cy + ph / 2],
            [cx - pw / 2, cy + ph / 2],
        ],
        np.float32,
    )
    j = prof.perspective
    jitter = rng.uniform(-j, j, (4, 2)).astype(np.float32) * np.array([pw, ph], np.float32)
    # keep the keystone plausible: top edge narrower than the bottom one
    jitter[0, 0] += j * pw * 0.6
    jitter[1, 0] -= j * pw * 0.6
    dst = base + jitter
    centre = np.array([cx, cy], np.float32)
    for _ in range(20):  # the whole page stays in the frame: nothing is cut by the photo's edge
        if (
            dst[:, 0].min() >= 8
            and dst[:, 1].min() >= 8
            and dst[:, 0].max() <= ow - 8
            and dst[:, 1].max() <= oh - 8
        ):
            break
        dst = centre + (dst - centre) * 0.95
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    mtx = cv2.getPerspectiveTransform(src, dst)
    desk = np.empty((oh, ow, 3), np.float32)
    tone = np.array(rng.choice([(150, 120, 90), (95, 85, 80), (185, 180, 170), (120, 130, 140)]), np.float32)
    grad = np.linspace(0.85, 1.1, oh, dtype=np.float32)[:, None, None]
    desk[:] = tone
    desk *= grad
    grain = cv2.resize(
        rng.standard_normal((oh // 4, ow // 4), dtype=np.float32), (ow, oh), interpolation=cv2.INTER_CUBIC
    )
    desk += grain[:, :, None] * 5
    small = cv2.resize(img, (int(w * scale * 1.1), int(h * scale * 1.1)), interpolation=cv2.INTER_AREA)
    k = small.shape[1] / w
    mtx_small = mtx @ np.array([[1 / k, 0, 0], [0, 1 / k, 0], [0, 0, 1]], np.float64)
    paper = np.array(prof.paper, np.float32) / 255.0
    warped = cv2.warpPerspective(
        small.astype(np.float32) * paper,
        mtx_small,
        (ow, oh),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    cover = cv2.warpPerspective(
        np.ones(small.shape[:2], np.float32),
        mtx_small,
        (ow, oh),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=0,
    )[:, :, None]
    f = desk * (1 - cover) + warped * cover
    # light: warm cast, vignette, a soft shadow across one side (the phone and the hand)
    f *= np.array([1.0, 0.97, 0.9], np.float32)
    f *= _light_field(oh, ow, 3.0 + 2 * prof.light, rng)[:, :, None]
    if rng.random() < 0.6:
        sx = rng.uniform(0.2, 0.8)
        xx = np.linspace(0, 1, ow, dtype=np.float32)
        shade = 1 - 0.22 / (1 + np.exp(-(xx - sx) * 25))
        f *= shade[None, :, None] if rng.random() < 0.5 else shade[::-1][None, :, None]
    f = cv2.GaussianBlur(f, (0, 0), max(0.6, prof.blur))
    f += rng.standard_normal((oh, ow), dtype=np.float32)[:, :, None] * max(2.0, prof.noise)
    pts = []
    for p in outlines:
        pts.append(
            cv2.perspectiveTransform(p.reshape(-1, 1, 2).astype(np.float32), mtx).reshape(-1, 2)
            if len(p)
            else p
        )
    return np.clip(f, 0, 255).astype(np.uint8), pts


def _turn(img: np.ndarray, pts: list[np.ndarray], turn: int) -> tuple[np.ndarray, list[np.ndarray]]:
    h, w = img.shape[:2]
    if turn == 0:
        return img, pts
    if turn == 90:  # clockwise: (x, y) -> (h - y, x)
        out = cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
        return out, [np.stack([h - p[:, 1], p[:, 0]], 1) if len(p) else p for p in pts]
    if turn == 180:
        out = cv2.rotate(img, cv2.ROTATE_180)
        return out, [np.stack([w - p[:, 0], h - p[:, 1]], 1) if len(p) else p for p in pts]
    if turn == 270:
        out = cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE)
        return out, [np.stack([p[:, 1], w - p[:, 0]], 1) if len(p) else p for p in pts]
    raise ValueError(turn)


def _to_mode(img: np.ndarray, mode: str, rng: np.random.Generator) -> Image.Image:
    if mode == "color":
        return Image.fromarray(img, "RGB")
    g = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    if mode == "grey":
        return Image.fromarray(g, "L")
    # 1-bit: paper goes to white, text to black, seals and greys are error-diffused (halftone dots)
    lv = np.clip((g.astype(np.float32) - 60) * (255 / (205 - 60)), 0, 255).astype(np.uint8)
    return Image.fromarray(lv, "L").convert("1")


def bbox_of(pts: np.ndarray, w: int, h: int) -> list[int]:
    """Integer bounding box of an outline, clipped to the stored image."""
    x0 = int(np.floor(max(0.0, float(pts[:, 0].min()))))
    y0 = int(np.floor(max(0.0, float(pts[:, 1].min()))))
    x1 = int(np.ceil(min(float(w), float(pts[:, 0].max()))))
    y1 = int(np.ceil(min(float(h), float(pts[:, 1].max()))))
    return [x0, y0, x1, y1]
