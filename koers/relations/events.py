"""Event kinds and their payloads, each defined once, with the two ways to write them.

An `EventType` names an event kind and the keys of its data. The actions write one event
at a time (`record`); the importer writes thousands in one `INSERT ... SELECT`
(`insert_select`), with an SQL expression per key. Both refuse a payload that is not the
definition's, so the two write paths cannot drift apart. Each domain defines its own
kinds: relations and consents here, gifts and mandates in koers.giving.events.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection

from koers.relations.choices import EventKind, EventSource

if TYPE_CHECKING:
    from koers.relations.models import Event, Relation


@dataclass(frozen=True)
class EventType:
    kind: EventKind
    fields: tuple[str, ...] = ()  # keys every event of this kind has
    optional: tuple[str, ...] = ()  # keys a writer adds when it knows them

    def check(self, keys: Collection[str]) -> None:
        """Refuse data without a required key or with a key the definition does not name."""
        missing = [key for key in self.fields if key not in keys]
        unknown = sorted(set(keys) - set(self.fields) - set(self.optional))
        if missing or unknown:
            raise ValueError(
                f"{self.kind.value}: data must hold {list(self.fields)}"
                f" (and may hold {list(self.optional)}); missing {missing}, unknown {unknown}"
            )

    def data(self, /, **values: Any) -> dict[str, Any]:
        self.check(values)
        return values

    def record(
        self,
        relation: Relation | int,
        occurred_at: datetime,
        source: EventSource,
        /,
        **values: Any,
    ) -> Event:
        """Write one event (in the caller's transaction)."""
        from koers.relations.actions import record_event

        return record_event(relation, self.kind, occurred_at, source, self.data(**values))

    def insert_select(
        self,
        *,
        relation: str,
        occurred: str,
        values: Mapping[str, str],
        rows: str,
        source: EventSource,
        order: str = "",
    ) -> str:
        """SQL writing one event per row of `rows` (a FROM ... WHERE ... clause), set-based.

        `relation` and `occurred` are SQL expressions, `values` an SQL expression per key;
        `%(now)s` is the recorded time."""
        self.check(values)
        ordered = f" ORDER BY {order}" if order else ""
        return (
            "INSERT INTO relations_event (relation_id, kind, occurred_at, recorded_at, source, "
            f"data) SELECT {relation}, '{self.kind.value}', {occurred}, %(now)s, "
            f"'{source.value}', {json_object(list(values.items()))} {rows}{ordered}"
        )


def json_object(pairs: list[tuple[str, str]]) -> str:
    """An SQL JSON object of (key, SQL expression) pairs, in each database's own terms."""
    body = ", ".join(f"'{key}', {expr}" for key, expr in pairs)
    if connection.vendor == "postgresql":
        return f"jsonb_build_object({body})" if pairs else "'{}'::jsonb"
    return f"json_object({body})"


RELATION_CREATED = EventType(EventKind.RELATION_CREATED)
RELATION_CHANGED = EventType(EventKind.RELATION_CHANGED, ("fields",))
RELATION_DECEASED = EventType(EventKind.RELATION_DECEASED)
RELATION_ENDED = EventType(EventKind.RELATION_ENDED)

_CONSENT = ("channel", "basis", "source")
CONSENT_GIVEN = EventType(EventKind.CONSENT_GIVEN, _CONSENT)
# An import names the fields that changed; a consent given again on the web page does not.
CONSENT_CHANGED = EventType(EventKind.CONSENT_CHANGED, _CONSENT, ("fields",))
# A withdrawal from an unsubscribe link has a reason; one from an import has the consent's
# basis and source.
CONSENT_WITHDRAWN = EventType(
    EventKind.CONSENT_WITHDRAWN, ("channel",), ("basis", "source", "reason")
)
