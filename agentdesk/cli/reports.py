"""``agentdesk report queues|agents|dispositions|campaigns|hourly --from DATE --to DATE
[--team T] [--queue Q] [--campaign C] --format pdf|csv|xlsx|json --out FILE [--lang en|zh_CN]
[--encoding utf-8-sig|gbk]``.

Days are in ``[supervision] timezone`` (else ``[service] timezone``, else the machine's);
the service level is ``[supervision] service_level_formula``.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from agentdesk.cli.common import EXIT_OK, CliError, print_json, with_database
from agentdesk.config.settings import Settings


def add_report_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    from agentdesk.supervision.report_request import ReportFormat, ReportKind

    report = sub.add_parser("report", help="supervisors' reports as PDF, CSV, XLSX or JSON",
                            parents=[common])  # fmt: skip
    report.add_argument("kind", choices=[k.value for k in ReportKind])
    report.add_argument("--from", dest="first", required=True, metavar="DATE")
    report.add_argument("--to", dest="last", required=True, metavar="DATE")
    report.add_argument("--team", metavar="T")
    report.add_argument("--queue", metavar="Q")
    report.add_argument("--campaign", metavar="C")
    report.add_argument("--format", dest="fmt", required=True,
                        choices=[f.value for f in ReportFormat])  # fmt: skip
    report.add_argument("--out", required=True, type=Path, metavar="FILE")
    report.add_argument("--lang", choices=("en", "zh_CN"), help="the PDF's language")
    report.add_argument("--encoding", choices=("utf-8-sig", "gbk"), default="utf-8-sig",
                        help="CSV encoding (default UTF-8 with a byte order mark)")  # fmt: skip
    report.add_argument("--json", action="store_true", help="machine-readable output")


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{what} {text!r} is not a date (2026-12-01)") from None


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.app.reports import report_settings
    from agentdesk.cli.common import output_language
    from agentdesk.supervision.report_files import export_report
    from agentdesk.supervision.report_request import (
        ReportError,
        ReportFormat,
        ReportKind,
        ReportRequest,
    )

    try:
        zone, formula = report_settings(settings)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    try:
        request = ReportRequest(
            kind=ReportKind(args.kind), first=_day(args.first, "--from"),
            last=_day(args.last, "--to"), zone=zone, formula=formula, team=args.team,
            queue=args.queue, campaign=args.campaign,
        )  # fmt: skip
    except ReportError as exc:
        raise CliError(str(exc)) from None
    if not args.out.parent.is_dir():
        raise CliError(f"--out {args.out}: no such folder {args.out.parent}")
    language = args.lang or output_language(settings)
    result = with_database(
        args,
        settings,
        lambda db: export_report(
            db.sessions, request, ReportFormat(args.fmt), args.out,
            viewer=settings.agent.username, language=language, encoding=args.encoding,
        ),
    )  # fmt: skip
    if args.json:
        print_json(result)
    else:
        print(f"{result['report']} report: {result['rows']} rows written to {result['out']}")
    return EXIT_OK
