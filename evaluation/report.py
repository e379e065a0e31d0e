"""Readable renderings of an `EvalReport`: plain text for the terminal, Markdown for docs/accuracy.md.

Both are deterministic functions of the report (no clock, no environment), so a committed
docs/accuracy.md only changes when the scores do.
"""

from __future__ import annotations

import json
from typing import Any

from evaluation.score import (
    NONE_LABEL,
    PRF,
    DocDiff,
    EvalReport,
    FieldScores,
    LabelScores,
    SealGroupScores,
    Target,
)


def _f(v: float | None, digits: int = 3) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def _val(v: Any, limit: int = 60) -> str:
    if v is None:
        return "—"
    if v == "":
        return '""'
    s = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _prf(p: PRF) -> str:
    return f"P {_f(p.precision)}  R {_f(p.recall)}  F1 {_f(p.f1)}  (tp {p.tp}, fp {p.fp}, fn {p.fn})"


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    """A fixed-width text table (width by characters; CJK cells may look a little wider)."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    out = [indent + "  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    out.append(indent + "  ".join("-" * w for w in widths))
    out += [indent + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return out


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def cell(c: Any) -> str:
        return str(c).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return out


def _used_labels(s: LabelScores) -> list[str]:
    """Labels with any count in their row or column (keeps the matrices small), in matrix order."""
    used = {t for t, row in s.confusion.items() if any(row.values())}
    used |= {p for row in s.confusion.values() for p, n in row.items() if n}
    return [lab for lab in s.labels if lab in used] or list(s.labels)


def _confusion_rows(s: LabelScores) -> tuple[list[str], list[list[str]]]:
    labels = _used_labels(s)
    header = ["truth \\ result", *labels]
    rows = [[t, *(str(s.confusion[t][p]) for p in labels)] for t in labels if any(s.confusion[t].values())]
    return header, rows


def _field_rows(fs: FieldScores) -> list[list[str]]:
    return [
        [k, _f(p.precision), _f(p.recall), _f(p.f1), str(p.tp), str(p.fp), str(p.fn)]
        for k, p in fs.per_field.items()
    ]


_FIELD_HEADER = ["field", "P", "R", "F1", "tp", "fp", "fn"]


def _target_rows(report: EvalReport) -> list[list[str]]:
    return _rows_of_targets(report.targets)


def _rows_of_targets(targets: list[Target]) -> list[list[str]]:
    return [[t.name, f"≥ {t.target:.2f}", _f(t.measured), "yes" if t.met else "NO"] for t in targets]


_SEAL_GROUP_HEADER = [
    "",
    "truth",
    "found",
    "recall",
    "predicted",
    "precision",
    "text exact",
    "mean CER",
    "role",
]


def _seal_group_rows(groups: dict[str, SealGroupScores]) -> list[list[str]]:
    return [
        [
            name,
            str(g.truth),
            str(g.matched),
            _f(g.recall),
            str(g.predicted),
            _f(g.precision),
            f"{_f(g.text_exact_rate)} ({g.text_exact}/{g.text_pairs})",
            _f(g.mean_cer, 4),
            f"{_f(g.role_accuracy)} ({g.role_correct}/{g.role_pairs})",
        ]
        for name, g in groups.items()
    ]


def _doc_lines(report: EvalReport) -> str:
    d = report.documents
    return (
        f"{d.truth} truth documents; {d.matched} with a result, {d.missing} missing, "
        f"{d.unparseable} unparseable result file(s), {d.extra} extra result(s), "
        f"{d.duplicates} duplicate(s), {d.ignored} ignored truth-dir file(s); "
        f"accounted for {_pct(d.accounted_for)}"
    )


def _diff_lines(d: DocDiff) -> list[str]:
    """The body of one document's diff, one difference per line (no header)."""
    if d.result != "ok":
        why = f": {d.error}" if d.error else ""
        return [f"result {d.result}{why} (scored all-wrong)"]
    out: list[str] = []
    if d.doc_type:
        out.append(f"doc_type: truth {d.doc_type.truth}, got {d.doc_type.got}")
    if d.status:
        out.append(f"status: truth {d.status.truth}, got {d.status.got}")
    for f in d.fields:
        if f.kind == "wrong":
            out.append(f"field {f.field}: truth {_val(f.truth)}, got {_val(f.got)}")
        elif f.kind == "missing":
            out.append(f"field {f.field}: missing (truth {_val(f.truth)})")
        else:
            out.append(f"field {f.field}: extra (got {_val(f.got)})")
    if d.missed_findings:
        out.append("missed findings: " + ", ".join(d.missed_findings))
    if d.spurious_findings:
        out.append("spurious findings: " + ", ".join(d.spurious_findings))
    for s in d.seals:
        where = f"p{s.page} {_val(s.bbox)}"
        if s.kind == "missed":
            out.append(f"seal missed at {where} (truth {_val(s.truth)})")
        elif s.kind == "spurious":
            out.append(f"seal spurious at {where} (got {_val(s.got)})")
        elif s.kind == "text":
            out.append(f"seal text at {where}: truth {_val(s.truth)}, got {_val(s.got)}")
        else:
            out.append(f"seal role at {where}: truth {_val(s.truth)}, got {_val(s.got)}")
    return out


def _diff_title(d: DocDiff) -> str:
    return f"{d.key}  [{d.truth_doc_type}, {d.document_id[:12]}, {d.issues} issue(s)]"


# ---------------------------------------------------------------- text


def render_text(report: EvalReport, *, max_diffs: int = 30) -> str:
    """A terminal-friendly rendering: targets first, then each metric, then the worst diffs."""
    r = report
    L: list[str] = [f"Accuracy: truth {r.truth_dir}  vs  results {r.results_dir}", ""]
    L.append("Documents: " + _doc_lines(r))
    d = r.documents
    for uf in d.unparseable_files[:10]:
        L.append(f"  unparseable {uf.file}: {uf.error}")
    if len(d.unparseable_files) > 10:
        L.append(f"  … {len(d.unparseable_files) - 10} more unparseable")
    if d.extra_ids:
        more = " …" if len(d.extra_ids) > 10 else ""
        L.append("  extra: " + ", ".join(x[:12] for x in d.extra_ids[:10]) + more)
    for note in d.notes[:10]:
        L.append(f"  note: {note}")
    L.append("")

    met = sum(t.met for t in r.targets)
    L.append(f"Targets ({met}/{len(r.targets)} met)")
    L += _table(["metric", "target", "measured", "met"], _target_rows(r))
    L.append("")

    for title, s in (("doc_type", r.doc_type), ("status", r.status)):
        L.append(f"{title} accuracy: {_f(s.accuracy)} ({s.correct}/{s.total})")
        header, rows = _confusion_rows(s)
        if rows:
            L += _table(header, rows)
        L.append("")

    L.append(f"Fields (micro): {_prf(r.fields.micro)}")
    if r.fields.per_field:
        L += _table(_FIELD_HEADER, _field_rows(r.fields))
    for dt, fs in r.fields.per_doc_type.items():
        L.append(f"  {dt}: {_prf(fs.micro)}")
    L.append("")

    s = r.seals
    L.append(f"Seals (IoU ≥ {s.iou_threshold:g}): {_prf(s.detection)}")
    L.append(
        f"  ring text exact {_f(s.text_exact_rate)} ({s.text_exact}/{s.text_pairs}), "
        f"mean CER {_f(s.mean_cer, 4)}; "
        f"seals cut by the page edge, visible part read right {_f(s.partial_text_visible_rate)} "
        f"({s.partial_text_visible}/{s.partial_text_pairs}); "
        f"role accuracy {_f(s.role_accuracy)} ({s.role_correct}/{s.role_pairs})"
    )
    if s.targets:
        L.append(f"  seal targets ({sum(t.met for t in s.targets)}/{len(s.targets)} met)")
        L += _table(["target", "want", "measured", "met"], _rows_of_targets(s.targets), indent="    ")
    for title, groups in (("colour", s.by_color), ("shape", s.by_shape)):
        if groups:
            L.append(f"  by {title}:")
            L += _table([title, *_SEAL_GROUP_HEADER[1:]], _seal_group_rows(groups), indent="    ")
    if s.unattributed_fp:
        L.append(f"  {s.unattributed_fp} false positive(s) of no known colour (overall precision only)")
    L.append("")

    fd = r.findings
    L.append(
        f"Findings: recall {_f(fd.recall)} ({fd.found}/{fd.truth_codes}); spurious {fd.spurious} "
        f"({_f(fd.spurious_per_20_docs, 2)} per 20 documents, over {fd.documents_scored}); "
        f"warranted low_confidence {fd.warranted_low_confidence}, strict spurious {fd.spurious_strict} "
        f"({_f(fd.spurious_strict_per_20_docs, 2)} per 20)"
    )
    if fd.per_code:
        L += _table(
            ["code", "truth", "found", "recall", "spurious"],
            [[c, str(v.truth), str(v.found), _f(v.recall), str(v.spurious)] for c, v in fd.per_code.items()],
        )
    L.append("")

    L.append(
        f"Differences: {len(r.diffs)} document(s), worst first"
        + (f" (showing {max_diffs})" if len(r.diffs) > max_diffs else "")
    )
    for dd in r.diffs[: max(max_diffs, 0)]:
        L.append(f"- {_diff_title(dd)}")
        L += [f"    {line}" for line in _diff_lines(dd)]
    if not r.diffs:
        L.append("  none")
    return "\n".join(L).rstrip() + "\n"


# ---------------------------------------------------------------- markdown


def render_markdown(report: EvalReport, *, max_diffs: int = 30) -> str:
    """A Markdown page (for docs/accuracy.md): targets, metrics tables, the worst diffs."""
    r = report
    L: list[str] = ["# Accuracy", ""]
    L.append(f"Truth `{r.truth_dir}`, results `{r.results_dir}` (report version {r.report_version}).")
    L.append("")
    L.append("**Documents:** " + _doc_lines(r) + ".")
    L.append("")

    met = sum(t.met for t in r.targets)
    L.append(f"## Targets ({met}/{len(r.targets)} met)")
    L.append("")
    L += _md_table(["metric", "target", "measured", "met"], _target_rows(r))
    L.append("")

    for title, s in (("doc_type", r.doc_type), ("Status", r.status)):
        L.append(f"## {title} — accuracy {_f(s.accuracy)} ({s.correct}/{s.total})")
        L.append("")
        header, rows = _confusion_rows(s)
        if rows:
            L.append(f"Rows: truth; columns: result (`{NONE_LABEL}` = no parseable result).")
            L.append("")
            L += _md_table(header, rows)
            L.append("")

    m = r.fields.micro
    L.append(f"## Fields — micro-F1 {_f(m.f1)} (P {_f(m.precision)}, R {_f(m.recall)})")
    L.append("")
    if r.fields.per_field:
        L += _md_table(_FIELD_HEADER, _field_rows(r.fields))
        L.append("")
    if r.fields.per_doc_type:
        L += _md_table(
            ["truth doc_type", "P", "R", "F1", "tp", "fp", "fn"],
            [
                [
                    dt,
                    _f(fs.micro.precision),
                    _f(fs.micro.recall),
                    _f(fs.micro.f1),
                    str(fs.micro.tp),
                    str(fs.micro.fp),
                    str(fs.micro.fn),
                ]
                for dt, fs in r.fields.per_doc_type.items()
            ],
        )
        L.append("")

    s = r.seals
    L.append(f"## Seals — detection F1 {_f(s.detection.f1)} (IoU ≥ {s.iou_threshold:g})")
    L.append("")
    L += _md_table(
        ["measure", "value"],
        [
            [
                "detection P / R / F1",
                f"{_f(s.detection.precision)} / {_f(s.detection.recall)} / {_f(s.detection.f1)}",
            ],
            ["truth / predicted / matched", f"{s.truth} / {s.predicted} / {s.detection.tp}"],
            ["ring text exact (whole seals)", f"{_f(s.text_exact_rate)} ({s.text_exact}/{s.text_pairs})"],
            ["mean CER", _f(s.mean_cer, 4)],
            [
                "seals cut by the page edge: visible part read right",
                f"{_f(s.partial_text_visible_rate)} ({s.partial_text_visible}/{s.partial_text_pairs})",
            ],
            ["role accuracy", f"{_f(s.role_accuracy)} ({s.role_correct}/{s.role_pairs})"],
        ],
    )
    L.append("")
    if s.targets:
        met = sum(t.met for t in s.targets)
        L.append(f"### Seal targets of issue 4 ({met}/{len(s.targets)} met)")
        L.append("")
        L += _md_table(["metric", "target", "measured", "met"], _rows_of_targets(s.targets))
        L.append("")
    if s.by_color:
        L.append("### By seal colour")
        L.append("")
        L.append(
            "Recall, ring text and role by the truth seal's colour (red: colour scans and pictures; grey: "
            "photocopies, greyscale and 1-bit scans). Precision: "
            + s.color_precision_from
            + (f" ({s.unattributed_fp} such false positive(s))." if s.unattributed_fp else ".")
        )
        L.append("")
        L += _md_table(["colour", *_SEAL_GROUP_HEADER[1:]], _seal_group_rows(s.by_color))
        L.append("")
    if s.by_shape:
        L.append("### By seal shape")
        L.append("")
        L.append(
            "Recall, ring text and role by the truth seal's shape; precision by the shape the result gave."
        )
        L.append("")
        L += _md_table(["shape", *_SEAL_GROUP_HEADER[1:]], _seal_group_rows(s.by_shape))
        L.append("")

    fd = r.findings
    L.append(f"## Findings — recall {_f(fd.recall)} ({fd.found}/{fd.truth_codes})")
    L.append("")
    L.append(
        f"Spurious (error/warning codes not in truth): {fd.spurious}, "
        f"{_f(fd.spurious_per_20_docs, 2)} per 20 documents (over {fd.documents_scored} scored). "
        f"Warranted `low_confidence` (a warning on a value or seal that was in fact read wrong; not "
        f"counted as spurious): {fd.warranted_low_confidence} document(s); counting them too (strict): "
        f"{fd.spurious_strict}, {_f(fd.spurious_strict_per_20_docs, 2)} per 20 documents."
    )
    L.append("")
    if fd.per_code:
        L += _md_table(
            ["code", "truth", "found", "recall", "spurious"],
            [
                [f"`{c}`", str(v.truth), str(v.found), _f(v.recall), str(v.spurious)]
                for c, v in fd.per_code.items()
            ],
        )
        L.append("")

    shown = r.diffs[: max(max_diffs, 0)]
    L.append(f"## Differences ({len(r.diffs)} document(s), worst first)")
    L.append("")
    if not r.diffs:
        L.append("None.")
    for dd in shown:
        L.append(f"- **{dd.key}** ({dd.truth_doc_type}, `{dd.document_id[:12]}`, {dd.issues} issue(s))")
        L += [f"  - {line}" for line in _diff_lines(dd)]
    if len(r.diffs) > len(shown):
        L.append(f"- … {len(r.diffs) - len(shown)} more")
    return "\n".join(L).rstrip() + "\n"
