"""Check of the emission figures the lecture quotes from "Stochastic Parrots" (who took them from Strubell,
Ganesh and McCallum, "Energy and Policy Considerations for Deep Learning in NLP", ACL 2019)."""

from __future__ import annotations

from typing import Any

import torch

POUND_KG = 0.45359237  # exact, by definition
#: Strubell et al. (2019), Table 1, CO2 equivalent in pounds (lbs), as published.
STRUBELL_LBS = {"human life, avg, 1 year": 11_023, "Transformer (big) w/ neural architecture search": 626_155}


def strubell_emissions(device: torch.device, person_year_t: float = 5.0,
                       nas_training_t: float = 284.0) -> dict[str, Any]:
    """Statement (slides, quoting the paper): an average human is responsible for an estimated 5 t CO2 per
    year; training a Transformer (big) with neural architecture search emitted 284 t.

    Converts the study's published pounds to metric tonnes and compares them with the quoted figures at the
    precision they are printed (whole tonnes)."""
    tonnes = {name: lbs * POUND_KG / 1000 for name, lbs in STRUBELL_LBS.items()}
    person, training = tonnes["human life, avg, 1 year"], tonnes["Transformer (big) w/ neural architecture search"]
    holds = round(person) == person_year_t and round(training) == nas_training_t
    return {"holds": holds,
            "explanation": f"Strubell et al. Table 1: 11,023 lbs = {person:.2f} t per person-year (quoted "
                           f"{person_year_t:g}); "
                           f"626,155 lbs = {training:.1f} t for the search (quoted {nas_training_t:g}); "
                           f"{training / person:.0f} person-years",
            "measured": {"tonnes": tonnes}}
