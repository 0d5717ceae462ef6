"""Runs a policy exported by Shoal through shoal_env.load_policy on the observations a case file gives, and prints
the largest error against the outputs and values Shoal's own network gave, relative to max(1, |expected|)."""

from __future__ import annotations

import json
import sys

import numpy as np

from shoal_env.policy import load_policy

if __name__ == "__main__":
    case = json.loads(open(sys.argv[1]).read())
    policy = load_policy(case["policy"])
    state = None
    worst = 0.0
    for step in case["steps"]:
        dtype = np.uint8 if case["bytes"] else np.float32
        observations = np.asarray(step["observations"], dtype=dtype).reshape(step["shape"])
        if policy.recurrent:
            outputs, values, state = policy(observations, state)
        else:
            outputs, values = policy(observations)
        for got, want in ((outputs.reshape(-1), step["outputs"]), (values, step["values"])):
            want = np.asarray(want, dtype=np.float64)
            worst = max(worst, float(np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)))))
    print(json.dumps({"error": worst}))
