"""An answer as a memo: a Word document (python-docx) or the same as plain text. Pure.

The memo holds the question, the short answer, the comparison table where there is one,
the analysis per jurisdiction, and a sources table (pinpoint, heading, quote, link, "as of"
date), then the notes, the oldest "as of" date and the notice — all from `layout()`, so the
memo says what the channels show. `memo_docx` returns the .docx bytes; the caller sends them
(web download, Slack file upload, Teams attachment).
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from bot.answer import Answer, Citation
from bot.channels.layout import currency_line, heading, layout, table_rows, text_table
from bot.channels.text import shorten

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "Reggi memo"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")
# XML 1.0 cannot hold control characters; Word refuses a document that has them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def filename(answer: Answer, extension: str = "docx") -> str:
    """ "reggi-memo-<id>.docx": only safe characters."""
    stem = _SAFE_NAME.sub("", answer.id)[:32] or "answer"
    return f"reggi-memo-{stem}.{extension}"


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _as_of(citation: Citation) -> str:
    return currency_line(citation) or "not stated"


# --- plain text ----------------------------------------------------------------------------
def memo_text(answer: Answer, *, width: int = 100) -> str:
    """The memo as plain text (what "Copy" puts on the clipboard)."""
    view = layout(answer)
    out = [TITLE, "", "Question", answer.question.strip(), ""]
    if view.short:
        out.append("Short answer")
        for part in view.short:
            name = heading(part, answer) if len(view.short) > 1 else ""
            out += [f"{name}: {part.text}" if name else part.text, ""]
    if view.table is not None:
        header, rows = table_rows(view.table)
        out += ["Comparison", text_table(header, rows, width), ""]
    if view.details:
        out.append("Analysis by jurisdiction")
        for part in view.details:
            out += [heading(part, answer), part.text, ""]
    if answer.citations:
        out.append("Sources")
        for c in answer.citations:
            out.append(f"[{c.n}] {c.pinpoint}" + (f" — {c.heading}" if c.heading else ""))
            if c.quote:
                out.append(f"    “{c.quote}”")
            if c.url:
                out.append(f"    {c.url}")
            out.append(f"    {_as_of(c)}")
        out.append("")
    out += [*view.notes, *([view.footer] if view.footer else []), answer.notice]
    return _clean("\n".join(line for line in out if line is not None).strip() + "\n")


# --- Word ----------------------------------------------------------------------------------
def memo_docx(answer: Answer) -> bytes:
    """The memo as a .docx file."""
    view = layout(answer)
    doc = Document()
    doc.core_properties.title = _clean(shorten(answer.question, 200)) or TITLE
    doc.core_properties.author = "Reggi"
    doc.core_properties.subject = "Answer quoted from the indexed regulations"
    doc.add_heading(TITLE, level=0)
    doc.add_heading("Question", level=1)
    doc.add_paragraph(_clean(answer.question.strip()))
    if view.short:
        doc.add_heading("Short answer", level=1)
        for part in view.short:
            name = heading(part, answer) if len(view.short) > 1 else ""
            paragraph = doc.add_paragraph()
            if name:
                paragraph.add_run(_clean(f"{name}: ")).bold = True
            paragraph.add_run(_clean(part.text))
    if view.table is not None:
        doc.add_heading("Comparison", level=1)
        header, rows = table_rows(view.table)
        _table(doc, header, rows)
    if view.details:
        doc.add_heading("Analysis by jurisdiction", level=1)
        for part in view.details:
            doc.add_heading(_clean(heading(part, answer)), level=2)
            for line in part.text.splitlines():
                if not line.strip():
                    continue
                bullet = line.lstrip().startswith(("•", "- ", "* "))
                text = line.lstrip().lstrip("•-* ").strip() if bullet else line.strip()
                doc.add_paragraph(_clean(text), style="List Bullet" if bullet else None)
    if answer.citations:
        doc.add_heading("Sources", level=1)
        table = _table(doc, ("#", "Pinpoint", "Heading", "Quote", "Link", "As of"), [])
        for c in answer.citations:
            cells = table.add_row().cells
            for cell, value in zip(
                cells, (f"[{c.n}]", c.pinpoint, c.heading, c.quote, "", _as_of(c)), strict=True
            ):
                cell.text = _clean(value)
            if c.url.startswith(("http://", "https://")):
                _hyperlink(cells[4].paragraphs[0], c.url, "Official text")
            if not c.complete:
                cells[5].paragraphs[0].runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW
    for note in view.notes:
        doc.add_paragraph(_clean(note)).runs[0].italic = True
    if view.footer:
        doc.add_paragraph(_clean(view.footer))
    notice = doc.add_paragraph(_clean(answer.notice))
    if notice.runs:
        notice.runs[0].italic = True
        notice.runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc: DocumentType, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> DocxTable:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = value
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = _clean(value)
    return table


def _hyperlink(paragraph: Paragraph, url: str, label: str) -> None:
    """A clickable link (python-docx has no public API for one)."""
    part = paragraph.part
    rel_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(RGBColor(0x05, 0x63, 0xC1)))
    props.append(color)
    props.append(underline)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = label
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
