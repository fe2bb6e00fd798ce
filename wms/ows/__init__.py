"""The OWS entry of /ows and /<gmina>/ows, and what stands before Django (front cache, throttle)."""
