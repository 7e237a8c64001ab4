"""Accessibility fixes for Streamlit's own markup (WCAG 2.1 AA, checked with axe-core in the browser tests).

* The sidebar navigation is a ``<ul>`` whose children are section ``<div>`` s holding
  the ``<li>`` items, which screen readers and axe-core reject as a list. A small
  script gives the sections the list role and the outer element none, and keeps
  doing so when the navigation is redrawn.
* Icon-only buttons inside a labelled section get that label as their name.
* Captions are drawn in a grey with a contrast of 3.9:1 on white; WCAG AA asks for
  4.5:1, so they get a darker grey.
"""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #5c5b59 !important; }
</style>
"""

_JS = """
export default function () {
  const fix = () => {
    document.querySelectorAll('[data-testid="stSidebarNav"] ul, [data-testid="stSidebarNavItems"]').forEach((list) => {
      if (list.tagName !== "UL") { return; }
      const sections = Array.from(list.children).filter((child) => child.tagName !== "LI");
      if (!sections.length) { return; }
      list.setAttribute("role", "none");
      sections.forEach((section) => {
        const items = Array.from(section.children).filter((child) => child.tagName === "LI");
        if (items.length) {
          section.setAttribute("role", "list");
        } else {
          section.setAttribute("role", "none");
        }
        Array.from(section.children).filter((child) => child.tagName !== "LI")
          .forEach((child) => child.setAttribute("role", "presentation"));
      });
    });
    // icon-only buttons (e.g. the file uploader's in a narrow column) get their section's name
    document.querySelectorAll("section[aria-label] button:not([aria-label])").forEach((button) => {
      if (!button.innerText.trim()) {
        button.setAttribute("aria-label", button.closest("section").getAttribute("aria-label"));
      }
    });
  };
  fix();
  if (!window.__ksNavObserver) {
    window.__ksNavObserver = new MutationObserver(fix);
    window.__ksNavObserver.observe(document.body, { childList: true, subtree: true });
  }
}
"""

_component = None


def fixes() -> None:
    """Mount the fixes (call once per run, from the app's frame)."""
    global _component
    st.html(_CSS)
    if _component is None:
        _component = st.components.v2.component("kommunestrategi_a11y", js=_JS)
    with st.sidebar:
        _component(key="a11y_fixes", width="content", height="content")
