"""Static HTML reports built from the warehouse's metric tables.

    render.py   the Jinja2 environment (autoescape), number formats, writing a
                report file and the shared assets (plotly.min.js, CSS, chart script)
    charts.py   chart specifications (aggregates only) with the table behind each
    metric_text.py  a metric_values row as printed: value, interval, counts behind it
    weekly.py   the weekly operations report (staff)
    council.py  the council budget dashboard (public, small counts suppressed)
    quality.py  the data-quality report (per file loaded)
    index.py    the index page listing every report built

Each report module has a plain `build_*_context(con, ...)` that reads the
warehouse (through pipeline/metrics/values.py and SQL under sql/reports/) and a `write_*` that renders it; the Dagster
assets in pipeline/defs/reports.py only call them.
"""
