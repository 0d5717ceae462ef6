"""Prints the records of TensorBoard event files as JSON lines, read with TensorBoard's own reader (for Shoal's tests).

One line per file given: a list of records, {"file_version": ...}, {"step", "tag", "value"} for a scalar, or
{"step", "tag", "plugin", "text"} for a text summary.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
from tensorboard.compat.proto.event_pb2 import Event


def records(path: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for serialized in RawEventFileLoader(path).Load():
        event = Event.FromString(serialized)
        if event.HasField("file_version"):
            found.append({"file_version": event.file_version})
        for value in event.summary.value:
            if value.WhichOneof("value") == "simple_value":
                found.append({"step": event.step, "tag": value.tag, "value": value.simple_value})
            else:
                text = value.tensor.string_val[0].decode()
                found.append({"step": event.step, "tag": value.tag, "plugin": value.metadata.plugin_data.plugin_name,
                              "text": text})
    return found


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(json.dumps(records(path)))
