"""What a question asks: is it answerable, which sections does it cite. Pure functions.

The plain-language → statutory vocabulary lives in `bot.engine.thesaurus`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.jurisdictions import FEDERAL
from bot.errors import BadQuestion
from bot.index.corpus_format import section_key

EXAMPLE = "for example: “What must a business tell consumers when it collects personal information in California?”"

_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|hiya|howdy|yo|hallo|greetings|good\s+(?:morning|afternoon|evening)|"
    r"thanks|thank\s+you|thx|ok|okay|cool|bye|goodbye)"
    r"(?:\s+(?:there|reggi|all|everyone|so\s+much|a\s+lot))*\s*[!.?,:)\s]*$",
    re.IGNORECASE,
)

# Stems of words that show a question is about rules, obligations or rights. A question
# with none of them, naming no jurisdiction or citation, is not about law.
_LEGAL_VOCABULARY = re.compile(
    r"\b(?:law|legal|regulat|rule|require|must|shall|oblig|right|duty|duties|compl|liab|penalt|"
    r"fine|sue|court|statut|act\b|code|section|article|art\.|contract|consent|data|privacy|"
    r"personal|information|breach|notic|notif|disclos|secur|record|consumer|employ|customer|"
    r"business|compan|controller|processor|provider|vendor|patient|health|child|minor|email|"
    r"e-mail|market|collect|shar|sell|sale|transfer|delet|eras|access|retain|retention|protect|"
    r"permit|allow|lawful|legitimate|allowed|need\s+to|have\s+to|can\s+we|can\s+i|may\s+we|"
    r"may\s+i|do\s+we|should\s+we|opt|cookie|track|audit|assess|officer|report|penal|enforc|"
    r"policy|polic|agreement|licen|tax|wage|employee|landlord|tenant|trademark|patent|copyright|"
    r"liabil|damages|claim|exempt|appl)",
    re.IGNORECASE,
)


def check_question(question: str, *, max_chars: int) -> str:
    """Return the question tidied, or raise BadQuestion with a polite explanation."""
    text = " ".join(question.split())
    if not text:
        raise BadQuestion(f"Please type a question about a regulation — {EXAMPLE}")
    if len(text) > max_chars:
        raise BadQuestion(
            f"That question is {len(text):,} characters long; please keep it under "
            f"{max_chars:,} characters and ask about one topic at a time."
        )
    if _GREETING.match(text):
        raise BadQuestion(f"Hello! Ask me about a regulation — {EXAMPLE}")
    return text


def is_about_law(question: str) -> bool:
    return bool(_LEGAL_VOCABULARY.search(question))


def not_about_law() -> BadQuestion:
    return BadQuestion(
        "I can only answer questions about the regulations in my index (privacy, data "
        f"security, breach notification, health information, marketing e-mail) — {EXAMPLE}"
    )


@dataclass(frozen=True)
class SectionRef:
    """A section named in the question: "GDPR Art. 33" → ("EU", "33")."""

    jurisdiction: str | None
    section_key: str


_REF_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    # GDPR Art. 33 / Article 33 GDPR / Art. 6(1)(f)
    (re.compile(r"\b(?:art(?:icle)?\.?)\s*(\d{1,3})(?:\(\d+\))*", re.IGNORECASE), "EU"),
    # 45 CFR 164.404 / 45 C.F.R. § 164.404 / 16 CFR 312.5
    (
        re.compile(r"\b\d{1,2}\s*c\.?\s*f\.?\s*r\.?\s*(?:part\s*)?§*\s*(\d{3}\.\d{1,4})", re.I),
        FEDERAL,
    ),
    # 15 U.S.C. 7704
    (re.compile(r"\b\d{1,2}\s*u\.?\s*s\.?\s*c\.?\s*§*\s*(\d{3,5}[a-z]?)", re.IGNORECASE), FEDERAL),
    # Cal. Civ. Code § 1798.100 / section 1798.82 / § 1798.81.5
    (
        re.compile(r"(?:§+|\bsection|\bsec\.)?\s*\b(1798\.\d{2,3}(?:\.\d{1,3})?)\b", re.IGNORECASE),
        "US-CA",
    ),
    # 11 CCR 7012 / Cal. Code Regs. tit. 11, § 7012 / § 7012
    (re.compile(r"(?:ccr|regs?\.|tit\.\s*11,?|§)\s*§?\s*\b(7\d{3})\b", re.IGNORECASE), "US-CA"),
    # Section 3A of chapter 93H / 93H § 3 / M.G.L. c. 93H, § 2
    (
        re.compile(
            r"\bsection\s+(\d{1,2}[A-Z]?)\s+of\s+(?:chapter|ch\.|c\.)\s*93H\b|"
            r"\b93H,?\s*(?:§|s\.|sec(?:tion)?\.?)\s*(\d{1,2}[A-Z]?)\b",
            re.IGNORECASE,
        ),
        "US-MA",
    ),
    # GBL 899-aa / § 899-bb
    (re.compile(r"\b(899-(?:aa|bb))\b", re.IGNORECASE), "US-NY"),
    # Va. Code § 59.1-578
    (re.compile(r"\b(59\.1-\d{3}(?:\.\d)?)\b"), "US-VA"),
)


def section_refs(question: str) -> tuple[SectionRef, ...]:
    """Sections the question names explicitly, in order."""
    found: list[tuple[int, SectionRef]] = []
    for pattern, code in _REF_PATTERNS:
        for m in pattern.finditer(question):
            number = next(g for g in m.groups() if g)
            found.append((m.start(), SectionRef(code, section_key(number))))
    ordered = [ref for _, ref in sorted(found, key=lambda x: x[0])]
    return tuple(dict.fromkeys(ordered))
