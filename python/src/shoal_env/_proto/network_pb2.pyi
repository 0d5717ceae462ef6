from . import tensor_pb2 as _tensor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACTIVATION_RELU: Activation
ACTIVATION_TANH: Activation
ACTIVATION_UNSPECIFIED: Activation
CONVOLUTIONAL_TORSO_KIND_IMPALA_RESNET: ConvolutionalTorsoKind
CONVOLUTIONAL_TORSO_KIND_MINATAR: ConvolutionalTorsoKind
CONVOLUTIONAL_TORSO_KIND_NATURE: ConvolutionalTorsoKind
CONVOLUTIONAL_TORSO_KIND_UNSPECIFIED: ConvolutionalTorsoKind
DESCRIPTOR: _descriptor.FileDescriptor
RETURN_NORMALIZATION_NONE: ReturnNormalization
RETURN_NORMALIZATION_POPART: ReturnNormalization
RETURN_NORMALIZATION_SCALE: ReturnNormalization

class CategoricalHead(_message.Message):
    __slots__ = ["actions"]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    actions: int
    def __init__(self, actions: _Optional[int] = ...) -> None: ...

class ConvolutionalTorso(_message.Message):
    __slots__ = ["channels", "height", "kind", "width"]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    channels: int
    height: int
    kind: ConvolutionalTorsoKind
    width: int
    def __init__(self, kind: _Optional[_Union[ConvolutionalTorsoKind, str]] = ..., height: _Optional[int] = ..., width: _Optional[int] = ..., channels: _Optional[int] = ...) -> None: ...

class GaussianHead(_message.Message):
    __slots__ = ["dimensions"]
    DIMENSIONS_FIELD_NUMBER: _ClassVar[int]
    dimensions: int
    def __init__(self, dimensions: _Optional[int] = ...) -> None: ...

class NetworkSpec(_message.Message):
    __slots__ = ["activation", "categorical", "convolutional_torso", "gaussian", "hidden_sizes", "lstm_size", "normalize_observations", "observation_dtype", "observation_size", "return_normalization"]
    ACTIVATION_FIELD_NUMBER: _ClassVar[int]
    CATEGORICAL_FIELD_NUMBER: _ClassVar[int]
    CONVOLUTIONAL_TORSO_FIELD_NUMBER: _ClassVar[int]
    GAUSSIAN_FIELD_NUMBER: _ClassVar[int]
    HIDDEN_SIZES_FIELD_NUMBER: _ClassVar[int]
    LSTM_SIZE_FIELD_NUMBER: _ClassVar[int]
    NORMALIZE_OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_DTYPE_FIELD_NUMBER: _ClassVar[int]
    OBSERVATION_SIZE_FIELD_NUMBER: _ClassVar[int]
    RETURN_NORMALIZATION_FIELD_NUMBER: _ClassVar[int]
    activation: Activation
    categorical: CategoricalHead
    convolutional_torso: ConvolutionalTorso
    gaussian: GaussianHead
    hidden_sizes: _containers.RepeatedScalarFieldContainer[int]
    lstm_size: int
    normalize_observations: bool
    observation_dtype: _tensor_pb2.DType
    observation_size: int
    return_normalization: ReturnNormalization
    def __init__(self, observation_size: _Optional[int] = ..., hidden_sizes: _Optional[_Iterable[int]] = ..., activation: _Optional[_Union[Activation, str]] = ..., categorical: _Optional[_Union[CategoricalHead, _Mapping]] = ..., gaussian: _Optional[_Union[GaussianHead, _Mapping]] = ..., normalize_observations: bool = ..., return_normalization: _Optional[_Union[ReturnNormalization, str]] = ..., convolutional_torso: _Optional[_Union[ConvolutionalTorso, _Mapping]] = ..., lstm_size: _Optional[int] = ..., observation_dtype: _Optional[_Union[_tensor_pb2.DType, str]] = ...) -> None: ...

class Activation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReturnNormalization(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ConvolutionalTorsoKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
