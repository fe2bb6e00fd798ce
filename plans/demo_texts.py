"""Provisions text of the demo MPZP, written after the structure of real resolutions (mpzp-texts)."""

from __future__ import annotations

from typing import Any

ZONE_NAMES = {
    "MN": "teren zabudowy mieszkaniowej jednorodzinnej",
    "MN/U": "teren zabudowy mieszkaniowej jednorodzinnej i usługowej",
    "U": "teren zabudowy usługowej",
    "ZP": "teren zieleni urządzonej",
    "R": "teren rolniczy",
    "KDL": "teren drogi publicznej klasy lokalnej",
    "KDD": "teren drogi publicznej klasy dojazdowej",
}

PARAMETERS: dict[str, dict[str, Any]] = {
    "MN": {
        "max_height_m": 10.0,
        "max_building_coverage_pct": 40.0,
        "min_biologically_active_pct": 40.0,
        "max_building_intensity": 0.8,
    },
    "MN/U": {
        "max_height_m": 11.0,
        "max_building_coverage_pct": 50.0,
        "min_biologically_active_pct": 30.0,
        "max_building_intensity": 1.0,
    },
    "U": {
        "max_height_m": 12.0,
        "max_building_coverage_pct": 60.0,
        "min_biologically_active_pct": 20.0,
        "max_building_intensity": 1.2,
    },
    "ZP": {
        "max_height_m": 5.0,
        "max_building_coverage_pct": 5.0,
        "min_biologically_active_pct": 80.0,
        "max_building_intensity": 0.05,
    },
}

PURPOSE = {
    "MN": "zabudowa mieszkaniowa jednorodzinna wolnostojąca lub bliźniacza",
    "MN/U": "zabudowa mieszkaniowa jednorodzinna oraz usługi nieuciążliwe",
    "U": "zabudowa usługowa, w tym usługi handlu o powierzchni sprzedaży do 400 m²",
    "ZP": "zieleń urządzona, place zabaw, ciągi piesze i rowerowe",
    "R": "uprawy polowe, łąki i pastwiska, bez prawa zabudowy",
}


def zone_name(symbol: str) -> str:
    return ZONE_NAMES.get(symbol, f"teren {symbol}")


def zone_parameters(symbol: str) -> dict[str, Any]:
    return dict(PARAMETERS.get(symbol, {}))


def general_provisions(*, gmina_name: str, village: str) -> str:
    return f"""§ 1. 1. Uchwala się miejscowy plan zagospodarowania przestrzennego wsi {village}, zwany dalej „planem”.
2. Granice obszaru objętego planem określa rysunek planu w skali 1:1000, stanowiący załącznik nr 1 do uchwały.
§ 2. Ilekroć w uchwale jest mowa o:
1) linii zabudowy nieprzekraczalnej – należy przez to rozumieć linię, której nie może przekroczyć ściana budynku;
2) powierzchni biologicznie czynnej – należy przez to rozumieć powierzchnię w rozumieniu przepisów odrębnych.
§ 3. Ustala się przeznaczenie terenów oznaczonych na rysunku planu symbolami: MN, MN/U, U, ZP, R, KDL, KDD.
§ 4. Zasady ochrony i kształtowania ładu przestrzennego: obowiązuje stosowanie dachów dwu- lub wielospadowych
o nachyleniu połaci od 25° do 45° w zabudowie mieszkaniowej.
§ 5. Zasady obsługi komunikacyjnej: minimalna liczba miejsc postojowych – 2 miejsca na 1 lokal mieszkalny;
obsługa z dróg publicznych oznaczonych symbolami KDL i KDD.
Zasady modernizacji, rozbudowy i budowy systemów infrastruktury technicznej: zaopatrzenie w wodę z sieci
wodociągowej; odprowadzenie ścieków do sieci kanalizacji sanitarnej gminy {gmina_name}."""


def zone_provisions(*, designation: str, symbol: str, paragraph: int) -> str:
    if symbol in ("KDL", "KDD"):
        width = "20 m" if symbol == "KDL" else "12 m"
        return (
            f"§ {paragraph}. Dla terenu oznaczonego symbolem {designation} ustala się:\n"
            f"1) przeznaczenie: {zone_name(symbol)};\n"
            f"2) szerokość w liniach rozgraniczających: {width};\n"
            "3) dopuszcza się lokalizację sieci infrastruktury technicznej."
        )
    params = PARAMETERS.get(symbol)
    lines = [
        f"§ {paragraph}. Dla terenu oznaczonego symbolem {designation} ustala się:",
        f"1) przeznaczenie: {PURPOSE.get(symbol, zone_name(symbol))};",
    ]
    if params:
        lines += [
            f"2) maksymalna wysokość zabudowy: {params['max_height_m']:g} m;",
            f"3) maksymalny udział powierzchni zabudowy: {params['max_building_coverage_pct']:g}%;",
            f"4) minimalny udział powierzchni biologicznie czynnej: {params['min_biologically_active_pct']:g}%;",
            f"5) intensywność zabudowy: od 0,05 do {params['max_building_intensity']:g}".replace(
                ".", ","
            )
            + ";",
            "6) minimalna powierzchnia nowo wydzielanej działki budowlanej: 800 m².",
        ]
    else:
        lines.append("2) zakaz lokalizacji budynków.")
    return "\n".join(lines)
