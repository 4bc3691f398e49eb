"""The terms the gateway gives the voice service's ear: the interview's role and what its
plan probes, without blanks, at most 30."""

from mocky.sessions.v1 import sessions_pb2
from services.gateway.interview_routes import vocabulary_of


def test_the_role_and_the_plans_skills_and_requirements():
    interview = sessions_pb2.Interview(role="Staff Nurse")
    interview.plan.skills_to_probe.extend(["triage", "NEWS2"])
    interview.plan.requirements_to_probe.append("NMC registration")
    interview.plan.missing_skills.extend(["", "sepsis care"])
    assert vocabulary_of(interview) == [
        "Staff Nurse",
        "triage",
        "NEWS2",
        "NMC registration",
        "sepsis care",
    ]


def test_at_most_thirty_terms():
    interview = sessions_pb2.Interview(role="Engineer")
    interview.plan.skills_to_probe.extend(f"skill {i}" for i in range(40))
    assert len(vocabulary_of(interview)) == 30
