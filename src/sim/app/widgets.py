"""Choice widgets whose option labels depend on the language.

The browser keeps a radio's or selectbox's selection by the label it shows; when the labels change with the
language, the old selection no longer matches any option and the page would show none selected. These helpers
make one widget per language (key ``name@lang``) and carry the chosen option over in ``st.session_state[name]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

__all__ = ["choice", "choices", "widget_key"]


def widget_key(name: str, lang: str) -> str:
    """The key of the widget ``name`` in language ``lang``."""
    return f"{name}@{lang}"


def choice(widget: Callable[..., Any], label: str, options: Sequence[Any], name: str, lang: str, default: Any,
           **kwargs: Any) -> Any:
    """A ``st.radio`` or ``st.selectbox`` (``widget``) that keeps its choice across languages."""
    options = list(options)
    current = st.session_state.get(name, default)
    if current not in options:
        current = default if default in options else options[0]
    chosen = widget(label, options, index=options.index(current), key=widget_key(name, lang), **kwargs)
    st.session_state[name] = chosen
    return chosen


def choices(label: str, options: Sequence[Any], name: str, lang: str, default: Sequence[Any],
            **kwargs: Any) -> list[Any]:
    """A ``st.multiselect`` that keeps its choices across languages."""
    current = [o for o in st.session_state.get(name, default) if o in options]
    chosen = st.multiselect(label, list(options), default=current, key=widget_key(name, lang), **kwargs)
    st.session_state[name] = chosen
    return chosen
