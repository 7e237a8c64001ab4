"""kommunestrategi: decision support for inter-municipal cooperation strategies.

The package holds all logic and no Streamlit imports, so that the app, the CLI
(``python -m kommunestrategi``) and batch exports share one implementation.
"""

__version__ = "0.1.0"
