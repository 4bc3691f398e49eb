"""The blob stores (and the unit tests' in-memory one) honour one contract; S3 runs
against moto's S3 server through boto3, the local store against a real directory."""

from __future__ import annotations

import base64
import os

import boto3
import pytest

from mocky.platform.blobs import BlobNotFound, LocalBlobStore, S3BlobStore
from tests.fakes.blobs import MemoryBlobStore


@pytest.fixture
def s3_store(s3_server):  # type: ignore[no-untyped-def]
    client = boto3.client(
        "s3",
        endpoint_url=s3_server.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    store = S3BlobStore(client, f"bucket-{os.urandom(4).hex()}")
    store.ensure_bucket()
    return store


@pytest.fixture
def local_store(tmp_path):  # type: ignore[no-untyped-def]
    return LocalBlobStore(tmp_path / "objects", os.urandom(32))


@pytest.fixture
def memory_store():  # type: ignore[no-untyped-def]
    return MemoryBlobStore()  # the unit tests' fake, held to the same contract


@pytest.fixture(params=["s3", "local", "memory"])
def store(request):  # type: ignore[no-untyped-def]
    return request.getfixturevalue(f"{request.param}_store")


def test_put_get_exists_list_and_delete(store):
    store.put("users/u1/cv.pdf", b"%PDF-1.7 cv", "application/pdf")
    store.put("users/u1/audio/1.ogg", b"OggS")
    store.put("users/u2/cv.pdf", b"other")
    assert store.get("users/u1/cv.pdf") == b"%PDF-1.7 cv"
    assert store.exists("users/u1/audio/1.ogg")
    assert store.list_keys("users/u1/") == ["users/u1/audio/1.ogg", "users/u1/cv.pdf"]
    assert store.delete_many(["users/u1/cv.pdf", "users/u1/audio/1.ogg"]) == 2
    assert not store.exists("users/u1/cv.pdf")
    with pytest.raises(BlobNotFound):
        store.get("users/u1/cv.pdf")
    assert store.list_keys("users/") == ["users/u2/cv.pdf"]


def test_deleting_more_than_one_batch(store):
    keys = [f"bulk/{i:05d}" for i in range(1203)]
    for key in keys:
        store.put(key, b"x")
    assert store.delete_many(keys) == len(keys)
    assert store.list_keys("bulk/") == []


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "UPPER/case", ""])
def test_keys_from_outside_are_refused(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x")


def test_s3_objects_are_written_with_server_side_encryption(s3_store):
    s3_store.put("enc/1", b"secret")
    head = s3_store.client.head_object(Bucket=s3_store.bucket, Key="enc/1")
    assert head["ServerSideEncryption"] == "AES256"


def test_local_store_encrypts_at_rest(tmp_path):
    store = LocalBlobStore(tmp_path, base64.b64decode(base64.b64encode(os.urandom(32))))
    store.put("cv/1", b"Jane Doe, Senior Engineer")
    raw = (tmp_path / "cv/1").read_bytes()
    assert b"Jane Doe" not in raw
    other_key = LocalBlobStore(tmp_path, os.urandom(32))
    with pytest.raises(Exception):  # noqa: B017 - any decryption failure will do
        other_key.get("cv/1")
