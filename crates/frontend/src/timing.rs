//! Where a compile's time goes, phase by phase: what `-ftime-report` prints.
//!
//! Every phase of the pipeline (the preprocessor, lowering, lang-c, sema, the codegen steps,
//! the linker) adds its elapsed time under its name; compiles that ran on several threads are
//! merged by adding their phases, so the sum is thread time, and the caller reports the wall
//! clock of the whole next to it.

use std::time::{Duration, Instant};

/// Elapsed time per named phase, in the order the phases first ran, and counted events
/// (how units were served by the compile cache).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhaseTimes {
    phases: Vec<(&'static str, Duration)>,
    counts: Vec<(&'static str, u32)>,
}

impl PhaseTimes {
    /// Adds `d` to `phase` (a phase that runs once per function accumulates).
    pub fn add(&mut self, phase: &'static str, d: Duration) {
        match self.phases.iter_mut().find(|(p, _)| *p == phase) {
            Some((_, t)) => *t += d,
            None => self.phases.push((phase, d)),
        }
    }

    /// Runs `f`, adding its elapsed time to `phase`.
    pub fn time<T>(&mut self, phase: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let r = f();
        self.add(phase, start.elapsed());
        r
    }

    /// Counts one `event`.
    pub fn count(&mut self, event: &'static str) {
        match self.counts.iter_mut().find(|(e, _)| *e == event) {
            Some((_, n)) => *n += 1,
            None => self.counts.push((event, 1)),
        }
    }

    /// How many times `event` was counted.
    pub fn count_of(&self, event: &str) -> u32 {
        self.counts
            .iter()
            .find(|(e, _)| *e == event)
            .map_or(0, |(_, n)| *n)
    }

    /// Adds every phase and count of `other` (another unit, or another thread's share).
    pub fn merge(&mut self, other: &PhaseTimes) {
        for &(p, d) in &other.phases {
            self.add(p, d);
        }
        for &(e, n) in &other.counts {
            for _ in 0..n {
                self.count(e);
            }
        }
    }

    /// The time of `phase`, zero when it never ran.
    pub fn get(&self, phase: &str) -> Duration {
        self.phases
            .iter()
            .find(|(p, _)| *p == phase)
            .map_or(Duration::ZERO, |(_, d)| *d)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Duration)> + '_ {
        self.phases.iter().copied()
    }

    pub fn total(&self) -> Duration {
        self.phases.iter().map(|(_, d)| *d).sum()
    }

    /// The report: one line per phase with milliseconds and share of the phase total, then
    /// the total and the wall-clock time `wall` of the whole command.
    pub fn render(&self, wall: Duration) -> String {
        let total = self.total();
        let share = |d: Duration| {
            if total.is_zero() {
                0.0
            } else {
                100.0 * d.as_secs_f64() / total.as_secs_f64()
            }
        };
        let mut out = String::from("cfree: time report (thread time per phase)\n");
        for (p, d) in self.iter() {
            out.push_str(&format!(
                "  {p:<22} {:>10.2} ms {:>5.1}%\n",
                ms(d),
                share(d)
            ));
        }
        out.push_str(&format!("  {:<22} {:>10.2} ms\n", "total", ms(total)));
        out.push_str(&format!("  {:<22} {:>10.2} ms\n", "wall clock", ms(wall)));
        for (e, n) in &self.counts {
            out.push_str(&format!("  {e:<22} {n:>10}\n"));
        }
        out
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_accumulate_in_first_run_order_and_merge() {
        let mut a = PhaseTimes::default();
        a.add("parse", Duration::from_millis(2));
        a.add("sema", Duration::from_millis(3));
        a.add("parse", Duration::from_millis(1));
        let mut b = PhaseTimes::default();
        b.add("codegen", Duration::from_millis(5));
        b.add("sema", Duration::from_millis(1));
        a.merge(&b);
        let names: Vec<_> = a.iter().map(|(p, _)| p).collect();
        assert_eq!(names, ["parse", "sema", "codegen"]);
        assert_eq!(a.get("parse"), Duration::from_millis(3));
        assert_eq!(a.get("sema"), Duration::from_millis(4));
        assert_eq!(a.get("link"), Duration::ZERO);
        assert_eq!(a.total(), Duration::from_millis(12));
        assert_eq!(a.count_of("units cached"), 0);
        a.count("units cached");
        b.count("units cached");
        a.merge(&b);
        assert_eq!(a.count_of("units cached"), 2);
        let r = a.render(Duration::from_millis(20));
        assert!(r.contains("parse") && r.contains("wall clock") && r.contains("units cached"));
    }
}
