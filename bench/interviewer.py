"""The offline interviewer: time per turn (read the answer, decide follow-up or next
question, coaching tip) and time to write the report, against a baseline measured in
the same run — reading the same answers alone (spaCy and the embeddings: the floor
any engine pays to read an answer). Document intake is measured too: a 2-page PDF CV
and a DOCX, against reading the same text from a plain-text upload, in-process and
through the budgeted worker process the service really uses (a fresh process per
upload), and how long a 17 KB PDF that used to cost minutes takes to be refused.

    python -m bench.interviewer
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from services.sessions.analysis import analyse, fit
from services.sessions.documents import DocumentRefused, extract
from services.sessions.extraction import ExtractionPool
from services.sessions.interviewer import AnsweredTurn, Context, OfflineInterviewer
from services.sessions.turns import read_turn
from tests.documents import CV_TEXT, JD_TEXT, docx, pdf, pdf_operator_bomb

ANSWERS = [
    "At my previous company our payments platform was a monolith and every deploy took two "
    "hours. I proposed splitting it into services, I designed the event flow with Kafka and "
    "I migrated the first two services to Kubernetes myself. As a result deploys went down "
    "from 2 hours to 20 minutes and incidents dropped by 40%.",
    "Um, basically we used Kafka, like, a lot, you know, and it was fine.",
    "When our team had to learn Terraform in two weeks, I set up a sandbox AWS account, "
    "wrote the first modules and ran two workshops. The result was that all 6 engineers "
    "shipped infrastructure changes by the end of the month.",
] * 4
LIMIT = 5 * 1024 * 1024


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
    }


def main() -> int:
    engine = OfflineInterviewer()
    context = Context("coach", fit(analyse(CV_TEXT, "cv"), analyse(JD_TEXT, "jd")), seed=1)
    plan = engine.plan(context)
    turns = [
        AnsweredTurn(plan[i % len(plan)].text, plan[i % len(plan)].kind, a)
        for i, a in enumerate(ANSWERS)
    ]

    def one_turn() -> None:
        for n in range(1, len(turns) + 1):
            engine.next_step(context, plan, turns[:n])

    def analyse_only() -> None:
        for index in range(len(turns)):
            read_turn(context, plan, turns, index)

    per_turn = [s / len(turns) for s in timed(one_turn, 50)]
    floor = [s / len(turns) for s in timed(analyse_only, 50)]
    report = timed(lambda: engine.report(context, turns), 50)
    report_floor = timed(analyse_only, 50)
    plan_ms = timed(lambda: engine.plan(context), 50)
    lines = [line for line in CV_TEXT.splitlines() if line] * 6  # about two pages
    cv_pdf, cv_docx, cv_txt = pdf(lines[:60]), docx(lines), "\n".join(lines).encode()
    intake = {
        "pdf": summary(timed(lambda: extract(cv_pdf, "cv.pdf", LIMIT), 30)),
        "docx": summary(timed(lambda: extract(cv_docx, "cv.docx", LIMIT), 30)),
        "text_baseline": summary(timed(lambda: extract(cv_txt, "cv.txt", LIMIT), 30)),
        "analysis": summary(timed(lambda: analyse("\n".join(lines), "cv"), 30)),
    }
    pool = ExtractionPool(1, 0)
    intake["pdf_in_worker"] = summary(timed(lambda: pool.extract(cv_pdf, "cv.pdf", LIMIT), 20))
    intake["docx_in_worker"] = summary(timed(lambda: pool.extract(cv_docx, "cv.docx", LIMIT), 20))
    bomb = pdf_operator_bomb(1_900_000, pages=50)

    def refuse_bomb() -> None:
        try:
            pool.extract(bomb, "cv.pdf", LIMIT)
        except DocumentRefused:
            return
        raise AssertionError("the PDF bomb was read")

    intake["pdf_bomb_refused_in_worker"] = summary(timed(refuse_bomb, 5))
    result = {
        "turn": summary(per_turn),
        "turn_baseline_read_answer_only": summary(floor),
        "ratio_turn_to_baseline_p50": round(
            statistics.median(per_turn) / statistics.median(floor), 2
        ),
        "report_12_answers": summary(report),
        "report_baseline_read_answers_only": summary(report_floor),
        "ratio_report_to_baseline_p50": round(
            statistics.median(report) / statistics.median(report_floor), 2
        ),
        "plan": summary(plan_ms),
        "intake": intake,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
