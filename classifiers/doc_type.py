"""Classify a document by weighted keyword evidence kept as data (rules/doctypes/*.yml).

Each type's score is the sum of the weights of its evidence patterns found in the text (each
counted once), minus the weights of its exclusions. A type qualifies when its score reaches its
`min_score`; the best qualifying type wins (ties broken by `priority`). Confidence grows with
the score and shrinks when another type is close, so a blank page, a forwarded notice or a
licence comes out `unknown` rather than as a weak guess.
"""

from __future__ import annotations

import re
import unicodedata

from records.models import Classification
from records.rules import DocTypeRules


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def score_doc_type(text: str, rules: DocTypeRules) -> tuple[float, list[str]]:
    """Score `text` against one type's evidence. Returns (score, patterns that matched)."""
    flat = _normalise(text)
    head = flat[: rules.head_chars]
    score = 0.0
    hits: list[str] = []
    for ev in rules.keywords:
        if re.search(ev.pattern, head if ev.scope == "head" else flat):
            score += ev.weight
            hits.append(ev.pattern)
    for ev in rules.exclude_keywords:
        if re.search(ev.pattern, head if ev.scope == "head" else flat):
            score -= ev.weight
            hits.append(f"-{ev.pattern}")
    return score, hits


def classify_document(text: str, doctypes: dict[str, DocTypeRules]) -> Classification:
    """Pick the document type of `text` (all pages joined) or `unknown`."""
    scored = []
    for name, rules in doctypes.items():
        score, hits = score_doc_type(text, rules)
        scored.append((score, rules.priority, name, rules, hits))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    qualifying = [s for s in scored if s[0] >= s[3].min_score]
    if not qualifying:
        best = scored[0] if scored else None
        conf = 1.0 if best is None or best[0] <= 0 else max(0.5, 1.0 - best[0] / (2 * best[3].min_score))
        return Classification(doc_type="unknown", score=round(conf, 3), matched_rule=None)
    score, _, name, rules, hits = qualifying[0]
    runner_up = max((s[0] for s in scored if s[2] != name), default=0.0)
    margin = max(0.0, score - max(0.0, runner_up))
    conf = margin / (margin + rules.confidence_half)
    conf = min(0.99, 0.5 + conf / 2)
    return Classification(doc_type=name, score=round(conf, 3), matched_rule=",".join(h for h in hits if not h.startswith("-"))[:200])  # type: ignore[arg-type]
