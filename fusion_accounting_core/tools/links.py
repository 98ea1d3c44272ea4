"""How a tool's arguments point at records, for the match history's link fields (design 5.1).

A tool module registers ``@links_for("tool_name")`` on a function
``(env, arguments) -> dict of match.history values`` (partner_id, amount,
move_line_ids, bank_statement_line_id).  ``env`` is the user's, never sudo: a
function reads only records the user may read, of the user's companies
(``env.companies``), and leaves out the others as if they did not exist.
"""

_LINKS = {}


def links_for(tool_name):
    def register(func):
        _LINKS[tool_name] = func
        return func

    return register


def history_links(env, tool_name, arguments):
    """Values linking a history record to the records ``arguments`` name ({} when unknown or unreadable)."""
    func = _LINKS.get(tool_name)
    return func(env, arguments) if func else {}
