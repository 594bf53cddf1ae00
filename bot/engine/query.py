"""What a question asks: is it answerable, which sections does it cite. Pure functions.

The plain-language → statutory vocabulary lives in `bot.engine.thesaurus`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.jurisdictions import FEDERAL
from bot.errors import (
    NO_QUESTION_TYPED,
    NOT_ABOUT_LAW,
    ONLY_A_GREETING,
    QUESTION_TOO_LONG,
    BadQuestion,
)
from bot.index.corpus_format import section_key

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
    r"hospital|clinic|doctor|physician|medical|treatment|permission|"
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
        raise BadQuestion(NO_QUESTION_TYPED)
    if len(text) > max_chars:
        raise BadQuestion(QUESTION_TOO_LONG.format(length=len(text), limit=max_chars))
    if _GREETING.match(text):
        raise BadQuestion(ONLY_A_GREETING)
    return text


def is_about_law(question: str) -> bool:
    return bool(_LEGAL_VOCABULARY.search(question))


def not_about_law() -> BadQuestion:
    return BadQuestion(NOT_ABOUT_LAW)


@dataclass(frozen=True)
class SectionRef:
    """A section named in the question: "GDPR Art. 28(3)(a)" → ("EU", "28", "(3)(a)").
    `jurisdiction` is None when the citation alone does not say ("§ 500.17")."""

    jurisdiction: str | None
    section_key: str
    subdivision: str = ""
    text: str = ""  # as written in the question


_SUBS = r"(?P<subs>(?:\s?\([0-9A-Za-z]{1,5}\))*)"
# Most specific first; a later match inside an earlier one's span is dropped.
_REF_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    # GDPR Art. 33 / Article 33 GDPR / Art. 6(1)(f) / Articles 15
    (re.compile(rf"\bart(?:icle)?s?\.?\s*(?P<num>\d{{1,3}}){_SUBS}", re.I), "EU"),
    # 45 CFR 164.404 / 45 C.F.R. § 164.404(c) / 16 CFR Part 314 / 16 CFR 312.5
    (
        re.compile(
            rf"\b\d{{1,2}}\s*c\.?\s*f\.?\s*r\.?\s*(?:part\s*)?§*\s*"
            rf"(?P<num>\d{{1,3}}(?:\.\d{{1,4}})?){_SUBS}",
            re.I,
        ),
        FEDERAL,
    ),
    # 15 U.S.C. 7704(a)
    (
        re.compile(
            rf"\b\d{{1,2}}\s*u\.?\s*s\.?\s*c\.?\s*§*\s*(?P<num>\d{{3,5}}[a-z]?){_SUBS}", re.I
        ),
        FEDERAL,
    ),
    # 11 CCR 7012 / Cal. Code Regs. tit. 11, § 7012 / CCPA regulation § 7400
    (
        re.compile(
            rf"(?:\bccr|\bregs?\.|\btit\.\s*11,?|\bregulations?)\s*§*\s*(?P<num>7\d{{3}})\b{_SUBS}",
            re.I,
        ),
        "US-CA",
    ),
    # 23 NYCRR 500.12 / 23 NYCRR Part 500
    (
        re.compile(
            rf"\b\d{{1,3}}\s*nycrr\s*(?:part\s*)?§*\s*(?P<num>\d{{3}}(?:\.\d{{1,2}})?){_SUBS}", re.I
        ),
        "US-NY",
    ),
    # 201 CMR 17.03(2)(f)
    (re.compile(rf"\b\d{{3}}\s*cmr\s*(?P<num>\d{{1,2}}\.\d{{2}}){_SUBS}", re.I), "US-MA"),
    # Section 3A of chapter 93H / 93H § 3(a) / M.G.L. c. 93H, § 2
    (
        re.compile(
            rf"\bsection\s+(?P<num>\d{{1,2}}[A-Z]?){_SUBS}\s+of\s+(?:chapter|ch\.|c\.)\s*93H\b|"
            rf"\b93H,?\s*(?:§|s\.|sec(?:tion)?\.?)\s*(?P<num2>\d{{1,2}}[A-Z]?)(?P<subs2>(?:\([0-9A-Za-z]{{1,5}}\))*)",
            re.I,
        ),
        "US-MA",
    ),
    # GBL 899-aa(2) / § 899-bb
    (re.compile(rf"\b(?P<num>899-(?:aa|bb)){_SUBS}", re.I), "US-NY"),
    # Va. Code § 59.1-578
    (re.compile(rf"\b(?P<num>59\.1-\d{{3}}(?:\.\d)?){_SUBS}"), "US-VA"),
    # § 1798.100 / section 1798.82(a) / sec. 7012 / § 500.17 — any instrument
    (
        re.compile(
            rf"(?:§+|\bsections?\b|\bsec\.)\s*(?P<num>\d{{1,4}}(?:\.\d{{1,3}}){{0,2}}[A-Za-z]?)\b{_SUBS}",
            re.I,
        ),
        None,
    ),
    # a bare dotted number: "164.404(c)", "1798.150", "500.17" (not "$1.5", "12.5%", "v2.0")
    (
        re.compile(rf"(?<![\w.$/-])(?P<num>\d{{2,4}}\.\d{{1,3}}(?:\.\d{{1,3}})?)(?![\d%.]){_SUBS}"),
        None,
    ),
)


def section_refs(question: str) -> tuple[SectionRef, ...]:
    """Sections the question names explicitly, in order, with any subdivision."""
    found: list[tuple[int, int, SectionRef]] = []
    taken: list[tuple[int, int]] = []
    for pattern, code in _REF_PATTERNS:
        for m in pattern.finditer(question):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
                continue
            groups = m.groupdict()
            number = groups.get("num") or groups.get("num2") or ""
            subs = (groups.get("subs") or groups.get("subs2") or "").replace(" ", "")
            taken.append((m.start(), m.end()))
            ref = SectionRef(code, section_key(number), subs, m.group(0).strip())
            found.append((m.start(), m.end(), ref))
    ordered = [ref for _, _, ref in sorted(found, key=lambda x: x[0])]
    unique: dict[tuple[str | None, str, str], SectionRef] = {}
    for ref in ordered:
        unique.setdefault((ref.jurisdiction, ref.section_key, ref.subdivision), ref)
    return tuple(unique.values())


# Other fields of law: a question that turns on one of them is outside the index, whatever
# privacy words it also uses ("a material cybersecurity incident" in an 8-K question).
_OTHER_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "securities law",
        re.compile(
            r"\b(?:8-K|10-K|10-Q|Form\s+(?:8-K|10-K|20-F|6-K)|Item\s+1\.05|SEC\s+(?:filing|rule|disclosure)|"
            r"securities\s+(?:law|regulation|exchange)|insider\s+trading|Regulation\s+S-K)\b",
            re.I,
        ),
    ),
    (
        "contract law",
        re.compile(
            r"\bcontract\s+law\b|\blimitation[- ]of[- ]liability\b|\bliquidated\s+damages\b|"
            r"\bindemnif\w*\b|\bnon-?compete\b|\bUCC\b|\bUniform\s+Commercial\s+Code\b",
            re.I,
        ),
    ),
    (
        "employment and wage law",
        re.compile(
            r"\bovertime\b|\bminimum\s+wage\b|\bFLSA\b|\bpaid\s+(?:sick|family)\s+leave\b|"
            r"\bwrongful\s+(?:termination|dismissal)\b|\bworkers'?\s+comp(?:ensation)?\b|\bTitle\s+VII\b",
            re.I,
        ),
    ),
    (
        "tax law",
        re.compile(r"\b(?:sales|income|corporate|payroll)\s+tax(?:es)?\b|\bVAT\b|\bIRS\b", re.I),
    ),
    (
        "workplace safety law",
        re.compile(r"\bOSHA\b|\bworkplace\s+safety\b", re.I),
    ),
    (
        "intellectual property law",
        re.compile(r"\b(?:trademark|patent|copyright)\s+(?:law|infringement|registration)\b", re.I),
    ),
    (
        "immigration law",
        re.compile(r"\b(?:H-1B|work\s+visa|green\s+card|immigration\s+law)\b", re.I),
    ),
    (
        "antitrust law",
        re.compile(r"\bantitrust\b|\bcompetition\s+law\b|\bmerger\s+control\b", re.I),
    ),
)


def other_field(question: str) -> str | None:
    """The other field of law a question turns on ("securities law"), if any."""
    for name, pattern in _OTHER_FIELDS:
        if pattern.search(question):
            return name
    return None
