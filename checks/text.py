"""Small text measures shared by the checks and the accuracy scorer."""

from __future__ import annotations


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute; each cost 1) between two strings."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
