"""Figure: load and validate a generated registry of 10,000 claims in 100 files (target < 2 s).

Generates a registry in a temporary folder (100 sources of ~300 lines, 100 claims each, of all four kinds,
every quote anchored), then times `load_registry` in this process: median of several runs, and where the
time goes (reading the YAML, validating the claims, anchoring the quotes, each timed on its own).

`--against DIR` times another checkout's code (e.g. `/work/main`) on the same registry, alternating runs of
the two in fresh processes, so that a shared machine's load weighs on both alike: the ratio is the figure to
trust when the machine is busy."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES, PER_FILE, RUNS = 100, 100, 5
WORDS = ["attention", "gradient", "kernel", "softmax", "matrix", "vector", "derivative", "integral",
         "transformer", "layer", "quadrature", "error", "order", "step", "size", "paper", "model", "loss"]
HERE = Path(__file__).resolve().parent.parent
CHILD = """
import statistics, sys, time
from pathlib import Path
import verifier
from verifier.registry import load_registry
assert Path(verifier.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve()), verifier.__file__
load_registry(Path(sys.argv[2]))  # warm: imports, caches
walls, cpus = [], []
for _ in range(int(sys.argv[3])):
    start, cpu = time.perf_counter(), time.process_time()
    load_registry(Path(sys.argv[2]))
    walls.append(time.perf_counter() - start)
    cpus.append(time.process_time() - cpu)
print(statistics.median(walls), statistics.median(cpus))
"""


def build(root: Path, rng: random.Random) -> None:
    claims, sources = root / "claims", root / "claims" / "sources"
    sources.mkdir(parents=True)
    (root / "reproductions").mkdir()
    (root / "reproductions" / "bench.py").write_text("def check(device):\n    return {}\n")
    entries = []
    for f in range(FILES):
        slug = f"source-{f:03d}"
        lines = [" ".join(rng.choice(WORDS) for _ in range(12)) + f" line {i} of {slug}." for i in range(300)]
        (sources / f"{slug}.txt").write_text("\n".join(lines) + "\n")
        entries.append(f"- slug: {slug}\n  file: {slug}.txt\n  title: Source {f}\n  kind: chat\n"
                       f"  language: en\n  origin: generated\n")
        items = []
        for c in range(PER_FILE):
            quote = lines[(c * 3) % 300]
            kind = ("citation", "code", "math", "fact")[c % 4]
            extra = {
                "citation": "  reference:\n    title: A Paper\n    authors: [A. Author]\n    year: 2017\n",
                "code": "  code: |\n    print(1)\n  printed: '1'\n",
                "math": "  check: bench:check\n",
                "fact": "",
            }[kind]
            items.append(f"- id: {slug}-claim-{c}\n  source: {slug}\n  kind: {kind}\n  quote: \"{quote}\"\n"
                         f"  statement: Claim {c}.\n{extra}")
        (claims / f"{slug}.yaml").write_text("".join(items))
    (claims / "sources.yaml").write_text("".join(entries))


def _median_cpu(action: object, runs: int) -> float:
    """Median CPU seconds of `action`: on a shared machine the wall clock also counts others' work."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return statistics.median(times)


def phases(claims: Path, runs: int) -> dict[str, float]:
    """Each stage of a load timed alone (median CPU seconds of `runs`): what a profile of `load_registry`
    splits into."""
    from verifier.registry.anchor import SourceText
    from verifier.registry.models import CLAIM_ADAPTER
    from verifier.registry.yaml_io import parse_yaml

    texts = [path.read_text(encoding="utf-8") for path in sorted(claims.glob("source-*.yaml"))]
    items = [item for text in texts for item in parse_yaml(text, "x")[0]]
    sources = {path.stem: path.read_text(encoding="utf-8") for path in (claims / "sources").glob("*.txt")}
    quotes = [(item["source"], item["quote"]) for item in items]

    def anchor() -> None:
        prepared = {slug: SourceText(text) for slug, text in sources.items()}
        for slug, quote in quotes:
            prepared[slug].find_all(quote)

    return {
        "YAML": _median_cpu(lambda: [parse_yaml(text, "x") for text in texts], runs),
        "validation": _median_cpu(lambda: [CLAIM_ADAPTER.validate_python(item) for item in items], runs),
        "anchoring": _median_cpu(anchor, runs),
    }


def against(claims: Path, other: Path, rounds: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of a load with this checkout's and with `other`'s code, alternating processes
    (each process: one warm load, then the median of three)."""
    runs: dict[str, list[tuple[float, float]]] = {"this checkout": [], str(other): []}
    for _ in range(rounds):
        for tree, name in ((HERE, "this checkout"), (other, str(other))):
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(claims), "3"], env=env, cwd=tree,
                                 capture_output=True, text=True, check=True)
            wall, cpu = out.stdout.split()
            runs[name].append((float(wall), float(cpu)))
    return {name: (statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
            for name, times in runs.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--against", type=Path, help="another checkout (e.g. /work/main) to time alongside")
    args = parser.parse_args()
    from verifier.registry import load_registry

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp), random.Random(0))
        claims = Path(tmp) / "claims"
        times, cpus = [], []
        for _ in range(args.runs):
            start, cpu = time.perf_counter(), time.process_time()
            registry = load_registry(claims)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        assert len(registry.records) == FILES * PER_FILE
        split = phases(claims, args.runs)
        compared = against(claims, args.against, args.runs) if args.against is not None else {}
    median = statistics.median(times)
    print(f"registry_load: {FILES * PER_FILE} claims in {FILES} files: median {median:.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}, n={args.runs}; CPU {statistics.median(cpus):.3f} s); "
          "target < 2 s")
    print("  where it goes (CPU, each stage alone): "
          + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in split.items()))
    if compared:
        (ours, our_cpu), (theirs, their_cpu) = compared.values()
        print("  alternating processes: " + ", ".join(f"{name} {wall:.3f} s (CPU {cpu:.3f} s)"
                                                     for name, (wall, cpu) in compared.items())
              + f"; ratio {theirs / ours:.2f}x wall, {their_cpu / our_cpu:.2f}x CPU "
              f"(medians of {args.runs} processes x 3 loads)")
    return 0 if median < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
