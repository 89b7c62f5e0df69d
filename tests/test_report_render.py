"""Pages open alone: render.inline_assets writes every stylesheet and charts.js into the page.

Any .css file of static/ is handled the same way, linked with or without a media
attribute (the council page links print.css with media="print").
"""

from __future__ import annotations

from pipeline.reports import render

ASSETS = "../assets/"
FILES = {
    "report.css": "body { color: #111; }",
    "print.css": "@media print { nav { display: none; } }",
    "charts.js": "var s = '</script><b>';",
    "plotly.min.js": "window.Plotly = {};",
}


def page(head: str) -> str:
    return f"<!doctype html><html><head>{head}</head><body></body></html>"


def test_every_stylesheet_is_written_into_the_page_keeping_its_media(monkeypatch):
    monkeypatch.setattr(render, "_shared_asset_texts", lambda: FILES)
    text = render.inline_assets(page(
        '<link rel="stylesheet" href="../assets/report.css">'
        '<link rel="stylesheet" href="../assets/print.css" media="print">'), ASSETS)
    assert "<link" not in text
    assert '<style data-asset="report.css">\nbody { color: #111; }\n</style>' in text
    assert '<style data-asset="print.css" media="print">\n@media print { nav { display: none; } }\n</style>' in text


def test_charts_js_inline_and_plotly_only_when_self_contained(monkeypatch):
    monkeypatch.setattr(render, "_shared_asset_texts", lambda: FILES)
    head = '<script src="../assets/plotly.min.js"></script><script src="../assets/charts.js"></script>'
    shared = render.inline_assets(page(head), ASSETS)
    assert '<script src="../assets/plotly.min.js"></script>' in shared
    # A "</script" inside the script would end the element early: it is written "<\/script".
    assert "<script data-asset=\"charts.js\">\nvar s = '<\\/script><b>';\n</script>" in shared
    alone = render.inline_assets(page(head), ASSETS, plotly=True)
    assert "plotly.min.js\"></script>" not in alone and "window.Plotly = {};" in alone


def test_other_links_and_unknown_files_are_left_alone(monkeypatch):
    monkeypatch.setattr(render, "_shared_asset_texts", lambda: FILES)
    head = ('<link rel="stylesheet" href="https://example.org/x.css">'
            '<link rel="stylesheet" href="../assets/missing.css"><script src="other.js"></script>')
    assert render.inline_assets(page(head), ASSETS) == page(head)


def test_self_contained_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv(render.SELF_CONTAINED_ENV, raising=False)
    assert not render.self_contained()
    monkeypatch.setenv(render.SELF_CONTAINED_ENV, "1")
    assert render.self_contained()


def test_horizontal_bar_names_wrap_so_a_phone_keeps_room_for_the_bars():
    from pipeline.reports import charts

    chart = charts.bar_chart("b", "t", "c", ["Current hours, two more day teams", "<b>24/7</b> citywide"],
                             [("Share", [52, 80])], table=charts.Table(["x"]), horizontal=True)
    (trace,) = chart.spec["data"]
    # At most 16 characters a line, broken at spaces; escaped line by line (a name is input, never markup).
    assert trace["y"] == ["Current hours,<br>two more day<br>teams", "&lt;b&gt;24/7&lt;/b&gt;<br>citywide"]
    upright = charts.bar_chart("v", "t", "c", ["Current hours, two more day teams"], [("Share", [52])],
                               table=charts.Table(["x"]))
    assert upright.spec["data"][0]["x"] == ["Current hours, two more day teams"]
