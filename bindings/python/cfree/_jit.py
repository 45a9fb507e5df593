"""The :class:`Jit` class: one live image, its functions and its host symbols."""

import ctypes
import os
import sys
import threading
import warnings
import weakref
from collections import namedtuple
from ctypes import CFUNCTYPE, byref, c_char_p, c_uint64, c_void_p

from . import _lib
from ._errors import (
    ClosedError,
    CompileWarning,
    Error,
    InvalidArgumentError,
    SymbolNotFoundError,
    error_for,
)
from ._lib import lib
from ._types import call_types, callback_types, parse_function_type, vararg

Symbol = namedtuple("Symbol", "name address size is_function")
Symbol.__doc__ = """One symbol of the image (``Jit.symbols()``): its name, address (int), size in
bytes and whether it is a function (a reloadable function is listed once, at its stable
entry)."""

_CDATA = (ctypes._SimpleCData, ctypes.Structure, ctypes.Union, ctypes.Array, ctypes._Pointer)


def _cstr(value, what):
    """str / bytes / os.PathLike -> bytes for a ``const char *`` argument."""
    if isinstance(value, str):
        b = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray)):
        b = bytes(value)
    elif isinstance(value, os.PathLike):
        b = os.fsencode(value)
    else:
        raise TypeError("%s must be str or bytes, not %s" % (what, type(value).__name__))
    if b"\0" in b:
        raise InvalidArgumentError("cfree: %s contains a NUL character" % what)
    return b


def _cstr_array(values, what):
    """A NULL-terminated ``const char *const *`` (and the bytes that must stay alive)."""
    if isinstance(values, (str, bytes, os.PathLike)):
        values = [values]
    items = [_cstr(v, what) for v in values]
    arr = (c_char_p * (len(items) + 1))(*items)
    return arr, items


def _defines(defines):
    if isinstance(defines, dict):
        out = []
        for k, v in defines.items():
            out.append(k if v is None else "%s=%s" % (k, v))
        return out
    return defines


def _trap():
    """A C function that returns 0: what a function object of a closed Jit points to."""
    return None


# One trap for every function object of every closed Jit (never freed).
_TRAP = CFUNCTYPE(c_void_p)(_trap)
_TRAP_ADDRESS = ctypes.cast(_TRAP, c_void_p).value


_PROTOTYPES = {}


def _prototype(restype, argtypes, variadic):
    """The ctypes function-pointer class for a signature (cached).

    Variadic functions use ``CFUNCTYPE`` (cdecl: extra arguments allowed). The others use a
    class without ``FUNCFLAG_CDECL`` so ctypes checks the argument count exactly; on x86-64
    Linux the flag changes nothing else (it only selects stdcall on 32-bit Windows).
    """
    key = (restype, tuple(argtypes), variadic)
    proto = _PROTOTYPES.get(key)
    if proto is None:
        if variadic:
            proto = CFUNCTYPE(restype, *argtypes)
        else:
            proto = type(
                "CFunction",
                (ctypes._CFuncPtr,),
                {"_argtypes_": tuple(argtypes), "_restype_": restype, "_flags_": 0},
            )
        proto = _PROTOTYPES.setdefault(key, proto)
    return proto


def _closed_errcheck(result, func, args):
    raise ClosedError("cfree: this function belongs to a Jit that was closed")


class _Pending(threading.local):
    """Per thread: the first exception a Python callback raised, until it is re-raised.
    (A class default, so reading it never raises AttributeError: errcheck reads it per call.)"""

    error = None


class _Uncallable:
    """What ``Jit.function`` returns for a function whose type ctypes cannot express (a struct
    or union by value, ``__int128``, ``va_list``): calling it raises TypeError."""

    def __init__(self, name, c_type, address, jit, reason):
        self.__name__ = name
        self.c_type = c_type
        self.address = address
        self.jit = jit
        self._reason = reason

    def __call__(self, *args, **kwargs):
        raise TypeError(
            self._reason + "; call it through ctypes yourself with the address: "
            "ctypes.CFUNCTYPE(...)(jit.lookup(%r))" % self.__name__
        )

    def __repr__(self):
        return "<cfree uncallable function %s: %s>" % (self.__name__, self.c_type)


class Jit:
    """A live in-memory C image (``CfreeJit``): compile C into it, call its functions, give it
    Python callbacks, and hot-reload functions while they run.

    ``Jit(reloadable=False, opt_level=0, debug=False, include_dirs=(), defines=(),
    libraries=(), library_dirs=(), lazy=False)``

    * ``reloadable``: every exported function gets a stable entry that jumps through a slot,
      so :meth:`reload` can replace its body (``CFREE_JIT_INDIRECT_EXPORTED_FUNCS``; calls
      cost one extra indirect jump);
    * ``opt_level``: 0 for no optimisation, anything else optimises for speed;
    * ``debug``: emit DWARF (for gdb and perf);
    * ``include_dirs`` (``-I``), ``defines`` (``-D``: ``"NAME"`` / ``"NAME=VALUE"`` strings or
      a dict ``{"NAME": value or None}``), ``libraries`` (``-l``: ``"m"`` for libm),
      ``library_dirs`` (``-L``);
    * ``lazy``: :meth:`add_source` analyses the text now and compiles each function the first
      time it is called (``cfree run -flazy``; x86-64 hosts); its compiler warnings are not
      reported.

    Use it as a context manager (``with cfree.Jit() as jit:``) or call :meth:`close`: closing
    runs the image's exit handlers and unmaps it. A Jit that is garbage-collected without
    being closed is closed then. Function objects keep their Jit alive; after ``close`` they
    raise :class:`ClosedError` instead of running freed code (raw addresses from
    :meth:`lookup` just dangle).

    Functions are reached with :meth:`function`, ``jit["name"]`` or ``jit.name`` (attribute
    access works for names that do not start with ``_`` and are not attributes of Jit; it is
    cached, so the next ``jit.name`` is a plain attribute read). The object returned *is* a
    ctypes function object with ``argtypes``/``restype`` derived from the C type cfree
    recorded, so calling it costs what any ctypes call costs.

    Threads: libcfree serialises the calls on one Jit with a mutex, and the binding holds a
    Python lock around each operation and the read of its error message, so one Jit may be
    used from several threads: compiling, appending, reloading, looking up and calling. JIT
    functions run without any lock (and without the GIL), concurrently with each other and
    with a reload of the function they run (each call runs the old body or the new one).
    Compiling, appending and reloading also release the GIL. Do not close a Jit while another
    thread still uses it. Code running inside :meth:`add_source` (constructors),
    :meth:`reload` or :meth:`close` (exit handlers) must not call management methods of the
    same Jit: that raises :class:`Error` instead of deadlocking.
    """

    def __init__(
        self,
        reloadable=False,
        opt_level=0,
        debug=False,
        include_dirs=(),
        defines=(),
        libraries=(),
        library_dirs=(),
        lazy=False,
    ):
        self._handle = None
        self._lock = threading.Lock()
        self._owner = None
        self._reloadable = bool(reloadable)
        self._lazy = bool(lazy)
        # Python callbacks and host objects registered with add_symbol: C code may call or
        # read them until the image is gone.
        self._keep = []
        # name (or (name, declaration)) -> callable handed out by function()
        self._functions = {}
        # every ctypes function object handed out (id -> weakref), poisoned by close()
        self._handed_out = {}
        self._prune_at = 64
        self._cached_attrs = set()
        # exceptions raised by Python callbacks, per thread, re-raised after the outer call
        self._pending = _Pending()
        self._errcheck = None

        opts = _lib.CfreeJitOptions()
        opts.indirection = (
            _lib.CFREE_JIT_INDIRECT_EXPORTED_FUNCS if reloadable else _lib.CFREE_JIT_INDIRECT_NONE
        )
        opts.opt_level = int(opt_level)
        opts.debug = 1 if debug else 0
        opts.lazy = 1 if lazy else 0
        lists = (
            ("include_dirs", include_dirs),
            ("defines", _defines(defines)),
            ("libraries", libraries),
            ("library_dirs", library_dirs),
        )
        alive = []  # the arrays and strings must outlive cfree_jit_new
        for field, values in lists:
            arr = _cstr_array(values, field)
            alive.append(arr)
            setattr(opts, field, ctypes.cast(arr[0], ctypes.POINTER(c_char_p)))
        handle = lib.cfree_jit_new(byref(opts))
        if not handle:
            # The error of a call without a JIT is kept per OS thread: read it right away.
            msg = lib.cfree_jit_last_error(None)
            kind = lib.cfree_jit_last_error_kind(None)
            raise error_for(kind, (msg or b"").decode("utf-8", "replace"))
        self._handle = handle

    # ---- locking and errors -------------------------------------------------------------

    def _begin(self):
        """Take the Jit's lock; returns the handle. Raises if closed or re-entered."""
        me = threading.get_ident()
        if self._owner == me:
            raise Error(
                "cfree: re-entrant call into the Jit from code it is running (a constructor, "
                "exit handler or callback run by add_source, reload or close)"
            )
        self._lock.acquire()
        if self._handle is None:
            self._lock.release()
            raise ClosedError("cfree: the Jit is closed")
        self._owner = me
        return self._handle

    def _end(self):
        self._owner = None
        self._lock.release()

    def _error(self, handle):
        """The exception for the call that just failed (call with the lock held)."""
        kind = lib.cfree_jit_last_error_kind(handle)
        msg = lib.cfree_jit_last_error(handle)
        return error_for(kind, (msg or b"").decode("utf-8", "replace"))

    def _raise_pending(self):
        err = self._pending.error
        if err is not None:
            self._pending.error = None
            raise err

    # ---- lifetime -----------------------------------------------------------------------

    def close(self):
        """Run the image's exit handlers and unmap it. Idempotent.

        Function objects handed out by this Jit raise :class:`ClosedError` afterwards.
        """
        me = threading.get_ident()
        if self._owner == me:
            raise Error("cfree: close() called from code the Jit is running")
        with self._lock:
            handle = self._handle
            if handle is None:
                return
            self._owner = me
            try:
                # Poison first: once the image is gone no handed-out object may reach it.
                for ref in list(self._handed_out.values()):
                    f = ref()
                    if f is not None:
                        c_void_p.from_address(ctypes.addressof(f)).value = _TRAP_ADDRESS
                        f.errcheck = _closed_errcheck
                self._handed_out.clear()
                lib.cfree_jit_free(handle)
            finally:
                self._handle = None
                self._owner = None
        for name in self._cached_attrs:
            self.__dict__.pop(name, None)
        self._cached_attrs.clear()
        self._functions.clear()
        self._keep = []  # only now: exit handlers may have called the callbacks
        self._raise_pending()

    @property
    def closed(self):
        """True once :meth:`close` ran."""
        return self._handle is None

    def __enter__(self):
        if self._handle is None:
            raise ClosedError("cfree: the Jit is closed")
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        # At interpreter exit, threads may still be running JIT code: leave it mapped.
        if getattr(self, "_handle", None) is not None and not sys.is_finalizing():
            try:
                self.close()
            except Exception:
                pass

    def __reduce__(self):
        raise TypeError("a cfree.Jit cannot be pickled or copied")

    def __repr__(self):
        if self._handle is None:
            return "<cfree.Jit closed>"
        return "<cfree.Jit%s at %#x>" % (" reloadable" if self._reloadable else "", self._handle)

    # ---- building the image -------------------------------------------------------------

    @property
    def reloadable(self):
        """Whether the Jit was created with ``reloadable=True``."""
        return self._reloadable

    @property
    def generation(self):
        """+1 per successful :meth:`add_source` or :meth:`reload`; 0 for a new Jit."""
        handle = self._begin()
        try:
            return lib.cfree_jit_generation(handle)
        finally:
            self._end()

    def _compile(self, handle, source, filename):
        obj = lib.cfree_compile(handle, filename, source)
        if not obj:
            raise self._error(handle)
        return obj

    def add_source(self, source, filename="<string>"):
        """Compile C ``source`` (str or bytes) and link it into the image, next to everything
        already there (nothing moves), then run its constructors.

        ``filename`` names the source in error messages and debug info. Raises
        :class:`CompileError` (``file.c:LINE:COL`` and a caret) or :class:`LinkError`
        (unresolved or duplicate symbols, named); the image is then unchanged. Compiler
        warnings are issued as :class:`CompileWarning` through :mod:`warnings`.
        """
        src = _cstr(source, "source")
        name = _cstr(filename, "filename")
        handle = self._begin()
        if self._lazy:
            # Analysed now, compiled function by function on first calls (no object to
            # read warnings from: a lazy Jit's add_source reports errors only).
            try:
                if lib.cfree_jit_add_source(handle, name, src) != 0:
                    raise self._error(handle)
            finally:
                self._end()
            self._raise_pending()
            return
        try:
            obj = self._compile(handle, src, name)
            try:
                warned = lib.cfree_obj_warnings(obj)
                if lib.cfree_jit_append_obj(handle, obj) != 0:
                    raise self._error(handle)
            finally:
                lib.cfree_obj_free(obj)
        finally:
            self._end()
        if warned:
            warnings.warn(CompileWarning(warned.decode("utf-8", "replace").rstrip()), stacklevel=2)
        self._raise_pending()

    def reload(self, name, source, filename="<reload>", unchecked_abi=False):
        """Replace the body of function ``name`` with the one ``source`` defines.

        The Jit must be ``reloadable``. The replacement must define exactly that function
        (static helpers and read-only data are fine) with the same calling convention. The
        function's address does not change: function objects, ``lookup`` addresses and
        function pointers held by C all run the new body from now on, and calls already
        running the old body finish there. Raises :class:`ReloadError` (ABI mismatch,
        rejected replacement, not reloadable), :class:`CompileError` or :class:`LinkError`;
        the old body then stays active. ``unchecked_abi=True`` skips the ABI comparison.
        """
        sym = _cstr(name, "name")
        src = _cstr(source, "source")
        fname = _cstr(filename, "filename")
        handle = self._begin()
        try:
            obj = self._compile(handle, src, fname)
            try:
                opts = _lib.CfreeJitReloadOptions(
                    sym, obj, _lib.CFREE_RELOAD_UNCHECKED_ABI if unchecked_abi else 0
                )
                if lib.cfree_jit_reload_function(handle, byref(opts)) != 0:
                    raise self._error(handle)
            finally:
                lib.cfree_obj_free(obj)
            # The address is the same, but the type may be spelled differently: re-derive it.
            stale = [k for k in self._functions if k == name or (type(k) is tuple and k[0] == name)]
            for key in stale:
                self._functions.pop(key, None)
            if name in self._cached_attrs:
                self.__dict__.pop(name, None)
                self._cached_attrs.discard(name)
        finally:
            self._end()
        self._raise_pending()

    def add_symbol(self, name, target, declaration=None):
        """Make ``name`` resolve to ``target`` in code added from now on.

        ``target`` is one of:

        * a Python callable: ``declaration`` is required, a C declaration of the function
          (``"void log_value(int)"``) whose name must be ``name``; arguments are converted as
          its types say (``char *`` arrives as ``bytes``, other pointers as ``int``). The
          ctypes callback is kept alive as long as the Jit. An exception raised by the callback
          cannot cross C: the callback returns 0 (or NULL / nothing) to C, and the exception is
          re-raised in Python when the call into the Jit that led to it (made through this
          binding, on the same thread) returns;
        * a ctypes function pointer (``CFUNCTYPE`` instance) or a ctypes data object
          (``c_int``, array, structure...): its address is used and the object kept alive;
        * an ``int`` address (``declaration`` optional, only checked).

        Then declare it in C as usual (``void log_value(int);``, ``extern int counter;``).
        """
        sym = _cstr(name, "name")
        keep = None
        python_callback = False
        if isinstance(target, bool):
            raise TypeError("add_symbol: target must be a callable, a ctypes object or an int address")
        if isinstance(target, int):
            address = target
            if declaration is not None:
                self._declared_type(name, declaration)
        elif isinstance(target, ctypes._CFuncPtr):
            address = ctypes.cast(target, c_void_p).value
            keep = target
        elif isinstance(target, _CDATA):
            address = ctypes.addressof(target)
            keep = target
        elif callable(target):
            if declaration is None:
                raise TypeError(
                    "add_symbol(%r, callable) needs declaration=, the function's C declaration "
                    "(e.g. \"void %s(int)\")" % (name, name)
                )
            c_type = self._declared_type(name, declaration)
            restype, argtypes = callback_types(
                parse_function_type(c_type), "callback %s (%s)" % (name, c_type)
            )
            keep = CFUNCTYPE(restype, *argtypes)(self._trampoline(target, restype))
            address = ctypes.cast(keep, c_void_p).value
            python_callback = True
        else:
            raise TypeError(
                "add_symbol: target must be a callable, a ctypes object or an int address, not %s"
                % type(target).__name__
            )
        handle = self._begin()
        try:
            if lib.cfree_jit_add_symbol(handle, sym, address) != 0:
                raise self._error(handle)
            if keep is not None:
                self._keep.append(keep)
            if python_callback:
                self._enable_callback_errors()
        finally:
            self._end()

    def _trampoline(self, fn, restype):
        pending = self._pending

        if restype is None:

            def trampoline(*args):
                try:
                    fn(*args)
                except BaseException as e:
                    if pending.error is None:
                        pending.error = e

        else:

            def trampoline(*args):
                try:
                    # Convert here, so a bad return value is reported like any exception.
                    return restype(fn(*args)).value
                except BaseException as e:
                    if pending.error is None:
                        pending.error = e
                    return 0

        trampoline.__name__ = getattr(fn, "__name__", "callback")
        return trampoline

    def _enable_callback_errors(self):
        """From the first Python callback on, calls re-raise the callbacks' exceptions."""
        if self._errcheck is not None:
            return
        pending = self._pending

        def errcheck(result, func, args):
            err = pending.error
            if err is not None:
                pending.error = None
                raise err
            return result

        self._errcheck = errcheck
        for f in self._functions.values():
            f = getattr(f, "ctypes_function", f)
            if isinstance(f, ctypes._CFuncPtr):
                f.errcheck = errcheck

    # ---- types --------------------------------------------------------------------------

    def function_type(self, name):
        """The C type cfree recorded for function ``name`` (``"int (int, double)"``), or None
        when cfree did not compile such a function."""
        sym = _cstr(name, "name")
        handle = self._begin()
        try:
            t = lib.cfree_jit_function_type(handle, sym)
            return None if t is None else t.decode("utf-8", "replace")
        finally:
            self._end()

    def declaration_type(self, declaration):
        """Parse one C function declaration: ``"void log_value(int)"`` gives
        ``("log_value", "void (int)")``. Raises :class:`CompileError` for anything else."""
        decl = _cstr(declaration, "declaration")
        name = c_char_p()
        handle = self._begin()
        try:
            t = lib.cfree_declaration_type(handle, decl, byref(name))
            if t is None:
                raise self._error(handle)
            return name.value.decode("utf-8", "replace"), t.decode("utf-8", "replace")
        finally:
            self._end()

    def _declared_type(self, name, declaration):
        declared, c_type = self.declaration_type(declaration)
        if declared != name:
            raise InvalidArgumentError(
                "cfree: the declaration %r declares `%s`, not `%s`" % (declaration, declared, name)
            )
        return c_type

    # ---- reading the image --------------------------------------------------------------

    def lookup(self, name):
        """The address (int) of global symbol ``name`` — for a reloadable function its stable
        entry — or None when the image has no such symbol."""
        sym = _cstr(name, "name")
        handle = self._begin()
        try:
            return lib.cfree_jit_lookup(handle, sym)
        finally:
            self._end()

    def __contains__(self, name):
        return self.lookup(name) is not None

    def function(self, name, declaration=None):
        """Function ``name`` as a Python callable, typed from the C type cfree recorded.

        For an ordinary function this is a ctypes function object (``argtypes`` and
        ``restype`` set; attributes ``c_type``, ``address`` and ``jit``), cached per name until
        the function is reloaded. A variadic function gives a small wrapper: the fixed
        parameters are typed, extra arguments follow :func:`cfree._types.vararg` (int -> long,
        float -> double, bytes/str -> char *, None -> NULL, buffers -> pointers). A function
        that passes or returns a struct by value gives an object whose call raises TypeError.

        ``declaration`` (``"int printf(const char *, ...)"``) types a symbol cfree did not
        compile, e.g. one registered with :meth:`add_symbol`. Raises
        :class:`SymbolNotFoundError` (a ``KeyError``) when the image has no such symbol.
        """
        key = name if declaration is None else (name, declaration)
        f = self._functions.get(key)
        if f is not None:
            return f
        sym = _cstr(name, "name")
        if declaration is not None:
            c_type = self._declared_type(name, declaration)
        handle = self._begin()
        try:
            address = lib.cfree_jit_lookup(handle, sym)
            if address is None:
                raise SymbolNotFoundError(
                    "cfree: `%s` is not defined in the image" % name, _lib.CFREE_ERR_LINK
                )
            if declaration is None:
                t = lib.cfree_jit_function_type(handle, sym)
                if t is None:
                    raise TypeError(
                        "cfree: `%s` is in the image but cfree did not compile it as a function "
                        "(a data or host symbol), so its C type is unknown; pass "
                        "declaration=\"...\"" % name
                    )
                c_type = t.decode("utf-8", "replace")
            f = self._make_function(name, c_type, address)
            return self._functions.setdefault(key, f)
        finally:
            self._end()

    def _make_function(self, name, c_type, address):
        sig = parse_function_type(c_type)
        try:
            restype, argtypes = call_types(sig, "cfree: `%s` (%s)" % (name, c_type))
        except TypeError as e:
            return _Uncallable(name, c_type, address, self, str(e))
        cfn = _prototype(restype, argtypes, sig.variadic)(address)
        cfn.__name__ = name
        cfn.c_type = c_type
        cfn.address = address
        cfn.jit = self
        if self._errcheck is not None:
            cfn.errcheck = self._errcheck
        cfn.__doc__ = "%s: %s (cfree JIT function)" % (name, c_type)
        # Remembered (weakly) so close() can disarm it. Dead entries are pruned here, not by
        # weakref callbacks, so close() never sees the dict change under it.
        handed = self._handed_out
        handed[id(cfn)] = weakref.ref(cfn)
        if len(handed) > self._prune_at:
            for k in [k for k, r in handed.items() if r() is None]:
                del handed[k]
            self._prune_at = 2 * len(handed) + 64
        if not sig.variadic:
            return cfn
        nfixed = len(argtypes)

        def variadic(*args):
            if len(args) > nfixed:
                args = args[:nfixed] + tuple(vararg(a) for a in args[nfixed:])
            return cfn(*args)

        variadic.__name__ = name
        variadic.__qualname__ = name
        variadic.__doc__ = "%s: %s (cfree JIT function, variadic)" % (name, c_type)
        variadic.c_type = c_type
        variadic.address = address
        variadic.jit = self
        variadic.ctypes_function = cfn
        return variadic

    def __getattr__(self, name):
        # Only called when normal lookup fails: never shadows methods or attributes.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            f = self.function(name)
        except SymbolNotFoundError:
            raise AttributeError(
                "'Jit' object has no attribute %r and the image defines no symbol %r"
                % (name, name)
            ) from None
        self.__dict__[name] = f
        self._cached_attrs.add(name)
        return f

    def __getitem__(self, name):
        return self.function(name)

    def symbols(self):
        """Every function and data symbol of the image, as a list of :class:`Symbol`."""
        found = []
        failed = []

        def visit(info, _user):
            try:
                s = info.contents
                found.append(
                    Symbol(
                        (s.name or b"").decode("utf-8", "replace"),
                        s.addr or 0,
                        s.size,
                        bool(s.is_function),
                    )
                )
                return 0
            except BaseException as e:  # cannot propagate through C
                failed.append(e)
                return 1

        callback = _lib.SYMBOL_CALLBACK(visit)
        handle = self._begin()
        try:
            r = lib.cfree_jit_symbols(handle, callback, None)
            if failed:
                raise failed[0]
            if r != 0:
                raise self._error(handle)
        finally:
            self._end()
        return found

    def addr_to_sym(self, address):
        """``(name, offset)`` of the symbol containing ``address`` (an int, or a function
        object), or None when it is not in the image. Old bodies of reloaded functions are
        named ``"name$body$N"``."""
        if not isinstance(address, int):
            address = getattr(address, "address", None) or ctypes.cast(address, c_void_p).value
        name = c_char_p()
        offset = c_uint64()
        handle = self._begin()
        try:
            if lib.cfree_jit_addr_to_sym(handle, address, byref(name), byref(offset)) != 0:
                return None
            return name.value.decode("utf-8", "replace"), offset.value
        finally:
            self._end()

    def view(self):
        """The image as an in-memory ELF file (``bytes``): sections at their run-time addresses
        and every symbol, old bodies included; for debuggers and inspectors."""
        data = c_void_p()
        size = ctypes.c_size_t()
        handle = self._begin()
        try:
            if lib.cfree_jit_view(handle, byref(data), byref(size)) != 0:
                raise self._error(handle)
            return ctypes.string_at(data.value, size.value)
        finally:
            self._end()
