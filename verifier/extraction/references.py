"""Reference candidates: arXiv ids and links, DOIs, URLs, list items with footnote markers and the sentence
that describes them, titles in quotes, `Title (Year)` forms, title lines followed by an author line."""

from __future__ import annotations

import functools
import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document
from verifier.references import ids

ARXIV = re.compile(r"(?:https?://)?arxiv\.org/(?:abs|pdf)/[^\s)\]]*[^\s.,;:)\]]|\barXiv:\s*\d{4}\.\d{4,5}(?:v\d+)?",
                   re.I)
DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)]")
URL = re.compile(r"https?://[^\s)\]>\"]*[^\s)\]>\".,;:]")
# "- Title\n^{1}. This paper ..." or "Title ^{2}. This is a Python library ..." (chat answers with footnotes)
FOOTNOTED = re.compile(r"(?:^|- )(?P<title>[^\n^]{3,1500}?)\s*\n?\^\{(?P<n>\d+)\}(?:\^\{\d+\})*\.?\s*"
                       r"(?P<described>(?:This|These|It|The)\b[^\n]*?)?(?=\s+- \S|\n|$)", re.M)
UNNAMED = re.compile(r"\b(?:one|another|a|an)\s+(?:paper|study|article|book|blog post|tutorial|video|preprint|chapter)"
                     r"\s+(?:that\s+)?(?:uses|shows|explains|covers|proposes|provides|introduces|describes|applies)"
                     r"\b[^.\n^]*", re.I)
NAMED = re.compile(r"\b(?:the|a)\s+(?P<name>[A-Z][\w-]+)\s+(?:software|package|library|toolbox|tool)\b[^.\n]*"
                   r"|\bpaper (?:from|by) (?P<author>[A-Z][\w-]+(?: et al\.?)?)")
LEAD_IN = re.compile(r"(?:video|paper|book|package|article|post|library)[^\n]*:\s*\n(?P<title>[^\n]{8,120})\n")
CONNECTOR = re.compile(r"\b(?:in|by|from|see|called|named|titled|paper|cite[sd]?)\s+(?=[A-Z])")
SMALL = frozenset("a an and as at by for from in into of on or the to via with using is are".split())
FOOTNOTE_LIST = re.compile(r"(\d+)\.\s*((?:[a-z0-9-]+\.)+[a-z]{2,})(?=\d+\.|\+|\s|$)")
WORK_CONTEXT = re.compile(r"\b(?:paper|article|book|chapter|essay|report|thesis|preprint|titled|entitled|"
                          r"published|et al\.?|journal|proceedings|conference|cit(?:ed|es|e|ing)|doi)\b|"
                          r"\((?:19|20)\d\d\)", re.I)
EXAMPLE_CUE = re.compile(r"\b(?:example|examples|sentence|phrase|e\.g\.|for instance|such as|says?|said|like|"
                         r"consider|word|words)\b[^.\n]*$", re.I)
QUOTED = re.compile(r"[“\"]([A-Z][^”\"\n]{12,160})[”\"]")
TITLE_YEAR = re.compile(r"(?P<title>[A-Z][^\n()]{8,120}?)\s*\((?P<year>(?:19|20)\d\d)\)")
NAME = r"[A-Z][\w.'’-]*\.?(?:\s+[A-Z][\w.'’-]*\.?)+"
# Names the source gives models, methods and data sets (StyleGAN, GPT-3, VQ-VAE, BERT): see `_is_coined`.
NAME_TOKEN = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w(-])")
EXAMPLES = re.compile(r"(?:\be\.g\.,?|\bsuch as|\blike|\bincluding)\s+(?P<list>[^.;:)\n]{1,200})")
ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[a-z]?[A-Z0-9]+s?")
CAMEL = re.compile(r"[A-Z][a-z]{2,}(?:[A-Z][a-z]{2,}|[A-Z]{1,4}s?)")
GENERIC = frozenset(
    "AI API ASR AUC CNN CO2 CPU CTC DFT DNN FFT FN FP FPR GAN GPU GRU LLM LM LR LSTM ML MLP MSE NLP NN ODE PCA PDE "
    "PINN RL RNN ROC SGD SPH SVM TN TP TPR AE VAE KL IEEE URL PDF HTML ReLU GitHub YouTube ChatGPT OpenAI TensorFlow "
    "PyTorch NumPy SciPy LaTeX JavaScript DeepMind MultiheadAttention LayerNormalization".split())
AUTHORS = re.compile(rf"^\s*(?:{NAME}\s*,\s*){{2,}}{NAME}\s*$")


def _footnote_domains(text: str) -> dict[int, str]:
    """The chat's "Más información: 1. arxiv.org2. arxiv.org3. ..." lists: footnote number -> domain."""
    domains: dict[int, str] = {}
    for line in text.split("\n"):
        for number, domain in FOOTNOTE_LIST.findall(line):
            domains.setdefault(int(number), domain)
    return domains


def _next_domains(doc: Document, offset: int) -> dict[int, str]:
    window = doc.text[offset: offset + 6000]
    marker = re.search(r"(?:Más información|Learn more|More information|Sources?)\s*:?\s*\n+([^\n]+)", window)
    return _footnote_domains(marker.group(1)) if marker else {}


def _links(doc: Document) -> list[Candidate]:
    found = []
    for match in ARXIV.finditer(doc.text):
        arxiv_id = ids.extract(match.group(0), match.group(0))
        fields = {"url": match.group(0)} if "arxiv.org" in match.group(0).lower() else {}
        if arxiv_id:
            fields["arxiv_id"] = arxiv_id
        found.append(Candidate("citation", match.group(0), match.start(), f"The work at {match.group(0)}.",
                               "arXiv id or link", 0.95, {"reference": fields}))
    for match in DOI.finditer(doc.text):
        found.append(Candidate("citation", match.group(0), match.start(), f"The work with DOI {match.group(0)}.",
                               "DOI", 0.9, {"reference": {"doi": match.group(0)}}))
    for match in URL.finditer(doc.text):
        if "arxiv.org" not in match.group(0):
            found.append(Candidate("citation", match.group(0), match.start(), f"The resource at {match.group(0)}.",
                                   "link", 0.6, {"reference": {"url": match.group(0)}}))
    return found


def _titles(doc: Document) -> list[Candidate]:
    found = [_footnoted(doc, match) for match in FOOTNOTED.finditer(doc.text)]
    for match in QUOTED.finditer(doc.text):
        title = match.group(1).strip()
        if len(title.split()) >= 3 and _quoted_title(doc.text, match, title):
            found.append(Candidate("citation", title, match.start(1), f"The source cites {title!r}.",
                                   "title in quotes", 0.6, {"reference": {"title": title}}))
    for match in TITLE_YEAR.finditer(doc.text):
        title = match.group("title")
        lead = list(CONNECTOR.finditer(title))  # "introduced in Attention is all you need (2017)"
        start = match.start("title") + (lead[-1].end() if lead else 0)
        title = doc.text[start: match.end("title")].strip(" -•*:")
        if 2 <= len(title.split()) <= 16 and not re.search(r"[=^$]", title) and title[:1].isupper():
            quote = doc.text[start: match.end()].lstrip(" -•*:")
            reference = {"title": title, "year": int(match.group("year"))}
            found.append(Candidate("citation", quote, match.end() - len(quote), f"The source cites {title!r}.",
                                   "Title (Year)", 0.7, {"reference": reference}))
    return found


def _quoted_title(text: str, match: re.Match[str], title: str) -> bool:
    """Text in quotes is a title unless it reads as an example sentence or a phrase someone says: introduced
    as an example (`for example`, `the sentence`, `e.g.`), or ending in a comma or full stop inside the quotes,
    without title capitals or words around it that speak of a work (paper, book, titled, cited, a year)."""
    before = text[max(0, match.start() - 50): match.start()]
    if EXAMPLE_CUE.search(before):
        return False
    significant = [w for w in re.findall(r"[\w'’-]+", title) if w.lower() not in SMALL]
    capitalised = sum(w[:1].isupper() or w[:1].isdigit() for w in significant)
    if significant and capitalised >= 0.6 * len(significant):
        return True
    around = text[max(0, match.start() - 80): match.end() + 60]
    return WORK_CONTEXT.search(around) is not None or not title.rstrip().endswith((",", ".", ";", "!"))


def _described(doc: Document) -> list[Candidate]:
    found = []
    for match in UNNAMED.finditer(doc.text):
        quote = match.group(0).strip()
        found.append(Candidate("citation", quote, match.start(), f"The source refers to a work that {quote!r}.",
                               "a work described but not named", 0.6, {"reference": {}, "described_as": quote}))
    for match in NAMED.finditer(doc.text):
        name = match.group("name") or match.group("author")
        field = {"title": name} if match.group("name") else {"authors": [name]}
        found.append(Candidate("citation", match.group(0).strip(), match.start(), f"The source cites {name}.",
                               "named software or author's paper", 0.6, {"reference": field}))
    for match in LEAD_IN.finditer(doc.text):
        title = match.group("title").strip()
        found.append(Candidate("citation", title, match.start("title"), f"The source cites {title!r}.",
                               "line introduced as a video, paper or package", 0.6, {"reference": {"title": title}}))
    return found


def find(doc: Document) -> list[Candidate]:
    return _links(doc) + _titles(doc) + _title_author_lines(doc) + _described(doc) + _title_case(doc) + \
        _named_models(doc)


@functools.lru_cache(maxsize=8192)  # a document repeats its capitalised tokens; judge each once
def _is_coined(token: str) -> bool:
    """A coined name rather than a word, a variable or a flattened formula: `GPT-3`, `VQ-VAE`, `Switch-C`
    (a capitalised head and an upper-case or numbered tail), `WaveNet`, `StyleGAN`, `FordA` (two capitalised
    parts), `ELMo`, `GPT3`. Not `Cross-Entropy`, `Runge-Kutta`, `W1`, `Ct-1`, `XcenteredVk`."""
    head, *tail = token.split("-")
    capitals = sum(c.isupper() for c in head)
    if tail:
        if all(t.isdigit() for t in tail):
            return capitals >= 2
        return all(re.fullmatch(r"[A-Z0-9]{1,5}s?", t) for t in tail) and (capitals >= 2 or len(head) >= 3)
    if any(c.isdigit() for c in token):
        return capitals >= 2
    return bool(CAMEL.fullmatch(token) or (len(token) >= 4 and re.fullmatch(r"[A-Z]{2,}[a-z]{1,2}", token)))


def _named_models(doc: Document) -> list[Candidate]:
    """Models, methods and data sets the source names without a title (`reference.name`): coined names
    anywhere, plain acronyms (`BERT`, `T5`) only where the source gives examples (`e.g.`, `such as`, `like`)."""
    found: dict[int, str] = {}
    for match in NAME_TOKEN.finditer(doc.text):
        if _is_coined(match.group(0)):
            found[match.start()] = match.group(0)
    for example in EXAMPLES.finditer(doc.text):
        offset = example.start("list")
        for match in NAME_TOKEN.finditer(example.group("list")):
            if ACRONYM.fullmatch(match.group(0)):
                found[offset + match.start()] = match.group(0)
    return [Candidate("citation", name, start, f"The source names {name}.", "named model, method or data set",
                      0.5, {"reference": {"name": name}})
            for start, name in sorted(found.items()) if name not in GENERIC and name.removesuffix("s") not in GENERIC]


def _footnoted(doc: Document, match: re.Match[str]) -> Candidate:
    """A list item or sentence right before a footnote marker: a title when short, a statement when long."""
    title = match.group("title").strip(" -•*")
    described = (match.group("described") or "").strip()
    reference: dict[str, object] = {}
    domain = _next_domains(doc, match.end()).get(int(match.group("n")))
    if domain:
        reference["url"] = domain
    fields: dict[str, object] = {"reference": reference}
    if len(title.split()) <= 25 and not title.endswith("."):
        reference["title"] = title
        quote, start, reason = title, match.start("title"), "list item with a footnote marker"
    else:
        sentence = re.split(r"(?<=[.!?])\s+", title)[-1]
        quote, start, reason = sentence, match.start("title") + title.rindex(sentence), "sentence with a footnote"
        described = described or sentence
    if described:
        fields["described_as"] = described
    return Candidate("citation", quote, start, f"The source cites {quote!r}.", reason, 0.85, fields)


def _title_case(doc: Document) -> list[Candidate]:
    """Runs of four or more words, most of them capitalised, that are not a whole sentence's start only."""
    found = []
    separator = r"(?:[ \t]+|(?<=:)\n)"  # a title may wrap after its colon
    pattern = rf"(?:[A-Z][\w'’-]*[:,]?{separator}(?:[a-z]{{1,7}}{separator}){{0,2}}){{3,}}[A-Z][\w'’-]*"
    for match in re.finditer(pattern, doc.text):
        words = match.group(0).split()
        significant = [w for w in words if w.lower() not in SMALL]
        if len(words) < 4 or len(words) > 20 or sum(w[0].isupper() for w in significant) < 0.8 * len(significant):
            continue
        found.append(Candidate("citation", match.group(0), match.start(), f"The source cites {match.group(0)!r}.",
                               "title-case phrase", 0.4, {"reference": {"title": match.group(0)}}))
    return found


def _title_author_lines(doc: Document) -> list[Candidate]:
    """A title line followed (after blank lines) by a line of three or more person names (slides)."""
    found = []
    lines = doc.text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for index, line in enumerate(lines):
        if not AUTHORS.match(line):
            continue
        previous = next((j for j in range(index - 1, max(-1, index - 4), -1) if lines[j].strip()), None)
        if previous is None:
            continue
        title = lines[previous].strip()
        if 3 <= len(title.split()) <= 25:
            authors = [a.strip() for a in line.split(",") if a.strip()]
            found.append(Candidate("citation", title, offsets[previous] + lines[previous].index(title),
                                   f"The source cites {title!r} by {', '.join(authors[:3])}.",
                                   "title line followed by an author line", 0.8,
                                   {"reference": {"title": title, "authors": authors}}))
    return found
