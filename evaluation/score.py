"""Score the pipeline's per-document results against a truth corpus.

`evaluate(truth_dir, results_dir)` reads

* ``truth_dir``: one ``<document_id>.json`` per source document, written by the corpus
  generator (``key``, ``document_id``, ``institution``, ``doc_type``, ``status``, ``fields``,
  ``seals``, ``finding_codes``, ...). Files that do not look like truth (not a JSON object with a
  string ``document_id``, e.g. ``manifest.json``) are ignored and counted as ``ignored``.
* ``results_dir``: the pipeline's ``<document_id>.json`` results (the `DocumentResult`
  contract). ``summary.json`` is skipped. A result that is not JSON, not an object or does not
  validate against `DocumentResult` is *unparseable*; a truth document without a parseable result
  is scored as all-wrong (every truth field, seal and finding code missed; doc_type and status
  wrong, predicted label ``"(none)"``). Nothing in the results can make the scorer raise.

Conventions (all metrics):

* A ratio whose denominator is zero is ``None`` (JSON ``null``, "nothing to measure"), never a
  made-up 0 or 1. ``F1 = 2TP / (2TP + FP + FN)`` (the same as the harmonic mean of P and R when
  both exist; 0 when there were truth items but no correct prediction, ``None`` only when
  TP = FP = FN = 0). A target whose measured value is ``None`` is not met.
* Fields: a predicted field is a TP when its value equals the truth value after normalisation
  (strings: NFKC, then all whitespace removed; numbers: ``|got - truth| <= 0.01`` when the truth
  is a float, exact equality when the truth is an int (``12.0`` equals ``12``, ``12.005`` does
  not); lists: as sets of normalised strings, exact set
  equality). Types must agree: a string is never equal to a number (``"12"`` vs ``12`` is wrong).
  A wrong value counts as both an FP and an FN (the usual convention). A predicted field absent
  from the truth is an FP; a truth field absent from the result is an FN. Truth fields whose
  value is ``null`` are treated as absent. Recall counts every truth document; precision counts
  only documents that have a parseable result (a missing result predicts nothing). Per-doc_type
  scores group documents by their *truth* doc_type.
* Seals: per document, candidate pairs (truth, result) on the same page with IoU >= 0.3 are
  matched greedily by descending IoU (ties: truth order, then result order). Matched = TP,
  unmatched result seals = FP, unmatched truth seals = FN. Over matched pairs whose truth seal has
  a non-empty ring text and the whole seal on the page: exact rate (after NFKC + whitespace
  removal; a result text of ``null`` reads as ``""``) and mean CER = Levenshtein(got, truth) /
  len(truth) on the normalised strings (not capped: a long wrong reading can exceed 1). A seal
  cut by the page edge (truth ``partial: true``) shows only part of its ring, and the pipeline
  reads what is there rather than guessing the rest (issue 4): it is scored apart, read right
  when the result text is at least two glyphs of the truth text, in order and unbroken
  (``partial_text_pairs`` / ``partial_text_visible``). Role accuracy is over all matched pairs:
  truth ``role`` (``null``/``"null"`` = no role) equals result ``matches``.
* Seal breakdowns (``seals.by_color``, ``seals.by_shape``): recall, ring text and role are
  grouped by the *truth* seal's ``color`` / ``shape`` (missing -> ``"unknown"``). Precision by
  shape groups result seals by their predicted ``shape``. The result contract carries no seal
  colour, so precision by colour attributes each result seal to a colour: its own ``color`` if
  a result ever carries one, else a matched seal takes its truth seal's colour and an unmatched
  one the colour of the truth seals on its page, or of the document, when they are all of one
  colour (a colourless scan has grey seals only); other false positives stay unattributed
  (``seals.unattributed_fp``) and count only in the overall precision. ``seals.targets`` holds
  the seal targets of issue 4 (not part of the headline ``targets``).
* Findings: per truth code (de-duplicated per document), found if the result has a finding with
  that code at any severity. Spurious = distinct codes per document among result findings of
  severity error/warning that are not in the truth codes (info findings are never spurious);
  ``spurious_per_20_docs`` = spurious / documents with a parseable result x 20.
  A truth never lists ``low_confidence`` (what a reader misreads is not in the document), so a
  ``low_confidence`` warning is *warranted*, not spurious, when what it asks a person to check
  was in fact read wrong: a field whose value differs from the truth or is absent though the
  truth has it; a seal finding (no field) on a page where a truth seal was missed or its ring
  read inexactly (any page when the finding has none). Warranted warnings are counted apart
  (``warranted_low_confidence``), and ``spurious_strict`` counts as if they were spurious.
"""

from __future__ import annotations

import json
import math
import unicodedata
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from checks.text import levenshtein
from records.models import DOC_TYPES, DocumentResult

REPORT_VERSION = "1"
IOU_THRESHOLD = 0.3
FLOAT_TOLERANCE = 0.01
_FLOAT_EPS = 1e-9  # so that 0.01 itself, after float arithmetic, is within tolerance
NONE_LABEL = "(none)"  # the "predicted" label of a truth document without a parseable result
STATUSES: tuple[str, ...] = ("passed", "flagged", "failed")
SUMMARY_FILE = "summary.json"
_SPURIOUS_SEVERITIES = frozenset({"error", "warning"})


def _warranted(f: Any, misread_fields: set[str], misread_pages: set[int | None]) -> bool:
    """Whether a finding is a `low_confidence` warning on something the reader got wrong: a
    field read wrong or not at all, or (no field) a seal missed or misread on its page."""
    if f.code != "low_confidence":
        return False
    if f.field is not None:
        return f.field in misread_fields
    return bool(misread_pages) if f.page is None else f.page in misread_pages

# (name, metric path in the report, threshold). All are "measured >= threshold".
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("doc_type accuracy", "doc_type.accuracy", 0.99),
    ("field micro-F1", "fields.micro.f1", 0.97),
    ("seal detection F1", "seals.detection.f1", 0.97),
    ("seal ring text exact", "seals.text_exact_rate", 0.95),
    ("status accuracy", "status.accuracy", 0.95),
    ("finding recall", "findings.recall", 0.95),
    ("accounted for", "documents.accounted_for", 1.0),
)


# The seal targets of issue 4, reported in the seal section (same form as TARGETS).
SEAL_TARGETS: tuple[tuple[str, str, float], ...] = (
    ("seal detection recall, red (colour scans)", "seals.by_color.red.recall", 0.99),
    ("seal detection recall, grey (grey/1-bit scans, photocopies)", "seals.by_color.grey.recall", 0.95),
    ("seal detection precision", "seals.detection.precision", 0.98),
    ("seal ring text exact (generated scans)", "seals.text_exact_rate", 0.95),
    ("seal role judged right", "seals.role_accuracy", 0.97),
)
UNKNOWN_GROUP = "unknown"


# ---------------------------------------------------------------- small pure helpers


def normalize_text(s: str) -> str:
    """NFKC, then every whitespace character removed."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if not ch.isspace())


def cer(got: str | None, truth: str) -> float:
    """Character error rate of `got` against `truth`, both normalised (NFKC, no whitespace).

    Raises ValueError when the normalised truth is empty (CER is undefined there).
    """
    t = normalize_text(truth)
    if not t:
        raise ValueError("CER is undefined for an empty truth text")
    return levenshtein(normalize_text(got or ""), t) / len(t)


def iou(a: list[float] | tuple[float, ...], b: list[float] | tuple[float, ...]) -> float:
    """Intersection over union of two [x0, y0, x1, y1] boxes (0.0 when the union is empty)."""
    ax0, ay0, ax1, ay1 = (float(v) for v in a)
    bx0, by0, bx1, by1 = (float(v) for v in b)
    iw = min(ax1, bx1) - max(ax0, bx0)
    ih = min(ay1, by1) - max(ay0, by0)
    inter = iw * ih if iw > 0 and ih > 0 else 0.0
    area_a = max(ax1 - ax0, 0.0) * max(ay1 - ay0, 0.0)
    area_b = max(bx1 - bx0, 0.0) * max(by1 - by0, 0.0)
    union = area_a + area_b - inter
    return inter / union if union > 0 else 0.0


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def values_equal(truth: Any, got: Any) -> bool:
    """Does a predicted field value equal the truth value? (see the module docstring)."""
    if isinstance(truth, bool) or isinstance(got, bool):
        return type(truth) is type(got) and truth == got
    if _is_number(truth):
        if not _is_number(got):
            return False
        if isinstance(truth, int):
            return got == truth  # exact (12.0 equals 12; 12.005 does not)
        if not (math.isfinite(truth) and math.isfinite(got)):
            return False
        return abs(float(got) - float(truth)) <= FLOAT_TOLERANCE + _FLOAT_EPS
    if isinstance(truth, str):
        return isinstance(got, str) and normalize_text(truth) == normalize_text(got)
    if isinstance(truth, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return False
        return {_norm_item(x) for x in truth} == {_norm_item(x) for x in got}
    return truth == got


def _norm_item(x: Any) -> str:
    return normalize_text(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False))


def _ratio(num: int | float, den: int | float) -> float | None:
    return num / den if den else None


# ---------------------------------------------------------------- report model


class PRF(BaseModel):
    """Counts and precision / recall / F1 (None when the denominator is zero)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None


def prf(tp: int, fp: int, fn: int) -> PRF:
    return PRF(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=_ratio(tp, tp + fp),
        recall=_ratio(tp, tp + fn),
        f1=_ratio(2 * tp, 2 * tp + fp + fn),
    )


class LabelScores(BaseModel):
    """Accuracy of a label over all truth documents, and its confusion matrix."""

    total: int
    correct: int
    accuracy: float | None
    labels: list[str] = Field(description="row / column order of the confusion matrix")
    confusion: dict[str, dict[str, int]] = Field(description="confusion[truth][predicted] = count")


class FieldScores(BaseModel):
    micro: PRF
    per_field: dict[str, PRF]


class FieldReport(FieldScores):
    per_doc_type: dict[str, FieldScores] = Field(description="grouped by the truth doc_type")


class Target(BaseModel):
    name: str
    metric: str
    target: float
    measured: float | None
    met: bool


class SealGroupScores(BaseModel):
    """Seal scores of one colour or shape (see the module docstring for how seals are grouped)."""

    truth: int = Field(description="truth seals of the group")
    matched: int = Field(description="... of which a result seal matched")
    recall: float | None
    predicted: int = Field(description="result seals attributed to the group")
    correct: int = Field(description="... of which matched a truth seal")
    precision: float | None
    text_pairs: int = 0
    text_exact: int = 0
    text_exact_rate: float | None = None
    mean_cer: float | None = None
    role_pairs: int = 0
    role_correct: int = 0
    role_accuracy: float | None = None


class SealScores(BaseModel):
    iou_threshold: float = IOU_THRESHOLD
    truth: int
    predicted: int
    detection: PRF
    text_pairs: int = Field(description="matched pairs whose truth seal has ring text")
    text_exact: int
    text_exact_rate: float | None
    mean_cer: float | None
    partial_text_pairs: int = Field(default=0, description="matched pairs whose truth seal is cut by the page edge")
    partial_text_visible: int = Field(default=0, description="... of which the result read a run of the ring text")
    partial_text_visible_rate: float | None = None
    role_pairs: int
    role_correct: int
    role_accuracy: float | None
    by_color: dict[str, SealGroupScores] = Field(default_factory=dict, description="by truth seal colour")
    by_shape: dict[str, SealGroupScores] = Field(default_factory=dict, description="by truth seal shape")
    unattributed_fp: int = Field(
        default=0, description="false positives of no known colour: in the overall precision only"
    )
    color_precision_from: str = Field(
        default="", description="how result seals were given a colour for precision by colour"
    )
    targets: list[Target] = Field(default_factory=list, description="issue-4 seal targets")


class CodeScores(BaseModel):
    truth: int = Field(description="documents whose truth lists this code")
    found: int = Field(description="... of which the result has the code")
    recall: float | None
    spurious: int = Field(description="documents whose result raises it (error/warning) but truth does not")


class FindingScores(BaseModel):
    documents_scored: int = Field(description="truth documents with a parseable result")
    truth_codes: int
    found: int
    recall: float | None
    spurious: int
    spurious_per_20_docs: float | None
    warranted_low_confidence: int = Field(
        default=0, description="documents whose low_confidence warnings all point at something read wrong")
    spurious_strict: int = Field(default=0, description="spurious, counting warranted low_confidence too")
    spurious_strict_per_20_docs: float | None = None
    per_code: dict[str, CodeScores]


class UnparseableFile(BaseModel):
    file: str
    document_id: str | None = Field(description="the truth document it belongs to (by file name), if any")
    error: str


class DocumentCounts(BaseModel):
    truth: int
    result_files: int = Field(description="*.json files in the results dir, summary.json excluded")
    results_found: int = Field(description="parseable result files")
    matched: int = Field(description="truth documents with a parseable result")
    missing: int = Field(description="truth documents with no result file at all")
    unparseable: int = Field(description="result files that are not valid DocumentResult JSON")
    extra: int = Field(description="parseable results whose document_id is not in the truth")
    duplicates: int = Field(description="parseable results repeating a document_id already read")
    ignored: int = Field(description="files in the truth dir that are not truth documents")
    accounted_for: float | None = Field(description="matched / truth")
    summary_json: bool = False
    missing_ids: list[str] = Field(default_factory=list)
    unparseable_files: list[UnparseableFile] = Field(default_factory=list)
    extra_ids: list[str] = Field(default_factory=list)
    ignored_files: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ValueDiff(BaseModel):
    truth: Any = None
    got: Any = None


class FieldDiff(BaseModel):
    field: str
    kind: Literal["wrong", "missing", "extra"]
    truth: Any = None
    got: Any = None


class SealDiff(BaseModel):
    kind: Literal["missed", "spurious", "text", "role"]
    page: int | None = None
    bbox: list[float] | None = None
    truth: Any = None
    got: Any = None
    iou: float | None = None


class DocDiff(BaseModel):
    document_id: str
    key: str
    institution: str | None = None
    truth_doc_type: str | None = None
    result: Literal["ok", "missing", "unparseable"]
    error: str | None = None
    issues: int = Field(description="number of differences (sort key, worst first)")
    doc_type: ValueDiff | None = None
    status: ValueDiff | None = None
    fields: list[FieldDiff] = Field(default_factory=list)
    missed_findings: list[str] = Field(default_factory=list)
    spurious_findings: list[str] = Field(default_factory=list)
    seals: list[SealDiff] = Field(default_factory=list)


class EvalReport(BaseModel):
    report_version: str = REPORT_VERSION
    truth_dir: str
    results_dir: str
    documents: DocumentCounts
    doc_type: LabelScores
    status: LabelScores
    fields: FieldReport
    seals: SealScores
    findings: FindingScores
    targets: list[Target]
    diffs: list[DocDiff]

    @property
    def all_targets_met(self) -> bool:
        return all(t.met for t in self.targets)


# ---------------------------------------------------------------- loading


class _TruthSeal:
    __slots__ = ("page", "bbox", "text", "role", "shape", "shape_group", "color", "partial")

    def __init__(self, raw: Any) -> None:
        raw = raw if isinstance(raw, dict) else {}
        page = raw.get("page", 1)
        self.page = page if isinstance(page, int) and not isinstance(page, bool) else 1
        self.bbox = _as_bbox(raw.get("bbox"))
        text = raw.get("text")
        self.text = text if isinstance(text, str) and normalize_text(text) else None
        role = raw.get("role")
        self.role = role if isinstance(role, str) and role not in ("", "null", "none") else None
        shape, color = raw.get("shape"), raw.get("color")
        self.shape = shape
        self.shape_group = shape if isinstance(shape, str) and shape else UNKNOWN_GROUP
        self.color = color if isinstance(color, str) and color else UNKNOWN_GROUP
        self.partial = raw.get("partial") is True


class _Truth:
    def __init__(self, raw: dict[str, Any], file: str) -> None:
        self.file = file
        self.document_id: str = raw["document_id"]
        key = raw.get("key")
        self.key = key if isinstance(key, str) and key else self.document_id
        inst = raw.get("institution")
        self.institution = inst if isinstance(inst, str) else None
        self.doc_type = _label(raw.get("doc_type"))
        self.status = _label(raw.get("status"))
        fields = raw.get("fields")
        self.fields: dict[str, Any] = (
            {str(k): v for k, v in fields.items() if v is not None} if isinstance(fields, dict) else {}
        )
        seals = raw.get("seals")
        self.seals = [_TruthSeal(s) for s in seals] if isinstance(seals, list) else []
        codes = raw.get("finding_codes")
        self.codes: list[str] = (
            sorted({c for c in codes if isinstance(c, str)}) if isinstance(codes, list) else []
        )


def _label(v: Any) -> str:
    return v if isinstance(v, str) and v else "(missing)"


def _as_bbox(v: Any) -> list[float] | None:
    if not isinstance(v, (list, tuple)) or len(v) != 4 or not all(_is_number(x) for x in v):
        return None
    box = [float(x) for x in v]
    return box if all(math.isfinite(x) for x in box) else None


def _read_json(path: Path) -> Any:
    """Parse a JSON file; raises ValueError (with a short reason) on anything wrong."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ValueError(f"unreadable file: {e.strerror or e}") from None
    if not data.strip():
        raise ValueError("empty file")
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("not JSON: nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"not JSON: {str(e)[:120]}") from None
    except Exception as e:  # noqa: BLE001 - garbage in must never crash the scorer
        raise ValueError(f"not JSON: {type(e).__name__}") from None


def _load_truth(truth_dir: Path) -> tuple[dict[str, _Truth], list[str], list[str]]:
    truths: dict[str, _Truth] = {}
    ignored: list[str] = []
    notes: list[str] = []
    for path in sorted(p for p in truth_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() != ".json":
            ignored.append(path.name)
            continue
        try:
            raw = _read_json(path)
        except ValueError:
            ignored.append(path.name)
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("document_id"), str) or not raw["document_id"]:
            ignored.append(path.name)
            continue
        doc_id = raw["document_id"]
        if doc_id in truths:
            ignored.append(path.name)
            first = truths[doc_id].file
            notes.append(f"truth {path.name}: duplicate document_id {doc_id[:12]}… (also in {first})")
            continue
        truths[doc_id] = _Truth(raw, path.name)
    return truths, ignored, notes


def _validation_summary(e: ValidationError) -> str:
    errs = e.errors()
    first = errs[0] if errs else {}
    loc = ".".join(str(x) for x in first.get("loc", ())) or "(root)"
    msg = str(first.get("msg", ""))[:120]
    return f"schema: {len(errs)} error(s); first at {loc}: {msg}"


def _load_results(
    results_dir: Path, truths: dict[str, _Truth], counts: DocumentCounts
) -> tuple[dict[str, DocumentResult], dict[str, str]]:
    """Parse every result; fills `counts`. Returns (results by document_id, unparseable by truth id)."""
    results: dict[str, DocumentResult] = {}
    unparseable_for: dict[str, str] = {}
    files = sorted(
        p
        for p in results_dir.iterdir()
        if p.is_file() and p.suffix.lower() == ".json" and not p.name.startswith(".")
    )
    for path in files:
        if path.name == SUMMARY_FILE:
            counts.summary_json = True
            continue
        counts.result_files += 1
        stem = path.stem
        try:
            raw = _read_json(path)
            try:
                result = DocumentResult.model_validate(raw)
            except ValidationError as e:
                raise ValueError(_validation_summary(e)) from None
            except Exception as e:  # noqa: BLE001 - e.g. a validator tripping over odd input
                raise ValueError(f"schema: {type(e).__name__}: {str(e)[:120]}") from None
        except ValueError as e:
            owner = stem if stem in truths else None
            counts.unparseable_files.append(UnparseableFile(file=path.name, document_id=owner, error=str(e)))
            if owner is not None and owner not in unparseable_for:
                unparseable_for[owner] = str(e)
            continue
        counts.results_found += 1
        doc_id = result.document_id
        if doc_id != stem:
            counts.notes.append(f"result {path.name} holds document_id {doc_id[:12]}…; scored by its content")
        if doc_id in results:
            counts.duplicates += 1
            counts.notes.append(f"result {path.name}: duplicate document_id {doc_id[:12]}…, ignored")
            continue
        results[doc_id] = result
    counts.unparseable = len(counts.unparseable_files)
    return results, unparseable_for


# ---------------------------------------------------------------- scoring


class _Counter:
    """TP/FP/FN accumulators keyed by field, overall and per truth doc_type."""

    def __init__(self) -> None:
        self.total = [0, 0, 0]
        self.by_field: dict[str, list[int]] = {}
        self.by_type: dict[str, tuple[list[int], dict[str, list[int]]]] = {}

    def add(self, doc_type: str, field: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        t_total, t_fields = self.by_type.setdefault(doc_type, ([0, 0, 0], {}))
        by_field = self.by_field.setdefault(field, [0, 0, 0])
        for acc in (self.total, by_field, t_total, t_fields.setdefault(field, [0, 0, 0])):
            acc[0] += tp
            acc[1] += fp
            acc[2] += fn

    def touch(self, doc_type: str) -> None:
        self.by_type.setdefault(doc_type, ([0, 0, 0], {}))

    def report(self) -> FieldReport:
        def scores(total: list[int], fields: dict[str, list[int]]) -> FieldScores:
            return FieldScores(micro=prf(*total), per_field={k: prf(*fields[k]) for k in sorted(fields)})

        overall = scores(self.total, self.by_field)
        return FieldReport(
            micro=overall.micro,
            per_field=overall.per_field,
            per_doc_type={t: scores(*self.by_type[t]) for t in sorted(self.by_type)},
        )


def _confusion(pairs: list[tuple[str, str]], base_labels: tuple[str, ...]) -> LabelScores:
    labels = list(base_labels)
    for t, p in pairs:
        for lab in (t, p):
            if lab not in labels and lab != NONE_LABEL:
                labels.append(lab)
    labels.append(NONE_LABEL)
    matrix = {t: {p: 0 for p in labels} for t in labels}
    for t, p in pairs:
        matrix[t][p] += 1
    correct = sum(1 for t, p in pairs if t == p)
    return LabelScores(
        total=len(pairs),
        correct=correct,
        accuracy=_ratio(correct, len(pairs)),
        labels=labels,
        confusion=matrix,
    )


def _match_seals(truth: list[_TruthSeal], got: list[Any]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching (same page, IoU >= threshold) by descending IoU plus text
    agreement (1 - CER, when the truth has text).

    Boxes alone cannot pair seals that lie on top of each other: two stamps overlapping on a
    page, and above all the seals of a Word file, each a picture of its own whose box is in the
    picture's coordinates (both near the origin). The text tells those apart; for seals apart
    on a page only one pairing passes the IoU threshold anyway."""
    cands: list[tuple[float, float, int, int]] = []
    for i, t in enumerate(truth):
        if t.bbox is None:
            continue
        for j, g in enumerate(got):
            if g.page != t.page:
                continue
            v = iou(t.bbox, g.bbox)
            if v >= IOU_THRESHOLD:
                agree = 1.0 - min(1.0, cer(getattr(g, "text", None), t.text)) if t.text is not None else 0.0
                cands.append((v + agree, v, i, j))
    cands.sort(key=lambda c: (-c[0], c[2], c[3]))
    used_t: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for _, v, i, j in cands:
        if i in used_t or j in used_g:
            continue
        used_t.add(i)
        used_g.add(j)
        pairs.append((i, j, v))
    return pairs


def evaluate(truth_dir: Path, results_dir: Path) -> EvalReport:
    """Score the results in `results_dir` against the truth in `truth_dir`.

    Raises FileNotFoundError when either directory does not exist (a usage error); nothing
    inside the results directory can make it raise.
    """
    truth_dir = Path(truth_dir)
    results_dir = Path(results_dir)
    for d, what in ((truth_dir, "truth"), (results_dir, "results")):
        if not d.is_dir():
            raise FileNotFoundError(f"{what} directory not found: {d}")

    truths, ignored, truth_notes = _load_truth(truth_dir)
    counts = DocumentCounts(
        truth=len(truths),
        result_files=0,
        results_found=0,
        matched=0,
        missing=0,
        unparseable=0,
        extra=0,
        duplicates=0,
        ignored=len(ignored),
        accounted_for=None,
        ignored_files=ignored,
        notes=list(truth_notes),
    )
    results, unparseable_for = _load_results(results_dir, truths, counts)
    counts.extra_ids = sorted(d for d in results if d not in truths)
    counts.extra = len(counts.extra_ids)

    doc_type_pairs: list[tuple[str, str]] = []
    status_pairs: list[tuple[str, str]] = []
    fields = _Counter()
    seal_tp = seal_fp = seal_fn = 0
    by_color, by_shape = _SealGroups(), _SealGroups()
    unattributed_fp = 0
    uncoloured = 0  # result seals that carry no colour of their own
    text_pairs = text_exact = role_pairs = role_correct = 0
    partial_pairs = partial_visible = 0
    cer_sum = 0.0
    code_truth: dict[str, int] = {}
    code_found: dict[str, int] = {}
    code_spurious: dict[str, int] = {}
    n_warranted = 0
    diffs: list[DocDiff] = []

    for doc_id in sorted(truths, key=lambda d: (truths[d].key, d)):
        t = truths[doc_id]
        r = results.get(doc_id)
        fields.touch(t.doc_type)
        for c in t.codes:
            code_truth[c] = code_truth.get(c, 0) + 1

        if r is None:
            # all-wrong: nothing predicted, every truth item missed
            state: Literal["missing", "unparseable"] = (
                "unparseable" if doc_id in unparseable_for else "missing"
            )
            if state == "missing":
                counts.missing_ids.append(doc_id)
            doc_type_pairs.append((t.doc_type, NONE_LABEL))
            status_pairs.append((t.status, NONE_LABEL))
            for k in t.fields:
                fields.add(t.doc_type, k, fn=1)
            seal_fn += len(t.seals)
            for s in t.seals:
                by_color.truth(s.color, matched=False)
                by_shape.truth(s.shape_group, matched=False)
            diffs.append(
                DocDiff(
                    document_id=doc_id,
                    key=t.key,
                    institution=t.institution,
                    truth_doc_type=t.doc_type,
                    result=state,
                    error=unparseable_for.get(doc_id),
                    issues=2 + len(t.fields) + len(t.seals) + len(t.codes),
                )
            )
            continue

        counts.matched += 1
        diff = DocDiff(
            document_id=doc_id,
            key=t.key,
            institution=t.institution,
            truth_doc_type=t.doc_type,
            result="ok",
            issues=0,
        )

        # doc_type / status
        doc_type_pairs.append((t.doc_type, r.doc_type))
        status_pairs.append((t.status, r.status))
        if r.doc_type != t.doc_type:
            diff.doc_type = ValueDiff(truth=t.doc_type, got=r.doc_type)
        if r.status != t.status:
            diff.status = ValueDiff(truth=t.status, got=r.status)

        # fields
        for k in sorted(set(t.fields) | set(r.fields)):
            in_t, in_r = k in t.fields, k in r.fields
            if in_t and in_r:
                got = r.fields[k].value
                if values_equal(t.fields[k], got):
                    fields.add(t.doc_type, k, tp=1)
                else:
                    fields.add(t.doc_type, k, fp=1, fn=1)
                    diff.fields.append(FieldDiff(field=k, kind="wrong", truth=t.fields[k], got=got))
            elif in_t:
                fields.add(t.doc_type, k, fn=1)
                diff.fields.append(FieldDiff(field=k, kind="missing", truth=t.fields[k]))
            else:
                fields.add(t.doc_type, k, fp=1)
                diff.fields.append(FieldDiff(field=k, kind="extra", got=r.fields[k].value))

        # seals
        pairs = _match_seals(t.seals, r.seals)
        matched_t = {i for i, _, _ in pairs}
        matched_g = {j for _, j, _ in pairs}
        seal_tp += len(pairs)
        seal_fn += len(t.seals) - len(matched_t)
        seal_fp += len(r.seals) - len(matched_g)
        truth_of = {j: i for i, j, _ in pairs}
        for i, s in enumerate(t.seals):
            by_color.truth(s.color, matched=i in matched_t)
            by_shape.truth(s.shape_group, matched=i in matched_t)
        for j, g in enumerate(r.seals):
            by_shape.predicted(g.shape, correct=j in matched_g)
            uncoloured += not getattr(g, "color", None)
            colour = _result_seal_colour(g, t.seals, truth_of.get(j))
            if colour is None:
                unattributed_fp += 1
            else:
                by_color.predicted(colour, correct=j in matched_g)
        for i, s in enumerate(t.seals):
            if i not in matched_t:
                diff.seals.append(SealDiff(kind="missed", page=s.page, bbox=s.bbox, truth=s.text))
        for j, g in enumerate(r.seals):
            if j not in matched_g:
                diff.seals.append(SealDiff(kind="spurious", page=g.page, bbox=list(g.bbox), got=g.text))
        for i, j, v in sorted(pairs):
            s, g = t.seals[i], r.seals[j]
            if s.text is not None:
                if s.partial:
                    partial_pairs += 1
                    read_right = _visible_part(g.text, s.text)
                    partial_visible += read_right
                else:
                    text_pairs += 1
                    c = cer(g.text, s.text)
                    cer_sum += c
                    by_color.text(s.color, c)
                    by_shape.text(s.shape_group, c)
                    read_right = c == 0.0
                    text_exact += read_right
                if not read_right:
                    diff.seals.append(
                        SealDiff(kind="text", page=s.page, bbox=s.bbox, truth=s.text, got=g.text, iou=round(v, 4))
                    )
            role_pairs += 1
            by_color.role(s.color, g.matches == s.role)
            by_shape.role(s.shape_group, g.matches == s.role)
            if g.matches == s.role:
                role_correct += 1
            else:
                diff.seals.append(
                    SealDiff(
                        kind="role", page=s.page, bbox=s.bbox, truth=s.role, got=g.matches, iou=round(v, 4)
                    )
                )

        # findings
        got_codes = {f.code for f in r.findings}
        misread_fields = {d.field for d in diff.fields if d.kind in ("wrong", "missing")}
        misread_pages = {d.page for d in diff.seals if d.kind in ("missed", "text")}
        alarm_codes = {f.code for f in r.findings if f.severity in _SPURIOUS_SEVERITIES
                       and not _warranted(f, misread_fields, misread_pages)}
        if "low_confidence" not in t.codes and "low_confidence" not in alarm_codes and any(
                f.code == "low_confidence" and f.severity in _SPURIOUS_SEVERITIES for f in r.findings):
            n_warranted += 1
        for c in t.codes:
            if c in got_codes:
                code_found[c] = code_found.get(c, 0) + 1
            else:
                diff.missed_findings.append(c)
        for c in sorted(alarm_codes - set(t.codes)):
            code_spurious[c] = code_spurious.get(c, 0) + 1
            diff.spurious_findings.append(c)

        diff.issues = (
            (diff.doc_type is not None)
            + (diff.status is not None)
            + len(diff.fields)
            + len(diff.seals)
            + len(diff.missed_findings)
            + len(diff.spurious_findings)
        )
        if diff.issues:
            diffs.append(diff)

    counts.accounted_for = _ratio(counts.matched, counts.truth)
    counts.missing = len(counts.missing_ids)

    seals = SealScores(
        truth=seal_tp + seal_fn,
        predicted=seal_tp + seal_fp,
        detection=prf(seal_tp, seal_fp, seal_fn),
        text_pairs=text_pairs,
        text_exact=text_exact,
        text_exact_rate=_ratio(text_exact, text_pairs),
        mean_cer=_ratio(cer_sum, text_pairs),
        partial_text_pairs=partial_pairs,
        partial_text_visible=partial_visible,
        partial_text_visible_rate=_ratio(partial_visible, partial_pairs),
        role_pairs=role_pairs,
        role_correct=role_correct,
        role_accuracy=_ratio(role_correct, role_pairs),
        by_color=by_color.report(),
        by_shape=by_shape.report(),
        unattributed_fp=unattributed_fp,
        color_precision_from=(
            "the colour each result seal carries (seals[].color)"
            if not uncoloured
            else "result seals without a colour: a matched seal counts as its truth seal's colour, a false "
            "positive as the colour of the truth seals on its page (else of its document) when they are "
            "all one colour; other false positives count in the overall precision only"
        ),
    )
    n_truth_codes = sum(code_truth.values())
    n_found = sum(code_found.values())
    n_spurious = sum(code_spurious.values())
    n_strict = n_spurious + n_warranted
    findings = FindingScores(
        documents_scored=counts.matched,
        truth_codes=n_truth_codes,
        found=n_found,
        recall=_ratio(n_found, n_truth_codes),
        spurious=n_spurious,
        spurious_per_20_docs=_ratio(20 * n_spurious, counts.matched),
        warranted_low_confidence=n_warranted,
        spurious_strict=n_strict,
        spurious_strict_per_20_docs=_ratio(20 * n_strict, counts.matched),
        per_code={
            c: CodeScores(
                truth=code_truth.get(c, 0),
                found=code_found.get(c, 0),
                recall=_ratio(code_found.get(c, 0), code_truth.get(c, 0)),
                spurious=code_spurious.get(c, 0),
            )
            for c in sorted(set(code_truth) | set(code_spurious))
        },
    )

    _rank = {"missing": 0, "unparseable": 0, "ok": 1}
    diffs.sort(key=lambda d: (_rank[d.result], -d.issues, d.key, d.document_id))

    report = EvalReport(
        truth_dir=str(truth_dir),
        results_dir=str(results_dir),
        documents=counts,
        doc_type=_confusion(doc_type_pairs, DOC_TYPES),
        status=_confusion(status_pairs, STATUSES),
        fields=fields.report(),
        seals=seals,
        findings=findings,
        targets=[],
        diffs=diffs,
    )
    for name, metric, thr in TARGETS:
        m = _metric(report, metric)
        met = m is not None and m >= thr
        report.targets.append(Target(name=name, metric=metric, target=thr, measured=m, met=met))
    for name, metric, thr in SEAL_TARGETS:
        m = _metric(report, metric)
        report.seals.targets.append(
            Target(name=name, metric=metric, target=thr, measured=m, met=m is not None and m >= thr)
        )
    return report


def _metric(report: EvalReport, path: str) -> float | None:
    """The value at a dotted path (attributes, or keys of dicts); None when a key is absent."""
    obj: Any = report
    for part in path.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part)
        if obj is None:
            return None
    return obj


def _visible_part(got: str | None, truth: str) -> bool:
    """`got` is a run of at least two glyphs of `truth` (normalised): what a seal cut by the
    page edge shows of its ring, read right."""
    g = normalize_text(got or "")
    return len(g) >= 2 and g in normalize_text(truth)


class _SealGroups:
    """Seal counts per group (a colour or a shape), for `SealGroupScores`."""

    _KEYS = (
        "truth",
        "matched",
        "predicted",
        "correct",
        "text_pairs",
        "text_exact",
        "role_pairs",
        "role_correct",
    )

    def __init__(self) -> None:
        self.n: dict[str, dict[str, int]] = {}
        self.cer_sum: dict[str, float] = {}

    def _g(self, group: str) -> dict[str, int]:
        return self.n.setdefault(group, dict.fromkeys(self._KEYS, 0))

    def truth(self, group: str, *, matched: bool) -> None:
        g = self._g(group)
        g["truth"] += 1
        g["matched"] += matched

    def predicted(self, group: str, *, correct: bool) -> None:
        g = self._g(group)
        g["predicted"] += 1
        g["correct"] += correct

    def text(self, group: str, c: float) -> None:
        g = self._g(group)
        g["text_pairs"] += 1
        g["text_exact"] += c == 0.0
        self.cer_sum[group] = self.cer_sum.get(group, 0.0) + c

    def role(self, group: str, ok: bool) -> None:
        g = self._g(group)
        g["role_pairs"] += 1
        g["role_correct"] += ok

    def report(self) -> dict[str, SealGroupScores]:
        out: dict[str, SealGroupScores] = {}
        for name in sorted(self.n):
            g = self.n[name]
            out[name] = SealGroupScores(
                **g,
                recall=_ratio(g["matched"], g["truth"]),
                precision=_ratio(g["correct"], g["predicted"]),
                text_exact_rate=_ratio(g["text_exact"], g["text_pairs"]),
                mean_cer=_ratio(self.cer_sum.get(name, 0.0), g["text_pairs"]),
                role_accuracy=_ratio(g["role_correct"], g["role_pairs"]),
            )
        return out


def _result_seal_colour(got: Any, truth: list[_TruthSeal], matched: int | None) -> str | None:
    """The colour a result seal is counted under for precision by colour (None: unattributed).

    Its own ``color`` when the result carries one; else its truth seal's when matched; else the
    one colour of the truth seals on its page, or of the whole document.
    """
    own = getattr(got, "color", None)
    if isinstance(own, str) and own:
        return own
    if matched is not None:
        return truth[matched].color
    for pool in ([s for s in truth if s.page == got.page], truth):
        colours = {s.color for s in pool}
        if len(colours) == 1:
            return colours.pop()
    return None
