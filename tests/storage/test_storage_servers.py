"""storage.servers: local S3 servers start on 127.0.0.1 only, serve, and stop cleanly."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from storage.s3 import MinioStore
from storage.servers import RunningServer, start_localbucket, start_moto


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _assert_loopback_only(server: RunningServer) -> None:
    host, _, port = server.endpoint.rpartition(":")
    assert host == "127.0.0.1"
    assert _answers("127.0.0.1", int(port))
    # Bound to 127.0.0.1, not 0.0.0.0: another loopback address is refused.
    assert not _answers("127.0.0.2", int(port))


def test_session_servers_listen_on_loopback_only(s3_server: RunningServer) -> None:
    _assert_loopback_only(s3_server)


def test_localbucket_keeps_plain_files(localbucket_server: RunningServer) -> None:
    store = MinioStore(localbucket_server.s3_options(bucket="plain-files"))
    store.put("inbox/b/阳泉市技工学校/自查报告.pdf", b"%PDF")
    assert localbucket_server.root is not None
    on_disk = localbucket_server.root / "plain-files" / "inbox" / "b" / "阳泉市技工学校" / "自查报告.pdf"
    assert on_disk.read_bytes() == b"%PDF"


def test_localbucket_in_a_child_process(tmp_path: Path) -> None:
    with start_localbucket(tmp_path / "data", "ak", "sk", mode="process") as server:
        _assert_loopback_only(server)
        store = MinioStore(server.s3_options(bucket="child"))
        store.put("k", b"v")
        assert store.get("k") == b"v"
        assert (tmp_path / "data" / "child" / "k").read_bytes() == b"v"
        port = server.port
    assert not _answers("127.0.0.1", port)
    server.stop()  # idempotent


def test_localbucket_thread_stop_frees_the_port(tmp_path: Path) -> None:
    server = start_localbucket(tmp_path)
    port = server.port
    MinioStore(server.s3_options()).ensure_bucket()
    server.stop()
    server.stop()
    assert not _answers("127.0.0.1", port)


def test_two_localbuckets_keep_their_own_roots(tmp_path: Path) -> None:
    with start_localbucket(tmp_path / "a") as a, start_localbucket(tmp_path / "b") as b:
        MinioStore(a.s3_options(bucket="only-in-a")).ensure_bucket()
        assert (tmp_path / "a" / "only-in-a").is_dir()
        assert not (tmp_path / "b" / "only-in-a").exists()
        assert MinioStore(b.s3_options(bucket="only-in-a", create_bucket=False)).stat("x") is None


def test_moto_stop_frees_the_port() -> None:
    server = start_moto()
    port = server.port
    assert _answers("127.0.0.1", port)
    server.stop()
    assert not _answers("127.0.0.1", port)


def test_bad_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mode"):
        start_localbucket(tmp_path, mode="docker")  # type: ignore[arg-type]
