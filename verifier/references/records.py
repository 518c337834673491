"""What an index knows about a paper, with where the answer came from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PaperRecord(BaseModel):
    """One paper as an index (arXiv, a snapshot, proceedings) describes it."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str | None = Field(None, description="Short id without version, e.g. 1706.03762")
    version: str | None = None
    title: str
    authors: list[str] = Field(default_factory=list)
    abstract: str = ""
    published: str | None = Field(None, description="First-version date (YYYY-MM-DD) or the venue year")
    updated: str | None = None
    categories: list[str] = Field(default_factory=list)
    doi: str | None = None
    journal_ref: str | None = None
    venue: str | None = None
    comment: str | None = None
    url: str | None = None
    origin: str = Field(description="Which index answered: arxiv-api, snapshot, proceedings:<name>, cache")

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published and self.published[:4].isdigit() else None

    @property
    def withdrawn(self) -> bool:
        text = f"{self.comment or ''} {self.abstract[:300]}".lower()
        return "withdrawn" in text and ("paper has been withdrawn" in text or "withdrawn by" in text)

    @property
    def link(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else self.url
