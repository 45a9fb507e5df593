//! The wire protocol between the host and `cfree-executor` (c/cfree-executor.c), and the
//! connection that carries it.
//!
//! A request is `u32 op, u32 len, len bytes`; a reply is `u32 status, u32 len, len bytes`,
//! status 0 meaning done and anything else an errno with a message. All little-endian (the
//! three targets are). Requests go to the executor's fd 3, replies come from its fd 4; its
//! stdin, stdout and stderr are the program's.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus};

use crate::ExecutorError;

/// The executor's operations (mirrors `OP_*` in cfree-executor.c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Op {
    Hello = 1,
    Reserve = 2,
    Write = 3,
    Read = 4,
    Protect = 5,
    Flush = 6,
    StorePtr = 7,
    Dlsym = 8,
    Dlopen = 9,
    Call = 10,
    RunMain = 11,
    Exit = 12,
    AtExit = 13,
    RunCtors = 14,
    CallerStart = 15,
    CallerStop = 16,
    TlsRegister = 17,
}

/// The executor side can take requests up to this size (`MAX_MSG` there).
pub const MAX_MESSAGE: usize = 64 << 20;

/// A running executor: the process and its two protocol pipes.
#[derive(Debug)]
pub struct Connection {
    child: Child,
    requests: File,
    replies: File,
    /// How the process ended, once it has.
    ended: Option<ExitStatus>,
}

impl Connection {
    /// Starts `command` (the executor, possibly under qemu-user) with the protocol pipes on
    /// its fds 3 and 4; the rest of its environment (stdio, cwd) is `command`'s.
    pub fn spawn(mut command: Command, what: &Path) -> Result<Connection, ExecutorError> {
        let (req_r, req_w) = pipe()?;
        let (rep_r, rep_w) = pipe()?;
        let (child_req, child_rep) = (req_r.as_raw_fd(), rep_w.as_raw_fd());
        // SAFETY: between fork and exec the closure only calls the async-signal-safe fcntl
        // and dup2 on descriptors that are open in the child.
        unsafe {
            command.pre_exec(move || {
                // Move both out of the way of 3 and 4 first, so neither dup2 clobbers the
                // other; dup2's copies lose O_CLOEXEC, the originals close at exec.
                let a = libc::fcntl(child_req, libc::F_DUPFD_CLOEXEC, 10);
                let b = libc::fcntl(child_rep, libc::F_DUPFD_CLOEXEC, 10);
                if a < 0 || b < 0 || libc::dup2(a, 3) < 0 || libc::dup2(b, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().map_err(|source| ExecutorError::Spawn {
            program: what.display().to_string(),
            source,
        })?;
        drop((req_r, rep_w));
        Ok(Connection {
            child,
            requests: File::from(req_w),
            replies: File::from(rep_r),
            ended: None,
        })
    }

    /// Sends one request and waits for its reply's payload. A refusal is
    /// [`ExecutorError::Refused`]; an executor that is gone (the program exited or died
    /// inside a call) is [`ExecutorError::Ended`] with its status.
    pub fn request(&mut self, op: Op, payload: &[u8]) -> Result<Vec<u8>, ExecutorError> {
        if let Some(status) = self.ended {
            return Err(ExecutorError::Ended(status));
        }
        let len = u32::try_from(payload.len())
            .ok()
            .filter(|&n| n as usize <= MAX_MESSAGE)
            .ok_or(ExecutorError::Protocol(format!(
                "a {op:?} request of {} bytes is over the executor's limit",
                payload.len()
            )))?;
        let mut head = [0u8; 8];
        head[..4].copy_from_slice(&(op as u32).to_le_bytes());
        head[4..].copy_from_slice(&len.to_le_bytes());
        let sent = self
            .requests
            .write_all(&head)
            .and_then(|()| self.requests.write_all(payload));
        if sent.is_err() {
            return Err(self.gone());
        }
        let mut head = [0u8; 8];
        if self.replies.read_exact(&mut head).is_err() {
            return Err(self.gone());
        }
        let status = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        if len > MAX_MESSAGE {
            return Err(ExecutorError::Protocol(format!(
                "a reply of {len} bytes to {op:?}"
            )));
        }
        let mut body = vec![0u8; len];
        if self.replies.read_exact(&mut body).is_err() {
            return Err(self.gone());
        }
        if status != 0 {
            return Err(ExecutorError::Refused {
                op,
                message: String::from_utf8_lossy(&body).into_owned(),
                errno: status,
            });
        }
        Ok(body)
    }

    /// The executor stopped answering: wait for it and report how it ended.
    fn gone(&mut self) -> ExecutorError {
        match self.child.wait() {
            Ok(status) => {
                self.ended = Some(status);
                ExecutorError::Ended(status)
            }
            Err(e) => ExecutorError::Protocol(format!("waiting for the executor: {e}")),
        }
    }

    /// Closes the request pipe and waits for the process (it exits when its requests end).
    pub fn finish(&mut self) -> Result<ExitStatus, ExecutorError> {
        if let Some(s) = self.ended {
            return Ok(s);
        }
        // Replacing the pipe with /dev/null closes our end: the executor reads EOF.
        if let Ok(null) = File::open("/dev/null") {
            self.requests = null;
        }
        let s = self
            .child
            .wait()
            .map_err(|e| ExecutorError::Protocol(format!("waiting for the executor: {e}")))?;
        self.ended = Some(s);
        Ok(s)
    }
}

impl Drop for Connection {
    /// An executor nobody talks to any more ends (it exits at EOF on its requests); kill it
    /// if it is stuck in the program so no process is left behind.
    fn drop(&mut self) {
        if self.ended.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn pipe() -> Result<(OwnedFd, OwnedFd), ExecutorError> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(ExecutorError::Protocol(format!(
            "pipe: {}",
            std::io::Error::last_os_error()
        )));
    }
    // SAFETY: pipe2 succeeded, so both are fresh descriptors this process owns.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Little-endian encoding helpers for request payloads.
pub(crate) fn u64s(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The `i`th little-endian u64 of a reply, or a protocol error naming `op`.
pub(crate) fn u64_at(reply: &[u8], i: usize, op: Op) -> Result<u64, ExecutorError> {
    reply
        .get(i * 8..i * 8 + 8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| ExecutorError::Protocol(format!("short reply to {op:?}")))
}
