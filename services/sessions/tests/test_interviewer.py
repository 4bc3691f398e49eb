from services.sessions.analysis import analyse, fit
from services.sessions.answers import analyse_answer, count_fillers
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer
from services.sessions.report import COMPETENCIES
from tests.documents import CV_TEXT, JD_TEXT

STRONG = (
    "At my previous company the payments system was a monolith and deploys took 2 hours. "
    "I proposed splitting it into services, I designed the event flow with Kafka and I "
    "migrated the first two services to Kubernetes myself. As a result deploy time went "
    "down from 2 hours to 20 minutes, and incidents dropped by 40%."
)
THIN = "Um, basically we used Kafka, like, a lot, you know."


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
        thin = engine.next_step(context, plan, [AnsweredTurn(plan[0].text, "opening", THIN)])
        strong = engine.next_step(context, plan, [AnsweredTurn(plan[0].text, "opening", STRONG)])
        assert thin.follow_up and thin.question.kind == "follow_up"
        assert not strong.follow_up and strong.question == plan[1]
        assert bool(thin.feedback) == (mode == "coach")


def test_answer_analysis_sees_star_parts_numbers_and_fillers():
    strong = analyse_answer(STRONG, "Tell me about a migration", ("Apache Kafka",))
    assert (strong.situation, strong.action, strong.result) == (True, True, True)
    assert strong.numbers >= 3 and "Apache Kafka" in strong.skills
    assert count_fillers(THIN) == {"um": 1, "basically": 1, "like": 1, "you know": 1}
    assert count_fillers("I would like to add that it looks like rain") == {}


def test_the_report_scores_every_competency_with_quotes_from_the_answers():
    engine = OfflineInterviewer()
    context = Context("text", job_fit(), seed=3)
    plan = engine.plan(context)
    turns = [
        AnsweredTurn(plan[0].text, "opening", STRONG),
        AnsweredTurn(plan[1].text, plan[1].kind, THIN, audio_seconds=6.0),
    ]
    report = engine.report(context, turns)
    assert [c.competency for c in report.competencies] == list(COMPETENCIES)
    answers = STRONG + " " + THIN
    for competency in report.competencies:
        assert 0 <= competency.score <= 100 and competency.summary and competency.suggestions
        assert all(e.quote.rstrip("…") in answers for e in competency.evidence)
        assert any(e.positive for e in competency.evidence)
    assert 0 < report.overall_score < 100 and report.summary
    assert report.delivery.spoken_answers == 1
    assert report.delivery.words_per_minute == round(len(THIN.split()) / 0.1, 1)
    assert report.delivery.filler_words == 4
    assert engine.report(context, turns) == report  # deterministic
    weak = engine.report(context, [AnsweredTurn(plan[0].text, "opening", THIN)])
    assert weak.overall_score < report.overall_score
