from . import tensor_pb2 as _tensor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EpisodeStats(_message.Message):
    __slots__ = ["episode_return", "length"]
    EPISODE_RETURN_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    episode_return: float
    length: int
    def __init__(self, episode_return: _Optional[float] = ..., length: _Optional[int] = ...) -> None: ...

class Rollout(_message.Message):
    __slots__ = ["acknowledged_below", "actions", "actor_id", "batch_size", "behaviour_logits", "episodes", "incarnation", "observations", "policy_version", "recurrent_state", "reset_steps", "rewards", "run_id", "seq", "terminated", "truncated", "truncated_indices", "truncated_observations", "unroll_length"]
    ACKNOWLEDGED_BELOW_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    BEHAVIOUR_LOGITS_FIELD_NUMBER: _ClassVar[int]
    EPISODES_FIELD_NUMBER: _ClassVar[int]
    INCARNATION_FIELD_NUMBER: _ClassVar[int]
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    RECURRENT_STATE_FIELD_NUMBER: _ClassVar[int]
    RESET_STEPS_FIELD_NUMBER: _ClassVar[int]
    REWARDS_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    TERMINATED_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_INDICES_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    UNROLL_LENGTH_FIELD_NUMBER: _ClassVar[int]
    acknowledged_below: int
    actions: _tensor_pb2.Tensor
    actor_id: int
    batch_size: int
    behaviour_logits: _tensor_pb2.Tensor
    episodes: _containers.RepeatedCompositeFieldContainer[EpisodeStats]
    incarnation: int
    observations: _tensor_pb2.Tensor
    policy_version: int
    recurrent_state: _tensor_pb2.Tensor
    reset_steps: _tensor_pb2.Tensor
    rewards: _tensor_pb2.Tensor
    run_id: str
    seq: int
    terminated: _tensor_pb2.Tensor
    truncated: _tensor_pb2.Tensor
    truncated_indices: _tensor_pb2.Tensor
    truncated_observations: _tensor_pb2.Tensor
    unroll_length: int
    def __init__(self, run_id: _Optional[str] = ..., actor_id: _Optional[int] = ..., incarnation: _Optional[int] = ..., seq: _Optional[int] = ..., policy_version: _Optional[int] = ..., unroll_length: _Optional[int] = ..., batch_size: _Optional[int] = ..., observations: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., actions: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., rewards: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., terminated: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., truncated: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., behaviour_logits: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., truncated_indices: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., truncated_observations: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., episodes: _Optional[_Iterable[_Union[EpisodeStats, _Mapping]]] = ..., acknowledged_below: _Optional[int] = ..., reset_steps: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., recurrent_state: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ...) -> None: ...
