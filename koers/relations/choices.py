from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RelationKind(models.TextChoices):
    PERSON = "person", _("persoon")
    ORGANISATION = "organisation", _("organisatie")


class RelationStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    DECEASED = "deceased", _("overleden")
    ENDED = "ended", _("beëindigd")


class Language(models.TextChoices):
    DUTCH = "nl", _("Nederlands")
    ENGLISH = "en", _("Engels")


class ContactChannel(models.TextChoices):
    """Channels that need a legal basis before the organisation may use them."""

    EMAIL = "email", _("e-mail")
    POST = "post", _("post")
    PHONE = "phone", _("telefoon")
    SMS = "sms", _("sms")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("toestemming")
    EXISTING_RELATIONSHIP = "existing_relationship", _("bestaande relatie")
    LEGITIMATE_INTEREST = "legitimate_interest", _("gerechtvaardigd belang")
    # No basis at all: the relation unsubscribed (or asked not to be called) on a channel
    # Koers had no consent for. Kept as a withdrawn row so the objection is on record and an
    # import of older consent cannot undo it; nothing counts it as a basis.
    NONE = "none", _("geen (afgemeld)")


class EventKind(models.TextChoices):
    RELATION_CREATED = "relation.created", _("relatie aangemaakt")
    RELATION_CHANGED = "relation.changed", _("relatie gewijzigd")
    RELATION_DECEASED = "relation.deceased", _("relatie overleden")
    RELATION_ENDED = "relation.ended", _("relatie beëindigd")
    GIFT_RECEIVED = "gift.received", _("gift ontvangen")
    GIFT_FIRST = "gift.first", _("eerste gift")
    GIFT_CHANGED = "gift.changed", _("gift gewijzigd")
    MANDATE_STARTED = "mandate.started", _("machtiging gestart")
    MANDATE_CHANGED = "mandate.changed", _("machtiging gewijzigd")
    MANDATE_PAUSED = "mandate.paused", _("machtiging gepauzeerd")
    MANDATE_RESUMED = "mandate.resumed", _("machtiging hervat")
    MANDATE_CANCELLED = "mandate.cancelled", _("machtiging opgezegd")
    STORNO = "mandate.storno", _("storno")
    CONSENT_GIVEN = "consent.given", _("toestemming gegeven")
    CONSENT_CHANGED = "consent.changed", _("toestemming gewijzigd")
    CONSENT_WITHDRAWN = "consent.withdrawn", _("toestemming ingetrokken")
    GROUP_ENTERED = "group.entered", _("groep binnengekomen")
    GROUP_LEFT = "group.left", _("groep verlaten")
    LEVEL_CHANGED = "level.changed", _("niveau gewijzigd")
    CALL_OUTCOME = "call.outcome", _("gesprek gevoerd")
    TASK_DONE = "task.done", _("taak afgehandeld")
    SURVEY_ANSWERED = "survey.answered", _("vragenlijst beantwoord")


class EventSource(models.TextChoices):
    IMPORT = "import", _("import")
    WEB = "web", _("webinterface")
    API = "api", _("API")
    ENGINE = "engine", _("engine")
    DEMO = "demo", _("demodata")
    SYSTEM = "system", _("systeem")
