"""Counting the calls of a function: how tests show that work is done once (counts, never timings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def counted(seen: list[Any], compute: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def compute_and_count(key: Any) -> Any:
        seen.append(key)
        return compute(key)

    return compute_and_count
