"""What each action in the audit log is called, for the people who read the log.

The code (`plan.updated`) stays what is stored and filtered on; the page shows the name.
`tests/governance/test_audit_labels.py` fails when code records an action this table does
not name.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.governance.lifecycle import TRANSITIONS

ACTION_LABELS = {
    "account.deleted": gettext_lazy("Konto raderat"),
    "activity.created": gettext_lazy("Aktivitet skapad"),
    "alternative.added": gettext_lazy("Alternativ tillagt"),
    "assessment.recorded": gettext_lazy("Lämplighetsprövning sparad"),
    "budget.counted": gettext_lazy("Medborgarbudget räknad"),
    "budget.created": gettext_lazy("Medborgarbudget skapad"),
    "budget.imported": gettext_lazy("Medborgarbudget importerad"),
    "budget.phase": gettext_lazy("Medborgarbudgetens fas ändrad"),
    "budget.project_reviewed": gettext_lazy("Budgetförslag granskat"),
    "budget.updated": gettext_lazy("Medborgarbudget ändrad"),
    "checklist.updated": gettext_lazy("Checklista ändrad"),
    "consideration.recorded": gettext_lazy("Övervägande sparat"),
    "consideration.updated": gettext_lazy("Övervägande ändrat"),
    "contribution.entered": gettext_lazy("Bidrag inmatat av tjänsteperson"),
    "decision.corrected": gettext_lazy("Beslut rättat"),
    "decision.recorded": gettext_lazy("Beslut registrerat"),
    "discussions.comment_hidden": gettext_lazy("Kommentar i samtal dold"),
    "discussions.comment_restored": gettext_lazy("Kommentar i samtal visas igen"),
    "discussions.set_up": gettext_lazy("Samtal skapat"),
    "evaluation.organiser_saved": gettext_lazy("Arrangörens utvärdering sparad"),
    "feedback.contact_entered": gettext_lazy("E-postadress för återkoppling inmatad"),
    "feedback.published": gettext_lazy("Återkoppling publicerad"),
    "feedback.reported": gettext_lazy("Återkoppling rapporterad"),
    "feedback.republished": gettext_lazy("Återkoppling publicerad på nytt"),
    "feedback.saved": gettext_lazy("Återkoppling sparad"),
    "feedback.sent": gettext_lazy("Återkoppling skickad"),
    "gallring.run": gettext_lazy("Gallring körd"),
    "handling.implementation": gettext_lazy("Genomförande av förslag uppdaterat"),
    "handling.recorded": gettext_lazy("Hantering av förslag sparad"),
    "ideas.answered": gettext_lazy("Idé besvarad"),
    "ideas.comment_hidden": gettext_lazy("Kommentar till idé dold"),
    "ideas.comment_restored": gettext_lazy("Kommentar till idé visas igen"),
    "ideas.idea_hidden": gettext_lazy("Idé dold"),
    "ideas.idea_restored": gettext_lazy("Idé visas igen"),
    "information_effort.recorded": gettext_lazy("Informationsinsats sparad"),
    "initiative.submitted": gettext_lazy("Förslag till dialog inlämnat"),
    "meetings.cancelled": gettext_lazy("Möte inställt"),
    "meetings.created": gettext_lazy("Möte skapat"),
    "meetings.documented": gettext_lazy("Möte dokumenterat"),
    "meetings.updated": gettext_lazy("Möte ändrat"),
    "opinions.polis_imported": gettext_lazy("Påståenden importerade från Polis"),
    "opinions.statement_added": gettext_lazy("Påstående tillagt"),
    "opinions.statement_approved": gettext_lazy("Påstående godkänt"),
    "opinions.statement_hidden": gettext_lazy("Påstående dolt"),
    "outcome.recorded": gettext_lazy("Beslutet i sakfrågan sparat"),
    "plan.updated": gettext_lazy("Planen ändrad"),
    "results.compilation_published": gettext_lazy("Sammanställning publicerad"),
    "results.compilation_unpublished": gettext_lazy("Sammanställning tillbaka till utkast"),
    "results.compilation_updated": gettext_lazy("Sammanställning ändrad"),
    "results.contribution_coded": gettext_lazy("Bidrag kodat"),
    "results.contribution_uncoded": gettext_lazy("Kodning av bidrag borttagen"),
    "results.exported": gettext_lazy("Bidrag exporterade"),
    "results.population_imported": gettext_lazy("Befolkningsstatistik importerad"),
    "results.raw_exported": gettext_lazy("Bidrag exporterade utan generalisering"),
    "results.theme_accepted": gettext_lazy("Tema godkänt"),
    "results.theme_created": gettext_lazy("Tema skapat"),
    "results.theme_merged": gettext_lazy("Tema sammanslaget"),
    "results.theme_rejected": gettext_lazy("Tema avfärdat"),
    "results.theme_renamed": gettext_lazy("Tema bytt namn"),
    "results.theme_split": gettext_lazy("Tema delat"),
    "results.themes_merged": gettext_lazy("Teman sammanslagna"),
    "results.themes_proposed": gettext_lazy("Teman föreslagna"),
    "school_session.created": gettext_lazy("Skolpass skapat"),
    "survey.created": gettext_lazy("Enkät skapad"),
    "survey.imported": gettext_lazy("Enkätsvar importerade"),
    "survey.paper_entered": gettext_lazy("Pappersenkät inmatad"),
    "survey.question_added": gettext_lazy("Fråga tillagd"),
    "survey.question_changed": gettext_lazy("Fråga ändrad"),
    "survey.question_deleted": gettext_lazy("Fråga borttagen"),
    "survey.settings_changed": gettext_lazy("Enkätens inställningar ändrade"),
    "target_group.added": gettext_lazy("Målgrupp tillagd"),
    "team.member_removed": gettext_lazy("Person borttagen ur dialoggruppen"),
    "team.member_set": gettext_lazy("Person i dialoggruppen"),
    "vote.created": gettext_lazy("Omröstning skapad"),
}


def action_label(code: str) -> str:
    """The name of a logged action; the code itself for one this table does not know
    (an action from an earlier version), so nothing in the log is hidden."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    prefix, _dot, name = code.partition(".")
    if prefix == "dialogue" and name in TRANSITIONS:
        return _("Dialogen: %(step)s") % {"step": TRANSITIONS[name].label}
    return code
