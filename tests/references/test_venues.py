"""The venue alias table: one key for the many names of a venue, nothing for a venue it does not know."""

from __future__ import annotations

import pytest

from verifier.references import venues


@pytest.mark.parametrize(("name", "key"), [
    ("NIPS", "neurips"), ("NeurIPS 2021", "neurips"), ("Advances in Neural Information Processing Systems 34",
                                                       "neurips"),
    ("Proc. of the 38th International Conference on Machine Learning (ICML)", "icml"), ("ICLR", "iclr"),
    ("IEEE/CVF Conference on Computer Vision and Pattern Recognition", "cvpr"),
    ("European Conference on Computer Vision", "eccv"), ("Proceedings of the AAAI Conference on Artificial "
                                                         "Intelligence", "aaai"),
    ("Findings of EMNLP", "emnlp"), ("NAACL-HLT", "naacl"), ("ACL-IJCNLP", "acl"), ("J. Mach. Learn. Res.", "jmlr"),
    ("Trans. Mach. Learn. Res.", "tmlr"), ("Mach. Learn.", "mlj"), ("Nature", "nature"),
    ("CoRR", "preprint"), ("arXiv preprint arXiv:1606.06565", "preprint"), ("arXiv", "preprint"),
    # ISO 4 abbreviations of the table's full names
    ("IEEE Trans. Pattern Anal. Mach. Intell.", "tpami"), ("Adv. Neural Inf. Process. Syst.", "neurips"),
    ("Proc. Int. Conf. Mach. Learn.", "icml"), ("Int. J. Comput. Vis.", "ijcv"),
])
def test_aliases(name: str, key: str) -> None:
    assert venues.canonical(name) == key


@pytest.mark.parametrize("name", ["Nature Communications", "Symposium on Neural Scaling Laws", "MIT Press",
                                  "Conference on Reward Learning and Alignment", "", "Proceedings of the ..."])
def test_unknown_venues_have_no_key(name: str) -> None:
    assert venues.canonical(name) is None


def test_kinds_keys_and_series() -> None:
    assert venues.kind("CoRR") == "preprint" and venues.kind("NeurIPS") == "proceedings"
    assert venues.kind("JMLR") == "journal" and venues.kind("Somewhere") is None
    assert venues.key("Symposium on Neural Scaling Laws 2022") == "name:symposium on neural scaling laws"
    assert venues.agree("pmlr", "icml") and venues.agree("icml", "pmlr") and not venues.agree("pmlr", "cvpr")
    assert venues.agree("icml", "iclr") is False and venues.agree(None, "icml") is None
    assert venues.same_name("Workshop on X 2021", "workshop on x")
