"""Page script (run by st.navigation in app.py)."""

from orchestration.dashboard import layout, portfolio

layout.guarded(portfolio.render)
