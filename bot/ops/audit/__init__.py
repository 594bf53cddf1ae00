"""The audit log: what Reggi told whom, as append-only JSON lines, and its CSV export.

- `records`: the record shapes (pure);
- `sink`: `AuditLog`, the `Events` sink writing them to a size-rotated file;
- `export`: reading the files back and writing CSV.
"""

from bot.ops.audit.export import (
    CSV_COLUMNS,
    audit_files,
    csv_row,
    export_csv,
    parse_since,
    read_records,
)
from bot.ops.audit.records import answer_record, feedback_record, question_hash
from bot.ops.audit.sink import AuditLog

__all__ = [
    "CSV_COLUMNS",
    "AuditLog",
    "answer_record",
    "audit_files",
    "csv_row",
    "export_csv",
    "feedback_record",
    "parse_since",
    "question_hash",
    "read_records",
]
