"""MongoDB access: one client per process, one database per service, and a
DependencyProvider that hands each worker the service's repository.

Everything here sticks to what both MongoDB and nx-27017 do (see
tests/integration/test_mongo_compat.py): single-document atomic operations, unique
indexes, `$elemMatch`, no transactions, no `$lookup`, no compound `$group` keys, no
`distinct` with a filter (nx-27017 ignores the filter).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pymongo
from nameko.extensions import DependencyProvider
from pymongo.database import Database

from mocky.platform.settings import get_settings

_clients: dict[str, pymongo.MongoClient] = {}
_lock = threading.Lock()


def mongo_client(url: str) -> pymongo.MongoClient:
    """A shared client per URL (pymongo pools connections; one client per process)."""
    with _lock:
        client = _clients.get(url)
        if client is None:
            client = pymongo.MongoClient(
                url,
                tz_aware=True,
                serverSelectionTimeoutMS=5000,
                connectTimeoutMS=3000,
                socketTimeoutMS=15000,
                retryWrites=True,
            )
            _clients[url] = client
        return client


def close_clients() -> None:
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def service_database(service: str) -> Database:
    settings = get_settings()
    return mongo_client(settings.mongo_url)[settings.mongo_database(service)]


class MongoRepository(DependencyProvider):
    """Opens the service's database at start, creates the repository's collections and
    indexes there (before anything writes), and gives every worker the repository."""

    def __init__(self, factory: Callable[[Database], Any]) -> None:
        self.factory = factory
        self.repository: Any = None

    def setup(self) -> None:
        db = service_database(self.container.service_name)
        self.repository = self.factory(db)
        self.repository.ensure_indexes()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.repository


def ensure_collection(db: Database, name: str) -> None:
    """Create a collection up front: nx-27017 fails writes to a missing collection
    inside a transaction, and indexes should exist before the first write."""
    if name not in db.list_collection_names():
        try:
            db.create_collection(name)
        except pymongo.errors.CollectionInvalid:
            pass  # another replica created it first
