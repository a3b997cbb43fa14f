//! Capped captures of a child's output: the head and the tail of each stream are kept, the middle
//! counted, so that a submission printing gigabytes costs grade a fixed amount of memory, and
//! pipes read without blocking so that no writer can keep the grader waiting.

use std::collections::VecDeque;
use std::os::fd::OwnedFd;

/// A capped capture of a stream: the head and the tail, and how much was written in all.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    total: u64,
    cap: usize,
}

impl Captured {
    fn new(cap: usize) -> Captured {
        Captured {
            cap,
            ..Captured::default()
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let head_room = (self.cap / 2).saturating_sub(self.head.len());
        let (to_head, rest) = bytes.split_at(head_room.min(bytes.len()));
        self.head.extend_from_slice(to_head);
        let tail_cap = self.cap - self.cap / 2;
        let rest = &rest[rest.len().saturating_sub(tail_cap)..];
        self.tail.extend(rest);
        let excess = self.tail.len().saturating_sub(tail_cap);
        self.tail.drain(..excess);
    }

    /// Bytes elided from the middle.
    pub fn elided(&self) -> u64 {
        self.total - (self.head.len() + self.tail.len()) as u64
    }

    /// The kept text, with a marker where the middle was elided.
    pub fn text(&self) -> String {
        let head = String::from_utf8_lossy(&self.head);
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        let tail = String::from_utf8_lossy(&tail);
        match self.elided() {
            0 => format!("{head}{tail}"),
            n => format!("{head}\n[… {n} bytes elided …]\n{tail}"),
        }
    }

    /// The kept bytes, head then tail.
    pub(super) fn bytes(&self) -> Vec<u8> {
        self.head.iter().chain(self.tail.iter()).copied().collect()
    }

    /// Nothing was elided.
    pub fn is_complete(&self) -> bool {
        self.elided() == 0
    }
}

/// One pipe being read without blocking. (The observation channel is one too: under its cap it is
/// kept whole and can be parsed; over it, head and tail are no report, and the run says so.)
pub(super) struct Stream {
    pub(super) fd: OwnedFd,
    pub(super) open: bool,
    pub(super) captured: Captured,
}

impl Stream {
    pub(super) fn new(fd: OwnedFd, cap: usize) -> Stream {
        Stream {
            fd,
            open: true,
            captured: Captured::new(cap),
        }
    }

    /// Reads what is available now, at most `rounds` buffers, so a writer that never pauses cannot
    /// keep the grader here.
    pub(super) fn drain(&mut self, rounds: usize) {
        let mut buffer = [0u8; 64 * 1024];
        for _ in 0..rounds {
            if !self.open {
                return;
            }
            match rustix::io::read(&self.fd, &mut buffer) {
                Ok(0) => self.open = false,
                Ok(n) => self.captured.push(&buffer[..n]),
                Err(rustix::io::Errno::AGAIN) => return,
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => self.open = false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_keeps_head_and_tail() {
        let mut c = Captured::new(8);
        c.push(b"0123456789abcdef");
        assert_eq!(c.total, 16);
        assert_eq!(c.elided(), 8);
        assert!(c.text().starts_with("0123"));
        assert!(c.text().ends_with("cdef"));
        assert!(c.text().contains("8 bytes elided"));
    }

    #[test]
    fn captured_small_output_is_whole() {
        let mut c = Captured::new(8);
        c.push(b"abc");
        c.push(b"de");
        assert_eq!(c.text(), "abcde");
        assert!(c.is_complete());
    }
}
