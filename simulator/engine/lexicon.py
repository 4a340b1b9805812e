"""Words of the contact centre that mean the same thing, for matching typed replies.

Each group maps phrasings a trainee might type to one canonical word, so "put you through to
my team leader" and "transfer you to a supervisor" share words. Phrases are matched before
single words; the groups are deliberately narrow (same intent, not merely related).
"""

from __future__ import annotations

import re

#: canonical word -> the phrasings that mean it (lower case; apostrophes already opened).
GROUPS: dict[str, tuple[str, ...]] = {
    "supervisor": ("supervisor", "manager", "team leader", "boss", "someone senior",
                   "senior colleague", "line manager", "team lead", "superior"),
    "transfer": ("transfer", "put you through", "pass you", "pass you over", "put you over",
                 "connect you", "hand you over", "escalate"),
    "refund": ("refund", "money back", "reimburse", "repay", "pay you back", "pay back",
               "give back the money"),
    "apologise": ("apologise", "apologize", "apology", "apologies", "sorry"),
    "hangup": ("hang up", "end the call", "end this call", "finish the call", "end our call",
               "terminate the call", "disconnect", "ending the call", "hanging up",
               "call is over", "ending this call", "finish this call"),
    "callback": ("call you back", "ring you back", "phone you back", "call back", "ring back",
                 "callback", "get back to you"),
    "swear": ("swear", "swearing", "language", "curse", "cursing", "abuse", "abusive",
              "sworn", "insult", "insults", "names"),
    "verify": ("verify", "verification", "security", "confirm it is you", "identity",
               "security questions", "security check", "checks", "id check"),
    "email": ("email", "e-mail", "mail"),
    "phone": ("phone", "ring", "call", "telephone"),
    "free": ("free", "free of charge", "no charge", "on the house", "for nothing",
             "at no cost"),
    "credit": ("credit", "discount", "money off", "off your bill", "knock off"),
    "understand": ("understand", "get it", "hear you", "can see why", "see why"),
    "guarantee": ("guarantee", "promise", "my word", "swear to you", "assure"),
    "lawyer": ("lawyer", "solicitor", "attorney", "legal action", "sue", "court", "legal team",
               "litigation"),
    "wait": ("wait", "hold", "on hold", "hang on"),
    "policy": ("policy", "terms", "rules", "terms and conditions", "small print"),
    "engineer": ("engineer", "technician", "installer"),
    "tomorrow": ("tomorrow", "first thing"),
    "angry": ("angry", "furious", "fuming", "upset", "frustrated", "annoyed", "livid", "cross"),
}

_PHRASES = sorted(((p, canon) for canon, ps in GROUPS.items() for p in ps if " " in p),
                  key=lambda pc: -len(pc[0]))
_PHRASE = re.compile(r"\b(" + "|".join(re.escape(p) for p, _ in _PHRASES) + r")\b")
_PHRASE_TO = dict(_PHRASES)
WORDS: dict[str, str] = {p: canon for canon, ps in GROUPS.items() for p in ps if " " not in p}


def join_phrases(text: str) -> str:
    """``text`` (lower case) with each known phrase replaced by its canonical word."""
    return _PHRASE.sub(lambda m: _PHRASE_TO[m.group(1)], text)
