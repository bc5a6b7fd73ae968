"""The VRO dashboard: a Streamlit app on the published marts (`make dashboard`)."""
