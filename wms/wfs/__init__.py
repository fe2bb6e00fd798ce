"""WFS 2.0.0 / 1.1.0 download service (and, in wms/ogcapi, OGC API Features) of the portal.

Entry point: ``wms.wfs.wfs_service.handle_wfs(request, municipality=...)``, called by the /ows and
/<gmina>/ows view (wms/ows/entry.py) for SERVICE=WFS and for XML bodies in a WFS namespace.

Modules, in the order a request meets them:

- ``params``: KVP (names case-insensitive) and XML requests -> one request form.
  ``xmlsafe``: every XML from outside is parsed without network, DTDs or entities, with caps on
  size (2 MB), depth (40) and element count.
- ``featuretypes``: the feature types = published, queryable catalogue layers; per gmina
  ``<slug>:dzialki|obreby|granice|wektor-str|wektor-pow`` in namespace
  ``http://plan-portal.pl/wfs/<slug>``, platform-wide ``portal:…`` (all active gminy). Unprefixed
  names mean the endpoint's own namespace. Plans are limited by
  ``layers.permissions.visible_plans_filter(user)``; parcels to the current ones.
- ``fes`` + ``gml_literals``: FES 2.0 / Filter 1.1 -> parameterised SQL; GML literals in the axis order
  their srsName form implies (``layers.crs.parse_crs``).
- ``query``: the SQL of a query, counting (exact up to 100,000 for hits, then the planner's
  estimate; numberMatched of a page exact up to 10,000, else "unknown"), a server-side cursor.
- ``getfeature`` + ``encoders``: paging and streaming; properties and geometry are encoded by
  PostgreSQL (xmlforest / json_build_object / ST_AsGML / ST_AsGeoJSON / a CSV record), Python
  only joins text. ``app_gml``: plans as APP GML 3.0 (default) or 2.0.
- ``capabilities``, ``describe``, ``storedqueries``; ``errors``: every failure is a OwsError with
  its OWS code, turned into an ExceptionReport in ``service``.
"""
