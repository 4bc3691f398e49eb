"""The consented-analytics summary: aggregates only, time per screen from the next view
of the same visit, rare browser/OS families folded into "other"."""

from datetime import UTC, datetime, timedelta

from services.privacy.usage import summarise

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def view(user, visit, page, at_s, seconds_on_previous=0, browser="Chrome", os="Linux"):
    return {
        "user_id": user,
        "visit_id": visit,
        "page": page,
        "created_at": T0 + timedelta(seconds=at_s),
        "seconds_on_previous": seconds_on_previous,
        "browser": browser,
        "os": os,
    }


def test_time_on_a_screen_comes_from_the_next_view_of_the_same_visit():
    views = [
        view("u1", "v1", "report", 60, 60),  # out of order on purpose
        view("u1", "v1", "practice", 0),
        view("u1", "v1", "replay", 100, 40),
        view("u2", "v2", "practice", 0),
        view("u2", "v2", "report", 20, 20),
        view("u2", "v3", "practice", 500),  # a visit of one screen: no time known
    ]
    summary = summarise(views)
    assert (summary.views, summary.visits, summary.people) == (6, 3, 2)
    pages = {page: (n, seconds) for page, n, seconds in summary.pages}
    assert pages == {"practice": (3, 40.0), "report": (2, 40.0), "replay": (1, 0.0)}


def test_a_family_used_by_fewer_than_three_people_is_other():
    views = [view(f"u{i}", f"v{i}", "practice", i) for i in range(3)]
    views += [view("u9", "v9", "practice", 9, browser="Opera", os="ChromeOS")]
    views += [view("u8", "v8", "practice", 8, browser="", os="")]
    summary = summarise(views)
    assert dict(summary.browsers) == {"Chrome": 3, "other": 2}
    assert dict(summary.systems) == {"Linux": 3, "other": 2}


def test_nothing_to_summarise():
    summary = summarise([])
    assert (summary.views, summary.visits, summary.people, summary.pages) == (0, 0, 0, [])
