"""Privacy service entrypoints: the retention schedule fed by every data-creation
event, and the compliance officer's view of it."""

from __future__ import annotations

from typing import Any

import structlog

from mocky.events.v1 import events_pb2
from mocky.platform.clock import as_utc
from mocky.platform.events import InboxProvider, event_handler
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.privacy.v1 import privacy_pb2, privacy_pb2_grpc
from services.privacy.domain import EntryStatus, RetentionPolicy, schedule_entry
from services.privacy.repository import PrivacyRepository
from services.privacy.subscriptions import Subscription, personal_data_subscriptions

log = structlog.get_logger(__name__)
Stub = privacy_pb2_grpc.PrivacyServiceStub
POLICY = RetentionPolicy.load()


class PrivacyService(PlatformEntrypoints):
    name = "privacy"
    reflected_services = ("mocky.privacy.v1.PrivacyService",)

    repo = MongoRepository(PrivacyRepository)
    inbox = InboxProvider()
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    def schedule_record(self, event: Any) -> None:
        """Every data-creation event lands here: one schedule entry per record."""
        ref = event.record
        entry = schedule_entry(
            POLICY,
            ref.owner,
            ref.kind,
            ref.record_id,
            ref.user_id,
            ref.category,
            as_utc(ref.created_at.ToDatetime()),
            tuple(ref.blob_keys),
            deletion_requested_at=self.repo.deletion_requested_at(ref.user_id),
        )
        created = self.inbox.process_once(
            "schedule_record", event.envelope.event_id, lambda: self.repo.add_entry(entry)
        )
        if entry.due_at is None:
            # The deletion request may have been recorded between our read above and the
            # insert (its handler runs on another queue): look again now that the entry
            # exists. Each side writes before it reads, so one of them starts the clock.
            requested_at = self.repo.deletion_requested_at(ref.user_id)
            if requested_at is not None:
                rule = POLICY.rule(entry.category)
                self.repo.start_retention(ref.user_id, entry.category, requested_at + rule.period)
        log.info(
            "retention_scheduled", record=entry.key, category=entry.category, duplicate=not created
        )

    @event_handler("auth", "account_deletion_requested", events_pb2.AccountDeletionRequested)
    def start_account_retention(self, event: Any) -> None:
        """The account record is kept 30 days after the deletion request."""
        self._account_ended(event.user_id, as_utc(event.requested_at.ToDatetime()))

    @event_handler("auth", "guest_upgraded", events_pb2.GuestUpgraded)
    def retire_merged_guest(self, event: Any) -> None:
        """A guest merged into an existing account is an account that ended: its record
        follows the account rule from the merge."""
        if not event.merged:
            return  # the guest became the account: its schedule entry stays as it is
        self._account_ended(event.guest_user_id, as_utc(event.envelope.occurred_at.ToDatetime()))

    def _account_ended(self, user_id: str, ended_at: Any) -> None:
        """Recorded first (a record scheduled later reads it), then the clock starts."""
        self.repo.record_deletion_request(user_id, ended_at)
        due_at = ended_at + POLICY.rule("account").period
        started = self.repo.start_retention(user_id, "account", due_at)
        log.info("account_retention_started", user_id=user_id, entries=started)

    @rpc(Stub)
    def GetRetentionStatus(self, request: Any, context: Any) -> Any:
        now = self.clock.now()
        response = privacy_pb2.GetRetentionStatusResponse()
        response.as_of.FromDatetime(now)
        for status in self.repo.category_status(POLICY, now):
            item = response.categories.add(
                category=status.rule.category,
                retention=status.rule.retention,
                period_seconds=int(status.rule.period.total_seconds()),
                starts_at=status.rule.starts_at.value,
                scheduled=status.counts[EntryStatus.SCHEDULED],
                due=status.counts[EntryStatus.DUE],
                overdue=status.counts[EntryStatus.OVERDUE],
                purged=status.counts[EntryStatus.PURGED],
                failed=status.counts[EntryStatus.FAILED],
            )
            if status.oldest_overdue_due_at:
                item.oldest_overdue_due_at.FromDatetime(status.oldest_overdue_due_at)
        return response


def _scheduling_handler(subscription: Subscription) -> Any:
    def handle(self: PrivacyService, event: Any) -> None:
        self.schedule_record(event)

    handle.__name__ = subscription.handler_name
    return event_handler(
        subscription.source_service, subscription.event_type, subscription.message_type
    )(handle)


for _subscription in personal_data_subscriptions():
    setattr(PrivacyService, _subscription.handler_name, _scheduling_handler(_subscription))
