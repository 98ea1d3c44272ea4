"""Tone of a follow-up (gentle < firm < legal) from its level and the partner's risk.

The level sets the floor.  A high or critical risk hardens a gentle level to
firm, but only a level that is itself legal ever produces a legal tone: the
text must never threaten proceedings the company has not decided on.

>>> select_tone("gentle", "low"), select_tone("gentle", "high"), select_tone("firm", "critical")
('gentle', 'firm', 'firm')
>>> select_tone("legal", "low"), select_tone(None, "critical")
('legal', 'firm')
"""

TONES = ("gentle", "firm", "legal")
HARDENING_BANDS = frozenset({"high", "critical"})


def tone_rank(tone: str) -> int:
    """Position of ``tone`` in :data:`TONES` (``ValueError`` for an unknown tone)."""
    return TONES.index(tone)


def select_tone(level_tone: str | None, risk_band: str | None) -> str:
    """The tone to write in; ``level_tone`` None means no level (a gentle floor)."""
    tone = level_tone or "gentle"
    tone_rank(tone)  # reject unknown tones early
    if tone == "gentle" and risk_band in HARDENING_BANDS:
        return "firm"
    return tone
