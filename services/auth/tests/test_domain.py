from datetime import UTC, datetime, timedelta

import pytest

from mocky.platform.errors import (
    Conflict,
    InvalidArgument,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
)
from services.auth import domain

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Jane.Doe@Example.COM", "jane.doe@example.com"),
        ("  jane@example.com ", "jane@example.com"),
    ],
)
def test_addresses_are_normalised(raw, expected):
    assert domain.normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "jane", "jane@", "@example.com", "a@b@c.com", "x" * 250 + "@example.com"]
)
def test_malformed_addresses_are_refused(raw):
    with pytest.raises(InvalidArgument):
        domain.normalize_email(raw)


def test_local_only_domains_are_accepted_only_when_allowed():
    with pytest.raises(InvalidArgument):
        domain.normalize_email("officer@mocky.local")
    assert (
        domain.normalize_email("Officer@Mocky.local", allow_local_domains=True)
        == "officer@mocky.local"
    )


def test_tokens_carry_256_bits_and_differ():
    tokens = {domain.new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(t) == 43 for t in tokens)  # 32 bytes, URL-safe base64 without padding


def test_link_is_usable_until_its_expiry_and_not_at_it():
    _, link = domain.issue_magic_link("a@example.com", NOW, 600)
    link.check_usable(NOW + timedelta(seconds=599))
    with pytest.raises(Unauthenticated):
        link.check_usable(NOW + timedelta(seconds=600))


def test_only_the_hash_of_a_token_is_kept():
    token, link = domain.issue_magic_link("a@example.com", NOW, 600)
    assert link.token_hash == domain.token_hash(token) != token


def test_session_expires_after_its_lifetime():
    _, session = domain.start_session("u1", NOW, 7 * 86400)
    session.check_valid(NOW + timedelta(days=7) - timedelta(seconds=1))
    with pytest.raises(Unauthenticated):
        session.check_valid(NOW + timedelta(days=7))


def test_each_session_has_its_own_ids():
    raw_a, a = domain.start_session("u1", NOW, 60)
    raw_b, b = domain.start_session("u1", NOW, 60)
    assert raw_a != raw_b and a.session_hash != b.session_hash and a.public_id != b.public_id
    assert a.session_hash == domain.token_hash(raw_a)


@pytest.mark.parametrize(
    "user_agent,label",
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari on iOS",
        ),
        ("python-httpx/0.28.1", "Unknown browser"),
        ("", ""),
    ],
)
def test_a_session_is_named_by_browser_and_system_only(user_agent, label):
    _, session = domain.start_session("u1", NOW, 60, user_agent)
    assert session.device == label  # no versions: enough to recognise, not to fingerprint


def test_configured_officers_get_the_role():
    assert domain.roles_for_new_user("o@x.com", ("o@x.com",)) == ["candidate", "compliance_officer"]
    assert domain.roles_for_new_user("c@x.com", ("o@x.com",)) == ["candidate"]


def test_sign_in_link_is_built_from_the_configured_base_url():
    assert (
        domain.sign_in_link("https://mocky.example", "T")
        == "https://mocky.example/api/v1/auth/verify?token=T"
    )


def test_rate_limit_windows_are_fixed_and_keys_hold_no_address():
    limit = domain.RateLimit("link_request_email", 5, 60)
    key, window_end = limit.bucket("jane@example.com", NOW + timedelta(seconds=30))
    assert "jane" not in key and window_end == NOW + timedelta(seconds=60)
    assert limit.bucket("jane@example.com", NOW + timedelta(seconds=59))[0] == key
    assert limit.bucket("jane@example.com", NOW + timedelta(seconds=60))[0] != key
    limit.check(5, window_end, NOW)
    with pytest.raises(RateLimited) as refused:
        limit.check(6, window_end, NOW + timedelta(seconds=45))
    assert refused.value.retry_after_seconds == 15


def test_only_officers_change_roles_and_not_their_own_away():
    officer = domain.User("o", "o@x.com", ["candidate", "compliance_officer"])
    candidate = domain.User("c", "c@x.com", ["candidate"])
    domain.check_role_change(officer, candidate, "compliance_officer", grant=True)
    with pytest.raises(PermissionDenied):
        domain.check_role_change(candidate, officer, "compliance_officer", grant=False)
    with pytest.raises(Conflict):
        domain.check_role_change(officer, officer, "compliance_officer", grant=False)
    with pytest.raises(InvalidArgument):
        domain.check_role_change(officer, candidate, "admin", grant=True)
    guest = domain.new_guest("g", NOW)
    with pytest.raises(Conflict):
        domain.check_role_change(officer, guest, "compliance_officer", grant=True)


def test_address_change_needs_a_sign_in_from_the_last_ten_minutes():
    domain.check_fresh_sign_in(NOW, NOW + timedelta(minutes=10))
    with pytest.raises(PermissionDenied) as refused:
        domain.check_fresh_sign_in(NOW, NOW + timedelta(minutes=10, seconds=1))
    assert refused.value.code == "reauthentication_required"


def test_the_last_compliance_officer_keeps_the_role():
    officer = domain.User("o1", "o1@example.com", [domain.CANDIDATE, domain.COMPLIANCE_OFFICER])
    other = domain.User("o2", "o2@example.com", [domain.CANDIDATE, domain.COMPLIANCE_OFFICER])
    domain.check_role_change(officer, other, domain.COMPLIANCE_OFFICER, False, holders=2)
    with pytest.raises(Conflict) as refused:
        domain.check_role_change(officer, other, domain.COMPLIANCE_OFFICER, False, holders=1)
    assert refused.value.code == "last_officer"
