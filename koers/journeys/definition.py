"""A journey definition: read, check and normalise the document behind a journey.

The same document is stored with every published version, written to and read
from YAML by `koers journeys import/export`, and edited through the web forms.
The schema is documented in docs/journeys.md. Every problem is reported at once,
each with the place it concerns ("stap 'bel': ...").
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from koers.channels.texts import content_problems as text_problems
from koers.groups.rules import RuleError, parse
from koers.journeys import graph
from koers.journeys.durations import Span, parse_duration, parse_span
from koers.journeys.steps.base import Problems, kinds

EVENT_KINDS = (
    "gift.received",
    "gift.first",
    "mandate.started",
    "mandate.cancelled",
    "mandate.storno",
    "mandate.paused",
    "consent.given",
    "consent.withdrawn",
    "relation.created",
    "call.outcome",
    "task.done",
    "survey.answered",
    "level.changed",
)
DATE_FIELDS = ("birthday", "gifts.first", "mandate.start")
REENTRY = ("once", "per-year", "per-month", "always")
EXITS = ("mandate_cancelled", "opt_out", "deceased")
STATUSES = ("draft", "active", "paused", "retired")
TOP_KEYS = {"key", "name", "phase", "group", "description", "owner", "status"}
TOP_KEYS |= {"trigger", "exit_when", "steps", "min_gap"}
# Two contacts of one journey to one relation are at least this far apart unless the
# journey's min_gap says otherwise (0 allows the same day).
DEFAULT_GAP = timedelta(days=2)
# The journey pages use these words in their own addresses (/klantreizen/nieuw/).
RESERVED_KEYS = frozenset({"nieuw", "controleren"})
ANNOTATION_KEYS = {"moment_of_truth", "deadline", "emotion", "goal", "owner", "influence"}
ANNOTATION_KEYS |= {"backstage", "pains", "opportunities"}
# A pain point's or opportunity's status on the map.
NOTE_STATUSES = ("open", "busy", "solved")


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Trigger:
    kind: str  # event, group or date
    event: str = ""
    where: str = ""
    group: str = ""
    date: str = ""
    max_age: timedelta = timedelta(days=30)
    reentry: str = "once"


@dataclass(frozen=True)
class Note:
    """A pain point or an opportunity on a step: what, who picks it up, how far it is."""

    text: str
    owner: str = ""
    status: str = "open"


@dataclass(frozen=True)
class Step:
    key: str
    kind: str
    label: str
    next: str | None
    settings: Mapping[str, Any]
    moment_of_truth: bool = False
    # From entry; business days end at the close of business (see steps.timing).
    deadline: Span | None = None
    emotion: int | None = None
    goal: str = ""
    owner: str = ""
    influence: bool | None = None
    # Who does what behind the contact, and the notes the team keeps on the step.
    backstage: str = ""
    pains: tuple[Note, ...] = ()
    opportunities: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    phase: str
    group: str
    trigger: Trigger
    exits: tuple[str, ...]
    steps: tuple[Step, ...]
    data: Mapping[str, Any]
    min_gap: timedelta = DEFAULT_GAP

    @property
    def first(self) -> str:
        return self.steps[0].key

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


def check_rule(text: Any, where: str, problems: Problems) -> str:
    if not isinstance(text, str) or not text.strip():
        problems.add(where, "een voorwaarde verwacht, bijvoorbeeld 'trigger.amount >= 25'")
        return ""
    try:
        parse(text, trigger=True)
    except RuleError as error:
        problems.add(
            where, f"ongeldige regel '{text}': {error.message} (teken {error.position + 1})"
        )
    return text


def _trigger(raw: Any, problems: Problems) -> Trigger:
    where = "trigger"
    if not isinstance(raw, Mapping):
        problems.add(where, "ontbreekt; kies 'event', 'group' of 'date'")
        return Trigger("event")
    unknown = set(raw) - {"event", "where", "group", "date", "max_age", "reentry"}
    for name in sorted(unknown):
        problems.add(where, f"onbekend veld '{name}'")
    chosen = [name for name in ("event", "group", "date") if name in raw]
    if len(chosen) != 1:
        problems.add(where, "kies precies één van 'event', 'group' of 'date'")
        return Trigger("event")
    kind = chosen[0]
    reentry = str(raw.get("reentry", "once"))
    if reentry not in REENTRY:
        problems.add(where, f"reentry '{reentry}' bestaat niet; kies uit {', '.join(REENTRY)}")
    if kind == "event" and raw["event"] not in EVENT_KINDS:
        problems.add(
            where, f"onbekende gebeurtenis '{raw['event']}'{_close(raw['event'], EVENT_KINDS)}"
        )
    if kind == "date" and raw["date"] not in DATE_FIELDS:
        problems.add(where, f"onbekende datum '{raw['date']}'; kies uit {', '.join(DATE_FIELDS)}")
    if kind != "event" and reentry == "always":
        problems.add(where, "'always' kan alleen bij een gebeurtenis; kies 'once' of een periode")
    max_age = timedelta(days=30)
    if "max_age" in raw:
        try:
            max_age = parse_duration(raw["max_age"])
        except ValueError as error:
            problems.add(f"{where}.max_age", str(error))
    return Trigger(
        kind,
        event=str(raw.get("event", "")),
        where=check_rule(raw["where"], f"{where}.where", problems) if "where" in raw else "",
        group=str(raw.get("group", "")),
        date=str(raw.get("date", "")),
        max_age=max_age,
        reentry=reentry,
    )


def _min_gap(data: Mapping[str, Any], problems: Problems) -> timedelta:
    """The least time between two contacts of the journey to one relation (see DEFAULT_GAP)."""
    raw = data.get("min_gap", None)
    if raw is None:
        return DEFAULT_GAP
    if str(raw).strip() == "0":
        return timedelta()
    try:
        return parse_duration(raw)
    except ValueError as error:
        hint = "" if "werkdagen" in str(error) else "; 0 staat contacten op dezelfde dag toe"
        problems.add("min_gap", f"{error}{hint}")
    return DEFAULT_GAP


def _close(word: object, options: Any) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1)
    return f" (bedoelde u '{close[0]}'?)" if close else ""


def _annotations(raw: Any, where: str, problems: Problems) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if not isinstance(raw, Mapping):
        problems.add(where, "verwacht velden zoals emotion: 1 en owner: Service")
        return found
    for name in sorted(set(raw) - ANNOTATION_KEYS):
        problems.add(where, f"onbekend veld '{name}'{_close(name, ANNOTATION_KEYS)}")
    if "deadline" in raw:
        try:
            found["deadline"] = parse_span(raw["deadline"])
        except ValueError as error:
            problems.add(f"{where}.deadline", str(error))
    if "emotion" in raw:
        emotion = raw["emotion"]
        if not isinstance(emotion, int) or isinstance(emotion, bool) or not -2 <= emotion <= 2:
            problems.add(
                f"{where}.emotion",
                f"verwacht een geheel getal van -2 tot en met 2, niet {emotion!r}",
            )
        else:
            found["emotion"] = emotion
    for name in ("moment_of_truth", "influence"):
        if name in raw:
            if not isinstance(raw[name], bool):
                problems.add(f"{where}.{name}", f"verwacht true of false, niet {raw[name]!r}")
            else:
                found[name] = raw[name]
    for name in ("goal", "owner", "backstage"):
        if name in raw:
            found[name] = str(raw[name])
    for name in ("pains", "opportunities"):
        if name in raw:
            found[name] = _notes(raw[name], f"{where}.{name}", problems)
    return found


def _notes(raw: Any, where: str, problems: Problems) -> tuple[Note, ...]:
    """Notes are a list of texts or of {text, owner, status}."""
    items = raw if isinstance(raw, list) else [raw]
    notes = []
    for index, item in enumerate(items):
        place = f"{where}[{index + 1}]"
        if isinstance(item, str) and item.strip():
            notes.append(Note(item.strip()))
        elif isinstance(item, Mapping) and str(item.get("text") or "").strip():
            status = str(item.get("status") or "open")
            if status not in NOTE_STATUSES:
                problems.add(
                    f"{place}.status",
                    f"status '{status}' bestaat niet; kies uit {', '.join(NOTE_STATUSES)}",
                )
            for name in sorted(set(item) - {"text", "owner", "status"}):
                problems.add(place, f"onbekend veld '{name}'")
            notes.append(Note(str(item["text"]).strip(), str(item.get("owner") or ""), status))
        else:
            problems.add(place, "verwacht een tekst, of text met owner en status")
    return tuple(notes)


def _step(raw: Any, index: int, following: str | None, problems: Problems) -> Step | None:
    if not isinstance(raw, Mapping) or not raw.get("key"):
        problems.add(f"stap {index + 1}", "elke stap heeft een 'key' en een 'kind'")
        return None
    key = str(raw["key"])
    where = f"stap '{key}'"
    kind = kinds().get(str(raw.get("kind", "")))
    if kind is None:
        options = ", ".join(sorted(kinds()))
        problems.add(
            where,
            f"onbekende soort '{raw.get('kind', '')}'"
            f"{_close(raw.get('kind', ''), kinds())}; kies uit {options}",
        )
        return None
    settings = kind.parse(raw, where, problems)
    annotations = _annotations(raw.get("map") or {}, f"{where}.map", problems)
    unknown = (
        set(raw) - {"key", "kind", "label", "next", "map"} - set(settings) - kind_fields(kind.key)
    )
    for name in sorted(unknown):
        problems.add(where, f"onbekend veld '{name}'")
    nxt = raw.get("next", following if kind.key != "exit" else None)
    return Step(
        key, kind.key, str(raw.get("label", key)), nxt and str(nxt), settings, **annotations
    )


def kind_fields(kind: str) -> set[str]:
    """Raw field names a kind reads (its parse may store them under other names)."""
    return {
        "wait": {"for", "since_entry", "until", "weekday", "time"},
        "action": {"channel", "channels", "nature", "content", "holdout", "pressure", "done_when"},
        "branch": {"branches", "else"},
        "split": {"paths"},
        "wait_for_event": {"event", "where", "timeout", "on_timeout", "from"},
        "exit": set(),
    }.get(kind, set())


def _steps(raw: Any, problems: Problems) -> tuple[Step, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add("steps", "een klantreis heeft minstens één stap")
        return ()
    keys = [str(item.get("key")) for item in raw if isinstance(item, Mapping)]
    steps = []
    for index, item in enumerate(raw):
        following = keys[index + 1] if index + 1 < len(keys) else None
        step = _step(item, index, following, problems)
        if step is not None:
            steps.append(step)
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    for key in duplicates:
        problems.add(f"stap '{key}'", "deze sleutel komt meer dan eens voor")
    return tuple(steps)


def _graph(steps: tuple[Step, ...], problems: Problems) -> None:
    known = {step.key for step in steps}
    edges = {step.key: kinds()[step.kind].targets(step) for step in steps}
    for step in steps:
        for target in edges[step.key]:
            if target not in known:
                problems.add(
                    f"stap '{step.key}'",
                    f"volgende stap '{target}' bestaat niet{_close(target, known)}",
                )
    if not steps:
        return
    for key in graph.unreachable(steps[0].key, edges):
        problems.add(f"stap '{key}'", "is onbereikbaar: geen stap leidt ernaartoe")
    waits = {step.key for step in steps if kinds()[step.kind].waits}
    for cycle in graph.cycles_without_wait(edges, waits):
        problems.add(f"stap '{cycle[0]}'", f"kringloop zonder wachtstap: {' → '.join(cycle)}")


def _texts(steps: tuple[Step, ...], problems: Problems) -> None:
    """What the steps' texts may not say (see koers.channels.texts and docs/journeys.md)."""
    for step in steps:
        content = step.settings.get("content")
        if isinstance(content, Mapping):
            for field, message in text_problems(content):
                problems.add(f"stap '{step.key}'.content.{field}", message)


def parse_definition(data: Any, *, texts: bool = True) -> Definition:
    """Read and check a whole definition. Raises DefinitionError listing every problem.

    `texts=False` leaves the texts unchecked: for reading a version that is already stored
    (the engine, the map), which must keep running when a stored text breaks the sandbox's
    rules; such a text is refused when it is filled in, not when the journey is read."""
    problems = Problems()
    if not isinstance(data, Mapping):
        raise DefinitionError(["de definitie is geen lijst van velden (key: ..., name: ...)"])
    for name in sorted(set(data) - TOP_KEYS):
        problems.add("klantreis", f"onbekend veld '{name}'{_close(name, TOP_KEYS)}")
    for name in ("key", "name", "phase"):
        if not data.get(name):
            problems.add("klantreis", f"veld '{name}' ontbreekt")
    if str(data.get("key", "")) in RESERVED_KEYS:
        problems.add("klantreis", f"de sleutel '{data['key']}' is gereserveerd; kies een andere")
    if data.get("status", "draft") not in STATUSES:
        problems.add(
            "klantreis", f"status '{data['status']}' bestaat niet; kies uit {', '.join(STATUSES)}"
        )
    exits = data.get("exit_when") or []
    for name in exits:
        if name not in EXITS:
            problems.add(
                "exit_when", f"onbekende uitstapreden '{name}'; kies uit {', '.join(EXITS)}"
            )
    trigger = _trigger(data.get("trigger"), problems)
    min_gap = _min_gap(data, problems)
    steps = _steps(data.get("steps"), problems)
    _graph(steps, problems)
    if texts:
        _texts(steps, problems)
    if problems.items:
        raise DefinitionError(problems.items)
    return Definition(
        key=str(data["key"]),
        name=str(data["name"]),
        phase=str(data["phase"]),
        group=str(data.get("group") or ""),
        trigger=trigger,
        exits=tuple(exits),
        steps=steps,
        data=data,
        min_gap=min_gap,
    )
