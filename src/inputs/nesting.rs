//! A bound on how deeply a YAML text nests, checked before yaml_serde reads it.
//!
//! libyaml (which yaml_serde runs) slows down with every open flow collection, so the time grows
//! faster than the square of the depth: `[[[…]]]` nested 10,000 levels deep took 0.3 s,
//! 100,000 levels (200 KB) 57 s (measured with serde_yaml, whose loader yaml_serde keeps as it
//! was). yaml_serde only refuses deep documents after loading every
//! event. A manifest nests five or six levels, so anything past [`MAX_DEPTH`] is refused first,
//! with the line where it gets too deep.
//!
//! The depth is counted on the tokens of the very scanner yaml_serde uses (libyaml-rs's
//! `yaml_parser_scan`), so what is counted is exactly what yaml_serde would nest: no hand-made
//! approximation of YAML's quoting, comment and indentation rules to get wrong (a bracket inside
//! a quoted or block text is text). The scan stops at the limit, which keeps it linear.

use std::mem::MaybeUninit;

use libyaml_rs::{
    YAML_BLOCK_END_TOKEN, YAML_BLOCK_MAPPING_START_TOKEN, YAML_BLOCK_SEQUENCE_START_TOKEN,
    YAML_FLOW_MAPPING_END_TOKEN, YAML_FLOW_MAPPING_START_TOKEN, YAML_FLOW_SEQUENCE_END_TOKEN,
    YAML_FLOW_SEQUENCE_START_TOKEN, YAML_STREAM_END_TOKEN, yaml_parser_delete,
    yaml_parser_initialize, yaml_parser_scan, yaml_parser_set_input_string, yaml_parser_t,
    yaml_token_delete, yaml_token_t,
};

/// The deepest nesting of mappings and lists a manifest may have; a real one needs six.
pub const MAX_DEPTH: usize = 64;

/// The 1-based line where `text` first nests deeper than [`MAX_DEPTH`], if it does. A text the
/// scanner rejects before that is left for yaml_serde to report.
pub fn too_deep_at(text: &str) -> Option<usize> {
    let mut parser = MaybeUninit::<yaml_parser_t>::uninit();
    // SAFETY: `yaml_parser_initialize` initialises the whole parser (it zeroes it first); when
    // it fails there is nothing to free. The input is `text`, which outlives the parser: the
    // parser is deleted before this function returns.
    unsafe {
        if !yaml_parser_initialize(parser.as_mut_ptr()).ok {
            return None;
        }
        yaml_parser_set_input_string(parser.as_mut_ptr(), text.as_ptr(), text.len() as u64);
    }
    let mut depth = 0usize;
    let mut found = None;
    loop {
        let mut token = MaybeUninit::<yaml_token_t>::uninit();
        // SAFETY: the parser is initialised and only scanned (never also parsed); a token it
        // produces is read, then freed once with `yaml_token_delete`. On failure no token is
        // produced.
        let (kind, line) = unsafe {
            if !yaml_parser_scan(parser.as_mut_ptr(), token.as_mut_ptr()).ok {
                break;
            }
            let token = token.assume_init_mut();
            let seen = (token.type_, token.start_mark.line);
            yaml_token_delete(token);
            seen
        };
        match kind {
            YAML_FLOW_SEQUENCE_START_TOKEN
            | YAML_FLOW_MAPPING_START_TOKEN
            | YAML_BLOCK_SEQUENCE_START_TOKEN
            | YAML_BLOCK_MAPPING_START_TOKEN => {
                depth += 1;
                if depth > MAX_DEPTH {
                    found = Some(
                        usize::try_from(line)
                            .unwrap_or(usize::MAX)
                            .saturating_add(1),
                    );
                    break;
                }
            }
            YAML_FLOW_SEQUENCE_END_TOKEN | YAML_FLOW_MAPPING_END_TOKEN | YAML_BLOCK_END_TOKEN => {
                depth = depth.saturating_sub(1);
            }
            YAML_STREAM_END_TOKEN => break,
            _ => {}
        }
    }
    // SAFETY: initialised above and not used after this.
    unsafe { yaml_parser_delete(parser.as_mut_ptr()) };
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_nesting_yaml_serde_sees() {
        let deep = |open: &str, close: &str, n: usize| {
            format!("机关: x\n附件: {}{}\n", open.repeat(n), close.repeat(n))
        };
        // (text, line where it is too deep)
        let cases: Vec<(String, Option<usize>)> = vec![
            ("机关: x\n附件:\n  - 类型: 安排表\n".to_owned(), None),
            (deep("[", "]", MAX_DEPTH - 1), None),
            (deep("[", "]", MAX_DEPTH + 1), Some(2)),
            (deep("{a: ", "}", MAX_DEPTH + 1), Some(2)),
            (
                format!("机关: x\n附件:\n{}x\n", "- ".repeat(MAX_DEPTH + 1)),
                Some(3),
            ),
            (
                (0..=MAX_DEPTH)
                    .map(|i| format!("{}a:\n", " ".repeat(i)))
                    .collect(),
                Some(MAX_DEPTH + 1),
            ),
            // Brackets in quoted and block text are text, not nesting.
            (format!("机关: \"{}\"\n", "[".repeat(200)), None),
            (format!("机关: |\n  {}\n", "{[".repeat(200)), None),
            (format!("机关: '{}'\n", "]".repeat(200)), None),
        ];
        for (text, want) in cases {
            assert_eq!(too_deep_at(&text), want, "{}", &text[..text.len().min(80)]);
        }
    }

    #[test]
    fn a_deep_text_is_refused_in_linear_time() {
        let text = format!("机关: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        assert_eq!(too_deep_at(&text), Some(1));
        assert!(
            started.elapsed().as_secs_f64() < 0.5,
            "{:?}",
            started.elapsed()
        );
    }
}
