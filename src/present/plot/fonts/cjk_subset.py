"""Writes cjk_subset.txt: the code points kept in the vendored CJK font, one
U+XXXX a line (see README.md for the pyftsubset command that uses it).

Kept: Basic Latin, Latin-1, Latin Extended-A, the pinyin vowels, Greek
letters, Cyrillic, common punctuation and symbols (so that a mixed name such
as "淘菜菜 (blocked)" or "美团 Měituán" draws whole in one font);
CJK symbols and punctuation; hiragana, katakana and their extensions;
full-width forms; the hanzi of GB 2312 (6,763), of Big5 level 1 (5,401
common traditional characters) and of JIS X 0208 level 1 (2,965 kanji),
8,836 + 401 = 9,237 in all; and every hangul syllable (11,172).
"""

import sys


def dbcs(codec, leads, trails):
    """Every character a double-byte codec decodes from leads x trails."""
    out = set()
    for a in leads:
        for b in trails:
            try:
                s = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out


def is_han(c):
    return 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF


def span(a, b):
    return set(range(a, b + 1))


big5_trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
gb2312 = {c for c in dbcs("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)) if is_han(c)}
big5_level1 = {c for c in dbcs("big5", range(0xA4, 0xC7), big5_trails) if is_han(c)}
jis_level1 = {c for c in dbcs("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF)) if is_han(c)}
assert (len(gb2312), len(big5_level1), len(jis_level1)) == (6763, 5401, 2965)

keep = set()
keep |= span(0x20, 0x7E) | span(0xA0, 0x17F)  # Basic Latin, Latin-1, Latin Extended-A
keep |= span(0x01CD, 0x01DC)  # the pinyin vowels with a caron (and u with diaeresis)
keep |= span(0x0391, 0x03C9)  # Greek letters (mu, sigma, Delta...)
keep |= span(0x0400, 0x045F)  # Cyrillic
keep |= span(0x2010, 0x203A)  # dashes, quotes, bullet, ellipsis, per mille
keep |= {0x20AC, 0x2190, 0x2191, 0x2192, 0x2193, 0x2212, 0x221E, 0x2248, 0x2260, 0x2264, 0x2265}
keep |= span(0x3000, 0x303F)  # CJK symbols and punctuation
keep |= span(0x3041, 0x309F) | span(0x30A0, 0x30FF) | span(0x31F0, 0x31FF)  # kana
keep |= span(0xFF01, 0xFF60) | span(0xFFE0, 0xFFE6)  # full-width forms
keep |= gb2312 | big5_level1 | jis_level1
keep |= span(0xAC00, 0xD7A3)  # hangul syllables

with open("cjk_subset.txt", "w") as f:
    for c in sorted(keep):
        f.write("U+%04X\n" % c)
print(len(keep), "code points", file=sys.stderr)
