"""The `api` claim: a library name a source uses or names, and what the source says it does.

Its own module so the claim kinds stay small; `models.py` adds it to the discriminated union. Every
field is what the SOURCE shows (the package, the dotted name, an argument it passes, a version it
states); what the checker finds (the installed version, the signature, the nearest real names) goes
into results, never here."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from verifier.limits import MAX_TIMEOUT_S
from verifier.registry.models import TARGET, ClaimBase, JsonParams

#: A PyPI distribution name (PEP 508): letters, digits, `.`, `_`, `-`, starting and ending alphanumeric.
DISTRIBUTION = r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$"
#: A dotted Python name starting with the import name: `scipy.misc.derivative`.
DOTTED = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"


class ApiClaim(ClaimBase):
    kind: Literal["api"] = "api"
    package: str = Field(pattern=DISTRIBUTION, max_length=100,
                         description="The distribution on the package index (PyPI), e.g. scipy, torch.")
    name: str = Field(pattern=DOTTED, max_length=200,
                      description="Full dotted name as imported, e.g. scipy.misc.derivative, torch.nn.MSELoss.")
    argument: str | None = Field(None, pattern=IDENTIFIER, max_length=100,
                                 description="A keyword argument the source passes or names (e.g. use_scale).")
    version: str | None = Field(None, max_length=50, description="A version of the package the source states.")
    does: str | None = Field(None, description="What the source says the name does, in its words.")
    check: str | None = Field(None, pattern=TARGET, description=(
        "`module:function` in reproductions/ that computes whether the stated behaviour holds "
        "(returns {holds, explanation}); only for behaviour a small computation decides."))
    params: JsonParams = Field(default_factory=dict, description="Keyword arguments for the check (JSON values only).")
    timeout_s: float = Field(60.0, gt=0, le=MAX_TIMEOUT_S, description="Wall-clock limit of each sandboxed run.")
