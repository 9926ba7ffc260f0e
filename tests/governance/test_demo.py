import pytest

from delaktig.governance.demo import build_demo
from delaktig.governance.models import DialogueStatus

pytestmark = pytest.mark.django_db


PROFILES = ["styrgrupp", "trelleborg", "vanersborg", "sollentuna", "ljungby"]


@pytest.mark.parametrize("profile", PROFILES)
def test_demo_walks_every_state_under_every_profile(profile):
    ctx = build_demo(profile, with_apps=False)
    reached = {d.status for d in ctx.dialogues.values()}
    assert reached == set(DialogueStatus.values)
    assert ctx.municipality.profile.slug == profile
    assert {login[1] for login in ctx.logins} >= {"admin", "strateg", "handlaggare", "invanare"}


def test_full_demo_with_every_app():
    ctx = build_demo("sollentuna")
    assert ctx.dialogues["open"].activities.exists()
    assert ctx.dialogues["feedback"].is_feedback_overdue
    # The published results name each theme in words a person gave it, never the machine's.
    from django.test import Client

    from delaktig.results.demo import TOPIC_NAMES
    from delaktig.results.models import Theme, ThemeStatus

    published = Theme.objects.filter(
        compilation__dialogue=ctx.dialogues["feedback"], status=ThemeStatus.ACCEPTED
    )
    assert published.exists() and {t.name for t in published} <= set(TOPIC_NAMES.values())
    page = Client().get(f"/resultat/{ctx.dialogues['feedback'].slug}/").content.decode()
    for theme in published:
        assert theme.name in page and theme.automatic_name not in page
