"""The share of zones that get their own provisions on the corpus of real resolution texts.

    .venv/bin/python scripts/provisions_corpus.py                  # the splitter of this checkout
    .venv/bin/python scripts/provisions_corpus.py --module old.py  # another version of it, e.g.
        git show <commit>:plans/ingest/provisions.py > /tmp/old.py

Each ``fixtures/mpzp-texts/<name>.htm`` is split with the zone designations listed in
``<name>.zones.txt`` (what the zone layer would supply); a zone counts when it gets text.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fixtures" / "mpzp-texts"


def load_splitter(path: Path | None):
    if path is None:
        from plans.ingest import provisions

        return provisions
    spec = importlib.util.spec_from_file_location("provisions_under_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def measure(*, splitter) -> list[tuple[str, int, int]]:
    """(text, zones listed, zones with their own provisions) for every text of the corpus."""
    rows = []
    for listing in sorted(CORPUS.glob("*.zones.txt")):
        name = listing.name.removesuffix(".zones.txt")
        text = CORPUS / f"{name}.htm"
        zones = [line.strip() for line in listing.read_text().splitlines() if line.strip()]
        paragraphs = splitter._html_paragraphs(text.read_bytes(), text.name)
        found = splitter.split_paragraphs(paragraphs, designations=zones).zones
        rows.append((name, len(zones), sum(1 for z in zones if found.get(splitter.normalise(z)))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", type=Path, help="a provisions.py to measure instead")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    rows = measure(splitter=load_splitter(args.module))
    for name, total, found in rows:
        print(f"{name:18} {found:4} / {total:4}")
    total, found = sum(r[1] for r in rows), sum(r[2] for r in rows)
    texts = sum(1 for r in rows if r[2])
    print(f"zones with their own provisions: {found} of {total} ({100 * found / total:.0f} %)")
    print(f"texts with at least one zone matched: {texts} of {len(rows)}")


if __name__ == "__main__":
    main()
