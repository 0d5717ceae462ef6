"""The step reply written by shoal_env.wire is, byte for byte, the one protobuf writes for the same message."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from shoal_env._proto import env_pb2
from shoal_env.host import Step
from shoal_env.tensors import to_tensor
from shoal_env.wire import step_reply, transitions, varint


def protobuf_transitions(step: Step) -> env_pb2.EnvTransitions:
    """EnvTransitions filled field by field through protobuf's own API."""
    message = env_pb2.EnvTransitions()
    to_tensor(step.observations, message.observations)
    message.rewards.extend(step.rewards.tolist())
    message.terminated.extend(step.terminated.tolist())
    message.truncated.extend(step.truncated.tolist())
    message.ended.extend(step.ended.tolist())
    to_tensor(step.final_observations, message.final_observations)
    for episode_return, length in step.episodes:
        message.episodes.add(episode_return=episode_return, length=length)
    return message


def make_step(observations: npt.NDArray[Any], ended: list[int], episodes: list[tuple[float, int]]) -> Step:
    rng = np.random.default_rng(len(observations))
    count = len(observations)
    terminated = np.zeros(count, np.bool_)
    terminated[ended[::2]] = True
    truncated = np.zeros(count, np.bool_)
    truncated[ended[1::2]] = True
    rewards = rng.normal(size=count)
    rewards[:2] = [0.0, -0.0]
    index = np.array(ended, dtype=np.intp)
    return Step(observations, rewards, terminated, truncated, index, observations[index], episodes)


STEPS = {
    "float32 rows, one episode": make_step(np.arange(64 * 4, dtype=np.float32).reshape(64, 4), [3], [(12.0, 12)]),
    "nothing ended": make_step(np.ones((16, 4), np.float32), [], []),
    "one-hot rows": make_step(np.eye(5, dtype=np.uint8)[[0, 1, 2, 3, 4, 0]], [0, 5], [(1.5, 1), (-3.25, 200)]),
    "scalar observations": make_step(np.linspace(-1, 1, 7), [1, 2, 6], [(0.0, 0), (-0.0, 1), (1e300, -1)]),
    "indices past 127": make_step(np.zeros((300, 2, 3), np.int16), [5, 127, 128, 299], [(1.0, 2**35)] * 4),
    "big-endian float64": make_step(np.arange(6, dtype=">f8").reshape(3, 2), [2], [(float("nan"), 127)]),
    "bools": make_step(np.array([[True, False]] * 4), [0, 1, 2, 3], [(2.0, 128)] * 4),
}


@pytest.mark.parametrize("name", STEPS)
def test_transitions_are_the_bytes_protobuf_writes(name: str) -> None:
    step = STEPS[name]
    expected = protobuf_transitions(step)
    assert transitions(step) == expected.SerializeToString()
    parsed = env_pb2.EnvTransitions.FromString(transitions(step))
    assert parsed.final_observations.shape == list(step.final_observations.shape)  # present even when empty


@pytest.mark.parametrize("request_id", [0, 1, 300, 2**64 - 1])
def test_a_step_reply_is_its_envelope_with_the_transitions_as_body(request_id: int) -> None:
    step = STEPS["float32 rows, one episode"]
    envelope = env_pb2.EnvReply(protocol_version=1, request_id=request_id)
    expected = env_pb2.EnvReply(protocol_version=1, request_id=request_id)
    expected.transitions.CopyFrom(protobuf_transitions(step))
    assert step_reply(envelope, step) == expected.SerializeToString()
    assert env_pb2.EnvReply.FromString(step_reply(envelope, step)).WhichOneof("body") == "transitions"


@pytest.mark.parametrize("value", [1, 127, 128, 300, 2**32, 2**63 - 1, -1, -(2**63)])
def test_varints_are_those_of_protobuf_int64(value: int) -> None:
    """A varint as protobuf writes an int64 field's (it writes no field for 0)."""
    message = env_pb2.EpisodeEnd(length=value)
    assert b"\x10" + varint(value) == message.SerializeToString()
