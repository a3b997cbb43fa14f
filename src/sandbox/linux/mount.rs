//! The mount namespace of a run: read-only everywhere but its working folder and /tmp, hidden
//! folders covered, the probe's binary mounted where it can read it, a /proc of its own.

use super::enter::last_errno;
use super::plan::{Failure, Plan, Step};
use super::HOST_PROC;
use super::PARTIAL_READ_ONLY;
use rustix::io::Errno;
use rustix::mount::{MountFlags, MountPropagationFlags};
use std::ffi::CStr;

/// In B: a mount namespace where nothing is writable but a tmpfs over the scratch folder and one on
/// /tmp, both gone with the namespace, and a /proc of the new PID namespace.
pub(super) fn mount_file_systems(plan: &Plan) -> Result<u8, Failure> {
    let mut partial = read_only()?;
    match &plan.writable {
        None => rustix::mount::mount(
            c"tmpfs",
            plan.scratch.as_c_str(),
            c"tmpfs",
            PRIVATE,
            Some(plan.scratch_options.as_c_str()),
        )
        .map_err(Failure::at(Step::Scratch))?,
        Some(writable) => writable_folder(writable, partial & PARTIAL_READ_ONLY != 0)?,
    }
    if !plan.scratch_in_tmp {
        tmpfs_if_there(c"/tmp", PRIVATE, plan.tmp_options.as_c_str(), Step::Tmp)?;
    }
    if let Some((source, target)) = &plan.program {
        program(source, target).map_err(Failure::at(Step::Program))?;
    }
    for folder in &plan.hide {
        let flags = PRIVATE | MountFlags::RDONLY | MountFlags::NOEXEC;
        tmpfs_if_there(folder, flags, c"size=4k,nr_inodes=1,mode=0555", Step::Hide)?;
    }
    let proc = rustix::mount::mount(
        c"proc",
        c"/proc",
        c"proc",
        PRIVATE | MountFlags::NOEXEC,
        None,
    );
    if proc.is_err() {
        partial |= HOST_PROC;
    }
    // The working directory std entered is the folder under the tmpfs: enter the tmpfs.
    rustix::process::chdir(plan.scratch.as_c_str()).map_err(Failure::at(Step::Chdir))?;
    Ok(partial)
}

/// Flags of every mount made for a run: no set-user-ID program, no device.
const PRIVATE: MountFlags = MountFlags::NOSUID.union(MountFlags::NODEV);

/// Makes every mount private (nothing mounted here shows outside) and read-only; with
/// [`PARTIAL_READ_ONLY`] when only the root file system could be.
fn read_only() -> Result<u8, Failure> {
    rustix::mount::mount_change(
        c"/",
        MountPropagationFlags::REC | MountPropagationFlags::PRIVATE,
    )
    .map_err(Failure::at(Step::Propagation))?;
    if read_only_everywhere().is_ok() {
        return Ok(0);
    }
    // Kernels before 5.12: the root file system at least.
    rustix::mount::mount_remount(
        c"/",
        MountFlags::BIND | MountFlags::RDONLY | MountFlags::NOSUID,
        c"",
    )
    .map_err(Failure::at(Step::ReadOnly))?;
    Ok(PARTIAL_READ_ONLY)
}

/// Bind-mounts `folder` on itself writable. A bind mount takes the read-only flag of the mount it
/// comes from: then lift it, on this mount alone.
fn writable_folder(folder: &CStr, old_kernel: bool) -> Result<(), Failure> {
    rustix::mount::mount_bind(folder, folder).map_err(Failure::at(Step::Bind))?;
    if old_kernel {
        rustix::mount::mount_remount(folder, MountFlags::BIND | PRIVATE, c"")
    } else {
        set_read_only(folder, false, false)
    }
    .map_err(Failure::at(Step::Bind))
}

/// A tmpfs on `target`, unless it is gone (since it was planned, or never was there).
fn tmpfs_if_there(
    target: &CStr,
    flags: MountFlags,
    options: &CStr,
    step: Step,
) -> Result<(), Failure> {
    match rustix::mount::mount(c"tmpfs", target, c"tmpfs", flags, Some(options)) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        Err(errno) => Err(Failure { step, errno }),
    }
}

/// Mounts the probe's binary (`source`, its path) read-only at `target` in the scratch
/// tmpfs, where the probe can exec and read it.
fn program(source: &CStr, target: &CStr) -> Result<(), Errno> {
    let mount_point = rustix::fs::open(
        target,
        rustix::fs::OFlags::CREATE | rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::from_raw_mode(0o555),
    )?;
    drop(mount_point);
    rustix::mount::mount_bind(source, target)?;
    rustix::mount::mount_remount(target, MountFlags::BIND | MountFlags::RDONLY | PRIVATE, c"")
}

/// mount_setattr(2), which rustix lacks: every mount read-only and without set-user-ID, at once.
pub(super) fn read_only_everywhere() -> Result<(), Errno> {
    set_read_only(c"/", true, true)
}

/// mount_setattr(2) on the mount at `path` (and those below it when `recursive`): read-only and
/// without set-user-ID, or writable again.
pub(super) fn set_read_only(path: &CStr, read_only: bool, recursive: bool) -> Result<(), Errno> {
    #[repr(C)]
    struct MountAttr {
        attr_set: u64,
        attr_clr: u64,
        propagation: u64,
        userns_fd: u64,
    }
    const MOUNT_ATTR_RDONLY: u64 = 0x1;
    const MOUNT_ATTR_NOSUID: u64 = 0x2;
    const AT_RECURSIVE: libc::c_long = 0x8000;
    let attr = if read_only {
        MountAttr {
            attr_set: MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID,
            attr_clr: 0,
            propagation: 0,
            userns_fd: 0,
        }
    } else {
        MountAttr {
            attr_set: 0,
            attr_clr: MOUNT_ATTR_RDONLY,
            propagation: 0,
            userns_fd: 0,
        }
    };
    let flags = if recursive { AT_RECURSIVE } else { 0 };
    // SAFETY: the path is a C string and the struct is the kernel's `mount_attr`, with its size.
    let result = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD as libc::c_long,
            path.as_ptr(),
            flags,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(last_errno())
    }
}
