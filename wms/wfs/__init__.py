"""WFS 2.0.0 / 1.1.0 download service of the portal.

Entry point: ``wms.wfs.wfs_service.handle_wfs(request, municipality=...)``, called by the OWS entry
(wms/ows/entry.py) for SERVICE=WFS and for XML bodies in a WFS namespace.

Modules, in the order a request meets them:

- ``wfs_request``: KVP (names case-insensitive) and XML requests -> one request form; XML from
  outside through wms/core/xmlsafe.py (the hardened parser, caps on size, depth, element count).
- the core (wms/core): ``featuretypes`` (published, queryable catalogue layers, per gmina
  ``<slug>:dzialki|obreby|granice|wektor-str|wektor-pow`` in namespace
  ``http://plan-portal.pl/wfs/<slug>``, platform-wide ``portal:…``), ``fes`` + ``gml_literals``
  (FES 2.0 / Filter 1.1 -> parameterised SQL; GML literals read by layers/gml.py), ``query``
  (SQL, counting, server-side cursors), ``paging`` + ``encoders`` (pages and streaming; PostgreSQL
  encodes, Python only joins text).
- ``app_gml``: plans as APP GML 3.0 (default) or 2.0; ``wfs_capabilities``, ``describe``,
  ``storedqueries``; ``exception_report``: every ``OwsError`` as an OWS ExceptionReport.
"""
