//! The observation channel: the descriptor the grader names in `GRADE_OBS_FD`, where the probe's
//! one JSON line goes (never the student's stdout), and the allocator that says on it when the
//! probe's memory limit refuses an allocation.

use crate::json::Json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write as _;
use std::sync::atomic::{AtomicI32, Ordering};

/// Remembers the channel's descriptor for the allocator, which may not allocate to find it.
pub(crate) fn open() {
    CHANNEL.store(channel_fd().unwrap_or(-1), Ordering::Relaxed);
}

/// The channel's descriptor, as the grader names it in `GRADE_OBS_FD`.
fn channel_fd() -> Option<i32> {
    std::env::var("GRADE_OBS_FD").ok()?.parse().ok()
}

/// The channel's descriptor for the allocator, which may not allocate to find it (-1: none).
static CHANNEL: AtomicI32 = AtomicI32::new(-1);

/// The system's allocator, which says on the channel when it refuses an allocation (the probe's
/// memory limit), before the Rust runtime aborts: the grader then knows the run hit its limit
/// without reading the runtime's words on stderr.
struct ReportingAllocator;

// SAFETY: every call is passed to `System` unchanged; a refusal only adds a write(2).
unsafe impl GlobalAlloc for ReportingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees are `System`'s.
        let pointer = unsafe { System.alloc(layout) };
        if pointer.is_null() {
            out_of_memory(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if pointer.is_null() {
            out_of_memory(layout.size());
        }
        pointer
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(pointer, layout, size) };
        if moved.is_null() {
            out_of_memory(size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: ReportingAllocator = ReportingAllocator;

/// Writes `{"out_of_memory":{"bytes":N}}` on the channel, without allocating.
fn out_of_memory(bytes: usize) {
    let fd = CHANNEL.load(Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    let mut record = [0u8; 64];
    let head = b"{\"out_of_memory\":{\"bytes\":";
    record[..head.len()].copy_from_slice(head);
    let mut length = head.len();
    let mut digits = [0u8; 20];
    let (mut rest, mut count) = (bytes, 0);
    loop {
        digits[count] = b'0' + (rest % 10) as u8;
        count += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits[..count].iter().rev() {
        record[length] = digit;
        length += 1;
    }
    record[length..length + 3].copy_from_slice(b"}}\n");
    length += 3;
    use std::os::fd::FromRawFd;
    // SAFETY: the grader opened this descriptor for us; ManuallyDrop leaves it open.
    let mut channel = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    let _ = channel.write_all(&record[..length]);
}

/// Writes the report on the descriptor the grader named in `GRADE_OBS_FD`, never on the student's
/// stdout; on stdout only when run by hand.
pub(crate) fn emit(output: &Json) {
    let mut text = String::new();
    output.write(&mut text);
    text.push('\n');
    match channel_fd() {
        Some(fd) => {
            use std::os::fd::FromRawFd;
            // SAFETY: the grader opened this descriptor for us and nothing else in the probe uses it.
            let mut channel = unsafe { std::fs::File::from_raw_fd(fd) };
            let _ = channel.write_all(text.as_bytes());
        }
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
}
