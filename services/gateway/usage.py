"""Privacy-friendly usage logging: the web app reports which screen a user opened and
how long they stayed on the one before, and only for users whose analytics consent
stands. What is kept of the request is its network (/24, /48), browser and OS family
and primary language. The view goes out as a `page_viewed` event to privacy, the
analytics store; nothing stays here. The analytics cookie (a random visit id) exists
only while the consent does."""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated, Any

from amqp.exceptions import ConnectionError as AMQPConnectionError
from fastapi import APIRouter, Depends, Request, Response
from kombu.exceptions import OperationalError
from pydantic import BaseModel, Field

from mocky.platform.clock import Clock
from mocky.platform.events import ConfirmedPublisher, Outbox, outbox_entry
from mocky.platform.settings import Settings
from mocky.platform.usage import browser_family, os_family, primary_language, truncate_ip
from services.gateway import events
from services.gateway.clients import ApiError
from services.gateway.dependencies import (
    ANALYTICS_COOKIE,
    Clients,
    Ctx,
    User,
    client_ip,
    set_analytics_cookie,
    settings_of,
    user_agent,
)

PAGES = (
    "sign-in",
    "practice",
    "interview",
    "report",
    "replay",
    "billing",
    "privacy",
    "compliance",
)

usage = APIRouter(tags=["usage"])


class UsagePublisher:
    """One confirmed-publish connection per gateway process, used from a thread (kombu
    is blocking; the event loop must not wait on the broker)."""

    def __init__(self, settings: Settings) -> None:
        self.outbox = Outbox(events.SERVICE, ConfirmedPublisher(settings.amqp_uri))
        self.clock = Clock()

    async def publish(self, event: Any) -> None:
        await asyncio.to_thread(self.outbox.publish_entry, outbox_entry(event))

    def close(self) -> None:
        self.outbox.publisher.close()


def publisher(request: Request) -> UsagePublisher:
    return request.app.state.usage  # type: ignore[no-any-return]


Publisher = Annotated[UsagePublisher, Depends(publisher)]


class PageView(BaseModel):
    page: str = Field(pattern=f"^({'|'.join(PAGES)})$", description="the screen opened")
    seconds_on_previous: int = Field(default=0, ge=0, le=24 * 3600)


class PageViewRecorded(BaseModel):
    recorded: bool


@usage.post("/usage/page-views", status_code=202)
async def record_page_view(
    body: PageView,
    request: Request,
    response: Response,
    user: User,
    services: Clients,
    ctx: Ctx,
    events_out: Publisher,
) -> PageViewRecorded:
    """Records the view only with the user's analytics consent (`recorded` says
    whether it was); without it nothing is kept and the analytics cookie is removed."""
    settings = settings_of(request)
    visit_id = request.cookies.get(ANALYTICS_COOKIE, "")
    if not await services.consented(user.id, "analytics", ctx):
        if visit_id:
            set_analytics_cookie(response, settings, "")
        return PageViewRecorded(recorded=False)
    if not visit_id:
        visit_id = secrets.token_urlsafe(16)
        set_analytics_cookie(response, settings, visit_id)
    agent = user_agent(request)
    event = events.page_viewed(
        user.id,
        visit_id,
        body.page,
        body.seconds_on_previous,
        truncate_ip(client_ip(request)),
        browser_family(agent),
        os_family(agent),
        primary_language(request.headers.get("accept-language", "")),
        events_out.clock,
        correlation_id=ctx.correlation_id,
    )
    try:
        await events_out.publish(event)
    except (OSError, OperationalError, AMQPConnectionError) as error:  # the broker is down
        raise ApiError(503, "unavailable", "usage logging is unavailable, try later") from error
    return PageViewRecorded(recorded=True)
