"""The dashboard's pages: each module renders its page when st.navigation runs it (app.py)."""
