"""Data-subject requests and their work: explicit states (received → confirmed →
in_progress → completed | rejected), a one-month deadline (extendable once, with a
reason, within the first month), identity by the signed-in session or, for a request
received by email, by a link sent to the subject (a few wrong tokens burn it). Exports
become a ZIP in the blob store; an erasure stays in progress until every owner service
has confirmed, retrying while one is down."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import structlog
from nameko_grpc.errors import GrpcError
from prometheus_client import Gauge

from mocky.auth.v1 import auth_pb2
from mocky.platform.clock import Clock, from_epoch
from mocky.platform.errors import Conflict, InvalidArgument, NotFound, Unauthenticated
from mocky.platform.settings import get_settings
from mocky.privacy.v1 import data_owner_pb2
from services.privacy import export
from services.privacy.domain import (
    AUTOMATED,
    CONFIRMATION_ATTEMPTS,
    NEAR_DEADLINE,
    RequestStatus,
    RequestType,
    RetentionPolicy,
    check_extension,
    check_transition,
    request_due_at,
)
from services.privacy.links import EMAILED_LINK_SECONDS, export_token

log = structlog.get_logger(__name__)
# Kept on erasure: payment records (tax law, restricted and pseudonymised) and the
# account record itself (the 30-days-after-deletion rule).
KEPT_ON_ERASURE = ("payment_record", "account")
EXPORTS_KEPT = timedelta(days=7)
NEAR_DEADLINE_GAUGE = Gauge(
    "mocky_privacy_requests_near_deadline", "Open requests within 7 days of their deadline"
)


class RequestWorker:
    def __init__(
        self,
        repo: Any,
        owners: dict[str, Any],
        auth: Any,
        blobs: Any,
        clock: Clock,
        policy: RetentionPolicy,
        document: dict,
        sweeper: Any,
        change_consents: Callable[[str, dict[str, bool]], None],
    ) -> None:
        self.repo = repo
        self.owners = owners
        self.auth = auth
        self.blobs = blobs
        self.clock = clock
        self.policy = policy
        self.document = document
        self.sweeper = sweeper
        self.change_consents = change_consents  # the service's: it sends the events

    # -- lifecycle ---------------------------------------------------------------------

    def create(
        self, user_id: str, kind: str, details: str, by_email: bool, source: str = ""
    ) -> dict:
        if not user_id:
            raise InvalidArgument("a request needs its subject")
        try:
            request_type = RequestType(kind)
        except ValueError:
            raise InvalidArgument(
                "type must be access, export, rectification, erasure, restriction or objection",
                code="invalid_type",
            ) from None
        open_one = self.repo.open_request(user_id, request_type.value)
        if open_one is not None and not by_email:
            return open_one  # the same request twice is the same request
        now = self.clock.time()
        token = secrets.token_urlsafe(32) if by_email else ""
        doc: dict[str, Any] = {
            "_id": uuid.uuid4().hex,
            "user_id": user_id,
            "type": request_type.value,
            "status": (RequestStatus.RECEIVED if by_email else RequestStatus.CONFIRMED).value,
            "received_ts": now,
            "due_ts": request_due_at(from_epoch(now), False).timestamp(),
            "extended": False,
            "extension_reason": "",
            "source": source or ("email" if by_email else "session"),
            "details": details[:2000],
            "outcome": "",
            "token_hash": _hash(token) if token else "",
            "token_attempts": 0,
            "alerted": False,
            "pending_owners": [],
            "completed_ts": None,
        }
        self.repo.add_request(doc)
        if by_email:
            self._email(
                user_id,
                "privacy_request_confirmation",
                request_type=request_type.value,
                # A page of the app with a button: opening the link changes nothing, so a
                # mail scanner that follows links cannot confirm (an erasure) for them.
                link=f"{get_settings().public_base_url}/#/confirm-request/{doc['_id']}/{token}",
            )
        log.info("privacy_request_received", request_id=doc["_id"], type=doc["type"])
        return doc

    def open_erasure_for_account_deletion(self, user_id: str, requested_at: Any) -> None:
        existing = self.repo.open_request(user_id, RequestType.ERASURE.value)
        if existing is None:
            self.create(
                user_id,
                RequestType.ERASURE.value,
                "account deleted by its owner",
                False,
                source="account_deletion",
            )

    def confirm(self, request_id: str, token: str) -> dict:
        doc = self._get(request_id)
        if doc["status"] != RequestStatus.RECEIVED.value:
            raise Conflict("this request needs no confirmation", code="already_confirmed")
        if doc["token_attempts"] >= CONFIRMATION_ATTEMPTS or not doc["token_hash"]:
            raise Unauthenticated("this confirmation link is no longer valid", code="link_burnt")
        if not hmac.compare_digest(doc["token_hash"], _hash(token or "")):
            attempts = self.repo.count_wrong_token(request_id)
            code = "link_burnt" if attempts >= CONFIRMATION_ATTEMPTS else "invalid_token"
            raise Unauthenticated("this confirmation link is not valid", code=code)
        self._move(doc, RequestStatus.CONFIRMED, {"token_hash": ""})
        if doc["type"] == RequestType.ERASURE.value:
            self._delete_account(doc["user_id"])
        return self._get(request_id)

    def extend(self, request_id: str, reason: str) -> dict:
        doc = self._get(request_id)
        if doc["status"] in (RequestStatus.COMPLETED.value, RequestStatus.REJECTED.value):
            raise Conflict("this request is closed", code="request_closed")
        check_extension(from_epoch(doc["received_ts"]), doc["extended"], reason, self.clock.now())
        due = request_due_at(from_epoch(doc["received_ts"]), True).timestamp()
        # A new deadline: the officers are alerted again when it nears.
        self.repo.set_request_fields(
            request_id,
            {"extended": True, "extension_reason": reason[:1000], "due_ts": due, "alerted": False},
        )
        self._email(
            doc["user_id"],
            "privacy_request_extended",
            request_type=doc["type"],
            reason=reason[:1000],
            due_date=f"{from_epoch(due):%Y-%m-%d}",
        )
        return self._get(request_id)

    def reject(self, request_id: str, reason: str) -> dict:
        if not reason.strip():
            raise InvalidArgument("a rejection needs a reason", code="reason_required")
        doc = self._get(request_id)
        self._move(
            doc,
            RequestStatus.REJECTED,
            {"outcome": reason[:2000], "completed_ts": self.clock.time()},
        )
        self._email(
            doc["user_id"],
            "privacy_request_rejected",
            request_type=doc["type"],
            reason=reason[:2000],
        )
        return self._get(request_id)

    def complete_manually(self, request_id: str, outcome: str) -> dict:
        doc = self._get(request_id)
        if RequestType(doc["type"]) in AUTOMATED:
            raise Conflict("the platform completes this type of request itself", code="automated")
        if not outcome.strip():
            raise InvalidArgument("say what was done", code="outcome_required")
        if doc["status"] == RequestStatus.CONFIRMED.value:
            self._move(doc, RequestStatus.IN_PROGRESS, {})
            doc = self._get(request_id)
        self._move(
            doc,
            RequestStatus.COMPLETED,
            {"outcome": outcome[:2000], "completed_ts": self.clock.time()},
        )
        return self._get(request_id)

    # -- the work ----------------------------------------------------------------------

    def advance_all(self) -> None:
        for doc in self.repo.requests_in_progress():
            kind = RequestType(doc["type"])
            if kind not in AUTOMATED and kind is not RequestType.OBJECTION:
                continue  # rectification: an officer's work
            if doc["status"] == RequestStatus.CONFIRMED.value:
                if not self.repo.update_request(doc["_id"], "confirmed", {"status": "in_progress"}):
                    continue  # another replica took it
                doc["status"] = "in_progress"
            try:
                if kind in (RequestType.ACCESS, RequestType.EXPORT):
                    self._export(doc)
                elif kind is RequestType.ERASURE:
                    self._erase(doc)
                else:
                    self._restrict(doc, kind)
            except GrpcError:
                log.warning("privacy_request_waiting", request_id=doc["_id"], type=doc["type"])

    def _export(self, doc: dict) -> None:
        files: list[tuple[str, bytes]] = []
        for _, client in sorted(self.owners.items()):
            answer = client.ExportUserData(
                data_owner_pb2.ExportUserDataRequest(user_id=doc["user_id"])
            )
            files.extend((f.name, f.data) for f in answer.files)
        now = self.clock.now()
        readme = export.readme(
            doc["user_id"], self.policy, self.document, now, [n for n, _ in files]
        )
        public = {k: doc[k] for k in ("_id", "type", "received_ts", "due_ts")}
        archive = export.build_archive(files, readme, public)
        key = f"privacy/exports/{doc['_id']}.zip"
        self.blobs.put(key, archive, "application/zip")
        self._finish(doc, "export ready", {"export_key": key, "export_ts": now.timestamp()})
        self._email(doc["user_id"], "privacy_export_ready", link=self._download_url(doc["_id"]))
        log.info("export_ready", request_id=doc["_id"], files=len(files), bytes=len(archive))

    def _download_url(self, request_id: str) -> str:
        token = export_token(request_id, self.clock.time() + EMAILED_LINK_SECONDS)
        base = get_settings().public_base_url
        return f"{base}/api/v1/privacy/requests/{request_id}/download?token={token}"

    def _erase(self, doc: dict) -> None:
        """One round: find every record of the user at every owner, make the erasable
        ones due now, restrict what must be kept, purge. Complete only when every owner
        answered and nothing erasable is left."""
        user_id = doc["user_id"]
        erasable = [c for c in self.policy.rules if c not in KEPT_ON_ERASURE]
        pending = []
        for owner, client in sorted(self.owners.items()):
            try:
                records = client.ListRecords(
                    data_owner_pb2.ListRecordsRequest(user_id=user_id)
                ).records
                self.sweeper.schedule_unknown(records, "erasure")
                client.RestrictUser(
                    data_owner_pb2.RestrictUserRequest(user_id=user_id, restrict=True, erase=True)
                )
            except GrpcError:
                pending.append(owner)
        self.repo.expedite(user_id, erasable, self.clock.time())
        self.sweeper.run()
        left = self.repo.remaining(user_id, erasable)
        if pending or left:
            self.repo.set_request_fields(doc["_id"], {"pending_owners": pending})
            return
        # Nothing scheduled is left; ask the owners once more, in case one held a record
        # no event and no earlier listing knew of.
        for _, client in sorted(self.owners.items()):
            listed = client.ListRecords(data_owner_pb2.ListRecordsRequest(user_id=user_id)).records
            if any(r.category not in KEPT_ON_ERASURE for r in listed):
                self.sweeper.schedule_unknown(listed, "erasure")
                return
        purged = len(self.repo.ledger_of(user_id))
        self._finish(
            doc,
            f"Erased {purged} records across all services. Payment records are kept for 7 "
            "years as tax law requires (GDPR Art. 17(3)(b)), restricted and pseudonymised; "
            "the account record is deleted 30 days after the deletion request.",
            {"pending_owners": []},
        )

    def _restrict(self, doc: dict, kind: RequestType) -> None:
        for _, client in sorted(self.owners.items()):
            client.RestrictUser(
                data_owner_pb2.RestrictUserRequest(user_id=doc["user_id"], restrict=True)
            )
        withdrawn = self._withdraw_optional_consents(doc["user_id"])
        what = "restricted" if kind is RequestType.RESTRICTION else "stopped (objection)"
        self._finish(
            doc, f"Optional processing {what}; consents withdrawn: {withdrawn or 'none'}.", {}
        )

    def _withdraw_optional_consents(self, user_id: str) -> str:
        withdrawn = [p for p, c in self.repo.current_consents(user_id).items() if c["granted"]]
        self.change_consents(user_id, dict.fromkeys(withdrawn, False))
        return ", ".join(withdrawn)

    def _finish(self, doc: dict, outcome: str, fields: dict) -> None:
        self.repo.update_request(
            doc["_id"],
            "in_progress",
            {
                "status": "completed",
                "outcome": outcome,
                "completed_ts": self.clock.time(),
                **fields,
            },
        )
        log.info("privacy_request_completed", request_id=doc["_id"], type=doc["type"])

    # -- deadlines and housekeeping ----------------------------------------------------

    def alert_near_deadline(self) -> None:
        near = self.repo.requests_near_deadline((self.clock.now() + NEAR_DEADLINE).timestamp())
        NEAR_DEADLINE_GAUGE.set(len(near))
        for doc in near:
            due = from_epoch(doc["due_ts"])
            log.warning(
                "privacy_request_near_deadline",
                request_id=doc["_id"],
                type=doc["type"],
                due=due.isoformat(),
            )
            if self._tell_officers(doc, due):
                self.repo.set_request_fields(doc["_id"], {"alerted": True})

    def _tell_officers(self, doc: dict, due: Any) -> bool:
        """One email to every compliance officer; nothing about the person in it (the
        console has the request). False when auth is down: the next pass tries again."""
        days = max(0, (due - self.clock.now()).days)
        console = f"{get_settings().public_base_url}/#/compliance"
        try:
            self.auth.EmailRoleHolders(
                auth_pb2.EmailRoleHoldersRequest(
                    role="compliance_officer",
                    template="privacy_request_due",
                    values={
                        "request_type": doc["type"],
                        "request_id": doc["_id"],
                        "due_date": f"{due:%Y-%m-%d}",
                        "days": str(days),
                        "link": console,
                    },
                )
            )
        except GrpcError:
            log.warning("privacy_deadline_alert_not_sent", request_id=doc["_id"])
            return False
        return True

    def prune_exports(self) -> None:
        cutoff = (self.clock.now() - EXPORTS_KEPT).timestamp()
        for doc in self.repo.exports_before(cutoff):
            self.blobs.delete_many([doc["export_key"]])
            self.repo.set_request_fields(doc["_id"], {"export_key": ""})

    # -- helpers -----------------------------------------------------------------------

    def _get(self, request_id: str) -> dict:
        doc = self.repo.request(request_id)
        if doc is None:
            raise NotFound("no such request")
        return doc

    def _move(self, doc: dict, new: RequestStatus, fields: dict) -> None:
        check_transition(doc["status"], new)
        if not self.repo.update_request(doc["_id"], doc["status"], {"status": new.value, **fields}):
            raise Conflict("the request changed meanwhile; try again", code="request_changed")

    def _delete_account(self, user_id: str) -> None:
        try:
            self.auth.RequestAccountDeletion(
                auth_pb2.RequestAccountDeletionRequest(user_id=user_id)
            )
        except GrpcError:
            log.warning("account_deletion_deferred", user_id=user_id)

    def _email(self, user_id: str, template: str, **values: str) -> None:
        """One of auth's templates (auth sends only the platform's own)."""
        try:
            self.auth.SendUserEmail(
                auth_pb2.SendUserEmailRequest(user_id=user_id, template=template, values=values)
            )
        except GrpcError:
            log.warning("privacy_email_not_sent", user_id=user_id, template=template)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
