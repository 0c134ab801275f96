"""Showing the package's own code in a notebook, instead of pasting a second copy that could drift."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from IPython.display import Markdown


def show_source(obj: Callable | type) -> Markdown:
    """The source code of a function or class of the package, as a highlighted Markdown code block.

    Parameters
    ----------
    obj : function or class

    Returns
    -------
    IPython.display.Markdown
        Its text is the same on every machine, so nbval can compare it.
    """
    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
        raise TypeError(f"show_source takes a function or a class, got {type(obj).__name__}")
    return Markdown(f"```python\n{inspect.getsource(obj).rstrip()}\n```")
