"""One document through the pipeline, without Prefect or storage: read, OCR, seals, classify,
extract, check, assemble the contract's `DocumentResult`.

`intake inspect` calls this directly; the Prefect flow (flows/batch.py) wraps the same two
steps (`DocumentPipeline.read_document`, in a worker process, and `analyse`) in tasks.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from checks.fields import check_fields, plausible_dates
from checks.lexicon import confirm_seals
from checks.seals import check_seals, judge_seal
from classifiers.doc_type import classify_document
from extractors.fields import extract_fields, illegible_fields
from extractors.load import ReadOptions, load_document
from extractors.ocr import QUARTER_TURNS, OcrOptions, PaddleOcrEngine, page_from_upright, turn_box_back, upright_page
from extractors.seals import SealCrop, SealOptions, SealReader
from records.errors import InputError, IntakeError, LimitExceeded
from records.models import (
    DocumentResult,
    Finding,
    PageInfo,
    PageText,
    SealFinding,
    SealResult,
    SourceInfo,
    derive_status,
)
from records.roster import RosterEntry
from records.rules import RuleSet

log = logging.getLogger(__name__)

PIPELINE_VERSION = "0.1.0"
# An embedded DOCX picture at least this long on its longer side is a scanned page to OCR.
_PAGE_PICTURE_MIN_SIDE = 800
TURN_WITNESS_LINES = 3  # a page read with this many lines tells how the document's pages lie


class PipelineOptions(BaseModel):
    """Options of every stage, built by flows/settings.py or the CLI."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    read: ReadOptions = Field(default_factory=ReadOptions)
    ocr: OcrOptions = Field(default_factory=OcrOptions)
    seals: SealOptions = Field(default_factory=SealOptions)


@dataclass(frozen=True)
class DocumentContext:
    """Who submitted a document and in which batch."""

    batch_id: str
    key: str  # the source object's key, e.g. inbox/<batch>/<institution>/<file>
    institution: str | None = None
    roster_entry: RosterEntry | None = None
    # Every body the roster names (institutions and sponsors): a seal may be another's by mistake.
    roster_bodies: tuple[str, ...] = ()


def roster_bodies(roster: Iterable[RosterEntry]) -> tuple[str, ...]:
    """The organisation names a roster gives, institutions and sponsors, once each."""
    return tuple(dict.fromkeys(n for e in roster for n in (e.name, e.sponsor) if n))


@dataclass
class ReadOutcome:
    """What reading a file produced: text pages, page geometry, seals and their evidence crops."""

    media_type: str
    declared_media_type: str | None
    pages: list[PageText]
    page_infos: list[PageInfo]
    seals: list[SealFinding]
    seal_crops: list[bytes] = field(default_factory=list)  # PNG per seal, same order
    failure: str | None = None  # set when the file could not be read at all


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _png(image: np.ndarray) -> bytes:
    import cv2

    ok, buf = cv2.imencode(".png", np.ascontiguousarray(image[:, :, ::-1]) if image.ndim == 3 else image)
    return bytes(buf) if ok else b""


def _evidence(sc: SealCrop) -> bytes:
    """The seal's crop as a reviewer sees it, with the unwarped ring strip that was read beneath."""
    crop = sc.crop if sc.crop.ndim == 3 else np.repeat(sc.crop[:, :, None], 3, axis=2)
    if sc.strip is None or sc.strip.size == 0 or crop.size == 0:
        return _png(crop)
    import cv2

    strip = sc.strip if sc.strip.ndim == 3 else np.repeat(sc.strip[:, :, None], 3, axis=2)
    w = crop.shape[1]
    h = max(1, round(strip.shape[0] * w / max(1, strip.shape[1])))
    strip = cv2.resize(strip.astype(np.uint8), (w, h), interpolation=cv2.INTER_AREA)
    gap = np.full((6, w, 3), 255, dtype=np.uint8)
    return _png(np.vstack([crop.astype(np.uint8), gap, strip]))


class DocumentPipeline:
    """Holds the loaded models (once per process) and runs documents through them."""

    def __init__(self, options: PipelineOptions, rules: RuleSet) -> None:
        self.options = options
        self.rules = rules
        self.ocr = PaddleOcrEngine(options.ocr)
        self.seal_reader = SealReader(options.seals, self.ocr)

    # ------------------------------------------------------------------ reading
    def _print_elsewhere(self, pages: list[tuple[np.ndarray, PageText]]) -> tuple[float | None, float | None]:
        """(tone, glyph height) of the print on the document's pages read before, the latest
        that shows each: the same scan's print, for a page with too little of its own."""
        tone = glyph = None
        for image, page in reversed(pages):
            t, g = self.ocr.print_reference(image, page)
            tone, glyph = (tone if tone is not None else t), (glyph if glyph is not None else g)
            if tone is not None and glyph is not None:
                break
        return tone, glyph

    def read_document(self, path: Path, *, declared_name: str) -> ReadOutcome:
        """Read a file: text layer or OCR per page, seals on every page and picture.

        An unreadable file gives a ReadOutcome with `failure` set (never an exception for
        bad input); infrastructure problems (missing models) still raise.
        """
        try:
            loaded = load_document(path, declared_name=declared_name, options=self.options.read)
        except LimitExceeded as e:
            return ReadOutcome("application/octet-stream", None, [], [], [], failure=f"超出限制（{e.limit}）：{e}")
        except InputError as e:
            return ReadOutcome("application/octet-stream", None, [], [], [], failure=str(e))
        pages: list[PageText] = []
        infos: list[PageInfo] = []
        seals: list[SealFinding] = []
        crops: list[bytes] = []
        extra_pages: list[Any] = []
        read_before: list[tuple[np.ndarray, PageText]] = []  # pages read by OCR, upright
        turned_as: int | None = None  # how the last page with print enough to tell lay
        for lp in loaded.pages:
            rotation = 0
            if lp.text is not None:
                text = lp.text
            elif lp.image is not None:
                text = self.ocr.read_page(lp.image, page_no=lp.page_no, dpi=lp.dpi, turned_as=turned_as)
                rotation = text.rotation
                if len(text.lines) >= TURN_WITNESS_LINES:
                    turned_as = rotation
            else:
                text = PageText(page_no=lp.page_no, width=lp.width, height=lp.height, dpi=lp.dpi, origin="ocr")
            if lp.image is not None:
                # A page read turned (a scan fed sideways, a phone photo) has its seals and the
                # text under them handled upright, as on any other page; boxes go back after.
                k = QUARTER_TURNS.get(rotation, 0)
                image, read = (np.ascontiguousarray(np.rot90(lp.image, k)), upright_page(text, k)) if k else (lp.image, text)
                found = self.seal_reader.find_seals(image, page_no=lp.page_no, dpi=lp.dpi)
                for sc in found:
                    bbox = turn_box_back(sc.finding.bbox, k, lp.image.shape[1], lp.image.shape[0]) if k else sc.finding.bbox
                    seals.append(sc.finding.model_copy(update={"bbox": bbox}))
                    crops.append(_evidence(sc))
                if read.origin == "ocr":
                    read = self.ocr.reread_under_seals(image, read, [sc.finding for sc in found],
                                                       elsewhere=lambda: self._print_elsewhere(read_before))
                    read = self.ocr.read_gaps(image, read, [sc.finding.bbox for sc in found])
                    read = self.ocr.keep_beliefs_under_seals(image, read, [sc.finding.bbox for sc in found])
                    read_before.append((image, read))
                text = page_from_upright(read, k, text) if k else read
            pages.append(text)
            infos.append(PageInfo(page=lp.page_no, width=lp.width, height=lp.height, dpi=lp.dpi, rotation=rotation, origin=text.origin))
            for pic in lp.pictures:
                if max(pic.shape[:2]) >= _PAGE_PICTURE_MIN_SIDE:
                    extra_pages.append(pic)
                else:
                    for sc in self.seal_reader.find_seals(pic, page_no=lp.page_no, dpi=None):
                        seals.append(sc.finding)
                        crops.append(_evidence(sc))
        # Scanned pages pasted into a Word file are read as pages after the body.
        for pic in extra_pages:
            page_no = len(pages) + 1
            h, w = pic.shape[:2]
            text = self.ocr.read_page(pic, page_no=page_no, dpi=None)
            pages.append(text)
            infos.append(PageInfo(page=page_no, width=w, height=h, dpi=None, rotation=text.rotation, origin="ocr"))
            for sc in self.seal_reader.find_seals(pic, page_no=page_no, dpi=None):
                seals.append(sc.finding)
                crops.append(_evidence(sc))
        return ReadOutcome(loaded.media_type, loaded.declared_media_type, pages, infos, seals, crops)


def analyse(
    outcome: ReadOutcome,
    ctx: DocumentContext,
    rules: RuleSet,
    *,
    document_id: str,
    size: int,
    crop_keys: list[str] | None = None,
) -> DocumentResult:
    """The pure part: classification, fields, checks and the DocumentResult."""
    campaign = rules.campaign
    source = SourceInfo(key=ctx.key, sha256=document_id, media_type=outcome.media_type, bytes=size,
                        pages=len(outcome.page_infos), institution=ctx.institution)
    findings: list[Finding] = []
    if outcome.declared_media_type and outcome.declared_media_type != outcome.media_type:
        findings.append(Finding(code="media_type_mismatch", severity=campaign.severity_of("media_type_mismatch"),
                                message=f"文件名表明为 {outcome.declared_media_type}，实际内容为 {outcome.media_type}"))
    if outcome.failure is not None:
        findings.append(Finding(code="unreadable", severity="error", message=f"无法读取文件：{outcome.failure}"))
        return DocumentResult(document_id=document_id, batch_id=ctx.batch_id, source=source, pages=outcome.page_infos,
                              status="failed", doc_type="unknown", doc_type_confidence=0.0, findings=findings,
                              pipeline_version=PIPELINE_VERSION)
    text = "\n".join(p.text for p in outcome.pages)
    cls = classify_document(text, rules.doctypes)
    # copies are certified for the campaign: a copy annotation is dated no earlier than the
    # year before its first deadline
    deadlines = [ct.deadline.year for ct in campaign.doc_types.values() if ct.deadline is not None]
    copies_from = min(deadlines) - 1 if deadlines else None
    ctype = campaign.doc_types.get(cls.doc_type)
    fields = (extract_fields(outcome.pages, rules.doctypes[cls.doc_type], places=rules.places, copies_from=copies_from,
                             dated_from=ctype.not_before if ctype is not None else None,
                             dated_to=ctype.not_after if ctype is not None else None)
              if cls.doc_type in rules.doctypes else {})
    fields = plausible_dates(cls.doc_type, fields, campaign)
    if cls.doc_type == "unknown":
        what = "空白页或无可识别文字" if not text.strip() else "不是消防验收合格证明或自查报告"
        findings.append(Finding(code="unknown_doc_type", severity=campaign.severity_of("unknown_doc_type"),
                                message=f"无法识别文件类型（{what}），请人工确认"))
    # The roster's other bodies: for the institution's name the sponsor is one of them, for seals not.
    not_this_school = [n for n in ctx.roster_bodies if ctx.roster_entry is None or n != ctx.roster_entry.name]
    others = _other_bodies(ctx)
    # a date printed yet illegible (under a seal, its remnants read): a person reads it, it is not missing
    illegible = (illegible_fields(outcome.pages, rules.doctypes[cls.doc_type], fields,
                                  [(s.page_no, s.sub_text or "") for s in outcome.seals],
                                  [(s.page_no, s.bbox) for s in outcome.seals],
                                  [(s.page_no, s.text or "") for s in outcome.seals],
                                  ctype.not_after if ctype is not None else None)
                 if cls.doc_type in rules.doctypes else {})
    findings.extend(check_fields(cls.doc_type, fields, campaign, institution=ctx.institution, others=not_this_school,
                                 illegible=illegible))

    # Seals: who should have stamped this document, and did they?
    # Ring text slips where body text crosses a glyph: ask the recogniser whether one of the
    # names this document may be stamped with explains the ring (checks/lexicon.py).
    expected = _expected_seal_names(cls.doc_type, fields, ctx)
    own_sup, other_sup = _supervisors(rules, ctx)
    known = _known_names(expected, fields, ctx)
    found = confirm_seals(list(outcome.seals), [*known, *own_sup],
                          [*others, *(n for n in other_sup if n not in own_sup and n not in known)])
    roles: list[str | None] = [None] * len(found)
    if cls.doc_type in rules.doctypes:
        required = list(ctype.required_seals) if ctype and ctype.required_seals is not None else list(rules.doctypes[cls.doc_type].seals.required)
        roles, seal_findings = check_seals(found, required_roles=required, expected=expected, others=others,
                                           places=rules.places.place_names() if rules.places else frozenset())
        findings.extend(f.model_copy(update={"severity": campaign.severity_of(f.code)}) for f in seal_findings)
    else:
        # Not a submission (a licence, a notice): no seal is required, but a seal that names the
        # institution or its sponsor still says so.
        roles = [judge_seal(s, expected, others)[0] for s in found]
    seals = [
        SealResult(page=s.page_no, bbox=s.bbox, shape=s.shape, text=s.text, text_confidence=s.text_confidence,
                   matches=role, sub_text=s.sub_text, partial=s.partial, color=s.color,  # type: ignore[arg-type]
                   text_read=s.text_read, crop_key=(crop_keys[i] if crop_keys and i < len(crop_keys) else None))
        for i, (s, role) in enumerate(zip(found, roles, strict=False))
    ]
    return DocumentResult(document_id=document_id, batch_id=ctx.batch_id, source=source, pages=outcome.page_infos,
                          status=derive_status(findings), doc_type=cls.doc_type, doc_type_confidence=cls.score,
                          fields=fields, seals=seals, findings=findings, pipeline_version=PIPELINE_VERSION)


def _expected_seal_names(doc_type: str, fields: dict[str, Any], ctx: DocumentContext) -> dict[str, str | None]:
    def val(key: str) -> str | None:
        v = fields.get(key)
        return str(v.value) if v is not None else None

    # Every body whose seal may be on the page, so each seal gets its role even where that role
    # is not required (the institution's own seal on a certificate copy).
    sponsor = ctx.roster_entry.sponsor if ctx.roster_entry else None
    if doc_type == "fire_acceptance_certificate":
        return {"issuing_authority": val("issuing_authority"), "sponsor": sponsor,
                "institution_name": ctx.institution or val("construction_unit")}
    return {"institution_name": ctx.institution or val("institution_name"), "sponsor": sponsor}


def _known_names(expected: dict[str, str | None], fields: dict[str, Any], ctx: DocumentContext) -> list[str]:
    """Every organisation name this document gives or the roster expects, for reading seals."""
    names = [n for n in expected.values() if n]
    for key in ("issuing_authority", "construction_unit", "institution_name"):
        v = fields.get(key)
        if v is not None and isinstance(v.value, str):
            names.append(v.value)
    if ctx.roster_entry is not None:
        names.append(ctx.roster_entry.name)
    return list(dict.fromkeys(names))


def _supervisors(rules: RuleSet, ctx: DocumentContext) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The campaign's supervising bodies (rules: `supervisors`): those of the institution's own
    city (and the province's), and those of every city."""
    forms = tuple(rules.campaign.supervisors)
    if rules.places is None or not forms:
        return (), ()
    city = ctx.roster_entry.city if ctx.roster_entry is not None else None
    return rules.places.names_for(forms, city), rules.places.names(forms)


def _other_bodies(ctx: DocumentContext) -> tuple[str, ...]:
    """The roster's bodies other than this institution and its sponsor."""
    own = {ctx.roster_entry.name, ctx.roster_entry.sponsor} if ctx.roster_entry else set()
    return tuple(n for n in ctx.roster_bodies if n not in own)


def with_duplicates(result: DocumentResult, other_keys: list[str]) -> DocumentResult:
    """`result` with one duplicate_submission (info) finding naming every other key the same
    bytes were uploaded under; an earlier such finding is replaced, so this is idempotent."""
    others = sorted({k for k in other_keys if k != result.source.key})
    if not others:
        return result
    findings = [f for f in result.findings if f.code != "duplicate_submission"]
    findings.append(Finding(code="duplicate_submission", severity="info",
                            message="同一文件（内容完全相同）被重复提交：" + "；".join(others)))
    return DocumentResult.model_validate(
        {**result.model_dump(), "findings": [f.model_dump() for f in findings], "status": derive_status(findings)})


def failed_result(ctx: DocumentContext, *, document_id: str, size: int, reason: str) -> DocumentResult:
    """A `failed` result for a document the pipeline could not process (crash, timeout, limit)."""
    return DocumentResult(
        document_id=document_id, batch_id=ctx.batch_id,
        source=SourceInfo(key=ctx.key, sha256=document_id, media_type="application/octet-stream", bytes=size, pages=0,
                          institution=ctx.institution),
        status="failed", doc_type="unknown", doc_type_confidence=0.0,
        findings=[Finding(code="unreadable", severity="error", message=reason)], pipeline_version=PIPELINE_VERSION,
    )


def institution_from_path(relative: str) -> str | None:
    """The institution folder of a path relative to the batch folder (None for a top-level file)."""
    parts = PurePosixPath(relative).parts
    return parts[0] if len(parts) > 1 else None


class Reader(Protocol):
    """Something that reads a file into a ReadOutcome: in-process, or in an isolated worker."""

    def read(self, path: Path, *, declared_name: str, timeout: float) -> ReadOutcome: ...


class InProcessReader:
    """Reads in this process (no time limit): for tests of the stages and for debugging."""

    def __init__(self, pipeline: DocumentPipeline) -> None:
        self.pipeline = pipeline

    def read(self, path: Path, *, declared_name: str, timeout: float) -> ReadOutcome:
        return self.pipeline.read_document(path, declared_name=declared_name)


def read_or_fail(reader: Reader, path: Path, ctx: DocumentContext, *, document_id: str, size: int,
                 timeout: float) -> ReadOutcome | DocumentResult:
    """Read a file; a file that cannot be read, times out or kills its worker becomes a
    `failed` DocumentResult (with the reason) instead of an exception."""
    try:
        return reader.read(path, declared_name=PurePosixPath(ctx.key).name, timeout=timeout)
    except IntakeError as e:
        if e.retryable:
            raise
        return failed_result(ctx, document_id=document_id, size=size, reason=f"无法处理：{e}")


def process_file(reader: Reader, rules: RuleSet, path: Path, ctx: DocumentContext, *,
                 timeout: float = 300.0) -> tuple[DocumentResult, list[bytes]]:
    """Read and analyse one local file; bad input becomes a `failed` result, never an exception."""
    document_id = sha256_file(path)
    size = path.stat().st_size
    outcome = read_or_fail(reader, path, ctx, document_id=document_id, size=size, timeout=timeout)
    if isinstance(outcome, DocumentResult):
        return outcome, []
    return analyse(outcome, ctx, rules, document_id=document_id, size=size), outcome.seal_crops
