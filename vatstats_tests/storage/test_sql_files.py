"""SQL kept in files: an expression spliced into a statement comes without its comment lines."""

import pytest

from vatstats_assets.storage import sql_files
from vatstats_assets.storage.sql_files import expression


def test_an_expression_loses_its_comment_lines_and_takes_its_constants() -> None:
    text = expression("flights_moved_at", parked_altitude_jitter_ft=50)
    assert text.startswith("CASE") and text.endswith("END")
    assert "--" not in text and ":parked_altitude_jitter_ft" not in text
    assert "<= 50 THEN" in text


def test_an_expression_with_a_comment_after_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql_files, "query", lambda name: "-- heading\nCASE WHEN a THEN b END -- trailing")
    with pytest.raises(ValueError, match="comments on lines of their own only"):
        expression("anything")
