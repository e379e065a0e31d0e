"""Seal finding and reading: seconds per page and per seal, and accuracy (run by hand).

    .venv/bin/python bench/bench_seals.py                      # drawn pages (tests/seals/seal_art.py)
    .venv/bin/python bench/bench_seals.py --corpus /tmp/corpus # a generated corpus (samples.generator)
    .venv/bin/python bench/bench_seals.py --reader polar       # polar unwarp only (no seal detector)
    .venv/bin/python bench/bench_seals.py --read-all           # every strip and both readers, always
    .venv/bin/python bench/bench_seals.py --corpus /tmp/corpus --detect-only  # detection alone, fast

The corpus mode scores against the corpus truth like evaluation/score.py does for seals: same
page, IoU >= 0.3, greedy; ring text exact after NFKC + whitespace removal; and the seal finding
codes of check_seals against the truth's seal codes. Embedded pictures (DOCX seals) are matched
to the page's remaining truth seals in order. Not a test: numbers go in reports.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

os.environ.setdefault("OMP_NUM_THREADS", "2")

from evaluation.score import iou as _iou  # noqa: E402
from evaluation.score import levenshtein  # noqa: E402
from evaluation.score import normalize_text as _norm  # noqa: E402


def _artist_module() -> Any:
    path = ROOT / "tests" / "seals" / "seal_art.py"
    spec = importlib.util.spec_from_file_location("seal_art", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["seal_art"] = mod
    spec.loader.exec_module(mod)
    return mod


def bench_drawn(reader: Any, detector: Any, n: int) -> None:
    """Time detection alone and detection + reading on `n` drawn pages; count exact readings."""
    art_mod = _artist_module()
    art = art_mod.SealArtist(dpi=200, seed=1)
    S = art_mod.SealSpec
    names = [
        "阳泉市住房和城乡建设局",
        "山西焦煤集团有限责任公司",
        "太原市第一技工学校",
        "晋中市公安消防支队",
        "长治市人力资源和社会保障局",
        "运城市交通运输技工学校",
        "恩施土家族苗族自治州人力资源和社会保障局",
        "长治技师学院",
    ]
    pages = []
    for i in range(n):
        name = names[i % len(names)]
        kind = i % 5
        if kind == 0:
            pages.append(
                ([name], art.stamped_page([(S(name=name, sub_text="消防验收专用章"), (1100, 1900))]))
            )
        elif kind == 1:
            other = names[(i + 3) % len(names)]
            pages.append(
                (
                    [name, other],
                    art.stamped_page(
                        [(S(name=name, font="sans"), (500, 1850)), (S(name=other, font="kai"), (1150, 1900))]
                    ),
                )
            )
        elif kind == 2:
            pages.append(([], art.stamped_page([])))
        elif kind == 3:
            pages.append(([name], art.stamped_page([(S(name=name), (1000, 1900))], grey=True)))
        else:
            pages.append(
                ([name], art.stamped_page([(S(name=name, font="zenhei", rotation_deg=10), (700, 800))]))
            )  # over text
    reader.find_seals(pages[0][1], page_no=1, dpi=200)  # load models
    t_det, t_all, n_seals, exact, found, truth_n, fp = [], [], 0, 0, 0, 0, 0
    for truth, page in pages:
        t0 = time.perf_counter()
        detector.find_seals(page, page_no=1, dpi=200)
        t_det.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        res = reader.find_seals(page, page_no=1, dpi=200)
        t_all.append(time.perf_counter() - t0)
        n_seals += len(res)
        truth_n += len(truth)
        found += min(len(res), len(truth))
        fp += max(0, len(res) - len(truth))
        texts = [c.finding.text for c in res]
        exact += sum(1 for t in truth if t in texts)
    print(f"drawn pages: {len(pages)} ({truth_n} seals)  found {found}/{truth_n}, spurious {fp}")
    print(f"  ring text exact {exact}/{truth_n}")
    print(f"  detection only: {statistics.mean(t_det):.3f} s/page (median {statistics.median(t_det):.3f})")
    print(f"  detect + read : {statistics.mean(t_all):.3f} s/page, {sum(t_all) / max(1, n_seals):.3f} s/seal")


def bench_corpus(reader: Any, root: Path) -> None:
    """Score seals of a generated corpus against its truth, and time them."""
    from checks.seals import check_seals
    from extractors.load import ReadOptions, load_document

    roster = {}
    if (root / "roster.csv").is_file():
        roster = {r["name"]: r for r in csv.DictReader((root / "roster.csv").open(encoding="utf-8"))}
    tp = fp = fn = exact = pairs = 0
    cer = 0.0
    codes_ok = codes_n = 0
    t_pages: list[float] = []
    n_seals = 0
    by_color: dict[str, list[int]] = {}
    det_by_color: dict[str, list[int]] = {}  # colour -> [truth found, truth missed, predicted, spurious]
    for tf in sorted((root / "truth").glob("*.json")):
        t = json.loads(tf.read_text(encoding="utf-8"))
        path = root / "inbox" / t["key"]
        try:
            doc = load_document(path, declared_name=path.name, options=ReadOptions())
        except Exception:  # unreadable test files are the loader's business
            continue
        got: list[tuple[Any, bool]] = []
        for p in doc.pages:
            t0 = time.perf_counter()
            if p.image is not None:
                got += [(c.finding, False) for c in reader.find_seals(p.image, page_no=p.page_no, dpi=p.dpi)]
            for pic in p.pictures:
                got += [(c.finding, True) for c in reader.find_seals(pic, page_no=p.page_no, dpi=None)]
            t_pages.append(time.perf_counter() - t0)
        n_seals += len(got)
        used: set[int] = set()
        for ts in t["seals"]:
            best, bj = 0.0, None
            for j, (g, pic) in enumerate(got):
                if j in used or g.page_no != ts["page"]:
                    continue
                v = 1.0 if pic else _iou(ts["bbox"], g.bbox)
                if v > best:
                    best, bj = v, j
            counts = det_by_color.setdefault(ts.get("color", "?"), [0, 0, 0, 0])
            counts[0 if bj is not None and best >= 0.3 else 1] += 1
            if bj is not None and best >= 0.3:
                used.add(bj)
                tp += 1
                g = got[bj][0]
                if ts.get("text"):
                    pairs += 1
                    ok = _norm(g.text or "") == _norm(ts["text"])
                    exact += ok
                    cer += levenshtein(_norm(g.text or ""), _norm(ts["text"])) / max(
                        1, len(_norm(ts["text"]))
                    )
                    by_color.setdefault(f"{ts['color']}{'/partial' if ts['partial'] else ''}", [0, 0])
                    by_color[f"{ts['color']}{'/partial' if ts['partial'] else ''}"][0] += ok
                    by_color[f"{ts['color']}{'/partial' if ts['partial'] else ''}"][1] += 1
            else:
                fn += 1
        fp += len(got) - len(used)
        for j, (g, _) in enumerate(got):
            counts = det_by_color.setdefault(g.color, [0, 0, 0, 0])
            counts[2] += 1
            counts[3] += j not in used
        inst = roster.get(t.get("institution") or "", {})
        if t["doc_type"] == "fire_acceptance_certificate":
            req = ["issuing_authority", "sponsor"]
            exp = {
                "issuing_authority": t["fields"].get("issuing_authority"),
                "sponsor": inst.get("sponsor") or None,
                "institution_name": t.get("institution"),
            }
        elif t["doc_type"] == "self_inspection_report":
            req = ["institution_name"]
            exp = {"institution_name": t.get("institution"), "sponsor": inst.get("sponsor") or None}
        else:
            continue
        _, findings = check_seals([g for g, _ in got], required_roles=req, expected=exp)
        want = sorted(
            {c for c in t["finding_codes"] if c in ("missing_seal", "seal_mismatch", "seal_partial")}
        )
        have = sorted({f.code for f in findings})
        codes_n += 1
        codes_ok += want == have
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    print(f"corpus {root}: detection tp={tp} fp={fp} fn={fn}  P={prec:.3f} R={rec:.3f} F1={f1:.3f}")
    for k, (found_n, missed, predicted, spurious) in sorted(det_by_color.items()):
        print(
            f"    {k:5s} recall {found_n}/{found_n + missed} = {found_n / max(1, found_n + missed):.3f}, "
            f"precision (by the detected colour) {predicted - spurious}/{predicted} = "
            f"{(predicted - spurious) / max(1, predicted):.3f}"
        )
    print(
        f"  ring text exact {exact}/{pairs} = {exact / max(1, pairs):.3f}, mean CER {cer / max(1, pairs):.3f}"
    )
    for k, (ok, n) in sorted(by_color.items()):
        print(f"    {k:14s} {ok}/{n}")
    print(f"  seal finding codes as in truth: {codes_ok}/{codes_n} documents")
    per_seal = sum(t_pages) / max(1, n_seals)
    print(f"  time: {statistics.mean(t_pages):.3f} s/page over {len(t_pages)} pages, {per_seal:.3f} s/seal")


def main() -> None:
    """Parse arguments, build the readers (2 threads), run one bench."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="a generated corpus dir (inbox/, truth/, roster.csv)")
    ap.add_argument("--pages", type=int, default=20, help="drawn pages to time (default 20)")
    ap.add_argument("--reader", choices=("polar", "seal_det", "both"), default="both")
    ap.add_argument("--sure-polar", type=float, default=0.95, help="SealOptions.sure_polar_score")
    ap.add_argument("--read-all", action="store_true", help="every strip and both readers (sure_polar_score None)")
    ap.add_argument("--detect-only", action="store_true", help="corpus: find seals without reading them")
    args = ap.parse_args()

    import cv2

    cv2.setNumThreads(2)
    from extractors.ocr import OcrOptions, PaddleOcrEngine
    from extractors.seals import SealOptions, SealReader

    ocr = PaddleOcrEngine(OcrOptions(threads=2))
    reader = SealReader(SealOptions(text_reader=args.reader, threads=2, sure_polar_score=None if args.read_all else args.sure_polar), ocr=ocr)
    detector = SealReader(SealOptions(read_text=False))
    print(f"reader={args.reader}, sure polar={None if args.read_all else args.sure_polar}, 2 threads, cpus={os.cpu_count()}")
    if args.corpus:
        bench_corpus(detector if args.detect_only else reader, args.corpus)
    else:
        bench_drawn(reader, detector, args.pages)


if __name__ == "__main__":
    main()
