// One way to compare names in the browser, the same as the server's (textmatch.py: fold
// and normalise); tests/data/textmatch_cases.json holds the cases both must agree on.
// Folding ignores case, width, accents and katakana/hiragana; long vowels may be typed the
// Hepburn way ("Ōzu"), plain ("Ozu") or doubled ("Oozu", "Ouzu"); dashes count as spaces.
var KumamapText = (function () {
    "use strict";
    // Python's casefold: upper then lower case gives ß = ss and ﬀ = ff as it does; a final
    // sigma, which JavaScript lowers by its place in the word, folds to σ as in Python.
    function casefold(text) {
        return text.toUpperCase().toLowerCase().replace(/\u03c2/g, "\u03c3");
    }
    // Only Latin accents go (U+0300-036F); kana voicing marks (゛゜) stay: バ is not ハ.
    var LATIN_ACCENTS = /[\u0300-\u036f]/g;
    var KATAKANA = /[\u30a1-\u30f6]/g;
    var LONG_VOWEL = /o[ou]+|u{2,}/g;
    // The katakana long-vowel mark "ー" is a letter, not a dash, and stays.
    var DASHES = /[-\u2010-\u2015\u2212]/g;
    // What Python's str.split() splits on (JavaScript's \s differs: it has U+FEFF, lacks
    // U+001C-001F and U+0085).
    var SPACES = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

    // Width, case, accents (Ōzu = ozu), katakana = hiragana.
    function fold(text) {
        var plain = casefold(text).normalize("NFKD").replace(LATIN_ACCENTS, "");
        plain = plain.replace(KATAKANA, function (c) {
            return String.fromCharCode(c.charCodeAt(0) - 0x60);
        });
        return plain.normalize("NFC");
    }

    // fold, then one spelling of long vowels and dashes, so "Ouzu" = "Ōzu" = "ozu".
    function normalise(text) {
        var folded = fold(text).replace(DASHES, " ").replace(LONG_VOWEL, function (m) {
            return m.charAt(0);
        });
        return folded.split(SPACES).filter(function (word) { return word !== ""; }).join(" ");
    }

    return {fold: fold, normalise: normalise};
}());
if (typeof module !== "undefined") { module.exports = KumamapText; }
