"""Typed records passed between the pipeline's stages, and the output contract.

`DocumentResult` is the per-document contract of DOMAIN.md (schema_version "1"); its
JSON Schema is generated from this module (`intake schema`) and committed under `schema/`.
Keys of the contract never change meaning; new keys may be added.

Coordinates everywhere are pixels of the page image (native pixels for an image file, a PDF
page rendered at the recorded dpi), origin top-left, before any rotation the pipeline applied.
Pages are 1-based. Confidences are 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1"

DocType = Literal["fire_acceptance_certificate", "self_inspection_report", "unknown"]
DOC_TYPES: tuple[str, ...] = ("fire_acceptance_certificate", "self_inspection_report", "unknown")
Status = Literal["passed", "flagged", "failed"]
Severity = Literal["error", "warning", "info"]
TextOrigin = Literal["ocr", "text_layer", "docx"]
SealShape = Literal["round", "oval", "square"]
SealRole = Literal["issuing_authority", "institution_name", "sponsor"]

# The closed vocabulary of finding codes (DOMAIN.md). Downstream systems filter on these:
# extend deliberately, never rename.
FindingCode = Literal[
    "unreadable",
    "media_type_mismatch",
    "unknown_doc_type",
    "missing_field",
    "invalid_field",
    "missing_seal",
    "seal_mismatch",
    "seal_partial",
    "conclusion_not_passed",
    "late_submission",
    "missing_area",
    "hazards_outstanding",
    "low_confidence",
    "duplicate_submission",
    # Added by scan-intake (documented in README "Finding codes"):
    "institution_mismatch",  # the document names another institution than the folder it came in
]
FINDING_CODES: tuple[str, ...] = FindingCode.__args__  # type: ignore[attr-defined]

AREA_CODES: tuple[str, ...] = (
    "ideology",
    "school_conditions",
    "campus_safety",
    "internship_training",
    "food_hygiene",
    "other",
)
INSTITUTION_CATEGORIES: tuple[str, ...] = (
    "technical_school",
    "training_institution",
    "evaluation_institution",
)

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
PageNo = Annotated[int, Field(ge=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_bbox(v: list[float] | tuple[float, ...] | None) -> list[float] | None:
    if v is None:
        return None
    box = [round(float(x), 1) for x in v]
    if len(box) != 4:
        raise ValueError("bbox needs 4 numbers [x0, y0, x1, y1]")
    x0, y0, x1, y1 = box
    if x1 < x0 or y1 < y0:
        raise ValueError(f"bbox {box} has x1<x0 or y1<y0")
    return box


BBox = Annotated[list[float], Field(min_length=4, max_length=4, description="[x0, y0, x1, y1] pixels, top-left origin")]


# ---------------------------------------------------------------- stage records


class TextLine(_Frozen):
    """One line of text as read from a page, with its box in page pixels."""

    text: str
    bbox: BBox | None = None
    confidence: Confidence = 1.0
    beliefs: tuple[FrameBeliefs, ...] = Field(default=(), repr=False, description="recogniser output, kept for lines under seals")

    _v = field_validator("bbox", mode="before")(classmethod(lambda cls, v: _check_bbox(v)))


class PageText(_Frozen):
    """All text of one page. `origin` says how it was read."""

    page_no: PageNo
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    dpi: int | None = None
    rotation: int = 0
    skew: float = Field(default=0.0, description="degrees the text lines slope (counter-clockwise positive) once upright")
    origin: TextOrigin
    lines: tuple[TextLine, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


ANY_GLYPH = "\x00"  # in a label scored by `FrameBeliefs.batch_scorer`: any one glyph


class FrameBeliefs(_Frozen):
    """What the recogniser believed, frame by frame, over one line image (CTC output).

    Kept small: per frame the `k` likeliest symbols ("" is the CTC blank) with their natural-log
    probabilities, and `rest`, the log-probability of any one symbol outside them. Enough to
    score how well a given text explains the line after reading is over: a known name on a
    seal's ring (checks/lexicon.py), a date under a seal (extractors/fields.py).
    """

    symbols: tuple[tuple[str, ...], ...]
    logp: tuple[tuple[float, ...], ...]
    rest: tuple[float, ...]

    def greedy(self) -> str:
        """Best-path CTC decoding: the top symbol per frame, repeats merged, blanks removed."""
        out: list[str] = []
        prev = None
        for syms in self.symbols:
            s = syms[0]
            if s != prev and s != "":
                out.append(s)
            prev = s
        return "".join(out)

    def log_likelihood(self, label: str) -> float:
        """log P(label | line) summed over all CTC alignments (the forward algorithm)."""
        return float(self.batch_scorer()([label])[0])

    def batch_scorer(self) -> Callable[[Sequence[str]], Any]:
        """`log_likelihood` of many labels at once (a numpy array): one forward pass over the
        frames runs every label side by side, which a date (2000 spellings) needs."""
        import numpy as np

        neg = -1e9
        t_len = len(self.symbols)
        # A dense table frame x symbol over the symbols any frame kept; any other symbol takes
        # the frame's `rest`; ANY_GLYPH the frame's likeliest glyph (a glyph the ring lost).
        index: dict[str, int] = {}
        for syms in self.symbols:
            for sy in syms:
                index.setdefault(sy, len(index))
        other, anyg = len(index), len(index) + 1
        table = np.empty((t_len, len(index) + 2), dtype=np.float64)
        table[:] = np.asarray(self.rest, dtype=np.float64)[:, None] if t_len else 0.0
        for t, (syms, lps) in enumerate(zip(self.symbols, self.logp, strict=True)):
            table[t, [index[sy] for sy in syms]] = lps
            table[t, anyg] = max((lp for sy, lp in zip(syms, lps, strict=True) if sy != ""), default=neg)
        blank = index.get("", other)

        def score_many(labels: Sequence[str]) -> Any:
            if t_len == 0 or not labels:
                return np.full(len(labels), neg)
            if len(labels) > 256:  # bounded memory: frames x labels x states
                return np.concatenate([score_many(labels[i : i + 256]) for i in range(0, len(labels), 256)])
            n = 2 * max(len(lb) for lb in labels) + 1
            ids = np.full((len(labels), n), blank, dtype=np.int64)
            skip = np.zeros((len(labels), n), dtype=bool)
            ends = np.empty(len(labels), dtype=np.int64)
            for b, label in enumerate(labels):
                cols = [anyg if ch == ANY_GLYPH else index.get(ch, other) for ch in label]
                ids[b, 1 : 2 * len(label) : 2] = cols
                # skip a blank between two different symbols
                for k, ch in enumerate(label):
                    skip[b, 2 * k + 1] = k > 0 and ch != label[k - 1]
                ends[b] = 2 * len(label)
            emit = table[:, ids]  # frames x labels x states
            alpha = np.full((len(labels), n), neg)
            alpha[:, 0] = emit[0, :, 0]
            if n > 1:
                alpha[:, 1] = emit[0, :, 1]
            shifted1 = np.full_like(alpha, neg)
            shifted2 = np.full_like(alpha, neg)
            for t in range(1, t_len):
                shifted1[:, 1:] = alpha[:, :-1]
                shifted2[:, 2:] = np.where(skip[:, 2:], alpha[:, :-2], neg)
                alpha = np.logaddexp(np.logaddexp(alpha, shifted1), shifted2) + emit[t]
            rows = np.arange(len(labels))
            last = alpha[rows, ends]
            before = np.where(ends > 0, alpha[rows, np.maximum(ends - 1, 0)], neg)
            return np.logaddexp(last, before)

        return score_many


class SealFinding(_Frozen):
    """A seal found on a page (or an embedded picture), with what its ring says."""

    page_no: PageNo
    bbox: BBox
    shape: SealShape = "round"
    color: Literal["red", "grey"] = "red"
    score: Confidence = 1.0
    text: str | None = None
    text_confidence: Confidence = 0.0
    sub_text: str | None = None
    partial: bool = False
    text_read: str | None = Field(default=None, description="the recogniser's own reading, when `text` is a known name it confirmed")
    beliefs: tuple[FrameBeliefs, ...] = Field(default=(), repr=False, description="recogniser output per ring strip read")

    _v = field_validator("bbox", mode="before")(classmethod(lambda cls, v: _check_bbox(v)))


class ParsedDocument(_Frozen):
    """What the readers made of one source file: pages of text and the seals on them."""

    doc_id: str
    media_type: str
    pages: tuple[PageText, ...] = ()
    seals: tuple[SealFinding, ...] = ()
    notes: tuple[str, ...] = ()


class Classification(_Frozen):
    doc_type: DocType
    score: Confidence
    matched_rule: str | None = None


# ---------------------------------------------------------------- the contract


class Finding(_Frozen):
    """A domain finding: data for reviewers and downstream filters, never an exception."""

    code: FindingCode
    severity: Severity
    field: str | None = None
    message: str
    page: PageNo | None = None
    line: str | None = Field(default=None, description="the text line the finding is about, when there is one")


class FieldValue(_Frozen):
    value: str | int | float | list[str]
    confidence: Confidence
    page: PageNo | None = None
    bbox: BBox | None = None
    source: TextOrigin
    line: str | None = Field(default=None, description="the text line the value was read from")

    _v = field_validator("bbox", mode="before")(classmethod(lambda cls, v: _check_bbox(v)))


class SealResult(_Frozen):
    page: PageNo
    bbox: BBox
    shape: SealShape
    text: str | None
    text_confidence: Confidence
    matches: SealRole | None
    sub_text: str | None = None
    partial: bool = False
    color: Literal["red", "grey"] | None = Field(
        default=None, description="ink colour as found: red, or grey/black (a photocopied or greyscale seal, not the original ink)"
    )
    text_read: str | None = Field(
        default=None,
        description="what the recogniser read on its own, when `text` is a known organisation name that the "
        "recogniser's output confirmed despite slips (see README, how seals are judged); \"\" when it read nothing on its own; "
        "null when `text` is the reading itself",
    )
    crop_key: str | None = Field(default=None, description="object key of the seal evidence image (the crop, with the unwarped ring strip that was read beneath it)")

    _v = field_validator("bbox", mode="before")(classmethod(lambda cls, v: _check_bbox(v)))


class SourceInfo(_Frozen):
    key: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    media_type: str
    bytes: int = Field(ge=0)
    pages: int = Field(ge=0)
    institution: str | None = Field(default=None, description="submitting institution, from the batch folder")


class PageInfo(_Frozen):
    page: PageNo
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    dpi: int | None
    rotation: int = 0
    origin: TextOrigin | None = None


class DocumentResult(_Frozen):
    """The per-document result (DOMAIN.md contract, schema_version "1")."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    document_id: str = Field(pattern=r"^[0-9a-f]{64}$")
    batch_id: str
    source: SourceInfo
    pages: list[PageInfo] = Field(default_factory=list)
    status: Status
    doc_type: DocType
    doc_type_confidence: Confidence
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    seals: list[SealResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    review: dict[str, Any] | None = None
    pipeline_version: str | None = None

    @model_validator(mode="after")
    def _status_agrees_with_findings(self) -> DocumentResult:
        expected = derive_status(self.findings)
        if self.status != expected:
            raise ValueError(f"status {self.status!r} contradicts findings (expected {expected!r})")
        return self


def derive_status(findings: list[Finding] | tuple[Finding, ...]) -> Status:
    """`failed` if unreadable, `flagged` if any error/warning, else `passed` (DOMAIN.md)."""
    if any(f.code == "unreadable" for f in findings):
        return "failed"
    if any(f.severity in ("error", "warning") for f in findings):
        return "flagged"
    return "passed"


class SummaryEntry(_Frozen):
    key: str
    institution: str | None
    document_id: str | None
    status: Status
    doc_type: DocType | None = None
    result_key: str | None = None
    duplicate_of: str | None = None
    reason: str | None = None


class InstitutionSummary(_Frozen):
    name: str
    category: str | None = None
    on_roster: bool
    documents: int
    doc_types: dict[str, list[Status]] = Field(default_factory=dict)
    missing_doc_types: list[str] = Field(default_factory=list)


class BatchSummary(_Frozen):
    schema_version: Literal["1"] = SCHEMA_VERSION
    batch_id: str
    objects: list[SummaryEntry]
    counts: dict[str, int]
    institutions: list[InstitutionSummary] = Field(default_factory=list)
    not_submitted: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- reader output (in-process only)


@dataclass
class LoadedPage:
    """One page as a reader delivered it, before OCR.

    `text` is set when the page had real text (a PDF text layer, DOCX paragraphs); `image` is
    set when the page has pixels to OCR and to scan for seals (RGB uint8, H x W x 3). A page
    may have both (a text-layer PDF page is also rendered, for its seals). Never crosses a
    process or Prefect task boundary: pixels stay in the task that made them.
    """

    page_no: int
    width: int
    height: int
    dpi: int | None
    text: PageText | None = None
    image: Any = None  # numpy.ndarray | None
    pictures: list[Any] = dc_field(default_factory=list)  # embedded pictures (numpy RGB), e.g. DOCX floating seals


@dataclass
class LoadedDocument:
    """What a reader made of one file: its true media type and its pages."""

    media_type: str
    pages: list[LoadedPage]
    declared_media_type: str | None = None  # what the file name claimed, when it disagrees
    notes: list[str] = dc_field(default_factory=list)
