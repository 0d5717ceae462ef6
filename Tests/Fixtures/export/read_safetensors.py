"""Prints a safetensors file as JSON, read with Hugging Face's safetensors package (for Shoal's tests):
{"metadata": {...}, "tensors": {name: {"shape": [...], "values": [...]}}}."""

from __future__ import annotations

import json
import sys

from safetensors import safe_open
from safetensors.numpy import load_file

if __name__ == "__main__":
    path = sys.argv[1]
    with safe_open(path, "np") as opened:
        metadata = opened.metadata()
    tensors = {
        name: {"shape": list(array.shape), "dtype": str(array.dtype), "values": array.reshape(-1).tolist()}
        for name, array in load_file(path).items()
    }
    print(json.dumps({"metadata": metadata, "tensors": tensors}))
