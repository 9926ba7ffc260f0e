"""May this person take part in this activity now? One answer, asked by every method.

Every participation view asks `refusal(request, activity)` and every participation action
`check(user, activity, school=...)`; the rules permissions `*.participate` are the same
question without a request. The answer covers, in this order:

1. the dialogue's state and the activity's own window (`governance.states`: the state
   declares PARTICIPATION_OPEN or, for meeting registration, REGISTRATION_OPEN),
2. a school session: the school vouches for its class, so it replaces identity level,
   residency and age — except where the count decides something,
3. the identity level: the activity's own, raised for methods on the ladder's
   co-decision step (votes, budget ballots) to the level the municipality's policy
   profile sets for a count that decides (at least a verified e-mail account),
4. residency and age, where the activity restricts them.

`counts_toward_threshold` asks the same of a person whose support would count toward an
e-proposal's threshold: reaching it starts formal handling, so it needs the deciding level.

The rate limit is not asked here: `delaktig.core.ratelimit.WriteLimitMiddleware` has
counted and, over the limit, refused every write before any view runs, so no view can
forget it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError
from delaktig.governance.models import InfluenceLevel
from delaktig.governance.states import Feature, allows
from delaktig.participation.identity import school_session_for
from delaktig.participation.models import (
    METHOD_LADDER_STEP,
    Activity,
    IdentityLevel,
    ResidencyRule,
)

LEVEL_RANK = {IdentityLevel.ANONYMOUS: 0, IdentityLevel.EMAIL: 1, IdentityLevel.EID: 2}


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def decides(activity: Activity) -> bool:
    """A method whose count decides (the co-decision step): each person counts once."""
    return method_decides(activity.method)


def method_decides(method: str) -> bool:
    return METHOD_LADDER_STEP.get(method) == InfluenceLevel.MEDBESLUTANDE


def deciding_level(profile: Any) -> IdentityLevel:
    """The level the policy profile sets for a count that decides: at least a verified
    e-mail account, so that each person counts once."""
    deciding = IdentityLevel(profile.deciding_identity_level)
    return max(deciding, IdentityLevel.EMAIL, key=LEVEL_RANK.__getitem__)


def level_needed(method: str, level: str, profile: Any) -> IdentityLevel:
    """The identity level an activity of `method` set to `level` asks of a participant."""
    needed = IdentityLevel(level)
    if method_decides(method):
        needed = max(needed, deciding_level(profile), key=LEVEL_RANK.__getitem__)
    return needed


def required_level(activity: Activity) -> IdentityLevel:
    profile = activity.dialogue.municipality.profile
    return level_needed(activity.method, activity.identity_level, profile)


def refusal_for(
    user: Any,
    activity: Activity,
    *,
    school: dict[str, Any] | None = None,
    feature: Feature = Feature.PARTICIPATION_OPEN,
) -> Refusal | None:
    """Why this person may not take part now, or None when they may.

    `feature` is what the dialogue's state must allow; with PARTICIPATION_OPEN the
    activity's own opening and closing times apply too (registration for a meeting
    opens before the meeting does).
    """
    if not allows(activity.dialogue, feature) or (
        feature == Feature.PARTICIPATION_OPEN and not activity.is_open
    ):
        if feature == Feature.REGISTRATION_OPEN:
            return Refusal("closed", _("Anmälan till mötet är stängd."))
        return Refusal("closed", _("Aktiviteten är inte öppen för deltagande just nu."))
    if school is not None and not decides(activity):
        return None
    return _person_refusal(user, activity, required_level(activity))


def _person_refusal(user: Any, activity: Activity, level: IdentityLevel) -> Refusal | None:
    """Identity level, then residency and age where the activity restricts them."""
    authenticated = getattr(user, "is_authenticated", False)
    have = LEVEL_RANK[IdentityLevel(user.identity_level)] if authenticated else 0
    if have < LEVEL_RANK[level]:
        if level == IdentityLevel.EID:
            return Refusal("identity", _("Du behöver logga in med e-legitimation för att delta."))
        if decides(activity):
            return Refusal(
                "identity",
                _(
                    "För att rösta behöver du ett konto med verifierad e-post eller "
                    "e-legitimation, så att varje person bara räknas en gång."
                ),
            )
        return Refusal("identity", _("Du behöver logga in med ett konto med verifierad e-post."))
    restricted = LEVEL_RANK[level] > 0
    if (
        restricted
        and activity.residency_rule != ResidencyRule.ANYONE
        and not (authenticated and user.connected_to_municipality)
    ):
        return Refusal(
            "residency",
            _("Den här aktiviteten är för dig som bor, arbetar, studerar eller vistas i kommunen."),
        )
    if restricted and activity.min_age:
        birth_year = getattr(user, "birth_year", None) if authenticated else None
        if birth_year is None or timezone.localdate().year - birth_year < activity.min_age:
            return Refusal(
                "age",
                _("Du behöver vara minst %(age)s år för att delta.") % {"age": activity.min_age},
            )
    return None


def counts_toward_threshold(user: Any, activity: Activity) -> bool:
    """Does this person's support count toward an e-proposal's threshold?

    Reaching the threshold starts formal handling, so the count decides something: only a
    person at the level the policy profile sets for counts that decide (at least a
    verified e-mail account), living in the municipality and old enough where the
    activity restricts that. Anyone else's support is recorded and shown as interest.
    A school session vouches for a class, not for a person, so it counts as interest.
    """
    profile = activity.dialogue.municipality.profile
    return _person_refusal(user, activity, deciding_level(profile)) is None


def refusal(
    request: HttpRequest,
    activity: Activity,
    *,
    feature: Feature = Feature.PARTICIPATION_OPEN,
    permission: str = "",
) -> Refusal | None:
    """`refusal_for` the person behind this request, with their school session if any.

    With `permission` (the method's `*.participate` or `votes.cast`) the view authorises
    through that rules permission first; only when it says no is the request asked, since a
    class's school session, which the permission cannot see, may still let a pupil in, and
    the page needs the reason in Swedish. The permission is asked in the rules set itself:
    `user.has_perm` says yes to a superuser for everything, and whether one may take part
    now is no privilege.
    """
    if permission and rules.has_perm(permission, request.user, activity):
        return None
    return refusal_for(
        request.user, activity, school=school_session_for(request, activity), feature=feature
    )


def check(
    user: Any,
    activity: Activity,
    *,
    school: dict[str, Any] | None = None,
    feature: Feature = Feature.PARTICIPATION_OPEN,
) -> None:
    """Raise the refusal as a DomainError: the guard of every participation action."""
    found = refusal_for(user, activity, school=school, feature=feature)
    if found is not None:
        raise DomainError(found.message, code=found.code)


@rules.predicate
def may_take_part(user: Any, activity: Any) -> bool:
    return isinstance(activity, Activity) and refusal_for(user, activity) is None
