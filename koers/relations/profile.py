"""A relation with everything Koers knows about it, as plain data (for --json and the API)."""

from __future__ import annotations

from typing import Any

from koers.groups.models import Facts
from koers.relations.models import Relation


def relation_profile(relation: Relation) -> dict[str, Any]:
    facts = Facts.objects.filter(relation=relation).select_related("level").first()
    mandates = relation.mandates.prefetch_related("stornos").order_by("-start_date", "id")
    return {
        "external_id": relation.external_id,
        "name": relation.display_name,
        "kind": relation.kind,
        "status": relation.status,
        "salutation": relation.salutation,
        "email": relation.email,
        "phone": relation.phone,
        "address": relation.address_lines,
        "birth_date": relation.birth_date,
        "language": relation.language,
        "preferred_channel": relation.preferred_channel,
        "facts": _facts(facts),
        "consents": [
            {
                "channel": c.channel,
                "basis": c.basis,
                "source": c.source,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                "valid": c.is_valid,
            }
            for c in relation.consents.order_by("channel")
        ],
        "gifts": list(
            relation.gifts.order_by("-received_on", "-id").values(
                "external_id", "received_on", "amount_cents", "kind", "campaign", "payment_channel"
            )
        ),
        "mandates": [
            {
                "reference": m.reference,
                "amount_cents": m.amount_cents,
                "frequency": m.frequency,
                "start_date": m.start_date,
                "end_date": m.end_date,
                "status": m.status,
                "annual_cents": m.annual_cents,
                "stornos": [
                    {
                        "occurred_on": s.occurred_on,
                        "amount_cents": s.amount_cents,
                        "reason": s.reason,
                    }
                    for s in m.stornos.all()
                ],
            }
            for m in mandates
        ],
        "events": [
            {
                "kind": e.kind,
                "occurred_at": e.occurred_at.isoformat(),
                "source": e.source,
                "data": e.data,
            }
            for e in relation.events.order_by("-occurred_at", "-id")
        ],
    }


def _facts(facts: Facts | None) -> dict[str, Any] | None:
    if facts is None:
        return None
    return {
        "first_gift_on": facts.first_gift_on,
        "last_gift_on": facts.last_gift_on,
        "gifts_count": facts.gifts_count,
        "gifts_cents": facts.gifts_cents,
        "gifts_12m_count": facts.gifts_12m_count,
        "gifts_12m_cents": facts.gifts_12m_cents,
        "largest_gift_cents": facts.largest_gift_cents,
        "mandate_annual_cents": facts.mandate_annual_cents,
        "tenure_years": facts.tenure_years,
        "recency_score": facts.recency_score,
        "frequency_score": facts.frequency_score,
        "monetary_score": facts.monetary_score,
        "annual_support_cents": facts.annual_support_cents,
        "level": facts.level.key if facts.level else None,
        "refreshed_at": facts.refreshed_at.isoformat(),
    }
