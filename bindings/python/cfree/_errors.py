"""Exceptions raised by the binding, one per ``CfreeErrorKind``."""

import re

from . import _lib


class Error(Exception):
    """Base class of every error libcfree reports.

    ``message`` is libcfree's text (``cfree_jit_last_error``); ``kind`` is the
    ``CfreeErrorKind`` number (0 for errors found by the binding itself). After any of these the
    Jit is exactly as it was before the failed call and keeps working.
    """

    kind = 0

    def __init__(self, message, kind=None):
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind

    def __str__(self):
        return self.message


class CompileError(Error):
    """The C text did not compile.

    The message starts ``file.c:LINE:COL: error: ...`` and shows the source line with a caret
    under the offending column. ``filename``, ``line`` and ``column`` hold the location of the
    first error (None when the message has none).
    """

    kind = _lib.CFREE_ERR_COMPILE
    _LOCATION = re.compile(r"^(.*?):(\d+):(\d+): (?:fatal )?error", re.M)

    def __init__(self, message, kind=None):
        super().__init__(message, kind)
        m = self._LOCATION.search(message)
        self.filename = m.group(1) if m else None
        self.line = int(m.group(2)) if m else None
        self.column = int(m.group(3)) if m else None


class LinkError(Error):
    """Linking failed: an unresolved or duplicate symbol (named in the message), a relocation
    overflow, or the image's capacity."""

    kind = _lib.CFREE_ERR_LINK


class SymbolNotFoundError(LinkError, KeyError):
    """The image has no such symbol (``jit.function``, ``jit[name]``). A ``KeyError`` too;
    attribute access (``jit.name``) raises ``AttributeError`` instead."""


class ReloadError(Error):
    """A reload was refused: ABI mismatch, a replacement that defines other public symbols or
    mutable data, an unknown or non-function symbol, or a Jit created without
    ``reloadable=True``. The old body stays active."""

    kind = _lib.CFREE_ERR_RELOAD


class JitError(Error):
    """Memory, options or libraries (``cfree_jit_new``, ``-l`` libraries that do not load)."""

    kind = _lib.CFREE_ERR_JIT


class InvalidArgumentError(Error, ValueError):
    """An argument libcfree or the binding rejected (embedded NUL, empty name, ...)."""

    kind = _lib.CFREE_ERR_INVALID_ARGUMENT


class InternalError(Error):
    """A bug in cfree (a caught panic). The Jit is unchanged."""

    kind = _lib.CFREE_ERR_INTERNAL


class ClosedError(Error, ValueError):
    """The Jit was closed."""


class CompileWarning(UserWarning):
    """A warning from the C compiler, issued through :mod:`warnings` by ``Jit.add_source``."""


_BY_KIND = {
    _lib.CFREE_ERR_COMPILE: CompileError,
    _lib.CFREE_ERR_LINK: LinkError,
    _lib.CFREE_ERR_RELOAD: ReloadError,
    _lib.CFREE_ERR_JIT: JitError,
    _lib.CFREE_ERR_INVALID_ARGUMENT: InvalidArgumentError,
    _lib.CFREE_ERR_INTERNAL: InternalError,
}


def error_for(kind, message):
    """The exception for a failed call that reported ``kind`` and ``message``."""
    cls = _BY_KIND.get(kind, Error)
    return cls(message or "cfree: the call failed (no message)", kind)
