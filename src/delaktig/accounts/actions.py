"""Writes about people: accounts, e-ID, consent, school sessions, deletion."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.accounts import personal_data
from delaktig.accounts.models import (
    CONSENT_TEXTS,
    ConsentPurpose,
    ConsentRecord,
    Demographics,
    EidIdentity,
    Notification,
    SchoolSession,
    User,
)
from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.mail import notify
from delaktig.core.public_cache import bump_public_generation

MIN_ACCOUNT_AGE = 13
VERIFY_SALT = "delaktig.accounts.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600


def too_young_for_account(birth_year: int | None) -> bool:
    """13+ for an account. Counted by year, so a 12-year-old turning 13 this year may join."""
    return birth_year is not None and timezone.localdate().year - birth_year < MIN_ACCOUNT_AGE


# --- Email accounts ------------------------------------------------------------------


@transaction.atomic
def register_resident(
    *,
    email: str,
    password: str,
    verify_url: str,
    birth_year: int | None = None,
    display_name: str = "",
    attest_residency: bool = False,
    language: str = "sv",
) -> User:
    """Create an account and send the verification link. `verify_url` has a {token} slot."""
    email = email.strip().lower()
    if too_young_for_account(birth_year):
        raise DomainError(_("Du behöver vara minst 13 år för att skapa ett konto."), code="age")
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise DomainError(_("Det finns redan ett konto med den e-postadressen."), code="exists")
    user = User(
        username=email,
        email=email,
        birth_year=birth_year,
        display_name=display_name,
        preferred_language=language,
    )
    if attest_residency:
        user.connected_to_municipality = True
        user.residency_attested_at = timezone.now()
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same address registered in parallel
        raise DomainError(
            _("Det finns redan ett konto med den e-postadressen."), code="exists"
        ) from exc
    send_verification(user=user, verify_url=verify_url)
    return user


def make_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT, compress=True)


def send_verification(*, user: User, verify_url: str) -> None:
    notify(
        user,
        gettext_lazy("Bekräfta din e-postadress"),
        "accounts/email/verify.txt",
        {"link": verify_url.replace("{token}", make_verification_token(user)), "user": user},
    )


@transaction.atomic
def verify_email(*, token: str) -> User:
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(
            _("Länken har slutat gälla. Logga in och be om en ny länk."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("Länken är inte giltig."), code="invalid") from exc
    user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or user.email.lower() != payload.get("e"):
        raise DomainError(_("Länken är inte giltig."), code="invalid")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def attest_residency(*, user: User, attested: bool) -> User:
    """The resident's own statement: 'Jag bor, arbetar, studerar eller vistas i kommunen'."""
    user.connected_to_municipality = attested
    user.residency_attested_at = timezone.now() if attested else None
    user.save(update_fields=["connected_to_municipality", "residency_attested_at"])
    return user


# --- Consent and demographics --------------------------------------------------------


@transaction.atomic
def give_consent(*, user: User, purpose: str) -> ConsentRecord:
    purpose = ConsentPurpose(purpose)
    existing = ConsentRecord.objects.active().filter(user=user, purpose=purpose).first()
    if existing is not None:
        return existing
    version, _text = CONSENT_TEXTS[purpose]
    return ConsentRecord.objects.create(user=user, purpose=purpose, text_version=version)


@transaction.atomic
def withdraw_consent(*, user: User, purpose: str) -> int:
    """Withdraw; for demographics the stored answers are deleted at once."""
    count = (
        ConsentRecord.objects.active()
        .filter(user=user, purpose=purpose)
        .update(withdrawn_at=timezone.now())
    )
    if purpose == ConsentPurpose.DEMOGRAPHICS:
        Demographics.objects.filter(user=user).delete()
    return count


@transaction.atomic
def save_demographics(
    *, user: User, gender: str = "", district: str = "", occupation: str = ""
) -> Demographics:
    if (
        not ConsentRecord.objects.active()
        .filter(user=user, purpose=ConsentPurpose.DEMOGRAPHICS)
        .exists()
    ):
        raise DomainError(
            _("Vi sparar bara uppgifter om dig om du har lämnat samtycke."), code="consent"
        )
    demo, _created = Demographics.objects.update_or_create(
        user=user, defaults={"gender": gender, "district": district, "occupation": occupation}
    )
    return demo


# --- E-ID -------------------------------------------------------------------------------


def pseudonymise_subject(issuer: str, subject: str) -> str:
    """HMAC of issuer and `sub`: the same person maps to the same row, nobody can reverse it."""
    key = (getattr(settings, "DELAKTIG_PSEUDONYM_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(key, f"{issuer}|{subject}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def login_with_eid(
    *, issuer: str, subject: str, birth_year: int | None = None, current_user: Any = None
) -> User:
    """Find or create the person behind a verified ID token; link to `current_user` if given."""
    subject_hash = pseudonymise_subject(issuer, subject)
    now = timezone.now()
    identity = EidIdentity.objects.select_related("user").filter(subject_hash=subject_hash).first()
    if identity is not None:
        user = identity.user
        identity.last_login_at = now
        identity.save(update_fields=["last_login_at"])
    else:
        if current_user is not None and getattr(current_user, "is_authenticated", False):
            user = current_user
        else:
            user = User(username=f"eid-{subject_hash[:20]}")
            user.set_unusable_password()
            user.save()
        EidIdentity.objects.create(user=user, issuer=issuer, subject_hash=subject_hash)
    user.eid_verified_at = now
    fields = ["eid_verified_at"]
    if birth_year and not user.birth_year:
        user.birth_year = birth_year
        fields.append("birth_year")
    user.save(update_fields=fields)
    return user


# --- School sessions ----------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I

# A code is handed to one class for its lessons on one dialogue. A code that lives for a
# term is passed on beyond the class (older siblings, a chat group), so it lasts a month
# at most; a new code is a click away.
SCHOOL_CODE_MAX_DAYS = 30
# One code is one class: Swedish classes are up to about 30 pupils, with room for a
# merged group. More seats make a code something to share, not a class.
SCHOOL_CODE_MAX_SEATS = 40
# A dialogue's codes still valid at once: a whole school's classes, not an unbounded
# supply of pupil keys.
SCHOOL_CODES_PER_DIALOGUE = 30

# The browser session remembers each school code it redeemed and its pupil key, also
# after the pupil leaves the pass: entering the code again is the same pupil, not a seat.
SCHOOL_SEATS_KEY = "delaktig_school_seats"
# The school pass the pupil is in now, read by `participation.identity` for every input.
SCHOOL_SESSION_KEY = "delaktig_school"


def new_code(length: int = 7) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


def school_code_refusal(
    *, actor: Any, dialogue: Any, valid_until: Any = None, max_uses: int | None = None
) -> DomainError | None:
    """Why `actor` may not create this school code, or None. Asked by the form and the
    action alike, so the official reads the same sentence the action would raise."""
    if not actor.has_perm("organisation.view_backoffice"):
        return DomainError(_("Bara tjänstepersoner kan skapa skolpass."), code="not_allowed")
    if not actor.has_perm("governance.create_school_code", dialogue):
        return DomainError(
            _(
                "Du kan bara skapa skolpass för dialoger som din förvaltning driver. "
                "Be någon på den förvaltningen, eller dialogstrategen."
            ),
            code="not_allowed",
        )
    if valid_until is not None and valid_until > timezone.now() + datetime.timedelta(
        days=SCHOOL_CODE_MAX_DAYS
    ):
        return DomainError(
            _(
                "Ett skolpass kan gälla högst %(days)s dagar. Skapa ett nytt pass när "
                "klassen behöver det igen."
            )
            % {"days": SCHOOL_CODE_MAX_DAYS},
            code="too_long",
        )
    if max_uses is not None and max_uses > SCHOOL_CODE_MAX_SEATS:
        return DomainError(
            _(
                "Ett skolpass är för en klass: högst %(seats)s elever. Skapa ett pass "
                "till för nästa klass."
            )
            % {"seats": SCHOOL_CODE_MAX_SEATS},
            code="too_many_seats",
        )
    usable = SchoolSession.objects.usable().filter(dialogue=dialogue).count()
    if usable >= SCHOOL_CODES_PER_DIALOGUE:
        return DomainError(
            _(
                "Dialogen har redan %(count)s giltiga skolpass, så många som går. "
                "Ett nytt kan skapas när något av dem har gått ut."
            )
            % {"count": SCHOOL_CODES_PER_DIALOGUE},
            code="too_many_codes",
        )
    return None


@transaction.atomic
def create_school_session(
    *,
    actor: User,
    dialogue: Any,
    class_label: str,
    age_band: str,
    valid_until: Any,
    max_uses: int,
    activity: Any = None,
    code: str = "",
) -> SchoolSession:
    if activity is not None and activity.dialogue_id != dialogue.pk:
        raise DomainError(_("Aktiviteten hör inte till dialogen."))
    # The dialogue's row is locked so two officials cannot both create the last code.
    type(dialogue).objects.select_for_update().filter(pk=dialogue.pk).first()
    refusal = school_code_refusal(
        actor=actor, dialogue=dialogue, valid_until=valid_until, max_uses=max_uses
    )
    if refusal is not None:
        raise refusal
    code = (code or new_code()).upper()
    while not code or SchoolSession.objects.filter(code=code).exists():
        code = new_code()
    session = SchoolSession.objects.create(
        dialogue=dialogue,
        activity=activity,
        code=code,
        class_label=class_label,
        age_band=age_band,
        valid_until=valid_until,
        max_uses=max_uses,
        created_by=actor,
    )
    record_audit(
        actor=actor,
        action="school_session.created",
        obj=session,
        summary=f"{class_label} ({age_band}), {max_uses}",
        data={"dialogue": dialogue.pk, "activity": getattr(activity, "pk", None)},
    )
    return session


@transaction.atomic
def redeem_school_code(
    *, code: str, seats: dict[str, str] | None = None
) -> tuple[SchoolSession, str]:
    """Use one seat of a school session. Returns the session and the pupil key.

    `seats` is what this browser redeemed before (code id → pupil key): the same code
    again gives the same pupil key and takes no new seat, so one browser is one pupil.
    """
    normalised = "".join(code.split()).upper()
    session = SchoolSession.objects.filter(code=normalised).first()
    if session is None:
        raise DomainError(
            _("Vi hittar ingen klass med den koden. Kontrollera koden."), code="unknown"
        )
    if session.valid_until <= timezone.now():
        raise DomainError(_("Koden gäller inte längre. Fråga din lärare."), code="expired")
    held = (seats or {}).get(str(session.pk))
    if held:
        return session, held
    updated = SchoolSession.objects.filter(pk=session.pk, uses__lt=F("max_uses")).update(
        uses=F("uses") + 1
    )
    if not updated:
        raise DomainError(
            _("Koden har redan använts av hela klassen. Fråga din lärare."), code="exhausted"
        )
    return session, secrets.token_hex(16)


# --- Deletion -------------------------------------------------------------------------------


@transaction.atomic
def delete_account(*, user: User) -> dict[str, int]:
    """Delete a person as the personal-data registry says (`accounts/personal_data.py`):
    published contributions stay as public records without author or name (participant
    key kept, so counts stay right); the rest about them is deleted, detached or
    pseudonymised. The audit row says that an account was deleted, not whose."""
    if (
        user.is_superuser
        or user.is_staff
        or user.staff_roles.exists()
        or user.body_memberships.exists()
    ):
        raise DomainError(
            _(
                "Kontot kan inte raderas här eftersom det har uppdrag i kommunen. "
                "Kontakta kommunen."
            ),
            code="protected",
        )
    # Consent records are kept (proof of what was consented) without the person, and
    # thinned by `delaktig gallra`; withdrawing first dates the proof.
    ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    try:
        with transaction.atomic():
            by_model = personal_data.erase_person(user)
    except ProtectedError as exc:
        raise DomainError(
            _(
                "Kontot kan inte raderas här eftersom det har uppdrag i kommunen. "
                "Kontakta kommunen."
            ),
            code="protected",
        ) from exc
    # Cached public fragments may hold what was just erased.
    transaction.on_commit(bump_public_generation)
    record_audit(
        actor=None,
        action="account.deleted",
        summary=_("Konto raderat på egen begäran"),
        data={"rows": by_model},
    )
    return by_model


# --- Notices on "Mina uppgifter" --------------------------------------------------------
# Below participation, so the methods, governance and feedback can all leave a notice.


def notify_user(
    *, user: Any, kind: str, dialogue: Any, text: str, link: str, key: str = ""
) -> bool:
    """One notice on a resident's "Mina uppgifter", at most once per kind, dialogue and key."""
    if user is None or not getattr(user, "pk", None):
        return False
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=user, kind=kind, dialogue=dialogue, key=key, text=text[:300], link=link
            )
        ],
        ignore_conflicts=True,
    )
    return bool(created)


def mark_notifications_read(user: Any) -> int:
    """The resident has seen their notices on "Mina uppgifter"."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
