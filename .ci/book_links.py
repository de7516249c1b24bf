"""Checks the built book: every internal href and src of every page (links,
images, anchors) must lead to a file of the book, and an anchor to an id of
that page. External links (http, https, mailto) are not followed. Exits 1
listing every broken link."""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and key == "href" and a.get("rel") == "canonical"):
                self.links.append(a[key])


def main(root):
    root = Path(root).resolve()
    pages = {}
    for f in root.rglob("*.html"):
        p = Page()
        p.feed(f.read_text(encoding="utf-8"))
        pages[f] = p
    broken = []
    for f, p in sorted(pages.items()):
        if f.name in ("print.html", "404.html"):
            continue  # every page again with links rewritten; the 404 page links the site root
        for link in p.links:
            u = urlsplit(link)
            if u.scheme or link.startswith("//"):
                continue
            target = f if not u.path else (f.parent / unquote(u.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f.relative_to(root)
            if not str(target).startswith(str(root)) or not target.exists():
                broken.append(f"{where}: {link}: no such file")
                continue
            if u.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(u.fragment) not in ids:
                    broken.append(f"{where}: {link}: no anchor #{u.fragment}")
    for b in broken:
        print(b, file=sys.stderr)
    checked = sum(len(p.links) for p in pages.values())
    if broken:
        print(f"book-check: {len(broken)} broken internal links", file=sys.stderr)
        return 1
    print(f"book-check: {len(pages)} pages, {checked} links and images, none broken")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/book"))
