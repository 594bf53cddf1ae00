"""Crafted `Answer` values for the renderer and export tests: 0, 1 and several parts."""

from bot.answer import Answer, Citation, Part, Row, Table

HIPAA = Citation(
    n=2,
    citation="45 C.F.R. § 164.404",
    section="164.404",
    heading="Notification to individuals",
    title="HIPAA Part 164",
    jurisdiction="US",
    url="https://www.ecfr.gov/current/title-45/section-164.404",
    source="us-federal/45-cfr-164.md",
    quote="(b) A covered entity shall provide the notification without unreasonable delay and "
    "in no case later than 60 calendar days after discovery of a breach.",
    subsection="(b)",
    version="as amended through March 26, 2013",
    as_of="2013-03-26",
    ingested="2026-12-01",
    complete=False,
)
CA = Citation(
    n=1,
    citation="Cal. Civ. Code § 1798.82",
    section="1798.82",
    heading="Breach notice",
    title="Customer Records",
    jurisdiction="US-CA",
    url="https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?sectionNum=1798.82",
    source="us-ca/civ.md",
    quote="(a) A person shall disclose a breach in the most expedient time possible and without "
    "unreasonable delay.",
    subsection="(a)",
    version="effective 2026-01-01",
    as_of="2026-01-01",
    ingested="2026-12-01",
)
SHORT = (
    Part("US-CA", "California", f"Under {CA.pinpoint}: “{CA.quote}” [1]"),
    Part("US", "United States (federal)", f"Under {HIPAA.pinpoint}: “{HIPAA.quote}” [2]"),
)
TABLE = Table(
    columns=("Rule", "Deadline (as written)", "Who it binds", "Pinpoint"),
    rows=(
        Row("US-CA", "California", (f"“{CA.quote}” [1]", "without unreasonable delay",
                                   "A person", f"{CA.pinpoint} [1]")),
        Row("US", "United States (federal)", (f"“{HIPAA.quote}” [2]", "60 calendar days",
                                              "A covered entity", f"{HIPAA.pinpoint} [2]")),
    ),
    point="deadline",
)  # fmt: skip
NAMES = {"US-CA": "California", "US": "United States (federal)"}


def several() -> Answer:
    """Two jurisdictions, a short answer each, a table, two detail parts."""
    return Answer(
        question="When must a breach be notified in California and under HIPAA?",
        answer="\n\n".join(f"{p.name}: {p.text}" for p in SHORT),
        short=SHORT,
        table=TABLE,
        parts=(
            Part("US-CA", "California", f"• {CA.pinpoint}: “{CA.quote}” [1]"),
            Part("US", "United States (federal)", f"• {HIPAA.pinpoint}: “{HIPAA.quote}” [2]"),
        ),
        citations=(CA, HIPAA),
        jurisdictions=("US-CA", "US"),
        jurisdiction_names=NAMES,
        id="abc123",
    )


def one_part() -> Answer:
    """A model answer for one jurisdiction: one part and no lead (issue 14, item 3)."""
    return Answer(
        question="When must a covered entity notify individuals of a breach?",
        answer="",
        parts=(Part("US", "United States (federal)", "Within 60 calendar days [1]."),),
        citations=(HIPAA.__class__(**{**HIPAA.__dict__, "n": 1}),),
        jurisdictions=("US",),
        jurisdiction_names=NAMES,
        writer="openai:fake-model",
        id="def456",
    )


def no_parts() -> Answer:
    """A model's lead with no per-jurisdiction parts."""
    return Answer(
        question="When must a breach be notified?",
        answer="Without unreasonable delay [1].",
        citations=(CA,),
        jurisdictions=("US-CA",),
        jurisdiction_names=NAMES,
        writer="openai:fake-model",
        id="ghi789",
    )


def one_jurisdiction() -> Answer:
    """The verbatim writer for one jurisdiction: a short answer and one detail part."""
    return Answer(
        question="When must a covered entity notify individuals of a breach?",
        answer=SHORT[1].text,
        short=(SHORT[1],),
        parts=(Part("US", "United States (federal)", f"• {HIPAA.pinpoint}: “{HIPAA.quote}” [2]"),),
        citations=(HIPAA,),
        jurisdictions=("US",),
        jurisdiction_names=NAMES,
        id="jkl012",
    )


ALL = {
    "extractive, several parts": several,
    "extractive, one part": one_jurisdiction,
    "openai, one part": one_part,
    "openai, no parts": no_parts,
}
