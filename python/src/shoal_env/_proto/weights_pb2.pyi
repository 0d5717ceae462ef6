from . import network_pb2 as _network_pb2
from . import tensor_pb2 as _tensor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Weights(_message.Message):
    __slots__ = ["checksum", "network", "parameters", "run_id", "stamp"]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STAMP_FIELD_NUMBER: _ClassVar[int]
    checksum: int
    network: _network_pb2.NetworkSpec
    parameters: _tensor_pb2.Tensor
    run_id: str
    stamp: WeightsStamp
    def __init__(self, run_id: _Optional[str] = ..., stamp: _Optional[_Union[WeightsStamp, _Mapping]] = ..., parameters: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ..., checksum: _Optional[int] = ..., network: _Optional[_Union[_network_pb2.NetworkSpec, _Mapping]] = ...) -> None: ...

class WeightsRequest(_message.Message):
    __slots__ = ["actor_id", "held", "incarnation", "run_id"]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    INCARNATION_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    actor_id: int
    held: WeightsStamp
    incarnation: int
    run_id: str
    def __init__(self, run_id: _Optional[str] = ..., actor_id: _Optional[int] = ..., incarnation: _Optional[int] = ..., held: _Optional[_Union[WeightsStamp, _Mapping]] = ...) -> None: ...

class WeightsStamp(_message.Message):
    __slots__ = ["learner_incarnation", "version"]
    LEARNER_INCARNATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    learner_incarnation: int
    version: int
    def __init__(self, learner_incarnation: _Optional[int] = ..., version: _Optional[int] = ...) -> None: ...
