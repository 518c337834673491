"""Caps on what one claim or one command may ask for, shared by the claim models and the CLI options.

Kept free of imports so the CLI can use them in option declarations without loading pydantic."""

MAX_SEEDS = 20  # each seed is a full run of the snippet: 20 runs of 60 s are already 20 minutes
MAX_SEED = 2**32 - 1  # numpy's legacy seeding accepts 0..2^32-1
MAX_TIMEOUT_S = 600.0  # wall-clock limit of one run
