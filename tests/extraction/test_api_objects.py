"""Api candidates for methods of library objects and for libraries the prose describes or uses, on a document
written for these rules (tests/data/extract/library_objects.md), not on a bundled source."""

from __future__ import annotations

from tests.conftest import DATA
from verifier.extraction import apis
from verifier.extraction.api_objects import Objects
from verifier.extraction.candidates import Candidate
from verifier.extraction.draft import extract, render_draft
from verifier.extraction.text import Document

TEXT = (DATA / "extract" / "library_objects.md").read_text()


def _found() -> dict[str, Candidate]:
    return {str(c.fields["name"]): c for c in apis.find(Document(TEXT)) if c.kind == "api"}


def test_methods_of_constructed_objects_are_named_by_their_class() -> None:
    found = _found()
    constructor = found["sklearn.linear_model.LogisticRegression"]  # the call says more than the import
    assert constructor.quote == "clf = LogisticRegression(C=0.5)" and constructor.fields["argument"] == "C"
    fit = found["sklearn.linear_model.LogisticRegression.fit"]
    assert fit.quote == "clf.fit(features, labels) # fit on the training split"
    assert fit.fields["does"] == "fit on the training split" and fit.fields["package"] == "scikit-learn"
    assert found["sklearn.linear_model.LogisticRegression.coef_"].quote == "print(clf.coef_)"  # no call
    assert found["tensorflow.keras.Sequential.add"].quote.startswith("model.add(")
    assert found["tensorflow.keras.Sequential.compile"].fields["argument"] == "optimizer"
    assert "tensorflow.keras.Sequential.trainable_variables" in found
    assert found["torch.nn.Linear.weight"].quote == "weights = layer.weight"


def test_with_as_and_library_results_give_types() -> None:
    found = _found()
    assert found["tensorflow.GradientTape.gradient"].quote.startswith("grads = tape.gradient(")
    assert "numpy.ndarray.reshape" in found  # np.zeros(...) * 2 is an array
    backward = found["torch.Tensor.backward"]  # calling a torch layer gives a tensor
    assert backward.fields["does"] == "gradients of the output"


def test_reassignment_forgets_the_type() -> None:
    assert not [name for name in _found() if name.endswith("bit_length")]


def test_objects_rules_directly() -> None:
    objects, aliases = Objects(), {"np": "numpy", "optim": "torch.optim"}
    objects.learn("opt = optim.SGD(params, lr=0.1)", aliases)
    objects.learn("x = np.linspace(0, 1, 5)", aliases)
    objects.learn("y = optim.SGD(params).state", aliases)  # not a whole constructor call: nothing known
    objects.learn("r = np.random.default_rng(0).normal()", aliases)  # an attribute of a result: not known
    objects.learn("s = np.ones(3)[0] + 1", aliases)  # a library function's result, indexed, in arithmetic
    assert objects.types == {"opt": "torch.optim.SGD", "x": "numpy.ndarray", "s": "numpy.ndarray"}
    assert objects.attribute("opt", ".step") == "torch.optim.SGD.step"
    assert objects.attribute("x", ".T.sum") == "numpy.ndarray.T"  # only the first attribute is known
    objects.learn("x = len(values)", aliases)
    assert objects.attribute("x", ".sum") is None


def test_described_and_listed_libraries_in_prose() -> None:
    found = _found()
    quadrature = found["quadrature_kit"]  # the label trails the previous footnote entry
    assert quadrature.quote == "This is a Python package for numerical quadrature."
    assert quadrature.fields["does"] == "numerical quadrature"
    listed = {name for name in found if name.startswith("quadrature_kit.")}
    assert listed == {"quadrature_kit.GaussKronrod", "quadrature_kit.TanhSinh", "quadrature_kit.ClenshawCurtis"}
    assert found["findiff"].fields["does"] == "computes derivatives of any order with finite differences"
    assert "chartlib" not in found  # a JavaScript library is not a Python package


def test_libraries_used_as_the_means() -> None:
    found = _found()
    assert found["scipy"].quote == "with numpy and scipy" and found["scipy"].reason == "library named as the means"
    assert "transformers" not in found  # the architecture, not imported by the code
    assert "pandas" not in found  # named in a question only


def test_exact_candidate_set() -> None:
    """Precision on this document: every candidate is one the rules should give, nothing else."""
    assert set(_found()) == {
        "numpy", "torch", "torch.nn", "sklearn.linear_model.LogisticRegression",
        "sklearn.linear_model.LogisticRegression.fit", "sklearn.linear_model.LogisticRegression.coef_",
        "numpy.zeros", "numpy.ndarray.reshape", "torch.nn.Linear", "torch.ones", "torch.Tensor.backward",
        "torch.no_grad", "torch.nn.Linear.weight", "tensorflow.keras", "tensorflow.keras.Sequential",
        "tensorflow.keras.Sequential.add", "tensorflow.keras.layers.Dense", "tensorflow.keras.Sequential.compile",
        "tensorflow.GradientTape", "tensorflow.GradientTape.gradient",
        "tensorflow.keras.Sequential.trainable_variables", "scipy", "quadrature_kit",
        "quadrature_kit.GaussKronrod", "quadrature_kit.TanhSinh", "quadrature_kit.ClenshawCurtis", "findiff"}


def test_new_candidates_render_as_valid_claims() -> None:
    draft = render_draft(extract(TEXT), "notes")
    assert "name: torch.Tensor.backward" in draft and "name: findiff" in draft


def test_long_qualifiers_sentence_end_and_distribution_names() -> None:
    """A second document (written after the rules, then used to fix three faults it showed)."""
    candidates = apis.find(Document((DATA / "extract" / "library_optax.md").read_text()))
    found = {str(c.fields["name"]): c for c in candidates}
    optax = {c.reason: c for c in candidates if c.fields["name"] == "optax"}
    assert optax["library described in prose"].quote == (
        "This is a gradient processing and optimisation library for JAX.")
    assert {"optax.Adam", "optax.AdamW", "optax.Lion"} <= set(found)  # after a four-word qualifier
    assert found["numpy"].quote == "with jax and numpy"  # the list ends at the sentence's full stop
    assert found["sklearn"].fields["package"] == "scikit-learn"  # described by its distribution name
    assert found["sklearn.preprocessing.StandardScaler.fit_transform"].quote.startswith("X = scaler.")
    assert "transformers" not in found


def test_third_document_use_cue_questions_and_languages() -> None:
    """A third document, written with the rules frozen; it led only to the "use(s)" cue."""
    candidates = apis.find(Document((DATA / "extract" / "library_signal.md").read_text()))
    by_reason = {(str(c.fields["name"]), c.reason) for c in candidates}
    assert {("scipy", "library named as the means"), ("matplotlib", "library named as the means")} <= by_reason
    names = {str(c.fields["name"]) for c in candidates}
    assert {"lmfit", "lmfit.GaussianModel", "lmfit.LorentzianModel", "lmfit.VoigtModel"} <= names
    assert "numpy.ndarray.max" in names  # t = np.linspace(...) is an array
    assert not {"pandas", "plotly", "statsmodels"} & names  # a question, a JavaScript library, a lone unused name
