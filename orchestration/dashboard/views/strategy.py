"""Page script (run by st.navigation in app.py)."""

from orchestration.dashboard import layout, strategy

layout.guarded(strategy.render)
