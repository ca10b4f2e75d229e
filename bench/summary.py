"""One table of every recorded benchmark figure, its target and whether it is met.

    .venv/bin/python -m bench.summary      (``make bench`` runs it last)

Reads ``bench/output/figures.json`` (each benchmark records its figures there, see
``bench.common.record``) and writes ``bench/output/summary.md`` (not committed), printing it too.

Under the table, the machine's speed on fixed work, so that absolute figures (milliseconds, req/s) of
runs on different machines can be read side by side: the same code ran twice as slow on one machine of
this workplace as on another. The ratios against baselines run in the same process do not move with it.
"""
import json
import os
import time
from contextlib import closing

import psycopg2

from bench.common import OUTPUT_DIR

PYTHON_WORK = 5_000_000  # additions in a Python loop
SQL_WORK = "SELECT sum(i) FROM generate_series(1, 2000000) AS i"


def machine_speed() -> str:
    """The best of five runs of a fixed Python loop and of a fixed PostgreSQL query (``DATABASE_URL``)."""
    def python_loop():
        total = 0
        for i in range(PYTHON_WORK):
            total += i
        return total

    def best(work) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        return min(times) * 1000

    line = f"Machine speed on fixed work: Python {PYTHON_WORK:,} additions {best(python_loop):.0f} ms"
    url = os.environ.get("DATABASE_URL")
    if url:
        with closing(psycopg2.connect(url)) as connection, connection.cursor() as cursor:
            line += f"; PostgreSQL sum over 2,000,000 rows {best(lambda: cursor.execute(SQL_WORK)):.0f} ms"
    return line + f" ({os.cpu_count()} cores)."


def main() -> None:
    path = OUTPUT_DIR / "figures.json"
    figures = json.loads(path.read_text()) if path.exists() else {}
    lines = ["| benchmark | figure | value | target | met | measured |", "|---|---|---|---|---|---|"]
    for key, f in sorted(figures.items()):
        bench, figure = key.split(" | ", 1)
        met = {True: "yes", False: "**no**", None: "—"}[f["met"]]
        value = f"{f['value']:,}" if isinstance(f["value"], int) else f"{f['value']:,.2f}".rstrip("0").rstrip(".")
        lines.append(f"| {bench} | {figure} | {value} {f['unit']} | {f['target'] or '—'} | {met} | {f['measured']} |")
    met = sum(1 for f in figures.values() if f["met"] is True)
    judged = sum(1 for f in figures.values() if f["met"] is not None)
    lines.append(f"\n{met} of {judged} targets met ({len(figures)} figures).")
    lines.append(f"\n{machine_speed()}")
    text = "\n".join(lines) + "\n"
    (OUTPUT_DIR / "summary.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
