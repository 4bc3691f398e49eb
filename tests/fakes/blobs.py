"""An in-memory `BlobStore` for unit tests; it passes the blob-store contract tests
(tests/integration/test_blob_stores.py) beside the local and S3 stores."""

from __future__ import annotations

from collections.abc import Iterable

from mocky.platform.blobs import BlobNotFound, check_key


class MemoryBlobStore:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self.objects[check_key(key)] = (bytes(data), content_type)

    def get(self, key: str) -> bytes:
        try:
            return self.objects[check_key(key)][0]
        except KeyError:
            raise BlobNotFound(key) from None

    def exists(self, key: str) -> bool:
        return check_key(key) in self.objects

    def delete_many(self, keys: Iterable[str]) -> int:
        return sum(self.objects.pop(check_key(k), None) is not None for k in keys)

    def list_keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self.objects if k.startswith(prefix))
