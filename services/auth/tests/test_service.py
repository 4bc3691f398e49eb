"""AuthService entrypoints with nameko's worker_factory and an in-memory repository."""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from mocky.auth.v1 import auth_pb2
from mocky.events.v1 import events_pb2
from mocky.platform.clock import Clock
from mocky.platform.errors import InvalidArgument, Unauthenticated
from mocky.platform.events import from_wire
from services.auth import domain
from services.auth.service import AuthService


class InMemoryAuthRepository:
    def __init__(self):
        self.links, self.users, self.sessions = {}, {}, {}
        self.users_collection = "users"

    @property
    def users_by_email(self):
        return {u.email: u for u, _ in self.users.values()}

    def save_magic_link(self, link):
        self.links[link.token_hash] = link

    def consume_magic_link(self, token_hash):
        return self.links.pop(token_hash, None)

    def user_by_email(self, email):
        return self.users_by_email.get(email)

    def user_by_id(self, user_id):
        found = self.users.get(user_id)
        return found[0] if found else None

    def create_user(self, user, outbox):
        self.users[user.id] = (user, [outbox(user)])
        return user, True

    def save_session(self, session):
        self.sessions[session.session_hash] = session

    def find_session(self, session_hash):
        session = self.sessions.get(session_hash)
        return (session, None) if session else None


class CapturingMailer:
    def __init__(self):
        self.sent = []

    def send_later(self, message, clock):
        self.sent.append(message)


@pytest.fixture
def auth():
    service = worker_factory(
        AuthService, repo=InMemoryAuthRepository(), clock=Clock(), mailer=CapturingMailer()
    )
    return service


def emailed_token(service):
    return service.mailer.sent[-1].text.split("token=")[1].split()[0]


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
    auth.outbox.flush_or_defer.assert_called_once()


def test_expired_link_signs_nobody_in(auth):
    auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="a@example.com"), None)
    auth.clock.advance(timedelta(minutes=10).total_seconds())
    with pytest.raises(Unauthenticated):
        auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth)), None)
    assert auth.repo.sessions == {}


def test_unknown_session_is_unauthenticated(auth):
    with pytest.raises(Unauthenticated):
        auth.ValidateSession(auth_pb2.ValidateSessionRequest(session_token="x" * 43), None)
