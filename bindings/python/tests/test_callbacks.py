"""Python callbacks registered with add_symbol and called by JIT code."""

import ctypes
import gc
import threading

import pytest

import cfree


def test_void_int_callback(jit):
    seen = []
    jit.add_symbol("log_value", seen.append, "void log_value(int)")
    jit.add_source(
        "void log_value(int);\n"
        "void run(int n) { for (int i = 0; i < n; i++) log_value(i * i); }"
    )
    assert jit.run(5) is None
    assert seen == [i * i for i in range(5)]


def test_callback_values_flow_back_into_c(jit):
    jit.add_symbol("py_scale", lambda x: x * 1.5, "double py_scale(double)")
    jit.add_symbol("py_pick", lambda a, b: a if a > b else b, "long py_pick(long, long)")
    jit.add_source(
        "double py_scale(double); long py_pick(long, long);\n"
        "double total(int n) { double s = 0; for (int i = 0; i < n; i++) s += py_scale(i); return s; }\n"
        "long best(long a, long b, long c) { return py_pick(py_pick(a, b), c); }"
    )
    assert jit.total(10) == sum(i * 1.5 for i in range(10))
    assert jit.best(-(2**40), 2**41, 7) == 2**41


def test_callback_string_and_pointer_arguments(jit):
    got = []

    def on_text(text, n, data):
        got.append((text, n, data))
        return len(text)

    jit.add_symbol("on_text", on_text, "int on_text(const char *text, unsigned n, void *data)")
    jit.add_source(
        "int on_text(const char *, unsigned, void *);\n"
        "static int x;\n"
        "int send(void) { return on_text(\"h\\xc3\\xa9llo\", 3u, &x) + on_text(\"\", 4000000000u, 0); }\n"
        "void *addr_of_x(void) { return &x; }"
    )
    assert jit.send() == len("h\u00e9llo".encode("utf-8"))
    assert got == [("h\u00e9llo".encode("utf-8"), 3, jit.addr_of_x()), (b"", 4000000000, None)]


def test_callback_returning_a_pointer(jit):
    buf = ctypes.create_string_buffer(b"from python")
    jit.add_symbol("get_buf", lambda: ctypes.addressof(buf), "char *get_buf(void)")
    jit.add_source(
        "#include <string.h>\n"
        "char *get_buf(void);\n"
        "unsigned long buf_len(void) { return strlen(get_buf()); }"
    )
    assert jit.buf_len() == len(b"from python")


def test_callback_is_kept_alive(jit):
    total = []
    jit.add_symbol("acc", lambda v: total.append(v), "void acc(int)")  # no other reference
    gc.collect()
    jit.add_source("void acc(int); void go(void) { for (int i = 1; i <= 100; i++) acc(i); }")
    gc.collect()
    jit.go()
    assert sum(total) == 5050


def test_callback_exception_is_reraised(jit):
    jit.add_source("int plain(int x) { return x; }")
    plain = jit.plain  # created before any callback exists: still covered

    def boom(x):
        raise ValueError("bad value %d" % x)

    jit.add_symbol("check", boom, "int check(int)")
    jit.add_source("int check(int); int use(int x) { return check(x) + 1; }")
    with pytest.raises(ValueError, match="bad value 41"):
        jit.use(41)
    # nothing left pending: later calls are clean
    assert plain(3) == 3
    assert jit.plain(4) == 4
    jit.add_symbol("fine", lambda x: x * 2, "int fine(int)")
    jit.add_source("int fine(int); int use2(int x) { return fine(x) + 1; }")
    assert jit.use2(20) == 41


def test_callback_exception_leaves_c_with_zero(jit):
    calls = []

    def flaky(x):
        calls.append(x)
        if x == 2:
            raise KeyError(x)
        return 10

    jit.add_symbol("flaky", flaky, "int flaky(int)")
    jit.add_source(
        "int flaky(int);\n"
        "static int last;\n"
        "int run(void) { int s = 0; for (int i = 0; i < 4; i++) s += flaky(i); last = s; return s; }\n"
        "int get_last(void) { return last; }"
    )
    with pytest.raises(KeyError):
        jit.run()
    assert calls == [0, 1, 2, 3]  # C went on; the failed call returned 0
    assert jit.get_last() == 30


def test_callback_bad_return_value_is_reported(jit):
    jit.add_symbol("bad", lambda: "not an int", "int bad(void)")
    jit.add_source("int bad(void); int call_bad(void) { return bad(); }")
    with pytest.raises(TypeError):
        jit.call_bad()


def test_callback_exceptions_stay_on_their_thread(jit):
    def maybe_fail(tag):
        if tag == 1:
            raise RuntimeError("thread one")
        return tag

    jit.add_symbol("maybe_fail", maybe_fail, "int maybe_fail(int)")
    jit.add_source("int maybe_fail(int); int through(int t) { return maybe_fail(t); }")
    results = {}

    def worker(tag):
        try:
            results[tag] = jit.through(tag)
        except RuntimeError as e:
            results[tag] = str(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {1: "thread one", 2: 2}
    assert jit.through(3) == 3


def test_exception_in_constructor_callback(jit):
    def init_hook(x):
        raise RuntimeError("from constructor %d" % x)

    jit.add_symbol("init_hook", init_hook, "void init_hook(int)")
    with pytest.raises(RuntimeError, match="from constructor 5"):
        jit.add_source(
            "void init_hook(int);\n"
            "__attribute__((constructor)) static void init(void) { init_hook(5); }\n"
            "int after(void) { return 6; }"
        )
    assert jit.after() == 6  # the source was added; only the callback failed


def test_reentrant_call_from_constructor_is_an_error(jit):
    def hook():
        jit.lookup("anything")

    jit.add_symbol("hook", hook, "void hook(void)")
    with pytest.raises(cfree.Error, match="re-entrant"):
        jit.add_source("void hook(void); __attribute__((constructor)) static void i(void) { hook(); }")
    jit.add_source("int ok(void) { return 1; }")  # the Jit still works
    assert jit.ok() == 1


def test_int_address_and_ctypes_objects(jit):
    libc = ctypes.CDLL(None)
    jit.add_symbol("my_labs", ctypes.cast(libc.labs, ctypes.c_void_p).value, "long my_labs(long)")
    counter = ctypes.c_long(10)
    jit.add_symbol("host_counter", counter)
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)
    triple = proto(lambda x: 3 * x)
    jit.add_symbol("triple", triple)
    del triple
    gc.collect()
    jit.add_source(
        "long my_labs(long); extern long host_counter; int triple(int);\n"
        "long f(long x) { host_counter += 5; return my_labs(x) + triple(2); }"
    )
    assert jit.f(-(2**40)) == 2**40 + 6
    assert counter.value == 15


def test_bad_add_symbol_arguments(jit):
    with pytest.raises(TypeError, match="declaration"):
        jit.add_symbol("f", lambda: 0)
    with pytest.raises(cfree.InvalidArgumentError, match="other"):
        jit.add_symbol("f", lambda: 0, "int other(void)")
    with pytest.raises(cfree.CompileError):
        jit.add_symbol("f", lambda: 0, "this is not C")
    with pytest.raises(TypeError, match="variadic"):
        jit.add_symbol("f", lambda *a: 0, "int f(int, ...)")
    with pytest.raises(TypeError, match="struct s"):
        jit.add_symbol("f", lambda p: 0, "struct s { int a; }; int f(struct s)")
    with pytest.raises(TypeError):
        jit.add_symbol("f", "not callable")
    with pytest.raises(cfree.InvalidArgumentError):
        jit.add_symbol("", 1234)
    # nothing was registered by the failures
    jit.add_symbol("f", lambda: 9, "int f(void)")
    jit.add_source("int f(void); int g(void) { return f(); }")
    assert jit.g() == 9
