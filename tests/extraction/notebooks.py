"""Real .ipynb files for the tests, written with nbformat. Outputs are produced the way Jupyter produces them:
each cell runs after the cells before it (a real Python subprocess per cell, the program so far), and the
cell's output is what that run printed beyond the previous one; a final expression's value is its
`execute_result` (repr), as IPython shows it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

SDPA = '''import numpy as np

def scaled_dot_product_attention(Q, K, V):
    """Attention output and weights: softmax(Q K^T / sqrt(d_k)) V."""
    d_k = Q.shape[-1]
    scores = Q @ K.T / np.sqrt(d_k)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    print("Attention weights:")
    print(np.round(weights, 4))
    return weights @ V

Q = np.array([[1.0, 0.0, 1.0],
              [0.0, 2.0, 0.0]])
K = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
V = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
output = scaled_dot_product_attention(Q, K, V)
print("Output:")
print(np.round(output, 4))'''

ANSWERS = """## Why divide by the square root of d_k?

The dot products grow with the dimension: dividing by √d_k keeps their variance at one. Scaling prevents the
softmax from saturating, where its gradients vanish.

## How does self-attention help?

- Self-attention lets every token attend to every other token in one step.
- It captures long-range dependencies without recurrence.
- The computation is parallel across positions, which makes training faster.

In the sentence "the cat that chased the mouse was hungry," the word "was" attends to "cat".
"""


def _run(program: str) -> str:
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def executed_cells(sources: list[str]) -> list[Any]:
    """Code cells with the outputs a kernel would show (stdout, then the final expression's repr)."""
    cells = []
    program = ""
    shown = ""
    for count, source in enumerate(sources, start=1):
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body else None
        call = last.value if isinstance(last, ast.Expr) else None
        displayed = isinstance(last, ast.Expr) and not (
            isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print")
        result_expr = ast.get_source_segment(source, last) if displayed and last is not None else None
        body = source
        if result_expr is not None and last is not None:
            body = "\n".join(source.split("\n")[: last.lineno - 1])
        program += body + "\n"
        stdout = _run(program)
        printed, shown = stdout[len(shown):], stdout
        outputs = [new_output("stream", name="stdout", text=printed)] if printed else []
        if result_expr is not None:
            value = _run(program + f"print(repr({result_expr}), end='')")[len(shown):]
            outputs.append(new_output("execute_result", data={"text/plain": value}, execution_count=count))
        cells.append(new_code_cell(source, execution_count=count, outputs=outputs))
    return cells


def attention_notebook(path: Path) -> Path:
    """The issue's notebook: a numpy attention cell with its printed output, then two answers in markdown."""
    cells = [new_markdown_cell("# Scaled dot-product attention"), *executed_cells([SDPA]),
             new_markdown_cell(ANSWERS)]
    nbformat.write(new_notebook(cells=cells, metadata={"language_info": {"name": "python"}}), str(path))
    return path
