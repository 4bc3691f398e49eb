"""The product in a real browser: Debian's Chromium, headless, driven by Playwright.
The whole journey of a candidate (guest, sign-in, upload, text interview, report,
replay, credits, export, account deletion), and the compliance console. Screenshots of
the main pages go to test-artifacts/screenshots/."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import httpx
import pytest
from playwright import sync_api as playwright_api

from mocky.platform.devstack import ROOT
from tests.documents import CV_TEXT, JD_TEXT
from tests.e2e.conftest import CHROMIUM, SHOTS, confirmation_link, emailed_link, sign_in

OFFICER = "officer@mocky.local"

ANSWER = (
    "At my previous company our payments platform was a monolith and every deploy took two "
    "hours. I proposed splitting it into services, I designed the event flow with Kafka and I "
    "migrated the first two services to Kubernetes myself. As a result deploys went down from "
    "2 hours to 20 minutes and incidents dropped by 40%."
)


def fake_microphone_browser(playwright, wav: Path):  # type: ignore[no-untyped-def]
    """A browser of its own whose microphone plays `wav` in a loop (a launch flag)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )


def start_live_as_guest(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """A guest starts a live interview for "Engineer" and starts talking."""
    page.goto(base_url + "/#/sign-in")
    page.click("#guest")
    page.wait_for_selector("#start")
    page.select_option("#mode", "live")
    page.fill("#role", "Engineer")
    page.click("#start")
    page.wait_for_selector("#live-start")
    page.click("#live-start")


def until(check, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    """Polls from Python: the app's CSP (no eval) rightly refuses string predicates."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except playwright_api.Error:
            pass
        time.sleep(0.2)
    raise AssertionError("the page did not get there in time")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in_through_the_page(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#email", email)
    page.click("button[type=submit]")
    page.click("#dev-sign-in", timeout=15_000)  # the local dev outbox's link
    page.click("#link-sign-in")  # the link's page names the account; its button signs in
    page.wait_for_selector("text=Start an interview")


def test_a_candidates_whole_journey_in_the_browser(browser, stack, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(stack.gateway_url)
    page.wait_for_selector("#guest")
    shot(page, "01-sign-in")
    page_views: list[str] = []
    page.on(
        "request",
        lambda r: page_views.append(r.url) if r.url.endswith("/usage/page-views") else None,
    )
    page.click("#guest")
    page.wait_for_selector("text=your first interview is free")
    # Analytics are asked for once, both answers one click away; declining sends nothing.
    page.wait_for_selector("#analytics-deny")
    shot(page, "00-analytics-choice")
    page.click("#analytics-deny")
    page.wait_for_selector("#analytics-deny", state="detached")

    page.click("#keep")
    sign_in_through_the_page(page, f"browser-{uuid.uuid4().hex[:6]}@example.com")

    # A signed-in account pays: buy credits (locally the simulator completes it).
    page.click("nav >> text=Credits")
    page.wait_for_selector("#credits")
    before = int(page.inner_text("#credits").split()[0])
    page.click("[data-price=pri_local_5_credits]")
    until(lambda: page.inner_text("#credits").startswith(f"{before + 5} "))
    page.wait_for_selector("text=5 credits")
    shot(page, "06-credits")

    page.click("nav >> text=Practice")
    page.wait_for_selector("text=Start an interview")

    cv = tmp_path / "jane-doe-cv.md"
    cv.write_text(CV_TEXT)
    page.select_option("#kind", "cv")
    page.set_input_files("#file", str(cv))
    page.wait_for_selector("text=jane-doe-cv.md")
    page.select_option("#kind", "jd")
    page.fill("#pasted", JD_TEXT)
    page.click("#paste")
    page.wait_for_selector("text=jd.txt")
    shot(page, "02-practice")

    page.select_option("#cv-id", label="jane-doe-cv.md")
    page.select_option("#jd-id", label="jd.txt")
    # Before starting, the page says what the interview will be planned from.
    page.wait_for_selector("#plan-summary")
    assert "senior backend engineer" in page.inner_text("#plan-role").lower()
    assert "Software, data and IT" in page.inner_text("#plan-summary")
    assert "7 questions" in page.inner_text("#plan-summary")
    shot(page, "02b-plan-preview")
    page.click("#start")
    page.wait_for_selector("#question")
    shot(page, "03-interview")
    for _ in range(15):
        if page.locator("#overall").count():
            break
        before = page.inner_text("#question")
        page.fill("#answer", ANSWER)
        page.click("#send")

        def moved_on(asked: str = before) -> bool:
            return bool(
                page.locator("#overall").count()
                or page.locator("#question").inner_text(timeout=1000) != asked
            )

        try:
            until(moved_on)
        except AssertionError:
            shot(page, "failure-answer")
            raise
    page.wait_for_selector("#overall")
    assert re.search(r"Overall: \d+/100", page.inner_text("#overall"))
    assert page.locator("svg.chart rect").count() == 6  # the rubric's six criteria
    assert page.locator("#questions h3").count() >= 5  # feedback on every answer
    assert "Scored on the Mocky rubric, version 2" in page.inner_text("main")
    shot(page, "04-report")
    page.click("text=Replay the interview")
    page.wait_for_selector("text=answered")
    assert page.locator("section").count() >= 5
    shot(page, "05-replay")

    assert page_views == []  # no consent, no usage log
    assert not [c for c in context.cookies() if c["name"] == "mocky_analytics"]

    page.click("nav >> text=Privacy")
    page.check("#consent-analytics")
    page.wait_for_selector("text=Saved.")
    with page.expect_response(lambda r: r.url.endswith("/usage/page-views")) as viewed:
        page.click("nav >> text=Credits")
    assert viewed.value.status == 202 and viewed.value.json() == {"recorded": True}
    assert [c for c in context.cookies() if c["name"] == "mocky_analytics"]
    page.click("nav >> text=Privacy")
    page.wait_for_selector("#request-export")
    page.click("#request-export")
    page.wait_for_selector("#requests")
    for _ in range(40):
        if page.locator("text=Download").count():
            break
        page.wait_for_timeout(500)
        page.evaluate("window.dispatchEvent(new HashChangeEvent('hashchange'))")
    shot(page, "07-privacy")
    page.click("text=Download")
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename.endswith(".zip")
    page.click("nav >> text=Privacy")
    page.click("text=Correct my email")
    page.fill("#new-email", f"corrected-{uuid.uuid4().hex[:6]}@example.com")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Check the new address for a confirmation link.")
    page.click("nav >> text=Privacy")
    page.click("#request-erasure")
    page.wait_for_selector("#email")  # signed out, back at sign-in
    context.close()


def test_the_compliance_console(browser, stack, api):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone-sized screen
    page.goto(stack.gateway_url + "/#/sign-in")
    sign_in_through_the_page(page, "officer@mocky.local")
    page.click("nav >> text=Compliance")
    page.wait_for_selector("#retention")
    assert page.locator("#retention tbody tr").count() == 5
    page.click("#sweep")
    page.wait_for_selector("text=Sweep:")
    assert "chain intact" in page.inner_text("body")
    shot(page, "08-compliance-phone")

    # A request that came by email: recorded, extended with a reason, then rejected.
    page.fill("#emailed-address", "officer@mocky.local")
    page.select_option("#emailed-type", "rectification")
    page.fill("#emailed-details", "my name is misspelt")
    with page.expect_response(lambda r: r.url.endswith("/compliance/requests")) as made:
        page.click("#emailed-request button[type=submit]")
    assert made.value.status == 201, made.value.text()
    recorded = f"#officer-requests tr[data-request='{made.value.json()['id']}']"
    page.wait_for_selector("text=Recorded:")
    row = page.locator(recorded)
    assert row.locator(".request-status").inner_text() == "received"
    row.locator("input").fill("waiting for the person to confirm")
    row.locator("text=Extend by two months").click()
    page.wait_for_selector("text=Request extended.")
    until(lambda: "(extended)" in page.locator(recorded).inner_text())
    page.locator(recorded).locator("input").fill("never confirmed")
    page.locator(recorded).locator("text=Reject").click()
    page.wait_for_selector("text=Request rejected.")
    until(lambda: page.locator(recorded).locator(".request-status").inner_text() == "rejected")

    # An incident: opened through the form, the 72-hour clock shown, reported.
    title = f"Lost laptop {uuid.uuid4().hex[:4]}"
    page.fill("#incident-title", title)
    page.fill("#incident-description", "an unencrypted laptop with exported logs")
    page.check("input[name=incident-category][value=usage_log]")
    page.fill("#incident-start", "2026-01-01T00:00")
    page.fill("#incident-end", "2026-01-02T00:00")
    page.click("#new-incident button[type=submit]")
    page.wait_for_selector("text=Incident opened")
    incident = page.locator("article.incident", has_text=title)
    assert "Authority report due" in incident.inner_text()
    incident.locator("textarea").fill("We lost a laptop holding usage logs of {categories}.")
    incident.locator("text=Email the people affected").click()
    page.wait_for_selector("text=Notified")
    incident = page.locator("article.incident", has_text=title)
    incident.locator("input[id^=report-reference]").fill("DPA-2026-0042")
    incident.locator("text=Record the authority report").click()
    page.wait_for_selector("text=Reported to the authority (DPA-2026-0042).")

    # A colleague (an existing account) made an officer, then the role taken away again.
    colleague = sign_in(api, f"colleague-{uuid.uuid4().hex[:6]}@example.com")
    address = colleague.get("/api/v1/me").json()["email"]
    assert page.locator("#officers li", has_text="(you)").count() == 1
    page.fill("#officer-email", address)
    page.click("#add-officer button[type=submit]")
    page.wait_for_selector(f"text={address} is now an officer.")
    assert "compliance_officer" in colleague.get("/api/v1/me").json()["roles"]
    page.locator("#officers li", has_text=address).locator("button").click()
    page.wait_for_selector(f"text={address} is no longer an officer.")
    assert "compliance_officer" not in colleague.get("/api/v1/me").json()["roles"]

    with page.expect_download() as records:
        page.click("text=Records of processing (Art. 30, CSV)")
    assert records.value.suggested_filename == "records_of_processing.csv"
    assert "usage_log" in Path(records.value.path()).read_text()
    shot(page, "11-compliance-forms-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.close()


def test_emailed_links_opened_in_the_browser(browser, stack, api):
    """A used sign-in link says what happened and what to do; a privacy request's
    confirmation link opens a page where the button, not the opening, confirms."""
    email = f"links-{uuid.uuid4().hex[:6]}@example.com"
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": email})
    link = emailed_link(api, email, started)
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(stack.gateway_url)
        page.click("#guest")  # a guest's practice moves into the account the link names
        page.wait_for_selector("#start")
        assert page.goto(link).ok  # opening the link signs nobody in ...
        page.wait_for_selector("#link-sign-in")
        assert page.inner_text("#link-email") == email
        assert "moves into this account" in page.inner_text("#link-merge")
        shot(page, f"14-sign-in-link-{name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        me = page.evaluate("fetch('/api/v1/me').then(r => r.json())")
        assert me["guest"] is True
        if name == "phone":
            page.click("#link-sign-in")  # ... its button does
            page.wait_for_selector("text=Start an interview")
            assert page.evaluate("fetch('/api/v1/me').then(r => r.json())")["email"] == email
            page.goto(link)  # used now
            page.wait_for_selector("#link-problem")
            assert "already used" in page.inner_text("#link-problem")
            shot(page, "15-used-sign-in-link-phone")
            page.click("text=Ask for a new sign-in link")
            page.wait_for_selector("text=Start an interview")  # still signed in: the app
        context.close()

    officer = sign_in(api, OFFICER)
    made = officer.post("/api/v1/compliance/requests", json={"email": email, "type": "access"})
    assert made.status_code == 201
    request_id = made.json()["id"]
    confirm_link = confirmation_link(api, email, request_id)
    page = browser.new_page()  # not signed in: the token is the proof
    page.goto(confirm_link)
    page.wait_for_selector("#confirm-request")
    shot(page, "13-confirm-request")

    def status() -> str:
        listed = officer.get("/api/v1/compliance/requests").json()["requests"]
        return next(r["status"] for r in listed if r["id"] == request_id)

    assert status() == "received"  # opening the page confirmed nothing
    page.click("#confirm-request")
    page.wait_for_selector("text=Confirmed. We will answer your access request by", timeout=90_000)
    assert status() == "confirmed"
    page.goto(stack.gateway_url + "/")
    page.goto(confirm_link)
    page.click("#confirm-request")
    # A busy privacy service (earlier tests' sweeps and exports) may take a while to answer.
    page.wait_for_selector("text=This request is already confirmed", timeout=90_000)
    other = officer.post("/api/v1/compliance/requests", json={"email": email, "type": "objection"})
    page.goto(f"{stack.gateway_url}/#/confirm-request/{other.json()['id']}/{'x' * 43}")
    page.click("#confirm-request")
    page.wait_for_selector("text=This link is no longer valid")
    assert "confirm-request" in page.url  # not sent away to sign in
    page.close()


def email_change_links(api) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A user asks to change their address: the three links the emails carry."""
    old = f"old-{uuid.uuid4().hex[:6]}@example.com"
    new = f"new-{uuid.uuid4().hex[:6]}@example.com"
    user = sign_in(api, old)
    started = time.time() - 1
    assert user.post("/api/v1/me/email", json={"new_email": new}).status_code == 202
    confirm = emailed_link(api, new, started)
    notice = next(
        m["text"]
        for m in api.get("/api/v1/dev/outbox", params={"to": old}).json()["messages"]
        if "/me/email/cancel" in m["text"]
    )
    cancel = re.search(r"https?://\S+/me/email/cancel\?token=\S+", notice).group(0)
    started = time.time() - 1
    api.post("/api/v1/auth/magic-link", json={"email": old})
    return {"confirm": confirm, "cancel": cancel, "sign_in": emailed_link(api, old, started)}


def test_an_address_change_is_confirmed_or_cancelled_by_a_button(browser, api):
    links = email_change_links(api)
    for name, viewport in VIEWPORTS.items():
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(links["confirm"])
        page.wait_for_selector("#confirm-email")
        assert "new-" in page.inner_text("#link-email")
        shot(page, f"16-confirm-email-{name}")
        page.goto(links["cancel"])
        page.wait_for_selector("#cancel-email-change")
        assert "old-" in page.inner_text("#link-email")
        shot(page, f"17-cancel-email-change-{name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.context.close()
    page = browser.new_page()
    page.goto(links["confirm"])
    page.click("#confirm-email")
    page.wait_for_selector("text=Done: the account's address is now new-")
    page.goto(links["cancel"])
    page.click("#cancel-email-change")
    page.wait_for_selector("text=is the account's address again")
    shot(page, "18-email-change-cancelled")
    page.close()


def test_a_browser_left_signed_in_is_signed_out_from_the_privacy_centre(browser, stack):
    email = f"two-browsers-{uuid.uuid4().hex[:6]}@example.com"
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    elsewhere, here = browser.new_context(user_agent=firefox), browser.new_context()
    for context in (elsewhere, here):
        page = context.new_page()
        page.goto(stack.gateway_url + "/#/sign-in")
        sign_in_through_the_page(page, email)
    page.click("nav >> text=Privacy")
    page.wait_for_selector("#sessions")
    assert page.locator("#sessions tr").count() == 2
    assert page.locator("#sessions tr", has_text="this browser").count() == 1
    assert "Firefox on Windows" in page.inner_text("#sessions")  # the other one, named
    page.click("#sessions >> text=Sign out there")
    page.wait_for_selector("text=That browser is signed out.")
    assert page.locator("#sessions tr").count() == 1
    other = elsewhere.pages[0]
    other.reload()
    other.wait_for_selector("#email")  # that browser is back at sign-in
    page.reload()
    page.wait_for_selector("#sessions")  # this one is still signed in
    elsewhere.close()
    here.close()


def test_the_api_documentation_is_browsable(browser, stack):
    """Swagger UI from our own files, under the same CSP as the app: no CDN, no inline
    script, and it renders every documented operation."""
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: refused.append(f"{r.url} {r.failure}"))
    page.goto(stack.gateway_url + "/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    shown = set(page.locator(".opblock-summary-path").all_inner_texts())
    documented = set(httpx.get(stack.gateway_url + "/api/openapi.json").json()["paths"])
    assert {p.replace("\u200b", "") for p in shown} == documented
    assert refused == []
    page.close()


def test_a_failing_call_shows_a_clear_message(browser, stack):
    page = browser.new_page()
    page.goto(stack.gateway_url + "/#/sign-in")
    page.fill("#email", "not-an-address@")
    page.evaluate("document.querySelector('#email').type = 'text'")  # past the browser's check
    page.click("button[type=submit]")
    page.wait_for_selector("#toast.error")
    assert page.inner_text("#toast")

    # Someone else's (or no) interview: said so, and the previous screen does not stay up.
    page.click("#guest")
    page.wait_for_selector("text=Start an interview")
    page.goto(stack.gateway_url + "/#/report/0123456789abcdef0123456789abcdef")
    page.wait_for_selector("text=This page could not be shown")
    assert page.inner_text("#toast") == "no such interview"
    assert page.locator("text=Start an interview").count() == 0
    page.close()


def test_a_voice_interview_with_a_fake_microphone(playwright, stack, tmp_path):
    """Chromium's fake capture device plays generated speech into the microphone; the
    page records it with MediaRecorder, the platform transcribes it."""
    import numpy as np

    from tests.speech import encode, spoken

    said = "I led the move of our payment service to Kubernetes and wrote the pipeline myself."
    samples, rate = spoken(said)
    pause = np.zeros(int(rate * 1.5), dtype=samples.dtype)
    wav = tmp_path / "microphone.wav"
    wav.write_bytes(encode(np.concatenate([samples, pause]), rate, "wav"))
    seconds = samples.size / rate + 1.5
    browser = fake_microphone_browser(playwright, wav)
    context = browser.new_context(permissions=["microphone"])
    page = context.new_page()
    page.goto(stack.gateway_url + "/#/sign-in")
    page.click("#guest")  # a guest's free interview
    page.wait_for_selector("#start")
    page.select_option("#mode", "coach")
    page.fill("#role", "Engineer")
    page.click("#start")
    page.wait_for_selector("#record")
    # The interviewer speaks the question first (headless Chromium may refuse to
    # autoplay: then the page asks for a click on play).
    until(
        lambda: any(
            word in page.inner_text("#voice-status").lower() for word in ("your turn", "press play")
        ),
        timeout=60,
    )
    page.click("#record")
    page.wait_for_selector("text=you are speaking")
    shot(page, "09-voice-recording")
    page.wait_for_timeout(int(seconds * 1000) + 300)
    page.click("#record")
    try:
        until(lambda: page.inner_text("#heard").startswith("You said:"), timeout=60)
    except AssertionError as waited:
        shot(page, "failure-voice")
        raise AssertionError(page.inner_text("#toast")) from waited
    heard = page.inner_text("#heard").removeprefix("You said:").strip()
    shot(page, "10-voice-answered")
    browser.close()
    # The fake device loops the file, so the recording starts anywhere in it and may
    # hold a piece of the next loop: what counts is that most of what was said was heard
    # (the HTTP test measures the word error rate of a clean recording).
    reference = set(re.findall(r"[a-z]+", said.lower()))
    words = set(re.findall(r"[a-z]+", heard.lower()))
    assert len(reference & words) / len(reference) >= 0.6, heard


def test_a_live_interview_spoken_hands_free_in_the_browser(playwright, stack, tmp_path):
    """The realtime mode: the page streams the (fake) microphone over the WebSocket as
    PCM16, the platform hears the end of the turn by itself, transcribes it and the
    interviewer answers out loud; the indicator says who is speaking; Stop ends it."""
    import numpy as np

    from tests.speech import encode, spoken

    said = "I moved our payment service to Kubernetes and cut deploys to twenty minutes."
    samples, rate = spoken(said)
    pause = np.zeros(int(rate * 2.0), dtype=samples.dtype)  # the end of the turn
    wav = tmp_path / "microphone.wav"
    wav.write_bytes(encode(np.concatenate([samples, pause]), rate, "wav"))
    browser = fake_microphone_browser(playwright, wav)
    try:
        context = browser.new_context(permissions=["microphone"])
        page = context.new_page()
        states: list[str] = []
        page.on("websocket", lambda socket: states.append("connected"))
        start_live_as_guest(page, stack.gateway_url)
        page.wait_for_selector("text=Stop talking")
        until(lambda: page.locator("#live-log li.you").count() >= 1, timeout=90)
        heard = page.locator("#live-log li.you").first.inner_text().lower()
        assert "kubernetes" in heard or "payment" in heard, heard
        # The interviewer spoke the question at the start and replies after the turn.
        until(lambda: page.locator("#live-log li.interviewer").count() >= 2, timeout=60)
        until(
            lambda: (
                page.inner_text("#live-state")
                in {
                    "You are speaking…",
                    "Interviewer speaking (just talk to interrupt).",
                    "Listening: speak when you are ready.",
                    "Thinking about your answer…",
                }
            )
        )
        shot(page, "12-live-interview")
        page.click("#live-start")  # Stop talking
        page.wait_for_selector("text=Start talking")
        assert page.inner_text("#live-state") == "Not connected."
        assert states == ["connected"]
    finally:
        browser.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def audit(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's WCAG 2.1 A/AA violations on the page as it is, and whether the page
    is wider than the screen (a phone would scroll sideways)."""
    page.wait_for_timeout(300)  # the view renders after its API calls
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]
    ]
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))
            .slice(0, 3)"""
    )
    if wide:
        problems.append(f"wider than the screen: {wide}")
    return problems


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_every_page_passes_an_accessibility_audit(browser, stack, api, screen):
    """axe-core (npm) on every page a candidate and an officer use, on a desktop and a
    phone-sized screen; nothing may be wider than the screen."""
    assert AXE.exists(), "installed by ./task test (tools:node)"
    # The audit script is injected inline, which the app's CSP rightly forbids.
    context = browser.new_context(bypass_csp=True, viewport=VIEWPORTS[screen])
    page = context.new_page()
    found = {}
    page.goto(f"{stack.gateway_url}/#/confirm-request/{'0' * 32}/{'x' * 43}")
    page.wait_for_selector("#confirm-request")
    found["confirm-request"] = audit(page)
    page.goto(f"{stack.gateway_url}/api/v1/auth/verify?token={'x' * 43}")  # a used link
    page.wait_for_selector("#link-problem")
    found["link-problem"] = audit(page)
    change = email_change_links(api)
    for name, url, ready in (
        ("sign-in-link", change["sign_in"], "#link-sign-in"),
        ("confirm-email", change["confirm"], "#confirm-email"),
        ("cancel-email-change", change["cancel"], "#cancel-email-change"),
    ):
        page.goto(url)
        page.wait_for_selector(ready)
        found[name] = audit(page)
    page.goto(stack.gateway_url + "/#/sign-in")
    page.wait_for_selector("#guest")
    found["sign-in"] = audit(page)
    page.click("#guest")
    page.wait_for_selector("#start")
    found["practice"] = audit(page)
    page.fill("#role", "ICU staff nurse")
    page.wait_for_selector("text=Nursing and clinical care")
    assert "null" not in page.inner_text("#plan-preview")
    found["plan-preview"] = audit(page)
    shot(page, f"02c-plan-preview-{screen}")
    page.select_option("#mode", "coach")
    page.fill("#role", "Engineer")
    page.click("#start")
    page.wait_for_selector("#live-start")
    found["interview"] = audit(page)
    page.fill("#answer", ANSWER)
    page.click("#send")
    page.wait_for_selector("#answer")
    page.click("#finish")
    page.wait_for_selector("#overall")
    found["report"] = audit(page)
    shot(page, f"04b-report-{screen}")
    page.click("text=Replay the interview")
    page.wait_for_selector("text=answered")
    found["replay"] = audit(page)
    page.click("nav >> text=Credits")
    page.wait_for_selector("#credits")
    found["credits"] = audit(page)
    page.click("nav >> text=Privacy")
    page.wait_for_selector("#request-export")
    found["privacy"] = audit(page)
    context.close()

    context = browser.new_context(bypass_csp=True, viewport=VIEWPORTS[screen])
    page = context.new_page()
    page.goto(stack.gateway_url + "/#/sign-in")
    sign_in_through_the_page(page, "officer@mocky.local")
    page.click("nav >> text=Compliance")
    page.wait_for_selector("#retention")
    # A long unbroken id (a looked-up subject lands in the audit log) must wrap, not
    # push the page wider than a phone.
    page.fill("#subject", "u" + "0123456789abcdef" * 3)
    page.click("text=Look up")
    page.wait_for_timeout(500)
    # A colleague officer and a second session of this one: their buttons get audited too.
    officer = sign_in(api, OFFICER)
    colleague = sign_in(api, f"audit-colleague-{uuid.uuid4().hex[:6]}@example.com").get(
        "/api/v1/me"
    )
    granted = officer.put("/api/v1/compliance/officers", json={"email": colleague.json()["email"]})
    assert granted.status_code == 200
    try:
        # Privacy then Compliance at once: the privacy screen, whose data may arrive last,
        # must not be drawn over the compliance one.
        page.click("nav >> text=Privacy")
        page.click("nav >> text=Compliance")
        page.wait_for_selector("#audit li")
        page.wait_for_selector("#officers button")
        found["compliance"] = audit(page)
        assert page.locator("#sessions").count() == 0
        page.click("nav >> text=Privacy")
        page.wait_for_selector("#sessions button")
        found["privacy-officer"] = audit(page)
    finally:
        officer.delete(f"/api/v1/compliance/officers/{colleague.json()['id']}")
    context.close()
    assert found == dict.fromkeys(found, []), found


def test_the_app_works_by_keyboard(browser, stack):
    page = browser.new_page()
    page.goto(stack.gateway_url + "/#/sign-in")
    page.wait_for_selector("#email")

    # Each page moves focus to its content: Tab goes through the form in reading order,
    # Shift+Tab back through the navigation to the skip link.
    def tab(key: str = "Tab") -> str:
        page.keyboard.press(key)
        return page.evaluate(
            "document.activeElement.id || document.activeElement.className "
            "|| document.activeElement.textContent"
        )

    forwards = [tab() for _ in range(3)]
    assert forwards[0] == "email" and forwards[2] == "guest", forwards
    page.focus("#email")
    backwards = [tab("Shift+Tab") for _ in range(3)]
    assert backwards[-1] == "skip", backwards
    page.focus("#guest")
    page.keyboard.press("Enter")  # a guest, by keyboard
    page.wait_for_selector("#start")
    page.close()
