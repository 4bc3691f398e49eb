"""An in-memory `IncidentStore` for the unit tests. It passes the same contract tests as
the MongoDB repository (tests/integration/test_privacy_store.py)."""

from __future__ import annotations

from dataclasses import replace

from services.privacy.domain import Incident, ScheduleEntry, audit_entry


class InMemoryIncidentStore:
    def __init__(self) -> None:
        self.entries: dict[str, ScheduleEntry] = {}
        self.incidents: dict[str, Incident] = {}
        self.audit: list[dict] = []

    def add_entry(self, entry):
        if entry.key in self.entries:
            return False
        self.entries[entry.key] = entry
        return True

    def subjects_in(self, categories, start_ts, end_ts):
        return sorted(
            {
                e.user_id
                for e in self.entries.values()
                if e.user_id
                and e.category in categories
                and start_ts <= e.created_at.timestamp() < end_ts
            }
        )

    def add_incident(self, incident):
        self.incidents[incident.id] = incident

    def incident(self, incident_id):
        return self.incidents.get(incident_id)

    def all_incidents(self):
        return sorted(self.incidents.values(), key=lambda i: i.aware_at, reverse=True)

    def add_notified(self, incident_id, user_ids):
        incident = self.incidents[incident_id]
        added = tuple(u for u in dict.fromkeys(user_ids) if u not in incident.notified)
        self.incidents[incident_id] = replace(incident, notified=incident.notified + added)

    def record_report(self, incident):
        known = self.incidents[incident.id]
        self.incidents[incident.id] = replace(
            known,
            status=incident.status,
            reported_at=incident.reported_at,
            reference=incident.reference,
        )

    def append_audit(self, actor, action, target, details, at_ts):
        seq = len(self.audit) + 1
        previous = self.audit[-1]["hash"] if self.audit else ""
        entry = audit_entry(seq, previous, at_ts, actor, action, target, details)
        self.audit.append(entry)
        return entry

    def audit_entries(self):
        return list(self.audit)
