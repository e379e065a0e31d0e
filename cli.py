"""The `intake` command.

    intake demo                         the bundled sample batch through the real pipeline
    intake inspect FILE... [--out DIR]  check files locally: no storage, no Prefect
    intake process [DIR] --batch-id ID  run the Prefect flow on inbox/<ID>/ of the bucket
    intake eval --truth DIR --results DIR
    intake samples generate --out DIR --count N --seed S
    intake schema [--out FILE]          write the JSON Schema of the per-document result
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from flows.settings import quiet_environment

quiet_environment()  # before anything imports onnxruntime or prefect

from records.errors import ExitCode, IntakeError  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent
SAMPLE_BATCH = REPO_ROOT / "samples" / "batch"

log = logging.getLogger("intake")

STATUS_ZH = {"passed": "通过", "flagged": "需复核", "failed": "无法读取"}


def _settings(args: argparse.Namespace) -> Any:
    from flows.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "campaign", None):
        overrides["campaign"] = str(args.campaign)
    return Settings(**overrides)


def _document_line(result: Any) -> str:
    codes = ",".join(sorted({f.code for f in result.findings})) or "-"
    return f"{result.status:8s} {result.doc_type:28s} {result.source.key}  [{codes}]"


# ----------------------------------------------------------------------------- inspect


def cmd_inspect(args: argparse.Namespace) -> int:
    from flows.document import DocumentContext, process_file, roster_bodies, with_duplicates
    from records.models import DocumentResult
    from records.roster import load_roster
    from records.rules import load_rules

    settings = _settings(args)
    rules = load_rules(settings.rules_dir, settings.campaign)
    roster = {r.name: r for r in load_roster(args.roster)} if args.roster else {}
    reader = settings.make_reader(rules)
    out: Path | None = args.out
    if out:
        out.mkdir(parents=True, exist_ok=True)
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return ExitCode.bad_args
    results: dict[str, DocumentResult] = {}
    keys_of: dict[str, list[str]] = {}
    for file in args.files:
        path = Path(file)
        institution = path.resolve().parent.name or None
        key = f"{institution}/{path.name}" if institution else path.name
        ctx = DocumentContext(batch_id=args.batch_id, key=key, institution=institution,
                              roster_entry=roster.get(institution or ""), roster_bodies=roster_bodies(roster.values()))
        result, crops = process_file(reader, rules, path, ctx, timeout=settings.seconds_per_document)
        keys_of.setdefault(result.document_id, []).append(key)
        first = results.get(result.document_id)
        if first is not None:  # the same bytes again: one document, noted as a duplicate submission
            result = with_duplicates(first, keys_of[result.document_id])
            crops = []
        elif out and crops:
            ev_dir = out / "evidence" / result.document_id
            ev_dir.mkdir(parents=True, exist_ok=True)
            seals = []
            for i, (seal, crop) in enumerate(zip(result.seals, crops, strict=False)):
                (ev_dir / f"seal-{i + 1}.png").write_bytes(crop)
                seals.append(seal.model_copy(update={"crop_key": f"evidence/{result.document_id}/seal-{i + 1}.png"}))
            result = result.model_copy(update={"seals": seals})
        results[result.document_id] = DocumentResult.model_validate(result.model_dump())
        if out:
            (out / f"{result.document_id}.json").write_text(
                json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1), encoding="utf-8")
            print(_document_line(result))
        else:
            print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    return ExitCode.ok


# ----------------------------------------------------------------------------- process / demo


def _run_flow(batch_id: str, settings: Any, roster: Path | None, upload_dir: Path | None) -> dict[str, Any]:
    from prefect.task_runners import ThreadPoolTaskRunner

    from flows.batch import batch_flow
    from flows.runtime import open_store
    from storage import keys

    store = open_store(settings)
    if upload_dir is not None:
        uploaded = store.upload_dir(upload_dir, keys.inbox_prefix(batch_id))
        print(f"uploaded {len(uploaded)} files to {settings.bucket}/{keys.inbox_prefix(batch_id)}")
    flow = batch_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=settings.workers))
    out = flow(batch_id=batch_id, roster_path=str(roster) if roster else None, settings_json=settings.model_dump_json())
    run = out["run"]
    print(f"this run: {run['processed']} processed, {run['skipped']} skipped (already done)")
    return out["summary"]


def _print_summary(summary: dict[str, Any]) -> None:
    counts = summary["counts"]
    print(f"\nbatch {summary['batch_id']}: {counts.get('objects', 0)} objects — "
          + ", ".join(f"{STATUS_ZH[s]} {counts.get(s, 0)}" for s in ("passed", "flagged", "failed")))
    for inst in summary["institutions"]:
        kinds = ", ".join(f"{t}: {'/'.join(v)}" for t, v in inst["doc_types"].items()) or "nothing"
        missing = f"  missing: {', '.join(inst['missing_doc_types'])}" if inst["missing_doc_types"] else ""
        print(f"  {inst['name']}: {kinds}{missing}")
    if summary["not_submitted"]:
        print("  not submitted: " + "、".join(summary["not_submitted"]))


def cmd_process(args: argparse.Namespace) -> int:
    from flows.runtime import embedded_storage

    settings = _settings(args)
    if args.embedded or not os.environ.get("MINIO_ENDPOINT"):
        if not args.embedded:
            print("MINIO_ENDPOINT is not set: using the embedded local store under "
                  f"{(settings.work_dir / 'bucket').resolve()}", file=sys.stderr)
        with embedded_storage(settings.work_dir / "bucket"):
            summary = _run_flow(args.batch_id, settings, args.roster, args.dir)
    else:
        summary = _run_flow(args.batch_id, settings, args.roster, args.dir)
    _print_summary(summary)
    return ExitCode.ok


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.runtime import embedded_storage
    from storage import keys

    settings = _settings(args)
    batch_id = args.batch_id
    root = (settings.work_dir / "bucket").resolve()
    inbox = SAMPLE_BATCH / "inbox"
    roster = SAMPLE_BATCH / "roster.csv"
    with embedded_storage(root):
        summary = _run_flow(batch_id, settings, roster if roster.is_file() else None, inbox)
    _print_summary(summary)
    results = root / settings.bucket / keys.results_prefix(batch_id)
    print(f"\nresults: {results}/  (one <document_id>.json per document, summary.json, evidence/)")
    by_code: Counter[str] = Counter()
    for p in results.glob("*.json"):
        if p.name == "summary.json":
            continue
        for f in json.loads(p.read_text(encoding="utf-8")).get("findings", []):
            by_code[f["code"]] += 1
    if by_code:
        print("findings: " + ", ".join(f"{c} ×{n}" for c, n in by_code.most_common()))
    print("run it again: every object is skipped (results are idempotent).")
    return ExitCode.ok


# ----------------------------------------------------------------------------- eval / samples / schema


def cmd_eval(args: argparse.Namespace) -> int:
    from evaluation import evaluate, render_markdown, render_text

    report = evaluate(args.truth, args.results)
    print(render_text(report))
    if args.out:
        args.out.write_text(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1), encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(render_markdown(report), encoding="utf-8")
    return ExitCode.ok


def cmd_samples(args: argparse.Namespace) -> int:
    from samples.generator import generate_corpus, make_sample_batch

    if args.samples_cmd == "generate":
        files = generate_corpus(args.out, count=args.count, seed=args.seed)
        print(f"generated {len(files)} documents under {args.out}/inbox (truth in {args.out}/truth)")
    elif args.samples_cmd == "batch":
        files = make_sample_batch(args.out)
        print(f"wrote the sample batch ({len(files)} files) to {args.out}")
    return ExitCode.ok


def cmd_schema(args: argparse.Namespace) -> int:
    from records.schema import schemas

    for path, schema in schemas().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return ExitCode.ok


# ----------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="intake", description="Check scanned safety-campaign submissions.")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="cmd", required=True)

    d = sub.add_parser("demo", help="process the bundled sample batch on the embedded local store")
    d.add_argument("--batch-id", default="sample-batch")
    d.set_defaults(func=cmd_demo, campaign=None)

    i = sub.add_parser("inspect", help="check files locally (no storage, no Prefect)")
    i.add_argument("files", nargs="+")
    i.add_argument("--out", type=Path)
    i.add_argument("--roster", type=Path)
    i.add_argument("--campaign")
    i.add_argument("--batch-id", default="local")
    i.set_defaults(func=cmd_inspect)

    pr = sub.add_parser("process", help="run the batch flow on inbox/<batch-id>/ of the bucket")
    pr.add_argument("dir", nargs="?", type=Path, help="upload this folder to inbox/<batch-id>/ first")
    pr.add_argument("--batch-id", required=True)
    pr.add_argument("--roster", type=Path)
    pr.add_argument("--campaign")
    pr.add_argument("--embedded", action="store_true", help="use the embedded local store even if MINIO_ENDPOINT is set")
    pr.set_defaults(func=cmd_process)

    e = sub.add_parser("eval", help="score results against truth")
    e.add_argument("--truth", type=Path, required=True)
    e.add_argument("--results", type=Path, required=True)
    e.add_argument("--out", type=Path, help="write the report as JSON")
    e.add_argument("--markdown", type=Path, help="write the report as Markdown")
    e.set_defaults(func=cmd_eval)

    s = sub.add_parser("samples", help="generate realistic scans with truth")
    ss = s.add_subparsers(dest="samples_cmd", required=True)
    g = ss.add_parser("generate")
    g.add_argument("--out", type=Path, required=True)
    g.add_argument("--count", type=int, default=200)
    g.add_argument("--seed", type=int, default=1)
    b = ss.add_parser("batch", help="(re)make the curated sample batch")
    b.add_argument("--out", type=Path, default=SAMPLE_BATCH)
    s.set_defaults(func=cmd_samples)

    sc = sub.add_parser("schema", help="write the JSON Schemas under schema/")
    sc.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.verbose:  # Prefect logs every task run at INFO; a newcomer wants the summary
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return ExitCode.ctrl_c
    except IntakeError as e:
        print(f"error: {e}", file=sys.stderr)
        return int(e.exit_code)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return ExitCode.bad_args


if __name__ == "__main__":
    sys.exit(main())
