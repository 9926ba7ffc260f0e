"""Compilation pages: parse, authorise, call an action, render."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delaktig.core import disclosure, tabular
from delaktig.core.exceptions import DomainError
from delaktig.core.parsing import parse_int
from delaktig.governance import selectors as governance_selectors
from delaktig.governance.models import Dialogue
from delaktig.participation.models import Contribution
from delaktig.results import (
    actions,
    exports,
    forms,
    representativeness,
    selectors,
)
from delaktig.results.charts import comparison_chart
from delaktig.results.models import PopulationTable, Theme
from delaktig.results.report import build_report, render_compilation_pdf


def _dialogue(request: HttpRequest, dialogue_id: int) -> Dialogue:
    qs = Dialogue.objects.select_related("municipality")
    municipality = getattr(request, "municipality", None)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return get_object_or_404(qs, pk=dialogue_id)


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _charts(report: dict[str, Any]) -> dict[str, Any]:
    """Add SVG charts to the report dict for the HTML pages (never sent to Typst)."""
    svg_bar_chart: Callable[..., SafeString] | None
    try:
        from delaktig.participation.surveys.stats import svg_bar_chart
    except ImportError:  # pragma: no cover - survey statistics not installed
        svg_bar_chart = None
    part = report["participation"]
    part["channel_chart"] = comparison_chart(
        _("Bidrag per kanal"),
        [(r["label"], [r["share"]]) for r in part["by_channel"]],
        [_("Andel av bidragen")],
    )
    part["method_chart"] = comparison_chart(
        _("Bidrag per metod"),
        [(r["label"], [r["share"]]) for r in part["by_method"]],
        [_("Andel av bidragen")],
    )
    for survey in report["surveys"]:
        for q in survey["choice_questions"]:
            if svg_bar_chart is not None:
                rows = [SimpleNamespace(**r) for r in q["rows"]]
                q["chart"] = svg_bar_chart(rows, f"{q['number']}. {q['label']}")
    for dim in report["representativeness"]["dimensions"]:
        if dim["comparable"]:
            dim["chart"] = comparison_chart(
                _("%(dim)s: deltagare jämfört med befolkningen") % {"dim": dim["label"]},
                [
                    (r["label"], [r["population_share"], r["participant_share"]])
                    for r in dim["rows"]
                ],
                [_("Befolkningen"), _("Deltagarna")],
            )
    return report


# --- Officials ---------------------------------------------------------------------------


def compilation(
    request: HttpRequest, dialogue_id: int, *, status: int = 200, **extra: Any
) -> HttpResponse:
    dialogue = _dialogue(request, dialogue_id)
    _require(request, "results.view_compilation", dialogue)
    comp = selectors.compilation_for(dialogue)
    can_manage = request.user.has_perm("results.manage_compilation", dialogue)
    themes = list(selectors.themes_with_counts(comp)) if comp else []
    context = {
        "dialogue": dialogue,
        "compilation": comp,
        "report": _charts(build_report(dialogue, comp)),
        "themes": themes,
        "can_manage": can_manage,
        "can_export": request.user.has_perm("results.export_contributions", dialogue),
        "blockers": actions.publication_blockers(comp) if comp else [],
        "text_form": extra.pop("text_form", None) or forms.CompilationTextForm(instance=comp),
        "new_theme_form": extra.pop("new_theme_form", None) or forms.ThemeForm(prefix="new"),
        "merge_form": extra.pop("merge_form", None)
        or (forms.MergeForm(compilation=comp, prefix="merge") if comp else None),
        "review": selectors.theme_review_counts(comp) if comp else None,
        "free_text_count": selectors.free_text(dialogue).count(),
        "raw_export_form": extra.pop("raw_export_form", None) or forms.RawExportForm(),
        "min_group_size": disclosure.min_group_size(),
        **extra,
    }
    return render(request, "results/compilation.html", context, status=status)


@require_POST
def compilation_action(request: HttpRequest, dialogue_id: int, action: str) -> HttpResponse:
    dialogue = _dialogue(request, dialogue_id)
    _require(request, "results.manage_compilation", dialogue)
    comp = actions.get_or_create_compilation(dialogue=dialogue)
    user = request.user
    try:
        if action == "themes":
            actions.run_automatic_themes(dialogue=dialogue, actor=user)
            messages.success(request, _("Teman har föreslagits. Granska dem nedan."))
        elif action == "text":
            form: BaseForm = forms.CompilationTextForm(request.POST, instance=comp)
            if not form.is_valid():
                return compilation(request, dialogue_id, status=400, text_form=form)
            actions.update_compilation(
                compilation=comp,
                actor=user,
                summary=form.cleaned_data["summary"],
                next_steps=form.cleaned_data["next_steps"],
                method_notes=form.cleaned_data["method_notes"],
            )
            messages.success(request, _("Texten är sparad."))
        elif action == "new-theme":
            form = forms.ThemeForm(request.POST, prefix="new")
            if not form.is_valid():
                return compilation(request, dialogue_id, status=400, new_theme_form=form)
            actions.create_theme(
                compilation=comp,
                actor=user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("Temat är skapat."))
        elif action == "merge":
            form = forms.MergeForm(request.POST, compilation=comp, prefix="merge")
            if not form.is_valid():
                return compilation(request, dialogue_id, status=400, merge_form=form)
            actions.merge_themes(
                target=form.cleaned_data["target"],
                others=list(form.cleaned_data["others"]),
                actor=user,
                name=form.cleaned_data["name"],
            )
            messages.success(request, _("Temana är sammanslagna."))
        elif action == "publish":
            actions.publish_compilation(compilation=comp, actor=user)
            messages.success(request, _("Sammanställningen är publicerad."))
        elif action == "unpublish":
            actions.unpublish_compilation(compilation=comp, actor=user)
            messages.success(request, _("Sammanställningen är ett utkast igen."))
        else:
            raise Http404
    except DomainError as exc:
        return compilation(
            request, dialogue_id, status=400, error=exc.message, error_missing=exc.missing
        )
    return redirect("results:compilation", dialogue_id=dialogue.pk)


def _theme(request: HttpRequest, theme_id: int) -> Theme:
    theme = get_object_or_404(
        Theme.objects.select_related("compilation__dialogue__municipality"), pk=theme_id
    )
    municipality = getattr(request, "municipality", None)
    if municipality is not None and theme.compilation.dialogue.municipality_id != municipality.pk:
        raise Http404
    return theme


@require_POST
def theme_action(request: HttpRequest, theme_id: int, action: str) -> HttpResponse:
    theme = _theme(request, theme_id)
    dialogue = theme.compilation.dialogue
    _require(request, "results.manage_compilation", dialogue)
    try:
        if action == "accept":
            actions.accept_theme(theme=theme, actor=request.user)
        elif action == "reject":
            actions.reject_theme(theme=theme, actor=request.user)
        elif action == "rename":
            form = forms.ThemeForm(request.POST, prefix=f"t{theme.pk}")
            if not form.is_valid():
                return compilation(
                    request,
                    dialogue.pk,
                    status=400,
                    error=_("Temat måste ha ett namn."),
                    error_missing=[],
                )
            actions.rename_theme(
                theme=theme,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        else:
            raise Http404
    except DomainError as exc:
        return compilation(
            request, dialogue.pk, status=400, error=exc.message, error_missing=exc.missing
        )
    messages.success(request, _("Temat är uppdaterat."))
    return redirect("results:compilation", dialogue_id=dialogue.pk)


def theme_detail(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Every contribution in a theme; split some into a new theme; code or uncode by hand."""
    theme = _theme(request, theme_id)
    dialogue = theme.compilation.dialogue
    _require(request, "results.view_compilation", dialogue)
    assignments = list(
        theme.assignments.select_related("contribution", "assigned_by").order_by("contribution_id")
    )
    choices = [(a.contribution_id, a.contribution.text[:200]) for a in assignments]
    status = 200
    form = forms.SplitForm(prefix="split", choices=choices)
    error = ""
    if request.method == "POST":
        _require(request, "results.manage_compilation", dialogue)
        form = forms.SplitForm(request.POST, prefix="split", choices=choices)
        if form.is_valid():
            try:
                new = actions.split_theme(
                    theme=theme,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    contribution_ids=form.cleaned_data["contributions"],
                )
            except DomainError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("Temat %(name)s är skapat.") % {"name": new.name})
                return redirect("results:theme", theme_id=theme.pk)
        else:
            status = 400
    code_form = forms.CodeForm(compilation=theme.compilation)
    return render(
        request,
        "results/theme.html",
        {
            "theme": theme,
            "dialogue": dialogue,
            "assignments": assignments,
            "form": form,
            "code_form": code_form,
            "error": error,
            "can_manage": request.user.has_perm("results.manage_compilation", dialogue),
        },
        status=status,
    )


@require_POST
def code(request: HttpRequest, contribution_id: int, action: str) -> HttpResponse:
    contribution = get_object_or_404(
        Contribution.objects.select_related("dialogue"), pk=contribution_id
    )
    dialogue = contribution.dialogue
    _require(request, "results.manage_compilation", dialogue)
    comp = actions.get_or_create_compilation(dialogue=dialogue)
    form = forms.CodeForm(request.POST, compilation=comp)
    if not form.is_valid():
        return HttpResponse(_("Välj ett tema."), status=400)
    theme = form.cleaned_data["theme"]
    try:
        if action == "add":
            actions.code_contribution(contribution=contribution, theme=theme, actor=request.user)
        elif action == "remove":
            actions.uncode_contribution(contribution=contribution, theme=theme, actor=request.user)
        else:
            raise Http404
    except DomainError as exc:
        return HttpResponse(exc.message, status=400)
    back = parse_int(request.POST.get("back_theme"))
    if back is not None:
        return redirect("results:theme", theme_id=back)
    return redirect("results:theme", theme_id=theme.pk)


def export(request: HttpRequest, dialogue_id: int, what: str, fmt: str) -> HttpResponseBase:
    dialogue = _dialogue(request, dialogue_id)
    _require(request, "results.export_contributions", dialogue)
    if what == "bidrag":
        sheets = [(_("Bidrag"), lambda: exports.contribution_rows(dialogue))]
    elif what == "resultat":
        sheets = [
            (_("Teman"), lambda: exports.theme_rows(dialogue)),
            (_("Representativitet"), lambda: exports.representativeness_rows(dialogue)),
        ]
    else:
        raise Http404
    if fmt not in ("csv", "xlsx"):
        raise Http404
    actions.record_export(dialogue=dialogue, actor=request.user, what=what, fmt=fmt)
    return _export_response(dialogue, what, fmt, sheets)


@require_POST
def export_raw(request: HttpRequest, dialogue_id: int) -> HttpResponseBase:
    """Contributions with background answers as given: asked for with a reason, audited."""
    dialogue = _dialogue(request, dialogue_id)
    _require(request, "results.export_contributions", dialogue)
    form = forms.RawExportForm(request.POST)
    if not form.is_valid():
        return compilation(request, dialogue_id, status=400, raw_export_form=form)
    fmt = form.cleaned_data["fmt"]
    actions.record_raw_export(
        dialogue=dialogue, actor=request.user, fmt=fmt, reason=form.cleaned_data["reason"]
    )
    sheets = [(_("Bidrag"), lambda: exports.contribution_rows(dialogue, raw=True))]
    return _export_response(dialogue, "bidrag-radata", fmt, sheets)


def _export_response(
    dialogue: Dialogue, what: str, fmt: str, sheets: list[tuple[str, Callable[[], Any]]]
) -> HttpResponseBase:
    filename = exports.export_filename(dialogue, what, fmt)
    if fmt == "csv":

        def rows() -> Any:
            for i, (_title, make) in enumerate(sheets):
                if i:
                    yield []
                yield from make()

        response = StreamingHttpResponse(
            tabular.csv_stream(rows()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle = tabular.write_xlsx([(title, make()) for title, make in sheets])
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def compilation_pdf(request: HttpRequest, dialogue_id: int) -> HttpResponse:
    dialogue = _dialogue(request, dialogue_id)
    _require(request, "results.view_compilation", dialogue)
    return _pdf(dialogue)


def _pdf(dialogue: Dialogue) -> HttpResponse:
    response = HttpResponse(render_compilation_pdf(dialogue), content_type="application/pdf")
    name = f"sammanstallning-{dialogue.slug[:60]}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def population(request: HttpRequest) -> HttpResponse:
    _require(request, "results.import_population")
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404(_("Ingen kommun är konfigurerad."))
    form = forms.PopulationImportForm()
    status = 200
    problems: list[str] = []
    error = ""
    if request.method == "POST":
        form = forms.PopulationImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                table = representativeness.import_population_csv(
                    municipality=municipality,
                    actor=request.user,
                    content=form.cleaned_data["file"].read(),
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    year=form.cleaned_data["year"],
                )
            except DomainError as exc:
                error, problems, status = exc.message, exc.missing, 400
            else:
                messages.success(
                    request, _("Tabellen %(name)s är importerad.") % {"name": table.name}
                )
                return redirect("results:population")
        else:
            status = 400
    tables = PopulationTable.objects.filter(municipality=municipality)
    return render(
        request,
        "results/population.html",
        {"form": form, "tables": tables, "error": error, "problems": problems},
        status=status,
    )


# --- Public ------------------------------------------------------------------------------


def _public_dialogue(slug: str) -> Dialogue:
    dialogue = get_object_or_404(governance_selectors.public_dialogues(), slug=slug)
    comp = selectors.compilation_for(dialogue)
    if comp is None or not comp.is_published:
        raise Http404(_("Resultatet är inte publicerat ännu."))
    return dialogue


def public(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _public_dialogue(slug)
    report = _charts(build_report(dialogue))
    return render(request, "results/public.html", {"dialogue": dialogue, "report": report})


def public_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(_public_dialogue(slug))
