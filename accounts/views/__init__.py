"""Thin views of /konto/: sign-in (auth), surveyors, a gmina's staff and audit log (staff)."""
