"""Page script (run by st.navigation in app.py)."""

from orchestration.dashboard import layout, project

layout.guarded(project.render)
