from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

COMMAND_LEAVING: Command
COMMAND_PAUSE: Command
COMMAND_RESUME: Command
COMMAND_SHUTDOWN: Command
COMMAND_UNSPECIFIED: Command
DESCRIPTOR: _descriptor.FileDescriptor
ROLE_ACTOR: Role
ROLE_ENV_SERVER: Role
ROLE_LEARNER: Role
ROLE_SUPERVISOR: Role
ROLE_UNSPECIFIED: Role

class Control(_message.Message):
    __slots__ = ["command", "reason", "run_id"]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    command: Command
    reason: str
    run_id: str
    def __init__(self, run_id: _Optional[str] = ..., command: _Optional[_Union[Command, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ["environment_steps", "host", "id", "incarnation", "pid", "policy_version", "queue_depth", "role", "run_id", "stats", "timestamp_nanos"]
    class StatsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    ENVIRONMENT_STEPS_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INCARNATION_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STATS_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_NANOS_FIELD_NUMBER: _ClassVar[int]
    environment_steps: int
    host: str
    id: int
    incarnation: int
    pid: int
    policy_version: int
    queue_depth: int
    role: Role
    run_id: str
    stats: _containers.ScalarMap[str, float]
    timestamp_nanos: int
    def __init__(self, run_id: _Optional[str] = ..., role: _Optional[_Union[Role, str]] = ..., id: _Optional[int] = ..., pid: _Optional[int] = ..., host: _Optional[str] = ..., incarnation: _Optional[int] = ..., timestamp_nanos: _Optional[int] = ..., policy_version: _Optional[int] = ..., environment_steps: _Optional[int] = ..., queue_depth: _Optional[int] = ..., stats: _Optional[_Mapping[str, float]] = ...) -> None: ...

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Command(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
