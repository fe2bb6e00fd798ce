"""WMS 1.3.0 / 1.1.1: maps drawn by Mapnik (render.py), feature info, legends, capabilities."""
