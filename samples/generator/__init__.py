"""Deterministic generator of realistic scanned submissions with truth (see samples/README.md).

Entry points:
    generate_corpus(out_dir, *, count, seed, difficulty=0.5, mix=None) -> list[Path]
    make_sample_batch(out_dir) -> list[Path]
"""

from __future__ import annotations

from samples.generator.corpus import CorpusMix, generate_corpus, make_sample_batch

__all__ = ["CorpusMix", "generate_corpus", "make_sample_batch"]
