"""Stage 5, render: the documents -> the files a reader gets. html.py (the page and the report's
HTML, one Jinja environment), pdf.py (the report, with WeasyPrint, imported only for a PDF),
data.py (JSON, CSV, SQLite), feed.py (badge and Atom feed), charts.py (chart geometry) and
markdown.py (safe Markdown)."""
