"""The access/export archive (GDPR Art. 15 and 20): one folder per service with its
files as that service exported them, and a README that explains each file and answers
what Art. 15(1) requires (purposes, categories, recipients, retention, rights, source,
automated decisions). Pure Python."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from mocky.platform.filenames import safe_archive_path
from services.privacy.domain import RetentionPolicy

FILE_GUIDE = {
    "auth/account.json": "your account (email, roles, when it was created), your sign-in "
    "sessions (browser, when, truncated IP address) and your sign-ins",
    "sessions/documents.json": "your CVs and job descriptions: the text we extracted and what "
    "the interviewer read from it (role, seniority, skills)",
    "sessions/interviews.json": "your interviews: every question, your answers (or their "
    "transcripts), coaching tips and timings",
    "sessions/reports.json": "your feedback reports: scores, quoted evidence, suggestions",
    "sessions/files/": "the original files you uploaded",
    "billing/billing.json": "your payments (date, amount, product, Paddle ids), your credit "
    "ledger and balance, and subscriptions",
    "voice/": "your recorded answers and the interviewer's synthesised lines",
}


def readme(
    user_id: str, policy: RetentionPolicy, document: dict, created_at: datetime, names: list[str]
) -> str:
    lines = [
        "# Your data at Mocky",
        "",
        f"Prepared {created_at:%Y-%m-%d %H:%M} UTC for account `{user_id}`, in answer to your "
        "access / portability request (GDPR Art. 15 and 20). Every file is JSON (or the "
        "original file you gave us), so other services can read it.",
        "",
        "## The files",
        "",
    ]
    for name in names:
        guide = next((text for prefix, text in FILE_GUIDE.items() if name.startswith(prefix)), "")
        lines.append(f"- `{name}`: {guide or 'data this service holds about you'}")
    lines += ["", "## What we process, why, for how long, and who else sees it", ""]
    lines.append("| data | purpose | legal basis | kept | recipients |")
    lines.append("|---|---|---|---|---|")
    for item in document["categories"]:
        lines.append(
            f"| {item['examples']} | {item['purpose']} | {item['legal_basis']} | "
            f"{item['retention']} | {item['recipients']} |"
        )
    lines += [
        "",
        "Sub-processors: "
        + "; ".join(
            f"{s['name']} ({s['service']}, {s['location']})" for s in document["subprocessors"]
        )
        + ".",
        "",
        "## Where the data comes from",
        "",
        "From you (your account, uploads and answers), from Paddle (payment confirmations) "
        "and from your browser (sign-in times, truncated IP address).",
        "",
        "## Automated decisions",
        "",
        "The interview scores are computed automatically to give you practice feedback. They "
        "have no legal or similarly significant effect on you and are not shared with anyone.",
        "",
        "## Your rights",
        "",
        "You can ask us to correct, erase or restrict your data, object to its processing, "
        "withdraw consent at any time (privacy settings), and complain to your data "
        "protection authority. Payment records are kept for 7 years because tax law requires "
        "it (Art. 17(3)(b)); on erasure they are restricted and pseudonymised.",
        "",
    ]
    return "\n".join(lines)


def build_archive(files: list[tuple[str, bytes]], readme_text: str, request: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme_text)
        archive.writestr("request.json", json.dumps(request, indent=2, default=str))
        for name, data in files:
            archive.writestr(safe_archive_path(name), data)
    return out.getvalue()
