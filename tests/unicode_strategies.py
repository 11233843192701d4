"""Adversarial text strategies for normalization and Unicode-safety properties."""

from __future__ import annotations

from hypothesis import strategies as st

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\ufeff\u3164\U000e0041\U000e007f"
NEWLINES = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\r\r\n", "\n\r"]
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x80\x81\x85\x8d\x9d\x9f"
PUNCT = "“”‘’«»‹›—–‐−…‥\u00a0\u2009\u202f\u3000 .,;:!?'\"-"
SAMPLE_WORDS = [
    "café",
    "naïve",
    "Straße",
    "ﬁle",
    "ＡＢＣ",
    "paypal",
    "pаypal",
    "ISIS’s",
    "Ωmega",
    "שלום",
    "سلام",
    "नमस्ते",
    "東京",
    "한국",
    "😀",
    "👩\u200d💻",
    "🏴\U000e0067\U000e0062\U000e007f",
    "x²",
    "٣",
    "İstanbul",
    "ǅ",
    "ﬃ",
    "e\u0301",
    "\u1100\u1161",
    "\u0b47\u0b3e",
]


def _mojibake(s: str, codec: str, rounds: int) -> str:
    for _ in range(rounds):
        s = s.encode("utf-8", "surrogatepass").decode(codec, errors="replace")
    return s


@st.composite
def mojibake(draw: st.DrawFn) -> str:
    """Clean text garbled by decoding UTF-8 as a legacy encoding, once or twice."""
    base = draw(st.text(alphabet=st.sampled_from("aé’“”—€ñü😀 ÄÖßšž❤"), max_size=12))
    codec = draw(st.sampled_from(["cp1252", "latin-1", "cp1251", "mac_roman"]))
    return _mojibake(base, codec, draw(st.integers(1, 2)))


@st.composite
def combining(draw: st.DrawFn) -> str:
    """Base characters with arbitrary combining marks, Hangul jamo, Indic vowel signs."""
    base = draw(st.sampled_from("aeoAÅi\u1100\u0b47\u3131ıIπ"))
    marks = draw(
        st.lists(
            st.sampled_from(
                "\u0300\u0301\u0308\u0327\u0323\u031b\u0345\u1161\u11a8\u0b3e\u0b57\u05b4\u034f\u0316"
            ),
            max_size=4,
        )
    )
    return base + "".join(marks)


def pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SAMPLE_WORDS),
        st.sampled_from(list(BIDI)),
        st.sampled_from(list(INVISIBLE)),
        st.sampled_from(NEWLINES),
        st.sampled_from(list(CONTROLS)),
        st.sampled_from(list(PUNCT)),
        st.sampled_from(
            ["\x1b[1m", "\x1b[0m", "___\x08\x08\x08", "X\x08X", "\ud83d\ude00", "\udc80"]
        ),
        mojibake(),
        combining(),
        st.text(max_size=4),
    )


@st.composite
def adversarial_text(draw: st.DrawFn) -> str:
    """Concatenations of the above: the inputs every profile must stay idempotent on."""
    return "".join(draw(st.lists(pieces(), max_size=12)))
