"""An in-memory `SessionsStore` for the unit tests. It passes the same contract tests as
the MongoDB repository (tests/integration/test_sessions_store.py)."""

from __future__ import annotations

from dataclasses import replace

from services.sessions.domain import FINISHED, Interview, InterviewStatus, states_before
from services.sessions.repository import report_doc


class InMemorySessionsStore:
    def __init__(self) -> None:
        self.attempts: dict[str, int] = {}
        self.documents: dict = {}
        self.interviews: dict[str, Interview] = {}
        self.reports: dict[str, dict] = {}
        self.events: list[dict] = []  # what the outbox would publish

    def count_attempt(self, key, expires_at):
        self.attempts[key] = self.attempts.get(key, 0) + 1
        return self.attempts[key]

    def add_document(self, document, event):
        self.documents[document.id] = document
        self.events.append(event)

    def document(self, user_id, document_id, with_text=True):
        document = self.documents.get(document_id)
        if document is None or document.user_id != user_id:
            return None
        return document if with_text else replace(document, text="")

    def documents_of(self, user_id):
        mine = [replace(d, text="") for d in self.documents.values() if d.user_id == user_id]
        return sorted(mine, key=lambda d: d.created_at, reverse=True)

    def delete_document(self, document_id):
        removed = self.documents.pop(document_id, None)
        return removed.blob_key if removed else None

    def create_interview(self, interview):
        if interview.id in self.interviews:
            return False
        self.interviews[interview.id] = interview
        return True

    def interview(self, user_id, interview_id):
        interview = self.interviews.get(interview_id)
        return interview if interview is not None and interview.user_id == user_id else None

    def interviews_of(self, user_id):
        mine = [
            replace(i, turns=(), plan=()) for i in self.interviews.values() if i.user_id == user_id
        ]
        return sorted(mine, key=lambda i: i.created_at, reverse=True)

    def begin(self, interview_id, first_turn, now_ts, event):
        interview = self.interviews.get(interview_id)
        if interview is None or interview.status is not InterviewStatus.CREATED:
            return False
        self.interviews[interview_id] = replace(
            interview,
            status=InterviewStatus.IN_PROGRESS,
            turns=(first_turn,),
            turn_seq=1,
            updated_ts=now_ts,
        )
        self.events.append(event)
        return True

    def save_turns(self, interview_id, seq, turns, fields):
        interview = self.interviews.get(interview_id)
        if (
            interview is None
            or interview.turn_seq != seq
            or interview.status is not InterviewStatus.IN_PROGRESS
        ):
            return False
        self.interviews[interview_id] = replace(
            interview,
            turns=tuple(turns),
            turn_seq=seq + 1,
            updated_ts=fields.get("updated_ts", interview.updated_ts),
            provider_consent=fields.get("provider_consent", interview.provider_consent),
        )
        return True

    def finish(self, interview_id, status, now_ts):
        interview = self.interviews.get(interview_id)
        if interview is None or interview.status.value not in states_before(status):
            return False
        self.interviews[interview_id] = replace(
            interview, status=status, finished_ts=now_ts, updated_ts=now_ts
        )
        return True

    def idle_interviews(self, before_ts, limit=50):
        idle = [
            i
            for i in self.interviews.values()
            if i.status not in FINISHED and i.updated_ts < before_ts
        ]
        return idle[:limit]

    def delete_interview(self, interview_id):
        return self.interviews.pop(interview_id, None) is not None

    def add_report(self, interview, report, at, event):
        if interview.id in self.reports:
            return False
        self.reports[interview.id] = {
            "_id": interview.id,
            "user_id": interview.user_id,
            "created_at": at,
            **report_doc(report),
        }
        self.events.append(event)
        return True

    def report(self, user_id, interview_id):
        report = self.reports.get(interview_id)
        return report if report is not None and report["user_id"] == user_id else None
