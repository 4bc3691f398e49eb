"""AuthService entrypoints with nameko's worker_factory and an in-memory repository."""

from dataclasses import replace
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from mocky.auth.v1 import auth_pb2
from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.errors import (
    Conflict,
    InvalidArgument,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
)
from mocky.platform.events import from_wire
from services.auth import domain
from services.auth.service import AuthService


class InMemoryAuthRepository:
    def __init__(self):
        self.links, self.users, self.sessions, self.attempts = {}, {}, {}, {}
        self.sign_in_log = []
        self.restricted = set()
        self.sign_ins = "sign_ins"

    @property
    def users_by_email(self):
        return {u.email: u for u, _ in self.users.values()}

    def is_restricted(self, user_id):
        return user_id in self.restricted

    def record_sign_in(self, sign_in_id, user_id, at, ip_prefix, event):
        self.sign_in_log.append((user_id, ip_prefix, event))

    def count_attempt(self, key, expires_at):
        self.attempts[key] = self.attempts.get(key, 0) + 1
        return self.attempts[key]

    def save_magic_link(self, link):
        self.links[link.token_hash] = link

    def consume_magic_link(self, token_hash, purpose="sign_in"):
        link = self.links.get(token_hash)
        if link is None or link.purpose != purpose:
            return None
        return self.links.pop(token_hash)

    def find_magic_link(self, token_hash, purpose):
        link = self.links.get(token_hash)
        return link if link is not None and link.purpose == purpose else None

    def delete_magic_links(self, user_id, purpose):
        doomed = [k for k, v in self.links.items() if v.user_id == user_id and v.purpose == purpose]
        for key in doomed:
            del self.links[key]
        return len(doomed)

    def change_email(self, user_id, new_email):
        if new_email in self.users_by_email:
            return False
        self.users[user_id][0].email = new_email
        return True

    def user_by_email(self, email):
        return self.users_by_email.get(email)

    def user_by_id(self, user_id):
        found = self.users.get(user_id)
        return found[0] if found else None

    def create_user(self, user, outbox):
        self.users[user.id] = (user, [outbox(user)])
        return user, True

    def upgrade_guest(self, guest_id, email, roles, event):
        user, outbox = self.users[guest_id]
        if not user.guest or email in self.users_by_email:
            return False
        user.email, user.guest, user.roles = email, False, roles
        outbox.append(event)
        return True

    def retire_guest(self, guest_id, into_user_id, now, event):
        user, outbox = self.users[guest_id]
        user.status = domain.AccountStatus.MERGED
        outbox.append(event)
        return True

    def request_deletion(self, user_id, now, event):
        user, outbox = self.users[user_id]
        if user.status is not domain.AccountStatus.ACTIVE:
            return False
        user.status = domain.AccountStatus.DELETION_REQUESTED
        outbox.append(event)
        return True

    def revoke_all_sessions(self, user_id, now, keep=""):
        ended = 0
        for key, session in self.sessions.items():
            if session.user_id == user_id and session.revoked_at is None and key != keep:
                self.sessions[key] = replace(session, revoked_at=now)
                ended += 1
        return ended

    def save_session(self, session):
        self.sessions[session.session_hash] = session

    def find_session(self, session_hash):
        return self.sessions.get(session_hash)

    def refresh_session(self, session):
        self.sessions[session.session_hash] = session

    def revoke_session(self, user_id, public_id, now):
        for key, session in self.sessions.items():
            if session.user_id == user_id and session.public_id == public_id:
                self.sessions[key] = replace(session, revoked_at=now)
                return True
        return False


class CapturingMailer:
    def __init__(self):
        self.sent = []

    def send_later(self, message, clock):
        self.sent.append(message)


@pytest.fixture
def auth():
    service = worker_factory(
        AuthService,
        repo=InMemoryAuthRepository(),
        clock=Clock(),
        mailer=CapturingMailer(),
        caller="gateway",
    )
    return service


def emailed_token(service, to=None):
    message = next(m for m in reversed(service.mailer.sent) if to in (None, m.to))
    return message.text.split("token=")[1].split()[0]


def test_requesting_a_link_stores_its_hash_and_mails_the_link(auth):
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="a@example.com"), None)
    token = emailed_token(auth)
    assert list(auth.repo.links) == [domain.token_hash(token)]
    assert auth.mailer.sent[0].to == "a@example.com"


def test_malformed_address_is_refused_before_anything_is_stored(auth):
    with pytest.raises(InvalidArgument):
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="nope"), None)
    assert auth.repo.links == {} and auth.mailer.sent == []


def test_first_sign_in_creates_the_user_with_a_registration_event(auth):
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="a@example.com"), None)
    response = auth.VerifyMagicLink(
        auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth)), None
    )
    _, outbox = auth.repo.users[response.user.id]
    assert response.new_user
    assert outbox[0]["event_type"] == "user_registered"
    event = from_wire(events_pb2.UserRegistered, outbox[0]["payload"])
    assert event.record.category == "account" and event.user_id == response.user.id
    assert "a@example.com" not in str(outbox)  # events carry ids, not addresses
    flushed = [c.args[0] for c in auth.outbox.flush_or_defer.call_args_list]
    assert flushed == ["users", "sign_ins"]  # the account, then the sign-in


def test_expired_link_signs_nobody_in(auth):
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="a@example.com"), None)
    auth.clock.advance(timedelta(minutes=10).total_seconds())
    with pytest.raises(Unauthenticated):
        auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth)), None)
    assert auth.repo.sessions == {}


def test_unknown_session_is_unauthenticated(auth):
    with pytest.raises(Unauthenticated):
        auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token="x" * 43), None)


def test_sixth_link_request_for_one_address_within_a_minute_is_refused(auth):
    request = auth_pb2.RequestMagicLinkRequest(email="a@example.com", client_ip="10.0.0.1")
    for _ in range(5):
        auth.RequestMagicLink(request, None)
    with pytest.raises(RateLimited) as refused:
        auth.RequestMagicLink(request, None)
    assert 1 <= refused.value.retry_after_seconds <= 60
    assert len(auth.mailer.sent) == 5
    auth.clock.advance(60)
    auth.RequestMagicLink(request, None)  # a new window


def signed_in(auth, email="a@example.com"):
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=email), None)
    return auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth)), None)


def test_session_lifetime_slides_at_most_once_a_day(auth):
    token = signed_in(auth).session_token
    first = auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token=token), None)
    auth.clock.advance(23 * 3600)
    same = auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token=token), None)
    auth.clock.advance(3600)
    slid = auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token=token), None)
    assert not first.refreshed and not same.refreshed and slid.refreshed
    assert same.expires_at == first.expires_at
    assert slid.expires_at.ToSeconds() == first.expires_at.ToSeconds() + 86400


def test_unused_session_expires_after_seven_days(auth):
    token = signed_in(auth).session_token
    auth.clock.advance(7 * 86400)
    with pytest.raises(Unauthenticated):
        auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token=token), None)


def test_signed_out_session_stops_working(auth):
    token = signed_in(auth).session_token
    auth.SignOut(auth_pb2.SignOutRequest(session_token=token), None)
    with pytest.raises(Unauthenticated) as refused:
        auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token=token), None)
    assert refused.value.code == "session_revoked"


def test_account_deletion_ends_every_session_and_queues_one_event(auth):
    first = signed_in(auth)
    second = signed_in(auth)
    request = auth_pb2.RequestAccountDeletionRequest(session_token=first.session_token)
    assert auth.RequestAccountDeletion(request, None).sessions_ended == 2
    _, outbox = auth.repo.users[first.user.id]
    assert [e["event_type"] for e in outbox] == ["user_registered", "account_deletion_requested"]
    for token in (first.session_token, second.session_token):
        with pytest.raises(Unauthenticated):
            auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token=token), None)
    assert auth.mailer.sent[-1].subject == "Your Mocky account is being deleted"


def test_guest_who_signs_in_with_a_new_address_becomes_that_account(auth):
    guest = auth.StartGuestSession(auth_pb2.StartGuestSessionRequest(), None)
    assert guest.user.guest and guest.user.email == ""
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="g@example.com"), None)
    signed_in = auth.VerifyMagicLink(
        auth_pb2.VerifyMagicLinkRequest(
            token=emailed_token(auth), guest_session_token=guest.session_token
        ),
        None,
    )
    assert signed_in.user.id == guest.user.id and not signed_in.user.guest
    _, outbox = auth.repo.users[guest.user.id]
    assert [e["event_type"] for e in outbox] == ["user_registered", "guest_upgraded"]
    with pytest.raises(Unauthenticated):  # the guest session was replaced by a fresh one
        auth.ValidateSession(
            auth_pb2.ValidateSessionRequest(session_token=guest.session_token), None
        )


def test_guest_who_signs_in_to_an_existing_account_is_merged_into_it(auth):
    account = signed_in(auth, "known@example.com").user
    guest = auth.StartGuestSession(auth_pb2.StartGuestSessionRequest(), None)
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="known@example.com"), None)
    result = auth.VerifyMagicLink(
        auth_pb2.VerifyMagicLinkRequest(
            token=emailed_token(auth), guest_session_token=guest.session_token
        ),
        None,
    )
    assert result.user.id == account.id
    retired, outbox = auth.repo.users[guest.user.id]
    assert retired.status is domain.AccountStatus.MERGED
    assert outbox[-1]["event_type"] == "guest_upgraded"


def test_every_sign_in_is_a_usage_fact_without_the_raw_address(auth):
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="a@example.com"), None)
    auth.VerifyMagicLink(
        auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth), client_ip="203.0.113.77"), None
    )
    user_id, prefix, event = auth.repo.sign_in_log[0]
    assert prefix == "203.0.113.0/24"
    assert "203.0.113.77" not in str(event)
    fact = from_wire(events_pb2.UserSignedIn, event["payload"])
    assert fact.record.category == "usage_log" and fact.user_id == user_id


def test_a_restricted_user_leaves_no_usage_facts(auth):
    first = signed_in(auth)
    auth.repo.restricted.add(first.user.id)
    signed_in(auth)
    assert len(auth.repo.sign_in_log) == 1  # only the sign-in before the restriction


def valid(auth, token):
    try:
        auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token=token), None)
    except Unauthenticated:
        return False
    return True


def test_describing_a_link_says_whom_it_signs_in_without_using_it(auth):
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="a@example.com"), None)
    token = emailed_token(auth)
    described = auth.DescribeLink(
        auth_pb2.DescribeLinkRequest(token=token, purpose="sign_in"), None
    )
    assert described.email == "a@example.com"
    auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token), None)  # still usable
    with pytest.raises(Unauthenticated):  # once used, there is nothing to describe
        auth.DescribeLink(auth_pb2.DescribeLinkRequest(token=token, purpose="sign_in"), None)
    with pytest.raises(InvalidArgument):
        auth.DescribeLink(auth_pb2.DescribeLinkRequest(token=token, purpose="other"), None)


def change_email(auth, session_token, new_email, client_ip=""):
    auth.RequestEmailChange(
        auth_pb2.RequestEmailChangeRequest(
            session_token=session_token, new_email=new_email, client_ip=client_ip
        ),
        None,
    )


def test_a_confirmed_address_change_signs_out_whoever_asked_for_it(auth):
    """Pre-account takeover: an attacker points their account at the victim's address;
    if the victim confirms it, the attacker's session must not see what follows."""
    attacker = signed_in(auth, "attacker@example.com")
    change_email(auth, attacker.session_token, "victim@example.com")
    victim_browser = auth.StartGuestSession(auth_pb2.StartGuestSessionRequest(), None)
    confirmed = auth.ConfirmEmailChange(
        auth_pb2.ConfirmEmailChangeRequest(
            token=emailed_token(auth, "victim@example.com"),
            session_token=victim_browser.session_token,
        ),
        None,
    )
    assert confirmed.user.email == "victim@example.com" and confirmed.sessions_ended == 1
    assert not valid(auth, attacker.session_token)
    assert valid(auth, victim_browser.session_token)  # not the account's: left alone


def test_the_confirming_browser_of_the_account_itself_stays_signed_in(auth):
    here = signed_in(auth, "me@example.com")
    elsewhere = signed_in(auth, "me@example.com")
    change_email(auth, here.session_token, "new@example.com")
    auth.ConfirmEmailChange(
        auth_pb2.ConfirmEmailChangeRequest(
            token=emailed_token(auth, "new@example.com"), session_token=here.session_token
        ),
        None,
    )
    assert valid(auth, here.session_token) and not valid(auth, elsewhere.session_token)


def test_the_old_address_cancels_a_change_and_gets_the_account_back(auth):
    owner = signed_in(auth, "owner@example.com")
    change_email(auth, owner.session_token, "thief@example.com")
    notice = next(m for m in auth.mailer.sent if m.to == "owner@example.com" and "cancel" in m.text)
    cancel = notice.text.split("token=")[1].split()[0]
    auth.ConfirmEmailChange(
        auth_pb2.ConfirmEmailChangeRequest(token=emailed_token(auth, "thief@example.com")), None
    )
    assert auth.repo.user_by_id(owner.user.id).email == "thief@example.com"
    auth.clock.advance(3 * 86400)  # the notice is read days later
    cancelled = auth.CancelEmailChange(auth_pb2.CancelEmailChangeRequest(token=cancel), None)
    assert cancelled.restored
    assert auth.repo.user_by_id(owner.user.id).email == "owner@example.com"
    assert not valid(auth, owner.session_token)
    with pytest.raises(Unauthenticated):  # once
        auth.CancelEmailChange(auth_pb2.CancelEmailChangeRequest(token=cancel), None)


def test_cancelling_before_confirmation_kills_the_pending_link(auth):
    owner = signed_in(auth, "owner@example.com")
    change_email(auth, owner.session_token, "other@example.com")
    pending = emailed_token(auth, "other@example.com")
    notice = next(m for m in auth.mailer.sent if m.to == "owner@example.com" and "cancel" in m.text)
    auth.CancelEmailChange(
        auth_pb2.CancelEmailChangeRequest(token=notice.text.split("token=")[1].split()[0]), None
    )
    with pytest.raises(Unauthenticated):
        auth.ConfirmEmailChange(auth_pb2.ConfirmEmailChangeRequest(token=pending), None)


def test_address_changes_are_limited_per_account_and_not_for_guests(auth):
    """The change mailed two people per request, unthrottled: a relay to any address."""
    me = signed_in(auth, "me@example.com")
    for n in range(domain.EMAIL_CHANGES_PER_USER.limit):
        change_email(auth, me.session_token, f"n{n}@example.com")
    with pytest.raises(RateLimited):
        change_email(auth, me.session_token, "one-more@example.com")
    guest = auth.StartGuestSession(auth_pb2.StartGuestSessionRequest(), None)
    with pytest.raises(Conflict):
        change_email(auth, guest.session_token, "guest@example.com")


def test_only_the_privacy_service_deletes_an_account_by_id(auth):
    user = signed_in(auth).user
    with pytest.raises(PermissionDenied):
        auth.RequestAccountDeletion(auth_pb2.RequestAccountDeletionRequest(user_id=user.id), None)
    auth.caller = "privacy"
    auth.RequestAccountDeletion(auth_pb2.RequestAccountDeletionRequest(user_id=user.id), None)
    assert auth.repo.user_by_id(user.id).status is domain.AccountStatus.DELETION_REQUESTED


def test_address_changes_are_limited_per_client_address_across_accounts(auth):
    limit = auth_settings_limit()
    for n in range(limit):
        me = signed_in(auth, f"from-one-place-{n}@example.com")
        change_email(auth, me.session_token, f"target-{n}@example.com", client_ip="198.51.100.7")
    me = signed_in(auth, "one-more@example.com")
    with pytest.raises(RateLimited):
        change_email(auth, me.session_token, "target-x@example.com", client_ip="198.51.100.7")
    change_email(auth, me.session_token, "target-y@example.com", client_ip="198.51.100.8")


def auth_settings_limit() -> int:
    from mocky.platform.settings import get_settings

    return get_settings().email_changes_per_ip_per_hour
