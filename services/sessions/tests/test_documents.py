import pytest

from services.sessions import documents
from services.sessions.documents import DocumentRefused, extract
from tests.documents import CV_TEXT, docx, docx_bomb, pdf

LIMIT = 5 * 1024 * 1024


def test_text_from_a_pdf_a_docx_markdown_and_plain_text():
    lines = CV_TEXT.splitlines()
    from_pdf = extract(pdf([line for line in lines if line]), "cv.pdf", LIMIT)
    from_docx = extract(docx(lines), "cv.docx", LIMIT)
    from_md = extract(CV_TEXT.encode(), "cv.md", LIMIT)
    from_txt = extract(CV_TEXT.encode(), "cv.txt", LIMIT)
    assert from_pdf.content_type == documents.PDF and "Kubernetes" in from_pdf.text
    assert from_docx.content_type == documents.DOCX and "payments API" in from_docx.text
    assert (from_md.content_type, from_txt.content_type) == (documents.MARKDOWN, documents.TEXT)


def test_the_type_comes_from_the_content_not_the_name():
    assert extract(CV_TEXT.encode(), "cv.pdf", LIMIT).content_type == documents.TEXT
    with pytest.raises(DocumentRefused) as refused:
        extract(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "cv.txt", LIMIT)
    assert refused.value.code == "unsupported_type"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"x" * (LIMIT + 1), "too_large"),
        (b"%PDF-1.4\nthis is not a pdf at all", "corrupt_file"),
        (pdf([]), "no_text"),
        (b"PK\x03\x04 broken archive", "corrupt_file"),
        (b"hello", "no_text"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_code(data, code):
    with pytest.raises(DocumentRefused) as refused:
        extract(data, "upload", LIMIT)
    assert refused.value.code == code


def test_a_docx_zip_bomb_is_refused_without_inflating_it():
    bomb = docx_bomb()
    assert len(bomb) < 1024 * 1024  # 200 MB of zeros in a few hundred KB
    with pytest.raises(DocumentRefused) as refused:
        extract(bomb, "cv.docx", LIMIT)
    assert refused.value.code == "decompression_bomb"
