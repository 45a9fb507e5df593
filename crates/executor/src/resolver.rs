//! [`SymbolResolver`] over the executor: names the image imports are looked up with `dlsym`
//! in the target process (its libc, libm, and the `-l` libraries it opened), after the few
//! the executor itself provides in place of what a linked executable would have.

use std::collections::HashMap;
use std::sync::Mutex;

use cfree_link::SymbolResolver;

use crate::protocol::{u64_at, Op};
use crate::{ExecutorError, Shared};

/// Names the image resolves to the executor's own definitions, as the in-process JIT's
/// runtime provides them: `atexit` lives in libc_nonshared.a (no `dlsym` finds it),
/// `__dso_handle` is per executable, and the image's thread-locals are the executor's to
/// manage (`__tls_get_addr` for general-dynamic code, the TLS descriptor resolver for
/// AArch64's TLSDESC code).
const PROVIDED: [(&str, &str); 4] = [
    ("atexit", "cfree_executor_atexit"),
    ("__dso_handle", "cfree_executor_dso_handle"),
    ("__tls_get_addr", "cfree_executor_tls_get_addr"),
    (
        cfree_link::TLS_DESCRIPTOR_RESOLVER,
        "cfree_executor_tlsdesc",
    ),
];

/// Target-side symbol lookup, cached (a name's address cannot change in the executor).
#[derive(Debug)]
pub struct RemoteResolver {
    conn: Shared,
    extra: HashMap<String, u64>,
    cache: Mutex<HashMap<String, Option<u64>>>,
}

impl RemoteResolver {
    pub(crate) fn new(conn: Shared) -> RemoteResolver {
        RemoteResolver {
            conn,
            extra: HashMap::new(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Makes `name` resolve to `addr` (a target address) from now on.
    pub fn add_symbol(&mut self, name: impl Into<String>, addr: u64) {
        self.extra.insert(name.into(), addr);
    }

    /// `dlopen`s a library in the executor (`RTLD_GLOBAL`, so later lookups see it).
    pub fn open_library(&mut self, path: &str) -> Result<(), ExecutorError> {
        crate::lock(&self.conn).request(Op::Dlopen, path.as_bytes())?;
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, v| v.is_some());
        Ok(())
    }

    /// `dlsym(RTLD_DEFAULT, name)` in the executor.
    pub fn dlsym(&self, name: &str) -> Result<Option<u64>, ExecutorError> {
        let reply = crate::lock(&self.conn).request(Op::Dlsym, name.as_bytes())?;
        Ok(Some(u64_at(&reply, 0, Op::Dlsym)?).filter(|&a| a != 0))
    }
}

impl SymbolResolver for RemoteResolver {
    fn resolve(&self, name: &str) -> Option<u64> {
        if let Some(&a) = self.extra.get(name) {
            return Some(a);
        }
        let target_name = PROVIDED
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(name, |(_, ours)| ours);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&hit) = cache.get(name) {
            return hit;
        }
        // An executor that is gone resolves nothing; the append then reports the names.
        let found = self.dlsym(target_name).ok().flatten();
        cache.insert(name.to_owned(), found);
        found
    }
}
