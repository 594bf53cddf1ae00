"""Plain-language words → the statutory vocabulary the regulations use. Pure.

Query expansion for the sparse search: general legal synonyms, never keyed to one question.
"""

from __future__ import annotations

import re

# Plain-language words → the statutory vocabulary the regulations use (query expansion for
# the sparse search). General legal synonyms, not keyed to any question.
THESAURUS: dict[str, str] = {
    "unsubscribe": "opt-out request",
    "opt out": "opt-out",
    "email": "electronic mail message",
    "e-mail": "electronic mail message",
    "emails": "electronic mail messages",
    "spam": "commercial electronic mail message",
    "vendor": "service provider processor contractor",
    "vendors": "service providers processors contractors",
    "supplier": "service provider processor",
    "sue": "civil action damages",
    "lawsuit": "civil action",
    "fine": "penalty administrative fines",
    "fines": "penalties administrative fines",
    "penalty": "penalties civil penalty",
    "delete": "deletion",
    "erase": "erasure deletion",
    "hack": "breach of the security of the system unauthorized acquisition",
    "hacked": "breach of the security of the system unauthorized acquisition",
    "leak": "breach unauthorized disclosure",
    "kids": "children child",
    "kid": "child",
    "minors": "children",
    "apply to us": "applicability scope",
    "applies": "applicability scope",
    "does it apply": "applicability scope",
    "access request": "right to know access",
    "privacy policy": "privacy notice",
    "encrypt": "encryption encrypted",
    "tell": "notify notice inform",
    "inform": "notify notice",
    "deadline": "days time period",
    "how long": "days time period",
    "how quickly": "without undue delay hours days",
    "how soon": "without unreasonable delay days",
    "medical": "health protected health information",
    "texts": "messages",
    "sell": "sale sell",
    "selling": "sale",
    "profile": "profiling",
    "cookies": "tracking technologies",
    "customer": "consumer",
    "customers": "consumers",
    "users": "consumers individuals",
    "collect": "collection collects",
    "collecting": "collection collects",
    "enforce": "attorney general action enforcement",
    "enforces": "attorney general action enforcement",
    "enforced": "attorney general action enforcement",
    "regulator": "attorney general supervisory authority agency",
    "opt out of the sale": "right to opt-out of sale sharing",
}


def expand(question: str) -> str:
    """The question followed by the statutory terms for the plain words it uses."""
    lower = question.lower()
    extra = [
        terms
        for phrase, terms in THESAURUS.items()
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lower)
    ]
    return f"{question} {' '.join(extra)}" if extra else question
