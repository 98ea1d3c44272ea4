"""What a person's follow-up button must confirm before it sends (pure).

A send outside the schedule (``force``) and an escalation are two-step: the
first call sends nothing and answers what would be sent with a confirmation
token; only a second call carrying that token sends.  The token is an HMAC of
*what* is confirmed: the action, company, partner, level, the day and a
``state`` marker (how many times the level was already sent today for a
resend, the last level sent for an escalation).  Once the send happened the
marker moves, so replaying the token is refused instead of e-mailing again,
and one escalation token moves exactly one level.

>>> from datetime import date
>>> token = confirmation_token("s3cret", ConfirmedSend("resend", 1, 7, 3, 1, date(2025, 6, 30)))
>>> len(token), token == confirmation_token("s3cret", ConfirmedSend("resend", 1, 7, 3, 1, date(2025, 6, 30)))
(32, True)
>>> token == confirmation_token("s3cret", ConfirmedSend("resend", 1, 7, 3, 2, date(2025, 6, 30)))
False
>>> token_matches(token, token), token_matches(token, None), token_matches(token, 42)
(True, False, False)
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

TOKEN_LENGTH = 32  # hex characters kept of the HMAC-SHA256


@dataclass(frozen=True)
class ConfirmedSend:
    """What a confirmation covers; ``state`` changes once the send it confirms happened."""

    action: str  # "resend" or "escalate"
    company_id: int
    partner_id: int
    level_id: int
    state: int
    day: date

    def message(self):
        return f"{self.action}:{self.company_id}:{self.partner_id}:{self.level_id}:{self.state}:{self.day.isoformat()}"


def confirmation_token(secret, send):
    """The token a caller must send back to confirm ``send`` (a :class:`ConfirmedSend`)."""
    digest = hmac.new(secret.encode(), send.message().encode(), hashlib.sha256).hexdigest()
    return digest[:TOKEN_LENGTH]


def token_matches(expected, given):
    """Whether ``given`` is the token ``expected`` (constant time; anything not a string is no)."""
    return isinstance(given, str) and hmac.compare_digest(expected, given)
