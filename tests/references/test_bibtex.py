"""BibTeX in: parsed with bibtexparser (macros, LaTeX, HTML entities), malformed entries reported with their
line while the rest are resolved (`resolve --bib`) or drafted as claims (`extract FILE.bib`)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import DATA, run_cli
from verifier.references.bibtex import parse
from verifier.references.snapshot import build
from verifier.registry.models import CLAIM_ADAPTER, CitationClaim

pytestmark = pytest.mark.timeout(120)
BIB = r"""@string{cvpr = "IEEE Conference on Computer Vision and Pattern Recognition"}

@inproceedings{he2016deep,
  title     = {Deep Residual Learning for Image Recognition},
  author    = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle = cvpr,
  year      = {2016},
  doi       = {10.1109/CVPR.2016.90}
}

@article{broken,
  title = {Missing closing brace,
  author = {Nobody},

@article{hochreiter1997,
  title   = "Long Short-Term Memory",
  author  = {Hochreiter, Sepp and Schmidhuber, J{\"u}rgen},
  journal = {Neural Computation},
  year    = 1997
}

@inproceedings{invented2016,
  title     = {Residual Quantum Priors for {Sparse} Tokenizers},
  author    = {Lee, Ann and others},
  booktitle = {CVPR},
  year      = {2016}
}

@misc{vaswani2017attention,
  title         = {Attention Is All You Need},
  author        = {Vaswani, Ashish and others},
  year          = {2017},
  eprint        = {1706.03762},
  archivePrefix = {arXiv}
}

@inproceedings{undated,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming and others},
  booktitle = {CVPR},
  year = {to appear}
}
"""
UNDATED = BIB.splitlines().index("@inproceedings{undated,") + 1


def test_entries_become_references_with_keys_and_lines() -> None:
    entries, problems = parse(BIB)
    by_key = {e.key: e for e in entries}
    assert list(by_key) == ["he2016deep", "hochreiter1997", "invented2016", "vaswani2017attention", "undated"]
    he = by_key["he2016deep"]
    assert he.line == 3 and he.entry_type == "inproceedings"
    assert he.reference.venue == "IEEE Conference on Computer Vision and Pattern Recognition"  # @string resolved
    assert he.reference.authors == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]
    assert he.reference.doi == "10.1109/CVPR.2016.90" and he.reference.year == 2016
    assert by_key["hochreiter1997"].reference.authors[1] == "Jürgen Schmidhuber"  # LaTeX decoded
    assert by_key["invented2016"].reference.title == "Residual Quantum Priors for Sparse Tokenizers"
    assert by_key["invented2016"].reference.authors == ["Ann Lee", "et al."]
    assert by_key["vaswani2017attention"].reference.arxiv_id == "1706.03762"
    assert by_key["undated"].reference.year is None
    assert [(p.line, p.key, p.field) for p in problems] == [(11, None, None), (UNDATED, "undated", "year")]
    assert "not a valid entry" in problems[0].message and problems[1].message == "not a year: 'to appear'"


@pytest.fixture(scope="module")
def dblp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dblp") / "dblp.sqlite"
    build([DATA / "dblp" / "dblp_sample.xml"], path, complete=True)
    return path


def test_resolve_bib_resolves_every_entry_and_reports_the_bad_one(dblp: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    result = run_cli("resolve", "--bib", str(bib), "--offline", "--snapshot", str(dblp), "--format", "json",
                     cwd=tmp_path)
    assert result.returncode == 3, result.stderr  # invalid input, after the others were resolved
    assert f"{bib}:11: not a valid entry" in result.stderr
    assert f"{bib}:{UNDATED}: [year] entry undated: not a year: 'to appear'" in result.stderr
    results = {r["key"]: r for r in json.loads(result.stdout)}
    assert results["he2016deep"]["status"] == "confirmed" and results["he2016deep"]["line"] == 3
    assert results["hochreiter1997"]["status"] == "confirmed"
    assert results["invented2016"]["status"] == "not_found"
    assert results["vaswani2017attention"]["status"] == "confirmed"
    assert results["vaswani2017attention"]["record"]["arxiv_id"] == "1706.03762"
    assert results["undated"]["status"] == "confirmed"
    table = run_cli("resolve", "--bib", str(bib), "--offline", "--snapshot", str(dblp), cwd=tmp_path)
    assert table.returncode == 3
    assert "he2016deep" in table.stdout and "5 entries: 4 confirmed, 1 not_found" in table.stdout


def test_resolve_bib_with_two_jobs_gives_the_verdicts_of_one(dblp: Path, tmp_path: Path) -> None:
    """`--jobs 2` shares the entries among two worker processes (each with its own snapshot connection):
    the same verdicts and records, in file order, with the same problems reported, and a progress line."""
    bib = tmp_path / "refs.bib"
    body = BIB.split("\n", 1)[1]  # the entries without the @string (defined once)
    copies = [re.sub(r"(@\w+\{)(\w+),", rf"\g<1>\g<2>_{n},", body) for n in (2, 3)]
    bib.write_text("\n".join([BIB, *copies]), encoding="utf-8")  # 15 readable entries, keys unique
    runs = {jobs: run_cli("resolve", "--bib", str(bib), "--offline", "--snapshot", str(dblp), "--format", "json",
                          "--jobs", str(jobs), cwd=tmp_path) for jobs in (1, 2)}
    for result in runs.values():
        assert result.returncode == 3, result.stderr
        assert f"{bib}:11: not a valid entry" in result.stderr
        assert "resolved 15 of 15 entries" in result.stderr
    one, two = (json.loads(runs[jobs].stdout) for jobs in (1, 2))
    assert [(r["key"], r["line"]) for r in two] == [(r["key"], r["line"]) for r in one]
    assert [(r["status"], (r.get("record") or {}).get("title")) for r in two] == \
           [(r["status"], (r.get("record") or {}).get("title")) for r in one]
    assert [r["status"] for r in one[:5]] == ["confirmed", "confirmed", "not_found", "confirmed", "confirmed"]


def test_resolve_bib_jobs_needs_offline(dblp: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    result = run_cli("resolve", "--bib", str(bib), "--snapshot", str(dblp), "--index", "none", "--jobs", "2",
                     cwd=tmp_path)
    assert result.returncode == 2 and "--jobs above 1 resolves offline only" in result.stderr


def test_missing_bib_file_is_invalid_input(tmp_path: Path) -> None:
    result = run_cli("resolve", "--bib", str(tmp_path / "nope.bib"), "--offline", cwd=tmp_path)
    assert result.returncode == 3 and "no such file" in result.stderr


def test_extract_drafts_one_claim_per_entry(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    result = run_cli("extract", str(bib), "--output", str(draft), cwd=tmp_path)
    assert result.returncode == 3 and f"{bib}:11: not a valid entry" in result.stderr
    assert "5 candidates (5 citation)" in result.stderr
    claims = [CLAIM_ADAPTER.validate_python(item) for item in YAML(typ="safe").load(draft.read_text("utf-8"))]
    assert len(claims) == 5 and all(isinstance(c, CitationClaim) for c in claims)
    first = claims[0]
    assert isinstance(first, CitationClaim) and first.source == "refs"
    assert first.quote in BIB and first.quote.startswith("@inproceedings{he2016deep,")
    assert first.reference.title == "Deep Residual Learning for Image Recognition"
    assert first.reference.venue == "IEEE Conference on Computer Vision and Pattern Recognition"


def test_a_folder_or_fifo_given_as_the_bib_file_is_named_as_such(tmp_path: Path) -> None:
    fifo = tmp_path / "refs.bib"
    os.mkfifo(fifo)  # reading it would block for ever
    for given in (tmp_path, fifo):
        result = run_cli("resolve", "--bib", str(given), "--offline", cwd=tmp_path, timeout=60)
        assert result.returncode == 3 and "not a regular file" in result.stderr, result.stderr
