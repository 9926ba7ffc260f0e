"""The personal-data inventory: one declaration per model field that holds personal data.

For every such field it says how it is exported to the person (GDPR art. 15 and 20),
what happens to it when the person deletes their account (art. 17) and what `delaktig
gallra` does with it once the retention period has passed. The same declarations drive
the code: `erase_person` (account deletion), `thin` (gallring, `accounts/retention.py`)
and `export_person` (the data export) read them, and `record_of_processing()` writes the
record of processing (art. 30, docs/record-of-processing.md) from them. A test
(tests/accounts/test_personal_data_registry.py) fails when a model gains a field that
looks personal and is neither declared here nor declared not personal with a reason.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from delaktig.core.mail import address_digest

# Shown instead of a deleted resident's name where a name must stay (the audit log's
# "performed by"). Public pages show their own "Anonym" for an empty name.
PSEUDONYM = "Raderat konto"
# Keys in JSON data that could name or contact a person.
NAME_KEYS = ("display_name", "author_name", "name", "email", "contact")


class Action(StrEnum):
    DELETE = "delete"
    CLEAR = "clear"
    DETACH = "detach"
    PSEUDONYMISE = "pseudonymise"
    REDACT = "redact"
    DROP_KEYS = "drop_keys"
    KEEP = "keep"


ACTION_TEXT = {
    Action.DELETE: "raderas",
    Action.CLEAR: "töms",
    Action.DETACH: "kopplingen till kontot tas bort",
    Action.PSEUDONYMISE: f"ersätts med «{PSEUDONYM}»",
    Action.REDACT: "personens namn och e-post tas bort ur texten, texten sparas",
    Action.DROP_KEYS: "nycklarna {keys} tas bort",
    Action.KEEP: "sparas",
}


@dataclass(frozen=True)
class Rule:
    action: Action
    why: str = ""
    keys: tuple[str, ...] = ()
    # Only rows matching this are changed (e.g. residents' proposals, not organisations').
    where: Q | None = None

    def describe(self) -> str:
        text = ACTION_TEXT[self.action].format(keys=", ".join(self.keys))
        if self.where is not None:
            text += " (" + _q_text(self.where) + ")"
        return f"{text}: {self.why}" if self.why else text


def _q_text(q: Any) -> str:
    """A condition in words, for the record of processing: "status ≠ published"."""
    if not isinstance(q, Q):
        key, value = q
        return f"{key} = {value}"
    parts = [_q_text(child) for child in q.children]
    text = (" eller " if q.connector == Q.OR else " och ").join(parts)
    if q.negated:
        return text.replace(" = ", " ≠ ") if len(parts) == 1 else f"inte ({text})"
    return text


DELETE = Rule(Action.DELETE)
CLEAR = Rule(Action.CLEAR)
DETACH = Rule(Action.DETACH)
PSEUDONYMISE = Rule(Action.PSEUDONYMISE)
REDACT = Rule(Action.REDACT)


def keep(why: str) -> Rule:
    return Rule(Action.KEEP, why=why)


def drop_keys(*keys: str) -> Rule:
    return Rule(Action.DROP_KEYS, keys=keys)


class Category(StrEnum):
    IDENTITY = "identitet"
    CONTACT = "kontaktuppgift"
    FREE_TEXT = "fritext skriven av personen"
    ACCOUNT_LINK = "koppling till ett konto"
    SPECIAL = "kan vara känslig (t.ex. hälsa)"
    DEMOGRAPHIC = "bakgrundsuppgift"
    SECRET = "hemlighet"
    TECHNICAL = "teknisk uppgift som kan peka ut en person"
    OFFICIAL = "tjänsteperson i tjänsten"


@dataclass(frozen=True)
class PersonalField:
    category: Category
    erase: Rule
    thin: Rule
    # True, or why the value is not in the export.
    export: bool | str = True


def official(thin_why: str = "del av allmän handling om kommunens arbete") -> PersonalField:
    """A link to the official, elected or administrator who did something in office."""
    return PersonalField(
        Category.OFFICIAL,
        erase=DETACH,
        thin=keep(thin_why),
        export="visas för den som gjorde det, inte i invånarens export",
    )


Owner = Callable[[Any], Q]


def by(*lookups: str) -> Owner:
    """Rows whose `lookup` is the person's account."""

    def owner(user: Any) -> Q:
        q = Q(pk__in=[])
        for lookup in lookups:
            q |= Q(**{lookup: user})
        return q

    return owner


def by_email(*fields: str) -> Owner:
    """Rows that carry the person's e-mail address, once the address is verified as theirs
    (otherwise anyone could register someone else's address and erase their rows)."""

    def owner(user: Any) -> Q:
        if not user.email or not user.email_verified_at:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        for name in fields:
            q |= Q(**{f"{name}__iexact": user.email})
        return q

    return owner


def about_account(user: Any) -> Q:
    """Audit rows whose object is the account itself."""
    return Q(object_type=user._meta.label, object_id=str(user.pk))


def _stops_of_address(user: Any) -> Q:
    """Stops asked for the person's own, verified address (see `by_email`)."""
    if not user.email or not user.email_verified_at:
        return Q(pk__in=[])
    return Q(address_digest=address_digest(user.email))


# The apps above accounts register what must happen first when a person's rows of their
# models are erased (`register_before_erase`, from their AppConfig.ready).
_BEFORE_ERASE: dict[str, Callable[[models.QuerySet[Any]], None]] = {}


def register_before_erase(label: str, hook: Callable[[models.QuerySet[Any]], None]) -> None:
    """`hook(rows)` runs on the person's rows of model `label` before they are erased."""
    _BEFORE_ERASE[label] = hook


@dataclass(frozen=True)
class PersonalModel:
    model: str
    purpose: str
    basis: str
    retention: str
    fields: dict[str, PersonalField]
    not_personal: dict[str, str] = field(default_factory=dict)
    owners: tuple[Owner, ...] = ()
    # For rows that a Q cannot find (sessions: the account is inside the encoded data).
    finder: Callable[[Any], Iterable[Any]] | None = None
    # The person's rows deleted on erasure: all (True), none (False) or those matching.
    erase_rows: Q | bool = False
    # Lookup from a row to its Dialogue: thinned once the dialogue's retention has passed.
    dialogue: str | None = None
    # Rows due by their own dates, whatever the dialogue: now -> Q.
    due: Callable[[datetime.datetime], Q] | None = None
    # Rows in thinning scope that are deleted (True, False or those matching).
    thin_rows: Q | bool = False
    # A Swedish name where the model's own is missing or English (third-party apps).
    name: str = ""

    @property
    def before_erase(self) -> Callable[[models.QuerySet[Any]], None] | None:
        """What the owning app must do first with the person's rows (e.g. free a place)."""
        return _BEFORE_ERASE.get(self.model)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def title(self) -> str:
        return self.name or str(self.model_class._meta.verbose_name_plural)

    def rows_of(self, user: Any) -> models.QuerySet[Any]:
        manager = self.model_class._default_manager
        if self.finder is not None:
            return manager.filter(pk__in=list(self.finder(user)))
        q = Q(pk__in=[])
        for owner in self.owners:
            q |= owner(user)
        return manager.filter(q)

    @property
    def erasable(self) -> bool:
        return bool(self.owners) or self.finder is not None


# --- Reasons used for fields that are not personal data -------------------------------

BY_OFFICIALS = "skrivs av kommunen om ärendet eller metoden, inte om en invånare"
CONFIG = "en inställning eller ett namn som kommunen anger"
REFERENCE = "en teknisk referens utan uppgift om någon person"
STATISTICS = "sammanställd statistik för grupper, inte en person"
CHOICE = "ett val bland kommunens alternativ, utan namn; kopplas till personen bara via kontot"
PUBLIC_RECORD = "bidraget är allmän handling och sparas (offentlighetsprincipen)"
ACCOUNT_CASCADE = "raderas med kontot"


def _past(months_setting: str, default: int) -> Callable[[datetime.datetime], datetime.datetime]:
    from delaktig.accounts.retention import add_months

    def cutoff(now: datetime.datetime) -> datetime.datetime:
        return add_months(now, -int(getattr(settings, months_setting, default)))

    return cutoff


def _days(setting: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, setting, default)))


def _session_keys(user: Any) -> list[str]:
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    keys = []
    for session in Session.objects.filter(expire_date__gt=datetime.datetime.now(datetime.UTC)):
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            keys.append(session.session_key)
    return keys


def _task_results_naming(user: Any) -> list[Any]:
    """Mail tasks carry the recipient's address (and the mail's text) in their arguments."""
    from django.db.models.functions import Cast

    model = apps.get_model("django_tasks_database", "DBTaskResult")
    if not user.email:
        return []
    return list(
        model.objects.annotate(args_text=Cast("args_kwargs", models.TextField()))
        .filter(args_text__icontains=user.email)
        .values_list("pk", flat=True)
    )


def official_acts(label: str, *fks: str, not_personal: dict[str, str]) -> PersonalModel:
    """A model whose only personal data is who in the municipality did something."""
    return PersonalModel(
        label,
        purpose="Kommunens handläggning: vem som gjorde vad",
        basis="allmänt intresse; arkivlagen",
        retention="sparas som allmän handling; kopplingen tas bort om kontot raderas",
        fields={name: official() for name in fks},
        not_personal=not_personal,
        owners=(by(*fks),),
    )


ACCOUNT_LINK = PersonalField(Category.ACCOUNT_LINK, erase=DETACH, thin=DETACH)
SHOWN_NAME = PersonalField(Category.IDENTITY, erase=CLEAR, thin=CLEAR)
PUBLIC_TEXT = PersonalField(Category.FREE_TEXT, erase=REDACT, thin=keep(PUBLIC_RECORD))
OFFICIAL_TEXT = PersonalField(Category.OFFICIAL, erase=keep(BY_OFFICIALS), thin=keep(BY_OFFICIALS))


def deleted_with_account(
    label: str, *, purpose: str, basis: str, kept: str, fields: dict[str, Category]
) -> PersonalModel:
    """A model whose rows live as long as the account and go with it."""
    return PersonalModel(
        label,
        purpose=purpose,
        basis=basis,
        retention=kept,
        fields={
            name: PersonalField(c, erase=DELETE, thin=keep(kept)) for name, c in fields.items()
        },
        owners=(by("user"),),
        erase_rows=True,
    )


NOT_PUBLISHED = ~Q(status="published")
PARTICIPANT_KEY = PersonalField(
    Category.TECHNICAL,
    erase=keep(
        "en pseudonym (HMAC per dialog) som ingen kan vända; gör att varje person räknas en gång"
    ),
    thin=keep("en pseudonym som gör att varje person räknas en gång"),
    export="en pseudonym som inte säger något utan systemets nyckel",
)
RESIDENT_TEXT = "skrivet av invånaren"

REGISTRY: tuple[PersonalModel, ...] = (
    # Rows found through other rows of the person come before those rows change.
    PersonalModel(
        "opinions.StatementVote",
        name="ställningstaganden",
        purpose="Ställningstaganden till påståenden (åsiktskarta)",
        basis="allmänt intresse (medborgardialog)",
        retention="ställningstagandet räknas; det har ingen koppling till kontot",
        fields={"participant_key": PARTICIPANT_KEY},
        owners=(by("contribution__author"),),
    ),
    PersonalModel(
        "surveys.Answer",
        name="enkätsvarens delar",
        purpose="Enkätsvar",
        basis="allmänt intresse (medborgardialog)",
        retention="sparas som en del av det anonyma svaret",
        fields={
            "text": PersonalField(
                Category.FREE_TEXT, erase=REDACT, thin=keep("enkätsvaret räknas i resultatet")
            ),
        },
        owners=(by("response__author"),),
        erase_rows=Q(response__status="draft"),
        dialogue="response__survey__activity__dialogue",
    ),
    PersonalModel(
        "surveys.Response",
        purpose="Enkätsvar och sparade utkast",
        basis="allmänt intresse (medborgardialog); bakgrundsuppgifter: samtycke",
        retention="utkast raderas vid gallring; inskickade svar sparas utan koppling till konto",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "author": ACCOUNT_LINK,
            "entered_by": official(),
            "resume_token": PersonalField(
                Category.SECRET,
                erase=CLEAR,  # a fresh random value: the old link opens nothing
                thin=keep("slumpad nyckel utan uppgift om personen; utkasten raderas"),
                export="en nyckel som ger tillgång till utkastet",
            ),
            "draft": PersonalField(Category.FREE_TEXT, erase=CLEAR, thin=CLEAR),
            "demographics": PersonalField(
                Category.DEMOGRAPHIC,
                erase=CLEAR,
                thin=keep("åldersgrupp och område utan koppling till person, för statistik"),
            ),
            "demographics_consent": PersonalField(
                Category.DEMOGRAPHIC,
                erase=keep("visar att svaret lämnades med samtycke"),
                thin=keep("visar att svaret lämnades med samtycke"),
            ),
        },
        owners=(by("author"),),
        erase_rows=Q(status="draft"),
        dialogue="survey__activity__dialogue",
        thin_rows=Q(status="draft"),
    ),
    PersonalModel(
        "ideas.IdeaComment",
        purpose="Kommentarer på idéer",
        basis="allmänt intresse (medborgardialog)",
        retention="opublicerade raderas vid gallring; publicerade sparas utan namn",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "author": ACCOUNT_LINK,
            "author_name": SHOWN_NAME,
            "text": PUBLIC_TEXT,
            "moderation_reason": OFFICIAL_TEXT,
        },
        owners=(by("author"),),
        erase_rows=NOT_PUBLISHED,
        dialogue="idea__activity__dialogue",
        thin_rows=NOT_PUBLISHED,
    ),
    PersonalModel(
        "ideas.IdeaSupport",
        name="stöd för idéer",
        purpose="Stöd för idéer och e-förslag",
        basis="allmänt intresse (medborgardialog)",
        retention="stödet räknas; kopplingen till kontot tas bort vid gallring",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "user": ACCOUNT_LINK,
        },
        owners=(by("user"),),
        dialogue="idea__activity__dialogue",
    ),
    PersonalModel(
        "ideas.Idea",
        purpose="Idéer och e-förslag",
        basis="allmänt intresse (medborgardialog)",
        retention="opublicerade raderas vid gallring; publicerade sparas utan namn",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "author": ACCOUNT_LINK,
            "author_name": SHOWN_NAME,
            "title": PUBLIC_TEXT,
            "text": PUBLIC_TEXT,
            "entered_by": official(),
            "answered_by": official(),
            "moderation_reason": OFFICIAL_TEXT,
            "answer": OFFICIAL_TEXT,
        },
        not_personal={"answered_at": "tidpunkten för kommunens svar"},  # pattern: "answer"
        owners=(by("author"),),
        erase_rows=NOT_PUBLISHED,
        dialogue="activity__dialogue",
        thin_rows=NOT_PUBLISHED,
    ),
    PersonalModel(
        "discussions.Report",
        name="anmälda kommentarer",
        purpose="Anmälningar av kommentarer till moderering",
        basis="allmänt intresse (moderering av medborgardialog)",
        retention="raderas vid gallring",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "reporter": PersonalField(Category.ACCOUNT_LINK, erase=DELETE, thin=DELETE),
            "reason": PersonalField(Category.FREE_TEXT, erase=DELETE, thin=DELETE),
            "resolved_by": official(),
        },
        not_personal={"comment": "kommentaren som anmäldes (registrerad för sig)"},
        owners=(by("reporter"),),
        erase_rows=True,
        dialogue="comment__discussion__activity__dialogue",
        thin_rows=True,
    ),
    PersonalModel(
        "discussions.Comment",
        name="kommentarer i samtal",
        purpose="Inlägg i samtal och textgranskning",
        basis="allmänt intresse (medborgardialog)",
        retention="opublicerade raderas vid gallring; publicerade sparas utan namn",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "author": ACCOUNT_LINK,
            "author_name": SHOWN_NAME,
            "text": PUBLIC_TEXT,
            "moderation_reason": OFFICIAL_TEXT,
        },
        owners=(by("author"),),
        erase_rows=NOT_PUBLISHED,
        dialogue="discussion__activity__dialogue",
        thin_rows=NOT_PUBLISHED,
    ),
    PersonalModel(
        "meetings.Registration",
        name="anmälningar till möten",
        purpose="Anmälan till möten och behov av stöd för att kunna delta",
        basis="allmänt intresse (medborgardialog); stödbehov: uttryckligt samtycke (art. 9.2 a)",
        retention="namn, e-post och stödbehov töms vid gallring; antalet anmälda sparas",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "name": PersonalField(Category.IDENTITY, erase=DELETE, thin=CLEAR),
            "email": PersonalField(Category.CONTACT, erase=DELETE, thin=CLEAR),
            "needs": PersonalField(Category.SPECIAL, erase=DELETE, thin=CLEAR),
            "user": PersonalField(Category.ACCOUNT_LINK, erase=DELETE, thin=DETACH),
            "token": PersonalField(
                Category.SECRET,
                erase=DELETE,
                thin=keep("slumpad nyckel utan uppgift om personen"),
                export="nyckeln i länken för att ändra anmälan",
            ),
        },
        owners=(by("user"), by_email("email")),
        erase_rows=True,
        dialogue="meeting__activity__dialogue",
    ),
    PersonalModel(
        "votes.VoteBallot",
        name="röster i omröstningar",
        purpose="Röster i omröstningar",
        basis="allmänt intresse (medborgardialog)",
        retention="rösten räknas; kopplingen till kontot tas bort vid gallring",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "voter": ACCOUNT_LINK,
        },
        not_personal={"choices": CHOICE},
        owners=(by("voter"),),
        dialogue="vote__activity__dialogue",
    ),
    PersonalModel(
        "budgets.Ballot",
        name="röster i medborgarbudget",
        purpose="Röster i medborgarbudget",
        basis="allmänt intresse (medborgardialog)",
        retention="rösten räknas; kopplingen till kontot tas bort vid gallring",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "voter": ACCOUNT_LINK,
            "entered_by": official(),
            "district": PersonalField(
                Category.DEMOGRAPHIC,
                erase=keep("område utan koppling till person, för statistik"),
                thin=keep("område utan koppling till person, för statistik"),
            ),
        },
        not_personal={"choices": CHOICE},
        owners=(by("voter"),),
        dialogue="budget__activity__dialogue",
    ),
    PersonalModel(
        "budgets.Project",
        name="förslag till medborgarbudget",
        purpose="Förslag till medborgarbudget",
        basis="allmänt intresse (medborgardialog)",
        retention="förslaget sparas som allmän handling; kopplingen till kontot tas bort",
        fields={
            "proposed_by": ACCOUNT_LINK,
            "proposer_key": PARTICIPANT_KEY,
            "title": PUBLIC_TEXT,
            "description": PUBLIC_TEXT,
            "reviewed_by": official(),
            "review_reason": OFFICIAL_TEXT,
        },
        not_personal={"district": "området som förslaget gäller"},
        owners=(by("proposed_by"),),
        dialogue="budget__activity__dialogue",
    ),
    PersonalModel(
        "opinions.Statement",
        purpose="Påståenden som invånare föreslår",
        basis="allmänt intresse (medborgardialog)",
        retention="ej publicerade raderas vid gallring; publicerade sparas utan koppling",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "author": ACCOUNT_LINK,
            "text": PUBLIC_TEXT,
            "moderated_by": official(),
            "moderation_reason": OFFICIAL_TEXT,
        },
        owners=(by("author"),),
        erase_rows=~Q(status="published"),
        dialogue="activity__dialogue",
        thin_rows=~Q(status="published"),
    ),
    PersonalModel(
        "participation.Contribution",
        purpose="Alla bidrag i alla metoder (svar, idéer, kommentarer, röster, anteckningar)",
        basis="allmänt intresse (medborgardialog)",
        retention=(
            "opublicerade raderas vid gallring; publicerade sparas utan koppling och namn "
            "(participant_key kvar så att antalet deltagare stämmer)"
        ),
        fields={
            "participant_key": PARTICIPANT_KEY,
            "author": ACCOUNT_LINK,
            "text": PUBLIC_TEXT,
            "data": PersonalField(
                Category.FREE_TEXT,
                erase=drop_keys(*NAME_KEYS, "demographics"),
                thin=drop_keys(*NAME_KEYS),
            ),
            "entered_by": official(),
            "moderation_reason": OFFICIAL_TEXT,
        },
        owners=(by("author"),),
        erase_rows=NOT_PUBLISHED,
        dialogue="dialogue",
        thin_rows=NOT_PUBLISHED,
    ),
    PersonalModel(
        "governance.Initiative",
        purpose="Förslag till medborgardialog (idéer från invånare, föreningar och politiker)",
        basis="allmänt intresse (medborgardialog)",
        retention="namn och e-post för invånares förslag töms när dialogens bevarandetid gått ut",
        fields={
            "proposer_name": PersonalField(
                Category.IDENTITY,
                erase=CLEAR,
                thin=Rule(Action.CLEAR, where=Q(proposer_kind="resident")),
            ),
            "proposer_email": PersonalField(Category.CONTACT, erase=CLEAR, thin=CLEAR),
            "proposer": ACCOUNT_LINK,
            "proposer_kind": PersonalField(
                Category.IDENTITY,
                erase=keep("om förslaget kom från en invånare, förening eller politiker"),
                thin=keep("om förslaget kom från en invånare, förening eller politiker"),
            ),
            "description": PersonalField(
                Category.FREE_TEXT, erase=REDACT, thin=keep("förslaget är allmän handling")
            ),
        },
        owners=(by("proposer"), by_email("proposer_email")),
        dialogue="dialogue",
    ),
    PersonalModel(
        "governance.Dialogue",
        purpose="Dialogens ärende; rubrik och sammanfattning kan komma från en invånares förslag",
        basis="allmänt intresse (medborgardialog)",
        retention="allmän handling, sparas (arkivregler)",
        fields={
            "title": PersonalField(
                Category.FREE_TEXT, erase=REDACT, thin=keep("allmän handling om dialogen")
            ),
            "summary": PersonalField(
                Category.FREE_TEXT, erase=REDACT, thin=keep("allmän handling om dialogen")
            ),
        },
        not_personal={
            name: BY_OFFICIALS
            for name in (
                "goal",
                "purpose",
                "background",
                "partners",
                "budget",
                "question",
                "input_use",
                "communication_plan",
                "outreach_plan",
                "single_form_reason",
                "final_decision_summary",
                "influence_on_decision",
            )
        },
        owners=(by("initiative__proposer"),),
    ),
    PersonalModel(
        "governance.DialogueEvent",
        purpose="Dialogens steg (händelselogg)",
        basis="allmänt intresse; arkivlagen",
        retention="sparas (arkivregler)",
        fields={
            "actor": PersonalField(
                Category.ACCOUNT_LINK, erase=DETACH, thin=keep("arkivregel: händelser sparas")
            )
        },
        not_personal={"note": BY_OFFICIALS},
        owners=(by("actor"),),
    ),
    PersonalModel(
        "feedback.Follower",
        name="följare av dialoger",
        purpose="Följa en dialog och få e-post om återkoppling och beslut",
        basis="samtycke (personen anmäler sig och bekräftar)",
        retention="raderas när dialogens bevarandetid gått ut, eller när personen slutar följa",
        fields={
            "email": PersonalField(Category.CONTACT, erase=DELETE, thin=DELETE),
            "token": PersonalField(
                Category.SECRET,
                erase=DELETE,
                thin=DELETE,
                export="nyckeln i länken för att sluta följa",
            ),
        },
        owners=(by_email("email"),),
        erase_rows=True,
        dialogue="dialogue",
        thin_rows=True,
    ),
    PersonalModel(
        "feedback.FeedbackDelivery",
        name="utskick av återkoppling",
        purpose="Utskick av återkoppling till deltagare",
        basis="allmänt intresse (återkoppling, samtycke för e-post)",
        retention="raderas när dialogens bevarandetid gått ut",
        fields={
            "email": PersonalField(Category.CONTACT, erase=DELETE, thin=DELETE),
            "token": PersonalField(
                Category.SECRET,
                erase=DELETE,
                thin=DELETE,
                export="nyckeln i länken för att sluta få mejl",
            ),
        },
        not_personal={"error": "felmeddelande från e-postservern"},
        owners=(by_email("email"),),
        erase_rows=True,
        dialogue="feedback__dialogue",
        thin_rows=True,
    ),
    PersonalModel(
        "feedback.FeedbackContact",
        name="adresser för återkoppling",
        purpose="Mejla deltagaren återkopplingen från dialogen, och inget annat",
        basis="samtycke (personen kryssar i och anger adressen när hen deltar)",
        retention="raderas när dialogens bevarandetid gått ut, eller när kontot raderas",
        fields={
            "email": PersonalField(Category.CONTACT, erase=DELETE, thin=DELETE),
            "token": PersonalField(
                Category.SECRET,
                erase=DELETE,
                thin=DELETE,
                export="nyckeln i länken för att sluta få mejl",
            ),
            "consent_recorded_by": official(),
        },
        not_personal={"source": "metoden där adressen lämnades"},
        owners=(by_email("email"),),
        erase_rows=True,
        dialogue="dialogue",
        thin_rows=True,
    ),
    PersonalModel(
        "feedback.ContactGiver",
        name="vem som lämnade en adress för återkoppling",
        purpose="Räkna hur många deltagare återkopplingen nådde, en gång per person",
        basis="samtycke (samma som adressen)",
        retention="raderas med adressen: när dialogens bevarandetid gått ut, eller med kontot",
        fields={
            "participant_key": PersonalField(
                Category.TECHNICAL,
                erase=DELETE,
                thin=DELETE,
                export="en pseudonym som inte säger något utan systemets nyckel",
            ),
        },
        not_personal={
            "contact": "länken till adressen, som raderas med den",
            "contribution": REFERENCE,
            "meeting": REFERENCE,
        },
        owners=(by_email("contact__email"),),
        erase_rows=True,
        dialogue="contact__dialogue",
        thin_rows=True,
    ),
    PersonalModel(
        "accounts.Notification",
        name="aviseringar på Mina sidor",
        purpose="Visa den inloggade deltagaren att återkopplingen eller beslutet har kommit",
        basis="allmänt intresse (återkoppling till deltagare)",
        retention="raderas när dialogens bevarandetid gått ut, eller när kontot raderas",
        fields={"user": PersonalField(Category.ACCOUNT_LINK, erase=DELETE, thin=DELETE)},
        not_personal={"text": "aviseringens text, om dialogen", "link": "länk till dialogen"},
        owners=(by("user"),),
        erase_rows=True,
        dialogue="dialogue",
        thin_rows=True,
    ),
    PersonalModel(
        "feedback.FeedbackReminder",
        name="påminnelser om återkoppling",
        purpose="Påminnelser till dialogens ansvariga om återkoppling",
        basis="allmänt intresse",
        retention="raderas när dialogens bevarandetid gått ut",
        fields={
            "email": PersonalField(
                Category.CONTACT, erase=DELETE, thin=DELETE, export="tjänstepersoners adress"
            )
        },
        owners=(by_email("email"),),
        erase_rows=True,
        dialogue="dialogue",
        thin_rows=True,
    ),
    PersonalModel(
        "accounts.SchoolSession",
        purpose="Skolpass: en klass deltar med en kod, utan uppgifter om eleverna",
        basis="allmänt intresse (barns delaktighet)",
        retention="raderas med dialogens bevarandetid, eller 30 dagar efter att koden gått ut",
        fields={"created_by": official()},
        not_personal={"class_label": "klassens namn, t.ex. 7B, aldrig en elev"},
        owners=(by("created_by"),),
        dialogue="dialogue",
        due=lambda now: Q(valid_until__lt=now - datetime.timedelta(days=30)),
        thin_rows=True,
    ),
    PersonalModel(
        "accounts.ConsentRecord",
        purpose="Bevis om lämnat och återkallat samtycke",
        basis="rättslig förpliktelse (art. 7.1: visa att samtycke lämnats)",
        retention=(
            "raderas DELAKTIG_CONSENT_PROOF_MONTHS (24) månader efter återkallelse, "
            "när kontot är raderat"
        ),
        fields={"user": PersonalField(Category.ACCOUNT_LINK, erase=DETACH, thin=DELETE)},
        not_personal={"text_version": "versionen av samtyckestexten"},
        owners=(by("user"),),
        due=lambda now: Q(
            user__isnull=True, withdrawn_at__lt=_past("DELAKTIG_CONSENT_PROOF_MONTHS", 24)(now)
        ),
        thin_rows=True,
    ),
    deleted_with_account(
        "accounts.EidIdentity",
        purpose="Inloggning med e-legitimation (pseudonym av utfärdare och sub)",
        basis="allmänt intresse (säker identifiering för deltagande)",
        kept="så länge kontot finns",
        fields={"user": Category.ACCOUNT_LINK},
    ),
    deleted_with_account(
        "accounts.Demographics",
        purpose="Bakgrundsuppgifter för att se vilka som deltar",
        basis="samtycke",
        kept="så länge samtycket gäller; raderas när det återkallas",
        fields={
            "user": Category.ACCOUNT_LINK,
            "gender": Category.DEMOGRAPHIC,
            "district": Category.DEMOGRAPHIC,
            "occupation": Category.DEMOGRAPHIC,
        },
    ),
    deleted_with_account(
        "organisation.StaffRole",
        purpose="Tjänstepersoners och administratörers roller",
        basis="allmänt intresse (behörighet)",
        kept="så länge uppdraget finns",
        fields={"user": Category.OFFICIAL},
    ),
    deleted_with_account(
        "organisation.BodyMembership",
        purpose="Förtroendevaldas uppdrag i nämnder",
        basis="allmänt intresse (behörighet)",
        kept="så länge uppdraget finns",
        fields={"user": Category.OFFICIAL},
    ),
    deleted_with_account(
        "governance.DialogueTeamMember",
        purpose="Dialoggruppens medlemmar",
        basis="allmänt intresse",
        kept="så länge personen är med i dialoggruppen",
        fields={"user": Category.OFFICIAL},
    ),
    PersonalModel(
        "core.AuditEvent",
        purpose="Granskningslogg: vem som gjorde vad i systemet",
        basis="rättslig förpliktelse och allmänt intresse (spårbarhet, säkerhet)",
        retention="sparas (arkivregel); efter radering står det att något hände, inte vem",
        fields={
            "actor": PersonalField(Category.ACCOUNT_LINK, erase=DETACH, thin=keep("arkivregel")),
            "actor_label": PersonalField(
                Category.IDENTITY, erase=PSEUDONYMISE, thin=keep("arkivregel")
            ),
            "summary": PersonalField(Category.FREE_TEXT, erase=REDACT, thin=keep("arkivregel")),
            "data": PersonalField(Category.FREE_TEXT, erase=REDACT, thin=keep("arkivregel")),
        },
        owners=(by("actor"), about_account),
    ),
    PersonalModel(
        "core.MailStop",
        name="avslutade mejlutskick",
        purpose="Inte skicka fler mejl av ett slag till den som har bett om att slippa",
        basis="allmänt intresse (respektera att personen inte vill få mejlen)",
        retention="raderas efter DELAKTIG_RETENTION_MONTHS (24) månader, eller med kontot",
        fields={
            "address_digest": PersonalField(
                Category.TECHNICAL,
                erase=DELETE,
                thin=DELETE,
                export="en nyckel räknad ur adressen, inte adressen",
            ),
        },
        not_personal={"stream": "vilket slags mejl, t.ex. ett förslag eller en anmälan"},
        owners=(_stops_of_address,),
        erase_rows=True,
        due=lambda now: Q(stopped_at__lt=_past("DELAKTIG_RETENTION_MONTHS", 24)(now)),
        thin_rows=True,
    ),
    PersonalModel(
        "admin.LogEntry",
        purpose="Administratörers ändringar i administrationsgränssnittet",
        basis="allmänt intresse (spårbarhet)",
        retention="raderas efter DELAKTIG_RETENTION_MONTHS (24) månader",
        fields={
            "user": official("raderas efter bevarandetiden"),
            "object_repr": PersonalField(Category.IDENTITY, erase=PSEUDONYMISE, thin=DELETE),
            "change_message": PersonalField(Category.FREE_TEXT, erase=CLEAR, thin=DELETE),
        },
        not_personal={"object_id": REFERENCE, "content_type": REFERENCE},
        owners=(lambda user: Q(content_type__model="user", object_id=str(user.pk)),),
        due=lambda now: Q(action_time__lt=_past("DELAKTIG_RETENTION_MONTHS", 24)(now)),
        thin_rows=True,
    ),
    PersonalModel(
        "sessions.Session",
        purpose="Inloggning (webbläsarsession)",
        basis="allmänt intresse (teknisk nödvändighet)",
        retention="raderas när sessionen gått ut (två veckor)",
        fields={
            "session_key": PersonalField(
                Category.SECRET, erase=DELETE, thin=DELETE, export="en hemlig nyckel"
            ),
            "session_data": PersonalField(
                Category.TECHNICAL, erase=DELETE, thin=DELETE, export="teknisk"
            ),
        },
        finder=_session_keys,
        erase_rows=True,
        due=lambda now: Q(expire_date__lt=now),
        thin_rows=True,
    ),
    PersonalModel(
        "django_tasks_database.DBTaskResult",
        name="bakgrundsjobb",
        purpose="Kö för e-post och andra bakgrundsjobb",
        basis="allmänt intresse (teknisk nödvändighet)",
        retention="raderas DELAKTIG_TASK_RESULT_DAYS (30) dagar efter att jobbet är klart",
        fields={
            "args_kwargs": PersonalField(
                Category.CONTACT, erase=DELETE, thin=DELETE, export="kopia av ett e-postmeddelande"
            ),
            "return_value": PersonalField(
                Category.TECHNICAL, erase=DELETE, thin=DELETE, export="teknisk"
            ),
            "traceback": PersonalField(
                Category.TECHNICAL, erase=DELETE, thin=DELETE, export="teknisk"
            ),
        },
        not_personal={
            "task_path": REFERENCE,
            "worker_ids": REFERENCE,
            "queue_name": REFERENCE,
            "backend_name": REFERENCE,
            "exception_class_path": REFERENCE,
        },
        finder=_task_results_naming,
        erase_rows=True,
        due=lambda now: Q(finished_at__lt=now - _days("DELAKTIG_TASK_RESULT_DAYS", 30)),
        thin_rows=True,
    ),
    PersonalModel(
        "accounts.User",
        name="konton",
        purpose="Konto: e-post, lösenord, visningsnamn, födelseår, koppling till kommunen",
        basis="allmänt intresse (medborgardialog); kontot skapas av personen",
        retention=(
            "tills personen raderar kontot; konton som aldrig bekräftats eller använts raderas "
            "efter DELAKTIG_UNVERIFIED_ACCOUNT_DAYS (30) dagar"
        ),
        fields={
            "username": PersonalField(Category.IDENTITY, erase=DELETE, thin=DELETE),
            "email": PersonalField(Category.CONTACT, erase=DELETE, thin=DELETE),
            "first_name": PersonalField(Category.IDENTITY, erase=DELETE, thin=DELETE),
            "last_name": PersonalField(Category.IDENTITY, erase=DELETE, thin=DELETE),
            "display_name": PersonalField(Category.IDENTITY, erase=DELETE, thin=DELETE),
            "birth_year": PersonalField(Category.DEMOGRAPHIC, erase=DELETE, thin=DELETE),
            "email_verified_at": PersonalField(Category.IDENTITY, erase=DELETE, thin=DELETE),
            "password": PersonalField(
                Category.SECRET, erase=DELETE, thin=DELETE, export="sparas bara som hash"
            ),
        },
        owners=(lambda user: Q(pk=user.pk),),
        erase_rows=True,
        due=lambda now: Q(
            email_verified_at__isnull=True,
            eid_verified_at__isnull=True,
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
            date_joined__lt=now - _days("DELAKTIG_UNVERIFIED_ACCOUNT_DAYS", 30),
            contributions__isnull=True,
        ),
        thin_rows=True,
    ),
    *(
        official_acts(label, *fks, not_personal=reasons)
        for label, fks, reasons in (
            (
                "governance.SuitabilityAssessment",
                ("assessed_by",),
                {
                    "needs_residents_knowledge": BY_OFFICIALS,
                    "benefit": BY_OFFICIALS,
                    "purpose": BY_OFFICIALS,
                },
            ),
            (
                "governance.Decision",
                ("recorded_by",),
                {
                    "rationale": BY_OFFICIALS,
                    "deviation_reason": BY_OFFICIALS,
                    "correction_reason": BY_OFFICIALS,
                },
            ),
            (
                "governance.ChecklistItem",
                ("done_by",),
                {"label": CONFIG, "note": BY_OFFICIALS, "plan_fields": CONFIG},
            ),
            (
                "governance.AssignmentConsideration",
                ("recorded_by",),
                {"reason": BY_OFFICIALS, "unlinked_reason": BY_OFFICIALS},
            ),
            (
                "meetings.MeetingNote",
                ("entered_by",),
                {"text": "anteckningar från mötet, utan namn, skrivna av kommunen"},
            ),
            ("budgets.Budget", ("counted_by",), {"districts": CONFIG, "result": STATISTICS}),
            (
                "results.Compilation",
                ("published_by",),
                {
                    "summary": BY_OFFICIALS,
                    "next_steps": BY_OFFICIALS,
                    "method_notes": BY_OFFICIALS,
                    "themes_run_info": STATISTICS,
                },
            ),
            (
                "results.Theme",
                ("created_by", "reviewed_by"),
                {
                    "name": BY_OFFICIALS,
                    "description": BY_OFFICIALS,
                    "automatic_name": STATISTICS,
                    "terms": STATISTICS,
                    "quote_ids": "hänvisningar till bidrag (registrerade för sig)",
                },
            ),
            ("results.ThemeAssignment", ("assigned_by",), {}),
            (
                "feedback.Feedback",
                ("published_by", "written_by"),
                {
                    "results_summary": BY_OFFICIALS,
                    "participation_effect": BY_OFFICIALS,
                    "next_steps": BY_OFFICIALS,
                },
            ),
            ("feedback.FeedbackReport", ("reported_by",), {"note": BY_OFFICIALS}),
            ("feedback.HandlingUpdate", ("actor",), {"note": BY_OFFICIALS}),
            (
                "followup.OrganiserEvaluation",
                ("evaluated_by",),
                {
                    "what_worked": BY_OFFICIALS,
                    "what_to_improve": BY_OFFICIALS,
                    "reach": BY_OFFICIALS,
                    "effects_on_decision": BY_OFFICIALS,
                },
            ),
        )
    ),
    PersonalModel(
        "surveys.SurveyImport",
        purpose="Import av enkätsvar från fil (pappersenkäter, andra system)",
        basis="allmänt intresse (medborgardialog)",
        retention="filen töms när dialogens bevarandetid gått ut; svaren finns som anonyma svar",
        fields={
            "created_by": official(),
            "content": PersonalField(
                Category.FREE_TEXT,
                erase=keep("filens svar är inte kopplade till något konto"),
                thin=CLEAR,
                export="filen är inte kopplad till något konto",
            ),
            "report": PersonalField(
                Category.TECHNICAL,
                erase=keep("inte kopplad till något konto"),
                thin=CLEAR,
                export="inte kopplad till något konto",
            ),
        },
        not_personal={"filename": "filens namn, valt av tjänstepersonen"},
        owners=(by("created_by"),),
        dialogue="survey__activity__dialogue",
    ),
    PersonalModel(
        "followup.ParticipantEvaluation",
        purpose="Deltagarnas utvärdering av dialogen",
        basis="allmänt intresse (uppföljning)",
        retention="sparas för årsrapporten; har aldrig någon koppling till ett konto",
        fields={
            "participant_key": PARTICIPANT_KEY,
            "comment": PersonalField(
                Category.FREE_TEXT,
                erase=keep("lämnas anonymt, utan koppling till konto"),
                thin=keep("används i uppföljning och årsrapport, utan koppling till person"),
                export="lämnas anonymt, utan koppling till konto",
            ),
        },
    ),
)


# Models that hold no personal data, field by field (those the inventory test flags).
NOT_PERSONAL: dict[str, dict[str, str]] = {
    "auth.Permission": {"name": CONFIG, "content_type": REFERENCE, "codename": CONFIG},
    "auth.Group": {"name": CONFIG},
    "contenttypes.ContentType": {"app_label": REFERENCE},
    "accounts.DialogueRetention": {"note": BY_OFFICIALS},
    "organisation.PolicyProfile": {"name": CONFIG, "description": CONFIG},
    "organisation.GateRule": {"note": CONFIG},
    "organisation.ChecklistTemplateItem": {"label": CONFIG, "plan_fields": CONFIG},
    "organisation.Municipality": {
        "name": CONFIG,
        "contact_email": "kommunens funktionsadress, inte en persons",
    },
    "organisation.Body": {"name": CONFIG, "short_name": CONFIG},
    "organisation.Office": {"name": CONFIG},
    "governance.InformationEffort": {
        "why_decided": BY_OFFICIALS,
        "why_no_dialogue": BY_OFFICIALS,
        "what_was_said": BY_OFFICIALS,
    },
    "governance.TargetGroup": {"name": CONFIG, "outreach": BY_OFFICIALS},
    "governance.Alternative": {"description": BY_OFFICIALS},
    "participation.Activity": {
        "description": BY_OFFICIALS,
        "simple_description": BY_OFFICIALS,
        "accessibility_info": BY_OFFICIALS,
    },
    "surveys.Survey": {
        "intro": CONFIG,
        "ask_demographics": CONFIG,
        "districts": CONFIG,
        "thanks_text": CONFIG,
    },
    "surveys.Question": {
        name: CONFIG
        for name in (
            "label",
            "simple_label",
            "help_text",
            "options",
            "matrix_rows",
            "scale_min_label",
            "scale_max_label",
            "condition_options",
        )
    },
    "discussions.Discussion": {"question": CONFIG},
    "discussions.Section": {"text": "dokumentet som granskas, från kommunen"},
    "meetings.Meeting": {
        "address": "mötesplatsens adress",
        "accessibility": CONFIG,
        "consent_text": CONFIG,
    },
    "votes.Option": {"description": CONFIG},
    "budgets.BudgetCap": {"name": CONFIG},
    "results.PopulationTable": {"name": CONFIG, "source": CONFIG},
    "results.PopulationCell": {"district": STATISTICS, "gender": STATISTICS},
    "feedback.ProposalHandling": {"reason": BY_OFFICIALS, "implementation_note": BY_OFFICIALS},
    "feedback.FollowerNotification": {"key": REFERENCE},
}


# --- Reading the registry -----------------------------------------------------------------


def registered(label: str) -> PersonalModel | None:
    return next((spec for spec in REGISTRY if spec.model == label), None)


def person_identifiers(user: Any) -> list[str]:
    """What names the person in free text: e-mail, username, display name, full name."""
    candidates = [
        user.email,
        user.username,
        user.display_name,
        user.get_full_name(),
        user.first_name,
        user.last_name,
    ]
    seen: list[str] = []
    for value in sorted({c.strip() for c in candidates if c and len(c.strip()) >= 3}, key=len):
        seen.append(value)
    return sorted(seen, key=len, reverse=True)  # longest first: "Anna Berg" before "Anna"


REDACTED = "[borttaget]"


def redact(value: Any, identifiers: list[str]) -> Any:
    if not identifiers:
        return value
    if isinstance(value, str):
        for ident in identifiers:
            value = re.sub(re.escape(ident), REDACTED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {k: redact(v, identifiers) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, identifiers) for v in value]
    return value


def _empty(model_field: models.Field[Any, Any]) -> Any:
    if model_field.is_relation or (
        model_field.null and not isinstance(model_field, models.JSONField)
    ):
        return None
    if model_field.has_default():
        # A unique token gets a fresh random value: "" twice would collide.
        return model_field.get_default()
    if isinstance(model_field, models.BinaryField):
        return b""
    return ""


def _transformed(rule: Rule, model_field: Any, value: Any, identifiers: list[str]) -> Any:
    match rule.action:
        case Action.CLEAR | Action.DETACH:
            return _empty(model_field)
        case Action.PSEUDONYMISE:
            return PSEUDONYM if value else value
        case Action.REDACT:
            return redact(value, identifiers)
        case Action.DROP_KEYS:
            if not isinstance(value, dict):
                return value
            kept = {k: v for k, v in value.items() if k not in rule.keys}
            return redact(kept, identifiers)
    return value


def _apply_rules(
    spec: PersonalModel,
    queryset: models.QuerySet[Any],
    rule_of: Callable[[PersonalField], Rule],
    identifiers: list[str],
) -> int:
    """Change the remaining rows' fields as the rules say; the number of rows changed."""
    meta = spec.model_class._meta
    changing: list[tuple[Any, Rule]] = [
        (meta.get_field(name), rule_of(pf))
        for name, pf in spec.fields.items()
        if rule_of(pf).action not in (Action.KEEP, Action.DELETE)
    ]
    if not changing:
        return 0
    limited = {
        f.name: set(queryset.filter(rule.where).values_list("pk", flat=True))
        for f, rule in changing
        if rule.where is not None
    }
    changed: list[Any] = []
    names = [f.name for f, _rule in changing]
    for obj in queryset.only("pk", *names).iterator(chunk_size=1000):
        dirty = False
        for f, rule in changing:
            if f.name in limited and obj.pk not in limited[f.name]:
                continue
            old = getattr(obj, f.attname)
            new = _transformed(rule, f, old, identifiers)
            if new != old:
                setattr(obj, f.attname, new)
                dirty = True
        if dirty:
            changed.append(obj)
    # bulk_update is an UPDATE: also for the append-only audit log, whose save() refuses.
    spec.model_class._default_manager.bulk_update(changed, names, batch_size=500)
    return len(changed)


def _delete(spec: PersonalModel, queryset: models.QuerySet[Any]) -> int:
    if spec.model == "sessions.Session":
        # Through the session engine, so that a cached copy goes too.
        store = import_module(settings.SESSION_ENGINE).SessionStore
        keys = list(queryset.values_list("pk", flat=True))
        for key in keys:
            store(session_key=key).delete()
        return len(keys)
    _total, detail = queryset.delete()
    return int(detail.get(spec.model_class._meta.label, 0))


def _rows(condition: Q | bool, queryset: models.QuerySet[Any]) -> models.QuerySet[Any] | None:
    if condition is True:
        return queryset
    if condition is False:
        return None
    return queryset.filter(condition)


def erase_person(user: Any) -> dict[str, int]:
    """Everything the registry says about erasing one person, in one go (inside the
    caller's transaction). Rows are found first, before any of them changes, since some
    are found through others (an answer through its response's author)."""
    identifiers = person_identifiers(user)
    specs = sorted(
        (spec for spec in REGISTRY if spec.erasable),
        key=lambda spec: spec.model == "accounts.User",  # the account itself last
    )
    plan = [(spec, list(spec.rows_of(user).values_list("pk", flat=True))) for spec in specs]
    counts: dict[str, int] = {}
    for spec, pks in plan:
        if not pks:
            continue
        manager = spec.model_class._default_manager
        if spec.before_erase is not None:
            spec.before_erase(manager.filter(pk__in=pks))
        doomed = _rows(spec.erase_rows, manager.filter(pk__in=pks))
        deleted = _delete(spec, doomed) if doomed is not None else 0
        changed = _apply_rules(spec, manager.filter(pk__in=pks), lambda pf: pf.erase, identifiers)
        if deleted or changed:
            counts[spec.model] = deleted + changed
    return counts


def thin_registered(now: datetime.datetime, dialogue_ids: list[int]) -> dict[str, int]:
    """Gallring from the registry: rows of dialogues past retention, and rows due by their
    own dates. Counts by label, e.g. "Bidrag raderade"."""
    counts: dict[str, int] = {}
    for spec in REGISTRY:
        scope = Q(pk__in=[])
        if spec.dialogue is not None:
            scope |= Q(**{f"{spec.dialogue}__in": dialogue_ids})
        if spec.due is not None:
            scope |= spec.due(now)
        if spec.dialogue is None and spec.due is None:
            continue
        manager = spec.model_class._default_manager
        title = spec.title[:1].upper() + spec.title[1:]
        if spec.thin_rows is not False:
            doomed = _rows(spec.thin_rows, manager.filter(scope))
            pks = list(doomed.values_list("pk", flat=True)) if doomed is not None else []
            counts[f"{title} raderade"] = _delete(spec, manager.filter(pk__in=pks)) if pks else 0
        if any(pf.thin.action not in (Action.KEEP, Action.DELETE) for pf in spec.fields.values()):
            counts[f"{title} avidentifierade"] = _apply_rules(
                spec, manager.filter(scope), lambda pf: pf.thin, []
            )
    return counts


# --- The export -------------------------------------------------------------------------------


def _export_value(row: Any, model_field: Any, user: Any) -> Any:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if model_field.is_relation:
        raw = getattr(row, model_field.attname)
        if raw is None:
            return None
        if model_field.related_model is user_model:
            return gettext("du") if raw == user.pk else gettext("kommunen")
        return str(getattr(row, model_field.name))
    value = getattr(row, model_field.attname)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    if value is not None and not isinstance(value, str | int | float | bool | dict | list):
        return str(value)
    return value


def exported_fields(spec: PersonalModel) -> list[Any]:
    result = []
    for model_field in spec.model_class._meta.concrete_fields:
        declared = spec.fields.get(model_field.name)
        if declared is not None and declared.export is not True:
            continue
        if isinstance(model_field, models.BinaryField):
            continue
        result.append(model_field)
    return result


def export_person(user: Any) -> dict[str, Any]:
    """Everything registered about the person: one section per model, every row of theirs."""
    sections: dict[str, Any] = {}
    for spec in REGISTRY:
        if not spec.erasable:
            continue
        fields = exported_fields(spec)
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        related = [f.name for f in fields if f.is_relation and f.related_model is not user_model]
        queryset = spec.rows_of(user).order_by("pk")
        rows = list(queryset.select_related(*related) if related else queryset)
        if not rows:
            continue
        sections[spec.model] = {
            "title": spec.title,
            "purpose": spec.purpose,
            "retention": spec.retention,
            "columns": {f.name: str(f.verbose_name) for f in fields},
            "rows": [{f.name: _export_value(row, f, user) for f in fields} for row in rows],
        }
    return sections


# --- The record of processing (art. 30) ---------------------------------------------------------


def _describe_rows(condition: Q | bool) -> str:
    if condition is True:
        return "alla personens rader raderas"
    if condition is False:
        return "raderna sparas, fälten ändras som tabellen säger"
    return f"rader där {_q_text(condition)} raderas; övriga ändras som tabellen säger"


def record_of_processing() -> str:
    """docs/record-of-processing.md, generated from the registry (a test keeps it current)."""
    from django.utils import translation

    lines = [
        "# Register över behandling av personuppgifter (art. 30 GDPR)",
        "",
        "<!-- Generated by `delaktig record_of_processing` from "
        "src/delaktig/accounts/personal_data.py. Do not edit by hand. -->",
        "",
        "This record is generated from the personal-data registry that the code enforces: "
        "account deletion, `delaktig gallra` and the data export read the same declarations. "
        "See docs/identity-and-privacy.md.",
        "",
        f"Pseudonym i granskningsloggen efter radering: «{PSEUDONYM}». Personens namn och "
        f"e-post i sparad fritext ersätts med «{REDACTED}».",
        "",
    ]
    with translation.override("sv"):
        for spec in sorted(REGISTRY, key=lambda s: s.model):
            meta = spec.model_class._meta
            lines += [
                f"## {spec.title[:1].upper() + spec.title[1:]} (`{spec.model}`)",
                "",
                f"- Ändamål: {spec.purpose}",
                f"- Rättslig grund: {spec.basis}",
                f"- Bevarande och gallring: {spec.retention}",
                "- Radering av konto: "
                + (
                    _describe_rows(spec.erase_rows)
                    if spec.erasable
                    else "ingen koppling till konto"
                ),
            ]
            if spec.before_erase is not None:
                first = " ".join((spec.before_erase.__doc__ or "").split())
                lines.append(f"- Först vid radering: {first}")
            lines += [
                "",
                "| fält | kategori | export | vid radering av konto | vid gallring |",
                "|---|---|---|---|---|",
            ]
            for name, pf in spec.fields.items():
                label = getattr(meta.get_field(name), "verbose_name", name)
                export = "ja" if pf.export is True else f"nej: {pf.export}"
                lines.append(
                    f"| `{name}` ({label}) | {pf.category} | {export} | "
                    f"{pf.erase.describe()} | {pf.thin.describe()} |"
                )
            if spec.not_personal:
                lines += [
                    "",
                    "Inte personuppgifter: "
                    + "; ".join(f"`{n}`: {why}" for n, why in sorted(spec.not_personal.items()))
                    + ".",
                ]
            lines.append("")
        lines += [
            "## Modeller utan personuppgifter",
            "",
            "| modell | fält | varför |",
            "|---|---|---|",
        ]
        for label in sorted(NOT_PERSONAL):
            for name, why in sorted(NOT_PERSONAL[label].items()):
                lines.append(f"| `{label}` | `{name}` | {why} |")
    return "\n".join(lines) + "\n"


# --- What looks personal (the inventory test) ---------------------------------------------------

PERSONAL_NAME = re.compile(
    r"name|e_?mail|e_?post|phone|telefon|mobil|address|adress|birth|demograph|gender"
    r"|district|occupation|description|needs|comment|personnummer|ssn"
)
PERSONAL_PARTS = frozenset(
    {"ip", "note", "notes", "text", "reason", "answer", "summary", "contact", "token", "repr"}
    | {"message", "args", "kwargs", "data", "draft", "session", "participant", "proposer"}
)
PERSONAL_KINDS = (
    models.TextField,
    models.EmailField,
    models.GenericIPAddressField,
    models.JSONField,
    models.BinaryField,
)


def looks_personal(model_field: Any) -> bool:
    """A field whose name or kind suggests it may hold personal data."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    related = model_field.related_model
    # A string until the model registry resolves it (in a model being declared).
    if model_field.is_relation and related in (user_model, settings.AUTH_USER_MODEL):
        return True
    if isinstance(model_field, PERSONAL_KINDS):
        return True
    name = model_field.name.lower()
    return bool(PERSONAL_NAME.search(name)) or bool(PERSONAL_PARTS & set(name.split("_")))


def declared_fields(label: str) -> set[str]:
    spec = registered(label)
    names = set(NOT_PERSONAL.get(label, {}))
    if spec is not None:
        names |= set(spec.fields) | set(spec.not_personal)
    return names


def undeclared_fields(model_classes: Iterable[type[models.Model]]) -> list[str]:
    """ "app.Model.field" for each personal-looking field that the registry does not declare."""
    missing = []
    for model in model_classes:
        label = model._meta.label
        declared = declared_fields(label)
        for model_field in model._meta.concrete_fields:
            if looks_personal(model_field) and model_field.name not in declared:
                missing.append(f"{label}.{model_field.name}")
    return missing
