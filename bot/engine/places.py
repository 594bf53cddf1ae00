"""Places a question may name other than by a jurisdiction's own name: cities, member states,
demonyms, and misspellings. Data and pure functions, general geography only.

A city or demonym maps to the jurisdiction whose law applies there: "Dublin", "German
employees" → EU (the GDPR applies in every member state and the EEA); "Worcester" →
Massachusetts; "Shanghai" → China (not indexed, so the answer says so).
"""

from __future__ import annotations

import re

# EU member states and EEA countries, their demonyms and main cities (case-sensitive:
# "Polish" the adjective, not "polish" the verb).
EU_PLACES = (
    "Austria", "Austrian", "Vienna", "Belgium", "Belgian", "Brussels", "Bulgaria", "Bulgarian",
    "Sofia", "Croatia", "Croatian", "Zagreb", "Cyprus", "Cypriot", "Czechia", "Czech Republic",
    "Czech", "Prague", "Denmark", "Danish", "Copenhagen", "Estonia", "Estonian", "Tallinn",
    "Finland", "Finnish", "Helsinki", "France", "French", "Paris", "Lyon", "Marseille",
    "Germany", "German", "Germans", "Berlin", "Munich", "Frankfurt", "Hamburg", "Cologne",
    "Greece", "Greek", "Athens", "Hungary", "Hungarian", "Budapest", "Ireland", "Irish",
    "Dublin", "Cork", "Italy", "Italian", "Italians", "Rome", "Milan", "Latvia", "Latvian",
    "Riga", "Lithuania", "Lithuanian", "Vilnius", "Luxembourg", "Malta", "Maltese",
    "Netherlands", "Dutch", "Amsterdam", "Rotterdam", "The Hague", "Poland", "Polish",
    "Warsaw", "Krakow", "Portugal", "Portuguese", "Lisbon", "Romania", "Romanian",
    "Bucharest", "Slovakia", "Slovak", "Bratislava", "Slovenia", "Slovenian", "Ljubljana",
    "Spain", "Spanish", "Madrid", "Barcelona", "Sweden", "Swedish", "Stockholm", "Norway",
    "Norwegian", "Oslo", "Iceland", "Icelandic", "Liechtenstein", "EU-based", "EEA-based",
)  # fmt: skip

# Cities → jurisdiction code (US states as "US-XX"; countries as in the gazetteer).
CITIES = {
    "US-CA": ("Los Angeles", "San Francisco", "San Diego", "San Jose", "Sacramento", "Oakland",
              "Silicon Valley", "Bay Area", "Palo Alto", "Fresno", "Irvine"),
    "US-MA": ("Boston", "Worcester", "Cambridge, MA", "Lowell", "Somerville", "Framingham"),
    "US-NY": ("New York City", "NYC", "Manhattan", "Brooklyn", "Queens", "Buffalo", "Albany",
              "Rochester, NY"),
    "US-VA": ("Richmond", "Arlington", "Norfolk", "Virginia Beach", "Alexandria, VA",
              "Charlottesville"),
    "US-TX": ("Houston", "Dallas", "Austin, TX", "San Antonio"),
    "US-IL": ("Chicago",),
    "US-WA": ("Seattle",),
    "US-CO": ("Denver", "Boulder"),
    "US-FL": ("Miami", "Orlando", "Tampa"),
    "US-GA": ("Atlanta",),
    "US-PA": ("Philadelphia", "Pittsburgh"),
    "US-AZ": ("Phoenix",),
    "US-NV": ("Las Vegas",),
    "GB": ("London", "Manchester", "Edinburgh", "Glasgow", "Birmingham, UK"),
    "CA-CANADA": ("Toronto", "Vancouver", "Montreal", "Ottawa", "Calgary"),
    "CN": ("Shanghai", "Beijing", "Shenzhen", "Guangzhou"),
    "IN": ("Mumbai", "Bangalore", "Bengaluru", "New Delhi", "Delhi", "Hyderabad"),
    "JP": ("Tokyo", "Osaka"),
    "AU": ("Sydney", "Melbourne"),
    "BR": ("São Paulo", "Sao Paulo", "Rio de Janeiro"),
    "KR": ("Seoul",),
    "MX": ("Mexico City",),
    "CH": ("Zurich", "Geneva"),
    "IL": ("Tel Aviv",),
}  # fmt: skip

# Abbreviations and demonyms of the indexed US states not covered by their names.
STATE_ALIASES = {
    "US-MA": ("Bay State",),
    "US-NY": ("N.Y.",),
    "US-CA": ("Cal.", "Calif"),
}


def place_patterns() -> dict[str, tuple[str, ...]]:
    """Case-sensitive regex alternatives per jurisdiction code."""
    out: dict[str, list[str]] = {"EU": [re.escape(p).replace(r"\ ", r"\s+") for p in EU_PLACES]}
    for code, names in CITIES.items():
        out.setdefault(code, []).extend(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    for code, names in STATE_ALIASES.items():
        out.setdefault(code, []).extend(re.escape(n) for n in names)
    return {code: tuple(p) for code, p in out.items()}


def _distance(a: str, b: str, cap: int) -> int:
    """Damerau-Levenshtein distance, stopping early above `cap`."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > cap:
            return cap + 1
        prev2, prev = prev, cur
    return prev[-1]


_WORD = re.compile(r"\b[A-Z][a-z]{5,}\b")


def misspelt(text: str, names: dict[str, str]) -> list[tuple[int, str]]:
    """(position, code) for capitalised words one typo away from a place name of 7+ letters
    ("Virgina", "Massachusets"); `names` maps names to codes."""
    found: list[tuple[int, str]] = []
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        for name, code in names.items():
            if len(name) < 7 or " " in name or name == word:
                continue
            cap = 2 if len(name) >= 10 else 1
            if _distance(word, name, cap) <= cap:
                found.append((m.start(), code))
                break
    return found
