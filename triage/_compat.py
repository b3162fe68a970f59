"""Import experta on Python 3.10+ without touching its pins.

experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping``
(removed in Python 3.10). We lend the alias only for the duration of the
import and take it back afterwards, so nothing else sees it.
"""
import collections
import collections.abc
import logging

_lent = not hasattr(collections, "Mapping")
if _lent:
    collections.Mapping = collections.abc.Mapping
_root_handlers = list(logging.getLogger().handlers)
try:
    import experta  # noqa: F401  (imported for its side effect on sys.modules)
finally:
    if _lent:
        del collections.Mapping
    # experta adds a handler to the root logger on import; logging is the
    # application's decision, so put the root logger back as it was.
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler not in _root_handlers:
            root.removeHandler(handler)
