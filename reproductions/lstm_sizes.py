"""Port of the lecture's Keras LSTM snippet (transformers-lecture-slides): the model, its shapes and sizes."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


def keras_lstm_sizes(device: torch.device, batch: int = 8) -> dict[str, Any]:
    """`Sequential([LSTM(32, input_shape=(50, 2)), Dense(2)])` in torch: an LSTM over 50 steps of 2 features
    whose last hidden state (32) feeds a Dense(2). Keras' LSTM has one bias per gate (4 x (32 x (2 + 32) +
    32) = 4480 parameters), torch's nn.LSTM two (4608); the Dense layer has 32 x 2 + 2 = 66. The port runs a
    batch through and prints the shapes and both parameter counts."""
    lstm = nn.LSTM(input_size=2, hidden_size=32, batch_first=True).to(device)
    dense = nn.Linear(32, 2).to(device)
    x = torch.randn(batch, 50, 2, device=device)
    out, (_h, _) = lstm(x)
    y = dense(out[:, -1, :])
    torch_lstm = sum(p.numel() for p in lstm.parameters())
    keras_lstm = 4 * (32 * (2 + 32) + 32)
    dense_params = sum(p.numel() for p in dense.parameters())
    print(f"input {tuple(x.shape)} -> LSTM last state {tuple(out[:, -1, :].shape)} -> Dense {tuple(y.shape)}")
    print(f"parameters: Keras convention {keras_lstm + dense_params} (LSTM {keras_lstm}, Dense {dense_params}); "
          f"torch convention {torch_lstm + dense_params} (LSTM {torch_lstm})")
    return {"input_shape": list(x.shape), "output_shape": list(y.shape), "keras_parameters": keras_lstm + dense_params,
            "torch_parameters": torch_lstm + dense_params, "timesteps": 50, "features": 2}
