"""Pure question normalisation and cache-key building.

Two questions share an exact cache entry when their normalised text, resolved jurisdictions,
index version and writer are the same. A paraphrase may share an entry only when its
*content signature* (the ordered stems of its meaning-carrying words) is identical too: the
embedding model alone cannot tell "deadline to delete" from "deadline to correct" (see
benchmarks/paraphrase_threshold.py).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import Stemmer

KEY_PREFIX = "reggi:cache:"
ENTRY_SCHEMA_VERSION = 2  # 2: Answer schema 2 (short answer, table, currency)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]*</at>|@reggi\b", re.IGNORECASE)
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a7": " section "}
)
# Greetings and addresses at the start, politeness anywhere: they never change the question.
_LEADING = re.compile(
    r"^(?:(?:hey|hi|hello|dear|ok|okay|so)\b[\s,]*)?(?:reggi\b[\s,:]*)?"
    r"(?:(?:quick question|question)\b[\s,:]*)?"
    r"(?:(?:can|could|would) you (?:please )?(?:tell me|explain|let me know)\b\s*)?"
    r"(?:(?:i(?:'d| would) like to know|i want to know|i wonder|tell me|explain)\b\s*)?",
    re.IGNORECASE,
)
_FILLER = re.compile(r"\b(?:please|pls|plz|kindly|thanks|thank you|thx|cheers)\b", re.IGNORECASE)
_CONTRACTIONS = {
    "what's": "what is",
    "whats": "what is",
    "who's": "who is",
    "where's": "where is",
    "when's": "when is",
    "how's": "how is",
    "it's": "it is",
    "that's": "that is",
    "there's": "there is",
    "don't": "do not",
    "doesn't": "does not",
    "didn't": "did not",
    "isn't": "is not",
    "aren't": "are not",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shouldn't": "should not",
    "mustn't": "must not",
    "needn't": "need not",
    "we're": "we are",
    "we've": "we have",
    "i'm": "i am",
}
_WORD = re.compile(r"\d+(?:\.\d+)*[a-z]?|[a-z]+(?:'[a-z]+)?")

# Words dropped from the content signature: articles, pronouns, auxiliaries and question
# scaffolding. Negations, modals (can/must/may), wh-words, prepositions that carry direction
# (to/from/into) and every noun or verb are KEPT, so they must match exactly.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "i",
        "we",
        "our",
        "ours",
        "my",
        "me",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "of",
        "under",
        "in",
        "on",
        "about",
        "regarding",
        "re",
        "with",
        "by",
        "per",
        "according",
        "as",
        "at",
        "what",
        "which",
        "any",
        "some",
        "also",
        "just",
        "really",
        "actually",
        "exactly",
        "currently",
        "generally",
        "have",
        "has",
        "had",
        "get",
        "got",
    ]
)

_stemmer = Stemmer.Stemmer("english")

# Words whose position carries meaning ("not", "only", "from ... to ..."): a paraphrase may
# move one other word (usually the law's name: "CCPA deadline" / "deadline under CCPA").
_POSITIONAL = frozenset(
    [
        "not",
        "no",
        "nor",
        "only",
        "never",
        "without",
        "except",
        "unless",
        "before",
        "after",
        "to",
        "from",
        "into",
        "onto",
        "than",
        "if",
        "or",
        "and",
        "but",
        "all",
        "each",
        "every",
        "both",
        "either",
        "neither",
    ]
)


@lru_cache(maxsize=4096)
def normalise_question(question: str) -> str:
    """Lower-cased question without mentions, greetings, politeness or punctuation."""
    text = unicodedata.normalize("NFKC", question).translate(_QUOTES)
    text = _MENTION.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    previous = None
    while previous != text:  # "hey Reggi, please tell me ..." has several layers
        previous = text
        text = _FILLER.sub(" ", text)
        text = re.sub(r"^[\s,.:;!?\-]+", "", text)
        leading = _LEADING.match(text)
        text = _LEADING.sub("", text, count=1) if leading and leading.end() else text
    words = []
    for token in _WORD.findall(text):
        words.extend(_CONTRACTIONS.get(token, token.replace("'", "")).split())
    return " ".join(words)


def content_signature(normalised: str) -> tuple[str, ...]:
    """Ordered stems of the meaning-carrying words of a normalised question."""
    words = [w for w in normalised.split() if w not in STOP_WORDS]
    return tuple(w if w in _POSITIONAL else _stemmer.stemWord(w) for w in words)


def _positional_context(words: Sequence[str]) -> list[tuple[str, str, str]]:
    padded = ["^", *words, "$"]
    return sorted(
        (padded[i - 1], w, padded[i + 1]) for i, w in enumerate(padded) if w in _POSITIONAL
    )


def signatures_match(a: Sequence[str], b: Sequence[str]) -> bool:
    """True when b is a, or a with exactly one word moved that leaves every positional word
    ("not", "only", "to", ...) between the same neighbours."""
    if tuple(a) == tuple(b):
        return True
    if len(a) != len(b) or sorted(a) != sorted(b):
        return False
    if _positional_context(a) != _positional_context(b):
        return False
    for i, word in enumerate(a):
        if word in _POSITIONAL or not word.isalpha():
            continue
        rest = tuple(a[:i]) + tuple(a[i + 1 :])
        for j in range(len(b)):
            if b[j] == word and tuple(b[:j]) + tuple(b[j + 1 :]) == rest:
                return True
    return False


def scope_id(jurisdictions: Sequence[str], index_version: str, writer_id: str) -> str:
    """Identifies everything besides the words that decides an answer."""
    canonical = ",".join(sorted({j.strip().upper() for j in jurisdictions if j.strip()}))
    raw = f"{canonical}\x1f{index_version}\x1f{writer_id}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def entry_id(scope: str, normalised: str) -> str:
    return hashlib.sha256(f"{scope}\x1f{normalised}".encode()).hexdigest()[:40]


def entry_key(entry: str) -> str:
    return f"{KEY_PREFIX}a:{entry}"


def vectors_key(scope: str) -> str:
    return f"{KEY_PREFIX}v:{scope}"


STATS_KEY = f"{KEY_PREFIX}stats"
#: The cache's own counters (`cache stats`).
COUNTERS = ("hits", "paraphrase_hits", "misses", "errors")
#: Keys of the shared store (dedupe, rate limit), apart from the cache's.
STORE_PREFIX = "reggi:store:"
