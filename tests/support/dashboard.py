"""What the dashboard's tests share (test_dashboard.py, test_dashboard_browser.py)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "orchestration" / "dashboard" / "app.py"  # `streamlit run` / AppTest.from_file on it
