import pytest

from mocky.platform.usage import browser_family, os_family, primary_language, truncate_ip

CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0"


@pytest.mark.parametrize(
    ("address", "prefix"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("", ""),
        ("not-an-ip", ""),
    ],
)
def test_usage_logs_keep_only_the_network(address, prefix):
    assert truncate_ip(address) == prefix


@pytest.mark.parametrize(
    ("user_agent", "browser", "system"),
    [
        (CHROME_LINUX, "Chrome", "Linux"),
        (EDGE_WINDOWS, "Edge", "Windows"),
        (SAFARI_IPHONE, "Safari", "iOS"),
        (FIREFOX_ANDROID, "Firefox", "Android"),
        ("curl/8.5.0", "other", "other"),
        ("", "other", "other"),
    ],
)
def test_only_the_family_of_browser_and_system_is_kept(user_agent, browser, system):
    assert (browser_family(user_agent), os_family(user_agent)) == (browser, system)


@pytest.mark.parametrize(
    ("header", "language"),
    [("en-GB,en;q=0.9,fr;q=0.8", "en"), ("FR", "fr"), ("*", ""), ("", "")],
)
def test_only_the_primary_language_is_kept(header, language):
    assert primary_language(header) == language
