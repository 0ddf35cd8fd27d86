"""Reading generated documents as a reviewer reads them: sentences with their data taken out
(frames), so that a test can count how often a document says the same thing the same way."""

import re
from collections import Counter

# An id, wherever it stands: \b would not end one before a Chinese character (a word character).
ID = re.compile(r"(?<![A-Za-z0-9])(?:JS|YA|XC)-\d+(?!\d)")
# The anchor every count carries (截至2026年11月26日，…): required, so never counted as a frame.
ANCHOR = re.compile(r"^截至N年N月N日，")


def written(summary) -> list[str]:
    """The clauses departments wrote in their returns (progress, evidence, difficulties, next
    steps), longest first: a report may quote them as often as they were written."""
    clauses = {
        clause.strip()
        for m in summary.measures
        for a in m.assignments
        for text in (a.progress, a.evidence, a.problems, a.next_steps)
        for clause in re.split(r"[，；。,;]", text or "")
        if len(clause.strip()) >= 6
    }
    return sorted(clauses, key=len, reverse=True)


def frame(sentence: str, names: list[str], quoted: list[str] = ()) -> str:
    """A sentence with its data taken out: quotations, ids, department names, numbers; a
    clause a department wrote (`quoted`) becomes a mark of its own, so that two departments'
    different plans are different sentences and the same plan quoted twice is the same one."""
    text = sentence
    for k, clause in enumerate(quoted):
        if clause in text:
            text = text.replace(clause, chr(0xE000 + k))
    text = re.sub(r"“[^”]*”", "Q", text)
    text = re.sub(r"《[^》]*》", "B", text)
    text = ID.sub("ID", text)
    for name in names:
        text = text.replace(name, "D")
    text = re.sub(r"\d+(?:\.\d+)?", "N", text)
    text = re.sub(r"ID(?:（[^）]*）)?(?:、ID(?:（[^）]*）)?)*", "ID", text)
    text = re.sub(r"D(?:（ID）)?(?:、D(?:（ID）)?)*", "D", text)
    return re.sub(r"^(?:（N）|N\.|（[一二三四五六七八九十]+）)", "", text).strip()


def most_repeated(texts, names: list[str], quoted: list[str] = ()) -> tuple[str, int]:
    """The sentence frame used most often in `texts` (paragraphs) and how often: sentences of
    more than six characters, the 截至 anchor taken off."""
    frames = Counter(
        ANCHOR.sub("", frame(s, names, quoted))
        for text in texts
        for s in re.split(r"(?<=。)", text)
        if len(s) > 6
    )
    return frames.most_common(1)[0] if frames else ("", 0)
