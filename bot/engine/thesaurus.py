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
    "suing": "sue civil action damages",
    "sued": "sue civil action damages",
    "lawsuit": "civil action",
    "fine": "penalty administrative fines",
    "fines": "penalties administrative fines",
    "penalty": "penalties civil penalty",
    "delete": "deletion erasure",
    "deleted": "deletion erasure",
    "deleting": "deletion erasure",
    "erase": "erasure deletion",
    "right to be forgotten": "erasure deletion",
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


# Acronyms and nicknames of the field → the words the instruments use. Matched as written
# (case-sensitive, an optional plural "s"), so "BA" is a business associate and "ba" nothing.
ACRONYMS: dict[str, str] = {
    "DPIA": "data protection impact assessment",
    "PIA": "privacy impact assessment data protection assessment risk assessment",
    "DSAR": "right of access request to know",
    "DSR": "data subject request rights of the data subject",
    "DPO": "data protection officer",
    "DPA": "data processing agreement processor contract",
    "BAA": "business associate agreement contract",
    "BA": "business associate",
    "PHI": "protected health information",
    "ePHI": "electronic protected health information",
    "PII": "personal information personally identifiable",
    "PI": "personal information",
    "SPI": "sensitive personal information",
    "WISP": "written comprehensive information security program",
    "GPC": "global privacy control opt-out preference signal",
    "SCC": "standard contractual clauses standard data protection clauses appropriate safeguards",
    "BCR": "binding corporate rules",
    "ROPA": "records of processing activities",
    "RoPA": "records of processing activities",
    "LIA": "legitimate interests assessment",
    "ADMT": "automated decisionmaking technology",
    "CISO": "chief information security officer",
    "MFA": "multi-factor authentication",
    "DNSS": "do not sell or share",
}


def expand(question: str) -> str:
    """The question followed by the statutory terms for the plain words and the acronyms of
    the field it uses."""
    lower = question.lower()
    extra = [
        terms
        for phrase, terms in THESAURUS.items()
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lower)
    ]
    extra += [
        terms
        for acronym, terms in ACRONYMS.items()
        if re.search(rf"(?<![\w-]){re.escape(acronym)}s?(?![\w-])", question)
    ]
    return f"{question} {' '.join(dict.fromkeys(extra))}" if extra else question
