"""Sign-in rules: magic links, login sessions, roles. Pure Python (no frameworks)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from email_validator import EmailNotValidError, validate_email

from mocky.platform.errors import (
    Conflict,
    InvalidArgument,
    PermissionDenied,
    Unauthenticated,
)
from mocky.platform.ratelimit import RateLimit
from mocky.platform.usage import browser_family, os_family

TOKEN_BYTES = 32  # 256 bits from the OS CSPRNG
COMPLIANCE_OFFICER = "compliance_officer"
CANDIDATE = "candidate"


LOCAL_ONLY_DOMAINS = (".local", ".test")


def normalize_email(raw: str, allow_local_domains: bool = False) -> str:
    """The canonical form of an address; InvalidArgument when it is not one.

    `allow_local_domains` (dev and test only) admits `.local`/`.test` addresses such as
    the local stack's officer@mocky.local, which the validator rejects as special-use:
    the syntax is checked with the domain swapped for a public one."""
    invalid = InvalidArgument("a valid email address is required", code="invalid_email")
    if not raw or len(raw) > 254:
        raise invalid
    candidate = raw.strip()
    local_part, _, domain_part = candidate.rpartition("@")
    swapped = allow_local_domains and domain_part.lower().endswith(LOCAL_ONLY_DOMAINS)
    try:
        result = validate_email(
            f"{local_part}@example.com" if swapped else candidate, check_deliverability=False
        )
    except EmailNotValidError:
        raise invalid from None
    if swapped:
        return f"{result.local_part}@{domain_part}".lower()
    return result.normalized.lower()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """Tokens are stored only as this hash; a database leak yields no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class MagicLink:
    """An emailed one-time link: signing in to `email`, or (with `user_id`) confirming
    that user's new address `email`."""

    token_hash: str
    email: str
    created_at: datetime
    expires_at: datetime
    purpose: str = "sign_in"  # sign_in | email_change
    user_id: str = ""

    def check_usable(self, now: datetime) -> None:
        if now >= self.expires_at:
            raise Unauthenticated("this link has expired", code="link_expired")


SIGN_IN = "sign_in"
EMAIL_CHANGE = "email_change"
# Sent to the old address with every change: "this was not me" puts it back. It lives
# longer than a sign-in link because people read the notice later; it can only restore
# the address it was sent to.
EMAIL_CHANGE_CANCEL = "email_change_cancel"
LINK_PURPOSES = (SIGN_IN, EMAIL_CHANGE, EMAIL_CHANGE_CANCEL)
CANCEL_LINK_TTL_SECONDS = 7 * 24 * 3600
FRESH_SIGN_IN = timedelta(minutes=10)


def issue_magic_link(
    email: str, now: datetime, ttl_seconds: int, purpose: str = SIGN_IN, user_id: str = ""
) -> tuple[str, MagicLink]:
    token = new_token()
    link = MagicLink(
        token_hash(token), email, now, now + timedelta(seconds=ttl_seconds), purpose, user_id
    )
    return token, link


def check_fresh_sign_in(session_created_at: datetime, now: datetime) -> None:
    """Changing the address needs a recent sign-in (re-authentication), not just any
    session that happens to be open."""
    if now - session_created_at > FRESH_SIGN_IN:
        raise PermissionDenied(
            "sign in again to change your email address", code="reauthentication_required"
        )


def email_change_link(public_base_url: str, token: str) -> str:
    return f"{public_base_url}/api/v1/me/email/confirm?token={token}"


def email_change_cancel_link(public_base_url: str, token: str) -> str:
    return f"{public_base_url}/api/v1/me/email/cancel?token={token}"


def check_can_change_email(user: User) -> None:
    if user.guest:
        # A guest keeps their practice by signing in (the link proves the address).
        raise Conflict("sign in to give your practice an address", code="guest_account")


SESSION_REFRESH_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class LoginSession:
    """A signed-in browser. `session_hash` (of the cookie's token) is the stored key;
    `public_id` names it in the session list without revealing anything usable."""

    session_hash: str
    public_id: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    refreshed_at: datetime
    revoked_at: datetime | None = None
    device: str = ""  # "Firefox on Linux", so the user can tell their sessions apart

    def check_valid(self, now: datetime) -> None:
        if self.revoked_at is not None:
            raise Unauthenticated("session revoked", code="session_revoked")
        if now >= self.expires_at:
            raise Unauthenticated("session expired", code="session_expired")

    def needs_refresh(self, now: datetime) -> bool:
        """Sliding lifetime, extended on use at most once a day."""
        return now - self.refreshed_at >= SESSION_REFRESH_AFTER

    def refreshed(self, now: datetime, ttl_seconds: int) -> LoginSession:
        return replace(self, refreshed_at=now, expires_at=now + timedelta(seconds=ttl_seconds))


def start_session(
    user_id: str, now: datetime, ttl_seconds: int, user_agent: str = ""
) -> tuple[str, LoginSession]:
    """A fresh opaque id at every sign-in (no fixation); only its hash is stored."""
    raw = new_token()
    session = LoginSession(
        session_hash=token_hash(raw),
        public_id=secrets.token_hex(8),
        user_id=user_id,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_seconds),
        refreshed_at=now,
        device=device_label(user_agent),
    )
    return raw, session


def device_label(user_agent: str) -> str:
    """Browser and OS families only (no versions): enough to recognise a session."""
    if not user_agent:
        return ""
    browser, system = browser_family(user_agent), os_family(user_agent)
    label = browser if browser != "other" else "Unknown browser"
    return label if system == "other" else f"{label} on {system}"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    DELETION_REQUESTED = "deletion_requested"
    MERGED = "merged"  # a guest whose data moved into an existing account


@dataclass
class User:
    id: str
    email: str
    roles: list[str] = field(default_factory=list)
    guest: bool = False
    created_at: datetime | None = None
    status: AccountStatus = AccountStatus.ACTIVE

    def check_can_sign_in(self) -> None:
        if self.status is not AccountStatus.ACTIVE:
            raise Unauthenticated("this account has been deleted", code="account_deleted")


GRANTABLE_ROLES = frozenset({COMPLIANCE_OFFICER})


def check_role_change(
    officer: User, target: User, role: str, grant: bool, holders: int = 2
) -> None:
    """`holders`: how many accounts hold the role now."""
    if COMPLIANCE_OFFICER not in officer.roles:
        raise PermissionDenied("compliance officers only")
    if role not in GRANTABLE_ROLES:
        raise InvalidArgument(f"unknown role {role!r}", code="unknown_role")
    if target.guest or target.status is not AccountStatus.ACTIVE:
        raise Conflict("only active accounts hold roles", code="inactive_account")
    if not grant and target.id == officer.id:
        # Someone else must do it: an officer cannot lock the platform out alone.
        raise Conflict("officers cannot revoke their own role", code="own_role")
    if not grant and role in target.roles and holders <= 1:
        raise Conflict("the last compliance officer keeps the role", code="last_officer")


def new_guest(user_id: str, now: datetime) -> User:
    """An anonymous account: no address until its owner signs in."""
    return User(id=user_id, email="", roles=[CANDIDATE], guest=True, created_at=now)


def roles_for_new_user(email: str, compliance_officers: tuple[str, ...]) -> list[str]:
    roles = [CANDIDATE]
    if email in compliance_officers:
        roles.append(COMPLIANCE_OFFICER)
    return roles


def sign_in_link(public_base_url: str, token: str) -> str:
    """Built from configuration, never from the request's Host header."""
    return f"{public_base_url}/api/v1/auth/verify?token={token}"


LINK_REQUESTS_PER_EMAIL = RateLimit("link_request_email", 5, 60)
# An address change mails two people; without these it was a relay to any address.
EMAIL_CHANGES_PER_USER = RateLimit("email_change_user", 5, 3600)


def email_changes_per_ip(limit_per_hour: int) -> RateLimit:
    return RateLimit("email_change_ip", limit_per_hour, 3600)


def link_requests_per_ip(limit: int) -> RateLimit:
    return RateLimit("link_request_ip", limit, 60)


def link_verifications_per_ip(limit: int) -> RateLimit:
    return RateLimit("link_verify_ip", limit, 60)


def guest_starts_per_ip(limit: int) -> RateLimit:
    return RateLimit("guest_start_ip", limit, 60)
