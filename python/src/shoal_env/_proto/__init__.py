"""Code generated from ../proto/shoal/v1/*.proto by proto/generate.sh; do not edit the *_pb2 modules."""
