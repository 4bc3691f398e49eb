"""pymongo access to the auth service's collections; owns their indexes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc
from mocky.platform.events import OUTBOX_FIELD
from mocky.platform.mongo import ensure_collection
from services.auth.domain import LoginSession, MagicLink, User

USERS = "users"
MAGIC_LINKS = "magic_links"
SESSIONS = "sessions"


class AuthRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = db[USERS]
        self.links = db[MAGIC_LINKS]
        self.sessions = db[SESSIONS]

    def ensure_indexes(self) -> None:
        for name in (USERS, MAGIC_LINKS, SESSIONS):
            ensure_collection(self.db, name)
        self.users.create_index([("email", ASCENDING)], unique=True)
        # Backstops only: expiry is enforced in code against the service clock.
        self.links.create_index([("expires_at", ASCENDING)], expireAfterSeconds=3600)
        self.sessions.create_index([("user_id", ASCENDING)])

    # -- magic links --

    def save_magic_link(self, link: MagicLink) -> None:
        self.links.insert_one(
            {
                "_id": link.token_hash,
                "email": link.email,
                "created_at": link.created_at,
                "expires_at": link.expires_at,
            }
        )

    def consume_magic_link(self, token_hash: str) -> MagicLink | None:
        """Atomic find-and-delete: of two simultaneous clicks exactly one gets the link."""
        doc = self.links.find_one_and_delete({"_id": token_hash})
        if doc is None:
            return None
        return MagicLink(
            doc["_id"], doc["email"], as_utc(doc["created_at"]), as_utc(doc["expires_at"])
        )

    # -- users --

    def user_by_email(self, email: str) -> User | None:
        doc = self.users.find_one({"email": email})
        return _user(doc) if doc else None

    def user_by_id(self, user_id: str) -> User | None:
        doc = self.users.find_one({"_id": user_id})
        return _user(doc) if doc else None

    def create_user(self, user: User, outbox: Callable[[User], dict]) -> tuple[User, bool]:
        """Insert the user with its `user_registered` event in the same document.
        When the address already has an account (a concurrent first sign-in), return
        that one instead: (user, created)."""
        doc = {
            "_id": user.id,
            "email": user.email,
            "roles": user.roles,
            "guest": user.guest,
            "created_at": user.created_at,
            "status": "active",
            OUTBOX_FIELD: [outbox(user)],
        }
        try:
            self.users.insert_one(doc)
            return user, True
        except DuplicateKeyError:
            existing = self.user_by_email(user.email)
            if existing is None:
                raise
            return existing, False

    # -- login sessions --

    def save_session(self, session: LoginSession) -> None:
        self.sessions.insert_one(
            {
                "_id": session.session_hash,
                "user_id": session.user_id,
                "created_at": session.created_at,
                "expires_at": session.expires_at,
                "revoked_at": None,
            }
        )

    def find_session(self, session_hash: str) -> tuple[LoginSession, datetime | None] | None:
        doc = self.sessions.find_one({"_id": session_hash})
        if doc is None:
            return None
        session = LoginSession(
            doc["_id"], doc["user_id"], as_utc(doc["created_at"]), as_utc(doc["expires_at"])
        )
        revoked = doc.get("revoked_at")
        return session, as_utc(revoked) if revoked else None


def _user(doc: dict) -> User:
    return User(
        id=doc["_id"],
        email=doc["email"],
        roles=list(doc.get("roles", [])),
        guest=bool(doc.get("guest")),
        created_at=as_utc(doc["created_at"]),
    )
