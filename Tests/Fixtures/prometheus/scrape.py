"""Prints what a Prometheus endpoint serves (for Shoal's tests): GET URL, as a scraper does; fails on any status
but 200 or a content type other than the text exposition format's."""

from __future__ import annotations

import sys
import urllib.request

if __name__ == "__main__":
    with urllib.request.urlopen(sys.argv[1], timeout=5) as response:
        content_type = response.headers.get("Content-Type", "")
        if response.status != 200 or not content_type.startswith("text/plain; version=0.0.4"):
            sys.exit(f"{sys.argv[1]}: status {response.status}, content type {content_type!r}")
        sys.stdout.write(response.read().decode("utf-8"))
