"""Reports for Leads: charts (vendored Chart.js), CSV export and a monthly summary."""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moderation import labels
from moderation.models import Outcome, Platform
from moderation.reports import period_parse, report_figures

CSV_TABLES = ("volume", "flags", "officers")


def _officer(row: dict[str, Any]) -> str:
    name = f"{row['actor__first_name']} {row['actor__last_name']}".strip()
    return name or row["actor__username"]


def _shape(figures: dict[str, Any]) -> dict[str, Any]:
    """Tables and chart data from the raw figures, with human labels."""
    days = sorted({r["day"] for r in figures["volume"]})
    platforms = sorted({r["channel__platform"] for r in figures["volume"]})
    counts = {(r["day"], r["channel__platform"]): r["n"] for r in figures["volume"]}
    officers: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in figures["by_officer"]:
        officers[_officer(row)][row["after__outcome"]] += row["n"]
    outcomes = [o for o in Outcome.values if any(o in v for v in officers.values())]
    flags = [{**f, "label": labels.category_label(f["category"])} for f in figures["flags"]]
    chart = {
        "days": [d.isoformat() for d in days],
        "volume": [
            {"label": Platform(p).label, "data": [counts.get((d, p), 0) for d in days]} for p in platforms
        ],
        "flags": {
            "labels": [f"{f['label']} (GP014 {f['clause']})" for f in flags],
            "data": [f["n"] for f in flags],
        },
    }
    return {
        **figures,
        "flags": flags,
        "volume_rows": [
            {
                "day": d,
                "cells": [counts.get((d, p), 0) for p in platforms],
                "total": sum(counts.get((d, p), 0) for p in platforms),
            }
            for d in days
        ],
        "platform_labels": [Platform(p).label for p in platforms],
        "officer_rows": [
            {"name": name, "cells": [row.get(o, 0) for o in outcomes], "total": sum(row.values())}
            for name, row in sorted(officers.items())
        ],
        "outcome_labels": [Outcome(o).label for o in outcomes],
        "chart": chart,
    }


def _csv(figures: dict[str, Any], table: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = figures["period"]
    response["Content-Disposition"] = (
        f'attachment; filename="havebury-{table}-{period.start}-{period.end}.csv"'
    )
    out = csv.writer(response)
    if table == "volume":
        out.writerow(["day", *figures["platform_labels"], "total"])
        for r in figures["volume_rows"]:
            out.writerow([r["day"].isoformat(), *r["cells"], r["total"]])
    elif table == "flags":
        out.writerow(["category", "clause", "flags", "upheld", "dismissed"])
        for f in figures["flags"]:
            out.writerow([f["label"], f"GP014 {f['clause']}", f["n"], f["n_upheld"], f["n_dismissed"]])
    else:
        out.writerow(["officer", *figures["outcome_labels"], "total"])
        for r in figures["officer_rows"]:
            out.writerow([r["name"], *r["cells"], r["total"]])
    return response


@login_required
@permission_required("moderation.view_reports", raise_exception=True)
def reports(request: HttpRequest) -> HttpResponse:
    period, problems = period_parse(request.GET)
    for problem in problems:
        messages.warning(request, problem)
    figures = _shape(report_figures(period))
    table = request.GET.get("csv", "")
    if table in CSV_TABLES:
        return _csv(figures, table)
    return render(request, "moderation/reports/index.html", {**figures, "query": request.GET.urlencode()})


@login_required
@permission_required("moderation.view_reports", raise_exception=True)
def monthly(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if not params.get("month"):
        from django.utils import timezone

        params["month"] = timezone.localdate().strftime("%Y-%m")
    period, problems = period_parse(params)
    for problem in problems:
        messages.warning(request, problem)
    return render(request, "moderation/reports/monthly.html", _shape(report_figures(period)))
