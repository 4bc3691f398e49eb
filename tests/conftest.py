"""Fixtures shared by the integration and end-to-end tests."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mocky.platform.settings import Settings, get_settings, reset_settings
from tests import infra


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    path = infra.temp_workdir("mocky-tests-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def mongo_server(workdir: Path) -> Iterator[infra.Server]:
    server = infra.start_mongo(workdir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server(workdir: Path) -> Iterator[infra.Server]:
    server = infra.start_s3(workdir)
    yield server
    server.stop()


@pytest.fixture
def settings(
    monkeypatch: pytest.MonkeyPatch, mongo_server: infra.Server, tmp_path: Path
) -> Iterator[Settings]:
    """Settings for one test: its own Mongo databases, outbox and blob directories,
    and short event retry delays."""
    monkeypatch.setenv("MOCKY_ENV", "test")
    monkeypatch.setenv("MONGO_URL", mongo_server.url)
    monkeypatch.setenv("MOCKY_MONGO_DB_PREFIX", f"t{uuid.uuid4().hex[:8]}_")
    monkeypatch.setenv("MOCKY_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("MOCKY_BLOB_DIR", str(tmp_path / "blobs"))
    monkeypatch.setenv("MOCKY_EVENT_RETRY_DELAYS_MS", "100,200")
    monkeypatch.setenv("MOCKY_COMPLIANCE_OFFICERS", "officer@mocky.local")
    monkeypatch.setenv("MOCKY_DATA_DIR", str(tmp_path))  # its own service tokens
    reset_settings()
    yield get_settings()
    reset_settings()
