import json

import pytest

from mocky.platform.errors import InvalidArgument
from mocky.platform.paddle import sign
from services.billing import domain

SECRET = "whsec-test"
BODY = b'{"event_id": "evt_01", "event_type": "transaction.completed"}'
NOW = 1_800_000_000


def test_a_signed_body_verifies():
    domain.verify_signature(sign(BODY, SECRET, NOW), BODY, (SECRET,), NOW, 30)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "ts=1",
        "h1=abc",
        "ts=abc;h1=00",
        "ts=1800000000;h1=XYZ",
        "garbage",
        "ts=1800000000;ts=1800000001;h1=00",
        "ts=1800000000,h1=00",
    ],
)
def test_missing_or_malformed_headers_are_refused_not_raised_through(header):
    with pytest.raises(domain.InvalidSignature):
        domain.verify_signature(header, BODY, (SECRET,), NOW, 30)


def test_wrong_secret_and_tampered_body_are_refused():
    header = sign(BODY, SECRET, NOW)
    with pytest.raises(domain.InvalidSignature):
        domain.verify_signature(header, BODY, ("another",), NOW, 30)
    with pytest.raises(domain.InvalidSignature):
        domain.verify_signature(header, BODY + b" ", (SECRET,), NOW, 30)


@pytest.mark.parametrize("skew,accepted", [(-30, True), (30, True), (-31, False), (31, False)])
def test_timestamps_are_checked_in_both_directions(skew, accepted):
    header = sign(BODY, SECRET, NOW + skew)
    if accepted:
        domain.verify_signature(header, BODY, (SECRET,), NOW, 30)
    else:
        with pytest.raises(domain.InvalidSignature):
            domain.verify_signature(header, BODY, (SECRET,), NOW, 30)


def test_rotation_several_signatures_and_several_secrets():
    ours = sign(BODY, SECRET, NOW).split(";h1=")[1]
    header = f"ts={NOW};h1={'0' * 64};h1={ours}"
    domain.verify_signature(header, BODY, ("old-secret", SECRET), NOW, 30)


CATALOGUE = domain.catalogue_from_json(
    json.dumps(
        [{"price_id": "pri_a", "name": "A", "credits": 5, "amount": "9.00", "currency": "EUR"}]
    )
)


def test_completed_transaction_grants_credits_per_price_and_quantity():
    txn = domain.completed_transaction(
        {
            "id": "txn_1",
            "custom_data": {"user_id": "u1"},
            "currency_code": "EUR",
            "items": [{"price": {"id": "pri_a"}, "quantity": 2}, {"price": {"id": "pri_x"}}],
        },
        CATALOGUE,
    )
    assert txn.user_id == "u1" and txn.credits == 10 and txn.unknown_prices == ("pri_x",)


def test_transaction_without_a_user_is_unprocessable():
    with pytest.raises(InvalidArgument):
        domain.completed_transaction({"id": "txn_1", "items": []}, CATALOGUE)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        b'{"event_id": "x", "event_type": "a", "occurred_at": "2026-01-01T00:00:00Z", "data": {}}',
    ],
)
def test_malformed_bodies_are_refused(body):
    with pytest.raises(InvalidArgument):
        domain.parse_notification(body)


def refund(total: int, full: bool = False, action: str = "refund") -> domain.Adjustment:
    return domain.Adjustment("adj_1", "txn_1", action, "approved", full, total)


@pytest.mark.parametrize(
    ("total", "full", "expected"),
    [
        (900, False, 5),
        (450, False, 3),
        (180, False, 1),
        (1, False, 1),
        (0, False, 0),
        (5000, False, 5),
        (1, True, 5),
    ],
)
def test_credits_taken_back_are_pro_rata_rounded_up_and_capped(total, full, expected):
    assert domain.credits_to_take_back(refund(total, full), 5, "900") == expected


def test_an_unknown_paid_amount_takes_everything_back():
    assert domain.credits_to_take_back(refund(100), 5, "") == 5


@pytest.mark.parametrize(
    "data",
    [{}, {"id": "adj_1"}, {"id": "adj_1", "transaction_id": "txn_1", "totals": {"total": "x"}}],
)
def test_malformed_adjustments_are_invalid_arguments(data):
    with pytest.raises(InvalidArgument):
        domain.parse_adjustment(data)


def test_a_subscription_needs_its_id_and_user():
    with pytest.raises(InvalidArgument):
        domain.parse_subscription({"id": "sub_1"})
    state = domain.parse_subscription(
        {
            "id": "sub_1",
            "status": "past_due",
            "custom_data": {"user_id": "u1"},
            "items": [{"price": {"id": "pri_1"}}],
            "next_billed_at": "2026-12-01T00:00:00Z",
        }
    )
    assert state.status == "past_due" and state.price_ids == ("pri_1",)
    assert state.next_billed_at is not None and state.next_billed_at.tzinfo is not None


@pytest.mark.parametrize("value", ["yesterday", "2026-11-27T10:00:00", ""])
def test_a_malformed_or_zoneless_occurred_at_is_refused(value):
    body = json.dumps(
        {"event_id": "evt_1", "event_type": "x", "occurred_at": value, "data": {}}
    ).encode()
    with pytest.raises(InvalidArgument):
        domain.parse_notification(body)


def test_pseudonyms_are_stable_keyed_and_do_not_reveal_the_id():
    one = domain.pseudonym("user-123", "key-a")
    assert one == domain.pseudonym("user-123", "key-a")
    assert one != domain.pseudonym("user-123", "key-b")
    assert "user-123" not in one and one.startswith("psn_")
