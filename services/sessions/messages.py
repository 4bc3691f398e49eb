"""The sessions service's aggregates (and stored reports) as the messages of
`mocky.sessions.v1`."""

from __future__ import annotations

from typing import Any

from mocky.platform.clock import from_epoch
from mocky.sessions.v1 import sessions_pb2
from services.sessions.domain import Document, Interview, InterviewStatus, Turn
from services.sessions.rubric import RUBRIC
from services.sessions.taxonomy import taxonomy


def document_message(document: Document, with_text: bool = False) -> Any:
    analysis = document.analysis
    message = sessions_pb2.Document(
        id=document.id,
        kind=document.kind,
        filename=document.filename,
        content_type=document.content_type,
        size_bytes=document.size_bytes,
        text=document.text if with_text else "",
    )
    if analysis is not None:
        message.analysis.CopyFrom(
            sessions_pb2.DocumentAnalysis(
                role=analysis.role,
                seniority=analysis.seniority,
                skills=analysis.skills,
                requirements=analysis.requirements,
                years_of_experience=analysis.years_of_experience,
                family=analysis.family,
                family_name=taxonomy().family(analysis.family).name if analysis.family else "",
                nice_to_have=analysis.nice_to_have,
                language=analysis.language,
            )
        )
    else:
        message.analysis.language = "en"
    message.created_at.FromDatetime(document.created_at)
    return message


def interview_message(interview: Interview, with_turns: bool = False) -> Any:
    message = sessions_pb2.Interview(
        id=interview.id,
        mode=interview.mode,
        status=interview.status.value,
        role=interview.role,
        cv_id=interview.cv_id,
        jd_id=interview.jd_id,
        question=interview.open_question,
        questions_planned=len(interview.plan),
        questions_asked=len(interview.turns),
        engine=interview.engine,
        plan=plan_message(interview.summary),
    )
    message.created_at.FromDatetime(interview.created_at)
    if interview.finished_ts:
        message.finished_at.FromDatetime(from_epoch(interview.finished_ts))
    if with_turns:
        for t in interview.turns:
            turn = message.turns.add(
                index=t.index,
                question=t.question,
                question_kind=t.kind,
                answer=t.answer,
                feedback=t.feedback,
                audio_seconds=t.audio_seconds,
                audio_id=t.audio_id,
            )
            turn.asked_at.FromDatetime(from_epoch(t.asked_ts))
            if t.answered_ts:
                turn.answered_at.FromDatetime(from_epoch(t.answered_ts))
    return message


def plan_message(summary: dict) -> Any:
    return sessions_pb2.InterviewPlan(**summary)


def answer_message(turn: Turn, status: InterviewStatus) -> Any:
    result = turn.result
    return sessions_pb2.SubmitAnswerResponse(
        transcript=turn.answer,
        question=result.question if result else "",
        follow_up=bool(result and result.follow_up),
        feedback=result.feedback if result else "",
        done=bool(result and result.done),
        status=status.value,
    )


def report_message(doc: dict) -> Any:
    delivery = doc.get("delivery") or {}
    message = sessions_pb2.Report(
        interview_id=doc["_id"],
        overall_score=int(doc["overall_score"]),
        summary=doc.get("summary", ""),
        competencies=[
            sessions_pb2.CompetencyScore(
                competency=c["competency"],
                score=int(c["score"]),
                summary=c.get("summary", ""),
                evidence=[sessions_pb2.Evidence(**e) for e in c.get("evidence") or []],
                suggestions=c.get("suggestions") or [],
            )
            for c in doc.get("competencies") or []
        ],
        delivery=sessions_pb2.Delivery(
            words_per_minute=float(delivery.get("words_per_minute") or 0),
            filler_words=int(delivery.get("filler_words") or 0),
            fillers={k: int(v) for k, v in (delivery.get("fillers") or {}).items()},
            spoken_answers=int(delivery.get("spoken_answers") or 0),
        ),
        strengths=doc.get("strengths") or [],
        improvements=doc.get("improvements") or [],
        engine=doc.get("engine", ""),
        rubric_version=doc.get("rubric_version", ""),
        rubric=[
            sessions_pb2.RubricCriterion(id=c.id, name=c.name, weight=c.weight, anchors=c.anchors)
            for c in RUBRIC
        ]
        if doc.get("rubric_version")
        else [],
        questions=[sessions_pb2.QuestionFeedback(**q) for q in doc.get("questions") or []],
    )
    message.created_at.FromDatetime(doc["created_at"])
    return message
