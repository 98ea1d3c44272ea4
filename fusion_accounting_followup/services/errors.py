"""Typed errors of the follow-up services; the Odoo adapter translates them."""


class FollowupError(Exception):
    """Base class of every error raised by the follow-up services."""


class InvalidLevelsError(FollowupError):
    """The level ladder cannot be ordered (two levels share a delay)."""


class TextGenerationError(FollowupError):
    """A model answered, but not with a usable follow-up text."""
