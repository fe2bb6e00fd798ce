"""Plan provisions as paragraphs: the hard line breaks of a source text do not split sentences.

Texts of resolutions come from PDFs and scans with a line break at every printed line. A line
continues the paragraph before it unless the text breaks there for real: an empty line, or a line
that opens a § , a numbered point ``1)`` / ``1.``, a lettered point ``a)``, an indent ``-`` / ``–``
or ``ust.``. A word hyphenated across lines (``zabu-`` + ``dowy``) is joined without the hyphen.
"""

from __future__ import annotations

import re

STARTS_PARAGRAPH = re.compile(
    r"^(§|Rozdział\b|ust\.\s*\d|\d+[a-z]?\)|\d+[a-z]?\.\s|[a-ząćęłńóśźż]\)|[-–—•]\s|[IVXLC]+\.\s)"
)
HYPHENATED = re.compile(r"[a-ząćęłńóśźż]-$")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``, each one line (joined with spaces)."""
    result: list[str] = []
    current: list[str] = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line or STARTS_PARAGRAPH.match(line):
            if current:
                result.append(_join(current))
            current = [line] if line else []
            continue
        current.append(line)
    if current:
        result.append(_join(current))
    return result


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if HYPHENATED.search(text) and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text
