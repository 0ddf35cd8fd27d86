"""Body text as data: a list of blocks a demo template prints with add_blocks()."""

from docgen import cn
from docgen.official.builder import BODY, HEADINGS, HEI, KAI, OfficialDocument, Run


def Block(text: str, level: int = 0, lead: str = "", lead_level: int = 0) -> dict:  # noqa: N802
    """One paragraph of body text, as a dict (the sandbox lets templates read dicts).

    level 1–4 is a heading paragraph (一、 黑体 / （一） 楷体 / 1. 仿宋 / （1） 仿宋); level 0 is a
    body paragraph, optionally opened by `lead`, an inline heading set in the font of lead_level
    ("（一）加强组织领导。" in 楷体, then the text in 仿宋).
    """
    if level not in (0, 1, 2, 3, 4) or lead_level not in (0, 1, 2, 3, 4):
        raise ValueError(f"标题层级应为 0 到 4：{level}, {lead_level}")
    return {"text": text, "level": level, "lead": lead, "lead_level": lead_level}


def heading(level: int, number: int, text: str) -> dict:
    """A numbered heading paragraph: heading(1, 2, "主要做法") → 二、主要做法."""
    return Block(text=cn.HEADING_NUMBERS[level](number) + text, level=level)


def paragraph(text: str, lead: str = "", lead_level: int = 0) -> dict:
    """A body paragraph, optionally with an inline heading lead-in."""
    return Block(text=text, lead=lead, lead_level=lead_level)


def lead_in(level: int, number: int, title: str, text: str) -> dict:
    """An inline heading and its text in one paragraph: （一）title。text."""
    return Block(text=text, lead=cn.HEADING_NUMBERS[level](number) + title, lead_level=level)


def add_blocks(doc: OfficialDocument, variable: str = "body", item: str = "b") -> None:
    """Body text from a list of blocks: level 1–4 a heading paragraph in its level's font;
    level 0 a body paragraph whose optional lead (an inline heading such as "（一）……。") takes
    the font of lead_level."""
    with doc.each(f"{item} in {variable}"):
        for level, role in HEADINGS.items():
            doc.tag(f"{'if' if level == 1 else 'elif'} {item}.level == {level}")
            doc.paragraph(role, f"{{{{ {item}.text }}}}")
        doc.tag("else")
        leads = [
            Run(
                f"{{% if {item}.lead_level == {level} %}}{{{{ {item}.lead }}}}{{% endif %}}",
                char,
            )
            for level, char in ((1, HEI), (2, KAI))
        ]
        leads.append(
            Run(f"{{% if {item}.lead_level in (0, 3, 4) %}}{{{{ {item}.lead }}}}{{% endif %}}")
        )
        doc.paragraph(BODY, *leads, f"{{{{ {item}.text }}}}")
        doc.tag("endif")
