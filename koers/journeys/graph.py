"""Checks on a journey's step graph. Pure: plain data in, Dutch findings out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def unreachable(first: str, edges: Mapping[str, Sequence[str]]) -> list[str]:
    """Steps no path from the first step leads to, in definition order."""
    seen, todo = {first}, [first]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target in edges and target not in seen:
                seen.add(target)
                todo.append(target)
    return [step for step in edges if step not in seen]


def cycles_without_wait(edges: Mapping[str, Sequence[str]], waits: set[str]) -> list[list[str]]:
    """Cycles that a relation could run round within one tick: no wait on them.

    Removing the wait steps leaves the graph a relation can cross in one go; any
    cycle left there is a cycle without a wait. Each is reported once, as a path
    that starts and ends at the same step.
    """
    graph = {
        step: [t for t in targets if t in edges and t not in waits]
        for step, targets in edges.items()
        if step not in waits
    }
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(step: str) -> None:
        state[step] = 1
        path.append(step)
        for target in graph[step]:
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[step] = 2

    for step in graph:
        if step not in state:
            visit(step)
    return found
