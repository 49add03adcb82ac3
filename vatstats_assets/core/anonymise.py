"""A feed snapshot without members' names, for deployments that store none (VATSTATS_STORE_NAMES=false)."""

from __future__ import annotations

import orjson

# Sections whose records name a person; servers have names too, but not people's.
NAMED_SECTIONS = ("pilots", "controllers", "atis", "prefiles")
_UTF8_BOM = b"\xef\xbb\xbf"


def body_without_names(body: bytes) -> bytes:
    """The snapshot JSON with every member's `name` blanked and everything else kept.

    Blanked, not removed: the raw snapshot keeps the feed's shape, so it still parses as a snapshot
    when the tables are rebuilt from it.
    """
    document = orjson.loads(body.removeprefix(_UTF8_BOM))
    for section in NAMED_SECTIONS:
        records = document.get(section) if isinstance(document, dict) else None
        for record in records if isinstance(records, list) else ():
            if isinstance(record, dict) and "name" in record:
                record["name"] = ""
    return orjson.dumps(document)
