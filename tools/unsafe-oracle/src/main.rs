//! Reads Rust file paths on stdin and prints, for each, the unsafe functions, blocks, impls and traits it
//! declares: parsed code is counted on syn's syntax tree; macro bodies (which syn keeps as token streams) are
//! counted token by token with the same rules Warden documents: `unsafe {`, `unsafe impl`, `unsafe [auto] trait`,
//! `unsafe [extern ["abi"]] fn name`.
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::io::BufRead;
use syn::visit::{self, Visit};

#[derive(Default)]
struct Counts {
    functions: u64,
    blocks: u64,
    impls: u64,
    traits: u64,
}

impl Counts {
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            if let TokenTree::Group(group) = tree {
                self.scan_tokens(group.stream());
            }
            let is_ident = |t: Option<&TokenTree>, word: &str| matches!(t, Some(TokenTree::Ident(id)) if id.to_string() == word);
            if !is_ident(Some(tree), "unsafe") {
                continue;
            }
            let next = trees.get(i + 1);
            if let Some(TokenTree::Group(g)) = next {
                if g.delimiter() == Delimiter::Brace {
                    self.blocks += 1;
                }
                continue;
            }
            if is_ident(next, "impl") {
                self.impls += 1;
            } else if is_ident(next, "trait") || (is_ident(next, "auto") && is_ident(trees.get(i + 2), "trait")) {
                self.traits += 1;
            } else {
                let mut k = i + 1;
                if is_ident(trees.get(k), "extern") {
                    k += 1;
                    if let Some(TokenTree::Literal(_)) = trees.get(k) {
                        k += 1;
                    }
                }
                if is_ident(trees.get(k), "fn") && matches!(trees.get(k + 1), Some(TokenTree::Ident(_))) {
                    self.functions += 1;
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Counts {
    fn visit_item_fn(&mut self, i: &'ast syn::ItemFn) {
        if i.sig.unsafety.is_some() {
            self.functions += 1;
        }
        visit::visit_item_fn(self, i);
    }
    fn visit_impl_item_method(&mut self, i: &'ast syn::ImplItemMethod) {
        if i.sig.unsafety.is_some() {
            self.functions += 1;
        }
        visit::visit_impl_item_method(self, i);
    }
    fn visit_trait_item_method(&mut self, i: &'ast syn::TraitItemMethod) {
        if i.sig.unsafety.is_some() {
            self.functions += 1;
        }
        visit::visit_trait_item_method(self, i);
    }
    fn visit_foreign_item_fn(&mut self, i: &'ast syn::ForeignItemFn) {
        if i.sig.unsafety.is_some() {
            self.functions += 1;
        }
        visit::visit_foreign_item_fn(self, i);
    }
    fn visit_expr_unsafe(&mut self, i: &'ast syn::ExprUnsafe) {
        self.blocks += 1;
        visit::visit_expr_unsafe(self, i);
    }
    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if i.unsafety.is_some() {
            self.impls += 1;
        }
        visit::visit_item_impl(self, i);
    }
    fn visit_item_trait(&mut self, i: &'ast syn::ItemTrait) {
        if i.unsafety.is_some() {
            self.traits += 1;
        }
        visit::visit_item_trait(self, i);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.scan_tokens(m.tokens.clone());
        visit::visit_macro(self, m);
    }
    fn visit_item(&mut self, i: &'ast syn::Item) {
        if let syn::Item::Verbatim(tokens) = i {
            self.scan_tokens(tokens.clone());
        }
        visit::visit_item(self, i);
    }
    fn visit_expr(&mut self, e: &'ast syn::Expr) {
        if let syn::Expr::Verbatim(tokens) = e {
            self.scan_tokens(tokens.clone());
        }
        visit::visit_expr(self, e);
    }
    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        if let syn::ImplItem::Verbatim(tokens) = i {
            self.scan_tokens(tokens.clone());
        }
        visit::visit_impl_item(self, i);
    }
    fn visit_trait_item(&mut self, i: &'ast syn::TraitItem) {
        if let syn::TraitItem::Verbatim(tokens) = i {
            self.scan_tokens(tokens.clone());
        }
        visit::visit_trait_item(self, i);
    }
    fn visit_foreign_item(&mut self, i: &'ast syn::ForeignItem) {
        if let syn::ForeignItem::Verbatim(tokens) = i {
            self.scan_tokens(tokens.clone());
        }
        visit::visit_foreign_item(self, i);
    }
}

fn main() {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let path = line.expect("stdin");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(_) => {
                println!("{}\tUNREADABLE", path);
                continue;
            }
        };
        match syn::parse_file(&text) {
            Ok(file) => {
                let mut counts = Counts::default();
                counts.visit_file(&file);
                println!("{}\t{}\t{}\t{}\t{}", path, counts.functions, counts.blocks, counts.impls, counts.traits);
            }
            Err(_) => println!("{}\tPARSE_ERROR", path),
        }
    }
}
