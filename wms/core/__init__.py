"""The core shared by WMS, WFS and OGC API: feature types, filters, CRS ranges, paging, encoders."""
