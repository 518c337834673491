"""Figure: detection of hallucinated bibliography entries (HALLMARK dev split), offline, per type.

1. An offline "world" in DBLP's XML dump format (ISO-8859-1, DTD entities, titles ending in a period, `ee`
   DOI links) is generated from real records only: the split's VALID entries (taken from DBLP), the
   originals that near-miss explanations name (`original: '...'`, with the entry's other fields), and the
   proceedings in ../shared/arxiv/conferences/ (ICLR 2020-23, ICML 2020-23, NeurIPS 2020) as distractors.
   The explanations are read here, to build the world, never at resolve time.
2. `verifier index build world.xml.gz --complete` indexes it (the scope it is complete for is stored).
3. The split is written as a .bib file WITHOUT its labels, and `verifier resolve --bib dev.bib --offline
   --snapshot world.sqlite --format json` resolves it: the same code path a user runs.
4. Each result is joined to its label by BibTeX key. An entry is *flagged* when its verdict is `mismatch`,
   `not_found` or `misattributed`; detection = flagged hallucinated / hallucinated (per type), false
   positives = flagged valid / valid, confirmed = `confirmed` valid / valid.

Files go to .verifier/hallmark/ (regenerated from ../shared on every run; nothing is committed).
Usage: .venv/bin/python benchmarks/hallmark.py [--split PATH] [--shared DIR] [--details]"""

from __future__ import annotations

import argparse
import gzip
import html.entities
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLAGGED = {"mismatch", "not_found", "misattributed"}
VENUE_NAMES = {"iclr": "ICLR", "icml": "ICML", "neurips": "NeurIPS"}
_ORIGINAL = re.compile(r"\(original: '(.+)'\)\s*$|^Title altered from the real '(.+?)' \(")


def _xml_text(text: str) -> str:
    """Escaped as DBLP does: markup characters, named DTD entities for Latin-1 letters, numeric references
    beyond Latin-1 (the file is ISO-8859-1)."""
    out = []
    for char in text:
        if char in "&<>\"":
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[char])
        elif ord(char) > 127 and ord(char) in html.entities.codepoint2name and ord(char) < 256:
            out.append(f"&{html.entities.codepoint2name[ord(char)]};")
        elif ord(char) > 255:
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def _record_xml(tag: str, key: str, title: str, authors: list[str], year: str | None, venue: str | None,
                venue_field: str, links: list[str]) -> str:
    lines = [f'<{tag} key="{_xml_text(key)}" mdate="2024-01-01">']
    lines += [f"<author>{_xml_text(a)}</author>" for a in authors]
    lines.append(f"<title>{_xml_text(title.rstrip('.'))}.</title>")
    if venue:
        lines.append(f"<{venue_field}>{_xml_text(venue)}</{venue_field}>")
    if year:
        lines.append(f"<year>{year}</year>")
    lines += [f"<ee>{_xml_text(link)}</ee>" for link in links]
    lines.append(f"</{tag}>")
    return "\n".join(lines)


def _identity(title: str) -> str:
    from verifier.references.normalize import identity_key

    return identity_key(title)


class World:
    """DBLP records keyed by title identity: the first copy of a paper stands, unless it stopped its author
    list at "others" (DBLP lists every author) and a later copy is complete."""

    def __init__(self) -> None:
        self.records: dict[str, str] = {}
        self.partial: set[str] = set()
        self.counts: Counter[str] = Counter()

    def add(self, source: str, tag: str, title: str, authors: list[str], year: str | None, venue: str | None,
            links: list[str]) -> None:
        ident = _identity(title)
        truncated = any(a.lower() == "others" for a in authors)
        if not ident or (ident in self.records and (truncated or ident not in self.partial)):
            return
        (self.partial.add if truncated else self.partial.discard)(ident)
        slug = re.sub(r"[^a-z]", "", (authors[0].split()[-1] if authors else "anon").lower()) or "anon"
        key = f"{'journals' if tag == 'article' else 'conf'}/{(venue or 'misc').split()[0].lower()}/{slug}{year}"
        field = "journal" if tag == "article" else "booktitle"
        self.records[ident] = _record_xml(tag, f"{key}-{len(self.records)}", title, authors, year, venue, field,
                                          links)
        self.counts[source] += 1

    def add_entry(self, row: dict[str, Any], title: str, source: str) -> None:
        fields = {k: html.unescape(str(v)) for k, v in row["fields"].items()}
        tag = "article" if fields.get("journal") else "inproceedings"
        venue = fields.get("journal") or fields.get("booktitle")
        links = [f"https://doi.org/{fields['doi']}"] if fields.get("doi") else []
        authors = [a.strip() for a in fields.get("author", "").split(" and ") if a.strip()]
        if not venue and "10.48550/arxiv." in fields.get("doi", "").lower():
            tag, venue = "article", "CoRR"  # DBLP lists arXiv papers as CoRR articles
        self.add(source, tag, html.unescape(title), authors, fields.get("year"), venue, links)

    def write(self, target: Path) -> None:
        body = "\n".join(self.records.values())
        document = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n'
                    f"{body}\n</dblp>\n")
        target.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(target, "wb") as handle:
            handle.write(document.encode("iso-8859-1"))


def build_world(rows: list[dict[str, Any]], shared: Path, target: Path) -> tuple[dict[str, int], set[str]]:
    """The DBLP-format world; returns how many records came from each source, and their title keys."""
    world = World()
    for row in rows:
        if row["label"] == "VALID":
            world.add_entry(row, row["fields"]["title"], "valid entries")
    for row in rows:
        match = _ORIGINAL.search(row.get("explanation") or "")
        if row.get("hallucination_type") == "near_miss_title" and match:
            world.add_entry(row, match.group(1) or match.group(2), "near-miss originals")
    for path in sorted((shared / "arxiv" / "conferences").glob("*.json")):
        venue_key, year = path.stem.split("_")
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item.get("title"):
                world.add("proceedings (distractors)", "inproceedings", " ".join(item["title"].split()),
                          [" ".join(a.split()) for a in item.get("authors") or []], year, VENUE_NAMES[venue_key],
                          [item["paper_url"]] if item.get("paper_url") else [])
    world.write(target)
    return dict(world.counts), set(world.records)


def _bib_value(value: str) -> str:
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", "").replace("}", "")
    return "{" + value + "}"


def write_bib(rows: list[dict[str, Any]], target: Path) -> None:
    """The entries as BibTeX, fields as given, without labels or explanations."""
    parts = []
    for row in rows:
        fields = "".join(f"  {name} = {_bib_value(str(value))},\n" for name, value in row["fields"].items())
        parts.append(f"@{row['bibtex_type']}{{{row['bibtex_key']},\n{fields}}}\n")
    target.write_text("\n".join(parts), encoding="utf-8")


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", type=Path, default=ROOT.parent / "shared" / "hallmark" / "dev_public.jsonl")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--work", type=Path, default=ROOT / ".verifier" / "hallmark")
    parser.add_argument("--details", action="store_true", help="print every flagged valid / missed entry")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.split.read_text(encoding="utf-8").splitlines() if line.strip()]
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    world, index, bib = work / "world.xml.gz", work / "world.sqlite", work / "dev.bib"
    sources, titles = build_world(rows, args.shared, world)
    verifier = str(ROOT / ".venv" / "bin" / "verifier")
    built = run([verifier, "index", "build", str(world), "--complete", "--output", str(index)])
    if built.returncode != 0:
        print(built.stderr, file=sys.stderr)
        return 1
    write_bib(rows, bib)
    started = time.perf_counter()
    resolved = run([verifier, "resolve", "--bib", str(bib), "--offline", "--snapshot", str(index),
                    "--format", "json"])
    seconds = time.perf_counter() - started
    if resolved.returncode not in (0, 3):
        print(resolved.stderr, file=sys.stderr)
        return 1
    results = {r["key"]: r for r in json.loads(resolved.stdout)}
    in_world = {row["bibtex_key"] for row in rows if _identity(html.unescape(row["fields"]["title"])) in titles}
    report(rows, results, sources, built.stdout.strip(), seconds, resolved.stderr.strip(), args.details, in_world)
    return 0


def report(rows: list[dict[str, Any]], results: dict[str, dict[str, Any]], sources: dict[str, int], built: str,
           seconds: float, problems: str, details: bool, in_world: set[str]) -> None:
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    present: Counter[str] = Counter()
    for row in rows:
        kind = row.get("hallucination_type") or "VALID"
        status = results.get(row["bibtex_key"], {}).get("status", "missing")
        by_type[kind][status] += 1
        present[kind] += row["bibtex_key"] in in_world
    print(f"world: {sum(sources.values())} records ({', '.join(f'{n} {k}' for k, n in sources.items())})")
    print(f"index: {built}")
    print(f"resolved {len(results)} of {len(rows)} entries in {seconds:.1f} s ({len(results) / seconds:.0f}/s, "
          f"one process, start-up included)" + (f"; input problems: {problems}" if problems else ""))
    print(f"\n{'type':<24} {'n':>4} {'flagged':>8} {'rate':>6} {'title in world':>15}  verdicts")
    hallucinated = flagged_total = 0
    for kind in sorted(by_type, key=lambda k: (k == "VALID", k)):
        counts = by_type[kind]
        n = sum(counts.values())
        flagged = sum(v for s, v in counts.items() if s in FLAGGED)
        if kind != "VALID":
            hallucinated += n
            flagged_total += flagged
        print(f"{kind:<24} {n:>4} {flagged:>8} {flagged / n:>6.3f} {present[kind]:>15}  "
              + ", ".join(f"{s} {v}" for s, v in counts.most_common()))
    valid = by_type["VALID"]
    n_valid = sum(valid.values())
    print(f"\ndetection {flagged_total / hallucinated:.3f} ({flagged_total}/{hallucinated}); false positives "
          f"{sum(v for s, v in valid.items() if s in FLAGGED) / n_valid:.3f}; valid confirmed "
          f"{valid['confirmed'] / n_valid:.3f} ({valid['confirmed']}/{n_valid})")
    if details:
        for row in rows:
            result = results.get(row["bibtex_key"], {})
            is_valid = row["label"] == "VALID"
            if (is_valid and result.get("status") != "confirmed") or (
                    not is_valid and result.get("status") not in FLAGGED):
                print(f"\n[{row.get('hallucination_type') or 'VALID'}] {row['bibtex_key']} -> "
                      f"{result.get('status')}: {result.get('summary')}\n  fields: {row['fields']}")


if __name__ == "__main__":
    sys.exit(main())
