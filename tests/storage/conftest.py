"""Fixtures: real S3-protocol servers on 127.0.0.1 (localbucket and moto), once per session.

Every test gets its own bucket, so tests do not see each other's objects (moto's state is
shared by the whole process).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from storage.s3 import MinioStore, RetryOptions
from storage.servers import RunningServer, start_localbucket, start_moto

FAST_RETRIES = RetryOptions(attempts=2, backoff=(0.05,), connect_retries=0)


@pytest.fixture(scope="session")
def localbucket_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with start_localbucket(tmp_path_factory.mktemp("localbucket")) as server:
        yield server


@pytest.fixture(scope="session")
def moto_server() -> Iterator[RunningServer]:
    with start_moto() as server:
        yield server


@pytest.fixture(scope="session", params=["localbucket", "moto"])
def s3_server(request: pytest.FixtureRequest) -> RunningServer:
    server: RunningServer = request.getfixturevalue(f"{request.param}_server")
    return server


def unique_bucket() -> str:
    return f"t-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def store(s3_server: RunningServer) -> Iterator[MinioStore]:
    options = s3_server.s3_options(
        bucket=unique_bucket(), retries=FAST_RETRIES, connect_timeout=2.0, read_timeout=10.0
    )
    s = MinioStore(options)
    yield s
    s.close()
