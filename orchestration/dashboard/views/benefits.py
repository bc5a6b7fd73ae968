"""Page script (run by st.navigation in app.py)."""

from orchestration.dashboard import benefits, layout

layout.guarded(benefits.render)
