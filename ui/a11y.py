"""Accessibility fixes for Streamlit's own markup (WCAG 2.1 AA, checked with axe-core in the browser tests).

* Captions: Streamlit draws them in the text colour at 60 % opacity (its theme's
  "secondary" opacity), which is 2.7:1 on white; WCAG AA asks for 4.5:1. They get full
  opacity and a dark grey (#5c5b59: 6.6:1 on white, 5.9:1 on the sidebar's grey).
* A disabled widget's label: Streamlit fades it to 40 % (2.3:1). WCAG exempts inactive
  controls, but the label still says what the field holds (e.g. the only council a
  council user may edit), and axe-core cannot tell it belongs to a disabled field (the
  label is ``aria-hidden``), so it gets a grey of 5.5:1; the field itself stays greyed.
* The sidebar navigation is a ``<ul>`` whose children are section ``<div>`` s holding
  the ``<li>`` items, which screen readers and axe-core reject as a list. A small
  script gives the sections the list role and the outer element none, and keeps
  doing so when the navigation is redrawn.
* Buttons without a name: the file uploader's button shows only an icon in a narrow
  column (its "Upload" text is hidden), so it gets the uploader's label; any other
  button whose only content is an aria-hidden icon gets the label of the section it
  is in. A button with text of its own (even in a closed expander) is left alone.
* The page's language: Streamlit's page says ``lang="en"`` whatever the text is; it is
  set to the chosen language (``nb``, ``en``, ``sv``) so screen readers pronounce it right.
"""

from __future__ import annotations

import streamlit as st

from ui import session

#: The captions' colour (6.6:1 on white).
CAPTION_COLOUR = "#5c5b59"
#: A disabled widget's label (5.5:1 on white; its field stays greyed out, which shows the state).
DISABLED_LABEL_COLOUR = "#6b6966"

_CSS = f"""
<style>
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; color: {CAPTION_COLOUR} !important; }}
[data-testid="stCaptionContainer"] p {{ color: {CAPTION_COLOUR} !important; }}
[data-testid="stWidgetLabel"][disabled], [data-testid="stWidgetLabel"][disabled] p {{
  color: {DISABLED_LABEL_COLOUR} !important; }}
</style>
"""

_JS = """
export default function (component) {
  // the page's language (WCAG 3.1.1): Streamlit's page always says "en"
  const lang = (component && component.data && component.data.lang) || "nb";
  if (document.documentElement.lang !== lang) { document.documentElement.lang = lang; }
  const spoken = (element) => {
    // the text a screen reader reads: everything outside aria-hidden parts
    const copy = element.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach((hidden) => hidden.remove());
    return copy.textContent.trim();
  };
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
    // the file uploader's button: its text is hidden in a narrow column, so it is named by the uploader's label
    document.querySelectorAll('[data-testid="stFileUploaderDropzone"][aria-label] button').forEach((button) => {
      const label = button.closest('[data-testid="stFileUploaderDropzone"]').getAttribute("aria-label");
      if (button.getAttribute("aria-label") !== label) { button.setAttribute("aria-label", label); }
    });
    // other icon-only buttons get their section's name
    document.querySelectorAll("section[aria-label] button:not([aria-label]):not([aria-labelledby]):not([title])")
      .forEach((button) => {
        if (!spoken(button)) {
          button.setAttribute("aria-label", button.closest("section").getAttribute("aria-label"));
        }
      });
  };
  fix();
  if (!window.__ksNavObserver) {
    // at most once per frame, however many nodes a rerun changes
    let queued = false;
    window.__ksNavObserver = new MutationObserver(() => {
      if (queued) { return; }
      queued = true;
      requestAnimationFrame(() => { queued = false; fix(); });
    });
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
        _component(key="a11y_fixes", data={"lang": session.language()}, width="content", height="content")
