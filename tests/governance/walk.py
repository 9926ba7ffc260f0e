"""Drive a dialogue through the back office with HTTP requests only, as an official would.

Reads (finding the id of what a form just created) go to the database; every write goes
through a form at a real URL.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from delaktig.governance import checklist, lifecycle
from delaktig.governance.models import Dialogue, Initiative
from delaktig.organisation.models import Body, Gate, Municipality
from delaktig.participation.eligibility import method_decides

PROFILES = ["styrgrupp", "trelleborg", "vanersborg", "sollentuna", "ljungby"]
PASSWORD = "x-lösen-123"  # noqa: S105 - test accounts


def _what_went_wrong(html: str) -> str:
    """The error summary and messages of a page, for a readable failure."""
    found = [m.group(0) for m in re.finditer(r'role="alert".{0,1500}', html, re.S)]
    return "\n".join(found) or html[-3000:]


def post_ok(client: Any, url: str, data: dict[str, Any], expect: int = 302) -> Any:
    response = client.post(url, data)
    assert response.status_code == expect, (
        f"{url}: {response.status_code}\n{_what_went_wrong(response.content.decode())}"
    )
    return response


def sign_in(client: Any, username: str) -> None:
    post_ok(client, "/konto/logga-in/", {"username": username, "password": PASSWORD})


def propose(client: Any, title: str, email: str = "", key: str = "") -> Dialogue:
    response = client.post(
        "/foresla/",
        {
            "title": title,
            "description": f"{title}: det behövs, tycker vi som bor här.",
            "proposer_kind": "resident",
            "proposer_name": "",
            "proposer_email": email,
            "submission_key": key or title,
        },
    )
    assert response.status_code == 200
    assert "Tack för ditt förslag" in response.content.decode()
    return Initiative.objects.get(dialogue__title=title).dialogue


class Walk:
    """One dialogue in the back office of `municipality`, driven by a signed-in client."""

    def __init__(self, client: Any, dialogue: Dialogue, owner: Body, official: Any) -> None:
        self.client = client
        self.pk = dialogue.pk
        self.owner = owner
        self.official = official
        self.today = timezone.localdate()

    @classmethod
    def begin(cls, municipality: Municipality, title: str, email: str = "") -> Walk:
        """A resident proposes `title`; a strategist signs in to take it on."""
        official = staff(municipality, "strateg")
        dialogue = propose(Client(), title, email=email)
        office = Client()
        sign_in(office, "strateg")
        return cls(office, dialogue, committee(municipality), official)

    @property
    def dialogue(self) -> Dialogue:
        return Dialogue.objects.select_related("municipality__profile").get(pk=self.pk)

    def url(self, tail: str = "") -> str:
        return f"/handlaggning/dialog/{self.pk}/{tail}"

    def step(self, name: str, expect_status: str | None = None, **data: Any) -> Any:
        """Take a step, ticking first the checklist items that stop it, as an official does."""
        for checkpoint, blocked in checklist.CHECKLIST_BLOCKS.items():
            if blocked == name:
                self.tick_checklist(checkpoint)
        response = post_ok(self.client, self.url("steg/"), {"transition": name, **data})
        if expect_status:
            assert self.dialogue.status == expect_status, self.dialogue.status
        return response

    def refused_step(self, name: str, **data: Any) -> str:
        """The error summary of a refused step: what the official is told is missing."""
        html = post_ok(
            self.client, self.url("steg/"), {"transition": name, **data}, expect=400
        ).content.decode()
        start = html.index('class="error-summary"')
        return html[start : html.index("</div>", start)]

    def assess(self, yes: bool) -> None:
        answer = "yes" if yes else "no"
        post_ok(
            self.client,
            self.url("lamplighet/"),
            {
                "needs_residents_knowledge": answer,
                "open_to_influence": answer,
                "benefit": "Bättre underlag för beslutet",
                "purpose": "Veta vad de som bor här behöver",
            },
        )

    def plan(self, **fields: Any) -> None:
        d = self.dialogue
        data = {
            "title": d.title,
            "summary": d.summary,
            "kind": d.kind,
            "scope": d.scope,
            "owner_body": self.owner.pk,
            "goal": d.goal,
            "purpose": d.purpose,
            "question": d.question,
            "influence_level": d.influence_level,
            "input_use": d.input_use,
            "starts_on": d.starts_on.isoformat() if d.starts_on else "",
            "ends_on": d.ends_on.isoformat() if d.ends_on else "",
            "feedback_due": d.feedback_due.isoformat() if d.feedback_due else "",
            "period_start_year": d.period_start_year or "",
            **{
                f: getattr(d, f)
                for f in ("background", "partners", "budget", "communication_plan", "outreach_plan")
            },
        }
        data.update(fields)
        post_ok(self.client, self.url("plan/"), data)

    def decide(
        self,
        gate: str,
        on: datetime.date | None = None,
        outcome: str = "approved",
        expect: int = 302,
        paragraph: str = "",
    ) -> int:
        """Record what the profile requires at `gate`: the deciding body's and the anchoring."""
        dialogue = self.dialogue
        on = on or self.today
        rule = lifecycle.gate_rule(dialogue, gate)
        if rule is None:
            if gate != Gate.FINAL:
                return 0
            pairs = [(self.owner, outcome)]
        else:
            pairs = []
            if rule.anchoring_body_kind:
                anchor = lifecycle.resolve_body(dialogue, rule.anchoring_body_kind)
                pairs.append((anchor, "anchored"))
            pairs.append((lifecycle.resolve_body(dialogue, rule.deciding_body_kind), outcome))
        for body, result in pairs:
            assert body is not None
            anchoring = result == "anchored"
            post_ok(
                self.client,
                self.url("beslut/"),
                {
                    "gate": gate,
                    "body": body.pk,
                    "decided_on": on.isoformat(),
                    "paragraph": ""
                    if anchoring
                    else paragraph or str(10 + Gate.values.index(gate)),
                    "case_number": "" if anchoring else f"DNR {on.year}/{self.pk}",
                    "outcome": result,
                    "rationale": "Enligt förvaltningens förslag.",
                },
                expect=expect,
            )
        return len(pairs)

    def tick_checklist(self, checkpoint: str) -> None:
        """Tick the items of a checkpoint; those that restate the plan are answered by it."""
        for item in self.dialogue.checklist.filter(required_for=checkpoint, done=False):
            if not item.plan_fields:
                post_ok(self.client, self.url(f"checklista/{item.pk}/"), {"done": "1"})

    def team(self, user: Any) -> None:
        for role in ("process_owner", "process_leader"):
            post_ok(self.client, self.url("dialoggrupp/"), {"user": user.pk, "role": role})

    def full_plan(self, starts: datetime.date, ends: datetime.date) -> None:
        self.plan(
            goal="Fler bänkar där de behövs",
            purpose="Underlag till nämnden",
            question="Var behövs bänkar?",
            influence_level="konsultation",
            input_use="Sammanställs till nämnden före beslut.",
            background="Bänkarna togs bort 2019.",
            partners="Pensionärsföreningarna",
            budget="Ryms i parkbudgeten.",
            communication_plan="Webben, affischer i parken och lokaltidningen.",
            outreach_plan="Vi besöker träffpunkterna för äldre.",
            starts_on=starts.isoformat(),
            ends_on=ends.isoformat(),
            feedback_due=(ends + datetime.timedelta(days=30)).isoformat(),
        )
        post_ok(
            self.client,
            self.url("malgrupp/"),
            {"name": "Äldre", "priority": 1, "outreach": "Träffpunkter"},
        )

    def add_activity(
        self, method: str = "idea_workshop", title: str = "Idéverkstad", place: str = "Biblioteket"
    ) -> int:
        """An activity that reaches every target group the dialogue has."""
        post_ok(
            self.client,
            f"/delta/dialog/{self.pk}/ny-aktivitet/",
            {
                "method": method,
                "title": title,
                "description": "Kom med dina idéer.",
                "place": place,
                "accessibility_info": "Rullstolsanpassat",
                # A count that decides asks for a verified account (the eligibility gate).
                "identity_level": "email" if method_decides(method) else "anonymous",
                "residency_rule": "anyone",
                "target_groups": [g.pk for g in self.dialogue.target_groups.all()],
            },
        )
        return self.dialogue.activities.get(title=title).pk

    def to_planning(self) -> None:
        """Idea → planning: assessment yes, investigate gate, the dialogue group."""
        self.step("start_assessment", "assessment")
        self.assess(yes=True)
        self.plan()
        self.decide(Gate.INVESTIGATE, self.today - datetime.timedelta(days=5))
        self.step("approve_for_planning", "approved")
        self.team(self.official)
        self.step("start_planning", "planning")

    def to_decided_to_conduct(self, starts: datetime.date | None = None) -> None:
        """Idea → decided to conduct, participation planned to start on `starts` (today)."""
        starts = starts or self.today
        self.to_planning()
        self.full_plan(starts, starts + datetime.timedelta(days=20))
        assert self.decide(Gate.CONDUCT, self.today) >= 1
        self.step("decide_to_conduct", "decided_to_conduct")

    def to_announced(self, starts: datetime.date | None = None) -> int:
        """Idea → announced, with two ways to take part (G10). Returns the first's id."""
        self.to_decided_to_conduct(starts)
        activity = self.add_activity()
        self.add_activity("cafe", "Dialogcafé", place="Träffpunkt Eken")
        self.step("announce", "announced")
        return activity

    def to_open(self) -> int:
        """Idea → open, participation starting today. Returns the activity's id."""
        activity = self.to_announced()
        self.step("open", "open")
        return activity

    def information_effort(self, **fields: Any) -> None:
        data = {
            "why_decided": "Beslutet följer av lagen.",
            "why_no_dialogue": "Frågan går inte att påverka här.",
            "held_on": (self.today - datetime.timedelta(days=1)).isoformat(),
            "place": "Stadshuset och webben",
            "what_was_said": "Vi berättade hur beslutet togs och vad det betyder.",
        }
        data.update(fields)
        post_ok(self.client, self.url("information/"), data)


def staff(municipality: Municipality, username: str, role: str = "strategist") -> Any:
    """An official of the municipality, with a password (the organisation is set up)."""
    from delaktig.accounts.models import User
    from delaktig.organisation.models import StaffRole

    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@kommun.example"
    )
    StaffRole.objects.create(user=user, municipality=municipality, role=role)
    return user


def committee(municipality: Municipality) -> Body:
    return Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden")


RESIDENT_PASSWORD = "Gron-Park-2040!"  # noqa: S105 - test accounts


def verified_resident(email: str) -> Client:
    """A resident who creates an account, follows the link in the confirmation e-mail and
    signs in: a verified e-mail account, made the way a person makes one."""
    from delaktig.accounts.actions import make_verification_token
    from delaktig.accounts.models import User

    client = Client()
    post_ok(
        client,
        "/konto/skapa-konto/",
        {
            "email": email,
            "password1": RESIDENT_PASSWORD,
            "password2": RESIDENT_PASSWORD,
            "birth_year": "",
            "display_name": "",
            "attest_residency": "on",
        },
    )
    # The link the e-mail carries (tests/accounts/test_registration.py reads it from SMTP).
    token = make_verification_token(User.objects.get(email=email))
    page = client.get(f"/konto/bekrafta/{token}/")
    assert page.status_code == 200, page.content.decode()[-2000:]
    post_ok(client, "/konto/logga-in/", {"username": email, "password": RESIDENT_PASSWORD})
    return client
