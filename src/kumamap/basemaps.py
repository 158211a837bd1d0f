"""Tile providers as data: where the tiles come from and the credit each requires."""

from __future__ import annotations

from dataclasses import dataclass

GSI_TERMS = "https://maps.gsi.go.jp/development/ichiran.html"


@dataclass(frozen=True)
class Basemap:
    id: str
    name: str
    url: str
    attribution: str
    max_zoom: int


BASEMAPS: tuple[Basemap, ...] = (
    Basemap(
        "osm",
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        19,
    ),
    Basemap(
        "gsi-std",
        "地理院タイル 標準 (GSI standard)",
        "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
        f'<a href="{GSI_TERMS}">地理院タイル</a> (GSI Japan)',
        18,
    ),
    Basemap(
        "gsi-pale",
        "地理院タイル 淡色 (GSI pale)",
        "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png",
        f'<a href="{GSI_TERMS}">地理院タイル</a> (GSI Japan)',
        18,
    ),
    Basemap(
        "gsi-photo",
        "地理院タイル 写真 (GSI aerial photo)",
        "https://cyberjapandata.gsi.go.jp/xyz/seamlessphoto/{z}/{x}/{y}.jpg",
        f'<a href="{GSI_TERMS}">地理院タイル</a> (GSI Japan; aerial photo)',
        18,
    ),
)
