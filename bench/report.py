"""Write the README's benchmark figures from the files the benchmarks wrote.

    .venv/bin/python bench/report.py [--check]

Each benchmark's full run writes bench/figures/NAME.json (bench/bench_figures.py). In the
README, the lines between `<!-- figures: NAME -->` and `<!-- /figures -->` are generated
from that file: the date and commit of the run, the machine, the sizes and the figures.
--check changes nothing and fails when the README is not what the files say (a test runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
README = BENCH.parent / "README.md"
FIGURES = BENCH / "figures"
BLOCK = re.compile(r"(<!-- figures: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /figures -->)", re.S)


def number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if value < 1 else f"{value:,.1f}"


def render(document: dict[str, Any]) -> str:
    sizes = ", ".join(f"{key} {number(value)}" for key, value in document["sizes"].items())
    lines = [
        f"Last run {document['date']}, commit `{document['commit']}`, {document['machine']};"
        f" {sizes}:",
        "",
        "| figure | value |",
        "|---|---:|",
        *(f"| {label} | {number(value)} |" for label, value in document["figures"].items()),
        "",
    ]
    if document.get("note"):
        lines[1:1] = ["", document["note"]]
    return "\n".join(lines)


def generated(readme: str) -> str:
    def replace(match: re.Match[str]) -> str:
        path = FIGURES / f"{match['name']}.json"
        if not path.exists():
            sys.exit(f"README.md names figures {match['name']!r}, but {path} does not exist")
        document = json.loads(path.read_text(encoding="utf-8"))
        return f"{match[1]}{render(document)}{match[4]}"

    return BLOCK.sub(replace, readme)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when README.md is stale")
    args = parser.parse_args()
    readme = README.read_text(encoding="utf-8")
    named = {match["name"] for match in BLOCK.finditer(readme)}
    unused = sorted(path.stem for path in FIGURES.glob("*.json") if path.stem not in named)
    if unused:
        sys.exit(f"bench/figures/ has figures the README does not show: {unused}")
    fresh = generated(readme)
    if args.check:
        if fresh != readme:
            sys.exit("README.md's benchmark figures are stale: run bench/report.py")
        return
    README.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()
