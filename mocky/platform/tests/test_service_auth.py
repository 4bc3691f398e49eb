"""Who may call what between the services (the table, not the transport)."""

import pytest

from mocky.platform.service_auth import (
    PUBLIC,
    ServiceAuthError,
    authenticate,
    new_token,
    parse_hashes,
    parse_tokens,
    token_digest,
)

TOKENS = {name: new_token(name) for name in ("gateway", "sessions", "privacy")}
HASHES = {name: (token_digest(token),) for name, token in TOKENS.items()}


def test_a_call_without_a_token_is_refused_but_health_checks_are_open():
    with pytest.raises(ServiceAuthError) as refused:
        authenticate("/mocky.sessions.v1.SessionsService/GetDocument", None, HASHES)
    assert not refused.value.denied
    assert authenticate("/grpc.health.v1.Health/Check", None, HASHES) == PUBLIC


def test_a_forged_or_borrowed_name_does_not_authenticate():
    forged = "gateway." + TOKENS["sessions"].partition(".")[2]
    with pytest.raises(ServiceAuthError):
        authenticate("/mocky.sessions.v1.SessionsService/GetDocument", forged, HASHES)
    with pytest.raises(ServiceAuthError):
        authenticate("/mocky.sessions.v1.SessionsService/GetDocument", "auth.x", HASHES)


def test_each_method_has_its_own_callers():
    path = "/mocky.sessions.v1.SessionsService/GetDocument"
    assert authenticate(path, TOKENS["gateway"], HASHES) == "gateway"
    export = "/mocky.privacy.v1.DataOwnerService/ExportUserData"
    assert authenticate(export, TOKENS["privacy"], HASHES) == "privacy"
    with pytest.raises(ServiceAuthError) as denied:
        authenticate(export, TOKENS["gateway"], HASHES)  # the edge reads no exports
    assert denied.value.denied
    mail = "/mocky.auth.v1.AuthService/SendUserEmail"
    with pytest.raises(ServiceAuthError):
        authenticate(mail, TOKENS["gateway"], HASHES)
    credit = "/mocky.billing.v1.BillingService/ConsumeCredit"
    assert authenticate(credit, TOKENS["sessions"], HASHES) == "sessions"
    with pytest.raises(ServiceAuthError):
        authenticate(credit, TOKENS["gateway"], HASHES)


def test_an_unlisted_service_is_closed():
    with pytest.raises(ServiceAuthError):
        authenticate("/mocky.unknown.v1.Thing/Do", TOKENS["gateway"], HASHES)


def test_token_lists_name_their_services():
    assert parse_tokens(f"{TOKENS['gateway']}, junk,{TOKENS['privacy']}") == {
        "gateway": TOKENS["gateway"],
        "privacy": TOKENS["privacy"],
    }


def test_during_a_rotation_the_old_and_the_new_token_both_work():
    old, new = new_token("gateway"), new_token("gateway")
    hashes = parse_hashes(f"gateway:{token_digest(old)},gateway:{token_digest(new)}")
    path = "/mocky.sessions.v1.SessionsService/GetDocument"
    assert authenticate(path, old, hashes) == authenticate(path, new, hashes) == "gateway"
