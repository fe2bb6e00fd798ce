"""What each validation rule means, for people: a short title per rule code, translated.

Rule codes (``geometry.invalid``) stay stable and English in reports, JSON and tests; the import page
shows the title in the reader's language (Polish first) next to the code and the detailed message.
tests/ingest/test_rules.py fails for a rule used in plans/ingest without a title here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from plans.ingest.report import ERROR, INFO, WARNING

SEVERITY_LABELS = {
    ERROR: _("error"),
    WARNING: _("warning"),
    INFO: _("note"),
}

RULE_TITLES = {
    "harvest.unchanged": _("This version of the act is in the portal already (nothing to do)"),
    "harvest.no_act": _("The service holds no act of this gmina"),
    "app.act_from_portal": _("Checked against a plan already in the portal (nothing written)"),
    "app.no_act": _("The plan has no planning act (AktPlanowaniaPrzestrzennego)"),
    "app.no_features": _("The file holds no APP features"),
    "app.not_app": _("Not an APP (spatial planning) GML file"),
    "app.several_acts": _("More than one planning act in one import"),
    "app.unknown_version": _("Unknown version of the APP schema"),
    "app.xlink_unresolved": _("A reference (xlink:href) points to nothing in the file"),
    "crs.axis_order": _("Coordinates in the wrong axis order"),
    "crs.missing": _("No coordinate reference system"),
    "crs.transform": _("Coordinates cannot be transformed to EPSG:2180"),
    "crs.unknown": _("Unknown coordinate reference system"),
    "crs.wrong_zone": _("Coordinates in another PL-2000 zone than declared"),
    "egib.no_parcels": _("The EGiB file holds no parcels"),
    "file.empty": _("The file is empty"),
    "file.encoding": _("Wrong character encoding"),
    "file.format": _("Unsupported file format"),
    "file.missing": _("A required file is missing"),
    "file.too_large": _("The file is too large"),
    "file.unreadable": _("The file cannot be read"),
    "geometry.coordinates": _("Malformed coordinates"),
    "geometry.empty": _("Empty geometry"),
    "geometry.invalid": _("Invalid geometry"),
    "geometry.missing": _("A feature without geometry"),
    "geometry.mixed_types": _("Mixed geometry types"),
    "geometry.repaired": _("Geometry repaired automatically"),
    "geometry.type": _("Wrong geometry type (a surface is required)"),
    "geometry.unsupported": _("Unsupported GML geometry"),
    "identifier.namespace": _("Wrong namespace (przestrzenNazw)"),
    "identifier.namespace_teryt": _("The namespace does not name this gmina's TERYT code"),
    "identifier.parcel": _("Malformed parcel identifier"),
    "identifier.version_id": _("Malformed version identifier (wersjaId)"),
    "mapping.missing_attribute": _("A required attribute is missing"),
    "mapping.missing_layer": _("A required layer is missing"),
    "mapping.several_layers": _("Several layers where one is expected"),
    "parcel.area_mismatch": _("Registered area differs from the drawn area"),
    "parcel.duplicate": _("The same parcel twice"),
    "parcel.foreign_precinct": _("A parcel of a precinct of another gmina"),
    "parcel.wrong_municipality": _("A parcel of another gmina"),
    "plan.in_force_missing": _("A plan in force without its date of entry into force"),
    "plan.outside_municipality": _("The plan reaches beyond the gmina"),
    "plan.version_exists": _("This version of the plan was imported before"),
    "pog.basic_profile": _("General plan (POG): the zone's profile differs from the basic one"),
    "pog.designation_format": _("General plan (POG): malformed zone designation"),
    "pog.mandatory_parameter": _("General plan (POG): a mandatory parameter is missing"),
    "pog.parameter_precision": _("General plan (POG): parameter with the wrong precision"),
    "pog.parameter_twice": _("General plan (POG): a parameter given twice"),
    "pog.symbol_kind_mismatch": _("General plan (POG): the symbol does not match the zone kind"),
    "pog.unknown_kind": _("General plan (POG): unknown zone kind"),
    "position.more": _("More misplaced features (not listed one by one)"),
    "position.outside_municipality": _("Outside the gmina"),
    "position.outside_poland": _("Outside Poland"),
    "provisions.format": _("Unsupported format of the plan's text"),
    "provisions.no_text": _("The plan's text holds no provisions"),
    "provisions.unknown_designation": _("Provisions for a designation the drawing does not have"),
    "provisions.zone_without_text": _("A zone without provisions in the text"),
    "topology.gap": _("A gap between zones"),
    "topology.overlap": _("Zones overlap"),
    "xml.doctype_forbidden": _("XML with a DOCTYPE (refused for safety)"),
    "xml.not_xml": _("Not an XML document"),
    "xml.syntax": _("XML syntax error"),
    "xsd.invalid": _("Not valid against the official schema"),
    "xsd.unavailable": _("The schema is not available offline"),
    "zip.bomb": _("ZIP archive expands too much (refused)"),
    "zip.invalid": _("Damaged ZIP archive"),
    "zip.no_data": _("The ZIP archive holds no data file"),
    "zip.path_traversal": _("A ZIP member points outside the archive (refused)"),
    "zip.several_files": _("Several data files in one ZIP archive"),
    "zip.symlink": _("A symbolic link in the ZIP archive (refused)"),
    "zip.too_many_members": _("Too many files in the ZIP archive"),
    "zone.designation_missing": _("A zone without a designation"),
    "zone.designation_symbol": _("The designation does not match the zone's symbol"),
    "zone.duplicate_designation": _("The same designation twice"),
    "zone.duplicate_local_id": _("The same local identifier (lokalnyId) twice"),
    "zone.outside_plan": _("A zone outside the plan's boundary"),
    "address.incomplete": _("An address point without a locality or a number"),
    "address.none": _("No current address point in the files"),
    "address.outside_municipality": _("An address point outside the gmina"),
    "address.position": _("An address point without a valid position"),
}


def rule_title(code: str) -> str:
    """The title of a rule for people, or the code itself for a rule without one."""
    return str(RULE_TITLES.get(code, code))


def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))
