#!/usr/bin/env python3
"""Build geo/prefectures.geojson and geo/special-zones.geojson from Natural Earth.

Run from the repository root:

    python scripts/build_prefectures.py            # fetch (cached), build, write, self-check
    python scripts/build_prefectures.py --apt-update   # same, running `apt-get update` first
    python scripts/build_prefectures.py --check    # only check the committed files (no download)

Source: Natural Earth 1:10m "Admin 1 - States, Provinces" polygons (public domain), taken
from the pinned Debian bookworm package ``libgnudatalanguage0=1.0.1-4+b5`` (GNU Data
Language ships the Natural Earth shapefiles; its Debian copyright file lists
``resource/maps/*`` as public domain, Natural Earth). The .deb (about 24 MB) is only
downloaded (``apt-get download``) and unpacked (``dpkg-deb -x``) into a cache directory
outside the repository; nothing is installed. Its sha256 is verified before use.
``--deb FILE`` uses an already downloaded .deb; ``--input SHP`` any copy of
``ne_10m_admin_1_states_provinces.shp`` (not checksummed).

What the build does, in order:
  1. keeps the nine prefectures of the Kyushu Regional Strategy Council (Yamaguchi 35,
     Fukuoka 40 ... Okinawa 47);
  2. fixes a Natural Earth error: the Amami islands (Amami-Oshima, Kakeroma, Kikai,
     Tokunoshima, Okinoerabu, Yoron) are attributed to Okinawa; they belong to Kagoshima.
     Okinawa parts whose representative point lies north of 27.0N and east of 128.3E are
     moved to Kagoshima (Iheya 127.97E and Iotorishima 128.24E stay in Okinawa);
  3. drops islets under --min-island-km2 (10 km2; this also drops the Senkaku islets)
     and keeps every larger island;
  4. dissolves to one MultiPolygon per prefecture and simplifies with
     ``shapely.coverage_simplify`` (shared borders stay shared: no gaps, no slivers),
     raising the tolerance only if the file would exceed --max-bytes;
  5. writes RFC 7946 GeoJSON (counter-clockwise exteriors), coordinates rounded to
     1e-5 degrees, in kumamap's feature schema (geo/README.md);
  6. writes the special-zones layer: the Kumamoto "Kizuna" zone uses the Kumamoto
     polygon, the proposed Kyushu-wide semiconductor zone the union of the nine, and the
     Fukuoka / Kitakyushu zone is drawn schematically as the two city halls;
  7. checks the result: nine valid features, no overlaps, every point of
     scripts/prefecture_checkpoints.json inside the right prefecture.

Requires geopandas (with pyogrio), shapely >= 2.1, pyproj; apt-get and dpkg-deb to fetch.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
CHECKPOINTS_FILE = Path(__file__).resolve().parent / "prefecture_checkpoints.json"

DEB_NAME = "libgnudatalanguage0"
DEB_VERSION = "1.0.1-4+b5"
DEB_SHA256 = "e5321c25715c1b193657897c5bf3dcff76118ea78825e9ca0db93ba6f1a59c28"
SHP_IN_DEB = "usr/share/gnudatalanguage/resource/maps/high/ne_10m_admin_1_states_provinces.shp"

# Albers equal-area centred on the area: for areas (km2) and metric simplification.
AEA = "+proj=aea +lat_1=25 +lat_2=34 +lat_0=30 +lon_0=129 +datum=WGS84 +units=m +no_defs"
GRID_DEG = 1e-5          # output coordinate precision (about 1 m)
DEFAULT_TOLERANCE_M = 100  # well inside the ~1 km generalisation of Natural Earth 1:10m
PRECISION_M = 1000         # honest error radius of a Natural Earth 1:10m boundary
# When the facts of these features were last verified against their sources (the
# `checked` field): the rebuild of 2026-11-24 that set the official dates and checkpoints.
CHECKED = "2026-11-24"

# ---------------------------------------------------------------------------
# Reference tables (JIS X 0401 codes = ISO 3166-2:JP numbers)
# ---------------------------------------------------------------------------
PREFECTURES = [
    # code, Natural Earth name (ASCII-folded), name_en, name_ja, name_zh_tw (Taiwan usage)
    ("35", "Yamaguchi", "Yamaguchi Prefecture", "山口県", "山口縣"),
    ("40", "Fukuoka", "Fukuoka Prefecture", "福岡県", "福岡縣"),
    ("41", "Saga", "Saga Prefecture", "佐賀県", "佐賀縣"),
    ("42", "Nagasaki", "Nagasaki Prefecture", "長崎県", "長崎縣"),
    ("43", "Kumamoto", "Kumamoto Prefecture", "熊本県", "熊本縣"),
    ("44", "Oita", "Ōita Prefecture", "大分県", "大分縣"),
    ("45", "Miyazaki", "Miyazaki Prefecture", "宮崎県", "宮崎縣"),
    ("46", "Kagoshima", "Kagoshima Prefecture", "鹿児島県", "鹿兒島縣"),
    ("47", "Okinawa", "Okinawa Prefecture", "沖縄県", "沖繩縣"),
]
CODE_BY_NE = {p[1]: p[0] for p in PREFECTURES}
BY_CODE = {p[0]: p for p in PREFECTURES}


def source(url: str, title: str, publisher: str, date: str) -> dict:
    return {"url": url, "title": title, "publisher": publisher, "date": date}


NATURAL_EARTH = source(
    "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-1-states-provinces/",
    "Admin 1 – States, Provinces, 1:10m (public domain); copy shipped in Debian package "
    "libgnudatalanguage0 1.0.1-4+b5, modified for kumamap",
    "Natural Earth", "2019-12-25")  # DBF header date of the shipped copy (see NOTES)
COUNCIL = source(
    "https://www.decn.co.jp/?p=178801",
    "九州戦略会議／半導体産業集積／産学官拠点整備で政府に支援要望へ",
    "日刊建設工業新聞 (Daily Engineering & Construction News)", "2025-10-30")
COUNCIL_NIKKEI = source(
    "https://www.nikkei.com/article/DGXZQOJC281W40Y5A021C2000000/",
    "九州地域戦略会議、半導体の新特区要望を検討 国の広域連携支援で",
    "日本経済新聞 (Nikkei; read on a mirror)", "2025-10")
REGION_DECLARATION = source(
    "https://www.kyushu01.com/zaikaikyushu/news/detail/47de0132-b3bf-49ef-a71e-c9370bcee387",
    "「広域リージョン連携」を宣言", "財界九州 (Zaikai Kyushu)", "2025-10")
KYUSHU_ZONE_CHECKED = "2026-12-03"  # re-checked after CHECKED: no hub site named yet
NSSZ_CHECKED = "2026-12-03"  # both zones re-checked: still designated, in use in 2025
FNN_KIZUNA_2025 = source(
    "https://www.fnn.jp/articles/-/943574",
    "国家戦略特区に新たに2つの特区事業認定（開業ワンストップセンター、家事支援外国人受入れ）",
    "FNN (TKU)", "2025-10-09")
FUKUOKA_ZONE_2025 = source(
    "https://city.pier.news/article/30532",
    "福岡市国家戦略特別区域：区域会議と区域計画（平成26年から令和7年まで；内閣府の一覧の要約）",
    "city.pier.news", "2025-09-08")
FUKUOKA_CITY_ZONE = source(
    "http://www.city.fukuoka.lg.jp/soki/kikaku/fukuoka_tokku_top.html",
    "国家戦略特区 福岡市グローバル創業・雇用創出特区", "Fukuoka City", "2024-06-26")
KANTEI_NSSZ = source(
    "http://www.kantei.go.jp/jp/headline/kokkasenryaku_tokku2013.html",
    "国家戦略特区（これまでに指定した国家戦略特区：第1次指定 平成26年5月1日、"
    "第3次指定 平成28年1月29日）", "Prime Minister's Office of Japan", "2016-05-16")
KITAKYUSHU_ZONE = source(
    "https://www.city.kitakyushu.lg.jp/kikaku/02000038.html",
    "国家戦略特区について（北九州市の「国家戦略特区」への指定について）",
    "Kitakyushu City", "2018-11-01")
TTIC_FUKUOKA = source(
    "https://www.pref.fukuoka.lg.jp/site/chiji-ugoki/kigyouritti20250421.html",
    "知事の動き：台湾貿易投資センター福岡の開所", "Fukuoka Prefecture", "2025-04-21")
CHISOU_KIZUNA = source(
    "https://www.chisou.go.jp/tiiki/kokusentoc/kettei/r060621.html",
    "新たな国家戦略特区の指定について～「国家戦略特別区域を定める政令の一部を改正する政令」の閣議決定～",
    "Cabinet Office, Regional Revitalization Promotion Office (内閣府地方創生推進事務局)",
    "2024-06-21")
KANTEI_KIZUNA = source(
    "https://kantei.go.jp/jp/101_kishida/actions/202406/04senryaku_tokku.html",
    "国家戦略特別区域諮問会議（第63回）", "Prime Minister's Office of Japan", "2024-06-04")
KUMAMOTO_PREF_ZONE = source(
    "https://www.pref.kumamoto.jp/soshiki/18/222178.html",
    "国家戦略特区（産業拠点形成連携“絆”特区）", "Kumamoto Prefecture", "2025-01-22")
KUMAMOTO_VISION = source(
    "https://www.pref.kumamoto.jp/site/chiji/231056.html",
    "知事定例記者会見：くまもとサイエンスパーク推進ビジョン", "Kumamoto Prefecture", "2025-03-25")
MIYAZAKI_CHAIR = source(
    "https://www.pref.miyazaki.lg.jp/contents/org/honbu/hisho/komiya/202406/column.html",
    "知事コラム：九州地方知事会会長に就任（4月16日付け）", "Miyazaki Prefecture", "2024-06")
FNN_COCHAIR = source(
    "https://www.fnn.jp/articles/-/927730",
    "広域リージョン連携の要綱、九州地域戦略会議（共同議長・河野宮崎県知事）のコメント",
    "FNN (Fuji News Network)", "2025-09")
WIKI_FUKUOKA_HALL = source(
    "https://ja.wikipedia.org/wiki/%E7%A6%8F%E5%B2%A1%E5%B8%82%E5%BD%B9%E6%89%80",
    "福岡市役所（infobox: 北緯33度35分24.4秒 東経130度24分6.2秒）", "Wikipedia (ja)", "2024")
WIKI_KITAKYUSHU_HALL = source(
    "https://ja.wikipedia.org/wiki/%E5%8C%97%E4%B9%9D%E5%B7%9E%E5%B8%82",
    "北九州市（infobox 北九州市庁舎位置: 北緯33度53分00秒 東経130度52分31秒）",
    "Wikipedia (ja)", "2024")

# City-hall points (lon, lat) for the schematic Fukuoka zone, from the sources above.
FUKUOKA_CITY_HALL = (130.401722, 33.590111)
KITAKYUSHU_CITY_HALL = (130.87519, 33.88342)

# ---------------------------------------------------------------------------
# The prefectures' role in the story (facts.md B18; sources per prefecture)
# ---------------------------------------------------------------------------
COUNCIL_ROLE = ("Member of the Kyushu Regional Strategy Council",
                "九州地域戦略会議の構成県",
                "九州地域戰略會議成員縣")
COUNCIL_SUMMARY = (
    "One of the nine prefectures (the seven of Kyushu, Yamaguchi and Okinawa) whose governors"
    " and business federations form the Kyushu Regional Strategy Council. In October 2025 the"
    " council agreed to ask the national government for a new semiconductor special-zone"
    " system and set a target of five industry–academia–government hubs in the region by FY2029"
    " (sites not yet decided).",
    "九州7県・山口・沖縄の9県の知事と経済団体でつくる九州地域戦略会議の構成県。同会議は2025年10月、"
    "半導体産業の集積に向けた新たな特区制度の創設を国に要望する方針で一致し、2029年度までに域内に"
    "産学官連携拠点を5か所整備する目標を掲げた（整備地域は未定）。",
    "由九州七縣、山口縣與沖繩縣九縣知事及經濟團體組成的九州地域戰略會議成員縣。該會議於2025年10月"
    "同意向中央政府要求創設新的半導體特區制度，並以2029年度前在區內設置五處產官學合作據點為目標"
    "（地點未定）。",
)
ROLES: dict[str, dict] = {
    "35": {"role": COUNCIL_ROLE, "summary": COUNCIL_SUMMARY, "sources": [COUNCIL]},
    "41": {"role": COUNCIL_ROLE, "summary": COUNCIL_SUMMARY, "sources": [COUNCIL]},
    "42": {"role": COUNCIL_ROLE, "summary": COUNCIL_SUMMARY, "sources": [COUNCIL]},
    "44": {"role": COUNCIL_ROLE, "summary": COUNCIL_SUMMARY, "sources": [COUNCIL]},
    "46": {"role": COUNCIL_ROLE, "summary": COUNCIL_SUMMARY, "sources": [COUNCIL]},
    "40": {
        "role": ("Business and startup hub",
                 "ビジネス・スタートアップの拠点",
                 "商業與新創樞紐"),
        "summary": (
            "Kyushu's business and startup hub: Fukuoka City has been a National Strategic"
            " Special Zone for startups and jobs since May 2014 (Kitakyushu City added in 2016),"
            " and the Taiwan Trade and Investment Center Fukuoka opened in April 2025. A member"
            " of the Kyushu Regional Strategy Council, which in October 2025 agreed to ask for a"
            " semiconductor special zone and five hubs by FY2029.",
            "九州のビジネス・スタートアップの拠点。福岡市は2014年5月から創業・雇用の国家戦略特区"
            "（2016年に北九州市が追加）で、2025年4月には台湾貿易投資センター福岡が開所した。"
            "九州地域戦略会議の構成県（同会議は2025年10月、半導体特区の要望と2029年度までの5拠点整備で一致）。",
            "九州的商業與新創樞紐：福岡市自2014年5月起為創業與就業的國家戰略特區（2016年加入北九州市），"
            "福岡臺灣貿易投資中心於2025年4月開幕。亦為九州地域戰略會議成員縣（該會議於2025年10月"
            "同意要求設立半導體特區，並於2029年度前建立五處據點）。",
        ),
        "sources": [FUKUOKA_CITY_ZONE, KANTEI_NSSZ, TTIC_FUKUOKA, COUNCIL],
    },
    "43": {
        "role": ("Manufacturing hub: JASM (TSMC), Kumamoto Science Park",
                 "製造の拠点：JASM（TSMC）、くまもとサイエンスパーク",
                 "製造樞紐：JASM（台積電）、熊本科學園區"),
        "summary": (
            "The manufacturing hub: home of JASM (TSMC's Kumamoto fabs). With Miyagi it became"
            " a National Strategic Special Zone, the Industrial Base Formation Kizuna Zone, in"
            " June 2024, and in March 2025 it published the Kumamoto Science Park Promotion"
            " Vision for a distributed science park around the fabs.",
            "製造の拠点。JASM（TSMC熊本工場）が立地する。2024年6月に宮城県とともに国家戦略特区"
            "（産業拠点形成連携“絆”特区）に指定され、2025年3月には工場周辺の分散型サイエンスパークを描く"
            "「くまもとサイエンスパーク推進ビジョン」を公表した。",
            "製造樞紐：JASM（台積電熊本廠）所在地。2024年6月與宮城縣一同被指定為國家戰略特區"
            "（產業據點形成合作「絆」特區），並於2025年3月公布以晶圓廠周邊分散型科學園區為藍圖的"
            "「熊本科學園區推動願景」。",
        ),
        "sources": [CHISOU_KIZUNA, KUMAMOTO_PREF_ZONE, KUMAMOTO_VISION, COUNCIL],
    },
    "45": {
        "role": ("Its governor chairs the Kyushu governors' association",
                 "知事が九州地方知事会の会長",
                 "縣知事擔任九州地方知事會會長"),
        "summary": (
            "Governor Shunji Kōno has chaired the Kyushu governors' association since April 2024"
            " and co-chairs the Kyushu Regional Strategy Council, which in October 2025 agreed to"
            " ask for a semiconductor special zone and five industry–academia–government hubs by"
            " FY2029.",
            "河野俊嗣知事が2024年4月から九州地方知事会の会長を務め、九州地域戦略会議の共同議長でもある。"
            "同会議は2025年10月、半導体特区の要望と2029年度までの産学官拠点5か所の整備で一致した。",
            "河野俊嗣知事自2024年4月起擔任九州地方知事會會長，並為九州地域戰略會議共同議長；"
            "該會議於2025年10月同意要求設立半導體特區，並於2029年度前建立五處產官學據點。",
        ),
        "sources": [MIYAZAKI_CHAIR, FNN_COCHAIR, COUNCIL],
    },
    "47": {
        "role": ("Hosted the October 2025 council meeting in Nago",
                 "2025年10月の戦略会議を名護市で開催",
                 "2025年10月戰略會議於名護市舉行"),
        "summary": (
            "Member of the Kyushu Regional Strategy Council; its October 2025 meeting in Nago,"
            " Okinawa, agreed to ask the national government for a new semiconductor special-zone"
            " system and to aim for five industry–academia–government hubs in the region by FY2029.",
            "九州地域戦略会議の構成県。2025年10月に沖縄県名護市で開かれた同会議で、新たな半導体特区制度の"
            "創設を国に要望し、2029年度までに域内に産学官拠点を5か所整備する目標で一致した。",
            "九州地域戰略會議成員縣；2025年10月於沖繩縣名護市舉行的會議上，同意向中央要求創設新的"
            "半導體特區制度，並以2029年度前在區內建立五處產官學據點為目標。",
        ),
        "sources": [COUNCIL],
    },
}
BOUNDARY_NOTE = (
    "Boundary from Natural Earth 1:10m (generalised, good to about 1 km; simplified with a"
    " {tol:g} m coverage-preserving tolerance). Islands smaller than {min_km2:g} km² are left"
    " out{extra}.",
    "境界はNatural Earth 1:10m（一般化済み、誤差約1 km）。{min_km2:g} km²未満の小島は省略{extra_ja}。",
    "邊界取自Natural Earth 1:10m（已概化，誤差約1公里）。面積小於{min_km2:g}平方公里的小島未繪出{extra_zh}。",
)

NE_ATTRIBUTION = (
    "Prefecture boundaries: Natural Earth (naturalearthdata.com), Admin 1 – States, Provinces"
    " 1:10m, public domain. Modified: Kyushu-area subset, Amami islands assigned to Kagoshima,"
    " islets < {min_km2:g} km2 removed, coverage-preserving simplification, coordinates rounded"
    " to 1e-5 degrees."
)


def ascii_fold(s: str) -> str:
    """'Ōita' -> 'Oita' (Natural Earth spells some names with macrons)."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Fetching the pinned package
# ---------------------------------------------------------------------------
def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(tempfile.gettempdir())
    return Path(base) / "kumamap-natural-earth"


def fetch_deb(cache: Path, apt_update: bool) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    pattern = str(cache / f"{DEB_NAME}_{DEB_VERSION.replace(':', '%3a')}_*.deb")
    debs = sorted(glob.glob(pattern))
    if debs:
        print(f"using cached {Path(debs[0]).name}")
        return Path(debs[0])
    if apt_update:
        print("running apt-get update")
        subprocess.run(["apt-get", "update"], check=True)
    spec = f"{DEB_NAME}={DEB_VERSION}"
    print(f"downloading {spec} (about 24 MB) into the cache")
    r = subprocess.run(["apt-get", "download", spec], cwd=cache)
    debs = sorted(glob.glob(pattern))
    if r.returncode != 0 or not debs:
        raise SystemExit(f"apt-get download {spec} failed: run `apt-get update` once "
                         "(or pass --apt-update), needs Debian bookworm sources")
    return Path(debs[0])


def unpack(deb: Path, cache: Path) -> Path:
    digest = sha256(deb)
    if digest != DEB_SHA256:
        raise SystemExit(f"{deb.name}: sha256 {digest} does not match the pinned {DEB_SHA256}")
    print(f"verified {deb.name} sha256={digest[:16]}…")
    out = cache / f"unpacked-{DEB_VERSION}"
    shp = out / SHP_IN_DEB
    if not shp.exists():
        subprocess.run(["dpkg-deb", "-x", str(deb), str(out)], check=True)
    return shp


def load_source(args) -> tuple[gpd.GeoDataFrame, str]:
    if args.input:
        shp = Path(args.input)
        label = f"{shp.name} (given with --input, not checksummed)"
    else:
        cache = Path(args.cache)
        deb = Path(args.deb) if args.deb else fetch_deb(cache, args.apt_update)
        shp = unpack(deb, cache)
        label = f"Debian package {DEB_NAME}={DEB_VERSION} (sha256 {DEB_SHA256}), {SHP_IN_DEB}"
    # The GDL copy has only scalerank/iso_a2/name, UTF-8 without .cpg, and no .prj (WGS84).
    gdf = gpd.read_file(shp, encoding="utf-8").set_crs(4326, allow_override=True)
    gdf = gdf[(gdf["iso_a2"] == "JP") & gdf["name"].notna()].copy()
    gdf["ne_name"] = gdf["name"].map(ascii_fold)
    return gdf[["ne_name", "geometry"]], label


# ---------------------------------------------------------------------------
# Processing
# ---------------------------------------------------------------------------
def assign_parts(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """One row per polygon part with its (corrected) JIS code; returns the Amami count."""
    parts = gdf[gdf["ne_name"].isin(CODE_BY_NE)].explode(index_parts=False)
    parts = parts.reset_index(drop=True)
    parts["geometry"] = shapely.make_valid(parts.geometry.values)
    parts = parts.explode(index_parts=False).reset_index(drop=True)
    parts = parts[parts.geom_type == "Polygon"].copy()
    parts["code"] = parts["ne_name"].map(CODE_BY_NE)
    rp = parts.geometry.representative_point()
    amami = (parts["code"] == "47") & (rp.y > 27.0) & (rp.x > 128.3)
    parts.loc[amami, "code"] = "46"
    missing = set(BY_CODE) - set(parts["code"])
    if missing:
        raise SystemExit(f"source lacks prefectures: {sorted(missing)}")
    return parts[["code", "geometry"]], int(amami.sum())


def drop_small(parts: gpd.GeoDataFrame, min_km2: float):
    area = parts.to_crs(AEA).area.values / 1e6
    parts = parts.assign(area_km2=area)
    keep = parts["area_km2"] >= min_km2
    keep |= parts.groupby("code")["area_km2"].transform("max") == parts["area_km2"]
    dropped = parts[~keep]
    senkaku = dropped[dropped.geometry.representative_point().within(
        shapely.box(123.3, 25.6, 124.7, 26.0))]
    return parts[keep], dropped, senkaku


def as_multipolygon(g) -> MultiPolygon:
    g = shapely.make_valid(g)
    polys = [p for p in shapely.get_parts(g) if isinstance(p, Polygon) and not p.is_empty]
    return MultiPolygon([orient(p, sign=1.0) for p in polys])  # RFC 7946: CCW exteriors


def finalize(merged_aea: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    g = merged_aea.copy()
    if tolerance_m > 0:
        # coverage-aware: shared prefecture borders stay identical (no slivers or gaps)
        g["geometry"] = shapely.coverage_simplify(g.geometry.values, tolerance_m)
    g = g.to_crs(4326)
    geoms = shapely.set_precision(g.geometry.values, grid_size=GRID_DEG)
    g["geometry"] = [as_multipolygon(x) for x in geoms]
    return g


def geometry_dict(geom) -> dict:
    m = mapping(geom)
    return {"type": m["type"], "coordinates": m["coordinates"]}


def prefecture_feature(code: str, geom, min_km2: float, tol: float) -> dict:
    _, _, name_en, name_ja, name_zh = BY_CODE[code]
    info = ROLES[code]
    role_en, role_ja, role_zh = info["role"]
    summary_en, summary_ja, summary_zh = info["summary"]
    extra = (", among them the Senkaku Islands (Diaoyutai)", "（尖閣諸島を含む）",
             "（包括釣魚臺列嶼，日方稱尖閣諸島）") if code == "47" else ("", "", "")
    if code == "46":
        extra = ("; the Amami islands, which Natural Earth puts in Okinawa, are assigned to"
                 " Kagoshima", "。奄美群島はNatural Earthでは沖縄県に含まれるため鹿児島県に修正",
                 "；奄美群島在Natural Earth中誤屬沖繩縣，已改歸鹿兒島縣")
    note_en, note_ja, note_zh = BOUNDARY_NOTE
    props = {
        "id": f"pref-{ascii_fold(name_en.split()[0]).lower()}",
        "name_en": name_en, "name_ja": name_ja, "name_zh_tw": name_zh,
        "category": "prefecture", "status": "existing",
        "summary_en": summary_en, "summary_ja": summary_ja, "summary_zh_tw": summary_zh,
        "sources": [NATURAL_EARTH, *info["sources"]], "checked": CHECKED,
        "precision": "approximate", "precision_m": PRECISION_M,
        "prefecture": code,
        "note_en": note_en.format(tol=tol, min_km2=min_km2, extra=extra[0]),
        "note_ja": note_ja.format(min_km2=min_km2, extra_ja=extra[1]),
        "note_zh_tw": note_zh.format(min_km2=min_km2, extra_zh=extra[2]),
        "jis_code": code, "iso_code": f"JP-{code}",
        "role_en": role_en, "role_ja": role_ja, "role_zh_tw": role_zh,
    }
    return {"type": "Feature", "geometry": geometry_dict(geom), "properties": props}


def prefecture_collection(g: gpd.GeoDataFrame, label: str, min_km2: float, tol: float) -> dict:
    order = [p[0] for p in PREFECTURES]
    by_code = dict(zip(g["code"], g.geometry))
    return {
        "type": "FeatureCollection",
        "attribution": NE_ATTRIBUTION.format(min_km2=min_km2),
        "build": {"generator": "scripts/build_prefectures.py", "source": label,
                  "min_island_km2": min_km2, "simplify_tolerance_m": tol},
        "features": [prefecture_feature(c, by_code[c], min_km2, tol) for c in order],
    }


def zone_collection(g: gpd.GeoDataFrame, min_km2: float, tol: float) -> dict:
    kumamoto = dict(zip(g["code"], g.geometry))["43"]
    nine = as_multipolygon(shapely.set_precision(
        shapely.coverage_union_all(g.geometry.values), GRID_DEG))
    fukuoka = {
        "id": "nssz-fukuoka",
        "name_en": "Fukuoka City – Kitakyushu City Global Startup & Job Creation Special Zone",
        "name_ja": "福岡市・北九州市 グローバル創業・雇用創出特区",
        "name_zh_tw": "福岡市・北九州市 全球創業・創造就業特區",
        "category": "special-zone", "status": "designated", "opened": "2014-05-01",
        "summary_en": "National Strategic Special Zone for startups and jobs, designated on 1 May"
        " 2014 for Fukuoka City; Kitakyushu City was added in January 2016. Measures used include"
        " startup tax relief, visas for foreign engineers and founders, English-language"
        " procedures and a one-stop startup centre.",
        "summary_ja": "創業と雇用をテーマとする国家戦略特区。2014年5月1日に福岡市が指定され、2016年1月に"
        "北九州市が追加された。スタートアップ法人減税、外国人エンジニア・創業人材の受入れ、英語での行政手続、"
        "ワンストップの創業支援などが活用されている。",
        "summary_zh_tw": "以創業與就業為主題的國家戰略特區：福岡市於2014年5月1日獲指定，北九州市於2016年"
        "1月加入。運用的措施包括新創減稅、外國工程師與創業人才簽證、英文行政程序及一站式創業中心。",
        "sources": [FUKUOKA_CITY_ZONE, KANTEI_NSSZ, KITAKYUSHU_ZONE, WIKI_FUKUOKA_HALL,
                    WIKI_KITAKYUSHU_HALL, FUKUOKA_ZONE_2025], "checked": NSSZ_CHECKED,
        "precision": "schematic", "precision_m": 25000, "prefecture": "40",
        "note_en": "The zone is the whole area of Fukuoka City and Kitakyushu City; municipal"
        " boundaries are not in the boundary data used here, so it is drawn as two markers at the"
        " city halls (coordinates from the Japanese Wikipedia infoboxes). precision_m is a rough"
        " estimate of how far the city areas reach from their city halls. Kitakyushu: the"
        " addition was announced at the advisory council of 15 Dec 2015 and took effect on 29 Jan"
        " 2016 (Prime Minister's Office, Kitakyushu City); some reports give Dec 2015."
        " Re-checked 2026-12-03: still designated; zone meetings and plans continued into 2025"
        " (a summary of the Cabinet Office list, September 2025). No primary page later than the"
        " city's of June 2024 was found, so the status after 2025 rests on the absence of any"
        " report of a change.",
        "note_ja": "特区の区域は福岡市と北九州市の全域。市町村界データがないため、両市役所の位置"
        "（日本語版ウィキペディアの座標）に記号を置いた模式表示。北九州市は2015年12月15日の諮問会議で"
        "追加が決まり、2016年1月29日に指定された。2026年12月3日に再確認：指定は継続、区域会議・区域計画は"
        "2025年まで続いている（内閣府一覧の要約、2025年9月）。2024年6月の市のページより新しい一次資料は見つからず、"
        "2025年以降の状況は変更の報道がないことによる。",
        "note_zh_tw": "特區範圍為福岡市與北九州市全域；因無市町村界資料，以兩市市政府位置"
        "（日文維基百科座標）示意。北九州市於2015年12月15日諮詢會議決定加入，2016年1月29日正式指定。2026年12月3日重新查核：仍為指定狀態，"
        "區域會議與區域計畫持續至2025年（內閣府清單摘要，2025年9月）；未找到比市府2024年6月頁面更新的一手資料，"
        "2025年以後的狀態係依未見變更報導而定。",
    }
    kizuna = {
        "id": "nssz-kumamoto",
        "name_en": "Industrial Base Formation Kizuna Special Zone (Kumamoto, with Miyagi)",
        "name_ja": "産業拠点形成連携“絆”特区（熊本県・宮城県）",
        "name_zh_tw": "產業據點形成合作「絆」特區（熊本縣、宮城縣）",
        "category": "special-zone", "status": "designated",
        "announced": "2024-06-04", "opened": "2024-06-26", "prefecture": "43",
        "summary_en": "National Strategic Special Zone shared with Miyagi for a semiconductor-"
        "centred industrial base and the labour shortage, including foreign talent: approved at"
        " the advisory council on 4 June 2024, ordinance adopted by the cabinet on 21 June, in"
        " effect from 26 June 2024 (not 2025).",
        "summary_ja": "宮城県と連携し、半導体を核とした産業拠点形成と人材不足（外国人材を含む）に取り組む"
        "国家戦略特区。2024年6月4日の諮問会議を踏まえ、6月21日に政令を閣議決定、6月26日付けで指定"
        "（2025年ではない）。",
        "summary_zh_tw": "與宮城縣合作、以半導體為核心的產業據點形成及人力短缺（含外國人才）為主題的"
        "國家戰略特區：2024年6月4日諮詢會議通過，6月21日內閣決定政令，6月26日起生效（並非2025年）。",
        "sources": [CHISOU_KIZUNA, KANTEI_KIZUNA, KUMAMOTO_PREF_ZONE, FNN_KIZUNA_2025],
        "checked": NSSZ_CHECKED,
        "precision": "approximate", "precision_m": PRECISION_M,
        "note_en": "The zone covers the whole prefecture (Miyagi and Kumamoto are named as"
        " prefectures in the ordinance), so it is drawn with the Kumamoto boundary built from"
        " Natural Earth 1:10m (islands under %g km² left out). Miyagi, the other half, is outside"
        " this map. Re-checked 2026-12-03: still designated and in use — faster visa checks for"
        " foreign engineers since January 2025, and two more zone projects (a business start-up"
        " one-stop centre, foreign housekeeping workers) approved in October 2025 (FNN). No later"
        " source was found." % min_km2,
        "note_ja": "区域は県全域のため、Natural Earth 1:10mによる熊本県の境界で表示（宮城県は地図の範囲外）。"
        "2026年12月3日に再確認：指定は継続し活用中。2025年1月から外国人エンジニアの在留資格審査を迅速化、"
        "2025年10月に開業ワンストップセンターと家事支援外国人受入れの2事業が新たに認定（FNN）。それ以降の出典は見つからない。",
        "note_zh_tw": "特區範圍為全縣，故以Natural Earth 1:10m的熊本縣邊界表示（宮城縣不在本地圖範圍內）。"
        "2026年12月3日重新查核：仍為指定狀態並持續運用——2025年1月起加速外國工程師在留資格審查，"
        "2025年10月再獲認定開業一站式中心與家事支援外國人受入兩項事業（FNN）。未找到更新的來源。",
    }
    kyushu = {
        "id": "kyushu-semiconductor-zone",
        "name_en": "Kyushu semiconductor special zone (requested, not yet created)",
        "name_ja": "九州の半導体特区（要望中・制度未創設）",
        "name_zh_tw": "九州半導體特區（要求中，制度尚未設立）",
        "category": "special-zone", "status": "proposed", "announced": "2025-10-28",
        "summary_en": "At its meeting in Nago, Okinawa, on 28 October 2025 the Kyushu Regional"
        " Strategy Council (the nine prefectures and business federations) agreed to ask the"
        " national government to create a new special-zone system with tax support and"
        " land-use deregulation for semiconductor hubs, targeting five industry–academia–"
        "government hubs in the region by FY2029. No such zone exists yet.",
        "summary_ja": "九州地域戦略会議（9県と経済団体）は2025年10月28日、沖縄県名護市での会合で、"
        "半導体などの産学官連携拠点に向けた税制支援や用地整備の規制緩和を伴う新たな特区制度の創設を国に"
        "要望する方針で一致し、2029年度までに域内に拠点を5か所整備する目標を掲げた。特区はまだない。",
        "summary_zh_tw": "九州地域戰略會議（九縣與經濟團體）於2025年10月28日在沖繩縣名護市會議中，"
        "同意向中央要求創設包含稅制支援及用地法規鬆綁的新特區制度，以支持半導體等產官學據點，"
        "並以2029年度前在區內設置五處據點為目標。此特區尚未設立。",
        "sources": [COUNCIL, COUNCIL_NIKKEI, REGION_DECLARATION], "checked": KYUSHU_ZONE_CHECKED,
        "precision": "approximate", "precision_m": PRECISION_M,
        "note_en": "Drawn as the nine council prefectures together (union of the Natural Earth"
        " boundaries above): the request concerns the region, and no zone area or hub site has"
        " been defined. Nikkei reported the meeting as 27–28 October and the agreement as one to"
        " 'consider' requesting the zone. Re-checked 2026-12-03: no candidate site or prefecture"
        " for the five hubs was found named in any source; DECN says the areas are undecided, Nikkei"
        " that the Kyushu Economic Federation's liaison group (set up in 2024) is working on them,"
        " and the council declared a 'wide-area region partnership' on 20 October 2025 to seek"
        " national funding (Zaikai Kyushu). No report that the zone system has been created was"
        " found.",
        "note_ja": "9県の範囲（上記境界の合併）で表示。要望は地域全体に関するもので、区域や拠点の場所は未定。"
        "2026年12月3日に再確認：5拠点の候補地・候補県を挙げた出典は見つからない。日刊建設工業新聞は整備地域を未定とし、"
        "日経は九経連が2024年に設けた情報連絡会が検討中と報じた。戦略会議は2025年10月20日に国の支援を受けるため"
        "「広域リージョン連携」を宣言した（財界九州）。特区制度の創設を報じる記事は見つからない。",
        "note_zh_tw": "以九縣範圍（上述邊界的聯集）表示；要求涉及整個地區，特區範圍與據點地點均未確定。"
        "2026年12月3日重新查核：未查到任何來源點名五處據點的候選地或候選縣；日刊建設工業新聞稱地點未定，"
        "日經報導由九州經濟聯合會2024年設立的資訊聯絡會研議中；戰略會議於2025年10月20日宣布「廣域區域合作」"
        "以爭取中央經費（財界九州）。未查到特區制度已創設的報導。",
    }
    hall_points = MultiPoint([FUKUOKA_CITY_HALL, KITAKYUSHU_CITY_HALL])
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": geometry_dict(hall_points), "properties": fukuoka},
            {"type": "Feature", "geometry": geometry_dict(kumamoto), "properties": kizuna},
            {"type": "Feature", "geometry": geometry_dict(nine), "properties": kyushu},
        ],
    }


def dump(fc: dict) -> str:
    """One feature per line; coordinates rounded to 5 decimals."""
    def rnd(o):
        if isinstance(o, float):
            return round(o, 5)
        if isinstance(o, (list, tuple)):
            return [rnd(x) for x in o]
        return o
    head = {k: v for k, v in fc.items() if k != "features"}
    first = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    first += (',' if head else '') + '"features":['
    lines = []
    for f in fc["features"]:
        f = dict(f, geometry=dict(f["geometry"], coordinates=rnd(f["geometry"]["coordinates"])))
        lines.append(json.dumps(f, ensure_ascii=False, separators=(",", ":")))
    return first + "\n" + ",\n".join(lines) + "\n]}\n"


# ---------------------------------------------------------------------------
# Checks (also usable alone: --check)
# ---------------------------------------------------------------------------
def load_checkpoints() -> list[dict]:
    return json.loads(CHECKPOINTS_FILE.read_text(encoding="utf-8"))


def check(pref_path: Path, zones_path: Path, max_bytes: int) -> list[str]:
    problems = []
    fc = json.loads(pref_path.read_text(encoding="utf-8"))
    feats = fc["features"]
    codes = [f["properties"]["jis_code"] for f in feats]
    if sorted(codes) != sorted(BY_CODE):
        problems.append(f"prefectures: codes {codes}")
    geoms = {f["properties"]["jis_code"]: shape(f["geometry"]) for f in feats}
    for code, geom in geoms.items():
        if not geom.is_valid:
            problems.append(f"prefecture {code}: invalid geometry")
        for poly in geom.geoms:
            if not poly.exterior.is_ccw:
                problems.append(f"prefecture {code}: exterior ring not counter-clockwise")
                break
    size = pref_path.stat().st_size
    if size >= max_bytes:
        problems.append(f"{pref_path.name}: {size} bytes, budget {max_bytes}")
    for p in load_checkpoints():
        pt = Point(p["lon"], p["lat"])
        inside = sorted(c for c, g in geoms.items() if g.contains(pt))
        if inside != [p["jis_code"]]:
            problems.append(f"checkpoint {p['name']} ({p['lon']}, {p['lat']}): in {inside},"
                            f" expected {p['jis_code']}")
    aea = gpd.GeoSeries(list(geoms.values()), crs=4326).to_crs(AEA)
    keys = list(geoms)
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            a = aea.iloc[i].intersection(aea.iloc[j]).area / 1e6
            if a > 0.01:
                problems.append(f"overlap {keys[i]}/{keys[j]}: {a:.2f} km2")
    zones = {f["properties"]["id"]: f for f in
             json.loads(zones_path.read_text(encoding="utf-8"))["features"]}
    kumamoto = zones.get("nssz-kumamoto")
    if kumamoto is None or not shape(kumamoto["geometry"]).equals(geoms["43"]):
        problems.append("special zone nssz-kumamoto is not the Kumamoto prefecture polygon")
    nine = zones.get("kyushu-semiconductor-zone")
    union = shapely.union_all(list(geoms.values()))
    if nine is None or shape(nine["geometry"]).symmetric_difference(union).area > 1e-6:
        problems.append("kyushu-semiconductor-zone is not the union of the nine prefectures")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true",
                    help="only check the existing output files (no download, no writing)")
    ap.add_argument("--apt-update", action="store_true", help="run `apt-get update` first")
    ap.add_argument("--deb", help=f"an already downloaded {DEB_NAME}_{DEB_VERSION}_*.deb")
    ap.add_argument("--input", help="any ne_10m_admin_1_states_provinces.shp (not checksummed)")
    ap.add_argument("--cache", default=str(default_cache()),
                    help="download/unpack directory, outside the repository "
                         "(default: $XDG_CACHE_HOME or the temp dir, /kumamap-natural-earth)")
    ap.add_argument("--out", default=str(ROOT / "geo" / "prefectures.geojson"))
    ap.add_argument("--zones-out", default=str(ROOT / "geo" / "special-zones.geojson"))
    ap.add_argument("--min-island-km2", type=float, default=10.0)
    ap.add_argument("--tolerance-m", type=float, default=DEFAULT_TOLERANCE_M,
                    help="coverage_simplify tolerance in metres (raised if over --max-bytes)")
    ap.add_argument("--max-bytes", type=int, default=300_000)
    args = ap.parse_args(argv)
    out, zones_out = Path(args.out), Path(args.zones_out)

    if args.check:
        problems = check(out, zones_out, args.max_bytes)
        for p in problems:
            print("CHECK FAILED:", p, file=sys.stderr)
        print(f"checked {out.name} and {zones_out.name}: "
              f"{'ok' if not problems else f'{len(problems)} problem(s)'}")
        return 1 if problems else 0

    gdf, label = load_source(args)
    parts, n_amami = assign_parts(gdf)
    kept, dropped, senkaku = drop_small(parts, args.min_island_km2)
    print(f"Natural Earth: {len(parts)} polygon parts in the nine prefectures; "
          f"{n_amami} Amami parts moved from Okinawa to Kagoshima")
    print(f"dropped {len(dropped)} islets under {args.min_island_km2:g} km2 "
          f"({dropped['area_km2'].sum():.1f} km2 in total, largest "
          f"{dropped['area_km2'].max():.1f} km2), of which {len(senkaku)} Senkaku islets")
    merged = kept.dissolve(by="code", as_index=False)[["code", "geometry"]].to_crs(AEA)

    tol = args.tolerance_m
    while True:
        g = finalize(merged, tol)
        text = dump(prefecture_collection(g, label, args.min_island_km2, tol))
        if len(text.encode()) < args.max_bytes or tol >= 3200:
            break
        tol *= 2
    out.write_text(text, encoding="utf-8")
    zones_out.write_text(dump(zone_collection(g, args.min_island_km2, tol)), encoding="utf-8")

    nparts = sum(len(x.geoms) for x in g.geometry)
    nverts = sum(shapely.get_num_coordinates(x) for x in g.geometry)
    print(f"wrote {out.name}: {out.stat().st_size} bytes, {len(g)} prefectures, "
          f"{nparts} polygons, {nverts} vertices (coverage_simplify tolerance {tol:g} m)")
    for code, geom in sorted(zip(g["code"], g.geometry)):
        print(f"  {code} {BY_CODE[code][1]:<10} polygons={len(geom.geoms):>2} "
              f"vertices={shapely.get_num_coordinates(geom)}")
    print(f"wrote {zones_out.name}: {zones_out.stat().st_size} bytes, 3 zones")

    problems = check(out, zones_out, args.max_bytes)
    if problems:
        for p in problems:
            print("CHECK FAILED:", p, file=sys.stderr)
        return 1
    print(f"checks passed ({len(load_checkpoints())} checkpoints, no overlaps, zones consistent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
