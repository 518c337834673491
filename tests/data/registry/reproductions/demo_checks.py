"""Reproductions for the test registry."""


def two_thirds(device):
    print(round(2.0 / 3.0, 4))


def square_derivative(device, x=3.0):
    import torch

    t = torch.tensor(x, requires_grad=True)
    (t * t).backward()
    return {"holds": abs(t.grad.item() - 2 * x) < 1e-9, "explanation": f"autograd {t.grad.item()} vs 2x {2 * x}",
            "measured": {"autograd": t.grad.item()}}
