"""How fast does a feed snapshot parse: typed records, plain orjson, the standard library's json?

Builds 1,000 / 4,000 / 10,000-pilot snapshots by replicating the pilots of the real
2024-02-20 fixture under unique callsigns and CIDs, then times, best of N, in one run:
  - parse_snapshot(body): msgspec decoding the pilots into typed records (core/feed_records.py);
  - parse_document(orjson.loads(body)): the plain reader, what parse_snapshot did before (the baseline);
  - parse_document(json.loads(body)): the plain reader on the stdlib decoder;
  - decoding alone with orjson and json, and peek_update_timestamp (what the sensor pays).

    .venv/bin/python bench/parse_bench.py            # full run
    .venv/bin/python bench/parse_bench.py --quick    # fewer repeats, for a smoke run
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import orjson

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO_ROOT))

from vatstats_assets.core.feed import (  # noqa: E402 - after the path is set
    parse_document,
    parse_snapshot,
    peek_update_timestamp,
)

TEMPLATE_FIXTURE = REPO_ROOT / "vatstats_tests/fixtures/feeds/vatsim-data-2024-02-20.json.gz"
PILOT_COUNTS = (1_000, 4_000, 10_000)


def build_snapshot_body(pilot_count: int, template: dict[str, Any]) -> bytes:
    """A feed body with `pilot_count` pilots copied from the template, callsigns and CIDs unique."""
    originals = template["pilots"]
    pilots = []
    for index in range(pilot_count):
        pilot = dict(originals[index % len(originals)])
        copy_number = index // len(originals)
        if copy_number:  # pilot callsigns carry no "_", so the copies cannot collide
            pilot["callsign"] = f"{pilot['callsign']}_{copy_number}"
        pilot["cid"] = 2_000_000 + index
        pilots.append(pilot)
    return orjson.dumps({**template, "pilots": pilots})


def best_ms(action: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` runs in milliseconds: the least disturbed by other work."""
    action()  # warm caches and the regex engine before timing
    fastest = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest * 1000


def run(quick: bool = False) -> list[dict]:
    """Measure every snapshot size; one dict of figures per size."""
    repeats = 3 if quick else 15
    template = orjson.loads(gzip.decompress(TEMPLATE_FIXTURE.read_bytes()))
    results = []
    for pilot_count in PILOT_COUNTS:
        body = build_snapshot_body(pilot_count, template)
        snapshot = parse_snapshot(body)
        assert len(snapshot.pilots) == pilot_count and not snapshot.skipped
        typed_ms = best_ms(partial(parse_snapshot, body), repeats)
        plain_ms = best_ms(lambda body=body: parse_document(orjson.loads(body)), repeats)
        stdlib_ms = best_ms(lambda body=body: parse_document(json.loads(body)), repeats)
        results.append(
            {
                "pilots": pilot_count,
                "body_mb": round(len(body) / 1_000_000, 2),
                "parse_typed_ms": round(typed_ms, 2),
                "parse_orjson_ms": round(plain_ms, 2),
                "parse_stdlib_ms": round(stdlib_ms, 2),
                "orjson_over_typed": round(plain_ms / typed_ms, 2),
                "stdlib_over_orjson": round(stdlib_ms / plain_ms, 2),
                "decode_orjson_ms": round(best_ms(partial(orjson.loads, body), repeats), 2),
                "decode_stdlib_ms": round(best_ms(partial(json.loads, body), repeats), 2),
                "peek_ms": round(best_ms(partial(peek_update_timestamp, body), repeats), 2),
            }
        )
    return results


def print_table(results: list[dict]) -> None:
    header = (
        f"{'pilots':>7} {'MB':>6} {'parse typed':>12} {'parse orjson':>13} {'ratio':>6} {'parse stdlib':>13}"
        f" {'decode orjson':>14} {'decode stdlib':>14} {'peek':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{row['pilots']:>7,} {row['body_mb']:>6.2f} {row['parse_typed_ms']:>9.1f} ms"
            f" {row['parse_orjson_ms']:>10.1f} ms {row['orjson_over_typed']:>5.2f}x {row['parse_stdlib_ms']:>10.1f} ms"
            f" {row['decode_orjson_ms']:>11.1f} ms {row['decode_stdlib_ms']:>11.1f} ms"
            f" {row['peek_ms']:>4.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 15")
    print_table(run(quick=parser.parse_args().quick))


if __name__ == "__main__":
    main()
