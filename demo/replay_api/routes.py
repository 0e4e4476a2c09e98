"""The Stack Exchange API methods the loader uses, answered from an in-memory `ApiDataset`.

Pure functions of (path, query) -> items or an error; the HTTP server, quota and faults live in
`demo.replay_api`. Semantics follow the API documentation: `tagged` on `/questions` is AND of
a `;`-list, on `/search/advanced` it is ANY of; `fromdate`/`todate` are inclusive epoch seconds;
`min`/`max` bound the sort field; `pagesize` defaults to 30 and may not exceed 100.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from urllib.parse import unquote

from .dataset import ApiDataset, Item

DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 100
QUESTION_FIELDS_WITHOUT_BODY = "body"


class ApiError(Exception):
    """An API error response: HTTP 400 with the real body shape."""

    def __init__(self, error_id: int, error_name: str, error_message: str, status: int = 400):
        super().__init__(error_message)
        self.status = status
        self.body = {"error_id": error_id, "error_name": error_name, "error_message": error_message}


def _bad(message: str) -> ApiError:
    return ApiError(400, "bad_parameter", message)


class DatasetIndex:
    """Lookups over an `ApiDataset` built once per server (by id, by tag, by creation date)."""

    def __init__(self, dataset: ApiDataset) -> None:
        self.dataset = dataset
        self.questions = sorted(
            dataset.questions, key=lambda q: (q["creation_date"], q["question_id"])
        )
        self.question_by_id = {q["question_id"]: q for q in self.questions}
        self.creation_keys = [q["creation_date"] for q in self.questions]
        self.by_tag: dict[str, list[Item]] = defaultdict(list)
        for question in self.questions:
            for tag in question.get("tags", []):
                self.by_tag[tag].append(question)
        self.answers_by_question: dict[int, list[Item]] = defaultdict(list)
        self.answer_by_id: dict[int, Item] = {}
        for answer in sorted(dataset.answers, key=lambda a: (a["creation_date"], a["answer_id"])):
            self.answers_by_question[answer["question_id"]].append(answer)
            self.answer_by_id[answer["answer_id"]] = answer
        # Every tag on a question exists on the site, so its info is served even when the dataset
        # lists no item for it: counted from the dataset's questions, as the site counts its own.
        self.tag_info = {tag: _counted_tag(tag, len(found)) for tag, found in self.by_tag.items()}
        self.tag_info.update({t["name"]: t for t in dataset.tag_info})


def _counted_tag(name: str, count: int) -> Item:
    """A `/tags/{tags}/info` item of a tag the dataset has no item for: a plain tag."""
    return {
        "has_synonyms": False,
        "is_moderator_only": False,
        "is_required": False,
        "count": count,
        "name": name,
    }


def _int(params: dict[str, str], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not re.fullmatch(r"-?\d+", value):
        raise _bad(f"{name} must be an integer")
    return int(value)


def _split(value: str) -> list[str]:
    return [unquote(v) for v in value.split(";") if v]


def _in_window(questions: list[Item], params: dict[str, str]) -> list[Item]:
    lo, hi = _int(params, "fromdate"), _int(params, "todate")
    if lo is None and hi is None:
        return questions
    keys = [q["creation_date"] for q in questions]
    start = 0 if lo is None else bisect.bisect_left(keys, lo)
    end = len(keys) if hi is None else bisect.bisect_right(keys, hi)
    return questions[start:end]


_SORT_FIELDS = {"creation": "creation_date", "activity": "last_activity_date", "votes": "score"}


def _sorted(items: list[Item], params: dict[str, str], default: str = "activity") -> list[Item]:
    sort = params.get("sort", default)
    if sort not in _SORT_FIELDS:
        raise _bad(f"sort must be one of {', '.join(_SORT_FIELDS)}")
    key = _SORT_FIELDS[sort]
    lo, hi = _int(params, "min"), _int(params, "max")
    if lo is not None or hi is not None:
        items = [i for i in items if (lo is None or i[key] >= lo) and (hi is None or i[key] <= hi)]
    descending = params.get("order", "desc") != "asc"
    return sorted(
        items,
        key=lambda i: (i[key], i.get("answer_id", i.get("question_id", 0))),
        reverse=descending,
    )


def page_of(items: list[Item], params: dict[str, str], overlap: int = 0) -> tuple[list[Item], bool]:
    """The requested page of `items` and `has_more`; `overlap` repeats the previous page's tail."""
    page = _int(params, "page") or 1
    size = _int(params, "pagesize") or DEFAULT_PAGE_SIZE
    if size < 0 or size > MAX_PAGE_SIZE:
        raise _bad("pagesize must be between 0 and 100")
    if page < 1:
        raise _bad("page must be positive")
    step = max(size - overlap, 1)
    start = (page - 1) * step
    return items[start : start + size], start + size < len(items)


def _question_view(question: Item, params: dict[str, str]) -> Item:
    if params.get("filter") == "withbody":
        return question
    return {k: v for k, v in question.items() if k != QUESTION_FIELDS_WITHOUT_BODY}


def _ids(segment: str) -> list[int]:
    values = _split(segment)
    if not values or len(values) > 100 or not all(re.fullmatch(r"\d+", v) for v in values):
        raise _bad("ids must be 1 to 100 semicolon-delimited integers")
    return [int(v) for v in values]


def route(index: DatasetIndex, path: str, params: dict[str, str]) -> tuple[list[Item] | None, Item]:
    """Answer one request.

    Returns:
        (all matching items before paging, or None for a non-list body; extra body fields).
        The caller pages, adds the wrapper and the quota.

    Raises:
        ApiError: for unknown methods or bad parameters, with the API's error fields.
    """
    site = params.get("site")
    if not site:
        raise _bad("site is required")
    if site != index.dataset.site:
        raise _bad(f"No site found for name `{site}`")
    parts = [p for p in path.split("/") if p]
    if parts == ["questions"]:
        questions = index.questions
        tagged = _split(params.get("tagged", ""))
        if tagged:
            questions = index.by_tag.get(tagged[0], [])
            questions = [q for q in questions if all(t in q.get("tags", []) for t in tagged[1:])]
        questions = _sorted(_in_window(questions, params), params)
        return [_question_view(q, params) for q in questions], {}
    if len(parts) == 2 and parts[0] == "questions":
        found = [index.question_by_id[i] for i in _ids(parts[1]) if i in index.question_by_id]
        return [_question_view(q, params) for q in _sorted(found, params)], {}
    if len(parts) == 3 and parts[0] == "questions" and parts[2] == "answers":
        answers = [a for i in _ids(parts[1]) for a in index.answers_by_question.get(i, [])]
        return _sorted(answers, params), {}
    if len(parts) == 2 and parts[0] == "answers":
        found = [index.answer_by_id[i] for i in _ids(parts[1]) if i in index.answer_by_id]
        return _sorted(found, params), {}
    if len(parts) == 3 and parts[0] == "tags" and parts[2] == "info":
        names = _split(parts[1])
        return [index.tag_info[n] for n in names if n in index.tag_info], {}
    if len(parts) == 3 and parts[0] == "tags" and parts[2] == "related":
        names = _split(parts[1])
        return list(index.dataset.related_tags.get(names[0], [])) if names else [], {}
    if parts == ["search", "advanced"]:
        return _search(index, params)
    raise ApiError(404, "no_method", "no method found with this name")


def _search(index: DatasetIndex, params: dict[str, str]) -> tuple[list[Item] | None, Item]:
    any_of = set(_split(params.get("tagged", "")))
    none_of = set(_split(params.get("nottagged", "")))
    accepted = params.get("accepted")
    matches = []
    for question in _in_window(index.questions, params):
        tags = set(question.get("tags", []))
        if any_of and not tags & any_of or tags & none_of:
            continue
        has_accepted = "accepted_answer_id" in question
        if accepted == "true" and not has_accepted or accepted == "false" and has_accepted:
            continue
        matches.append(question)
    if params.get("filter") == "total":
        return None, {"total": len(matches)}
    return [_question_view(q, params) for q in _sorted(matches, params)], {}
