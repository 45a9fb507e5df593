//! The reserved address range of a live image, split into one range per segment class.
//!
//! Everything is decided up front so that appended code lands next to old code: all references
//! inside the image stay within the reach of PC-relative instructions (±2 GiB on x86-64), and no
//! section ever moves once its address was observable.

use crate::memory::Protection;

/// The kind of memory a placed section needs. Each class has its own range and append cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SegmentClass {
    /// Code: read + execute.
    Rx,
    /// Read-only data, `.eh_frame`, GOT cells.
    R,
    /// Writable data and `.bss`.
    Rw,
}

impl SegmentClass {
    /// All classes, in the order their ranges are laid out by [`LinkLayout::contiguous`].
    pub const ALL: [SegmentClass; 3] = [SegmentClass::Rx, SegmentClass::R, SegmentClass::Rw];

    /// Dense index for per-class arrays.
    pub(crate) fn index(self) -> usize {
        match self {
            SegmentClass::Rx => 0,
            SegmentClass::R => 1,
            SegmentClass::Rw => 2,
        }
    }

    /// The protection applied to this class's pages once written.
    pub fn protection(self) -> Protection {
        match self {
            SegmentClass::Rx => Protection::RX,
            SegmentClass::R => Protection::R,
            SegmentClass::Rw => Protection::RW,
        }
    }
}

impl std::fmt::Display for SegmentClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SegmentClass::Rx => "RX",
            SegmentClass::R => "R",
            SegmentClass::Rw => "RW",
        })
    }
}

/// One class's slice of the reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassRange {
    pub start: u64,
    pub size: u64,
}

impl ClassRange {
    pub fn end(&self) -> u64 {
        self.start + self.size
    }
}

/// Why a layout was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LayoutError {
    #[error("page size {0:#x} is not a power of two")]
    BadPageSize(u64),
    #[error("{class} range {start:#x}+{size:#x} is not page aligned (page size {page_size:#x})")]
    Unaligned {
        class: SegmentClass,
        start: u64,
        size: u64,
        page_size: u64,
    },
    #[error("{class} range {start:#x}+{size:#x} wraps around the address space")]
    Wraps {
        class: SegmentClass,
        start: u64,
        size: u64,
    },
    #[error("{a} and {b} ranges overlap")]
    Overlap { a: SegmentClass, b: SegmentClass },
}

/// The reserved virtual range of one live image, split into class ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkLayout {
    page_size: u64,
    ranges: [ClassRange; 3],
}

impl LinkLayout {
    /// Validate explicit class ranges: page aligned, not wrapping, not overlapping.
    pub fn new(
        page_size: u64,
        rx: ClassRange,
        r: ClassRange,
        rw: ClassRange,
    ) -> Result<Self, LayoutError> {
        if page_size == 0 || !page_size.is_power_of_two() {
            return Err(LayoutError::BadPageSize(page_size));
        }
        let ranges = [rx, r, rw];
        for (class, range) in SegmentClass::ALL.iter().zip(ranges.iter()) {
            if range.start % page_size != 0 || range.size % page_size != 0 {
                return Err(LayoutError::Unaligned {
                    class: *class,
                    start: range.start,
                    size: range.size,
                    page_size,
                });
            }
            if range.start.checked_add(range.size).is_none() {
                return Err(LayoutError::Wraps {
                    class: *class,
                    start: range.start,
                    size: range.size,
                });
            }
        }
        for i in 0..3 {
            for j in i + 1..3 {
                let (a, b) = (ranges[i], ranges[j]);
                if a.size > 0 && b.size > 0 && a.start < b.end() && b.start < a.end() {
                    return Err(LayoutError::Overlap {
                        a: SegmentClass::ALL[i],
                        b: SegmentClass::ALL[j],
                    });
                }
            }
        }
        Ok(LinkLayout { page_size, ranges })
    }

    /// The sizes of a contiguous reservation for `arch` (each class rounded up to pages) and
    /// their total: what an embedder maps before it knows the base. Refused when empty or
    /// beyond the reach of `arch`'s PC-relative references, which every image relies on.
    pub fn reservation(
        arch: crate::LinkArch,
        page_size: u64,
        rx: u64,
        r: u64,
        rw: u64,
    ) -> Result<Reservation, String> {
        let page = page_size.max(1);
        let round = |n: u64| n.div_ceil(page).saturating_mul(page);
        let (rx, r, rw) = (round(rx), round(r), round(rw));
        let total = rx
            .checked_add(r)
            .and_then(|t| t.checked_add(rw))
            .ok_or("reservation size overflows")?;
        let span = crate::backend(arch).max_image_span();
        if total > span {
            return Err(format!(
                "reservation of {total:#x} bytes exceeds the {span:#x}-byte reach of {arch} PC-relative references"
            ));
        }
        if total == 0 {
            return Err("empty reservation".into());
        }
        Ok(Reservation { rx, r, rw, total })
    }

    /// One contiguous reservation starting at `base`: RX first, then R, then RW.
    pub fn contiguous(
        base: u64,
        page_size: u64,
        rx_size: u64,
        r_size: u64,
        rw_size: u64,
    ) -> Result<Self, LayoutError> {
        let wraps = |class, start: u64, size| LayoutError::Wraps { class, start, size };
        let r_start = base
            .checked_add(rx_size)
            .ok_or(wraps(SegmentClass::Rx, base, rx_size))?;
        let rw_start =
            r_start
                .checked_add(r_size)
                .ok_or(wraps(SegmentClass::R, r_start, r_size))?;
        Self::new(
            page_size,
            ClassRange {
                start: base,
                size: rx_size,
            },
            ClassRange {
                start: r_start,
                size: r_size,
            },
            ClassRange {
                start: rw_start,
                size: rw_size,
            },
        )
    }

    pub fn page_size(&self) -> u64 {
        self.page_size
    }

    pub fn range(&self, class: SegmentClass) -> ClassRange {
        self.ranges[class.index()]
    }

    /// Lowest and highest address covered by any class (the span all internal references live in).
    pub fn span(&self) -> (u64, u64) {
        let lo = self.ranges.iter().map(|r| r.start).min().unwrap_or(0);
        let hi = self.ranges.iter().map(|r| r.end()).max().unwrap_or(0);
        (lo, hi)
    }

    pub(crate) fn page_floor(&self, addr: u64) -> u64 {
        addr & !(self.page_size - 1)
    }

    pub(crate) fn page_ceil(&self, addr: u64) -> u64 {
        // Class ranges are page aligned and do not wrap, so addresses inside them round up safely.
        addr.saturating_add(self.page_size - 1) & !(self.page_size - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_layout_orders_classes() {
        let l = LinkLayout::contiguous(0x100000, 0x1000, 0x4000, 0x2000, 0x3000).unwrap();
        assert_eq!(l.range(SegmentClass::Rx).start, 0x100000);
        assert_eq!(l.range(SegmentClass::R).start, 0x104000);
        assert_eq!(l.range(SegmentClass::Rw).start, 0x106000);
        assert_eq!(l.span(), (0x100000, 0x109000));
    }

    #[test]
    fn rejects_bad_layouts() {
        assert_eq!(
            LinkLayout::contiguous(0x100000, 0x1800, 0, 0, 0),
            Err(LayoutError::BadPageSize(0x1800))
        );
        assert!(matches!(
            LinkLayout::contiguous(0x100800, 0x1000, 0x1000, 0, 0),
            Err(LayoutError::Unaligned { .. })
        ));
        let a = ClassRange {
            start: 0x1000,
            size: 0x2000,
        };
        let b = ClassRange {
            start: 0x2000,
            size: 0x1000,
        };
        assert!(matches!(
            LinkLayout::new(0x1000, a, b, ClassRange { start: 0, size: 0 }),
            Err(LayoutError::Overlap { .. })
        ));
    }
}

/// Page-rounded class sizes of a contiguous reservation (see [`LinkLayout::reservation`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reservation {
    pub rx: u64,
    pub r: u64,
    pub rw: u64,
    pub total: u64,
}
