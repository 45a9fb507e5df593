//! Token plumbing shared by the preprocessor: a cheap string type, the internal token with
//! its hide set, the hide-set table and a fast hasher.

use crate::source::Loc;
use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use super::{TokKind, Token};

/// Spellings up to this many bytes live inline, which covers nearly every identifier and
/// punctuator, so copying tokens through macro expansion rarely touches the allocator.
const INLINE_CAP: usize = 22;

/// An immutable string that stores short spellings inline and shares long ones.
#[derive(Clone)]
pub struct PpStr(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    Heap(Arc<str>),
}

impl PpStr {
    pub fn new(s: &str) -> Self {
        if s.len() <= INLINE_CAP {
            let mut buf = [0u8; INLINE_CAP];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            PpStr(Repr::Inline {
                len: s.len() as u8,
                buf,
            })
        } else {
            PpStr(Repr::Heap(Arc::from(s)))
        }
    }

    /// The bytes, without the UTF-8 check `as_str` makes for inline strings (for the hot
    /// punctuator comparisons).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, buf } => &buf[..*len as usize],
            Repr::Heap(s) => s.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: `new` is the only constructor of `Inline`: it copies all of a `&str`
            // (`len` is that string's length) into a buffer never written again, so the
            // prefix is exactly valid UTF-8. (Checking it on every use cost 7% of a compile.)
            Repr::Inline { len, buf } => unsafe {
                std::str::from_utf8_unchecked(&buf[..*len as usize])
            },
            Repr::Heap(s) => s,
        }
    }
}

impl Deref for PpStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for PpStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for PpStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl Hash for PpStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Must hash exactly like `str` so maps keyed by `PpStr` can be queried with `&str`.
        self.as_str().hash(state)
    }
}

impl PartialEq for PpStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PpStr {}

impl PartialEq<str> for PpStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PpStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&str> for PpStr {
    fn from(s: &str) -> Self {
        PpStr::new(s)
    }
}

impl From<String> for PpStr {
    fn from(s: String) -> Self {
        PpStr::new(&s)
    }
}

impl Default for PpStr {
    fn default() -> Self {
        PpStr::new("")
    }
}

impl fmt::Debug for PpStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PpStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Fx hash (as used in rustc): one rotate, xor and multiply per word. Macro names are
/// short and not attacker-chosen in a way that matters for a compiler, so SipHash's
/// DoS resistance is not worth its cost on every identifier.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;
pub type FxHashSet<K> = HashSet<K, FxBuild>;

/// Token flag: whitespace or a comment precedes the token.
pub const SPACE: u8 = 1;
/// Token flag: first token of its line.
pub const BOL: u8 = 2;
/// Token flag: end-of-input sentinel pushed below a token list that is expanded on its
/// own (a macro argument, an `#if` line); reading stops there instead of running on
/// into the file.
pub const MARKER: u8 = 4;

/// The preprocessor's working token: the public token plus its hide set.
#[derive(Clone, Debug)]
pub struct PTok {
    pub text: PpStr,
    pub loc: Loc,
    /// Index into [`HideSets`]: the macros that must not expand this token again.
    pub hs: u32,
    pub kind: TokKind,
    pub flags: u8,
}

impl PTok {
    pub fn new(kind: TokKind, text: PpStr, loc: Loc, flags: u8) -> Self {
        PTok {
            text,
            loc,
            hs: 0,
            kind,
            flags,
        }
    }

    pub fn marker() -> Self {
        PTok::new(TokKind::Other, PpStr::default(), Loc::default(), MARKER)
    }

    #[inline]
    pub fn is(&self, s: &str) -> bool {
        self.kind == TokKind::Punct && self.text.as_bytes() == s.as_bytes()
    }

    #[inline]
    pub fn is_ident(&self, s: &str) -> bool {
        self.kind == TokKind::Ident && self.text.as_bytes() == s.as_bytes()
    }

    /// `#` or its digraph `%:`.
    pub fn is_hash(&self) -> bool {
        self.kind == TokKind::Punct && matches!(self.text.as_bytes(), b"#" | b"%:")
    }

    /// `##` or its digraph `%:%:`.
    pub fn is_paste(&self) -> bool {
        self.kind == TokKind::Punct && matches!(self.text.as_bytes(), b"##" | b"%:%:")
    }

    pub fn space(&self) -> bool {
        self.flags & SPACE != 0
    }

    pub fn bol(&self) -> bool {
        self.flags & BOL != 0
    }

    pub fn into_token(self) -> Token {
        Token {
            kind: self.kind,
            leading_space: self.flags & SPACE != 0,
            line_start: self.flags & BOL != 0,
            text: self.text,
            loc: self.loc,
        }
    }
}

/// Interned hide sets (Prosser's algorithm). Each set is a sorted list of macro ids and is
/// stored once; tokens carry only its index, and the set operations are memoised because
/// the same few combinations recur for every token of an expansion.
pub struct HideSets {
    sets: Vec<Box<[u32]>>,
    index: FxHashMap<Box<[u32]>, u32>,
    add_memo: FxHashMap<(u32, u32), u32>,
    union_memo: FxHashMap<(u32, u32), u32>,
    inter_memo: FxHashMap<(u32, u32), u32>,
}

impl Default for HideSets {
    fn default() -> Self {
        let empty: Box<[u32]> = Box::new([]);
        let mut index = FxHashMap::default();
        index.insert(empty.clone(), 0);
        HideSets {
            sets: vec![empty],
            index,
            add_memo: FxHashMap::default(),
            union_memo: FxHashMap::default(),
            inter_memo: FxHashMap::default(),
        }
    }
}

impl HideSets {
    fn intern(&mut self, v: Vec<u32>) -> u32 {
        let b = v.into_boxed_slice();
        if let Some(&i) = self.index.get(&b) {
            return i;
        }
        let i = self.sets.len() as u32;
        self.sets.push(b.clone());
        self.index.insert(b, i);
        i
    }

    fn get(&self, hs: u32) -> &[u32] {
        self.sets.get(hs as usize).map(|b| &b[..]).unwrap_or(&[])
    }

    pub fn contains(&self, hs: u32, id: u32) -> bool {
        hs != 0 && self.get(hs).binary_search(&id).is_ok()
    }

    pub fn add(&mut self, hs: u32, id: u32) -> u32 {
        if let Some(&r) = self.add_memo.get(&(hs, id)) {
            return r;
        }
        let mut v = self.get(hs).to_vec();
        if let Err(pos) = v.binary_search(&id) {
            v.insert(pos, id);
        }
        let r = self.intern(v);
        self.add_memo.insert((hs, id), r);
        r
    }

    pub fn union(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == 0 {
            return a;
        }
        if a == 0 {
            return b;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&r) = self.union_memo.get(&key) {
            return r;
        }
        let mut v: Vec<u32> = self.get(a).iter().chain(self.get(b)).copied().collect();
        v.sort_unstable();
        v.dedup();
        let r = self.intern(v);
        self.union_memo.insert(key, r);
        r
    }

    pub fn intersect(&mut self, a: u32, b: u32) -> u32 {
        if a == b {
            return a;
        }
        if a == 0 || b == 0 {
            return 0;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&r) = self.inter_memo.get(&key) {
            return r;
        }
        let other = self.get(b);
        let v: Vec<u32> = self
            .get(a)
            .iter()
            .copied()
            .filter(|x| other.binary_search(x).is_ok())
            .collect();
        let r = self.intern(v);
        self.inter_memo.insert(key, r);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppstr_inline_and_heap() {
        let a = PpStr::new("abc");
        let long = "x".repeat(40);
        let b = PpStr::new(&long);
        assert_eq!(&*a, "abc");
        assert_eq!(&*b, long.as_str());
        assert_eq!(std::mem::size_of::<PpStr>(), 24);
        let mut m: FxHashMap<PpStr, u32> = FxHashMap::default();
        m.insert(a.clone(), 1);
        m.insert(b, 2);
        assert_eq!(m.get("abc"), Some(&1));
        assert_eq!(m.get(long.as_str()), Some(&2));
    }

    #[test]
    fn hidesets() {
        let mut h = HideSets::default();
        let a = h.add(0, 5);
        let b = h.add(a, 3);
        assert!(h.contains(b, 3) && h.contains(b, 5) && !h.contains(b, 4));
        let c = h.add(0, 3);
        assert_eq!(h.intersect(b, c), c);
        assert_eq!(h.union(a, c), b);
        assert_eq!(h.intersect(a, c), 0);
    }
}
