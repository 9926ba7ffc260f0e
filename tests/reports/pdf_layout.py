"""What a PDF looks like on the page, read back with pdfplumber."""

from __future__ import annotations


def overlapping_words(pdf: bytes) -> list[tuple[int, str, str]]:
    """Pairs of words on the same line whose boxes overlap: columns running into each other
    ("Konsultation117")."""
    import io

    import pdfplumber

    found: list[tuple[int, str, str]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1)
            for i, a in enumerate(words):
                for b in words[i + 1 :]:
                    same_line = abs(a["top"] - b["top"]) < 2
                    overlap = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    if same_line and overlap > 0.5:
                        found.append((number, a["text"], b["text"]))
    return found
