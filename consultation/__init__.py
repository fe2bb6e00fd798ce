"""Public consultation of draft plans (u.p.z.p. rozdział 1a "Partycypacja społeczna", art. 8e–8m)."""
