"""The sample generator: determinism, the truth contract, coverage of the curated batch and of a corpus."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from records.models import FINDING_CODES
from samples.generator import generate_corpus, make_sample_batch
from samples.generator.truth import validate_truth

# every code of the vocabulary except low_confidence, which depends on the OCR and cannot be planted
BATCH_CODES = set(FINDING_CODES) - {"low_confidence"}
MAGIC = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8",
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK",
}


def _tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def _truths(out: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "truth").glob("*.json"))]


def _page_sizes(path: Path, media_type: str) -> list[tuple[int, int]] | None:
    """Pixel sizes of the pages as the pipeline sees them (PDF pages at 200 dpi)."""
    data = path.read_bytes()
    if media_type.startswith("image/"):
        im = Image.open(io.BytesIO(data))
        sizes = []
        for i in range(getattr(im, "n_frames", 1)):
            im.seek(i)
            sizes.append(im.size)
        return sizes
    if media_type == "application/pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        return [
            (round(w * 200 / 72), round(h * 200 / 72))
            for w, h in (doc[i].get_size() for i in range(len(doc)))
        ]
    return None


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch")
    make_sample_batch(out)
    return out


@pytest.fixture(scope="module")
def corpus20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus20")
    generate_corpus(out, count=20, seed=3)
    return out


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_corpus(a, count=6, seed=11)
    generate_corpus(b, count=6, seed=11)
    generate_corpus(c, count=6, seed=12)
    assert _tree(a) == _tree(b)
    assert _tree(a) != _tree(c)
    assert len(list((a / "inbox").rglob("*.*"))) == 6


def _check_out_dir(out: Path) -> list[dict]:
    truths = _truths(out)
    inbox_files = {p.relative_to(out / "inbox").as_posix() for p in (out / "inbox").rglob("*") if p.is_file()}
    assert {t["key"] for t in truths} == inbox_files, "one truth record per uploaded file"
    problems = {}
    for t in truths:
        path = out / "inbox" / t["key"]
        sizes = _page_sizes(path, t["media_type"]) if "unreadable" not in t["finding_codes"] else None
        errs = validate_truth(t, out, sizes)
        if sizes is not None and t["pages"] != len(sizes):
            errs.append(f"pages {t['pages']} != {len(sizes)}")
        magic = MAGIC.get(t["media_type"])
        if magic and "unreadable" not in t["finding_codes"] and not path.read_bytes().startswith(magic):
            errs.append(f"bytes are not {t['media_type']}")
        if t["media_type"].endswith("document"):
            with zipfile.ZipFile(path) as z:
                pics = [
                    Image.open(io.BytesIO(z.read(n))).size
                    for n in z.namelist()
                    if n.startswith("word/media/")
                ]
            for s in t["seals"]:
                if (s["bbox"][2], s["bbox"][3]) not in pics or s["bbox"][:2] != [0, 0]:
                    errs.append("DOCX seal bbox is not a picture's own box")
        if errs:
            problems[t["key"]] = errs
    assert not problems
    roster = (out / "roster.csv").read_text(encoding="utf-8").splitlines()
    assert roster[0] == "name,category,city,sponsor"
    names = {line.split(",")[0] for line in roster[1:]}
    assert {t["institution"] for t in truths} <= names
    assert len(names - {t["institution"] for t in truths}) >= 1, "someone on the roster sends nothing"
    return truths


def test_batch_truth_is_valid_and_covers_every_code(batch: Path) -> None:
    truths = _check_out_dir(batch)
    assert 10 <= len(truths) <= 15
    assert {c for t in truths for c in t["finding_codes"]} >= BATCH_CODES
    assert {"fire_acceptance_certificate", "self_inspection_report", "unknown"} <= {
        t["doc_type"] for t in truths
    }
    assert any(t["key"].endswith(".pdf") and t["media_type"] == "image/png" for t in truths)
    assert any(t["media_type"].endswith("document") and t["seals"] for t in truths)
    assert {t["status"] for t in truths} == {"passed", "flagged", "failed"}
    assert sum(p.stat().st_size for p in (batch / "inbox").rglob("*") if p.is_file()) < 10_000_000


def test_unreadable_files_really_are(batch: Path) -> None:
    import pypdfium2 as pdfium

    for t in _truths(batch):
        if "unreadable" in t["finding_codes"]:
            with pytest.raises(pdfium.PdfiumError):
                pdfium.PdfDocument((batch / "inbox" / t["key"]).read_bytes())


def test_corpus_covers_types_and_formats(corpus20: Path) -> None:
    truths = _check_out_dir(corpus20)
    assert len(truths) == 20
    assert {"fire_acceptance_certificate", "self_inspection_report"} <= {t["doc_type"] for t in truths}
    assert len({t["media_type"] for t in truths}) >= 3
    assert any(t["status"] == "passed" for t in truths) and any(t["status"] == "flagged" for t in truths)


def test_a_docx_seal_whose_paragraph_is_not_a_body_paragraph_is_still_in_the_file() -> None:
    """The truth lists every seal: one anchored to a paragraph the layout put in a table floats
    from the end of the document instead of being dropped."""
    import datetime as dt
    import io
    import zipfile

    import numpy as np
    from PIL import Image

    from samples.generator.formats import DocxPicture, write_docx

    buf = io.BytesIO()
    Image.fromarray(np.full((40, 40, 3), 200, np.uint8)).save(buf, format="PNG")
    pic = DocxPicture(after_anchor="signing-block-in-a-table", png=buf.getvalue(), width_px=40, dx_px=10, dy_px=5)
    data = write_docx([], {}, [pic], "作者", dt.datetime(2024, 2, 20, 9, 0))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("word/media/") for n in names) == 1


def test_a_docx_form_prints_its_signing_body_and_date_in_the_department_cell() -> None:
    """The truth has the form's issue date: the Word file must print it, as the images do."""
    import datetime as dt
    import io

    import docx

    from samples.generator.formats import write_docx
    from samples.generator.layouts import Table

    table = Table([["验收结论", "合格"], ["验收部门意见", ""]], [0.24, 0.76], size=36, role="table",
                  label_cols=(0,), cell_anchors={(1, 1): "form_sign"})
    data = write_docx([table], {}, [], "作者", dt.datetime(2024, 2, 20, 9, 0),
                      cell_lines={"form_sign": ["阳泉市住房和城乡建设局（盖章）", "二〇二三年十二月十五日"]})
    cell = docx.Document(io.BytesIO(data)).tables[0].cell(1, 1)
    assert [p.text for p in cell.paragraphs] == ["阳泉市住房和城乡建设局（盖章）", "二〇二三年十二月十五日"]
