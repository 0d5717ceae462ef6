from . import ack_pb2 as _ack_pb2
from . import process_pb2 as _process_pb2
from . import rollout_pb2 as _rollout_pb2
from . import weights_pb2 as _weights_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Frame(_message.Message):
    __slots__ = ["ack", "control", "heartbeat", "protocol_version", "rollout", "weights", "weights_request"]
    ACK_FIELD_NUMBER: _ClassVar[int]
    CONTROL_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_REQUEST_FIELD_NUMBER: _ClassVar[int]
    ack: _ack_pb2.Ack
    control: _process_pb2.Control
    heartbeat: _process_pb2.Heartbeat
    protocol_version: int
    rollout: _rollout_pb2.Rollout
    weights: _weights_pb2.Weights
    weights_request: _weights_pb2.WeightsRequest
    def __init__(self, protocol_version: _Optional[int] = ..., rollout: _Optional[_Union[_rollout_pb2.Rollout, _Mapping]] = ..., weights: _Optional[_Union[_weights_pb2.Weights, _Mapping]] = ..., weights_request: _Optional[_Union[_weights_pb2.WeightsRequest, _Mapping]] = ..., ack: _Optional[_Union[_ack_pb2.Ack, _Mapping]] = ..., heartbeat: _Optional[_Union[_process_pb2.Heartbeat, _Mapping]] = ..., control: _Optional[_Union[_process_pb2.Control, _Mapping]] = ...) -> None: ...
