"""Plain-language words → the statutory vocabulary the regulations use. Pure.

Query expansion for the sparse search: general legal synonyms, never keyed to one question.
Entries come from the corpus's own terms of art (its defined terms and headings: "individual",
"health care provider", "consumer reporting agency", "terminated employees", "maintains",
"retain") and the everyday words people use for them ("patient", "clinic", "credit bureau",
"fired", "hosts", "how long can we keep"). The expanded text is what `select()` reads too, so
an entry also feeds the federal-scope signal (`bot.index.vocabulary`): words that mark an
instrument's scope ("covered entity", "workforce", "online") are added only for words that
mean them, never for words any state question uses ("staff", "app").
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
    # Health care in HIPAA's words: the patient is the "individual" whose protected health
    # information it is; clinics, hospitals, doctors are health care providers; medical
    # records are protected health information in a designated record set.
    "patient": "individual",
    "patients": "individuals",
    "clinic": "health care provider covered entity",
    "clinics": "health care providers covered entities",
    "hospital": "health care provider covered entity",
    "hospitals": "health care providers covered entities",
    "doctor": "health care provider covered entity",
    "doctors": "health care providers covered entities",
    "physician": "health care provider covered entity",
    "physicians": "health care providers covered entities",
    "dentist": "health care provider covered entity",
    "pharmacy": "health care provider covered entity",
    "medical practice": "health care provider covered entity",
    "medical records": "protected health information designated record set",
    "medical record": "protected health information designated record set",
    "health records": "protected health information designated record set",
    "health insurer": "health plan",
    "health insurance": "health plan",
    # Keeping records: retention.
    "hang on to": "retain retention",
    "hold on to": "retain retention",
    "hold onto": "retain retention",
    # Getting rid of records: disposal.
    "shred": "dispose destroy destruction",
    "shredding": "dispose destroy destruction",
    "throw out": "dispose destroy",
    "throw away": "dispose destroy",
    "get rid of": "dispose destroy deletion",
    "purge": "deletion erasure",
    # Credit bureaus are consumer reporting agencies.
    "credit bureau": "consumer reporting agency",
    "credit bureaus": "consumer reporting agencies",
    "credit reporting agency": "consumer reporting agency",
    "credit reporting agencies": "consumer reporting agencies",
    "credit agencies": "consumer reporting agencies",
    "equifax": "consumer reporting agency",
    "experian": "consumer reporting agency",
    "transunion": "consumer reporting agency",
    # Ending someone's employment.
    "fired": "terminated employees termination dismissed",
    "firing": "terminated employees termination dismissed",
    "let go": "terminated employees termination dismissed",
    "laid off": "terminated employees termination",
    "layoffs": "terminated employees termination",
    # Someone else keeping data for its owner: the statutes' "maintains".
    "host": "maintains stores",
    "hosts": "maintains stores",
    "hosted": "maintains stores",
    "hosting": "maintains stores",
    # Incidents.
    "stolen": "unauthorized acquisition breach",
    "theft": "unauthorized acquisition breach",
    "phishing": "cybersecurity event unauthorized access breach",
    "phished": "cybersecurity event unauthorized access breach",
    "ransomware": "cybersecurity event unauthorized access breach",
    "cyberattack": "cybersecurity event unauthorized access breach",
    "cyber attack": "cybersecurity event unauthorized access breach",
    "malware": "cybersecurity event unauthorized access",
    "warn": "notify notice",
    # Other everyday words for defined terms.
    "teens": "minors",
    "teenagers": "minors",
    "anonymized": "deidentified de-identified anonymous",
    "anonymised": "deidentified de-identified anonymous",
    "anonymize": "deidentify de-identified anonymous",
    "location data": "precise geolocation",
    "targeted ads": "targeted advertising cross-context behavioral advertising",
    "ads": "advertising targeted advertising",
    "retargeting": "targeted advertising cross-context behavioral advertising",
    "two-factor": "multi-factor authentication",
}

# Constructions that say the same as a term of art without its words: "how long can we keep /
# store / hold … ?" and "keep … for how long" ask for the retention period.
_KEEP = r"(?:keep|kept|keeping|store|stored|storing|hold|save|saved|hang\s+on\s+to|hold\s+on\s+to)"
CONSTRUCTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\bhow\s+long\b[^.?!;]{{0,60}}\b{_KEEP}\b|\b{_KEEP}\b[^.?!;]{{0,60}}\bhow\s+long\b",
            re.I,
        ),
        "retain retention period",
    ),
)


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
    "2FA": "multi-factor authentication",
    "GPS": "precise geolocation",
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
    extra += [terms for pattern, terms in CONSTRUCTIONS if pattern.search(question)]
    return f"{question} {' '.join(dict.fromkeys(extra))}" if extra else question
