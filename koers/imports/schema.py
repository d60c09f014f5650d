"""What each import kind reads: its columns, their English and Dutch names, their parsers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from koers.imports.values import (
    choice,
    parse_cents,
    parse_date,
    parse_email,
    parse_phone,
    parse_postcode,
    text_of,
    whole_number,
)


@dataclass(frozen=True)
class Column:
    field: str
    names: tuple[str, ...]  # accepted headers, lower case, English and Dutch
    parse: Callable[[str], object]
    required: bool = False
    label: str = ""


LANGUAGES = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "engels": "en",
    "english": "en",
}
KINDS = {
    "person": "person",
    "persoon": "person",
    "organisation": "organisation",
    "organization": "organisation",
    "organisatie": "organisation",
}
STATUSES = {
    "active": "active",
    "actief": "active",
    "deceased": "deceased",
    "overleden": "deceased",
    "ended": "ended",
    "beëindigd": "ended",
    "beeindigd": "ended",
}
CHANNELS = {
    "email": "email",
    "e-mail": "email",
    "post": "post",
    "phone": "phone",
    "telefoon": "phone",
    "sms": "sms",
}
GIFT_KINDS = {
    "one-off": "one_off",
    "one off": "one_off",
    "eenmalig": "one_off",
    "recurring": "recurring",
    "periodiek": "recurring",
    "major": "major",
    "grote gift": "major",
}
FREQUENCIES = {
    "monthly": "monthly",
    "maandelijks": "monthly",
    "quarterly": "quarterly",
    "per kwartaal": "quarterly",
    "kwartaal": "quarterly",
    "yearly": "yearly",
    "jaarlijks": "yearly",
    "annually": "yearly",
}
MANDATE_STATUSES = {
    "active": "active",
    "actief": "active",
    "paused": "paused",
    "gepauzeerd": "paused",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "opgezegd": "cancelled",
}
BASES = {
    "consent": "consent",
    "toestemming": "consent",
    "existing relationship": "existing_relationship",
    "bestaande relatie": "existing_relationship",
    "legitimate interest": "legitimate_interest",
    "gerechtvaardigd belang": "legitimate_interest",
}
PAYMENT = {
    "direct debit": "direct_debit",
    "automatische incasso": "direct_debit",
    "incasso": "direct_debit",
    "bank transfer": "bank_transfer",
    "overboeking": "bank_transfer",
    "ideal": "ideal",
    "card": "card",
    "betaalkaart": "card",
    "pin": "card",
    "cash": "cash",
    "contant": "cash",
    "other": "other",
    "overig": "other",
}


def _relation_ref(text: str) -> str:
    return text_of(64)(text)


RELATIONS = (
    Column("external_id", ("external_id", "relatienummer"), text_of(64), True),
    Column("kind", ("kind", "soort"), choice("soort relatie", KINDS)),
    Column("salutation", ("salutation", "aanhef"), text_of(64)),
    Column("initials", ("initials", "voorletters"), text_of(32)),
    Column("first_name", ("first_name", "voornaam"), text_of(100)),
    Column("infix", ("infix", "tussenvoegsel"), text_of(32)),
    Column("last_name", ("last_name", "achternaam"), text_of(150)),
    Column("organisation_name", ("organisation", "organisation_name", "organisatie"), text_of(200)),
    Column("email", ("email", "e-mail", "emailadres", "e-mailadres"), parse_email),
    Column("phone", ("phone", "telefoon", "telefoonnummer"), parse_phone),
    Column("street", ("street", "straat"), text_of(200)),
    Column("house_number", ("house_number", "huisnummer"), text_of(16)),
    Column("postcode", ("postcode", "postal_code", "zip"), parse_postcode),
    Column("city", ("city", "plaats", "woonplaats"), text_of(100)),
    Column("country", ("country", "land"), text_of(2)),
    Column("birth_date", ("birth_date", "geboortedatum"), parse_date),
    Column("language", ("language", "taal"), choice("taal", LANGUAGES)),
    Column("status", ("status",), choice("status", STATUSES)),
    Column(
        "preferred_channel", ("preferred_channel", "voorkeurskanaal"), choice("kanaal", CHANNELS)
    ),
)

GIFTS = (
    Column("relation", ("relation", "relatienummer"), _relation_ref, True),
    Column("received_on", ("date", "datum"), parse_date, True),
    Column("amount_cents", ("amount", "bedrag"), parse_cents, True),
    Column("campaign", ("campaign", "campagne"), text_of(100)),
    Column("kind", ("kind", "soort"), choice("soort gift", GIFT_KINDS)),
    Column("external_id", ("external_id", "giftnummer"), text_of(64)),
    Column("mandate", ("mandate", "kenmerk", "machtiging"), text_of(35)),
    Column("payment_channel", ("payment_channel", "betaalwijze"), choice("betaalwijze", PAYMENT)),
)

MANDATES = (
    Column("reference", ("reference", "kenmerk"), text_of(35), True),
    Column("relation", ("relation", "relatienummer"), _relation_ref, True),
    Column("amount_cents", ("amount", "bedrag"), parse_cents, True),
    Column("frequency", ("frequency", "frequentie"), choice("frequentie", FREQUENCIES), True),
    Column("start_date", ("start_date", "startdatum"), parse_date, True),
    Column("status", ("status",), choice("status", MANDATE_STATUSES)),
    Column("end_date", ("end_date", "einddatum"), parse_date),
)

CONSENTS = (
    Column("relation", ("relation", "relatienummer"), _relation_ref, True),
    Column("channel", ("channel", "kanaal"), choice("kanaal", CHANNELS), True),
    Column("basis", ("basis", "grondslag"), choice("grondslag", BASES), True),
    Column("given_at", ("given_at", "datum"), parse_date, True),
    Column("withdrawn_at", ("withdrawn_at", "ingetrokken"), parse_date),
    Column("source", ("source", "bron"), text_of(200)),
    Column("proof", ("proof", "bewijs"), text_of(2000)),
)

RESPONSES = (
    Column("relation", ("relation", "relatienummer"), _relation_ref, True),
    Column("instrument", ("instrument", "meetinstrument"), text_of(64), True),
    Column("score", ("score", "cijfer"), whole_number(0, 10, "score"), True),
    Column("answered_at", ("answered_at", "datum", "beantwoord"), parse_date, True),
    Column("comment", ("comment", "toelichting", "opmerking"), text_of(2000)),
    Column("touchpoint", ("touchpoint", "contactmoment"), whole_number(1, 2**62, "contactmoment")),
)

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "relations": RELATIONS,
    "gifts": GIFTS,
    "mandates": MANDATES,
    "consents": CONSENTS,
    "responses": RESPONSES,
}
