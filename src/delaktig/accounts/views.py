"""Accounts: parse → authorise → action → render."""

from __future__ import annotations

import json
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delaktig.accounts import actions, oidc, selectors
from delaktig.accounts.forms import (
    ConsentForm,
    DeleteAccountForm,
    DemographicsForm,
    LoginForm,
    NotifyingPasswordResetForm,
    RegistrationForm,
    ResidencyForm,
    SchoolCodeForm,
    SchoolSessionForm,
)
from delaktig.accounts.models import (
    CONSENT_TEXTS,
    ConsentPurpose,
    Demographics,
    SchoolSession,
    User,
)
from delaktig.core.exceptions import DomainError
from delaktig.governance.selectors import proposals_of

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- Registration, verification, login -------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            verify_url = request.build_absolute_uri(
                reverse("accounts:verify", kwargs={"token": "TOKEN"})
            ).replace("TOKEN", "{token}")
            try:
                actions.register_resident(
                    email=data["email"],
                    password=data["password1"],
                    verify_url=verify_url,
                    birth_year=data["birth_year"],
                    display_name=data["display_name"],
                    attest_residency=data["attest_residency"],
                    language=getattr(request, "LANGUAGE_CODE", "sv"),
                )
            except DomainError as error:
                form.add_error("email" if error.code == "exists" else None, error.message)
            else:
                return redirect("accounts:register_done")
        if form.has_error("birth_year", "too_young"):
            return render(request, "accounts/too_young.html", status=400)
        return render(request, "accounts/register.html", {"form": form}, status=400)
    return render(request, "accounts/register.html", {"form": RegistrationForm()})


def register_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register_done.html")


def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = actions.verify_email(token=token)
    except DomainError as error:
        return render(request, "accounts/verify.html", {"error": error.message}, status=400)
    return render(request, "accounts/verify.html", {"verified_user": user})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # @login_required
    if user.email and not user.email_verified_at:
        verify_url = request.build_absolute_uri(
            reverse("accounts:verify", kwargs={"token": "TOKEN"})
        ).replace("TOKEN", "{token}")
        actions.send_verification(user=user, verify_url=verify_url)
        messages.success(request, _("Vi har skickat en ny länk till din e-post."))
    return redirect("accounts:me")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["eid_enabled"] = oidc.is_configured()
        return context


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = NotifyingPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


# --- E-ID (OIDC) ---------------------------------------------------------------------------


def eid_start(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next"), "")
    try:
        url = oidc.begin(
            request,
            redirect_uri=request.build_absolute_uri(reverse("accounts:eid_callback")),
            next_url=next_url,
        )
    except oidc.OidcError as error:
        return render(request, "accounts/eid_error.html", {"error": error.message}, status=503)
    return HttpResponseRedirect(url)


def eid_callback(request: HttpRequest) -> HttpResponse:
    try:
        claims, next_url = oidc.complete(request)
    except oidc.OidcError as error:
        return render(request, "accounts/eid_error.html", {"error": error.message}, status=400)
    user = actions.login_with_eid(
        issuer=claims["iss"],
        subject=str(claims["sub"]),
        birth_year=oidc.birth_year_from_claims(claims),
        current_user=request.user,
    )
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("Du är inloggad med e-legitimation."))
    return redirect(_safe_next(request, next_url, reverse("accounts:me")))


# --- The resident's own data -------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # @login_required
    consents = {c.purpose: c for c in user.consents.active()}
    purposes = [
        {"value": p.value, "label": p.label, "text": CONSENT_TEXTS[p][1], "active": consents.get(p)}
        for p in ConsentPurpose
    ]
    demo = Demographics.objects.filter(user=user).first()
    response = render(
        request,
        "accounts/me.html",
        {
            "person": user,
            "purposes": purposes,
            "consent_history": user.consents.all(),
            "eid_identities": user.eid_identities.all(),
            "notices": selectors.notices_of(user),
            "proposals": proposals_of(user),
            "residency_form": ResidencyForm(initial={"attested": user.connected_to_municipality}),
            "demographics_form": DemographicsForm(instance=demo)
            if consents.get(ConsentPurpose.DEMOGRAPHICS)
            else None,
            "demographics": demo,
            "eid_enabled": oidc.is_configured(),
        },
    )
    # Shown once as new (the page above marked them); read from now on.
    actions.mark_notifications_read(user)
    return response


@login_required
def me_export(request: HttpRequest) -> HttpResponse:
    data = selectors.personal_data(cast(User, request.user))  # @login_required
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mina-uppgifter-{stamp}.json"'
    return response


@login_required
def me_export_page(request: HttpRequest) -> HttpResponse:
    """The same export as the JSON download, as a page to read or print."""
    data = selectors.personal_data(cast(User, request.user))  # @login_required
    sections = [
        {
            **section,
            "label": label,
            "table": [[row.get(name) for name in section["columns"]] for row in section["rows"]],
        }
        for label, section in data["sections"].items()
    ]
    return render(request, "accounts/export.html", {"export": data, "sections": sections})


@login_required
def me_delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = DeleteAccountForm(request.POST)
        if form.is_valid():
            user = cast(User, request.user)  # @login_required
            try:
                actions.delete_account(user=user)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                logout(request)
                messages.success(request, _("Ditt konto är raderat."))
                return redirect(settings.LOGOUT_REDIRECT_URL)
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    return render(request, "accounts/delete.html", {"form": DeleteAccountForm()})


@login_required
@require_POST
def residency(request: HttpRequest) -> HttpResponse:
    form = ResidencyForm(request.POST)
    form.is_valid()
    actions.attest_residency(
        user=cast(User, request.user), attested=form.cleaned_data.get("attested", False)
    )
    messages.success(request, _("Dina uppgifter är sparade."))
    return redirect(_safe_next(request, request.POST.get("next"), reverse("accounts:me")))


@login_required
@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    form = ConsentForm(request.POST)
    if not form.is_valid() or form.cleaned_data["purpose"] not in ConsentPurpose.values:
        return HttpResponse(_("Okänt ändamål."), status=400)
    purpose = form.cleaned_data["purpose"]
    if form.cleaned_data["give"]:
        actions.give_consent(user=cast(User, request.user), purpose=purpose)
        messages.success(request, _("Tack. Ditt samtycke är sparat."))
    else:
        actions.withdraw_consent(user=cast(User, request.user), purpose=purpose)
        messages.success(request, _("Ditt samtycke är återkallat."))
    return redirect("accounts:me")


@login_required
@require_POST
def demographics(request: HttpRequest) -> HttpResponse:
    form = DemographicsForm(request.POST)
    if form.is_valid():
        try:
            actions.save_demographics(user=cast(User, request.user), **form.cleaned_data)
        except DomainError as error:
            return HttpResponse(error.message, status=400)
        messages.success(request, _("Dina uppgifter är sparade."))
        return redirect("accounts:me")
    return HttpResponse(_("Kontrollera uppgifterna."), status=400)


# --- School sessions and simple language ------------------------------------------------------


def school_enter(request: HttpRequest) -> HttpResponse:
    form = SchoolCodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                seats = request.session.get(actions.SCHOOL_SEATS_KEY, {})
                session, pupil_key = actions.redeem_school_code(
                    code=form.cleaned_data["code"], seats=seats
                )
            except DomainError as error:
                form.add_error("code", error.message)
            else:
                request.session.cycle_key()
                request.session[actions.SCHOOL_SEATS_KEY] = {**seats, str(session.pk): pupil_key}
                request.session[actions.SCHOOL_SESSION_KEY] = {
                    "id": session.pk,
                    "dialogue_id": session.dialogue_id,
                    "activity_id": session.activity_id,
                    "age_band": session.age_band,
                    "valid_until": session.valid_until.isoformat(),
                    "pupil_key": pupil_key,
                    "class_label": session.class_label,
                }
                if session.activity is not None:
                    return redirect(session.activity.get_absolute_url())
                return redirect("governance:dialogue", slug=session.dialogue.slug)
        return render(request, "accounts/school_enter.html", {"form": form}, status=400)
    return render(request, "accounts/school_enter.html", {"form": form})


@require_POST
def school_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(actions.SCHOOL_SESSION_KEY, None)
    messages.success(request, _("Du har lämnat klassens pass."))
    return redirect("governance:home")


@login_required
def school_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("organisation.view_backoffice"):
        return render(request, "accounts/forbidden.html", status=403)
    municipality = getattr(request, "municipality", None)
    form = SchoolSessionForm(request.POST or None, municipality=municipality, actor=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = actions.create_school_session(
                    actor=cast(User, request.user),  # @login_required
                    dialogue=data["dialogue"],
                    activity=data["activity"],
                    class_label=data["class_label"],
                    age_band=data["age_band"],
                    valid_until=data["valid_until"],
                    max_uses=data["max_uses"],
                )
            except DomainError as error:
                # Another official took the dialogue's last code in the meantime.
                form.refusal_code = error.code
                form.add_error(form.REFUSAL_FIELDS.get(error.code), error.message)
            else:
                return redirect("accounts:school_detail", code=session.code)
        status = 403 if form.refusal_code == "not_allowed" else 400
        return render(request, "accounts/school_new.html", {"form": form}, status=status)
    return render(request, "accounts/school_new.html", {"form": form})


@login_required
def school_detail(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.has_perm("organisation.view_backoffice"):
        return render(request, "accounts/forbidden.html", status=403)
    session = get_object_or_404(SchoolSession.objects.select_related("dialogue"), code=code)
    if not request.user.has_perm("governance.create_school_code", session.dialogue):
        return render(request, "accounts/forbidden.html", status=403)
    return render(
        request,
        "accounts/school_detail.html",
        {"school": session, "enter_url": request.build_absolute_uri(reverse("accounts:school"))},
    )


@require_POST
def simple_language(request: HttpRequest) -> HttpResponse:
    request.session["simple_language"] = request.POST.get("on") == "1"
    return redirect(_safe_next(request, request.POST.get("next"), "/"))
