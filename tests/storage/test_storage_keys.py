"""storage.keys: key layouts and the hostile-key -> local path mapping (no server needed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import keys

BATCH = "2024-02-28-taiyuan-001"
DOC = hashlib.sha256(b"source bytes").hexdigest()


@pytest.mark.parametrize("good", ["b", "2024-02-28-taiyuan-001", "A.b_c-9", "x" * 100, "a..b"])
def test_validate_batch_id_accepts(good: str) -> None:
    assert keys.validate_batch_id(good) == good


@pytest.mark.parametrize(
    "bad",
    ["", ".hidden", ".", "..", "a/b", "a b", "太原", "x" * 101, "a\n", "a\x00", "a\\b", "../x", "a%2fb"],
)
def test_validate_batch_id_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid batch id"):
        keys.validate_batch_id(bad)


def test_layouts() -> None:
    assert keys.inbox_prefix(BATCH) == f"inbox/{BATCH}/"
    assert keys.results_prefix(BATCH) == f"results/{BATCH}/"
    assert keys.result_key(BATCH, DOC) == f"results/{BATCH}/{DOC}.json"
    assert keys.summary_key(BATCH) == f"results/{BATCH}/summary.json"
    assert keys.evidence_key(BATCH, DOC, "seal-p1-0.png") == f"results/{BATCH}/evidence/{DOC}/seal-p1-0.png"
    source = f"inbox/{BATCH}/阳泉市技工学校/自查报告.pdf"
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert keys.object_record_key(BATCH, source) == f"results/{BATCH}/objects/{digest}.json"


def test_object_record_keys_differ_per_source_key() -> None:
    a = keys.object_record_key(BATCH, f"inbox/{BATCH}/A/自查报告.pdf")
    b = keys.object_record_key(BATCH, f"inbox/{BATCH}/B/自查报告.pdf")
    assert a != b


@pytest.mark.parametrize("bad_doc", ["", "abc", DOC.upper(), DOC + "0", "../" + DOC[3:], "x" * 64])
def test_document_id_must_be_sha256_hex(bad_doc: str) -> None:
    with pytest.raises(ValueError, match="sha256"):
        keys.result_key(BATCH, bad_doc)
    with pytest.raises(ValueError, match="sha256"):
        keys.evidence_key(BATCH, bad_doc, "x.png")


@pytest.mark.parametrize("bad_name", ["", ".x", "..", "a/b", "a b.png", "印章.png", "x" * 101])
def test_evidence_name_is_one_safe_segment(bad_name: str) -> None:
    with pytest.raises(ValueError, match="evidence name"):
        keys.evidence_key(BATCH, DOC, bad_name)


def test_layouts_reject_bad_batch_ids() -> None:
    for fn in (keys.inbox_prefix, keys.results_prefix, keys.summary_key):
        with pytest.raises(ValueError):
            fn("../etc")
    with pytest.raises(ValueError):
        keys.result_key("a/b", DOC)
    with pytest.raises(ValueError):
        keys.object_record_key(BATCH, "")


@pytest.mark.parametrize(
    ("key", "institution"),
    [
        (f"inbox/{BATCH}/阳泉市技工学校/扫描全能王 2024-02-23 16.42.pdf", "阳泉市技工学校"),
        (f"inbox/{BATCH}/A #1 & co/deeper/IMG_1.jpg", "A #1 & co"),
        (f"inbox/{BATCH}/loose.pdf", None),
        (f"inbox/{BATCH}//empty-folder.pdf", None),
        (f"inbox/{BATCH}/folder-marker/", "folder-marker"),
    ],
)
def test_institution_of(key: str, institution: str | None) -> None:
    assert keys.institution_of(BATCH, key) == institution


@pytest.mark.parametrize(
    "key", [f"inbox/{BATCH}x/a/b.pdf", f"results/{BATCH}/a/b.pdf", "a.pdf", f"inbox/{BATCH}"]
)
def test_institution_of_rejects_keys_outside_the_batch(key: str) -> None:
    with pytest.raises(ValueError, match="not inside"):
        keys.institution_of(BATCH, key)


HOSTILE_KEYS = [
    "inbox/b/inst/扫描全能王 2024-02-23 16.42.pdf",
    "../../etc/passwd",
    "/etc/passwd",
    "inbox/b/..",
    "inbox/b/.",
    "..",
    ".",
    "",
    "/",
    "inbox/b/inst/",
    "a\\..\\..\\windows\\system32",
    "..\\..",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a\x00b.pdf",
    "\x00",
    "a#b%c&d?e*f|g<h>i:j\"k'l.pdf",
    "x" * 5000 + ".pdf",
    "深" * 400 + ".pdf",
    "file.tar.gz",
    "noext",
    ".bashrc",
    "...pdf",
    "name.pdf\n",
    "e\u0301cole.pdf",  # NFD
    "\udcff.pdf",  # lone surrogate, as os.fsdecode makes from bad bytes
    "CON",
    " ",
    "\u202egnp.exe",  # right-to-left override
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_safe_local_path_stays_inside(tmp_path: Path, key: str) -> None:
    _check_safe(tmp_path / "work", key)


def test_safe_local_path_examples(tmp_path: Path) -> None:
    work = tmp_path / "work"
    path = keys.safe_local_path(work, "inbox/b/inst/扫描全能王 2024-02-23 16.42.pdf")
    assert path.name == "扫描全能王_2024-02-23_16.42.pdf"
    assert keys.safe_local_path(work, "a/SCAN.PDF").name == "SCAN.pdf"
    assert keys.safe_local_path(work, "../../etc/passwd").name == "passwd"
    assert keys.safe_local_path(work, "..").name == "object"
    assert keys.safe_local_path(work, ".bashrc").name == "object.bashrc"
    assert keys.safe_local_path(work, "e\u0301cole.pdf").name == "\u00e9cole.pdf"
    # Same basename in two folders: different files.
    assert keys.safe_local_path(work, "A/自查报告.pdf") != keys.safe_local_path(work, "B/自查报告.pdf")
    # Deterministic.
    assert keys.safe_local_path(work, "A/x.pdf") == keys.safe_local_path(work, "A/x.pdf")


def _check_safe(work: Path, key: str) -> None:
    path = keys.safe_local_path(work, key)
    assert path.parent.parent == work
    assert path.resolve().is_relative_to(work.resolve())
    name = path.name
    assert name not in {"", ".", ".."}
    assert not name.startswith(".")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name.encode("utf-8")) <= 255
    assert len(path.parent.name) == 16
    # The file system accepts the name.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    assert [p.name for p in path.parent.iterdir()] == [name]
    path.unlink()


@pytest.fixture(scope="module")
def property_work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("safe-paths") / "work"


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(key=st.text(max_size=300))
def test_safe_local_path_property(property_work_dir: Path, key: str) -> None:
    _check_safe(property_work_dir, key)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    parts=st.lists(
        st.sampled_from(["..", ".", "", "%2f", "\\", "a", "\x00", "深", " ", "#", "/"]), max_size=30
    )
)
def test_safe_local_path_property_traversal_pieces(property_work_dir: Path, parts: list[str]) -> None:
    _check_safe(property_work_dir, "/".join(parts))
    _check_safe(property_work_dir, "".join(parts))
