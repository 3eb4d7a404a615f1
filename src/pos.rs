//! Penn Treebank part-of-speech tags as a small enum, parsed once per document from the
//! model's tag labels (`config.json`'s `pos_labels`), so the rules compare values, not
//! strings.

/// One Penn Treebank tag (CoNLL-2003's set), named as the treebank names it.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Pos {
    /// No tag: past the last token, or a label this enum does not know.
    #[default]
    None,
    /// `,`
    Comma,
    /// `.` (sentence-final punctuation)
    Stop,
    /// `:` (colon, semicolon, dash, ellipsis)
    Colon,
    /// `(`
    OpenParen,
    /// `)`
    CloseParen,
    /// `"`
    Quote,
    /// `''`
    CloseQuote,
    /// ``` `` ```
    OpenQuote,
    /// `#`
    Hash,
    /// `$`
    Dollar,
    CC,
    CD,
    DT,
    EX,
    FW,
    IN,
    JJ,
    JJR,
    JJS,
    LS,
    MD,
    NN,
    NNS,
    NNP,
    NNPS,
    /// `NN|SYM`, a CoNLL-2003 quirk; a noun tag.
    NNSYM,
    PDT,
    POS,
    PRP,
    /// `PRP$`
    PRPS,
    RB,
    RBR,
    RBS,
    RP,
    SYM,
    TO,
    UH,
    VB,
    VBD,
    VBG,
    VBN,
    VBP,
    VBZ,
    WDT,
    WP,
    /// `WP$`
    WPS,
    WRB,
}

impl Pos {
    /// The tag a label names (`Pos::None` for one it does not know).
    pub fn from_label(label: &str) -> Pos {
        use Pos::*;
        match label {
            "," => Comma,
            "." => Stop,
            ":" => Colon,
            "(" => OpenParen,
            ")" => CloseParen,
            "\"" => Quote,
            "''" => CloseQuote,
            "``" => OpenQuote,
            "#" => Hash,
            "$" => Dollar,
            "CC" => CC,
            "CD" => CD,
            "DT" => DT,
            "EX" => EX,
            "FW" => FW,
            "IN" => IN,
            "JJ" => JJ,
            "JJR" => JJR,
            "JJS" => JJS,
            "LS" => LS,
            "MD" => MD,
            "NN" => NN,
            "NNS" => NNS,
            "NNP" => NNP,
            "NNPS" => NNPS,
            "NN|SYM" => NNSYM,
            "PDT" => PDT,
            "POS" => POS,
            "PRP" => PRP,
            "PRP$" => PRPS,
            "RB" => RB,
            "RBR" => RBR,
            "RBS" => RBS,
            "RP" => RP,
            "SYM" => SYM,
            "TO" => TO,
            "UH" => UH,
            "VB" => VB,
            "VBD" => VBD,
            "VBG" => VBG,
            "VBN" => VBN,
            "VBP" => VBP,
            "VBZ" => VBZ,
            "WDT" => WDT,
            "WP" => WP,
            "WP$" => WPS,
            "WRB" => WRB,
            _ => None,
        }
    }

    /// A noun tag: NN, NNS, NNP, NNPS (and CoNLL's NN|SYM).
    pub fn is_noun(self) -> bool {
        matches!(self, Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS | Pos::NNSYM)
    }

    /// A verb tag: VB, VBD, VBG, VBN, VBP, VBZ (not MD).
    pub fn is_verb(self) -> bool {
        matches!(self, Pos::VB | Pos::VBD | Pos::VBG | Pos::VBN | Pos::VBP | Pos::VBZ)
    }

    /// An adjective tag: JJ, JJR, JJS.
    pub fn is_adjective(self) -> bool {
        matches!(self, Pos::JJ | Pos::JJR | Pos::JJS)
    }
}

#[cfg(test)]
mod tests {
    use super::Pos;

    #[test]
    fn every_label_of_the_shipped_model_is_a_tag() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../models/config.json")).expect("models/config.json parses");
        for label in config["pos_labels"].as_array().expect("pos_labels") {
            let label = label.as_str().expect("a string");
            assert_ne!(Pos::from_label(label), Pos::None, "{label}");
        }
    }
}
