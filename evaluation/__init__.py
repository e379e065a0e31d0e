"""Accuracy evaluation: score pipeline results against a truth corpus (`intake eval`).

Pure Python (pydantic only): no Prefect, no storage, no environment reads.
"""

from evaluation.report import render_markdown, render_text
from evaluation.score import (
    EvalReport,
    cer,
    evaluate,
    iou,
    levenshtein,
    normalize_text,
    values_equal,
)

__all__ = [
    "EvalReport",
    "cer",
    "evaluate",
    "iou",
    "levenshtein",
    "normalize_text",
    "render_markdown",
    "render_text",
    "values_equal",
]
