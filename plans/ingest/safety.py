"""Hostile input at the door: size limits, safe zip extraction, a hardened XML parser.

XML goes through the portal's one hardened parser (layers/xmlparse.py): no network, no DTD
loading, no entity expansion, and a document that declares a DOCTYPE at all is refused by the
parser (APP and EGiB never need one), whatever its encoding and wherever the DOCTYPE sits. Zips are checked member by member: no absolute or
``..`` paths, no links, bounded member count, total size and compression ratio.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext_noop as _
from lxml import etree

from layers.messages import problem
from layers.xmlparse import XMLRefused, iter_file, parse_file, root_element
from plans.ingest.report import IngestError

ZIP_MAX_MEMBERS = 2000
ZIP_MAX_RATIO = 200


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES)


def check_file(path: Path) -> None:
    """Exists, not empty, not larger than the configured limit."""
    if not path.exists() or not path.is_file():
        raise IngestError(problem(_("no such file")), file=path.name, rule="file.missing")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(problem(_("the file is empty")), file=path.name, rule="file.empty")
    if size > max_bytes():
        raise IngestError(
            problem(
                _(
                    "the file has %(size)s bytes, more than the limit of %(limit)s (IMPORT_MAX_BYTES)"
                ),
                size=size,
                limit=max_bytes(),
            ),
            file=path.name,
            rule="file.too_large",
        )


def _refused(path: Path) -> IngestError:
    return IngestError(
        problem(
            _(
                "the XML declares a DOCTYPE/ENTITY; entity declarations are refused "
                "(entity expansion and external entities are a known attack)"
            )
        ),
        file=path.name,
        rule="xml.doctype_forbidden",
        where="prolog",
    )


def _syntax(path: Path, exc: etree.XMLSyntaxError) -> IngestError:
    return IngestError(
        problem(_("not well-formed XML: %(error)s"), error=exc.msg),
        file=path.name,
        rule="xml.syntax",
        where=f"line {exc.lineno}",
    )


def check_xml_prolog(path: Path) -> None:
    """Read up to the root element with the hardened parser: refuse a DOCTYPE, or no XML at all."""
    try:
        root_element(path)
    except XMLRefused as exc:
        raise _refused(path) from exc
    except etree.XMLSyntaxError as exc:
        raise IngestError(
            problem(_("not an XML document (no root element)")),
            file=path.name,
            rule="xml.not_xml",
        ) from exc


def parse_xml(path: Path) -> etree._ElementTree:
    check_file(path)
    check_xml_prolog(path)
    try:
        return parse_file(path, remove_comments=True)
    except XMLRefused as exc:
        raise _refused(path) from exc
    except etree.XMLSyntaxError as exc:
        raise _syntax(path, exc) from exc


def iter_xml(path: Path, *, tag: list[str]) -> Iterator[etree._Element]:
    """The ``end`` of each ``tag`` element, streamed; XML errors become IngestErrors."""
    try:
        for _event, element in iter_file(path, tag=tag, remove_comments=True):
            yield element
    except XMLRefused as exc:
        raise _refused(path) from exc
    except etree.XMLSyntaxError as exc:
        raise _syntax(path, exc) from exc


def _safe_member_name(name: str) -> PurePosixPath | None:
    member = PurePosixPath(name.replace("\\", "/"))
    if member.is_absolute() or ".." in member.parts or re.match(r"^[A-Za-z]:", name):
        return None
    return member


def extract_zip(path: Path, target: Path) -> list[Path]:
    """Extract a zip into ``target`` after checking every member; return the extracted files."""
    check_file(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise IngestError(
            problem(_("not a valid zip archive")), file=path.name, rule="zip.invalid"
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > ZIP_MAX_MEMBERS:
            raise IngestError(
                problem(
                    _("the zip has %(count)s members (limit %(limit)s)"),
                    count=len(members),
                    limit=ZIP_MAX_MEMBERS,
                ),
                file=path.name,
                rule="zip.too_many_members",
            )
        total = 0
        for info in members:
            if _safe_member_name(info.filename) is None:
                raise IngestError(
                    problem(
                        _("the zip member '%(name)s' points outside the archive folder"),
                        name=info.filename,
                    ),
                    file=path.name,
                    rule="zip.path_traversal",
                    where=info.filename,
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise IngestError(
                    problem(_("the zip member '%(name)s' is a symbolic link"), name=info.filename),
                    file=path.name,
                    rule="zip.symlink",
                    where=info.filename,
                )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > ZIP_MAX_RATIO and info.file_size > 1024 * 1024:
                raise IngestError(
                    problem(
                        _("the zip member '%(name)s' expands %(ratio).0f times (zip bomb?)"),
                        name=info.filename,
                        ratio=ratio,
                    ),
                    file=path.name,
                    rule="zip.bomb",
                    where=info.filename,
                )
        if total > max_bytes():
            raise IngestError(
                problem(
                    _("the zip expands to %(size)s bytes, more than the limit of %(limit)s"),
                    size=total,
                    limit=max_bytes(),
                ),
                file=path.name,
                rule="zip.bomb",
            )
        extracted = []
        target.mkdir(parents=True, exist_ok=True)
        for info in members:
            if info.is_dir():
                continue
            name = _safe_member_name(info.filename)
            out = target.joinpath(*name.parts)
            out.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(info) as src, out.open("wb") as dst:
                while chunk := src.read(1024 * 1024):
                    written += len(chunk)
                    if written > info.file_size or written > max_bytes():
                        raise IngestError(
                            problem(_("a zip member is larger than declared (zip bomb?)")),
                            file=path.name,
                            rule="zip.bomb",
                            where=info.filename,
                        )
                    dst.write(chunk)
            extracted.append(out)
    return extracted
