"""Receipt numbers and query codes."""

import datetime as dt

import pytest

from portal.rules import receipts


def test_number_format_by_kind():
    day = dt.date(2026, 11, 22)
    assert receipts.number("objection", day, 123) == "YY-20261122-000123"
    assert receipts.number("repair", day, 1) == "XF-20261122-000001"
    assert receipts.number("commitment", day, 999999) == "CN-20261122-999999"
    with pytest.raises(ValueError):
        receipts.number("objection", day, 1_000_000)


def test_kind_of_and_typed_numbers_tidied():
    assert receipts.kind_of("YY-20261122-000123") == "objection"
    assert receipts.kind_of("ZZ-20261122-000123") is None
    assert receipts.kind_of("YY-2026112-000123") is None
    assert receipts.normalise_number(" yy－20261122－000123 ") == "YY-20261122-000123"
    assert receipts.normalise_number("ＸＦ-20261122-000001") == "XF-20261122-000001"


def test_query_code_is_keyed_stable_and_readable():
    code = receipts.query_code("secret", "token-1")
    assert code == receipts.query_code("secret", "token-1")
    assert code != receipts.query_code("secret", "token-2")
    assert code != receipts.query_code("other-secret", "token-1")
    assert len(code) == receipts.CODE_LENGTH and set(code) <= set(receipts.CODE_ALPHABET)
    assert not set("01IOL") & set(receipts.CODE_ALPHABET)
    assert receipts.normalise_code(f" {code.lower()} ") == code
