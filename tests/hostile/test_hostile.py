"""Hostile uploads: every one gives a LoadedDocument or an IntakeError, fast and in bounded memory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from extractors.load import ReadOptions, load_document
from records.errors import InputError, IntakeError, LimitExceeded
from records.models import LoadedDocument

OPTIONS = ReadOptions(pdf_render_dpi=100)
GIB = 1 << 30


def load_or_error(path: Path, options: ReadOptions = OPTIONS) -> LoadedDocument | IntakeError:
    """The contract under test: a LoadedDocument or an IntakeError, nothing else escapes."""
    try:
        return load_document(path, declared_name=path.name, options=options)
    except IntakeError as e:
        return e


def test_hostile_case(case: Any, hostile_dir: Path) -> None:
    outcome = load_or_error(hostile_dir / case.name)
    if case.expect == "ok":
        assert isinstance(outcome, LoadedDocument), outcome
    elif case.expect == "either":
        assert isinstance(outcome, LoadedDocument | InputError)
    elif case.expect == "limit":
        assert isinstance(outcome, LimitExceeded), outcome
        assert outcome.limit == case.detail
        assert case.detail in str(outcome), "the message names the limit and its value"
    else:
        assert isinstance(outcome, InputError) and not isinstance(outcome, LimitExceeded), outcome
        assert re.search(case.detail, str(outcome)), str(outcome)


def test_every_hostile_file_gives_a_document_or_an_intake_error(hostile_dir: Path) -> None:
    files = sorted(hostile_dir.iterdir())
    assert len(files) >= 30
    for path in files:
        try:
            result = load_document(path, declared_name=path.name, options=OPTIONS)
        except IntakeError:
            continue
        except BaseException as e:  # noqa: BLE001 - this is exactly what must never happen
            pytest.fail(f"{path.name}: {type(e).__name__} escaped: {e}")
        assert isinstance(result, LoadedDocument)


def test_jpeg_named_tif_reads_as_jpeg_and_records_the_claim(hostile_dir: Path) -> None:
    doc = load_document(hostile_dir / "jpeg_named.tif", declared_name="jpeg_named.tif", options=OPTIONS)
    assert doc.media_type == "image/jpeg" and doc.declared_media_type == "image/tiff"


def test_limit_messages_name_the_configured_value(hostile_dir: Path) -> None:
    e = load_or_error(hostile_dir / "tiff_300_pages.tif", ReadOptions(max_pages=7))
    assert isinstance(e, LimitExceeded) and "max_pages=7" in str(e)
    e = load_or_error(hostile_dir / "random.bin", ReadOptions(max_bytes=100))
    assert isinstance(e, LimitExceeded) and e.limit == "max_bytes" and "max_bytes=100" in str(e)


def test_docx_zip_bomb_is_rejected_fast_in_little_memory(hostile_dir: Path) -> None:
    path = hostile_dir / "docx_zip_bomb.docx"
    assert path.stat().st_size < 2_000_000  # ~1 MB on disk, 1 GiB inflated
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(LimitExceeded) as err:
            load_document(path, declared_name=path.name, options=OPTIONS)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.value.limit == "max_docx_inflated_bytes"
    assert elapsed < 2.0
    assert peak < 20 * 1024 * 1024


def test_docx_bounded_inflate_stops_at_the_limit(hostile_dir: Path) -> None:
    """The inflate itself is bounded too, whatever the headers declared (defence in depth).

    CPython's zipfile stops at the declared size of an entry, so a header that understates the
    size gives a CRC error (docx_lying_sizes.docx); this checks the counter on its own.
    """
    import zipfile

    from extractors.docx import _inflate_entry

    with zipfile.ZipFile(hostile_dir / "docx_zip_bomb.docx") as zf:
        info = zf.getinfo("word/document.xml")
        tracemalloc.start()
        try:
            with pytest.raises(LimitExceeded) as err:
                _inflate_entry(zf, info, 0, ReadOptions(max_docx_inflated_bytes=5 * 1024 * 1024))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert err.value.limit == "max_docx_inflated_bytes"
    assert peak < 20 * 1024 * 1024


_MEASURE = """
import json, resource, sys
from pathlib import Path
# A safety net: if a guard regressed, fail with MemoryError instead of exhausting the machine.
resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))

def peak_rss():
    # VmHWM is this process's own high-water mark; ru_maxrss survives fork+exec on Linux,
    # so it would include the pytest parent's size.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

from extractors.load import ReadOptions, load_document
from records.errors import IntakeError
before = peak_rss()
outcomes = {}
for path in sorted(Path(sys.argv[1]).iterdir()):
    try:
        load_document(path, declared_name=path.name, options=ReadOptions())
        outcomes[path.name] = "ok"
    except IntakeError as e:
        outcomes[path.name] = type(e).__name__
peak = peak_rss()
print(json.dumps({"before": before, "peak": peak, "outcomes": outcomes}))
"""


def test_peak_memory_over_the_hostile_set(hostile_dir: Path) -> None:
    """The whole hostile set, default options, in a fresh process: peak RSS stays well under 3 GB."""
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(hostile_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    print(
        f"hostile set: peak RSS {report['peak'] / 2**20:.0f} MiB "
        f"(imports alone {report['before'] / 2**20:.0f} MiB)"
    )
    assert set(report["outcomes"]) == {p.name for p in hostile_dir.iterdir()}
    assert report["peak"] < 1 * GIB, "well under the 3 GB budget"
