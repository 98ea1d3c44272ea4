"""Names people read on the dashboard instead of the registry's identifiers.

>>> tool_label("reconcile_payment_to_invoice")
'Reconcile payment to invoice'
>>> tool_label("get_ar_aging")
'Get AR aging'
>>> tool_label("")
''
"""

# Accounting abbreviations a sentence keeps in capitals.
_ACRONYMS = {"ar", "ap", "hst", "gst", "itc", "adp", "cra", "po", "pdf", "t4", "roe", "cpp", "ei"}


def tool_label(name):
    """A tool's name as a short sentence: words split on ``_``, first one capitalised, acronyms in capitals."""
    words = [word.upper() if word in _ACRONYMS else word for word in (name or "").split("_") if word]
    if not words:
        return ""
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])
