"""What a usage log may keep of a request: the network, not the address; the browser
and OS family, not the user-agent string; the primary language, not the whole list.
Shared by auth's sign-in log and the gateway's page views."""

from __future__ import annotations

import ipaddress
import re


def truncate_ip(address: str) -> str:
    """IPv4 /24, IPv6 /48 ("" when unknown)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", Android "Linux".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|Chromium|CriOS)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)
_SYSTEMS = (
    ("Android", re.compile(r"\bAndroid\b")),
    ("iOS", re.compile(r"\b(iPhone|iPad|iPod)\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)
_LANGUAGE = re.compile(r"^\s*([A-Za-z]{2,3})\b")


def browser_family(user_agent: str) -> str:
    return next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), "other")


def os_family(user_agent: str) -> str:
    return next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), "other")


def primary_language(accept_language: str) -> str:
    """The first language's primary subtag: "en-GB,fr;q=0.8" -> "en"."""
    match = _LANGUAGE.match(accept_language or "")
    return match.group(1).lower() if match else ""
