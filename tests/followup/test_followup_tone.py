"""Tone: gentle < firm < legal, monotone in the level's tone and in risk; legal only from a legal level."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.migration_tone import tones_for_delays
from fusion_accounting_followup.services.tone_selector import TONES, select_tone, tone_rank

BANDS = ["low", "medium", "high", "critical"]
tones = st.sampled_from([None, *TONES])
bands = st.sampled_from([None, *BANDS])


def rank(tone):
    return -1 if tone is None else tone_rank(tone)


@given(tones, tones, bands)
def test_tone_is_monotone_in_the_level_tone(first, second, band):
    low, high = sorted([first, second], key=rank)
    assert tone_rank(select_tone(low, band)) <= tone_rank(select_tone(high, band))


@given(tones, st.sampled_from(BANDS), st.sampled_from(BANDS))
def test_tone_is_monotone_in_risk(level_tone, first, second):
    low, high = sorted([first, second], key=BANDS.index)
    assert tone_rank(select_tone(level_tone, low)) <= tone_rank(select_tone(level_tone, high))


@given(tones, bands)
def test_only_a_legal_level_produces_a_legal_tone(level_tone, band):
    assert (select_tone(level_tone, band) == "legal") == (level_tone == "legal")


def test_unknown_tone_is_refused():
    with pytest.raises(ValueError):
        select_tone("rude", "low")


@given(st.lists(st.integers(-30, 3650), max_size=12))
def test_migration_tones_follow_the_order_of_delays(delays):
    tones = tones_for_delays(delays)
    assert len(tones) == len(delays)
    pairs = sorted(zip(delays, tones, strict=True))
    assert all(tone_rank(a[1]) <= tone_rank(b[1]) for a, b in itertools.pairwise(pairs))
    if len(set(delays)) >= 3:
        assert tones[delays.index(max(delays))] == "legal" and tones[delays.index(min(delays))] == "gentle"


def test_migration_tones_ignore_sequence_numbers_and_odd_delays():
    # The old heuristic keyed on sequences 1/10/100; any ladder must now work.
    assert tones_for_delays([1000, 5, 500, 250]) == ["legal", "gentle", "firm", "firm"]
    assert tones_for_delays([-10, -10, 0]) == ["gentle", "gentle", "firm"]
