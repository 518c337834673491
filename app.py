"""The Streamlit report of a checkout: `streamlit run app.py -- --registry claims` runs the report that is
installed with the package (`verifier/report/app.py`); `verifier report` starts that one directly."""

import runpy
from importlib.util import find_spec

spec = find_spec("verifier.report.app")  # located, not imported: importing would draw the page twice
assert spec is not None and spec.origin is not None, "verifier is not installed"
runpy.run_path(spec.origin, run_name="__main__")
