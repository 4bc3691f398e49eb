"""Document intake: what a CV or job-description upload is (from its bytes, not its
name) and its text. Guarded against oversized, malformed and decompression-bomb files;
every refusal is an InvalidArgument with a code the gateway maps to a 4xx."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass

from mocky.platform.errors import InvalidArgument

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
MARKDOWN = "text/markdown"

MAX_PDF_PAGES = 50
# What a page's content streams may decompress to, each page and all together (a stream
# shared by several pages counts on each, as its parsing does): pypdf's own limits cap
# decompressed bytes per stream, not the operators it then parses one by one.
MAX_PAGE_CONTENT_BYTES = 512 * 1024
MAX_PDF_CONTENT_BYTES = 2 * 1024 * 1024
# python-docx builds Python objects for every paragraph and cell: 815k empty paragraphs
# took 33 s and 600 MB. A long CV has a few hundred.
MAX_DOCX_BLOCKS = 20_000
DOCX_BLOCKS = tuple(f"<w:{tag}{end}".encode() for tag in ("p", "tc") for end in " >/\n\t")
MAX_TEXT_CHARS = 100_000  # far more than any CV or JD; bounds what we store and analyse
MIN_TEXT_CHARS = 30  # less than this is not a document we can interview from
DOCX_MAX_UNPACKED_BYTES = 30 * 1024 * 1024
DOCX_MAX_RATIO = 200  # a zip member expanding more than this is a bomb, not a document
DOCX_MAX_MEMBERS = 2000


class DocumentRefused(InvalidArgument):
    """The upload cannot be used as a document."""


@dataclass(frozen=True)
class Extracted:
    content_type: str
    text: str


def detect_type(data: bytes, filename: str) -> str:
    """The type from the content: PDF and DOCX by their signatures, text by decoding.
    The name only tells Markdown from plain text."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            raise DocumentRefused("the file is a damaged archive", code="corrupt_file") from None
        raise DocumentRefused("only PDF, DOCX, TXT and Markdown", code="unsupported_type")
    if _looks_like_text(data):
        return MARKDOWN if filename.lower().endswith((".md", ".markdown")) else TEXT
    raise DocumentRefused("only PDF, DOCX, TXT and Markdown", code="unsupported_type")


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:4096]:
        return False
    try:
        sample = data[:65536].decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(data[:65536]) - 4:  # not just a character cut at the sample's end
            return False
        sample = data[: error.start].decode("utf-8-sig")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample)
    return bool(sample) and printable / len(sample) > 0.95


def extract(data: bytes, filename: str, max_bytes: int) -> Extracted:
    if not data:
        raise DocumentRefused("the file is empty", code="empty_file")
    if len(data) > max_bytes:
        raise DocumentRefused(f"the file is larger than {max_bytes} bytes", code="too_large")
    content_type = detect_type(data, filename)
    if content_type == PDF:
        text = _pdf_text(data)
    elif content_type == DOCX:
        text = _docx_text(data)
    else:
        text = data.decode("utf-8-sig", errors="replace")
    return Extracted(content_type, usable_text(text))


def usable_text(text: str) -> str:
    cleaned = re.sub(r"[ \t\u00a0]+", " ", text.replace("\r\n", "\n"))
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip()[:MAX_TEXT_CHARS]
    if len(cleaned) < MIN_TEXT_CHARS:
        raise DocumentRefused(
            "no text could be read from this document (a scanned PDF? paste the text instead)",
            code="no_text",
        )
    return cleaned


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns with document content
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRefused("the PDF is password-protected", code="unsupported_type")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentRefused(f"more than {MAX_PDF_PAGES} pages", code="too_large")
        parts = []
        total = content_bytes = 0
        for page in reader.pages:
            contents = page.get_contents()
            size = len(contents.get_data()) if contents is not None else 0
            content_bytes += size
            if size > MAX_PAGE_CONTENT_BYTES or content_bytes > MAX_PDF_CONTENT_BYTES:
                raise DocumentRefused(
                    "the PDF is too complex to read (its pages hold too much drawing data)",
                    code="too_complex",
                )
            text = page.extract_text() or ""
            parts.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        return "\n".join(parts)
    except DocumentRefused:
        raise
    except Exception:  # pypdf raises many types (and zlib.error) for a damaged file
        raise DocumentRefused("the PDF is damaged", code="corrupt_file") from None


def _docx_text(data: bytes) -> str:
    from docx import Document

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > DOCX_MAX_MEMBERS:
                raise DocumentRefused("too many parts in the document", code="corrupt_file")
            unpacked = sum(m.file_size for m in members)
            if unpacked > DOCX_MAX_UNPACKED_BYTES or any(
                m.file_size > DOCX_MAX_RATIO * max(m.compress_size, 1) for m in members
            ):
                raise DocumentRefused(
                    "the document expands to an unreasonable size", code="decompression_bomb"
                )
            # The declared sizes can lie: read the main part with a hard cap as well.
            with archive.open("word/document.xml") as part:
                xml = part.read(DOCX_MAX_UNPACKED_BYTES + 1)
            if len(xml) > DOCX_MAX_UNPACKED_BYTES:
                raise DocumentRefused(
                    "the document expands to an unreasonable size", code="decompression_bomb"
                )
            if sum(xml.count(block) for block in DOCX_BLOCKS) > MAX_DOCX_BLOCKS:
                raise DocumentRefused(
                    f"more than {MAX_DOCX_BLOCKS} paragraphs and table cells", code="too_complex"
                )
        document = Document(io.BytesIO(data))
    except DocumentRefused:
        raise
    except Exception:  # python-docx/lxml raise many types for a damaged file
        raise DocumentRefused("the DOCX file is damaged", code="corrupt_file") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
