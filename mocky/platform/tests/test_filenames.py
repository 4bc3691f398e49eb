import pytest

from mocky.platform.filenames import safe_archive_path, safe_filename


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../../../tmp/x.txt", "x.txt"),
        ("C:\\Users\\me\\cv.pdf", "cv.pdf"),
        ("..", "cv.bin"),
        ("", "cv.bin"),
        (".bashrc", "bashrc"),
        ("cv\x00.pdf\r\n", "cv.pdf"),
        ("Jane Doe – CV.pdf", "Jane Doe – CV.pdf"),
    ],
)
def test_an_upload_keeps_only_a_clean_base_name(name, expected):
    assert safe_filename(name, "cv.bin") == expected


def test_archive_paths_have_no_root_and_no_parent_parts():
    assert safe_archive_path("/a/../b/./c") == "a/b/c"
    assert safe_archive_path("..\\..\\x") == "x"
    assert safe_archive_path("../") == "file"
