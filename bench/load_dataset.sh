#!/usr/bin/env bash
# Load the benchmark harness's synthetic gmina (100,000 parcels, ~5,000 MPZP zones; the harness is an
# optional tool outside this repository, bench/README.md)
# into one gmina of the running portal, so the portal serves the same data as the anchors.
#
#   bench/load_dataset.sh [GPKG] [SLUG]
#     GPKG  default: $BENCH_DIR/data/gmina.gpkg (BENCH_DIR default /tmp/bench: the harness after its
#           setup_all.sh, or its make_dataset.py output)
#     SLUG  default: tykocin-bench (TERYT 200212_3, gmina miejsko-wiejska: units _4 town, _5 rural)
#
# Steps: the gmina via layers.municipalities.create_municipality (with its standard layers); the
# GeoPackage via ogr2ogr into schema bench_staging; INSERT … SELECT into layers_precinct,
# layers_parcel, plans_plan (one MPZP in force, published) and plans_planzone; boundary grown to the
# data; Layer.bump for every kind (image caches); ANALYZE. Idempotent: the gmina's rows are replaced.
# Uses the portal's DATABASE_URL (scripts/env.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
GPKG=${1:-$BENCH_DIR/data/gmina.gpkg}
[ -f "$GPKG" ] || {
  echo "load_dataset: no GeoPackage at $GPKG. It is the benchmark harness's synthetic gmina (an optional" >&2
  echo "  tool outside this repository): run the harness's setup_all.sh in \$BENCH_DIR, or pass the path" >&2
  echo "  of a GeoPackage made by its make_dataset.py (bench/README.md, \"Without the harness\")." >&2
  exit 3
}
SLUG=${2:-tykocin-bench}
TERYT=${TERYT:-200212_3}
PY="$VENV/bin/python"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL")
PGCONN=$("$PY" - <<'PY'
import os
from urllib.parse import urlsplit
u = urlsplit(os.environ["DATABASE_URL"])
parts = [f"host={u.hostname or '127.0.0.1'}", f"port={u.port or 5432}", f"dbname={u.path.lstrip('/')}"]
if u.username: parts.append(f"user={u.username}")
if u.password: parts.append(f"password={u.password}")
print(" ".join(parts))
PY
)
T0=$(date +%s)
echo "gmina $SLUG ($TERYT) from $GPKG"
MUNI_ID=$("$PY" manage.py shell -c "
from layers.models import Municipality
from layers.municipalities import create_municipality
m = Municipality.objects.filter(slug='$SLUG').first() or create_municipality(teryt='$TERYT', name='Tykocin (benchmark)', slug='$SLUG')
print('MUNI', m.pk)
" 2>/dev/null | awk '/^MUNI/ {print $2}')
[ -n "$MUNI_ID" ] || { echo "could not create gmina $SLUG" >&2; exit 1; }

"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS bench_staging CASCADE" -c "CREATE SCHEMA bench_staging"
PG_USE_COPY=YES ogr2ogr -f PostgreSQL "PG:$PGCONN" "$GPKG" -lco SCHEMA=bench_staging \
  -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE -nlt PROMOTE_TO_MULTI \
  parcels precincts plan_zones plan_boundary

"${PSQL[@]}" -v muni="$MUNI_ID" <<'SQL'
BEGIN;
DELETE FROM plans_planzone WHERE municipality_id = :muni;
DELETE FROM plans_plandocument WHERE municipality_id = :muni;
DELETE FROM plans_plan WHERE municipality_id = :muni;
DELETE FROM layers_parcel WHERE municipality_id = :muni;
DELETE FROM layers_precinct WHERE municipality_id = :muni;

INSERT INTO layers_precinct (municipality_id, unit, number, name, geom)
SELECT :muni, split_part(id_obrebu, '.', 1), obreb, nazwa, ST_Multi(geom)
FROM bench_staging.precincts;

INSERT INTO layers_parcel (municipality_id, precinct_id, identifier, number, geom,
                           registered_area_ha, area_m2, valid_from, source)
SELECT :muni, o.id, p.id_dzialki, p.numer, ST_Multi(p.geom),
       round(p.pow_m2 / 10000.0, 4), ST_Area(p.geom), now(), 'bench gmina.gpkg'
FROM bench_staging.parcels p
JOIN layers_precinct o ON o.municipality_id = :muni AND o.unit = p.jedn_ewid AND o.number = p.obreb;

INSERT INTO plans_plan (municipality_id, kind, title, resolution_number, resolution_date, publication,
                        status, in_force_from, namespace, local_id, version_id, boundary,
                        drawing_scale, general_provisions, is_published, created_at, updated_at)
SELECT :muni, 'MPZP', b.nazwa, 'Uchwała Nr ' || b.uchwala, b.data_uchwalenia::date, '',
       'legalForce', b.data_uchwalenia::date + 30, 'PL.ZIPPZP.9999/200212-MPZP', b.plan_id,
       to_char(b.data_uchwalenia::date, 'YYYYMMDD') || 'T000000', ST_Multi(b.geom), 1000, '',
       true, now(), now()
FROM bench_staging.plan_boundary b;

INSERT INTO plans_planzone (municipality_id, plan_id, designation, symbol, number, name, zone_kind,
                            profile, provisions, local_id, geom, area_m2)
SELECT :muni, pl.id, z.oznaczenie, z.symbol, z.numer, z.przeznaczenie, '', '{}', '', '',
       ST_Multi(z.geom), ST_Area(z.geom)
FROM bench_staging.plan_zones z
JOIN plans_plan pl ON pl.municipality_id = :muni AND pl.local_id = z.plan_id;

UPDATE layers_layer SET data_version = data_version + 1
WHERE municipality_id = :muni OR municipality_id IS NULL;
COMMIT;
DROP SCHEMA bench_staging CASCADE;
ANALYZE layers_precinct; ANALYZE layers_parcel; ANALYZE plans_plan; ANALYZE plans_planzone;
SQL

"$PY" manage.py shell -c "
from layers.models import Municipality
from layers.municipalities import extend_boundary_to_data
extend_boundary_to_data(municipality=Municipality.objects.get(pk=$MUNI_ID))
" >/dev/null 2>&1
"${PSQL[@]}" -At -v muni="$MUNI_ID" <<'SQL'
SELECT 'precincts ' || count(*) FROM layers_precinct WHERE municipality_id = :muni;
SELECT 'parcels   ' || count(*) FROM layers_parcel WHERE municipality_id = :muni AND valid_to IS NULL;
SELECT 'plans     ' || count(*) FROM plans_plan WHERE municipality_id = :muni;
SELECT 'zones     ' || count(*) FROM plans_planzone WHERE municipality_id = :muni;
SQL
echo "loaded in $(( $(date +%s) - T0 )) s: http://127.0.0.1:8000/$SLUG/ows"
