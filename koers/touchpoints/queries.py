"""Reads about touchpoints and consent that the planner and the dispatcher share."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from koers.relations.choices import ContactChannel, LegalBasis

# The legal bases that allow contact per channel (see docs/journeys.md, "Toestemming"):
# e-mail, phone and sms need consent or an existing relationship (Telecommunicatiewet
# 11.7 and the telemarketing rules); post may rest on legitimate interest (AVG).
BASES: dict[str, tuple[str, ...]] = {
    ContactChannel.EMAIL: (LegalBasis.CONSENT, LegalBasis.EXISTING_RELATIONSHIP),
    ContactChannel.PHONE: (LegalBasis.CONSENT, LegalBasis.EXISTING_RELATIONSHIP),
    ContactChannel.SMS: (LegalBasis.CONSENT, LegalBasis.EXISTING_RELATIONSHIP),
    ContactChannel.POST: (
        LegalBasis.CONSENT,
        LegalBasis.EXISTING_RELATIONSHIP,
        LegalBasis.LEGITIMATE_INTEREST,
    ),
}


def address_filter(fields: Iterable[str], prefix: str = "relation__") -> Q:
    """All of the relation's address fields for a channel are filled."""
    result = Q()
    for name in fields:
        result &= ~Q(**{f"{prefix}{name}": ""})
    return result


def basis_allows(basis: str, channel: str, withdrawn: bool) -> bool:
    return not withdrawn and basis in BASES.get(channel, ())
