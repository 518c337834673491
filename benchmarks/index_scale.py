"""Figure: how the offline index scales, at 60k, 1M and 10M records (targets: 10M built in <= 20 min and
<= 2 GB; >= 1,000 references/s by title with authors; >= 99% right on real titles; cost per reference from
60k to 10M at most 2x).

Each size is the shipped snapshot (data/snapshot/, ~72k real records) plus synthetic records up to the size,
generated deterministically (seed 0) from the shipped records' own vocabulary and distributions: titles from a
word-bigram chain over the real titles, abstracts spliced from halves of two real abstracts, authors as real
first names with real surnames, real author counts, real category strings. About a quarter are arXiv-like
(arXiv's JSON-lines snapshot format, with abstracts; 30% with a DOI), the rest venue records without abstracts
written as DBLP's XML dump (`dblp.xml.gz`: ISO-8859-1, `article` with `journal` or `inproceedings` with
`booktitle`, `ee` links, 30% of them DOIs), so the build measured is the DBLP ingest users run; the mix of a
full arXiv + DBLP index. Nothing generated is committed: it goes to --work (a temporary directory by default).

Per size: `verifier index build` runs as a subprocess with its default `--jobs` (every core, at most 4; or
--build-jobs) (wall time; CPU time of it and its reader processes, from wait4; the peak memory of the whole
process tree, sampled), then the file size,
then references resolved in this process through the audit's Resolver, per kind: by arXiv id, exact title,
title + the first two authors, near-miss title (one word dropped, replaced or pluralised) + authors. The
real references (shipped records, the same at every size) are scored apart from the synthetic ones (whose
bigram titles make near-duplicates far more often than real titles do). Right = the resolver names the
expected record. Batch throughput with --jobs worker processes is measured on the title+authors kind.

    python benchmarks/index_scale.py --sizes 60k,1M,10M --work /tmp/scale [--keep]
    python benchmarks/index_scale.py --report --work /tmp/scale   # table, plot and README figures only
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from verifier.references.batch import offline, resolve_many
from verifier.references.readers import read
from verifier.references.records import PaperRecord
from verifier.references.resolver import Resolver
from verifier.references.snapshot import SnapshotIndex
from verifier.registry.models import Reference

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "data" / "snapshot").glob("*.gz"))
SIZES = {"60k": 0, "1M": 1_000_000, "10M": 10_000_000}
ARXIV_SHARE, DOI_SHARE = 0.26, 0.30
ARXIV_FILE, VENUE_FILE = 500_000, 1_000_000  # records per generated file
PER_KIND, REPEATS = 500, 3
PASSES = {"repeats": REPEATS, "build_jobs": 0}  # --repeats, --build-jobs (0: the CLI's default, every core)
KINDS = ("id", "title", "title+authors", "near-miss+authors")


# ---------------------------------------------------------------- the vocabulary of the shipped records
class Vocabulary:
    """Distributions of the real records, sampled by frequency (a list of occurrences, or cumulative weights)."""

    def __init__(self, records: list[PaperRecord]) -> None:
        self.next: dict[str, list[str]] = {}
        self.starts: list[str] = []
        first_names: list[str] = []
        self.surnames: list[str] = []
        self.author_counts: list[int] = []
        self.halves: list[tuple[str, str]] = []
        self.categories: list[str] = []
        for record in records:
            tokens = record.title.split()
            if tokens:
                self.starts.append(tokens[0])
                for a, b in zip(tokens, [*tokens[1:], ""], strict=True):
                    self.next.setdefault(a, []).append(b)
            self.author_counts.append(max(1, min(len(record.authors), 30)))
            for name in record.authors:
                parts = name.split()
                if len(parts) >= 2:
                    first_names.append(parts[0])
                    self.surnames.append(parts[-1])
            if record.abstract:
                body = record.abstract.split()
                self.halves.append((" ".join(body[:len(body) // 2]), " ".join(body[len(body) // 2:])))
            if record.categories:
                self.categories.append(" ".join(record.categories))
        self.first_names = first_names
        self.title_words = [w for w in self.next if w]
        self.successors = {word: tuple(after) for word, after in self.next.items()}

    def title(self, rng: random.Random) -> str:
        word = rng.choice(self.starts)
        out = [word]
        successors, choice = self.successors, rng.choice
        while len(out) < 24:
            word = choice(successors.get(word) or ("",))
            if not word:
                break
            out.append(word)
        return " ".join(out)

    def authors(self, rng: random.Random) -> list[tuple[str, str]]:
        return [(rng.choice(self.first_names), rng.choice(self.surnames))
                for _ in range(rng.choice(self.author_counts))]

    def abstract(self, rng: random.Random) -> str:
        """The first half of one real abstract and the second half of another (real words, real lengths;
        drawing word by word would cost more than the build being measured)."""
        return f"{rng.choice(self.halves)[0]} {rng.choice(self.halves)[1]}"


def shipped_records() -> list[PaperRecord]:
    return [record for path in SHIPPED for record in read(path)]


# ---------------------------------------------------------------- synthetic files
def arxiv_id(n: int) -> tuple[str, str]:
    """The n-th synthetic arXiv id, in months after the shipped snapshot ends (2017-04 on), and its date."""
    month, number = divmod(n, 99_999)
    year, month_of_year = 2017 + (month + 3) // 12, (month + 3) % 12 + 1
    day = 1 + number % 28
    return f"{year % 100:02d}{month_of_year:02d}.{number + 1:05d}", f"Mon, {day} {_MONTHS[month_of_year - 1]} {year}"


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_JOURNALS = frozenset({"J. Mach. Learn. Res.", "IEEE Trans. Pattern Anal. Mach. Intell.", "Neural Comput.",
                       "Mach. Learn."})
_DBLP_HEAD = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n'
_VENUES = ("ICLR", "ICML", "NeurIPS", "AAAI", "IJCAI", "ACL", "EMNLP", "CVPR", "ICCV", "KDD", "WWW", "SIGIR",
           "J. Mach. Learn. Res.", "IEEE Trans. Pattern Anal. Mach. Intell.", "Neural Comput.", "Mach. Learn.")


def dblp_element(key: str, journal: bool, title: str, authors: list[str], venue: str, year: int, url: str) -> str:
    """One publication as DBLP's dump writes it: `article` (with `journal`) or `inproceedings` (with
    `booktitle`), the title ending in a period, an `ee` link (a DOI link for some), escaped XML."""
    tag, where = ("article", "journal") if journal else ("inproceedings", "booktitle")
    people = "".join(f"<author>{escape(name)}</author>" for name in authors)
    return (f'<{tag} mdate="2024-01-01" key="{key}">{people}<title>{escape(title)}.</title>'
            f"<year>{year}</year><{where}>{escape(venue)}</{where}><ee>{escape(url)}</ee></{tag}>\n")


def generate(vocab: Vocabulary, total: int, out: Path) -> tuple[list[Path], list[dict[str, Any]]]:
    """Write `total` synthetic records into files under `out`; return the files and a sample of the records
    (with what identifies them in the index) to look up later."""
    rng = random.Random(0)
    pick = random.Random(1)
    sample_rate = min(1.0, 4 * PER_KIND / max(1, total))
    arxiv_total = int(total * ARXIV_SHARE)
    files: list[Path] = []
    sample: list[dict[str, Any]] = []
    out.mkdir(parents=True, exist_ok=True)
    handle = None
    for n in range(arxiv_total):
        if n % ARXIV_FILE == 0:
            if handle:
                handle.close()
            files.append(out / f"arxiv-{n // ARXIV_FILE:03d}.jsonl")
            handle = files[-1].open("w", encoding="utf-8")
        identifier, created = arxiv_id(n)
        title, authors = vocab.title(rng), vocab.authors(rng)
        doi = f"10.5555/synth.{n}" if rng.random() < DOI_SHARE else None
        row = {"id": identifier, "title": title, "authors": ", ".join(f"{f} {s}" for f, s in authors),
               "authors_parsed": [[s, f, ""] for f, s in authors], "abstract": vocab.abstract(rng),
               "categories": rng.choice(vocab.categories), "doi": doi, "journal-ref": None, "comments": None,
               "versions": [{"version": "v1", "created": f"{created} 12:00:00 GMT"}], "update_date": None}
        assert handle is not None
        handle.write(json.dumps(row) + "\n")
        if pick.random() < sample_rate:
            sample.append({"expect": identifier, "arxiv_id": identifier, "title": title, "doi": doi,
                           "identity": f"arxiv:{identifier}",
                           "authors": [f"{f} {s}" for f, s in authors], "year": int("20" + identifier[:2])})
    if handle:
        handle.close()
    venue_total = total - arxiv_total
    for start in range(0, venue_total, VENUE_FILE):
        path = out / f"dblp-{start // VENUE_FILE:03d}.xml.gz"
        with gzip.open(path, "wt", encoding="iso-8859-1", errors="xmlcharrefreplace", compresslevel=1) as xml:
            xml.write(_DBLP_HEAD)
            for n in range(start, min(venue_total, start + VENUE_FILE)):
                title, authors = vocab.title(rng), vocab.authors(rng)
                year = min(2025, 1990 + int(35 * rng.random() ** 0.5))
                venue = rng.choice(_VENUES)
                journal = venue in _JOURNALS
                key = f"{'journals' if journal else 'conf'}/synth/{n}"
                url = f"https://doi.org/10.5556/synth.{n}" if rng.random() < DOI_SHARE else \
                    f"https://dblp.org/rec/{key}"
                xml.write(dblp_element(key, journal, title, [f"{f} {s}" for f, s in authors], venue, year, url))
                if pick.random() < sample_rate:
                    sample.append({"expect": url, "arxiv_id": None, "title": title, "year": year, "doi": None,
                                   "authors": [f"{f} {s}" for f, s in authors], "identity": f"dblp:{key}"})
            xml.write("</dblp>\n")
        files.append(path)
    return files, sample


# ---------------------------------------------------------------- build
# Runs the build and reports its rusage. A separate small process, because the peak RSS of a child forked from
# this (large) process would count this process's pages, shared until exec. wait4's figures include the
# build's worker processes (waited for by it): CPU time summed, peak RSS of the largest one; a thread also
# samples the memory of the whole process tree every two seconds (proportional set size, so pages a worker
# shares with the process it was forked from count once), whose peak is the memory the build needed at once.
_LAUNCHER = """
import json, os, subprocess, sys, threading, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak = [0]

def tree_rss():
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, grown = {process.pid}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:  # proportional: pages shared after fork once
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total

def sample():
    while process.poll() is None:
        peak[0] = max(peak[0], tree_rss())
        time.sleep(2)  # reading smaps_rollup walks page tables: every 0.5 s cost 5% of a core

threading.Thread(target=sample, daemon=True).start()
_, status, usage = os.wait4(process.pid, 0)
print(json.dumps({"status": status, "build_s": time.perf_counter() - started, "peak_rss_mb": usage.ru_maxrss / 1024,
                  "tree_rss_mb": peak[0] / 1024, "build_cpu_s": usage.ru_utime + usage.ru_stime,
                  "stderr": process.stderr.read().decode()[-2000:]}))
"""

def build(files: list[Path], index: Path) -> dict[str, float]:
    """`verifier index build` as a subprocess: wall and CPU seconds (the machine is shared: wall time counts
    other people's work too), peak resident memory (MB), file size (MB)."""
    command = [sys.executable, "-m", "verifier", "index", "build", *map(str, files), "--output", str(index)]
    if PASSES.get("build_jobs"):
        command += ["--jobs", str(PASSES["build_jobs"])]
    launched = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], capture_output=True, text=True, check=True)
    figures = json.loads(launched.stdout)
    if figures.pop("status") != 0:
        raise SystemExit(f"index build failed: {figures['stderr']}")
    figures.pop("stderr")
    return {**figures, "file_mb": index.stat().st_size / 2 ** 20}


def measure_update(index: Path, vocab: Vocabulary, count: int, work: Path) -> dict[str, float]:
    """`verifier index update` on a copy of the index with `count` new arXiv-like records (a month of arXiv is
    about 20,000), a tenth of them revisions of records already held: wall and CPU seconds, peak memory."""
    copy = work / "update-copy.sqlite"
    shutil.copyfile(index, copy)
    rng = random.Random(9)
    month = work / "month.jsonl"
    with month.open("w", encoding="utf-8") as handle:
        for n in range(count):
            revision = n % 10 == 0
            identifier, created = arxiv_id(n if revision else 5_000_000 + n)  # past any generated range
            authors = vocab.authors(rng)
            handle.write(json.dumps({
                "id": identifier, "title": vocab.title(rng), "authors": ", ".join(f"{f} {s}" for f, s in authors),
                "authors_parsed": [[s, f, ""] for f, s in authors], "abstract": vocab.abstract(rng),
                "categories": rng.choice(vocab.categories), "doi": None, "journal-ref": None, "comments": None,
                "versions": [{"version": "v1", "created": f"{created} 12:00:00 GMT"}], "update_date": None}) + "\n")
    command = [sys.executable, "-m", "verifier", "index", "update", str(copy), str(month)]
    launched = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], capture_output=True, text=True, check=True)
    figures = json.loads(launched.stdout)
    copy.unlink()
    month.unlink()
    if figures["status"] != 0:
        raise SystemExit(f"index update failed: {figures['stderr']}")
    return {"update_records": count, "update_s": figures["build_s"], "update_cpu_s": figures["build_cpu_s"],
            "update_rss_mb": figures["peak_rss_mb"]}


# ---------------------------------------------------------------- references
def near_miss(title: str, rng: random.Random, vocab: Vocabulary) -> str:
    """One word dropped, replaced by another title word, or pluralised (a citation's typical slip)."""
    tokens = title.split()
    if len(tokens) < 3:
        return title + " Revisited"
    position = rng.randrange(1, len(tokens))
    edit = rng.randrange(3)
    if edit == 0:
        del tokens[position]
    elif edit == 1:
        tokens[position] = rng.choice(vocab.title_words)
    else:
        tokens[position] = tokens[position] + "s"
    return " ".join(tokens)


def references(records: list[dict[str, Any]], vocab: Vocabulary, seed: int) -> list[tuple[str, Reference, str]]:
    rng = random.Random(seed)
    out: list[tuple[str, Reference, str]] = []
    with_id = [r for r in records if r["arxiv_id"]]
    for kind in KINDS:
        pool = with_id if kind == "id" else records
        for record in rng.sample(pool, min(PER_KIND, len(pool))):
            if kind == "id":
                reference = Reference(arxiv_id=record["arxiv_id"])
            elif kind == "title":
                reference = Reference(title=record["title"])
            elif kind == "title+authors":  # as a bibliography cites: the first authors and the year
                reference = Reference(title=record["title"], authors=record["authors"][:2], year=record["year"])
            else:
                reference = Reference(title=near_miss(record["title"], rng, vocab), authors=record["authors"][:2],
                                      year=record["year"])
            out.append((kind, reference, record["expect"]))
    return out


def real_sample(records: list[PaperRecord]) -> list[dict[str, Any]]:
    rng = random.Random(2)
    chosen = rng.sample(records, 4 * PER_KIND)
    return [{"expect": r.arxiv_id or r.url, "arxiv_id": r.arxiv_id, "title": r.title, "authors": r.authors,
             "year": r.year} for r in chosen if r.arxiv_id or r.url]


def present(index: Path, sample: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sampled synthetic records the index holds as generated. Every generated record has its own
    identity (arXiv id, DBLP key), so all are kept; the check guards against a build that dropped some."""
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    kept = [record for record in sample
            if (row := db.execute("SELECT arxiv_id, url FROM papers WHERE identity = ?",
                                  (record["identity"],)).fetchone()) and record["expect"] in row]
    db.close()
    return kept


def is_expected(record: PaperRecord | None, expect: str) -> bool:
    return record is not None and expect in (record.arxiv_id, record.url)


def measure(index: Path, refs: list[tuple[str, Reference, str]]) -> dict[str, Any]:
    """Per kind: references/s (median of REPEATS passes in this process), by the wall clock and by this
    process's CPU time (what a reference costs when the machine is not shared), the share resolved to the
    right record, and the share where the right record was at least among the candidates (retrieval)."""
    snapshot = SnapshotIndex(index)
    resolver = Resolver([snapshot], snapshot)
    result: dict[str, Any] = {}
    for kind in KINDS:
        chosen = [(ref, expect) for k, ref, expect in refs if k == kind]
        rates, cpu_rates, right, retrieved = [], [], 0, 0
        for repeat in range(PASSES["repeats"]):
            started, cpu = time.perf_counter(), time.process_time()
            answers = [resolver.resolve(ref, None) for ref, _ in chosen]
            rates.append(len(chosen) / (time.perf_counter() - started))
            cpu_rates.append(len(chosen) / max(1e-9, time.process_time() - cpu))
            if repeat == 0:
                right = sum(1 for a, (_, e) in zip(answers, chosen, strict=True) if is_expected(a.record, e))
                retrieved = sum(1 for a, (_, e) in zip(answers, chosen, strict=True)
                                if is_expected(a.record, e) or any(is_expected(r, e) for r, _ in a.candidates))
        result[kind] = {"per_s": statistics.median(rates), "cpu_per_s": statistics.median(cpu_rates),
                        "right": right / max(1, len(chosen)), "retrieved": retrieved / max(1, len(chosen)),
                        "n": len(chosen)}
    return result


def measure_batch(index: Path, refs: list[tuple[str, Reference, str]], jobs: int) -> float:
    items = [(ref, None) for kind, ref, _ in refs if kind == "title+authors"] * 4
    started = time.perf_counter()
    resolve_many(items, offline(index), jobs=jobs)
    return len(items) / (time.perf_counter() - started)


# ---------------------------------------------------------------- driver
def run_size(label: str, work: Path, vocab: Vocabulary, real: list[dict[str, Any]], jobs: int,
             keep: bool, update: int = 0, build_only: bool = False,
             keep_files: bool = False) -> dict[str, Any] | None:
    folder = work / label
    index = folder / "index.sqlite"
    results_file = folder / "results.json"
    folder.mkdir(parents=True, exist_ok=True)
    synthetic = max(0, SIZES[label] - 72_000) if SIZES[label] else 0
    sample_file = folder / "sample.json"
    if not index.is_file():
        listing = folder / "files.json"  # generated files kept by --keep-files: a rebuild reuses them
        if listing.is_file() and sample_file.is_file():
            files = [Path(name) for name in json.loads(listing.read_text())]
        else:
            files, sample = generate(vocab, synthetic, folder / "files") if synthetic else ([], [])
            sample_file.write_text(json.dumps(sample))
            listing.write_text(json.dumps([str(path) for path in files]))
        figures = build([*SHIPPED, *files], index)
        if not keep_files:  # the inputs are big; the index is what is measured
            shutil.rmtree(folder / "files", ignore_errors=True)
            listing.unlink()
        (folder / "build.json").write_text(json.dumps(figures))
    figures = json.loads((folder / "build.json").read_text())
    if build_only:  # measured later (--keep), e.g. with the code of a later commit
        return None
    sample = present(index, json.loads(sample_file.read_text()))
    records = SnapshotIndex(index).document_count()
    real_refs = references(real, vocab, seed=3)
    synthetic_refs = references(sample, vocab, seed=4) if sample else []
    result = {"size": label, "records": records, **figures, "real": measure(index, real_refs),
              "synthetic": measure(index, synthetic_refs) if synthetic_refs else None,
              "batch_jobs": jobs, "batch_per_s": measure_batch(index, real_refs, jobs)}
    if update:
        result.update(measure_update(index, vocab, update, folder))
    results_file.write_text(json.dumps(result, indent=1))
    if not keep:
        index.unlink()
    return result


def table(results: list[dict[str, Any]]) -> str:
    """Rates as CPU-time rate (wall-clock rate in parentheses: the machine is shared)."""
    lines = ["| size | records | build wall (CPU) | peak memory | file | by id /s | title /s | title+authors /s "
             "| near-miss+authors /s | right, real: id, title, title+authors, near-miss (retrieved) "
             "| right, synthetic | batch /s |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"]
    for r in results:
        real, syn = r["real"], r["synthetic"]

        def rights(part: dict[str, Any] | None) -> str:
            if not part:
                return "-"
            return ", ".join(f"{part[k]['right']:.1%}" for k in KINDS) + \
                f" ({part[KINDS[-1]].get('retrieved', float('nan')):.1%})"

        def rate(kind: str, part: dict[str, Any] = real) -> str:
            return f"{part[kind].get('cpu_per_s', float('nan')):,.0f} ({part[kind]['per_s']:,.0f})"

        lines.append(
            f"| {r['size']} | {r['records']:,} | {r['build_s'] / 60:.1f} min ({r.get('build_cpu_s', 0) / 60:.1f}) | "
            f"{r.get('tree_rss_mb') or r['peak_rss_mb']:,.0f} MB | {r['file_mb']:,.0f} MB | "
            + " | ".join(rate(k) for k in KINDS)
            + f" | {rights(real)} | {rights(syn)} | {r['batch_per_s']:,.0f} ({r['batch_jobs']} jobs) |")
    return "\n".join(lines)


def plot(results: list[dict[str, Any]], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["records"] for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for kind in KINDS:
        left.plot(sizes, [r["real"][kind].get("cpu_per_s", r["real"][kind]["per_s"]) for r in results], marker="o",
                  label=kind)
    left.axhline(1000, color="grey", linestyle="--", linewidth=1, label="target 1,000/s")
    left.set(xscale="log", yscale="log", xlabel="records in the index", ylabel="references per CPU-second",
             title="Offline resolution (real references, 1 process)")
    left.legend(fontsize=8)
    right.plot(sizes, [r["build_s"] / 60 for r in results], marker="o", label="build, wall (min)")
    right.plot(sizes, [r.get("build_cpu_s", 0) / 60 for r in results], marker="o", label="build, CPU (min)")
    right.plot(sizes, [(r.get("tree_rss_mb") or r["peak_rss_mb"]) / 1024 for r in results], marker="s",
               label="peak memory, all processes (GB)")
    right.plot(sizes, [r["file_mb"] / 1024 for r in results], marker="^", label="file (GB)")
    right.set(xscale="log", xlabel="records in the index", title="Building the index")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(target, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="60k,1M,10M")
    parser.add_argument("--work", type=Path, default=None, help="where generated files and indexes go")
    parser.add_argument("--keep", action="store_true", help="keep the built indexes (to re-measure)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the batch figure")
    parser.add_argument("--report", action="store_true", help="only print the table and redraw the plot")
    parser.add_argument("--update", type=int, default=0, help="also time `index update` with this many new records")
    parser.add_argument("--build-only", action="store_true",
                        help="generate and build the indexes (kept), measure nothing: a later run measures them")
    parser.add_argument("--keep-files", action="store_true",
                        help="keep the generated input files, so a rebuild (delete index.sqlite) skips generation")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="passes over the references per kind")
    parser.add_argument("--build-jobs", type=int, default=0, help="`index build --jobs` (default: every core)")
    args = parser.parse_args()
    PASSES["repeats"], PASSES["build_jobs"] = args.repeats, args.build_jobs
    work = args.work or Path(tempfile.mkdtemp(prefix="index-scale-"))
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if not args.report:
        records = shipped_records()
        vocab = Vocabulary(records)
        real = real_sample(records)
        for label in labels:
            result = run_size(label, work, vocab, real, args.jobs, args.keep or args.build_only, args.update,
                              args.build_only, args.keep_files)
            if result is None:
                print(f"index_scale {label}: built {work / label / 'index.sqlite'}", flush=True)
                continue
            print(f"index_scale {label}: {json.dumps(result)}", flush=True)
    results = [json.loads((work / label / "results.json").read_text()) for label in labels
               if (work / label / "results.json").is_file()]
    print(table(results))
    if len(results) > 1:
        plot(results, ROOT / "benchmarks" / "index_scale.png")
    if args.work is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
