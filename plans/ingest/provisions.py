"""The provisions of a plan: from a resolution text (HTML, DOCX, text PDF) or a structured file.

A resolution (uchwała) is split into the general part and one § per zone: paragraphs are grouped
into §§; the §§ of the chapter with the detailed provisions for the zones ("Ustalenia dla terenów",
"Ustalenia szczegółowe …", "Przeznaczenie terenów …") that open with a zone designation belong to
those zones; everything else is the general part. Word exports are often windows-1250: the
declared charset is honoured, and text that is not valid in it is an error, never mojibake.
CSV/JSON files map designations to provisions directly (key ``general`` / ``ogólne`` for the rest).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from plans.ingest.report import IngestError
from plans.ingest.safety import check_file

PARAGRAPH_RE = re.compile(r"^§\s*(\d+[a-z]?)\s*\.")
CHAPTER_RE = re.compile(r"^Rozdział\s*\d+", re.IGNORECASE)
DETAIL_CHAPTER_RE = re.compile(
    r"(ustalenia\s+(szczegółowe\s+)?dla\s+teren|przeznaczenie\s+teren|ustalenia\s+szczegółowe)",
    re.IGNORECASE,
)
# A designation as written in resolutions: 1MN, 12MN/U, MN-U, DJ.KDD, DJ. MN, Z3.MNU, 3.KDL.
DESIGNATION_RE = re.compile(
    r"(?<![\w.])((?:[A-Z]{1,3}\d*\.\s?)?\d{0,3}[A-ZŁŚŻ]{1,4}(?:[-/,][A-ZŁŚŻ]{1,4})*(?:\d{1,2})?)(?![\w])"
)
OPENING_RE = re.compile(
    r"^(?:\d+\.\s*)?(?:Teren\w*|Dla\s+teren\w*|Wyznacza\s+się\s+teren\w*|Ustala\s+się\s+teren\w*|"
    r"(?=\d{0,3}[A-Z]))",
)
CHARSET_RE = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


@dataclass
class Provisions:
    general: str = ""
    zones: dict[str, str] = field(default_factory=dict)  # normalised designation -> text


def normalise(designation: str) -> str:
    return re.sub(r"\s+", "", designation or "").upper()


def _html_paragraphs(data: bytes, name: str) -> list[str]:
    import lxml.html

    match = CHARSET_RE.search(data[:4096])
    charset = match.group(1).decode("ascii") if match else "utf-8"
    charset = "cp1250" if charset.lower() in {"windows-1250", "x-cp1250"} else charset
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise IngestError(
            f"the text is not valid {charset}: {exc}", file=name, rule="file.encoding"
        ) from exc
    doc = lxml.html.document_fromstring(text)
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    paragraphs = []
    for node in doc.iter("p", "h1", "h2", "h3", "h4", "h5", "li", "td"):
        if node.tag == "td" and node.find(".//p") is not None:
            continue
        line = " ".join(node.text_content().split())
        if line:
            paragraphs.append(line)
    return paragraphs


def _docx_paragraphs(path: Path) -> list[str]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise IngestError(
            f"not a readable DOCX ({exc})", file=path.name, rule="file.unreadable"
        ) from exc
    return [" ".join(p.text.split()) for p in document.paragraphs if p.text.strip()]


def _pdf_paragraphs(path: Path) -> list[str]:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise IngestError("not a readable PDF", file=path.name, rule="file.unreadable")
    text = result.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise IngestError(
            "the PDF has no text layer (a scan?); provide the text",
            file=path.name,
            rule="provisions.no_text",
        )
    paragraphs, current = [], []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        starts = PARAGRAPH_RE.match(line) or CHAPTER_RE.match(line) or re.match(r"^\d+[.)]\s", line)
        if (not line or starts) and current:
            paragraphs.append(" ".join(current))
            current = []
        if line:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _zone_designations(opening: str, known: set[str] | None) -> list[str]:
    body = PARAGRAPH_RE.sub("", opening, count=1).strip()
    if not OPENING_RE.match(body):
        return []
    head = body[:300]
    found = []
    for match in DESIGNATION_RE.finditer(head):
        token = normalise(match.group(1))
        if known is not None:
            if token in known:
                found.append(token)
        elif re.search(r"[A-Z]{1,4}", token) and len(token) >= 2:
            found.append(token)
    return list(dict.fromkeys(found))


def split_paragraphs(paragraphs: list[str], *, designations: list[str] | None = None) -> Provisions:
    known = {normalise(d) for d in designations} if designations else None
    sections: list[tuple[bool, list[str]]] = []  # (in a detail chapter, paragraphs of one §)
    in_detail = False
    for line in paragraphs:
        if CHAPTER_RE.match(line):
            in_detail = bool(DETAIL_CHAPTER_RE.search(line))
            sections.append((False, [line]))
        elif PARAGRAPH_RE.match(line) or not sections:
            sections.append((in_detail, [line]))
        else:
            sections[-1][1].append(line)
    result = Provisions()
    general = []
    for detail, lines in sections:
        opening = " ".join(lines[:3])
        targets = _zone_designations(opening, known) if detail else []
        text = "\n".join(lines)
        if not targets:
            general.append(text)
        for target in targets:
            result.zones[target] = (
                f"{result.zones[target]}\n{text}" if target in result.zones else text
            )
    result.general = "\n".join(general)
    return result


def _structured(path: Path) -> Provisions:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError("the file is not UTF-8", file=path.name, rule="file.encoding") from exc
    rows: dict[str, str] = {}
    if path.suffix.lower() == ".json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IngestError(
                f"not valid JSON: {exc}", file=path.name, rule="file.unreadable"
            ) from exc
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise IngestError(
                'JSON provisions are {"designation": "text", …}',
                file=path.name,
                rule="provisions.format",
            )
        rows = loaded
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"designation", "provisions"} <= set(reader.fieldnames):
            raise IngestError(
                "CSV provisions need the columns designation, provisions",
                file=path.name,
                rule="provisions.format",
            )
        rows = {row["designation"]: row["provisions"] for row in reader}
    general = rows.pop("general", "") or rows.pop("ogólne", "")
    return Provisions(general=general, zones={normalise(k): v for k, v in rows.items()})


def read_provisions(path: Path, *, designations: list[str] | None = None) -> Provisions:
    """Provisions from a .htm/.html, .docx, .pdf, .csv or .json file."""
    check_file(path)
    suffix = path.suffix.lower()
    if suffix in {".csv", ".json"}:
        return _structured(path)
    if suffix in {".htm", ".html"}:
        paragraphs = _html_paragraphs(path.read_bytes(), path.name)
    elif suffix == ".docx":
        paragraphs = _docx_paragraphs(path)
    elif suffix == ".pdf":
        paragraphs = _pdf_paragraphs(path)
    else:
        raise IngestError(
            f"provisions cannot be read from {suffix} files (HTML, DOCX, PDF, CSV, JSON)",
            file=path.name,
            rule="provisions.format",
        )
    provisions = split_paragraphs(paragraphs, designations=designations)
    if not provisions.zones:
        raise IngestError(
            "no § for a zone was found in the resolution text",
            file=path.name,
            rule="provisions.no_zones",
        )
    return provisions
