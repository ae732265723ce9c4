"""Where `backspace` / `h` goes: the articles links were followed from, newest last.

Following a link (a number key or the link picker) pushes the article being read
and how far down it was; going back pops it, so repeated back walks the trail.
Picking a post from the list starts a new trail. The stack is bounded: an
afternoon of link-hopping does not grow it without end.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

LIMIT = 100  # places remembered; the oldest is forgotten first


@dataclass(frozen=True, slots=True)
class Place:
    """An article and how far down it was read (0.0–1.0, as the store keeps it)."""

    post_id: int
    fraction: float


class History:
    """A stack of ``Place``s: ``push`` before following a link, ``pop`` to go back."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._places: deque[Place] = deque(maxlen=limit)

    def push(self, post_id: int, fraction: float) -> None:
        self._places.append(Place(post_id, max(0.0, min(1.0, fraction))))

    def pop(self) -> Place | None:
        """The place to go back to, or None when there is none."""
        return self._places.pop() if self._places else None

    def clear(self) -> None:
        self._places.clear()

    @property
    def places(self) -> tuple[Place, ...]:
        """Oldest first (for tests and for saying how deep the trail is)."""
        return tuple(self._places)

    def __len__(self) -> int:
        return len(self._places)
