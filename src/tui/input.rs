//! A one-line text field with a cursor (counted in characters, not bytes).

/// Longer input is refused: no answer or path needs it, and it keeps drawing cheap.
pub const MAX_CHARS: usize = 256;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    cursor: usize,
}

impl TextInput {
    pub fn new(value: &str) -> Self {
        let value: String = value.chars().filter(|c| !c.is_control()).take(MAX_CHARS).collect();
        let cursor = value.chars().count();
        Self { value, cursor }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// The cursor position in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(byte, _)| byte)
    }

    /// Inserts `c` at the cursor; `false` when it was refused (a control, or the field full).
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() || self.value.chars().count() >= MAX_CHARS {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
        true
    }

    /// Deletes the character before the cursor; `false` when there was none.
    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
        true
    }

    pub fn delete(&mut self) {
        if self.cursor < self.value.chars().count() {
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.value.chars().count();
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    pub fn set(&mut self, value: &str) {
        *self = Self::new(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_keeps_the_cursor_on_character_boundaries() {
        let mut input = TextInput::new("wé");
        input.left();
        input.insert('x');
        assert_eq!(input.value(), "wxé");
        input.end();
        assert!(input.backspace());
        input.home();
        input.delete();
        assert_eq!(input.value(), "x");
        input.home();
        assert!(!input.backspace());
        input.right();
        input.right();
        assert_eq!(input.cursor(), 1);
    }
}
