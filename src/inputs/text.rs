//! Decoding text files as offices save them.
//!
//! Excel on a Chinese Windows saves CSV as GBK (GB18030); newer tools save UTF-8, sometimes with
//! a byte-order mark. Users cannot tell which, so we detect it: BOM → UTF-8, valid UTF-8 → UTF-8,
//! otherwise GB18030. A file that is partly UTF-8 and partly GBK is refused, naming the first line
//! that is not UTF-8, because guessing would silently garble names. A file that chardetng (the
//! detector Firefox uses) finds to be Big5 (Traditional Chinese, from Taiwan or Hong Kong) or a
//! Japanese or Korean encoding is refused, naming the encoding: GBK reads most such bytes without
//! an error, and the garbled headers would only be reported as missing columns.

use std::path::Path;

use crate::diag::{Diagnostic, Location};

/// The encoding a file turned out to have, reported so users know what was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, as qingdan writes and expects.
    Utf8,
    /// UTF-8 behind a byte-order mark (Notepad and Excel's "CSV UTF-8" write one); the mark is
    /// dropped.
    Utf8Bom,
    /// GBK / GB 18030, what Excel and WPS save on Chinese Windows; a warning says so.
    Gb18030,
}

/// Decodes `bytes` read from `path` into text.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Encoding), Box<Diagnostic>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((text.to_owned(), Encoding::Utf8Bom)),
            Err(e) => Err(not_decodable(path, rest, e.valid_up_to())),
        };
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_owned(), Encoding::Utf8)),
        Err(e) => e,
    };
    // Lines that hold non-ASCII text and are valid UTF-8 show the file was (partly) UTF-8.
    let has_utf8_text = bytes
        .split(|&b| b == b'\n')
        .any(|line| !line.is_ascii() && std::str::from_utf8(line).is_ok());
    if has_utf8_text {
        return Err(mixed(path, bytes, utf8_error.valid_up_to()));
    }
    if let Some(found) = other_cjk_encoding(bytes) {
        return Err(wrong_encoding(path, found));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(not_decodable(path, bytes, utf8_error.valid_up_to()));
    }
    Ok((text.into_owned(), Encoding::Gb18030))
}

/// A warning that `path` was not UTF-8 and was read as `encoding`, or `None` for UTF-8.
///
/// GBK accepts most byte strings, so a file in another legacy encoding (Windows-1252 from a
/// Western PC, Big5) is often "valid GBK" and decodes to nonsense without any error; saying
/// which encoding was used is the only way the user learns why the names look garbled.
pub(crate) fn decoded_warning(path: &Path, encoding: Encoding) -> Option<Diagnostic> {
    (encoding == Encoding::Gb18030).then(|| {
        Diagnostic::warning(
            path,
            Location::File,
            "文件不是 UTF-8 编码，已按 GBK（GB18030）读取",
            "the file is not UTF-8; it was read as GBK (GB18030)",
        )
        .with_hint(
            "如果生成的文字是乱码，说明文件是其他编码（如 Windows-1252）：请用 Excel、WPS 或记事本另存为 UTF-8",
            "if the text comes out garbled, the file is in another encoding (such as Windows-1252): save it as UTF-8 in Excel, WPS or Notepad",
        )
    })
}

/// The encoding of `bytes` (not UTF-8) when chardetng finds it to be another East Asian one than
/// GBK, and the bytes are valid in it.
fn other_cjk_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, false);
    let other = [
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::ISO_2022_JP,
        encoding_rs::EUC_KR,
    ];
    (other.contains(&guess)
        && guess
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some())
    .then_some(guess)
}

fn wrong_encoding(path: &Path, encoding: &'static encoding_rs::Encoding) -> Box<Diagnostic> {
    let (zh, en) = if encoding == encoding_rs::BIG5 {
        ("Big5（繁体中文）", "Big5 (Traditional Chinese)")
    } else if encoding == encoding_rs::EUC_KR {
        ("EUC-KR（韩文）", "EUC-KR (Korean)")
    } else {
        (
            "日文编码（Shift-JIS / EUC-JP）",
            "a Japanese encoding (Shift-JIS / EUC-JP)",
        )
    };
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            format!("文件编码不对：看起来是 {zh}，只能读取 UTF-8 或 GBK"),
            format!("wrong encoding: the file looks like {en}; only UTF-8 or GBK can be read"),
        )
        .with_hint(
            "用 Excel、WPS 或记事本打开后“另存为” UTF-8（CSV UTF-8）格式",
            "open it in Excel, WPS or Notepad and save it again as UTF-8 (“CSV UTF-8”)",
        ),
    )
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn mixed(path: &Path, bytes: &[u8], bad_offset: usize) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            path,
            Location::Line(line_of(bytes, bad_offset)),
            "文件编码混杂：部分内容是 UTF-8，此行起不是 UTF-8（可能混入了 GBK 文本）",
            "mixed encodings: part of the file is UTF-8 but this line is not (GBK text pasted in?)",
        )
        .with_hint(
            "用 Excel 或 WPS 打开后“另存为” CSV UTF-8 格式",
            "open it in Excel or WPS and save it again as “CSV UTF-8”",
        ),
    )
}

fn not_decodable(path: &Path, bytes: &[u8], bad_offset: usize) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            path,
            Location::Line(line_of(bytes, bad_offset)),
            "无法识别文件编码（既不是 UTF-8 也不是 GBK）",
            "cannot decode the file: it is neither UTF-8 nor GBK/GB18030",
        )
        .with_hint(
            "用 Excel 或 WPS 打开后“另存为” CSV UTF-8 格式",
            "open it in Excel or WPS and save it again as “CSV UTF-8”",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_with_and_without_bom() {
        let p = Path::new("a.csv");
        assert_eq!(
            decode(p, "姓名".as_bytes()).unwrap(),
            ("姓名".into(), Encoding::Utf8)
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend("姓名".as_bytes());
        assert_eq!(decode(p, &bom).unwrap(), ("姓名".into(), Encoding::Utf8Bom));
    }

    #[test]
    fn reads_gbk_as_excel_saves_it() {
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,职务\n吴安浩,局长\n");
        let (text, enc) = decode(Path::new("a.csv"), &bytes).unwrap();
        assert_eq!(text, "姓名,职务\n吴安浩,局长\n");
        assert_eq!(enc, Encoding::Gb18030);
        let warning = decoded_warning(Path::new("a.csv"), enc).unwrap();
        assert!(!warning.is_error() && warning.en.contains("read as GBK (GB18030)"));
        assert_eq!(decoded_warning(Path::new("a.csv"), Encoding::Utf8), None);
    }

    #[test]
    fn windows_1252_that_is_also_valid_gbk_decodes_with_a_warning() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("organisation: Müller Straße\n");
        let (text, enc) = decode(Path::new("qingdan.yaml"), &bytes).unwrap();
        assert_ne!(text, "organisation: Müller Straße\n");
        assert!(decoded_warning(Path::new("qingdan.yaml"), enc).is_some());
    }

    #[test]
    fn big5_and_shift_jis_are_named_not_read_as_gbk() {
        let roster = "姓名,職務,工作職責\n吳安浩,黨委書記、局長,主持全面工作，負責安全生產責任制的落實。\n毛大訓,副局長,協助分管學校安全工作。\n";
        let (big5, _, _) = encoding_rs::BIG5.encode(roster);
        let err = decode(Path::new("a.csv"), &big5).unwrap_err();
        assert!(err.zh.contains("Big5"), "{err}");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("氏名,役職,職務内容\n山田太郎,部長,安全管理の全般を担当する。\n鈴木花子,課長,学校の安全点検を行う。\n");
        let err = decode(Path::new("a.csv"), &sjis).unwrap_err();
        assert!(err.en.contains("Japanese"), "{err}");
        // GBK as Excel saves it is still read.
        let gbk_roster = "姓名,职务,工作职责\n吴安浩,党委书记、局长,主持全面工作，负责安全生产责任制的落实。\n毛大训,副局长,协助分管学校安全工作。\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(gbk_roster);
        assert_eq!(decode(Path::new("a.csv"), &gbk).unwrap().0, gbk_roster);
    }

    #[test]
    fn refuses_mixed_files_naming_the_first_bad_line() {
        let mut bytes = "姓名,职务\n吴安浩,局长\n".as_bytes().to_vec();
        bytes.extend(encoding_rs::GBK.encode("毛大训,副局长\n").0.iter());
        let err = decode(Path::new("a.csv"), &bytes).unwrap_err();
        assert_eq!(err.location, Location::Line(3));
        assert!(err.zh.contains("编码混杂"));
    }
}
