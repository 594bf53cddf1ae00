"""The corpus markdown grammar, as ingestion uses it.

The grammar itself is defined once in `bot.index.corpus_format` (ingestion may import
`bot.index`, and the engine needs the same section numbers), and re-exported here.
"""

from bot.index.corpus_format import (
    DOT_MARKER,
    GROUP_HEADING,
    NUMBER,
    PAREN_MARKER,
    ROMAN,
    SUBDIVISION_MARKER,
    UNIT_HEADING,
    jurisdiction_code,
    leading_markers,
    parse_unit_heading,
    section_key,
)

__all__ = [
    "DOT_MARKER",
    "GROUP_HEADING",
    "NUMBER",
    "PAREN_MARKER",
    "ROMAN",
    "SUBDIVISION_MARKER",
    "UNIT_HEADING",
    "jurisdiction_code",
    "leading_markers",
    "parse_unit_heading",
    "section_key",
]
