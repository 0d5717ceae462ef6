from . import tensor_pb2 as _tensor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

AUTORESET_MODE_NEXT_STEP: AutoresetMode
AUTORESET_MODE_SAME_STEP: AutoresetMode
DESCRIPTOR: _descriptor.FileDescriptor

class BoxSpace(_message.Message):
    __slots__ = ["dtype", "high", "low", "shape"]
    DTYPE_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    SHAPE_FIELD_NUMBER: _ClassVar[int]
    dtype: _tensor_pb2.DType
    high: _containers.RepeatedScalarFieldContainer[float]
    low: _containers.RepeatedScalarFieldContainer[float]
    shape: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, dtype: _Optional[_Union[_tensor_pb2.DType, str]] = ..., shape: _Optional[_Iterable[int]] = ..., low: _Optional[_Iterable[float]] = ..., high: _Optional[_Iterable[float]] = ...) -> None: ...

class DictEntry(_message.Message):
    __slots__ = ["key", "space"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SPACE_FIELD_NUMBER: _ClassVar[int]
    key: str
    space: Space
    def __init__(self, key: _Optional[str] = ..., space: _Optional[_Union[Space, _Mapping]] = ...) -> None: ...

class DictSpace(_message.Message):
    __slots__ = ["entries"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[DictEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[DictEntry, _Mapping]]] = ...) -> None: ...

class DiscreteSpace(_message.Message):
    __slots__ = ["n", "start"]
    N_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    n: int
    start: int
    def __init__(self, n: _Optional[int] = ..., start: _Optional[int] = ...) -> None: ...

class EnvError(_message.Message):
    __slots__ = ["details", "message"]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    details: str
    message: str
    def __init__(self, message: _Optional[str] = ..., details: _Optional[str] = ...) -> None: ...

class EnvHello(_message.Message):
    __slots__ = ["client", "describe_only"]
    CLIENT_FIELD_NUMBER: _ClassVar[int]
    DESCRIBE_ONLY_FIELD_NUMBER: _ClassVar[int]
    client: str
    describe_only: bool
    def __init__(self, client: _Optional[str] = ..., describe_only: bool = ...) -> None: ...

class EnvObservations(_message.Message):
    __slots__ = ["observations"]
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    observations: _tensor_pb2.Tensor
    def __init__(self, observations: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ...) -> None: ...

class EnvReply(_message.Message):
    __slots__ = ["error", "observations", "protocol_version", "request_id", "spec", "transitions"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    TRANSITIONS_FIELD_NUMBER: _ClassVar[int]
    error: EnvError
    observations: EnvObservations
    protocol_version: int
    request_id: int
    spec: EnvSpec
    transitions: EnvTransitions
    def __init__(self, protocol_version: _Optional[int] = ..., request_id: _Optional[int] = ..., spec: _Optional[_Union[EnvSpec, _Mapping]] = ..., observations: _Optional[_Union[EnvObservations, _Mapping]] = ..., transitions: _Optional[_Union[EnvTransitions, _Mapping]] = ..., error: _Optional[_Union[EnvError, _Mapping]] = ...) -> None: ...

class EnvRequest(_message.Message):
    __slots__ = ["hello", "protocol_version", "request_id", "reset", "step"]
    HELLO_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESET_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    hello: EnvHello
    protocol_version: int
    request_id: int
    reset: EnvReset
    step: EnvStep
    def __init__(self, protocol_version: _Optional[int] = ..., request_id: _Optional[int] = ..., hello: _Optional[_Union[EnvHello, _Mapping]] = ..., reset: _Optional[_Union[EnvReset, _Mapping]] = ..., step: _Optional[_Union[EnvStep, _Mapping]] = ...) -> None: ...

class EnvReset(_message.Message):
    __slots__ = ["seeds"]
    SEEDS_FIELD_NUMBER: _ClassVar[int]
    seeds: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, seeds: _Optional[_Iterable[int]] = ...) -> None: ...

class EnvSpec(_message.Message):
    __slots__ = ["action_space", "autoreset_mode", "env_name", "max_episode_steps", "num_envs", "observation", "observation_space", "server"]
    ACTION_SPACE_FIELD_NUMBER: _ClassVar[int]
    AUTORESET_MODE_FIELD_NUMBER: _ClassVar[int]
    ENV_NAME_FIELD_NUMBER: _ClassVar[int]
    MAX_EPISODE_STEPS_FIELD_NUMBER: _ClassVar[int]
    NUM_ENVS_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_SPACE_FIELD_NUMBER: _ClassVar[int]
    SERVER_FIELD_NUMBER: _ClassVar[int]
    action_space: Space
    autoreset_mode: AutoresetMode
    env_name: str
    max_episode_steps: int
    num_envs: int
    observation: TensorSpec
    observation_space: Space
    server: str
    def __init__(self, env_name: _Optional[str] = ..., num_envs: _Optional[int] = ..., observation_space: _Optional[_Union[Space, _Mapping]] = ..., action_space: _Optional[_Union[Space, _Mapping]] = ..., observation: _Optional[_Union[TensorSpec, _Mapping]] = ..., max_episode_steps: _Optional[int] = ..., server: _Optional[str] = ..., autoreset_mode: _Optional[_Union[AutoresetMode, str]] = ...) -> None: ...

class EnvStep(_message.Message):
    __slots__ = ["actions"]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    actions: _tensor_pb2.Tensor
    def __init__(self, actions: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ...) -> None: ...

class EnvTransitions(_message.Message):
    __slots__ = ["ended", "episodes", "final_observations", "observations", "rewards", "terminated", "truncated"]
    ENDED_FIELD_NUMBER: _ClassVar[int]
    EPISODES_FIELD_NUMBER: _ClassVar[int]
    FINAL_OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    REWARDS_FIELD_NUMBER: _ClassVar[int]
    TERMINATED_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    ended: _containers.RepeatedScalarFieldContainer[int]
    episodes: _containers.RepeatedCompositeFieldContainer[EpisodeEnd]
    final_observations: _tensor_pb2.Tensor
    observations: _tensor_pb2.Tensor
    rewards: _containers.RepeatedScalarFieldContainer[float]
    terminated: _containers.RepeatedScalarFieldContainer[bool]
    truncated: _containers.RepeatedScalarFieldContainer[bool]
    def __init__(self, observations: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., rewards: _Optional[_Iterable[float]] = ..., terminated: _Optional[_Iterable[bool]] = ..., truncated: _Optional[_Iterable[bool]] = ..., ended: _Optional[_Iterable[int]] = ..., final_observations: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., episodes: _Optional[_Iterable[_Union[EpisodeEnd, _Mapping]]] = ...) -> None: ...

class EpisodeEnd(_message.Message):
    __slots__ = ["episode_return", "length"]
    EPISODE_RETURN_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    episode_return: float
    length: int
    def __init__(self, episode_return: _Optional[float] = ..., length: _Optional[int] = ...) -> None: ...

class MultiDiscreteSpace(_message.Message):
    __slots__ = ["nvec"]
    NVEC_FIELD_NUMBER: _ClassVar[int]
    nvec: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, nvec: _Optional[_Iterable[int]] = ...) -> None: ...

class Space(_message.Message):
    __slots__ = ["box", "dict", "discrete", "multi_discrete"]
    BOX_FIELD_NUMBER: _ClassVar[int]
    DICT_FIELD_NUMBER: _ClassVar[int]
    DISCRETE_FIELD_NUMBER: _ClassVar[int]
    MULTI_DISCRETE_FIELD_NUMBER: _ClassVar[int]
    box: BoxSpace
    dict: DictSpace
    discrete: DiscreteSpace
    multi_discrete: MultiDiscreteSpace
    def __init__(self, box: _Optional[_Union[BoxSpace, _Mapping]] = ..., discrete: _Optional[_Union[DiscreteSpace, _Mapping]] = ..., multi_discrete: _Optional[_Union[MultiDiscreteSpace, _Mapping]] = ..., dict: _Optional[_Union[DictSpace, _Mapping]] = ...) -> None: ...

class TensorSpec(_message.Message):
    __slots__ = ["dtype", "shape"]
    DTYPE_FIELD_NUMBER: _ClassVar[int]
    SHAPE_FIELD_NUMBER: _ClassVar[int]
    dtype: _tensor_pb2.DType
    shape: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, dtype: _Optional[_Union[_tensor_pb2.DType, str]] = ..., shape: _Optional[_Iterable[int]] = ...) -> None: ...

class AutoresetMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
