"""Medborgarbudget end to end: frame, proposals, review, ballot without JS, count, result."""

from __future__ import annotations

import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from delaktig.core.models import AuditEvent
from delaktig.participation.budgets import actions, selectors
from delaktig.participation.budgets.models import Ballot, Budget, Phase, Project, ProjectStatus
from delaktig.participation.models import Contribution

from .conftest import close

pytestmark = pytest.mark.django_db


def url(name: str, activity: Any) -> str:
    return reverse(f"budgets:{name}", kwargs={"activity_id": activity.pk})


def test_whole_journey_from_frame_to_explained_result(client, activity, people, verify):
    official = people["official"]
    resident = verify(people["resident"])
    client.force_login(official)
    r = client.post(
        url("manage", activity),
        {
            "action": "ramar",
            "total": "100000",
            "max_project_cost": "70000",
            "ballot_type": "knapsack",
            "points_total": "10",
            "rule": "greedy",
            "districts": "",
        },
    )
    assert r.status_code == 302
    budget = Budget.objects.get(activity=activity)
    assert budget.phase == Phase.PROPOSALS

    # A resident proposes two projects; each becomes a Contribution.
    client.force_login(resident)
    page = client.get(url("activity", activity)).content.decode()
    assert page.index("Så mycket kan du påverka") < page.index("Lämna ett förslag")
    for title, cost in [("Utegym vid skolan", "60000"), ("Fontän på torget", "900000")]:
        r = client.post(
            url("propose", activity),
            {
                "title": title,
                "description": "Bra för alla.",
                "proposed_cost": cost,
                "submission_key": f"k-{title}",
            },
        )
        assert r.status_code == 302
    # The same form sent twice does not create a second project.
    client.post(
        url("propose", activity),
        {
            "title": "Utegym vid skolan",
            "description": "Bra för alla.",
            "submission_key": "k-Utegym vid skolan",
        },
    )
    assert budget.projects.count() == 2
    assert Contribution.objects.filter(kind="idea", activity=activity).count() == 2

    # Officials review: one feasible with a cost, one not, both with reasons.
    client.force_login(official)
    gym, fountain = budget.projects.order_by("id")
    r = client.post(
        reverse("budgets:review", kwargs={"project_id": gym.pk}),
        {"feasible": "ja", "cost": "55000", "reason": "Ryms på skolgården."},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("budgets:review", kwargs={"project_id": fountain.pk}),
        {"feasible": "ja", "cost": "900000", "reason": "Dyr."},
    )
    assert r.status_code == 409  # over max project cost, in Swedish
    assert "högsta tillåtna" in r.content.decode()
    r = client.post(
        reverse("budgets:review", kwargs={"project_id": fountain.pk}),
        {"feasible": "nej", "reason": "Kostar mer än ett projekt får kosta."},
    )
    assert r.status_code == 302
    budget.projects.create(
        title="Bänkar i parken",
        description="Tio bänkar.",
        cost=Decimal(30000),
        status=ProjectStatus.FEASIBLE,
        review_reason="Enkelt att genomföra.",
    )
    budget.projects.create(
        title="Belysning",
        description="Lampor.",
        cost=Decimal(40000),
        status=ProjectStatus.FEASIBLE,
        review_reason="Genomförbart.",
    )
    r = client.post(url("manage", activity), {"action": "skede", "phase": "voting"})
    assert r.status_code == 302
    budget.refresh_from_db()
    assert budget.phase == Phase.VOTING
    assert AuditEvent.objects.filter(action="budget.project_reviewed").count() == 2

    # The resident picks projects and presses "Uppdatera": remaining budget is recomputed
    # on the server, nothing is saved.
    client.force_login(resident)
    bench = budget.projects.get(title="Bänkar i parken")
    light = budget.projects.get(title="Belysning")
    gym.refresh_from_db()
    r = client.post(
        url("activity", activity), {"projekt": [gym.pk, bench.pk], "action": "uppdatera"}
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "Kvar av budgeten" in page and "15\u00a0000\u00a0kr" in page
    assert f'value="{gym.pk}" id="projekt-{gym.pk}" checked' in page
    assert Ballot.objects.count() == 0
    # Over the budget: the knapsack ballot refuses to be sent, HTTP 400, nothing saved.
    r = client.post(
        url("activity", activity), {"projekt": [gym.pk, bench.pk, light.pk], "action": "skicka"}
    )
    assert r.status_code == 400
    assert "kostar mer än budgeten" in r.content.decode()
    assert Ballot.objects.count() == 0
    # Sent for real.
    r = client.post(url("activity", activity), {"projekt": [gym.pk, bench.pk], "action": "skicka"})
    assert r.status_code == 302
    assert Ballot.objects.count() == 1
    contribution = Contribution.objects.get(kind="ballot")
    assert contribution.source_type == "budgets.Ballot"
    assert contribution.data["choices"] == [
        {"project": gym.pk, "points": 1},
        {"project": bench.pk, "points": 1},
    ]
    assert contribution.data["demographics"]["age_band"]
    # A second vote is refused, and still counts once.
    r = client.post(url("activity", activity), {"projekt": [light.pk], "action": "skicka"})
    assert r.status_code == 409
    assert "Du har röstat" in r.content.decode()
    assert Ballot.objects.count() == 1

    # Paper ballots, entered by an official; the same paper number only once.
    client.force_login(official)
    r = client.post(url("paper", activity), {"nummer": "P-1", "projekt": [light.pk, bench.pk]})
    assert r.status_code == 302
    r = client.post(url("paper", activity), {"nummer": "P-1", "projekt": [light.pk]})
    assert r.status_code == 409 and "redan inmatad" in r.content.decode()
    r = client.post(url("paper", activity), {"nummer": "P-2", "projekt": [light.pk]})
    assert Ballot.objects.filter(channel="paper").count() == 2
    assert Contribution.objects.filter(kind="ballot", channel="paper").count() == 2

    # Counting waits for the vote to close.
    r = client.post(url("manage", activity), {"action": "rakna"})
    assert r.status_code == 409 and "fortfarande öppen" in r.content.decode()
    assert client.get(url("result", activity)).content.decode().count("inte räknade") == 1
    close(activity)
    r = client.post(url("manage", activity), {"action": "rakna"})
    assert r.status_code == 302
    budget.refresh_from_db()
    # Scores: bench 2, light 2, gym 1. Tie bench/light: both 2 supporters -> cheaper first.
    # bench 30 000, light 40 000, gym 55 000 does not fit in 30 000.
    assert budget.result["selected"] == [str(bench.pk), str(light.pk)]
    gym.refresh_from_db()
    assert gym.status == ProjectStatus.NOT_FUNDED
    page = client.get(url("result", activity)).content.decode()
    assert "Projekten som vann (2)" in page
    assert "bara 30\u00a0000\u00a0kr kvar och projektet kostar 55\u00a0000\u00a0kr" in page
    assert "Kostar mer än ett projekt får kosta." in page  # the infeasible one, with reason
    assert "lika många röster" in page  # tie rule explained


@pytest.mark.parametrize(
    ("ballot_type", "fields", "post", "status", "message"),
    [
        ("approval", {"max_choices": 2}, {"projekt": [0, 1, 2]}, 400, "högst 2 projekt"),
        ("approval", {}, {}, 400, "Välj minst ett projekt"),
        ("choose_one", {}, {"projekt": "x"}, 400, "finns inte på röstsedeln"),
        ("cumulative", {"points_total": 5}, {"poang-0": 3, "poang-1": 3}, 400, "bara 5"),
        ("cumulative", {"points_total": 5}, {"poang-0": -1}, 400, "negativa"),
        ("cumulative", {"points_total": 5}, {"poang-0": "tre"}, 400, "heltal"),
        ("ranked", {"max_choices": 3}, {"rang-0": 1, "rang-1": 1}, 400, "utan dubbletter"),
        ("ranked", {"max_choices": 3}, {"rang-0": 2}, 400, "utan luckor"),
        ("ranked", {"max_choices": 3}, {"rang-0": 2, "rang-1": 1}, 302, ""),
        ("cumulative", {"points_total": 5}, {"poang-0": 2, "poang-2": 3}, 302, ""),
        ("choose_one", {}, {"projekt": 1}, 302, ""),
    ],
)
def test_ballot_validation_matrix(
    client, make_budget, people, verify, ballot_type, fields, post, status, message
):
    budget = make_budget(ballot_type, **fields)
    pks = [p.pk for p in budget.projects.order_by("order")]

    def real(value: Any, key: str = "") -> Any:
        if isinstance(value, list):
            return [pks[v] for v in value]
        return pks[value] if key == "projekt" and isinstance(value, int) else value

    data = {}
    for key, value in post.items():
        if "-" in key:
            data[f"{key.split('-')[0]}-{pks[int(key.split('-')[1])]}"] = value
        else:
            data[key] = real(value, key)
    data["action"] = "skicka"
    client.force_login(verify(people["resident"]))
    r = client.post(url("activity", budget.activity), data)
    assert r.status_code == status, r.content.decode()[:3000]
    if message:
        assert message in r.content.decode()
        assert Ballot.objects.count() == 0
    else:
        ballot = Ballot.objects.get()
        if ballot_type == "ranked":
            # First place gets the most points (3), second place 2.
            assert ballot.choices == [
                {"project": pks[1], "points": 3},
                {"project": pks[0], "points": 2},
            ]


@pytest.mark.parametrize(
    ("who", "setup", "code"),
    [
        ("anonymous", None, "identity"),
        ("resident_unverified", None, "identity"),
        ("resident", "closed", "closed"),
        ("resident", "young", "age"),
        ("resident", "unconnected", "residency"),
    ],
)
def test_refusals_before_any_vote(client, make_budget, people, verify, who, setup, code):
    budget = make_budget()
    activity = budget.activity
    user = None
    if who.startswith("resident"):
        user = people["resident"]
        if who == "resident":
            verify(user)
        client.force_login(user)
    if setup == "closed":
        close(activity)
    elif setup == "young":
        user.birth_year = 2026 - 10
        user.save()
    elif setup == "unconnected":
        user.connected_to_municipality = False
        user.save()
    page = client.get(url("activity", activity)).content.decode()
    assert "Du kan inte delta här just nu" in page
    assert 'name="action" value="skicka"' not in page
    r = client.post(
        url("activity", activity), {"projekt": [budget.projects.first().pk], "action": "skicka"}
    )
    assert r.status_code == 403
    assert Ballot.objects.count() == 0
    with pytest.raises(actions.DomainError) as caught:
        actions.cast_ballot(
            budget=budget,
            user=user,
            participant_key="x",
            choices=[(budget.projects.first().pk, 1)],
        )
    assert caught.value.code == code


def test_district_eligibility(client, make_budget, people, verify):
    budget = make_budget(districts="Norr\nSöder")
    client.force_login(verify(people["resident"]))
    pk = budget.projects.first().pk
    r = client.post(url("activity", budget.activity), {"projekt": [pk], "action": "skicka"})
    assert r.status_code == 400 and "Välj vilket område du bor i" in r.content.decode()
    r = client.post(
        url("activity", budget.activity), {"projekt": [pk], "omrade": "Väst", "action": "skicka"}
    )
    assert r.status_code == 400
    with pytest.raises(actions.DomainError, match="bara de som bor i: Norr, Söder"):
        actions.cast_ballot(
            budget=budget,
            user=people["resident"],
            participant_key="k",
            choices=[(pk, 1)],
            district="Väst",
        )
    r = client.post(
        url("activity", budget.activity), {"projekt": [pk], "omrade": "Norr", "action": "skicka"}
    )
    assert r.status_code == 302
    assert Ballot.objects.get().district == "Norr"


def test_user_text_is_escaped(client, make_budget, people, verify):
    budget = make_budget(projects=[("<script>alert(1)</script>", 1000)])
    client.force_login(verify(people["resident"]))
    page = client.get(url("activity", budget.activity)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_proposal_form_errors_are_swedish_and_nothing_is_saved(client, activity, people, verify):
    actions.create_budget(activity=activity, by=people["official"], total=Decimal(1000))
    client.force_login(verify(people["resident"]))
    r = client.post(
        url("propose", activity),
        {"title": "", "description": "x" * 4001, "proposed_cost": "mycket"},
    )
    page = r.content.decode()
    assert r.status_code == 400
    assert "Ge projektet ett namn." in page
    assert "högst 4 000 tecken" in page
    assert "Skriv kostnaden som ett tal" in page
    assert Project.objects.count() == 0


ROLES_EXPECTED = {
    "anonymous": 403,
    "resident": 403,
    "elected": 403,
    "other_official": 403,
    "official": 200,
    "process_leader": 403,
    "strategist": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", list(ROLES_EXPECTED))
@pytest.mark.parametrize("page", ["manage", "paper", "review", "count", "export_before_count"])
def test_role_matrix_for_official_pages(client, make_budget, people, role, page):
    budget = make_budget()
    activity = budget.activity
    if people[role] is not None:
        client.force_login(people[role])
    expected = ROLES_EXPECTED[role]
    if page == "review":
        budget.phase = Phase.REVIEW
        budget.save()
        r = client.get(reverse("budgets:review", kwargs={"project_id": budget.projects.first().pk}))
    elif page == "count":
        close(activity)
        Ballot.objects.create(
            budget=budget,
            participant_key="p",
            choices=[{"project": budget.projects.first().pk, "points": 1}],
        )
        r = client.post(url("manage", activity), {"action": "rakna"})
        expected = 302 if expected == 200 else expected
        budget.refresh_from_db()
        assert budget.is_counted == (expected == 302)
    elif page == "export_before_count":
        r = client.get(url("export", activity))
    else:
        r = client.get(url(page, activity))
    assert r.status_code == expected


def test_result_export_is_public_after_count_and_reimports_to_the_same_result(
    client, make_budget, people, activity, dialogue
):
    budget = make_budget(total=50_000, projects=[("A", 30_000), ("B", 25_000), ("C", 20_000)])
    a, b, c = budget.projects.order_by("order")
    for i, chosen in enumerate([[a, b], [a, c], [b, c], [a]]):
        Ballot.objects.create(
            budget=budget,
            participant_key=f"p{i}",
            choices=[{"project": p.pk, "points": 1} for p in chosen],
        )
    close(activity)
    actions.count_votes(budget=budget, by=people["official"])
    budget.refresh_from_db()
    # a 3 votes (30 000), b and c 2 each: c cheaper -> c (20 000). 50 000 spent.
    assert budget.result["selected"] == [str(a.pk), str(c.pk)]
    r = client.get(url("export", activity))
    assert r.status_code == 200
    text = r.content.decode()
    out = io.StringIO()
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"budget-{budget.pk}-{os.getpid()}.pb"
    path.write_text(text, encoding="utf-8")
    try:
        call_command("pb", "count", str(path), stdout=out)
    finally:
        path.unlink()
    assert json.loads(out.getvalue())["selected"] == [str(a.pk), str(c.pk)]
    assert f"{a.pk};30000;3;A;1" in text


def test_import_command_loads_a_real_pabulib_file_and_counts_like_the_city(
    people, dialogue, tmp_path
):
    source = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data")) / "pabulib"
    path = source / "Poland_Lodz_2023_Wzniesien_Lodzkich.pb"
    if not path.exists():
        pytest.skip("shared Pabulib data is absent")
    from delaktig.participation.budgets.pabulib import read
    from delaktig.participation.models import Activity

    act = Activity.objects.create(dialogue=dialogue, method="budget", title="Import", slug="imp")
    budget = actions.create_budget(activity=act, by=people["official"], total=Decimal(1))
    out = io.StringIO()
    call_command(
        "pb", "import", str(path), "--activity", str(act.pk), "--by", "official", stdout=out
    )
    assert json.loads(out.getvalue()) == {"projects": 3, "ballots": 362}
    budget.refresh_from_db()
    assert budget.total == Decimal(419000) and budget.rule == "greedy-threshold"
    assert Contribution.objects.filter(activity=act, kind="ballot").count() == 362
    budget.phase = Phase.VOTING
    budget.save()
    close(act)
    actions.count_votes(budget=budget, by=people["official"])
    budget.refresh_from_db()
    assert budget.result["selected"] == read(path).reference_selection()
    exported = selectors.export_pabulib(budget)
    assert "B084WL;414700;263;" in exported


def test_import_refuses_a_broken_file_in_swedish(client, activity, people):
    actions.create_budget(activity=activity, by=people["official"], total=Decimal(1000))
    client.force_login(people["official"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile(
        "x.pb",
        b"META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\nA;tio\nVOTES\nvoter_id;vote\n",
    )
    r = client.post(url("manage", activity), {"action": "importera", "file": bad})
    assert r.status_code == 400
    assert "Rad 6: Kostnaden för A är inte ett tal" in r.content.decode()
    assert Project.objects.count() == 0


def test_imported_file_counts_with_its_official_order_and_states_tie_break_and_warnings(
    client, activity, people
):
    """Through the manage page: a file whose ballot names a project twice and whose two
    top projects tie; the result page and the audit say how the tie was broken and why
    one ballot counted a project once."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    actions.create_budget(activity=activity, by=people["official"], total=Decimal(1000))
    client.force_login(people["official"])
    text = (
        "META\nkey;value\nbudget;70\nvote_type;approval\nrule;greedy\n"
        "PROJECTS\nproject_id;cost;name\nA;60;Dyrare men först\nB;50;Billigare\n"
        "VOTES\nvoter_id;vote\n1;A,B,A\n2;A,B\n"
    )
    upload = SimpleUploadedFile("lika.pb", text.encode())
    r = client.post(url("manage", activity), {"action": "importera", "file": upload})
    assert r.status_code == 302
    budget = Budget.objects.get(activity=activity)
    assert budget.tie_break == "file-order"
    imported = AuditEvent.objects.get(action="budget.imported")
    assert "nämner A mer än en gång" in imported.data["warnings"][0]
    r = client.post(url("manage", activity), {"action": "skede", "phase": "voting"})
    assert r.status_code == 302
    close(activity)
    r = client.post(url("manage", activity), {"action": "rakna"})
    assert r.status_code == 302
    budget.refresh_from_db()
    # Same votes (2 each): the file lists A first, so A wins, though B is cheaper.
    a = budget.projects.get(external_id="A")
    assert budget.result["selected"] == [a.pb_id]
    assert budget.result["details"]["tie_break"] == "file-order"
    counted = AuditEvent.objects.get(action="budget.counted")
    assert counted.data["tie_break"] == "file-order"
    page = client.get(url("result", activity)).content.decode()
    assert "står först i den officiella projektlistan" in page


def test_the_tie_break_is_chosen_on_the_frame_form(client, activity, people):
    client.force_login(people["official"])
    frame = {
        "action": "ramar",
        "total": "100000",
        "ballot_type": "approval",
        "points_total": "10",
        "rule": "greedy",
        "districts": "",
    }
    r = client.post(url("manage", activity), {**frame, "tie_break": "file-order"})
    assert r.status_code == 302
    assert Budget.objects.get(activity=activity).tie_break == "file-order"
    # Left out, the budget keeps the tie-break it has.
    r = client.post(url("manage", activity), frame)
    assert Budget.objects.get(activity=activity).tie_break == "file-order"
    r = client.post(url("manage", activity), {**frame, "tie_break": "mynt"})
    assert r.status_code == 400
