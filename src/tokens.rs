//! One walk over a file's tokens, for the questions asked of submitted code before it is compiled
//! (does it read files of the machine, can it be bundled, does it give the linker work). Each is
//! answered by looking at identifiers and at the tokens just around them, without expanding
//! macros, so that code hidden in a macro's input or an attribute is seen too; the walk is shared
//! so that every question sees the same tokens in the same order.

use proc_macro2::{Delimiter, Group, Ident, TokenStream, TokenTree};
use std::ops::ControlFlow;

/// A token among the others of its group: what a question decides by.
pub(crate) struct Around<'a> {
    tokens: &'a [TokenTree],
    at: usize,
}

impl Around<'_> {
    fn get(&self, offset: isize) -> Option<&TokenTree> {
        self.tokens.get(self.at.checked_add_signed(offset)?)
    }

    /// Whether the token `offset` places away is the identifier `name`.
    pub(crate) fn is_ident(&self, offset: isize, name: &str) -> bool {
        matches!(self.get(offset), Some(TokenTree::Ident(ident)) if ident == name)
    }

    /// Whether the token `offset` places away is the punctuation `c`.
    pub(crate) fn is_punct(&self, offset: isize, c: char) -> bool {
        matches!(self.get(offset), Some(TokenTree::Punct(p)) if p.as_char() == c)
    }

    /// Whether the token `offset` places away is a literal.
    pub(crate) fn is_literal(&self, offset: isize) -> bool {
        matches!(self.get(offset), Some(TokenTree::Literal(_)))
    }

    /// Whether the token `offset` places away is a group in braces.
    pub(crate) fn is_block(&self, offset: isize) -> bool {
        matches!(self.get(offset), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace)
    }
}

/// A question asked of every identifier of a token stream.
pub(crate) trait Visit {
    /// What the question needs to know of the groups around a token (inside an attribute, an
    /// inline module).
    type Scope: Copy;

    /// Looks at `ident`, in `scope`; `Break` ends the walk (the answer is known).
    fn ident(&mut self, ident: &Ident, around: &Around, scope: Self::Scope) -> ControlFlow<()>;

    /// The scope inside `group`, which is in `scope`.
    fn enter(&mut self, group: &Group, around: &Around, scope: Self::Scope) -> Self::Scope;
}

/// Shows every identifier of `tokens` to `visit`, in order, groups included where they open;
/// `Break` when the visitor ended the walk.
pub(crate) fn walk<V: Visit>(
    tokens: TokenStream,
    visit: &mut V,
    scope: V::Scope,
) -> ControlFlow<()> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (at, token) in tokens.iter().enumerate() {
        let around = Around {
            tokens: &tokens,
            at,
        };
        match token {
            TokenTree::Group(group) => {
                let inner = visit.enter(group, &around, scope);
                walk(group.stream(), visit, inner)?;
            }
            TokenTree::Ident(ident) => visit.ident(ident, &around, scope)?,
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
    ControlFlow::Continue(())
}
