"""A realistic Dutch relation base, deterministic for a seed. Pure: writes CSV files only.

The files use the dialect Dutch CRMs export (semicolons, decimal commas, dd-mm-jjjj,
Dutch headers), so loading the demo also exercises the real importer.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

FIRST = [
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Willem",
    "Daan",
    "Sem",
    "Lucas",
    "Bram",
    "Thijs",
    "Ruud",
    "Gerrit",
    "Johan",
    "Marco",
    "Sander",
    "Maria",
    "Anna",
    "Els",
    "Ingrid",
    "Sanne",
    "Lotte",
    "Emma",
    "Julia",
    "Fleur",
    "Anouk",
    "Marieke",
    "Ria",
    "Wilma",
    "Yvonne",
    "Fatima",
    "Mohamed",
    "Noor",
    "Eva",
    "Lieke",
    "Joke",
    "Tineke",
    "Hans",
    "Peter",
    "Annemarie",
    "Renée",
]
# The first names of men; the others are women's. A salutation names the person as they
# are addressed ("Beste mevrouw De Vries" for Anna de Vries), never by a coin toss.
MEN = {
    "Jan", "Piet", "Kees", "Henk", "Willem", "Daan", "Sem", "Lucas", "Bram", "Thijs", "Ruud",
    "Gerrit", "Johan", "Marco", "Sander", "Mohamed", "Hans", "Peter",
}  # fmt: skip
LAST = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("", "Schouten"),
    ("ter", "Horst"),
    ("", "Yilmaz"),
    ("", "El Amrani"),
    ("", "Koster"),
    ("van", "Wijk"),
]
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixstraat",
    "Wilhelminapark",
    "Stationsweg",
    "Lindenlaan",
    "Eikenlaan",
    "Parallelweg",
    "Markt",
    "Havenstraat",
    "Nieuwe Gracht",
    "Prins Hendrikkade",
]
CITIES = [
    ("Amsterdam", 10),
    ("Rotterdam", 30),
    ("Den Haag", 25),
    ("Utrecht", 35),
    ("Eindhoven", 56),
    ("Groningen", 97),
    ("Tilburg", 50),
    ("Almere", 13),
    ("Breda", 48),
    ("Nijmegen", 65),
    ("Apeldoorn", 73),
    ("Haarlem", 20),
    ("Arnhem", 68),
    ("Zwolle", 80),
    ("Leeuwarden", 89),
    ("Maastricht", 62),
    ("Amersfoort", 38),
    ("Deventer", 74),
    ("Middelburg", 43),
]
ORGANISATIONS = [
    "Bakkerij De Korenschoof",
    "Stichting Vrienden van het Park",
    "Garage Smit B.V.",
    "Notariskantoor Van Dijk",
    "Rotary Club Zuid",
    "Tandartspraktijk De Molen",
]
DOMAINS = ["gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "xs4all.nl"]
CAMPAIGNS = [
    "Voorjaarsactie",
    "Zomermailing",
    "Kerstmailing",
    "Giving Tuesday",
    "Collecte",
    "Noodhulp",
]
SOURCES = ["Website-formulier", "Straatwerving", "Telefonische werving", "Petitie", "Evenement"]
SMALL = [5, 10, 10, 15, 20, 20, 25, 25, 35, 50, 50, 75, 100]
# SEPA: the charity collects on the 25th; a new mandate's first collection is the first 25th
# at least a week after signing (time to process it and announce amount and date), so it
# comes 7 to 37 days after the start: within about a month.
COLLECTION_DAY = 25
FIRST_COLLECTION_AFTER = timedelta(days=7)
# The share of new mandates whose first collection bounces (insufficient funds, AM04);
# the next month's collection goes through.
FIRST_COLLECTION_FAILS = 0.05
MONTHLY = [500, 750, 1000, 1000, 1250, 1500, 2000, 2500]

HEADERS = {
    "relaties": [
        "relatienummer",
        "soort",
        "aanhef",
        "voornaam",
        "tussenvoegsel",
        "achternaam",
        "organisatie",
        "e-mail",
        "telefoon",
        "straat",
        "huisnummer",
        "postcode",
        "plaats",
        "geboortedatum",
        "taal",
        "status",
        "voorkeurskanaal",
    ],
    "machtigingen": [
        "kenmerk",
        "relatienummer",
        "bedrag",
        "frequentie",
        "startdatum",
        "status",
        "einddatum",
    ],
    "giften": [
        "giftnummer",
        "relatienummer",
        "datum",
        "bedrag",
        "campagne",
        "soort",
        "kenmerk",
        "betaalwijze",
    ],
    "toestemmingen": ["relatienummer", "kanaal", "grondslag", "datum", "ingetrokken", "bron"],
}
FREQUENCY_NL = {1: "maandelijks", 3: "per kwartaal", 12: "jaarlijks"}


@dataclass
class DemoBase:
    relations: list[list[str]] = field(default_factory=list)
    mandates: list[list[str]] = field(default_factory=list)
    gifts: list[list[str]] = field(default_factory=list)
    consents: list[list[str]] = field(default_factory=list)
    stornos: list[tuple[str, date, int, str]] = field(
        default_factory=list
    )  # reference, day, cents, reason


def salutation(greeting: str, first: str, infix: str, last: str) -> str:
    """ "Beste mevrouw De Vries": the infix takes a capital without a first name before it."""
    title = "heer" if first in MEN else "mevrouw"
    surname = f"{infix[:1].upper()}{infix[1:]} {last}" if infix else last
    return f"{greeting} {title} {surname}"


def dmy(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def money(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


class Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        # A stream of its own for the bounced first collections: drawing them does not shift
        # the draws of the rest of the base.
        self.bank = random.Random(f"{seed}:incasso")
        self.today = today
        self.start = today - timedelta(days=5 * 365)
        self.base = DemoBase()

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max((last - first).days, 0)))

    def build(self, count: int) -> DemoBase:
        for number in range(count):
            self.relation(f"{100001 + number}")
        return self.base

    def relation(self, number: str) -> None:
        rng = self.rng
        organisation = rng.random() < 0.03
        first, (infix, last) = rng.choice(FIRST), rng.choice(LAST)
        city, prefix = rng.choice(CITIES)
        local = f"{first}.{infix}{last}".replace(" ", "").replace("é", "e").lower()
        email = f"{local}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"
        phone = f"06{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else ""
        letters = "ABCDEGHJKLMNPRSTVWXZ"
        postcode = f"{prefix}{rng.randint(0, 99):02d} {rng.choice(letters)}{rng.choice(letters)}"
        house = f"{rng.randint(1, 180)}{rng.choice(['', '', '', 'a', 'b', '-2', ' bis'])}"
        birth = (
            dmy(date(rng.randint(1935, 2003), rng.randint(1, 12), rng.randint(1, 28)))
            if rng.random() < 0.6
            else ""
        )
        status = (
            "overleden"
            if rng.random() < 0.01
            else ("beëindigd" if rng.random() < 0.02 else "actief")
        )
        # Informal or formal, as CRMs hold both (one draw, as the base always made here).
        greeting = rng.choice(["Beste", "Geachte"])
        row = [
            number,
            "organisatie" if organisation else "persoon",
            "" if organisation else salutation(greeting, first, infix, last),
            "" if organisation else first,
            "" if organisation else infix,
            "" if organisation else last,
            rng.choice(ORGANISATIONS) if organisation else "",
            email if rng.random() < 0.8 else "",
            phone,
            rng.choice(STREETS),
            house,
            postcode,
            city,
            "" if organisation else birth,
            "en" if rng.random() < 0.04 else "nl",
            status,
            "",
        ]
        if rng.random() < 0.01:
            self.make_messy(row)
        channels = self.consents(number, row)
        row[16] = {"email": "e-mail", "post": "post", "phone": "telefoon", "sms": "sms"}.get(
            rng.choice(channels) if channels and rng.random() < 0.7 else "", ""
        )
        self.base.relations.append(row)
        self.giving(number)

    def make_messy(self, row: list[str]) -> None:
        """Valid but untidy: the kind of data every CRM holds somewhere."""
        row[3], row[5] = row[3].upper(), f"  {row[5].lower()} "
        row[11] = row[11].replace(" ", "").lower()
        if row[8]:
            row[8] = f"+31 6-{row[8][2:6]} {row[8][6:]}"
        row[7] = row[7].upper()

    def consents(self, number: str, row: list[str]) -> list[str]:
        rng, given = self.rng, []
        options = [
            ("email", row[7], 0.75, ["toestemming", "toestemming", "bestaande relatie"]),
            ("post", row[9], 0.9, ["gerechtvaardigd belang", "toestemming"]),
            ("phone", row[8], 0.5, ["toestemming", "bestaande relatie"]),
            ("sms", row[8], 0.1, ["toestemming"]),
        ]
        for channel, needed, chance, bases in options:
            if not needed or rng.random() >= chance:
                continue
            on = self.day_between(self.start, self.today)
            withdrawn = self.day_between(on, self.today) if rng.random() < 0.08 else None
            name = {"email": "e-mail", "phone": "telefoon"}.get(channel, channel)
            self.base.consents.append(
                [number, name, rng.choice(bases), dmy(on), dmy(withdrawn), rng.choice(SOURCES)]
            )
            if withdrawn is None:
                given.append(channel)
        return given

    def giving(self, number: str) -> None:
        roll = self.rng.random()
        if roll < 0.35:
            self.mandate(number)
        if roll > 0.2:
            self.one_off_gifts(number)

    def one_off_gifts(self, number: str) -> None:
        rng = self.rng
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 9])):
            on = self.day_between(self.start, self.today)
            major = rng.random() < 0.02
            cents = rng.choice([100000, 250000, 500000]) if major else rng.choice(SMALL) * 100
            campaign = f"{rng.choice(CAMPAIGNS)} {on.year}"
            channel = rng.choice(["iDEAL", "overboeking", "iDEAL", "betaalkaart"])
            self.add_gift(
                [
                    number,
                    dmy(on),
                    money(cents),
                    campaign,
                    "grote gift" if major else "eenmalig",
                    "",
                    channel,
                ]
            )

    def mandate(self, number: str) -> None:
        rng = self.rng
        months = rng.choices([1, 3, 12], weights=[70, 20, 10])[0]
        cents = rng.choice(MONTHLY) * (1 if months == 1 else 4 if months == 3 else 10)
        start = self.day_between(self.start, self.today - timedelta(days=20))
        reference = f"KRS-{number}-{start:%Y%m}"
        status, end = (
            rng.choices(["actief", "gepauzeerd", "opgezegd"], weights=[75, 8, 17])[0],
            None,
        )
        if status == "opgezegd":
            end = self.day_between(start, self.today)
        self.base.mandates.append(
            [reference, number, money(cents), FREQUENCY_NL[months], dmy(start), status, dmy(end)]
        )
        storno_at = rng.randint(1, 12) if rng.random() < 0.05 else -1
        bounced = self.bank.random() < FIRST_COLLECTION_FAILS
        for index, collected in enumerate(self.collections(start, end or self.today, months)):
            if index == 0 and bounced:
                returned = collected + timedelta(days=self.bank.randint(2, 5))
                self.base.stornos.append((reference, returned, cents, "AM04"))
                continue
            if index == storno_at:
                reason = rng.choice(["MD06", "AC04", "AM04", "MS02"])
                self.base.stornos.append(
                    (reference, collected + timedelta(days=rng.randint(2, 40)), cents, reason)
                )
                continue
            self.add_gift(
                [
                    number,
                    dmy(collected),
                    money(cents),
                    "Machtiging",
                    "periodiek",
                    reference,
                    "automatische incasso",
                ]
            )

    def add_gift(self, row: list[str]) -> None:
        """Every gift carries a gift number, as CRM exports do, so none is mistaken for another."""
        self.base.gifts.append([f"G{len(self.base.gifts) + 1:08d}", *row])

    def collections(self, start: date, end: date, months: int) -> Iterator[date]:
        """The collection days from the first (see FIRST_COLLECTION_AFTER) up to `end`."""
        earliest = start + FIRST_COLLECTION_AFTER
        day = earliest.replace(day=COLLECTION_DAY)
        if day < earliest:
            day = add_months(day, 1)
        while day <= end:
            yield day
            day = add_months(day, months)


def generate(count: int, seed: int, today: date) -> DemoBase:
    return Generator(seed, today).build(count)


def write_files(base: DemoBase, folder: Path) -> dict[str, Path]:
    """Write the base as Dutch CRM exports; return the path per import kind."""
    kinds = {
        "relaties": "relations",
        "machtigingen": "mandates",
        "giften": "gifts",
        "toestemmingen": "consents",
    }
    rows = {
        "relaties": base.relations,
        "machtigingen": base.mandates,
        "giften": base.gifts,
        "toestemmingen": base.consents,
    }
    paths = {}
    for name, kind in kinds.items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=";", lineterminator="\n")
            writer.writerow(HEADERS[name])
            writer.writerows(rows[name])
        paths[kind] = path
    return paths
