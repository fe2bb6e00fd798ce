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

from django.utils.translation import gettext_noop as _

from layers.messages import problem
from plans.ingest.designations import TOKEN_RE, Matcher, expanded, normalise
from plans.ingest.report import IngestError
from plans.ingest.safety import check_file

PARAGRAPH_RE = re.compile(r"^§\s*(\d+[a-z]?)\s*\.?")
CHAPTER_RE = re.compile(r"^Rozdział\s*\d+", re.IGNORECASE)
DETAIL_CHAPTER_RE = re.compile(
    r"(ustalenia\s+(szczegółowe\s+)?dla\s+teren|przeznaczenie\s+teren|ustalenia\s+szczegółowe"
    r"|przeznaczenie\s+(oraz|i)\s+warunki)",
    re.IGNORECASE,
)
# a heading inside a § that opens the zones' provisions ("Ustalenia dla terenów objętych zmianą")
GROUP_HEADING_RE = re.compile(
    r"^(?:\d+\.\s*)?ustalenia\s+(szczegółowe|dla\s+teren\w*\s+(objęt|wydziel|oznacz|poszczeg))",
    re.IGNORECASE,
)
# a § that opens with its zone: "§ 12. 1. Teren wydzielony …", "§ 10. Wyznacza się teren …", "1MN-U"
OPENING_RE = re.compile(
    r"^(?:\d+\.\s*)?(?:Teren\w*|Dla\s+teren\w*|Wyznacza\s+się\s+teren\w*|"
    r"Ustala\s+się\s+teren\w*|(?=(?:[A-Z]{1,3}\d?\.\s?)?\d{0,3}[A-Z]{1,5}\b))",
)
# a zone's provisions starting inside a §: "2. Wyznacza się teren …", "1) dla terenu oznaczonego
# symbolem UP:", "Dla terenów … oznaczonych … symbolem MN-U ustala się:"
STRONG_OPENER_RE = re.compile(
    r"^\d+\.\s*(?:Wyznacza\s+się\s+teren|Teren\w*\b.{0,200}?symbol)",
    re.IGNORECASE,
)
POINT_OPENER_RE = re.compile(r"^(?:\d+[.)]\s*)?(?:dla\s+)?teren\w*\b.{0,200}?symbol", re.IGNORECASE)
BARE_LINE_RE = re.compile(r"^[\w.,/\s–-]{1,60}$")
CHARSET_RE = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


@dataclass
class Provisions:
    general: str = ""
    zones: dict[str, str] = field(default_factory=dict)  # normalised designation -> text
    # a resolution text: its paragraphs and the zones each belongs to (none: the general part)
    paragraphs: list[str] = field(default_factory=list)
    owners: list[list[str]] = field(default_factory=list)

    @classmethod
    def from_owners(cls, paragraphs: list[str], owners: list[list[str]]) -> Provisions:
        zones: dict[str, list[str]] = {}
        for line, owned_by in zip(paragraphs, owners, strict=True):
            for zone in owned_by:
                zones.setdefault(zone, []).append(line)
        general = [line for line, owned_by in zip(paragraphs, owners, strict=True) if not owned_by]
        return cls(
            general="\n".join(general),
            zones={zone: "\n".join(lines) for zone, lines in zones.items()},
            paragraphs=paragraphs,
            owners=owners,
        )


def _html_paragraphs(data: bytes, name: str) -> list[str]:
    import lxml.html

    match = CHARSET_RE.search(data[:4096])
    charset = match.group(1).decode("ascii") if match else "utf-8"
    charset = "cp1250" if charset.lower() in {"windows-1250", "x-cp1250"} else charset
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise IngestError(
            problem(_("the text is not valid %(charset)s: %(error)s"), charset=charset, error=exc),
            file=name,
            rule="file.encoding",
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
            problem(_("not a readable DOCX (%(error)s)"), error=exc),
            file=path.name,
            rule="file.unreadable",
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
        raise IngestError(problem(_("not a readable PDF")), file=path.name, rule="file.unreadable")
    text = result.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise IngestError(
            problem(_("the PDF has no text layer (a scan?); provide the text")),
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


def _bare_designations(line: str, matcher: Matcher) -> list[str]:
    """A line that is nothing but designations ("UP", "F. IT", "1MN-U i 2MN-U")."""
    text = line.strip(" :.")
    if not BARE_LINE_RE.match(text):
        return []
    rest = TOKEN_RE.sub("", expanded(text))
    if re.sub(r"\b(i|oraz)\b|[,\s.]", "", rest):
        return []
    return matcher.named(text)


def _opening(lines: list[str], matcher: Matcher) -> list[str]:
    """The zones a § opens with ("§ 9. 1MN-U i 2MN-U", "§ 12. 1. Teren … o symbolach: DJ. MN")."""
    head = PARAGRAPH_RE.sub("", lines[0], count=1).strip()
    rest = iter(lines[1:])
    while len(head) < 40 and (more := next(rest, None)) is not None:
        head = f"{head} {more}".strip()
    if not OPENING_RE.match(head):
        return []
    return matcher.named(head[:300])


def _inner_opening(line: str, matcher: Matcher, *, strong_only: bool) -> list[str]:
    """The zones whose provisions start at this line of a §, if they do."""
    if bare := _bare_designations(line, matcher):
        return bare
    if STRONG_OPENER_RE.match(line) or (not strong_only and POINT_OPENER_RE.match(line)):
        return matcher.named(line[:300])
    return []


def _sections(paragraphs: list[str]) -> list[tuple[bool, list[int]]]:
    """The §§ (indices of their paragraphs), each marked when it is in the zones' chapter."""
    sections: list[tuple[bool, list[int]]] = []
    in_detail = not any(CHAPTER_RE.match(line) for line in paragraphs)
    for index, line in enumerate(paragraphs):
        if CHAPTER_RE.match(line):
            title = line if len(line) > 20 else " ".join(paragraphs[index : index + 2])
            in_detail = bool(DETAIL_CHAPTER_RE.search(title))
            sections.append((False, [index]))
        elif PARAGRAPH_RE.match(line) or not sections:
            sections.append((in_detail, [index]))
        else:
            sections[-1][1].append(index)
        if GROUP_HEADING_RE.match(PARAGRAPH_RE.sub("", line, count=1).strip()):
            in_detail = True
            sections[-1] = (True, sections[-1][1])
    return sections


def split_paragraphs(paragraphs: list[str], *, designations: list[str] | None = None) -> Provisions:
    """Each paragraph to the zones it belongs to; the rest is the general part."""
    matcher = Matcher(designations)
    owners: list[list[str]] = [[] for _ in paragraphs]
    for detail, indices in _sections(paragraphs):
        if not detail:
            continue
        current = _opening([paragraphs[i] for i in indices[:4]], matcher)
        opened_by_zone = bool(current)
        listing = False  # in a run of lines that are just designations ("F. 1MN-U," …)
        for position, index in enumerate(indices):
            if position:
                line = paragraphs[index]
                bare = _bare_designations(line, matcher)
                found = bare or _inner_opening(line, matcher, strong_only=opened_by_zone)
                if bare and listing:
                    current = list(dict.fromkeys(current + bare))
                else:
                    current = found or current
                listing = bool(bare)
            owners[index] = list(current)
    return Provisions.from_owners(paragraphs, owners)


def _structured(path: Path) -> Provisions:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            problem(_("the file is not UTF-8")), file=path.name, rule="file.encoding"
        ) from exc
    rows: dict[str, str] = {}
    if path.suffix.lower() == ".json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IngestError(
                problem(_("not valid JSON: %(error)s"), error=exc),
                file=path.name,
                rule="file.unreadable",
            ) from exc
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise IngestError(
                problem(_('JSON provisions are {"designation": "text", …}')),
                file=path.name,
                rule="provisions.format",
            )
        rows = loaded
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"designation", "provisions"} <= set(reader.fieldnames):
            raise IngestError(
                problem(_("CSV provisions need the columns designation, provisions")),
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
            problem(
                _("provisions cannot be read from %(suffix)s files (HTML, DOCX, PDF, CSV, JSON)"),
                suffix=suffix,
            ),
            file=path.name,
            rule="provisions.format",
        )
    return split_paragraphs(paragraphs, designations=designations)
