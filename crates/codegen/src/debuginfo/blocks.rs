//! Lexical blocks: which C blocks of a function get a `DW_TAG_lexical_block` and which code
//! each covers.
//!
//! As gcc does, only a block that declares variables of its own is described; the blocks
//! nested in one that is not are described as children of its nearest described ancestor
//! (or of the subprogram). A block's code is that of every srcloc range attributed to it or
//! to a block inside it: consecutive such ranges form one address range (the unattributed
//! bytes between two of them belong to no other block), and a range attributed to some
//! other block splits them.

use cfree_frontend::ir::{LexicalScope, ScopeId};

/// A described block.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Block {
    pub scope: ScopeId,
    /// The described block it is nested in (`None`: the subprogram).
    pub parent: Option<ScopeId>,
    /// Its code as (start, end) offsets in the function, in address order.
    pub ranges: Vec<(u32, u32)>,
}

/// The described blocks of one function.
#[derive(Debug)]
pub(super) struct BlockPlan {
    /// Per scope: the described block whose DIE holds its variables (`None`: the subprogram).
    holder: Vec<Option<ScopeId>>,
    /// Parents before children, siblings in source order.
    pub blocks: Vec<Block>,
}

impl BlockPlan {
    /// `scopes` is the function's block tree, `has_vars[i]` whether scope `i` declares a
    /// described variable, `code` the (start, end, scope) srcloc ranges in address order.
    pub(super) fn new(
        scopes: &[LexicalScope],
        has_vars: &[bool],
        code: &[(u32, u32, ScopeId)],
    ) -> Self {
        let described =
            |i: usize| i != ScopeId::BODY.0 as usize && has_vars.get(i).copied().unwrap_or(false);
        // Scopes are numbered in the order they open: a parent has a lower index.
        let mut holder: Vec<Option<ScopeId>> = Vec::with_capacity(scopes.len());
        let mut parent_holder = Vec::with_capacity(scopes.len());
        for (i, s) in scopes.iter().enumerate() {
            let outer = s
                .parent
                .and_then(|p| holder.get(p.0 as usize).copied().flatten());
            parent_holder.push(outer);
            holder.push(if described(i) {
                Some(ScopeId(i as u32))
            } else {
                outer
            });
        }
        // Per described scope: the indices of the code ranges inside it.
        let mut inside: Vec<Vec<usize>> = vec![Vec::new(); scopes.len()];
        for (k, &(_, _, scope)) in code.iter().enumerate() {
            let mut cur = holder.get(scope.0 as usize).copied().flatten();
            while let Some(s) = cur {
                let i = s.0 as usize;
                inside[i].push(k);
                cur = parent_holder[i];
            }
        }
        let blocks = (0..scopes.len())
            .filter(|&i| described(i))
            .map(|i| Block {
                scope: ScopeId(i as u32),
                parent: parent_holder[i],
                ranges: runs(&inside[i], code),
            })
            .collect();
        BlockPlan { holder, blocks }
    }

    /// The described block whose DIE holds the variables of `scope` (`None`: the subprogram).
    pub(super) fn holder(&self, scope: ScopeId) -> Option<ScopeId> {
        self.holder.get(scope.0 as usize).copied().flatten()
    }
}

/// The address ranges of the code ranges `idx` (ascending indices into `code`): a run of
/// consecutive indices is one range.
fn runs(idx: &[usize], code: &[(u32, u32, ScopeId)]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut prev: Option<usize> = None;
    for &k in idx {
        let (start, end, _) = code[k];
        match out.last_mut() {
            Some(last) if prev == Some(k.wrapping_sub(1)) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
        prev = Some(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(parents: &[Option<u32>]) -> Vec<LexicalScope> {
        parents
            .iter()
            .map(|p| LexicalScope {
                parent: p.map(ScopeId),
            })
            .collect()
    }

    #[test]
    fn blocks_without_variables_are_skipped_and_their_children_promoted() {
        // body { a: no vars { b: vars } c: vars }
        let scopes = tree(&[None, Some(0), Some(1), Some(0)]);
        let has = [true, false, true, true];
        let code = [
            (0, 4, ScopeId(0)),
            (4, 8, ScopeId(1)),
            (8, 12, ScopeId(2)),
            (12, 14, ScopeId(1)),
            (14, 20, ScopeId(3)),
            (20, 24, ScopeId(0)),
        ];
        let p = BlockPlan::new(&scopes, &has, &code);
        assert_eq!(
            p.blocks,
            vec![
                Block {
                    scope: ScopeId(2),
                    parent: None,
                    ranges: vec![(8, 12)],
                },
                Block {
                    scope: ScopeId(3),
                    parent: None,
                    ranges: vec![(14, 20)],
                },
            ]
        );
        assert_eq!(p.holder(ScopeId(1)), None);
        assert_eq!(p.holder(ScopeId(2)), Some(ScopeId(2)));
    }

    #[test]
    fn a_block_split_by_other_code_gets_several_ranges() {
        // body { a: vars { b: vars } }, with body code in the middle of a's.
        let scopes = tree(&[None, Some(0), Some(1)]);
        let has = [false, true, true];
        let code = [
            (0, 4, ScopeId(1)),
            (6, 8, ScopeId(2)),
            (8, 10, ScopeId(0)),
            (10, 12, ScopeId(1)),
        ];
        let p = BlockPlan::new(&scopes, &has, &code);
        assert_eq!(p.blocks[0].ranges, vec![(0, 8), (10, 12)]);
        assert_eq!(p.blocks[1].parent, Some(ScopeId(1)));
        assert_eq!(p.blocks[1].ranges, vec![(6, 8)]);
    }

    #[test]
    fn a_block_without_code_has_no_ranges() {
        let scopes = tree(&[None, Some(0)]);
        let p = BlockPlan::new(&scopes, &[true, true], &[(0, 4, ScopeId(0))]);
        assert_eq!(p.blocks[0].ranges, Vec::<(u32, u32)>::new());
    }
}
