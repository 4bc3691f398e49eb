"""The export archive and its download links (pure: no service)."""

import io
import zipfile

import pytest

from services.privacy.export import build_archive
from services.privacy.links import export_token, export_token_valid


def test_an_uploaded_file_name_cannot_climb_out_of_the_archive():
    archive = build_archive(
        [("sessions/files/abc-../../../../tmp/x.txt", b"cv"), ("/etc/passwd", b"p")],
        "readme",
        {"id": "r"},
    )
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert not any(name.startswith("/") or ".." in name.split("/") for name in names)
    assert {"sessions/files/abc-../tmp/x.txt", "etc/passwd"} <= set(names)


@pytest.mark.parametrize("token", ["²³.x", "1.²", "9" * 13 + "." + "a" * 64, "1." + "é" * 64])
def test_a_download_token_with_odd_characters_is_simply_invalid(token):
    assert export_token_valid("r", token, 0) is False


def test_a_download_token_works_until_it_expires():
    token = export_token("r", 1000)
    assert export_token_valid("r", token, 999) and not export_token_valid("r", token, 1001)
    assert not export_token_valid("other", token, 999)
