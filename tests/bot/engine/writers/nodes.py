"""Small retrieved-section values for writer tests."""

from llama_index.core.schema import NodeWithScore, TextNode

from bot.engine.writers import SourceGroup


def node(
    citation: str, jurisdiction: str, text: str, labels: list[str] | None = None
) -> NodeWithScore:
    paragraphs = text.split("\n\n")
    return NodeWithScore(
        node=TextNode(
            id_=citation,
            text=text,
            metadata={
                "citation": citation,
                "section": citation.split()[-1],
                "heading": f"Heading of {citation}",
                "title": "An Act",
                "jurisdiction": jurisdiction,
                "url": f"https://example.gov/{citation.split()[-1]}",
                "source": f"{jurisdiction.lower()}/act.md",
                "paragraph_labels": labels or [""] * len(paragraphs),
            },
        ),
        score=1.0,
    )


CA = node(
    "Cal. Civ. Code § 1798.100",
    "US-CA",
    "(a) A business that collects personal information shall inform consumers at or before the point of collection.\n\n"
    "(b) A business shall not collect additional categories of personal information without notice.",
    ["(a)", "(b)"],
)
MA = node(
    "Mass. Gen. Laws ch. 93H, § 2",
    "US-MA",
    "(a) The department shall adopt regulations relative to any person that owns or licenses personal information about a resident of the commonwealth.",
    ["(a)"],
)
GROUPS = [
    SourceGroup("US-CA", "California", (CA,)),
    SourceGroup("US-MA", "Massachusetts", (MA,)),
]

NY = node(
    "N.Y. Gen. Bus. Law § 899-aa",
    "US-NY",
    "2. Any person or business which owns computerized data shall notify the affected "
    "residents within thirty days after the breach has been discovered.",
    ["2."],
)
EU = node(
    "GDPR Art. 33",
    "EU",
    "1. In the case of a personal data breach, the controller shall without undue delay and, "
    "where feasible, not later than 72 hours after having become aware of it, notify the "
    "personal data breach to the supervisory authority.",
    ["1."],
)
HIPAA = node(
    "45 C.F.R. § 164.404",
    "US",
    "(b) A covered entity shall provide the notification without unreasonable delay and in no "
    "case later than 60 calendar days after discovery of a breach. A civil money penalty of "
    "$1,500 may apply.",
    ["(b)"],
)
BREACH_GROUPS = [
    SourceGroup("US-NY", "New York", (NY,)),
    SourceGroup("EU", "European Union", (EU,)),
    SourceGroup("US", "United States (federal)", (HIPAA,)),
]
