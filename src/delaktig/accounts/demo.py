"""Demo identity state: consents, an e-ID link for "invanare", a school code for youth."""

from __future__ import annotations

import datetime

from django.utils import timezone

from delaktig.accounts.actions import give_consent, pseudonymise_subject, save_demographics
from delaktig.accounts.models import AgeBand, ConsentPurpose, EidIdentity, SchoolSession
from delaktig.governance.demo_context import DemoContext

DEMO_ISSUER = "https://eid.demo.delaktig.example"


def load(ctx: DemoContext) -> None:
    now = timezone.now()
    resident = ctx.users.get("invanare")
    if resident is not None:
        if resident.connected_to_municipality and not resident.residency_attested_at:
            resident.residency_attested_at = now
            resident.save(update_fields=["residency_attested_at"])
        give_consent(user=resident, purpose=ConsentPurpose.DEMOGRAPHICS)
        give_consent(user=resident, purpose=ConsentPurpose.NOTIFICATIONS)
        save_demographics(user=resident, gender="kvinna", district="Centrum", occupation="")
        EidIdentity.objects.get_or_create(
            subject_hash=pseudonymise_subject(DEMO_ISSUER, f"demo-{resident.username}"),
            defaults={"user": resident, "issuer": DEMO_ISSUER},
        )
    second = ctx.users.get("invanare2")
    if second is not None:
        give_consent(user=second, purpose=ConsentPurpose.NOTIFICATIONS)
    youth = ctx.dialogues.get("open_youth")
    if youth is not None and not SchoolSession.objects.filter(code="KLASS7B").exists():
        SchoolSession.objects.create(
            dialogue=youth,
            code="KLASS7B",
            class_label="7B Tallbackaskolan",
            age_band=AgeBand.B13_15,
            valid_until=datetime.datetime.combine(
                ctx.today + datetime.timedelta(days=30),
                datetime.time(16),
                tzinfo=timezone.get_current_timezone(),
            ),
            max_uses=30,
            created_by=ctx.users.get("handlaggare"),
        )
