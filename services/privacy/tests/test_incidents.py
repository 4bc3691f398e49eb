"""The incident entrypoints of PrivacyService with nameko's worker_factory and the
in-memory store: scoping, notifying once per person, reporting to the authority, and
the audit trail of each step."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from nameko.testing.services import worker_factory
from nameko_grpc.errors import GrpcError

from mocky.platform.clock import Clock
from mocky.platform.errors import InvalidArgument, NotFound
from mocky.privacy.v1 import privacy_pb2
from services.privacy.domain import Incident, IncidentStatus, RetentionPolicy, ScheduleEntry
from services.privacy.service import PrivacyService
from services.privacy.tests.fakes import InMemoryIncidentStore

OFFICER = privacy_pb2.Actor(user_id="officer-1")


@pytest.fixture
def privacy():  # type: ignore[no-untyped-def]
    return worker_factory(PrivacyService, repo=InMemoryIncidentStore(), clock=Clock())


def recorded(privacy, user_id: str, category: str, hours_ago: float) -> None:  # type: ignore[no-untyped-def]
    created = privacy.clock.now() - timedelta(hours=hours_ago)
    privacy.repo.add_entry(
        ScheduleEntry("sessions", "interview", uuid.uuid4().hex, user_id, category, created, None)
    )


def opened(privacy, categories=("interview_session",), hours: float = 3):  # type: ignore[no-untyped-def]
    now = privacy.clock.now()
    request = privacy_pb2.CreateIncidentRequest(
        title="Exports bucket public",
        description="The export bucket was readable for three hours.",
        categories=list(categories),
        actor=OFFICER,
    )
    request.window_start.FromDatetime(now - timedelta(hours=hours))
    request.window_end.FromDatetime(now)
    return privacy.CreateIncident(request, None).incident


def notify(privacy, incident_id: str):  # type: ignore[no-untyped-def]
    return privacy.NotifyIncident(
        privacy_pb2.NotifyIncidentRequest(
            id=incident_id,
            subject="About your data",
            text="We found {incident}, affecting {categories}.",
            actor=OFFICER,
        ),
        None,
    )


def test_an_incident_counts_the_people_with_records_of_its_categories_in_its_window(privacy):
    recorded(privacy, "u-in", "interview_session", 1)
    recorded(privacy, "u-audio", "audio", 1)
    recorded(privacy, "u-earlier", "interview_session", 30)
    incident = opened(privacy)
    assert incident.affected_users == 1 and incident.status == "open"
    assert not incident.report_overdue
    assert incident.authority_deadline.ToDatetime(UTC) - incident.aware_at.ToDatetime(
        UTC
    ) == timedelta(hours=72)
    [audit] = privacy.repo.audit_entries()
    assert (audit["actor"], audit["action"], json.loads(audit["details"])) == (
        "officer-1",
        "incident_opened",
        {"affected": 1},
    )


@pytest.mark.parametrize(
    ("title", "categories", "hours"),
    [("", ["account"], 1), ("Leak", [], 1), ("Leak", ["vibes"], 1), ("Leak", ["account"], -1)],
)
def test_an_incident_without_title_known_categories_or_a_window_is_refused(
    privacy, title, categories, hours
):
    now = privacy.clock.now()
    request = privacy_pb2.CreateIncidentRequest(title=title, categories=categories)
    request.window_start.FromDatetime(now - timedelta(hours=hours))
    request.window_end.FromDatetime(now)
    with pytest.raises(InvalidArgument):
        privacy.CreateIncident(request, None)
    assert privacy.repo.incidents == {}


def test_each_person_affected_is_emailed_once_however_often_the_officer_sends(privacy):
    recorded(privacy, "u-1", "interview_session", 1)
    recorded(privacy, "u-2", "interview_session", 2)
    incident = opened(privacy)
    assert notify(privacy, incident.id).notified == 2
    assert notify(privacy, incident.id).notified == 2
    sent = [c.args[0] for c in privacy.auth.SendUserEmail.call_args_list]
    assert sorted(r.user_id for r in sent) == ["u-1", "u-2"]
    assert sent[0].values["message"] == (
        "We found Exports bucket public, affecting interview_session."
    )


def test_a_notice_that_could_not_be_sent_is_sent_on_the_next_try(privacy):
    recorded(privacy, "u-1", "interview_session", 1)
    incident = opened(privacy)
    privacy.auth.SendUserEmail.side_effect = GrpcError(grpc.StatusCode.UNAVAILABLE, "auth down")
    first = notify(privacy, incident.id)
    assert (first.notified, first.failed) == (0, 1)
    privacy.auth.SendUserEmail.side_effect = None
    assert notify(privacy, incident.id).notified == 1


def test_a_notice_must_have_a_one_line_subject_and_a_text(privacy):
    incident = opened(privacy)
    for subject, text in [("", "text"), ("Subject", " "), ("Two\nlines", "text")]:
        with pytest.raises(InvalidArgument):
            privacy.NotifyIncident(
                privacy_pb2.NotifyIncidentRequest(id=incident.id, subject=subject, text=text), None
            )
    privacy.auth.SendUserEmail.assert_not_called()


def test_reporting_records_the_reference_and_ends_the_overdue_warning(privacy):
    incident = opened(privacy)
    privacy.clock.advance(timedelta(hours=73).total_seconds())
    [overdue] = privacy.ListIncidents(privacy_pb2.ListIncidentsRequest(), None).incidents
    assert overdue.report_overdue
    report = privacy_pb2.ReportIncidentRequest(
        id=incident.id, reference="DPA-2026-17", actor=OFFICER
    )
    reported = privacy.ReportIncident(report, None).incident
    assert (reported.status, reported.report_reference) == ("reported", "DPA-2026-17")
    assert not reported.report_overdue
    assert privacy.repo.audit_entries()[-1]["action"] == "incident_reported"


def test_someone_elses_or_a_missing_incident_is_not_found(privacy):
    with pytest.raises(NotFound):
        privacy.GetIncident(privacy_pb2.GetIncidentRequest(id="nope"), None)


def test_a_reported_incident_can_have_its_reference_corrected():
    now = datetime(2026, 11, 1, tzinfo=UTC)
    incident = Incident.open(
        "i",
        "Leak",
        "",
        ["account"],
        (now - timedelta(hours=1), now),
        now,
        [],
        RetentionPolicy.load(),
    )
    reported = incident.reported("REF", now)
    assert reported.status is IncidentStatus.REPORTED
    corrected = reported.reported("REF-2", now + timedelta(hours=1))
    assert (corrected.reference, corrected.status) == ("REF-2", IncidentStatus.REPORTED)
