//! The rlimits of a child, set between fork and exec: what every platform with POSIX rlimits does
//! alike. Computed before the fork (the child may not allocate), applied after.

use super::Limits;
use rustix::io::Errno;
use rustix::process::{Resource, Rlimit};

/// One rlimit: the resource, its soft and its hard limit.
pub(super) type Bound = (Resource, u64, u64);

/// The rlimits of a child bounded by `limits` (none but no core dump when `None`), each capped at
/// grade's own hard limit: raising a hard limit takes a privilege, so a limit above grade's own is
/// grade's own.
pub(super) fn bounds(limits: Option<&Limits>) -> Vec<Bound> {
    let mut bounds = vec![(Resource::Core, 0, 0)];
    if let Some(limits) = limits {
        let mut add = |resource, value: Option<u64>| bounds.extend(value.map(|v| (resource, v, v)));
        add(Resource::As, limits.address_space);
        add(Resource::Fsize, limits.file_size);
        add(Resource::Nofile, limits.open_files);
        add(Resource::Nproc, limits.processes);
        // One second between the soft and the hard limit: SIGXCPU says why, SIGKILL makes sure.
        bounds.extend(limits.cpu_seconds.map(|s| (Resource::Cpu, s, s + 1)));
    }
    for (resource, soft, hard) in &mut bounds {
        if let Some(ceiling) = rustix::process::getrlimit(*resource).maximum {
            *soft = (*soft).min(ceiling);
            *hard = (*hard).min(ceiling);
        }
    }
    bounds
}

/// Sets `bounds` on this process: system calls only, for between fork and exec.
pub(super) fn apply(bounds: &[Bound]) -> Result<(), Errno> {
    for &(resource, soft, hard) in bounds {
        rustix::process::setrlimit(
            resource,
            Rlimit {
                current: Some(soft),
                maximum: Some(hard),
            },
        )?;
    }
    Ok(())
}

/// `limits` for a probe run that has no PID namespace to die with: it may start no process at all
/// (RLIMIT_NPROC of 1, which counts the user's processes, so that any fork fails). Nothing else
/// makes sure that no process it starts outlives it, since one that called setsid(2) has left its
/// group. (A probe needs no process nor thread of its own.)
pub(super) fn alone(limits: &Limits) -> Limits {
    Limits {
        processes: Some(1),
        ..limits.clone()
    }
}
