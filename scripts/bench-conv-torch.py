"""PyTorch's side of `shoal bench conv`: the same torsos (minatar on 10×10×4, nature on 84×84×4), one thread,
forward and forward+backward samples/s at batch 32 and 256.

Run in a scratch virtual environment with torch from PyPI (never a dependency of Shoal):
    python3 -m venv /tmp/venv-torch && /tmp/venv-torch/bin/pip install torch numpy
    OPENBLAS_NUM_THREADS=1 /tmp/venv-torch/bin/python scripts/bench-conv-torch.py
"""

import time

import torch
from torch import nn


def minatar() -> nn.Module:
    return nn.Sequential(nn.Conv2d(4, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 8 * 16, 128), nn.ReLU())


def nature() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(), nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(), nn.Linear(7 * 7 * 64, 512), nn.ReLU())


def samples_per_second(batch: int, body, minimum_seconds: float = 2.0) -> float:
    body()  # warm-up
    start = time.perf_counter()
    iterations = 0
    while time.perf_counter() - start < minimum_seconds:
        body()
        iterations += 1
    return iterations * batch / (time.perf_counter() - start)


def main() -> None:
    torch.set_num_threads(1)
    print(f"PyTorch {torch.__version__}, one thread")
    for name, make, side in [("minatar", minatar, 10), ("nature", nature, 84)]:
        network = make()
        for batch in (32, 256):
            observations = torch.rand(batch, 4, side, side)
            feature_gradient = torch.full((batch, 512 if name == "nature" else 128), 0.01)

            def forward() -> None:
                with torch.no_grad():
                    network(observations)

            def forward_backward() -> None:
                network.zero_grad(set_to_none=False)
                network(observations).backward(feature_gradient)

            print(f"  {name} forward, batch {batch}  {samples_per_second(batch, forward):.0f} samples/s")
            print(f"  {name} forward+backward, batch {batch}  {samples_per_second(batch, forward_backward):.0f} samples/s")


if __name__ == "__main__":
    main()
