"""Back-office listings: what the query string may ask for, and the order links of column headers."""

from __future__ import annotations

import datetime as dt

from portal.services.staff.desk_lists import Listing, csv_cell


def test_unknown_values_fall_back_to_the_defaults():
    listing = Listing.from_args(
        "record", {"sort": "password", "state": "hacked", "kind": "red", "date_from": "2025-13-40", "q": " 恒达 "}
    )
    assert (listing.sort, listing.state, listing.date_from, listing.q) == ("updated", "", None, "恒达")
    assert listing.as_args() == {"q": "恒达", "sort": "updated", "order": "desc"}  # no list kind on records


def test_a_header_sorts_by_its_column_then_reverses():
    listing = Listing.from_args("record", {"sort": "decided", "order": "desc", "date_to": "2026-01-31"})
    assert listing.date_to == dt.date(2026, 1, 31)
    assert listing.aria_sort("decided") == "descending" and listing.aria_sort("doc_no") == "none"
    assert listing.sorted_by("decided")["order"] == "asc"
    assert listing.sorted_by("doc_no") == {"date_to": "2026-01-31", "sort": "doc_no", "order": "desc"}


def test_list_entries_keep_their_list_kind():
    assert Listing.from_args("list_entry", {"kind": "black"}).as_args()["kind"] == "black"


def test_cells_that_a_spreadsheet_would_run_are_defused():
    assert [csv_cell(v) for v in ("=SUM(A1)", "+1", "@x", "恒达", None, 3)] == [
        "'=SUM(A1)",
        "'+1",
        "'@x",
        "恒达",
        "",
        "3",
    ]
