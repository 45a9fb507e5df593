//! Live-image benchmarks: append and reload latency, the cost of a reloadable entry, memory per
//! append. Run with `cargo bench --bench jit` (add `-- --quick` for a short run); results go to
//! doc/BENCHMARKS.md by hand, with the command line.
//!
//! Every latency is C source text to a callable function: compile (preprocess, parse, sema,
//! Cranelift), link at the append cursors, publish. Times are wall clock per operation.

use std::time::{Duration, Instant};

use cfree::{Jit, JitOptions};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{what:<44} n={:<6} median {:>8.1} µs   p99 {:>8.1} µs   max {:>8.1} µs",
        samples.len(),
        us(percentile(&samples, 0.5)),
        us(percentile(&samples, 0.99)),
        us(percentile(&samples, 1.0)),
    );
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn append_latency(n: usize) {
    let mut jit = Jit::new(JitOptions::default()).expect("jit");
    jit.add_source("base.c", "int base(int x) { return x; }")
        .expect("base");
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let src = format!("int base(int); int snip{i}(int x) {{ return base(x) + {i}; }}");
        let name = format!("snip{i}");
        let t = Instant::now();
        jit.add_source("snippet.c", &src).expect("append");
        let f = jit.lookup(&name).expect("lookup");
        samples.push(t.elapsed());
        // SAFETY: `int snipN(int)`.
        let f: extern "C" fn(i32) -> i32 = unsafe { std::mem::transmute(f) };
        assert_eq!(f(1), 1 + i as i32);
    }
    // Does an append get slower as the image grows? Compare the first and last tenth.
    let tenth = (n / 10).max(1);
    report(
        "  the first tenth of those appends",
        samples[..tenth].to_vec(),
    );
    report("  the last tenth", samples[n - tenth..].to_vec());
    report("append one-line snippet (source → callable)", samples);
}

fn reload_latency(n: usize) {
    let mut jit = Jit::new(JitOptions::reloadable()).expect("jit");
    jit.add_source("f.c", "int f(int x) { return x; }")
        .expect("f");
    // SAFETY: `int f(int)`.
    let f: extern "C" fn(i32) -> i32 = unsafe { jit.function("f") }.expect("f");
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let src = format!("int f(int x) {{ return x + {i}; }}");
        let t = Instant::now();
        jit.reload_source("f", "f.c", &src).expect("reload");
        samples.push(t.elapsed());
        assert_eq!(f(1), 1 + i as i32);
    }
    report("reload one-line replacement (source → live)", samples);
}

/// ns per call of `f` from a JIT-compiled loop, with `f` behind a reloadable entry or not.
fn call_cost(indirect: bool, iters: i64) -> f64 {
    let opts = if indirect {
        JitOptions::reloadable()
    } else {
        JitOptions::default()
    };
    let mut jit = Jit::new(JitOptions {
        compile: cfree::CompileOptions {
            opt_level: cfree::OptLevel::Speed,
            ..Default::default()
        },
        ..opts
    })
    .expect("jit");
    jit.add_source("f.c", "long f(long x) { return x + 1; }")
        .expect("f");
    jit.add_source(
        "loop.c",
        "long f(long);\n\
         long loop(long n) { long s = 0; for (long i = 0; i < n; i++) s += f(i); return s; }",
    )
    .expect("loop");
    // SAFETY: `long loop(long)`.
    let run: extern "C" fn(i64) -> i64 = unsafe { jit.function("loop") }.expect("loop");
    assert_eq!(run(10), 55);
    let mut best = f64::MAX;
    for _ in 0..7 {
        let t = Instant::now();
        let s = run(iters);
        let ns = t.elapsed().as_secs_f64() * 1e9 / iters as f64;
        assert_eq!(s, iters * (iters + 1) / 2);
        best = best.min(ns);
    }
    best
}

fn memory_per_append(n: usize) {
    let mut jit = Jit::new(JitOptions::default()).expect("jit");
    jit.add_source("base.c", "int base(int x) { return x; }")
        .expect("base");
    let session = |j: &Jit| {
        let low = j.low_level();
        let s = low.session();
        cfree::link::SegmentClass::ALL
            .iter()
            .map(|c| s.cursor(*c) - s.layout().range(*c).start)
            .sum::<u64>()
    };
    let (img0, rss0) = (session(&jit), rss_kib());
    for i in 0..n {
        let src = format!("int base(int); int m{i}(int x) {{ return base(x) * {i}; }}");
        jit.add_source("m.c", &src).expect("append");
    }
    let (img1, rss1) = (session(&jit), rss_kib());
    println!(
        "memory per append (n={n}): image {:.0} bytes, process RSS {:.0} bytes",
        (img1 - img0) as f64 / n as f64,
        (rss1.saturating_sub(rss0) * 1024) as f64 / n as f64
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick { 200 } else { 2000 };
    let iters = if quick { 20_000_000 } else { 200_000_000 };
    append_latency(n);
    reload_latency(n);
    if std::env::args().any(|a| a == "--latency-only") {
        return;
    }
    let direct = call_cost(false, iters);
    let indirect = call_cost(true, iters);
    println!(
        "call from JIT code, best of 7 × {iters}: direct {direct:.3} ns, through reloadable entry \
         {indirect:.3} ns, indirection {:.3} ns/call",
        indirect - direct
    );
    memory_per_append(n);
}
