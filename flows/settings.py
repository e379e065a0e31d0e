"""All configuration, from the environment (prefix INTAKE_, and MINIO_* for the object store).

The core never reads settings: flows build the options models of each stage from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractors.load import ReadOptions
from extractors.ocr import OcrOptions
from flows.document import DocumentPipeline, InProcessReader, PipelineOptions, Reader
from records.rules import RuleSet, default_rules_dir

# No outbound traffic: onnxruntime and Prefect phone home unless told not to (measured).
QUIET_ENV = {
    "ORT_DISABLE_TELEMETRY": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


def quiet_environment() -> None:
    """Set the no-telemetry variables (without overriding an explicit choice)."""
    for k, v in QUIET_ENV.items():
        os.environ.setdefault(k, v)


class Settings(BaseSettings):
    """Settings of a scan-intake process. Every field can be set as INTAKE_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    bucket: Annotated[str, Field(description="bucket holding inbox/ and results/")] = "submissions"
    work_dir: Annotated[Path, Field(description="local scratch and embedded-storage folder")] = Path(".intake")
    rules_dir: Annotated[Path, Field(description="folder with doctypes/ and campaigns/")] = default_rules_dir()
    campaign: Annotated[str, Field(description="campaign name under rules/campaigns or a YAML path")] = "shanxi-2024"
    workers: Annotated[int, Field(ge=1, le=32, description="documents processed at once (threads)")] = 2
    ocr_workers: Annotated[int, Field(ge=1, le=8, description="pages OCR'd at once per process")] = 1
    ocr_model: Annotated[Literal["small", "tiny"], Field(description="PP-OCRv6 model size")] = "small"
    ocr_threads: Annotated[int, Field(ge=1, le=64, description="onnxruntime threads per OCR call")] = 2
    max_bytes: Annotated[int, Field(ge=1, description="largest accepted file, bytes")] = ReadOptions().max_bytes
    max_pixels_per_page: Annotated[int, Field(ge=1, description="largest accepted page, pixels")] = ReadOptions().max_pixels_per_page
    max_pages: Annotated[int, Field(ge=1, description="most pages read per document")] = ReadOptions().max_pages
    max_docx_inflated_bytes: Annotated[int, Field(ge=1, description="largest inflated size of a DOCX")] = ReadOptions().max_docx_inflated_bytes
    seconds_per_document: Annotated[float, Field(gt=0, description="time after which a document is failed")] = 300.0
    pdf_dpi: Annotated[int, Field(ge=72, le=600, description="dpi at which PDF pages are rendered")] = ReadOptions().pdf_render_dpi
    isolate: Annotated[bool, Field(description="read each document in a worker process with time and memory limits")] = True
    worker_memory_bytes: Annotated[int, Field(ge=0, description="address-space ceiling of a reading worker (0 = none)")] = 8 << 30
    failure_ratio: Annotated[float, Field(ge=0, le=1, description="batch fails when more documents than this fail")] = 0.5

    def make_reader(self, rules: RuleSet) -> Reader:
        """The document reader these settings ask for: isolated worker processes, or in-process."""
        if self.isolate:
            from flows.isolation import reader_pool

            return reader_pool(self.pipeline_options(), rules, size=self.ocr_workers, memory_limit=self.worker_memory_bytes)
        return InProcessReader(DocumentPipeline(self.pipeline_options(), rules))

    def pipeline_options(self) -> PipelineOptions:
        read = ReadOptions(max_bytes=self.max_bytes, max_pixels_per_page=self.max_pixels_per_page, max_pages=self.max_pages,
                           max_docx_inflated_bytes=self.max_docx_inflated_bytes, pdf_render_dpi=self.pdf_dpi)
        ocr = OcrOptions(model_size=self.ocr_model, threads=self.ocr_threads,
                         model_root=(self.work_dir / "models").resolve())
        return PipelineOptions(read=read, ocr=ocr)
