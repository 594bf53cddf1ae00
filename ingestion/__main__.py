"""`python -m ingestion PATH... [--jurisdiction CODE] [--dry-run] [--strict] [--rebuild]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from bot.index.offline import configure_offline_environment


def _progress(items):
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="embedding", unit="batch", file=sys.stderr)


def format_report(report) -> str:
    """The summary table printed at the end of a run."""
    lines = []
    width = max([len(f.source) for f in report.files] + [6])
    lines.append(f"{'file'.ljust(width)}  chunks  status")
    for f in report.files:
        status = f"FAILED: {f.error}" if f.error else "ok"
        lines.append(f"{f.source.ljust(width)}  {f.chunks:>6}  {status}")
    verb = "would be" if report.dry_run else ""
    lines.append("")
    lines.append(
        f"{report.read_ok} file(s) read, {len(report.failed)} failed; chunks {verb} added "
        f"{report.added}, updated {report.updated}, deleted {report.deleted}, unchanged "
        f"{report.unchanged}; {report.seconds:.1f} s"
    )
    if report.refreshed:
        lines.append(
            f"{len(report.refreshed)} other recorded file(s) read again (written by another "
            f"ingestion version): {', '.join(report.refreshed)}"
        )
    if report.missing:
        lines.append(missing_line(report))
    if report.version:
        lines.append(
            f"index version: {report.version} (ingestion version {report.ingestion_version})"
        )
    return "\n".join(lines)


def missing_line(report) -> str:
    return (
        f"{len(report.missing)} recorded file(s) not found, kept with their old labels: "
        f"{', '.join(report.missing)} (restore them and run again, or leave them out with "
        "`python -m ingestion --rebuild FOLDERS`)"
    )


def refresh_line(report) -> str:
    """The one line said after the index was refreshed on start (`bot.compose.ensure_index`)."""
    line = (
        f"Index refreshed to ingestion version {report.ingestion_version}: "
        f"{len(report.refreshed)} recorded file(s) read again, {len(report.failed)} failed; "
        f"chunks added {report.added}, updated {report.updated}, deleted {report.deleted}, "
        f"unchanged {report.unchanged}; {report.seconds:.1f} s"
    )
    return line + (f". {missing_line(report)}" if report.missing else "")


def _through_server(holder, args: argparse.Namespace, folder: Path):
    """Send the ingest to the server holding the folder; its report back."""
    from bot.index import owner
    from bot.index.config import HeldByServer
    from ingestion.pipeline import IngestReport

    body = {
        "paths": [str(p.resolve()) for p in args.paths],
        "jurisdiction": args.jurisdiction,
        "dry_run": args.dry_run,
        "rebuild": args.rebuild,
    }
    print(f"The server at {holder.url} holds {folder}: it ingests the files.", file=sys.stderr)
    try:
        reply = owner.post(holder, owner.ADMIN_INGEST, body, token=holder.token)
    except OSError as exc:
        raise HeldByServer(str(folder), holder.url, f"unreachable: {exc}") from exc
    if "error" in reply:
        raise HeldByServer(str(folder), holder.url, str(reply["error"]))
    return IngestReport.from_json(reply)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingestion", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path, help="files or folders to ingest")
    parser.add_argument("--jurisdiction", help="jurisdiction code for files without front matter")
    parser.add_argument("--dry-run", action="store_true", help="read and chunk, write nothing")
    parser.add_argument("--strict", action="store_true", help="exit non-zero if any file failed")
    parser.add_argument("--rebuild", action="store_true", help="drop the collection first")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    configure_offline_environment()

    from bot.index import owner
    from bot.index.config import (
        IndexBusy,
        ReggiError,
        load_settings,
        open_index,
        user_message,
    )
    from ingestion.pipeline import ingest

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    index = None
    folder = None
    try:
        settings = load_settings()
        holder = None if settings.qdrant_url else owner.read(settings.qdrant_path)
        if holder is not None and holder.role == "serve" and holder.url:
            # The running server holds the folder: it does the ingest.
            report = _through_server(holder, args, settings.qdrant_path)
        else:
            if holder is not None:
                raise IndexBusy(str(settings.qdrant_path), holder.describe())
            index = open_index(settings)
            if not settings.qdrant_url:
                folder = settings.qdrant_path
                owner.claim(folder, owner.Owner(pid=os.getpid(), role="ingestion"))
            if index.notice:
                print(index.notice, file=sys.stderr)
            if args.rebuild and not args.dry_run:
                index.drop()
            report = ingest(
                index,
                args.paths,
                jurisdiction=args.jurisdiction,
                dry_run=args.dry_run,
                progress=_progress,
                known_roots=[settings.corpus_dir],
            )
    except ReggiError as exc:
        print(f"error: {user_message(exc)}", file=sys.stderr)
        return 2
    finally:
        if index is not None:
            index.close()
        if folder is not None:
            owner.release(folder)
    print(format_report(report))
    if report.read_ok == 0:
        print("error: nothing could be read", file=sys.stderr)
        return 1
    if args.strict and report.failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
