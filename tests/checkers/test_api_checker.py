"""Api claims end to end on real installed packages (numpy, scipy, torch): the CLI audits a registry,
the probe imports the package in the real sandbox, and removed names are looked up in older releases
served by a loopback server that speaks PyPI's JSON API."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from packaging.version import Version

from tests.conftest import ROOT, run_cli
from tests.pypi_server import PypiState, build_wheel, pypi_server
from verifier.errors import ExitCode
from verifier.report.api_view import api_rows
from verifier.results.evidence import ApiEvidence

pytestmark = pytest.mark.timeout(300)

SOURCE = """A chat about libraries.
I will use scipy.misc.derivative as the library for numerical differentiation.
Plug these gradients into a BFGS optimizer, like scipy's optimize.fmin_unc or optimize.fmin_ncg.
Compute the SVD with numpy.linalg.svd(a, full_matrices=False).
Define an attention layer with a Gaussian kernel as the similarity function:
attention = nn.MultiheadAttention(embed_dim=1, num_heads=1, kdim=1, vdim=1)
layer = nn.MultiheadAttention(embed_dim=1, num_heads=1, use_scale=True)
x = np.float(3)
"""

CLAIMS = """# yaml-language-server: $schema=schema.json
- id: scipy-derivative
  source: libs
  kind: api
  quote: I will use scipy.misc.derivative as the library for numerical differentiation.
  statement: scipy.misc.derivative computes numerical derivatives.
  package: scipy
  name: scipy.misc.derivative
  does: numerical differentiation
- id: fmin-unc
  source: libs
  kind: api
  quote: scipy's optimize.fmin_unc
  statement: scipy.optimize has a BFGS-style optimiser fmin_unc.
  package: scipy
  name: scipy.optimize.fmin_unc
- id: fmin-ncg
  source: libs
  kind: api
  quote: optimize.fmin_ncg
  statement: scipy.optimize.fmin_ncg is a gradient-based optimiser.
  package: scipy
  name: scipy.optimize.fmin_ncg
- id: numpy-svd
  source: libs
  kind: api
  quote: numpy.linalg.svd(a, full_matrices=False)
  statement: numpy.linalg.svd takes full_matrices.
  package: numpy
  name: numpy.linalg.svd
  argument: full_matrices
- id: mha-gaussian
  source: libs
  kind: api
  quote: Define an attention layer with a Gaussian kernel as the similarity function
  statement: torch.nn.MultiheadAttention uses a Gaussian kernel as its similarity function.
  package: torch
  name: torch.nn.MultiheadAttention
  argument: kdim
  does: attention with a Gaussian kernel as the similarity function
  check: api_behaviour:multihead_attention_similarity
  params: {similarity: gaussian}
- id: mha-use-scale
  source: libs
  kind: api
  quote: nn.MultiheadAttention(embed_dim=1, num_heads=1, use_scale=True)
  statement: torch.nn.MultiheadAttention takes use_scale.
  package: torch
  name: torch.nn.MultiheadAttention
  argument: use_scale
- id: numpy-float
  source: libs
  kind: api
  quote: x = np.float(3)
  statement: np.float makes a float.
  package: numpy
  name: numpy.float
- id: keras-attention
  source: libs
  kind: api
  quote: Define an attention layer
  statement: Keras has an Attention layer.
  package: tensorflow
  name: tensorflow.keras.layers.Attention
- id: keras-kl
  source: libs
  kind: api
  quote: Define an attention layer
  statement: Keras has a loss Kullback_Divergence.
  package: tensorflow
  name: tensorflow.keras.losses.Kullback_Divergence
"""


def make_project(project: Path) -> None:
    (project / "claims" / "sources" / "libs.txt").write_text(SOURCE, encoding="utf-8")
    with (project / "claims" / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("- slug: libs\n  file: libs.txt\n  title: Libraries\n  kind: chat\n  language: en\n"
                     "  origin: written for the tests\n")
    (project / "claims" / "libs.yaml").write_text(CLAIMS, encoding="utf-8")
    shutil.copy(ROOT / "reproductions" / "api_behaviour.py", project / "reproductions" / "api_behaviour.py")


def audit(project: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run_cli("audit", "--format", "json", "--kind", "api", *args, cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    return {r["claim_id"]: r for r in json.loads(result.stdout)["results"]}


def test_api_claims_offline(project: Path) -> None:
    make_project(project)
    results = audit(project, "--offline")
    svd = results["numpy-svd"]
    assert svd["status"] == "confirmed"
    probe = svd["checks"][0]["evidence"]["probe"]
    assert probe["signature"].startswith("(a, full_matrices=True") and probe["doc"] == "Singular Value Decomposition."
    assert probe["argument"] == {"name": "full_matrices", "accepted": True, "via_kwargs": False, "known": True}
    assert results["fmin-ncg"]["status"] == "confirmed"
    never = results["fmin-unc"]
    assert never["status"] == "refuted"
    assert "fmin_ncg" in never["checks"][0]["evidence"]["probe"]["nearest"]
    assert "unknown" in never["summary"]  # offline and nothing cached: no claim that it never existed
    assert results["scipy-derivative"]["status"] == "refuted"
    assert results["mha-use-scale"]["status"] == "refuted"
    assert "no argument 'use_scale'" in results["mha-use-scale"]["summary"]
    gaussian = results["mha-gaussian"]
    assert [c["name"] for c in gaussian["checks"]] == ["probe", "behaviour"]
    assert [c["status"] for c in gaussian["checks"]] == ["confirmed", "refuted"]
    measured = gaussian["checks"][1]["evidence"]["observation"]["measured"]
    assert measured["matches"] == ["dot_product"] and measured["max_abs_error"]["gaussian"] > 1e-3
    removed = results["numpy-float"]
    assert removed["status"] == "does_not_run" and "1.20" in removed["summary"]  # numpy's own record
    has_tensorflow = importlib.util.find_spec("tensorflow") is not None
    assert results["keras-attention"]["status"] == ("confirmed" if has_tensorflow else "skipped")
    assert results["keras-kl"]["status"] == ("refuted" if has_tensorflow else "skipped")
    rows = dict(api_rows(ApiEvidence.model_validate(svd["checks"][0]["evidence"])))  # what the detail page shows
    assert rows["first docstring line"] == "Singular Value Decomposition." and rows["argument full_matrices"] == "yes"
    missing = dict(api_rows(ApiEvidence.model_validate(never["checks"][0]["evidence"])))
    assert "fmin_ncg" in missing["nearest names"] and missing["release history"].startswith("unknown")


SCIPY_MISC_OLD = {
    "scipy/__init__.py": "from scipy import misc\n",
    "scipy/misc/__init__.py": "from ._common import *\nfrom . import _common\n__all__ = _common.__all__\n",
    "scipy/misc/_common.py": "__all__ = ['central_diff_weights', 'derivative', 'ascent']\n"
                            "def derivative(func, x0, dx=1.0, n=1, args=(), order=3):\n    pass\n",
}
SCIPY_MISC_NEW = {
    "scipy/__init__.py": "from scipy import misc\n",
    "scipy/misc/__init__.py": "from ._common import *\n",
    "scipy/misc/_common.py": "__all__ = ['central_diff_weights', 'ascent']\n",
}


def test_removed_name_found_in_older_release(project: Path) -> None:
    """Online: scipy.misc.derivative is looked up in older releases on a loopback PyPI; 1.11.4 has it."""
    make_project(project)
    state = PypiState()
    versions = ["1.9.0", "1.10.0", "1.10.1", "1.11.0", "1.11.4", "1.12.0", "1.13.0", "1.14.0", "1.15.0"]
    for version in versions:
        files = SCIPY_MISC_OLD if Version(version) < Version("1.12") else SCIPY_MISC_NEW
        state.add("scipy", version, f"scipy-{version}-cp311-cp311-manylinux_x86_64.whl", build_wheel(files))
    state.add("numpy", "1.0.0", "numpy-1.0.0-py3-none-any.whl", build_wheel({"numpy/__init__.py": "pi = 3\n"}))
    with pypi_server(state) as url:
        env = {"VERIFIER_PYPI_URL": url, "VERIFIER_ARXIV_URL": url}
        results = audit(project, "--only", "scipy-derivative", env=env)
        served = sum(sent for method, path, sent in state.log if path.startswith("/files/"))
        result = results["scipy-derivative"]
        assert result["status"] == "does_not_run", result["summary"]
        history = result["checks"][0]["evidence"]["history"]
        assert history["last_with"] == "1.11.4" and history["first_without"] == "1.12.0"
        assert "removed after 1.11.4" in result["summary"]
        wheel_bytes = sum(len(data) for project_files in state.projects.values() for _, data in project_files.values())
        assert served < wheel_bytes / 4  # Range requests read only the directory and the modules
        requests = len(state.log)
        again = audit(project, "--only", "scipy-derivative", "--fresh", env=env)
        assert again["scipy-derivative"]["status"] == "does_not_run"
        assert len([e for e in state.log[requests:] if e[1].startswith(("/pypi/", "/files/"))]) == 0  # cached
    offline = audit(project, "--only", "scipy-derivative", "--offline", "--fresh", env={"VERIFIER_PYPI_URL": url})
    assert offline["scipy-derivative"]["status"] == "does_not_run"  # the same index's cache answers offline


def test_package_not_installed_is_read_from_the_newest_wheel(project: Path) -> None:
    """Where TensorFlow is not installed, online, the newest wheel on the index says whether the name exists
    (where it is installed, the probe answers the same)."""
    installed = importlib.util.find_spec("tensorflow") is not None
    make_project(project)
    state = PypiState()
    keras = {"tensorflow/__init__.py": "from tensorflow import keras\n",
             "tensorflow/keras/__init__.py": "from tensorflow.keras import layers, losses\n",
             "tensorflow/keras/layers/__init__.py": "class Attention:\n    pass\n",
             "tensorflow/keras/losses/__init__.py": "def kl_divergence(y_true, y_pred):\n    pass\n"
                                                    "def mean_squared_error(y_true, y_pred):\n    pass\n"}
    state.add("tensorflow", "2.20.0", "tensorflow-2.20.0-cp311-cp311-manylinux_x86_64.whl", build_wheel(keras))
    with pypi_server(state) as url:
        results = audit(project, "--only", "keras-*", env={"VERIFIER_PYPI_URL": url, "VERIFIER_ARXIV_URL": url})
    assert results["keras-attention"]["status"] == "confirmed"
    assert installed or "tensorflow 2.20.0, the newest release" in results["keras-attention"]["summary"]
    assert results["keras-kl"]["status"] == "refuted"


def test_index_failure_is_unknown_not_never(project: Path) -> None:
    make_project(project)
    state = PypiState()
    with pypi_server(state) as url:
        state.faults.extend([503] * 10)
        results = audit(project, "--only", "fmin-unc", env={"VERIFIER_PYPI_URL": url, "VERIFIER_ARXIV_URL": url})
    result = results["fmin-unc"]
    assert result["status"] == "refuted"
    assert result["checks"][0]["evidence"]["history"]["status"] == "unknown"
    assert "history is unknown" in result["summary"]


def test_bad_api_claim_is_invalid_input(project: Path) -> None:
    make_project(project)
    path = project / "claims" / "libs.yaml"
    path.write_text(path.read_text().replace("name: scipy.optimize.fmin_unc", "name: ../../etc/passwd"))
    result = run_cli("validate", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "libs.yaml:" in result.stderr and "name" in result.stderr
