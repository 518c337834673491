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
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    load_registry(Path(sys.argv[2]))
    times.append(time.perf_counter() - start)
print(statistics.median(times))
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


def _median_time(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def phases(claims: Path, runs: int) -> dict[str, float]:
    """Each stage of a load timed alone (median of `runs`): what a profile of `load_registry` splits into."""
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
        "YAML": _median_time(lambda: [parse_yaml(text, "x") for text in texts], runs),
        "validation": _median_time(lambda: [CLAIM_ADAPTER.validate_python(item) for item in items], runs),
        "anchoring": _median_time(anchor, runs),
    }


def against(claims: Path, other: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Medians per process of this checkout's and `other`'s load_registry, alternating processes."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        for tree, times in ((HERE, ours), (other, theirs)):
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(claims), "3"], env=env, cwd=tree,
                                 capture_output=True, text=True, check=True)
            times.append(float(out.stdout))
    return ours, theirs


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
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            registry = load_registry(claims)
            times.append(time.perf_counter() - start)
        assert len(registry.records) == FILES * PER_FILE
        split = phases(claims, args.runs)
        if args.against is not None:
            ours, theirs = against(claims, args.against, args.runs)
    median = statistics.median(times)
    print(f"registry_load: {FILES * PER_FILE} claims in {FILES} files: median {median:.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}, n={args.runs}); target < 2 s")
    print("  where it goes: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in split.items()))
    if args.against is not None:
        print(f"  alternating processes: this checkout {statistics.median(ours):.3f} s, {args.against} "
              f"{statistics.median(theirs):.3f} s, ratio {statistics.median(theirs) / statistics.median(ours):.2f}x "
              f"(medians of {args.runs} processes x 3 loads)")
    return 0 if median < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
