"""Privacy service entrypoints: the retention schedule fed by every data-creation
event and swept on a timer, data-subject requests, consents, the breach procedure, the
audit log and the records of processing. The sweep and the requests' work live in
`sweeper.py` and `requests.py`; this module wires them to gRPC, events and timers."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import structlog
from nameko.timer import timer
from nameko_grpc.errors import GrpcError

from mocky.auth.v1 import auth_pb2, auth_pb2_grpc
from mocky.events.v1 import events_pb2
from mocky.platform import contract
from mocky.platform.blobs import Blobs
from mocky.platform.clock import as_utc, from_epoch
from mocky.platform.data_map import PersonalData
from mocky.platform.errors import InvalidArgument, NotFound, Unauthenticated
from mocky.platform.events import InboxProvider, OutboxRelay, event_handler, outbox_entry
from mocky.platform.grpc import LogContext, PlatformEntrypoints, rpc
from mocky.platform.grpc_client import ServiceClient, ServiceClients, as_domain_error
from mocky.platform.metrics import EntrypointMetrics
from mocky.platform.mongo import MongoRepository
from mocky.platform.settings import get_settings
from mocky.privacy.v1 import data_owner_pb2_grpc, privacy_pb2, privacy_pb2_grpc
from services.privacy import domain, events, usage
from services.privacy.domain import EntryStatus, Incident, RetentionPolicy
from services.privacy.links import LINK_SECONDS, export_token, export_token_valid
from services.privacy.messages import incident_message, request_message
from services.privacy.repository import CONSENTS, PrivacyRepository
from services.privacy.requests import RequestWorker
from services.privacy.sweeper import Sweeper, entry_for, publish_metrics

log = structlog.get_logger(__name__)
Stub = privacy_pb2_grpc.PrivacyServiceStub
POLICY = RetentionPolicy.load()
OWNERS = contract.data_owners()


def document() -> dict:
    return domain.load_document(get_settings().model)


class PrivacyService(PlatformEntrypoints):
    name = "privacy"
    reflected_services = ("mocky.privacy.v1.PrivacyService",)

    repo = MongoRepository(PrivacyRepository)
    personal_data = PersonalData(usage.DATA_MAP)  # the page views, an owner in-process
    inbox = InboxProvider()
    blobs = Blobs()
    outbox = OutboxRelay([CONSENTS])
    owners = ServiceClients(OWNERS, data_owner_pb2_grpc.DataOwnerServiceStub)
    auth = ServiceClient("auth", auth_pb2_grpc.AuthServiceStub)
    entrypoint_metrics = EntrypointMetrics()
    log_context = LogContext()

    # -- the schedule ------------------------------------------------------------------

    def schedule_record(self, event: Any) -> None:
        """Every data-creation event lands here: one schedule entry per record."""
        ref = event.record
        entry = entry_for(POLICY, ref, self.repo.deletion_requested_at(ref.user_id))
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
        """The account record is kept 30 days after the deletion request; everything
        else of the user's is erased now (an erasure request tracks it)."""
        requested_at = as_utc(event.requested_at.ToDatetime())
        self._account_ended(event.user_id, requested_at)
        self.worker().open_erasure_for_account_deletion(event.user_id, requested_at)

    @event_handler("auth", "guest_upgraded", events_pb2.GuestUpgraded)
    def retire_merged_guest(self, event: Any) -> None:
        """A guest merged into an existing account is an account that ended: its record
        follows the account rule from the merge."""
        if not event.merged:
            return  # the guest became the account: its schedule entry stays as it is
        self._account_ended(event.guest_user_id, as_utc(event.envelope.occurred_at.ToDatetime()))

    @event_handler("auth", "role_changed", events_pb2.RoleChanged)
    def audit_role_change(self, event: Any) -> None:
        self.inbox.process_once(
            "audit_role_change",
            event.envelope.event_id,
            lambda: self._audit(
                event.changed_by_user_id,
                "role_granted" if event.granted else "role_revoked",
                f"user/{event.user_id}",
                {"role": event.role},
            ),
        )

    @event_handler("gateway", "page_viewed", events_pb2.PageViewed)
    def record_page_view(self, event: Any) -> None:
        """Kept only while the user's analytics consent stands: a view still on its
        way when the consent is withdrawn is dropped here."""
        consent = self.repo.current_consents(event.user_id).get("analytics")
        if not (consent and consent["granted"]):
            log.info("page_view_dropped", reason="no_analytics_consent")
            return
        # The store's clock dates the record (the gateway keeps no dev-clock offset;
        # in production the two differ by the broker's delivery time).
        event.record.created_at.FromDatetime(self.clock.now())
        self.repo.page_views.add(event)
        self.schedule_record(event)

    def _account_ended(self, user_id: str, ended_at: Any) -> None:
        """Recorded first (a record scheduled later reads it), then the clock starts."""
        self.repo.record_deletion_request(user_id, ended_at)
        due_at = ended_at + POLICY.rule("account").period
        started = self.repo.start_retention(user_id, "account", due_at)
        log.info("account_retention_started", user_id=user_id, entries=started)

    @rpc(Stub)
    def GetRetentionStatus(
        self, request: privacy_pb2.GetRetentionStatusRequest, context: Any
    ) -> privacy_pb2.GetRetentionStatusResponse:
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

    # -- sweeping ----------------------------------------------------------------------

    def data_owners(self) -> dict[str, Any]:
        """Every owner's DataOwner hooks: the other services over gRPC, and this
        service's own analytics store in-process."""
        return {**self.owners, usage.OWNER: self.personal_data}

    def sweeper(self) -> Sweeper:
        return Sweeper(self.repo, self.data_owners(), POLICY, self.clock)

    def worker(self) -> RequestWorker:
        return RequestWorker(
            self.repo,
            self.data_owners(),
            self.auth,
            self.blobs,
            self.clock,
            POLICY,
            document(),
            self.sweeper(),
            self._change_consents,
        )

    @timer(interval=5)
    def sweep(self) -> None:
        """Purges what is due, in batches, until nothing due is left (catching up after
        downtime), and refreshes the retention metrics."""
        self.sweeper().run()
        publish_metrics(self.repo.category_status(POLICY, self.clock.now()))

    @rpc(Stub)
    def RunRetentionSweep(
        self, request: privacy_pb2.RunRetentionSweepRequest, context: Any
    ) -> privacy_pb2.RunRetentionSweepResponse:
        """Reconciliation first (so a record whose event was lost goes too), then the
        sweep."""
        sweeper = self.sweeper()
        sweeper.reconcile()
        result = sweeper.run()
        self._audit(request.actor.user_id, "retention_sweep_run", "retention", result.as_dict())
        return privacy_pb2.RunRetentionSweepResponse(
            claimed=result.claimed, purged=result.purged, failed=result.failed
        )

    @timer(interval=600)
    def reconcile(self) -> None:
        """Records past their retention that no event told us about get scheduled (and
        so purged by the next sweep)."""
        self.sweeper().reconcile()

    @rpc(Stub)
    def GetDeletionLedger(
        self, request: privacy_pb2.GetDeletionLedgerRequest, context: Any
    ) -> privacy_pb2.GetDeletionLedgerResponse:
        if not request.subject_user_id:
            raise InvalidArgument("subject is required")
        self._audit(
            request.actor.user_id, "deletion_ledger_viewed", f"user/{request.subject_user_id}", {}
        )
        entries = []
        for doc in self.repo.ledger_of(request.subject_user_id):
            proof = privacy_pb2.DeletionProof(
                record=doc["_id"],
                category=doc["category"],
                rule=doc["rule"],
                reason=doc.get("reason", "retention"),
                blobs_deleted=int(doc.get("blobs_deleted", 0)),
                outcome=doc["outcome"],
            )
            if doc.get("due_ts") is not None:
                proof.due_at.FromDatetime(from_epoch(doc["due_ts"]))
            proof.deleted_at.FromDatetime(from_epoch(doc["deleted_ts"]))
            entries.append(proof)
        return privacy_pb2.GetDeletionLedgerResponse(entries=entries)

    # -- data-subject requests ---------------------------------------------------------

    @rpc(Stub)
    def CreateRequest(
        self, request: privacy_pb2.CreateRequestRequest, context: Any
    ) -> privacy_pb2.CreateRequestResponse:
        doc = self.worker().create(
            request.user_id, request.type, request.details, request.received_by_email
        )
        if request.received_by_email:
            self._audit(
                request.actor.user_id,
                "request_recorded",
                f"request/{doc['_id']}",
                {"type": doc["type"]},
            )
        return privacy_pb2.CreateRequestResponse(request=request_message(doc))

    @rpc(Stub)
    def ListRequests(
        self, request: privacy_pb2.ListRequestsRequest, context: Any
    ) -> privacy_pb2.ListRequestsResponse:
        return privacy_pb2.ListRequestsResponse(
            requests=[
                request_message(d) for d in self.repo.requests_of(request.user_id, request.status)
            ]
        )

    @rpc(Stub)
    def GetRequest(
        self, request: privacy_pb2.GetRequestRequest, context: Any
    ) -> privacy_pb2.GetRequestResponse:
        doc = self.repo.request(request.id, request.user_id)
        if doc is None:
            raise NotFound("no such request")
        token = ""
        if doc.get("export_key") and request.user_id:
            token = export_token(doc["_id"], self.clock.time() + LINK_SECONDS)
        return privacy_pb2.GetRequestResponse(request=request_message(doc), download_token=token)

    @rpc(Stub)
    def ConfirmRequest(
        self, request: privacy_pb2.ConfirmRequestRequest, context: Any
    ) -> privacy_pb2.ConfirmRequestResponse:
        doc = self.worker().confirm(request.id, request.token)
        return privacy_pb2.ConfirmRequestResponse(request=request_message(doc))

    @rpc(Stub)
    def ExtendRequest(
        self, request: privacy_pb2.ExtendRequestRequest, context: Any
    ) -> privacy_pb2.ExtendRequestResponse:
        doc = self.worker().extend(request.id, request.reason)
        self._audit(
            request.actor.user_id,
            "request_extended",
            f"request/{request.id}",
            {"reason": request.reason},
        )
        return privacy_pb2.ExtendRequestResponse(request=request_message(doc))

    @rpc(Stub)
    def RejectRequest(
        self, request: privacy_pb2.RejectRequestRequest, context: Any
    ) -> privacy_pb2.RejectRequestResponse:
        doc = self.worker().reject(request.id, request.reason)
        self._audit(
            request.actor.user_id,
            "request_rejected",
            f"request/{request.id}",
            {"reason": request.reason},
        )
        return privacy_pb2.RejectRequestResponse(request=request_message(doc))

    @rpc(Stub)
    def CompleteRequest(
        self, request: privacy_pb2.CompleteRequestRequest, context: Any
    ) -> privacy_pb2.CompleteRequestResponse:
        doc = self.worker().complete_manually(request.id, request.outcome)
        self._audit(
            request.actor.user_id,
            "request_completed",
            f"request/{request.id}",
            {"outcome": request.outcome},
        )
        return privacy_pb2.CompleteRequestResponse(request=request_message(doc))

    @rpc(Stub)
    def GetExport(
        self, request: privacy_pb2.GetExportRequest, context: Any
    ) -> privacy_pb2.GetExportResponse:
        doc = self.repo.request(request.id)
        if doc is None or not doc.get("export_key"):
            raise NotFound("no such export")
        if not export_token_valid(doc["_id"], request.token, self.clock.time()):
            raise Unauthenticated(
                "the download link is invalid or has expired", code="link_expired"
            )
        try:
            archive = self.blobs.get(doc["export_key"])
        except KeyError:
            raise NotFound("the export has expired; file a new request") from None
        log.info("export_downloaded", request_id=doc["_id"])
        return privacy_pb2.GetExportResponse(
            archive=archive, filename=f"mocky-export-{doc['_id'][:8]}.zip"
        )

    @timer(interval=5)
    def advance_requests(self) -> None:
        """Works confirmed requests: exports built, erasures driven until every owner
        confirmed (an owner that is down keeps the request in progress), restrictions
        applied; warns about requests near their deadline."""
        worker = self.worker()
        worker.advance_all()
        worker.alert_near_deadline()
        worker.prune_exports()

    # -- consents ----------------------------------------------------------------------

    @rpc(Stub)
    def GetConsents(
        self, request: privacy_pb2.GetConsentsRequest, context: Any
    ) -> privacy_pb2.GetConsentsResponse:
        return privacy_pb2.GetConsentsResponse(consents=self._consents(request.user_id))

    @rpc(Stub)
    def SetConsents(
        self, request: privacy_pb2.SetConsentsRequest, context: Any
    ) -> privacy_pb2.SetConsentsResponse:
        unknown = set(request.granted) - set(document()["consents"]["purposes"])
        if unknown:
            raise InvalidArgument(f"unknown purpose {sorted(unknown)[0]!r}", code="unknown_purpose")
        self._change_consents(request.user_id, dict(request.granted))
        return privacy_pb2.SetConsentsResponse(consents=self._consents(request.user_id))

    def _change_consents(self, user_id: str, changes: dict[str, bool]) -> None:
        """A new version per changed consent, each with its consent_changed event, sent
        at once: withdrawing stops the optional processing everywhere."""
        version = int(document()["consents"]["version"])
        current = self.repo.current_consents(user_id)
        for purpose, granted in changes.items():
            if purpose in current and current[purpose]["granted"] == granted:
                continue  # no change, no new version
            event = events.consent_changed(user_id, purpose, granted, version, self.clock)
            consent_id = self.repo.add_consent(
                user_id, purpose, granted, version, self.clock.time(), outbox_entry(event)
            )
            self.outbox.flush_or_defer(CONSENTS, consent_id)
            if purpose == "analytics" and not granted:
                # What was collected on this consent goes with it (ledgered by the sweep).
                self.repo.expedite(
                    user_id,
                    [usage.CATEGORY],
                    self.clock.time(),
                    kind=usage.KIND,
                    reason="consent_withdrawn",
                )
            log.info("consent_changed", user_id=user_id, purpose=purpose, granted=granted)

    def _consents(self, user_id: str) -> list[Any]:
        current = self.repo.current_consents(user_id)
        consents = []
        for purpose in document()["consents"]["purposes"]:
            doc = current.get(purpose)
            consent = privacy_pb2.Consent(
                purpose=purpose,
                granted=bool(doc and doc["granted"]),
                version=int(doc["version"]) if doc else 0,
            )
            if doc:
                consent.changed_at.FromDatetime(from_epoch(doc["at_ts"]))
            consents.append(consent)
        return consents

    # -- incidents ---------------------------------------------------------------------

    @rpc(Stub)
    def CreateIncident(
        self, request: privacy_pb2.CreateIncidentRequest, context: Any
    ) -> privacy_pb2.CreateIncidentResponse:
        start = as_utc(request.window_start.ToDatetime())
        end = as_utc(request.window_end.ToDatetime())
        categories = list(request.categories)
        Incident.check(request.title, categories, (start, end), POLICY)  # before the search
        affected = self.repo.subjects_in(categories, start.timestamp(), end.timestamp())
        incident = Incident.open(
            uuid.uuid4().hex,
            request.title,
            request.description,
            categories,
            (start, end),
            self.clock.now(),
            affected,
            POLICY,
        )
        self.repo.add_incident(incident)
        self._audit(
            request.actor.user_id,
            "incident_opened",
            f"incident/{incident.id}",
            {"affected": len(affected)},
        )
        log.warning("incident_opened", incident=incident.id, affected=len(affected))
        return privacy_pb2.CreateIncidentResponse(
            incident=incident_message(incident, self.clock.now())
        )

    @rpc(Stub)
    def ListIncidents(
        self, request: privacy_pb2.ListIncidentsRequest, context: Any
    ) -> privacy_pb2.ListIncidentsResponse:
        now = self.clock.now()
        return privacy_pb2.ListIncidentsResponse(
            incidents=[incident_message(i, now) for i in self.repo.all_incidents()]
        )

    @rpc(Stub)
    def GetIncident(
        self, request: privacy_pb2.GetIncidentRequest, context: Any
    ) -> privacy_pb2.GetIncidentResponse:
        incident = self._incident(request.id)
        return privacy_pb2.GetIncidentResponse(
            incident=incident_message(incident, self.clock.now()),
            affected_user_ids=incident.affected,
        )

    @rpc(Stub)
    def NotifyIncident(
        self, request: privacy_pb2.NotifyIncidentRequest, context: Any
    ) -> privacy_pb2.NotifyIncidentResponse:
        incident = self._incident(request.id)
        subject, text = incident.notice(request.subject, request.text)
        notified, failed = [], 0
        for user_id in incident.still_to_notify():
            try:
                self.auth.SendUserEmail(
                    auth_pb2.SendUserEmailRequest(
                        user_id=user_id,
                        template="incident_notice",
                        values={"subject": subject, "message": text},
                    )
                )
                notified.append(user_id)
            except GrpcError as error:
                failed += 1
                log.warning("incident_notification_failed", reason=as_domain_error(error).code)
        self.repo.add_notified(incident.id, notified)
        total = len(incident.notified) + len(notified)
        self._audit(
            request.actor.user_id,
            "incident_notified",
            f"incident/{incident.id}",
            {"notified": total, "failed": failed},
        )
        return privacy_pb2.NotifyIncidentResponse(notified=total, failed=failed)

    @rpc(Stub)
    def ReportIncident(
        self, request: privacy_pb2.ReportIncidentRequest, context: Any
    ) -> privacy_pb2.ReportIncidentResponse:
        incident = self._incident(request.id).reported(request.reference, self.clock.now())
        self.repo.record_report(incident)
        self._audit(
            request.actor.user_id,
            "incident_reported",
            f"incident/{incident.id}",
            {"reference": incident.reference},
        )
        return privacy_pb2.ReportIncidentResponse(
            incident=incident_message(incident, self.clock.now())
        )

    def _incident(self, incident_id: str) -> Incident:
        incident = self.repo.incident(incident_id)
        if incident is None:
            raise NotFound("no such incident")
        return incident

    # -- audit log and records of processing -------------------------------------------

    def _audit(self, actor: str, action: str, target: str, details: dict) -> None:
        self.repo.append_audit(
            actor or "system",
            action,
            target,
            json.dumps(details, sort_keys=True),
            self.clock.time(),
        )

    @rpc(Stub)
    def GetAuditLog(
        self, request: privacy_pb2.GetAuditLogRequest, context: Any
    ) -> privacy_pb2.GetAuditLogResponse:
        entries = self.repo.audit_entries()
        valid = domain.chain_is_valid(entries)
        limit = request.limit or 200
        response = privacy_pb2.GetAuditLogResponse(chain_valid=valid)
        for doc in reversed(entries[-limit:]):
            entry = response.entries.add(
                seq=doc["_id"],
                actor_user_id=doc["actor"],
                action=doc["action"],
                target=doc["target"],
                details=doc["details"],
                hash=doc["hash"],
            )
            entry.at.FromDatetime(from_epoch(doc["at_ts"]))
        return response

    @rpc(Stub)
    def GetUsageSummary(
        self, request: privacy_pb2.GetUsageSummaryRequest, context: Any
    ) -> privacy_pb2.GetUsageSummaryResponse:
        days = request.days or 30
        if not 1 <= days <= 90:
            raise InvalidArgument("days must be 1 to 90 (usage logs are kept 90 days)")
        views = self.repo.page_views.since(self.clock.now() - timedelta(days=days))
        summary = usage.summarise(views)
        return privacy_pb2.GetUsageSummaryResponse(
            days=days,
            views=summary.views,
            visits=summary.visits,
            people=summary.people,
            pages=[
                privacy_pb2.PageUsage(page=page, views=n, median_seconds=seconds)
                for page, n, seconds in summary.pages
            ],
            browsers=[privacy_pb2.UsageShare(name=n, views=c) for n, c in summary.browsers],
            systems=[privacy_pb2.UsageShare(name=n, views=c) for n, c in summary.systems],
        )

    @rpc(Stub)
    def GetProcessingRecords(
        self, request: privacy_pb2.GetProcessingRecordsRequest, context: Any
    ) -> privacy_pb2.GetProcessingRecordsResponse:
        return privacy_pb2.GetProcessingRecordsResponse(
            records=[
                privacy_pb2.ProcessingRecord(
                    category=item["category"],
                    examples=item["examples"],
                    purpose=item["purpose"],
                    legal_basis=item["legal_basis"],
                    recipients=item["recipients"],
                    retention=item["retention"],
                    erasure=item["erasure"],
                    owner=item["owner"],
                )
                for item in document()["categories"]
            ],
            subprocessors=[privacy_pb2.Subprocessor(**s) for s in document()["subprocessors"]],
        )


def _scheduling_handler(spec: contract.EventSpec) -> Any:
    def handle(self: PrivacyService, event: Any) -> None:
        self.schedule_record(event)

    handle.__name__ = spec.schedule_handler
    return event_handler(spec.producer, spec.event_type, spec.message_type)(handle)


# One handler per event the contract marks personal: a new one is scheduled without
# touching this service.
for _spec in contract.personal_events():
    setattr(PrivacyService, _spec.schedule_handler, _scheduling_handler(_spec))
