//! Where a JSON path points in the text of its file, so that an error in a 30 MB export says
//! "line 48213", not just `$.data[812].properties`. serde_json's `Value` keeps no positions;
//! this scanner walks the text once along the path and never builds anything.

/// One step of a JSON path: a key of an object or an index of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// `$`, `$.value[3].properties`, with keys that are not plain names quoted.
pub fn display(steps: &[Step]) -> String {
    let mut out = String::from("$");
    for step in steps {
        match step {
            Step::Index(index) => out.push_str(&format!("[{index}]")),
            Step::Key(key) if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push('.');
                out.push_str(key);
            }
            Step::Key(key) => out.push_str(&format!("[{}]", serde_json::Value::String(key.clone()))),
        }
    }
    out
}

/// The 1-based line and column where the value at `steps` starts; the deepest point reached
/// when the path does not exist in the text. Walks the whole text: for a few messages.
pub fn position(text: &str, steps: &[Step]) -> (usize, usize) {
    let at = offset_below(text, skip_space(text.as_bytes(), 0), steps);
    line_column(text.as_bytes(), at)
}

/// The byte offset of the value at `steps` below the value starting at `start` (the deepest
/// point reached when the path does not exist). Only the value at `start` is scanned, so
/// evidence inside one resource of a 30 MB export costs the size of that resource.
pub fn offset_below(text: &str, start: usize, steps: &[Step]) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    for step in steps {
        match find_child(bytes, at, step) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// The byte offset of every element of the array at `steps`, in one pass over the text.
pub fn element_offsets(text: &str, steps: &[Step]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let at = offset_below(text, skip_space(bytes, 0), steps);
    let mut offsets = Vec::new();
    if bytes.get(at) != Some(&b'[') {
        return offsets;
    }
    let mut cursor = skip_space(bytes, at + 1);
    while !matches!(bytes.get(cursor), Some(b']') | None) {
        offsets.push(cursor);
        let Some(end) = skip_value(bytes, cursor) else { break };
        cursor = skip_space(bytes, end);
        if bytes.get(cursor) == Some(&b',') {
            cursor = skip_space(bytes, cursor + 1);
        }
    }
    offsets
}

/// Where each line starts, to turn offsets into lines by binary search.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// The 1-based line and column of `offset`, given the file's line starts.
pub fn line_column_in(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = starts.partition_point(|start| *start <= offset);
    let line_start = starts[line.saturating_sub(1)];
    let column = text.get(line_start..offset).map_or(1, |part| part.chars().count() + 1);
    (line.max(1), column)
}

fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// The offset of the child value named by `step` inside the container starting at `at`.
fn find_child(bytes: &[u8], at: usize, step: &Step) -> Option<usize> {
    let open = *bytes.get(at)?;
    let mut cursor = skip_space(bytes, at + 1);
    let mut index = 0usize;
    loop {
        if matches!(bytes.get(cursor), Some(b'}') | Some(b']') | None) {
            return None;
        }
        let matches = match (open, step) {
            (b'{', Step::Key(wanted)) => {
                let key_end = skip_string(bytes, cursor)?;
                let key: String = serde_json::from_slice(&bytes[cursor..key_end]).ok()?;
                cursor = skip_space(bytes, key_end);
                if bytes.get(cursor) != Some(&b':') {
                    return None;
                }
                cursor = skip_space(bytes, cursor + 1);
                &key == wanted
            }
            (b'[', Step::Index(wanted)) => *wanted == index,
            _ => return None,
        };
        if matches {
            return Some(cursor);
        }
        cursor = skip_space(bytes, skip_value(bytes, cursor)?);
        match bytes.get(cursor) {
            Some(b',') => cursor = skip_space(bytes, cursor + 1),
            _ => return None,
        }
        index += 1;
    }
}

fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut cursor = at + 1;
    while cursor < bytes.len() {
        match bytes[cursor] {
            b'\\' => cursor += 2,
            b'"' => return Some(cursor + 1),
            _ => cursor += 1,
        }
    }
    None
}

/// The offset just past the value starting at `at`. Iterative, so deep nesting cannot
/// overflow the stack (serde_json has already refused anything nested past 128 levels).
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut cursor = at;
    loop {
        match *bytes.get(cursor)? {
            b'"' => cursor = skip_string(bytes, cursor)?,
            b'{' | b'[' => {
                depth += 1;
                cursor += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                cursor += 1;
            }
            _ if depth == 0 => {
                while cursor < bytes.len()
                    && !matches!(bytes[cursor], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    cursor += 1;
                }
                return Some(cursor);
            }
            _ => cursor += 1,
        }
        if depth == 0 {
            return Some(cursor);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_indexes() {
        let text = "{\n  \"count\": 2,\n  \"data\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"x\": {\"y\": [1, 2]}}\n  ]\n}";
        let path = [
            Step::Key("data".into()),
            Step::Index(1),
            Step::Key("x".into()),
            Step::Key("y".into()),
        ];
        assert_eq!(position(text, &path), (5, 28));
        assert_eq!(display(&path), "$.data[1].x.y");
        assert_eq!(position(text, &[Step::Key("data".into()), Step::Index(0)]), (4, 5));
    }

    #[test]
    fn element_offsets_and_line_starts_agree_with_the_walk() {
        let text = "{\"data\": [\n  {\"a\": [1, 2]},\n  \"x]\",\n  3\n]}";
        let offsets = element_offsets(text, &[Step::Key("data".into())]);
        assert_eq!(offsets.len(), 3);
        let starts = line_starts(text);
        for (index, offset) in offsets.iter().enumerate() {
            let walked = position(text, &[Step::Key("data".into()), Step::Index(index)]);
            assert_eq!(line_column_in(text, &starts, *offset), walked, "element {index}");
        }
        let inner = offset_below(text, offsets[0], &[Step::Key("a".into()), Step::Index(1)]);
        assert_eq!(line_column_in(text, &starts, inner), (2, 13));
    }

    #[test]
    fn a_missing_step_stops_at_the_deepest_container_found() {
        let text = "[{\"a\": 1}]";
        assert_eq!(position(text, &[Step::Index(0), Step::Key("b".into())]), (1, 2));
        assert_eq!(display(&[Step::Key("a b".into())]), "$[\"a b\"]");
    }

    #[test]
    fn strings_with_brackets_and_escapes_do_not_confuse_the_scan() {
        let text = r#"{"k": "a\"]}", "l": 3}"#;
        assert_eq!(position(text, &[Step::Key("l".into())]), (1, 21));
    }
}
