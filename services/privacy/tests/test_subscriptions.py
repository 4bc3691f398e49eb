"""Contract: the privacy service subscribes to every event that creates personal data."""

import inspect

from mocky.platform.events import ReliableEventHandler
from services.privacy.service import PrivacyService
from services.privacy.subscriptions import event_modules, personal_data_subscriptions


def handled_events():
    found = set()
    for _, member in inspect.getmembers(PrivacyService):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                found.add((entrypoint.source_service, entrypoint.event_type))
    return found


def test_every_personal_data_event_of_every_service_has_a_privacy_handler():
    declared = {(m.SERVICE, t) for m in event_modules() for t in m.CREATES_PERSONAL_DATA}
    assert declared  # the auth service declares user_registered at least
    assert declared <= handled_events()


def test_every_service_declares_its_events():
    services = {m.SERVICE for m in event_modules()}
    assert services == {"auth", "sessions", "voice", "billing", "privacy", "gateway"}


def test_privacy_keeps_the_page_views_it_is_the_analytics_store_of():
    """Page views are not only scheduled but stored by privacy, in a handler of its own."""
    assert ("gateway", "page_viewed") in handled_events()


def test_personal_data_events_carry_a_record_reference():
    for subscription in personal_data_subscriptions():
        fields = subscription.message_type.DESCRIPTOR.fields_by_name
        assert "envelope" in fields and "record" in fields, subscription
        assert fields["record"].message_type.full_name == "mocky.events.v1.RecordReference"
