"""The retention table (`retention_policy.json`, the published policy's table as
data): the privacy service schedules from it, and every data owner's data map is
checked against it when the owner starts. Pure Python."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

RETENTION_TABLE = Path(__file__).with_name("retention_policy.json")


@cache
def retention_table() -> dict[str, Any]:
    return json.loads(RETENTION_TABLE.read_text())


def category_rules() -> dict[str, dict[str, Any]]:
    """Each data category's row of the table, by category."""
    return {row["category"]: row for row in retention_table()["categories"]}
