from . import weights_pb2 as _weights_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Ack(_message.Message):
    __slots__ = ["actor_id", "credits", "incarnation", "newest_weights", "next_expected_seq", "run_id", "seqs"]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREDITS_FIELD_NUMBER: _ClassVar[int]
    INCARNATION_FIELD_NUMBER: _ClassVar[int]
    NEWEST_WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_EXPECTED_SEQ_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQS_FIELD_NUMBER: _ClassVar[int]
    actor_id: int
    credits: int
    incarnation: int
    newest_weights: _weights_pb2.WeightsStamp
    next_expected_seq: int
    run_id: str
    seqs: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, run_id: _Optional[str] = ..., actor_id: _Optional[int] = ..., incarnation: _Optional[int] = ..., next_expected_seq: _Optional[int] = ..., seqs: _Optional[_Iterable[int]] = ..., credits: _Optional[int] = ..., newest_weights: _Optional[_Union[_weights_pb2.WeightsStamp, _Mapping]] = ...) -> None: ...
