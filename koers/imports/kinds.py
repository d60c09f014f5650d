"""The four import kinds: how a parsed row is staged, checked against the database and merged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from koers.feedback.events import SURVEY_ANSWERED
from koers.giving.choices import PER_YEAR, GiftKind
from koers.giving.events import (
    GIFT_CHANGED,
    GIFT_FIRST,
    GIFT_RECEIVED,
    MANDATE_CANCELLED,
    MANDATE_CHANGED,
    MANDATE_PAUSED,
    MANDATE_RESUMED,
    MANDATE_STARTED,
)
from koers.imports import merge, withdrawals
from koers.imports.merge import Data, Key, Target
from koers.imports.schema import CONSENTS, GIFTS, MANDATES, RELATIONS, RESPONSES, Column
from koers.imports.staging import (
    STAGE,
    db_date,
    db_datetime,
    differs,
    execute,
    fetch,
    index_stage,
    is_postgres,
    json_array_text,
    touch,
)
from koers.imports.values import parse_cents, parse_date
from koers.relations.events import (
    CONSENT_CHANGED,
    CONSENT_GIVEN,
    CONSENT_WITHDRAWN,
    RELATION_CHANGED,
    RELATION_CREATED,
    RELATION_DECEASED,
    RELATION_ENDED,
)

# A check found in the database: (row, field, value, problem).
Finding = tuple[int, str, str, str]


@cache
def noon(day: date) -> Any:
    """Events about a day (a gift, a mandate start) are placed at noon in Koers' time zone."""
    return db_datetime(datetime.combine(day, time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)))


def _type(column: Column) -> str:
    if column.parse is parse_date:
        return "date"
    if column.parse is parse_cents or getattr(column.parse, "stage_type", "") == "int":
        return "int"
    return "text"


class Kind:
    schema: tuple[Column, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # computed stage columns (name, type)
    key_fields: tuple[str, ...] = ()

    @property
    def loaded(self) -> list[str]:
        return ["row_no", *(c.field for c in self.schema), *(name for name, _ in self.extra)]

    @property
    def stage_columns(self) -> list[tuple[str, str]]:
        columns = [("row_no", "int"), *((c.field, _type(c)) for c in self.schema), *self.extra]
        return [*columns, ("target_id", "int"), ("changed", "text"), ("is_new", "int")]

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        row: list[Any] = [row_no]
        for column in self.schema:
            value = values.get(column.field)
            row.append(db_date(value) if isinstance(value, date) else value)
        row.extend(self.computed(values))
        return tuple(row)

    # For kinds with a start and an optional end (mandates, consents): the two fields and
    # the message when the end comes first. Their moments are staged for the events.
    period: tuple[str, str, str] | None = None

    def computed(self, values: dict[str, Any]) -> list[Any]:
        if self.period is None:
            return []
        start, end = values[self.period[0]], values.get(self.period[1])
        return [noon(start), noon(end) if end else None, None, None]

    def row_check(self, values: dict[str, Any]) -> tuple[str, str] | None:
        """A problem between fields of one row: (field, message), or None."""
        if self.period is None:
            return None
        start_field, end_field, message = self.period
        end = values.get(end_field)
        if end and end < values[start_field]:
            return end_field, message.format(end=f"{end:%d-%m-%Y}")
        return None

    def duplicates(self, fields: str, where: str = "1 = 1") -> list[Finding]:
        """Rows whose key already appeared higher up in the same file."""
        rows = fetch(
            f"SELECT row_no, {fields.split(',')[0]}, first_row FROM ("
            f"SELECT row_no, {fields}, MIN(row_no) OVER (PARTITION BY {fields}) AS first_row "
            f"FROM {STAGE} WHERE {where}) x WHERE row_no > first_row"
        )
        field = fields.split(",")[0].strip()
        return [
            (row, field, str(value), f"komt twee keer voor in dit bestand (ook in rij {first})")
            for row, value, first in rows
        ]

    def unknown_relations(self) -> list[Finding]:
        execute(
            f"UPDATE {STAGE} SET relation_id = r.id FROM relations_relation r "
            f"WHERE r.external_id = {STAGE}.relation"
        )
        rows = fetch(f"SELECT row_no, relation FROM {STAGE} WHERE relation_id IS NULL")
        return [(row, "relation", value, "onbekend relatienummer") for row, value in rows]

    def checks(self) -> list[Finding]:
        return []

    def notices(self) -> Iterator[Finding]:
        """After the merge: what the report should say about rows that were imported."""
        return iter(())

    def merge(self, present: set[str], params: dict[str, Any]) -> dict[str, int]:
        raise NotImplementedError


# ------------------------------------------------------------------ relations

_CHOICE_DEFAULTS = {
    "kind": "'person'",
    "language": "'nl'",
    "status": "'active'",
    "preferred_channel": "''",
    "country": "'NL'",
}
RELATION_TARGET = Target(
    table="relations_relation",
    match=(Key((("external_id", "external_id"),)),),
    data=tuple(
        Data(
            c.field,
            c.field,
            _CHOICE_DEFAULTS.get(c.field, "NULL" if c.field == "birth_date" else "''"),
            keep_when_empty=c.field in _CHOICE_DEFAULTS,
        )
        for c in RELATIONS
        if c.field != "external_id"
    ),
    timestamps=("created_at", "updated_at"),
)


class RelationsKind(Kind):
    schema = RELATIONS

    def checks(self) -> list[Finding]:
        index_stage("external_id")
        return self.duplicates("external_id")

    def merge(self, present: set[str], params: dict[str, Any]) -> dict[str, int]:
        merge.resolve(RELATION_TARGET)
        merge.mark_changes(RELATION_TARGET, present)
        result = merge.counts()
        merge.update(RELATION_TARGET, present, params)
        fields = {"fields": json_array_text("s.changed")}
        add = merge.add_events
        add(RELATION_CHANGED, "s.target_id", "%(now)s", fields, "s.changed <> ''", params)
        for status, event in (("deceased", RELATION_DECEASED), ("ended", RELATION_ENDED)):
            where = f"s.changed LIKE '%%\"status\"%%' AND s.status = '{status}'"
            add(event, "s.target_id", "%(now)s", {}, where, params)
        merge.insert(RELATION_TARGET, present, params, {"external_id": "external_id"})
        add(RELATION_CREATED, "s.target_id", "%(now)s", {}, "s.is_new = 1", params)
        touch("s.target_id", f"{STAGE} s", "s.is_new = 1")  # a new relation's facts row
        return result


# ------------------------------------------------------------------ mandates

# The mandate's amount per year, in the events journeys branch on (trigger.annual).
ANNUAL_SQL = (
    "s.amount_cents * CASE s.frequency "
    + " ".join(f"WHEN '{frequency}' THEN {times}" for frequency, times in PER_YEAR.items())
    + " ELSE 1 END"
)

MANDATE_TARGET = Target(
    table="giving_mandate",
    match=(Key((("reference", "reference"),)),),
    data=(
        Data("relation_id", "relation_id", "NULL"),
        Data("amount_cents", "amount_cents", "NULL"),
        Data("frequency", "frequency", "NULL"),
        Data("start_date", "start_date", "NULL"),
        Data("status", "status", "'active'", keep_when_empty=True),
        Data("end_date", "end_date", "NULL"),
    ),
    timestamps=("created_at", "updated_at"),
)


class MandatesKind(Kind):
    schema = MANDATES
    extra = (
        ("start_at", "datetime"),
        ("end_at", "datetime"),
        ("relation_id", "int"),
        ("old_status", "text"),
    )

    period = ("start_date", "end_date", "einddatum {end} ligt voor de startdatum")

    def checks(self) -> list[Finding]:
        index_stage("reference", "relation")
        return self.unknown_relations() + self.duplicates("reference")

    def merge(self, present: set[str], params: dict[str, Any]) -> dict[str, int]:
        present = present | {"relation_id"}
        merge.resolve(MANDATE_TARGET)
        execute(
            f"UPDATE {STAGE} SET old_status = t.status "
            f"FROM giving_mandate t WHERE t.id = {STAGE}.target_id"
        )
        merge.mark_changes(MANDATE_TARGET, present)
        result = merge.counts()
        merge.touch_before(MANDATE_TARGET)
        merge.update(MANDATE_TARGET, present, params)
        merge.insert(MANDATE_TARGET, present, params, {"reference": "reference"})
        merge.touch_rows(MANDATE_TARGET)
        self.events(params)
        return result

    def events(self, params: dict[str, Any]) -> None:
        data = {
            "reference": "s.reference",
            "amount_cents": "s.amount_cents",
            "annual_cents": ANNUAL_SQL,
            "frequency": "s.frequency",
        }
        cancelled = {**data, "reason": "''"}
        ended = "COALESCE(s.end_at, %(now)s)"
        new, status = "s.is_new = 1", "COALESCE(s.status, 'active')"
        old = "s.is_new IS NULL AND s.changed LIKE '%%\"status\"%%'"
        add = merge.add_events
        add(MANDATE_STARTED, "s.relation_id", "s.start_at", data, new, params)
        add(
            MANDATE_PAUSED,
            "s.relation_id",
            "%(now)s",
            data,
            f"{new} AND {status} = 'paused'",
            params,
        )
        add(
            MANDATE_CANCELLED,
            "s.relation_id",
            ended,
            cancelled,
            f"{new} AND {status} = 'cancelled'",
            params,
        )
        add(
            MANDATE_PAUSED,
            "s.relation_id",
            "%(now)s",
            data,
            f"{old} AND s.status = 'paused'",
            params,
        )
        add(
            MANDATE_RESUMED,
            "s.relation_id",
            "%(now)s",
            data,
            f"{old} AND s.status = 'active' AND s.old_status = 'paused'",
            params,
        )
        add(
            MANDATE_CANCELLED,
            "s.relation_id",
            ended,
            cancelled,
            f"{old} AND s.status = 'cancelled'",
            params,
        )
        changed = "s.is_new IS NULL AND s.changed <> '' AND s.changed NOT LIKE '%%\"status\"%%'"
        fields = {"reference": "s.reference", "fields": json_array_text("s.changed")}
        add(MANDATE_CHANGED, "s.relation_id", "%(now)s", fields, changed, params)


# ------------------------------------------------------------------ gifts

GIFT_TARGET = Target(
    table="giving_gift",
    match=(
        Key((("external_id", "external_id"),), only="{t}.external_id IS NOT NULL"),
        # Without a gift number: the natural key, through its partial unique index.
        Key(
            tuple((c, c) for c in ("relation_id", "received_on", "amount_cents", "campaign")),
            only="{t}.external_id IS NULL",
            index="gift_natural_key_unique",
        ),
    ),
    data=(
        Data("relation_id", "relation_id", "NULL"),
        Data("received_on", "received_on", "NULL"),
        Data("amount_cents", "amount_cents", "NULL"),
        Data("campaign", "campaign", "''"),
        Data("kind", "kind", "'one_off'", keep_when_empty=True),
        Data("payment_channel", "payment_channel", "''", keep_when_empty=True),
        Data("mandate_id", "mandate_id", "NULL"),
    ),
    timestamps=("created_at",),
)


class GiftsKind(Kind):
    schema = GIFTS
    extra = (
        ("occurred_at", "datetime"),
        ("relation_id", "int"),
        ("mandate_id", "int"),
        ("first_gift", "int"),
    )

    def stage_row(self, row_no: int, values: dict[str, Any]) -> tuple[Any, ...]:
        values.setdefault("campaign", "")
        values["external_id"] = values.get("external_id") or None
        values["mandate"] = values.get("mandate") or None
        return super().stage_row(row_no, values)

    def computed(self, values: dict[str, Any]) -> list[Any]:
        return [noon(values["received_on"]), None, None, None]

    def checks(self) -> list[Finding]:
        index_stage(
            "external_id", "relation", "mandate", "relation_id, received_on, amount_cents, campaign"
        )
        findings = self.unknown_relations()
        execute(
            f"UPDATE {STAGE} SET mandate_id = m.id "
            f"FROM giving_mandate m WHERE m.reference = {STAGE}.mandate"
        )
        unknown = fetch(
            f"SELECT row_no, mandate FROM {STAGE} WHERE mandate IS NOT NULL AND mandate_id IS NULL"
        )
        findings += [(r, "mandate", v, "onbekende machtiging (kenmerk)") for r, v in unknown]
        other = fetch(
            f"SELECT s.row_no, s.mandate FROM {STAGE} s "
            "JOIN giving_mandate m ON m.id = s.mandate_id "
            "WHERE m.relation_id <> s.relation_id"
        )
        findings += [
            (r, "mandate", v, "deze machtiging hoort bij een andere relatie") for r, v in other
        ]
        findings += self.duplicates("external_id", "external_id IS NOT NULL")
        findings += [
            (
                row,
                "relation",
                value,
                problem.replace(
                    "komt twee keer", "deze gift (relatie, datum, bedrag, campagne) komt twee keer"
                ),
            )
            for row, _, value, problem in self.duplicates(
                "relation, received_on, amount_cents, campaign", "external_id IS NULL"
            )
        ]
        return findings

    def merge(self, present: set[str], params: dict[str, Any]) -> dict[str, int]:
        present = present | {"relation_id", "campaign"}
        if "mandate" in present:
            present.add("mandate_id")
        merge.resolve(GIFT_TARGET)
        merge.mark_changes(GIFT_TARGET, present)
        result = merge.counts()
        self.mark_first_gifts()
        merge.touch_before(GIFT_TARGET)
        merge.update(GIFT_TARGET, present, params)
        merge.insert(GIFT_TARGET, present, params, {"external_id": "external_id"})
        merge.touch_rows(GIFT_TARGET)
        data = {
            "gift_id": "s.target_id",
            "amount_cents": "s.amount_cents",
            "campaign": "s.campaign",
            "kind": f"COALESCE(s.kind, '{GiftKind.ONE_OFF.value}')",
        }
        add = merge.add_events
        add(GIFT_RECEIVED, "s.relation_id", "s.occurred_at", data, "s.is_new = 1", params)
        add(GIFT_FIRST, "s.relation_id", "s.occurred_at", data, "s.first_gift = 1", params)
        fields = {"gift_id": "s.target_id", "fields": json_array_text("s.changed")}
        add(
            GIFT_CHANGED,
            "s.relation_id",
            "%(now)s",
            fields,
            "s.is_new IS NULL AND s.changed <> ''",
            params,
        )
        return result

    def mark_first_gifts(self) -> None:
        """The earliest new gift of a relation that had none before is its first gift."""
        execute(
            f"UPDATE {STAGE} SET first_gift = 1 FROM ("
            "SELECT row_no AS first_row FROM ("
            "SELECT row_no, relation_id, ROW_NUMBER() OVER ("
            "PARTITION BY relation_id ORDER BY received_on, row_no) AS rank "
            f"FROM {STAGE} WHERE target_id IS NULL) ranked "
            "WHERE rank = 1 AND NOT EXISTS ("
            "SELECT 1 FROM giving_gift g WHERE g.relation_id = ranked.relation_id)) f "
            f"WHERE {STAGE}.row_no = f.first_row"
        )


# ------------------------------------------------------------------ consents

CONSENT_TARGET = Target(
    table="relations_consent",
    match=(Key((("relation_id", "relation_id"), ("channel", "channel"))),),
    data=(
        Data("basis", "basis", "NULL"),
        Data("given_at", "given_at_ts", "NULL"),
        Data("withdrawn_at", "withdrawn_at_ts", "NULL"),
        Data("source", "source", "''"),
        Data("proof", "proof", "''"),
    ),
    timestamps=("updated_at",),
)


class ConsentsKind(Kind):
    """Consents, with a withdrawal that sticks: see koers.imports.withdrawals."""

    schema = CONSENTS
    extra = (
        ("given_at_ts", "datetime"),
        ("withdrawn_at_ts", "datetime"),
        ("relation_id", "int"),
        ("was_withdrawn", "int"),
        *withdrawals.STAGE_COLUMNS,
    )

    period = ("given_at", "withdrawn_at", "ingetrokken op {end}, voor de datum van toestemming")

    def computed(self, values: dict[str, Any]) -> list[Any]:
        return [*super().computed(values), *withdrawals.computed(values["given_at"])]

    def checks(self) -> list[Finding]:
        index_stage("relation", "relation_id, channel")
        return self.unknown_relations() + self.duplicates("relation, channel")

    def merge(self, present: set[str], params: dict[str, Any]) -> dict[str, int]:
        # A file without the withdrawal column says "not withdrawn" for every row, which is
        # what decides whether a withdrawal stands.
        present = {CONSENT_FIELDS.get(name, name) for name in present} | {"withdrawn_at_ts"}
        merge.resolve(CONSENT_TARGET)
        execute(
            f"UPDATE {STAGE} "
            "SET was_withdrawn = CASE WHEN t.withdrawn_at IS NULL THEN 0 ELSE 1 END, "
            "stored_withdrawn_ts = t.withdrawn_at "
            f"FROM relations_consent t WHERE t.id = {STAGE}.target_id"
        )
        withdrawals.decide()
        merge.mark_changes(CONSENT_TARGET, present)
        result = merge.counts()
        merge.update(CONSENT_TARGET, present, params)
        merge.insert(
            CONSENT_TARGET, present, params, {"relation_id": "relation_id", "channel": "channel"}
        )
        self.events(params)
        return result

    def notices(self) -> Iterator[Finding]:
        return withdrawals.notices()

    def events(self, params: dict[str, Any]) -> None:
        """consent.given for a new consent and for one given again after its withdrawal;
        consent.withdrawn when it ends; consent.changed (naming the fields) otherwise."""
        data = {
            "channel": "s.channel",
            "basis": "s.basis",
            "source": "COALESCE(s.source, '')",
        }
        add, who, again = merge.add_events, "s.relation_id", f"'{withdrawals.REGRANTED}'"
        # NULL-proof, as NOT (NULL) would drop a row: is_new and sticky are mostly NULL.
        given = f"(COALESCE(s.is_new, 0) = 1 OR COALESCE(s.sticky, '') = {again})"
        add(CONSENT_GIVEN, who, "s.given_at_ts", data, given, params)
        ends = f"(s.withdrawn_at_ts IS NOT NULL AND ({given} OR s.was_withdrawn = 0))"
        add(CONSENT_WITHDRAWN, who, "s.withdrawn_at_ts", data, ends, params)
        changed = f"s.changed <> '' AND NOT {given} AND NOT {ends}"
        fields = {**data, "fields": json_array_text("s.changed")}
        add(CONSENT_CHANGED, who, "%(now)s", fields, changed, params)


CONSENT_FIELDS = {"given_at": "given_at_ts", "withdrawn_at": "withdrawn_at_ts"}

# ------------------------------------------------------------------ responses

EMPTY = "''"
NO_ANSWERS = "CAST('{}' AS jsonb)"  # PostgreSQL; SQLite stores the text
BAND = (
    "CASE WHEN s.score >= 9 THEN 'promoter' WHEN s.score >= 7 THEN 'passive' ELSE 'detractor' END"
)


class ResponsesKind(Kind):
    """Answers collected elsewhere: confirmed at once, each a survey.answered event.
    A row already imported (same relation, instrument and day) is updated, never doubled."""

    schema = RESPONSES
    extra = (
        ("answered_ts", "datetime"),
        ("relation_id", "int"),
        ("instrument_id", "int"),
        ("instrument_kind", "text"),
        ("channel", "text"),
    )

    def computed(self, values: dict[str, Any]) -> list[Any]:
        return [noon(values["answered_at"]), None, None, None, None]

    def checks(self) -> list[Finding]:
        index_stage("relation", "relation_id, instrument_id")
        found = self.unknown_relations()
        execute(
            f"UPDATE {STAGE} SET instrument_id = i.id, instrument_kind = i.kind "
            f"FROM feedback_instrument i WHERE i.key = {STAGE}.instrument"
        )
        known = ", ".join(k for (k,) in fetch("SELECT key FROM feedback_instrument ORDER BY key"))
        for row, value in fetch(
            f"SELECT row_no, instrument FROM {STAGE} WHERE instrument_id IS NULL"
        ):
            found.append((row, "instrument", value, f"onbekend meetinstrument; kies uit {known}"))
        for row, value in fetch(
            f"SELECT row_no, instrument FROM {STAGE} WHERE instrument_kind = 'survey'"
        ):
            found.append((row, "instrument", value, "een vragenlijst kan niet worden ingelezen"))
        for row, score in fetch(
            f"SELECT row_no, score FROM {STAGE} WHERE instrument_kind = 'thumbs' AND score > 1"
        ):
            found.append((row, "score", str(score), "een duim is 1 (omhoog) of 0 (omlaag)"))
        return found + self._touchpoints() + self.duplicates("relation, instrument, answered_at")

    def _touchpoints(self) -> list[Finding]:
        execute(
            f"UPDATE {STAGE} SET channel = t.channel FROM touchpoints_touchpoint t "
            f"WHERE t.id = {STAGE}.touchpoint AND t.relation_id = {STAGE}.relation_id"
        )
        rows = fetch(
            f"SELECT row_no, touchpoint FROM {STAGE} "
            "WHERE touchpoint IS NOT NULL AND channel IS NULL AND relation_id IS NOT NULL"
        )
        return [(r, "touchpoint", str(v), "geen contactmoment van deze relatie") for r, v in rows]

    def merge(self, present: set[str], params: dict[str, Any]) -> dict[str, int]:
        execute(
            f"UPDATE {STAGE} SET target_id = r.id, changed = CASE WHEN "
            f"{differs('r.score', STAGE + '.score')} OR "
            f"{differs('r.comment', f'COALESCE({STAGE}.comment, {EMPTY})')} "
            "THEN 'score' ELSE '' END FROM feedback_response r "
            f"WHERE r.relation_id = {STAGE}.relation_id AND r.instrument_id = {STAGE}.instrument_id"
            f" AND r.answered_at = {STAGE}.answered_ts AND r.source = 'import'"
        )
        result = merge.counts()
        execute(
            f"UPDATE feedback_response AS t SET score = s.score, comment = COALESCE(s.comment, '') "
            f"FROM {STAGE} s WHERE s.target_id = t.id AND s.changed <> ''"
        )
        data = {"instrument": "s.instrument", "kind": "s.instrument_kind",
                "score": "s.score", "touchpoint": "s.touchpoint",
                "channel": "COALESCE(s.channel, '')", "comment": f"COALESCE(s.comment, {EMPTY})",
                "band": f"CASE WHEN s.instrument_kind = 'nps' THEN {BAND} END"}  # fmt: skip
        add = merge.add_events
        add(SURVEY_ANSWERED, "s.relation_id", "s.answered_ts", data, "s.target_id IS NULL", params)
        execute(
            "INSERT INTO feedback_response (instrument_id, relation_id, touchpoint_id, score, "
            "answers, comment, status, source, channel, language, answered_at, confirmed_at) "
            "SELECT s.instrument_id, s.relation_id, s.touchpoint, s.score, "
            f"{NO_ANSWERS if is_postgres() else repr('{}')}, "
            "COALESCE(s.comment, ''), 'confirmed', 'import', COALESCE(s.channel, ''), 'nl', "
            f"s.answered_ts, %(now)s FROM {STAGE} s WHERE s.target_id IS NULL ORDER BY s.row_no",
            params,
        )
        return result


KINDS: dict[str, Kind] = {
    "relations": RelationsKind(),
    "mandates": MandatesKind(),
    "gifts": GiftsKind(),
    "consents": ConsentsKind(),
    "responses": ResponsesKind(),
}
