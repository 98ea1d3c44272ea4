"""The offline provider's and the provider status's sentences in the user's language.

The pure modules say everything by key (``SENTENCES`` of ``services/providers/offline.py``
and ``status.py``) through a ``say(key, **params)`` callable; :func:`translator` is the
one that translates.  Each sentence is written here once more, inside ``_lt()``, so that
Odoo extracts it for translators; a pure test keeps both lists the same, key by key.
"""

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

SENTENCES = {
    # services/providers/offline.py
    "no_model": _lt("No AI model is in use, so I read your question for keywords only."),
    "running": _lt("Running %(tool)s: %(description)s"),
    "fitting": _lt("These tools fit your question; choose one and fill in what it needs:"),
    "needs": _lt("%(tool)s: %(description)s (needs %(arguments)s)"),
    "fits": _lt("%(tool)s: %(description)s"),
    "tie": _lt("Several fit equally well, so I ran none of them."),
    "usage": _lt("Usage: /tool <tool name> {JSON arguments}"),
    "several_match": _lt('Several tools match "%(name)s": %(tools)s. Send /tool with the full name.'),
    "no_such_tool": _lt('There is no tool called "%(name)s" that you may run.'),
    "not_finite": _lt("The arguments must hold finite numbers: %(value)s is not one. Nothing was run."),
    "not_object": _lt('The arguments must be a JSON object, e.g. {"as_of": "2026-10-31"}.'),
    "failed": _lt("%(tool)s failed: %(error)s"),
    "answered": _lt("%(tool)s answered: its result is shown above."),
    "how_to_ask": _lt(
        "Ask with accounting words (AR aging, unreconciled bank lines, HST last quarter, month-end close), "
        "pick a tool from the tool list, or run one by name: /tool <name> {JSON arguments} "
        '(e.g. /tool ar_aging {"as_of": "2026-10-31"}).'
    ),
    "no_fit": _lt("No tool I know fits these words."),
    "no_tools": _lt("You may not run any tool."),
    # services/providers/status.py
    "openai_compatible_name": _lt("OpenAI-compatible server"),
    "offline_mode": _lt("Offline mode, no AI model: I pick the tools that fit the words of your question."),
    "unknown": _lt('Unknown AI provider "%(provider)s": choose one in Settings.'),
    "no_api_key": _lt("%(provider)s selected, no API key: set it in Settings."),
    "no_base_url": _lt("%(provider)s selected, no server address: set it in Settings."),
}


def translator(env):
    """``say(key, **params)`` in the language of ``env``'s user, the person spoken to.

    Not the context's: a queued turn runs in the cron job's context, as the session's user.
    """
    lang_env = env(context=dict(env.context, lang=env.user.lang or env.lang))

    def say(key, **params):
        sentence = lang_env._(SENTENCES[key])
        return sentence % params if params else sentence

    return say
