"""An environment server that answers steps with bad replies, for Shoal's bad-input tests.

    python bad_env_server.py ENDPOINT MODE [--num-envs M]

It describes itself as CartPole (float32 [4] observations, Discrete(2) actions) and answers hellos and resets
properly; every step reply is bad in the way MODE says: `garbage` (bytes that are no message), `nan` (a NaN
observation), `shape` (observations of 3 elements), `flags` (an `ended` list that disagrees with the flags).
"""

from __future__ import annotations

import argparse

import numpy as np
import zmq
from shoal_env._proto import env_pb2, tensor_pb2


def tensor(values: np.ndarray) -> tensor_pb2.Tensor:
    return tensor_pb2.Tensor(dtype=tensor_pb2.DTYPE_FLOAT32, shape=list(values.shape), data=values.tobytes())


def spec(num_envs: int) -> env_pb2.EnvSpec:
    box = env_pb2.BoxSpace(dtype=tensor_pb2.DTYPE_FLOAT32, shape=[4], low=[-1e30], high=[1e30])
    return env_pb2.EnvSpec(
        env_name="BadCartPole", num_envs=num_envs, observation_space=env_pb2.Space(box=box),
        action_space=env_pb2.Space(discrete=env_pb2.DiscreteSpace(n=2)),
        observation=env_pb2.TensorSpec(dtype=tensor_pb2.DTYPE_FLOAT32, shape=[4]), server="bad_env_server")


def bad_step(mode: str, request_id: int, num_envs: int) -> bytes:
    if mode == "garbage":
        return b"\xff\xfe not a message"
    observations = np.zeros((num_envs, 3 if mode == "shape" else 4), np.float32)
    if mode == "nan":
        observations[0, 1] = np.nan
    transitions = env_pb2.EnvTransitions(
        observations=tensor(observations), rewards=[1.0] * num_envs, terminated=[False] * num_envs,
        truncated=[False] * num_envs, ended=[0] if mode == "flags" else [],
        final_observations=tensor(np.zeros((0, 4), np.float32)))
    return env_pb2.EnvReply(protocol_version=1, request_id=request_id, transitions=transitions).SerializeToString()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("mode", choices=["garbage", "nan", "shape", "flags"])
    parser.add_argument("--num-envs", type=int, default=4)
    args = parser.parse_args()
    socket = zmq.Context().socket(zmq.ROUTER)
    socket.bind(args.endpoint)
    while True:
        identity, payload = socket.recv_multipart()
        request = env_pb2.EnvRequest.FromString(payload)
        body = request.WhichOneof("body")
        if body == "hello":
            reply = env_pb2.EnvReply(protocol_version=1, request_id=request.request_id, spec=spec(args.num_envs))
        elif body == "reset":
            observations = env_pb2.EnvObservations(observations=tensor(np.zeros((args.num_envs, 4), np.float32)))
            reply = env_pb2.EnvReply(protocol_version=1, request_id=request.request_id, observations=observations)
        else:
            socket.send_multipart([identity, bad_step(args.mode, request.request_id, args.num_envs)])
            continue
        socket.send_multipart([identity, reply.SerializeToString()])


if __name__ == "__main__":
    main()
