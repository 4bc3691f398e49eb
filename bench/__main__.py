"""./task bench: every benchmark, each against a baseline measured in the same run.

Each benchmark runs in its own process (the event one needs eventlet's patching, the
bare-grpcio baseline must not have it) and prints JSON; this prints them together."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = [
    "bench.grpc_hop",
    "bench.event_path",
    "bench.interviewer",
    "bench.interviewer_quality",
    "bench.model_engine",
    "bench.privacy",
    "bench.voice",
    "bench.speech_recognition",
    "bench.gateway_paths",
]


def main() -> int:
    results = {}
    for module in BENCHMARKS:
        print(f"running {module} ...", file=sys.stderr, flush=True)
        output = subprocess.run(
            [sys.executable, "-m", module], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        results[module.split(".")[1]] = json.loads(output[output.index("{") :])
    print(json.dumps(results, indent=2))
    grpc, events = results["grpc_hop"], results["event_path"]
    print(
        f"\ngRPC unary p50: bare grpcio {grpc['bare_grpcio']['p50_ms']} ms, ours "
        f"{grpc['ours_nameko_grpc_with_wakeup']['p50_ms']} ms "
        f"({grpc['ratio_ours_to_bare_p50']}x), nameko-grpc as shipped "
        f"{grpc['nameko_grpc_as_shipped']['p50_ms']} ms "
        f"({grpc['ratio_shipped_to_bare_p50']}x)"
    )
    print(
        f"events: raw kombu {events['raw_kombu_confirms_msgs_per_s']}/s, ours "
        f"{events['ours_outbox_to_reliable_handler_msgs_per_s']}/s "
        f"({events['ratio_ours_to_raw']}x)"
    )
    engine = results["interviewer"]
    print(
        f"offline interviewer: turn p50 {engine['turn']['p50_ms']} ms "
        f"({engine['ratio_turn_to_baseline_p50']}x reading the answer alone), report of 12 "
        f"answers p50 {engine['report_12_answers']['p50_ms']} ms "
        f"({engine['ratio_report_to_baseline_p50']}x); intake p50: PDF "
        f"{engine['intake']['pdf']['p50_ms']} ms, DOCX {engine['intake']['docx']['p50_ms']} ms, "
        f"text {engine['intake']['text_baseline']['p50_ms']} ms; in the budgeted worker: PDF "
        f"{engine['intake']['pdf_in_worker']['p50_ms']} ms, DOCX "
        f"{engine['intake']['docx_in_worker']['p50_ms']} ms; a 50-page PDF bomb refused in "
        f"{engine['intake']['pdf_bomb_refused_in_worker']['p50_ms']} ms"
    )
    for corpus, quality in results["interviewer_quality"]["documents"].items():
        print(
            f"reading CVs and JDs ({corpus}, {quality['pairs']} pairs, {quality['families']} "
            f"families): role {quality['role_accuracy']}, family {quality['family_accuracy']}, "
            f"seniority {quality['seniority_accuracy']}, skills precision "
            f"{quality['skill_precision']} recall {quality['skill_recall']}, must-haves "
            f"{quality['must_have_recall']}; foreign-family questions "
            f"{quality['foreign_family_question_share']}; a document in "
            f"{quality['read_document_p50_ms']} ms p50 ({quality['ratio_read_to_parse_p50']}x "
            f"parsing it alone)"
        )
    for corpus, judged in results["interviewer_quality"]["answers"].items():
        ours, before, reports = judged["ours"], judged["before_the_rubric"], judged["reports"]
        pairs = ", ".join(f"{k} {v}" for k, v in ours["pairwise_accuracy"].items())
        means = ", ".join(f"{k} {v}" for k, v in ours["mean_score_by_label"].items())
        print(
            f"judging answers ({corpus}, {judged['answers']} answers to {judged['questions']} "
            f"questions): ordering {pairs} (worst {ours['worst_pair_accuracy']}, before the "
            f"rubric {before['worst_pair_accuracy']}); mean score {means}; strong over the best "
            f"gamed answer by at least {ours['min_margin_over_families']} in every family "
            f"(before: {before['min_margin_over_families']}); follow-ups asking for what was "
            f'said {judged["follow_ups"]["asking_for_what_was_said_share"]}, "we" answers '
            f"asked what the candidate did "
            f"{judged['follow_ups']['we_answers_given_the_ownership_follow_up']}; reports "
            f"quoting one sentence twice {reports['same_quote_under_several_criteria_share']}; "
            f"an answer in {judged['judge_answer_p50_ms']} ms p50 "
            f"({judged['ratio_answer_to_old_p50']}x the old engine), a report of 5 in "
            f"{judged['report_5_answers_p50_ms']} ms ({judged['ratio_report_to_old_p50']}x)"
        )
    for pace, model in results["model_engine"].items():
        turn, report = model["live_turn"], model["report_5_answers"]
        print(
            f"language-model engine ({pace} pace): first sentence of a follow-up "
            f"{turn['first_follow_up_sentence_p50_ms']} ms p50 "
            f"({turn['ratio_first_sentence_to_whole_step']}x the whole step; offline step "
            f"{turn['offline_step_p50_ms']} ms); report of 5 {report['model_p50_ms']} ms "
            f"({report['ratio_model_to_offline']}x offline, {report['engines_used']})"
        )
    failing = results["model_engine"]["hosted"]["failing_endpoint"]
    print(
        f"a failing endpoint costs a step {failing['step_while_failing_p50_ms']} ms, "
        f"{failing['step_once_skipped_p50_ms']} ms once the breaker skips it"
    )
    privacy = results["privacy"]
    print(
        f"retention purge: {privacy['purge_ours_sweep_per_s']} records/s with their files "
        f"({privacy['ratio_ours_to_baseline']}x deleting them directly, "
        f"{privacy['purge_baseline_direct_deletes_per_s']}/s); export of 50 interviews "
        f"{privacy['export_50_interviews_ms']} ms ({privacy['ratio_export_to_baseline']}x "
        f"reading them with pymongo)"
    )
    voice = results["voice"]
    print(
        f"voice: STT real-time factor {voice['stt_real_time_factor']} on a "
        f"{voice['answer_seconds']} s answer; TTS first sentence "
        f"{voice['tts_first_sentence_p50_s']} s "
        f"({voice['ratio_first_sentence_to_whole_line']}x the whole line); turn latency p50 "
        f"{voice['turn_latency_p50_s']} s, p95 {voice['turn_latency_p95_s']} s"
    )
    paths = results["gateway_paths"]
    view, live = paths["page_view"], paths["live_turn"]
    print(
        f"page view p50 {view['page_view_p50_ms']} ms "
        f"({view['ratio_page_view_to_consent_read_p50']}x reading the consent alone), "
        f"stored by privacy after {view['until_stored_p50_ms']} ms; "
        f"live turn: end of turn to first reply audio p50 "
        f"{live['end_of_turn_to_first_reply_audio_p50_s']} s "
        f"({live['ratio_turn_to_transcription_floor']}x transcribing the turn in-process)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
