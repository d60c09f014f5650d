"""The feedback results, for analysts and fundraisers: the instruments, one instrument's
headline with a breakdown and the trend, its comments, and an Excel download.

Only confirmed answers count, and each instrument has a page of its own: relational and
transactional answers are never pooled into one figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.feedback import queries
from koers.feedback.choices import InstrumentKind
from koers.feedback.models import Instrument, Response
from koers.feedback.results.charts import (
    BAR_WIDTH,
    KIND_SHORT,
    SCOPE_SHORT,
    Result,
    Shown,
    bar_scale,
    channel_label,
    key_label,
    parts,
    score_label,
    shown,
    too_few_text,
    trend_chart,
)
from koers.feedback.stats import NpsResult
from koers.web.audit import record_access
from koers.web.models import AccessKind
from koers.web.paging import Page
from koers.web.views import is_htmx, render_partial_or_page

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER = {
    "group": gettext_lazy("groep"),
    "step": gettext_lazy("stap in een klantreis"),
    "moment": gettext_lazy("moment in de kalender"),
    "channel": gettext_lazy("kanaal"),
    "month": gettext_lazy("maand"),
}
DEFAULT_PER = "group"
PERIODS = {"maand": "month", "kwartaal": "quarter"}
# The comment filter's choices in the address (Dutch) and what each means to the query.
NPS_SCORES = [
    ("promoter", gettext_lazy("promoters (9-10)"), "promoter"),
    ("passief", gettext_lazy("passief (7-8)"), "passive"),
    ("criticaster", gettext_lazy("criticasters (0-6)"), "detractor"),
]
THUMBS_SCORES = [
    ("omhoog", gettext_lazy("duim omhoog"), "up"),
    ("omlaag", gettext_lazy("duim omlaag"), "down"),
]
SCORES: dict[str, list[tuple[str, Any, str]]] = {"nps": NPS_SCORES, "thumbs": THUMBS_SCORES}


def _instrument(key: str) -> Instrument:
    return get_object_or_404(Instrument, key=key)


def _overall(instrument: Instrument) -> Result | None:
    """The headline figure; a mini-survey has none (its answers are per question)."""
    if instrument.kind == InstrumentKind.SURVEY:
        return None
    return queries.overall(instrument)


@dataclass(frozen=True)
class Summary:
    instrument: Instrument
    kind: str
    scope: str
    n: int
    figure: Shown | None
    too_few: str | None


def _summary(instrument: Instrument, result: Result | None) -> Summary:
    n = result.n if result else queries.confirmed_count(instrument)
    return Summary(
        instrument=instrument,
        kind=str(KIND_SHORT.get(instrument.kind, instrument.kind)),
        scope=str(SCOPE_SHORT.get(instrument.scope, instrument.scope)),
        n=n,
        figure=shown(result) if result else None,
        too_few=too_few_text(result) if result and not result.enough else None,
    )


@login_required
@permission_required("feedback.view_response", raise_exception=True)
def instrument_list(request: HttpRequest) -> HttpResponse:
    instruments = Instrument.objects.order_by("scope", "name")
    return render(
        request,
        "feedback/results/list.html",
        {"rows": [_summary(i, _overall(i)) for i in instruments]},
    )


def _breakdown_context(instrument: Instrument, per: str) -> dict[str, Any]:
    found = queries.results_by(instrument, per)
    names = queries.breakdown_names(per, found)
    rows = [shown(result, names.get(key) or key_label(per, key)) for key, result in found.items()]
    if per != "month":  # months in time order; the rest as a reader looks them up
        rows.sort(key=lambda row: row.label.casefold())
    return {
        "per": per,
        "per_label": PER[per],
        "per_choices": list(PER.items()),
        "rows": rows,
        "scale": bar_scale(instrument.kind == InstrumentKind.THUMBS),
        "bar_width": BAR_WIDTH,
    }


def _trend_context(instrument: Instrument, period: str) -> dict[str, Any]:
    quarter = period == "quarter"
    chart = trend_chart(queries.results_trend(instrument, period), quarter)
    return {"chart": chart, "quarter": quarter}


def _choice(request: HttpRequest) -> tuple[str, str]:
    per = request.GET.get("per", "")
    return (
        per if per in PER else DEFAULT_PER,
        PERIODS.get(request.GET.get("periode", ""), "month"),
    )


def _partial(request: HttpRequest, instrument: Instrument, per: str, period: str) -> HttpResponse:
    """The breakdown and the trend each change on their own: htmx's target says which."""
    if request.headers.get("HX-Target") == "trend":
        context = _trend_context(instrument, period)
        template = "feedback/results/partials/_trend.html"
    else:
        context = _breakdown_context(instrument, per)
        template = "feedback/results/partials/_breakdown.html"
    response = render(request, template, {"instrument": instrument, **context})
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@permission_required("feedback.view_response", raise_exception=True)
def instrument_detail(request: HttpRequest, key: str) -> HttpResponse:
    instrument = _instrument(key)
    per, period = _choice(request)
    if is_htmx(request):
        return _partial(request, instrument, per, period)
    result = _overall(instrument)
    context: dict[str, Any] = {
        "instrument": instrument,
        "summary": _summary(instrument, result),
        "provisional": queries.provisional_count(instrument),
        "parts": parts(result) if isinstance(result, NpsResult) else [],
    }
    if result is not None:
        context.update(_breakdown_context(instrument, per), **_trend_context(instrument, period))
    response = render(request, "feedback/results/detail.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


DAY_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")
DAY_SHAPE = re.compile(r"\d{1,2}[-/]\d{1,2}[-/]\d{4}|\d{4}-\d{1,2}-\d{1,2}")
DAY_HELP = gettext_lazy("Schrijf een datum als dd-mm-jjjj, bijvoorbeeld 05-11-2026.")


class DutchDateField(forms.DateField):
    """dd-mm-jjjj (also with slashes, or the yyyy-mm-dd a date picker sends), and an error
    that tells a day that does not exist from text that is no date at all."""

    def to_python(self, value: Any) -> date | None:
        text = str(value or "").strip()
        if not text:
            return None
        for shape in DAY_FORMATS:
            try:
                return datetime.strptime(text, shape).date()
            except ValueError:
                continue
        if DAY_SHAPE.fullmatch(text):
            raise forms.ValidationError(
                _("De datum %(text)s bestaat niet.") % {"text": text} + f" {DAY_HELP}"
            )
        raise forms.ValidationError(
            _("'%(text)s' is geen datum.") % {"text": text} + f" {DAY_HELP}"
        )


class CommentFilter(forms.Form):
    score = forms.ChoiceField(label=gettext_lazy("Score"), required=False)
    kanaal = forms.ChoiceField(label=gettext_lazy("Kanaal"), required=False)
    van = DutchDateField(label=gettext_lazy("Van"), required=False)
    tot = DutchDateField(label=gettext_lazy("Tot en met"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Zoeken in de opmerkingen"), required=False, max_length=200
    )

    def __init__(self, data: Any, instrument: Instrument, channels: list[str]) -> None:
        super().__init__(data)
        scores = SCORES.get(instrument.kind, [])
        self.scores = {value: query for value, _label, query in scores}
        if scores:
            score_field: Any = self.fields["score"]
            score_field.choices = [("", _("alle scores"))] + [(v, label) for v, label, _q in scores]
        else:  # a mini-survey's answers have no score of their own
            del self.fields["score"]
        channel_field: Any = self.fields["kanaal"]
        channel_field.choices = [("", _("alle kanalen"))] + [
            (code or "onbekend", channel_label(code)) for code in channels
        ]
        for name in ("van", "tot"):
            self.fields[name].widget.attrs.update(placeholder="dd-mm-jjjj", inputmode="numeric")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("van"), data.get("tot")
        if start and end and start > end:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def filters(self) -> dict[str, Any]:
        """What the query gets: the fields that are valid; a wrong one is left out."""
        self.is_valid()
        data = self.cleaned_data
        channel = data.get("kanaal")
        return {
            "scores": self.scores.get(data.get("score") or "", ""),
            "channel": None if not channel else ("" if channel == "onbekend" else channel),
            "start": data.get("van"),
            "end": data.get("tot"),
            "text": (data.get("q") or "").strip(),
        }


@dataclass(frozen=True)
class CommentRow:
    response: Response
    day: date
    band: str
    channel: str


def _comment_row(response: Response, kind: str) -> CommentRow:
    day = timezone.localtime(response.answered_at).date()
    return CommentRow(
        response, day, score_label(response.score, kind), channel_label(response.channel)
    )


@login_required
@permission_required("feedback.view_comments", raise_exception=True)
def comment_list(request: HttpRequest, key: str) -> HttpResponse:
    instrument = _instrument(key)
    form = CommentFilter(request.GET, instrument, queries.comment_channels(instrument))
    found = queries.comments(instrument, **form.filters())
    page = Page.of(found, request.GET.get("pagina"), PAGE_SIZE)
    context = {
        "instrument": instrument,
        "form": form,
        "page": page,
        "rows": [_comment_row(r, instrument.kind) for r in page.object_list],
        "filtered": any(request.GET.get(name) for name in form.fields),
    }
    return render_partial_or_page(
        request,
        "feedback/results/partials/_comments.html",
        "feedback/results/comments.html",
        context,
    )


@login_required
@permission_required("feedback.view_response", raise_exception=True)
def download_excel(request: HttpRequest, key: str) -> HttpResponse:
    from koers.feedback.results.excel import workbook

    instrument = _instrument(key)
    # The comments sheet only for a role that may read the comments (not the viewer).
    comments = request.user.has_perm("feedback.view_comments")
    book = workbook(instrument, timezone.localdate(), comments=comments)
    response = HttpResponse(book, content_type=XLSX)
    name = f"feedback-{instrument.key}-{timezone.localdate():%Y-%m-%d}.xlsx"
    record_access(request, AccessKind.DOWNLOADED, name)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
