"""pymongo access to the auth service's collections; owns their indexes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from mocky.platform.clock import as_utc, from_epoch
from mocky.platform.data_map import Belongings, DataMap, Records
from mocky.platform.events import OUTBOX_FIELD, OUTBOX_SEQ, update_with_event
from mocky.platform.mongo import ensure_collection
from mocky.platform.ratelimit import count_attempt
from services.auth.domain import AccountStatus, LoginSession, MagicLink, User

USERS = "users"
MAGIC_LINKS = "magic_links"
SESSIONS = "sessions"
RATE_LIMITS = "rate_limits"
SIGN_INS = "sign_ins"  # usage-log facts, kept 90 days by the privacy schedule

# What auth holds on a person, for the privacy hooks (mocky.platform.data_map).
DATA_MAP = DataMap(
    "auth",
    records=(
        Records("user", USERS, "account", user_field="_id", export_as="account"),
        Records("sign_in", SIGN_INS, "usage_log", created_field="at"),
    ),
    belongings=(
        # A login session's id is its token's hash: never exported.
        Belongings(SESSIONS, export_file="sessions", secret_fields=("_id",), deleted_with="user"),
        Belongings(MAGIC_LINKS, deleted_with="user"),
    ),
)


class AuthRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = db[USERS]
        self.links = db[MAGIC_LINKS]
        self.sessions = db[SESSIONS]
        self.rate_limits = db[RATE_LIMITS]
        self.sign_ins = db[SIGN_INS]

    def ensure_indexes(self) -> None:
        for name in (USERS, MAGIC_LINKS, SESSIONS, RATE_LIMITS, SIGN_INS):
            ensure_collection(self.db, name)
        # Sparse: guests have no address yet. (An earlier non-sparse index is replaced.)
        existing = self.users.index_information().get("email_1")
        if existing and not existing.get("sparse"):
            self.users.drop_index("email_1")
        self.users.create_index([("email", ASCENDING)], unique=True, sparse=True)
        # Backstops only: expiry is enforced in code against the service clock.
        self.links.create_index([("expires_at", ASCENDING)], expireAfterSeconds=3600)
        self.links.create_index([("user_id", ASCENDING)])
        self.sessions.create_index([("user_id", ASCENDING)])
        self.sessions.create_index([("public_id", ASCENDING)])
        self.rate_limits.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    def record_sign_in(
        self, sign_in_id: str, user_id: str, at: datetime, ip_prefix: str, event: dict
    ) -> None:
        self.sign_ins.insert_one(
            {
                "_id": sign_in_id,
                "user_id": user_id,
                "at": at,
                "ip_prefix": ip_prefix,
                OUTBOX_FIELD: [event],
                OUTBOX_SEQ: 0,
            }
        )

    # -- privacy --

    def forget_links_to(self, removed_user: dict) -> None:
        """A purged account's pending links to its address (a link asked for before
        the account existed has no user id)."""
        if removed_user.get("email"):
            self.links.delete_many({"email": removed_user["email"]})

    def is_restricted(self, user_id: str) -> bool:
        doc = self.users.find_one({"_id": user_id}, {"restricted": 1})
        return bool(doc and doc.get("restricted"))

    # -- rate limits --

    def count_attempt(self, key: str, expires_at: datetime) -> int:
        return count_attempt(self.rate_limits, key, expires_at)

    # -- magic links --

    def save_magic_link(self, link: MagicLink) -> None:
        self.links.insert_one(
            {
                "_id": link.token_hash,
                "email": link.email,
                "created_at": link.created_at,
                "expires_at": link.expires_at,
                "purpose": link.purpose,
                "user_id": link.user_id,
            }
        )

    def consume_magic_link(self, token_hash: str, purpose: str = "sign_in") -> MagicLink | None:
        """Atomic find-and-delete: of two simultaneous clicks exactly one gets the link.
        A link only works for its purpose (a sign-in link confirms no address change)."""
        doc = self.links.find_one_and_delete({"_id": token_hash, "purpose": purpose})
        return _link(doc) if doc else None

    def find_magic_link(self, token_hash: str, purpose: str) -> MagicLink | None:
        """The link without using it (the page behind it says what it will do)."""
        doc = self.links.find_one({"_id": token_hash, "purpose": purpose})
        return _link(doc) if doc else None

    def delete_magic_links(self, user_id: str, purpose: str) -> int:
        return self.links.delete_many({"user_id": user_id, "purpose": purpose}).deleted_count

    def change_email(self, user_id: str, new_email: str) -> bool:
        """False when the address belongs to another account (the unique index)."""
        try:
            result = self.users.update_one(
                {"_id": user_id, "status": AccountStatus.ACTIVE.value},
                {"$set": {"email": new_email}},
            )
        except DuplicateKeyError:
            return False
        return result.modified_count == 1

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
            **({"email": user.email} if user.email else {}),
            "roles": user.roles,
            "guest": user.guest,
            "created_at": user.created_at,
            "status": "active",
            OUTBOX_FIELD: [outbox(user)],
            OUTBOX_SEQ: 0,
        }
        try:
            self.users.insert_one(doc)
            return user, True
        except DuplicateKeyError:
            existing = self.user_by_email(user.email)
            if existing is None:
                raise
            return existing, False

    def upgrade_guest(self, guest_id: str, email: str, roles: list[str], event: dict) -> bool:
        """The guest becomes the account of `email` (same id: its data stays where it
        is). False when the address got an account meanwhile."""
        try:
            return update_with_event(
                self.users,
                {"_id": guest_id, "guest": True, "status": AccountStatus.ACTIVE.value},
                {"email": email, "guest": False, "roles": roles},
                event,
            )
        except DuplicateKeyError:
            return False

    def retire_guest(self, guest_id: str, into_user_id: str, now: datetime, event: dict) -> bool:
        """The guest's data moves into an existing account; the guest account stops."""
        return update_with_event(
            self.users,
            {"_id": guest_id, "guest": True, "status": AccountStatus.ACTIVE.value},
            {
                "status": AccountStatus.MERGED.value,
                "merged_into": into_user_id,
                "deletion_requested_ts": now.timestamp(),
            },
            event,
        )

    def change_role(self, user_id: str, role: str, grant: bool, event: dict) -> bool:
        """Grant or revoke, with its event, in one write; False when nothing changes."""
        has_role = {"roles": role} if not grant else {"roles": {"$ne": role}}
        operator = {"$addToSet": {"roles": role}} if grant else {"$pull": {"roles": role}}
        return update_with_event(
            self.users, {"_id": user_id, **has_role}, {}, event, other_operators=operator
        )

    def users_with_role(self, role: str) -> list[User]:
        return [_user(d) for d in self.users.find({"roles": role}).sort("created_at", ASCENDING)]

    def request_deletion(self, user_id: str, now: datetime, event: dict) -> bool:
        """Disable the account and queue its event in one write; False when it was
        already requested (a double click), so the event goes out once."""
        return update_with_event(
            self.users,
            {"_id": user_id, "status": AccountStatus.ACTIVE.value},
            {
                "status": AccountStatus.DELETION_REQUESTED.value,
                "deletion_requested_ts": now.timestamp(),
            },
            event,
        )

    # -- login sessions --

    # Session times that change after insert are kept as epoch seconds: nx-27017 stores
    # a datetime written by `$set` as a string (tests/integration/test_mongo_compat.py).

    def save_session(self, session: LoginSession) -> None:
        self.sessions.insert_one(
            {
                "_id": session.session_hash,
                "public_id": session.public_id,
                "user_id": session.user_id,
                "created_at": session.created_at,
                "expires_ts": session.expires_at.timestamp(),
                "refreshed_ts": session.refreshed_at.timestamp(),
                "revoked": False,
                "device": session.device,
            }
        )

    def find_session(self, session_hash: str) -> LoginSession | None:
        doc = self.sessions.find_one({"_id": session_hash})
        return _session(doc) if doc else None

    def sessions_of(self, user_id: str) -> list[LoginSession]:
        docs = self.sessions.find({"user_id": user_id}).sort("created_at", DESCENDING)
        return [_session(d) for d in docs]

    def refresh_session(self, session: LoginSession) -> None:
        self.sessions.update_one(
            {"_id": session.session_hash},
            {
                "$set": {
                    "expires_ts": session.expires_at.timestamp(),
                    "refreshed_ts": session.refreshed_at.timestamp(),
                }
            },
        )

    def revoke_session(self, user_id: str, public_id: str, now: datetime) -> bool:
        """Only the owner's own session: someone else's id matches nothing."""
        result = self.sessions.update_one(
            {"user_id": user_id, "public_id": public_id, "revoked": False},
            {"$set": {"revoked": True, "revoked_ts": now.timestamp()}},
        )
        return result.modified_count == 1

    def revoke_all_sessions(self, user_id: str, now: datetime, keep: str = "") -> int:
        """Every open session of the user but `keep` (a session hash), if given."""
        result = self.sessions.update_many(
            {"user_id": user_id, "revoked": False, **({"_id": {"$ne": keep}} if keep else {})},
            {"$set": {"revoked": True, "revoked_ts": now.timestamp()}},
        )
        return result.modified_count


def _link(doc: dict) -> MagicLink:
    return MagicLink(
        doc["_id"],
        doc["email"],
        as_utc(doc["created_at"]),
        as_utc(doc["expires_at"]),
        doc["purpose"],
        doc.get("user_id", ""),
    )


def _session(doc: dict) -> LoginSession:
    revoked = doc.get("revoked_ts")
    return LoginSession(
        session_hash=doc["_id"],
        public_id=doc["public_id"],
        user_id=doc["user_id"],
        created_at=as_utc(doc["created_at"]),
        expires_at=from_epoch(doc["expires_ts"]),
        refreshed_at=from_epoch(doc["refreshed_ts"]),
        revoked_at=from_epoch(revoked) if revoked is not None else None,
        device=doc.get("device", ""),
    )


def _user(doc: dict) -> User:
    return User(
        status=AccountStatus(doc.get("status", AccountStatus.ACTIVE.value)),
        id=doc["_id"],
        email=doc.get("email", ""),
        roles=list(doc.get("roles", [])),
        guest=bool(doc.get("guest")),
        created_at=as_utc(doc["created_at"]),
    )
