"""Release history from a loopback PyPI: real wheels (zip files), real HTTP with Range, the real cache."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.pypi_server import PypiState, build_wheel, pypi_server
from verifier.apicheck.history import PackageIndex
from verifier.apicheck.wheels import has_name

OLD = {"demo_lib/__init__.py": "from .core import *\nfrom .core import helper as aliased\n",
       "demo_lib/core.py": "__all__ = ['old_func', 'kept']\ndef old_func():\n    pass\ndef kept():\n    pass\n"
                           "def helper():\n    pass\n"}
NEW = {"demo_lib/__init__.py": "from .core import *\n",
       "demo_lib/core.py": "__all__ = ['kept']\ndef kept():\n    pass\ndef old_func():\n    pass\n"}


def serve(versions: dict[str, dict[str, str]]) -> PypiState:
    state = PypiState()
    for version, files in versions.items():
        state.add("demo-lib", version, f"demo_lib-{version}-py3-none-any.whl", build_wheel(files))
    return state


def test_static_names_follow_star_imports_and_all() -> None:
    archive = zipfile.ZipFile(io.BytesIO(build_wheel(OLD)))
    assert has_name(archive, "demo_lib.old_func") is True
    assert has_name(archive, "demo_lib.aliased") is True
    assert has_name(archive, "demo_lib.core") is True  # a submodule
    assert has_name(archive, "demo_lib.helper") is False  # not in core's __all__
    assert has_name(archive, "other.thing") is False
    assert has_name(zipfile.ZipFile(io.BytesIO(build_wheel(NEW))), "demo_lib.old_func") is False  # private now
    assert has_name(archive, "demo_lib.kept.attribute") is None  # an attribute of an object: cannot tell


def test_removed_never_and_cache(tmp_path: Path) -> None:
    versions = {v: OLD for v in ("0.1", "0.2", "0.3", "0.4", "0.5")} | {v: NEW for v in ("0.6", "0.7", "1.0")}
    state = serve(versions)
    with pypi_server(state) as url:
        index = PackageIndex(url, tmp_path / "pypi.sqlite")
        removed = index.history("demo-lib", "demo_lib.old_func", "1.1")
        assert (removed.status, removed.last_with, removed.first_without) == ("removed", "0.5", "0.6")
        assert len(removed.checked) < len(versions)  # doubling steps and bisection, not every release
        never = index.history("demo-lib", "demo_lib.no_such_name", "1.1")
        assert never.status == "never" and "0.1" in never.reason
        index.close()
        asked = len(state.log)
        offline = PackageIndex(url, tmp_path / "pypi.sqlite", offline=True)
        assert offline.history("demo-lib", "demo_lib.old_func", "1.1").last_with == "0.5"
        assert len(state.log) == asked  # answered from the cache
        assert offline.history("demo-lib", "demo_lib.kept", "0.3").status == "unknown"  # never read: unknown
        offline.close()


def test_unknown_package_and_outage_are_unknown(tmp_path: Path) -> None:
    state = serve({"0.1": OLD})
    with pypi_server(state) as url:
        index = PackageIndex(url, tmp_path / "pypi.sqlite")
        assert index.history("missing-package", "missing_package.x", "1.0").status == "unknown"
        state.faults.append(500)
        assert index.history("demo-lib", "demo_lib.old_func", "1.0").status == "unknown"
        assert index.history("demo-lib", "demo_lib.old_func", "1.0").status == "removed"  # not cached as absent
        index.close()


def test_names_imported_from_other_modules_are_followed() -> None:
    """Keras 3's layout: `keras.losses` is `keras.api.losses`, which imports from `keras.src`."""
    wheel = build_wheel({"kl/__init__.py": "from kl.api import losses\nfrom kl.api import Model as Model\n",
                         "kl/api/__init__.py": "from kl.api import losses\nfrom kl.src.models import Model\n",
                         "kl/api/losses/__init__.py": "from kl.src.losses import mean_squared_error\n",
                         "kl/src/__init__.py": "", "kl/src/models.py": "class Model:\n    pass\n",
                         "kl/src/losses.py": "def mean_squared_error(a, b):\n    pass\n"})
    archive = zipfile.ZipFile(io.BytesIO(wheel))
    assert has_name(archive, "kl.losses.mean_squared_error") is True
    assert has_name(archive, "kl.losses.Kullback_Divergence") is False
    assert has_name(archive, "kl.Model") is True
    assert has_name(archive, "kl.Model.fit") is None  # a class attribute: source cannot tell


def test_modules_that_make_names_at_run_time_never_answer_absent() -> None:
    """TensorFlow sets `keras` with setattr; numpy answers through a module `__getattr__`: a name their source
    does not show may still exist, so the answer is unknown, never "not defined"."""
    wheel = build_wheel({"tfl/__init__.py": "import sys\n_m = sys.modules[__name__]\nsetattr(_m, 'keras', object())\n"
                                            "def known():\n    pass\n",
                         "npl/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
                         "plain/__init__.py": "def known():\n    pass\n"})
    archive = zipfile.ZipFile(io.BytesIO(wheel))
    assert has_name(archive, "tfl.keras.layers.Attention") is None
    assert has_name(archive, "tfl.known") is True
    assert has_name(archive, "npl.float") is None
    assert has_name(archive, "plain.float") is False
