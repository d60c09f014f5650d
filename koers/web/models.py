"""The access log: who looked at or downloaded personal data, when and from where.

Append-only, like the events: an entry is proof and is never changed. It names the user
by user name, so the entry stays readable after the account is removed. See docs/security.md.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    RELATION_VIEWED = "relation_viewed", _("relatiepagina bekeken")
    DOWNLOADED = "downloaded", _("gedownload")


class AccessEntry(models.Model):
    at = models.DateTimeField(_("op"), default=timezone.now, db_index=True)
    username = models.CharField(_("gebruiker"), max_length=150, db_index=True)
    kind = models.CharField(_("soort"), max_length=32, choices=AccessKind.choices)
    target = models.CharField(_("wat"), max_length=300)
    client = models.CharField(_("adres"), max_length=64)

    class Meta:
        verbose_name = _("toegang")
        verbose_name_plural = _("toegangslog")
        indexes = [models.Index(fields=["kind", "target"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("the access log is append-only")
        super().save(*args, **kwargs)
