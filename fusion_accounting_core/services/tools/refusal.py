"""The one way a tool says it cannot do what was asked: raise :class:`ToolRefusal`.

A tool returns its value or raises.  A refusal (an unknown id, nothing to do, a
setting missing) is not a result: whoever runs the tool (the agent loop, a
direct run, an approval) records it as a failed execution, never as done, and
shows its sentence to the model and the user.  A database that lacks a feature
is a result instead (``not_available`` of the catalog), not a refusal.

>>> refusal = ToolRefusal("no partner 7")
>>> str(refusal), refusal.result()
('no partner 7', {'ok': False, 'error': 'no partner 7'})
"""


class ToolRefusal(Exception):
    """A tool could not do what was asked; ``reason`` is one sentence for the model and the user."""

    def __init__(self, reason):
        self.reason = str(reason)
        super().__init__(self.reason)

    def result(self):
        """The refusal as the JSON the model and the user read: ``{"ok": false, "error": reason}``."""
        return {"ok": False, "error": self.reason}
