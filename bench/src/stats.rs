//! Flow counts and latency percentiles.

use std::time::Duration;

/// What one run measured.
pub struct Report {
    /// Completed flows that ended signed in.
    pub ok: usize,
    /// Flows that failed at any step.
    pub failed: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of each successful flow.
    pub latencies: Vec<Duration>,
}

impl Report {
    /// The one-line summary.
    pub fn line(
        mut self,
        store: &str,
        peak_rss_kib: Option<u64>,
        idle_rss_kib: Option<u64>,
    ) -> String {
        self.latencies.sort_unstable();
        let pick = |q: f64| {
            if self.latencies.is_empty() {
                return 0.0;
            }
            let index = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
            self.latencies[index].as_secs_f64() * 1000.0
        };
        let mib = |kib: Option<u64>| {
            kib.map_or("n/a".to_owned(), |k| {
                format!("{:.1} MiB", k as f64 / 1024.0)
            })
        };
        let (rss, idle) = (mib(peak_rss_kib), mib(idle_rss_kib));
        format!(
            "store={store:<6} flows/s={:>8.1}  p50={:>6.2}ms  p99={:>6.2}ms  max={:>7.2}ms  ok={}  failed={}  server_peak_rss={rss}  idle_rss={idle}",
            self.ok as f64 / self.elapsed.as_secs_f64(),
            pick(0.50),
            pick(0.99),
            pick(1.0),
            self.ok,
            self.failed,
        )
    }
}
