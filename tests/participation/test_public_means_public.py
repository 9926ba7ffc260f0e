"""Public means public: every resident page of every method, for activities in every state.

The demo municipality walks dialogues through every lifecycle state with the real actions
and has activities of every method. A second municipality is not the one
this deployment serves (set up through the back office's forms): its activities are a 404 on
every method page and in the API, as a draft's would be. One selector decides both
(`participation.selectors.public_activity`).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from tests.governance.walk import Walk

from delaktig.core.public_cache import clear_local_copies
from delaktig.governance.demo import build_demo
from delaktig.participation.ideas.models import Idea
from delaktig.participation.meetings.models import Meeting
from delaktig.participation.models import METHOD_APP, Activity
from delaktig.participation.surveys.models import Survey

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The pages a resident opens for an activity, per method app (the rest are the back office's).
RESIDENT_PAGES: dict[str, tuple[str, ...]] = {
    "surveys": ("activity",),
    "ideas": ("activity",),
    "discussions": ("activity",),
    "meetings": ("activity", "ics"),
    "votes": ("activity", "result"),
    "budgets": ("activity", "result"),
    "opinions": ("activity",),
}


def _pages(activity: Activity) -> list[str]:
    app = METHOD_APP.get(activity.method)
    if app is None:
        return []
    names = list(RESIDENT_PAGES[app])
    # Pages with nothing to show yet are a 404 of their own: a survey whose questions are
    # not written, a calendar file for a method without a meeting time.
    if app == "surveys" and not Survey.objects.filter(activity=activity).exists():
        names.remove("activity")
    if app == "meetings" and not Meeting.objects.filter(activity=activity).exists():
        names.remove("ics")
    urls = [reverse(f"{app}:{name}", kwargs={"activity_id": activity.pk}) for name in names]
    urls += [
        reverse("ideas:idea", kwargs={"idea_id": pk})
        for pk in Idea.objects.filter(activity=activity).values_list("pk", flat=True)[:3]
    ]
    return urls


def _fresh() -> None:
    cache.clear()
    clear_local_copies()


def test_every_method_page_of_every_demo_state_is_public(client: Any) -> None:
    build_demo()
    _fresh()
    seen_states: set[str] = set()
    seen_apps: set[str] = set()
    for activity in Activity.objects.select_related("dialogue").order_by("pk"):
        assert activity.dialogue.is_public  # no form puts an activity on a draft
        for url in _pages(activity):
            response = client.get(url)
            # A closed survey explains itself with 403; the page is still the public one.
            assert response.status_code in (200, 403), (url, activity.dialogue.status)
            if not url.endswith(".ics") and "/ide/" not in url:
                assert activity.title in response.content.decode(), url
        assert client.get(f"/api/aktiviteter/{activity.pk}/").status_code == 200
        seen_states.add(activity.dialogue.status)
        seen_apps.add(METHOD_APP.get(activity.method, ""))
    # The matrix covered every method app and the states in which activities exist.
    assert set(RESIDENT_PAGES) <= seen_apps
    lifecycle = {"announced", "open", "compiling", "feedback", "decided", "evaluated", "archived"}
    assert lifecycle | {"cancelled"} <= seen_states, sorted(seen_states)


# One method per method app, added through the back office's form.
ONE_PER_APP = [
    "survey",
    "idea_workshop",
    "discussion",
    "open_meeting",
    "vote",
    "budget",
    "opinions",
]


def test_another_municipalitys_activities_are_a_404_everywhere(
    client: Any, settings: Any, make_municipality: Any
) -> None:
    ours = make_municipality()
    theirs = make_municipality(name="Annanby kommun")
    settings.DELAKTIG_MUNICIPALITY_SLUG = theirs.slug
    _fresh()
    walk = Walk.begin(theirs, "Ny lekplats i Annanby")
    walk.to_decided_to_conduct()
    ids = [walk.add_activity(method, f"Aktivitet {method}") for method in ONE_PER_APP]
    activities = list(Activity.objects.filter(pk__in=ids))
    assert {METHOD_APP[a.method] for a in activities} == set(RESIDENT_PAGES)
    for activity in activities:  # served: public
        for url in _pages(activity):
            assert client.get(url).status_code == 200, url
        assert client.get(f"/api/aktiviteter/{activity.pk}/").status_code == 200

    settings.DELAKTIG_MUNICIPALITY_SLUG = ours.slug
    _fresh()
    for activity in activities:  # not served here: not public
        for url in _pages(activity):
            assert client.get(url).status_code == 404, url
        assert client.get(f"/api/aktiviteter/{activity.pk}/").status_code == 404
    listed = client.get("/api/aktiviteter/").json()
    assert listed["antal"] == 0


def test_the_register_lists_only_what_the_api_serves(client: Any, settings: Any) -> None:
    served = build_demo()
    settings.DELAKTIG_MUNICIPALITY_SLUG = served.municipality.slug
    _fresh()
    listed: set[int] = set()
    page, pages = 1, 1
    while page <= pages:
        body = client.get(f"/api/aktiviteter/?per_sida=50&sida={page}").json()
        listed |= {item["id"] for item in body["resultat"]}
        page, pages = page + 1, body["sidor"]
    public = {a.pk for a in Activity.objects.select_related("dialogue") if a.dialogue.is_public}
    assert listed == public
