"""Render Typst templates to PDF/A-2a + PDF/UA-1 documents.

Templates live in `reports/typst/` (or any app's `typst/` folder passed as `root`)
and read their data as JSON from `sys.inputs.data`, so no user text is ever
interpolated into Typst source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typst
from django.core.serializers.json import DjangoJSONEncoder

if TYPE_CHECKING:
    from typst import PDFStandard

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
PDF_STANDARDS: list[PDFStandard] = ["a-2a", "ua-1"]


class ReportError(Exception):
    pass


def render_pdf(template: str | Path, data: dict[str, Any], *, root: Path | None = None) -> bytes:
    """Compile `template` with `data` and return the PDF bytes."""
    path = Path(template)
    if not path.is_absolute():
        path = (root or TEMPLATE_DIR) / path
    try:
        return typst.compile(
            str(path),
            root=str(root or path.parent),
            sys_inputs={"data": json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)},
            pdf_standards=PDF_STANDARDS,
            ignore_system_fonts=False,
        )
    except Exception as exc:  # typst raises its own error types with the compiler's message
        raise ReportError(str(exc)) from exc
