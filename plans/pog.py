"""The plan ogólny (POG) vocabulary: its zone kinds and their profiles (APP 2.0, KPT codes).

Read by the ingest checks (plans/ingest/validate.py) and the APP GML of the WFS (wms/wfs/app_gml.py).
"""

from __future__ import annotations

# POG zone kinds: RodzajStrefyPlanistycznejKod value -> symbol, and the fixed basic profile
# (profilPodstawowy, KPT codes) of each kind, as in the official test data of the APP 2.0 plug-in.
POG_KINDS = {
    "strefaWielofunkcyjnaZZabudowaMieszkaniowaWielorodzinna": "SW",
    "strefaWielofunkcyjnaZZabudowaMieszkaniowaJednorodzinna": "SJ",
    "strefaWielofunkcyjnaZZabudowaZagrodowa": "SZ",
    "strefaUslugowa": "SU",
    "strefaHandluWielkopowierzchniowego": "SH",
    "strefaGospodarcza": "SP",
    "strefaProdukcjiRolniczej": "SR",
    "strefaInfrastrukturalna": "SI",
    "strefaZieleniIRekreacji": "SN",
    "strefaCmentarzy": "SC",
    "strefaGornictwa": "SG",
    "strefaOtwarta": "SO",
    "strefaKomunikacyjna": "SK",
}
BASIC_PROFILES = {
    "SW": {"MW", "U", "ZP", "ZD", "K", "I"},
    "SJ": {"MN", "U", "ZP", "ZD", "K", "I"},
    "SZ": {"RZM", "RZP", "RA", "ZP", "ZD", "K", "I"},
    "SU": {"U", "ZP", "ZD", "K", "I"},
    "SH": {"H", "ZP", "ZD", "K", "I"},
    "SP": {"P", "ZP", "ZD", "K", "I"},
    "SR": {"RZW", "RZP", "RA", "ZD", "K", "I"},
    "SN": {"ZP", "ZB", "W", "ZD", "K", "I"},
    "SC": {"C", "ZP", "ZD", "K", "I"},
    "SG": {"G", "ZD", "K", "I"},
    "SO": {"RN", "L", "ZN", "W", "ZD", "K", "I"},
    "SK": {"KDA", "KDS", "KDG", "KDR", "KK", "KKL", "KL", "KW", "KO", "ZD", "I"},
}
# SI: the basic profile is not confirmed by sample data; only its defining class is required.
REQUIRED_ONLY = {"SI": {"I"}}
PARAMETER_KINDS = {"SW", "SJ", "SZ", "SU", "SH", "SP", "SR"}
