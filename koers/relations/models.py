"""Relations (donors, members, customers), their consents and their event log."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import NotSupportedError, models
from django.utils.translation import gettext_lazy as _

from koers.relations.choices import (
    ContactChannel,
    EventKind,
    EventSource,
    Language,
    LegalBasis,
    RelationKind,
    RelationStatus,
)

# The secret in a relation's unsubscribe links: 20 hexadecimal characters, 80 random bits.
SECRET_LENGTH = 20


def new_unsubscribe_secret() -> str:
    return secrets.token_hex(SECRET_LENGTH // 2)


class RandomSecret(models.Func):
    """A new unsubscribe secret made by the database: for relations inserted in SQL (the
    import, the benchmarks) and for every relation that existed when the column came."""

    output_field = models.CharField()
    allowed_default = True

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotSupportedError("RandomSecret is written for SQLite and PostgreSQL")

    def as_sqlite(self, *args: Any, **kwargs: Any) -> tuple[str, list[Any]]:
        return f"lower(hex(randomblob({SECRET_LENGTH // 2})))", []

    def as_postgresql(self, *args: Any, **kwargs: Any) -> tuple[str, list[Any]]:
        # gen_random_uuid() draws from the operating system's random source (random() does
        # not); md5 spreads its 122 random bits over every hexadecimal character.
        return f"substr(md5(gen_random_uuid()::text), 1, {SECRET_LENGTH})", []


class RelationQuerySet(models.QuerySet["Relation"]):
    def search(self, text: str) -> RelationQuerySet:
        """Free-text search over number, names, e-mail, postcode and city."""
        text = text.strip()
        if not text:
            return self
        query = models.Q()
        for word in text.split():
            query &= (
                models.Q(external_id__iexact=word)
                | models.Q(first_name__icontains=word)
                | models.Q(last_name__icontains=word)
                | models.Q(organisation_name__icontains=word)
                | models.Q(email__icontains=word)
                | models.Q(postcode__iexact=word.replace(" ", "").upper())
                | models.Q(city__icontains=word)
            )
        return self.filter(query)

    def active(self) -> RelationQuerySet:
        return self.filter(status=RelationStatus.ACTIVE)


class Relation(models.Model):
    external_id = models.CharField(_("relatienummer"), max_length=64, unique=True)
    kind = models.CharField(
        _("soort"), max_length=16, choices=RelationKind.choices, default=RelationKind.PERSON
    )
    salutation = models.CharField(_("aanhef"), max_length=64, blank=True)
    initials = models.CharField(_("voorletters"), max_length=32, blank=True)
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    infix = models.CharField(_("tussenvoegsel"), max_length=32, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    organisation_name = models.CharField(_("organisatienaam"), max_length=200, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("telefoon"), max_length=32, blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=16, blank=True)
    postcode = models.CharField(_("postcode"), max_length=16, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    country = models.CharField(_("land"), max_length=2, default="NL")
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    language = models.CharField(
        _("taal"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RelationStatus.choices, default=RelationStatus.ACTIVE
    )
    preferred_channel = models.CharField(
        _("voorkeurskanaal"), max_length=8, choices=ContactChannel.choices, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    # Signed into every unsubscribe link with the touchpoint's number, so that a signature
    # over a guessed number is not enough (docs/decisions/0011-no-default-secret-key.md).
    unsubscribe_secret = models.CharField(
        _("geheim in afmeldlinks"),
        max_length=SECRET_LENGTH,
        default=new_unsubscribe_secret,
        db_default=RandomSecret(),
        editable=False,
    )

    objects = RelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("relatie")
        verbose_name_plural = _("relaties")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name"])]
        permissions = [
            ("import_data", "Can import relation data"),
            ("use_call_list", "Can work the call list"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.external_id})"

    @property
    def display_name(self) -> str:
        """ "Jan de Vries" for a person, the organisation's name otherwise."""
        if self.kind == RelationKind.ORGANISATION and self.organisation_name:
            return self.organisation_name
        parts = [self.first_name or self.initials, self.infix, self.last_name]
        name = " ".join(p for p in parts if p)
        return name or self.organisation_name or self.external_id

    @property
    def sort_name(self) -> str:
        """ "Vries, Jan de": the Dutch convention sorts on the last name without infix."""
        if self.kind == RelationKind.ORGANISATION and self.organisation_name:
            return self.organisation_name
        given = " ".join(p for p in [self.first_name or self.initials, self.infix] if p)
        return f"{self.last_name}, {given}" if given else self.last_name

    @property
    def address_lines(self) -> list[str]:
        lines = []
        street = " ".join(p for p in [self.street, self.house_number] if p)
        if street:
            lines.append(street)
        place = "  ".join(p for p in [self.postcode, self.city.upper() if self.city else ""] if p)
        if place:
            lines.append(place)
        return lines


class Consent(models.Model):
    """The current legal basis to contact one relation through one channel.

    One row per relation and channel; its history (given, changed, withdrawn)
    lives in the event log, which is append-only.
    """

    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("kanaal"), max_length=8, choices=ContactChannel.choices)
    basis = models.CharField(_("grondslag"), max_length=32, choices=LegalBasis.choices)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("gegeven op"))
    proof = models.TextField(_("bewijs"), blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        constraints = [
            models.UniqueConstraint(fields=["relation", "channel"], name="consent_one_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.relation_id} {self.channel} {self.basis}"

    @property
    def is_valid(self) -> bool:
        return self.withdrawn_at is None


class Event(models.Model):
    """Something that happened to a relation. Append-only: the engine's input.

    Events are written by the same action that writes the data, in the same
    transaction. They are never updated; old ones may be pruned by age.
    """

    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("soort"), max_length=32, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("gebeurd op"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    source = models.CharField(_("bron"), max_length=16, choices=EventSource.choices)
    data: models.JSONField[Any, Any] = models.JSONField(_("gegevens"), default=dict, blank=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        indexes = [
            models.Index(fields=["relation", "occurred_at"]),
            models.Index(fields=["relation", "kind", "occurred_at"]),
            models.Index(fields=["kind", "id"]),
            models.Index(fields=["kind", "occurred_at"]),
            models.Index(fields=["recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.relation_id} {self.occurred_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("events are append-only and cannot be changed")
        super().save(*args, **kwargs)
