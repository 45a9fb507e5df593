"""cfree from Python in five steps: compile C from a string, call it on Python buffers, let C
call back into Python, and hot-reload a function while a loop keeps calling it.

Run it after `pip install ./bindings/python` (from the repository root):

    python3 examples/python/tutorial.py
"""

import array
import threading
import time

import cfree

# ---------------------------------------------------------------------------------------
# 1. Compile a numeric kernel from a string.
#
# A reloadable Jit gives every exported function a stable entry, so its body can be replaced
# later (step 4) without anyone noticing a new address. `add_source` compiles and links the
# code into the live image; functions are then plain attributes, typed from their C
# declarations: no ctypes prototypes to write.
# ---------------------------------------------------------------------------------------

KERNEL = r"""
/* y[i] = a * x[i] + y[i]: the classic BLAS saxpy, in double precision. */
void daxpy(long n, double a, const double *x, double *y) {
    for (long i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

/* A tiny "physics" kernel that step 4 will hot-swap: the energy of a signal. */
double energy(const double *x, long n) {
    double e = 0;
    for (long i = 0; i < n; i++)
        e += x[i] * x[i];
    return e;
}

/* Counts the bytes of a buffer equal to c, and rewrites them to '_'. */
long replace_byte(char *buf, long n, char c) {
    long hits = 0;
    for (long i = 0; i < n; i++)
        if (buf[i] == c) { buf[i] = '_'; hits++; }
    return hits;
}
"""

jit = cfree.Jit(reloadable=True, opt_level=2)
jit.add_source(KERNEL, filename="kernel.c")
print("energy has type", jit.energy.c_type)  # "double (double *, long)"

# ---------------------------------------------------------------------------------------
# 2. Call it on Python buffers.
#
# Pointer parameters accept any object with a writable buffer -- array.array, bytearray,
# memoryview, NumPy arrays -- and C works on that memory in place, without copying.
# ---------------------------------------------------------------------------------------

x = array.array("d", [1.0, 2.0, 3.0, 4.0])
y = array.array("d", [10.0, 20.0, 30.0, 40.0])
jit.daxpy(len(x), 0.5, x, y)
print("daxpy:", list(y))
assert list(y) == [10.5, 21.0, 31.5, 42.0]

text = bytearray(b"hot reload, in place")
hits = jit.replace_byte(text, len(text), ord(" "))
print("replace_byte:", hits, text)
assert (hits, bytes(text)) == (3, b"hot_reload,_in_place")

print("energy:", jit.energy(x, len(x)))
assert jit.energy(x, len(x)) == 1 + 4 + 9 + 16

# ---------------------------------------------------------------------------------------
# 3. Let C call Python.
#
# `add_symbol` registers a Python function under a C name; the declaration says how to
# convert the arguments (`const char *` arrives as bytes). Code added afterwards calls it
# like any C function.
# ---------------------------------------------------------------------------------------

reports = []


def report(label, value):
    reports.append((label.decode(), value))


jit.add_symbol("report", report, "void report(const char *label, double value)")
jit.add_source(
    r"""
    void report(const char *label, double value);
    double energy(const double *x, long n);

    /* Reports the running energy of every prefix of x. */
    void scan(const double *x, long n) {
        for (long k = 1; k <= n; k++)
            report("prefix", energy(x, k));
    }
    """,
    filename="scan.c",
)
jit.scan(x, len(x))
print("reports:", reports)
assert reports == [("prefix", 1.0), ("prefix", 5.0), ("prefix", 14.0), ("prefix", 30.0)]

# ---------------------------------------------------------------------------------------
# 4. Hot-reload the kernel while a loop keeps calling it.
#
# A background thread calls `energy` as fast as it can (JIT code runs without the GIL).
# `reload` compiles a new body and switches the function's slot atomically: the address
# stays the same, so the loop's function object, `scan` (which calls energy from C) and any
# saved pointer all run the new body from now on. Each call runs either the old body or the
# new one, never a mix.
# ---------------------------------------------------------------------------------------

signal = array.array("d", [3.0, -4.0])
energy = jit.energy  # taken once, before the reload
entry = jit.lookup("energy")
observed = []
stop = threading.Event()


def keep_calling():
    while not stop.is_set():
        v = energy(signal, len(signal))
        if not observed or observed[-1] != v:
            observed.append(v)


worker = threading.Thread(target=keep_calling)
worker.start()
time.sleep(0.05)

# The new body measures the L1 norm instead of the squared L2 norm. The ABI is checked:
# a replacement with another signature would raise cfree.ReloadError and change nothing.
jit.reload(
    "energy",
    """
    static double absd(double v) { return v < 0 ? -v : v; }
    double energy(const double *x, long n) {
        double e = 0;
        for (long i = 0; i < n; i++)
            e += absd(x[i]);
        return e;
    }
    """,
    filename="energy_v2.c",
)
time.sleep(0.05)
stop.set()
worker.join()

print("values seen by the looping thread:", observed)
assert observed[0] == 25.0 and observed[-1] == 7.0
assert set(observed) <= {25.0, 7.0}
assert jit.lookup("energy") == entry  # same address
reports.clear()
jit.scan(signal, len(signal))  # C callers switched too
assert reports == [("prefix", 3.0), ("prefix", 7.0)]

# A refused reload leaves everything as it was:
try:
    jit.reload("energy", "float energy(const double *x, long n) { return 0; }")
except cfree.ReloadError as e:
    print("refused:", e)
assert energy(signal, len(signal)) == 7.0

# ---------------------------------------------------------------------------------------
# 5. Structs, globals, constants and library calls, typed by the C declarations.
# ---------------------------------------------------------------------------------------

jit.add_source(r"""
    #define MAX_SAMPLES 8
    enum unit { METRES, FEET };
    struct sample { double value; enum unit unit; int tags[2]; };
    struct sample last = { 1.5, FEET };
    int recorded;
    struct sample record(struct sample s) { recorded++; last = s; s.value *= 2; return s; }
""", filename="samples.c")
Sample = jit.type("struct sample")        # a ctypes.Structure at the compiler's offsets
doubled = jit.record(Sample(2.0, jit.METRES, [1, 2]))
print("record() returned", doubled, "- recorded", jit.recorded, "time(s)")
assert doubled.value == 4.0 and jit.last.value == 2.0 and jit.MAX_SAMPLES == 8
jit.recorded = 0                          # globals are written in place
try:
    jit.recorded = 2**40                  # out of range for int
except OverflowError:
    print("2**40 does not fit an int")
jit.declare("double sqrt(double);")       # a libm function, typed by its declaration
assert jit.sqrt(16.0) == 4.0
import inspect
print(inspect.signature(jit.record), "-", jit.record.__doc__.splitlines()[0])

# ---------------------------------------------------------------------------------------
# 6. Errors are exceptions and say where.
# ---------------------------------------------------------------------------------------

try:
    jit.add_source("int broken(int x) {\n    return x +;\n}\n", filename="broken.c")
except cfree.CompileError as e:
    print(e)  # broken.c:2:15: error: ... with the line and a caret
    assert (e.filename, e.line) == ("broken.c", 2)

jit.close()  # or use `with cfree.Jit() as jit:`
print("tutorial: ok")
