"""Auth service entrypoints: validate → domain → repository → events."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from mocky.auth.v1 import auth_pb2, auth_pb2_grpc
from mocky.platform.data_map import DataOwnerHooks, PersonalData
from mocky.platform.errors import (
    Conflict,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from mocky.platform.events import OutboxRelay, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.logs import current_correlation_id
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.settings import get_settings
from mocky.platform.usage import truncate_ip
from services.auth import domain, events
from services.auth.dependencies import MailerProvider
from services.auth.mail import render, render_service_email
from services.auth.messages import session_message, timestamp, user_message
from services.auth.repository import DATA_MAP, SIGN_INS, USERS, AuthRepository

log = structlog.get_logger(__name__)
Stub = auth_pb2_grpc.AuthServiceStub


class AuthService(PlatformEntrypoints, DataOwnerHooks):
    name = "auth"
    reflected_services = ("mocky.auth.v1.AuthService", "mocky.privacy.v1.DataOwnerService")

    repo = MongoRepository(AuthRepository)
    personal_data = PersonalData(
        DATA_MAP, after_purge=lambda db: {"user": AuthRepository(db).forget_links_to}
    )
    outbox = OutboxRelay([USERS, SIGN_INS])
    mailer = MailerProvider()
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    @rpc(Stub)
    def RequestMagicLink(
        self, request: auth_pb2.RequestMagicLinkRequest, context: Any
    ) -> auth_pb2.RequestMagicLinkResponse:
        settings = get_settings()
        email = domain.normalize_email(request.email, settings.dev_tools_enabled)
        self._limit(domain.LINK_REQUESTS_PER_EMAIL, email)
        self._limit(
            domain.link_requests_per_ip(settings.rate_limit_per_ip_per_minute), request.client_ip
        )
        # Every address costs the same work before the answer (a lookup and a stored
        # link), so timing tells nothing; a deleted account's link is never sent and
        # would be refused anyway.
        existing = self.repo.user_by_email(email)
        token, link = domain.issue_magic_link(
            email, self.clock.now(), settings.magic_link_ttl_seconds
        )
        self.repo.save_magic_link(link)
        if existing is not None and existing.status is not domain.AccountStatus.ACTIVE:
            log.info("magic_link_withheld_for_deleted_account")
            return auth_pb2.RequestMagicLinkResponse()  # the same answer as for anyone
        message = render(
            "sign_in",
            "Your Mocky sign-in link",
            email,
            link=domain.sign_in_link(settings.public_base_url, token),
            minutes=str(settings.magic_link_ttl_seconds // 60),
        )
        self.mailer.send_later(message, self.clock)
        log.info("magic_link_issued")
        return auth_pb2.RequestMagicLinkResponse()

    @rpc(Stub)
    def StartGuestSession(
        self, request: auth_pb2.StartGuestSessionRequest, context: Any
    ) -> auth_pb2.StartGuestSessionResponse:
        settings = get_settings()
        self._limit(
            domain.guest_starts_per_ip(settings.rate_limit_per_ip_per_minute), request.client_ip
        )
        now = self.clock.now()
        guest = domain.new_guest(uuid.uuid4().hex, now)
        correlation_id = current_correlation_id()
        guest, _ = self.repo.create_user(
            guest, lambda u: outbox_entry(events.user_registered(u, self.clock, correlation_id))
        )
        self.outbox.flush_or_defer(USERS, guest.id)
        raw, session = domain.start_session(
            guest.id, now, settings.session_ttl_seconds, request.user_agent
        )
        self.repo.save_session(session)
        log.info("guest_started", user_id=guest.id)
        return auth_pb2.StartGuestSessionResponse(
            session_token=raw,
            session_expires_at=timestamp(session.expires_at),
            user=user_message(guest),
        )

    @rpc(Stub)
    def VerifyMagicLink(
        self, request: auth_pb2.VerifyMagicLinkRequest, context: Any
    ) -> auth_pb2.VerifyMagicLinkResponse:
        settings = get_settings()
        now = self.clock.now()
        self._limit(
            domain.link_verifications_per_ip(settings.rate_limit_per_ip_per_minute),
            request.client_ip,
        )
        link = self.repo.consume_magic_link(domain.token_hash(request.token or ""))
        if link is None:
            raise Unauthenticated("this sign-in link is not valid", code="invalid_link")
        link.check_usable(now)
        guest = self._guest_of(request.guest_session_token)
        if guest is not None:
            user, created = self._upgrade(guest, link.email, now)
        else:
            user, created = self._user_for(link.email, now)
        user.check_can_sign_in()
        raw, session = domain.start_session(
            user.id, now, settings.session_ttl_seconds, request.user_agent
        )
        self.repo.save_session(session)
        self._record_sign_in(user.id, now, request.client_ip, guest is not None)
        log.info("signed_in", user_id=user.id, new_user=created, from_guest=guest is not None)
        return auth_pb2.VerifyMagicLinkResponse(
            session_token=raw,
            session_expires_at=timestamp(session.expires_at),
            user=user_message(user),
            new_user=created,
        )

    @rpc(Stub)
    def DescribeLink(
        self, request: auth_pb2.DescribeLinkRequest, context: Any
    ) -> auth_pb2.DescribeLinkResponse:
        self._limit(
            domain.link_verifications_per_ip(get_settings().rate_limit_per_ip_per_minute),
            request.client_ip,
        )
        if request.purpose not in domain.LINK_PURPOSES:
            raise InvalidArgument("unknown link purpose", code="invalid_purpose")
        link = self.repo.find_magic_link(domain.token_hash(request.token or ""), request.purpose)
        if link is None:
            raise Unauthenticated("this link is not valid", code="invalid_link")
        link.check_usable(self.clock.now())
        return auth_pb2.DescribeLinkResponse(
            purpose=link.purpose, email=link.email, expires_at=timestamp(link.expires_at)
        )

    def _record_sign_in(self, user_id: str, now: Any, client_ip: str, from_guest: bool) -> None:
        if self.repo.is_restricted(user_id):
            return  # the user objected: no usage facts from now on
        sign_in_id = uuid.uuid4().hex
        prefix = truncate_ip(client_ip)
        event = events.user_signed_in(
            sign_in_id, user_id, now, prefix, from_guest, self.clock, current_correlation_id()
        )
        self.repo.record_sign_in(sign_in_id, user_id, now, prefix, outbox_entry(event))
        self.outbox.flush_or_defer(SIGN_INS, sign_in_id)

    def _guest_of(self, session_token: str) -> domain.User | None:
        """The guest signed in on this browser, if any (any failure: no guest)."""
        if not session_token:
            return None
        try:
            _, user = self._signed_in(session_token)
        except Unauthenticated:
            return None
        return user if user.guest else None

    def _upgrade(self, guest: domain.User, email: str, now: Any) -> tuple[domain.User, bool]:
        """The guest's data goes with them: the guest becomes the new account, or is
        merged into the existing one (an event tells the services to move its data)."""
        correlation_id = current_correlation_id()
        existing = self.repo.user_by_email(email)
        if existing is None:
            roles = domain.roles_for_new_user(email, get_settings().compliance_officers)
            event = events.guest_upgraded(guest.id, guest.id, self.clock, correlation_id)
            if self.repo.upgrade_guest(guest.id, email, roles, outbox_entry(event)):
                self.outbox.flush_or_defer(USERS, guest.id)
                self.repo.revoke_all_sessions(guest.id, now)  # a fresh session follows
                upgraded = self.repo.user_by_id(guest.id)
                assert upgraded is not None
                return upgraded, True
            existing = self.repo.user_by_email(email)  # the address got an account meanwhile
            assert existing is not None
        existing.check_can_sign_in()
        event = events.guest_upgraded(guest.id, existing.id, self.clock, correlation_id)
        if self.repo.retire_guest(guest.id, existing.id, now, outbox_entry(event)):
            self.outbox.flush_or_defer(USERS, guest.id)
        self.repo.revoke_all_sessions(guest.id, now)
        return existing, False

    def _limit(self, limit: domain.RateLimit, subject: str) -> None:
        if not subject:
            return  # no client address (an internal caller): nothing to count against
        now = self.clock.now()
        key, window_end = limit.bucket(subject, now)
        count = self.repo.count_attempt(key, window_end)
        if count > limit.limit:
            log.warning("rate_limited", limit=limit.name)
        limit.check(count, window_end, now)

    def _user_for(self, email: str, now: Any) -> tuple[domain.User, bool]:
        existing = self.repo.user_by_email(email)
        if existing is not None:
            return existing, False
        user = domain.User(
            id=uuid.uuid4().hex,
            email=email,
            created_at=now,
            roles=domain.roles_for_new_user(email, get_settings().compliance_officers),
        )
        correlation_id = current_correlation_id()
        user, created = self.repo.create_user(
            user, lambda u: outbox_entry(events.user_registered(u, self.clock, correlation_id))
        )
        if created:
            self.outbox.flush_or_defer(USERS, user.id)
        return user, created

    def _signed_in(self, session_token: str) -> tuple[domain.LoginSession, domain.User]:
        session = self.repo.find_session(domain.token_hash(session_token or ""))
        if session is None:
            raise Unauthenticated("not signed in", code="unauthenticated")
        session.check_valid(self.clock.now())
        user = self.repo.user_by_id(session.user_id)
        if user is None:
            raise Unauthenticated("not signed in", code="unauthenticated")
        return session, user

    @rpc(Stub)
    def ValidateSession(
        self, request: auth_pb2.ValidateSessionRequest, context: Any
    ) -> auth_pb2.ValidateSessionResponse:
        session, user = self._signed_in(request.session_token)
        now = self.clock.now()
        refreshed = session.needs_refresh(now)
        if refreshed:
            session = session.refreshed(now, get_settings().session_ttl_seconds)
            self.repo.refresh_session(session)
        return auth_pb2.ValidateSessionResponse(
            user=user_message(user),
            session_id=session.public_id,
            expires_at=timestamp(session.expires_at),
            refreshed=refreshed,
        )

    @rpc(Stub)
    def SignOut(self, request: auth_pb2.SignOutRequest, context: Any) -> auth_pb2.SignOutResponse:
        session = self.repo.find_session(domain.token_hash(request.session_token or ""))
        if session is not None:
            self.repo.revoke_session(session.user_id, session.public_id, self.clock.now())
            log.info("signed_out", user_id=session.user_id)
        return auth_pb2.SignOutResponse()

    @rpc(Stub)
    def ListSessions(
        self, request: auth_pb2.ListSessionsRequest, context: Any
    ) -> auth_pb2.ListSessionsResponse:
        current, user = self._signed_in(request.session_token)
        return auth_pb2.ListSessionsResponse(
            sessions=[session_message(s, current.public_id) for s in self.repo.sessions_of(user.id)]
        )

    @rpc(Stub)
    def RevokeSession(
        self, request: auth_pb2.RevokeSessionRequest, context: Any
    ) -> auth_pb2.RevokeSessionResponse:
        _, user = self._signed_in(request.session_token)
        if not self.repo.revoke_session(user.id, request.session_id, self.clock.now()):
            raise NotFound("no such session")
        log.info("session_revoked", user_id=user.id)
        return auth_pb2.RevokeSessionResponse()

    @rpc(Stub)
    def RequestEmailChange(
        self, request: auth_pb2.RequestEmailChangeRequest, context: Any
    ) -> auth_pb2.RequestEmailChangeResponse:
        settings = get_settings()
        session, user = self._signed_in(request.session_token)
        now = self.clock.now()
        domain.check_can_change_email(user)
        domain.check_fresh_sign_in(session.created_at, now)
        new_email = domain.normalize_email(request.new_email, settings.dev_tools_enabled)
        if new_email == user.email:
            raise InvalidArgument("that is already your address", code="same_email")
        self._limit(domain.EMAIL_CHANGES_PER_USER, user.id)
        self._limit(
            domain.email_changes_per_ip(settings.email_changes_per_ip_per_hour), request.client_ip
        )
        self._limit(domain.LINK_REQUESTS_PER_EMAIL, new_email)
        token, link = domain.issue_magic_link(
            new_email, now, settings.magic_link_ttl_seconds, domain.EMAIL_CHANGE, user.id
        )
        cancel_token, cancel = domain.issue_magic_link(
            user.email,
            now,
            domain.CANCEL_LINK_TTL_SECONDS,
            domain.EMAIL_CHANGE_CANCEL,
            user.id,
        )
        self.repo.save_magic_link(link)
        self.repo.save_magic_link(cancel)
        self.mailer.send_later(
            render(
                "email_change",
                "Confirm your new Mocky email address",
                new_email,
                link=domain.email_change_link(settings.public_base_url, token),
                minutes=str(settings.magic_link_ttl_seconds // 60),
            ),
            self.clock,
        )
        self.mailer.send_later(
            render(
                "email_change_notice",
                "Your Mocky email address is being changed",
                user.email,
                link=domain.email_change_cancel_link(settings.public_base_url, cancel_token),
                days=str(domain.CANCEL_LINK_TTL_SECONDS // 86400),
            ),
            self.clock,
        )
        log.info("email_change_requested", user_id=user.id)
        return auth_pb2.RequestEmailChangeResponse()

    def _use_link(self, token: str, purpose: str) -> tuple[domain.MagicLink, Any]:
        """Consumes an emailed link of that purpose (atomically: once); (link, now)."""
        link = self.repo.consume_magic_link(domain.token_hash(token or ""), purpose)
        if link is None:
            raise Unauthenticated("this link is not valid", code="invalid_link")
        now = self.clock.now()
        link.check_usable(now)
        return link, now

    @rpc(Stub)
    def ConfirmEmailChange(
        self, request: auth_pb2.ConfirmEmailChangeRequest, context: Any
    ) -> auth_pb2.ConfirmEmailChangeResponse:
        link, now = self._use_link(request.token, domain.EMAIL_CHANGE)
        if not self.repo.change_email(link.user_id, link.email):
            raise Conflict("that address belongs to another account", code="email_taken")
        # Whoever else was signed in (e.g. whoever asked for the change on someone
        # else's address) is signed out; the confirming browser stays if it is the
        # account's own.
        keep = domain.token_hash(request.session_token) if request.session_token else ""
        ended = self.repo.revoke_all_sessions(link.user_id, now, keep=keep)
        user = self.repo.user_by_id(link.user_id)
        assert user is not None
        log.info("email_changed", user_id=user.id, sessions_ended=ended)
        return auth_pb2.ConfirmEmailChangeResponse(user=user_message(user), sessions_ended=ended)

    @rpc(Stub)
    def CancelEmailChange(
        self, request: auth_pb2.CancelEmailChangeRequest, context: Any
    ) -> auth_pb2.CancelEmailChangeResponse:
        link, now = self._use_link(request.token, domain.EMAIL_CHANGE_CANCEL)
        user = self.repo.user_by_id(link.user_id)
        if user is None or user.status is not domain.AccountStatus.ACTIVE:
            raise Unauthenticated("this account no longer exists", code="account_deleted")
        self.repo.delete_magic_links(user.id, domain.EMAIL_CHANGE)  # a pending change dies
        restored = user.email != link.email
        if restored and not self.repo.change_email(user.id, link.email):
            raise Conflict("that address belongs to another account now", code="email_taken")
        ended = self.repo.revoke_all_sessions(user.id, now)
        log.info("email_change_cancelled", user_id=user.id, restored=restored, sessions_ended=ended)
        return auth_pb2.CancelEmailChangeResponse(restored=restored, sessions_ended=ended)

    @rpc(Stub)
    def RequestAccountDeletion(
        self, request: auth_pb2.RequestAccountDeletionRequest, context: Any
    ) -> auth_pb2.RequestAccountDeletionResponse:
        if request.session_token or not request.user_id:
            _, user = self._signed_in(request.session_token)
        else:  # the privacy service, for an erasure request confirmed by email
            if self.caller != "privacy":
                raise PermissionDenied("only the privacy service deletes by id")
            found = self.repo.user_by_id(request.user_id)
            if found is None:
                raise NotFound("no such user")
            user = found
        now = self.clock.now()
        event = events.account_deletion_requested(
            user.id, now, self.clock, current_correlation_id()
        )
        if self.repo.request_deletion(user.id, now, outbox_entry(event)):
            self.outbox.flush_or_defer(USERS, user.id)
            self.mailer.send_later(
                render("account_deletion", "Your Mocky account is being deleted", user.email),
                self.clock,
            )
        ended = self.repo.revoke_all_sessions(user.id, now)
        log.info("account_deletion_requested", user_id=user.id, sessions_ended=ended)
        response = auth_pb2.RequestAccountDeletionResponse(sessions_ended=ended)
        response.requested_at.FromDatetime(now)
        return response

    @rpc(Stub)
    def ChangeRole(
        self, request: auth_pb2.ChangeRoleRequest, context: Any
    ) -> auth_pb2.ChangeRoleResponse:
        _, officer = self._signed_in(request.session_token)
        if domain.COMPLIANCE_OFFICER not in officer.roles:
            raise PermissionDenied("compliance officers only")
        target = (
            self.repo.user_by_id(request.user_id)
            if request.user_id
            else self.repo.user_by_email(domain.normalize_email(request.email, True))
        )
        if target is None:
            raise NotFound("no such user")
        holders = len(self._active_holders(request.role))
        domain.check_role_change(officer, target, request.role, request.grant, holders)
        event = events.role_changed(
            target.id, request.role, request.grant, officer.id, self.clock, current_correlation_id()
        )
        changed = self.repo.change_role(target.id, request.role, request.grant, outbox_entry(event))
        if changed and not request.grant and not self._active_holders(request.role):
            # Two officers removed each other at once: this removal is undone (its
            # event still goes out, followed by the re-grant's, so the audit log shows both).
            undo = events.role_changed(
                target.id, request.role, True, officer.id, self.clock, current_correlation_id()
            )
            self.repo.change_role(target.id, request.role, True, outbox_entry(undo))
            self.outbox.flush_or_defer(USERS, target.id)
            raise Conflict("the last compliance officer keeps the role", code="last_officer")
        if changed:
            self.outbox.flush_or_defer(USERS, target.id)
            log.info(
                "role_changed",
                user_id=target.id,
                role=request.role,
                granted=request.grant,
                by_user_id=officer.id,
            )
        updated = self.repo.user_by_id(target.id)
        assert updated is not None
        return auth_pb2.ChangeRoleResponse(user=user_message(updated), changed=changed)

    def _active_holders(self, role: str) -> list[domain.User]:
        return [
            u
            for u in self.repo.users_with_role(role)
            if u.status is domain.AccountStatus.ACTIVE and not u.guest
        ]

    @rpc(Stub)
    def ListRoleHolders(
        self, request: auth_pb2.ListRoleHoldersRequest, context: Any
    ) -> auth_pb2.ListRoleHoldersResponse:
        _, officer = self._signed_in(request.session_token)
        if domain.COMPLIANCE_OFFICER not in officer.roles:
            raise PermissionDenied("compliance officers only")
        holders = self.repo.users_with_role(request.role or domain.COMPLIANCE_OFFICER)
        return auth_pb2.ListRoleHoldersResponse(users=[user_message(u) for u in holders])

    @rpc(Stub)
    def GetUser(self, request: auth_pb2.GetUserRequest, context: Any) -> auth_pb2.GetUserResponse:
        if request.email:
            user = self.repo.user_by_email(domain.normalize_email(request.email, True))
        else:
            user = self.repo.user_by_id(request.user_id)
        if user is None:
            raise NotFound("no such user")
        return auth_pb2.GetUserResponse(user=user_message(user))

    @rpc(Stub)
    def SendUserEmail(
        self, request: auth_pb2.SendUserEmailRequest, context: Any
    ) -> auth_pb2.SendUserEmailResponse:
        user = self.repo.user_by_id(request.user_id)
        if user is None:
            raise NotFound("no such user")
        if not user.email:
            raise Conflict("this account has no address", code="no_address")
        message = render_service_email(
            request.template, request.values, user.email, get_settings().public_base_url
        )
        self.mailer.send_later(message, self.clock)
        log.info("user_email_queued", user_id=user.id, template=request.template)
        return auth_pb2.SendUserEmailResponse()

    @rpc(Stub)
    def EmailRoleHolders(
        self, request: auth_pb2.EmailRoleHoldersRequest, context: Any
    ) -> auth_pb2.EmailRoleHoldersResponse:
        if request.role != domain.COMPLIANCE_OFFICER:
            raise InvalidArgument("unknown role", code="unknown_role")
        base_url = get_settings().public_base_url
        render_service_email(request.template, request.values, "check@invalid", base_url)
        holders = [u for u in self._active_holders(request.role) if u.email]
        for user in holders:
            message = render_service_email(request.template, request.values, user.email, base_url)
            self.mailer.send_later(message, self.clock)
        log.info("role_email_queued", role=request.role, recipients=len(holders))
        return auth_pb2.EmailRoleHoldersResponse(queued=len(holders))

    @rpc(Stub)
    def ListOutbox(
        self, request: auth_pb2.ListOutboxRequest, context: Any
    ) -> auth_pb2.ListOutboxResponse:
        if not get_settings().dev_tools_enabled:
            raise NotFound("not available")
        records = self.mailer.outbox(domain.normalize_email(request.to, True), request.limit or 20)
        messages = []
        for record in records:
            message = auth_pb2.OutboxMessage(
                id=record["id"],
                to=record["to"],
                subject=record["subject"],
                text=record["text"],
                html=record["html"],
            )
            message.sent_at.FromJsonString(record["sent_at"].replace("+00:00", "Z"))
            messages.append(message)
        return auth_pb2.ListOutboxResponse(messages=messages)
