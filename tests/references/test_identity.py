"""Strict identity against a complete DBLP-format index built from real records: every difference reported,
the paper still named; anchors (DOIs, arXiv ids) checked; venues through the alias table."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import DATA
from verifier.references.resolver import Resolver
from verifier.references.snapshot import SnapshotIndex, build
from verifier.registry.models import Reference
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(60)
TODAY = dt.date(2026, 11, 29)
VASWANI = ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones", "Aidan N. Gomez",
           "Lukasz Kaiser", "Illia Polosukhin"]
RESNET = ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]


@pytest.fixture(scope="module")
def dblp(tmp_path_factory: pytest.TempPathFactory) -> Resolver:
    path = tmp_path_factory.mktemp("dblp") / "dblp.sqlite"
    build([DATA / "dblp" / "dblp_sample.xml"], path, complete=True)
    index = SnapshotIndex(path)
    return Resolver([index], corpus=index, today=TODAY)


def resnet(**changes: object) -> Reference:
    fields: dict[str, object] = {"title": "Deep Residual Learning for Image Recognition", "authors": RESNET,
                                 "year": 2016, "venue": "CVPR", "doi": "10.1109/CVPR.2016.90"}
    return Reference.model_validate({**fields, **changes})


def test_every_detail_right_is_confirmed(dblp: Resolver) -> None:
    assert dblp.resolve(resnet(), None).status is Status.CONFIRMED
    nips = dblp.resolve(Reference(title="Attention is all you need", authors=VASWANI, year=2017,
                                  venue="Advances in Neural Information Processing Systems 30"), None)
    assert nips.status is Status.CONFIRMED and nips.record is not None and nips.record.venue == "NIPS"
    lstm = dblp.resolve(Reference(title="Long short-term memory", authors=["S. Hochreiter", "J. Schmidhuber"],
                                  year=1997, venue="Neural Computation"), None)
    assert lstm.status is Status.CONFIRMED, lstm.summary  # `Neural Comput.` abbreviates it


@pytest.mark.parametrize(("changes", "said"), [
    ({"title": "Deep Residual Learning for Image Classification"}, "'recognition' -> 'classification'"),
    ({"title": "Deep Residual Learning for Image Recognitions"}, "'recognition' -> 'recognitions'"),
    ({"authors": RESNET[:2]}, "the list stops after 2 of 4 authors without 'et al.'"),
    ({"authors": [RESNET[1], RESNET[0], *RESNET[2:]]}, "order differs"),
    ({"authors": ["John Doe", "Jane Roe"]}, "placeholder names John Doe"),
    ({"authors": ["Yann LeCun", *RESNET[1:]]}, "not among the record's: Yann LeCun"),
    ({"year": 2031}, "year: cited as 2031, after today (2026)"),
    ({"year": 2019}, "year: cited as 2019, the record's is 2016"),
    ({"venue": "ICCV"}, "venue: cited as 'ICCV', the record's is 'CVPR'"),
    ({"venue": "Symposium on Neural Scaling Laws"}, "is not a venue the alias table or any index knows"),
    ({"doi": "10.1162/neco.1997.9.8.1735"}, "DOI 10.1162/neco.1997.9.8.1735 belongs to another paper: "
                                            "'Long Short-Term Memory'"),
    ({"doi": "10.1109/CVPR.2016.99999"}, "DOI 10.1109/cvpr.2016.99999 does not exist (snapshot answered"),
    # No venue cited, so the index's silence on the DOI alone proves nothing; but it holds the paper and is
    # complete for the paper's own venue and year, so it would hold the paper's DOI.
    ({"doi": "10.1109/CVPR.2016.99999", "venue": None}, "DOI 10.1109/cvpr.2016.99999 is not this paper's"),
])
def test_each_difference_is_a_mismatch_naming_the_paper(dblp: Resolver, changes: dict[str, object],
                                                         said: str) -> None:
    result = dblp.resolve(resnet(**changes), None)
    assert result.status is Status.MISMATCH, result.summary
    assert said in result.summary
    assert result.record is not None and result.record.doi == "10.1109/CVPR.2016.90"
    assert "authors:" not in result.summary or "record: Kaiming He; Xiangyu Zhang" in result.summary


def test_preprint_cited_as_published(dblp: Resolver) -> None:
    bert = Reference(title="BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
                     authors=["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"], year=2018)
    assert dblp.resolve(bert.model_copy(update={"venue": "arXiv preprint arXiv:1810.04805"}), None).status is (
        Status.CONFIRMED)
    published = dblp.resolve(bert.model_copy(update={"venue": "NeurIPS"}), None)
    assert published.status is Status.MISMATCH
    assert "cited as published in 'NeurIPS', but only a preprint is known" in published.summary


def test_absence_and_near_misses(dblp: Resolver) -> None:
    invented = dblp.resolve(Reference(title="Quantum Gravity Priors for Sparse Tokenizers", authors=["Ann Lee"],
                                      year=2016, venue="CVPR"), None)
    assert invented.status is Status.NOT_FOUND and "complete" in invented.summary
    assert invented.evidence().indexes[0].covers_reference is True
    chimera = dblp.resolve(Reference(title="Deep Residual Learning for Image Segmentation", authors=["Ann Lee"],
                                     year=2016, venue="CVPR"), None)
    assert chimera.status is Status.MISMATCH
    assert "no record has this title; the closest is 'Deep Residual Learning for Image Recognition'" in chimera.summary
    outside = dblp.resolve(Reference(title="Quantum Gravity Priors for Sparse Tokenizers", year=2016, venue="ACL"),
                           None)
    assert outside.status is Status.UNVERIFIABLE and "no index consulted covers it" in outside.summary
    later = dblp.resolve(Reference(title="Quantum Gravity Priors for Sparse Tokenizers", year=2024, venue="CVPR"),
                         None)
    assert later.status is Status.UNVERIFIABLE  # after the dump's last year


def test_arxiv_doi_is_an_arxiv_id(dblp: Resolver) -> None:
    result = dblp.resolve(Reference(title="Attention Is All You Need", authors=[*VASWANI[:1], "et al."], year=2017,
                                    doi="10.48550/arXiv.1706.03762"), None)
    assert result.status is Status.CONFIRMED and result.record is not None
    assert result.record.arxiv_id == "1706.03762"
