"""Page script (run by st.navigation in app.py)."""

from orchestration.dashboard import layout, optimize

layout.guarded(optimize.render)
