//! CPU time from `/proc` (Linux): per process, and for the whole machine.

use std::collections::HashMap;

/// Clock ticks per second of `/proc` times.
pub fn ticks_per_second() -> f64 {
    static HZ: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *HZ.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// (command name, parent pid, utime + stime in ticks) of one process.
pub fn stat(pid: u32) -> Option<(String, u32, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let fields: Vec<&str> = text[close + 1..].split_whitespace().collect();
    // After the command: state(3) ppid(4) ... utime(14) stime(15), numbered as in proc(5).
    let ppid: u32 = fields.get(1)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((text[open + 1..close].to_string(), ppid, utime + stime))
}

/// Pids of running processes.
pub fn pids() -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect()
}

/// Every process: pid → (command name, CPU ticks).
pub fn all() -> HashMap<u32, (String, u64)> {
    pids().into_iter().filter_map(|pid| stat(pid).map(|(name, _, ticks)| (pid, (name, ticks)))).collect()
}

/// The child of this process running `exe` (a service binary we started).
pub fn child_running(exe: &std::path::Path) -> Option<u32> {
    let me = std::process::id();
    pids().into_iter().find(|pid| {
        stat(*pid).is_some_and(|(_, ppid, _)| ppid == me)
            && std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe)
    })
}

/// Machine-wide ticks: (busy, of which interrupts and softirqs — network work not charged to any process).
pub fn machine() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = text.lines().next().unwrap_or_default();
    let v: Vec<u64> = line.split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
    let at = |i: usize| v.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    let busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7);
    (busy, at(5) + at(6))
}
