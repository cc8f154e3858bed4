//! Terraform blocks (`module "x" { ... }`, `resource "t" "n" { ... }`) with attributes and
//! nested blocks, printed with two-space indentation and aligned `=` like `terraform fmt`.

use super::value::{Syntax, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    /// A comment line written above the block (without `#`).
    pub comment: Option<String>,
    pub body: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Attribute(String, Value),
    Block(Block),
}

impl Block {
    pub fn new(kind: &str, labels: &[&str]) -> Self {
        Self {
            kind: kind.to_string(),
            labels: labels.iter().map(|label| (*label).to_string()).collect(),
            comment: None,
            body: Vec::new(),
        }
    }

    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }

    pub fn attr(mut self, name: &str, value: Value) -> Self {
        self.body.push(Item::Attribute(name.to_string(), value));
        self
    }

    /// Adds the attribute only when there is a value.
    pub fn attr_opt(self, name: &str, value: Option<Value>) -> Self {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    pub fn block(mut self, block: Block) -> Self {
        self.body.push(Item::Block(block));
        self
    }

    pub fn push_attr(&mut self, name: &str, value: Value) {
        self.body.push(Item::Attribute(name.to_string(), value));
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(0, &mut out);
        out
    }

    fn write(&self, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        if let Some(comment) = &self.comment {
            for line in comment.lines() {
                out.push_str(&format!("{pad}# {line}\n"));
            }
        }
        out.push_str(&pad);
        out.push_str(&self.kind);
        for label in &self.labels {
            out.push(' ');
            out.push_str(&Syntax::Hcl.string(label));
        }
        if self.body.is_empty() {
            out.push_str(" {}\n");
            return;
        }
        out.push_str(" {\n");
        // `terraform fmt` aligns the `=` of consecutive single-line attributes.
        let mut index = 0;
        while index < self.body.len() {
            match &self.body[index] {
                Item::Block(block) => {
                    if index > 0 {
                        out.push('\n');
                    }
                    block.write(indent + 1, out);
                    index += 1;
                }
                Item::Attribute(..) => {
                    let run_end = self.body[index..]
                        .iter()
                        .position(|item| matches!(item, Item::Block(_)))
                        .map_or(self.body.len(), |offset| index + offset);
                    let width = self.body[index..run_end]
                        .iter()
                        .map(|item| match item {
                            Item::Attribute(name, _) => name.len(),
                            Item::Block(_) => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    for item in &self.body[index..run_end] {
                        if let Item::Attribute(name, value) = item {
                            let printed = Syntax::Hcl.print(value, indent + 1);
                            out.push_str(&format!("{pad}  {name:width$} = {printed}\n"));
                        }
                    }
                    index = run_end;
                }
            }
        }
        out.push_str(&pad);
        out.push_str("}\n");
    }
}

/// Blocks separated by blank lines, as one file.
pub fn file(header: &str, blocks: &[Block]) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    for block in blocks {
        out.push('\n');
        out.push_str(&block.render());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_print_labels_aligned_attributes_and_nested_blocks() {
        let block = Block::new("module", &["vnet"])
            .comment("The network.")
            .attr("source", Value::str("x"))
            .attr("version", Value::str("1.0"))
            .block(Block::new("features", &[]));
        assert_eq!(
            block.render(),
            "# The network.\nmodule \"vnet\" {\n  source  = \"x\"\n  version = \"1.0\"\n\n  features {}\n}\n"
        );
    }
}
