"""MinioStore against real S3-protocol servers (localbucket and moto) over HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from records.errors import InputError, LimitExceeded
from storage import keys
from storage.base import NoSuchKeyError, ObjectInfo, ObjectStore
from storage.s3 import MinioStore
from storage.servers import RunningServer

BATCH = "2024-02-28-taiyuan-001"
HOSTILE_NAMES = [
    "扫描全能王 2024-02-23 16.42.pdf",
    "a#b%c&d+e?.pdf",
    "100% done & dusted #1.jpg",
    "%2f..%2fescape.pdf",
    "back\\slash.pdf",
    "~!@$^()[]{};',=`.txt",
    "ÉCOLE naïve.PDF",
    "emoji 📄.png",
    " leading and trailing space .pdf",
    "x" * 200 + ".pdf",
]


def test_store_satisfies_protocol(store: MinioStore) -> None:
    assert isinstance(store, ObjectStore)


def test_round_trip_and_overwrite(store: MinioStore) -> None:
    key = keys.summary_key(BATCH)
    store.put(key, b'{"a": 1}', content_type="application/json")
    assert store.get(key) == b'{"a": 1}'
    store.put(key, b'{"a": 2}', content_type="application/json")
    assert store.get(key) == b'{"a": 2}'


def test_empty_object(store: MinioStore) -> None:
    store.put("empty.bin", b"")
    assert store.get("empty.bin") == b""
    info = store.stat("empty.bin")
    assert info is not None and info.size == 0


def test_stat_reports_size_etag_and_time(store: MinioStore) -> None:
    data = b"%PDF-1.7 fake"
    store.put("inbox/x/a.pdf", data, content_type="application/pdf")
    info = store.stat("inbox/x/a.pdf")
    assert info is not None
    assert info == ObjectInfo(
        key="inbox/x/a.pdf",
        size=len(data),
        etag=hashlib.md5(data).hexdigest(),
        last_modified=info.last_modified,
    )
    assert isinstance(info.last_modified, datetime) and info.last_modified.tzinfo is not None


def test_missing_key(store: MinioStore) -> None:
    assert store.stat("no/such/key") is None
    assert store.exists("no/such/key") is False
    with pytest.raises(NoSuchKeyError) as caught:
        store.get("no/such/key")
    assert caught.value.retryable is False
    assert caught.value.key == "no/such/key"


def test_exists_is_exact_not_prefix(store: MinioStore) -> None:
    store.put("inbox/b/inst/file.pdf", b"x")
    assert store.exists("inbox/b/inst/file.pdf")
    assert not store.exists("inbox/b/inst/file")
    assert not store.exists("inbox/b/inst")


def test_put_if_absent_creates_once(store: MinioStore) -> None:
    key = keys.object_record_key(BATCH, "inbox/x/y.pdf")
    assert store.put_if_absent(key, b"first", content_type="application/json") is True
    assert store.put_if_absent(key, b"second", content_type="application/json") is False
    assert store.get(key) == b"first"
    store.put(key, b"third")  # a plain put still overwrites
    assert store.put_if_absent(key, b"fourth") is False
    assert store.get(key) == b"third"


def test_put_if_absent_empty_body(store: MinioStore) -> None:
    assert store.put_if_absent("marker", b"") is True
    assert store.put_if_absent("marker", b"") is False


def test_put_if_absent_race_has_one_winner(store: MinioStore, s3_server: RunningServer) -> None:
    if s3_server.kind == "moto":
        pytest.skip("moto checks If-None-Match and then writes, without a lock: not atomic under races")
    store.put("warm-up", b"")  # create the bucket before the race
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        barrier.wait()
        results.append(store.put_if_absent("race/key", f"writer {n}".encode()))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    assert store.get("race/key").startswith(b"writer ")


def test_list_is_recursive_and_prefix_bound(store: MinioStore) -> None:
    prefix = keys.inbox_prefix(BATCH)
    wanted = [f"{prefix}学校 {i}/{name}" for i, name in enumerate(HOSTILE_NAMES)]
    wanted.append(f"{prefix}loose file.pdf")
    wanted.append(f"{prefix}深/层/目录/file.jpg")
    others = [
        keys.inbox_prefix(BATCH + "0") + "a/b.pdf",  # the prefix "inbox/<batch>" without the slash
        keys.summary_key(BATCH),
    ]
    for k in wanted + others:
        store.put(k, k.encode())
    listed = list(store.list(prefix))
    assert [o.key for o in listed] == sorted(wanted, key=lambda k: k.encode())
    assert all(o.size == len(o.key.encode()) for o in listed)
    for k in wanted:
        assert store.get(k) == k.encode()
    assert [o.key for o in store.list("")] == sorted(wanted + others, key=lambda k: k.encode())
    assert list(store.list("nothing/here/")) == []


def test_list_pages_past_1000_keys(store: MinioStore, s3_server: RunningServer) -> None:
    # Servers return at most 1000 keys per page; the client must follow the continuation.
    wanted = [f"p/{i:05d}" for i in range(1005)]
    store.ensure_bucket()
    if s3_server.root is not None:  # localbucket: objects are plain files, write them directly
        folder = s3_server.root / store.options.bucket / "p"
        folder.mkdir()
        for key in wanted:
            (folder / key[2:]).write_bytes(b"")
    else:  # moto: 1005 PUTs over HTTP take ~5 s; seed its in-process backend instead
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.s3.models import s3_backends

        backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
        for key in wanted:
            backend.put_object(store.options.bucket, key, b"")
    assert [o.key for o in store.list("p/")] == wanted


def test_list_skips_folder_markers(store: MinioStore, s3_server: RunningServer) -> None:
    if s3_server.kind == "localbucket":
        pytest.skip("localbucket refuses keys ending in '/'")
    store.put("f/", b"")
    store.put("f/a", b"1")
    assert [o.key for o in store.list("f/")] == ["f/a"]


def test_get_to_file_streams_and_checks_limit(store: MinioStore, tmp_path: Path) -> None:
    data = os.urandom(300_000)
    key = f"{keys.inbox_prefix(BATCH)}inst/%2f..%2f 扫描.pdf"
    store.put(key, data)
    target = keys.safe_local_path(tmp_path / "work", key)
    assert store.get_to_file(key, target, max_bytes=len(data)) == len(data)
    assert target.read_bytes() == data
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left behind

    other = tmp_path / "too-big" / "x.pdf"
    with pytest.raises(LimitExceeded) as caught:
        store.get_to_file(key, other, max_bytes=len(data) - 1)
    assert caught.value.limit == "max_bytes"
    assert not other.exists()


def test_get_to_file_missing_key(store: MinioStore, tmp_path: Path) -> None:
    with pytest.raises(NoSuchKeyError):
        store.get_to_file("no/such.pdf", tmp_path / "x.pdf", max_bytes=10)
    assert not (tmp_path / "x.pdf").exists()


def test_large_object_multipart(store: MinioStore, tmp_path: Path) -> None:
    # minio-py switches to a multipart upload above 5 MiB.
    data = os.urandom(6 * 1024 * 1024 + 17)
    store.put("big.bin", data)
    info = store.stat("big.bin")
    assert info is not None and info.size == len(data)
    assert store.get_to_file("big.bin", tmp_path / "big.bin", max_bytes=len(data)) == len(data)
    assert (tmp_path / "big.bin").read_bytes() == data


def test_upload_dir(store: MinioStore, tmp_path: Path) -> None:
    src = tmp_path / "batch"
    (src / "阳泉市技工学校").mkdir(parents=True)
    (src / "阳泉市技工学校" / "扫描全能王 2024-02-23 16.42.pdf").write_bytes(b"pdf")
    (src / "阳泉市技工学校" / "自查报告.docx").write_bytes(b"docx")
    (src / "B #2 & co" / "sub dir").mkdir(parents=True)
    (src / "B #2 & co" / "sub dir" / "IMG_20240226_153012.jpg").write_bytes(b"jpg")
    (src / "top.txt").write_bytes(b"top")
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"secret")
    (src / "link.txt").symlink_to(outside)
    (src / "linked-dir").symlink_to(tmp_path, target_is_directory=True)

    prefix = keys.inbox_prefix(BATCH)
    uploaded = store.upload_dir(src, prefix)
    expected = [
        f"{prefix}B #2 & co/sub dir/IMG_20240226_153012.jpg",
        f"{prefix}top.txt",
        f"{prefix}阳泉市技工学校/扫描全能王 2024-02-23 16.42.pdf",
        f"{prefix}阳泉市技工学校/自查报告.docx",
    ]
    assert uploaded == sorted(expected, key=lambda k: k.encode())
    assert [o.key for o in store.list(prefix)] == uploaded
    assert store.get(f"{prefix}阳泉市技工学校/自查报告.docx") == b"docx"
    assert keys.institution_of(BATCH, uploaded[0]) == "B #2 & co"
    assert keys.institution_of(BATCH, f"{prefix}top.txt") is None


def test_upload_dir_rejects_prefix_without_slash(store: MinioStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="end with '/'"):
        store.upload_dir(tmp_path, "inbox/b")


def test_upload_dir_rejects_non_utf8_names(store: MinioStore, tmp_path: Path) -> None:
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe.pdf")).write_bytes(b"x")
    with pytest.raises(InputError, match="not valid UTF-8"):
        store.upload_dir(tmp_path, "inbox/b/")


def test_keys_the_store_can_never_hold(store: MinioStore) -> None:
    for bad in ["", "a\x00b", "k" * 1025]:
        with pytest.raises(ValueError):
            store.put(bad, b"x")


def test_store_pickles_as_its_options(store: MinioStore) -> None:
    store.put("p", b"1")
    clone = pickle.loads(pickle.dumps(store))
    assert isinstance(clone, MinioStore) and clone.options == store.options
    assert clone.get("p") == b"1"
    hushed = MinioStore(store.options.model_copy(update={"secret_key": SecretStr("hush-hush-0451")}))
    assert "hush-hush-0451" not in repr(hushed) + repr(hushed.options) + str(hushed.options)


def test_bucket_is_created_once(store: MinioStore) -> None:
    assert store.ensure_bucket() is True
    assert MinioStore(store.options).ensure_bucket() is False
    assert list(store.list("")) == []
