"""People. Residents give as little as possible: an email, or nothing at all."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(
        _("visningsnamn"),
        max_length=80,
        blank=True,
        help_text=_("Visas vid dina publicerade bidrag. Lämna tomt för att vara anonym."),
    )
    preferred_language = models.CharField(
        _("språk"), max_length=5, choices=[("sv", "Svenska"), ("en", "English")], default="sv"
    )

    email_verified_at = models.DateTimeField(_("e-post verifierad"), null=True, blank=True)
    # Set when the person last signed in with e-ID (BankID, Freja) through OIDC.
    eid_verified_at = models.DateTimeField(_("e-legitimation verifierad"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("födelseår"), null=True, blank=True)
    connected_to_municipality = models.BooleanField(
        _("bor, arbetar, studerar eller vistas i kommunen"), default=False
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.display_name or self.username

    @property
    def identity_level(self) -> str:
        """The strongest identity this person has shown: eid > email > anonymous."""
        if self.eid_verified_at:
            return "eid"
        if self.email_verified_at:
            return "email"
        return "anonymous"

    @property
    def public_name(self) -> str:
        return self.display_name or str(_("Anonym invånare"))
