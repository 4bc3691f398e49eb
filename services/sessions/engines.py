"""Which interviewer runs: the offline engine unless Grok is configured and the user
allowed their data to go to the provider (nothing is sent without that consent)."""

from __future__ import annotations

from mocky.platform.settings import get_settings
from services.sessions.grok import GrokClient, GrokInterviewer
from services.sessions.interviewer import Interviewer, OfflineInterviewer


def interviewer_for(provider_consent: bool) -> Interviewer:
    settings = get_settings()
    if settings.interviewer == "grok" and provider_consent:
        client = GrokClient(
            settings.xai_api_key,
            settings.xai_base_url,
            settings.xai_model,
            settings.xai_timeout_seconds,
        )
        return GrokInterviewer(client)
    return OfflineInterviewer()
