"""Port of the lecture's Keras LSTM snippet (transformers-lecture-slides): the model, its shapes and sizes."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from verifier.mathcheck.observation import observe


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


def lstm_input_shapes(device: torch.device, timeseries: int = 1000, features: int = 2, example: str = "series",
                      text: str = "") -> dict[str, Any]:
    """Statement (slides): an LSTM takes batches of shape (batch size, timeseries = time stamps in a sequence,
    features = measurements per time stamp); the slides give timeseries and features for two examples.

    "series": the Keras snippet's model, ported to torch (LSTM(32) over input_shape (50, 2), Dense(2)), takes
    sequences of 50 time stamps of 2 features; the stated numbers hold if they are the shape the model takes
    (a longer series has to be split into chunks of that length first). "text": the quoted line, split into
    sequences of `timeseries` letters with one code per letter, run through an nn.LSTM with `features`
    inputs; the numbers hold if that tensor has the stated shape and the LSTM accepts it."""
    torch.manual_seed(0)
    if example == "text":
        letters = [c for c in text.lower() if c.isalpha()]
        sequences = [letters[i:i + timeseries] for i in range(0, len(letters), timeseries)]
        sequences = [seq for seq in sequences if len(seq) == timeseries]
        # one value per letter (its code): the number of features per time stamp is measured, not assumed
        per_letter = [[ord(c) - ord("a")] for c in letters]
        measured_features = len(per_letter[0]) if per_letter else 0
        batch = torch.tensor([[[ord(c) - ord("a")] for c in seq] for seq in sequences], dtype=torch.float32,
                             device=device)
        out, _ = nn.LSTM(input_size=measured_features, hidden_size=32, batch_first=True).to(device)(batch)
        holds = batch.shape[1] == timeseries and measured_features == features and out.shape[1] == timeseries
        return observe(holds, "{letters} letters cut into {sequences} sequences of {timeseries} letters, one code "
                       "per letter: tensor {shape}, {measured_features} feature(s) per time stamp (stated "
                       "{features}); nn.LSTM output {output_shape}", letters=len(letters),
                       sequences=len(sequences), timeseries=timeseries, shape=tuple(batch.shape),
                       measured_features=measured_features, features=features, output_shape=tuple(out.shape))
    lstm, dense = nn.LSTM(input_size=2, hidden_size=32, batch_first=True).to(device), nn.Linear(32, 2).to(device)
    model_steps, model_features = 50, 2  # input_shape=(50, 2) in the snippet
    chunks = timeseries // model_steps
    series = torch.randn(timeseries, features, device=device)
    batch = series[: chunks * model_steps].reshape(chunks, model_steps, features)
    y = dense(lstm(batch)[0][:, -1, :])
    holds = (timeseries, features) == (model_steps, model_features)
    return observe(holds, "the snippet's model takes sequences of {model_steps} time stamps x {model_features} "
                   "features; stated timeseries {timeseries}, features {features}; a {timeseries}-stamp series in "
                   "chunks of {model_steps}: batch {batch_shape} -> output {output_shape}", model_steps=model_steps,
                   model_features=model_features, timeseries=timeseries, features=features,
                   batch_shape=tuple(batch.shape), output_shape=tuple(y.shape))
