"""Which follow-up level a partner is due, from the days its items are overdue.

Levels form a ladder ordered by ``delay_days``.  An item qualifies for the
highest level whose delay it has reached; it *needs action* when that level
is above the level it was last sent (``OpenItem.last_level_id``).  The partner
is due the highest level among the items that need action.

>>> ladder = Ladder.of([LevelSpec(1, "Reminder", 7, "gentle"), LevelSpec(2, "Warning", 30, "firm")])
>>> ladder.resolve(6) is None, ladder.resolve(7).name, ladder.resolve(400).name
(True, 'Reminder', 'Warning')
>>> ladder.next_after(None).name, ladder.next_after(1).name, ladder.next_after(2)
('Reminder', 'Warning', None)
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .errors import InvalidLevelsError
from .followup_channels import EMAIL_ONLY, LevelChannels
from .open_item import OpenItem


@dataclass(frozen=True)
class LevelSpec:
    """One rung of the ladder, as stored on ``fusion.followup.level``."""

    id: int
    name: str
    delay_days: int
    tone: str
    requires_manual_review: bool = False
    channels: LevelChannels = EMAIL_ONLY  # what a send of this level does


@dataclass(frozen=True)
class Ladder:
    """Levels sorted by delay; build it with :meth:`of`, which checks the order is strict."""

    levels: tuple[LevelSpec, ...]

    @classmethod
    def of(cls, levels: Iterable[LevelSpec]) -> "Ladder":
        ordered = tuple(sorted(levels, key=lambda level: level.delay_days))
        delays = [level.delay_days for level in ordered]
        if len(set(delays)) != len(delays):
            raise InvalidLevelsError(f"two follow-up levels share a delay: {delays}")
        return cls(ordered)

    def rank(self, level_id: int | None) -> int:
        """Position of a level on the ladder, -1 for none (or a level no longer on it)."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        return -1

    def resolve(self, days_overdue: int) -> LevelSpec | None:
        """The highest level whose delay ``days_overdue`` has reached."""
        reached = [level for level in self.levels if level.delay_days <= days_overdue]
        return reached[-1] if reached else None

    def next_after(self, level_id: int | None) -> LevelSpec | None:
        """The rung above ``level_id`` (the first rung when ``level_id`` is none)."""
        rank = self.rank(level_id)
        return self.levels[rank + 1] if rank + 1 < len(self.levels) else None

    def higher(self, first: int | None, second: int | None) -> int | None:
        """Whichever of two level ids ranks higher (for stamping items after a send)."""
        return first if self.rank(first) >= self.rank(second) else second


@dataclass(frozen=True)
class LevelDecision:
    """What the partner is due today.

    ``level`` is the highest level any item qualifies for; ``needs_action``
    says whether some item reached a level it has not been sent yet, and
    ``due_line_ids`` lists those items.
    """

    level: LevelSpec | None
    needs_action: bool
    max_days_overdue: int
    due_line_ids: tuple[int, ...]


def decide_level(items: Sequence[OpenItem], ladder: Ladder, today: date) -> LevelDecision:
    """Resolve the partner's level from its open items (excluded and credit items ignored)."""
    eligible = [item for item in items if not item.excluded and item.amount_residual > 0]
    max_days = max((item.days_overdue(today) for item in eligible), default=0)
    due_ids = []
    due_rank = -1
    for item in eligible:
        reached = ladder.resolve(item.days_overdue(today))
        if reached is None:
            continue
        rank = ladder.rank(reached.id)
        if rank > ladder.rank(item.last_level_id):
            due_ids.append(item.line_id)
        due_rank = max(due_rank, rank)
    level = ladder.levels[due_rank] if due_rank >= 0 else None
    return LevelDecision(level, bool(due_ids), max(max_days, 0), tuple(due_ids))
