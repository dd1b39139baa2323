"""Recall and false positives of masking natural persons' names in free text, on labelled sentences.

tests/data/person_names.txt holds a development set (the recogniser was tuned on it) and a held-out
set written afterwards. Run with -s to see the figures; the thresholds guard against regressions.
"""

from portal.rules.masking import mask_text
from tests.person_name_set import load, measure


def _report(label, m):
    print(
        f"\n{label}: {m.hidden}/{m.names} names hidden (recall {m.recall:.1%}); "
        f"{m.negative_mangled}/{m.negative_sentences} sentences without a person changed; missed: {m.missed}"
    )


def test_development_set():
    m = measure(mask_text)
    _report("development", m)
    assert m.names >= 100
    assert m.recall >= 0.95
    assert m.negative_mangled == 0
    assert not m.sentences_with_false_masks


def test_held_out_set():
    m = measure(mask_text, holdout=True)
    _report("held out", m)
    assert m.names >= 30
    assert m.recall >= 0.8
    assert m.negative_mangled <= 3


def test_every_labelled_name_is_in_its_sentence():
    for holdout in (False, True):
        positive, negative = load(holdout)
        assert positive and negative
        for s in positive:
            assert s.names and all(end - start >= 2 for start, end in s.names)
