"""A penalty the public may no longer see is not cited by any public text, whatever brackets cite it."""

from __future__ import annotations

from portal.presenters import HIDDEN_REFERENCE, _without_references

REPAIRED = "甬市监罚〔2023〕3号"


def test_every_citation_of_a_hidden_penalty_is_replaced_whatever_its_brackets():
    text = "前次处罚见甬市监罚[2023]3号，另见甬市监罚（2023）3号及甬市监罚【2023】3号。"
    shown = _without_references(text, [REPAIRED])
    assert "2023" not in shown
    assert shown == f"前次处罚见{HIDDEN_REFERENCE}，另见{HIDDEN_REFERENCE}及{HIDDEN_REFERENCE}。"


def test_other_numbers_and_texts_without_citations_are_left_as_they_are():
    text = "依据甬市监罚〔2023〕31号及甬市监罚〔2024〕3号处理。"
    assert _without_references(text, [REPAIRED]) == text
    assert _without_references("甬市监罚〔2023〕3号", []) == "甬市监罚〔2023〕3号"
