"""One table of every recorded benchmark figure, its target and whether it is met.

    .venv/bin/python -m bench.summary      (``make bench`` runs it last)

Reads ``bench/output/figures.json`` (each benchmark records its figures there, see
``bench.common.record``) and writes ``bench/output/summary.md`` (not committed), printing it too.
"""
import json

from bench.common import OUTPUT_DIR


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
    text = "\n".join(lines) + "\n"
    (OUTPUT_DIR / "summary.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
