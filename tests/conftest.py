"""Session-wide test setup: no outbound traffic, shared sample paths, one Prefect harness."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

for _k, _v in {"ORT_DISABLE_TELEMETRY": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
               "PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True"}.items():
    os.environ.setdefault(_k, _v)

REPO = Path(__file__).resolve().parent.parent
SAMPLE_BATCH = REPO / "samples" / "batch"
REALWORLD = REPO.parent / "shared" / "realworld"


@pytest.fixture(scope="session")
def sample_batch() -> Path:
    inbox = SAMPLE_BATCH / "inbox"
    assert inbox.is_dir(), "samples/batch/inbox is missing: run `intake samples batch`"
    return SAMPLE_BATCH


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (~10 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
