"""The VRO dashboard: `make dashboard` (streamlit run orchestration/dashboard/app.py).

Reads <VRO_HOME>/published/vro.duckdb read-only and <VRO_HOME>/reports/last_run.json.
"""

from __future__ import annotations

import streamlit as st

# (page module in pages/, title, url path, default page)
PAGES = [
    ("portfolio.py", "Portfolio", "portfolio", True),
    ("project.py", "Project", "project", False),
    ("benefits.py", "Benefits", "benefits", False),
    ("strategy.py", "Strategy", "strategy", False),
    ("optimize.py", "Optimize", "optimize", False),
    ("trust.py", "Data trust", "data-trust", False),
]


def main() -> None:
    st.set_page_config(page_title="VRO dashboard", layout="wide")
    pages = [
        st.Page(f"pages/{file}", title=title, url_path=url_path, default=default)
        for file, title, url_path, default in PAGES
    ]
    st.navigation(pages).run()


if __name__ == "__main__":
    main()
