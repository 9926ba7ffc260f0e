"""Evaluation (E1, E2): participants' short evaluation and the organisers' own."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.governance.models import Dialogue

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class ParticipantEvaluation(models.Model):
    """Anonymous: no user, only the dialogue's participant key, so one answer per person."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="participant_evaluations"
    )
    participant_key = models.CharField(max_length=64)
    question_clear = models.PositiveSmallIntegerField(_("var frågan tydlig?"), validators=SCALE)
    understood_influence = models.PositiveSmallIntegerField(
        _("förstod du hur mycket du kunde påverka?"), validators=SCALE
    )
    got_feedback = models.PositiveSmallIntegerField(_("fick du återkoppling?"), validators=SCALE)
    comment = models.TextField(_("fritext"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "participant_key"], name="one_evaluation_per_participant"
            ),
            models.CheckConstraint(
                condition=models.Q(question_clear__gte=1, question_clear__lte=5)
                & models.Q(understood_influence__gte=1, understood_influence__lte=5)
                & models.Q(got_feedback__gte=1, got_feedback__lte=5),
                name="evaluation_scale_1_to_5",
            ),
        ]


class OrganiserEvaluation(TimeStamped):
    """The organisers' own evaluation of a dialogue (E1)."""

    dialogue = models.OneToOneField(
        Dialogue, on_delete=models.CASCADE, related_name="organiser_evaluation"
    )
    what_worked = models.TextField(_("det här fungerade bra"))
    what_to_improve = models.TextField(_("det här gör vi bättre nästa gång"))
    reach = models.TextField(_("så nådde vi målgrupperna"))
    target_groups_reached = models.PositiveSmallIntegerField(
        _("antal målgrupper som vi nådde"), default=0
    )
    effects_on_decision = models.TextField(_("effekter på beslutet"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("utvärdering av arrangörerna")
        verbose_name_plural = _("utvärderingar av arrangörerna")
