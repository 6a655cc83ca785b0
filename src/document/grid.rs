//! The character grid's units: how a line of body text is cut into what the layout sets in whole
//! cells and what must never be split by a line break, decided here once per text rather than
//! by the layout per glyph.
//!
//! Word with a document grid (and a 文印室) gives each full-width mark a whole cell, never starts
//! a line with a closing mark nor ends one with an opening mark, and sets runs of half-width
//! characters (digits, Latin, half-width brackets and commas) at their own width, never spaced
//! out. So a text is cut into [`Piece`]s:
//! - [`Piece::Text`]: text without full-width marks, set as it is (the line breaker's own rules
//!   keep a half-width `,` or `)` off a line's start and a `(` off its end);
//! - [`Piece::Group`]: full-width marks with the character or half-width run they cling to,
//!   unbreakable: `（株`, `见》`, `〔2018〕`, `号）、`. A run of digits or Latin is one
//!   [`Cell::Run`] at its natural width, so `〔2018〕` reads `〔2018〕` in the text layer and
//!   not `〔2 018 〕`.
//!
//! A half-width mark that cannot start a line (`)`, `,`, `.` …) joins the run before it, and one
//! that cannot end a line (`(`, `[` …) the character after it, so a group never leaves them at a
//! line's edge either.

/// Full-width marks set against the right edge of their cell, which never end a line.
pub const OPENING: &str = "（《“‘〔【〈「『〖［｛";
/// Full-width marks set against the left edge of their cell, which never start a line; the last
/// one of a line may hang past its end (as Word's 行末标点溢出).
pub const CLOSING: &str = "，。、；：？！）》”’〕】〉」』〗］｝";
/// Half-width marks that never start a line.
const HALF_CLOSING: &str = ")]},.;:!?%";
/// Half-width marks that never end a line.
const HALF_OPENING: &str = "([{";

/// One unit of a [`Piece::Group`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// An opening full-width mark, in a whole cell.
    Open(char),
    /// A closing full-width mark, in a whole cell.
    Close(char),
    /// One full-width character, in a whole cell.
    Char(&'a str),
    /// A run of half-width characters, at its own width.
    Run(&'a str),
}

/// A piece of a text on the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text without full-width marks, set as it is.
    Text(&'a str),
    /// Marks with what they cling to, never split by a line break.
    Group(Vec<Cell<'a>>),
}

pub(crate) fn is_opening(c: char) -> bool {
    OPENING.contains(c)
}

pub(crate) fn is_closing(c: char) -> bool {
    CLOSING.contains(c)
}

fn is_mark(c: char) -> bool {
    is_opening(c) || is_closing(c)
}

fn is_half(c: char) -> bool {
    c.is_ascii_graphic()
}

/// Cuts `text` into the pieces the grid sets (see the module's docs).
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(at, _)| at);
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < chars.len() {
        if !is_mark(chars[i].1) {
            i += 1;
            continue;
        }
        // A group: where it starts (the core before a closing mark belongs to it) and ends.
        let mut start = i;
        if is_closing(chars[i].1) {
            start = core_before(&chars, i, plain_from_index(&chars, plain_from));
        }
        let mut cells = Vec::new();
        let mut j = start;
        // The core before the closing marks, if any.
        if j < i {
            cells.extend(core_cells(text, &chars, j, i));
            j = i;
        }
        while j < chars.len() && is_opening(chars[j].1) {
            cells.push(Cell::Open(chars[j].1));
            j += 1;
        }
        if j > i || cells.is_empty() {
            // Opening marks cling to what follows them.
            let core_end = core_after(&chars, j);
            cells.extend(core_cells(text, &chars, j, core_end));
            j = core_end;
        }
        while j < chars.len() && is_closing(chars[j].1) {
            cells.push(Cell::Close(chars[j].1));
            j += 1;
        }
        let from = end_of(start);
        if from > plain_from {
            out.push(Piece::Text(&text[plain_from..from]));
        }
        out.push(Piece::Group(cells));
        plain_from = end_of(j);
        i = j;
    }
    if plain_from < text.len() {
        out.push(Piece::Text(&text[plain_from..]));
    }
    out
}

/// The index into `chars` of byte offset `at`.
fn plain_from_index(chars: &[(usize, char)], at: usize) -> usize {
    chars.partition_point(|&(b, _)| b < at)
}

/// Where the core a closing mark at `i` clings to starts (not before `floor`): the half-width
/// run before it (with the character before the run, if the run starts with a mark that cannot
/// start a line), or the one character before it.
fn core_before(chars: &[(usize, char)], i: usize, floor: usize) -> usize {
    let mut k = i;
    while k > floor && is_half(chars[k - 1].1) {
        k -= 1;
    }
    if k == i {
        let before = k.checked_sub(1).filter(|&b| b >= floor);
        return match before {
            Some(b) if !chars[b].1.is_whitespace() => b,
            _ => i,
        };
    }
    if HALF_CLOSING.contains(chars[k].1) && k > floor && !chars[k - 1].1.is_whitespace() {
        k -= 1;
    }
    k
}

/// Where the core after opening marks (ending at `j`) ends: the half-width run there (with the
/// character after it, if it ends with a mark that cannot end a line), or one character.
fn core_after(chars: &[(usize, char)], j: usize) -> usize {
    let mut k = j;
    while k < chars.len() && is_half(chars[k].1) {
        k += 1;
    }
    if k == j {
        return match chars.get(j) {
            Some(&(_, c)) if !c.is_whitespace() && !is_mark(c) => j + 1,
            _ => j,
        };
    }
    if HALF_OPENING.contains(chars[k - 1].1)
        && chars
            .get(k)
            .is_some_and(|&(_, c)| !c.is_whitespace() && !is_mark(c))
    {
        k += 1;
    }
    k
}

/// The cells of the core `chars[from..to]`: half-width runs at their width, other characters in
/// whole cells.
fn core_cells<'a>(text: &'a str, chars: &[(usize, char)], from: usize, to: usize) -> Vec<Cell<'a>> {
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(at, _)| at);
    let mut cells = Vec::new();
    let mut k = from;
    while k < to {
        let mut e = k + 1;
        if is_half(chars[k].1) {
            while e < to && is_half(chars[e].1) {
                e += 1;
            }
            cells.push(Cell::Run(&text[chars[k].0..end_of(e)]));
        } else {
            cells.push(Cell::Char(&text[chars[k].0..end_of(e)]));
        }
        k = e;
    }
    cells
}

#[cfg(test)]
mod tests;
