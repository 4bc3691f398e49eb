"""Which interviewer runs: the offline engine unless a language model is configured
(`MOCKY_INTERVIEWER=model`) and may be used for this user — always when it runs on the
operator's own infrastructure, only with the `ai_provider` consent when a third party
runs it (nothing is sent without that consent)."""

from __future__ import annotations

from mocky.platform.settings import get_settings
from services.sessions.chat import ChatClient
from services.sessions.interviewer import Interviewer, OfflineInterviewer
from services.sessions.model_interviewer import ModelInterviewer


def interviewer_for(provider_consent: bool) -> Interviewer:
    endpoint = get_settings().model
    if endpoint is not None and (provider_consent or not endpoint.needs_consent):
        return ModelInterviewer(ChatClient(endpoint))
    return OfflineInterviewer()


def engine_of(interview: dict, provider_consent: bool) -> Interviewer:
    """The engine for an interview's next step or report: the model only if it began
    with the model ("grok": the name before any endpoint could be configured) and may
    still be used — a consent withdrawn mid-interview applies at the next answer."""
    if interview.get("engine") in ("model", "grok"):
        return interviewer_for(provider_consent)
    return OfflineInterviewer()
