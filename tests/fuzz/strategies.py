"""Hypothesis strategies of hostile OGC requests: valid-looking values mixed with junk (issue 20).

Values are drawn from real layer names, CRS codes and coordinates near the data and near the CRS
bounds, then some are swapped for junk (huge, tiny, NaN and infinite numbers, long strings, unicode,
NUL bytes, XML fragments), names change case, parameters repeat or vanish.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from hypothesis import strategies as st

from tests.conftest import A_ORIGIN
from tests.fuzz.stack import Probe

ENDPOINTS = ("/ows", "/gmina-a/ows", "/gmina-b/ows")
LAYERS = ("wektor-str", "wektor-pow", "dzialki", "obreby", "granice", "raster", "kontur")
QUALIFIED = ("gmina-a:dzialki", "gmina-b:wektor-str", "gmina-b:granice", "nope:dzialki")
CRS_CODES = (
    "EPSG:2180", "EPSG:2176", "EPSG:2177", "EPSG:2178", "EPSG:2179", "EPSG:4258", "EPSG:4326",
    "EPSG:3857", "CRS:84", "EPSG:0", "EPSG:99999999999", "urn:ogc:def:crs:EPSG::2180",
    "http://www.opengis.net/def/crs/EPSG/0/4326", "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "AUTO:42001,9001,19,52", "epsg:2180", "EPSG:", "EPSG:2180:extra",
)  # fmt: skip
X, Y = A_ORIGIN
# Real coordinates: gmina A in EPSG:2180, lon/lat of Poland, the bounds of EPSG:3857 and of the world.
NEAR = (X, Y, X + 600, Y + 600, 19.5, 52.1, 14.0, 24.2, 49.0, 55.0, 180, -180, 90, -90, 90.0000001,
        20037508.34, -20037508.34, 1e8, -1e8, 1e8 + 1, 0.0, -0.0)  # fmt: skip
NASTY_TEXT = (
    "", " ", "\x00", "%00", "\t\n", "-1", "0", "1e400", "-1e400", "NaN", "nan", "inf", "-Infinity",
    "1,5", "0x10", "1_000", "99999999999999999999999999", "'; SELECT pg_sleep(30); --",
    "../../../../etc/passwd", "<x/>", "&lt;", "\u202e", "😀", "ąęźż", "\ufeff", "\udcff",
    "()", "(a)(b", "a" * 10_000, ",,,,", "true", "FALSE",
)  # fmt: skip

floats = st.one_of(
    st.sampled_from(NEAR),
    st.floats(min_value=-1e7, max_value=1e7),
    st.floats(),  # huge, tiny, NaN and infinite
    st.integers(min_value=-(10**30), max_value=10**30).map(float),
)
junk = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
)


def number_text(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)  # 1e+300, nan, inf


def numbers_text(values: list[float]) -> str:
    return ",".join(number_text(v) for v in values)


def _ordered(values: list[float]) -> list[float]:
    x0, y0, x1, y1 = values
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]


plain = st.sampled_from(NEAR) | st.floats(min_value=-1e7, max_value=1e7)
bbox = st.one_of(
    st.lists(plain, min_size=4, max_size=4).map(_ordered).map(numbers_text),
    st.tuples(st.sampled_from(NEAR), st.sampled_from(NEAR)).map(
        lambda p: numbers_text([p[0] - 100, p[1] - 100, p[0] + 100, p[1] + 100])
    ),
)
hostile_bbox = st.one_of(
    st.lists(floats, min_size=4, max_size=4).map(_ordered).map(numbers_text),
    st.lists(floats, min_size=0, max_size=6).map(numbers_text),
    junk,
)
crs = st.sampled_from(CRS_CODES[:9])
hostile_crs = st.sampled_from(CRS_CODES[9:]) | junk
small_int = st.integers(1, 600).map(str)
hostile_int = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-1", "4096", "4097", "65536", "1.5", " 256 ", "+3", "٣", "1e3"]),
    junk,
)
layer_list = st.lists(st.sampled_from(LAYERS + QUALIFIED), min_size=1, max_size=6).map(",".join)


@st.composite
def spoiled_pairs(draw, fields: list[tuple[str, st.SearchStrategy, st.SearchStrategy]]):
    """One value per field: valid, except zero to two fields drawn from their hostile strategy."""
    names = [name for name, _valid, _hostile in fields]
    if not names:
        return []
    spoiled = set(draw(st.lists(st.sampled_from(names), max_size=2, unique=True)))
    return [(name, draw(hostile if name in spoiled else valid)) for name, valid, hostile in fields]


def mutate(draw, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Half the time as drawn; else drop, repeat, re-case or spoil one or two, add, shuffle."""
    out = list(pairs)
    if not out or draw(st.booleans()):
        return out
    for _ in range(draw(st.integers(1, 2))):
        at = draw(st.integers(0, len(out) - 1))
        name, value = out[at]
        action = draw(st.sampled_from(["drop", "repeat", "case", "junk", "add", "shuffle"]))
        if action == "drop":
            del out[at]
        elif action == "repeat":
            out.insert(at + 1, (name, draw(st.sampled_from([value, "", *LAYERS]) | junk)))
        elif action == "case":
            out[at] = (
                draw(st.sampled_from([name.lower(), name.title(), f" {name}", f"{name}\x00"])),
                value,
            )
        elif action == "junk":
            out[at] = (name, draw(junk))
        elif action == "add":
            out.append((draw(junk | st.sampled_from(["SLD_BODY", "SLD", "MAP"])), draw(junk)))
        else:
            out = draw(st.permutations(out))
        if not out:
            break
    return out


@st.composite
def ogc_probe(draw, pairs: list[tuple[str, str]]) -> Probe:
    """``pairs`` mutated, sent by GET (mostly) or as a POSTed form, to one of the OGC endpoints."""
    path = draw(st.sampled_from(ENDPOINTS))
    pairs = mutate(draw, pairs)
    if draw(st.integers(0, 5)) == 0:
        body = urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return Probe("POST", path, body=body, headers=headers)
    return Probe("GET", path, pairs)
