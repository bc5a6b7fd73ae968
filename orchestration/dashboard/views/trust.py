"""Page script (run by st.navigation in app.py)."""

from orchestration.dashboard import trust

trust.render()
