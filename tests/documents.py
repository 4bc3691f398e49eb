"""Upload fixtures built in the test: real PDFs, DOCX files, a zip bomb, a CV and a JD."""

from __future__ import annotations

import io
import zipfile

CV_TEXT = """Jane Doe
Senior Backend Engineer - 8 years of experience building Python services

Experience
- Led the migration of a monolith to microservices on Kubernetes, cutting deploy time by 70%
- Built a payments API in Python and PostgreSQL handling 2M requests a day
- Mentored 4 engineers and introduced code review and TDD across the team

Skills: Python, Django, PostgreSQL, Redis, Docker, AWS, REST, Kubernetes
"""

JD_TEXT = """Job title: Senior Backend Engineer (Payments)
We are looking for a senior engineer to own our payment services.

Requirements
- 5+ years of experience with Python or Go
- Strong knowledge of Kafka and event-driven architecture
- Experience with Kubernetes and Terraform on AWS
- Excellent communication and mentoring skills
"""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is `lines` (Helvetica), with a correct xref table.
    No lines: a page with no text at all, like a scanned image."""
    content = (
        "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
        if lines
        else ""
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_file([body.encode("latin-1") for body in objects])


def pdf_file(objects: list[bytes]) -> bytes:
    """The objects (object 1 the catalog) as a PDF file with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bomb(unpacked_bytes: int = 200 * 1024 * 1024) -> bytes:
    """A DOCX-shaped zip whose document part inflates to `unpacked_bytes` of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                part.write(chunk)
    return out.getvalue()


def pdf_operator_bomb(tokens: int = 1_900_000, pages: int = 1, unit: bytes = b"BT ET\n") -> bytes:
    """A small PDF whose pages share one compressed content stream of `tokens` empty
    text objects (`BT ET`): a few KB to send, minutes of parsing for pypdf."""
    import zlib

    stream = zlib.compress(unit * tokens, 9)
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        *(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {3 + pages} 0 R "
            f"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
            f">> >> >>".encode()
            for _ in range(pages)
        ),
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
        + stream
        + b"\nendstream",
    ]
    return pdf_file(objects)


def docx_paragraph_bomb(paragraphs: int = 815_000) -> bytes:
    """A DOCX of `paragraphs` empty paragraphs: a few MB that python-docx needs tens of
    seconds and hundreds of MB to read."""
    import secrets

    out = io.BytesIO()
    # Random revision ids keep the archive's compression ratio ordinary (~5x).
    body = b"".join(
        b'<w:p w:rsidR="%s"/>' % secrets.token_hex(4).encode() for _ in range(paragraphs)
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body>' + body + b"</w:body></w:document>",
        )
    return out.getvalue()
