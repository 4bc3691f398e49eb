"""The auth service on real RabbitMQ, nx-27017 and gRPC: the sign-in slice."""

from __future__ import annotations

import io
import json
import re

import eventlet
import pytest
from nameko_grpc.errors import GrpcError

from mocky.auth.v1 import auth_pb2, auth_pb2_grpc
from mocky.events.v1 import events_pb2
from mocky.platform.events import event_handler
from mocky.platform.logs import configure_logging
from mocky.platform.mongo import service_database
from mocky.platform.v1 import platform_pb2, platform_pb2_grpc
from services.auth.service import AuthService
from tests.infra import wait_until
from tests.integration.conftest import grpc_client

EMAIL = "Candidate.One@Example.com"


def emailed_token(auth, to: str) -> str:  # type: ignore[no-untyped-def]
    def latest():  # type: ignore[no-untyped-def]
        return auth.ListOutbox(auth_pb2.ListOutboxRequest(to=to)).messages

    wait_until(latest, 5, "email in the dev outbox")
    return re.search(r"token=([\w-]+)", latest()[0].text).group(1)


@pytest.fixture
def auth_port(start_service):  # type: ignore[no-untyped-def]
    _, port = start_service(AuthService)
    return port


def test_sign_in_link_works_once(auth_port):
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        token = emailed_token(auth, EMAIL)
        signed_in = auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token))
        with pytest.raises(GrpcError) as reused:
            auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token))
        session = auth.ValidateSession(
            auth_pb2.ValidateSessionRequest(session_token=signed_in.session_token)
        )
    assert signed_in.user.email == "candidate.one@example.com"
    assert signed_in.new_user
    assert reused.value.code.name == "UNAUTHENTICATED"
    assert session.user.id == signed_in.user.id


def test_link_and_session_are_stored_only_as_hashes(auth_port, settings):
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        token = emailed_token(auth, EMAIL)
        link_ids = [d["_id"] for d in service_database("auth")["magic_links"].find()]
        session = auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token)).session_token
    session_ids = [d["_id"] for d in service_database("auth")["sessions"].find()]
    assert token not in link_ids and len(link_ids) == 1
    assert session not in session_ids and len(session_ids) == 1
    assert len(token) >= 43  # 256 bits, URL-safe base64


def test_two_concurrent_verifies_of_one_link_make_exactly_one_session(auth_port, settings):
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        token = emailed_token(auth, EMAIL)

        def verify():  # type: ignore[no-untyped-def]
            try:
                return auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token))
            except GrpcError as error:
                return error

        results = [t.wait() for t in [eventlet.spawn(verify) for _ in range(8)]]
    successes = [r for r in results if not isinstance(r, GrpcError)]
    assert len(successes) == 1
    assert service_database("auth")["sessions"].count_documents({}) == 1


def test_link_expires_after_ten_minutes(auth_port):
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        token = emailed_token(auth, EMAIL)
        with grpc_client(auth_port, platform_pb2_grpc.PlatformServiceStub) as platform:
            platform.AdvanceClock(platform_pb2.AdvanceClockRequest(advance_seconds=601))
        with pytest.raises(GrpcError) as expired:
            auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token))
    assert expired.value.code.name == "UNAUTHENTICATED"
    assert "expired" in expired.value.message


def test_link_points_at_the_configured_base_url(auth_port, settings):
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        emailed_token(auth, EMAIL)
        text = auth.ListOutbox(auth_pb2.ListOutboxRequest(to=EMAIL)).messages[0].text
    assert f"{settings.public_base_url}/api/v1/auth/verify?token=" in text


def test_configured_officer_gets_the_compliance_role(auth_port):
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="officer@mocky.local"))
        token = emailed_token(auth, "officer@mocky.local")
        officer = auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token)).user
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        candidate = auth.VerifyMagicLink(
            auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth, EMAIL))
        ).user
    assert "compliance_officer" in officer.roles
    assert "compliance_officer" not in candidate.roles


class RegistrationListener:
    name = "listener"
    seen: list[str] = []

    @event_handler("auth", "user_registered", events_pb2.UserRegistered)
    def on_user_registered(self, event):  # type: ignore[no-untyped-def]
        RegistrationListener.seen.append(event.user_id)


def test_first_sign_in_publishes_user_registered_once(start_service, auth_port):
    RegistrationListener.seen = []
    start_service(RegistrationListener)
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        user_ids = []
        for _ in range(2):
            auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
            token = emailed_token(auth, EMAIL)
            user_ids.append(
                auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token)).user.id
            )
            wait_until(lambda: RegistrationListener.seen, 5, "user_registered")
    eventlet.sleep(0.5)  # give a wrongly published second event time to arrive
    assert user_ids[0] == user_ids[1]
    assert RegistrationListener.seen == [user_ids[0]]
    user = service_database("auth")["users"].find_one({"_id": user_ids[0]})
    assert user["_outbox"] == []  # published and removed from the document


def test_no_email_or_token_reaches_the_logs(start_service, settings):
    captured = io.StringIO()
    configure_logging("auth", "debug", stream=captured)
    _, port = start_service(AuthService)
    with grpc_client(port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        token = emailed_token(auth, EMAIL)
        session = auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token)).session_token
        with pytest.raises(GrpcError):
            auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token))
        with pytest.raises(GrpcError):
            auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email="not-an-address@"))
    output = captured.getvalue()
    assert "magic_link_issued" in output and "signed_in" in output  # logs were captured
    for secret in (EMAIL, EMAIL.lower(), token, session, "not-an-address@"):
        assert secret not in output


def test_sign_in_works_while_the_broker_is_down_and_the_event_follows(
    container_factory, start_service, settings
):
    from tests.infra import free_port

    RegistrationListener.seen = []
    grpc_port, dead_broker = free_port(), free_port()  # nothing listens on dead_broker
    down = container_factory(
        AuthService,
        {
            "GRPC_BIND_PORT": grpc_port,
            "GRPC_BIND_HOST": "127.0.0.1",
            "AMQP_URI": f"amqp://guest:guest@127.0.0.1:{dead_broker}/",
        },
    )
    down.start()
    with grpc_client(grpc_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        token = emailed_token(auth, EMAIL)
        user = auth.VerifyMagicLink(auth_pb2.VerifyMagicLinkRequest(token=token)).user
    users = service_database("auth")["users"]
    assert len(users.find_one({"_id": user.id})["_outbox"]) == 1  # kept for the relay
    down.stop()

    start_service(RegistrationListener)
    start_service(AuthService)  # back with a broker: its relay publishes what was left
    wait_until(lambda: RegistrationListener.seen == [user.id], 10, "user_registered relayed")
    wait_until(lambda: users.find_one({"_id": user.id})["_outbox"] == [], 5, "outbox drained")


def test_verifying_from_one_address_is_rate_limited_across_replicas(
    start_service, monkeypatch, settings
):
    from mocky.platform.settings import reset_settings

    monkeypatch.setenv("MOCKY_RATE_LIMIT_PER_IP_PER_MINUTE", "3")
    reset_settings()
    ports = [start_service(AuthService)[1] for _ in range(2)]  # two auth replicas
    codes = []
    for attempt in range(4):
        with grpc_client(ports[attempt % 2], auth_pb2_grpc.AuthServiceStub) as auth:
            try:
                auth.VerifyMagicLink(
                    auth_pb2.VerifyMagicLinkRequest(token="x" * 43, client_ip="203.0.113.9")
                )
            except GrpcError as error:
                codes.append((error.code.name, json.loads(error.message)))
    assert [c[0] for c in codes] == ["UNAUTHENTICATED"] * 3 + ["RESOURCE_EXHAUSTED"]
    assert codes[-1][1]["code"] == "rate_limited" and codes[-1][1]["retry_after"] >= 1
    with grpc_client(ports[0], auth_pb2_grpc.AuthServiceStub) as auth:  # another address
        with pytest.raises(GrpcError) as other:
            auth.VerifyMagicLink(
                auth_pb2.VerifyMagicLinkRequest(token="x" * 43, client_ip="203.0.113.10")
            )
    assert other.value.code.name == "UNAUTHENTICATED"


def test_privacy_hooks_export_restrict_and_purge_the_account(auth_port, settings):
    from mocky.events.v1 import events_pb2 as ev
    from mocky.privacy.v1 import data_owner_pb2, data_owner_pb2_grpc

    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        token = emailed_token(auth, EMAIL)
        signed_in = auth.VerifyMagicLink(
            auth_pb2.VerifyMagicLinkRequest(token=token, client_ip="198.51.100.23")
        )
    user_id = signed_in.user.id
    with grpc_client(auth_port, data_owner_pb2_grpc.DataOwnerServiceStub, "privacy") as owner:
        exported = owner.ExportUserData(data_owner_pb2.ExportUserDataRequest(user_id=user_id))
        archive = {f.name: json.loads(f.data) for f in exported.files}
        assert set(archive) == {"auth/account.json", "auth/sign_ins.json", "auth/sessions.json"}
        assert archive["auth/account.json"][0]["email"] == "candidate.one@example.com"
        assert archive["auth/sign_ins.json"][0]["ip_prefix"] == "198.51.100.0/24"
        assert len(archive["auth/sessions.json"]) == 1
        everything = b"".join(f.data for f in exported.files).decode()
        token_hash = service_database("auth")["sessions"].find_one({"user_id": user_id})["_id"]
        assert signed_in.session_token not in everything and token_hash not in everything

        restricted = owner.RestrictUser(
            data_owner_pb2.RestrictUserRequest(user_id=user_id, restrict=True)
        )
        assert restricted.records_restricted == 2  # the account and its one sign-in

        refs = [
            ev.RecordReference(owner="auth", kind="user", record_id=user_id),
            ev.RecordReference(
                owner="auth", kind="sign_in", record_id=archive["auth/sign_ins.json"][0]["_id"]
            ),
            ev.RecordReference(owner="auth", kind="gizmo", record_id="x"),
        ]
        first = owner.PurgeRecords(data_owner_pb2.PurgeRecordsRequest(records=refs))
        again = owner.PurgeRecords(data_owner_pb2.PurgeRecordsRequest(records=refs[:2]))
    outcomes = [r.outcome for r in first.results]
    assert outcomes == [
        data_owner_pb2.PURGE_OUTCOME_PURGED,
        data_owner_pb2.PURGE_OUTCOME_PURGED,
        data_owner_pb2.PURGE_OUTCOME_UNKNOWN_KIND,
    ]
    assert {r.outcome for r in again.results} == {data_owner_pb2.PURGE_OUTCOME_ALREADY_GONE}
    db = service_database("auth")
    for collection in ("users", "sessions", "sign_ins", "magic_links"):
        assert db[collection].count_documents({"user_id": user_id}) == 0
    assert db["users"].count_documents({"email": "candidate.one@example.com"}) == 0


def incident_notice(user_id: str, message: str, subject: str = "About your account"):  # type: ignore[no-untyped-def]
    return auth_pb2.SendUserEmailRequest(
        user_id=user_id,
        template="incident_notice",
        values={"subject": subject, "message": message},
    )


def test_other_services_email_a_user_without_knowing_the_address(auth_port, settings):
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        privacy = auth.calling_as("privacy")
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        user = auth.VerifyMagicLink(
            auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth, EMAIL))
        ).user
        privacy.SendUserEmail(
            auth_pb2.SendUserEmailRequest(
                user_id=user.id,
                template="privacy_export_ready",
                values={
                    "link": f"{settings.public_base_url}/api/v1/privacy/requests/r/download?t=1"
                },
            )
        )
        privacy.SendUserEmail(incident_notice(user.id, "Look <script>here</script>."))
        wait_until(
            lambda: len(auth.ListOutbox(auth_pb2.ListOutboxRequest(to=EMAIL)).messages) == 3,
            5,
            "the emails",
        )
        notice, export, _ = auth.ListOutbox(auth_pb2.ListOutboxRequest(to=EMAIL)).messages
        with pytest.raises(GrpcError) as unknown:
            privacy.SendUserEmail(incident_notice("nobody", "t"))
        guest = auth.StartGuestSession(auth_pb2.StartGuestSessionRequest()).user
        with pytest.raises(GrpcError) as no_address:
            privacy.SendUserEmail(incident_notice(guest.id, "t"))
    assert export.subject == "Your Mocky data export is ready"
    assert notice.subject == "About your account"
    assert "&lt;script&gt;" in notice.html and "<script>" not in notice.html  # text, escaped
    assert unknown.value.code.name == "NOT_FOUND"
    assert no_address.value.code.name == "FAILED_PRECONDITION"


def test_the_platform_mails_only_its_own_templates_and_links(auth_port, settings):
    """SendUserEmail used to send any subject and HTML: a relay for phishing mail."""
    with grpc_client(auth_port, auth_pb2_grpc.AuthServiceStub) as auth:
        auth.RequestMagicLink(auth_pb2.RequestMagicLinkRequest(email=EMAIL))
        user = auth.VerifyMagicLink(
            auth_pb2.VerifyMagicLinkRequest(token=emailed_token(auth, EMAIL))
        ).user
        privacy = auth.calling_as("privacy")
        refusals = {}
        for name, request in {
            "unknown": auth_pb2.SendUserEmailRequest(user_id=user.id, template="free_html"),
            "foreign_link": auth_pb2.SendUserEmailRequest(
                user_id=user.id,
                template="privacy_export_ready",
                values={"link": "https://evil.example/login"},
            ),
            "extra_value": auth_pb2.SendUserEmailRequest(
                user_id=user.id,
                template="privacy_export_ready",
                values={"link": f"{settings.public_base_url}/x", "html": "<a href=x>"},
            ),
            "two_line_subject": incident_notice(user.id, "t", subject="Hi\nBcc: someone"),
        }.items():
            with pytest.raises(GrpcError) as refused:
                privacy.SendUserEmail(request)
            refusals[name] = refused.value.code.name
        with pytest.raises(GrpcError) as from_gateway:  # only privacy sends these
            auth.SendUserEmail(incident_notice(user.id, "t"))
    assert set(refusals.values()) == {"INVALID_ARGUMENT"}
    assert from_gateway.value.code.name == "PERMISSION_DENIED"
    assert len(auth_outbox(auth_port, EMAIL)) == 1  # only the sign-in link went out


def auth_outbox(port: int, to: str) -> list:
    with grpc_client(port, auth_pb2_grpc.AuthServiceStub) as auth:
        return list(auth.ListOutbox(auth_pb2.ListOutboxRequest(to=to)).messages)
