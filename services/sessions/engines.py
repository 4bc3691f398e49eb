"""Which interviewer runs: the offline engine unless a language model is configured
(`MOCKY_INTERVIEWER=model`) and may be used for this user — always when it runs on the
operator's own infrastructure, only with the `ai_provider` consent when a third party
runs it (nothing is sent without that consent)."""

from __future__ import annotations

from mocky.platform.language_model import ModelEndpoint
from services.sessions.chat import ChatClient
from services.sessions.interviewer import Interviewer, OfflineInterviewer
from services.sessions.model_interviewer import ModelInterviewer

MODEL_ENGINES = ("model", "grok")  # "grok": the name before any endpoint could be configured


class Interviewers:
    """The interviewers of one process: one model client (its learnt dialect and its
    circuit breaker belong to the endpoint), and the offline engine."""

    def __init__(self, endpoint: ModelEndpoint | None) -> None:
        self.endpoint = endpoint
        self.client = ChatClient(endpoint) if endpoint is not None else None

    def for_new(self, provider_consent: bool) -> Interviewer:
        """The engine a new interview starts with."""
        if self.client is not None and self.endpoint is not None:
            if provider_consent or not self.endpoint.needs_consent:
                return ModelInterviewer(self.client)
        return OfflineInterviewer()

    def of(self, engine: str, provider_consent: bool) -> Interviewer:
        """The engine for an interview's next step or report: the model only if it began
        with the model and may still be used — a consent withdrawn mid-interview applies
        at the next answer."""
        if engine in MODEL_ENGINES:
            return self.for_new(provider_consent)
        return OfflineInterviewer()
