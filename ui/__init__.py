"""Streamlit glue shared by the pages: session state, language, error boundary.

Everything here is thin: it reads and writes ``st.session_state`` and calls the
``kommunestrategi`` package, which holds the logic.
"""
