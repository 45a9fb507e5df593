//! `-Wparentheses` and `-Wunused-value`, which look at the expression as written.
//!
//! lang-c has no node for parentheses, but a parenthesised operand's span starts at its `(`,
//! before the span of the operator expression inside: that difference is how "written with
//! parentheses" is told apart.

use super::*;
use crate::warnings::Warning;
use ast::BinaryOperator as B;
use lang_c::span::Node;

/// The operator of `e` if it is a binary expression written without parentheses.
fn bare_binary(e: &Node<ast::Expression>) -> Option<&B> {
    match &e.node {
        ast::Expression::BinaryOperator(bo) if bo.span.start <= e.span.start => {
            Some(&bo.node.operator.node)
        }
        _ => None,
    }
}

fn is_comparison(op: &B) -> bool {
    matches!(
        op,
        B::Less | B::Greater | B::LessOrEqual | B::GreaterOrEqual | B::Equals | B::NotEquals
    )
}

fn spelling(op: &B) -> &'static str {
    match op {
        B::Plus => "+",
        B::Minus => "-",
        B::BitwiseAnd => "&",
        B::BitwiseXor => "^",
        B::BitwiseOr => "|",
        B::ShiftLeft => "<<",
        B::ShiftRight => ">>",
        B::LogicalAnd => "&&",
        B::LogicalOr => "||",
        B::Equals => "==",
        B::NotEquals => "!=",
        _ => "?",
    }
}

impl Sema<'_> {
    /// gcc's suggestions for operators whose precedence is often misread.
    pub(super) fn check_parentheses(&mut self, bo: &ast::BinaryOperatorExpression, loc: Loc) {
        if !self.diags.wants(Warning::Parentheses) {
            return;
        }
        let op = &bo.operator.node;
        for side in [&*bo.lhs, &*bo.rhs] {
            let Some(inner) = bare_binary(side) else {
                continue;
            };
            if let Some(m) = suggestion(op, inner, std::ptr::eq(side, &*bo.lhs)) {
                let l = self.loc(side.span);
                self.warn_w(Warning::Parentheses, if m.1 { loc } else { l }, m.0);
            }
        }
    }

    /// `if (a = b)`: an assignment used as a truth value without its own parentheses.
    pub(super) fn check_assignment_truth(&mut self, e: &Node<ast::Expression>) {
        if bare_binary(e) == Some(&B::Assign) && self.diags.wants(Warning::Parentheses) {
            let l = self.loc(e.span);
            self.warn_w(
                Warning::Parentheses,
                l,
                "suggest parentheses around assignment used as truth value",
            );
        }
    }

    /// `a == b;`: an expression statement that computes a value and does nothing else.
    pub(super) fn check_statement_effect(&mut self, x: &Expr) {
        if self.diags.wants(Warning::UnusedValue) && self.no_effect(x) {
            self.warn_w(Warning::UnusedValue, x.loc, "statement with no effect");
        }
    }

    fn no_effect(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::LongDouble(_) => true,
            ExprKind::Local(_) | ExprKind::Global(_) => true,
            ExprKind::Load(x) => !self.types.is_volatile(x.ty) && self.no_effect_lvalue(x),
            ExprKind::Binary(_, a, c) => self.no_effect(a) && self.no_effect(c),
            ExprKind::Unary(_, a) => self.no_effect(a),
            ExprKind::Cast(k, a) => *k != CastKind::ToVoid && self.no_effect(a),
            _ => false,
        }
    }

    /// An object whose read has no effect of its own (volatile aside).
    fn no_effect_lvalue(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Local(_) | ExprKind::Global(_) => true,
            ExprKind::Member { base, .. } => self.no_effect_lvalue(base),
            ExprKind::Deref(p) => self.no_effect(p),
            _ => false,
        }
    }
}

/// The message for operand `inner` of `op`, and whether it is located at the whole
/// expression (else at the operand).
fn suggestion(op: &B, inner: &B, _left: bool) -> Option<(String, bool)> {
    let m = match op {
        B::ShiftLeft | B::ShiftRight if matches!(inner, B::Plus | B::Minus) => format!(
            "suggest parentheses around '{}' inside '{}'",
            spelling(inner),
            spelling(op)
        ),
        B::LogicalOr if *inner == B::LogicalAnd => {
            "suggest parentheses around '&&' within '||'".to_string()
        }
        B::BitwiseOr | B::BitwiseXor | B::BitwiseAnd if is_comparison(inner) => format!(
            "suggest parentheses around comparison in operand of '{}'",
            spelling(op)
        ),
        B::BitwiseOr if matches!(inner, B::BitwiseAnd | B::BitwiseXor | B::Plus | B::Minus) => {
            "suggest parentheses around arithmetic in operand of '|'".to_string()
        }
        B::BitwiseXor if matches!(inner, B::BitwiseAnd | B::Plus | B::Minus) => {
            "suggest parentheses around arithmetic in operand of '^'".to_string()
        }
        B::BitwiseAnd if matches!(inner, B::Plus | B::Minus) => format!(
            "suggest parentheses around '{}' in operand of '&'",
            spelling(inner)
        ),
        B::Equals | B::NotEquals if is_comparison(inner) => format!(
            "suggest parentheses around comparison in operand of '{}'",
            spelling(op)
        ),
        B::Less | B::Greater | B::LessOrEqual | B::GreaterOrEqual if is_comparison(inner) => {
            return Some((
                "comparisons like 'X<=Y<=Z' do not have their mathematical meaning".to_string(),
                true,
            ))
        }
        _ => return None,
    };
    Some((m, false))
}
