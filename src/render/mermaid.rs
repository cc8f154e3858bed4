//! The architecture diagram of the design record as a Mermaid `flowchart`, drawn from the
//! recommendation's diagram (which the knowledge base and the answers decide).
//!
//! Identifiers are generated, never copied: `g_…` for groups (subgraphs) and `n_…` for nodes,
//! made of ASCII letters, digits and `_`, unique, and never a Mermaid keyword. Every label is
//! written in double quotes with entity codes for anything Mermaid could read as syntax. A group
//! whose parent is unknown or part of a cycle is drawn at the top level; a group that would be
//! empty is left out; an edge is drawn only between nodes and groups that are drawn.

use std::collections::{HashMap, HashSet};

use super::markdown_escape::mermaid_label;
use crate::engine::recommendation::{DiagramGroupRow, DiagramNodeRow, DiagramOutcome};

const INDENT: &str = "    ";

/// The diagram's front matter. The ELK layout routes edges around boxes and keeps labels
/// apart; where it is not installed (GitHub) Mermaid falls back to its default layout with a
/// warning, and the closer spacing and labels wrapped at 120 pixels keep that one readable at
/// a page's width too. Top to bottom: a design of twenty boxes grows down the page, which
/// scrolls, instead of across it, which shrinks the text.
const LAYOUT: &str = "---\nconfig:\n  layout: elk\n  flowchart:\n    nodeSpacing: 24\n    rankSpacing: 36\n    wrappingWidth: 120\n---\nflowchart TB\n";

/// The flowchart's lines (without the code fence), or `None` when there is nothing to draw.
pub fn flowchart(diagram: &DiagramOutcome) -> Option<String> {
    let mut used: HashSet<String> = HashSet::new();
    let mut groups: Vec<(&DiagramGroupRow, String)> = Vec::new();
    for group in &diagram.groups {
        if groups.iter().all(|(known, _)| known.id != group.id) {
            groups.push((group, unique_id("g", &group.id, &mut used)));
        }
    }
    let mut nodes: Vec<(&DiagramNodeRow, String)> = Vec::new();
    for node in &diagram.nodes {
        if nodes.iter().all(|(known, _)| known.id != node.id) {
            nodes.push((node, unique_id("n", &node.id, &mut used)));
        }
    }
    if nodes.is_empty() {
        return None;
    }
    let group_index: HashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(index, (group, _))| (group.id.as_str(), index))
        .collect();
    let parents: Vec<Option<usize>> = (0..groups.len())
        .map(|index| effective_parent(index, &groups, &group_index))
        .collect();
    let node_group: Vec<Option<usize>> = nodes
        .iter()
        .map(|(node, _)| node.group.as_deref().and_then(|id| group_index.get(id).copied()))
        .collect();
    // A group is drawn when it or one of its descendants holds a node.
    let mut drawn = vec![false; groups.len()];
    for start in node_group.iter().flatten() {
        let mut current = Some(*start);
        while let Some(index) = current {
            if drawn[index] {
                break;
            }
            drawn[index] = true;
            current = parents[index];
        }
    }

    // An edge ends at a node, or at a group that is drawn (Mermaid draws it to the box).
    let ends: HashMap<&str, &str> = nodes
        .iter()
        .map(|(node, id)| (node.id.as_str(), id.as_str()))
        .chain(
            groups
                .iter()
                .zip(&drawn)
                .filter(|(_, drawn)| **drawn)
                .map(|((group, id), _)| (group.id.as_str(), id.as_str())),
        )
        .collect();
    let edges: Vec<(&str, &str, Option<String>)> = diagram
        .edges
        .iter()
        .filter_map(|edge| {
            let from = ends.get(edge.from.as_str())?;
            let to = ends.get(edge.to.as_str())?;
            let label = edge
                .label
                .as_deref()
                .map(mermaid_label)
                .filter(|label| !label.is_empty());
            Some((*from, *to, label))
        })
        .collect();

    let sinks: Vec<bool> = nodes
        .iter()
        .map(|(_, id)| edges.iter().any(|(_, to, _)| to == id) && edges.iter().all(|(from, _, _)| from != id))
        .collect();
    let tree = Tree {
        groups: &groups,
        parents: &parents,
        nodes: &nodes,
        node_group: &node_group,
        drawn: &drawn,
        sinks: &sinks,
    };
    let mut out = String::from(LAYOUT);
    tree.members(None, 1, &mut out);
    for (from, to, label) in edges {
        match label {
            Some(label) => out.push_str(&format!("{INDENT}{from} -->|\"{label}\"| {to}\n")),
            None => out.push_str(&format!("{INDENT}{from} --> {to}\n")),
        }
    }
    Some(out)
}

struct Tree<'a> {
    groups: &'a [(&'a DiagramGroupRow, String)],
    parents: &'a [Option<usize>],
    nodes: &'a [(&'a DiagramNodeRow, String)],
    node_group: &'a [Option<usize>],
    drawn: &'a [bool],
    /// Per node: edges lead to it and none leave it.
    sinks: &'a [bool],
}

impl Tree<'_> {
    /// Writes the nodes, then the subgraphs, directly inside `parent` (`None`: the top level).
    /// At the top level, nodes that edges only lead to (the internet, Azure services) come
    /// after the subgraphs: Mermaid keeps the written order within a rank, so they are drawn
    /// beside the boxes, not between the people and the workspace they reach.
    fn members(&self, parent: Option<usize>, depth: usize, out: &mut String) {
        let indent = INDENT.repeat(depth);
        let write_nodes = |out: &mut String, last: bool| {
            for (((node, id), group), sink) in self.nodes.iter().zip(self.node_group).zip(self.sinks) {
                if *group == parent && (parent.is_none() && *sink) == last {
                    out.push_str(&format!("{indent}{id}[\"{}\"]\n", label_or_id(&node.label, &node.id)));
                }
            }
        };
        write_nodes(out, false);
        for (index, (group, id)) in self.groups.iter().enumerate() {
            if self.parents[index] == parent && self.drawn[index] {
                out.push_str(&format!(
                    "{indent}subgraph {id}[\"{}\"]\n",
                    label_or_id(&group.label, &group.id)
                ));
                self.members(Some(index), depth + 1, out);
                out.push_str(&format!("{indent}end\n"));
            }
        }
        write_nodes(out, true);
    }
}

fn label_or_id(label: &str, id: &str) -> String {
    let label = mermaid_label(label);
    if label.is_empty() { mermaid_label(id) } else { label }
}

/// The group's parent, unless it is unknown or the group sits on a cycle of parents.
fn effective_parent(
    index: usize,
    groups: &[(&DiagramGroupRow, String)],
    group_index: &HashMap<&str, usize>,
) -> Option<usize> {
    let parent_of = |i: usize| {
        groups[i]
            .0
            .parent
            .as_deref()
            .and_then(|id| group_index.get(id).copied())
    };
    let parent = parent_of(index)?;
    let mut seen = HashSet::new();
    let mut current = Some(parent);
    while let Some(at) = current {
        if at == index {
            return None;
        }
        if !seen.insert(at) {
            // A cycle further up; its own members are drawn at the top level.
            break;
        }
        current = parent_of(at);
    }
    Some(parent)
}

/// `prefix_` followed by the id's ASCII letters and digits (anything else becomes `_`), made
/// unique with a numeric suffix.
fn unique_id(prefix: &str, id: &str, used: &mut HashSet<String>) -> String {
    let mut base = format!("{prefix}_");
    base.extend(
        id.chars()
            .take(60)
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    let mut candidate = base.clone();
    let mut counter = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}_{counter}");
        counter += 1;
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::recommendation::DiagramEdgeRow;

    fn group(id: &str, parent: Option<&str>) -> DiagramGroupRow {
        DiagramGroupRow {
            id: id.into(),
            label: format!("Group {id}"),
            parent: parent.map(Into::into),
        }
    }

    fn node(id: &str, group: Option<&str>) -> DiagramNodeRow {
        DiagramNodeRow {
            id: id.into(),
            label: format!("Node {id}"),
            group: group.map(Into::into),
        }
    }

    #[test]
    fn nests_groups_and_skips_dangling_parts() {
        let diagram = DiagramOutcome {
            groups: vec![
                group("hub", None),
                group("spoke", Some("hub")),
                group("empty", None),
                group("a", Some("b")),
                group("b", Some("a")),
            ],
            nodes: vec![
                node("user", None),
                node("pe", Some("spoke")),
                node("end", Some("a")),
                node("x-y", Some("missing")),
                node("x_y", None),
            ],
            edges: vec![
                DiagramEdgeRow {
                    from: "user".into(),
                    to: "pe".into(),
                    label: Some("HTTPS \"443\"".into()),
                },
                DiagramEdgeRow {
                    from: "user".into(),
                    to: "ghost".into(),
                    label: None,
                },
                // To a group that is drawn, and to one that is empty, so not drawn.
                DiagramEdgeRow {
                    from: "user".into(),
                    to: "spoke".into(),
                    label: None,
                },
                DiagramEdgeRow {
                    from: "user".into(),
                    to: "empty".into(),
                    label: None,
                },
                // x_y only receives: written after the subgraphs.
                DiagramEdgeRow {
                    from: "pe".into(),
                    to: "x_y".into(),
                    label: None,
                },
            ],
        };
        let chart = flowchart(&diagram).unwrap_or_default();
        let expected = "---
config:
  layout: elk
  flowchart:
    nodeSpacing: 24
    rankSpacing: 36
    wrappingWidth: 120
---
flowchart TB
    n_user[\"Node user\"]
    n_x_y[\"Node x-y\"]
    subgraph g_hub[\"Group hub\"]
        subgraph g_spoke[\"Group spoke\"]
            n_pe[\"Node pe\"]
        end
    end
    subgraph g_a[\"Group a\"]
        n_end[\"Node end\"]
    end
    n_x_y_2[\"Node x_y\"]
    n_user -->|\"HTTPS #quot;443#quot;\"| n_pe
    n_user --> g_spoke
    n_pe --> n_x_y_2
";
        assert_eq!(chart, expected);
    }

    #[test]
    fn nothing_to_draw() {
        assert_eq!(flowchart(&DiagramOutcome::default()), None);
    }
}
