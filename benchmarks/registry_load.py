"""Figure: load and validate a generated registry of 10,000 claims in 100 files (target < 2 s).

Generates a registry in a temporary folder (100 sources of ~300 lines, 100 claims each, of all four kinds,
every quote anchored), then times `load_registry` in this process: median of several runs."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from verifier.registry import load_registry

FILES, PER_FILE, RUNS = 100, 100, 5
WORDS = ["attention", "gradient", "kernel", "softmax", "matrix", "vector", "derivative", "integral",
         "transformer", "layer", "quadrature", "error", "order", "step", "size", "paper", "model", "loss"]


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


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp), random.Random(0))
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            registry = load_registry(Path(tmp) / "claims")
            times.append(time.perf_counter() - start)
        assert len(registry.records) == FILES * PER_FILE
    median = statistics.median(times)
    print(f"registry_load: {FILES * PER_FILE} claims in {FILES} files: median {median:.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}, n={RUNS}); target < 2 s")
    return 0 if median < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
