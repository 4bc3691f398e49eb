"""Every owner's data map agrees with the retention table and the events contract, and
a map that does not is refused when the owner starts."""

import pytest

from mocky.platform import contract
from mocky.platform.data_map import DataMap, DataMapError, DataOwner, Erasure, Records
from services.auth.repository import DATA_MAP as AUTH
from services.billing.repository import DATA_MAP as BILLING
from services.privacy.usage import DATA_MAP as PRIVACY
from services.sessions.repository import DATA_MAP as SESSIONS
from services.voice.repository import DATA_MAP as VOICE

MAPS = [AUTH, BILLING, PRIVACY, SESSIONS, VOICE]


@pytest.mark.parametrize("data_map", MAPS, ids=lambda m: m.owner)
def test_each_owners_map_agrees_with_the_table_and_the_contract(data_map):
    assert data_map.problems() == []


def test_every_data_owner_in_the_contract_has_a_map():
    assert set(contract.data_owners()) <= {m.owner for m in MAPS}


def test_an_erasure_strategy_other_than_the_tables_is_refused():
    wrong = DataMap("billing", (Records("payment", "payment_records", "payment_record"),))
    with pytest.raises(DataMapError, match="the table says 'restrict'"):
        DataOwner(wrong, db=None, pseudonym=str)


def test_a_category_missing_from_the_table_is_refused():
    unknown = DataMap("voice", (Records("clip", "clips", "voice_prints"),))
    with pytest.raises(DataMapError, match="'voice_prints' is not in the table"):
        DataOwner(unknown, db=None)


def test_a_record_the_contract_announces_but_the_map_lacks_is_refused():
    """sessions' events announce documents, interviews and reports."""
    partial = DataMap("sessions", (Records("interview", "interviews", "interview_session"),))
    problems = partial.problems()
    assert any("document_uploaded" in p for p in problems)
    assert any("report_created" in p for p in problems)


def test_a_record_kept_on_erasure_needs_a_pseudonym():
    with pytest.raises(DataMapError, match="pseudonym"):
        DataOwner(BILLING, db=None)
    kept = [r for r in BILLING.records if r.erasure is Erasure.RESTRICT]
    assert [r.kind for r in kept] == ["payment"]
