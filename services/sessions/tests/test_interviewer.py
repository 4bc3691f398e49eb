from services.sessions.analysis import analyse, fit
from services.sessions.answers import count_fillers, read_answer
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer
from services.sessions.rubric import RUBRIC
from tests.documents import CV_TEXT, JD_TEXT

STRONG = (
    "At my previous company the payments system was a monolith and deploys took 2 hours. "
    "I proposed splitting it into services, I designed the event flow with Kafka and I "
    "migrated the first two services to Kubernetes myself. As a result deploy time went "
    "down from 2 hours to 20 minutes, and incidents dropped by 40%."
)
THIN = "Um, basically we used Kafka, like, a lot, you know."
OPENING = (
    "I have spent six years building payment systems in Python, most recently leading a "
    "team of four, and I want to work on event-driven systems at a larger scale."
)


def job_fit():
    return fit(analyse(CV_TEXT, "cv"), analyse(JD_TEXT, "jd"))


def test_analysis_finds_role_seniority_overlap_and_gaps():
    f = job_fit()
    assert f.role.startswith("Senior Backend Engineer")
    assert f.seniority == "senior"
    assert f.family == "software_data"
    assert {"Python", "Kubernetes", "AWS"} <= set(f.overlap)
    assert {"Apache Kafka", "Terraform", "Golang"} <= set(f.gaps)
    assert any("70%" in a for a in f.achievements)
    assert any("Kafka" in r for r in f.unmet)


def test_the_plan_probes_the_cv_against_the_job_and_is_deterministic_per_seed():
    engine = OfflineInterviewer()
    plan = engine.plan(Context("text", job_fit(), seed=7))
    again = engine.plan(Context("text", job_fit(), seed=7))
    other = engine.plan(Context("text", job_fit(), seed=8))
    kinds = [q.kind for q in plan]
    assert plan == again and plan != other
    assert kinds[0] == "opening" and kinds[-1] == "closing" and len(plan) == 7
    assert {"cv_probe", "gap", "skill"} <= set(kinds)
    gap = next(q for q in plan if q.kind == "gap")
    assert any(gap.topic in r for r in job_fit().unmet) and gap.topic in gap.text
    assert {q.family for q in plan if q.family} == {"software_data"}


def test_a_thin_answer_gets_a_follow_up_and_only_coach_mode_gets_tips():
    engine = OfflineInterviewer()
    for mode in ("coach", "live"):
        context = Context(mode, job_fit(), seed=1)
        plan = engine.plan(context)
        opened = [AnsweredTurn(plan[0].text, "opening", OPENING)]
        asked = plan[1]
        thin = engine.next_step(
            context, plan, [*opened, AnsweredTurn(asked.text, asked.kind, THIN)]
        )
        strong = engine.next_step(
            context, plan, [*opened, AnsweredTurn(asked.text, asked.kind, STRONG)]
        )
        assert thin.follow_up and thin.question.kind == "follow_up"
        assert not strong.follow_up and strong.question == plan[2]
        assert bool(thin.feedback) == (mode == "coach")
        after_opening = engine.next_step(
            context, plan, [AnsweredTurn(plan[0].text, "opening", THIN)]
        )
        assert not after_opening.follow_up  # the opening is a warm-up, not probed


def test_answer_reading_sees_story_parts_numbers_tools_and_fillers():
    strong = read_answer(
        STRONG, "Tell me about a migration you led.", "behavioural", family="software_data"
    )
    assert {"situation", "own_actions", "result", "numbers", "named_tools_or_methods"} <= strong.has
    assert {"Apache Kafka", "Kubernetes"} <= set(strong.methods)
    assert count_fillers(THIN) == {"um": 1, "basically": 1, "like": 1, "you know": 1}
    assert count_fillers("I would like to add that it looks like rain") == {}
    assert count_fillers("I like helping people, and I like a clear plan.") == {}


def test_the_report_scores_every_competency_with_quotes_from_the_answers():
    engine = OfflineInterviewer()
    context = Context("text", job_fit(), seed=3)
    plan = engine.plan(context)
    turns = [
        AnsweredTurn(plan[0].text, "opening", OPENING),
        AnsweredTurn(plan[1].text, plan[1].kind, STRONG),
        AnsweredTurn(plan[2].text, plan[2].kind, THIN, audio_seconds=6.0),
    ]
    report = engine.report(context, turns)
    assert [c.competency for c in report.competencies] == [c.id for c in RUBRIC]
    answers = " ".join(t.answer for t in turns)
    for competency in report.competencies:
        assert 0 <= competency.score <= 100 and competency.summary and competency.suggestions
        assert all(e.quote.rstrip("…") in answers for e in competency.evidence)
    quotes = [e.quote for c in report.competencies for e in c.evidence]
    assert len(quotes) == len(set(quotes))  # a different quote under every criterion
    assert sum(any(e.positive for e in c.evidence) for c in report.competencies) >= 3
    assert 0 < report.overall_score < 100 and report.summary
    assert report.delivery.spoken_answers == 1
    assert report.delivery.words_per_minute == round(len(THIN.split()) / 0.1, 1)
    assert report.delivery.filler_words == 4
    assert engine.report(context, turns) == report  # deterministic
    weak = engine.report(context, [AnsweredTurn(plan[0].text, "opening", THIN)])
    assert weak.overall_score < report.overall_score
