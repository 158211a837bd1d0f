"""Interface strings in the three languages. Data texts carry their own (model.Texts)."""

from __future__ import annotations

from kumamap.model import Lang, Precision, Status, Texts

LANGUAGE_NAMES: dict[Lang, str] = {"zh-TW": "繁體中文", "ja": "日本語", "en": "English"}
# Order of the language switch; English is the default as the one most readers share.
UI_LANGS: tuple[Lang, ...] = ("zh-TW", "ja", "en")
DEFAULT_LANG: Lang = "en"

STRINGS: dict[str, Texts] = {
    "title": Texts("Kumamoto distributed science park", "くまもと分散型サイエンスパーク", "熊本分散型科學園區"),
    "subtitle": Texts(
        "JASM (TSMC Kumamoto), the parks, districts and links around it, in its Kyushu context.",
        "JASM（TSMC熊本）を核とする工業団地・地区・交通、そして九州の広がり。",
        "以 JASM（台積電熊本）為核心的園區、地區與交通，及其九州脈絡。",
    ),
    "language": Texts("Language", "言語", "語言"),
    "find": Texts("Find a place", "場所を探す", "搜尋地點"),
    "find_placeholder": Texts("e.g. Haramizu, 原水, 菊陽", "例：原水、Haramizu、菊陽", "例如：原水、Haramizu、菊陽"),
    "find_help": Texts(
        "Names in English, Japanese or Chinese (romaji without macrons is fine: ozu, oozu). "
        "The best match is selected and the map flies to it; other matches are listed below.",
        "英語・日本語・中国語の名前で探せます（ローマ字は長音記号なしでも可：ozu, oozu）。"
        "最も近いものを選び、地図をそこへ移動します。ほかの候補は下に並びます。",
        "可用英文、日文或中文名稱搜尋（羅馬字可不加長音符號：ozu、oozu）。"
        "最符合者會被選取並移動地圖；其他結果列在下方。",
    ),
    "find_none": Texts("No place of that name.", "その名前の場所はありません。", "找不到此名稱的地點。"),
    "rings": Texts("Distance rings from JASM", "JASMからの距離の円", "距 JASM 的距離圈"),
    "rings_help": Texts(
        "5, 10, 20 and 30 km straight-line circles around JASM Fab 1 (geodesic).",
        "JASM第1工場を中心とした直線距離5・10・20・30 kmの円（測地線）。",
        "以 JASM 一廠為中心、直線距離 5、10、20、30 公里的圓（大地線）。",
    ),
    "locate": Texts("Show on map", "地図で表示", "在地圖上顯示"),
    "not_shown": Texts(
        "Hidden on the map by the current layers or filters.",
        "現在のレイヤー・絞り込みでは地図に表示されていません。",
        "目前的圖層或篩選條件下未顯示於地圖。",
    ),
    "distance_from": Texts("Distance from {name}", "{name}からの距離", "距{name}"),
    "nearest_station": Texts("Nearest station", "最寄り駅", "最近車站"),
    "straight_line": Texts(
        "Straight-line distances between the shapes as drawn (schematic shapes are approximate).",
        "描かれた図形どうしの直線距離（模式図の場合は概算）。",
        "依圖上形狀計算的直線距離（示意圖形僅供參考）。",
    ),
    "export_help": Texts(
        "Download what the map shows now (after filters), with sources and precision:",
        "いま地図に表示中のもの（絞り込み後）を出典・精度付きでダウンロード：",
        "下載地圖目前顯示的內容（篩選後），含出處與精確度：",
    ),
    "export_geojson": Texts("GeoJSON", "GeoJSON", "GeoJSON"),
    "export_csv": Texts("CSV", "CSV", "CSV"),
    "export_html": Texts("HTML map", "HTML地図", "HTML 地圖"),
    "link_ignored": Texts(
        "Some parts of the link you opened were ignored:",
        "開いたリンクの一部は無視しました：",
        "您開啟的連結中有部分內容已略過：",
    ),
    "link_unknown": Texts("not a setting of this page", "このページの設定ではありません", "不是本頁的設定"),
    "link_invalid": Texts("not a valid value", "有効な値ではありません", "不是有效的值"),
    "link_more": Texts("more ignored parameters not listed", "ほかにも無視した項目があります（省略）",
                       "另有其他略過的參數（未列出）"),
    "view": Texts("Map view", "表示範囲", "地圖範圍"),
    "view_kumamoto": Texts("Kumamoto", "熊本", "熊本"),
    "view_kyushu": Texts("Kyushu", "九州", "九州"),
    "view_world": Texts("World (trade centres)", "世界（貿易投資センター）", "全球（貿易投資中心）"),
    "outline_basemap": Texts("Outline — works offline", "輪郭のみ（オフラインで表示）", "輪廓底圖（離線可用）"),
    "outline_notice": Texts(
        "Map tiles could not load: showing the offline outline map.",
        "地図タイルを読み込めないため、オフラインの輪郭地図を表示しています。",
        "無法載入地圖圖磚，改為顯示離線輪廓底圖。",
    ),
    "copy_link": Texts("Copy a link to this view", "この表示へのリンクをコピー", "複製此畫面的連結"),
    "upload": Texts("Add your own layer", "自分のレイヤーを追加", "加入您的圖層"),
    "slowed": Texts(
        "This page asked for updates faster than anyone can read them: they were combined, "
        "and the page shows the latest.",
        "このページは読み切れない速さで更新を求めたため、まとめて最新の状態だけを表示しています。",
        "此頁面要求更新的速度超過可閱讀的速度：已合併處理，頁面顯示最新狀態。",
    ),
    "upload_budget": Texts(
        "was not read: the server holds {used} MB of uploaded layers, near its limit of "
        "{limit} MB; please try again in a few minutes",
        "読み込みませんでした。サーバーが保持するアップロード済みレイヤーが {used} MB で、"
        "上限 {limit} MB に近いためです。数分後にもう一度お試しください",
        "未讀取：伺服器目前保存的上傳圖層已達 {used} MB，接近上限 {limit} MB；請幾分鐘後再試",
    ),
    "upload_help": Texts(
        "GeoJSON, zipped shapefile or GeoPackage, up to {mb} MB. Shown in this session only; "
        "checked by the same rules as the map's data; never stored.",
        "GeoJSON・ZIP圧縮シェープファイル・GeoPackage（{mb} MB まで）。このセッションだけに表示され、"
        "地図データと同じ規則で検査し、保存はしません。",
        "GeoJSON、壓縮的 Shapefile 或 GeoPackage，上限 {mb} MB。僅在本次工作階段顯示，"
        "以與地圖資料相同的規則檢查，不會儲存。",
    ),
    "upload_queued": Texts(
        "Your file is queued: {ahead} uploads are read before it.",
        "ファイルは順番待ちです。先に {ahead} 件のアップロードを読み込みます。",
        "您的檔案正在排隊：前面還有 {ahead} 個上傳檔案。",
    ),
    "upload_lost": Texts(
        "Your layer was on a server that stopped; upload it again.",
        "あなたのレイヤーは停止したサーバーにありました。もう一度アップロードしてください。",
        "您的圖層位於已停止的伺服器上，請重新上傳。",
    ),
    "layers": Texts("Layers", "レイヤー", "圖層"),
    "filters": Texts("Filters", "絞り込み", "篩選"),
    "category": Texts("Category", "分類", "類別"),
    "status": Texts("Status", "状況", "狀態"),
    "year": Texts("As of year", "年時点", "年份（截至）"),
    "year_help": Texts(
        "Show what existed, was under construction or only planned in that year.",
        "その年に存在・建設中・計画中だったものを表示します。",
        "顯示該年已存在、興建中或僅在規劃中的項目。",
    ),
    "all_years": Texts("Today", "現在", "目前"),
    "prefecture": Texts("Prefecture", "県", "縣"),
    "origin": Texts("Firm's home country", "企業の本拠国・地域", "企業母國／地區"),
    "sector": Texts("Sector", "業種", "產業別"),
    "site_type": Texts("Site", "拠点の種類", "據點類型"),
    "aliases": Texts("Also known as", "別名", "別名"),
    "cluster_summary": Texts("Firms and sites shown", "表示中の企業・拠点", "顯示中的企業與據點"),
    "sites": Texts("{count} sites", "{count} 拠点", "{count} 處據點"),
    "search": Texts("Name contains", "名称で検索", "名稱搜尋"),
    # A button's visible text is its accessible name: it says what pressing it does.
    "play": Texts("▶ Play the years", "▶ 年を順に再生", "▶ 依年份播放"),
    "pause": Texts("⏸ Pause", "⏸ 一時停止", "⏸ 暫停"),
    "choose": Texts("Any", "すべて", "全部"),
    "shown": Texts("features shown", "件を表示", "個項目顯示中"),
    "details": Texts("Details", "詳細", "詳細資訊"),
    "click_hint": Texts(
        "Click a zone, line or point on the map to read what it is.",
        "地図上の区域・線・点をクリックすると詳細が表示されます。",
        "點擊地圖上的區域、線或點以查看詳細資訊。",
    ),
    "problems": Texts("Data problems (these features are not drawn)", "データの問題（該当する地物は表示されません）", "資料問題（這些項目未顯示）"),
    "names": Texts("Names", "名称", "名稱"),
    "layer": Texts("Layer", "レイヤー", "圖層"),
    "announced": Texts("Announced", "発表", "宣布"),
    "started": Texts("Started", "着工・開始", "動工／開始"),
    "opened": Texts("Opened / in effect", "開業・発効", "啟用／生效"),
    "planned_year": Texts("Target year", "目標年", "目標年份"),
    "area": Texts("Area", "面積", "面積"),
    "precision": Texts("Geometry precision", "位置の精度", "位置精度"),
    "confidence": Texts("Confidence in the site", "場所の確度", "地點確定程度"),
    "note": Texts("Note", "注記", "附註"),
    "sources": Texts("Sources", "出典", "資料來源"),
    "checked": Texts("Checked", "確認日", "查核日期"),
    "checked_on": Texts("checked {date}", "{date} 確認", "{date} 查核"),
    "more": Texts("More", "その他", "其他"),
    "not_a_link": Texts("not a web link", "ウェブリンクではありません", "非網頁連結"),
    "legend": Texts("Legend", "凡例", "圖例"),
    "legend_origin": Texts("firm from {country} (fill)", "{country}の企業（塗り色）", "{country}企業（填色）"),
    "legend_origin_other": Texts("firm from elsewhere (fill)", "その他の国・地域の企業（塗り色）",
                                 "其他國家／地區企業（填色）"),
    "legend_planned": Texts("planned / candidate / proposed", "計画・候補・構想", "規劃／候選／提議"),
    "legend_schematic": Texts("schematic shape (outline not public)", "模式図（輪郭は非公開）", "示意形狀（範圍未公開）"),
    "timeline": Texts("Policy timeline", "政策の年表", "政策時間軸"),
    "related": Texts("Related", "関連", "相關"),
    "schematic_mark": Texts("schematic", "模式図", "示意"),
    "tab_story": Texts("Story", "ストーリー", "故事導覽"),
    "tab_table": Texts("Feature table", "一覧表", "項目列表"),
    "tab_charts": Texts("Charts", "グラフ", "圖表"),
    "story_intro": Texts(
        "The policy story behind the map in {count} chapters. Each chapter moves the map, "
        "turns on its layers and sets the year.",
        "地図の背景にある政策の流れを{count}章で紹介します。章を開くと地図が移動し、"
        "レイヤーと年が切り替わります。",
        "以 {count} 個章節介紹地圖背後的政策脈絡。開啟章節時，地圖會移動並切換圖層與年份。",
    ),
    "story_none": Texts("This data has no story.", "このデータにはストーリーがありません。",
                        "此資料沒有故事導覽。"),
    "chapter_of": Texts("Chapter {number} of {count}", "第{number}章（全{count}章）",
                        "第 {number} 章（共 {count} 章）"),
    "story_beside": Texts("The chapter is beside the map; close it there to leave the story.",
                          "章の本文は地図の横にあります。そこで閉じるとストーリーを終えます。",
                          "章節內容在地圖旁；在那裡關閉即可結束故事導覽。"),
    "close_panel": Texts("Close", "閉じる", "關閉"),
    "close_panel_help": Texts("Close this panel: the map takes its place.",
                              "このパネルを閉じて、地図を広く表示します。",
                              "關閉此面板，讓地圖佔滿空間。"),
    "chapter_previous": Texts("Previous", "前へ", "上一章"),
    "chapter_next": Texts("Next", "次へ", "下一章"),
    "chapter_start": Texts("Start the story", "ストーリーを始める", "開始故事導覽"),
    "chapter_pick": Texts("Go to chapter", "章を選ぶ", "跳至章節"),
    "chapter_keys": Texts("Keyboard: Alt+Shift+→ next, Alt+Shift+← previous.",
                          "キーボード：Alt+Shift+→ で次へ、Alt+Shift+← で前へ。",
                          "鍵盤：Alt+Shift+→ 下一章，Alt+Shift+← 上一章。"),
    "table_help": Texts(
        "Everything the map shows now (after filters). Click a column header to sort, use the "
        "search icon above the table to search, and choose a row to open its details and move "
        "the map there. By keyboard: Tab into the table, arrow keys to a row, Shift+Space.",
        "いま地図に表示中のもの（絞り込み後）。列見出しで並べ替え、表の上の検索アイコンで検索でき、"
        "行を選ぶと詳細が開き地図がその場所へ移動します。キーボードでは Tab で表に入り、"
        "矢印キーで行へ移動して Shift+Space。",
        "地圖目前顯示的所有項目（篩選後）。點擊欄位標題可排序，用表格上方的搜尋圖示可搜尋；"
        "選取一列即開啟詳細資訊並將地圖移至該處。鍵盤操作：按 Tab 進入表格，以方向鍵移至該列，"
        "再按 Shift+Space。",
    ),
    "table_pick": Texts("Choose a feature", "地物を選ぶ", "選擇項目"),
    "table_selected": Texts("Selected", "選択中", "已選取"),
    "table_name": Texts("Name", "名称", "名稱"),
    "table_area": Texts("Area (ha)", "面積（ha）", "面積（公頃）"),
    "table_distance": Texts("From {name} (km)", "{name}から（km）", "距{name}（公里）"),
    "table_source": Texts("Source", "出典", "資料來源"),
    "nothing_shown": Texts(
        "Nothing is shown: turn on a layer or loosen the filters.",
        "表示中のものがありません。レイヤーをオンにするか絞り込みを緩めてください。",
        "目前沒有顯示任何項目：請開啟圖層或放寬篩選條件。",
    ),
    "chart_timeline": Texts("Timeline of the shown features and policy events",
                            "表示中の地物と政策の年表", "顯示項目與政策事件時間軸"),
    "chart_timeline_help": Texts(
        "Bars run from one milestone to the next, coloured by layer: pale from the announcement, "
        "darker once under way, full once open or in effect. Diamonds are policy events; the red "
        "dashed line is the \"as of year\". Choose a bar to select its feature.",
        "棒は各段階の期間でレイヤー別に色分けし、発表後は淡く、着工後は濃く、開業・発効後は最も濃く"
        "表示します。ひし形は政策の出来事、赤い破線は「年時点」です。棒を選ぶとその地物を選択します。",
        "長條為各階段的期間並依圖層著色：宣布後為淡色，動工後較深，啟用或生效後為最深。"
        "菱形為政策事件，紅色虛線為「截至年份」。點選長條即可選取該項目。",
    ),
    "chart_year": Texts("Year", "年", "年份"),
    "chart_events": Texts("Policy events", "政策の出来事", "政策事件"),
    "chart_event": Texts("Event", "出来事", "事件"),
    "chart_date": Texts("Date", "日付", "日期"),
    "chart_dates": Texts("Dates", "期間", "期間"),
    "chart_phase": Texts("Phase", "段階", "階段"),
    "phase_planning": Texts("announced", "発表後", "宣布後"),
    "phase_building": Texts("under way", "着工後", "動工後"),
    "phase_open": Texts("open / in effect", "開業・発効後", "啟用／生效後"),
    "phase_target": Texts("target year", "目標年", "目標年份"),
    "chart_summary": Texts("What is shown", "表示中の内容", "顯示內容摘要"),
    "chart_areas": Texts("Area of zones by status", "区域の面積（状況別）", "各區域面積（依狀態）"),
    "chart_layers": Texts("Features by layer", "レイヤー別の件数", "各圖層項目數"),
    "chart_count": Texts("Features", "件数", "項目數"),
    "chart_origins": Texts("Firms and sites by home country", "本拠国・地域別の企業・拠点",
                           "企業與據點（依母國／地區）"),
    "chart_sectors": Texts("Firms and sites by sector", "業種別の企業・拠点",
                           "企業與據點（依產業別）"),
}

STATUS_NAMES: dict[Status, Texts] = {
    Status.OPERATING: Texts("operating", "稼働・供用中", "營運中"),
    Status.UNDER_CONSTRUCTION: Texts("under construction", "建設中", "興建中"),
    Status.PLANNED: Texts("planned", "計画", "規劃中"),
    Status.CANDIDATE: Texts("candidate site", "候補地", "候選地"),
    Status.DESIGNATED: Texts("designated", "指定済み", "已指定"),
    Status.PROPOSED: Texts("proposed", "構想・要望", "提議中"),
    Status.EXISTING: Texts("existing", "既存", "既有"),
}

PRECISION_NAMES: dict[Precision, Texts] = {
    Precision.EXACT: Texts("exact", "正確", "精確"),
    Precision.APPROXIMATE: Texts("approximate", "おおよそ", "約略"),
    Precision.SCHEMATIC: Texts("schematic", "模式図", "示意"),
}


# Home countries of the firms in the data (ISO 3166-1 alpha-2); an unknown code is shown
# as the code itself.
COUNTRY_NAMES: dict[str, Texts] = {
    "TW": Texts("Taiwan", "台湾", "臺灣"),
    "JP": Texts("Japan", "日本", "日本"),
    "US": Texts("United States", "アメリカ", "美國"),
    "NL": Texts("Netherlands", "オランダ", "荷蘭"),
    "KR": Texts("South Korea", "韓国", "韓國"),
    "DE": Texts("Germany", "ドイツ", "德國"),
    "FR": Texts("France", "フランス", "法國"),
    "GB": Texts("United Kingdom", "イギリス", "英國"),
    "CH": Texts("Switzerland", "スイス", "瑞士"),
    "SG": Texts("Singapore", "シンガポール", "新加坡"),
    "CN": Texts("China", "中国", "中國"),
    "BE": Texts("Belgium", "ベルギー", "比利時"),
    "FI": Texts("Finland", "フィンランド", "芬蘭"),
}


def country_name(code: str, lang: Lang) -> str:
    names = COUNTRY_NAMES.get(code)
    return names.pick(lang) if names else code


def t(key: str, lang: Lang) -> str:
    """The interface string `key` in `lang` (English fallback)."""
    return STRINGS[key].pick(lang)
